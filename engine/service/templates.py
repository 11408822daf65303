"""Email templates as data: named templates with numbered versions, checked at save.

A template's name is what a `send_email` step's `params.template` names; it is never
renamed. Its versions are drafts until published; a published version is immutable, and a
send renders the newest published one (`render_published`), running only Jinja over the
HTML its MJML was compiled to when it was saved. The default templates are seeded from the
templates folder (`seed_templates`) when their name is missing, never over a marketer's work.
"""

import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from temporalio.exceptions import ApplicationError

from engine.emails.rendering import (
    TEMPLATE_NAME,
    VARIABLES,
    CompiledEmail,
    Group,
    ListOf,
    RenderedEmail,
    RenderFailed,
    Shape,
    Shop,
    TemplateNotFound,
    Value,
    compiled_versions,
    sample_context,
)
from engine.emails.template_checks import TemplateInvalid, check_template, explain
from engine.emails.transports import OutgoingEmail, send_once, transport_for
from engine.runtime.settings import Settings
from engine.service.errors import Conflict, DeliveryFailed, InvalidInput, NotFound, Problem
from engine.service.shop_settings import effective_settings
from engine.store.models import Message, Suppression, Template, TemplateVersion
from engine.store.types import utcnow

MANIFEST = "templates.toml"  # subjects and descriptions of the templates in the folder
DEFAULT_SUBJECT = "A message from {{ shop.name }}"
# Test sends are Messages without an automation (like the frequency cap, analytics count
# journey emails only: `automation_id IS NOT NULL`), under keys with this prefix.
TEST_SEND_KEY_PREFIX = "test-send:"
TEST_SEND_HEADER = "X-Boomerang-Test"
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


@dataclass(frozen=True)
class TemplateVariable:
    """One variable a template may print, described from `VARIABLES` and the sample cart."""

    name: str  # as written: `cart.total`, or `item.name` inside the loop over `cart.items`
    kind: Literal["text", "url", "list"]
    example: str  # its value in the sample cart (a list: how many items it has)
    loop: str | None  # the list a loop variable's items come from
    optional: str | None  # the group (`discount`, `order`) that is None when a journey has none


def template_variables(settings: Settings) -> list[TemplateVariable]:
    """Every variable a send provides, in `VARIABLES` order, with the preview's sample values:
    derived from the same definitions the checks use, so the builder's list cannot drift."""
    shop = Shop.from_settings(settings)
    found: list[TemplateVariable] = []
    _describe(Group(VARIABLES), sample_context(locale=shop.locale, shop=shop), "", found)
    return found


def _describe(
    shape: Shape,
    sample: Any,
    name: str,
    found: list[TemplateVariable],
    *,
    loop: str | None = None,
    optional: str | None = None,
) -> None:
    if isinstance(shape, Group):
        optional = name if shape.optional else optional
        for key, field in shape.fields.items():
            value = sample.get(key) if isinstance(sample, dict) else None
            dotted = f"{name}.{key}" if name else key
            _describe(field, value, dotted, found, loop=loop, optional=optional)
    elif isinstance(shape, ListOf):
        items = sample if isinstance(sample, list) else []
        found.append(TemplateVariable(name, "list", f"{len(items)} items", loop, optional))
        # `cart.items` → `item`: the loop variable a marketer would write.
        item = name.rsplit(".", 1)[-1].removesuffix("s") or "item"
        first = items[0] if items else None
        _describe(shape.item, first, item, found, loop=name, optional=optional)
    else:
        kind: Literal["text", "url"] = "url" if shape.url else "text"
        example = "" if sample is None else str(sample)
        found.append(TemplateVariable(name, kind, example, loop, optional))


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

    return compiled_versions.get((template_id, number), load).render(context, subject)


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
        variables = _overlay(variables, context)
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


