"""Automations and their lifecycle: create, read, save or discard a draft, activate,
deactivate, duplicate, archive; presets; the journeys of an automation as a whole (paused,
resumed or cancelled, moved to the newest version). Versions (publish, roll back, history)
are in `automation_versions`, the numbers in `automation_stats`.

Statuses: `active` (new subjects enrol), `inactive` (nobody enrols; what a new automation
is), `archived` (inactive and out of the default list). New journeys get
`current_version`; a running journey keeps the version it started with until it is moved.
"""

import json
from collections.abc import Callable, Coroutine
from typing import Any, Literal, TypeVar, cast

from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Session, col, select
from temporalio.client import Client
from temporalio.service import RPCError

from engine.language.definition import Automation
from engine.language.definition_checks import problems_in, summary
from engine.language.journey_results import JourneysChanged, JourneysMoved
from engine.language.presets import PRESETS, Preset
from engine.language.problems import Problem
from engine.service import journeys
from engine.service.errors import Conflict, InvalidInput, NotFound, Unavailable
from engine.service.shop_settings import default_quiet_hours, with_default_quiet_hours
from engine.service.templates import template_names
from engine.service.temporal import reachable
from engine.store import models
from engine.store.types import utcnow

RunningChoice = Literal["finish", "pause", "cancel"]
MAX_DRAFT_BYTES = 500_000
NAME_LENGTH = 200
COPY_SUFFIX = " (copy)"

T = TypeVar("T")


# -- checking -----------------------------------------------------------------------------


def problems(session: Session, definition: dict[str, Any]) -> list[Problem]:
    """Every problem of a definition, each naming its step; none means it can be published."""
    return problems_in(definition, set(template_names(session)))


def validate_definition(session: Session, definition: dict[str, Any]) -> Automation:
    """Parse and check a definition; every problem is reported (`InvalidInput`), each naming
    its step. The templates it may name are the published ones in the database."""
    found = problems(session, definition)
    if found:
        raise InvalidInput("invalid_definition", summary(found), found)
    return Automation.model_validate(definition)


# -- reading ------------------------------------------------------------------------------


def get(session: Session, automation_id: str) -> models.Automation:
    automation = session.get(models.Automation, automation_id)
    if automation is None:
        raise NotFound(f"no automation {automation_id!r}")
    return automation


def version(session: Session, automation_id: str, number: int) -> models.AutomationVersion:
    found = session.exec(
        select(models.AutomationVersion).where(
            models.AutomationVersion.automation_id == automation_id,
            models.AutomationVersion.version == number,
        )
    ).first()
    if found is None:
        get(session, automation_id)  # an unknown automation says so
        raise NotFound(f"automation {automation_id!r} has no version {number}")
    return found


def current(session: Session, automation: models.Automation) -> models.AutomationVersion:
    return version(session, automation.id, automation.current_version)


def list_with_definitions(
    session: Session, *, include_archived: bool = True
) -> list[tuple[models.Automation, models.AutomationVersion]]:
    """Automations with their current version, oldest first."""
    query = (
        select(models.Automation, models.AutomationVersion)
        .join(
            models.AutomationVersion,
            (col(models.AutomationVersion.automation_id) == models.Automation.id)
            & (col(models.AutomationVersion.version) == models.Automation.current_version),
        )
        .order_by(col(models.Automation.created_at), col(models.Automation.id))
    )
    if not include_archived:
        query = query.where(models.Automation.status != "archived")
    return [(automation, current) for automation, current in session.exec(query).all()]


# Built once: ingestion runs it on every call. A draft may be large, and what runs never reads it.
_ACTIVE = (
    select(models.Automation)
    .where(models.Automation.status == "active")
    .options(defer(cast(QueryableAttribute[Any], models.Automation.draft)))
    .order_by(col(models.Automation.created_at), col(models.Automation.id))
)

# Published versions never change, so each is parsed once per process: ingestion asks for
# the active automations on every call, and parsing and checking each definition again was
# a visible part of a one-event request's CPU.
_parsed_versions: dict[tuple[str, int], Automation] = {}
_PARSED_VERSIONS_KEPT = 1_000


