"""Automation answers built from the store's rows: the shapes are in
`builder_api.schemas.automations` (pure, so the `boomerang` client can read them too)."""

from typing import Any

from sqlmodel import Session

from builder_api.schemas.automations import (
    AutomationOverview,
    AutomationPublic,
    AutomationVersionPublic,
    AutomationVersionSummary,
)
from builder_api.schemas.definitions import diff_public
from engine.language.definition_diff import DefinitionDiff
from engine.service import automations
from engine.service.automation_stats import Stats
from engine.store import models


def _fields(automation: models.Automation) -> dict[str, object]:
    return {
        "id": automation.id,
        "name": automation.name,
        "status": automation.status,
        "version": automation.current_version,
        "draft": automation.draft,
        "preset": automation.preset,
        "created_at": automation.created_at,
        "updated_at": automation.updated_at,
    }


def automation_public(session: Session, automation: models.Automation) -> AutomationPublic:
    return AutomationPublic(
        **_fields(automation),
        definition=automations.current(session, automation).definition,
    )


def automation_overview(
    automation: models.Automation, definition: dict[str, Any], running: int | None, stats: Stats
) -> AutomationOverview:
    """`definition`: its current version's."""
    return AutomationOverview(
        **_fields(automation),
        definition=definition,
        running_journeys=running,
        emails_sent_30d=stats.emails_sent,
        recoveries_30d=stats.recoveries,
    )


def _version_fields(
    automation: models.Automation, found: models.AutomationVersion, diff: DefinitionDiff
) -> dict[str, object]:
    return {
        "version": found.version,
        "published_at": found.published_at,
        "current": found.version == automation.current_version,
        "source_version": found.source_version,
        "changes": diff.summary(),
    }


def version_summary(
    automation: models.Automation, found: models.AutomationVersion, diff: DefinitionDiff
) -> AutomationVersionSummary:
    """`diff`: what the version changed from the one before it."""
    return AutomationVersionSummary(**_version_fields(automation, found, diff))


def version_public(
    automation: models.Automation,
    found: models.AutomationVersion,
    diff: DefinitionDiff,
    compared_to: int | None,
) -> AutomationVersionPublic:
    """`diff`: against version `compared_to`."""
    return AutomationVersionPublic(
        **_version_fields(automation, found, diff),
        definition=found.definition,
        compared_to=compared_to,
        diff=diff_public(diff),
    )
