"""Automations: create, read, edit a draft, validate, publish, version history and rollback,
activate and deactivate, duplicate, archive, and moving running journeys to the newest version.
"""

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, status
from sqlmodel import Session

from builder_api.automation_answers import (
    automation_overview,
    automation_public,
    version_public,
    version_summary,
)
from builder_api.deps import OptionalTemporalDep, SessionDep, require
from builder_api.schemas.automations import (
    AutomationActivate,
    AutomationCreate,
    AutomationDeactivate,
    AutomationDraft,
    AutomationOverview,
    AutomationPublic,
    AutomationRollback,
    AutomationStatusChanged,
    AutomationVersionPublic,
    AutomationVersionSummary,
)
from builder_api.schemas.definitions import (
    DefinitionChecked,
    DefinitionProblem,
    DefinitionToCheck,
    diff_public,
)
from engine.language.journey_results import JourneysMoved
from engine.service import automation_stats, automation_versions, automations
from engine.service.auth import Role

router = APIRouter(prefix="/automations", tags=["automations"])

AutomationId = Annotated[str, Path(max_length=40, description="`aut_...`")]
VersionNumber = Annotated[int, Path(ge=1, le=2**31 - 1, description="A published version")]
# Support reads automations and may deactivate one (PRODUCT.md), never edits one.
READERS = (Role.marketer, Role.support)


# -- routes -------------------------------------------------------------------------------


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[require(Role.marketer)])
def create_automation(body: AutomationCreate, session: SessionDep) -> AutomationPublic:
    """Create an automation with its definition published as version 1; inactive unless
    `active` is true."""
    automation, _ = automations.create_published(
        session, body.name, body.definition, active=body.active
    )
    return automation_public(session, automation)


@router.get("", dependencies=[require(*READERS)])
async def list_automations(
    session: SessionDep,
    client: OptionalTemporalDep,
    include_archived: Annotated[bool, Query(description="Archived ones too")] = False,
) -> list[AutomationOverview]:
    """List automations: status, version, running journeys, last 30 days' sends and recoveries."""
    rows = automations.list_with_definitions(session, include_archived=include_archived)
    ids = [automation.id for automation, _ in rows]
    stats = automation_stats.stats(session, ids)
    running = await automation_stats.running_counts(client, ids)
    return [
        automation_overview(
            automation, published.definition, running[automation.id], stats[automation.id]
        )
        for automation, published in rows
    ]


@router.get("/{automation_id}", dependencies=[require(*READERS)])
async def get_automation(
    automation_id: AutomationId, session: SessionDep, client: OptionalTemporalDep
) -> AutomationOverview:
    """Show an automation: its current definition, its draft and its numbers."""
    automation = automations.get(session, automation_id)
    stats = automation_stats.stats(session, [automation.id])[automation.id]
    running = await automation_stats.running_counts(client, [automation.id])
    definition = automations.current(session, automation).definition
    return automation_overview(automation, definition, running[automation.id], stats)


@router.put("/{automation_id}/draft", dependencies=[require(Role.marketer)])
def save_draft(
    automation_id: AutomationId, body: AutomationDraft, session: SessionDep
) -> AutomationPublic:
    """Save the draft (work in progress, valid or not); nothing runs it until it is published."""
    return automation_public(
        session, automations.save_draft(session, automation_id, body.definition)
    )


@router.delete("/{automation_id}/draft", dependencies=[require(Role.marketer)])
def discard_draft(automation_id: AutomationId, session: SessionDep) -> AutomationPublic:
    """Throw the draft away; the current version stays as it is."""
    return automation_public(session, automations.discard_draft(session, automation_id))


@router.post("/{automation_id}/validate", dependencies=[require(Role.marketer)])
def validate_automation(
    automation_id: AutomationId,
    session: SessionDep,
    body: Annotated[DefinitionToCheck | None, Body()] = None,
) -> DefinitionChecked:
    """Check a definition (default: the draft): every problem with its step, and when it is
    valid what publishing it would change."""
    checked = automation_versions.check(session, automation_id, body.definition if body else None)
    return DefinitionChecked(
        valid=not checked.problems,
        problems=[
            DefinitionProblem(field=p.field, message=p.message, step_id=p.step_id)
            for p in checked.problems
        ],
        diff=diff_public(checked.diff) if checked.diff else None,
    )


