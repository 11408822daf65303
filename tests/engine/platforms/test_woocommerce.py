"""WooCommerce order payloads as our events: what each status means for the shop's carts."""

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from engine.language.events import OrderEvent
from engine.platforms import UnmappablePayload, woocommerce

FIXTURES = Path(__file__).parents[2] / "fixtures" / "woocommerce"


def _order(name: str = "order.json", **changes: Any) -> dict[str, Any]:
    """A published sample order (tests/fixtures/woocommerce), with `changes` (derived)."""
    order: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return copy.deepcopy(order) | changes


def _events(payload: dict[str, Any], topic: str = "order.updated") -> list[OrderEvent]:
    mapped = woocommerce.to_events(topic, payload)
    assert mapped.known
    events = [item.event for item in mapped.events]
    assert all(isinstance(event, OrderEvent) for event in events)
    return [event for event in events if isinstance(event, OrderEvent)]


@pytest.mark.parametrize(
    ("status", "steps"),
    [
        ("pending", []),  # sent to the payment page: the cart's reminders go on
        ("failed", []),  # may still be paid: never cancelled for good
        ("on-hold", ["order_placed"]),  # bank transfer, cheque: bought, to be paid
        ("processing", ["order_placed", "order_paid"]),
        ("completed", ["order_placed", "order_paid", "order_fulfilled"]),
        ("cancelled", ["order_cancelled"]),
        ("refunded", ["order_cancelled"]),
        ("checkout-draft", []),  # the block checkout's draft reaches order.updated
        ("trash", []),
        ("shipped-by-plugin", []),
    ],
)
@pytest.mark.parametrize("topic", ["order.created", "order.updated"])
def test_each_status_stands_for_the_steps_the_order_passed(
    status: str, steps: list[str], topic: str
) -> None:
    events = _events(_order(status=status), topic)

    assert [event.event for event in events] == steps
    assert [event.id for event in events] == [f"woocommerce_order_727:{step}" for step in steps]


def test_the_published_processing_order_as_our_events() -> None:
    placed, paid = _events(_order())

    assert placed.timestamp == datetime(2017, 3, 22, 19, 28, 2, tzinfo=UTC)  # date_created_gmt
    assert paid.timestamp == datetime(2017, 3, 22, 19, 28, 8, tzinfo=UTC)  # date_paid_gmt
    data = paid.data
    assert (data.order_id, data.customer_email) == ("727", "john.doe@example.com")
    assert (data.total, data.currency) == (Decimal("29.35"), "USD")
    assert data.items is not None
    assert [(i.id, i.quantity, i.name, i.price) for i in data.items] == [
        ("93", 2, "Woo Single #1", Decimal("3.00")),
        ("23", 1, "Ship Your Idea – Color: Black, Size: M Test", Decimal("12.00")),  # variation
    ]
    assert data.customer is not None
    assert (data.customer.first_name, data.customer.last_name) == ("John", "Doe")
    assert data.customer.registered is False  # customer_id 0: a guest
    assert data.discount_codes is None
    assert data.cart_id is None  # the intake links it


def test_a_checkout_order_names_its_cart_by_hash_and_a_registered_customer() -> None:
    mapped = woocommerce.to_events("order.updated", _order("order-723.json"))

    assert [item.cart_ids for item in mapped.events] == [("5040ce7273261e31d8bcf79f9be3d279",)] * 3
    placed, paid, fulfilled = [item.event for item in mapped.events]
    assert isinstance(fulfilled, OrderEvent) and fulfilled.data.customer is not None
    assert fulfilled.data.customer.registered is True  # customer_id 26
    assert fulfilled.data.customer.first_name == "João"
    assert fulfilled.timestamp == datetime(2017, 3, 21, 19, 54, 51, tzinfo=UTC)  # completed
    # Paid by bank transfer and never marked paid (`date_paid_gmt` null): dated as modified.
    assert paid.timestamp == fulfilled.timestamp
    assert placed.timestamp == datetime(2017, 3, 21, 19, 16, tzinfo=UTC)


