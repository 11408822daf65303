"""Order events on a real database: they keep the order's status (fulfilled in part or whole,
cancelled), start post-purchase journeys with the order as subject, and tell the journeys of
the order and of its cart."""

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import select

from engine.language.contracts import journey_id
from engine.runtime.settings import Settings
from engine.service import automations
from engine.service.effects import Enrol, SignalJourneys
from engine.store import models
from engine.store.db import session_scope
from tests.engine.service.support import install_automation, record_events
from tests.support import CART_ABANDONED, cart_event

ITEMS = [{"id": "prod_a", "quantity": 2}, {"id": "prod_b", "quantity": 1}]


def _order(kind: str, order_id: str = "order-1", at: str = "2024-01-15T10:00:00Z",
           **data: Any) -> dict[str, Any]:  # fmt: skip
    body = {"order_id": order_id, "customer_email": "jane@example.com", "total": 120} | data
    return {"event": kind, "timestamp": at, "id": f"evt-{kind}-{order_id}-{at}", "data": body}


def _post_purchase(url: str, trigger: str, filters: dict[str, Any] | None = None,
                   name: str = "Thanks") -> str:  # fmt: skip
    definition = {
        "name": name,
        "trigger": {"event": trigger, **({"filters": filters} if filters else {})},
        "exit_on": ["unsubscribed"],
        "steps": [{"id": "thanks", "type": "action", "action": "send_email",
                   "params": {"template": "order-confirmation"}}],
    }  # fmt: skip
    with session_scope(url) as session:
        created, _ = automations.create_published(session, name, definition, active=True)
        return created.id


def _enrolments(effects: list[Any]) -> list[Any]:
    return [effect.journey for effect in effects if isinstance(effect, Enrol)]


def _signalled(effects: list[Any]) -> list[str]:
    return [
        workflow_id
        for effect in effects
        if isinstance(effect, SignalJourneys)
        for workflow_id in effect.workflow_ids
    ]


def _stored_order(url: str, order_id: str = "order-1") -> models.Order:
    with session_scope(url) as session:
        order = session.get(models.Order, order_id)
        assert order is not None
        return order


def test_a_paid_order_starts_a_journey_with_the_order_as_subject(
    url: str, settings: Settings
) -> None:
    automation_id = _post_purchase(url, "order_paid")

    effects = record_events(url, settings, _order("order_paid", cart_id="cart-9", items=ITEMS))

    [journey] = _enrolments(effects)
    assert journey.automation_id == automation_id
    assert (journey.subject_id, journey.order_id, journey.cart_id) == (
        "order-1",
        "order-1",
        "cart-9",
    )
    assert journey.customer_id is not None
    assert journey.context["order"] == {
        "id": "order-1",
        "total": 120.0,
        "currency": "USD",
        "status": "paid",
        "item_count": 3,
    }
    assert journey.context["event"] == {"type": "order_paid"}
    assert "jane@example.com" not in str(journey.context), "no personal data into Temporal"
    assert journey_id(automation_id, "order-1") == f"journey:{automation_id}:order-1"


def test_filters_read_the_order(url: str, settings: Settings) -> None:
    big = _post_purchase(url, "order_paid", {"field": "order.total", "op": "gte", "value": 100},
                         name="Big orders")  # fmt: skip
    _post_purchase(url, "order_paid", {"field": "order.item_count", "op": "gt", "value": 5},
                   name="Many items")  # fmt: skip

    effects = record_events(url, settings, _order("order_paid", items=ITEMS))

    assert [journey.automation_id for journey in _enrolments(effects)] == [big]


def test_an_order_enters_an_automation_once(url: str, settings: Settings) -> None:
    _post_purchase(url, "order_paid")

    first = record_events(url, settings, _order("order_paid"))
    again = record_events(url, settings, _order("order_paid", at="2024-01-15T11:00:00Z"))

    assert len(_enrolments(first)) == 1
    assert _enrolments(again) == []
    with session_scope(url) as session:
        assert len(session.exec(select(models.Enrolment)).all()) == 1


