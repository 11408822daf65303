"""Ingestion keeps an event's journey effects until Temporal has taken them."""

from typing import Any

import pytest
from pydantic import TypeAdapter
from sqlmodel import select
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from engine.language.events import Event
from engine.runtime.settings import Settings
from engine.service import automations
from engine.service.bootstrap import prepare
from engine.service.errors import Unavailable
from engine.service.ingest import ingest
from engine.service.journeys import list_for_cart
from engine.store.db import session_scope
from engine.store.models import Event as StoredEvent
from tests.support import CART_ABANDONED, automation, cart_event, eventually


class TemporalDown:
    """A client whose every call fails as an unreachable server's would."""

    async def start_workflow(self, *_args: Any, **_kwargs: Any) -> None:
        raise RPCError("connection refused", RPCStatusCode.UNAVAILABLE, b"")


async def test_a_retry_carries_out_what_a_failed_attempt_stored(
    settings: Settings, dev_server_env: WorkflowEnvironment
) -> None:
    prepare(settings)
    url = settings.resolved_database_url
    with session_scope(url) as session:
        created, _ = automations.create_published(
            session, "Reminder", automation(wait="1h")["definition"], active=True
        )
    event = TypeAdapter(Event).validate_python(
        cart_event(CART_ABANDONED, "cart_retry", id="evt-retry")
    )

    with session_scope(url) as session, pytest.raises(Unavailable):
        await ingest(session, TemporalDown(), settings, [event])  # type: ignore[arg-type]
    with session_scope(url) as session:
        stored = session.exec(select(StoredEvent)).one()
        assert stored.applied_at is None and len(stored.effects) == 1

    with session_scope(url) as session:
        [answer] = await ingest(session, dev_server_env.client, settings, [event])
    with session_scope(url) as session:
        [again] = await ingest(session, dev_server_env.client, settings, [event])

    assert (answer.duplicate, again.duplicate) == (False, True)
    found = await eventually(
        lambda: list_for_cart(dev_server_env.client, "cart_retry", created.id),
        lambda views: len(views) == 1,
    )
    assert found[0].status == "running"
