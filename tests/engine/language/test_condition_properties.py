"""Properties of the condition evaluator over generated condition trees and journey facts:
every condition evaluates to true or false (a malformed one is refused when it is read), and
the operators keep the algebra a marketer expects of them."""

from typing import Any, get_args

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from engine.language.conditions import evaluate
from engine.language.definition import All, AnyOf, Condition, Leaf, Not, Operator

# Derandomized: the same examples on every run, here and in CI.
PROPERTY = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CONDITION = TypeAdapter(Condition)

# Few paths, so generated conditions and generated facts meet often.
FIELDS = ["cart.total", "cart.currency", "customer.segment", "customer.tags", "steps.code-1.code"]
OPERATORS: list[str] = list(get_args(Operator))

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(-5, 5)
    | st.sampled_from(["", "vip", "new", "EUR", "a"])
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b"]), inner),
    max_leaves=6,
)
leaves = st.builds(
    Leaf, field=st.sampled_from(FIELDS), op=st.sampled_from(OPERATORS), value=json_values
)
conditions: st.SearchStrategy[Condition] = st.recursive(
    leaves,
    lambda inner: (
        st.builds(All, all=st.lists(inner, max_size=3))
        | st.builds(AnyOf, any=st.lists(inner, max_size=3))
        | st.builds(Not, not_=inner)
    ),
    max_leaves=8,
)


@st.composite
def journey_facts(draw: st.DrawFn) -> dict[str, Any]:
    """Facts with some of FIELDS present (any JSON value), the others missing."""
    facts: dict[str, Any] = {}
    for path in FIELDS:
        if draw(st.booleans()):
            *parents, last = path.split(".")
            node = facts
            for part in parents:
                node = node.setdefault(part, {})
            node[last] = draw(json_values)
    return facts


@PROPERTY
@given(conditions, journey_facts())
def test_every_condition_is_true_or_false(condition: Condition, facts: dict[str, Any]) -> None:
    assert isinstance(evaluate(condition, facts), bool)


@PROPERTY
@given(
    json_values
    | st.dictionaries(st.sampled_from(["field", "op", "value", "all", "any", "not"]), json_values),
    journey_facts(),
)
def test_any_json_is_a_condition_that_evaluates_or_is_refused_when_read(
    raw: Any, facts: dict[str, Any]
) -> None:
    try:
        condition = CONDITION.validate_python(raw)
    except ValidationError:
        return  # refused where a definition is read: a problem the marketer sees
    assert isinstance(evaluate(condition, facts), bool)


@PROPERTY
@given(conditions, journey_facts())
def test_not_inverts(condition: Condition, facts: dict[str, Any]) -> None:
    assert evaluate(Not(not_=condition), facts) is not evaluate(condition, facts)


def test_all_of_nothing_holds_and_any_of_nothing_does_not() -> None:
    assert evaluate(All(all=[]), {}) is True
    assert evaluate(AnyOf(any=[]), {}) is False


@PROPERTY
@given(conditions, conditions, journey_facts())
def test_all_and_any_follow_de_morgan(
    first: Condition, second: Condition, facts: dict[str, Any]
) -> None:
    both = evaluate(All(all=[first, second]), facts)
    either_not = evaluate(AnyOf(any=[Not(not_=first), Not(not_=second)]), facts)
    assert both is not either_not
    assert evaluate(All(all=[first]), facts) is evaluate(AnyOf(any=[first]), facts)


@PROPERTY
@given(st.sampled_from(FIELDS), json_values, journey_facts())
def test_ne_is_the_opposite_of_eq_present_or_missing(
    field: str, value: Any, facts: dict[str, Any]
) -> None:
    equal = evaluate(Leaf(field=field, op="eq", value=value), facts)
    assert evaluate(Leaf(field=field, op="ne", value=value), facts) is not equal


@PROPERTY
@given(st.sampled_from(FIELDS), st.lists(json_values, max_size=4), journey_facts())
def test_not_in_a_list_is_the_opposite_of_in_it(
    field: str, choices: list[Any], facts: dict[str, Any]
) -> None:
    inside = evaluate(Leaf(field=field, op="in", value=choices), facts)
    assert evaluate(Leaf(field=field, op="not_in", value=choices), facts) is not inside


@PROPERTY
@given(st.sampled_from(FIELDS), journey_facts())
def test_exists_false_is_the_opposite_of_exists(field: str, facts: dict[str, Any]) -> None:
    present = evaluate(Leaf(field=field, op="exists", value=True), facts)
    assert evaluate(Leaf(field=field, op="exists", value=False), facts) is not present
    assert evaluate(Leaf(field=field, op="exists"), facts) is present


@PROPERTY
@given(st.sampled_from(FIELDS), st.integers(-5, 5), journey_facts())
def test_a_missing_field_matches_only_ne_and_not_in(
    field: str, value: int, facts: dict[str, Any]
) -> None:
    root = field.split(".")[0]
    without = {key: val for key, val in facts.items() if key != root}
    for op in OPERATORS:
        expected = op in ("ne", "not_in")
        operand: Any = {"in": [value], "not_in": [value], "exists": True}.get(op, value)
        assert evaluate(Leaf(field=field, op=op, value=operand), without) is expected, op
