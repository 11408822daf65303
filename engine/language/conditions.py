"""Conditions over a journey's facts: `all`, `any`, `not` and leaf comparisons.

Pure. The facts are the enrolment context (`cart.*`, `customer.*`, `order.*`, `event.*`)
and, inside a journey, what earlier actions returned (`steps.<id>.*`); a field that is not
there is missing, which only `exists`, `ne` and `not_in` can match.

Money fields (`cart.total`, `order.total`, `customer.lifetime_spend`, ...) compare amounts in
their own currency, or converted with the shop's rates (engine/language/money.py): never a
euro against a dollar threshold.
"""

from typing import Any

from engine.language import money
from engine.language.definition import All, AnyOf, Condition, Leaf, Not

_MISSING = object()


def lookup(facts: dict[str, Any], path: str) -> Any:
    value: Any = facts
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def evaluate(condition: Condition, facts: dict[str, Any]) -> bool:
    match condition:
        case All():
            return all(evaluate(c, facts) for c in condition.all)
        case AnyOf():
            return any(evaluate(c, facts) for c in condition.any)
        case Not():
            return not evaluate(condition.not_, facts)
        case Leaf():
            actual = lookup(facts, condition.field)
            if (
                condition.field in money.MONEY_FIELDS
                and condition.op in money.COMPARISONS
                and actual is not _MISSING
                and (shop := money.shop_of(facts)) is not None
            ):
                where = money.MONEY_FIELDS[condition.field]
                currency = None if where is None else lookup(facts, where)
                return money.compare(actual, currency, condition.op, condition.value, shop)
            return _compare(actual, condition.op, condition.value)
    raise TypeError(f"not a condition: {condition!r}")


def _compare(actual: Any, op: str, expected: Any) -> bool:
    if op == "exists":
        present = actual is not _MISSING and actual is not None
        return present if expected in (None, True) else not present
    if actual is _MISSING:
        return op in ("ne", "not_in")
    try:
        match op:
            case "eq":
                return bool(actual == expected)
            case "ne":
                return bool(actual != expected)
            case "gt":
                return bool(actual > expected)
            case "gte":
                return bool(actual >= expected)
            case "lt":
                return bool(actual < expected)
            case "lte":
                return bool(actual <= expected)
            case "in":
                return actual in expected
            case "not_in":
                return actual not in expected
            case "contains":
                return expected in actual
    except TypeError:
        return False  # comparing unlike types (a number with text) never matches
    raise ValueError(f"unknown operator {op!r}")
