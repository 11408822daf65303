"""Segments and time zones on a real database: order events (and recoveries) build the
customer's order history, and enrolment puts the segment, the order numbers and the time
zones in the journey's context, where trigger filters and conditions read them."""

from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError
from sqlmodel import select

from engine.language.conditions import evaluate
from engine.language.definition import Leaf
from engine.language.events import Event
from engine.language.local_time import resolve_timezone
from engine.runtime.settings import Settings
from engine.service import enrolment as enrolments
from engine.store import models
from engine.store.db import session_scope
from engine.store.types import utcnow
from tests.engine.service.support import install_automation, record_events
from tests.support import CART_ABANDONED, CART_RECOVERED, cart_event

_event = TypeAdapter(Event)


def _abandoned(cart_id: str, email: str = "jane@example.com", **data: Any) -> dict[str, Any]:
    event = cart_event(CART_ABANDONED, cart_id, email, id=f"evt-abandon-{cart_id}")
    event["data"].update(data)
    return event


def _order(
    order_id: str, kind: str = "order_placed", *, email: str | None = "jane@example.com",
    cart_id: str | None = None, total: float | str | None = 120, **envelope: Any,
) -> dict[str, Any]:  # fmt: skip
    data = {"order_id": order_id, "customer_email": email, "cart_id": cart_id, "total": total}
    return {
        "event": kind,
        "timestamp": "2024-01-10T09:00:00Z",
        "id": f"evt-{kind}-{order_id}",
        "data": {key: value for key, value in data.items() if value is not None},
    } | envelope


def _customer_context(url: str, settings: Settings, *before: dict[str, Any]) -> dict[str, Any]:
    """The journey context's `customer` when jane abandons `cart-now` after these events."""
    install_automation(settings)
    [enrolment] = record_events(url, settings, *before, _abandoned("cart-now"))
    customer: dict[str, Any] = enrolment.journey.context["customer"]
    return customer


def _orders(url: str) -> list[models.Order]:
    with session_scope(url) as session:
        return list(session.exec(select(models.Order).order_by(models.Order.id)).all())


def test_a_customer_without_orders_is_new(url: str, settings: Settings) -> None:
    customer = _customer_context(url, settings)

    assert customer == {
        "segment": "new",
        "tags": [],
        "is_guest": False,
        "registered": False,
        "accepts_marketing": False,
        "order_count": 0,
        "lifetime_spend": {},  # per currency: nothing yet
    }


def test_an_order_for_another_cart_makes_the_customer_repeat(url: str, settings: Settings) -> None:
    customer = _customer_context(url, settings, _order("order-1", cart_id="cart-before"))

    assert customer["segment"] == "repeat"
    assert (customer["order_count"], customer["lifetime_spend"]) == (1, {"USD": 120.0})


def test_an_order_from_this_very_cart_does_not_count(url: str, settings: Settings) -> None:
    customer = _customer_context(url, settings, _order("order-1", cart_id="cart-now"))

    assert (customer["segment"], customer["order_count"]) == ("new", 0)


def test_a_recovered_cart_counts_as_an_order_worth_the_carts_total(
    url: str, settings: Settings
) -> None:
    install_automation(settings)
    earlier = cart_event(CART_ABANDONED, "cart-before", id="evt-before")  # total 280.77
    recovered = cart_event(CART_RECOVERED, "cart-before", id="evt-recovered")
    record_events(url, settings, earlier, recovered)

    [enrolment] = record_events(url, settings, _abandoned("cart-now"))

    customer = enrolment.journey.context["customer"]
    assert (customer["segment"], customer["order_count"]) == ("repeat", 1)
    assert customer["lifetime_spend"] == {"USD": 280.77}
    [order] = _orders(url)
    assert (order.id, order.cart_id, order.total, order.currency, order.status) == (
        "order_789",
        "cart-before",
        Decimal("280.77"),
        "USD",
        "placed",
    )


def test_an_orders_own_total_wins_over_the_recovered_carts(url: str, settings: Settings) -> None:
    placed = _order("order_789", cart_id="cart-before", total=99.5)
    recovered = cart_event(CART_RECOVERED, "cart-before", id="evt-recovered")
    record_events(url, settings, cart_event(CART_ABANDONED, "cart-before", id="evt-before"))

    record_events(url, settings, placed, recovered)

    [order] = _orders(url)
    assert order.total == Decimal("99.50")


def test_order_events_update_one_order_and_never_move_it_back(url: str, settings: Settings) -> None:
    events = [
        _order("order-1", "order_paid", total=None),  # the paid event came first, no total
        _order("order-1", "order_placed", timestamp="2024-01-09T08:00:00Z"),
        _order("order-1", "order_delivered", email=None, timestamp="2024-01-12T08:00:00Z"),
        _order("order-1", "order_fulfilled", email=None, timestamp="2024-01-11T08:00:00Z"),
    ]

    record_events(url, settings, *events)

    [order] = _orders(url)
    assert (order.status, order.total, order.placed_at.isoformat()) == (
        "delivered",
        Decimal("120.00"),
        "2024-01-09T08:00:00+00:00",
    )
    with session_scope(url) as session:
        jane = session.exec(select(models.Customer)).one()
    assert order.customer_id == jane.id


