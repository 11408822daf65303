"""The default email templates, seeded from the repository's templates folder.

Each `<name>.mjml` (with its `<name>.txt` text part, and its subject and description in
`templates.toml`) is published as version 1 when no template has that name yet: never over a
marketer's work.
"""

import tomllib
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from engine.service.errors import InvalidInput
from engine.service.templates import TEMPLATE_NAME, TemplateContent, create
from engine.store.models import Template

MANIFEST = "templates.toml"  # subjects and descriptions of the templates in the folder
DEFAULT_SUBJECT = "A message from {{ shop.name }}"


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
