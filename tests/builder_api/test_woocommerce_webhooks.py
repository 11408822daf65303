"""WooCommerce's order webhooks end to end: signed as WooCommerce signs them, mapped, linked
to the carts the storefront snippet reported, stopping their reminders."""

import base64
import copy
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlmodel import select

from engine.runtime.settings import Settings
from engine.store.db import session_scope
from engine.store.models import Cart, DiscountCode, Event, Order, PlatformDelivery
from tests.builder_api.conftest import Api
from tests.support import automation, eventually

SECRET = "Jq#8v]x!R2zP@wL{"  # as WooCommerce generates them: any printable
URL = "/api/v1/integrations/woocommerce/webhooks"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "woocommerce"
CART_HASH = "5040ce7273261e31d8bcf79f9be3d279"
BUYER = "john.doe@example.com"
ABANDONED_AT = datetime(2024, 1, 15, 14, 0, tzinfo=UTC)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"woocommerce_webhook_secret": SecretStr(SECRET)})


def _sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _wire(payload: dict[str, Any]) -> bytes:
    """As WordPress's wp_json_encode sends it: compact, `/` escaped, non-ASCII as \\uXXXX."""
    return json.dumps(payload, separators=(",", ":")).replace("/", "\\/").encode()


def _wc_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


PLACED = ABANDONED_AT + timedelta(hours=2)


def _order(status: str = "processing", *, cart_hash: str = CART_HASH,
           placed: datetime = PLACED, **changes: Any) -> bytes:  # fmt: skip
    """Derived from the published sample order 727: this status, cart hash and dates."""
    order = json.loads((FIXTURES / "order.json").read_text(encoding="utf-8"))
    order = copy.deepcopy(order) | {
        "status": status,
        "cart_hash": cart_hash,
        "date_created_gmt": _wc_time(placed),
        "date_paid_gmt": _wc_time(placed + timedelta(seconds=6)),
        "date_modified_gmt": _wc_time(placed + timedelta(seconds=6)),
    }
    return _wire(order | changes)


async def _deliver(api: Api, body: bytes, *, topic: str = "order.updated",
                   delivery: str = "d41d8cd98f00b204e9800998ecf8427e",
                   signature: str | None = "sign") -> httpx.Response:  # fmt: skip
    """A POST as WooCommerce makes it: its headers, and no bearer token."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "WooCommerce/9.8.5 Hookshot (WordPress/6.8.1)",
        "X-WC-Webhook-Source": "https://shop.example.com/",
        "X-WC-Webhook-Topic": topic,
        "X-WC-Webhook-Resource": topic.partition(".")[0],
        "X-WC-Webhook-Event": topic.partition(".")[2],
        "X-WC-Webhook-ID": "12",
        "X-WC-Webhook-Delivery-ID": delivery,
    }
    if signature is not None:
        headers["X-WC-Webhook-Signature"] = _sign(body) if signature == "sign" else signature
    request = api.http.build_request("POST", URL, content=body, headers=headers)
    del request.headers["Authorization"]
    return await api.http.send(request)


async def _send(api: Api, event: dict[str, Any]) -> None:
    response = await api.http.post("/api/v1/events", json=event)
    assert response.status_code == 202, response.text


async def _abandoned_cart(api: Api, cart_id: str, email: str = BUYER,
                          abandoned_at: datetime = ABANDONED_AT) -> str:  # fmt: skip
    """A cart as the storefront snippet reports it (`cart_updated` under WooCommerce's cart
    hash), then abandoned, with a journey waiting an hour before its reminder; its
    automation's id."""
    automation_id = await api.create_automation(automation(wait="1h"))
    item = {"id": "93", "name": "Woo Single #1", "price": 3, "quantity": 2}
    data = {"cart_id": cart_id, "customer_email": email, "currency": "USD", "total": 29.35,
            "items": [item]}  # fmt: skip
    await _send(api, {"event": "cart_updated", "data": data,
                      "timestamp": (abandoned_at - timedelta(minutes=30)).isoformat()})  # fmt: skip
    await _send(api, {"event": "cart_abandoned", "timestamp": abandoned_at.isoformat(),
                      "data": data | {"abandoned_at": abandoned_at.isoformat()}})  # fmt: skip
    await eventually(
        lambda: api.journeys(cart_id, automation_id),
        lambda js: len(js) == 1 and js[0]["status"] == "running",
    )
    return automation_id


