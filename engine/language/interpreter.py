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

from engine.language.conditions import evaluate
from engine.language.definition import (
    ABSplitStep,
    ActionStep,
    Automation,
    ConditionStep,
    ExitStep,
    Step,
    WaitForEventStep,
    WaitStep,
    WaitUntilStep,
    children,
)
from engine.language.local_time import next_matching_time, quiet_hours_end, resolve_timezone

# The outcome a journey records when it stops because of an `exit_on` event.
EXIT_OUTCOMES = {
    "cart_recovered": "recovered",
    "order_placed": "purchased",
    "order_paid": "purchased",
    "unsubscribed": "unsubscribed",
    "order_cancelled": "order_cancelled",
}


@dataclass(frozen=True)
class Wait:
    """Wait until a moment; a `wait_for_event` step also ends early when `event` arrives."""

    step_id: str
    until: datetime
    event: str | None = None


@dataclass(frozen=True)
class RunAction:
    """Run an action; a held-out journey (`shadow`) only records that it would have."""

    step_id: str
    action: str
    params: dict[str, Any]
    shadow: bool = False


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
    waiting_for: str | None = None
    outcome: str | None = None
    recovered_via: str | None = None
    # In the holdout group: every step is evaluated and recorded, no action runs.
    holdout: bool = False
    variants: dict[str, str] = Field(default_factory=dict)
    history: list[StepRecord] = Field(default_factory=list)
    results: dict[str, dict[str, Any]] = Field(default_factory=dict)


class Interpreter:
    """Runs one automation version; holds no journey state of its own.

    `quiet_actions` names the actions that message the customer: quiet hours defer them.
    """

    def __init__(self, automation: Automation, quiet_actions: frozenset[str] = frozenset()) -> None:
        self.automation = automation
        self.quiet_actions = quiet_actions
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
        state.holdout = in_holdout(state.subject_id, self.automation.settings.holdout_percent)
        return self._enter(state, self._first, now)

    def timer_fired(self, state: JourneyState, now: datetime) -> Decision:
        step_id = self._expect_current(state, WaitStep, WaitUntilStep, WaitForEventStep, ActionStep)
        step = self._steps[step_id]
        if isinstance(step, ActionStep):
            if state.wake_at is None:
                raise ValueError(f"the journey is at {step_id!r}, an action that is not deferred")
            state.wake_at = None
            return self._enter(state, step_id, now)  # quiet hours are over: decide again
        state.wake_at = state.waiting_for = None
        if isinstance(step, WaitForEventStep):
            self._record(state, step_id, now, {"timed_out": True})
            return self._enter_branch(state, step_id, step.on_timeout, now)
        self._record(state, step_id, now)
        return self._enter(state, self._next[step_id], now)

    def action_completed(
        self, state: JourneyState, now: datetime, result: dict[str, Any]
    ) -> Decision:
        """Store the result and go on; an action that answers `deferred` with a `retry_at`
        (a frequency cap) is run again at that moment instead."""
        step_id = self._expect_current(state, ActionStep)
        if not records_completion(result):
            return self._defer(state, step_id, now, result["retry_at"], result.get("reason"))
        state.results[step_id] = result
        self._record(state, step_id, now, result)
        return self._enter(state, self._next[step_id], now)

    def event_received(self, state: JourneyState, event: str, now: datetime) -> Decision | None:
        """An exit event ends the journey; the awaited event of a `wait_for_event` step
        takes its `on_event` branch; any other event changes nothing (None)."""
        if state.outcome is not None:
            return None
        if event in self.automation.exit_on:
            return self._finish(state, EXIT_OUTCOMES.get(event, "exited"), event, now)
        if state.waiting_for == event and state.current_step is not None:
            step = self._steps[state.current_step]
            assert isinstance(step, WaitForEventStep)
            state.wake_at = state.waiting_for = None
            self._record(state, step.id, now, {"event": event})
            return self._enter_branch(state, step.id, step.on_event, now)
        return None

    def ends_after(self, step_id: str) -> bool:
        """Whether the journey completes once this action step completes (nothing follows
        it): its record and the journey's end are then `last_records`."""
        return self._next[step_id] is None

    def retry_current(self, state: JourneyState, now: datetime) -> Decision:
        """Decide the current action step again, e.g. after a pause that may have lasted
        into quiet hours."""
        return self._enter(state, self._expect_current(state, ActionStep), now)

    def cancel(self, state: JourneyState, reason: str, now: datetime) -> Finish:
        """Support stopped the journey."""
        finish = self._finish(state, "cancelled", "cancel", now)
        state.history[-1].detail["reason"] = reason
        return finish

    # -- stepping ---------------------------------------------------------------

    def _enter(self, state: JourneyState, step_id: str | None, now: datetime) -> Decision:
        while step_id is not None:
            step = self._steps[step_id]
            state.current_step = step_id
            match step:
                case WaitStep():
                    state.wake_at = now + step.duration
                    return Wait(step_id, state.wake_at)
                case WaitUntilStep():
                    zone = resolve_timezone(step.timezone, state.context)
                    state.wake_at = next_matching_time(now, step.time, step.days, zone)
                    return Wait(step_id, state.wake_at)
                case WaitForEventStep():
                    state.wake_at = now + step.timeout
                    state.waiting_for = step.event
                    return Wait(step_id, state.wake_at, event=step.event)
                case ActionStep():
                    if quiet_until := self._quiet_until(step, state, now):
                        return self._defer(state, step_id, now, quiet_until, "quiet hours")
                    return RunAction(step_id, step.action, step.params, shadow=state.holdout)
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
                    state.variants[step_id] = variant.name
                    self._record(state, step_id, now, {"variant": variant.name})
                    step_id = variant.steps[0].id if variant.steps else self._next[step_id]
        return self._finish(state, "completed", "end", now)

    def _defer(
        self,
        state: JourneyState,
        step_id: str,
        now: datetime,
        until: datetime | str,
        why: str | None,
    ) -> Wait:
        """Hold the action step until `until`; the timer then decides it again."""
        state.wake_at = datetime.fromisoformat(until) if isinstance(until, str) else until
        if state.wake_at <= now:  # a moment already past: try again at once, never loop early
            state.wake_at = now
        detail = {"until": state.wake_at.isoformat(), "why": why or "deferred"}
        state.history.append(StepRecord(step_id=step_id, type="deferred", at=now, detail=detail))
        return Wait(step_id, state.wake_at)

    def _quiet_until(self, step: ActionStep, state: JourneyState, now: datetime) -> datetime | None:
        """The end of the quiet hours `now` falls in, for an action that messages the customer."""
        quiet = self.automation.settings.quiet_hours
        if quiet is None or step.action not in self.quiet_actions:
            return None
        return quiet_hours_end(quiet, now, resolve_timezone(quiet.timezone, state.context))

    def _enter_branch(
        self, state: JourneyState, step_id: str, branch: list[Step], now: datetime
    ) -> Decision:
        return self._enter(state, branch[0].id if branch else self._next[step_id], now)

    def _finish(self, state: JourneyState, outcome: str, reason: str, now: datetime) -> Finish:
        state.outcome = outcome
        state.current_step = state.wake_at = state.waiting_for = None
        detail: dict[str, Any] = {"outcome": outcome}
        if outcome == "recovered":
            # Attribution: the last message that went out before the recovery.
            state.recovered_via = last_sent_step(state)
            detail["recovered_via"] = state.recovered_via
        state.history.append(StepRecord(step_id=reason, type="finish", at=now, detail=detail))
        return Finish(outcome, reason)

    def _expect_current(self, state: JourneyState, *kinds: type) -> str:
        step_id = state.current_step
        if step_id is None or not isinstance(self._steps[step_id], kinds):
            expected = " or ".join(kind.__name__ for kind in kinds)
            raise ValueError(f"the journey is at {step_id!r}, not at a {expected}")
        return step_id

    def _record(
        self, state: JourneyState, step_id: str, now: datetime, detail: dict[str, Any] | None = None
    ) -> None:
        step = self._steps[step_id]
        state.history.append(
            StepRecord(step_id=step_id, type=step.type, at=now, detail=detail or {})
        )


