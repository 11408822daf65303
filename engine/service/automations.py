"""Automations and their lifecycle: draft, validate, publish (immutable numbered versions,
each with its diff), roll back, activate, deactivate, duplicate, archive; presets; the
journeys of an automation as a whole (counted, paused or cancelled, moved to the newest
version).

Statuses: `active` (new subjects enrol), `inactive` (nobody enrols; what a new automation
is), `archived` (inactive and out of the default list). New journeys get
`current_version`; a running journey keeps the version it started with until it is moved.
"""

import asyncio
import json
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select
from temporalio.client import Client
from temporalio.service import RPCError

from engine.language.definition import Automation
from engine.language.definition_checks import problems_in, summary
from engine.language.definition_diff import DefinitionDiff, diff_definitions
from engine.language.presets import PRESETS, Preset
from engine.language.problems import Problem
from engine.service import journeys
from engine.service.errors import Conflict, InvalidInput, NotFound, Unavailable
from engine.service.shop_settings import default_quiet_hours, with_default_quiet_hours
from engine.service.templates import template_names
from engine.store import models
from engine.store.types import utcnow

RunningChoice = Literal["finish", "pause", "cancel"]
STATS_PERIOD = timedelta(days=30)
MAX_DRAFT_BYTES = 500_000
NAME_LENGTH = 200
COPY_SUFFIX = " (copy)"
# Bounded: counting journeys is one visibility query per automation (DESIGN: pace bulk work).
COUNT_CONCURRENCY = 8

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
    """Active automations whose published definition is triggered by this event."""
    found = []
    for automation, published in list_with_definitions(session, include_archived=False):
        if automation.status != "active":
            continue
        definition = published_definition(published)
        if definition.trigger.event == event:
            found.append((automation, definition))
    return found


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


@dataclass(frozen=True)
class Stats:
    emails_sent: int = 0
    recoveries: int = 0


def stats(session: Session, automation_ids: list[str]) -> dict[str, Stats]:
    """Emails sent and carts recovered in the last 30 days, per automation. A recovered cart
    counts for each automation it had a journey in."""
    since = utcnow() - STATS_PERIOD
    sent = dict(
        session.exec(
            select(models.Message.automation_id, func.count())
            .where(
                col(models.Message.automation_id).in_(automation_ids),
                models.Message.status == "sent",
                col(models.Message.sent_at) >= since,
            )
            .group_by(col(models.Message.automation_id))
        ).all()
    )
    recovered = dict(
        session.exec(
            select(models.Enrolment.automation_id, func.count(func.distinct(models.Cart.id)))
            .join(models.Cart, col(models.Cart.id) == models.Enrolment.cart_id)
            .where(
                col(models.Enrolment.automation_id).in_(automation_ids),
                models.Cart.status == "recovered",
                col(models.Cart.recovered_at) >= since,
            )
            .group_by(col(models.Enrolment.automation_id))
        ).all()
    )
    return {i: Stats(int(sent.get(i, 0)), int(recovered.get(i, 0))) for i in automation_ids}


async def running_counts(client: Client | None, automation_ids: list[str]) -> dict[str, int | None]:
    """Running journeys per automation; None where Temporal could not say (the list still
    answers while Temporal is down)."""
    if client is None:
        return dict.fromkeys(automation_ids)
    gate = asyncio.Semaphore(COUNT_CONCURRENCY)

    async def count(automation_id: str) -> int | None:
        async with gate:
            try:
                return await journeys.count_running(client, automation_id)
            except RPCError:
                return None

    counts = await asyncio.gather(*(count(i) for i in automation_ids))
    return dict(zip(automation_ids, counts, strict=True))


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


# -- editing and publishing ---------------------------------------------------------------


def save_draft(
    session: Session, automation_id: str, definition: dict[str, Any]
) -> models.Automation:
    """Keep work in progress, valid or not; nothing runs it until it is published."""
    automation = _editable(session, automation_id)
    if len(json.dumps(definition)) > MAX_DRAFT_BYTES:
        raise InvalidInput(
            "draft_too_large", f"a definition may hold at most {MAX_DRAFT_BYTES} bytes of JSON"
        )
    automation.draft = definition
    return _touched(session, automation)


