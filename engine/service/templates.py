"""Email templates as data: named templates with numbered versions, checked at save.

A template's name is what a `send_email` step's `params.template` names; it is never
renamed. Its versions are drafts until published; a published version is immutable, and a
send renders the newest published one (`render_published`), running only Jinja over the
HTML its MJML was compiled to when it was saved. A preview renders any version (or content
not saved yet) with the sample context (engine.service.preview_context); a test send delivers
that preview to one address (engine.service.template_test_sends). The default templates are
seeded from the templates folder (engine.service.template_seeding).

A version holds its content per locale: the main content (in `locale`, `en` by default) and
`translations` of it. A send chooses one by the customer's locale and the shop's
(engine.emails.locales: `ko-KR` → `ko` → the shop's → the main content); every locale's
content is checked at save, each with sample carts printed in its own locale.
"""

import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from engine.emails.email_context import Shop, sample_context
from engine.emails.formatting import is_known_locale
from engine.emails.locales import choose_locale, formatting_locale, language, normalise
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
from engine.store.models import Customer, Message, Suppression, Template, TemplateVersion
from engine.store.types import utcnow

TEMPLATE_NAME = re.compile(r"^[a-z0-9][a-z0-9\-]{0,63}$")
# Names the template routes use for themselves (`GET /api/v1/templates/variables`).
RESERVED_NAMES = frozenset({"variables"})
MAX_TRANSLATIONS = 40  # every one is checked (and its MJML compiled) at each save


@dataclass(frozen=True)
class LocaleContent:
    """One language's subject, MJML and text part."""

    subject: str
    mjml: str
    text: str


@dataclass(frozen=True)
class TemplateContent:
    """What a save (or a preview of unsaved work) gives: the main content, in `locale`, and
    its `translations` by locale. None means "as the newest version has it" (`en` and none for
    a new template), so a client that knows nothing of languages loses none."""

    subject: str
    mjml: str
    text: str
    locale: str | None = None
    translations: Mapping[str, LocaleContent] | None = None


@dataclass(frozen=True)
class _Checked:
    """Content that passed every check: the main locale and each translation as stored."""

    locale: str
    compiled_html: str
    translations: dict[str, dict[str, str]]


@dataclass(frozen=True)
class MissingLocale:
    """A language some customers read that a version lacks: they get `fallback` instead."""

    locale: str
    customers: int
    fallback: str


@dataclass(frozen=True)
class LocalisedEmail:
    """A published version's content in the locale the fallback chain chose for a customer."""

    email: CompiledEmail
    locale: str  # the content's (what Message.locale records)
    formatting: str  # where money and dates print (engine.emails.locales.formatting_locale)

    def render(
        self,
        context: Mapping[str, Any] | Callable[[str], Mapping[str, Any]],
        subject: str | None = None,
    ) -> RenderedEmail:
        """`context`, or the function that builds it for the locale money and dates print
        in; `subject` replaces the template's in every language. Raises RenderFailed."""
        variables = context(self.formatting) if callable(context) else context
        return replace(self.email.render(variables, subject), locale=self.locale)


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


def locales_of(version: TemplateVersion) -> list[str]:
    """The version's main locale, then its translations' in order."""
    return [version.locale, *sorted(version.translations or {})]


def missing_locales(
    session: Session, settings: Settings, template: Template
) -> list[MissingLocale]:
    """The languages the shop's customers have (by `Customer.locale`) that the newest version
    lacks, with how many customers read each: they get the fallback chain's choice. Most
    customers first."""
    newest = session.exec(
        select(TemplateVersion)
        .where(TemplateVersion.template_id == template.id)
        .order_by(col(TemplateVersion.version).desc())
    ).first()
    if newest is None:
        return []
    rows = session.exec(
        select(Customer.locale, func.count())
        .where(col(Customer.locale).is_not(None))
        .group_by(col(Customer.locale))
    ).all()
    available = list(newest.translations or {})
    shop = settings.shop_locale
    missing: dict[str, MissingLocale] = {}
    for tag, count in rows:
        wanted = language(tag or "")
        if not wanted:
            continue
        chosen = choose_locale(available, newest.locale, tag, shop)
        if language(chosen) == wanted:
            continue
        found = missing.get(wanted)
        missing[wanted] = MissingLocale(wanted, count + (found.customers if found else 0), chosen)
    return sorted(missing.values(), key=lambda item: (-item.customers, item.locale))


def template_variables(settings: Settings) -> list[TemplateVariable]:
    """Every variable a send provides, in `VARIABLES` order, with the preview's sample values:
    derived from the same definitions the checks use, so the builder's list cannot drift."""
    shop = Shop.from_settings(settings)
    return describe_variables(sample_context(locale=shop.locale, shop=shop))


