"""`boomerang.client` against the real API: what a shop's integration and a support script
see. Every test runs with the async and the blocking client (`connect`, see conftest)."""

import asyncio
import functools
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from sqlmodel import select

from boomerang.client import BoomerangError
from builder_api.main import create_app
from builder_api.schemas.events import EventAccepted
from engine.language.definition import Automation
from engine.language.events import CartAbandonedData, CartAbandonedEvent, CartItem
from engine.service import links
from engine.service.auth import Role, ensure_token
from engine.store.db import session_scope
from engine.store.models import Cart, Event
from tests.boomerang.conftest import SIGNING_SECRET, Connect, LoopTransport
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, automation, cart_event, eventually
from tests.test_readme import README


def _stored_events(api: Api) -> list[str]:
    with session_scope(api.settings.resolved_database_url) as session:
        return sorted(event.id for event in session.exec(select(Event)))


def _cart(api: Api, cart_id: str) -> Cart | None:
    with session_scope(api.settings.resolved_database_url) as session:
        cart = session.get(Cart, cart_id)
        if cart is not None:
            session.expunge(cart)
        return cart


async def test_an_event_model_and_a_batch_of_dicts_are_accepted(api: Api, connect: Connect) -> None:
    boomerang = connect()
    event = CartAbandonedEvent(
        event="cart_abandoned",
        timestamp=datetime(2024, 1, 15, 14, 30, tzinfo=UTC),
        id="evt-model",
        data=CartAbandonedData(
            cart_id="cart_model",
            customer_email="jane@example.com",
            items=[CartItem(id="prod_1", name="Headphones", price=Decimal("199.99"), quantity=1)],
            total=Decimal("199.99"),
        ),
    )

    one = await boomerang.send_event(event)
    batch = await boomerang.send_events(
        [cart_event(CART_ABANDONED, "cart_a"), cart_event(CART_ABANDONED, "cart_b")],
        idempotency_key="sync-42",
    )

    assert one == EventAccepted(id="evt-model", duplicate=False)
    assert [(a.id, a.duplicate) for a in batch.events] == [
        ("sync-42:0", False),
        ("sync-42:1", False),
    ]
    assert _stored_events(api) == ["evt-model", "sync-42:0", "sync-42:1"]
    stored = _cart(api, "cart_model")
    assert stored is not None and stored.total == Decimal("199.99")
    assert stored.items[0]["name"] == "Headphones"


async def test_a_repeated_event_id_is_reported_as_a_duplicate(api: Api, connect: Connect) -> None:
    boomerang = connect()
    event = cart_event(CART_ABANDONED, "cart_twice", id="evt-twice")

    first = await boomerang.send_event(event)
    again = await boomerang.send_event(event)

    assert (first.id, first.duplicate) == ("evt-twice", False)
    assert (again.id, again.duplicate) == ("evt-twice", True)
    assert _stored_events(api) == ["evt-twice"]


async def test_a_shop_signs_its_events_instead_of_sending_a_token(
    api: Api, connect: Connect
) -> None:
    signed = connect(token=None, signing_secret=SIGNING_SECRET)
    wrong_secret = connect(token=None, signing_secret="not-the-shared-secret")
    anonymous = connect(token=None)

    accepted = await signed.send_event(cart_event(CART_ABANDONED, "cart_signed", id="evt-signed"))
    with pytest.raises(BoomerangError) as forged:
        await wrong_secret.send_event(cart_event(CART_ABANDONED, "cart_forged"))
    with pytest.raises(BoomerangError) as unsigned:
        await anonymous.send_event(cart_event(CART_ABANDONED, "cart_unsigned"))

    assert accepted.id == "evt-signed"
    assert (forged.value.status_code, forged.value.code) == (401, "invalid_signature")
    assert (unsigned.value.status_code, unsigned.value.code) == (401, "unauthenticated")
    assert _stored_events(api) == ["evt-signed"]


async def test_bad_input_raises_an_error_naming_the_field(api: Api, connect: Connect) -> None:
    boomerang = connect()
    no_email = cart_event(CART_ABANDONED, "cart_bad", email="not-an-email")
    negative = cart_event(CART_ABANDONED, "cart_negative")
    negative["data"]["total"] = -1

    with pytest.raises(BoomerangError) as single:
        await boomerang.send_event(no_email)
    with pytest.raises(BoomerangError) as batch:
        await boomerang.send_events([cart_event(CART_ABANDONED, "cart_fine"), negative])
    with pytest.raises(BoomerangError) as missing:
        await boomerang.get_journey("journey:aut_nope:cart_nope")

    assert (single.value.status_code, single.value.code) == (422, "invalid_event")
    assert [p.field for p in single.value.problems] == ["data.customer_email"]
    assert "data.customer_email" in str(single.value)
    assert [p.field for p in batch.value.problems] == ["events.1.data.total"]
    assert (missing.value.status_code, missing.value.code) == (404, "not_found")
    assert _stored_events(api) == []


async def test_an_automation_is_created_inactive_then_activated(connect: Connect) -> None:
    boomerang = connect()
    definition = Automation.model_validate(automation(name="From the client")["definition"] | {
        "name": "ignored: the automation's name wins",
        "trigger": {"event": "cart_abandoned",
                    "filters": {"not": {"field": "cart.total", "op": "lt", "value": 10}}},
    })  # fmt: skip

    created = await boomerang.create_automation("Client reminder", definition)
    activated = await boomerang.activate_automation(created.id)
    shown = await boomerang.get_automation(created.id)
    listed = await boomerang.list_automations()

    assert (created.name, created.status, created.version) == ("Client reminder", "inactive", 1)
    assert created.definition["trigger"]["filters"] == {
        "not": {"field": "cart.total", "op": "lt", "value": 10}
    }
    assert activated.automation.status == "active"
    assert (shown.status, shown.name) == ("active", "Client reminder")
    assert created.id in [found.id for found in listed if found.status == "active"]


