"""The contract every action keeps, built-in or from a `boomerang.actions` entry point."""

import json

import pytest
from pydantic import ValidationError

from engine.language import actions as registry
from engine.language.actions import (
    ActionContext,
    ActionParams,
    ActionResult,
    RegisteredAction,
    load_actions,
)

ACTIONS = load_actions()


def test_the_built_in_actions_are_registered() -> None:
    assert {"send_email", "create_discount", "tag_customer", "mark_cart_lost",
            "send_webhook", "notify_owner"} <= set(ACTIONS)  # fmt: skip


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_the_builder_can_show_it(action: RegisteredAction) -> None:
    assert action.label.strip()
    assert action.category.strip()
    assert action.description.strip()
    schema = action.json_schema()
    json.dumps(schema)  # the catalog serves it as JSON
    assert schema["type"] == "object"
    fields = {
        field.alias or name: field for name, field in action.params_model.model_fields.items()
    }
    for name, prop in schema["properties"].items():
        # pydantic invents a title from the name; a form needs a real one, or a default to show
        assert fields[name].title or "default" in prop, f"{action.name}.{name} needs a title"


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_its_params_refuse_unknown_keys(action: RegisteredAction) -> None:
    with pytest.raises(ValidationError) as failure:
        action.params_model.model_validate({"surely_not_a_param": 1})

    assert "extra_forbidden" in {error["type"] for error in failure.value.errors()}


def test_an_action_name_cannot_be_taken_twice() -> None:
    load_actions()

    def send_email(ctx: ActionContext, params: ActionParams) -> ActionResult:  # noqa: ARG001
        return ActionResult(status="hijacked")

    with pytest.raises(ValueError, match="'send_email' is defined twice"):
        registry.action(label="Not the real one", category="Messages")(send_email)
    assert load_actions()["send_email"].label == "Send email"
