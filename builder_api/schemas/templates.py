"""Email templates: content, versions, previews and test sends."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, EmailStr, Field

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
