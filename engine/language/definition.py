"""The automation language (definition version 1): pydantic models, pure — no I/O.

A definition is stored as JSON and validated here; journeys, the API and the
builder all read it through these models.
"""

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated, Any, Literal, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

_COMPACT = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_ISO = re.compile(
    # whole seconds only: the compact form has no fractions, so PT0.5S would save as "0s"
    r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$",
    re.IGNORECASE,
)
DURATION_HELP = "a duration such as 90s, 30m, 2h, 7d, 1h30m or ISO 8601 (PT2H)"
# What the schema promises a client (JSON Schema has no `format` for `30m`; its `duration`
# format is ISO 8601 only): the compact form with at least one unit, largest first, or ISO
# 8601 in whole units. The parser is more lenient still (either case, spaces around).
_COMPACT_SCHEMA = r"\d+d(?:\d+h)?(?:\d+m)?(?:\d+s)?|\d+h(?:\d+m)?(?:\d+s)?|\d+m(?:\d+s)?|\d+s"
_ISO_TIME_SCHEMA = r"T(?:\d+H(?:\d+M)?(?:\d+S)?|\d+M(?:\d+S)?|\d+S)"
_ISO_SCHEMA = (
    rf"P(?:\d+W(?:\d+D)?|\d+D)(?:{_ISO_TIME_SCHEMA})?"  # days or weeks, maybe a time
    rf"|P(?:\d+W)?(?:\d+D)?{_ISO_TIME_SCHEMA}"  # a time, maybe after days or weeks
)
DURATION_PATTERN = rf"^(?:{_COMPACT_SCHEMA}|{_ISO_SCHEMA})$"


def parse_duration(value: object) -> timedelta:
    """Parse `90s`, `30m`, `2h`, `7d`, `1h30m` or ISO 8601 (`PT2H`, `P1DT2H`)."""
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected {DURATION_HELP}")
    text = value.strip()
    try:
        if compact := _COMPACT.match(text.lower()):
            if any(compact.groups()):
                days, hours, minutes, seconds = (int(g or 0) for g in compact.groups())
                return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        if (iso := _ISO.match(text)) and any(iso.groups()):
            weeks, days, hours, minutes, seconds = (int(g or 0) for g in iso.groups())
            return timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:  # beyond timedelta's 999,999,999 days (the fuzzer sent one: a 500)
        raise ValueError(f"{value!r} is longer than any duration can be") from None
    raise ValueError(f"{value!r} is not {DURATION_HELP}")


def format_duration(value: timedelta) -> str:
    """The compact form, largest units first: `1d2h`, `1m30s`."""
    total = int(value.total_seconds())
    if total == 0:
        return "0s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, total = divmod(total, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("a duration must be longer than zero")
    return value


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(
        # `x-widget`: the builder edits the field with its duration input.
        {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": DURATION_HELP,
            "x-widget": "duration",
        }
    ),
]
PositiveDuration = Annotated[Duration, AfterValidator(_positive)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)


# -- conditions ---------------------------------------------------------------

Operator = Literal["eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "contains", "exists"]
FIELD_ROOTS = ("cart", "customer", "order", "event", "steps")


class Leaf(_Model):
    field: str = Field(pattern=r"^(cart|customer|order|event|steps)(\.[A-Za-z0-9_\-?]+)+$")
    op: Operator
    value: Any = None


class All(_Model):
    all: list["Condition"]


class AnyOf(_Model):
    any: list["Condition"]


class Not(_Model):
    not_: "Condition" = Field(alias="not")


Condition = Leaf | All | AnyOf | Not

# -- steps --------------------------------------------------------------------

# No dots: conditions address an action's result as `steps.<id>.<field>`.
StepId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-?]+$")]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class WaitStep(_Model):
    id: StepId
    type: Literal["wait"]
    duration: PositiveDuration


def _known_timezone(name: str) -> str:
    if name not in ("customer", "shop"):
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(
                f"{name!r} is not a time zone: use customer, shop or an IANA name "
                "such as Europe/Paris"
            ) from error
    return name


TimeZoneName = Annotated[str, AfterValidator(_known_timezone)]
TimeOfDay = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["09:00"])]


class WaitUntilStep(_Model):
    id: StepId
    type: Literal["wait_until"]
    time: TimeOfDay
    days: list[Weekday] = Field(default_factory=list)
    timezone: TimeZoneName = "customer"


class ActionStep(_Model):
    id: StepId
    type: Literal["action"]
    action: str = Field(min_length=1)
    params: dict[str, Any] = Field(default_factory=dict)


class ExitStep(_Model):
    id: StepId
    type: Literal["exit"]
    outcome: str = Field("completed", pattern=r"^[a-z_]+$")


