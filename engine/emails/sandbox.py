"""The Jinja sandbox templates render in, and the limits on what a template may build.

Templates are written by marketers, so Jinja runs in an `ImmutableSandboxedEnvironment` with
autoescape and StrictUndefined: a template can neither reach Python internals nor silently
print an empty placeholder. The save-time checks (engine.emails.template_checks) enforce the
limits the sandbox cannot.
"""

import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from jinja2 import StrictUndefined, pass_context
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from engine.emails.formatting import FALLBACK, format_number

MAX_SOURCE_LENGTH = 200_000  # characters of MJML or text; far above any real email
MAX_NUMBER = 100_000  # a bigger literal in a template is a way to build huge strings
MAX_LOOP_DEPTH = 3
MAX_RESULT_LENGTH = 100_000  # `'ab' * n` and the like may not build longer strings or lists

_WIDE_FORMAT = re.compile(r"%[-+ #0]*\d{5,}|\{[^{}]*:[^{}]*\d{5,}[^{}]*\}")


@pass_context
def _number(context: Context, value: Any) -> str:
    """`{{ cart.item_count | number }}`: `1,280` in `en`, `1.280` in `de`, in the email's
    locale (the context's `locale`); what is not a number prints as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return str(value)
    try:
        return format_number(value, str(context.get("locale") or FALLBACK))
    except ArithmeticError:  # not a number after all ("abc")
        return str(value)


class _Sandbox(ImmutableSandboxedEnvironment):
    """No globals (`range`, `lipsum`, `cycler`...), and operators that cannot build huge values;
    one filter of ours, `number`."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(undefined=StrictUndefined, **options)
        self.globals.clear()
        for unsafe in ("safe", "attr", "format"):
            self.filters.pop(unsafe, None)
        self.filters["number"] = _number

    def getattr(self, obj: Any, attribute: str) -> Any:
        # The context's own objects (built by `namespace` from our data) hold only values:
        # their public attributes are their keys, so the sandbox's checks can be skipped.
        if type(obj) is SimpleNamespace and not attribute.startswith("_"):
            try:
                return obj.__dict__[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(sequence, str | list | tuple) and isinstance(times, int):
                    if len(sequence) * times > MAX_RESULT_LENGTH:
                        raise SecurityError("the result of `*` would be too long")
        elif operator == "**":
            if isinstance(right, int | float) and abs(right) > 64:
                raise SecurityError("the exponent of `**` is too big")
        elif isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise SecurityError("the format width is too big")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _WIDE_FORMAT.search(value.__self__):
            raise SecurityError("the format width is too big")
        return wrapped


html_env = _Sandbox(autoescape=True)
# Text part and subject are plain text: nothing to escape for.
text_env = _Sandbox(autoescape=False, trim_blocks=True, lstrip_blocks=True)


def namespace(value: Any) -> Any:
    """Dicts as attribute objects, so `cart.items` is the items and not `dict.items`."""
    if isinstance(value, dict):
        return SimpleNamespace(**{key: namespace(item) for key, item in value.items()})
    if isinstance(value, list):
        return [namespace(item) for item in value]
    return value
