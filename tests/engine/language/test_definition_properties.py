"""Properties of the definition checks over generated input: whatever JSON a builder or a
script sends as a definition, the checks answer with problems in the marketer's words, each
naming the field (and the step) it concerns, and never fail with an exception of their own.
An empty list of problems means the language's models accept the definition."""

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from engine.language.definition import DURATION_PATTERN, Automation, parse_duration
from engine.language.definition_checks import problems_in
from engine.language.problems import Problem

# Derandomized: the same examples on every run, here and in CI.
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TEMPLATES = {"cart-reminder"}
# What a library says when its words reach a caller unexplained.
LIBRARY_WORDS = [
    "Input should",
    "errors.pydantic.dev",
    "Value error,",
    "Traceback",
    "object has no attribute",
]

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
any_json = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)
# Values a definition's fields take, right and wrong: drawn from them, generated definitions
# reach deep into the language instead of failing at the first key.
field_values = any_json | st.sampled_from(
    [
        "1h", "30m", "0s", "PT2H", "soon", "", "wait", "action", "exit", "condition",
        "send_email", "create_discount", "cart_abandoned", "order_placed", "email_clicked",
        "cart.total", "steps.email-1.code", "customer segment", "eq", "in", "exists", "09:00",
        "25:00", "mon", "Europe/Paris", "Mars/Olympus", "email-1", "bad id", "lost", "LOST",
        0, 1, 50, 101, -1, {"template": "cart-reminder", "subject": "Hi"}, {"percent": 15},
        {"percent": 0}, {"template": "missing", "subject": "Hi"},
    ]
)  # fmt: skip
STEP_KEYS = [
    "id", "type", "duration", "time", "days", "timezone", "action", "params", "outcome",
    "if", "then", "else", "variants", "event", "timeout", "on_event", "on_timeout", "name",
    "weight", "steps", "field", "op", "value", "all", "any", "not", "extra",
]  # fmt: skip


def _shaped(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Objects with the language's keys, holding values or further such objects."""
    return st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(STEP_KEYS), inner, max_size=5
    )


nodes = st.recursive(field_values, _shaped, max_leaves=12)
definitions = st.fixed_dictionaries(
    {"trigger": st.sampled_from([{"event": "cart_abandoned"}, {"event": "nope"}]) | nodes},
    optional={
        "name": st.sampled_from(["Reminders", ""]) | any_json,
        "steps": st.lists(nodes, max_size=4) | nodes,
        "exit_on": st.lists(field_values, max_size=2),
        "settings": nodes,
        "extra": any_json,
    },
)


def _understandable(problem: Problem) -> bool:
    named = bool(problem.field) or bool(problem.step_id)
    plain = not any(words in problem.message for words in LIBRARY_WORDS)
    return named and bool(problem.message.strip()) and plain


@PROPERTY
@given(definitions | any_json)
def test_any_json_gets_named_problems_or_none_and_none_means_it_parses(raw: Any) -> None:
    problems = problems_in(raw, TEMPLATES)
    assert all(_understandable(problem) for problem in problems), problems
    try:
        Automation.model_validate(raw)
    except ValidationError:
        assert problems, "the models refuse it, the checks found nothing"


@PROPERTY
@given(
    st.text(max_size=12)
    | st.sampled_from(["1h30m", "P1DT2H", "PT", "P", "1H", " 2h ", "99999999999999999999d"])
    | st.from_regex(DURATION_PATTERN)  # what the OpenAPI document lets a client send
)
def test_a_duration_parses_or_fails_with_our_message(text: str) -> None:
    try:
        parse_duration(text)
    except ValueError as error:  # a 422 naming the field; any other exception is a 500
        assert "duration" in str(error)