class ConditionStep(_Model):
    id: StepId
    type: Literal["condition"]
    if_: Condition = Field(alias="if")
    then: list["Step"] = Field(default_factory=list)
    else_: list["Step"] = Field(default_factory=list, alias="else")

    @model_validator(mode="after")
    def _has_a_branch(self) -> "ConditionStep":
        if not self.then and not self.else_:
            raise PydanticCustomError(
                "empty_condition", "a condition needs a step in `then` or in `else`"
            )
        return self


class Variant(_Model):
    name: str = Field(min_length=1)
    weight: int = Field(ge=0)
    steps: list["Step"] = Field(default_factory=list)


class ABSplitStep(_Model):
    id: StepId
    type: Literal["ab_split"]
    variants: list[Variant] = Field(min_length=2)

    @model_validator(mode="after")
    def _weights(self) -> "ABSplitStep":
        if sum(v.weight for v in self.variants) <= 0:
            raise ValueError("an A/B split needs at least one variant with a weight above 0")
        return self


class WaitForEventStep(_Model):
    id: StepId
    type: Literal["wait_for_event"]
    event: "JourneyEvent"
    timeout: PositiveDuration
    on_event: list["Step"] = Field(default_factory=list)
    on_timeout: list["Step"] = Field(default_factory=list)


Step = Annotated[
    Union[  # noqa: UP007 - a discriminated union reads better spelled out
        WaitStep, WaitUntilStep, WaitForEventStep, ConditionStep, ABSplitStep, ActionStep, ExitStep
    ],
    Field(discriminator="type"),
]
STEP_TYPES = ("wait", "wait_until", "wait_for_event", "condition", "ab_split", "action", "exit")


def children(step: Step) -> Iterator[list[Step]]:
    """The step lists nested directly inside a step (branches), in order."""
    match step:
        case ConditionStep():
            yield step.then
            yield step.else_
        case ABSplitStep():
            for variant in step.variants:
                yield variant.steps
        case WaitForEventStep():
            yield step.on_event
            yield step.on_timeout
        case _:
            return


def walk(steps: list[Step]) -> Iterator[Step]:
    """Every step of a tree, depth first, in document order."""
    for step in steps:
        yield step
        for branch in children(step):
            yield from walk(branch)


# -- the automation -----------------------------------------------------------

TriggerEvent = Literal[
    "cart_abandoned", "order_placed", "order_paid", "order_fulfilled", "order_delivered"
]
# The event names, listed once: engine.language.events parses what shops send by them.
OrderEventType = Literal[
    "order_placed", "order_paid", "order_fulfilled", "order_delivered", "order_cancelled"
]
# What shops send that a running journey hears of: all but the abandonment that starts it.
HeardEventType = Literal[
    "cart_updated", "checkout_started", "cart_recovered", OrderEventType, "unsubscribed"
]
# What `wait_for_event` and `exit_on` may name: those, and clicks in the journey's emails.
JourneyEvent = Literal[HeardEventType, "email_clicked"]

DEFAULT_EXIT_ON: tuple[JourneyEvent, ...] = ("order_placed", "cart_recovered", "unsubscribed")


class Trigger(_Model):
    event: TriggerEvent
    filters: Condition | None = None


class QuietHours(_Model):
    """No message to the customer from `start` to `end` local time (may span midnight)."""

    start: TimeOfDay
    end: TimeOfDay
    timezone: TimeZoneName = "customer"

    @model_validator(mode="after")
    def _a_real_window(self) -> "QuietHours":
        if self.start == self.end:
            raise ValueError("quiet hours need different start and end times")
        return self


class AutomationSettings(_Model):
    quiet_hours: QuietHours | None = None
    holdout_percent: int = Field(0, ge=0, le=100)
    reentry_cooldown: Duration | None = None


class Automation(_Model):
    name: str = Field(min_length=1, max_length=200)
    trigger: Trigger
    exit_on: list[JourneyEvent] = Field(default_factory=lambda: list(DEFAULT_EXIT_ON))
    settings: AutomationSettings = Field(default_factory=AutomationSettings)
    steps: list[Step] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_step_ids(self) -> "Automation":
        seen: set[str] = set()
        for step in walk(self.steps):
            if step.id in seen:
                raise PydanticCustomError(
                    "duplicate_step_id",
                    "step id '{step_id}' is used more than once; ids must be unique",
                    {"step_id": step.id},
                )
            seen.add(step.id)
        return self

    def step_index(self) -> dict[str, Step]:
        return {step.id: step for step in walk(self.steps)}


for _model in (All, AnyOf, Not, ConditionStep, Variant, WaitForEventStep):
    _model.model_rebuild()
