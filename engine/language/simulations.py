"""What a simulation is asked and what it answers: the carts to replay, its totals, the
difference to another definition, and each cart's timeline (docs/simulation.md defines each
figure). Pure: the use case (engine.service.simulation) builds the answers, the API answers
them as they are.

A `Tally` adds up journeys one by one, so totals take the same memory for ten carts as for
a hundred thousand."""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from engine.language.carts import moment
from engine.language.definition import Automation, JourneyEvent, walk
from engine.language.events import CartAbandonedData
from engine.language.interpreter import StepRecord
from engine.language.results import Amount

MAX_CARTS = 100_000
DEFAULT_CARTS = 1_000
MAX_SAMPLES = 1_000

# -- what is asked ------------------------------------------------------------------------


class SampleEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event: JourneyEvent
    at: AwareDatetime


class SampleCart(CartAbandonedData):
    """A cart described by hand, as a `cart_abandoned` event's data, with what happens later."""

    abandoned_at: AwareDatetime
    events: list[SampleEvent] = Field(default_factory=list, max_length=100)


class CartSelection(BaseModel):
    """Which carts: the last `last` abandoned ones (default 1,000), those abandoned in a date
    range (the newest 100,000 at most), or sample carts described here."""

    model_config = ConfigDict(extra="forbid")

    last: int | None = Field(None, ge=1, le=MAX_CARTS, description="The newest abandoned carts")
    abandoned_from: str | None = Field(
        None, max_length=40, description="Abandoned at or after (ISO date or datetime, UTC)"
    )
    abandoned_to: str | None = Field(
        None, max_length=40, description="Abandoned before this datetime, or up to this date"
    )
    sample: list[SampleCart] | None = Field(None, min_length=1, max_length=MAX_SAMPLES)

    @model_validator(mode="after")
    def _one_kind(self) -> "CartSelection":
        kinds = [
            self.last is not None,
            self.abandoned_from is not None or self.abandoned_to is not None,
            self.sample is not None,
        ]
        if sum(kinds) > 1:
            raise ValueError("give one of `last`, a date range or `sample`, not several")
        for name in ("abandoned_from", "abandoned_to"):
            value = getattr(self, name)
            if value is not None:
                try:
                    moment(value, end=False)
                except ValueError:
                    raise ValueError(f"{name}: {value!r} is not an ISO date or datetime") from None
        return self

    @property
    def count(self) -> int:
        """How many carts at most."""
        if self.last is not None:
            return self.last
        ranged = self.abandoned_from is not None or self.abandoned_to is not None
        return MAX_CARTS if ranged else DEFAULT_CARTS

    @property
    def range_start(self) -> datetime | None:
        return moment(self.abandoned_from, end=False) if self.abandoned_from else None

    @property
    def range_end(self) -> datetime | None:
        return moment(self.abandoned_to, end=True) if self.abandoned_to else None


class SimulationRequest(BaseModel):
    """What to try (default: the draft, else the live version) on which carts, compared with
    what (`live`: the automation's current version; a number: that version)."""

    model_config = ConfigDict(extra="forbid")

    definition: dict[str, Any] | None = Field(
        None, description="A definition to try, as it would be saved (default: the draft)"
    )
    version: int | None = Field(None, ge=1, description="A published version to try instead")
    carts: CartSelection = Field(default_factory=CartSelection)
    compare_to: Literal["live"] | int | None = Field(
        None, description="`live`, or a version number: the same carts through it"
    )

    @model_validator(mode="after")
    def _one_definition(self) -> "SimulationRequest":
        if self.definition is not None and self.version is not None:
            raise ValueError("give `definition` or `version`, not both")
        if isinstance(self.compare_to, int) and self.compare_to < 1:
            raise ValueError("compare_to: a version number starts at 1")
        return self


# -- what is answered ---------------------------------------------------------------------

EXAMPLES_KEPT = 20
EMAIL_ACTIONS = ("send_email",)


class VariantTotals(BaseModel):
    carts: int = 0
    emails: int = 0
    outcomes: dict[str, int] = Field(default_factory=dict)


