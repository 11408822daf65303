"""Storefront keys and the snippet: a publishable key reports cart activity from the shop's
origins only (the shop setting, changed at run time), is rate limited per client address, and
the snippet is served small enough for any shop's pages."""

import gzip
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from temporalio.testing import WorkflowEnvironment

from builder_api import storefront
from builder_api.main import create_app
from engine.runtime.settings import Settings
from engine.service import links
from engine.service.auth import Role, ensure_token
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import Cart, Customer
from tests.conftest import ADMIN_TOKEN

SHOP = "https://shop.example.com"
OTHER_SHOP = "https://other.example.com"
KEY = "bmr_test-storefront-key"


class Clock:
    """A clock the test moves: nothing here depends on how fast the host runs."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Shop:
    app: FastAPI
    admin: httpx.AsyncClient
    settings: Settings
    clock: Clock

    def visitor(self, address: str = "203.0.113.7") -> httpx.AsyncClient:
        """A shopper's browser at `address`, holding the shop's storefront key."""
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app, client=(address, 50000)),
            base_url="http://boomerang.test",
            headers={"Authorization": f"Bearer {KEY}"},
        )

    async def allow(self, *origins: str) -> None:
        answer = await self.admin.put("/api/v1/settings", json={"storefront_origins": origins})
        assert answer.status_code == 200, answer.text

    def cart(self, cart_id: str) -> Cart | None:
        with session_scope(self.settings.resolved_database_url) as session:
            return session.get(Cart, cart_id)


@pytest.fixture
async def shop(settings: Settings, dev_server_env: WorkflowEnvironment) -> AsyncIterator[Shop]:
    target = dev_server_env.client.service_client.config.target_host
    settings = settings.model_copy(update={"temporal_address": target})
    prepare(settings)
    with session_scope(settings.resolved_database_url) as session:
        ensure_token(session, KEY, name="shop pages", role=Role.storefront)
    app = create_app(settings)
    clock = Clock()
    app.state.storefront_rate_limit.clock = clock
    app.state.storefront_origins.clock = clock
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://boomerang.test",
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    ) as admin:
        yield Shop(app=app, admin=admin, settings=settings, clock=clock)


def cart_event(cart_id: str, event: str = "cart_updated", **data: Any) -> dict[str, Any]:
    return {
        "event": event,
        "timestamp": datetime.now(UTC).isoformat(),
        "data": {
            "cart_id": cart_id,
            "items": [{"id": "42", "name": "Blue mug", "price": "12.50", "quantity": 2}],
            "total": "25.00",
            "currency": "EUR",
            **data,
        },
    }


async def test_a_storefront_key_reports_cart_activity_from_an_allowed_origin(shop: Shop) -> None:
    await shop.allow(SHOP)

    async with shop.visitor() as browser:
        updated = await browser.post(
            "/api/v1/events",
            json=cart_event(
                "sf-1", customer_email="ada@example.com", customer={"first_name": "Ada"}
            ),
            headers={"Origin": SHOP},
        )
        checkout = await browser.post(
            "/api/v1/events", json=cart_event("sf-1", "checkout_started"), headers={"Origin": SHOP}
        )

    assert updated.status_code == 202, updated.text
    assert checkout.status_code == 202, checkout.text
    assert updated.headers["access-control-allow-origin"] == SHOP
    assert "Origin" in updated.headers["vary"]
    cart = shop.cart("sf-1")
    assert cart is not None
    assert [item["name"] for item in cart.items] == ["Blue mug"]
    with session_scope(shop.settings.resolved_database_url) as session:
        customer = session.get(Customer, cart.customer_id)
        assert customer is not None
        assert (customer.email, customer.first_name) == ("ada@example.com", "Ada")


async def test_a_storefront_key_is_refused_from_other_origins_and_before_any_is_set(
    shop: Shop,
) -> None:
    async with shop.visitor() as browser:
        unset = await browser.post(
            "/api/v1/events", json=cart_event("sf-2"), headers={"Origin": SHOP}
        )
        await shop.allow(SHOP)
        other = await browser.post(
            "/api/v1/events", json=cart_event("sf-2"), headers={"Origin": OTHER_SHOP}
        )
        no_origin = await browser.post("/api/v1/events", json=cart_event("sf-2"))

    assert (unset.status_code, unset.json()["code"]) == (403, "storefront_origins_unset")
    assert "storefront_origins" in unset.json()["message"]
    assert (other.status_code, other.json()["code"]) == (403, "origin_not_allowed")
    assert OTHER_SHOP in other.json()["message"]
    assert "access-control-allow-origin" not in other.headers
    assert (no_origin.status_code, no_origin.json()["code"]) == (403, "origin_not_allowed")
    assert shop.cart("sf-2") is None


@pytest.mark.parametrize(
    ("event", "data"),
    [
        ("order_paid", {"order_id": "o-1", "cart_id": "sf-3", "total": "25.00"}),
        ("cart_abandoned", {"cart_id": "sf-3", "customer_email": "ada@example.com", "total": "9"}),
        ("cart_recovered", {"cart_id": "sf-3"}),
        ("unsubscribed", {"customer_email": "ada@example.com"}),
    ],
)
async def test_a_storefront_key_posts_cart_activity_only(
    shop: Shop, event: str, data: dict[str, Any]
) -> None:
    await shop.allow(SHOP)
    body = {"event": event, "timestamp": datetime.now(UTC).isoformat(), "data": data}

    async with shop.visitor() as browser:
        answer = await browser.post("/api/v1/events", json=body, headers={"Origin": SHOP})
        with_admin = await shop.admin.post("/api/v1/events", json=body)

    assert (answer.status_code, answer.json()["code"]) == (403, "event_not_allowed")
    assert event in answer.json()["message"]
    assert with_admin.status_code == 202, "the same event from a shop's server is accepted"


async def test_a_batch_with_one_forbidden_event_stores_none_and_a_paid_checkout_is_refused(
    shop: Shop,
) -> None:
    await shop.allow(SHOP)
    paid = cart_event("sf-4", completed_at=datetime.now(UTC).isoformat())
    batch = {"events": [cart_event("sf-4"), {**paid, "event": "order_paid"}]}

    async with shop.visitor() as browser:
        mixed = await browser.post("/api/v1/events", json=batch, headers={"Origin": SHOP})
        completed = await browser.post("/api/v1/events", json=paid, headers={"Origin": SHOP})

    assert (mixed.status_code, mixed.json()["code"]) == (403, "event_not_allowed")
    assert mixed.json()["message"].startswith("events.1")
    assert (completed.status_code, completed.json()["code"]) == (403, "event_not_allowed")
    assert "completed_at" in completed.json()["message"]
    assert shop.cart("sf-4") is None


PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type",
}


async def test_browsers_may_ask_first_from_an_allowed_origin_only(shop: Shop) -> None:
    await shop.allow(SHOP)

    async with shop.visitor() as browser:
        events = await browser.options("/api/v1/events", headers={**PREFLIGHT, "Origin": SHOP})
        restore = await browser.options(
            "/api/v1/carts/sf-5/restore",
            headers={"Origin": SHOP, "Access-Control-Request-Method": "GET"},
        )
        other = await browser.options("/api/v1/events", headers={**PREFLIGHT, "Origin": OTHER_SHOP})

    assert events.status_code == 204
    assert events.headers["access-control-allow-origin"] == SHOP
    assert "POST" in events.headers["access-control-allow-methods"]
    allowed = {h.strip() for h in events.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    assert "Origin" in events.headers["vary"]
    assert restore.status_code == 204
    assert restore.headers["access-control-allow-origin"] == SHOP
    assert "GET" in restore.headers["access-control-allow-methods"]
    assert other.status_code == 403
    assert "access-control-allow-origin" not in other.headers


async def test_origins_changed_at_run_time_apply_without_a_restart(shop: Shop) -> None:
    async with shop.visitor() as browser:
        await shop.allow(SHOP)
        before = await browser.options("/api/v1/events", headers={**PREFLIGHT, "Origin": SHOP})
        await shop.allow(OTHER_SHOP)
        added = await browser.options("/api/v1/events", headers={**PREFLIGHT, "Origin": OTHER_SHOP})
        shop.clock.now += storefront.ORIGINS_TTL
        removed = await browser.options("/api/v1/events", headers={**PREFLIGHT, "Origin": SHOP})

    assert before.status_code == 204
    assert added.status_code == 204, "an origin just added is allowed at once"
    assert removed.status_code == 403, "an origin removed is refused once the cache is due"


async def test_a_recovered_cart_is_readable_from_the_shops_pages(shop: Shop) -> None:
    await shop.allow(SHOP)
    token = links.recovery_token(shop.settings, "sf-6", "journey:aut_x:sf-6:email-1")
    async with shop.visitor() as browser:
        stored = await browser.post(
            "/api/v1/events", json=cart_event("sf-6"), headers={"Origin": SHOP}
        )
        restored = await browser.get(
            "/api/v1/carts/sf-6/restore", params={"token": token}, headers={"Origin": SHOP}
        )
        elsewhere = await browser.get(
            "/api/v1/carts/sf-6/restore", params={"token": token}, headers={"Origin": OTHER_SHOP}
        )

    assert stored.status_code == 202
    assert restored.status_code == 200
    assert restored.headers["access-control-allow-origin"] == SHOP
    assert [item["name"] for item in restored.json()["items"]] == ["Blue mug"]
    assert "access-control-allow-origin" not in elsewhere.headers, "other pages cannot read it"


async def test_a_storefront_key_is_rate_limited_per_client_address(shop: Shop) -> None:
    shop.app.state.storefront_rate_limit.burst = 3
    shop.app.state.storefront_rate_limit.per_minute = 60  # one more a second
    await shop.allow(SHOP)

    async with shop.visitor("203.0.113.8") as busy, shop.visitor("203.0.113.9") as other:
        first = [
            (
                await busy.post(
                    "/api/v1/events", json=cart_event(f"sf-7-{n}"), headers={"Origin": SHOP}
                )
            ).status_code
            for n in range(3)
        ]
        limited = await busy.post(
            "/api/v1/events", json=cart_event("sf-7-x"), headers={"Origin": SHOP}
        )
        elsewhere = await other.post(
            "/api/v1/events", json=cart_event("sf-7-y"), headers={"Origin": SHOP}
        )
        shop.clock.now += 1
        later = await busy.post(
            "/api/v1/events", json=cart_event("sf-7-z"), headers={"Origin": SHOP}
        )

    assert first == [202, 202, 202]
    assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")
    assert limited.headers["retry-after"] == "1"
    assert limited.headers["access-control-allow-origin"] == SHOP, "the snippet can read it"
    assert shop.cart("sf-7-x") is None
    assert elsewhere.status_code == 202, "another address has its own allowance"
    assert later.status_code == 202, "after Retry-After, the address may post again"


async def test_ingest_and_admin_tokens_are_not_rate_limited(shop: Shop) -> None:
    shop.app.state.storefront_rate_limit.burst = 1

    answers = [
        (await shop.admin.post("/api/v1/events", json=cart_event(f"sf-8-{n}"))).status_code
        for n in range(3)
    ]

    assert answers == [202, 202, 202]


async def test_admins_and_developers_create_storefront_keys(shop: Shop) -> None:
    developer, marketer = "test-developer-token", "test-marketer-token"
    with session_scope(shop.settings.resolved_database_url) as session:
        ensure_token(session, developer, name="dev", role=Role.developer)
        ensure_token(session, marketer, name="marketing", role=Role.marketer)
    body = {"name": "shop pages", "role": "storefront"}

    by_admin = await shop.admin.post("/api/v1/tokens", json=body)
    by_developer = await shop.admin.post(
        "/api/v1/tokens", json=body, headers={"Authorization": f"Bearer {developer}"}
    )
    by_marketer = await shop.admin.post(
        "/api/v1/tokens", json=body, headers={"Authorization": f"Bearer {marketer}"}
    )
    async with shop.visitor() as browser:
        who = await browser.get("/api/v1/me")

    assert by_admin.status_code == 201
    assert by_developer.status_code == 201
    assert (by_marketer.status_code, by_marketer.json()["code"]) == (403, "forbidden")
    assert (who.status_code, who.json()["code"]) == (403, "forbidden")
    assert "POST /api/v1/events" in who.json()["message"]


async def test_the_snippet_is_served_to_any_page_and_is_small(shop: Shop) -> None:
    async with shop.visitor() as browser:
        answer = await browser.get("/sdk/boomerang.js", headers={"Origin": OTHER_SHOP})

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/javascript")
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "max-age=" in answer.headers["cache-control"]
    assert "Boomerang" in answer.text
    assert len(gzip.compress(answer.content, compresslevel=9)) < 5 * 1024
