"""Shopify's mandatory privacy webhooks end to end: signed `customers/data_request`,
`customers/redact` and `shop/redact` calls to `POST /api/v1/integrations/shopify/webhooks`
on a real database, a real Temporal dev server and a running worker."""

import json
import uuid
from typing import Any

import pytest
from pydantic import SecretStr
from sqlmodel import select
from temporalio.client import WorkflowExecutionStatus

from engine.runtime.settings import Settings
from engine.service.lookups import normalised_email
from engine.store import models
from engine.store.db import session_scope
from tests.builder_api.conftest import Api
from tests.builder_api.test_shopify_webhooks import (
    SECRET,
    abandon_idle_checkouts,
    checkout,
    deliver,
    reminder,
    rows,
    signed,
)
from tests.engine.platforms.test_shopify import sample
from tests.support import eventually

SHOP = "boomerang-test.myshopify.com"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"shopify_webhook_secret": SecretStr(SECRET), "shopify_shop": SHOP}
    )


def address() -> str:
    return f"jo-{uuid.uuid4().hex[:8]}@example.com"


def privacy(topic: str, email: str | None = None, shop: str = SHOP) -> dict[str, Any]:
    """The published sample, for this shop and (customer topics) this address."""
    payload = sample(topic) | {"shop_domain": shop}
    if email is not None:
        payload["customer"]["email"] = email
    return payload


def delivery(api: Api, delivery_id: str) -> models.PlatformDelivery:
    with session_scope(api.settings.resolved_database_url) as session:
        row = session.exec(
            select(models.PlatformDelivery).where(
                models.PlatformDelivery.delivery_id == delivery_id
            )
        ).one()
        session.expunge(row)
        return row


async def data_requests(api: Api) -> list[dict[str, Any]]:
    response = await api.http.get("/api/v1/privacy/data-requests")
    assert response.status_code == 200, response.text
    requests: list[dict[str, Any]] = response.json()["requests"]
    return requests


async def summary(api: Api, email: str) -> dict[str, Any]:
    response = await api.http.get("/api/v1/customers/summary", params={"email": email})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_a_data_request_is_listed_for_admins_and_answered_by_the_export(api: Api) -> None:
    email = address()
    started = checkout(email)
    await deliver(api, "checkouts/create", started)

    response = await deliver(api, "customers/data_request",
                             privacy("customers/data_request", email.upper()),
                             webhook_id="dr-1")  # fmt: skip

    assert response.status_code == 200, response.text
    assert response.json()["result"] == "applied"
    [listed] = await data_requests(api)
    assert (listed["platform"], listed["request_id"], listed["email"]) == (
        "shopify", "9999", email,
    )  # fmt: skip
    assert listed["orders"] == ["299938", "280263", "220458"]
    assert listed["exported_at"] is None
    recorded = delivery(api, "dr-1")
    assert (recorded.topic, recorded.result) == ("customers/data_request", "applied")
    assert email not in recorded.detail.lower()

    export = await api.http.get("/api/v1/customers/export", params={"email": email})

    assert export.status_code == 200, export.text
    document = export.json()
    assert [customer["email"] for customer in document["customer"]] == [email]
    assert [cart["id"] for cart in document["carts"]] == [started["token"]]
    assert [request["request_id"] for request in document["data_requests"]] == ["9999"]
    [answered] = await data_requests(api)
    assert answered["exported_at"] is not None


async def test_a_data_request_sent_again_is_listed_once(api: Api) -> None:
    payload = privacy("customers/data_request", address())

    first = await deliver(api, "customers/data_request", payload, webhook_id="dr-2")
    again = await deliver(api, "customers/data_request", payload, webhook_id="dr-2")
    resent = await deliver(api, "customers/data_request", payload, webhook_id="dr-3")

    assert [r.json()["result"] for r in (first, again, resent)] == [
        "applied", "duplicate", "duplicate",
    ]  # fmt: skip
    assert len(await data_requests(api)) == 1
    assert delivery(api, "dr-2").times_received == 2


