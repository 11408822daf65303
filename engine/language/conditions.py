"""Conditions over a journey's facts: `all`, `any`, `not` and leaf comparisons.

Pure. The facts are the enrolment context (`cart.*`, `customer.*`, `order.*`, `event.*`)
and, inside a journey, what earlier actions returned (`steps.<id>.*`); a field that is not
there is missing, which only `exists`, `ne` and `not_in` can match.
"""

from typing import Any

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
            return _compare(lookup(facts, condition.field), condition.op, condition.value)
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
