"""The catalog: everything an automation may name, so the builder renders its forms generically.

Actions come with their params' JSON Schema (built-in ones and those of installed
`boomerang.actions` packages alike); the rest is read from the definition language
and the published templates, so the catalog can never offer what validation refuses.
"""

from dataclasses import dataclass
from typing import Any, get_args

from sqlmodel import Session

from engine.language.actions import load_actions
from engine.language.condition_fields import CONDITION_FIELDS, ConditionField
from engine.language.definition import FIELD_ROOTS, STEP_TYPES, JourneyEvent, Operator, TriggerEvent
from engine.service.templates import template_names


@dataclass(frozen=True)
class ActionEntry:
    name: str
    label: str
    category: str
    description: str
    messages_customer: bool
    params_schema: dict[str, Any]


@dataclass(frozen=True)
class Catalog:
    actions: list[ActionEntry]  # by category, then label: the builder's palette order
    step_types: list[str]
    triggers: list[str]
    events: list[str]  # what `wait_for_event` and `exit_on` may name
    operators: list[str]
    field_roots: list[str]
    fields: list[ConditionField]  # what conditions may test, by trigger
    templates: list[str]


def build_catalog(session: Session) -> Catalog:
    actions = [
        ActionEntry(
            name=found.name,
            label=found.label,
            category=found.category,
            description=found.description,
            messages_customer=found.messages_customer,
            params_schema=found.json_schema(),
        )
        for found in load_actions().values()
    ]
    return Catalog(
        actions=sorted(actions, key=lambda entry: (entry.category, entry.label, entry.name)),
        step_types=list(STEP_TYPES),
        triggers=list(get_args(TriggerEvent)),
        events=list(get_args(JourneyEvent)),
        operators=list(get_args(Operator)),
        field_roots=list(FIELD_ROOTS),
        fields=list(CONDITION_FIELDS),
        templates=template_names(session),
    )