def test_an_order_without_a_cart_hash_names_no_cart() -> None:
    mapped = woocommerce.to_events("order.created", _order(cart_hash=""))

    assert all(item.cart_ids == () for item in mapped.events)


def test_coupon_codes_come_as_the_orders_discount_codes() -> None:
    # Derived: the sample with two coupon lines, as WooCommerce writes codes (lower case).
    coupons = [
        {"id": 320, "code": "save10-abc123", "discount": "2.90", "discount_tax": "0.00",
         "meta_data": []},
        {"id": 321, "code": "freeship", "discount": "0.00", "discount_tax": "0.00",
         "meta_data": []},
    ]  # fmt: skip
    [placed, _paid] = _events(_order(coupon_lines=coupons))

    assert placed.data.discount_codes == ["save10-abc123", "freeship"]


@pytest.mark.parametrize(
    "topic", ["product.updated", "coupon.created", "customer.updated", "order.deleted",
              "action.woocommerce_add_to_cart", ""],
)  # fmt: skip
def test_topics_other_than_orders_created_or_updated_are_not_mapped(topic: str) -> None:
    assert woocommerce.to_events(topic, _order()).known is False


def test_an_order_made_in_the_admin_without_an_email_still_counts() -> None:
    billing = _order()["billing"] | {"email": "", "first_name": ""}
    [placed, _paid] = _events(_order(billing=billing, cart_hash=""))

    assert placed.data.customer_email is None
    assert placed.data.customer is not None and placed.data.customer.first_name is None


def test_a_line_price_that_is_not_whole_cents_is_rounded() -> None:
    # Derived: WooCommerce's line price is the line total over the quantity (10.00 / 3).
    line = _order()["line_items"][0] | {"quantity": 3, "total": "10.00", "price": 3.3333333333}
    [placed, _paid] = _events(_order(line_items=[line]))

    assert placed.data.items is not None
    assert placed.data.items[0].price == Decimal("3.33")


def test_an_event_is_dated_by_the_order_when_its_step_has_no_date() -> None:
    order = _order(status="cancelled")
    del order["date_modified_gmt"]

    [cancelled] = _events(order)

    assert cancelled.timestamp == datetime(2017, 3, 22, 19, 28, 2, tzinfo=UTC)  # created


def test_an_order_without_dates_or_id_does_not_map() -> None:
    undated = {k: v for k, v in _order().items() if not k.startswith("date_")}
    with pytest.raises(UnmappablePayload, match="date"):
        woocommerce.to_events("order.updated", undated)
    with pytest.raises(UnmappablePayload, match="id"):
        woocommerce.to_events("order.updated", _order(id=None))


def test_the_rest_apis_error_sent_instead_of_the_order_is_named() -> None:
    """A webhook whose WordPress user may not read orders delivers the REST API's error."""
    error = {"code": "woocommerce_rest_cannot_view", "message": "Sorry, you cannot view this "
             "resource.", "data": {"status": 401}}  # fmt: skip

    with pytest.raises(UnmappablePayload, match="woocommerce_rest_cannot_view"):
        woocommerce.to_events("order.updated", error)


def test_the_delivery_key_tells_deliveries_of_the_same_second_apart() -> None:
    """WooCommerce's delivery id is a hash of the webhook id and the current second."""
    same_second = "2a5b4c6d8e0f1a2b3c4d5e6f7a8b9c0d"

    first = woocommerce.delivery_id(same_second, b'{"id":727}')
    second = woocommerce.delivery_id(same_second, b'{"id":728}')

    assert first is not None and second is not None and first != second
    assert woocommerce.delivery_id(same_second, b'{"id":727}') == first  # sent again
    assert woocommerce.delivery_id(None, b"{}") is None
