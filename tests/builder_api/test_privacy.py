"""`/api/v1/customers/*` and `/api/v1/privacy/*` on a real database: the shop's retention
setting decides what a run purges, the results read the same after it, erasure leaves no
address in the audit log, and who may call what."""

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import select

from builder_api.main import create_app
from engine.runtime.settings import Settings
from engine.service.auth import Role
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import AuditEntry, Cart
from tests.builder_api.conftest import Api
from tests.conftest import ADMIN_TOKEN
from tests.engine.service.support import install_automation
from tests.shop_history import abandoned, now, record, recovered
from tests.support import token_headers

ADDRESS = "jane.privacy@example.com"


@pytest.fixture
async def http(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The API with Temporal out of reach (erasure then cancels no journey: none run here)."""
    settings = settings.model_copy(update={"temporal_address": "127.0.0.1:1"})
    prepare(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings)),
        base_url="http://boomerang.test",
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    ) as client:
        yield client


def _shop(settings: Settings) -> None:
    """Carts abandoned 31 and 61 days ago, and Jane's recovered one (40 days ago)."""
    today = now()
    install_automation(settings)
    record(
        settings.resolved_database_url,
        settings,
        abandoned("cart_31", "a@example.com", today - timedelta(days=31)),
        abandoned("cart_61", "b@example.com", today - timedelta(days=61), total=70),
        abandoned("cart_jane", ADDRESS, today - timedelta(days=40), total=55),
        recovered("cart_jane", ADDRESS, today - timedelta(days=39), "order_jane"),
    )


def _carts(settings: Settings) -> list[str]:
    with session_scope(settings.resolved_database_url) as session:
        return sorted(session.exec(select(Cart.id)).all())


async def _overview(http: httpx.AsyncClient) -> dict[str, Any]:
    today = now().date()
    response = await http.get(
        "/api/v1/analytics/overview",
        params={"from": str(today - timedelta(days=89)), "to": str(today)},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_shops_retention_setting_decides_what_a_run_purges(
    http: httpx.AsyncClient, settings: Settings
) -> None:
    _shop(settings)
    before = await _overview(http)
    assert (before["carts_abandoned"], before["carts_recovered"]) == (3, 1)

    sixty = await http.put("/api/v1/settings", json={"retention_abandoned_carts": 60})
    first = await http.post("/api/v1/privacy/retention-runs")

    assert sixty.status_code == 200, sixty.text
    assert sixty.json()["shop"]["retention_abandoned_carts"] == 60
    assert "retention_abandoned_carts" in sixty.json()["from_shop"]
    assert first.status_code == 200, first.text
    assert (first.json()["status"], first.json()["counts"]["carts"]) == ("done", 1)
    assert _carts(settings) == ["cart_31", "cart_jane"]
    assert await _overview(http) == before

    await http.put("/api/v1/settings", json={"retention_abandoned_carts": None})  # back to 30
    second = await http.post("/api/v1/privacy/retention-runs")
    runs = await http.get("/api/v1/privacy/retention-runs")

    assert second.json()["counts"]["carts"] == 1
    assert _carts(settings) == ["cart_jane"], "recovered: a sales record"
    assert [run["id"] for run in runs.json()["runs"]] == [second.json()["id"], first.json()["id"]]
    assert await _overview(http) == before


async def test_erasure_through_the_api(http: httpx.AsyncClient, settings: Settings) -> None:
    _shop(settings)
    support = token_headers(settings, Role.support)
    before = await _overview(http)

    summary = await http.get("/api/v1/customers/summary", params={"email": ADDRESS},
                             headers=support)  # fmt: skip
    export = await http.get("/api/v1/customers/export", params={"email": ADDRESS.upper()},
                            headers=support)  # fmt: skip
    erased = await http.post("/api/v1/customers/erase", json={"email": ADDRESS.upper()},
                             headers=support)  # fmt: skip
    again = await http.post("/api/v1/customers/erase", json={"email": ADDRESS}, headers=support)
    after = await http.get("/api/v1/customers/summary", params={"email": ADDRESS},
                           headers=support)  # fmt: skip

    assert summary.status_code == 200, summary.text
    assert summary.json()["held"]["carts"] == 1 and not summary.json()["erased_before"]
    assert export.status_code == 200 and export.json()["carts"][0]["id"] == "cart_jane"
    assert erased.status_code == 200, erased.text
    body = erased.json()
    assert body["erased"] and body["removed"]["carts"] == 1 and body["removed"]["orders"] == 1
    assert body["journeys_not_reached"] == 1  # Temporal out of reach; its records say stop
    assert again.json() == {
        "erased": False, "removed": {}, "journeys_cancelled": 0, "journeys_not_reached": 0
    }  # fmt: skip
    assert after.json()["erased_before"] and not any(after.json()["held"].values())
    overview = await _overview(http)
    assert (overview["carts_recovered"], overview["revenue"]) == (1, before["revenue"])
    assert overview == before
    with session_scope(settings.resolved_database_url) as session:
        entries = session.exec(select(AuditEntry)).all()
        logged = [e for e in entries if e.action == "POST /api/v1/customers/erase"]
        assert len(logged) == 2 and logged[0].resource == export.json()["customer"][0]["id"]
        assert logged[0].detail["removed"]["carts"] == 1
        assert all("jane" not in str(e.model_dump()).lower() for e in entries)


CUSTOMER_ROUTES = [
    ("GET", "/api/v1/customers/summary"),
    ("GET", "/api/v1/customers/export"),
    ("POST", "/api/v1/customers/erase"),
]
PRIVACY_ROUTES = [
    ("GET", "/api/v1/privacy/retention-runs"),
    ("POST", "/api/v1/privacy/retention-runs"),
    ("GET", "/api/v1/privacy/data-requests"),
]


def _call(method: str, path: str, email: str = ADDRESS) -> dict[str, Any]:
    if method == "GET":
        return {"method": method, "url": path, "params": {"email": email}}
    return {"method": method, "url": path, "json": {"email": email}}


@pytest.mark.parametrize(
    ("role", "customers", "privacy"),
    [
        (None, 200, 200),  # admin
        (Role.support, 200, 403),
        (Role.marketer, 403, 403),
        (Role.developer, 403, 403),
        (Role.ingest, 403, 403),
    ],
)
async def test_who_may_reach_personal_data(
    http: httpx.AsyncClient, settings: Settings, role: Role | None, customers: int, privacy: int
) -> None:
    headers = token_headers(settings, role) if role else {}
    for routes, expected in ((CUSTOMER_ROUTES, customers), (PRIVACY_ROUTES, privacy)):
        for method, path in routes:
            response = await http.request(**_call(method, path), headers=headers)

            assert response.status_code == expected, (method, path, response.text)


@pytest.mark.parametrize("email", ["not-an-address", "jane@", ""])
async def test_an_invalid_address_is_refused_naming_the_field(
    http: httpx.AsyncClient, email: str
) -> None:
    for method, path in CUSTOMER_ROUTES:
        response = await http.request(**_call(method, path, email))

        assert response.status_code == 422, (path, response.text)
        fields = [p["field"].removeprefix("query.") for p in response.json()["problems"]]
        assert fields == ["email"], (path, fields)


async def test_carts_posted_today_count_from_when_they_were_abandoned(api: Api) -> None:
    """A shop that reports old abandonments today (an import, a late webhook): the cart of 31
    days ago goes, the one of 29 days ago stays; a cart of 31 days ago that the shop reported
    in use yesterday stays too."""
    http, today = api.http, now()

    async def post(kind: str, cart_id: str, at: datetime) -> None:
        data = {
            "cart_id": cart_id,
            "customer_email": f"{cart_id}@example.com",
            "items": [{"id": "p1", "name": "Lamp", "price": 30, "quantity": 1}],
            "subtotal": 30,
            "shipping": 0,
            "tax": 0,
            "total": 30,
            "currency": "EUR",
        }
        if kind == "cart_abandoned":
            data["abandoned_at"] = at.isoformat()
        body = {"event": kind, "timestamp": today.isoformat(), "data": data}
        if kind == "cart_updated":
            body["timestamp"] = at.isoformat()
        response = await http.post("/api/v1/events", json=body)
        assert response.status_code == 202, response.text

    await post("cart_abandoned", "cart_day_31", today - timedelta(days=31))
    await post("cart_abandoned", "cart_day_29", today - timedelta(days=29))
    await post("cart_abandoned", "cart_back", today - timedelta(days=31))
    await post("cart_updated", "cart_back", today - timedelta(days=1))
    day_31 = str((today - timedelta(days=31)).date())
    period = {"from": day_31, "to": str(today.date())}
    before = (await http.get("/api/v1/analytics/overview", params=period)).json()

    run = await http.post("/api/v1/privacy/retention-runs")

    assert run.status_code == 200, run.text
    assert run.json()["counts"]["carts"] == 1
    assert _carts(api.settings) == ["cart_back", "cart_day_29"]
    gone = await http.get("/api/v1/carts/cart_day_31")
    assert gone.status_code == 404
    after = (await http.get("/api/v1/analytics/overview", params=period)).json()
    assert after == before and after["carts_abandoned"] == 3
