"""Currencies never mix silently, through the real API, enrolment and worker: a `cart.total
>= 25` filter over EUR, USD and KRW carts, and the VIP segment by lifetime spend across
currencies, without rates, with per-currency thresholds and with the shop's rates."""

from typing import Any

from sqlmodel import select

from engine.store.db import session_scope
from engine.store.models import Enrolment
from tests.builder_api.conftest import Api

RATES = {"EUR": "1.08", "KRW": "0.00072"}  # in the shop's currency, USD (the default)


def _cart(cart_id: str, email: str, total: float, currency: str) -> dict[str, Any]:
    return {
        "event": "cart_abandoned",
        "timestamp": "2024-01-15T14:30:00Z",
        "data": {"cart_id": cart_id, "customer_email": email, "total": total,
                 "currency": currency,
                 "items": [{"id": "p1", "name": "Lamp", "price": total, "quantity": 1}]},
    }  # fmt: skip


def _order(order_id: str, email: str, total: float, currency: str) -> dict[str, Any]:
    return {
        "event": "order_placed",
        "timestamp": "2024-01-10T09:00:00Z",
        "id": f"evt-{order_id}",
        "data": {"order_id": order_id, "customer_email": email, "total": total,
                 "currency": currency},
    }  # fmt: skip


def _reminder(condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "Money reminder",
        "active": True,
        "definition": {
            "trigger": {"event": "cart_abandoned", "filters": {"all": [condition]}},
            "exit_on": ["order_placed", "cart_recovered", "unsubscribed"],
            "steps": [{"id": "wait-1", "type": "wait", "duration": "1h"}],
        },
    }


async def _post(api: Api, *events: dict[str, Any]) -> None:
    for event in events:
        response = await api.http.post("/api/v1/events", json=event)
        assert response.status_code == 202, response.text


async def _set_rates(api: Api, rates: dict[str, Any] | None) -> dict[str, Any]:
    body = None if rates is None else {"rates": rates}
    response = await api.http.put("/api/v1/settings", json={"currency_rates": body})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _entered(api: Api, automation_id: str) -> set[str]:
    with session_scope(api.settings.resolved_database_url) as session:
        rows = session.exec(
            select(Enrolment.subject_id).where(Enrolment.automation_id == automation_id)
        ).all()
        return set(rows)


async def _three_carts(api: Api, value: Any, tag: str) -> set[str]:
    """A USD cart at 30, a EUR cart at 30, KRW carts at 30,000 and 40,000: which enter."""
    automation_id = await api.create_automation(
        _reminder({"field": "cart.total", "op": "gte", "value": value})
    )
    await _post(
        api,
        _cart(f"{tag}-usd", f"usd.{tag}@example.com", 30, "USD"),
        _cart(f"{tag}-eur", f"eur.{tag}@example.com", 30, "EUR"),
        _cart(f"{tag}-krw", f"krw.{tag}@example.com", 30000, "KRW"),
        _cart(f"{tag}-krw-more", f"krw2.{tag}@example.com", 40000, "KRW"),
    )
    return {subject.removeprefix(f"{tag}-") for subject in _entered(api, automation_id)}


async def test_a_plain_amount_is_the_shops_currency_and_others_never_compare(api: Api) -> None:
    assert await _three_carts(api, 25, "plain") == {"usd"}


async def test_per_currency_thresholds_compare_each_cart_with_its_own(api: Api) -> None:
    thresholds = {"USD": 25, "EUR": 25, "KRW": 35000}

    assert await _three_carts(api, thresholds, "each") == {"usd", "eur", "krw-more"}


async def test_with_the_shops_rates_other_currencies_convert(api: Api) -> None:
    await _set_rates(api, RATES)

    # EUR 30 = USD 32.40; KRW 30,000 = USD 21.60; KRW 40,000 = USD 28.80.
    assert await _three_carts(api, 25, "rates") == {"usd", "eur", "krw-more"}


async def test_a_threshold_object_on_a_field_that_is_not_money_is_refused(api: Api) -> None:
    body = _reminder({"field": "cart.item_count", "op": "gte", "value": {"USD": 2}})

    response = await api.http.post("/api/v1/automations", json=body)

    assert response.status_code == 422, response.text
    assert "cart.item_count is not an amount of money" in response.text


async def _vip(api: Api, tag: str) -> bool:
    """Whether a customer who spent EUR 600 and USD 500 enters a VIP-only automation."""
    automation_id = await api.create_automation(
        _reminder({"field": "customer.segment", "op": "eq", "value": "vip"})
    )
    email = f"vip.{tag}@example.com"
    await _post(
        api,
        _order(f"{tag}-o1", email, 600, "EUR"),
        _order(f"{tag}-o2", email, 500, "USD"),
        _cart(f"{tag}-cart", email, 30, "USD"),
    )
    return _entered(api, automation_id) == {f"{tag}-cart"}


async def test_without_rates_spend_in_other_currencies_is_not_added_to_reach_vip(
    api: Api,
) -> None:
    """The default threshold is USD 1,000; USD 500 is under it, EUR 600 cannot compare."""
    assert not await _vip(api, "vip-none")


async def test_with_rates_lifetime_spend_converts_and_adds_up_to_vip(api: Api) -> None:
    await _set_rates(api, {"EUR": "1.08"})

    assert await _vip(api, "vip-rates")  # USD 500 + EUR 600 × 1.08 = USD 1,148


async def test_the_rates_are_kept_with_the_day_they_were_set(api: Api) -> None:
    answer = await _set_rates(api, {"eur": 1.08, "KRW": "0.00072"})

    rates = answer["shop"]["currency_rates"]
    assert rates["rates"] == {"EUR": "1.08", "KRW": "0.00072"}
    assert len(rates["set_on"]) == 10  # a date, stamped by the server
    assert "currency_rates" in answer["from_shop"]
    assert answer["environment"]["currency_rates"] is None
    assert answer["shop_currency"] == "USD"

    cleared = await _set_rates(api, None)

    assert cleared["shop"]["currency_rates"] is None
    assert "currency_rates" not in cleared["from_shop"]