def _rows(api: Api, table: type[Any]) -> list[Any]:
    with session_scope(api.settings.resolved_database_url) as session:
        rows = list(session.exec(select(table)).all())
        session.expunge_all()
        return rows


async def test_the_creation_ping_is_answered_and_stores_nothing(api: Api) -> None:
    request = api.http.build_request(
        "POST", URL, content=b"webhook_id=12",
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "User-Agent": "WooCommerce/9.8.5 Hookshot (WordPress/6.8.1)"},
    )  # fmt: skip
    del request.headers["Authorization"]

    response = await api.http.send(request)

    assert response.status_code == 200, response.text
    assert response.json()["result"] == "ping"
    assert _rows(api, Event) == [] and _rows(api, PlatformDelivery) == []


@pytest.mark.parametrize(
    "signature",
    [None, "", _sign(b"another body"), _sign(b"x", secret="not the secret")],
    ids=["missing", "empty", "of-another-body", "other-secret"],
)
async def test_a_bad_or_missing_signature_is_refused_and_stores_nothing(
    api: Api, signature: str | None
) -> None:
    response = await _deliver(api, _order(), signature=signature)

    assert response.status_code == 401, response.text
    assert "X-WC-Webhook-Signature" in response.text
    assert _rows(api, Event) == [] and _rows(api, PlatformDelivery) == []


async def test_a_ping_shaped_body_with_a_signature_is_not_a_ping(api: Api) -> None:
    response = await _deliver(api, b"webhook_id=12", signature="forged")

    assert response.status_code == 401


async def test_an_order_of_the_carts_hash_stops_its_reminders_as_a_purchase(api: Api) -> None:
    automation_id = await _abandoned_cart(api, CART_HASH)

    response = await _deliver(api, _order("processing"), topic="order.created")

    assert response.status_code == 200, response.text
    assert response.json()["result"] == "applied"
    assert response.json()["events"] == [
        "woocommerce_order_727:order_placed", "woocommerce_order_727:order_paid"]  # fmt: skip
    done = await eventually(
        lambda: api.journeys(CART_HASH, automation_id), lambda js: js[0]["status"] != "running"
    )
    assert [(j["status"], j["outcome"]) for j in done] == [("completed", "purchased")]
    assert await api.outbox(BUYER) == []
    [cart] = _rows(api, Cart)
    assert (cart.status, cart.order_id) == ("recovered", "727")
    [order] = _rows(api, Order)
    assert (order.status, order.cart_id, str(order.total)) == ("paid", CART_HASH, "29.35")


async def test_an_order_links_by_billing_email_to_a_cart_abandoned_within_the_window(
    api: Api,
) -> None:
    # The customer changed the cart after the snippet last reported it: another hash.
    automation_id = await _abandoned_cart(api, "cart-hash-before-a-change")

    response = await _deliver(api, _order("on-hold", cart_hash="0b3e9f6a" * 4))

    assert response.json()["result"] == "applied", response.text
    done = await eventually(
        lambda: api.journeys("cart-hash-before-a-change", automation_id),
        lambda js: js[0]["status"] != "running",
    )
    assert done[0]["outcome"] == "purchased"
    [cart] = _rows(api, Cart)
    assert (cart.status, cart.order_id) == ("recovered", "727")


async def test_a_cart_abandoned_before_the_window_is_not_the_orders(api: Api) -> None:
    await _abandoned_cart(api, "an-old-cart")
    eight_days_later = ABANDONED_AT + timedelta(days=8)  # the window is 7 days

    response = await _deliver(api, _order(cart_hash="", placed=eight_days_later))

    assert response.json()["result"] == "applied", response.text
    [cart] = _rows(api, Cart)
    assert cart.status == "abandoned"
    [order] = _rows(api, Order)
    assert order.cart_id is None


async def test_a_pending_order_leaves_the_reminders_running(api: Api) -> None:
    """Sent to the payment page and not back: the cart is still the one to win back."""
    await _abandoned_cart(api, CART_HASH)

    response = await _deliver(api, _order("pending"))

    assert (response.json()["result"], response.json()["detail"]) == ("applied", "nothing to do")
    [cart] = _rows(api, Cart)
    assert cart.status == "abandoned"
    assert _rows(api, Order) == []