class StepTotals(BaseModel):
    """One step: what its runs answered (`sent`, `created`, `skipped`, `suppressed`,
    `failed`, `held_out`...), how often it was deferred (quiet hours, the frequency cap),
    and the journeys an event ended while they were at it."""

    ran: dict[str, int] = Field(default_factory=dict)
    emails: int = Field(0, description="Emails to the customer it would send")
    codes: int = Field(0, description="Discount codes it would issue")
    deferred: int = 0
    stopped_here: dict[str, int] = Field(default_factory=dict)

    @property
    def done(self) -> int:
        return sum(self.ran.values())


class LateSend(BaseModel):
    """A send that would reach the customer after they bought or unsubscribed."""

    cart_id: str
    step_id: str
    at: datetime
    after: str = Field(description="What happened before it: purchased, recovered, unsubscribed")
    happened_at: datetime


class FailedStep(BaseModel):
    """An action that would fail, e.g. a template that cannot render with a real cart."""

    cart_id: str
    step_id: str
    error: str


class SimulationTotals(BaseModel):
    carts: int = Field(0, description="Carts simulated")
    entered: int = Field(0, description="Carts that would enter the automation")
    not_entered: dict[str, int] = Field(
        default_factory=dict,
        description="Carts that would not enter, by reason: filtered, no_consent, cooldown",
    )
    held_out: int = Field(0, description="Entered the holdout group: nothing is sent to them")
    outcomes: dict[str, int] = Field(default_factory=dict)
    emails: int = Field(0, description="Emails that would be sent to customers")
    codes: int = Field(0, description="Discount codes that would be issued")
    code_value: list[Amount] = Field(
        default_factory=list,
        description="The codes' face value (percent of the cart's total), one per currency",
    )
    webhooks: int = Field(0, description="Webhooks that would be called")
    steps: dict[str, StepTotals] = Field(default_factory=dict)
    variants: dict[str, dict[str, VariantTotals]] = Field(
        default_factory=dict, description="Per A/B split step, per variant"
    )
    late_sends: int = Field(
        0, description="Sends that would land after the customer's purchase or unsubscribe"
    )
    late_send_examples: list[LateSend] = Field(default_factory=list)
    failures: int = Field(0, description="Actions that would fail (template errors and more)")
    failure_examples: list[FailedStep] = Field(default_factory=list)


class StepDifference(BaseModel):
    step_id: str
    emails: int = 0
    codes: int = 0
    ran: int = Field(0, description="Times the step would run")
    stopped_here: int = 0


class SimulationDifference(BaseModel):
    """This simulation less the one it is compared to, on the same carts."""

    entered: int
    emails: int
    codes: int
    outcomes: dict[str, int]
    steps: list[StepDifference]
    summary: list[str] = Field(examples=[["+120 emails at step email-2", "30 fewer codes"]])


class ReplayedEvent(BaseModel):
    at: datetime
    event: str


class ComparedCart(BaseModel):
    outcome: str | None
    emails: int
    codes: int


class CartTimeline(BaseModel):
    """One cart: whether it would enter, what would happen when, and where it stops and why."""

    cart_id: str
    abandoned_at: datetime
    entered: bool
    not_entered: str | None = Field(None, description="filtered, no_consent or cooldown")
    held_out: bool = False
    variants: dict[str, str] = Field(default_factory=dict, description="Split step → variant")
    outcome: str | None = None
    ended_at: datetime | None = None
    stopped_at: str | None = Field(None, description="The step an event ended the journey at")
    emails: int = 0
    codes: int = 0
    late_sends: int = 0
    failures: int = 0
    events: list[ReplayedEvent] = Field(
        default_factory=list, description="The cart's real later events, replayed"
    )
    steps: list[StepRecord] = Field(default_factory=list)
    compared: ComparedCart | None = None