def published_definition(published: models.AutomationVersion) -> Automation:
    """The version's definition, parsed; shared, so callers copy before changing it."""
    key = (published.automation_id, published.version)
    definition = _parsed_versions.get(key)
    if definition is None:
        if len(_parsed_versions) >= _PARSED_VERSIONS_KEPT:
            _parsed_versions.clear()
        definition = _parsed_versions[key] = Automation.model_validate(published.definition)
    return definition


def active_for_trigger(session: Session, event: str) -> list[tuple[models.Automation, Automation]]:
    """Active automations whose published definition is triggered by this event.

    Read on every ingest call, so it reads the least: the active automations without their
    drafts, and a version's definition only the first time this process meets it."""
    active = session.exec(_ACTIVE).all()
    found = []
    for automation in active:
        definition = _parsed_versions.get((automation.id, automation.current_version))
        if definition is None:
            published = session.exec(
                select(models.AutomationVersion).where(
                    models.AutomationVersion.automation_id == automation.id,
                    models.AutomationVersion.version == automation.current_version,
                )
            ).first()
            if published is None:
                continue
            definition = published_definition(published)
        if definition.trigger.event == event:
            found.append((automation, definition))
    return found


# -- creating -----------------------------------------------------------------------------


def create_published(
    session: Session,
    name: str,
    definition: dict[str, Any],
    *,
    active: bool,
    preset: str | None = None,
) -> tuple[models.Automation, models.AutomationVersion]:
    """Create an automation with `definition` validated and published as version 1."""
    automation = validate_definition(session, {**definition, "name": name})
    row = models.Automation(name=name, status="active" if active else "inactive", preset=preset)
    session.add(row)
    session.flush()
    first = models.AutomationVersion(
        automation_id=row.id, version=1, definition=automation.model_dump(mode="json")
    )
    session.add(first)
    session.flush()
    return row, first


def duplicate(
    session: Session, automation_id: str
) -> tuple[models.Automation, models.AutomationVersion]:
    """A new, inactive automation whose version 1 is this one's current definition."""
    original = get(session, automation_id)
    name = original.name[: NAME_LENGTH - len(COPY_SUFFIX)] + COPY_SUFFIX
    return create_published(session, name, current(session, original).definition, active=False)


def install_preset(
    session: Session, key: str, name: str | None = None
) -> tuple[models.Automation, models.AutomationVersion]:
    """Create an inactive automation from a preset; installing it again makes another one
    (named `... (2)`, `... (3)` while the name is taken)."""
    preset = PRESETS.get(key)
    if preset is None:
        raise NotFound(f"no preset {key!r} (known: {', '.join(PRESETS)})")
    chosen = name or _free_name(session, preset.name)
    return create_published(session, chosen, preset.definition(), active=False, preset=key)


def _free_name(session: Session, wanted: str) -> str:
    taken = set(
        session.exec(
            select(models.Automation.name).where(models.Automation.status != "archived")
        ).all()
    )
    name, number = wanted, 1
    while name in taken:
        number += 1
        suffix = f" ({number})"
        name = wanted[: NAME_LENGTH - len(suffix)] + suffix
    return name


def installed_presets(session: Session) -> dict[str, list[str]]:
    """Preset key → the automations (not archived) installed from it, oldest first."""
    found: dict[str, list[str]] = {}
    for automation_id, key in session.exec(
        select(models.Automation.id, models.Automation.preset)
        .where(col(models.Automation.preset).is_not(None), models.Automation.status != "archived")
        .order_by(col(models.Automation.created_at))
    ).all():
        if key is not None:
            found.setdefault(key, []).append(automation_id)
    return found


def install_presets(session: Session, presets: tuple[Preset, ...]) -> None:
    """First start: install, inactive, each preset no automation was installed from yet."""
    installed = set(session.exec(select(models.Automation.preset)).all())
    for preset in presets:
        if preset.key not in installed:
            create_published(
                session, preset.name, preset.definition(), active=False, preset=preset.key
            )


