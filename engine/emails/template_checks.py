"""Checking a template at save: every problem with its part and line.

Jinja syntax, no `|safe` or `{% autoescape false %}`, only the variables a send provides
(`VARIABLES`), `href`s that are http(s), MJML that compiles, and a render with sample
contexts. What the sandbox does not stop (unescaped output, `javascript:` links, huge
strings) is kept out of stored templates here.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, meta, nodes

from engine.emails.email_context import VARIABLES, Group, ListOf, Shape, Value, sample_context
from engine.emails.mjml_compile import MjmlFailed, compile_mjml
from engine.emails.rendering import CompiledEmail, RenderFailed, parse_part, render_part
from engine.emails.sandbox import (
    MAX_LOOP_DEPTH,
    MAX_NUMBER,
    MAX_SOURCE_LENGTH,
    html_env,
    namespace,
    text_env,
)

PARTS = ("subject", "mjml", "text")


@dataclass(frozen=True)
class TemplateProblem:
    part: str  # one of PARTS
    line: int | None
    message: str


class TemplateInvalid(ValueError):
    def __init__(self, problems: list[TemplateProblem]) -> None:
        first = problems[0]
        super().__init__(f"{first.part}: {first.message}")
        self.problems = problems


_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_LEADING_VARIABLE = re.compile(r"^\{\{-?\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*-?\}\}")
_NOT_SUPPORTED: dict[type[nodes.Node], str] = {
    nodes.Macro: "{% macro %}",
    nodes.CallBlock: "{% call %}",
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from ... import %}",
    nodes.Extends: "{% extends %}",
    nodes.Block: "{% block %}",
}
_REFUSED_FILTERS = {
    "safe": "`|safe` is not allowed: every value is escaped, so a customer's name cannot "
    "inject HTML",
    "attr": "`|attr` is not allowed: use `.name`",
    "format": "`|format` is not allowed",
}


@dataclass
class _Checker:
    """The static checks of one part (subject, mjml or text), problems with their lines."""

    part: str
    env: Environment
    source: str
    problems: list[TemplateProblem] = field(default_factory=list)
    bindings: dict[str, Shape | None] = field(default_factory=dict)  # loop and set names

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(
            TemplateProblem(self.part, line, f"line {line}: {message}" if line else message)
        )

    def run(self) -> None:
        if len(self.source) > MAX_SOURCE_LENGTH:
            self.problem(None, f"longer than {MAX_SOURCE_LENGTH:,} characters")
            return
        try:
            ast = self.env.parse(self.source)
        except TemplateSyntaxError as error:
            self._syntax_problem(error)
            return
        self._bind(ast)
        self._unknown_names(ast)
        self._walk(ast, loops=0)
        if self.part == "mjml":
            self._hrefs()
        if not self.problems:
            try:
                self.env.compile(self.source)  # unknown filters and tests surface here
            except TemplateSyntaxError as error:
                self.problem(error.lineno, error.message or str(error))

    def _syntax_problem(self, error: TemplateSyntaxError) -> None:
        """Jinja places an unclosed block at the end, where it stopped looking; the marketer
        needs the line that opened it."""
        message = error.message or str(error)
        unclosed = _UNCLOSED.search(message)
        opened = _opening_line(self.env, self.source, unclosed[1]) if unclosed else None
        if unclosed is None or opened is None:
            self.problem(error.lineno, message)
            return
        tag = unclosed[1]
        self.problem(opened, f"this {{% {tag} %}} is never closed: add {{% end{tag} %}}")

    def _bind(self, ast: nodes.Template) -> None:
        """What the template's own names stand for: a loop over `cart.items` gives items."""
        for node in ast.find_all((nodes.For, nodes.Assign, nodes.AssignBlock, nodes.With)):
            if isinstance(node, nodes.With):
                targets: list[nodes.Node] = list(node.targets)
            elif isinstance(node, nodes.For | nodes.Assign | nodes.AssignBlock):
                targets = [node.target]
            else:  # find_all gave only those four
                continue
            item: Shape | None = None
            if isinstance(node, nodes.For) and isinstance(node.target, nodes.Name):
                shape = self.resolve(node.iter)
                item = shape.item if isinstance(shape, ListOf) else None
            for target in targets:
                for name in (
                    target.find_all(nodes.Name) if not isinstance(target, nodes.Name) else [target]
                ):
                    self._bind_name(name, item)

    def _bind_name(self, name: nodes.Name, shape: Shape | None) -> None:
        if name.name in VARIABLES:
            self.problem(name.lineno, f"{name.name!r} is a template variable: use another name")
        elif name.name in self.bindings and self.bindings[name.name] != shape:
            self.bindings[name.name] = None  # bound twice, to different things: unknown
        else:
            self.bindings[name.name] = shape

    def _unknown_names(self, ast: nodes.Template) -> None:
        known = ", ".join(sorted(VARIABLES))
        try:
            undeclared = meta.find_undeclared_variables(ast)
        except TemplateSyntaxError:  # an unknown filter: reported on its own, guess the names
            loads = {n.name for n in ast.find_all(nodes.Name) if n.ctx == "load"}
            undeclared = loads - self.bindings.keys() - {"loop"}
        for name in sorted(undeclared - VARIABLES.keys()):
            line = next(
                (n.lineno for n in ast.find_all(nodes.Name) if n.name == name and n.ctx == "load"),
                None,
            )
            self.problem(line, f"unknown variable {name!r} (known: {known})")

    def _walk(self, node: nodes.Node, loops: int) -> None:
        self._check(node, loops)
        if isinstance(node, nodes.For):
            loops += 1
        for child in node.iter_child_nodes():
            self._walk(child, loops)

    def _check(self, node: nodes.Node, loops: int) -> None:
        line = node.lineno
        if isinstance(node, nodes.Filter | nodes.Test):
            if isinstance(node, nodes.Filter) and node.name in _REFUSED_FILTERS:
                self.problem(line, _REFUSED_FILTERS[node.name])
            for argument in [*node.args, *(keyword.value for keyword in node.kwargs)]:
                if isinstance(argument, nodes.Const) and str(argument.value).startswith("_"):
                    self.problem(line, f"{argument.value!r}: names starting with _ are private")
        elif isinstance(node, nodes.ScopedEvalContextModifier | nodes.EvalContextModifier):
            for option in node.options:
                if option.key == "autoescape" and not (
                    isinstance(option.value, nodes.Const) and option.value.value is True
                ):
                    self.problem(line, "`{% autoescape false %}` is not allowed")
        elif isinstance(node, nodes.Getattr):
            self._member(node.node, node.attr, line)
        elif isinstance(node, nodes.Getitem):
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                self._member(node.node, node.arg.value, line)
        elif isinstance(node, nodes.Const):
            value = node.value
            if isinstance(value, int | float) and not isinstance(value, bool):
                if abs(value) > MAX_NUMBER:
                    self.problem(line, f"numbers above {MAX_NUMBER:,} are not allowed")
        elif isinstance(node, tuple(_NOT_SUPPORTED)):
            tag = _NOT_SUPPORTED[type(node)]
            self.problem(line, f"{tag} is not supported in email templates")
        elif isinstance(node, nodes.For):
            if node.recursive:
                self.problem(line, "recursive loops are not supported in email templates")
            if loops >= MAX_LOOP_DEPTH:
                self.problem(line, f"loops may be nested {MAX_LOOP_DEPTH} deep at most")
        elif isinstance(node, nodes.Output):
            for printed in node.nodes:
                shape = self.resolve(printed)
                if isinstance(shape, Group):
                    self.problem(
                        printed.lineno, f"{_dotted(printed)} is a group: print one of its values"
                    )
                elif isinstance(shape, ListOf):
                    self._list_problem(printed, printed.lineno)

    def _member(self, base: nodes.Node, attribute: str, line: int) -> None:
        if attribute.startswith("_"):
            self.problem(line, f"{attribute!r}: names starting with _ are private")
            return
        if attribute in ("format", "format_map"):
            self.problem(line, f"`.{attribute}` is not allowed")
            return
        shape = self.resolve(base)
        if isinstance(shape, Group) and attribute not in shape.fields:
            has = ", ".join(sorted(shape.fields))
            self.problem(line, f"{_dotted(base)} has no {attribute!r} (it has: {has})")
        elif isinstance(shape, ListOf):
            self._list_problem(base, line)

    def _list_problem(self, node: nodes.Node, line: int) -> None:
        where = _dotted(node)
        self.problem(
            line, f"{where} is a list: loop over it ({{% for item in {where} %}}...{{% endfor %}})"
        )

    def resolve(self, node: nodes.Node) -> Shape | None:
        """What an expression is, when it names a variable; None when it cannot tell."""
        if isinstance(node, nodes.Name):
            return VARIABLES.get(node.name) or self.bindings.get(node.name)
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            base = self.resolve(node.node)
            key = node.attr if isinstance(node, nodes.Getattr) else _const(node.arg)
            if isinstance(base, Group) and isinstance(key, str):
                return base.fields.get(key)
            if isinstance(base, ListOf) and isinstance(key, int):
                return base.item
        return None

    def _hrefs(self) -> None:
        for match in _HREF.finditer(self.source):
            value = next(group for group in match.groups() if group is not None).strip()
            line = self.source.count("\n", 0, match.start()) + 1
            if value.lower().startswith(("http://", "https://")):
                continue
            variable = _LEADING_VARIABLE.match(value)
            if variable and self._is_url_variable(variable.group(1)):
                continue
            self.problem(
                line,
                "href must be an http(s) URL or start with a URL variable such as "
                f"{{{{ cart.url }}}}, not {value[:60]!r}",
            )

    def _is_url_variable(self, dotted: str) -> bool:
        root, *rest = dotted.split(".")
        shape = VARIABLES.get(root) or self.bindings.get(root)
        for part in rest:
            shape = shape.fields.get(part) if isinstance(shape, Group) else None
        return isinstance(shape, Value) and shape.url