async def test_a_repeated_delivery_applies_once(api: Api) -> None:
    body = _order("processing")

    first = await _deliver(api, body, delivery="8d7f8a6b5c4d3e2f1a0b9c8d7e6f5a4b")
    again = await _deliver(api, body, delivery="8d7f8a6b5c4d3e2f1a0b9c8d7e6f5a4b")

    assert (first.json()["result"], again.json()["result"]) == ("applied", "duplicate")
    assert sorted(e.type for e in _rows(api, Event)) == ["order_paid", "order_placed"]
    [delivery] = _rows(api, PlatformDelivery)
    assert (delivery.times_received, delivery.result) == (
        2,
        "applied",
    )  # the row keeps what the first one did


async def test_later_updates_of_an_order_apply_only_its_new_steps(api: Api) -> None:
    paid = await _deliver(api, _order("processing"), delivery="a" * 32)
    completed = await _deliver(api, _order("completed", date_completed_gmt="2024-01-17T09:00:00"),
                               delivery="b" * 32)  # fmt: skip
    noted = await _deliver(api, _order("completed", customer_note="Leave at the door"),
                           delivery="c" * 32)  # fmt: skip

    assert paid.json()["result"] == "applied"
    assert completed.json()["events"] == [
        "woocommerce_order_727:order_placed", "woocommerce_order_727:order_paid",
        "woocommerce_order_727:order_fulfilled"]  # fmt: skip
    assert noted.json()["result"] == "duplicate"  # nothing new happened to the order
    assert sorted(e.type for e in _rows(api, Event)) == [
        "order_fulfilled", "order_paid", "order_placed"]  # fmt: skip
    [order] = _rows(api, Order)
    assert order.status == "fulfilled"
    assert len(_rows(api, PlatformDelivery)) == 3


async def test_two_orders_delivered_in_the_same_second_both_apply(api: Api) -> None:
    """WooCommerce's delivery id is a hash of the webhook's id and the current second."""
    same_second = "5f4dcc3b5aa765d61d8327deb882cf99"

    first = await _deliver(api, _order(), delivery=same_second)
    second = await _deliver(api, _order(id=728, number="728"), delivery=same_second)

    assert (first.json()["result"], second.json()["result"]) == ("applied", "applied")
    assert sorted(order.id for order in _rows(api, Order)) == ["727", "728"]
    assert len(_rows(api, PlatformDelivery)) == 2


async def test_our_code_in_the_coupon_lines_is_marked_used(api: Api) -> None:
    with session_scope(api.settings.resolved_database_url) as session:
        session.add(DiscountCode(code="SAVE10-ABC123", percent=10, idempotency_key="test:code",
                                 expires_at=ABANDONED_AT + timedelta(days=7)))  # fmt: skip
    # WooCommerce stores coupon codes in lower case.
    coupons = [{"id": 320, "code": "save10-abc123", "discount": "2.90", "discount_tax": "0.00",
                "meta_data": []}]  # fmt: skip

    response = await _deliver(api, _order("processing", coupon_lines=coupons))

    assert response.json()["result"] == "applied", response.text
    [code] = _rows(api, DiscountCode)
    assert (code.order_id, code.times_used) == ("727", 1)
    assert code.used_at is not None


async def test_a_body_with_escaped_slashes_verifies_on_its_raw_bytes(api: Api) -> None:
    raw = (FIXTURES / "order-723.wire.json").read_bytes()
    assert b"https:\\/\\/example.com\\/wp-json" in raw and b"Jo\\u00e3o" in raw
    assert json.dumps(json.loads(raw)).encode() != raw  # a re-encoded body would not verify

    response = await _deliver(api, raw)

    assert response.status_code == 200, response.text
    assert response.json()["result"] == "applied"
    [order] = _rows(api, Order)
    assert (order.id, order.status, order.cart_id) == ("723", "fulfilled", CART_HASH)


async def test_other_topics_are_answered_and_ignored(api: Api) -> None:
    body = _wire({"id": 93, "name": "Woo Single #1"})

    response = await _deliver(api, body, topic="product.updated")

    assert response.status_code == 200
    assert response.json()["result"] == "ignored"
    assert _rows(api, Event) == []
    assert [row.result for row in _rows(api, PlatformDelivery)] == ["ignored"]
