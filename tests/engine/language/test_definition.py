"""The automation language (definition version 1): parsing, validation, serialising."""

import json
from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from engine.language.definition import (
    STEP_TYPES,
    Automation,
    ConditionStep,
    ExitStep,
    Leaf,
    Not,
    format_duration,
    parse_duration,
    walk,
)

# Copied from DESIGN.md, "The automation definition (version 1)".
DESIGN_EXAMPLE = """
{
  "name": "Abandoned cart — three reminders",
  "trigger": {"event": "cart_abandoned",
              "filters": {"all": [{"field": "cart.total", "op": "gte", "value": 25}]}},
  "exit_on": ["order_placed", "cart_recovered", "unsubscribed"],
  "settings": {"quiet_hours": {"start": "21:00", "end": "08:00", "timezone": "customer"},
               "holdout_percent": 0, "reentry_cooldown": "14d"},
  "steps": [
    {"id": "wait-1",  "type": "wait", "duration": "1h"},
    {"id": "email-1", "type": "action", "action": "send_email",
     "params": {"template": "cart-reminder", "subject": "Forgot something, {{ customer.first_name }}?"}},
    {"id": "wait-2",  "type": "wait", "duration": "24h"},
    {"id": "vip?",    "type": "condition",
     "if": {"field": "customer.segment", "op": "eq", "value": "vip"},
     "then": [{"id": "code-vip", "type": "action", "action": "create_discount", "params": {"percent": 15}}],
     "else": [{"id": "code-std", "type": "action", "action": "create_discount", "params": {"percent": 10}}]},
    {"id": "subject-test", "type": "ab_split", "variants": [
      {"name": "urgency",  "weight": 50, "steps": [{"id": "email-2a", "type": "action", "action": "send_email",
        "params": {"template": "cart-discount", "subject": "Items in your cart are selling fast!"}}]},
      {"name": "friendly", "weight": 50, "steps": [{"id": "email-2b", "type": "action", "action": "send_email",
        "params": {"template": "cart-discount", "subject": "Did you forget something?"}}]}]},
    {"id": "click?",  "type": "wait_for_event", "event": "email_clicked", "timeout": "48h",
     "on_event": [], "on_timeout": [{"id": "lost", "type": "exit", "outcome": "lost"}]}
  ]
}
"""  # noqa: E501 - kept exactly as DESIGN.md shows it

DESIGN_ORDER = [
    "wait-1",
    "email-1",
    "wait-2",
    "vip?",
    "code-vip",
    "code-std",
    "subject-test",
    "email-2a",
    "email-2b",
    "click?",
    "lost",
]


def definition(*steps: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"name": "test", "trigger": {"event": "cart_abandoned"}, "steps": list(steps), **fields}


def wait(step_id: str, duration: Any = "1h") -> dict[str, Any]:
    return {"id": step_id, "type": "wait", "duration": duration}


def action(step_id: str) -> dict[str, Any]:
    return {"id": step_id, "type": "action", "action": "send_email"}


def condition(step_id: str, then: list[Any], else_: list[Any]) -> dict[str, Any]:
    leaf = {"field": "customer.segment", "op": "eq", "value": "vip"}
    return {"id": step_id, "type": "condition", "if": leaf, "then": then, "else": else_}


def split(step_id: str, *variants: list[Any]) -> dict[str, Any]:
    return {
        "id": step_id,
        "type": "ab_split",
        "variants": [{"name": f"v{i}", "weight": 1, "steps": s} for i, s in enumerate(variants)],
    }


