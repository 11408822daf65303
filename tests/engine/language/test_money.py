"""Money in conditions: amounts compare in their own currency or converted with the shop's
rates, never mixed silently; per-currency thresholds are checked when a definition is saved."""

from decimal import Decimal
from typing import Any

import pytest
from babel.core import get_global
from hypothesis import given
from hypothesis import strategies as st

from engine.language.conditions import evaluate
from engine.language.definition import Leaf, Not
from engine.language.definition_checks import problems_in
from engine.language.money import (
    CURRENCY_CODES,
    ShopMoney,
    compare,
    currency_code,
    parse_threshold,
)
from tests.engine.language.test_condition_properties import PROPERTY, json_values

RATES = {"EUR": "1.08", "KRW": "0.00072"}  # in a USD shop


def _cart(total: float, currency: str, *, rates: dict[str, str] | None = None) -> dict[str, Any]:
    shop: dict[str, Any] = {"timezone": "UTC", "currency": "USD"}
    if rates:
        shop["rates"] = rates
    return {"cart": {"total": total, "currency": currency}, "shop": shop}


def _spend(spend: dict[str, float], *, rates: dict[str, str] | None = None) -> dict[str, Any]:
    facts = _cart(0, "USD", rates=rates)
    facts["customer"] = {"lifetime_spend": spend}
    return facts


def _holds(facts: dict[str, Any], op: str, value: Any, field: str = "cart.total") -> bool:
    return evaluate(Leaf(field=field, op=op, value=value), facts)


def test_the_currency_codes_are_those_cldr_knows_in_use() -> None:
    in_use = {
        code
        for currencies in get_global("territory_currencies").values()
        for code, _, end, tender in currencies
        if end is None and tender
    }

    assert in_use == CURRENCY_CODES


CARTS = {"USD": _cart(30, "USD"), "EUR": _cart(30, "EUR"), "KRW": _cart(30000, "KRW")}


@pytest.mark.parametrize(
    ("value", "rates", "holding"),
    [
        # A plain amount is the shop's currency; without rates the others cannot compare.
        (25, None, {"USD"}),
        # One threshold per currency: each cart against its own.
        ({"USD": 25, "EUR": 25, "KRW": 35000}, None, {"USD", "EUR"}),
        ({"USD": 25, "EUR": 25, "KRW": 25000}, None, {"USD", "EUR", "KRW"}),
        # With rates: EUR 30 is USD 32.40, KRW 30,000 is USD 21.60.
        (25, RATES, {"USD", "EUR"}),
        (20, RATES, {"USD", "EUR", "KRW"}),
        # The currency's own threshold wins over conversion; the others convert.
        ({"USD": 25, "KRW": 20000}, RATES, {"USD", "EUR", "KRW"}),
        # No USD threshold and no EUR one: EUR carts cannot compare, even with rates.
        ({"KRW": 20000}, RATES, {"KRW"}),
    ],
)
def test_a_cart_total_compares_in_its_own_currency(
    value: Any, rates: dict[str, str] | None, holding: set[str]
) -> None:
    held = {
        currency
        for currency, facts in CARTS.items()
        if _holds({**facts, "shop": _cart(0, "USD", rates=rates)["shop"]}, "gte", value)
    }

    assert held == holding


def test_a_comparison_that_cannot_be_made_holds_for_no_operator() -> None:
    euros = _cart(30, "EUR")

    for op in ("eq", "ne", "gt", "gte", "lt", "lte"):
        assert not _holds(euros, op, 25)
    # `not` of it does hold: a rule meant "under 25" is written `lt`, not `not gte`.
    assert evaluate(Not.model_validate({"not": {"field": "cart.total", "op": "gte", "value": 25}}),
                    euros)  # fmt: skip


def test_journeys_that_began_before_currencies_counted_compare_bare_numbers() -> None:
    """Their facts have no `shop.currency`: replaying them decides as they did."""
    old = {"cart": {"total": 30, "currency": "EUR"}, "shop": {"timezone": "UTC"}}

    assert _holds(old, "gte", 25)
    assert _holds({"customer": {"lifetime_spend": 1200.0}}, "gt", 1000, "customer.lifetime_spend")


