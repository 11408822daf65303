"""`/api/v1/analytics/...`: the results through the API on a real database (no Temporal: these
routes read the database only), who may read them, and bad periods refused naming the field."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from builder_api.main import create_app
from engine.runtime.settings import Settings
from engine.service.auth import Role
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import Automation, AutomationVersion, Cart, Customer, Enrolment
from engine.store.types import utcnow
from tests.conftest import ADMIN_TOKEN
from tests.support import token_headers


@pytest.fixture
async def http(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    prepare(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings)),
        base_url="http://boomerang.test",
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    ) as client:
        yield client


def _shop(settings: Settings) -> None:
    """Two abandoned carts yesterday, one recovered in EUR; both entered `aut_api`.

    Yesterday at 10:00, so the recovery 4h32m later falls on the same day whenever the test runs."""
    yesterday = (utcnow() - timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    with session_scope(settings.resolved_database_url) as session:
        session.add(Customer(id="cus_1", email="jane@example.com"))
        session.add(Automation(id="aut_api", name="Reminders", status="active"))
        session.add(AutomationVersion(automation_id="aut_api", version=1, definition={"steps": []}))
        session.flush()
        for n, status in enumerate(("recovered", "lost")):
            session.add(
                Cart(
                    id=f"cart_{n}", customer_id="cus_1", status=status, currency="EUR",
                    total=12, abandoned_at=yesterday,
                    recovered_at=yesterday + timedelta(hours=4, minutes=32)
                    if status == "recovered" else None,
                )
            )  # fmt: skip
            session.add(
                Enrolment(
                    automation_id="aut_api", automation_version=1, subject_id=f"cart_{n}",
                    cart_id=f"cart_{n}", customer_id="cus_1", enrolled_at=yesterday,
                )
            )  # fmt: skip


async def test_the_overview_of_the_last_30_days(
    http: httpx.AsyncClient, settings: Settings
) -> None:
    _shop(settings)

    response = await http.get(
        "/api/v1/analytics/overview", headers=token_headers(settings, Role.marketer)
    )
    body = response.json()

    assert response.status_code == 200, response.text
    today = datetime.now(UTC).date()
    assert (body["from"], body["to"]) == (str(today - timedelta(days=29)), str(today))
    assert (body["carts_abandoned"], body["carts_entered"], body["carts_recovered"]) == (2, 2, 1)
    assert body["recovery_rate"] == 50.0
    assert body["revenue"] == [{"currency": "EUR", "amount": "12.00"}]
    assert body["median_time_to_recovery"] == "4h32m"
    assert len(body["daily"]) == 30
    assert set(body["emails"]) >= {"sent", "proxy_opened", "open_rate", "unsubscribe_rate"}


async def test_an_automations_results(http: httpx.AsyncClient, settings: Settings) -> None:
    _shop(settings)
    day = (utcnow() - timedelta(days=1)).date()

    response = await http.get(
        "/api/v1/analytics/automations/aut_api", params={"from": str(day), "to": str(day)}
    )
    body = response.json()

    assert response.status_code == 200, response.text
    assert (body["automation_id"], body["name"], body["from"]) == ("aut_api", "Reminders", str(day))
    assert body["totals"]["carts_recovered"] == 1 and "daily" not in body["totals"]
    assert body["versions"] == [
        {"version": 1, "entered": 2, "recovered": 1, "recovery_rate": 50.0, "sent": 0}
    ]
    assert (body["ab_tests"], body["holdout"]) == ([], None)
    missing = await http.get("/api/v1/analytics/automations/aut_nope")
    assert missing.status_code == 404


@pytest.mark.parametrize("role", [Role.support, Role.developer, Role.ingest])
async def test_only_marketers_and_admins_read_results(
    http: httpx.AsyncClient, settings: Settings, role: Role
) -> None:
    response = await http.get("/api/v1/analytics/overview", headers=token_headers(settings, role))

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-02-01", "to": "2026-01-01"}, "from"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "from"),
    ],
)
async def test_a_bad_period_is_refused_naming_its_field(
    http: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    for path in ("/api/v1/analytics/overview", "/api/v1/analytics/automations/aut_x"):
        response = await http.get(path, params=params)

        assert response.status_code == 422, response.text
        assert [p["field"].removeprefix("query.") for p in response.json()["problems"]] == [field]


def _recovered_in(settings: Settings, *amounts: tuple[str, Decimal]) -> None:
    """A recovered cart of `aut_api` yesterday per (currency, total)."""
    yesterday = (utcnow() - timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    with session_scope(settings.resolved_database_url) as session:
        session.add(Automation(id="aut_api", name="Reminders", status="active"))
        session.add(AutomationVersion(automation_id="aut_api", version=1, definition={"steps": []}))
        session.flush()
        for n, (currency, total) in enumerate(amounts):
            session.add(
                Cart(
                    id=f"cart_{n}", status="recovered", currency=currency, total=total,
                    abandoned_at=yesterday, recovered_at=yesterday + timedelta(hours=1),
                )
            )  # fmt: skip
            session.add(
                Enrolment(
                    automation_id="aut_api", automation_version=1, subject_id=f"cart_{n}",
                    cart_id=f"cart_{n}", enrolled_at=yesterday,
                )
            )  # fmt: skip


async def _results(http: httpx.AsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
    overview = await http.get("/api/v1/analytics/overview")
    automation = await http.get("/api/v1/analytics/automations/aut_api")
    assert overview.status_code == automation.status_code == 200, overview.text
    return overview.json(), automation.json()["totals"]


async def test_revenue_is_per_currency_with_a_converted_total_only_when_rates_are_set(
    http: httpx.AsyncClient, settings: Settings
) -> None:
    _recovered_in(settings, ("EUR", Decimal(100)), ("USD", Decimal(30)), ("KRW", Decimal(50000)))
    per_currency = [
        {"currency": "EUR", "amount": "100.00"},
        {"currency": "KRW", "amount": "50000.00"},
        {"currency": "USD", "amount": "30.00"},
    ]

    before = await _results(http)
    rates = {"rates": {"EUR": "1.08", "KRW": "0.00072"}}
    assert (await http.put("/api/v1/settings", json={"currency_rates": rates})).status_code == 200
    after = await _results(http)
    partly = {"rates": {"EUR": "1.08"}}  # no KRW rate: no total that leaves KRW out
    assert (await http.put("/api/v1/settings", json={"currency_rates": partly})).status_code == 200
    without_krw = await _results(http)

    for totals in before:
        assert totals["revenue"] == per_currency
        assert totals["revenue_converted"] is None
    for totals in after:
        assert totals["revenue"] == per_currency  # still per currency
        # 100 × 1.08 + 30 + 50,000 × 0.00072 = 108 + 30 + 36
        assert totals["revenue_converted"] == {
            "currency": "USD",
            "amount": "174.00",
            "rates_set_on": str(utcnow().date()),
        }
    for totals in without_krw:
        assert totals["revenue_converted"] is None
