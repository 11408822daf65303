"""Recovery and unsubscribe links through the real API, database, Temporal and worker."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlmodel import select

from builder_api.main import create_app
from engine.emails.signed_links import LinkClaims, sign
from engine.runtime.settings import Settings
from engine.service import links
from engine.store.db import session_scope
from engine.store.models import Customer, MessageEvent, Suppression
from engine.store.types import utcnow
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, automation, cart_event, eventually

WAIT_FOR_CLICK = {
    "name": "Email, then wait for a click",
    "active": True,
    "definition": {
        "trigger": {"event": "cart_abandoned"},
        "steps": [
            {"id": "email-1", "type": "action", "action": "send_email",
             "params": {"template": "cart-reminder", "subject": "Still there?"}},
            {"id": "click?", "type": "wait_for_event", "event": "email_clicked", "timeout": "1h",
             "on_event": [{"id": "clicked", "type": "exit", "outcome": "clicked"}],
             "on_timeout": [{"id": "lost", "type": "exit", "outcome": "lost"}]},
        ],
    },
}  # fmt: skip


@asynccontextmanager
async def visitor(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Someone holding a link: no API token, and an app with these settings."""
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://boomerang.test") as http:
        yield http


def path(url: str) -> str:
    return urlsplit(url).path


async def _store_cart(api: Api, cart_id: str, **data: Any) -> None:
    """A cart the shop told us of (`cart_updated` only writes the database)."""
    event = cart_event(CART_ABANDONED, cart_id, event="cart_updated")
    event["data"].update(data)
    event["data"] = {k: v for k, v in event["data"].items() if v is not None}
    response = await api.http.post("/api/v1/events", json=event)
    assert response.status_code == 202, response.text


async def test_a_recovery_link_records_the_click_wakes_the_journey_and_leads_to_the_cart(
    api: Api,
) -> None:
    automation_id = await api.create_automation(WAIT_FOR_CLICK)
    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "cart_click", "c@x.io"))
    [journey] = await eventually(
        lambda: api.journeys("cart_click", automation_id),
        lambda js: bool(js) and js[0]["current_step"] == "click?",
    )
    [email] = await api.outbox("c@x.io")
    url = links.recovery_url(api.settings, "cart_click", f"{journey['id']}:email-1")

    async with visitor(api.settings) as http:
        response = await http.get(path(url))

    assert response.status_code == 302, response.text
    assert response.headers["location"] == CART_ABANDONED["data"]["recovery_url"]
    assert response.headers["cache-control"] == "no-store"
    done = await eventually(
        lambda: api.journeys("cart_click", automation_id),
        lambda js: js[0]["status"] == "completed",
    )
    assert done[0]["outcome"] == "clicked"
    with session_scope(api.settings.resolved_database_url) as session:
        clicks = session.exec(select(MessageEvent).where(MessageEvent.event == "clicked")).all()
    assert [(c.message_id, c.source) for c in clicks] == [(email["id"], "link")]


async def test_without_a_shop_url_the_link_leads_to_the_storefront_or_a_page(api: Api) -> None:
    evil = "<script>alert(1)</script>"
    items = [{"id": "p1", "name": evil, "price": 5, "quantity": 1}]
    await _store_cart(api, "cart/no url", recovery_url=None, items=items, total=5)
    token = links.recovery_token(api.settings, "cart/no url", "journey:aut_x:cart/no url:email-1")
    storefront = "https://store.example.com/restore?cart={cart_id}&token={token}"

    async with visitor(api.settings.model_copy(update={"storefront_cart_url": storefront})) as http:
        redirected = await http.get(f"/r/{token}")
    async with visitor(api.settings) as http:
        page = await http.get(f"/r/{token}")

    assert redirected.status_code == 302
    assert redirected.headers["location"] == (
        f"https://store.example.com/restore?cart=cart%2Fno%20url&token={token}"
    )
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; × 1: $5.00" in page.text
    assert evil not in page.text


async def test_the_cart_page_prints_money_as_the_customer_writes_it(api: Api) -> None:
    items = [{"id": "p1", "name": "Lamp", "price": 280.77, "quantity": 1}]
    await _store_cart(api, "cart_pl", recovery_url=None, items=items, total=280.77,
                      currency="PLN", customer_email="ola@example.com",
                      customer={"locale": "pl-PL"})  # fmt: skip
    await _store_cart(api, "cart_anon", recovery_url=None, items=items, total=280.77,
                      currency="PLN", customer_email="anon@example.com")  # fmt: skip

    async with visitor(api.settings) as http:
        polish = await http.get(f"/r/{links.recovery_token(api.settings, 'cart_pl', 'j:e')}")
        unknown = await http.get(f"/r/{links.recovery_token(api.settings, 'cart_anon', 'j:e')}")

    assert "Lamp × 1: 280,77\u00a0zł" in polish.text
    assert "Lamp × 1: PLN280.77" in unknown.text  # the shop's locale (en)


