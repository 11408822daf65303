"""Shopify's webhooks end to end: signed calls to `POST /api/v1/integrations/shopify/webhooks`
become carts, abandonment emails, recovered carts and shipping emails, on a real database,
a real Temporal dev server and a running worker."""

import base64
import hashlib
import hmac
import json
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlmodel import func, select

from engine.runtime.settings import Settings
from engine.store import models
from engine.store.db import session_scope
from engine.store.types import utcnow
from engine.workflows.abandonment import AbandonmentRequest, AbandonmentWorkflow
from tests.builder_api.conftest import Api
from tests.engine.platforms.test_shopify import sample
from tests.support import eventually

SECRET = "shpss_test_" + uuid.uuid4().hex
URL = "/api/v1/integrations/shopify/webhooks"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"shopify_webhook_secret": SecretStr(SECRET)})


def signed(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


async def deliver(api: Api, topic: str, payload: dict[str, Any], *,
                  webhook_id: str | None = None, signature: str | None = None,
                  headers: dict[str, str] | None = None) -> httpx.Response:  # fmt: skip
    """One webhook call as Shopify makes it: the raw JSON body signed with the app's secret."""
    body = json.dumps(payload).encode()
    sent = headers or {
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": signature if signature is not None else signed(body),
        "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
        "X-Shopify-Shop-Domain": "boomerang-test.myshopify.com",
        "X-Shopify-API-Version": "2025-07",
    }
    return await api.http.post(
        URL, content=body, headers={"Content-Type": "application/json", **sent}
    )


def now() -> str:
    return utcnow().isoformat()


def checkout(email: str, first_name: str = "Ada") -> dict[str, Any]:
    """The published checkout as a new shopper's."""
    payload = sample("checkouts/create")
    payload |= {"token": uuid.uuid4().hex, "email": email, "presentment_currency": "EUR",
                "created_at": now(), "updated_at": now()}  # fmt: skip
    payload["abandoned_checkout_url"] = f"https://shop.example.com/checkouts/{payload['token']}"
    payload["customer"] |= {"email": email, "first_name": first_name, "id": 2**60 + 7}
    return payload


def placed_order(email: str, checkout_token: str | None = None) -> dict[str, Any]:
    payload = sample("orders/create")
    payload |= {"id": 2**60 + uuid.uuid4().int % 10**6, "email": email, "contact_email": email,
                "checkout_token": checkout_token, "cancelled_at": None, "cancel_reason": None,
                "created_at": now(), "processed_at": now(), "updated_at": now()}  # fmt: skip
    return payload


def reminder(subject: str) -> dict[str, Any]:
    """A reminder at once, another a day later (so the journey is still running when the
    order comes)."""
    return {
        "name": "Shopify reminder",
        "active": True,
        "definition": {
            "trigger": {"event": "cart_abandoned"},
            "steps": [
                {"id": "email-1", "type": "action", "action": "send_email",
                 "params": {"template": "cart-reminder", "subject": subject}},
                {"id": "wait-1", "type": "wait", "duration": "24h"},
                {"id": "email-2", "type": "action", "action": "send_email",
                 "params": {"template": "cart-reminder", "subject": "Still there?"}},
            ],
        },
    }  # fmt: skip


async def abandon_idle_checkouts(api: Api, client: Any, *cart_ids: str) -> None:
    """An hour passes without news of these checkouts; the abandonment schedule's next run."""
    with session_scope(api.settings.resolved_database_url) as session:
        for cart_id in cart_ids:
            cart = session.get(models.Cart, cart_id)
            assert cart is not None
            cart.updated_at = utcnow() - timedelta(hours=1)
            session.add(cart)
    await client.execute_workflow(
        AbandonmentWorkflow.run,
        AbandonmentRequest(),
        id=f"abandonment-{uuid.uuid4()}",
        task_queue=api.settings.task_queue,
        execution_timeout=timedelta(minutes=1),
    )


def rows(api: Api, table: type[Any]) -> int:
    with session_scope(api.settings.resolved_database_url) as session:
        return session.exec(select(func.count()).select_from(table)).one()


async def test_an_abandoned_checkout_is_reminded_by_name_and_its_order_recovers_it(
    api: Api, dev_server_env: Any
) -> None:
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    automation_id = await api.create_automation(reminder("{{ customer.first_name }}, your cart"))
    started = checkout(email)
    cart_id = started["token"]

    response = await deliver(api, "checkouts/create", started)

    assert response.status_code == 200, response.text
    assert response.json()["result"] == "applied"
    with session_scope(api.settings.resolved_database_url) as session:
        cart = session.get(models.Cart, cart_id)
        assert cart is not None and cart.customer_id is not None
        customer = session.get(models.Customer, cart.customer_id)
        assert customer is not None
        assert (customer.email, customer.first_name) == (email, "Ada")
        assert [item["name"] for item in cart.items] == ["IPod Nano - 8GB"] * 2
        assert (cart.currency, str(cart.total)) == ("EUR", "421.88")
        assert cart.recovery_url == f"https://shop.example.com/checkouts/{cart_id}"

    await abandon_idle_checkouts(api, dev_server_env.client, cart_id)
    [sent] = await eventually(lambda: api.outbox(email), lambda messages: len(messages) == 1)
    assert sent["subject"] == "Ada, your cart"

    bought = placed_order(email, checkout_token=cart_id)
    response = await deliver(api, "orders/create", bought)

    assert response.json()["result"] == "applied"
    [journey] = await eventually(
        lambda: api.journeys(cart_id, automation_id),
        lambda journeys: len(journeys) == 1 and journeys[0].get("outcome") is not None,
    )
    assert journey["outcome"] == "purchased"
    with session_scope(api.settings.resolved_database_url) as session:
        cart = session.get(models.Cart, cart_id)
        assert cart is not None
        assert (cart.status, cart.order_id) == ("recovered", str(bought["id"]))
        order = session.get(models.Order, str(bought["id"]))
        assert order is not None and str(order.total) == "404.95"  # the revenue won back
    assert len(await api.outbox(email)) == 1  # the second reminder never goes


async def test_an_order_without_a_checkout_token_recovers_its_customers_abandoned_checkout(
    api: Api, dev_server_env: Any
) -> None:
    email = f"bo-{uuid.uuid4().hex[:8]}@example.com"
    started = checkout(email, "Bo")
    await deliver(api, "checkouts/update", started)
    await abandon_idle_checkouts(api, dev_server_env.client, started["token"])

    bought = placed_order(email)  # bought on another device: no checkout token we know
    await deliver(api, "orders/create", bought)

    with session_scope(api.settings.resolved_database_url) as session:
        cart = session.get(models.Cart, started["token"])
        assert cart is not None
        assert (cart.status, cart.order_id) == ("recovered", str(bought["id"]))


async def test_a_fulfilment_sends_the_shipping_email_with_its_tracking(api: Api) -> None:
    email = f"cy-{uuid.uuid4().hex[:8]}@example.com"
    await api.create_automation(
        {"name": "Shipped", "active": True,
         "definition": {"trigger": {"event": "order_fulfilled"}, "exit_on": [],
                        "steps": [{"id": "ship", "type": "action", "action": "send_email",
                                   "params": {"template": "shipping-update"}}]}}
    )  # fmt: skip
    bought = placed_order(email)
    await deliver(api, "orders/create", bought)
    shipment = sample("fulfillments/create")
    shipment |= {"order_id": bought["id"], "email": email, "created_at": now()}
    del shipment["tracking_number"], shipment["tracking_url"]  # newer payloads: lists only
    tracking_url = "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    shipment |= {"tracking_numbers": ["1Z999AA10123456784"], "tracking_company": "UPS",
                 "tracking_urls": [tracking_url]}  # fmt: skip

    response = await deliver(api, "fulfillments/create", shipment)

    assert response.json()["result"] == "applied"
    [sent] = await eventually(lambda: api.outbox(email), lambda messages: len(messages) == 1)
    assert "1Z999AA10123456784" in sent["text"]
    assert "UPS" in sent["text"]
    assert tracking_url in sent["text"]