# -- writing ----------------------------------------------------------------------------


def _invalid(code: str, problems: list[Problem]) -> InvalidInput:
    first = problems[0]
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return InvalidInput(code, f"{first.field}: {first.message}{more}", problems)


def _locales(
    content: TemplateContent, base: TemplateVersion | None
) -> tuple[str, dict[str, LocaleContent]]:
    """The main locale and the translations by normalised locale (InvalidInput naming the
    field when a locale is not one CLDR knows, repeats, or there are too many)."""
    main = normalise(content.locale or (base.locale if base else "en"))
    given: Mapping[str, LocaleContent]
    if content.translations is not None:
        given = content.translations
    else:
        stored = (base.translations if base else None) or {}
        given = {
            tag: LocaleContent(part["subject"], part["mjml"], part["text"])
            for tag, part in stored.items()
        }
    problems: list[Problem] = []
    if not main or not is_known_locale(main):
        problems.append(Problem("locale", f"{content.locale!r} is not a locale CLDR knows"))
    if len(given) > MAX_TRANSLATIONS:
        message = f"{len(given)} translations: at most {MAX_TRANSLATIONS}"
        problems.append(Problem("translations", message))
    translations: dict[str, LocaleContent] = {}
    for tag, translated in given.items():
        locale = normalise(tag)
        where = f"translations.{tag}"
        if not locale or not is_known_locale(locale):
            problems.append(Problem(where, f"{tag!r} is not a locale CLDR knows"))
        elif locale == main:
            message = f"{locale} is the main content's locale: it cannot be a translation too"
            problems.append(Problem(where, message))
        elif locale in translations:
            problems.append(Problem(where, f"{locale} is given twice"))
        else:
            translations[locale] = translated
    if problems:
        raise _invalid("invalid_template", problems)
    return main, translations


def _check_one(part: LocaleContent, locale: str | None, prefix: str) -> tuple[str, list[Problem]]:
    """The compiled HTML, or the problems (each field `prefix` + its part)."""
    try:
        return check_template(part.subject, part.mjml, part.text, locale), []
    except TemplateInvalid as invalid:
        return "", [Problem(f"{prefix}{p.part}", p.message, line=p.line) for p in invalid.problems]


def _checked(content: TemplateContent, base: TemplateVersion | None = None) -> _Checked:
    """Every locale's content checked (translations with samples in their own locale), or
    InvalidInput with every problem, its field (`mjml`, `translations.ko.subject`) and line."""
    main, translations = _locales(content, base)
    compiled_html, problems = _check_one(
        LocaleContent(content.subject, content.mjml, content.text), None, ""
    )
    stored: dict[str, dict[str, str]] = {}
    for locale in sorted(translations):
        translated = translations[locale]
        html, found = _check_one(translated, locale, f"translations.{locale}.")
        problems += found
        stored[locale] = {
            "subject": translated.subject,
            "mjml": translated.mjml,
            "text": translated.text,
            "compiled_html": html,
        }
    if problems:
        raise _invalid("invalid_template", problems)
    return _Checked(main, compiled_html, stored)


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
    checked = _checked(content)
    template = Template(name=name, description=description)
    session.add(template)
    version = _new_version(template, 1, content, checked)
    if published:
        version.status, version.published_at = "published", utcnow()
        template.current_version = 1
    session.add(version)
    _flush(session, f"a template named {name!r} was created meanwhile")
    return template, version


def save_draft(session: Session, ref: str, content: TemplateContent) -> TemplateVersion:
    """Check the content and keep it as the template's draft (the next version number)."""
    template = find(session, ref)
    newest = _version(session, template, None)
    checked = _checked(content, newest)
    if newest.status == "draft":
        newest.subject, newest.mjml, newest.text = content.subject, content.mjml, content.text
        newest.compiled_html, newest.locale = checked.compiled_html, checked.locale
        newest.translations, draft = checked.translations or None, newest
    else:
        draft = _new_version(template, newest.version + 1, content, checked)
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
    checked = _checked(TemplateContent(draft.subject, draft.mjml, draft.text), draft)
    draft.compiled_html, draft.translations = checked.compiled_html, checked.translations or None
    draft.status, draft.published_at = "published", utcnow()
    template.current_version, template.updated_at = draft.version, draft.published_at
    session.add_all([draft, template])
    _flush(session, f"template {template.name!r} was published by someone else meanwhile")
    return draft


def _new_version(
    template: Template, number: int, content: TemplateContent, checked: _Checked
) -> TemplateVersion:
    return TemplateVersion(
        template_id=template.id,
        version=number,
        subject=content.subject,
        mjml=content.mjml,
        text=content.text,
        compiled_html=checked.compiled_html,
        locale=checked.locale,
        translations=checked.translations or None,
    )