def test_only_the_triggering_type_enrols(url: str, settings: Settings) -> None:
    _post_purchase(url, "order_delivered")

    placed = record_events(url, settings, _order("order_placed"))
    delivered = record_events(url, settings, _order("order_delivered", at="2024-01-18T10:00:00Z"))

    assert _enrolments(placed) == []
    assert [journey.context["order"]["status"] for journey in _enrolments(delivered)] == [
        "delivered"
    ]


def test_a_later_event_of_the_order_reaches_its_journeys(url: str, settings: Settings) -> None:
    automation_id = _post_purchase(url, "order_paid")
    record_events(url, settings, _order("order_paid"))

    effects = record_events(url, settings, _order("order_cancelled", at="2024-01-16T10:00:00Z"))

    assert _signalled(effects) == [journey_id(automation_id, "order-1")]
    assert [effect.signal.event for effect in effects] == ["order_cancelled"]


def test_the_trigger_does_not_reach_the_journey_it_starts(url: str, settings: Settings) -> None:
    automation_id = _post_purchase(url, "order_paid")

    effects = record_events(url, settings, _order("order_paid"))

    assert journey_id(automation_id, "order-1") not in _signalled(effects)
    assert isinstance(effects[-1], Enrol), "signals first, then the starts"


def test_order_events_still_tell_the_carts_journeys(url: str, settings: Settings) -> None:
    cart_automation = install_automation(settings)

    effects = record_events(url, settings, _order("order_placed", cart_id="cart-7"))

    assert journey_id(cart_automation, "cart-7") in _signalled(effects)


@pytest.mark.parametrize("first", ["order_cancelled", "order_paid"])
def test_a_cancelled_order_starts_nothing_whatever_the_order_of_events(
    url: str, settings: Settings, first: str
) -> None:
    _post_purchase(url, "order_paid")
    _post_purchase(url, "order_delivered", name="Review")
    cancelled = _order("order_cancelled", at="2024-01-15T12:00:00Z")
    paid = _order("order_paid", at="2024-01-15T10:00:00Z")  # sent before the cancel, late

    in_order = [cancelled, paid] if first == "order_cancelled" else [paid, cancelled]
    record_events(url, settings, *in_order)
    delivered = record_events(url, settings, _order("order_delivered", at="2024-01-18T10:00:00Z"))

    assert _stored_order(url).status == "cancelled", "a cancelled order stays cancelled"
    assert _enrolments(delivered) == []
    with session_scope(url) as session:
        entered = len(session.exec(select(models.Enrolment)).all())
    assert entered == (0 if first == "order_cancelled" else 1)


def test_lines_fulfilled_in_parts_make_the_order_partially_then_wholly_fulfilled(
    url: str, settings: Settings
) -> None:
    whole = _post_purchase(
        url, "order_fulfilled", {"field": "order.partial", "op": "eq", "value": False}, name="Whole"
    )
    any_shipment = _post_purchase(url, "order_fulfilled", name="Any")  # fmt: skip
    record_events(url, settings, _order("order_paid", items=ITEMS))

    first = record_events(url, settings, _order("order_fulfilled", at="2024-01-16T10:00:00Z",
                                        lines=[{"item_id": "prod_a", "quantity": 2}]))  # fmt: skip
    assert _stored_order(url).status == "partially_fulfilled"
    [journey] = _enrolments(first)
    assert journey.automation_id == any_shipment
    assert journey.context["order"]["partial"] is True

    second = record_events(url, settings, _order("order_fulfilled", at="2024-01-17T10:00:00Z",
                                         lines=[{"item_id": "prod_b"}]))  # fmt: skip
    assert _stored_order(url).status == "fulfilled"
    [journey] = _enrolments(second)
    assert (journey.automation_id, journey.context["order"]["partial"]) == (whole, False)


def test_the_shop_may_say_whether_a_fulfilment_was_partial(url: str, settings: Settings) -> None:
    record_events(url, settings, _order("order_fulfilled", partial=True, lines=[{"item_id": "x"}]))
    assert _stored_order(url).status == "partially_fulfilled"

    fulfilled = _order("order_fulfilled", at="2024-01-16T10:00:00Z", partial=False)
    record_events(url, settings, fulfilled)
    assert _stored_order(url).status == "fulfilled"