def rejection(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        Automation.model_validate(data)
    return str(caught.value)


# -- the DESIGN.md example ----------------------------------------------------


def test_design_example_parses() -> None:
    automation = Automation.model_validate_json(DESIGN_EXAMPLE)

    assert automation.name == "Abandoned cart — three reminders"
    assert automation.trigger.event == "cart_abandoned"
    assert automation.exit_on == ["order_placed", "cart_recovered", "unsubscribed"]
    assert automation.settings.reentry_cooldown == timedelta(days=14)
    assert automation.settings.quiet_hours is not None
    assert automation.settings.quiet_hours.start == "21:00"
    assert [step.id for step in walk(automation.steps)] == DESIGN_ORDER
    steps = automation.step_index()
    assert steps["wait-2"].duration == timedelta(hours=24)  # type: ignore[union-attr]
    assert steps["code-vip"].params == {"percent": 15}  # type: ignore[union-attr]
    assert steps["vip?"].if_ == Leaf(field="customer.segment", op="eq", value="vip")  # type: ignore[union-attr]


def test_design_example_round_trips_through_json_unchanged() -> None:
    automation = Automation.model_validate_json(DESIGN_EXAMPLE)

    dumped = automation.model_dump(mode="json")
    again = Automation.model_validate(dumped)

    assert again == automation
    assert again.model_dump(mode="json") == dumped
    # what is stored is plain JSON, and loading the stored text gives the same automation
    assert Automation.model_validate_json(json.dumps(dumped)) == automation


def test_design_example_serialises_with_the_documented_keys() -> None:
    dumped = Automation.model_validate_json(DESIGN_EXAMPLE).model_dump(mode="json")

    vip = dumped["steps"][3]
    assert vip["if"] == {"field": "customer.segment", "op": "eq", "value": "vip"}
    assert [s["id"] for s in vip["then"]] == ["code-vip"]
    assert [s["id"] for s in vip["else"]] == ["code-std"]
    assert dumped["steps"][0]["duration"] == "1h"
    assert dumped["steps"][5]["timeout"] == "2d"
    assert dumped["settings"]["reentry_cooldown"] == "14d"


# -- durations ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "compact"),
    [
        ("90s", timedelta(seconds=90), "1m30s"),
        ("30m", timedelta(minutes=30), "30m"),
        ("2h", timedelta(hours=2), "2h"),
        ("7d", timedelta(days=7), "7d"),
        ("1h30m", timedelta(hours=1, minutes=30), "1h30m"),
        ("PT2H", timedelta(hours=2), "2h"),
        ("P1DT2H", timedelta(days=1, hours=2), "1d2h"),
        ("PT45S", timedelta(seconds=45), "45s"),
        ("P1W", timedelta(weeks=1), "7d"),
        (" 2h ", timedelta(hours=2), "2h"),
    ],
)
def test_durations_parse_and_serialise_compactly(
    text: str, expected: timedelta, compact: str
) -> None:
    assert parse_duration(text) == expected
    assert format_duration(expected) == compact
    assert parse_duration(compact) == expected

    step = Automation.model_validate(definition(wait("w", text))).steps[0]
    assert step.duration == expected  # type: ignore[union-attr]
    assert step.model_dump(mode="json")["duration"] == compact


@pytest.mark.parametrize("text", ["soon", "2 hours", "-1h", "", "   ", "1.5h", "P", "PT0.5S"])
def test_a_bad_duration_is_rejected_saying_what_a_duration_looks_like(text: str) -> None:
    message = rejection(definition(wait("w", text)))

    assert "steps.0.wait.duration" in message
    assert "90s, 30m, 2h, 7d" in message
    assert "PT2H" in message


@pytest.mark.parametrize("value", [None, 3600])
def test_a_duration_must_be_text(value: Any) -> None:
    assert "90s, 30m, 2h, 7d" in rejection(definition(wait("w", value)))


@pytest.mark.parametrize("text", ["0s", "0h", "PT0S"])
def test_a_wait_of_zero_is_rejected(text: str) -> None:
    assert "longer than zero" in rejection(definition(wait("w", text)))


def test_a_wait_for_event_timeout_of_zero_is_rejected() -> None:
    step = {"id": "e", "type": "wait_for_event", "event": "email_clicked", "timeout": "0s"}

    assert "longer than zero" in rejection(definition(step))


# -- step types ---------------------------------------------------------------


def test_an_unknown_step_type_is_rejected_naming_the_allowed_types() -> None:
    message = rejection(definition(wait("w"), {"id": "sms-1", "type": "sms"}))

    assert "'sms'" in message
    for step_type in STEP_TYPES:
        assert f"'{step_type}'" in message


def test_a_step_without_a_type_is_rejected() -> None:
    assert "type" in rejection(definition({"id": "w", "duration": "1h"}))


# -- step ids -----------------------------------------------------------------


