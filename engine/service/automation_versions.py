"""An automation's versions: check a definition, publish the draft as the next immutable
numbered version (each with its diff), publish a definition straight away, roll back, and
read the history and the diff between two versions."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from engine.language.definition import Automation
from engine.language.definition_diff import DefinitionDiff, diff_definitions
from engine.language.problems import Problem
from engine.service.automations import (
    current,
    editable,
    get,
    problems,
    touched,
    validate_definition,
    version,
)
from engine.service.errors import Conflict
from engine.store import models

# -- reading ------------------------------------------------------------------------------


def versions(session: Session, automation_id: str) -> list[models.AutomationVersion]:
    """Every published version, newest first."""
    get(session, automation_id)
    return list(
        session.exec(
            select(models.AutomationVersion)
            .where(models.AutomationVersion.automation_id == automation_id)
            .order_by(col(models.AutomationVersion.version).desc())
        ).all()
    )


def history(
    session: Session, automation_id: str
) -> list[tuple[models.AutomationVersion, DefinitionDiff]]:
    """Every published version, newest first, with what it changed from the one before."""
    rows = versions(session, automation_id)
    parsed = {row.version: Automation.model_validate(row.definition) for row in rows}
    return [
        (row, diff_definitions(parsed.get(row.version - 1), parsed[row.version])) for row in rows
    ]


def diff(
    session: Session, automation_id: str, number: int, against: int | None = None
) -> DefinitionDiff:
    """What version `number` changed from version `against` (default: the one before it;
    version 1 against nothing: all its steps are added)."""
    after = version(session, automation_id, number)
    base = number - 1 if against is None else against
    before = version(session, automation_id, base) if base >= 1 else None
    return diff_definitions(_parsed(before), Automation.model_validate(after.definition))


def _parsed(found: models.AutomationVersion | None) -> Automation | None:
    return Automation.model_validate(found.definition) if found is not None else None


# -- checking -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    problems: list[Problem]
    diff: DefinitionDiff | None  # against the current version, when the definition is valid


def check(
    session: Session, automation_id: str, definition: dict[str, Any] | None = None
) -> Checked:
    """Every problem of `definition`, else of the draft, else of the current version."""
    automation = get(session, automation_id)
    if definition is None:
        definition = automation.draft or current(session, automation).definition
    candidate = {**definition, "name": name_of(definition, automation)}
    found = problems(session, candidate)
    if found:
        return Checked(found, None)
    before = Automation.model_validate(current(session, automation).definition)
    return Checked([], diff_definitions(before, Automation.model_validate(candidate)))


def name_of(definition: dict[str, Any], automation: models.Automation) -> Any:
    """The name a definition gives itself (the builder renames an automation so), else the
    automation's; a wrong one is left for validation to name."""
    named = definition.get("name")
    return automation.name if named is None or named == "" else named


# -- publishing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    version: models.AutomationVersion
    diff: DefinitionDiff


def publish(session: Session, automation_id: str) -> Published:
    """Publish the draft as the next immutable version; new journeys get it."""
    automation = editable(session, automation_id)
    if automation.draft is None:
        raise Conflict(
            f"automation {automation.name!r} has no draft to publish (save one first)", "no_draft"
        )
    published = _publish(session, automation, automation.draft)
    automation.draft = None
    touched(session, automation)
    return published


def publish_version(
    session: Session, automation_id: str, definition: dict[str, Any]
) -> models.AutomationVersion:
    """Publish `definition` as the next version straight away (no draft involved)."""
    return _publish(session, editable(session, automation_id), definition).version


def rollback(session: Session, automation_id: str, number: int) -> Published:
    """Publish a copy of an earlier version as the next version (history is never rewritten).
    The draft, if any, is kept."""
    automation = editable(session, automation_id)
    old = version(session, automation_id, number)
    # The steps and settings come back; the automation keeps the name it has now.
    definition = {**old.definition, "name": automation.name}
    return _publish(session, automation, definition, source_version=number)


def _publish(
    session: Session,
    automation: models.Automation,
    definition: dict[str, Any],
    source_version: int | None = None,
) -> Published:
    checked = validate_definition(session, {**definition, "name": name_of(definition, automation)})
    before = current(session, automation)
    changes = diff_definitions(Automation.model_validate(before.definition), checked)
    if changes.empty:
        raise Conflict(
            f"that is version {before.version} as it is: nothing to publish", "unchanged"
        )
    published = models.AutomationVersion(
        automation_id=automation.id,
        version=automation.current_version + 1,
        definition=checked.model_dump(mode="json"),
        source_version=source_version,
    )
    automation.current_version = published.version
    automation.name = checked.name  # a renamed definition renames the automation
    session.add(published)
    try:
        touched(session, automation)
    except IntegrityError as error:  # the same version number, published at the same moment
        raise Conflict(
            f"version {published.version} of {automation.name!r} was just published by "
            "someone else: reload it and try again",
            "concurrent_publish",
        ) from error
    return Published(published, changes)
