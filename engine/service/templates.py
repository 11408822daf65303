"""Email templates as data: named templates with numbered versions, checked at save.

A template's name is what a `send_email` step's `params.template` names; it is never
renamed. Its versions are drafts until published; a published version is immutable, and a
send renders the newest published one (`render_published`), running only Jinja over the
HTML its MJML was compiled to when it was saved. A preview renders any version (or content
not saved yet) with the sample context (engine.service.preview_context); a test send delivers
that preview to one address (engine.service.template_test_sends). The default templates are
seeded from the templates folder (engine.service.template_seeding).
"""

import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from engine.emails.email_context import Shop, sample_context
from engine.emails.rendering import (
    CompiledEmail,
    RenderedEmail,
    RenderFailed,
    TemplateNotFound,
    compiled_versions,
)
from engine.emails.template_checks import TemplateInvalid, check_template, explain
from engine.language.problems import Problem
from engine.runtime.settings import Settings
from engine.service.errors import Conflict, InvalidInput, NotFound
from engine.service.preview_context import TemplateVariable, describe_variables, overlay
from engine.service.template_test_sends import TEST_SEND_KEY_PREFIX, deliver_test_email
from engine.store.models import Message, Suppression, Template, TemplateVersion
from engine.store.types import utcnow

TEMPLATE_NAME = re.compile(r"^[a-z0-9][a-z0-9\-]{0,63}$")
# Names the template routes use for themselves (`GET /api/v1/templates/variables`).
RESERVED_NAMES = frozenset({"variables"})


@dataclass(frozen=True)
class TemplateContent:
    subject: str
    mjml: str
    text: str


# -- reading ----------------------------------------------------------------------------


def template_names(session: Session) -> list[str]:
    """The templates a `send_email` step may name: those with a published version."""
    names = session.exec(
        select(Template.name).where(col(Template.current_version).is_not(None))
    ).all()
    return sorted(names)


def list_templates(session: Session) -> list[Template]:
    return list(session.exec(select(Template).order_by(col(Template.name))).all())


def find(session: Session, ref: str) -> Template:
    """A template by id (`tpl_...`) or by name."""
    template = (
        session.get(Template, ref)
        or session.exec(select(Template).where(Template.name == ref)).first()
    )
    if template is None:
        raise NotFound(f"no template {ref!r}")
    return template


def versions(session: Session, template: Template) -> list[TemplateVersion]:
    """Newest first."""
    return list(
        session.exec(
            select(TemplateVersion)
            .where(TemplateVersion.template_id == template.id)
            .order_by(col(TemplateVersion.version).desc())
        ).all()
    )


def _version(session: Session, template: Template, number: int | None) -> TemplateVersion:
    """The given version, else the newest (a draft being edited, or the published one)."""
    query = select(TemplateVersion).where(TemplateVersion.template_id == template.id)
    if number is not None:
        query = query.where(TemplateVersion.version == number)
    found = session.exec(query.order_by(col(TemplateVersion.version).desc())).first()
    if found is None:
        raise NotFound(f"template {template.name!r} has no version {number}")
    return found


def template_variables(settings: Settings) -> list[TemplateVariable]:
    """Every variable a send provides, in `VARIABLES` order, with the preview's sample values:
    derived from the same definitions the checks use, so the builder's list cannot drift."""
    shop = Shop.from_settings(settings)
    return describe_variables(sample_context(locale=shop.locale, shop=shop))


# -- writing ----------------------------------------------------------------------------


def _checked(content: TemplateContent) -> str:
    """The compiled HTML, or InvalidInput with every problem and its line."""
    try:
        return check_template(content.subject, content.mjml, content.text)
    except TemplateInvalid as invalid:
        problems = [Problem(p.part, p.message, line=p.line) for p in invalid.problems]
        first = invalid.problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise InvalidInput(
            "invalid_template", f"{first.part}: {first.message}{more}", problems
        ) from invalid


def create(
    session: Session,
    name: str,
    content: TemplateContent,
    description: str = "",
    *,
    published: bool = False,
) -> tuple[Template, TemplateVersion]:
    """A new template with its content as version 1: a draft, or `published` at once."""
    if not TEMPLATE_NAME.match(name):
        message = f"{name!r} is not a template name: lowercase letters, digits and -"
        raise InvalidInput("invalid_template", message, [Problem("name", message)])
    if name in RESERVED_NAMES:
        message = f"{name!r} is reserved by the API: choose another name"
        raise InvalidInput("invalid_template", message, [Problem("name", message)])
    if session.exec(select(Template.id).where(Template.name == name)).first():
        raise Conflict(f"a template named {name!r} exists; names are never reused")
    compiled_html = _checked(content)
    template = Template(name=name, description=description)
    session.add(template)
    version = _new_version(template, 1, content, compiled_html)
    if published:
        version.status, version.published_at = "published", utcnow()
        template.current_version = 1
    session.add(version)
    _flush(session, f"a template named {name!r} was created meanwhile")
    return template, version


