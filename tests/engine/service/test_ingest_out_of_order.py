"""Events that arrive in another order than the shop sent them: a cart keeps its newest
contents, an abandonment the customer came back from abandons nothing, a recovery is final.
Each case runs event by event and as one batch (the batch path reads rows once)."""

from typing import Any

import pytest
from pydantic import TypeAdapter
from sqlmodel import select

from engine.language.events import Event
from engine.runtime.settings import Settings
from engine.service import ingest
from engine.store import models
from engine.store.db import session_scope
from tests.engine.service.support import install_automation
from tests.support import CART_ABANDONED, CART_RECOVERED, cart_event

_event = TypeAdapter(Event)


class NoTemporal:
    """A client that takes every start and signal and does nothing: the tests below look at
    what was recorded."""

    async def start_workflow(self, *_args: Any, **_kwargs: Any) -> None:
        return None

    def get_workflow_handle(self, *_args: Any, **_kwargs: Any) -> "NoTemporal":
        return self

    async def signal(self, *_args: Any, **_kwargs: Any) -> None:
        return None


def _event_at(kind: str, cart_id: str, at: str, total: float, n: int) -> dict[str, Any]:
    template = CART_RECOVERED if kind == "cart_recovered" else CART_ABANDONED
    event = cart_event(template, cart_id, event=kind, timestamp=at, id=f"evt-{n}")
    if kind != "cart_recovered":
        event["data"]["total"] = total
    return event


async def _send(url: str, settings: Settings, events: list[dict[str, Any]], batch: bool) -> None:
    parsed = [_event.validate_python(event) for event in events]
    if batch:
        with session_scope(url) as session:
            await ingest.ingest(session, NoTemporal(), settings, parsed)  # type: ignore[arg-type]
        return
    for event in parsed:
        with session_scope(url) as session:
            await ingest.ingest(session, NoTemporal(), settings, [event])  # type: ignore[arg-type]


def _cart(url: str, cart_id: str = "cart-1") -> models.Cart:
    with session_scope(url) as session:
        cart = session.get(models.Cart, cart_id)
        assert cart is not None
        return cart


def _enrolled(url: str) -> int:
    with session_scope(url) as session:
        return len(session.exec(select(models.Enrolment)).all())


BATCH = pytest.mark.parametrize("batch", [False, True], ids=["one-by-one", "batch"])


@BATCH
async def test_an_older_update_arriving_late_does_not_overwrite_newer_contents(
    url: str, settings: Settings, batch: bool
) -> None:
    newer = _event_at("cart_updated", "cart-1", "2024-01-15T14:10:00Z", total=300, n=1)
    older = _event_at("cart_updated", "cart-1", "2024-01-15T14:00:00Z", total=100, n=2)

    await _send(url, settings, [newer, older], batch)

    assert _cart(url).total == 300
    with session_scope(url) as session:
        assert len(session.exec(select(models.Event)).all()) == 2, "both are on record"


@BATCH
async def test_newer_updates_apply_in_turn(url: str, settings: Settings, batch: bool) -> None:
    events = [
        _event_at("cart_updated", "cart-1", f"2024-01-15T14:0{n}:00Z", total=100 + n, n=n)
        for n in range(3)
    ]

    await _send(url, settings, events, batch)

    assert _cart(url).total == 102


@BATCH
async def test_an_abandonment_the_customer_came_back_from_abandons_nothing(
    url: str, settings: Settings, batch: bool
) -> None:
    install_automation(settings)
    came_back = _event_at("cart_updated", "cart-1", "2024-01-15T15:00:00Z", total=50, n=1)
    abandoned = _event_at("cart_abandoned", "cart-1", "2024-01-15T14:30:00Z", total=40, n=2)

    await _send(url, settings, [came_back, abandoned], batch)

    cart = _cart(url)
    assert (cart.status, cart.total) == ("active", 50)
    assert _enrolled(url) == 0


@BATCH
async def test_activity_after_the_abandonment_keeps_the_cart_abandoned(
    url: str, settings: Settings, batch: bool
) -> None:
    install_automation(settings)
    abandoned = _event_at("cart_abandoned", "cart-1", "2024-01-15T14:30:00Z", total=40, n=1)
    later = _event_at("cart_updated", "cart-1", "2024-01-15T15:00:00Z", total=50, n=2)

    await _send(url, settings, [abandoned, later], batch)

    cart = _cart(url)
    assert (cart.status, cart.total) == ("abandoned", 50)
    assert _enrolled(url) == 1


@BATCH
async def test_a_recovery_before_its_abandonment_leaves_the_cart_recovered(
    url: str, settings: Settings, batch: bool
) -> None:
    install_automation(settings)
    recovered = _event_at("cart_recovered", "cart-1", "2024-01-15T16:45:00Z", total=0, n=1)
    abandoned = _event_at("cart_abandoned", "cart-1", "2024-01-15T14:30:00Z", total=280, n=2)

    await _send(url, settings, [recovered, abandoned], batch)

    cart = _cart(url)
    assert (cart.status, cart.order_id, cart.recovered_via) == ("recovered", "order_789", "email_1")
    assert cart.abandoned_at is not None and cart.total == 280
    assert _enrolled(url) == 0
    with session_scope(url) as session:
        [order] = session.exec(select(models.Order)).all()
    assert order.cart_id == "cart-1"


@BATCH
async def test_a_recovery_after_abandonment_is_final(
    url: str, settings: Settings, batch: bool
) -> None:
    install_automation(settings)
    events = [
        _event_at("cart_abandoned", "cart-1", "2024-01-15T14:30:00Z", total=280, n=1),
        _event_at("cart_recovered", "cart-1", "2024-01-15T16:45:00Z", total=0, n=2),
        _event_at("cart_abandoned", "cart-1", "2024-01-16T09:00:00Z", total=280, n=3),
    ]

    await _send(url, settings, events, batch)

    assert _cart(url).status == "recovered"
    assert _enrolled(url) == 1, "only the first abandonment enrolled"