@router.post(
    "/{automation_id}/publish",
    status_code=status.HTTP_201_CREATED,
    dependencies=[require(Role.marketer)],
)
def publish_automation(automation_id: AutomationId, session: SessionDep) -> AutomationVersionPublic:
    """Publish the draft as the next immutable version (new journeys get it; running ones keep
    theirs); 422 with every problem if it is invalid, 409 without a draft."""
    return _published(session, automation_id, automation_versions.publish(session, automation_id))


@router.get("/{automation_id}/versions", dependencies=[require(*READERS)])
def list_versions(
    automation_id: AutomationId, session: SessionDep
) -> list[AutomationVersionSummary]:
    """The published versions, newest first, each with what it changed."""
    automation = automations.get(session, automation_id)
    return [
        version_summary(automation, found, diff)
        for found, diff in automation_versions.history(session, automation_id)
    ]


@router.get("/{automation_id}/versions/{version}", dependencies=[require(*READERS)])
def get_version(
    automation_id: AutomationId,
    version: VersionNumber,
    session: SessionDep,
    compare_to: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="Default: the version before it")
    ] = None,
) -> AutomationVersionPublic:
    """One published version with its diff against the one before it (or `compare_to`)."""
    automation = automations.get(session, automation_id)
    found = automations.version(session, automation_id, version)
    diff = automation_versions.diff(session, automation_id, version, compare_to)
    base = compare_to if compare_to is not None else version - 1
    return version_public(automation, found, diff, base if base >= 1 else None)


@router.post(
    "/{automation_id}/rollback",
    status_code=status.HTTP_201_CREATED,
    dependencies=[require(Role.marketer)],
)
def rollback_automation(
    automation_id: AutomationId, body: AutomationRollback, session: SessionDep
) -> AutomationVersionPublic:
    """Publish a copy of an earlier version as the next version (history stays as it was)."""
    published = automation_versions.rollback(session, automation_id, body.version)
    return _published(session, automation_id, published)


@router.post("/{automation_id}/activate", dependencies=[require(Role.marketer)])
async def activate_automation(
    automation_id: AutomationId,
    session: SessionDep,
    client: OptionalTemporalDep,
    body: Annotated[AutomationActivate | None, Body()] = None,
) -> AutomationStatusChanged:
    """Activate: matching carts (or orders) enrol from now on. 409 when archived."""
    automation, resumed = await automations.activate(
        session, client, automation_id, resume_journeys=bool(body and body.resume_journeys)
    )
    return AutomationStatusChanged(
        automation=automation_public(session, automation), journeys=resumed
    )


@router.post("/{automation_id}/deactivate", dependencies=[require(Role.marketer, Role.support)])
async def deactivate_automation(
    automation_id: AutomationId,
    body: AutomationDeactivate,
    session: SessionDep,
    client: OptionalTemporalDep,
) -> AutomationStatusChanged:
    """Deactivate: nobody new enrols; `running` says whether its running journeys finish, are
    paused or are cancelled. Repeat it to apply the choice again."""
    automation, changed = await automations.deactivate(session, client, automation_id, body.running)
    return AutomationStatusChanged(
        automation=automation_public(session, automation), journeys=changed
    )


@router.post(
    "/{automation_id}/duplicate",
    status_code=status.HTTP_201_CREATED,
    dependencies=[require(Role.marketer)],
)
def duplicate_automation(automation_id: AutomationId, session: SessionDep) -> AutomationPublic:
    """Copy it as a new, inactive automation whose version 1 is this one's current definition."""
    copy, _ = automations.duplicate(session, automation_id)
    return automation_public(session, copy)


@router.post("/{automation_id}/archive", dependencies=[require(Role.marketer)])
def archive_automation(automation_id: AutomationId, session: SessionDep) -> AutomationPublic:
    """Archive an inactive automation: out of the default list, versions kept. 409 if active."""
    return automation_public(session, automations.archive(session, automation_id))


@router.post("/{automation_id}/move-journeys", dependencies=[require(Role.marketer)])
async def move_journeys(
    automation_id: AutomationId, session: SessionDep, client: OptionalTemporalDep
) -> JourneysMoved:
    """Move its running journeys to the current version; those whose current step is not in it
    stay where they are and are listed with the reason."""
    return await automations.move_journeys(session, client, automation_id)


def _published(
    session: Session, automation_id: str, published: automation_versions.Published
) -> AutomationVersionPublic:
    automation = automations.get(session, automation_id)
    number = published.version.version
    return version_public(automation, published.version, published.diff, number - 1)