@pytest.mark.parametrize(
    "signature", [None, "", "bm90IHRoZSBzaWduYXR1cmU=", "wrong-secret", "tampered-body"]
)
async def test_a_call_without_the_right_signature_is_refused_and_leaves_no_trace(
    api: Api, signature: str | None
) -> None:
    payload = checkout("eve@example.com")
    body = json.dumps(payload).encode()
    headers = {"X-Shopify-Topic": "checkouts/create", "X-Shopify-Webhook-Id": "w-1"}
    if signature == "wrong-secret":
        headers["X-Shopify-Hmac-Sha256"] = signed(body, "another-" + SECRET)
    elif signature == "tampered-body":  # the genuine signature of the body before the change
        headers["X-Shopify-Hmac-Sha256"] = signed(body)
        payload = {**payload, "email": "mallory@example.com"}
    elif signature is not None:
        headers["X-Shopify-Hmac-Sha256"] = signature

    response = await deliver(api, "checkouts/create", payload, headers=headers)

    assert response.status_code == 401, response.text
    assert "X-Shopify-Hmac-Sha256" in response.text
    assert (rows(api, models.Event), rows(api, models.PlatformDelivery)) == (0, 0)
    assert rows(api, models.Cart) == 0


async def test_a_repeated_delivery_is_applied_once(api: Api) -> None:
    payload = placed_order("dan@example.com")

    first = await deliver(api, "orders/paid", payload, webhook_id="b2f7-1")
    again = await deliver(api, "orders/paid", payload, webhook_id="b2f7-1")

    assert (first.json()["result"], again.json()["result"]) == ("applied", "duplicate")
    assert first.json()["events"] == again.json()["events"]
    assert rows(api, models.Event) == 1
    with session_scope(api.settings.resolved_database_url) as session:
        [delivery] = session.exec(select(models.PlatformDelivery)).all()
        assert (delivery.delivery_id, delivery.times_received) == ("b2f7-1", 2)
        assert delivery.result == "applied"  # what the first one did; the repeat did nothing