async def test_a_customer_redaction_erases_the_customer_cart_and_emails_and_keeps_them_out(
    api: Api, dev_server_env: Any
) -> None:
    email = address()
    automation_id = await api.create_automation(reminder("Your cart, {{ customer.first_name }}"))
    started = checkout(email, "Jo")
    cart_id = started["token"]
    await deliver(api, "checkouts/create", started, webhook_id="co-1")
    await abandon_idle_checkouts(api, dev_server_env.client, cart_id)
    await eventually(lambda: api.outbox(email), lambda messages: len(messages) == 1)
    held = await summary(api, email)
    assert held["held"]["carts"] == 1 and held["held"]["messages"] == 1

    response = await deliver(api, "customers/redact", privacy("customers/redact", email),
                             webhook_id="cr-1")  # fmt: skip

    assert response.status_code == 200, response.text
    assert response.json()["result"] == "applied"
    recorded = delivery(api, "cr-1")
    assert recorded.result == "applied"
    assert "customer 1" in recorded.detail and "carts 1" in recorded.detail
    assert "1 journeys cancelled" in recorded.detail
    assert email not in recorded.detail.lower()
    after = await summary(api, email)
    assert after["customer"] is None and after["erased_before"] is True
    assert set(after["held"].values()) == {0}, after["held"]
    with session_scope(api.settings.resolved_database_url) as session:
        assert session.get(models.Cart, cart_id) is None
        assert not session.exec(select(models.Customer).where(models.Customer.email == email)).all()
        event = session.get(models.Event, "shopify_co-1:0")
        assert event is not None  # kept, so a repeated delivery stays a duplicate
        assert (event.data, event.cart_id) == ({}, None)
        [message] = session.exec(
            select(models.Message).where(models.Message.cart_id == cart_id)
        ).all()
        assert (message.to_email, message.subject, message.html, message.text) == ("",) * 4
        assert message.automation_id == automation_id  # still counted in the results
        everything = json.dumps(
            [row.model_dump(mode="json") for table in (models.Event, models.Message,
             models.PlatformDelivery) for row in session.exec(select(table))]
        ).lower()  # fmt: skip
        assert email not in everything

    # The cancelled journey ends; what it writes as it ends does not bring the customer back:
    # its records stay for the results, ids only and without the customer's.
    handle = dev_server_env.client.get_workflow_handle(f"journey:{automation_id}:{cart_id}")
    await eventually(handle.describe, lambda found: found.status != WorkflowExecutionStatus.RUNNING)
    with session_scope(api.settings.resolved_database_url) as session:
        records = session.exec(
            select(models.JourneyRecord).where(models.JourneyRecord.cart_id == cart_id)
        ).all()
        assert records and {r.customer_id for r in records} == {None}

    # The shop tells of the address again: it is kept, suppressed, and enters nothing.
    back = checkout(email, "Jo")
    await deliver(api, "checkouts/create", back)
    await abandon_idle_checkouts(api, dev_server_env.client, back["token"])
    with session_scope(api.settings.resolved_database_url) as session:
        cart = session.get(models.Cart, back["token"])
        assert cart is not None and cart.status == "abandoned"
        enrolments = session.exec(
            select(models.Enrolment).where(models.Enrolment.cart_id == back["token"])
        ).all()
        assert enrolments == []
        suppression = session.get(models.Suppression, normalised_email(email))
        assert suppression is not None and suppression.reason == "erased"
    assert await api.outbox(email) == []


async def test_a_redaction_of_an_address_never_seen_keeps_its_hash(api: Api) -> None:
    email = address()

    response = await deliver(api, "customers/redact", privacy("customers/redact", email),
                             webhook_id="cr-2")  # fmt: skip
    again = await deliver(api, "customers/redact", privacy("customers/redact", email),
                          webhook_id="cr-2")  # fmt: skip

    assert (response.status_code, response.json()["result"]) == (200, "applied")
    assert again.json()["result"] == "duplicate"
    assert "nothing was held" in delivery(api, "cr-2").detail
    assert delivery(api, "cr-2").times_received == 2
    assert (await summary(api, email))["erased_before"] is True
    assert rows(api, models.ErasedAddress) == 1


async def test_a_shop_redaction_empties_every_table_of_customers_data(
    api: Api, dev_server_env: Any
) -> None:
    await api.create_automation(reminder("Your cart"))
    carts = [checkout(address()) for _ in range(2)]
    for started in carts:
        await deliver(api, "checkouts/create", started)
    await deliver(api, "customers/data_request", privacy("customers/data_request", address()))
    await abandon_idle_checkouts(api, dev_server_env.client, *(c["token"] for c in carts))
    await eventually(lambda: api.outbox(carts[0]["email"]), lambda sent: len(sent) == 1)

    response = await deliver(api, "shop/redact", privacy("shop/redact"), webhook_id="sr-1")

    assert (response.status_code, response.json()["result"]) == (200, "applied")
    for table in (models.Cart, models.Customer, models.Event, models.Message, models.Enrolment,
                  models.DataRequest, models.Suppression):  # fmt: skip
        assert rows(api, table) == 0, table
    recorded = delivery(api, "sr-1")  # the shop/redact call itself, and no earlier one
    assert rows(api, models.PlatformDelivery) == 1
    assert "cart 2" in recorded.detail and "customer 2" in recorded.detail


async def test_a_shop_redaction_for_another_shop_is_refused_and_erases_nothing(api: Api) -> None:
    await deliver(api, "checkouts/create", checkout(address()))

    # The published sample's domain is Shopify's placeholder, not our shop.
    response = await deliver(api, "shop/redact", sample("shop/redact"), webhook_id="sr-2")

    assert (response.status_code, response.json()["result"]) == (200, "failed")
    detail = delivery(api, "sr-2").detail
    assert "{shop}.myshopify.com" in detail and SHOP in detail and "nothing was erased" in detail
    assert (rows(api, models.Cart), rows(api, models.Customer)) == (1, 1)


@pytest.mark.parametrize("topic", ["customers/data_request", "customers/redact", "shop/redact"])
async def test_a_privacy_call_without_the_right_signature_is_refused_and_leaves_no_trace(
    api: Api, topic: str
) -> None:
    email = address()
    await deliver(api, "checkouts/create", checkout(email), webhook_id="co-2")
    payload = privacy(topic, None if topic == "shop/redact" else email)
    body = json.dumps(payload).encode()
    headers = {"X-Shopify-Topic": topic, "X-Shopify-Webhook-Id": "p-1",
               "X-Shopify-Hmac-Sha256": signed(body, "another-" + SECRET)}  # fmt: skip

    response = await deliver(api, topic, payload, headers=headers)

    assert response.status_code == 401, response.text
    assert "X-Shopify-Hmac-Sha256" in response.text
    assert (rows(api, models.DataRequest), rows(api, models.ErasedAddress)) == (0, 0)
    assert (rows(api, models.Cart), rows(api, models.Customer)) == (1, 1)
    assert rows(api, models.PlatformDelivery) == 1  # the checkout's only
    assert delivery(api, "co-2").topic == "checkouts/create"
