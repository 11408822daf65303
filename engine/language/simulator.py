"""A journey on a virtual clock: the interpreter driven the way `JourneyWorkflow` drives it.

`JourneyWorkflow` runs `engine.language.interpreter` with Temporal timers, signals and
activities; `journey` runs the very same interpreter with a clock that jumps from moment to
moment, the cart's real later events heard at the times they happened, and the actions run
by the caller's dry run. Each turn mirrors the workflow: events are heard first; before an
action the purchase check asks what the database would know by then (a held-out step asks
on its own, like the workflow's check activity); a stopped action's exit events end the
journey; a deferred action waits and is decided again. The cross-check test
(tests/engine/test_simulation_crosscheck.py) runs the same carts through both and requires
identical timelines.

`journey` is a generator so that one customer's journeys can run side by side in time
order (engine.service.simulation): it yields each moment it must wait for, and is resumed
once every other journey has caught up with that moment (the frequency cap and the
re-entry cooldown see each other's sends and entries as production would).

Pure: no I/O, no clock of its own.
"""

from collections import deque
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.language.contracts import CHECKED_EVENTS, STOPPED
from engine.language.interpreter import (
    Decision,
    Finish,
    Interpreter,
    JourneyState,
    RunAction,
    Wait,
)

# What the purchase check reports, in its order: a purchase first
# (engine.activities.purchase_check).
KNOWN_ORDER = ("order_placed", "cart_recovered", "unsubscribed")
# A journey is a tree of steps, so it cannot loop; a deferral that keeps deferring (a cap that
# never frees) would. This many turns is far beyond any real definition.
MAX_TURNS = 10_000


@dataclass(frozen=True)
class Happening:
    """Something that really happened to the cart or its customer.

    `heard`: the event the journey is told at that moment (a signal; None if only the
    database learns of it, like a bounce that suppresses the address). `known`: the exit
    events the purchase check finds from then on.
    """

    at: datetime
    heard: str | None
    known: tuple[str, ...] = ()


# The dry run of one action: given the step, the moment and the journey's state, what the
# action would have answered (`{"status": ...}`, as the real one does).
DryRun = Callable[[RunAction, datetime, JourneyState], dict[str, Any]]


@dataclass
class Ended:
    """How a simulated journey ended: its state (the full timeline), and the step it was at
    when an event (a purchase, a recovery, an unsubscribe) ended it."""

    state: JourneyState
    stopped_at: str | None = None


class Runaway(RuntimeError):
    """The journey kept turning without ending (it is stopped and reported, never looped)."""


def known_by(happenings: Iterable[Happening], now: datetime) -> list[str]:
    """The exit events the purchase check would find at `now`, in its order."""
    found = {event for h in happenings if h.at <= now for event in h.known}
    return [event for event in KNOWN_ORDER if event in found]


def journey(
    interpreter: Interpreter,
    state: JourneyState,
    start: datetime,
    happenings: list[Happening],
    act: DryRun,
) -> Generator[datetime, None, Ended]:
    """Run one journey from `start`, yielding each later moment it waits for."""
    heard = deque(sorted((h for h in happenings if h.heard and h.at >= start), key=lambda h: h.at))
    exits = interpreter.automation.exit_on
    stop_if = [event for event in CHECKED_EVENTS if event in exits]
    ended = Ended(state)
    now = start

    def hear(event: str) -> Decision | None:
        at = state.current_step
        decision = interpreter.event_received(state, event, now)
        if isinstance(decision, Finish):
            ended.stopped_at = at
        return decision

    decision: Decision = interpreter.start(state, now)
    for _turn in range(MAX_TURNS):
        if isinstance(decision, Finish):
            return ended
        # The workflow hears what reached it before it does anything else.
        interrupted: Decision | None = None
        while heard and heard[0].at <= now and interrupted is None:
            interrupted = hear(heard.popleft().heard or "")
        if interrupted is not None:
            decision = interrupted
            continue
        if isinstance(decision, Wait):
            until = decision.until
            # An event at the very moment of the wake-up is heard first (the safe side: a
            # purchase at the minute of a send stops it).
            while heard and heard[0].at <= until and interrupted is None:
                happening = heard.popleft()
                if happening.at > now:
                    now = happening.at
                    yield now
                interrupted = hear(happening.heard or "")
            if interrupted is not None:
                decision = interrupted
                continue
            if until > now:
                now = until
                yield now
            decision = interpreter.timer_fired(state, now)
            continue
        assert isinstance(decision, RunAction)
        run = decision
        found = known_by(happenings, now)
        if run.shadow:  # held out: the check runs on its own, then nothing goes out
            for event in found:
                if (exited := hear(event)) is not None:
                    decision = exited
                    break
            else:
                held_out = {"status": "held_out", "would_have_run": run.action}
                decision = interpreter.action_completed(state, now, held_out)
            continue
        stopping = [event for event in found if event in stop_if]
        result = {"status": STOPPED, "events": stopping} if stopping else act(run, now, state)
        if result.get("status") == STOPPED:
            for event in result.get("events", []):
                if (exited := hear(event)) is not None:
                    decision = exited
                    break
            else:
                decision = interpreter.action_completed(state, now, result)
            continue
        decision = interpreter.action_completed(state, now, result)
    raise Runaway(f"the journey of {state.subject_id!r} took more than {MAX_TURNS} turns")
