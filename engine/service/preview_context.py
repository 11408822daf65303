"""The sample context a template preview renders with, walked along `VARIABLES`.

`describe_variables` lists every variable a send provides with its sample value (the
builder's list of variables); `overlay` lays a caller's values over the sample, each checked
against `VARIABLES`.
"""

from dataclasses import dataclass
from typing import Any, Literal

from engine.emails.email_context import VARIABLES, Group, ListOf, Shape, Value
from engine.language.problems import Problem
from engine.service.errors import InvalidInput


@dataclass(frozen=True)
class TemplateVariable:
    """One variable a template may print, described from `VARIABLES` and the sample cart."""

    name: str  # as written: `cart.total`, or `item.name` inside the loop over `cart.items`
    kind: Literal["text", "url", "list"]
    example: str  # its value in the sample cart (a list: how many items it has)
    loop: str | None  # the list a loop variable's items come from
    optional: str | None  # the group (`discount`, `order`) that is None when a journey has none


def describe_variables(sample: dict[str, Any]) -> list[TemplateVariable]:
    """Every variable a send provides, in `VARIABLES` order, with its value in `sample`."""
    found: list[TemplateVariable] = []
    _describe(Group(VARIABLES), sample, "", found)
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


def overlay(base: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
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
