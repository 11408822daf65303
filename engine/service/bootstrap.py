"""Preparing a data store: migrations, first-start presets, the admin token."""

from engine.presets import INSTALLED_ON_FIRST_START
from engine.service.auth import bootstrap_admin_token
from engine.service.automations import install_presets
from engine.settings import Settings
from engine.store.db import migrate, session_scope


def prepare(settings: Settings) -> str:
    """Migrate, install the first-start presets; returns the bootstrap admin token."""
    migrate(settings.resolved_database_url)
    with session_scope(settings.resolved_database_url) as session:
        install_presets(session, INSTALLED_ON_FIRST_START, settings)
        return bootstrap_admin_token(session, settings.api_token, settings.data_dir)
