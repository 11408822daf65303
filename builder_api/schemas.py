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


class CatalogAction(BaseModel):
    name: str = Field(description="What an action step names in `action`; never renamed.")
    label: str
    category: str
    description: str
    messages_customer: bool = Field(description="It messages the customer: quiet hours defer it")
    params_schema: dict[str, Any] = Field(description="JSON Schema of the step's `params`")


class CatalogPublic(BaseModel):
    actions: list[CatalogAction] = Field(description="Ordered by category, then label")
    step_types: list[str]
    triggers: list[str] = Field(description="Events that may start a journey (`trigger.event`)")
    events: list[str] = Field(description="Events `wait_for_event` and `exit_on` may name")
    operators: list[str] = Field(description="Condition operators (`op`)")
    field_roots: list[str] = Field(
        description="What a condition's `field` starts with: `cart.total`, `steps.<id>.code`"
    )
    templates: list[str] = Field(description="Email templates `params.template` may name")
