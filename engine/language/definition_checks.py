"""Checking an automation definition: every problem, each naming its step, in words a
marketer reads ("'soon' is not a duration", not "Input should be ...").

Three layers, all reported together: the structure (the language's pydantic models), each
action's params (the action's own model; the templates must be published), and the flow
(steps nothing can reach, conditions on steps that do not exist).
"""

import math
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from engine.language.actions import RegisteredAction, load_actions
from engine.language.definition import (
    ActionStep,
    All,
    AnyOf,
    Automation,
    Condition,
    ConditionStep,
    ExitStep,
    Leaf,
    Not,
    Step,
    children,
    walk,
)
from engine.language.money import COMPARISONS, CURRENCY_CODES, MONEY_FIELDS
from engine.language.problems import Problem

# Pydantic names the member of the (untagged) condition union in an error's path.
_CONDITION_MEMBERS = {"Leaf": "field", "All": "all", "AnyOf": "any", "Not": "not"}
_CONDITION_HELP = (
    'a condition is {"field", "op", "value"}, or {"all": [...]}, {"any": [...]} or {"not": {...}}'
)
_BRANCH_KEYS = ("then", "else", "on_event", "on_timeout")


def problems_in(definition: dict[str, Any], templates: set[str]) -> list[Problem]:
    """Every problem of the definition; none means it can be published.

    `templates` are the names an action's template params may use (the published templates)."""
    if not isinstance(definition, dict):  # a script's JSON may be anything
        return [Problem("definition", "a definition is a JSON object with a trigger and steps")]
    try:
        automation = Automation.model_validate(definition)
    except ValidationError as error:
        problems = _structural_problems(error.errors(), definition)
        # Action steps that parse on their own still get their params checked.
        for raw in _raw_steps(definition.get("steps")):
            if raw.get("type") == "action":
                try:
                    step = ActionStep.model_validate(raw)
                except ValidationError:
                    continue  # reported above
                problems += _action_problems(step, load_actions(), templates)
        return problems
    actions = load_actions()
    problems = []
    for action in (step for step in walk(automation.steps) if isinstance(step, ActionStep)):
        problems += _action_problems(action, actions, templates)
    return problems + _flow_problems(automation)


def summary(problems: list[Problem]) -> str:
    first = problems[0]
    where = f"{first.field}: " if first.field and first.step_id is None else ""
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"{where}{first.message}{more}"


# -- structure ----------------------------------------------------------------------------