def last_records(step_id: str, result: dict[str, Any], now: datetime) -> list[StepRecord]:
    """What `action_completed` records for the last step of a journey (`ends_after`) when it
    takes the result as done (`records_completion`): the action with its result, then the
    journey's end."""
    return [
        StepRecord(step_id=step_id, type="action", at=now, detail=result),
        StepRecord(step_id="end", type="finish", at=now, detail={"outcome": "completed"}),
    ]


def records_completion(result: dict[str, Any]) -> bool:
    """Whether `action_completed` takes this result as the step done (not deferred)."""
    return not (result.get("status") == "deferred" and isinstance(result.get("retry_at"), str))


def last_sent_step(state: JourneyState) -> str | None:
    for record in reversed(state.history):
        if record.type == "action" and record.detail.get("status") == "sent":
            return record.step_id
    return None


def in_holdout(subject_id: str, percent: int) -> bool:
    """Whether the subject is in the holdout share: the same answer every time."""
    if percent <= 0:
        return False
    digest = hashlib.sha256(f"{subject_id}:holdout".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 10_000 < percent * 100


def choose_variant(step: ABSplitStep, subject_id: str) -> Any:
    """A weighted choice that is the same every time for the same subject and step."""
    digest = hashlib.sha256(f"{subject_id}:{step.id}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") % sum(v.weight for v in step.variants)
    for variant in step.variants:
        if point < variant.weight:
            return variant
        point -= variant.weight
    raise AssertionError("weights were checked to add up above zero")


def _facts(state: JourneyState) -> dict[str, Any]:
    return {**state.context, "steps": state.results}
