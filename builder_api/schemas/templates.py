"""Email templates: content, versions, previews and test sends."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, EmailStr, Field, StringConstraints

# BCP 47 as shops send it: `ko`, `ko-KR`, `pt_BR`, `zh-Hant-TW`; CLDR must know the language.
LOCALE_PATTERN = r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$"
Locale = Annotated[str, StringConstraints(pattern=LOCALE_PATTERN, max_length=35)]
MAX_TRANSLATIONS = 40


class LocaleContent(BaseModel):
    """One language's subject, MJML and text part."""

    subject: str = Field(
        min_length=1,
        max_length=300,
        description="Jinja; a `send_email` step's `params.subject` replaces it in every language",
    )
    mjml: str = Field(min_length=1, max_length=200_000, description="MJML with Jinja placeholders")
    text: str = Field("", max_length=200_000, description="The plain-text part (Jinja)")


class TemplateContent(LocaleContent):
    locale: Locale | None = Field(
        None,
        description="The locale the content above is written in (`en`); what a customer gets "
        "when the template has nothing in their language. Left out: as the newest version has "
        "it (`en` for a new template)",
    )
    translations: dict[Locale, LocaleContent] | None = Field(
        None,
        max_length=MAX_TRANSLATIONS,
        description="The same email in other locales (`ko`, `pt-BR`), each checked at save "
        "with sample carts in its own locale. A customer gets the first the chain finds: their "
        "locale (`ko-KR`), its language (`ko`), the shop's locale and language, else the "
        "content above. Left out: the newest version's translations are kept ({} removes them)",
    )


class TemplateCreate(TemplateContent):
    name: str = Field(
        pattern=r"^[a-z0-9][a-z0-9\-]{0,63}$",
        description="What `params.template` names: lowercase letters, digits, -; never renamed",
    )
    description: str = Field("", max_length=500)


class TranslationPublic(BaseModel):
    subject: str
    mjml: str
    text: str


class TemplateVersionPublic(BaseModel):
    version: int
    status: str = Field(description="`draft` (being edited) or `published` (immutable)")
    subject: str
    mjml: str
    text: str
    locale: str = Field(description="The locale of the content above (`en`)")
    translations: dict[str, TranslationPublic] = Field(
        description="The same email in other locales, by locale (`ko`, `pt-BR`)"
    )
    created_at: datetime
    published_at: datetime | None


class MissingLocale(BaseModel):
    locale: str = Field(description="A language the shop's customers have (`pl`)")
    customers: int = Field(description="How many customers have it")
    fallback: str = Field(description="The locale they get instead (`en`)")


class TemplateSummary(BaseModel):
    id: str
    name: str
    description: str
    current_version: int | None = Field(description="The published version sends render")
    draft_version: int | None = Field(description="The unpublished version, if one is saved")
    updated_at: datetime


class TemplatePublic(TemplateSummary):
    versions: list[TemplateVersionPublic] = Field(description="Newest first")
    missing_locales: list[MissingLocale] = Field(
        description="The languages of the shop's customers (their `locale`) that the newest "
        "version has no content in: those customers get the fallback. Most customers first"
    )


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
    locale: Locale | None = Field(
        None,
        description="Render as a customer with this locale gets it (`ko-KR`): the content the "
        "fallback chain chooses, money and dates as they read them. Default: "
        "BOOMERANG_SHOP_LOCALE",
    )


class TemplatePreview(BaseModel):
    version: int | None = Field(description="None when the request gave unsaved `content`")
    locale: str = Field(description="The locale of the content rendered (`ko`, or the main `en`)")
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
    locale: str | None = Field(description="The locale of the content sent")
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
