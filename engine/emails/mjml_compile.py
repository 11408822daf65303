"""MJML compiled to HTML once per source, with the Jinja placeholders left intact.

The compiler escapes text as HTML, which would turn `{% if cart.item_count > 1 %}` into
`{% if cart.item_count &gt; 1 %}` (and that into a syntax error): each Jinja expression and tag
goes through it as a plain token and is put back afterwards, as written.
"""

import hashlib
import logging
import re
from functools import lru_cache

from mjml import mjml_to_html

logger = logging.getLogger(__name__)


class MjmlFailed(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line  # in the MJML as written, when the failure can be placed


def _first_line_of_tag(source: str, tag: str) -> int | None:
    """The line where `<tag` first opens (the compiler names the tag, not its place)."""
    found = re.search(rf"<{re.escape(tag)}(?=[\s/>])", source)
    return source.count("\n", 0, found.start()) + 1 if found else None


def _what_is_wrong(source: str) -> str:
    """The compiler's own words describe its internals, not the MJML (`'_io.StringIO' object
    has no attribute 'name'` for anything that is not an <mjml> document): say it in ours."""
    text = source.strip()
    if not (text.startswith("<mjml") and text.endswith("</mjml>")):
        return "the MJML must be one <mjml> document: start with <mjml> and end with </mjml>"
    if "<mj-body" not in text:
        return "the MJML needs an <mj-body> inside <mjml>: it holds what the email shows"
    return (
        "the MJML does not compile: check that every tag is closed, in the order it was "
        "opened, and nested as in the default templates"
    )


_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def _tokens(source: str) -> tuple[str, dict[str, str]]:
    """The source with each Jinja expression, tag and comment as a token no compiler changes,
    and the tokens' originals."""
    salt = hashlib.sha256(source.encode()).hexdigest()[:8]  # never a word of the source
    originals: dict[str, str] = {}

    def token(found: re.Match[str]) -> str:
        name = f"jinja{salt}x{len(originals)}x"
        originals[name] = found.group(0)
        return name

    return _JINJA.sub(token, source), originals


@lru_cache(maxsize=256)
def _compile_mjml(source_digest: str, source: str) -> str:  # noqa: ARG001 - the cache key
    tokenised, originals = _tokens(source)
    try:
        result = mjml_to_html(tokenised)
    except KeyError as error:
        tag = str(error.args[0]) if error.args else ""
        raise MjmlFailed(f"unknown MJML tag {error}", _first_line_of_tag(source, tag)) from error
    except AssertionError as error:
        raise MjmlFailed(
            "this MJML is not supported by the compiler (an mj-font overriding a built-in font?)"
        ) from error
    except Exception as error:  # the compiler's own failures on malformed input
        logger.info("the MJML compiler failed: %s: %s", type(error).__name__, error)
        raise MjmlFailed(_what_is_wrong(source)) from error
    if result.errors:
        raise MjmlFailed(f"MJML errors: {'; '.join(result.errors)}")
    html = str(result.html)
    for name, original in originals.items():
        html = html.replace(name, original)
    return html


def compile_mjml(source: str) -> str:
    """MJML to HTML with the Jinja placeholders intact; the same source compiles once."""
    return _compile_mjml(hashlib.sha256(source.encode()).hexdigest(), source)