async def test_a_captured_delivery_replayed_under_a_new_id_changes_nothing(api: Api) -> None:
    """Shopify signs the body only: a replay may carry any `X-Shopify-Webhook-Id`. Its
    events are new, but what they apply is already so: still one order, in the same state."""
    payload = placed_order("replay@example.com")

    first = await deliver(api, "orders/paid", payload, webhook_id="c3d1-1")
    with session_scope(api.settings.resolved_database_url) as session:
        before = [order.model_dump() for order in session.exec(select(models.Order)).all()]
    replayed = await deliver(api, "orders/paid", payload, webhook_id="c3d1-2")

    assert (first.status_code, replayed.status_code) == (200, 200)
    with session_scope(api.settings.resolved_database_url) as session:
        after = [order.model_dump() for order in session.exec(select(models.Order)).all()]
    assert len(after) == 1 and after[0]["status"] == "paid"
    unchanged = {"updated_at"}  # the upsert touches the row; nothing else moves
    assert [{k: v for k, v in o.items() if k not in unchanged} for o in after] == [
        {k: v for k, v in o.items() if k not in unchanged} for o in before
    ]


async def test_header_names_are_case_insensitive(api: Api) -> None:
    payload = checkout("fay@example.com")
    body = json.dumps(payload).encode()
    headers = {"x-shopify-topic": "checkouts/create", "x-shopify-hmac-sha256": signed(body),
               "x-shopify-webhook-id": "lower-1"}  # fmt: skip

    response = await deliver(api, "checkouts/create", payload, headers=headers)

    assert response.json()["result"] == "applied"
    with session_scope(api.settings.resolved_database_url) as session:
        assert session.get(models.Cart, payload["token"]) is not None


async def test_a_topic_we_do_not_map_is_answered_ignored_and_counted(api: Api) -> None:
    response = await deliver(api, "products/update", {"id": 632910392, "title": "IPod Nano"},
                             webhook_id="p-1")  # fmt: skip

    assert response.status_code == 200
    assert response.json()["result"] == "ignored"
    assert rows(api, models.Event) == 0
    with session_scope(api.settings.resolved_database_url) as session:
        [delivery] = session.exec(select(models.PlatformDelivery)).all()
        assert (delivery.topic, delivery.result) == ("products/update", "ignored")


async def test_a_payload_that_cannot_be_mapped_is_answered_and_recorded_failed(api: Api) -> None:
    payload = checkout("gus@example.com")
    del payload["token"]

    response = await deliver(api, "checkouts/update", payload, webhook_id="bad-1")

    assert (response.status_code, response.json()["result"]) == (200, "failed")
    with session_scope(api.settings.resolved_database_url) as session:
        [delivery] = session.exec(select(models.PlatformDelivery)).all()
        assert delivery.result == "failed" and "token" in delivery.detail


async def test_a_customer_update_is_kept_on_the_customer(api: Api) -> None:
    payload = sample("customers/update")
    payload |= {"email": "hal@example.com", "tags": "vip, wholesale",
                "email_marketing_consent": {"state": "subscribed"}}  # fmt: skip

    response = await deliver(api, "customers/update", payload)

    assert response.json()["result"] == "applied"
    with session_scope(api.settings.resolved_database_url) as session:
        customer = session.exec(
            select(models.Customer).where(models.Customer.email == "hal@example.com")
        ).one()
        assert (customer.first_name, customer.tags) == ("Bob", ["vip", "wholesale"])
        assert customer.accepts_marketing is True