class Tally:
    """Totals of one definition, one journey at a time."""

    def __init__(self, definition: Automation) -> None:
        self._totals = SimulationTotals()
        self._actions = {
            step.id: step.action for step in walk(definition.steps) if step.type == "action"
        }
        self._branch_of = _variant_steps(definition)
        self._code_value: defaultdict[str, Decimal] = defaultdict(Decimal)

    @property
    def totals(self) -> SimulationTotals:
        self._totals.code_value = [
            Amount(currency=code, amount=f"{value:.2f}")
            for code, value in sorted(self._code_value.items())
        ]
        return self._totals

    def action_of(self, step_id: str) -> str | None:
        return self._actions.get(step_id)

    def not_entered(self, reason: str) -> None:
        self._totals.carts += 1
        self._totals.not_entered[reason] = self._totals.not_entered.get(reason, 0) + 1

    def add(self, timeline: CartTimeline, cart_total: Decimal, currency: str) -> None:
        """A cart's journey; fills the timeline's own counts as it goes (one that did not
        enter counts only under its reason)."""
        if not timeline.entered:
            self.not_entered(timeline.not_entered or "unknown")
            return
        totals = self._totals
        totals.carts += 1
        totals.entered += 1
        totals.held_out += timeline.held_out
        outcome = timeline.outcome or "running"
        _bump(totals.outcomes, outcome)
        if outcome == "stuck":  # stopped after too many turns: a failure to look at
            totals.failures += 1
        for record in timeline.steps:
            self._add_record(timeline, record, cart_total, currency)
        if timeline.stopped_at is not None:
            _bump(self._step(timeline.stopped_at).stopped_here, outcome)
        for split, variant in timeline.variants.items():
            counted = totals.variants.setdefault(split, {}).setdefault(variant, VariantTotals())
            counted.carts += 1
            _bump(counted.outcomes, outcome)

    def _add_record(
        self, timeline: CartTimeline, record: StepRecord, cart_total: Decimal, currency: str
    ) -> None:
        totals, detail = self._totals, record.detail
        if record.type == "deferred":
            self._step(record.step_id).deferred += 1
            return
        if record.type != "action":
            return
        status = str(detail.get("status", ""))
        step = self._step(record.step_id)
        _bump(step.ran, status)
        action = self._actions.get(record.step_id)
        if status == "sent" and action in EMAIL_ACTIONS:
            step.emails += 1
            totals.emails += 1
            timeline.emails += 1
            for split, variant in self._branch_of.get(record.step_id, ()):
                if timeline.variants.get(split) == variant:
                    totals.variants.setdefault(split, {}).setdefault(
                        variant, VariantTotals()
                    ).emails += 1
        elif status == "created" and action == "create_discount":
            step.codes += 1
            totals.codes += 1
            timeline.codes += 1
            percent = Decimal(str(detail.get("percent", 0)))
            self._code_value[currency] += (cart_total * percent / 100).quantize(Decimal("0.01"))
        elif status == "delivered" and action == "send_webhook":
            totals.webhooks += 1
        elif status == "failed":
            totals.failures += 1
            timeline.failures += 1
            if len(totals.failure_examples) < EXAMPLES_KEPT:
                error = str(detail.get("error", ""))[:500]
                totals.failure_examples.append(
                    FailedStep(cart_id=timeline.cart_id, step_id=record.step_id, error=error)
                )

    def late(self, send: LateSend) -> None:
        self._totals.late_sends += 1
        if len(self._totals.late_send_examples) < EXAMPLES_KEPT:
            self._totals.late_send_examples.append(send)

    def _step(self, step_id: str) -> StepTotals:
        return self._totals.steps.setdefault(step_id, StepTotals())