def _overlay(base: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """The sample context with the given variables laid over it, each checked against
    `VARIABLES` (URLs must be http(s)); InvalidInput naming the field otherwise."""
    problems: list[Problem] = []
    merged = _merge(base, given, Group(VARIABLES), "context", problems)
    if problems:
        raise InvalidInput("invalid_context", f"{problems[0].field}: {problems[0].message}",
                           problems)  # fmt: skip
    assert isinstance(merged, dict)
    return merged


def _merge(base: Any, given: Any, shape: Shape, path: str, problems: list[Problem]) -> Any:
    if isinstance(shape, Group):
        if given is None and shape.optional:
            return None
        if not isinstance(given, dict):
            problems.append(Problem(path, "expected an object"))
            return base
        merged = dict(base) if isinstance(base, dict) else {}
        for key, value in given.items():
            if key not in shape.fields:
                known = ", ".join(sorted(shape.fields))
                problems.append(Problem(f"{path}.{key}", f"unknown variable (known: {known})"))
                continue
            merged[key] = _merge(merged.get(key), value, shape.fields[key], f"{path}.{key}",
                                 problems)  # fmt: skip
        return merged
    if isinstance(shape, ListOf):
        if not isinstance(given, list):
            problems.append(Problem(path, "expected a list"))
            return base
        # Each given item stands alone: what it leaves out is empty, not the sample's.
        blank = dict.fromkeys(shape.item.fields, "") if isinstance(shape.item, Group) else ""
        return [
            _merge(blank, item, shape.item, f"{path}.{index}", problems)
            for index, item in enumerate(given)
        ]
    assert isinstance(shape, Value)
    if isinstance(given, dict | list):
        problems.append(Problem(path, "expected a single value"))
        return base
    if shape.url and given and not str(given).lower().startswith(("http://", "https://")):
        problems.append(Problem(path, "must be an http(s) URL"))
        return base
    return given


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


def deliver_test_email(
    session: Session, settings: Settings, key: str, to: str, email: RenderedEmail
) -> Message:
    """Deliver a test email through the configured transport: recorded like every email,
    without an automation (so no cap or analytics counts it), and marked as a test."""
    outgoing = OutgoingEmail(
        idempotency_key=key,
        to_email=to,
        subject=email.subject,
        html=email.html,
        text=email.text,
        headers={TEST_SEND_HEADER: "true", "Idempotency-Key": key},
    )
    try:
        sent = send_once(session, transport_for(effective_settings(session, settings)), outgoing)
    except ApplicationError as error:
        refused = session.exec(select(Message).where(Message.idempotency_key == key)).first()
        why = refused.error if refused is not None and refused.error else str(error)
        raise DeliveryFailed(why, retryable=not error.non_retryable) from error
    message = session.get(Message, sent.message_id)
    assert message is not None
    return message


# -- seeding ----------------------------------------------------------------------------


def seed_templates(session: Session, folder: Path) -> list[str]:
    """Publish, as version 1, each template of the folder whose name has no template yet.

    Idempotent, and never touches a template that exists (a marketer may have edited it).
    A seed that fails its checks raises InvalidInput: the folder is broken, say so at start.
    """
    manifest_path = folder / MANIFEST
    manifest: dict[str, Any] = (
        tomllib.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    )
    existing = set(session.exec(select(Template.name)).all())
    seeded = []
    for mjml_path in sorted(folder.glob("*.mjml")):
        name = mjml_path.stem
        if name in existing or not TEMPLATE_NAME.match(name):
            continue
        text_path = mjml_path.with_suffix(".txt")
        about = manifest.get(name, {})
        content = TemplateContent(
            subject=about.get("subject", DEFAULT_SUBJECT),
            mjml=mjml_path.read_text(encoding="utf-8"),
            text=text_path.read_text(encoding="utf-8") if text_path.is_file() else "",
        )
        try:
            create(session, name, content, about.get("description", ""), published=True)
        except InvalidInput as error:
            error.message = f"template {mjml_path}: {error.message}"
            raise
        seeded.append(name)
    return seeded
