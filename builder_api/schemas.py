"""Request and response shapes of the API (its public contract, shown in OpenAPI)."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class AutomationCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    definition: dict[str, Any] = Field(
        description="The automation definition (version 1 of the format in DESIGN.md)."
    )


class AutomationPublic(BaseModel):
    id: str
    name: str
    status: str
    version: int
    definition: dict[str, Any]
    created_at: datetime


class EventAccepted(BaseModel):
    id: str
    duplicate: bool = Field(description="True when this event id was accepted before.")


class EventsAccepted(BaseModel):
    events: list[EventAccepted]


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


class OutboxMessage(BaseModel):
    id: int
    to: str
    subject: str
    html: str
    text: str
    headers: dict[str, str]
    cart_id: str | None
    automation_id: str | None
    step_id: str | None
    status: str
    created_at: datetime


class Health(BaseModel):
    status: str = Field(description="`ok` when every dependency answers, else `degraded`.")
    database: str
    temporal: str