def test_an_order_without_email_belongs_to_its_carts_customer(url: str, settings: Settings) -> None:
    record_events(
        url,
        settings,
        cart_event(CART_ABANDONED, "cart-before", id="evt-before"),
        _order("order-1", email=None, cart_id="cart-before"),
    )

    [order] = _orders(url)
    with session_scope(url) as session:
        jane = session.exec(select(models.Customer)).one()
    assert order.customer_id == jane.id


def test_the_vip_tag_makes_a_customer_vip(url: str, settings: Settings) -> None:
    record_events(url, settings, cart_event(CART_ABANDONED, "cart-before", id="evt-before"))
    with session_scope(url) as session:
        jane = session.exec(select(models.Customer)).one()
        jane.tags = ["vip"]
        session.add(jane)

    customer = _customer_context(url, settings)

    assert (customer["segment"], customer["tags"], customer["order_count"]) == ("vip", ["vip"], 0)


@pytest.mark.parametrize(("second", "segment"), [("40.00", "repeat"), ("40.01", "vip")])
def test_spending_more_than_the_setting_makes_a_customer_vip(
    second: str, segment: str, url: str, settings: Settings
) -> None:
    settings = settings.model_copy(update={"vip_lifetime_spend": Decimal(100)})
    orders = [
        _order("order-1", cart_id="cart-a", total=60),
        _order("order-2", cart_id="cart-b", total=second),
    ]

    customer = _customer_context(url, settings, *orders)

    assert customer["segment"] == segment
    assert customer["lifetime_spend"] == {"USD": float(60 + Decimal(second))}


def test_a_guest_is_new(url: str, settings: Settings) -> None:
    install_automation(settings)
    with session_scope(url) as session:
        cart = models.Cart(id="guest-cart", total=Decimal(50))
        session.add(cart)
        session.flush()
        [enrolment] = enrolments.enrolments_for(
            session, settings, cart, "cart_abandoned", now=utcnow()
        )

    customer = enrolment.journey.context["customer"]
    assert (customer["segment"], customer["is_guest"], customer["order_count"]) == ("new", True, 0)


def test_a_trigger_filter_on_the_segment_selects_the_matching_automations(
    url: str, settings: Settings
) -> None:
    by_segment = {
        segment: install_automation(
            settings, {"field": "customer.segment", "op": "eq", "value": segment}
        )
        for segment in ("new", "repeat", "vip")
    }
    record_events(url, settings, _order("order-1", cart_id="cart-before"))

    enrolments = record_events(url, settings, _abandoned("cart-now"))

    assert [e.journey.automation_id for e in enrolments] == [by_segment["repeat"]]


def test_journey_conditions_read_the_segment_from_the_context(url: str, settings: Settings) -> None:
    install_automation(settings)
    record_events(url, settings, _order("order-1", cart_id="cart-before", total=5000))

    [enrolment] = record_events(url, settings, _abandoned("cart-now"))

    context = enrolment.journey.context
    assert evaluate(Leaf(field="customer.segment", op="eq", value="vip"), context)
    assert evaluate(Leaf(field="customer.lifetime_spend", op="gt", value=1000), context)


def test_the_context_carries_no_email(url: str, settings: Settings) -> None:
    install_automation(settings)
    record_events(url, settings, _order("order-1", cart_id="cart-before"))

    [enrolment] = record_events(url, settings, _abandoned("cart-now", email="jane.doe@x.org"))

    dumped = enrolment.journey.model_dump_json()
    assert "jane" not in dumped and "x.org" not in dumped


# -- time zones -----------------------------------------------------------------


def test_the_shop_time_zone_reaches_the_context(url: str, settings: Settings) -> None:
    settings = settings.model_copy(update={"shop_timezone": "Europe/Paris"})
    install_automation(settings)

    [enrolment] = record_events(url, settings, _abandoned("cart-now"))

    context = enrolment.journey.context
    assert context["shop"] == {"timezone": "Europe/Paris", "currency": "USD"}
    assert "timezone" not in context["customer"]
    assert str(resolve_timezone("customer", context)) == "Europe/Paris"


def test_the_shop_time_zone_is_utc_unless_set(url: str, settings: Settings) -> None:
    install_automation(settings)

    [enrolment] = record_events(url, settings, _abandoned("cart-now"))

    assert enrolment.journey.context["shop"] == {"timezone": "UTC", "currency": "USD"}


def test_the_customers_time_zone_is_kept_and_reaches_the_context(
    url: str, settings: Settings
) -> None:
    install_automation(settings)
    told = cart_event(CART_ABANDONED, "cart-before", id="evt-before")
    told["data"]["customer_timezone"] = "America/New_York"
    record_events(url, settings, told)

    [enrolment] = record_events(url, settings, _abandoned("cart-now"))  # sends no time zone

    context = enrolment.journey.context
    assert context["customer"]["timezone"] == "America/New_York"
    assert str(resolve_timezone("customer", context)) == "America/New_York"
    with session_scope(url) as session:
        assert session.exec(select(models.Customer.timezone)).one() == "America/New_York"


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", "../../etc/passwd"])
def test_an_unknown_customer_time_zone_is_refused(name: str) -> None:
    event = _abandoned("cart-now", customer_timezone=name)

    with pytest.raises(ValidationError) as refused:
        _event.validate_python(event)

    [error] = refused.value.errors()
    assert error["loc"][-2:] == ("data", "customer_timezone")


def test_an_unknown_shop_time_zone_is_refused() -> None:
    with pytest.raises(ValidationError, match="shop_timezone"):
        Settings(shop_timezone="Mars/Olympus_Mons")
