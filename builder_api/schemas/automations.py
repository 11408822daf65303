"""Automations: what is created, edited and shown, versions, status changes (built from the
store's rows by `builder_api.automation_answers`)."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from builder_api.schemas.definitions import DefinitionDiffPublic
from engine.language.journey_results import JourneysChanged


class AutomationCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    definition: dict[str, Any] = Field(
        description="The automation definition (version 1 of the format in DESIGN.md), "
        "validated and published as version 1."
    )
    active: bool = Field(
        False, description="Activate it at once; by default it is created inactive (no emails)"
    )


class AutomationPublic(BaseModel):
    id: str
    name: str
    status: str = Field(description="`active`, `inactive` (enrols nobody) or `archived`")
    version: int = Field(description="The current published version: what new journeys get")
    definition: dict[str, Any] = Field(description="The current version's definition")
    draft: dict[str, Any] | None = Field(
        description="Unpublished changes, if any were saved (work in progress: may be invalid)"
    )
    preset: str | None = Field(description="The preset it was installed from, if any")
    created_at: datetime
    updated_at: datetime


class AutomationOverview(AutomationPublic):
    running_journeys: int | None = Field(
        description="Journeys running now, of any version; null when Temporal cannot be reached"
    )
    emails_sent_30d: int = Field(description="Emails its journeys sent in the last 30 days")
    recoveries_30d: int = Field(
        description="Carts with a journey in it that were recovered in the last 30 days"
    )


class AutomationDraft(BaseModel):
    definition: dict[str, Any] = Field(
        description="Any JSON object: saved as it is, checked when it is published"
    )


class AutomationVersionSummary(BaseModel):
    version: int
    published_at: datetime
    current: bool = Field(description="What new journeys get")
    source_version: int | None = Field(description="The version a rollback copied")
    changes: list[str] = Field(description="What it changed from the version before it")


class AutomationVersionPublic(AutomationVersionSummary):
    definition: dict[str, Any]
    compared_to: int | None = Field(description="The version `diff` is against (none for v1)")
    diff: DefinitionDiffPublic


class AutomationRollback(BaseModel):
    version: int = Field(ge=1, description="The version to publish a copy of")


class AutomationActivate(BaseModel):
    resume_journeys: bool = Field(
        False, description="Also resume its paused journeys (e.g. paused by a deactivation)"
    )


class AutomationDeactivate(BaseModel):
    running: Literal["finish", "pause", "cancel"] = Field(
        description="What happens to its running journeys: `finish` (they go on to their "
        "end), `pause` (no action runs until resumed) or `cancel` (they stop for good)"
    )


class AutomationStatusChanged(BaseModel):
    automation: AutomationPublic
    journeys: JourneysChanged | None = Field(description="What happened to running journeys")