# -- editing ------------------------------------------------------------------------------


def save_draft(
    session: Session, automation_id: str, definition: dict[str, Any]
) -> models.Automation:
    """Keep work in progress, valid or not; nothing runs it until it is published."""
    automation = editable(session, automation_id)
    if len(json.dumps(definition)) > MAX_DRAFT_BYTES:
        raise InvalidInput(
            "draft_too_large", f"a definition may hold at most {MAX_DRAFT_BYTES} bytes of JSON"
        )
    automation.draft = definition
    return touched(session, automation)


def discard_draft(session: Session, automation_id: str) -> models.Automation:
    automation = get(session, automation_id)
    automation.draft = None
    return touched(session, automation)


# -- status -------------------------------------------------------------------------------


async def activate(
    session: Session, client: Client | None, automation_id: str, *, resume_journeys: bool
) -> tuple[models.Automation, JourneysChanged | None]:
    """New subjects enrol from now on; optionally resume the journeys paused meanwhile."""
    automation = get(session, automation_id)
    if automation.status == "archived":
        raise Conflict(f"automation {automation.name!r} is archived", "archived")
    if automation.status != "active":
        automation.status = "active"
        touched(session, automation)
    if not resume_journeys:
        return automation, None
    session.commit()
    return automation, await _control_all(client, automation_id, "resume", "")


async def deactivate(
    session: Session, client: Client | None, automation_id: str, running: RunningChoice
) -> tuple[models.Automation, JourneysChanged | None]:
    """Nobody new enrols; the running journeys finish, are paused or are cancelled.

    The status is committed first, so no new journey starts while the running ones are
    dealt with; repeating the call applies the choice again (e.g. after Temporal failed)."""
    automation = get(session, automation_id)
    if automation.status == "active":
        automation.status = "inactive"
        touched(session, automation)
    if running == "finish":
        return automation, None
    session.commit()
    reason = f"automation {automation.name!r} deactivated"
    return automation, await _control_all(client, automation_id, running, reason)


async def _control_all(
    client: Client | None,
    automation_id: str,
    command: Literal["pause", "resume", "cancel"],
    reason: str,
) -> JourneysChanged:
    return await _temporal(
        client, lambda c: journeys.control_all(c, automation_id, command, reason)
    )


def archive(session: Session, automation_id: str) -> models.Automation:
    """Hide an inactive automation from the default list; it keeps its versions."""
    automation = get(session, automation_id)
    if automation.status == "active":
        raise Conflict(
            f"automation {automation.name!r} is active: deactivate it before archiving it",
            "active",
        )
    if automation.status != "archived":
        automation.status = "archived"
        touched(session, automation)
    return automation


async def move_journeys(
    session: Session, client: Client | None, automation_id: str
) -> JourneysMoved:
    """Move the running journeys to the current version; those whose current step the new
    version lacks stay where they are and are reported."""
    automation = get(session, automation_id)
    newest = current(session, automation)
    # As enrolment does: the shop's default quiet hours when the version sets none.
    definition = with_default_quiet_hours(
        Automation.model_validate(newest.definition), default_quiet_hours(session)
    )
    return await _temporal(
        client, lambda c: journeys.move_all(c, automation_id, definition, newest.version)
    )


# -- helpers ------------------------------------------------------------------------------


def editable(session: Session, automation_id: str) -> models.Automation:
    """The automation, if it may be changed (an archived one may not)."""
    automation = get(session, automation_id)
    if automation.status == "archived":
        raise Conflict(
            f"automation {automation.name!r} is archived; duplicate it to work on it again",
            "archived",
        )
    return automation


def touched(session: Session, automation: models.Automation) -> models.Automation:
    """Stamp and flush a change to the automation."""
    automation.updated_at = utcnow()
    session.add(automation)
    session.flush()
    return automation


async def _temporal(client: Client | None, call: Callable[[Client], Coroutine[Any, Any, T]]) -> T:
    try:
        return await call(reachable(client))
    except RPCError as error:
        raise Unavailable(f"Temporal did not answer: {error}") from error