def test_a_fulfilment_without_lines_fulfils_the_whole_order(url: str, settings: Settings) -> None:
    record_events(url, settings, _order("order_paid", items=ITEMS))

    record_events(url, settings, _order("order_fulfilled", at="2024-01-16T10:00:00Z"))

    assert _stored_order(url).status == "fulfilled"


def test_partial_fulfilment_never_moves_a_delivered_order_back(
    url: str, settings: Settings
) -> None:
    record_events(
        url,
        settings,
        _order("order_delivered", at="2024-01-18T10:00:00Z"),
        _order("order_fulfilled", at="2024-01-16T10:00:00Z", partial=True),
    )

    assert _stored_order(url).status == "delivered"


def test_the_item_count_comes_from_the_cart_when_the_order_has_no_items(
    url: str, settings: Settings
) -> None:
    _post_purchase(url, "order_paid")
    cart = cart_event(CART_ABANDONED, "cart-5", id="evt-cart-5")  # 1 + 2 items
    record_events(url, settings, cart)

    [journey] = _enrolments(record_events(url, settings, _order("order_paid", cart_id="cart-5")))

    assert journey.context["order"]["item_count"] == 3
    assert journey.context["cart"]["id"] == "cart-5"


def test_cancelled_orders_do_not_make_a_customer_repeat(url: str, settings: Settings) -> None:
    install_automation(settings)
    record_events(
        url,
        settings,
        _order("order_placed", "order-old", total=2000),
        _order("order_cancelled", "order-old", at="2024-01-15T11:00:00Z"),
    )

    [journey] = _enrolments(
        record_events(url, settings, cart_event(CART_ABANDONED, "cart-now", id="evt-now"))
    )

    customer = journey.context["customer"]
    assert (customer["segment"], customer["order_count"], customer["lifetime_spend"]) == (
        "new",
        0,
        {},
    )


def test_the_orders_own_total_is_not_its_customers_history(url: str, settings: Settings) -> None:
    _post_purchase(url, "order_paid")
    record_events(url, settings, _order("order_placed", "order-before", total=50))

    [journey] = _enrolments(record_events(url, settings, _order("order_paid", total=70)))

    customer = journey.context["customer"]
    assert (customer["segment"], customer["order_count"], customer["lifetime_spend"]) == (
        "repeat",
        1,
        {"USD": 50.0},
    )


def test_an_order_without_a_known_customer_is_a_guests(url: str, settings: Settings) -> None:
    _post_purchase(url, "order_paid")

    [journey] = _enrolments(record_events(url, settings, _order("order_paid", customer_email=None)))

    assert journey.customer_id is None
    assert journey.context["customer"]["is_guest"] is True


def test_when_the_cooldown_holds_a_customer_back(url: str, settings: Settings) -> None:
    definition = {
        "name": "Thanks, once a month",
        "trigger": {"event": "order_paid"},
        "exit_on": ["unsubscribed"],
        "settings": {"reentry_cooldown": "30d"},
        "steps": [{"id": "thanks", "type": "action", "action": "send_email",
                   "params": {"template": "order-confirmation"}}],
    }  # fmt: skip
    with session_scope(url) as session:
        automations.create_published(session, "Thanks", definition, active=True)

    first = record_events(url, settings, _order("order_paid", "order-1"))
    second = record_events(url, settings, _order("order_paid", "order-2"))

    assert (len(_enrolments(first)), len(_enrolments(second))) == (1, 0)


def test_order_timestamps_keep_the_earliest_as_placed(url: str, settings: Settings) -> None:
    record_events(
        url,
        settings,
        _order("order_paid", at="2024-01-15T10:00:00Z"),
        _order("order_placed", at="2024-01-15T09:00:00Z"),
    )

    assert _stored_order(url).placed_at == datetime(2024, 1, 15, 9, tzinfo=UTC)
