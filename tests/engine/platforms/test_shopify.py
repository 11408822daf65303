"""Shopify's webhook payloads as our events: the published samples, older API versions'
fields, and ids beyond what a float holds; its mandatory privacy webhooks as privacy
requests."""

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from engine.language.events import CartActivityEvent, OrderEvent
from engine.platforms import (
    CustomerDataRequest,
    CustomerRedaction,
    CustomerUpdate,
    PlatformEvent,
    ShopRedaction,
    UnmappablePayload,
)
from engine.platforms.shopify import PRIVACY_TOPICS, TOPICS, to_events

FIXTURES = Path(__file__).parents[2] / "fixtures" / "shopify"
BIG_ID = 2**60 + 1  # a float would round it to 2**60


def sample(topic: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads((FIXTURES / f"{topic.replace('/', '_')}.json").read_text())
    return payload


def cart(payload: dict[str, Any], topic: str = "checkouts/update") -> CartActivityEvent:
    [item] = to_events(topic, payload).events
    assert isinstance(item.event, CartActivityEvent)
    return item.event


def order(topic: str, payload: dict[str, Any]) -> tuple[OrderEvent, PlatformEvent]:
    [item] = to_events(topic, payload).events
    assert isinstance(item.event, OrderEvent)
    return item.event, item


@pytest.mark.parametrize("topic", ["checkouts/create", "checkouts/update"])
def test_a_published_checkout_is_a_cart_with_its_customer_items_and_recovery_link(
    topic: str,
) -> None:
    event = cart(sample(topic), topic)

    assert event.event == "cart_updated"
    assert event.timestamp == datetime(2022, 1, 1, 0, 0, tzinfo=UTC)  # its updated_at
    data = event.data
    assert (data.cart_id, data.customer_email) == ("123123123", "example@email.com")
    assert [(i.id, i.name, i.variant, i.quantity, i.price) for i in data.items] == [
        ("808950810", "IPod Nano - 8GB", "Pink", 1, Decimal("199.00")),
    ] * 2
    assert data.items[0].model_dump()["sku"] == "IPOD2008PINK"
    assert data.items[0].model_dump()["product_id"] == "632910392"
    assert (data.subtotal, data.tax, data.total, data.shipping) == (
        Decimal("398.00"), Decimal("23.88"), Decimal("421.88"), Decimal(0),
    )  # fmt: skip
    assert data.currency == "USD"
    assert data.recovery_url == (
        "https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token"
    )
    assert data.customer is not None
    assert (data.customer.first_name, data.customer.last_name) == ("John", "Smith")
    # A guest checkout: Shopify's customer record is `disabled` (no account).
    assert (data.customer.accepts_marketing, data.customer.registered) == (False, False)
    assert data.completed_at is None


def test_a_checkout_names_its_customer_from_the_addresses_when_the_customer_has_no_name() -> None:
    payload = sample("checkouts/create")
    del payload["customer"]
    assert cart(payload).data.customer.first_name == "Bob"  # type: ignore[union-attr]

    del payload["billing_address"]
    assert cart(payload).data.customer.last_name == "Shipper"  # type: ignore[union-attr]


def test_a_checkout_without_any_email_is_still_a_cart() -> None:
    payload = sample("checkouts/create")
    payload["email"] = None
    payload["customer"] = None

    data = cart(payload).data

    assert (data.cart_id, data.customer_email) == ("123123123", None)
    assert len(data.items) == 2


def test_the_email_may_come_only_with_the_customer() -> None:
    payload = sample("checkouts/create")
    del payload["email"]
    assert cart(payload).data.customer_email == "john@example.com"


def test_a_completed_checkout_says_so_and_newer_updates_are_newer_events() -> None:
    payload = sample("checkouts/update")
    payload["completed_at"] = "2022-01-01T10:00:00-05:00"
    payload["updated_at"] = "2022-01-01T10:00:01-05:00"

    event = cart(payload)

    assert event.data.completed_at == datetime(2022, 1, 1, 15, 0, tzinfo=UTC)
    assert event.timestamp == datetime(2022, 1, 1, 15, 0, 1, tzinfo=UTC)


def test_older_checkouts_map_too() -> None:
    """Prices as numbers, no presentment currency, no updated_at, consent on the customer,
    shipping lines, tags, an account, a locale."""
    payload = sample("checkouts/create")
    del payload["presentment_currency"], payload["updated_at"]
    payload["currency"] = "CAD"
    payload["total_price"], payload["subtotal_price"], payload["total_tax"] = 431.88, 398, "23.88"
    payload["shipping_lines"] = [{"title": "Standard", "price": "10.00"}]
    payload["buyer_accepts_marketing"] = False
    payload["customer_locale"] = "fr-CA"
    payload["customer"] |= {
        "accepts_marketing": True,
        "tags": "vip, newsletter,",
        "state": "enabled",
    }
    for line in payload["line_items"]:
        line["price"] = 199

    data = cart(payload).data

    assert (data.currency, data.total, data.subtotal, data.shipping) == (
        "CAD", Decimal("431.88"), Decimal(398), Decimal("10.00"),
    )  # fmt: skip
    assert data.items[0].price == Decimal(199)
    assert data.customer is not None
    assert data.customer.tags == ["vip", "newsletter"]
    assert (data.customer.accepts_marketing, data.customer.registered) == (True, True)
    assert data.customer.locale == "fr-CA"
    assert cart(payload).timestamp == datetime(2022, 1, 1, 0, 0, tzinfo=UTC)  # created_at


def test_the_presentment_currency_is_the_one_the_customer_saw() -> None:
    payload = sample("checkouts/create")
    payload["presentment_currency"] = "EUR"
    assert cart(payload).data.currency == "EUR"


def test_a_line_without_a_variant_is_named_by_its_product_then_by_its_key() -> None:
    payload = sample("checkouts/create")
    payload["line_items"][0]["variant_id"] = None
    payload["line_items"][1] |= {"variant_id": None, "product_id": None}

    assert [item.id for item in cart(payload).data.items] == [
        "632910392", "139cb5712fb4c8d9957dcfad9a3028da",
    ]  # fmt: skip


def test_a_checkout_without_a_token_cannot_be_mapped() -> None:
    payload = sample("checkouts/create")
    del payload["token"]
    with pytest.raises(UnmappablePayload, match="token"):
        to_events("checkouts/create", payload)


def test_a_value_our_events_refuse_is_a_validation_error() -> None:
    payload = sample("checkouts/create")
    payload["presentment_currency"] = "dollars"
    with pytest.raises(ValidationError, match="currency"):
        to_events("checkouts/create", payload)


@pytest.mark.parametrize(
    ("topic", "kind"),
    [("orders/create", "order_placed"), ("orders/paid", "order_paid"),
     ("orders/cancelled", "order_cancelled"), ("orders/fulfilled", "order_fulfilled")],
)  # fmt: skip
def test_a_published_order_is_an_order_event(topic: str, kind: str) -> None:
    event, item = order(topic, sample(topic))

    assert event.event == kind
    data = event.data
    assert data.order_id == "820982911946154508"  # beyond 2^53, exact
    assert (data.customer_email, data.total, data.currency) == (
        "jon@example.com", Decimal("404.95"), "USD",
    )  # fmt: skip
    assert data.items is not None
    assert [(i.id, i.name, i.price) for i in data.items][:2] == [
        ("788032119674292922", "Aviator sunglasses", Decimal("89.99")),
        ("789012345678901234", "Lens Protection Plan (2 Year)", Decimal("19.99")),
    ]
    assert data.discount_codes == []
    assert data.customer is not None
    assert (data.customer.first_name, data.customer.locale) == ("John", "en")
    assert data.customer.accepts_marketing is True
    assert item.cart_ids == ()  # the sample has neither a checkout nor a cart token
    assert event.timestamp == datetime(2022, 1, 1, 0, 0, tzinfo=UTC)


def test_an_order_names_the_carts_it_may_come_from_best_first() -> None:
    payload = sample("orders/create")
    payload["checkout_token"], payload["cart_token"] = "123123123", "eeafa272cebf"

    _, item = order("orders/create", payload)

    assert item.cart_ids == ("123123123", "eeafa272cebf")


def test_an_id_beyond_what_a_float_holds_stays_exact() -> None:
    body = json.dumps(sample("orders/paid") | {"id": BIG_ID}).encode()

    event, _ = order("orders/paid", json.loads(body))

    assert event.data.order_id == "1152921504606846977" == str(BIG_ID)


def test_an_id_that_went_through_a_float_is_refused() -> None:
    with pytest.raises(UnmappablePayload, match="id must be an integer or a string"):
        to_events("orders/paid", sample("orders/paid") | {"id": float(BIG_ID)})


def test_an_order_without_an_id_cannot_be_mapped() -> None:
    payload = sample("orders/create")
    del payload["id"]
    with pytest.raises(UnmappablePayload, match="no id"):
        to_events("orders/create", payload)


def test_an_order_tells_its_discount_codes_and_the_amount_the_customer_paid() -> None:
    payload = sample("orders/paid")
    payload["discount_codes"] = [{"code": "BACK10", "amount": "10.00", "type": "percentage"}]
    payload["currency"], payload["presentment_currency"] = "USD", "EUR"
    payload["total_price_set"]["presentment_money"] = {"amount": "371.20", "currency_code": "EUR"}

    data = order("orders/paid", payload)[0].data

    assert data.discount_codes == ["BACK10"]
    assert (data.total, data.currency) == (Decimal("371.20"), "EUR")


def test_an_older_order_without_amount_sets_or_email() -> None:
    payload = sample("orders/create")
    for field in [name for name in payload if name.endswith("_set")]:
        del payload[field]
    del payload["presentment_currency"], payload["email"], payload["contact_email"]
    payload["total_price"] = 404.95

    data = order("orders/create", payload)[0].data

    assert (data.total, data.currency) == (Decimal("404.95"), "USD")
    assert data.customer_email == "john@example.com"  # the customer's


def test_a_fulfilment_ships_lines_of_the_order_with_its_tracking() -> None:
    placed, _ = order("orders/create", sample("orders/create"))
    shipped, _ = order("fulfillments/create", sample("fulfillments/create"))

    assert shipped.event == "order_fulfilled"
    data = shipped.data
    assert data.order_id == placed.data.order_id
    assert data.lines is not None and placed.data.items is not None
    assert {line.item_id for line in data.lines} <= {item.id for item in placed.data.items}
    assert (data.tracking_number, data.tracking_company) == ("1z827wk74630", "UPS")
    assert data.tracking_url == (
        "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630"
    )


def test_a_partial_fulfilment_keeps_only_its_lines() -> None:
    payload = sample("fulfillments/create")
    payload["line_items"] = payload["line_items"][1:2]
    data = order("fulfillments/create", payload)[0].data
    assert [(line.item_id, line.quantity) for line in data.lines or []] == [
        ("789012345678901234", 1),
    ]


def test_newer_fulfilments_send_only_the_lists_of_tracking_numbers_and_urls() -> None:
    payload = sample("fulfillments/create")
    del payload["tracking_number"], payload["tracking_url"]
    payload["tracking_numbers"] = ["", "1Z999"]
    payload["tracking_urls"] = ["https://track.example.com/1Z999"]

    data = order("fulfillments/create", payload)[0].data

    assert (data.tracking_number, data.tracking_url) == ("1Z999", "https://track.example.com/1Z999")


def test_a_failed_fulfilment_shipped_nothing() -> None:
    payload = sample("fulfillments/create") | {"status": "cancelled"}
    mapped = to_events("fulfillments/create", payload)
    assert (mapped.known, mapped.events) == (True, [])


def test_a_fulfilled_order_takes_the_tracking_of_its_latest_fulfilment() -> None:
    payload = sample("orders/fulfilled")
    payload["fulfillments"] = [
        {"id": 1, "created_at": "2022-01-02T09:00:00Z", "tracking_number": "OLD"},
        {"id": 2, "created_at": "2022-01-03T09:00:00Z", "tracking_numbers": ["NEW"],
         "tracking_company": "DHL", "tracking_urls": ["https://dhl.example.com/NEW"]},
    ]  # fmt: skip

    event, _ = order("orders/fulfilled", payload)

    assert (event.data.tracking_number, event.data.tracking_company) == ("NEW", "DHL")
    assert event.data.lines is None  # the whole order
    assert event.timestamp == datetime(2022, 1, 3, 9, 0, tzinfo=UTC)


def test_a_published_customer_update_is_kept_for_its_email() -> None:
    mapped = to_events("customers/update", sample("customers/update"))

    assert mapped.events == []
    [update] = mapped.customers
    assert isinstance(update, CustomerUpdate)
    assert update.email == "bob@biller.com"
    assert (update.facts.first_name, update.facts.last_name) == ("Bob", "Biller")
    assert update.facts.registered is False  # `disabled`: no account


@pytest.mark.parametrize(
    ("consent", "accepts"),
    [({"email_marketing_consent": {"state": "subscribed", "opt_in_level": "single_opt_in"}}, True),
     ({"email_marketing_consent": {"state": "unsubscribed"}, "accepts_marketing": True}, False),
     ({"accepts_marketing": True}, True),
     ({"accepts_marketing": False}, False),
     ({}, None)],
)  # fmt: skip
def test_a_customers_consent_in_either_api_version(consent: dict[str, Any], accepts: bool) -> None:
    payload = sample("customers/update") | consent | {"tags": "vip,wholesale", "state": "enabled"}

    [update] = to_events("customers/create", payload).customers

    assert update.facts.accepts_marketing is accepts
    assert (update.facts.tags, update.facts.registered) == (["vip", "wholesale"], True)


def test_a_customer_without_an_email_is_nothing_to_do() -> None:
    mapped = to_events("customers/update", sample("customers/update") | {"email": None})
    assert (mapped.known, mapped.events, mapped.customers) == (True, [], [])


def test_a_customer_with_a_broken_email_is_refused() -> None:
    with pytest.raises(ValidationError):
        to_events("customers/update", sample("customers/update") | {"email": "not an email"})


def test_a_topic_we_do_not_map_is_unknown_and_topics_are_case_insensitive() -> None:
    assert to_events("products/update", {"id": 1}).known is False
    assert to_events("Orders/Create", sample("orders/create")).events


def test_every_topic_we_subscribe_to_maps() -> None:
    payloads = {"checkouts": "checkouts/create", "orders": "orders/create",
                "fulfillments": "fulfillments/create", "customers": "customers/update"}  # fmt: skip
    for topic in TOPICS:
        payload = copy.deepcopy(sample(payloads[topic.split("/")[0]]))
        assert to_events(topic, payload).known, topic


# -- the mandatory privacy topics ---------------------------------------------------------


def test_a_published_data_request_is_the_customers_address_request_id_and_orders() -> None:
    mapped = to_events("customers/data_request", sample("customers/data_request"))

    assert (mapped.known, mapped.events, mapped.customers) == (True, [], [])
    assert mapped.privacy == CustomerDataRequest(
        email="john@example.com", request_id="9999", orders=("299938", "280263", "220458")
    )


def test_a_published_customer_redaction_names_the_address_and_its_orders() -> None:
    mapped = to_events("customers/redact", sample("customers/redact"))

    assert (mapped.known, mapped.events, mapped.customers) == (True, [], [])
    assert mapped.privacy == CustomerRedaction(
        email="john@example.com", orders=("299938", "280263", "220458")
    )


def test_a_published_shop_redaction_names_the_shop() -> None:
    mapped = to_events("shop/redact", sample("shop/redact"))

    assert (mapped.known, mapped.events, mapped.customers) == (True, [], [])
    assert mapped.privacy == ShopRedaction(shop_domain="{shop}.myshopify.com")


def test_privacy_requests_keep_big_ids_exact_and_lower_the_address() -> None:
    payload = sample("customers/data_request")
    payload["customer"]["email"] = "  John@Example.COM "
    payload |= {"orders_requested": [BIG_ID, str(BIG_ID + 1)], "data_request": {"id": BIG_ID}}

    request = to_events("Customers/Data_Request", payload).privacy

    assert request == CustomerDataRequest(
        email="john@example.com", request_id=str(BIG_ID), orders=(str(BIG_ID), str(BIG_ID + 1))
    )


def test_a_privacy_request_without_orders_or_request_id_still_maps() -> None:
    payload = sample("customers/data_request")
    del payload["orders_requested"], payload["data_request"]
    assert to_events("customers/data_request", payload).privacy == CustomerDataRequest(
        email="john@example.com"
    )
    assert to_events("shop/redact", {}).privacy == ShopRedaction(shop_domain=None)


@pytest.mark.parametrize("topic", ["customers/data_request", "customers/redact"])
def test_a_privacy_request_without_an_email_is_refused_without_naming_the_customer(
    topic: str,
) -> None:
    payload = sample(topic)
    del payload["customer"]["email"]

    with pytest.raises(UnmappablePayload, match="no customer email") as refused:
        to_events(topic, payload)

    assert "555-625-1199" not in str(refused.value)
    assert "191167" not in str(refused.value)


def test_the_privacy_topics_are_not_subscribed_through_the_admin_api() -> None:
    assert not set(PRIVACY_TOPICS) & set(TOPICS)
