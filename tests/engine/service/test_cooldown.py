"""Re-entry cooldown on a real database: a customer's next cart does not enter an
automation they entered less than its `reentry_cooldown` ago; every entry is recorded
once, with the effect that starts its journey."""

import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter
from sqlmodel import Session, select
from temporalio.service import RPCError, RPCStatusCode

from engine.language.events import Event
from engine.runtime.settings import Settings
from engine.service import enrolment, ingest
from engine.service.errors import Unavailable
from engine.service.idle_carts import abandon_idle_carts
from engine.store import models
from engine.store.db import session_scope
from engine.store.types import utcnow
from tests.engine.service.support import install_automation
from tests.support import CART_ABANDONED, cart_event

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
COOLDOWN = timedelta(days=14)


@pytest.fixture
def cooled(url: str, settings: Settings) -> str:  # noqa: ARG001 - migrated first
    """An automation with a 14-day re-entry cooldown."""
    return install_automation(
        settings, name="With cooldown", automation_settings={"reentry_cooldown": "14d"}
    )


@pytest.fixture
def open_to_all(url: str, settings: Settings) -> str:  # noqa: ARG001 - migrated first
    """An automation without a cooldown."""
    return install_automation(settings, name="Without cooldown")


def _cart(session: Session, cart_id: str, email: str | None = "jane@example.com") -> models.Cart:
    customer = None
    if email is not None:
        customer = session.exec(
            select(models.Customer).where(models.Customer.email == email)
        ).first() or models.Customer(email=email)
        session.add(customer)
        session.flush()
    cart = models.Cart(
        id=cart_id,
        customer_id=customer.id if customer else None,
        status="abandoned",
        total=Decimal(50),
        updated_at=NOW - timedelta(hours=1),
    )
    session.add(cart)
    session.flush()
    return cart


def _enrol(url: str, settings: Settings, cart_id: str, now: datetime, **cart: Any) -> set[str]:
    """Enrol the cart (made if new) at `now`; the automations it entered."""
    with session_scope(url) as session:
        found = session.get(models.Cart, cart_id) or _cart(session, cart_id, **cart)
        enrolments = enrolment.enrolments_for(session, settings, found, "cart_abandoned", now=now)
        return {e.journey.automation_id for e in enrolments}


def _entries(url: str) -> list[tuple[str, str]]:
    with session_scope(url) as session:
        rows = session.exec(select(models.Enrolment)).all()
        return sorted((row.automation_id, row.subject_id) for row in rows)


def test_a_second_cart_within_the_cooldown_skips_only_that_automation(
    url: str, settings: Settings, cooled: str, open_to_all: str
) -> None:
    first = _enrol(url, settings, "cart-1", NOW)
    second = _enrol(url, settings, "cart-2", NOW + timedelta(days=13, hours=23))

    assert first == {cooled, open_to_all}
    assert second == {open_to_all}
    assert _entries(url) == sorted(
        [(cooled, "cart-1"), (open_to_all, "cart-1"), (open_to_all, "cart-2")]
    )


def test_once_the_cooldown_passed_the_customer_enters_again(
    url: str, settings: Settings, cooled: str
) -> None:
    _enrol(url, settings, "cart-1", NOW)
    blocked = _enrol(url, settings, "cart-2", NOW + timedelta(days=1))

    again = _enrol(url, settings, "cart-3", NOW + COOLDOWN)

    assert (blocked, again) == (set(), {cooled})
    # The cooldown runs from the last entry (cart-3), not from a skipped cart (cart-2).
    assert _enrol(url, settings, "cart-4", NOW + COOLDOWN + timedelta(days=13)) == set()


def test_other_customers_and_guests_are_not_held_back(
    url: str, settings: Settings, cooled: str
) -> None:
    _enrol(url, settings, "jane-1", NOW)

    other = _enrol(url, settings, "john-1", NOW, email="john@example.com")
    guests = [_enrol(url, settings, f"guest-{n}", NOW, email=None) for n in range(2)]

    assert other == {cooled}
    assert guests == [{cooled}, {cooled}]


def test_enrolling_the_same_cart_again_gives_the_same_effect_and_one_record(
    url: str, settings: Settings, cooled: str
) -> None:
    with session_scope(url) as session:
        cart = _cart(session, "cart-1")
        first = enrolment.enrolments_for(session, settings, cart, "cart_abandoned", now=NOW)
    with session_scope(url) as session:
        cart = session.get(models.Cart, "cart-1")  # type: ignore[assignment]
        later = NOW + timedelta(days=1)
        again = enrolment.enrolments_for(session, settings, cart, "cart_abandoned", now=later)

    assert [e.journey.automation_id for e in again] == [cooled], "not blocked by itself"
    assert again == first
    with session_scope(url) as session:
        [entry] = session.exec(select(models.Enrolment)).all()
    assert (entry.subject_id, entry.enrolled_at) == ("cart-1", NOW), "the first entry stays"


