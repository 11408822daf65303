"""The catalog's condition fields are exactly what each trigger's enrolment context holds:
the builder never offers a field a journey lacks, and lists every one it has."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from engine.language.condition_fields import CONDITION_FIELDS, ORDER_TRIGGERS
from engine.language.definition import TriggerEvent
from engine.language.money import MONEY_FIELDS, ShopMoney
from engine.runtime.settings import Settings
from engine.service import enrolment, orders
from engine.store import models

_CUSTOMER = models.Customer(
    id="cus_1", email="jane@example.com", tags=["vip"], timezone="UTC", locale="de-DE"
)
_FACTS = enrolment.CustomerFacts(
    _CUSTOMER, order_count=2, lifetime_spend={"EUR": Decimal(80), "USD": Decimal(300)}
)
_MONEY = ShopMoney("USD", {"EUR": Decimal("1.08")})
_CART = models.Cart(id="cart_1", customer_id="cus_1", items=[{"category": "audio"}])


# In the context for the interpreter, not for rules: the shop's time zone (`wait_until`
# falls back to it), its currency and rates (money comparisons read them) and the subject's ids.
_UNOFFERED = {"shop.timezone", "shop.currency", "shop.rates", "cart.id", "order.id"}
# Values that are objects but one field each: amounts per currency, rates per currency.
_WHOLE = {*MONEY_FIELDS, "shop.rates"}


class _History(orders.OrderHistory):
    """An order whose items and fulfilment are known (the context then names them)."""

    def __init__(self) -> None:
        pass

    @property
    def item_count(self) -> int | None:
        return 2

    @property
    def partial(self) -> bool | None:
        return False


def _leaves(context: dict[str, Any], prefix: str = "") -> set[str]:
    paths = set()
    for key, value in context.items():
        path = f"{prefix}{key}"
        whole = not isinstance(value, dict) or path in _WHOLE
        paths |= {path} if whole else _leaves(value, f"{path}.")
    return paths


def _context(trigger: str, *, for_filters: bool) -> dict[str, Any]:
    settings = Settings()
    if trigger in ORDER_TRIGGERS:
        order = models.Order(id="o_1", total=Decimal(50), placed_at=datetime.now(UTC))
        context = enrolment.order_enrolment_context(
            order, None, trigger, _History(), _FACTS, settings, _MONEY
        )
        return enrolment._with_personal_facts(context, _FACTS) if for_filters else context
    if for_filters:
        return enrolment.filter_facts(_CART, trigger, _FACTS, settings, _MONEY)
    return enrolment.enrolment_context(_CART, trigger, _FACTS, settings, _MONEY)


@pytest.mark.parametrize("trigger", TriggerEvent.__args__)  # type: ignore[attr-defined]
def test_each_trigger_offers_the_fields_its_journeys_have(trigger: str) -> None:
    offered = {f.path for f in CONDITION_FIELDS if trigger in f.triggers}
    for_steps = {f.path for f in CONDITION_FIELDS if trigger in f.triggers and not f.filters_only}

    assert offered == _leaves(_context(trigger, for_filters=True)) - _UNOFFERED
    assert for_steps == _leaves(_context(trigger, for_filters=False)) - _UNOFFERED


def test_order_statuses_are_those_orders_take() -> None:
    [status] = [f for f in CONDITION_FIELDS if f.path == "order.status"]

    assert status.values == (*orders.ORDER_PROGRESS, orders.CANCELLED)


def test_the_money_fields_are_those_compared_as_money() -> None:
    offered = {f.path for f in CONDITION_FIELDS if f.type == "money"}

    assert offered == set(MONEY_FIELDS)
    assert all(currency in {f.path for f in CONDITION_FIELDS} for currency in
               filter(None, MONEY_FIELDS.values()))  # fmt: skip


def test_lifetime_spend_is_kept_per_currency() -> None:
    context = _context("cart_abandoned", for_filters=False)

    assert context["customer"]["lifetime_spend"] == {"EUR": 80.0, "USD": 300.0}
    assert context["shop"] == {
        "timezone": "UTC",
        "currency": "USD",
        "rates": {"EUR": "1.08"},
    }