def _const(node: nodes.Node) -> Any:
    return node.value if isinstance(node, nodes.Const) else None


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_dotted(node.node)}[{node.arg.value!r}]"
    return "this expression"


_UNCLOSED = re.compile(r"innermost block that needs to be closed is '(\w+)'")


def _opening_line(env: Environment, source: str, tag: str) -> int | None:
    """The line of the innermost `{% tag %}` still open at the end of the source."""
    try:
        tokens = [t for t in env.lex(source) if t[1] != "whitespace"]
    except TemplateSyntaxError:
        return None
    opened: list[int] = []
    for index, (line, kind, _) in enumerate(tokens[:-1]):
        following = tokens[index + 1]
        if kind != "block_begin" or following[1] != "name":
            continue
        if following[2] == tag and not _assigns(tokens, index + 2):
            opened.append(line)
        elif following[2] == f"end{tag}" and opened:
            opened.pop()
    return opened[-1] if opened else None


def _assigns(tokens: list[tuple[int, str, str]], start: int) -> bool:
    """Whether the tag from `start` to its `%}` has an `=`: `{% set x = 1 %}` opens no block."""
    for _, kind, value in tokens[start:]:
        if kind == "block_end":
            return False
        if kind == "operator" and value == "=":
            return True
    return False


def samples(locale: str | None = None) -> list[dict[str, Any]]:
    """A discount, an order and dollars; then neither, in euros (the other branch). In English
    then German, or both in `locale` (a translation is checked as its readers see it)."""
    first, second = (locale, locale) if locale else ("en", "de")
    return [sample_context("USD", first), sample_context("EUR", second, extras=False)]