def _structural_problems(errors: list[ErrorDetails], definition: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for error in errors:
        location = error["loc"]
        verdict, at = _condition_member_verdict(definition, location)
        if verdict == "other member":
            continue  # the input was meant as another kind of condition
        if verdict == "unknown shape":
            problem = _located(definition, location[:at], _CONDITION_HELP)
        else:
            named = error.get("ctx", {}).get("step_id")  # the message names its step already
            problem = _located(definition, location, _message(error), named)
        if problem not in problems:
            problems.append(problem)
    return problems


def _located(
    definition: dict[str, Any],
    location: tuple[int | str, ...],
    message: str,
    named: str | None = None,
) -> Problem:
    where = _dotted(part for part in location if part not in _CONDITION_MEMBERS)
    if named is not None:
        return Problem(where or "steps", message, named)
    step_id = _step_at(definition, location)
    if step_id is None:
        return Problem(where, message)
    return Problem(where, f"step {step_id!r}: {message}", step_id)


def _condition_member_verdict(definition: Any, location: tuple[int | str, ...]) -> tuple[str, int]:
    """Whether an error inside the condition union concerns the kind of condition the input
    is (`this member`), another kind (`other member`: noise), or an input that is no kind
    of condition (`unknown shape`, with where in the path that input is); `not a condition`
    for errors elsewhere."""
    verdict, node = "not a condition", definition
    for index, part in enumerate(location):
        if part in _CONDITION_MEMBERS:
            meant = _meant_member(node)
            if meant is None:
                return "unknown shape", index
            if meant != part:
                return "other member", index
            verdict = "this member"
            continue
        node = _child(node, part)
    return verdict, len(location)


def _meant_member(node: Any) -> str | None:
    if not isinstance(node, dict):
        return None
    for member, key in _CONDITION_MEMBERS.items():
        if key in node or (member == "Leaf" and "op" in node):
            return member
    return None


def _child(node: Any, part: int | str) -> Any:
    if isinstance(node, dict) and part in node:
        return node[part]
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return node  # a union tag (step type), not a key of the data


def _step_at(definition: Any, location: tuple[int | str, ...]) -> str | None:
    """The id of the innermost step on the error's path through the submitted definition."""
    found, node = None, definition
    for part in location:
        if _is_step(node):
            found = node["id"]
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif not (isinstance(node, dict) and node.get("type") == part):
            if part not in _CONDITION_MEMBERS:
                break
    if _is_step(node):
        found = node["id"]
    return found


def _is_step(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("id"), str) and "type" in node


def _dotted(parts: Any) -> str:
    """`steps.0.duration`; a key that is empty text shows as `""`, so the path still names it."""
    return ".".join(str(part) if part != "" else '""' for part in parts)


# Pattern mismatches explained by the field they concern.
_PATTERNS = {
    "id": "a step id uses letters, digits, -, _ and ? only (no spaces or dots)",
    "outcome": "an outcome uses lowercase letters and _ only, such as lost",
    "field": "a condition tests a field such as cart.total, customer.segment or steps.<id>.code",
    "template": "a template name uses lowercase letters, digits and - only",
    "time": "a time of day is written HH:MM, such as 09:00",
    "start": "a time of day is written HH:MM, such as 21:00",
    "end": "a time of day is written HH:MM, such as 08:00",
}


def _message(error: ErrorDetails) -> str:
    """A pydantic error in plain words."""
    kind, context, location = error["type"], error.get("ctx", {}), error["loc"]
    names = [part for part in location if isinstance(part, str) and part not in _CONDITION_MEMBERS]
    name = names[-1] if names else "the definition"
    given = error.get("input")
    match kind:
        case "union_tag_invalid":
            return f"{context['tag']!r} is not a step type (use {context['expected_tags']})"
        case "union_tag_not_found":
            return f"every step needs a type ({context.get('expected_tags', '')})"
        case "missing":
            return "every step needs an id" if name == "id" else f"{name!r} is missing"
        case "extra_forbidden":
            return f"{name!r} is not permitted here"
        case "literal_error":
            return f"{given!r} is not allowed for {name!r}: use {context['expected']}"
        case "string_pattern_mismatch":
            return f"{given!r} does not fit: {_PATTERNS.get(name, 'it has characters not allowed')}"
        case "less_than_equal" | "less_than":
            return f"{name!r} must be {context.get('le', context.get('lt'))} or less"
        case "greater_than_equal" | "greater_than":
            return f"{name!r} must be {context.get('ge', context.get('gt'))} or more"
        case "too_short" if name == "steps":
            return "add at least one step"
        case "too_short" if name == "variants":
            return "an A/B split needs at least 2 variants"
        case "too_short":
            return f"{name!r} needs at least {context.get('min_length')} entries"
        case "string_too_short":
            return f"{name!r} cannot be empty"
        case "string_too_long" | "too_long":
            return f"{name!r} is too long (at most {context.get('max_length')})"
        case "model_attributes_type" | "dict_type" | "model_type":
            if isinstance(location[-1], int) and len(location) >= 2:
                return "each step is an object with an id and a type"
            return f"{name!r} must be an object"
        case "int_parsing" | "int_type" | "int_from_float":
            return f"{name!r} must be a whole number"
        case "string_type":
            return f"{name!r} must be text"
        case "list_type":
            return f"{name!r} must be a list"
        case "bool_type" | "bool_parsing":
            return f"{name!r} must be true or false"
        case _:
            return error["msg"].removeprefix("Value error, ")


def _raw_steps(steps: Any) -> Iterator[dict[str, Any]]:
    """The step objects of a definition that may not parse, wherever they are nested."""
    if not isinstance(steps, list):
        return
    for step in steps:
        if not isinstance(step, dict):
            continue
        yield step
        for key in _BRANCH_KEYS:
            yield from _raw_steps(step.get(key))
        variants = step.get("variants")
        for variant in variants if isinstance(variants, list) else []:
            if isinstance(variant, dict):
                yield from _raw_steps(variant.get("steps"))


# -- actions ------------------------------------------------------------------------------


def _action_problems(
    step: ActionStep, actions: dict[str, RegisteredAction], templates: set[str]
) -> list[Problem]:
    registered = actions.get(step.action)
    if registered is None:
        known = ", ".join(sorted(actions))
        return [
            Problem(
                "action",
                f"step {step.id!r}: unknown action {step.action!r} (known: {known})",
                step.id,
            )
        ]
    try:
        params = registered.params_model.model_validate(step.params)
    except ValidationError as error:
        return [
            Problem(
                f"params.{_dotted(e['loc'])}",
                f"step {step.id!r}: params.{_dotted(e['loc'])}: {_message(e)}",
                step.id,
            )
            for e in error.errors()
        ]
    return [
        Problem(
            f"params.{name}",
            f"step {step.id!r}: no template named {template!r} "
            "(it must exist and have a published version)",
            step.id,
        )
        for name in registered.template_fields
        if isinstance(template := getattr(params, name), str) and template not in templates
    ]


# -- flow ---------------------------------------------------------------------------------


def _flow_problems(automation: Automation) -> list[Problem]:
    problems = _unreachable(automation.steps)
    actions = {step.id for step in walk(automation.steps) if isinstance(step, ActionStep)}
    if automation.trigger.filters is not None:
        for leaf in _leaves(automation.trigger.filters):
            problems += [
                Problem("trigger.filters", message) for message in _threshold_problems(leaf)
            ]
            if leaf.field.startswith("steps."):
                problems.append(
                    Problem(
                        "trigger.filters",
                        f"the trigger cannot test {leaf.field}: no step has run when a "
                        "journey starts",
                    )
                )
    for step in walk(automation.steps):
        if not isinstance(step, ConditionStep):
            continue
        for leaf in _leaves(step.if_):
            problems += [
                Problem("if.value", f"step {step.id!r}: {message}", step.id)
                for message in _threshold_problems(leaf)
            ]
            parts = leaf.field.split(".")
            if parts[0] == "steps" and parts[1] not in actions:
                problems.append(
                    Problem(
                        "if.field",
                        f"step {step.id!r}: tests {leaf.field}, but there is no action step "
                        f"{parts[1]!r} whose result it could read",
                        step.id,
                    )
                )
    return problems


def _threshold_problems(leaf: Leaf) -> list[str]:
    """What is wrong with a per-currency threshold (`{"USD": 25, "KRW": 35000}`): it fits a
    money field's comparison only, keyed by ISO 4217 codes, each a number."""
    if not isinstance(leaf.value, dict):
        return []
    if leaf.field not in MONEY_FIELDS:
        money = ", ".join(MONEY_FIELDS)
        return [f"{leaf.field} is not an amount of money: only {money} take one value per currency"]
    if leaf.op not in COMPARISONS:
        ops = ", ".join(COMPARISONS)
        return [f"{leaf.field} {leaf.op}: one value per currency fits only {ops}"]
    if not leaf.value:
        return [f"{leaf.field}: give a value for at least one currency"]
    problems = []
    for code, amount in leaf.value.items():
        if code not in CURRENCY_CODES:
            problems.append(
                f"{leaf.field}: {code!r} is not an ISO 4217 currency code such as USD, EUR or KRW"
            )
        elif isinstance(amount, bool) or not (
            isinstance(amount, int) or (isinstance(amount, float) and math.isfinite(amount))
        ):
            problems.append(f"{leaf.field}: the {code} value {amount!r} is not a number")
    return problems


def _unreachable(steps: list[Step]) -> list[Problem]:
    """Steps after an exit in the same branch can never run."""
    problems = []
    for index, step in enumerate(steps):
        if isinstance(step, ExitStep) and index + 1 < len(steps):
            after = steps[index + 1]
            problems.append(
                Problem(
                    "steps",
                    f"step {after.id!r} can never run: it comes after the exit step {step.id!r}",
                    after.id,
                )
            )
        for branch in children(step):
            problems += _unreachable(branch)
    return problems


def _leaves(condition: Condition) -> Iterator[Leaf]:
    match condition:
        case Leaf():
            yield condition
        case All():
            for inner in condition.all:
                yield from _leaves(inner)
        case AnyOf():
            for inner in condition.any:
                yield from _leaves(inner)
        case Not():
            yield from _leaves(condition.not_)
