"""Automations: validate, create with a published version, list, install presets."""

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlmodel import Session, col, select

from engine.activities.registry import load_actions
from engine.definition import ActionStep, Automation, walk
from engine.presets import Preset
from engine.service.errors import InvalidInput, NotFound, Problem
from engine.service.templates import template_names
from engine.store import models


def _dotted(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location)


def validate_definition(session: Session, definition: dict[str, Any]) -> Automation:
    """Parse and check a definition; every problem is reported, each naming its step.

    The templates it may name are the published ones in the database."""
    try:
        automation = Automation.model_validate(definition)
    except ValidationError as error:
        problems = [_structural_problem(e, definition) for e in error.errors()]
        raise InvalidInput("invalid_definition", _summary(problems), problems) from error
    problems = _semantic_problems(automation, set(template_names(session)))
    if problems:
        raise InvalidInput("invalid_definition", _summary(problems), problems)
    return automation


def _structural_problem(error: ErrorDetails, definition: dict[str, Any]) -> Problem:
    """A pydantic error as a marketer reads it: which step, which field, what is wrong."""
    where, context = _dotted(error["loc"]), error.get("ctx", {})
    if error["type"] == "union_tag_invalid":
        message = f"{context['tag']!r} is not a step type (use {context['expected_tags']})"
    else:
        message = error["msg"].removeprefix("Value error, ")
    if "step_id" in context:  # the message names the step already
        return Problem(where, message, context["step_id"])
    step_id = _step_at(definition, error["loc"])
    if step_id is None:
        return Problem(where, message)
    return Problem(where, f"step {step_id!r}: {message}", step_id)


def _step_at(definition: Any, location: tuple[int | str, ...]) -> str | None:
    """The id of the innermost step on the error's path through the submitted definition.

    Pydantic puts the step type (the union's tag) into the path; it is not a key of the data.
    """
    found, node = None, definition
    for part in location:
        if isinstance(node, dict) and isinstance(node.get("id"), str) and "type" in node:
            found = node["id"]
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif not (isinstance(node, dict) and node.get("type") == part):
            break
    if isinstance(node, dict) and isinstance(node.get("id"), str) and "type" in node:
        found = node["id"]
    return found


def _semantic_problems(automation: Automation, templates: set[str]) -> list[Problem]:
    actions = load_actions()
    problems = []
    for step in walk(automation.steps):
        if not isinstance(step, ActionStep):
            continue
        registered = actions.get(step.action)
        if registered is None:
            known = ", ".join(sorted(actions))
            problems.append(
                Problem(
                    "action",
                    f"step {step.id!r}: unknown action {step.action!r} (known: {known})",
                    step.id,
                )
            )
            continue
        try:
            params = registered.params_model.model_validate(step.params)
        except ValidationError as error:
            problems.extend(
                Problem(
                    f"params.{_dotted(e['loc'])}",
                    f"step {step.id!r}: params.{_dotted(e['loc'])}: {e['msg']}",
                    step.id,
                )
                for e in error.errors()
            )
            continue
        template = getattr(params, "template", None)
        if isinstance(template, str) and template not in templates:
            problems.append(
                Problem(
                    "params.template", f"step {step.id!r}: no template named {template!r}", step.id
                )
            )
    return problems


def _summary(problems: list[Problem]) -> str:
    first = problems[0]
    where = f"{first.field}: " if first.field and first.step_id is None else ""
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"{where}{first.message}{more}"


def create_published(
    session: Session,
    name: str,
    definition: dict[str, Any],
    *,
    active: bool,
    preset: str | None = None,
) -> tuple[models.Automation, models.AutomationVersion]:
    """Create an automation with version 1 published (the draft lifecycle comes later)."""
    automation = validate_definition(session, {**definition, "name": name})
    row = models.Automation(name=name, status="active" if active else "inactive", preset=preset)
    session.add(row)
    session.flush()
    version = models.AutomationVersion(
        automation_id=row.id, version=1, definition=automation.model_dump(mode="json")
    )
    session.add(version)
    session.flush()
    return row, version


def publish_version(
    session: Session, automation_id: str, definition: dict[str, Any]
) -> models.AutomationVersion:
    """Publish the next immutable version; new enrolments get it, running journeys keep theirs
    (each journey carries the definition it started with)."""
    automation = session.get(models.Automation, automation_id)
    if automation is None:
        raise NotFound(f"no automation {automation_id!r}")
    checked = validate_definition(session, {**definition, "name": automation.name})
    version = models.AutomationVersion(
        automation_id=automation.id,
        version=automation.current_version + 1,
        definition=checked.model_dump(mode="json"),
    )
    automation.current_version = version.version
    session.add_all([version, automation])
    session.flush()
    return version


def list_with_definitions(
    session: Session,
) -> list[tuple[models.Automation, models.AutomationVersion]]:
    rows = session.exec(
        select(models.Automation, models.AutomationVersion)
        .join(
            models.AutomationVersion,
            (col(models.AutomationVersion.automation_id) == models.Automation.id)
            & (col(models.AutomationVersion.version) == models.Automation.current_version),
        )
        .order_by(col(models.Automation.created_at))
    ).all()
    return [(automation, version) for automation, version in rows]


def active_for_trigger(session: Session, event: str) -> list[tuple[models.Automation, Automation]]:
    """Active automations whose published definition is triggered by this event."""
    found = []
    for automation, version in list_with_definitions(session):
        if automation.status != "active":
            continue
        definition = Automation.model_validate(version.definition)
        if definition.trigger.event == event:
            found.append((automation, definition))
    return found


def install_presets(session: Session, presets: tuple[Preset, ...]) -> None:
    """Install, inactive, each preset that is not installed yet."""
    installed = set(session.exec(select(models.Automation.preset)).all())
    for preset in presets:
        if preset.key not in installed:
            create_published(
                session, preset.name, preset.definition, active=False, preset=preset.key
            )
