"""`GET /api/v1/integrations` and "send a test event": what the Integrations page tells an
admin about each shop platform (set up or not, the URL to paste, what its webhooks did) and
the storefront; never a secret's value."""

import base64
import hashlib
import hmac
import json
from datetime import timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from sqlmodel import select

from engine.runtime.settings import Settings
from engine.store.db import session_scope
from engine.store.models import PlatformDelivery
from engine.store.types import utcnow
from tests.builder_api.conftest import Api

SHOPIFY_SECRET = "shpss_0123456789abcdef-shop-secret"
WOO_SECRET = "woo-webhook-secret-fedcba9876"
ADMIN_TOKEN_VALUE = "shpat_admin-api-token-0123456789"
PUBLIC_URL = "https://boomerang.shop.com"


# Both platforms' secrets set, and Shopify's Admin API too (codes created in Shopify).
CONNECTED = {
    "shopify_webhook_secret": SecretStr(SHOPIFY_SECRET),
    "woocommerce_webhook_secret": SecretStr(WOO_SECRET),
    "shopify_shop": "lamps.myshopify.com",
    "shopify_access_token": SecretStr(ADMIN_TOKEN_VALUE),
    "discount_provider": "shopify",
}
connected = pytest.mark.parametrize("settings", [CONNECTED], indirect=True, ids=["connected"])


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """The environment: a public URL, and whatever a test's `connected` mark adds."""
    extra: dict[str, Any] = getattr(request, "param", {})
    return settings.model_copy(update={"public_url": PUBLIC_URL + "/", **extra})


async def status(api: Api) -> dict[str, Any]:
    answer = await api.http.get("/api/v1/integrations")
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def platform(found: dict[str, Any], name: str) -> dict[str, Any]:
    [item] = [item for item in found["platforms"] if item["platform"] == name]
    return item


async def post_shopify(api: Api, topic: str, delivery_id: str, payload: dict[str, Any]) -> Any:
    body = json.dumps(payload).encode()
    digest = hmac.new(SHOPIFY_SECRET.encode(), body, hashlib.sha256).digest()
    return await api.http.post(
        "/api/v1/integrations/shopify/webhooks",
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-Shopify-Hmac-Sha256": base64.b64encode(digest).decode(),
            "X-Shopify-Topic": topic,
            "X-Shopify-Webhook-Id": delivery_id,
            "Authorization": "",
        },
    )


def deliveries(api: Api) -> list[PlatformDelivery]:
    with session_scope(api.settings.resolved_database_url) as session:
        return list(session.exec(select(PlatformDelivery)))


async def test_nothing_is_set_up_on_a_new_install(api: Api) -> None:
    found = await status(api)

    assert found["discount_provider"] == "builtin"
    for name in ("shopify", "woocommerce"):
        item = platform(found, name)
        assert item["webhook_url"] == f"{PUBLIC_URL}/api/v1/integrations/{name}/webhooks"
        assert (item["configured"], item["secret_configured"]) == (False, False)
        assert item["admin_api_configured"] is False
        assert item["secret_setting"] == f"BOOMERANG_{name.upper()}_WEBHOOK_SECRET"
        assert item["last_delivery"] is None
        assert item["deliveries_by_result"] == dict.fromkeys(
            ("applied", "duplicate", "ignored", "failed"), 0
        )
        assert item["unknown_topics"] == []
    assert found["storefront"] == {
        "origins": [],
        "origins_set_here": False,
        "script_url": f"{PUBLIC_URL}/sdk/boomerang.js",
        "endpoint": PUBLIC_URL,
        "live_keys": 0,
    }


@connected
async def test_configured_platforms_say_so_and_never_show_a_secret(api: Api) -> None:
    answer = await api.http.get("/api/v1/integrations")
    shopify, woo = platform(answer.json(), "shopify"), platform(answer.json(), "woocommerce")

    assert (shopify["configured"], shopify["secret_configured"]) == (True, True)
    assert (shopify["admin_api_configured"], shopify["issues_discount_codes"]) == (True, True)
    assert (woo["configured"], woo["admin_api_configured"]) == (True, False)
    assert woo["issues_discount_codes"] is False
    for secret in (SHOPIFY_SECRET, WOO_SECRET, ADMIN_TOKEN_VALUE):
        assert secret not in answer.text


@connected
async def test_topics_we_do_not_map_are_counted_and_the_last_delivery_shown(
    api: Api,
) -> None:
    """A topic no mapping covers is answered 200 and counted per topic, newest first."""
    for topic, delivery_id in [
        ("products/update", "d-1"),
        ("themes/publish", "d-2"),
        ("products/update", "d-3"),
        ("products/update", "d-3"),  # Shopify retried: still one delivery
    ]:
        answer = await post_shopify(api, topic, delivery_id, {"id": 1, "title": "Lamp"})
        assert (answer.status_code, answer.json()["result"]) == (200, "ignored")

    shopify = platform(await status(api), "shopify")

    assert shopify["last_delivery"]["topic"] == "products/update"
    assert shopify["last_delivery"]["result"] == "ignored"
    assert shopify["last_delivery"]["times_received"] == 2
    assert "products/update" in shopify["last_delivery"]["detail"]
    assert shopify["deliveries_by_result"]["ignored"] == 3
    assert [(t["topic"], t["count"]) for t in shopify["unknown_topics"]] == [
        ("products/update", 2),
        ("themes/publish", 1),
    ]
    assert platform(await status(api), "woocommerce")["last_delivery"] is None


