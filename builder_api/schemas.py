"""Request and response shapes of the API (its public contract, shown in OpenAPI)."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, EmailStr, Field, StringConstraints

from engine.service.auth import Role


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


class DefinitionToCheck(BaseModel):
    definition: dict[str, Any] | None = Field(
        None, description="Default: the draft, else the current version"
    )


class FieldChangePublic(BaseModel):
    field: str = Field(description="Dotted path: `duration`, `params.subject`, `filters.op`")
    before: Any
    after: Any


class StepRefPublic(BaseModel):
    step_id: str
    type: str
    branch: str = Field(description="Where it sits: `steps`, `vip?.then`, `ab.variants.a`")


class StepChangePublic(BaseModel):
    step_id: str
    type: str
    fields: list[FieldChangePublic]


class StepMovePublic(BaseModel):
    step_id: str
    before: str
    after: str


class DefinitionDiffPublic(BaseModel):
    """What changed, by step id; `summary` says it in sentences."""

    added: list[StepRefPublic]
    removed: list[StepRefPublic]
    changed: list[StepChangePublic]
    moved: list[StepMovePublic]
    trigger: list[FieldChangePublic]
    settings: list[FieldChangePublic]
    exit_on: FieldChangePublic | None
    name: FieldChangePublic | None
    summary: list[str]


class DefinitionProblem(BaseModel):
    field: str
    message: str
    step_id: str | None = None


class DefinitionChecked(BaseModel):
    valid: bool
    problems: list[DefinitionProblem] = Field(description="Every problem, each with its step")
    diff: DefinitionDiffPublic | None = Field(
        description="Against the current version, when the definition is valid"
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


class JourneyNotChanged(BaseModel):
    journey_id: str
    reason: str


class JourneysChanged(BaseModel):
    command: str = Field(description="pause, resume or cancel")
    changed: int
    unchanged: int = Field(description="Already in that state")
    failed: list[JourneyNotChanged]


class AutomationStatusChanged(BaseModel):
    automation: AutomationPublic
    journeys: JourneysChanged | None = Field(description="What happened to running journeys")


class JourneysMoved(BaseModel):
    version: int = Field(description="The version they were moved to (the current one)")
    moved: int
    already: int = Field(description="Were on that version already")
    refused: list[JourneyNotChanged] = Field(
        description="Left on their version: their current step is not in the new one"
    )


class PresetPublic(BaseModel):
    key: str
    name: str
    category: str = Field(description="`abandoned_cart` or `post_purchase`")
    description: str
    what_it_does: list[str]
    trigger: str = Field(description="The event that starts its journeys")
    templates: list[str] = Field(description="The email templates it sends")
    definition: dict[str, Any]
    installed: list[str] = Field(description="Automations installed from it (not archived)")


class PresetInstall(BaseModel):
    name: str | None = Field(
        None, min_length=1, max_length=200, description="Default: the preset's name"
    )


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


class CatalogField(BaseModel):
    path: str = Field(description="A condition's `field`: `cart.total`, `customer.segment`")
    label: str
    type: Literal["number", "string", "boolean", "list", "enum"] = Field(
        description="Which operators and values fit: `list` takes `contains`, `enum` its `values`"
    )
    triggers: list[str] = Field(description="The triggers whose journeys have this field")
    values: list[str] = Field(description="The choices of an `enum` field")
    filters_only: bool = Field(
        description="Derived from personal data: trigger filters may test it, steps may not"
    )


class CatalogPublic(BaseModel):
    actions: list[CatalogAction] = Field(description="Ordered by category, then label")
    step_types: list[str]
    triggers: list[str] = Field(description="Events that may start a journey (`trigger.event`)")
    events: list[str] = Field(description="Events `wait_for_event` and `exit_on` may name")
    operators: list[str] = Field(description="Condition operators (`op`)")
    field_roots: list[str] = Field(
        description="What a condition's `field` starts with: `cart.total`, `steps.<id>.code`"
    )
    fields: list[CatalogField] = Field(description="The fields conditions may test, by trigger")
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
    content: TemplateContent | None = Field(
        None,
        description="Content not saved yet (the editor's), checked as a save checks it; "
        "rendered instead of a version",
    )
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
    version: int | None = Field(description="None when the request gave unsaved `content`")
    subject: str
    html: str
    text: str


class TemplateTestSend(TemplatePreviewRequest):
    to: EmailStr = Field(description="Who gets the test email")


class TemplateTestSent(BaseModel):
    message_id: int
    to: str
    subject: str
    version: int | None = Field(description="None when the request gave unsaved `content`")
    transport: str = Field(
        description="Where it went: `outbox` (listed by `GET /api/v1/outbox`) or `brevo`"
    )


class TemplateVariable(BaseModel):
    name: str = Field(
        description="As written in a template: `cart.total`; `item.name` inside the loop over "
        "`cart.items`"
    )
    kind: Literal["text", "url", "list"] = Field(
        description="`url` ones are always http(s) (or empty): they may start an `href`"
    )
    example: str = Field(description="Its value in the sample cart (a list: how many items)")
    loop: str | None = Field(
        description="The list whose loop gives this variable (`{% for item in cart.items %}`)"
    )
    optional: str | None = Field(
        description="The group (`discount`, `order`) that is empty when the journey has none: "
        "test it first (`{% if discount %}`)"
    )


TokenName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
]


class TokenCreate(BaseModel):
    name: TokenName = Field(description="What the token is for, e.g. `shop events (prod)`")
    role: Role = Field(description="admin, marketer, developer, support or ingest")


class TokenPublic(BaseModel):
    id: str
    name: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None = Field(description="Set once revoked: the token gets 401")


class Caller(BaseModel):
    """The token a request came with."""

    token_id: str
    name: str
    role: Role


class TokenCreated(TokenPublic):
    token: str = Field(
        description="The token's value, shown this once (only its SHA-256 is kept): "
        "send it as `Authorization: Bearer <token>`"
    )


class AuditEntryPublic(BaseModel):
    id: int
    at: datetime
    token_id: str | None
    token_name: str
    role: str
    action: str = Field(description="Method and route, e.g. `POST /api/v1/templates/{template}`")
    resource: str | None = Field(description="What the call named or created, e.g. an id")
    status_code: int = Field(description="The answer's HTTP status (4xx: refused)")
    detail: dict[str, Any] = Field(description="The path's parameters and safe facts of the call")