async def test_tampered_expired_and_other_cart_tokens_are_refused(api: Api) -> None:
    await _store_cart(api, "cart_mine", customer_email="mine@example.com")
    await _store_cart(api, "cart_theirs", customer_email="theirs@example.com")
    key = "journey:aut_x:cart_mine:email-1"
    mine = links.recovery_token(api.settings, "cart_mine", key)
    theirs = links.recovery_token(api.settings, "cart_theirs", key)
    tampered = mine[:-3] + ("AAA" if not mine.endswith("AAA") else "BBB")
    expired = sign(
        links.link_secret(api.settings),
        LinkClaims("r", "cart_mine", key, utcnow() - timedelta(minutes=1)),
    )

    async with visitor(api.settings) as http:
        restored = await http.get("/api/v1/carts/cart_mine/restore", params={"token": mine})
        other = await http.get("/api/v1/carts/cart_mine/restore", params={"token": theirs})
        forged = await http.get("/api/v1/carts/cart_mine/restore", params={"token": tampered})
        old = await http.get("/api/v1/carts/cart_mine/restore", params={"token": expired})
        by_id_alone = await http.get("/api/v1/carts/cart_mine/restore")
        tampered_link = await http.get(f"/r/{tampered}")
        expired_link = await http.get(f"/r/{expired}")

    assert restored.status_code == 200, restored.text
    body = restored.json()
    assert body["cart_id"] == "cart_mine" and body["currency"] == "USD"
    assert body["total"] == 280.77
    assert body["items"][0] == {
        "id": "prod_123", "name": "Premium Headphones", "variant": "Black", "quantity": 1,
        "price": 199.99, "image_url": "https://cdn.example.com/headphones.jpg",
    }  # fmt: skip
    assert "mine@example.com" not in restored.text
    assert (other.status_code, other.json()["code"]) == (404, "not_found")
    assert (forged.status_code, forged.json()["code"]) == (404, "not_found")
    assert (old.status_code, old.json()["code"]) == (410, "link_expired")
    assert by_id_alone.status_code == 422
    assert by_id_alone.json()["problems"][0]["field"] == "query.token"
    assert tampered_link.status_code == 404 and "does not work" in tampered_link.text
    assert expired_link.status_code == 410 and "expired" in expired_link.text
    for refused in (tampered_link, expired_link):
        assert refused.headers["content-type"].startswith("text/html")
        assert "Headphones" not in refused.text


async def test_one_click_unsubscribe_stops_the_journey_at_once_and_later_sends(api: Api) -> None:
    hour_wait = await api.create_automation(automation(wait="1h", name="Waits an hour"))
    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "cart_u1", "u@x.io"))
    [journey] = await eventually(
        lambda: api.journeys("cart_u1", hour_wait), lambda js: len(js) == 1
    )
    with session_scope(api.settings.resolved_database_url) as session:
        customer = session.exec(select(Customer).where(Customer.email == "u@x.io")).one()
    url = links.unsubscribe_url(api.settings, customer.id, f"{journey['id']}:email-1")

    async with visitor(api.settings) as http:
        confirmation = await http.get(path(url))
        with session_scope(api.settings.resolved_database_url) as session:
            assert session.get(Suppression, "u@x.io") is None, "a GET changes nothing"
        one_click = await http.post(
            path(url),
            content=b"List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        repeated = await http.post(path(url))
        broken = await http.post(path(url)[:-2])

    assert confirmation.status_code == 200 and '<form method="post">' in confirmation.text
    assert (one_click.status_code, repeated.status_code) == (200, 200)
    assert "You are unsubscribed" in one_click.text
    assert broken.status_code == 404
    done = await eventually(
        lambda: api.journeys("cart_u1", hour_wait), lambda js: js[0]["status"] == "completed"
    )
    assert done[0]["outcome"] == "unsubscribed", "stopped by the signal, long before its hour"
    with session_scope(api.settings.resolved_database_url) as session:
        assert session.get(Suppression, "u@x.io") is not None

    # A later cart of the same customer, in an automation that would email after a second.
    second_wait = await api.create_automation(automation(wait="1s", name="Waits a second"))
    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "cart_u2", "u@x.io"))
    later = await eventually(
        lambda: api.journeys("cart_u2", second_wait),
        lambda js: bool(js) and js[0]["status"] == "completed",
    )
    assert later[0]["outcome"] == "unsubscribed"
    assert await api.outbox("u@x.io") == []


def test_the_pages_are_not_in_the_api_document() -> None:
    document = create_app(Settings()).openapi()

    assert "/api/v1/carts/{cart_id}/restore" in document["paths"]
    assert not any(p.startswith(("/r/", "/u/")) for p in document["paths"])
    restore = document["paths"]["/api/v1/carts/{cart_id}/restore"]["get"]
    assert "security" not in restore, "the link's token is the credential, not a bearer token"
    assert restore["summary"] and restore["description"]
