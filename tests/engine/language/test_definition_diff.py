"""The structural diff of two definitions: steps by id, and the automation's own fields."""

import copy
from typing import Any

from engine.language.definition import Automation
from engine.language.definition_diff import (
    FieldChange,
    StepChange,
    StepMove,
    StepRef,
    diff_definitions,
)

BASE: dict[str, Any] = {
    "name": "Three reminders",
    "trigger": {"event": "cart_abandoned"},
    "steps": [
        {"id": "wait-1", "type": "wait", "duration": "1h"},
        {"id": "email-1", "type": "action", "action": "send_email",
         "params": {"template": "cart-reminder", "subject": "Hi"}},
        {"id": "vip?", "type": "condition",
         "if": {"field": "customer.segment", "op": "eq", "value": "vip"},
         "then": [{"id": "code-vip", "type": "action", "action": "create_discount",
                   "params": {"percent": 15}}],
         "else": [{"id": "code-std", "type": "action", "action": "create_discount",
                   "params": {"percent": 10}}]},
        {"id": "ab", "type": "ab_split", "variants": [
            {"name": "a", "weight": 50, "steps": [{"id": "email-a", "type": "action",
                                                   "action": "send_email", "params": {}}]},
            {"name": "b", "weight": 50, "steps": []}]},
    ],
}  # fmt: skip


def _parsed(definition: dict[str, Any]) -> Automation:
    return Automation.model_validate(definition)


def _edited(**changes: Any) -> dict[str, Any]:
    edited = copy.deepcopy(BASE)
    edited.update(changes)
    return edited


def test_identical_definitions_have_no_changes_even_spelled_differently() -> None:
    iso = copy.deepcopy(BASE)
    iso["steps"][0]["duration"] = "PT1H"

    diff = diff_definitions(_parsed(BASE), _parsed(iso))

    assert diff.empty
    assert diff.summary() == []


def test_a_changed_field_is_named_with_its_values() -> None:
    edited = copy.deepcopy(BASE)
    edited["steps"][0]["duration"] = "2h"
    edited["steps"][1]["params"]["subject"] = "Hello"

    diff = diff_definitions(_parsed(BASE), _parsed(edited))

    assert diff.changed == [
        StepChange("wait-1", "wait", [FieldChange("duration", "1h", "2h")]),
        StepChange("email-1", "action", [FieldChange("params.subject", "Hi", "Hello")]),
    ]
    assert (diff.added, diff.removed, diff.moved) == ([], [], [])
    assert diff.summary() == [
        "Step 'wait-1' (wait) changed: duration '1h' → '2h'",
        "Step 'email-1' (action) changed: params.subject 'Hi' → 'Hello'",
    ]


def test_steps_added_and_removed_in_branches_name_their_branch() -> None:
    edited = copy.deepcopy(BASE)
    edited["steps"][2]["else"] = []
    edited["steps"][2]["then"].append({"id": "email-vip", "type": "action",
                                       "action": "send_email", "params": {}})  # fmt: skip

    diff = diff_definitions(_parsed(BASE), _parsed(edited))

    assert diff.removed == [StepRef("code-std", "action", "vip?.else")]
    assert diff.added == [StepRef("email-vip", "action", "vip?.then")]
    assert diff.changed == [], "a branch's steps are compared on their own, not as the parent"


def test_a_condition_and_variant_weights_are_fields_of_their_step() -> None:
    edited = copy.deepcopy(BASE)
    edited["steps"][2]["if"]["value"] = "repeat"
    edited["steps"][3]["variants"][1]["weight"] = 0

    diff = diff_definitions(_parsed(BASE), _parsed(edited))

    assert diff.changed == [
        StepChange("vip?", "condition", [FieldChange("if.value", "vip", "repeat")]),
        StepChange("ab", "ab_split", [FieldChange("variants.b.weight", 50, 0)]),
    ]


def test_a_step_moved_to_another_branch_or_place_is_a_move_not_a_removal() -> None:
    edited = copy.deepcopy(BASE)
    wait, email = edited["steps"][0], edited["steps"][1]
    edited["steps"][0], edited["steps"][1] = email, wait  # reordered
    code_std = edited["steps"][2]["else"].pop()
    edited["steps"][3]["variants"][1]["steps"].append(code_std)  # to another branch

    diff = diff_definitions(_parsed(BASE), _parsed(edited))

    assert (diff.added, diff.removed, diff.changed) == ([], [], [])
    assert diff.moved == [
        StepMove("wait-1", "steps (first)", "steps after 'email-1'"),
        StepMove("code-std", "vip?.else (first)", "ab.variants.b (first)"),
    ], "one of two swapped steps moved, not both"


def test_an_added_neighbour_does_not_make_a_step_count_as_moved() -> None:
    edited = copy.deepcopy(BASE)
    edited["steps"].insert(1, {"id": "wait-0", "type": "wait", "duration": "5m"})

    diff = diff_definitions(_parsed(BASE), _parsed(edited))

    assert diff.added == [StepRef("wait-0", "wait", "steps")]
    assert diff.moved == []


def test_trigger_exits_settings_and_name() -> None:
    edited = _edited(
        name="Renamed",
        trigger={"event": "cart_abandoned",
                 "filters": {"field": "cart.total", "op": "gte", "value": 25}},
        exit_on=["cart_recovered"],
        settings={"holdout_percent": 10},
    )  # fmt: skip

    diff = diff_definitions(_parsed(BASE), _parsed(edited))

    assert diff.name == FieldChange("name", "Three reminders", "Renamed")
    assert diff.trigger == [
        FieldChange("filters", None, {"field": "cart.total", "op": "gte", "value": 25})
    ]
    assert diff.exit_on == FieldChange(
        "exit_on", ["order_placed", "cart_recovered", "unsubscribed"], ["cart_recovered"]
    )
    assert diff.settings == [FieldChange("holdout_percent", 0, 10)]
    assert diff.summary()[:2] == [
        "Renamed from 'Three reminders' to 'Renamed'",
        "Trigger: filters nothing → {'field': 'cart.total', 'op': 'gte', 'value': 25}",
    ]


def test_a_first_version_adds_every_step() -> None:
    diff = diff_definitions(None, _parsed(BASE))

    assert [s.step_id for s in diff.added] == [
        "wait-1", "email-1", "vip?", "code-vip", "code-std", "ab", "email-a"
    ]  # fmt: skip
    assert not diff.empty
