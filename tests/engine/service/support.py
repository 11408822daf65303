"""Helpers for the service tests: an active automation installed straight into the database,
and events recorded as ingestion records them."""

from typing import Any

from pydantic import TypeAdapter

from engine.language.events import Event
from engine.runtime.settings import Settings
from engine.service import automations, effects, ingest
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


_event = TypeAdapter(Event)


def record_events(url: str, settings: Settings, *events: dict[str, Any]) -> list[Any]:
    """Record the events one by one as ingest does (without Temporal); the effects of the
    last one, read back from what was stored."""
    last: list[Any] = []
    for event in events:
        with session_scope(url) as session:
            stored, _ = ingest._record(
                session, settings, _event.validate_python(event), event["id"]
            )
            last = effects.stored(stored)
    return last
