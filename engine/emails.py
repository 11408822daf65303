"""Email rendering: MJML compiled once per template version, then only Jinja per send.

Templates are written by marketers, so Jinja runs sandboxed with autoescape and
StrictUndefined: a template can neither reach Python internals nor silently
print an empty placeholder.
"""

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from mjml import mjml_to_html

TEMPLATE_NAME = re.compile(r"^[a-z0-9][a-z0-9\-]{0,63}$")
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$"}

_jinja = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
_jinja_text = ImmutableSandboxedEnvironment(
    autoescape=False, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
)


class TemplateNotFound(LookupError):
    pass


class RenderFailed(ValueError):
    """The template cannot be rendered with this context: retrying will not help."""


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    html: str
    text: str


def template_names(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.mjml") if TEMPLATE_NAME.match(p.stem))


def _template_path(folder: Path, name: str, suffix: str) -> Path:
    if not TEMPLATE_NAME.match(name):
        raise TemplateNotFound(f"{name!r} is not a template name (lowercase letters, digits, -)")
    path = folder / f"{name}{suffix}"
    if not path.is_file():
        raise TemplateNotFound(f"no template named {name!r} in {folder}")
    return path


@cache
def _compile_mjml(source_digest: str, source: str) -> str:  # noqa: ARG001 - the cache key
    result = mjml_to_html(source)
    if result.errors:
        raise ValueError(f"MJML errors: {result.errors}")
    return str(result.html)


def compiled_html(folder: Path, name: str) -> str:
    """The template's MJML compiled to HTML (Jinja placeholders intact), once per content."""
    source = _template_path(folder, name, ".mjml").read_text(encoding="utf-8")
    return _compile_mjml(hashlib.sha256(source.encode()).hexdigest(), source)


def namespace(value: Any) -> Any:
    """Dicts as attribute objects, so `cart.items` is the items and not `dict.items`."""
    if isinstance(value, dict):
        return SimpleNamespace(**{key: namespace(item) for key, item in value.items()})
    if isinstance(value, list):
        return [namespace(item) for item in value]
    return value


def render_email(folder: Path, name: str, subject: str, context: dict[str, Any]) -> RenderedEmail:
    """Render subject, HTML and text; raises TemplateNotFound or RenderFailed."""
    html_source = compiled_html(folder, name)
    text_path = folder / f"{name}.txt"
    text_source = text_path.read_text(encoding="utf-8") if text_path.is_file() else ""
    variables = {key: namespace(value) for key, value in context.items()}
    try:
        html = _jinja.from_string(html_source).render(variables)
        text = _jinja_text.from_string(text_source).render(variables)
        rendered_subject = _jinja_text.from_string(subject).render(variables)
    except Exception as error:  # any template mistake: undefined names, bad filters, types
        raise RenderFailed(f"template {name!r} failed to render: {error}") from error
    return RenderedEmail(subject=" ".join(rendered_subject.split()), html=html, text=text)


def format_money(amount: Decimal | float, currency: str) -> str:
    """`$280.77` for dollars and the like; `280.77 CHF` where we know no symbol."""
    value = f"{Decimal(str(amount)).quantize(Decimal('0.01')):,}"
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    return f"{symbol}{value}" if symbol else f"{value} {currency.upper()}"
