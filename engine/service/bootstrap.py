"""Preparing a data store: migrations, first-start presets, the admin token."""

from engine.language.presets import INSTALLED_ON_FIRST_START
from engine.runtime.settings import Settings
from engine.service.auth import Role, bootstrap_admin_token, ensure_token
from engine.service.automations import install_presets
from engine.service.template_seeding import seed_templates
from engine.store.db import migrate, session_scope


def prepare(settings: Settings) -> None:
    """Migrate, seed the default email templates and install the first-start presets (each
    only where missing), and register BOOMERANG_API_TOKEN if set."""
    migrate(settings.resolved_database_url)
    with session_scope(settings.resolved_database_url) as session:
        seed_templates(session, settings.templates_dir)  # before the presets, which name them
        install_presets(session, INSTALLED_ON_FIRST_START)
        if settings.api_token:
            ensure_token(session, settings.api_token, name="configured admin", role=Role.admin)


def prepare_for_dev(settings: Settings) -> str:
    """`prepare`, plus an admin token to print: the configured one, or one kept in the data dir."""
    prepare(settings)
    with session_scope(settings.resolved_database_url) as session:
        return bootstrap_admin_token(session, settings.api_token, settings.data_dir)