async def test_the_last_delivery_is_the_latest_with_what_it_became(api: Api) -> None:
    now = utcnow()
    with session_scope(api.settings.resolved_database_url) as session:
        for delivery_id, result, detail, ago in [
            ("w-1", "applied", "", timedelta(hours=3)),
            ("w-2", "duplicate", "", timedelta(hours=2)),
            ("w-3", "failed", "the payload does not map: id: Field required", timedelta(hours=1)),
        ]:
            row = PlatformDelivery(platform="woocommerce", delivery_id=delivery_id,
                                   topic="order.updated", result=result, detail=detail,
                                   received_at=now - ago)  # fmt: skip
            session.add(row)
        session.commit()

    woo = platform(await status(api), "woocommerce")

    assert woo["last_delivery"]["result"] == "failed"
    assert woo["last_delivery"]["detail"] == "the payload does not map: id: Field required"
    assert woo["deliveries_by_result"] == {"applied": 1, "duplicate": 1, "ignored": 0, "failed": 1}
    assert woo["unknown_topics"] == []
    assert platform(await status(api), "shopify")["last_delivery"] is None


async def test_storefront_keys_and_origins(api: Api) -> None:
    created = [
        (await api.http.post("/api/v1/tokens", json={"name": f"shop {n}", "role": "storefront"}))
        for n in (1, 2)
    ]
    await api.http.post("/api/v1/tokens", json={"name": "events", "role": "ingest"})
    await api.http.delete(f"/api/v1/tokens/{created[0].json()['id']}")
    origins = ["https://shop.example.com", "https://www.shop.example.com"]
    put = await api.http.put("/api/v1/settings", json={"storefront_origins": origins})

    storefront = (await status(api))["storefront"]

    assert [answer.status_code for answer in created] == [201, 201]
    assert put.status_code == 200, put.text
    assert storefront["live_keys"] == 1
    assert (storefront["origins"], storefront["origins_set_here"]) == (origins, True)


@pytest.mark.parametrize(
    ("name", "setting"),
    [
        ("shopify", "BOOMERANG_SHOPIFY_WEBHOOK_SECRET"),
        ("woocommerce", "BOOMERANG_WOOCOMMERCE_WEBHOOK_SECRET"),
    ],
)
async def test_a_test_event_is_refused_until_the_secret_is_set(
    api: Api, name: str, setting: str
) -> None:
    answer = await api.http.post(f"/api/v1/integrations/{name}/test")

    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "not_configured"
    assert setting in answer.json()["message"]
    assert deliveries(api) == []


@connected
@pytest.mark.parametrize(
    ("name", "topic"), [("shopify", "checkouts/update"), ("woocommerce", "order.updated")]
)
async def test_a_test_event_goes_through_the_webhook_and_is_recorded(
    api: Api, name: str, topic: str
) -> None:
    first = await api.http.post(f"/api/v1/integrations/{name}/test")
    second = await api.http.post(f"/api/v1/integrations/{name}/test")
    shown = platform(await status(api), name)

    assert first.status_code == 200, first.text
    sent = first.json()
    assert (sent["platform"], sent["topic"]) == (name, topic)
    # The sample must be one the platform's mapping reads: never `failed` (nor, being a new
    # delivery each time, a `duplicate`). The stub mappings of this branch ignore every topic.
    assert sent["result"] in ("applied", "ignored"), sent
    assert second.json()["result"] == sent["result"]
    assert second.json()["delivery_id"] != sent["delivery_id"]
    assert shown["last_delivery"]["topic"] == topic
    assert shown["last_delivery"]["result"] == sent["result"]
    assert sum(shown["deliveries_by_result"].values()) == 2
    for secret in (SHOPIFY_SECRET, WOO_SECRET):
        assert secret not in first.text


@connected
async def test_a_test_event_is_in_the_audit_log(api: Api) -> None:
    await api.http.post("/api/v1/integrations/woocommerce/test")

    entries = (await api.http.get("/api/v1/audit")).json()

    assert [e["status_code"] for e in entries if e["action"].endswith("/test")] == [200]


async def test_an_unknown_platform_is_refused_naming_it(api: Api) -> None:
    answer = await api.http.post("/api/v1/integrations/magento/test")

    assert answer.status_code == 422, answer.text
    assert answer.json()["problems"][0]["field"] == "path.platform"