def _bump(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def _variant_steps(definition: Automation) -> dict[str, list[tuple[str, str]]]:
    """For each step inside an A/B variant: the (split, variant) pairs it belongs to."""
    found: dict[str, list[tuple[str, str]]] = {}

    def visit(steps: list[Any], inside: list[tuple[str, str]]) -> None:
        for step in steps:
            if inside:
                found[step.id] = list(inside)
            if step.type == "ab_split":
                for variant in step.variants:
                    visit(variant.steps, [*inside, (step.id, variant.name)])
            elif step.type == "condition":
                visit(step.then, inside)
                visit(step.else_, inside)
            elif step.type == "wait_for_event":
                visit(step.on_event, inside)
                visit(step.on_timeout, inside)

    visit(definition.steps, [])
    return found


def difference(this: SimulationTotals, other: SimulationTotals) -> SimulationDifference:
    """What `this` would do differently from `other` on the same carts, step by step."""
    step_ids = list(dict.fromkeys([*this.steps, *other.steps]))
    steps = []
    for step_id in step_ids:
        mine, theirs = this.steps.get(step_id, StepTotals()), other.steps.get(step_id, StepTotals())
        change = StepDifference(
            step_id=step_id,
            emails=mine.emails - theirs.emails,
            codes=mine.codes - theirs.codes,
            ran=mine.done - theirs.done,
            stopped_here=sum(mine.stopped_here.values()) - sum(theirs.stopped_here.values()),
        )
        if change.emails or change.codes or change.ran or change.stopped_here:
            steps.append(change)
    outcomes = {
        outcome: this.outcomes.get(outcome, 0) - other.outcomes.get(outcome, 0)
        for outcome in sorted({*this.outcomes, *other.outcomes})
    }
    found = SimulationDifference(
        entered=this.entered - other.entered,
        emails=this.emails - other.emails,
        codes=this.codes - other.codes,
        outcomes={key: value for key, value in outcomes.items() if value},
        steps=steps,
        summary=[],
    )
    found.summary = _summary(found)
    return found


def _summary(found: SimulationDifference) -> list[str]:
    """The difference as a marketer reads it: "+120 emails at step email-2", "30 fewer codes"."""
    lines = []
    for step in found.steps:
        if step.emails:
            lines.append(f"{step.emails:+d} {_plural(step.emails, 'email')} at step {step.step_id}")
    if found.codes:
        more = "more" if found.codes > 0 else "fewer"
        lines.append(f"{abs(found.codes)} {more} {_plural(found.codes, 'code')}")
    if found.entered:
        lines.append(f"{found.entered:+d} {_plural(found.entered, 'cart')} entering")
    for outcome, change in found.outcomes.items():
        lines.append(f"{change:+d} {outcome}")
    return lines


def _plural(count: int, word: str) -> str:
    return word if abs(count) == 1 else f"{word}s"


class SimulatedDefinition(BaseModel):
    kind: Literal["draft", "definition", "version"]
    version: int | None = Field(None, description="The version, for `version`")


class SimulationStatus(BaseModel):
    """A simulation: running (with its progress) or done (with its totals)."""

    id: str
    automation_id: str
    status: Literal["running", "done", "failed"]
    tried: SimulatedDefinition
    compared_with: SimulatedDefinition | None = None
    carts: int = Field(description="Carts selected")
    done: int = Field(description="Carts simulated so far")
    totals: SimulationTotals | None = None
    compared: SimulationTotals | None = Field(None, description="The same carts, the other way")
    difference: SimulationDifference | None = None
    error: str | None = None
    created_at: datetime
    finished_at: datetime | None = None
    expires_at: datetime = Field(description="Results are kept until then (a day)")


class CartTimelines(BaseModel):
    items: list[CartTimeline]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page")


def merged(one: SimulationTotals, other: SimulationTotals) -> SimulationTotals:
    """The totals of two sets of carts (batches simulated apart, in other processes)."""
    total = one.model_copy(deep=True)
    for name in ("carts", "entered", "held_out", "emails", "codes", "webhooks", "late_sends",
                 "failures"):  # fmt: skip
        setattr(total, name, getattr(one, name) + getattr(other, name))
    _add_counts(total.not_entered, other.not_entered)
    _add_counts(total.outcomes, other.outcomes)
    values: defaultdict[str, Decimal] = defaultdict(Decimal)
    for amount in (*one.code_value, *other.code_value):
        values[amount.currency] += Decimal(amount.amount)
    total.code_value = [Amount(currency=c, amount=f"{v:.2f}") for c, v in sorted(values.items())]
    for step_id, theirs in other.steps.items():
        mine = total.steps.setdefault(step_id, StepTotals())
        _add_counts(mine.ran, theirs.ran)
        _add_counts(mine.stopped_here, theirs.stopped_here)
        mine.emails += theirs.emails
        mine.codes += theirs.codes
        mine.deferred += theirs.deferred
    for split, variants in other.variants.items():
        for name, theirs_variant in variants.items():
            counted = total.variants.setdefault(split, {}).setdefault(name, VariantTotals())
            counted.carts += theirs_variant.carts
            counted.emails += theirs_variant.emails
            _add_counts(counted.outcomes, theirs_variant.outcomes)
    total.late_send_examples = [*one.late_send_examples, *other.late_send_examples][:EXAMPLES_KEPT]
    total.failure_examples = [*one.failure_examples, *other.failure_examples][:EXAMPLES_KEPT]
    return total


def _add_counts(counts: dict[str, int], more: dict[str, int]) -> None:
    for key, count in more.items():
        counts[key] = counts.get(key, 0) + count
