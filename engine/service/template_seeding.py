"""The default email templates, seeded from the repository's templates folder.

Each `<name>.mjml` (with its `<name>.txt` text part, and its subject and description in
`templates.toml`) is the main content, in English; `<locale>/<name>.mjml` (with
`<locale>/<name>.txt` and its subject in `<locale>/templates.toml`) is its translation into
that locale (`ko/cart-reminder.mjml`). A template is published as version 1 when no template
has that name yet: never over a marketer's work. A template whose published version is still
an untouched seed (the folder's main content, or what an earlier release seeded, as
`seeded-before.toml` records; no translations) gets the folder's content and translations as
a new version.
"""

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from engine.emails.formatting import is_known_locale
from engine.emails.locales import normalise
from engine.service.errors import InvalidInput
from engine.service.templates import (
    TEMPLATE_NAME,
    LocaleContent,
    TemplateContent,
    create,
    publish,
    save_draft,
)
from engine.store.models import Template, TemplateVersion

MANIFEST = "templates.toml"  # subjects and descriptions of the templates in the folder
EARLIER_SEEDS = "seeded-before.toml"  # digests of what earlier releases seeded, by name
DEFAULT_SUBJECT = "A message from {{ shop.name }}"
MAIN_LOCALE = "en"  # the folder's own templates are written in English
# What a locale folder's name looks like (`ko`, `pt-BR`, `zh-Hant-TW`).
_LOCALE_FOLDER = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class _Seed:
    path: Path  # the main MJML file, named in errors
    description: str
    content: TemplateContent  # with its translations


def seed_templates(session: Session, folder: Path) -> list[str]:
    """Publish, as version 1, each template of the folder whose name has no template yet,
    with its translations; give a template whose published version is the untouched seed the
    folder's translations as a new version. Returns the names published.

    Idempotent, and never touches a template a marketer edited. A seed (or a translation)
    that cannot be read or fails its checks raises InvalidInput naming its file: the folder is
    broken, say so at start.
    """
    seeds = _read_folder(folder)
    earlier = _manifest(folder / EARLIER_SEEDS)
    existing = {template.name: template for template in session.exec(select(Template)).all()}
    seeded = []
    for name, seed in seeds.items():
        template = existing.get(name)
        try:
            if template is None:
                create(session, name, seed.content, seed.description, published=True)
            elif _untouched_seed(session, template, seed.content, _digests(earlier, name)):
                save_draft(session, template.id, seed.content)
                publish(session, template.id)
            else:
                continue
        except InvalidInput as error:
            error.message = f"template {_blamed(seed, error)}: {error.message}"
            raise
        seeded.append(name)
    return seeded


def _untouched_seed(
    session: Session, template: Template, seed: TemplateContent, earlier: frozenset[str]
) -> bool:
    """Whether the template is as a seeding left it and the folder now has more to give: its
    newest version (no draft) is published, in English, without translations, and is either
    the folder's main content (while the folder has translations to add) or what an earlier
    release seeded (`earlier`: digests of subject, MJML and text)."""
    newest = session.exec(
        select(TemplateVersion)
        .where(TemplateVersion.template_id == template.id)
        .order_by(col(TemplateVersion.version).desc())
    ).first()
    if (
        newest is None
        or newest.status != "published"
        or newest.version != template.current_version
        or newest.translations
        or newest.locale != MAIN_LOCALE
    ):
        return False
    stored = (newest.subject, newest.mjml, newest.text)
    if stored == (seed.subject, seed.mjml, seed.text):
        return bool(seed.translations)
    return seed_digest(*stored) in earlier


def seed_digest(subject: str, mjml: str, text: str) -> str:
    """How `seeded-before.toml` names a seeded content."""
    return hashlib.sha256("\0".join((subject, mjml, text)).encode()).hexdigest()


