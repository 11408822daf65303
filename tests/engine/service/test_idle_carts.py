"""Abandonment detection on a real database: idle active carts are abandoned once, and
enrolled into the automations whose filters match, with no personal data for Temporal."""

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter
from sqlmodel import Session, select

from engine.language.events import Event
from engine.runtime.settings import Settings
from engine.service import ingest
from engine.service.idle_carts import abandon_idle_carts, pending_enrolments
from engine.store import models
from engine.store.db import session_scope
from engine.store.types import utcnow
from tests.engine.service.support import install_automation

NOW = datetime(2024, 1, 15, 15, 0, tzinfo=UTC)
IDLE = NOW - timedelta(minutes=31)  # the default threshold is 30 minutes
RECENT = NOW - timedelta(minutes=10)


def _cart(
    session: Session,
    cart_id: str,
    *,
    email: str | None = "jane@example.com",
    updated_at: datetime = IDLE,
    status: str = "active",
    total: str = "280.77",
    categories: tuple[str | None, ...] = (None,),
    tags: list[str] | None = None,
) -> None:
    customer_id = None
    if email is not None:
        customer = session.exec(
            select(models.Customer).where(models.Customer.email == email)
        ).first() or models.Customer(email=email)
        if tags is not None:
            customer.tags = tags
        session.add(customer)
        session.flush()
        customer_id = customer.id
    items = [
        {"id": f"prod_{n}", "name": "Thing", "price": 10, "quantity": 1}
        | ({"category": category} if category else {})
        for n, category in enumerate(categories)
    ]
    session.add(
        models.Cart(
            id=cart_id,
            customer_id=customer_id,
            status=status,
            items=items,
            total=Decimal(total),
            subtotal=Decimal(total),
            updated_at=updated_at,
        )
    )


def _run(url: str, settings: Settings, limit: int = 500) -> Any:
    with session_scope(url) as session:
        return abandon_idle_carts(session, settings, NOW, limit)


def _status(url: str) -> dict[str, tuple[str, datetime | None]]:
    with session_scope(url) as session:
        carts = session.exec(select(models.Cart)).all()
        return {cart.id: (cart.status, cart.abandoned_at) for cart in carts}


def test_idle_active_carts_are_abandoned_once_and_only_once(url: str, settings: Settings) -> None:
    automation_id = install_automation(settings)
    with session_scope(url) as session:
        _cart(session, "idle")
        _cart(session, "recent", updated_at=RECENT)
        _cart(session, "recovered", status="recovered")
        _cart(session, "abandoned-before", status="abandoned")

    first = _run(url, settings)
    second = _run(url, settings)

    assert (first.marked, first.guests) == (1, 0)
    assert [(e.journey.automation_id, e.journey.cart_id) for e in first.enrolments] == [
        (automation_id, "idle")
    ]
    assert (second.marked, second.enrolments) == (0, [])
    assert _status(url) == {
        "idle": ("abandoned", IDLE + timedelta(minutes=30)),
        "recent": ("active", None),
        "recovered": ("recovered", None),
        "abandoned-before": ("abandoned", None),
    }
    with session_scope(url) as session:
        [recorded] = session.exec(select(models.Event)).all()
        assert (recorded.type, recorded.cart_id, recorded.applied_at) == (
            "cart_abandoned",
            "idle",
            None,
        )
        assert [p.event_id for p in pending_enrolments(session, 10)] == [recorded.id]


def test_the_threshold_comes_from_the_settings(url: str, settings: Settings) -> None:
    with session_scope(url) as session:
        _cart(session, "ten-minutes", updated_at=RECENT)

    hour = _run(url, settings.model_copy(update={"inactivity_threshold": timedelta(hours=1)}))
    five = _run(url, settings.model_copy(update={"inactivity_threshold": timedelta(minutes=5)}))

    assert (hour.marked, five.marked) == (0, 1)
    assert _status(url)["ten-minutes"] == ("abandoned", RECENT + timedelta(minutes=5))


def test_the_oldest_idle_carts_go_first_and_at_most_limit_per_run(
    url: str, settings: Settings
) -> None:
    with session_scope(url) as session:
        for minutes in (40, 90, 60):
            _cart(session, f"idle-{minutes}", updated_at=NOW - timedelta(minutes=minutes))

    first = _run(url, settings, limit=2)
    after_first = {cart: status for cart, (status, _) in _status(url).items()}
    rest = _run(url, settings, limit=2)

    assert (first.marked, rest.marked) == (2, 1)
    assert after_first == {"idle-90": "abandoned", "idle-60": "abandoned", "idle-40": "active"}
    assert _status(url)["idle-40"][0] == "abandoned"


