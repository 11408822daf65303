"""Request and response shapes of the API (its public contract, shown in OpenAPI)."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, EmailStr, Field


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


LOCALE_PATTERN = r"^[a-z]{2}([-_][A-Za-z]{2})?$"


class TemplateContent(BaseModel):
    subject: str = Field(
        min_length=1,
        max_length=300,
        description="Jinja; a `send_email` step's `params.subject` replaces it",
    )
    mjml: str = Field(min_length=1, max_length=200_000, description="MJML with Jinja placeholders")
    text: str = Field("", max_length=200_000, description="The plain-text part (Jinja)")


class TemplateCreate(TemplateContent):
    name: str = Field(
        pattern=r"^[a-z0-9][a-z0-9\-]{0,63}$",
        description="What `params.template` names: lowercase letters, digits, -; never renamed",
    )
    description: str = Field("", max_length=500)


class TemplateVersionPublic(BaseModel):
    version: int
    status: str = Field(description="`draft` (being edited) or `published` (immutable)")
    subject: str
    mjml: str
    text: str
    created_at: datetime
    published_at: datetime | None


class TemplateSummary(BaseModel):
    id: str
    name: str
    description: str
    current_version: int | None = Field(description="The published version sends render")
    draft_version: int | None = Field(description="The unpublished version, if one is saved")
    updated_at: datetime


class TemplatePublic(TemplateSummary):
    versions: list[TemplateVersionPublic] = Field(description="Newest first")


class TemplatePreviewRequest(BaseModel):
    version: int | None = Field(None, ge=1, description="Default: the newest, a draft included")
    context: dict[str, Any] | None = Field(
        None,
        description="Variables laid over the sample context (a 3-item cart with a discount), "
        'e.g. `{"customer": {"first_name": "Ann"}, "discount": null}`',
    )
    currency: str = Field("USD", pattern=r"^[A-Z]{3}$", description="Currency of the sample cart")
    locale: str | None = Field(
        None, pattern=LOCALE_PATTERN, description="Default: BOOMERANG_SHOP_LOCALE"
    )


class TemplatePreview(BaseModel):
    version: int
    subject: str
    html: str
    text: str


class TemplateTestSend(TemplatePreviewRequest):
    to: EmailStr = Field(description="Who gets the test email")


class TemplateTestSent(BaseModel):
    message_id: int
    to: str
    subject: str
    version: int