def _digests(earlier: dict[str, Any], name: str) -> frozenset[str]:
    listed = earlier.get(name, {}).get("sha256", [])
    return (
        frozenset(d for d in listed if isinstance(d, str))
        if isinstance(listed, list)
        else frozenset()
    )


def _blamed(seed: _Seed, error: InvalidInput) -> Path:
    """The file a problem is in: `translations.ko.mjml` is `ko/<name>.mjml`."""
    field = error.problems[0].field if error.problems else ""
    parts = field.split(".")
    if len(parts) >= 2 and parts[0] == "translations":
        locale, part = parts[1], parts[-1]
        suffix = {"mjml": ".mjml", "text": ".txt"}.get(part)
        folder = seed.path.parent / _folder_names(seed.path.parent).get(locale, locale)
        return folder / (seed.path.stem + suffix) if suffix else folder / MANIFEST
    return seed.path


def _folder_names(folder: Path) -> dict[str, str]:
    """The translation folders by normalised locale (`pt_BR` is `pt-BR`): those named like a
    locale that hold templates; another folder (`img/`) is left alone."""
    return {
        normalise(child.name): child.name
        for child in folder.iterdir()
        if child.is_dir()
        and _LOCALE_FOLDER.match(child.name)
        and (any(child.glob("*.mjml")) or (child / MANIFEST).is_file())
    }


def _manifest(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InvalidInput("invalid_template", f"template {path}: {error}") from error


def _read_folder(folder: Path) -> dict[str, _Seed]:
    """The folder's templates by name, each with the translations its locale folders have."""
    manifest = _manifest(folder / MANIFEST)
    mains: dict[str, tuple[Path, dict[str, Any], LocaleContent]] = {}
    for mjml_path in sorted(folder.glob("*.mjml")):
        name = mjml_path.stem
        if not TEMPLATE_NAME.match(name):
            continue
        about = manifest.get(name, {})
        content = LocaleContent(
            subject=about.get("subject", DEFAULT_SUBJECT),
            mjml=mjml_path.read_text(encoding="utf-8"),
            text=_text(mjml_path),
        )
        mains[name] = (mjml_path, about, content)
    translations: dict[str, dict[str, LocaleContent]] = {name: {} for name in mains}
    if folder.is_dir():
        for locale, folder_name in sorted(_folder_names(folder).items()):
            _read_translations(folder / folder_name, locale, mains, translations)
    return {
        name: _Seed(
            path,
            about.get("description", ""),
            TemplateContent(
                content.subject,
                content.mjml,
                content.text,
                locale=MAIN_LOCALE,
                translations=translations[name],
            ),
        )
        for name, (path, about, content) in mains.items()
    }


def _read_translations(
    folder: Path,
    locale: str,
    mains: dict[str, Any],
    translations: dict[str, dict[str, LocaleContent]],
) -> None:
    """One locale folder's translations into `translations` (InvalidInput naming the file when
    one has no main template, no subject, or its locale is not one CLDR knows)."""
    if not is_known_locale(locale):
        raise InvalidInput("invalid_template", f"template {folder}: not a locale CLDR knows")
    manifest = _manifest(folder / MANIFEST)
    for mjml_path in sorted(folder.glob("*.mjml")):
        name = mjml_path.stem
        if name not in mains:
            message = f"template {mjml_path}: no {name}.mjml in {folder.parent} to translate"
            raise InvalidInput("invalid_template", message)
        subject = manifest.get(name, {}).get("subject")
        if not isinstance(subject, str) or not subject.strip():
            message = f"template {folder / MANIFEST}: no subject for [{name}]"
            raise InvalidInput("invalid_template", message)
        text = _text(mjml_path)
        translations[name][locale] = LocaleContent(subject, mjml_path.read_text("utf-8"), text)


def _text(mjml_path: Path) -> str:
    text_path = mjml_path.with_suffix(".txt")
    return text_path.read_text(encoding="utf-8") if text_path.is_file() else ""
