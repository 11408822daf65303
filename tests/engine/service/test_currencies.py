"""Money through the real enrolment path (ingest, without Temporal) on a real database: the
VIP threshold per currency, lifetime spend kept per currency, the shop's rates in a journey's
facts, order totals in the order's currency, and the simulation's customers as enrolment
sees them."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from engine.language.conditions import evaluate
from engine.language.definition import Leaf
from engine.language.money import ShopMoney
from engine.language.simulations import SimulationRequest
from engine.runtime.settings import Settings
from engine.service import automations, shop_settings, simulation
from engine.service.effects import Enrol
from engine.service.shop_settings import ShopSettingsChange
from engine.service.simulation_world import CartCase, PastOrder
from engine.store import models
from engine.store.db import session_scope
from tests.engine.service.support import install_automation, record_events
from tests.support import CART_ABANDONED, cart_event

EMAIL = "jane@example.com"


@pytest.fixture(autouse=True)
def _migrated(url: str) -> str:
    return url


def _order(order_id: str, total: float, currency: str, email: str = EMAIL) -> dict[str, Any]:
    return {
        "event": "order_placed",
        "timestamp": "2024-01-10T09:00:00Z",
        "id": f"evt-{order_id}",
        "data": {"order_id": order_id, "customer_email": email, "total": total,
                 "currency": currency},
    }  # fmt: skip


def _abandon(settings: Settings, *before: dict[str, Any], **data: Any) -> dict[str, Any]:
    """The journey context when jane abandons `cart-now` after these events."""
    install_automation(settings)
    event = cart_event(CART_ABANDONED, "cart-now", EMAIL, id="evt-abandon")
    event["data"].update(data)
    [enrolment] = record_events(settings.resolved_database_url, settings, *before, event)
    context: dict[str, Any] = enrolment.journey.context
    return context


def _set_rates(settings: Settings, rates: dict[str, str]) -> None:
    with session_scope(settings.resolved_database_url) as session:
        shop_settings.update(session, ShopSettingsChange.model_validate({"currency_rates": {
            "rates": rates}}))  # fmt: skip


@pytest.mark.parametrize(
    ("threshold", "orders", "segment"),
    [
        # Per currency, no rates: EUR 600 alone is over EUR 500.
        ("EUR:500,USD:1000", [("o1", 600, "EUR"), ("o2", 500, "USD")], "vip"),
        ("EUR:1000,KRW:1500000", [("o1", 600, "EUR"), ("o2", 1_000_000, "KRW")], "repeat"),
        ("EUR:1000,KRW:1500000", [("o1", 600, "EUR"), ("o2", 1_600_000, "KRW")], "vip"),
        # A plain threshold is the shop's currency (USD): euros do not count without rates.
        ("1000", [("o1", 900, "EUR"), ("o2", 900, "EUR")], "repeat"),
        ("1000", [("o1", 600, "USD"), ("o2", 500, "USD")], "vip"),
    ],
)
def test_the_vip_threshold_is_judged_per_currency(
    threshold: str, orders: list[tuple[str, float, str]], segment: str, settings: Settings
) -> None:
    settings = Settings.model_validate({**settings.model_dump(), "vip_lifetime_spend": threshold})

    context = _abandon(settings, *(_order(*order) for order in orders))

    assert context["customer"]["segment"] == segment


def test_with_rates_the_vip_threshold_compares_the_converted_sum(settings: Settings) -> None:
    _set_rates(settings, {"EUR": "1.08"})

    context = _abandon(settings, _order("o1", 900, "EUR"), _order("o2", 100, "USD"))

    assert context["customer"]["lifetime_spend"] == {"EUR": 900.0, "USD": 100.0}
    assert context["customer"]["segment"] == "vip"  # 972 + 100 > 1000
    # The journey keeps the rates it began with: its conditions convert as enrolment did.
    assert context["shop"] == {"timezone": "UTC", "currency": "USD", "rates": {"EUR": "1.08"}}
    assert evaluate(Leaf(field="customer.lifetime_spend", op="gt", value=1000), context)


def test_a_lifetime_spend_filter_reads_the_spend_per_currency(settings: Settings) -> None:
    url = settings.resolved_database_url
    big_in_euros = install_automation(
        settings,
        {"field": "customer.lifetime_spend", "op": "gte", "value": {"EUR": 500}},
        name="Euro fans",
    )
    big_in_dollars = install_automation(
        settings, {"field": "customer.lifetime_spend", "op": "gte", "value": 500}, name="USD"
    )
    record_events(url, settings, _order("o1", 600, "EUR"))

    effects = record_events(
        url, settings, cart_event(CART_ABANDONED, "cart-now", EMAIL, id="evt-abandon")
    )

    entered = {e.journey.automation_id for e in effects if isinstance(e, Enrol)}
    assert big_in_euros in entered and big_in_dollars not in entered


def test_an_order_total_compares_in_the_orders_currency(settings: Settings) -> None:
    url = settings.resolved_database_url
    definition = {
        "name": "Big orders",
        "trigger": {"event": "order_placed",
                    "filters": {"field": "order.total", "op": "gte", "value": {"KRW": 100000}}},
        "exit_on": ["unsubscribed"],
        "steps": [{"id": "wait-1", "type": "wait", "duration": "1h"}],
    }  # fmt: skip
    with session_scope(url) as session:
        automations.create_published(session, "Big orders", definition, active=True)

    small = record_events(url, settings, _order("o-small", 90000, "KRW", "a@example.com"))
    big = record_events(url, settings, _order("o-big", 120000, "KRW", "b@example.com"))
    dollars = record_events(url, settings, _order("o-usd", 120000, "USD", "c@example.com"))

    assert [isinstance(e, Enrol) for e in (*small, *big, *dollars)].count(True) == 1
    assert any(isinstance(e, Enrol) and e.journey.subject_id == "o-big" for e in big)


def test_the_simulation_sees_the_customers_spend_per_currency() -> None:
    start = datetime(2024, 2, 1, tzinfo=UTC)
    before = start - timedelta(days=3)
    case = CartCase(
        cart=models.Cart(id="c1", customer_id="cus_1"),
        customer=models.Customer(id="cus_1", email=EMAIL),
        start=start,
        orders=[
            PastOrder("o1", None, before, Decimal(600), "EUR", "placed"),
            PastOrder("o2", None, before, Decimal(500), "USD", "placed"),
            PastOrder("o3", None, before, Decimal(99), "USD", "cancelled"),
            PastOrder("o4", None, start + timedelta(days=1), Decimal(99), "KRW", "placed"),
        ],
    )

    facts = case.facts()

    assert facts.lifetime_spend == {"EUR": Decimal(600), "USD": Decimal(500)}
    assert ShopMoney("USD", {"EUR": Decimal("1.08")}).convert(facts.lifetime_spend) == Decimal(
        "1148.00"
    )


def _cart_abandoned(cart_id: str, email: str, total: float, currency: str) -> dict[str, Any]:
    return {
        "event": "cart_abandoned",
        "timestamp": "2024-01-15T14:30:00Z",
        "id": f"evt-{cart_id}",
        "data": {"cart_id": cart_id, "customer_email": email, "total": total,
                 "currency": currency, "abandoned_at": "2024-01-15T14:30:00Z",
                 "items": [{"id": "p1", "name": "Lamp", "price": total, "quantity": 1}]},
    }  # fmt: skip


def test_the_simulation_lets_in_whom_enrolment_let_in(settings: Settings) -> None:
    """VIP by lifetime spend across currencies and a cart-total filter, with rates for EUR
    only: enrolment and a simulation of the same carts agree on each cart."""
    url = settings.resolved_database_url
    _set_rates(settings, {"EUR": "1.08"})
    automation_id = install_automation(
        settings,
        {"all": [{"field": "customer.segment", "op": "eq", "value": "vip"},
                 {"field": "cart.total", "op": "gte", "value": 25}]},
    )  # fmt: skip
    record_events(
        url,
        settings,
        _order("o1", 600, "EUR", "mixed@example.com"),  # 648 + 500 > 1000: VIP
        _order("o2", 500, "USD", "mixed@example.com"),
        _order("o3", 500, "USD", "dollars@example.com"),  # not VIP
        _order("o4", 1000, "EUR", "euros@example.com"),  # 1080: VIP
    )
    carts = {
        "mixed-eur": ("mixed@example.com", 30, "EUR"),  # 32.40 USD: enters
        "dollars-usd": ("dollars@example.com", 30, "USD"),  # not VIP
        "euros-krw": ("euros@example.com", 90000, "KRW"),  # no KRW rate: no comparison
    }
    enrolled = set()
    for cart_id, (email, total, currency) in carts.items():
        effects = record_events(url, settings, _cart_abandoned(cart_id, email, total, currency))
        enrolled |= {e.journey.subject_id for e in effects if isinstance(e, Enrol)}

    with session_scope(url) as session:
        started = simulation.start(session, automation_id, SimulationRequest())
        simulation.run(session, settings, started.id)
        timelines = simulation.timelines(session, started.id, limit=10).items

    assert enrolled == {"mixed-eur"}
    assert {t.cart_id for t in timelines} == set(carts)
    assert {t.cart_id for t in timelines if t.entered} == enrolled