def discard_draft(session: Session, automation_id: str) -> models.Automation:
    automation = get(session, automation_id)
    automation.draft = None
    return _touched(session, automation)


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
    candidate = {**definition, "name": _name_of(definition, automation)}
    found = problems(session, candidate)
    if found:
        return Checked(found, None)
    before = Automation.model_validate(current(session, automation).definition)
    return Checked([], diff_definitions(before, Automation.model_validate(candidate)))


def _name_of(definition: dict[str, Any], automation: models.Automation) -> Any:
    """The name a definition gives itself (the builder renames an automation so), else the
    automation's; a wrong one is left for validation to name."""
    named = definition.get("name")
    return automation.name if named is None or named == "" else named


@dataclass(frozen=True)
class Published:
    version: models.AutomationVersion
    diff: DefinitionDiff


def publish(session: Session, automation_id: str) -> Published:
    """Publish the draft as the next immutable version; new journeys get it."""
    automation = _editable(session, automation_id)
    if automation.draft is None:
        raise Conflict(
            f"automation {automation.name!r} has no draft to publish (save one first)", "no_draft"
        )
    published = _publish(session, automation, automation.draft)
    automation.draft = None
    _touched(session, automation)
    return published


def publish_version(
    session: Session, automation_id: str, definition: dict[str, Any]
) -> models.AutomationVersion:
    """Publish `definition` as the next version straight away (no draft involved)."""
    return _publish(session, _editable(session, automation_id), definition).version


def rollback(session: Session, automation_id: str, number: int) -> Published:
    """Publish a copy of an earlier version as the next version (history is never rewritten).
    The draft, if any, is kept."""
    automation = _editable(session, automation_id)
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
    checked = validate_definition(session, {**definition, "name": _name_of(definition, automation)})
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
        _touched(session, automation)
    except IntegrityError as error:  # the same version number, published at the same moment
        raise Conflict(
            f"version {published.version} of {automation.name!r} was just published by "
            "someone else: reload it and try again",
            "concurrent_publish",
        ) from error
    return Published(published, changes)


# -- status -------------------------------------------------------------------------------


@dataclass(frozen=True)
class JourneysChanged:
    """What a bulk pause, resume or cancel did to the automation's running journeys."""

    command: str
    changed: int
    unchanged: int
    failed: list[tuple[str, str]]


async def activate(
    session: Session, client: Client | None, automation_id: str, *, resume_journeys: bool
) -> tuple[models.Automation, JourneysChanged | None]:
    """New subjects enrol from now on; optionally resume the journeys paused meanwhile."""
    automation = get(session, automation_id)
    if automation.status == "archived":
        raise Conflict(f"automation {automation.name!r} is archived", "archived")
    if automation.status != "active":
        automation.status = "active"
        _touched(session, automation)
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
        _touched(session, automation)
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
    result = await _temporal(
        client, lambda c: journeys.control_all(c, automation_id, command, reason)
    )
    return JourneysChanged(command, result.changed, result.unchanged, list(result.failed))


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
        _touched(session, automation)
    return automation


@dataclass(frozen=True)
class Moved:
    version: int
    moved: int
    already: int
    refused: list[tuple[str, str]]


async def move_journeys(session: Session, client: Client | None, automation_id: str) -> Moved:
    """Move the running journeys to the current version; those whose current step the new
    version lacks stay where they are and are reported."""
    automation = get(session, automation_id)
    newest = current(session, automation)
    # As enrolment does: the shop's default quiet hours when the version sets none.
    definition = with_default_quiet_hours(
        Automation.model_validate(newest.definition), default_quiet_hours(session)
    )
    report = await _temporal(
        client, lambda c: journeys.move_all(c, automation_id, definition, newest.version)
    )
    return Moved(newest.version, report.moved, report.already, list(report.refused))


# -- helpers ------------------------------------------------------------------------------


def _editable(session: Session, automation_id: str) -> models.Automation:
    automation = get(session, automation_id)
    if automation.status == "archived":
        raise Conflict(
            f"automation {automation.name!r} is archived; duplicate it to work on it again",
            "archived",
        )
    return automation


def _touched(session: Session, automation: models.Automation) -> models.Automation:
    automation.updated_at = utcnow()
    session.add(automation)
    session.flush()
    return automation


async def _temporal(client: Client | None, call: Callable[[Client], Coroutine[Any, Any, T]]) -> T:
    if client is None:
        raise Unavailable("Temporal cannot be reached")
    try:
        return await call(client)
    except RPCError as error:
        raise Unavailable(f"Temporal did not answer: {error}") from error
