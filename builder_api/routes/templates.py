"""Email templates: versions, checks at save, publishing, previews and test sends.

Templates are the marketers' (and admins'): reading, previewing and writing them alike.
`{template}` is a template's id or its name.
"""

from typing import Annotated

from fastapi import APIRouter, Body, Path, Request, status
from sqlmodel import Session

from builder_api.deps import SessionDep, SettingsDep, note_for_audit, require
from builder_api.schemas.templates import (
    MissingLocale,
    TemplateContent,
    TemplateCreate,
    TemplatePreview,
    TemplatePreviewRequest,
    TemplatePublic,
    TemplateSummary,
    TemplateTestSend,
    TemplateTestSent,
    TemplateVariable,
    TemplateVersionPublic,
    TranslationPublic,
)
from engine.runtime.settings import Settings
from engine.service import templates
from engine.service.auth import Role
from engine.store.models import Template, TemplateVersion

router = APIRouter(prefix="/templates", tags=["templates"])
TemplateRef = Annotated[
    str, Path(max_length=64, description="The template's id (`tpl_...`) or its name")
]


def _summary(template: Template, versions: list[TemplateVersion]) -> TemplateSummary:
    drafts = [v.version for v in versions if v.status == "draft"]
    return TemplateSummary(
        id=template.id,
        name=template.name,
        description=template.description,
        current_version=template.current_version,
        draft_version=drafts[0] if drafts else None,
        updated_at=template.updated_at,
    )


def _version(version: TemplateVersion) -> TemplateVersionPublic:
    return TemplateVersionPublic(
        version=version.version,
        status=version.status,
        subject=version.subject,
        mjml=version.mjml,
        text=version.text,
        locale=version.locale,
        translations={
            locale: TranslationPublic(subject=part["subject"], mjml=part["mjml"], text=part["text"])
            for locale, part in sorted((version.translations or {}).items())
        },
        created_at=version.created_at,
        published_at=version.published_at,
    )


def _public(session: Session, settings: Settings, template: Template) -> TemplatePublic:
    versions = templates.versions(session, template)
    return TemplatePublic(
        **_summary(template, versions).model_dump(),
        versions=[_version(v) for v in versions],
        missing_locales=[
            MissingLocale(locale=m.locale, customers=m.customers, fallback=m.fallback)
            for m in templates.missing_locales(session, settings, template)
        ],
    )


def _content(body: TemplateContent) -> templates.TemplateContent:
    translations = (
        None
        if body.translations is None
        else {
            locale: templates.LocaleContent(part.subject, part.mjml, part.text)
            for locale, part in body.translations.items()
        }
    )
    return templates.TemplateContent(
        subject=body.subject,
        mjml=body.mjml,
        text=body.text,
        locale=body.locale,
        translations=translations,
    )


def _unsaved(body: TemplatePreviewRequest) -> templates.TemplateContent | None:
    return None if body.content is None else _content(body.content)


@router.get("", dependencies=[require(Role.marketer)])
def list_templates(session: SessionDep) -> list[TemplateSummary]:
    """List the templates with their published and draft version numbers."""
    return [
        _summary(template, templates.versions(session, template))
        for template in templates.list_templates(session)
    ]


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[require(Role.marketer)])
def create_template(
    body: TemplateCreate, session: SessionDep, settings: SettingsDep, request: Request
) -> TemplatePublic:
    """Create a template; its content is checked and kept as draft version 1."""
    template, _ = templates.create(session, body.name, _content(body), body.description)
    note_for_audit(request, template.id, name=template.name)
    return _public(session, settings, template)


# Before `/{template}`: the name `variables` is reserved for it.
@router.get("/variables", dependencies=[require(Role.marketer)])
def list_variables(settings: SettingsDep) -> list[TemplateVariable]:
    """List the variables a template may print, with their values in the sample cart."""
    return [
        TemplateVariable.model_validate(variable, from_attributes=True)
        for variable in templates.template_variables(settings)
    ]


@router.get("/{template}", dependencies=[require(Role.marketer)])
def get_template(
    session: SessionDep, settings: SettingsDep, template: TemplateRef
) -> TemplatePublic:
    """Show a template with all its versions, newest first, and the languages it lacks."""
    return _public(session, settings, templates.find(session, template))


@router.put("/{template}/draft", dependencies=[require(Role.marketer)])
def save_draft(
    body: TemplateContent, session: SessionDep, settings: SettingsDep, template: TemplateRef
) -> TemplatePublic:
    """Check and save the draft (the next version), every locale's content; 422 lists each
    problem with its field (`translations.ko.mjml`) and line."""
    templates.save_draft(session, template, _content(body))
    return _public(session, settings, templates.find(session, template))


@router.post("/{template}/publish", dependencies=[require(Role.marketer)])
def publish_template(
    session: SessionDep, settings: SettingsDep, template: TemplateRef
) -> TemplatePublic:
    """Publish the draft: its MJML is compiled once and sends render it from now on."""
    templates.publish(session, template)
    return _public(session, settings, templates.find(session, template))


@router.post("/{template}/preview", dependencies=[require(Role.marketer)])
def preview_template(
    session: SessionDep,
    settings: SettingsDep,
    template: TemplateRef,
    body: Annotated[TemplatePreviewRequest | None, Body()] = None,
) -> TemplatePreview:
    """Render subject, HTML and text with the sample cart, or with the variables given; of a
    saved version, or of unsaved `content` (checked as a save checks it: 422 with lines); in
    the content a customer with `locale` gets."""
    body = body or TemplatePreviewRequest()
    version, email = templates.preview(
        session,
        settings,
        template,
        version=body.version,
        content=_unsaved(body),
        context=body.context,
        currency=body.currency,
        locale=body.locale,
    )
    return TemplatePreview(
        version=version.version if version else None,
        locale=email.locale or "",
        subject=email.subject,
        html=email.html,
        text=email.text,
    )


@router.post(
    "/{template}/test-send",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[require(Role.marketer)],
)
def test_send_template(
    body: TemplateTestSend, session: SessionDep, settings: SettingsDep, template: TemplateRef
) -> TemplateTestSent:
    """Send the preview to one address, marked as a test (it counts as no journey's email)."""
    version, message = templates.test_send(
        session,
        settings,
        template,
        str(body.to),
        version=body.version,
        content=_unsaved(body),
        context=body.context,
        currency=body.currency,
        locale=body.locale,
    )
    return TemplateTestSent(
        message_id=message.id or 0,
        to=message.to_email,
        subject=message.subject,
        version=version.version if version else None,
        locale=message.locale,
        transport=message.transport,
    )