def test_guest_carts_are_marked_but_never_enrolled(url: str, settings: Settings) -> None:
    install_automation(settings)
    with session_scope(url) as session:
        _cart(session, "guest", email=None)

    result = _run(url, settings)

    assert (result.marked, result.guests, result.enrolments) == (1, 1, [])
    assert _status(url)["guest"][0] == "abandoned"
    with session_scope(url) as session:
        [recorded] = session.exec(select(models.Event)).all()
        assert recorded.applied_at is not None, "nothing to carry out for a guest"
        assert pending_enrolments(session, 10) == []


def test_two_runs_at_once_never_both_take_a_cart(url: str, settings: Settings) -> None:
    install_automation(settings)
    with session_scope(url) as session:
        for n in range(40):
            _cart(session, f"cart-{n:02}", updated_at=IDLE - timedelta(seconds=n))
    results: list[Any] = []

    def run() -> None:
        results.append(_run(url, settings))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(r.marked for r in results) == 40
    carts = [e.journey.cart_id for r in results for e in r.enrolments]
    assert sorted(carts) == [f"cart-{n:02}" for n in range(40)]
    with session_scope(url) as session:
        assert len(session.exec(select(models.Event)).all()) == 40


# (filters, the cart that passes, the cart that does not)
FILTERS: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {
    "minimum value": (
        {"field": "cart.total", "op": "gte", "value": 25},
        {"total": "25.00"},
        {"total": "24.99"},
    ),
    "guests only": (  # a guest is never messaged; the filter can still select on it
        {"field": "customer.is_guest", "op": "eq", "value": False},
        {"email": "known@example.com"},
        {"email": None},
    ),
    "guests excluded": (
        {"not": {"field": "customer.is_guest", "op": "eq", "value": True}},
        {"email": "known@example.com"},
        {"email": None},
    ),
    "email domain": (
        {"field": "customer.email_domain", "op": "not_in", "value": ["mailinator.com"]},
        {"email": "jane@example.com"},
        {"email": "throwaway@mailinator.com"},
    ),
    "customer tag": (
        {"not": {"field": "customer.tags", "op": "contains", "value": "wholesale"}},
        {"email": "staff@example.com", "tags": ["staff"]},
        {"email": "buyer@example.com", "tags": ["staff", "wholesale"]},
    ),
    "product category": (
        {"not": {"field": "cart.categories", "op": "contains", "value": "gift-cards"}},
        {"categories": ("audio", None)},
        {"categories": ("audio", "gift-cards")},
    ),
}


@pytest.mark.parametrize("kind", FILTERS)
def test_trigger_filters_include_and_exclude(kind: str, url: str, settings: Settings) -> None:
    filters, passes, fails = FILTERS[kind]
    automation_id = install_automation(settings, filters)
    with session_scope(url) as session:
        _cart(session, "passes", **passes)
        _cart(session, "fails", **fails)

    result = _run(url, settings)

    assert result.marked == 2
    assert [(e.journey.automation_id, e.journey.cart_id) for e in result.enrolments] == [
        (automation_id, "passes")
    ]


def test_the_journey_context_carries_no_email_nor_domain(url: str, settings: Settings) -> None:
    install_automation(settings, {"field": "customer.email_domain", "op": "eq", "value": "x.org"})
    with session_scope(url) as session:
        _cart(session, "cart-1", email="jane.doe@x.org", categories=("audio",))

    [enrolment] = _run(url, settings).enrolments  # the domain filter matched

    dumped = enrolment.journey.model_dump_json(exclude={"definition"})  # the filter names x.org
    assert "jane" not in dumped and "x.org" not in dumped and "email_domain" not in dumped
    context = enrolment.journey.context
    assert context["cart"]["categories"] == ["audio"]
    assert context["customer"] == {
        "segment": "new",
        "tags": [],
        "is_guest": False,
        "registered": False,
        "accepts_marketing": False,
        "order_count": 0,
        "lifetime_spend": {},
    }


class NoTemporal:
    """A client that must not be used."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"cart activity touched Temporal ({name})")


@pytest.mark.parametrize("event_type", ["cart_updated", "checkout_started"])
async def test_cart_activity_only_updates_the_cart(
    event_type: str, url: str, settings: Settings
) -> None:
    with session_scope(url) as session:
        _cart(session, "already", status="abandoned")
    events = TypeAdapter(list[Event]).validate_python(
        [
            {"event": event_type, "timestamp": "2024-01-15T14:30:00Z", "data": {"cart_id": c}}
            for c in ("fresh", "already")
        ]
    )

    with session_scope(url) as session:
        await ingest.ingest(session, NoTemporal(), settings, events)  # type: ignore[arg-type]

    statuses = _status(url)
    assert statuses["fresh"] == ("active", None)
    assert statuses["already"] == ("abandoned", None), "new activity does not reactivate it"
    an_hour_later = utcnow() + timedelta(hours=1)
    with session_scope(url) as session:
        result = abandon_idle_carts(session, settings, an_hour_later, 500)
    assert result.marked == 1, "only the active cart; an abandoned one is not abandoned again"
    assert _status(url)["fresh"][0] == "abandoned"