@pytest.mark.parametrize(
    ("spend", "op", "value", "rates", "expected"),
    [
        # One currency: as a cart.
        ({"USD": 1200}, "gt", 1000, None, True),
        ({"EUR": 1200}, "gt", 1000, None, False),
        ({"EUR": 1200}, "gt", {"EUR": 1000}, None, True),
        ({}, "lt", 1000, None, True),  # nothing spent: zero in the shop's currency
        ({}, "gt", {"EUR": 0}, None, False),
        ({}, "lt", {"EUR": 100}, None, True),  # zero in euros too
        ({}, "gte", {"EUR": 0, "KRW": 1000}, None, True),
        # Several, with rates: the converted sum (600 + 500 × 1.08 = 1140).
        ({"USD": 600, "EUR": 500}, "gt", 1000, RATES, True),
        ({"USD": 600, "EUR": 500}, "lt", 1000, RATES, False),
        ({"USD": 600, "EUR": 500}, "eq", 1140, RATES, True),
        # Several, without rates: some currency alone over its threshold makes `gt` hold...
        ({"USD": 600, "EUR": 1100}, "gt", {"USD": 1000, "EUR": 1000}, None, True),
        ({"USD": 600, "EUR": 500}, "gt", {"USD": 1000, "EUR": 1000}, None, False),
        ({"USD": 600, "EUR": 500}, "gt", 1000, None, False),
        # ...`lt` needs every currency under its own threshold...
        ({"USD": 600, "EUR": 500}, "lt", {"USD": 1000, "EUR": 1000}, None, True),
        ({"USD": 600, "EUR": 500}, "lt", 1000, None, False),  # no EUR threshold
        # ...and `eq`/`ne` cannot be made (no one amount).
        ({"USD": 600, "EUR": 500}, "eq", {"USD": 600, "EUR": 500}, None, False),
        ({"USD": 600, "EUR": 500}, "ne", {"USD": 1, "EUR": 1}, None, False),
        # Rates, but one currency has none: per currency, as without rates.
        ({"USD": 600, "GBP": 1100}, "gt", {"GBP": 1000}, RATES, True),
    ],
)
def test_lifetime_spend_compares_per_currency_or_converted(
    spend: dict[str, float], op: str, value: Any, rates: dict[str, str] | None, expected: bool
) -> None:
    assert _holds(_spend(spend, rates=rates), op, value, "customer.lifetime_spend") is expected


def test_the_vip_threshold_reads_as_the_shop_or_per_currency() -> None:
    assert parse_threshold("1000") == Decimal(1000)
    assert parse_threshold(" eur:1000, KRW:1500000 ") == {
        "EUR": Decimal(1000),
        "KRW": Decimal(1500000),
    }
    for bad in ("-5", "EUR:", "EUR=1000", "XXX:1", "lots"):
        with pytest.raises(ValueError, match=r"."):
            parse_threshold(bad)
    assert currency_code(" krw ") == "KRW"


def test_rates_convert_only_what_they_know() -> None:
    money = ShopMoney("USD", {"EUR": Decimal("1.08")})

    assert money.convert({"USD": Decimal(10), "EUR": Decimal(10)}) == Decimal("20.80")
    assert money.convert({"KRW": Decimal(10)}) is None
    assert money.facts() == {"currency": "USD", "rates": {"EUR": "1.08"}}
    assert ShopMoney("USD").facts() == {"currency": "USD"}


amounts = st.integers(0, 10**6) | st.floats(0, 10**6, allow_nan=False)
thresholds = st.integers(0, 10**6)
ops = st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte"])


@PROPERTY
@given(amount=amounts, op=ops, threshold=thresholds)
def test_in_a_one_currency_shop_money_compares_as_numbers_did(
    amount: float, op: str, threshold: int
) -> None:
    """Old definitions keep their meaning: a USD cart in a USD shop, a plain threshold."""
    bare = {"cart": {"total": amount, "currency": "USD"}}

    assert _holds(_cart(amount, "USD"), op, threshold) == _holds(bare, op, threshold)
    assert _holds(_cart(amount, "USD"), op, {"USD": threshold}) == _holds(bare, op, threshold)


