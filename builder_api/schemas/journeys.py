"""Journeys: where each cart stands in each automation, and support's controls."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class JourneyPublic(BaseModel):
    id: str
    automation_id: str | None
    automation_version: int | None
    cart_id: str | None
    status: str = Field(description="running, completed, failed, canceled, terminated, …")
    outcome: str | None = Field(description="recovered, purchased, unsubscribed, completed, …")
    current_step: str | None
    started_at: datetime | None
    closed_at: datetime | None


class JourneyStepDone(BaseModel):
    step_id: str
    type: str
    at: datetime
    detail: dict[str, Any] = Field(description="What the step did: an action's result, a branch")


class JourneyDetailPublic(JourneyPublic):
    paused: bool
    next_wake_up: datetime | None = Field(description="When the current wait ends, if waiting")
    waiting_for: str | None = Field(description="The event a wait_for_event step awaits")
    variants: dict[str, str] = Field(description="A/B split step id → the variant chosen")
    recovered_via: str | None
    steps: list[JourneyStepDone]


class JourneyControl(BaseModel):
    reason: str = Field("", max_length=500, description="Recorded with a cancel")


class JourneyControlResult(BaseModel):
    status: str = Field(description="running, paused or finished")
    changed: bool = Field(description="False when the journey was already in that state")
    outcome: str | None = None


class NamedJourney(JourneyPublic):
    automation_name: str | None = Field(description="The automation's name now, if it still exists")


class NamedJourneyDetail(JourneyDetailPublic):
    automation_name: str | None = Field(description="The automation's name now, if it still exists")