def check_template(subject: str, mjml: str, text: str, locale: str | None = None) -> str:
    """Every check a template passes before it is stored; returns the compiled HTML.

    The sample renders print money and dates in `locale` (English and German when None).
    Raises TemplateInvalid with each problem and its line (in the MJML as written).
    """
    return _check_template(subject, mjml, text, locale)


@lru_cache(maxsize=256)  # the same content checks the same: seeding at every start is cheap
def _check_template(subject: str, mjml: str, text: str, locale: str | None) -> str:
    checkers = [
        _Checker("subject", text_env, subject),
        _Checker("mjml", html_env, mjml),
        _Checker("text", text_env, text),
    ]
    for checker in checkers:
        checker.run()
    problems = [problem for checker in checkers for problem in checker.problems]
    problems.sort(key=lambda problem: (PARTS.index(problem.part), problem.line or 0))
    if not subject.strip():
        problems.append(TemplateProblem("subject", None, "the subject is empty"))
    if problems:
        raise TemplateInvalid(problems)
    try:
        html = compile_mjml(mjml)
        compiled = CompiledEmail.build(html, text, subject)
        for sample in samples(locale):
            compiled.render(sample)
    except MjmlFailed as error:
        message = f"line {error.line}: {error}" if error.line else str(error)
        raise TemplateInvalid([TemplateProblem("mjml", error.line, message)]) from error
    except RenderFailed as error:
        raise TemplateInvalid([explain(error, mjml, samples(locale))]) from error
    return html


def explain(
    error: RenderFailed, mjml: str, contexts: Iterable[Mapping[str, Any]]
) -> TemplateProblem:
    """A failed render as a problem in what the marketer wrote: a failure in the compiled
    HTML is located by rendering the MJML source itself with the same contexts."""
    cause: BaseException = error.__cause__ or error
    if error.part != "html":
        return TemplateProblem(error.part, error.line, _with_line(error.line, cause))
    try:
        source = parse_part(html_env, mjml, "mjml")
        for context in contexts:
            render_part(source, {k: namespace(v) for k, v in context.items()}, "mjml")
    except RenderFailed as located:
        cause = located.__cause__ or located
        return TemplateProblem("mjml", located.line, _with_line(located.line, cause))
    return TemplateProblem("mjml", None, _with_line(None, cause))


def _with_line(line: int | None, cause: BaseException) -> str:
    message = str(cause)
    if "None" in message:  # `discount.code` with no discount: say what to do about it
        message += " (discount and order are empty when the journey has none: test them first,"
        message += " as in {% if discount %}...{% endif %})"
    return f"line {line}: {message}" if line else f"with a sample cart: {message}"