@PROPERTY
@given(
    spend=st.dictionaries(
        st.sampled_from(["USD", "EUR", "KRW", "GBP", "x", 3]), amounts | st.text()
    ),
    op=ops,
    value=thresholds | st.dictionaries(st.sampled_from(["USD", "EUR", "KRW"]), thresholds),
    rates=st.none() | st.just(RATES),
)
def test_gte_and_lt_never_both_hold_and_nothing_raises(
    spend: dict[Any, Any], op: str, value: Any, rates: dict[str, str] | None
) -> None:
    facts = _spend(spend, rates=rates)

    _holds(facts, op, value, "customer.lifetime_spend")
    assert not (
        _holds(facts, "gte", value, "customer.lifetime_spend")
        and _holds(facts, "lt", value, "customer.lifetime_spend")
    )


def test_a_value_that_is_not_an_amount_never_compares() -> None:
    money = ShopMoney("USD")

    assert not compare("30", "USD", "gte", 25, money)
    assert not compare(30, None, "gte", 25, money)
    assert not compare({"USD": "lots"}, None, "gte", 25, money)
    assert not compare(True, "USD", "gte", 0, money)


def _definition(condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "Money",
        "trigger": {"event": "cart_abandoned", "filters": condition},
        "steps": [
            {
                "id": "big?",
                "type": "condition",
                "if": condition,
                "then": [{"id": "end", "type": "exit", "outcome": "lost"}],
            },
        ],
    }


@pytest.mark.parametrize(
    ("leaf", "says"),
    [
        ({"field": "cart.item_count", "op": "gte", "value": {"USD": 2}}, "is not an amount"),
        ({"field": "cart.total", "op": "in", "value": {"USD": 2}}, "fits only eq"),
        ({"field": "cart.total", "op": "gte", "value": {"usd": 25}}, "'usd' is not an ISO 4217"),
        ({"field": "cart.total", "op": "gte", "value": {"XYZ": 25}}, "'XYZ' is not an ISO 4217"),
        ({"field": "order.total", "op": "gte", "value": {"EUR": "25"}}, "'25' is not a number"),
        ({"field": "cart.total", "op": "gte", "value": {"EUR": True}}, "True is not a number"),
        ({"field": "cart.total", "op": "gte", "value": {}}, "at least one currency"),
    ],
)
def test_a_per_currency_threshold_is_checked_when_saved(leaf: dict[str, Any], says: str) -> None:
    problems = problems_in(_definition(leaf), set())

    assert [(p.field, p.step_id) for p in problems] == [
        ("trigger.filters", None),
        ("if.value", "big?"),
    ]
    assert all(says in p.message for p in problems)


@pytest.mark.parametrize(
    "leaf",
    [
        {"field": "cart.total", "op": "gte", "value": {"USD": 25, "EUR": 25.5, "KRW": 35000}},
        {"field": "customer.lifetime_spend", "op": "gt", "value": {"EUR": 1000}},
        {"field": "cart.total", "op": "gte", "value": 25},  # a plain number, as ever
    ],
)
def test_a_good_threshold_passes(leaf: dict[str, Any]) -> None:
    assert problems_in(_definition(leaf), set()) == []


@PROPERTY
@given(
    field=st.sampled_from(["cart.total", "order.total", "customer.lifetime_spend"]),
    op=st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte", "in", "exists"]),
    value=json_values,
    actual=json_values,
    currency=json_values,
    rates=st.none() | st.just(RATES) | json_values,
)
def test_a_money_rule_over_any_facts_is_true_or_false(
    field: str, op: str, value: Any, actual: Any, currency: Any, rates: Any
) -> None:
    """Whatever a definition or the facts hold, a money rule decides; it never raises."""
    root = field.split(".")[0]
    facts = {
        root: {field.split(".")[1]: actual, "currency": currency},
        "shop": {"currency": "USD", "rates": rates},
    }

    assert evaluate(Leaf(field=field, op=op, value=value), facts) in (True, False)