def save_draft(session: Session, ref: str, content: TemplateContent) -> TemplateVersion:
    """Check the content and keep it as the template's draft (the next version number)."""
    template = find(session, ref)
    compiled_html = _checked(content)
    newest = _version(session, template, None)
    if newest.status == "draft":
        newest.subject, newest.mjml, newest.text = content.subject, content.mjml, content.text
        newest.compiled_html, draft = compiled_html, newest
    else:
        draft = _new_version(template, newest.version + 1, content, compiled_html)
    template.updated_at = utcnow()
    session.add_all([draft, template])
    _flush(session, f"template {template.name!r} was saved by someone else meanwhile")
    return draft


def publish(session: Session, ref: str) -> TemplateVersion:
    """Publish the draft: from now on sends render it. Its MJML is checked and compiled again,
    so a draft saved under older rules cannot slip through."""
    template = find(session, ref)
    draft = _version(session, template, None)
    if draft.status != "draft":
        raise Conflict(f"template {template.name!r} has no draft to publish")
    draft.compiled_html = _checked(TemplateContent(draft.subject, draft.mjml, draft.text))
    draft.status, draft.published_at = "published", utcnow()
    template.current_version, template.updated_at = draft.version, draft.published_at
    session.add_all([draft, template])
    _flush(session, f"template {template.name!r} was published by someone else meanwhile")
    return draft


def _new_version(
    template: Template, number: int, content: TemplateContent, compiled_html: str
) -> TemplateVersion:
    return TemplateVersion(
        template_id=template.id,
        version=number,
        subject=content.subject,
        mjml=content.mjml,
        text=content.text,
        compiled_html=compiled_html,
    )


def _flush(session: Session, conflict: str) -> None:
    try:
        session.flush()
    except IntegrityError as error:  # a concurrent save took the same name or version
        raise Conflict(conflict) from error


# -- rendering --------------------------------------------------------------------------


def _compiled(version: TemplateVersion) -> CompiledEmail:
    if version.status == "published":  # immutable: compiled once per process
        return compiled_versions.get(
            (version.template_id, version.version),
            lambda: (version.compiled_html, version.text, version.subject),
        )
    return CompiledEmail.build(version.compiled_html, version.text, version.subject)


def render_published(
    session: Session, name: str, context: dict[str, Any], subject: str | None = None
) -> RenderedEmail:
    """A send: the newest published version of the named template with this context;
    `subject` (a step's `params.subject`) replaces the template's. Raises TemplateNotFound
    or RenderFailed."""
    return published_email(session, name).render(context, subject)


def published_email(session: Session, name: str) -> CompiledEmail:
    """The newest published version of the named template, ready to render (TemplateNotFound
    if it has none)."""
    found = session.exec(
        select(Template.id, Template.current_version).where(Template.name == name)
    ).first()
    if found is None or found[1] is None:
        raise TemplateNotFound(f"no published template named {name!r}")
    template_id, number = found

    def load() -> tuple[str, str, str]:
        version = session.exec(
            select(TemplateVersion).where(
                TemplateVersion.template_id == template_id, TemplateVersion.version == number
            )
        ).one()
        return version.compiled_html, version.text, version.subject

    return compiled_versions.get((template_id, number), load)


def preview(
    session: Session,
    settings: Settings,
    ref: str,
    *,
    version: int | None = None,
    content: TemplateContent | None = None,
    context: dict[str, Any] | None = None,
    currency: str = "USD",
    locale: str | None = None,
) -> tuple[TemplateVersion | None, RenderedEmail]:
    """Render a version (the newest by default, a draft included), or `content` not saved yet
    (checked as a save would check it; no version then), with the sample cart in `currency`,
    the shop's locale unless given, and `context` laid over it."""
    template = find(session, ref)
    found = None if content is not None else _version(session, template, version)
    shop = Shop.from_settings(settings)
    variables = sample_context(currency, locale or shop.locale, shop=shop)
    if context:
        variables = overlay(variables, context)
    if content is not None:
        compiled = CompiledEmail.build(_checked(content), content.text, content.subject)
        mjml = content.mjml
    else:
        assert found is not None
        compiled, mjml = _compiled(found), found.mjml
    try:
        return found, compiled.render(variables)
    except RenderFailed as error:
        located = explain(error, mjml, [variables])
        problem = Problem(located.part, located.message, line=located.line)
        raise InvalidInput(
            "render_failed", f"{located.part}: {located.message}", [problem]
        ) from error


# -- test sends -------------------------------------------------------------------------


def test_send(
    session: Session,
    settings: Settings,
    ref: str,
    to: str,
    *,
    version: int | None = None,
    content: TemplateContent | None = None,
    context: dict[str, Any] | None = None,
    currency: str = "USD",
    locale: str | None = None,
) -> tuple[TemplateVersion | None, Message]:
    """Send the preview (of a version, or of `content` not saved yet) to one address, marked
    as a test: it is no journey's email."""
    address = to.strip().lower()
    if session.get(Suppression, address) is not None:
        raise Conflict(f"{address} unsubscribed: no email goes to it, tests included")
    found, email = preview(
        session,
        settings,
        ref,
        version=version,
        content=content,
        context=context,
        currency=currency,
        locale=locale,
    )
    which = f"{found.template_id}:{found.version}" if found else f"{find(session, ref).id}:unsaved"
    key = f"{TEST_SEND_KEY_PREFIX}{which}:{secrets.token_hex(8)}"
    test_email = RenderedEmail(subject=f"[Test] {email.subject}", html=email.html, text=email.text)
    return found, deliver_test_email(session, settings, key, address, test_email)