def _flush(session: Session, conflict: str) -> None:
    try:
        session.flush()
    except IntegrityError as error:  # a concurrent save took the same name or version
        raise Conflict(conflict) from error


# -- rendering --------------------------------------------------------------------------


def _parts(version: TemplateVersion, locale: str) -> tuple[str, str, str]:
    """The compiled HTML, text and subject of one of the version's locales."""
    if locale == version.locale:
        return version.compiled_html, version.text, version.subject
    part = (version.translations or {})[locale]
    return part["compiled_html"], part["text"], part["subject"]


def _compiled(version: TemplateVersion, locale: str) -> CompiledEmail:
    if version.status == "published":  # immutable: compiled once per process
        return compiled_versions.get(
            (version.template_id, version.version, locale), lambda: _parts(version, locale)
        )
    return CompiledEmail.build(*_parts(version, locale))


def render_published(
    session: Session,
    name: str,
    context: Mapping[str, Any] | Callable[[str], Mapping[str, Any]],
    subject: str | None = None,
    *,
    customer_locale: str | None = None,
    shop_locale: str = "en",
) -> RenderedEmail:
    """A send: the newest published version of the named template, in the locale the chain
    chooses for the customer (its `locale` says which), with this context (or the function
    building it for the locale money and dates print in); `subject` (a step's
    `params.subject`) replaces the template's. Raises TemplateNotFound or RenderFailed."""
    return published_email(session, name, customer_locale, shop_locale).render(context, subject)


def published_email(
    session: Session, name: str, customer_locale: str | None = None, shop_locale: str = "en"
) -> LocalisedEmail:
    """The newest published version of the named template, ready to render in the locale the
    fallback chain chooses for a customer with `customer_locale` in a shop whose locale is
    `shop_locale` (TemplateNotFound if it has none)."""
    found = session.exec(
        select(Template.id, Template.current_version).where(Template.name == name)
    ).first()
    if found is None or found[1] is None:
        raise TemplateNotFound(f"no published template named {name!r}")
    template_id, number = found
    loaded: list[TemplateVersion] = []

    def version() -> TemplateVersion:
        if not loaded:
            loaded.append(
                session.exec(
                    select(TemplateVersion).where(
                        TemplateVersion.template_id == template_id,
                        TemplateVersion.version == number,
                    )
                ).one()
            )
        return loaded[0]

    main, others = compiled_versions.locales(
        (template_id, number), lambda: (version().locale, tuple(version().translations or {}))
    )
    chosen = choose_locale(others, main, customer_locale, shop_locale)
    email = compiled_versions.get((template_id, number, chosen), lambda: _parts(version(), chosen))
    return LocalisedEmail(email, chosen, formatting_locale(chosen, customer_locale, shop_locale))


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
    (every locale checked as a save would check it; no version then), as a customer whose
    locale is `locale` (the shop's unless given) would get it: the content the fallback chain
    chooses (the email's `locale` says which), the sample cart in `currency` with money and
    dates as that customer reads them, and `context` laid over it."""
    template = find(session, ref)
    newest = _version(session, template, None if content is not None else version)
    shop = Shop.from_settings(settings)
    if content is not None:
        checked = _checked(content, newest)
        chosen = choose_locale(checked.translations, checked.locale, locale, shop.locale)
        if chosen == checked.locale:
            parts = (checked.compiled_html, content.text, content.subject)
            mjml = content.mjml
        else:
            stored = checked.translations[chosen]
            parts = (stored["compiled_html"], stored["text"], stored["subject"])
            mjml = stored["mjml"]
        compiled, found, main = CompiledEmail.build(*parts), None, checked.locale
    else:
        found = newest
        chosen = choose_locale(found.translations or {}, found.locale, locale, shop.locale)
        compiled = _compiled(found, chosen)
        mjml = found.mjml if chosen == found.locale else (found.translations or {})[chosen]["mjml"]
        main = found.locale
    prefix = "" if chosen == main else f"translations.{chosen}."
    variables = sample_context(currency, formatting_locale(chosen, locale, shop.locale), shop=shop)
    if context:
        variables = overlay(variables, context)
    try:
        return found, replace(compiled.render(variables), locale=chosen)
    except RenderFailed as error:
        located = explain(error, mjml, [variables])
        problem = Problem(f"{prefix}{located.part}", located.message, line=located.line)
        raise InvalidInput(
            "render_failed", f"{problem.field}: {located.message}", [problem]
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
    test_email = replace(email, subject=f"[Test] {email.subject}")
    return found, deliver_test_email(session, settings, key, address, test_email)
