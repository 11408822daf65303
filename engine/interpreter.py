"""The step semantics of a journey as a pure state machine.

Given a definition, the journey's state and what just happened (started, the
timer fired, an action returned, an event arrived) it answers what to do next:
wait until a moment, run an action, or finish with an outcome. It has no I/O
and no clock of its own, so `JourneyWorkflow` (Temporal timers and activities)
and the simulator (a virtual clock) run exactly the same semantics.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from engine.definition import (
    ABSplitStep,
    ActionStep,
    All,
    AnyOf,
    Automation,
    Condition,
    ConditionStep,
    ExitStep,
    Leaf,
    Not,
    Step,
    WaitStep,
    children,
    walk,
)

# The outcome a journey records when it stops because of an `exit_on` event.
EXIT_OUTCOMES = {
    "cart_recovered": "recovered",
    "order_placed": "purchased",
    "order_paid": "purchased",
    "unsubscribed": "unsubscribed",
}
SUPPORTED_STEP_TYPES = frozenset({"wait", "action", "exit", "condition", "ab_split"})


@dataclass(frozen=True)
class Wait:
    step_id: str
    until: datetime


@dataclass(frozen=True)
class RunAction:
    step_id: str
    action: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Finish:
    outcome: str
    reason: str  # the step id or event that ended the journey


Decision = Wait | RunAction | Finish


class StepRecord(BaseModel):
    step_id: str
    type: str
    at: datetime
    detail: dict[str, Any] = Field(default_factory=dict)


class JourneyState(BaseModel):
    """Everything the interpreter needs to continue; serialisable, non-personal."""

    subject_id: str
    context: dict[str, Any] = Field(default_factory=dict)
    current_step: str | None = None
    wake_at: datetime | None = None
    outcome: str | None = None
    history: list[StepRecord] = Field(default_factory=list)
    results: dict[str, dict[str, Any]] = Field(default_factory=dict)


class Interpreter:
    """Runs one automation version; holds no journey state of its own."""

    def __init__(self, automation: Automation) -> None:
        self.automation = automation
        self._steps: dict[str, Step] = {}
        self._next: dict[str, str | None] = {}
        self._index(automation.steps, after=None)
        self._first = automation.steps[0].id

    def _index(self, steps: list[Step], after: str | None) -> None:
        """Map every step to the one that follows it once it (and its branch) is done."""
        for position, step in enumerate(steps):
            following = steps[position + 1].id if position + 1 < len(steps) else after
            self._steps[step.id] = step
            self._next[step.id] = following
            for branch in children(step):
                self._index(branch, after=following)

    # -- what happened ----------------------------------------------------------

    def start(self, state: JourneyState, now: datetime) -> Decision:
        return self._enter(state, self._first, now)

    def timer_fired(self, state: JourneyState, now: datetime) -> Decision:
        step_id = self._expect_current(state, WaitStep)
        state.wake_at = None
        self._record(state, step_id, now)
        return self._enter(state, self._next[step_id], now)

    def action_completed(
        self, state: JourneyState, now: datetime, result: dict[str, Any]
    ) -> Decision:
        step_id = self._expect_current(state, ActionStep)
        state.results[step_id] = result
        self._record(state, step_id, now, result)
        return self._enter(state, self._next[step_id], now)

    def event_received(self, state: JourneyState, event: str, now: datetime) -> Finish | None:
        """An exit event ends the journey; any other event changes nothing (yet)."""
        if event not in self.automation.exit_on or state.outcome is not None:
            return None
        return self._finish(state, EXIT_OUTCOMES.get(event, "exited"), event, now)

    # -- stepping ---------------------------------------------------------------

    def _enter(self, state: JourneyState, step_id: str | None, now: datetime) -> Decision:
        while step_id is not None:
            step = self._steps[step_id]
            state.current_step = step_id
            match step:
                case WaitStep():
                    state.wake_at = now + step.duration
                    return Wait(step_id, state.wake_at)
                case ActionStep():
                    return RunAction(step_id, step.action, step.params)
                case ExitStep():
                    self._record(state, step_id, now)
                    return self._finish(state, step.outcome, step_id, now)
                case ConditionStep():
                    taken = evaluate(step.if_, _facts(state))
                    self._record(state, step_id, now, {"branch": "then" if taken else "else"})
                    branch = step.then if taken else step.else_
                    step_id = branch[0].id if branch else self._next[step_id]
                case ABSplitStep():
                    variant = choose_variant(step, state.subject_id)
                    self._record(state, step_id, now, {"variant": variant.name})
                    step_id = variant.steps[0].id if variant.steps else self._next[step_id]
                case _:
                    raise UnsupportedStep(step_id, step.type)
        return self._finish(state, "completed", "end", now)

    def _finish(self, state: JourneyState, outcome: str, reason: str, now: datetime) -> Finish:
        state.outcome = outcome
        state.current_step = None
        state.wake_at = None
        state.history.append(
            StepRecord(step_id=reason, type="finish", at=now, detail={"outcome": outcome})
        )
        return Finish(outcome, reason)

    def _expect_current(self, state: JourneyState, kind: type) -> str:
        step_id = state.current_step
        if step_id is None or not isinstance(self._steps[step_id], kind):
            raise ValueError(f"the journey is at {step_id!r}, not at a {kind.__name__}")
        return step_id

    def _record(
        self, state: JourneyState, step_id: str, now: datetime, detail: dict[str, Any] | None = None
    ) -> None:
        step = self._steps[step_id]
        state.history.append(
            StepRecord(step_id=step_id, type=step.type, at=now, detail=detail or {})
        )


class UnsupportedStep(Exception):
    def __init__(self, step_id: str, step_type: str) -> None:
        super().__init__(f"step {step_id!r}: the step type {step_type!r} cannot run yet")


def unsupported_steps(automation: Automation) -> list[tuple[str, str]]:
    """(step id, type) of every step this interpreter cannot run yet."""
    return [(s.id, s.type) for s in walk(automation.steps) if s.type not in SUPPORTED_STEP_TYPES]


def choose_variant(step: ABSplitStep, subject_id: str) -> Any:
    """A weighted choice that is the same every time for the same subject and step."""
    digest = hashlib.sha256(f"{subject_id}:{step.id}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") % sum(v.weight for v in step.variants)
    for variant in step.variants:
        if point < variant.weight:
            return variant
        point -= variant.weight
    raise AssertionError("weights were checked to add up above zero")


# -- conditions ---------------------------------------------------------------

_MISSING = object()


def _facts(state: JourneyState) -> dict[str, Any]:
    return {**state.context, "steps": state.results}


def lookup(facts: dict[str, Any], path: str) -> Any:
    value: Any = facts
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def evaluate(condition: Condition, facts: dict[str, Any]) -> bool:
    match condition:
        case All():
            return all(evaluate(c, facts) for c in condition.all)
        case AnyOf():
            return any(evaluate(c, facts) for c in condition.any)
        case Not():
            return not evaluate(condition.not_, facts)
        case Leaf():
            return _compare(lookup(facts, condition.field), condition.op, condition.value)
    raise TypeError(f"not a condition: {condition!r}")


def _compare(actual: Any, op: str, expected: Any) -> bool:
    if op == "exists":
        present = actual is not _MISSING and actual is not None
        return present if expected in (None, True) else not present
    if actual is _MISSING:
        return op in ("ne", "not_in")
    try:
        match op:
            case "eq":
                return bool(actual == expected)
            case "ne":
                return bool(actual != expected)
            case "gt":
                return bool(actual > expected)
            case "gte":
                return bool(actual >= expected)
            case "lt":
                return bool(actual < expected)
            case "lte":
                return bool(actual <= expected)
            case "in":
                return actual in expected
            case "not_in":
                return actual not in expected
            case "contains":
                return expected in actual
    except TypeError:
        return False  # comparing unlike types (a number with text) never matches
    raise ValueError(f"unknown operator {op!r}")