async def test_a_carts_journey_is_listed_paused_and_resumed(connect: Connect) -> None:
    boomerang = connect()
    created = await boomerang.create_automation("Wait an hour", automation(wait="1h")["definition"])
    await boomerang.activate_automation(created.id)
    cart_id = f"cart_journey_{created.id}"  # the Temporal server outlives one test's database

    await boomerang.send_event(cart_event(CART_ABANDONED, cart_id, email="pat@example.com"))

    async def listed() -> Any:
        return await boomerang.list_journeys(cart_id=cart_id, automation_id=created.id)

    [journey] = await eventually(listed, lambda found: len(found) == 1)
    by_email = await boomerang.list_journeys(
        customer_email="pat@example.com", automation_id=created.id
    )
    paused = await boomerang.pause_journey(journey.id)
    shown_paused = await boomerang.get_journey(journey.id)
    resumed = await boomerang.resume_journey(journey.id)
    shown_resumed = await boomerang.get_journey(journey.id)

    assert (journey.cart_id, journey.automation_name, journey.status) == (
        cart_id,
        "Wait an hour",
        "running",
    )
    assert [found.id for found in by_email] == [journey.id]
    assert (paused.status, paused.changed) == ("paused", True)
    assert shown_paused.paused is True
    assert (resumed.status, resumed.changed) == ("running", True)
    assert shown_resumed.paused is False


async def test_a_storefront_restores_a_cart_from_a_link_token(api: Api, connect: Connect) -> None:
    await connect().send_event(cart_event(CART_ABANDONED, "cart_restore"))
    token = links.recovery_token(api.settings, "cart_restore", "journey:aut_x:cart_restore:e-1")
    storefront = connect(token=None)

    cart = await storefront.restore_cart("cart_restore", token)
    with pytest.raises(BoomerangError) as other_cart:
        await storefront.restore_cart("cart_abc123", token)

    assert (cart.cart_id, cart.total, cart.currency) == ("cart_restore", Decimal("280.77"), "USD")
    assert [(item.name, item.quantity) for item in cart.items] == [
        ("Premium Headphones", 1),
        ("Phone Case", 2),
    ]
    assert (other_cart.value.status_code, other_cart.value.code) == (404, "not_found")


async def test_an_automation_is_simulated_and_its_carts_read_page_by_page(
    connect: Connect,
) -> None:
    boomerang = connect()
    created = await boomerang.create_automation("Simulated", automation(wait="1h")["definition"])
    for cart_id, at in (("sim_a", "2026-10-05T09:00:00Z"), ("sim_b", "2026-10-05T10:00:00Z")):
        event = cart_event(CART_ABANDONED, cart_id, f"{cart_id}@example.com", id=f"e-{cart_id}")
        event["data"]["abandoned_at"] = event["timestamp"] = at
        await boomerang.send_event(event)
    no_wait = automation(wait="1s")["definition"]

    answer = await boomerang.simulate(
        created.id, definition=no_wait, carts={"last": 10}, compare_to="live"
    )
    again = await boomerang.simulation(answer.id)
    first = await boomerang.simulation_carts(answer.id, limit=1)
    rest = await boomerang.simulation_carts(answer.id, cursor=first.next_cursor)
    flagged = await boomerang.simulation_carts(answer.id, flagged=True)

    assert (answer.status, answer.carts) == ("done", 2)
    assert answer.totals is not None and answer.totals.emails == 2
    assert answer.difference is not None and answer.difference.emails == 0
    assert again == answer
    assert [c.cart_id for c in first.items + rest.items] == ["sim_b", "sim_a"]
    assert rest.next_cursor is None and flagged.items == []
    with pytest.raises(BoomerangError) as unknown:
        await boomerang.simulate(created.id, version=9)
    assert (unknown.value.status_code, unknown.value.code) == (404, "not_found")
    with pytest.raises(ValidationError):  # refused before anything is sent
        await boomerang.simulate(created.id, carts={"last": 0})


async def test_health_reports_the_database_and_temporal(connect: Connect) -> None:
    health = await connect(token=None).health()

    assert (health.status, health.database, health.temporal) == ("ok", "ok", "ok")


def _readme_python() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", README.read_text(), re.MULTILINE | re.DOTALL)


async def test_the_readmes_python_examples_run(
    api: Api, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As written, against this stack: their `...` token is an admin token here, and the
    clients they make reach the app whatever their URL."""
    with session_scope(api.settings.resolved_database_url) as session:
        ensure_token(session, "...", name="the README's", role=Role.admin)
    monkeypatch.setenv("BOOMERANG_INGEST_SIGNING_SECRET", SIGNING_SECRET)
    transport = LoopTransport(create_app(api.settings), asyncio.get_running_loop())
    monkeypatch.setattr(httpx, "Client", functools.partial(httpx.Client, transport=transport))
    monkeypatch.setattr(
        httpx, "AsyncClient", functools.partial(httpx.AsyncClient, transport=transport)
    )
    examples = _readme_python()

    for example in examples:
        await asyncio.to_thread(exec, compile(example, "README.md", "exec"), {})

    assert len(examples) >= 3
    printed = capsys.readouterr().out
    assert "422 invalid_event ['data.cart_id', 'data.customer_email', 'data.total']" in printed
    assert "[False]" in printed  # the signed batch, accepted
    assert {"evt-1001", "nightly-sync-2024-01-15:0"} <= set(_stored_events(api))
