"""`/api/v1/settings`: the admin reads the settings in use and changes the shop's own, with
the environment's values behind them; the Brevo key is never shown; every change is audited."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from builder_api.main import create_app
from engine.runtime.settings import Settings
from engine.service.auth import Role, ensure_token
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from tests.conftest import ADMIN_TOKEN

BREVO_KEY = "xkeysib-very-secret-key-0123456789"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "email_transport": "brevo",
            "brevo_api_key": SecretStr(BREVO_KEY),
            "sender_email": "env@shop.com",
            "frequency_cap": " 2 / P1D",  # the form a shop might write
            "public_url": "https://boomerang.shop.com/",
        }
    )


@pytest.fixture
async def http(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The API on a real database; these routes need no Temporal."""
    prepare(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings)),
        base_url="http://boomerang.test",
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    ) as client:
        yield client


ENVIRONMENT: dict[str, Any] = {
    "sender_email": "env@shop.com",
    "sender_name": None,
    "frequency_cap": "2/1d",
    "inactivity_threshold": "30m",
    "default_quiet_hours": None,
    "require_marketing_consent": False,
    "storefront_origins": [],
    "attribution_click_days": 5,
    "attribution_delivery_days": 5,
    "retention_abandoned_carts": 30,
    "retention_events": 30,
    "retention_messages": 90,
    "currency_rates": None,
}


async def test_the_environment_values_are_in_use_until_the_shop_sets_its_own(
    http: httpx.AsyncClient,
) -> None:
    response = await http.get("/api/v1/settings")
    body = response.json()

    assert response.status_code == 200
    assert body["shop"] == body["environment"] == ENVIRONMENT
    assert body["from_shop"] == []
    assert (body["email_transport"], body["brevo_api_key_configured"]) == ("brevo", True)
    assert body["public_url"] == "https://boomerang.shop.com"
    assert (body["shop_name"], body["updated_at"]) == ("our shop", None)
    assert BREVO_KEY not in response.text


async def test_a_partial_update_changes_only_what_it_names(http: httpx.AsyncClient) -> None:
    night = {"start": "21:00", "end": "08:00", "timezone": "Europe/Paris"}
    first = await http.put(
        "/api/v1/settings",
        json={"frequency_cap": "", "inactivity_threshold": "PT45M", "default_quiet_hours": night},
    )
    second = await http.put(
        "/api/v1/settings", json={"sender_name": "Lamps & Co", "frequency_cap": None}
    )
    read = (await http.get("/api/v1/settings")).json()

    assert first.status_code == 200, first.text
    assert first.json()["shop"] == {
        **ENVIRONMENT,
        "frequency_cap": "",
        "inactivity_threshold": "45m",
        "default_quiet_hours": night,
    }
    assert first.json()["from_shop"] == [
        "frequency_cap",
        "inactivity_threshold",
        "default_quiet_hours",
    ]
    assert second.status_code == 200, second.text
    assert read == second.json()
    assert read["shop"] == {
        **ENVIRONMENT,
        "sender_name": "Lamps & Co",
        "inactivity_threshold": "45m",
        "default_quiet_hours": night,
    }
    assert read["from_shop"] == ["sender_name", "inactivity_threshold", "default_quiet_hours"]
    assert read["environment"] == ENVIRONMENT
    assert read["updated_at"] is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sender_email": "nobody"}, "sender_email"),
        ({"frequency_cap": "3 a day"}, "frequency_cap"),
        ({"inactivity_threshold": "0m"}, "inactivity_threshold"),
        ({"default_quiet_hours": {"start": "9:00", "end": "17:00"}}, "default_quiet_hours.start"),
        ({"brevo_api_key": "xkeysib-other"}, "brevo_api_key"),
        ({"storefront_origins": ["https://shop.example.com/cart"]}, "storefront_origins"),
        ({"require_marketing_consent": "sometimes"}, "require_marketing_consent"),
        ({"attribution_click_days": -1}, "attribution_click_days"),
        ({"attribution_delivery_days": "a week"}, "attribution_delivery_days"),
        ({"currency_rates": {"rates": {"XYZ": "1.5"}}}, "currency_rates.rates.XYZ"),
        ({"currency_rates": {"rates": {"EUR": "0"}}}, "currency_rates.rates.EUR"),
        ({"currency_rates": {"rates": {"EUR": "-1.08"}}}, "currency_rates.rates.EUR"),
        ({"currency_rates": {"rates": {"EUR": "lots"}}}, "currency_rates.rates.EUR"),
        ({"currency_rates": {"rates": {}}}, "currency_rates.rates"),
        ({"currency_rates": {"rates": {"USD": "1"}}}, "currency_rates.rates.USD"),  # the shop's
    ],
)
async def test_a_bad_value_is_refused_naming_its_field_and_nothing_changes(
    http: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await http.put("/api/v1/settings", json={"sender_name": "Fine", **body})
    after = (await http.get("/api/v1/settings")).json()

    assert response.status_code == 422, response.text
    assert [p["field"] for p in response.json()["problems"]] == [field]
    assert after["from_shop"] == []


async def test_a_change_is_in_the_audit_log_without_its_values(http: httpx.AsyncClient) -> None:
    await http.put("/api/v1/settings", json={"sender_email": "hello@lamps.com"})

    entries = (await http.get("/api/v1/audit")).json()

    [entry] = [e for e in entries if e["action"] == "PUT /api/v1/settings"]
    assert (entry["status_code"], entry["resource"]) == (200, "shop")
    assert entry["detail"] == {"changed": ["sender_email"]}
    assert "hello@lamps.com" not in str(entries)


async def test_storefront_origins_are_kept_as_browsers_send_them(http: httpx.AsyncClient) -> None:
    response = await http.put(
        "/api/v1/settings", json={"storefront_origins": [" HTTPS://Shop.Example.com/ "]}
    )

    assert response.status_code == 200, response.text
    assert response.json()["shop"]["storefront_origins"] == ["https://shop.example.com"]
    assert response.json()["from_shop"] == ["storefront_origins"]


async def test_who_lists_automations_learns_whether_marketing_consent_is_required(
    http: httpx.AsyncClient, settings: Settings
) -> None:
    with session_scope(settings.resolved_database_url) as session:
        ensure_token(session, "test-marketer-token", name="marketer", role=Role.marketer)
    marketer = {"Authorization": "Bearer test-marketer-token"}

    before = await http.get("/api/v1/settings/enrolment", headers=marketer)
    switched = await http.put("/api/v1/settings", json={"require_marketing_consent": True})
    after = await http.get("/api/v1/settings/enrolment", headers=marketer)
    settings_as_marketer = await http.get("/api/v1/settings", headers=marketer)

    assert before.json() == {"require_marketing_consent": False}
    assert switched.json()["shop"]["require_marketing_consent"] is True
    assert after.json() == {"require_marketing_consent": True}
    assert settings_as_marketer.status_code == 403