@pytest.mark.parametrize(
    "steps",
    [
        pytest.param([wait("dup"), action("dup")], id="top-level"),
        pytest.param([action("dup"), condition("c", [wait("dup")], [])], id="then-branch"),
        pytest.param([condition("c", [], [action("dup")]), wait("dup")], id="else-branch"),
        pytest.param([action("dup"), split("ab", [wait("x")], [action("dup")])], id="ab-variant"),
        pytest.param(
            [split("ab", [condition("c", [action("dup")], [])], [wait("dup")])], id="deep"
        ),
        pytest.param([condition("dup", [action("dup")], [])], id="branch-reuses-parent-id"),
    ],
)
def test_duplicate_step_ids_are_rejected_naming_the_id(steps: list[dict[str, Any]]) -> None:
    message = rejection(definition(*steps))

    assert "step id 'dup' is used more than once" in message


def test_the_same_ids_in_two_automations_are_fine() -> None:
    Automation.model_validate(definition(wait("w"), action("a")))
    Automation.model_validate(definition(wait("w"), action("a")))


# -- unknown keys -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (definition(wait("w"), colour="red"), "colour"),
        (definition({**wait("w"), "colour": "red"}), "steps.0.wait.colour"),
        (definition(wait("w"), settings={"quiet_hour": None}), "settings.quiet_hour"),
        (
            definition(
                {**split("ab", [], []), "variants": [{"name": "a", "weight": 1, "extra": 1}] * 2}
            ),
            "variants.0.extra",
        ),
        (
            definition(wait("w"), trigger={"event": "cart_abandoned", "filter": None}),
            "trigger.filter",
        ),
    ],
)
def test_unknown_keys_are_rejected(data: dict[str, Any], where: str) -> None:
    message = rejection(data)

    assert where in message
    assert "Extra inputs are not permitted" in message


def test_an_unknown_key_in_a_condition_leaf_is_rejected() -> None:
    step = condition("c", [], [])
    step["if"] = {**step["if"], "typo": 1}

    assert "typo" in rejection(definition(step))


# -- the if / else / not aliases ----------------------------------------------


def test_if_else_and_not_parse_from_their_json_names() -> None:
    step = {
        "id": "c",
        "type": "condition",
        "if": {"not": {"field": "cart.total", "op": "lt", "value": 50}},
        "then": [action("big")],
        "else": [action("small")],
    }

    parsed = Automation.model_validate(definition(step)).steps[0]

    assert isinstance(parsed, ConditionStep)
    assert parsed.if_ == Not(not_=Leaf(field="cart.total", op="lt", value=50))
    assert [s.id for s in parsed.then] == ["big"]
    assert [s.id for s in parsed.else_] == ["small"]


def test_if_else_and_not_serialise_under_their_json_names() -> None:
    step = ConditionStep(
        id="c",
        type="condition",
        if_=Not(not_=Leaf(field="cart.total", op="lt", value=50)),
        else_=[ExitStep(id="x", type="exit", outcome="lost")],
    )

    for dumped in (
        step.model_dump(),
        step.model_dump(mode="json"),
        json.loads(step.model_dump_json()),
    ):
        assert dumped == {
            "id": "c",
            "type": "condition",
            "if": {"not": {"field": "cart.total", "op": "lt", "value": 50}},
            "then": [],
            "else": [{"id": "x", "type": "exit", "outcome": "lost"}],
        }


# -- walk ---------------------------------------------------------------------


def test_walk_visits_nested_steps_in_document_order() -> None:
    wfe = {
        "id": "e",
        "type": "wait_for_event",
        "event": "email_clicked",
        "timeout": "1h",
        "on_event": [action("e-yes")],
        "on_timeout": [action("e-no")],
    }
    automation = Automation.model_validate(
        definition(
            wait("1"),
            condition(
                "2",
                [action("2-then"), split("2-ab", [action("2-ab-a")], [action("2-ab-b")])],
                [action("2-else")],
            ),
            wfe,
            action("3"),
        )
    )

    assert [step.id for step in walk(automation.steps)] == [
        "1",
        "2",
        "2-then",
        "2-ab",
        "2-ab-a",
        "2-ab-b",
        "2-else",
        "e",
        "e-yes",
        "e-no",
        "3",
    ]


def test_walk_of_no_steps_is_empty() -> None:
    assert list(walk([])) == []
