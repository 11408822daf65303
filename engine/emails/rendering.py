"""Rendering a template version for a send: Jinja compiled once, run per send.

A template is MJML with Jinja placeholders, a text part and a subject. Saving one checks it
(engine.emails.template_checks); publishing stores the compiled HTML
(engine.emails.mjml_compile); a send then only runs Jinja over it, in the sandbox
(engine.emails.sandbox), as a `CompiledEmail` cached per template version and locale.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, TemplateSyntaxError
from jinja2 import Template as JinjaTemplate

from engine.emails.sandbox import html_env, namespace, text_env


class TemplateNotFound(LookupError):
    pass


class RenderFailed(ValueError):
    """The template cannot be rendered with this context: retrying will not help."""

    def __init__(self, message: str, part: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.part, self.line = part, line


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    html: str
    text: str
    locale: str | None = None  # the language of the content it was rendered from


def _template_line(error: BaseException) -> int | None:
    """The template line a render error happened on (Jinja rewrites the traceback to it)."""
    line, trace = None, error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def render_part(template: JinjaTemplate, variables: Mapping[str, Any], part: str) -> str:
    try:
        return template.render(variables)
    except Exception as error:  # any template mistake: undefined names, bad types, the sandbox
        line = _template_line(error)
        where = f"{part}, line {line}" if line else part
        raise RenderFailed(f"{where}: {error}", part, line) from error


def parse_part(env: Environment, source: str, part: str) -> JinjaTemplate:
    try:
        return env.from_string(source)
    except TemplateSyntaxError as error:
        raise RenderFailed(f"{part}, line {error.lineno}: {error}", part, error.lineno) from error


@lru_cache(maxsize=1024)
def _subject_template(source: str) -> JinjaTemplate:
    return parse_part(text_env, source, "subject")


@dataclass(frozen=True)
class CompiledEmail:
    """A template version ready to send: Jinja compiled over the compiled HTML, text, subject."""

    html: JinjaTemplate
    text: JinjaTemplate
    subject: JinjaTemplate

    @classmethod
    def build(cls, html: str, text: str, subject: str) -> "CompiledEmail":
        return cls(
            html=parse_part(html_env, html, "html"),
            text=parse_part(text_env, text, "text"),
            subject=_subject_template(subject),
        )

    def render(self, context: Mapping[str, Any], subject: str | None = None) -> RenderedEmail:
        """Subject, HTML and text; `subject` replaces the template's own. Raises RenderFailed."""
        variables = {key: namespace(value) for key, value in context.items()}
        subject_template = self.subject if subject is None else _subject_template(subject)
        rendered_subject = render_part(subject_template, variables, "subject")
        return RenderedEmail(
            subject=" ".join(rendered_subject.split()),  # one header line, whatever the source
            html=render_part(self.html, variables, "html"),
            text=render_part(self.text, variables, "text"),
        )


VersionKey = tuple[str, int, str]  # template id, version, the locale of the content


class _VersionCache:
    """Compiled versions by (template id, version, locale): published versions never change."""

    def __init__(self, size: int = 512) -> None:
        self._entries: OrderedDict[VersionKey, CompiledEmail] = OrderedDict()
        # Per (template id, version): its main locale and its translations' locales.
        self._locales: OrderedDict[tuple[str, int], tuple[str, tuple[str, ...]]] = OrderedDict()
        self._size, self._lock = size, threading.Lock()

    def locales(
        self, key: tuple[str, int], load: Callable[[], tuple[str, tuple[str, ...]]]
    ) -> tuple[str, tuple[str, ...]]:
        """The locales a published version has content in: its main one, its translations'."""
        with self._lock:
            found = self._locales.get(key)
            if found is not None:
                self._locales.move_to_end(key)
                return found
        loaded = load()
        with self._lock:
            self._locales[key] = loaded
            while len(self._locales) > self._size:
                self._locales.popitem(last=False)
        return loaded

    def get(self, key: VersionKey, load: Callable[[], tuple[str, str, str]]) -> CompiledEmail:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        compiled = CompiledEmail.build(*load())  # outside the lock: other sends go on
        with self._lock:
            self._entries[key] = compiled
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return compiled

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._locales.clear()


compiled_versions = _VersionCache()