def test_the_record_holds_who_entered_which_version_when(
    url: str, settings: Settings, cooled: str
) -> None:
    _enrol(url, settings, "cart-1", NOW)

    with session_scope(url) as session:
        [entry] = session.exec(select(models.Enrolment)).all()
        cart = session.get(models.Cart, "cart-1")
    assert cart is not None
    assert (entry.automation_id, entry.automation_version, entry.subject_id) == (
        cooled,
        1,
        "cart-1",
    )
    assert (entry.cart_id, entry.customer_id, entry.enrolled_at) == (
        "cart-1",
        cart.customer_id,
        NOW,
    )


# -- through ingest and abandonment detection ------------------------------------

_event = TypeAdapter(Event)


class StartsJourneys:
    """A Temporal client that takes every journey start (and fails while `down`)."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.down = False

    async def start_workflow(self, *_args: Any, id: str, **_kwargs: Any) -> None:
        if self.down:
            raise RPCError("connection refused", RPCStatusCode.UNAVAILABLE, b"")
        self.started.append(id)


async def _ingest(url: str, settings: Settings, client: StartsJourneys, event: Any) -> None:
    with session_scope(url) as session:
        await ingest.ingest(session, client, settings, [_event.validate_python(event)])  # type: ignore[arg-type]


async def test_a_retried_or_repeated_event_writes_one_record(
    url: str, settings: Settings, cooled: str
) -> None:
    client = StartsJourneys()
    event = cart_event(CART_ABANDONED, "cart-1", id="evt-1")
    client.down = True
    with pytest.raises(Unavailable):
        await _ingest(url, settings, client, event)
    client.down = False

    await _ingest(url, settings, client, event)  # the retry carries out the stored effect
    await _ingest(url, settings, client, event)  # a duplicate: nothing
    await _ingest(url, settings, client, event | {"id": "evt-2"})  # the cart is abandoned already

    assert client.started == [f"journey:{cooled}:cart-1"]
    assert _entries(url) == [(cooled, "cart-1")]


async def test_the_cooldown_counts_from_when_we_enrol_not_the_events_time(
    url: str, settings: Settings, cooled: str, open_to_all: str
) -> None:
    client = StartsJourneys()
    month_old = (utcnow() - timedelta(days=30)).isoformat()
    old = cart_event(CART_ABANDONED, "cart-1", id="evt-1", timestamp=month_old)
    old["data"].pop("abandoned_at")

    await _ingest(url, settings, client, old)
    await _ingest(url, settings, client, cart_event(CART_ABANDONED, "cart-2", id="evt-2"))

    cart_1 = {f"journey:{cooled}:cart-1", f"journey:{open_to_all}:cart-1"}
    assert set(client.started) == cart_1 | {f"journey:{open_to_all}:cart-2"}


def test_idle_carts_of_one_customer_in_one_batch_enter_once(
    url: str, settings: Settings, cooled: str, open_to_all: str
) -> None:
    with session_scope(url) as session:
        for n in range(3):
            cart = _cart(session, f"idle-{n}")
            cart.status = "active"
            cart.updated_at = NOW - timedelta(hours=3 - n)
            session.add(cart)

    with session_scope(url) as session:
        result = abandon_idle_carts(session, settings, NOW, 500)

    entered = {(e.journey.automation_id, e.journey.cart_id) for e in result.enrolments}
    assert entered == {(cooled, "idle-0")} | {(open_to_all, f"idle-{n}") for n in range(3)}


def test_two_carts_of_one_customer_enrolled_at_once_enter_once(
    url: str, settings: Settings, cooled: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both checks would pass if the second did not wait for the first to commit."""
    with session_scope(url) as session:
        _cart(session, "cart-0")  # jane exists before the race
    checked = enrolment._cooling_down

    def slow_check(*args: Any, **kwargs: Any) -> bool:
        answer = checked(*args, **kwargs)
        time.sleep(0.3)  # the other enrolment checks meanwhile, unless it waits for this one
        return answer

    monkeypatch.setattr(enrolment, "_cooling_down", slow_check)
    entered: list[set[str]] = []

    def enrol(cart_id: str) -> None:
        with session_scope(url) as session:
            cart = session.get(models.Cart, cart_id) or _cart(session, cart_id)
            journeys = enrolment.enrolments_for(session, settings, cart, "cart_abandoned", now=NOW)
            entered.append({e.journey.automation_id for e in journeys})

    threads = [threading.Thread(target=enrol, args=(f"cart-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(entered, key=len) == [set(), {cooled}]
