"""Helpers for the service tests: an active automation installed straight into the database."""

from typing import Any

from engine.service import automations
from engine.settings import Settings
from engine.store.db import session_scope
from tests.support import automation


def install_automation(
    settings: Settings,
    filters: dict[str, Any] | None = None,
    *,
    name: str = "Reminder",
    automation_settings: dict[str, Any] | None = None,
) -> str:
    """An active `wait 1h → send_email` automation; returns its id."""
    body = automation(wait="1h", settings=automation_settings or {})["definition"]
    if filters is not None:
        body["trigger"] = {"event": "cart_abandoned", "filters": filters}
    with session_scope(settings.resolved_database_url) as session:
        created, _ = automations.create_published(session, name, body, active=True)
        return created.id
