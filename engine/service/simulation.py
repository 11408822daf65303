"""Simulation: an automation tried on past (or sample) carts before it reaches a customer.

Each cart enters as it would have when it was abandoned (consent, trigger filters with the
customer's segment as it was then, the re-entry cooldown), then runs through the pure
interpreter on a virtual clock (engine.language.simulator) with its real later events
replayed when they happened and every action in dry run (engine.service.simulation_actions).
A customer's journeys run side by side in time order, so the frequency cap and the cooldown
see each other as in production. Carts stream in batches (engine.service.simulation_world);
only the totals stay in memory, each cart's timeline is written as its batch finishes.

A run is recorded first (`start`), then carried out (`run`): within the request for a few
carts, as a Temporal workflow above `BACKGROUND_ABOVE` (engine.workflows.simulation), or by
`boomerang simulate`. Results are kept for a day.
"""

import base64
import heapq
import itertools
import multiprocessing
import os
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from multiprocessing import forkserver
from typing import Any, cast

from sqlalchemy import Table
from sqlmodel import Session, col, delete, func, insert, select
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy

from engine.language.actions import quiet_action_names
from engine.language.conditions import evaluate
from engine.language.definition import Automation
from engine.language.interpreter import Interpreter, JourneyState
from engine.language.money import ShopMoney
from engine.language.simulations import (
    CartSelection,
    CartTimeline,
    CartTimelines,
    ComparedCart,
    LateSend,
    ReplayedEvent,
    SimulatedDefinition,
    SimulationDifference,
    SimulationRequest,
    SimulationStatus,
    SimulationTotals,
    Tally,
    difference,
    merged,
)
from engine.language.simulator import Ended, Runaway, journey
from engine.runtime.settings import FrequencyCap, Settings
from engine.service import automation_versions, automations
from engine.service.enrolment import CustomerFacts, enrolment_context, filter_facts
from engine.service.errors import InvalidInput, NotFound
from engine.service.lookups import Lookups
from engine.service.shop_settings import (
    default_quiet_hours,
    effective_settings,
    shop_money,
    with_default_quiet_hours,
)
from engine.service.simulation_actions import DryRunner, Ledger
from engine.service.simulation_world import (
    Batch,
    CartCase,
    batches_of,
    load_batch,
    sample_batch,
    select_carts,
)
from engine.store import models
from engine.store.db import session_scope
from engine.store.types import utcnow
from engine.workflows.simulation import SimulationJob, SimulationWorkflow, workflow_id

TRIGGER = "cart_abandoned"
# A Core insert of many rows: the ORM's bulk path costs more than simulating them.
SIMULATED_CARTS = cast(Table, models.SimulatedCart.__table__)  # type: ignore[attr-defined]
BACKGROUND_ABOVE = 2_000  # carts: more run as a job (10,000 take a few seconds)
PROCESSES = min(os.cpu_count() or 1, 4)
# Batches run in processes forked from a server that imported this module once: a fresh
# Python takes ~2.5 s here to import the engine, longer than 2,000 carts take to simulate.
# (Not plain fork: the worker runs threads, whose held locks a fork would inherit.)
_POOL_CONTEXT = multiprocessing.get_context("forkserver")
_POOL_CONTEXT.set_forkserver_preload([__name__])
KEPT_FOR = timedelta(days=1)
PAGE_LIMIT = 200

Progress = Callable[[int, int], None]  # (carts done, carts in all)


# -- asking -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tried:
    definition: Automation
    described: SimulatedDefinition


def start(session: Session, automation_id: str, request: SimulationRequest) -> models.Simulation:
    """Record a simulation (`running`, committed) with the definitions it tries; `run` or a
    job carries it out. Bad input (an invalid definition, an unknown version, an automation
    that carts do not trigger) raises before anything is written."""
    purge_expired(session)
    automation = automations.get(session, automation_id)
    tried = _tried(session, automation, request)
    compared = _compared(session, automation, request.compare_to)
    now = utcnow()
    simulation = models.Simulation(
        automation_id=automation.id,
        request=request.model_dump(mode="json", exclude_none=True),
        tried=tried.described.model_dump(mode="json"),
        definition=tried.definition.model_dump(mode="json"),
        compared_with=compared.described.model_dump(mode="json") if compared else None,
        compared_definition=compared.definition.model_dump(mode="json") if compared else None,
        carts=_count(session, request.carts),
        created_at=now,
        expires_at=now + KEPT_FOR,
    )
    session.add(simulation)
    session.commit()
    return simulation


def in_background(simulation: models.Simulation) -> bool:
    return simulation.carts > BACKGROUND_ABOVE


async def start_job(client: Client, settings: Settings, simulation: models.Simulation) -> None:
    """Carry the simulation out in the worker (engine.workflows.simulation)."""
    await client.start_workflow(
        SimulationWorkflow.run,
        SimulationJob(simulation_id=simulation.id),
        id=workflow_id(simulation.id),
        task_queue=settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )


def _tried(session: Session, automation: models.Automation, request: SimulationRequest) -> Tried:
    if request.version is not None:
        published = automations.version(session, automation.id, request.version)
        described = SimulatedDefinition(kind="version", version=request.version)
        return Tried(_checked(session, published.definition), described)
    if request.definition is not None:
        definition = _named(request.definition, automation)
        return Tried(_checked(session, definition), SimulatedDefinition(kind="definition"))
    if automation.draft is not None:
        definition = _named(automation.draft, automation)
        return Tried(_checked(session, definition), SimulatedDefinition(kind="draft"))
    number = automation.current_version
    published = automations.version(session, automation.id, number)
    return Tried(
        _checked(session, published.definition), SimulatedDefinition(kind="version", version=number)
    )


def _compared(
    session: Session, automation: models.Automation, compare_to: str | int | None
) -> Tried | None:
    if compare_to is None:
        return None
    number = automation.current_version if compare_to == "live" else int(compare_to)
    published = automations.version(session, automation.id, number)
    described = SimulatedDefinition(kind="version", version=number)
    return Tried(_checked(session, published.definition), described)


def _named(definition: dict[str, Any], automation: models.Automation) -> dict[str, Any]:
    """As publishing names it: a draft (or a definition sent here) may leave the name out."""
    return {**definition, "name": automation_versions.name_of(definition, automation)}


def _checked(session: Session, definition: dict[str, Any]) -> Automation:
    """The definition a journey would run (the shop's default quiet hours when it sets none),
    after every check publishing makes (so a template that does not exist says so here)."""
    parsed = automations.validate_definition(session, definition)
    if parsed.trigger.event != TRIGGER:
        raise InvalidInput(
            "not_a_cart_automation",
            f"simulation replays abandoned carts; this automation starts on {parsed.trigger.event}",
        )
    return with_default_quiet_hours(parsed, default_quiet_hours(session))


def _count(session: Session, selection: CartSelection) -> int:
    if selection.sample is not None:
        return len(selection.sample)
    query = select(func.count()).where(col(models.Cart.abandoned_at).is_not(None))
    if selection.range_start is not None:
        query = query.where(col(models.Cart.abandoned_at) >= selection.range_start)
    if selection.range_end is not None:
        query = query.where(col(models.Cart.abandoned_at) < selection.range_end)
    return min(int(session.exec(query).one()), selection.count)


# -- carrying it out ----------------------------------------------------------------------


def run(
    session: Session, settings: Settings, simulation_id: str, progress: Progress | None = None
) -> models.Simulation:
    """Simulate every selected cart, batch by batch (each batch's timelines committed with
    the progress), then store the totals. A run carried out again starts over.

    Many batches run in other processes, one per core (the batches are independent: a
    customer's carts are never split): twice as fast here, and a big simulation in the worker
    never holds the interpreter lock its journeys' activities need."""
    simulation = find(session, simulation_id)
    session.exec(
        delete(models.SimulatedCart).where(col(models.SimulatedCart.simulation_id) == simulation.id)
    )
    request = SimulationRequest.model_validate(simulation.request)
    plan = _Plan(
        settings=settings,
        simulation_id=simulation.id,
        automation_id=simulation.automation_id,
        tried=simulation.definition,
        other=simulation.compared_definition,
        cap=effective_settings(session, settings).email_cap,
        consent_required=Lookups().requires_consent(session, settings),
        money=shop_money(session, settings),
    )
    session.commit()  # the deletion: batches in other processes write their rows
    totals = other_totals = None
    simulation.done = 0
    for result in _results(session, plan, request.carts):
        totals = merged(totals, result.totals) if totals else result.totals
        if result.other_totals is not None:
            other_totals = (
                merged(other_totals, result.other_totals) if other_totals else result.other_totals
            )
        simulation.done += result.carts
        simulation.carts = max(simulation.carts, simulation.done)
        session.add(simulation)
        session.commit()
        if progress is not None:
            progress(simulation.done, simulation.carts)
    totals = totals or SimulationTotals()
    simulation.carts = simulation.done
    simulation.totals = totals.model_dump(mode="json")
    if plan.other is not None:
        other_totals = other_totals or SimulationTotals()
        simulation.compared = other_totals.model_dump(mode="json")
        simulation.difference = difference(totals, other_totals).model_dump(mode="json")
    simulation.status, simulation.finished_at = "done", utcnow()
    session.add(simulation)
    session.commit()
    return simulation


@dataclass(frozen=True)
class _Plan:
    """What simulating a batch needs, in any process (it is pickled to the others)."""

    settings: Settings
    simulation_id: str
    automation_id: str
    tried: dict[str, Any]
    other: dict[str, Any] | None
    cap: FrequencyCap | None
    consent_required: bool
    money: ShopMoney  # the shop's currency and rates as the run began


@dataclass(frozen=True)
class _BatchResult:
    carts: int
    totals: SimulationTotals
    other_totals: SimulationTotals | None


def _results(session: Session, plan: _Plan, selection: CartSelection) -> Iterator[_BatchResult]:
    """Each batch's result, in order."""
    runner = DryRunner(session, plan.settings, plan.cap)  # its caches serve every batch
    if selection.sample is not None:
        yield _simulate(plan, sample_batch(selection.sample), runner)
        return
    selected = select_carts(session, selection)
    batches = list(batches_of(selected))
    processes = min(PROCESSES, len(batches))
    if processes < 2 or len(selected) <= BACKGROUND_ABOVE:  # what answers at once stays here
        for cart_ids in batches:
            batch = load_batch(session, cart_ids, plan.automation_id)
            yield _simulate(plan, batch, runner)
        return
    with ProcessPoolExecutor(processes, mp_context=_POOL_CONTEXT) as pool:
        yield from pool.map(_simulate_elsewhere, itertools.repeat(plan), batches)


def start_processes() -> None:
    """Start the server the batches' processes fork from (the worker does as it starts), so
    that the first big simulation does not wait for its imports."""
    forkserver.ensure_running()


def _simulate_elsewhere(plan: _Plan, cart_ids: list[str]) -> _BatchResult:
    """One batch in a process of the pool, with its own connection."""
    with session_scope(plan.settings.resolved_database_url) as session:
        batch = load_batch(session, cart_ids, plan.automation_id)
        return _simulate(plan, batch, _batch_process_runner(session, plan))


def _simulate(plan: _Plan, batch: Batch, runner: DryRunner) -> _BatchResult:
    """The batch through what is tried (and what it is compared with); its timelines written
    in the runner's session."""
    tried = Automation.model_validate(plan.tried)
    other = Automation.model_validate(plan.other) if plan.other is not None else None
    world = _World(plan.settings, plan.cap, plan.consent_required, plan.money)
    runner.batch = batch
    tally, other_tally = Tally(tried), Tally(other) if other else None
    compared = (
        {timeline.cart_id: timeline for _, timeline in world.replay(batch, other, runner)}
        if other is not None
        else {}
    )
    rows: list[dict[str, Any]] = []
    for case, timeline in world.replay(batch, tried, runner):
        tally.add(timeline, case.cart.total, case.cart.currency)
        timeline.late_sends = world.late_sends(case, timeline, tally)
        if other_tally is not None and (theirs := compared.get(timeline.cart_id)):
            other_tally.add(theirs, case.cart.total, case.cart.currency)
            theirs.late_sends = world.late_sends(case, theirs, other_tally)
            timeline.compared = ComparedCart(
                outcome=theirs.outcome if theirs.entered else "not_entered",
                emails=theirs.emails,
                codes=theirs.codes,
            )
        rows.append(_row(plan.simulation_id, timeline))
    # One INSERT of many rows, by whichever process simulated them; committed with the run's
    # progress or, in a batch process, at once.
    runner.session.connection().execute(insert(SIMULATED_CARTS), rows)
    return _BatchResult(len(rows), tally.totals, other_tally.totals if other_tally else None)


_batch_process_runners: dict[str, DryRunner] = {}


def _batch_process_runner(session: Session, plan: _Plan) -> DryRunner:
    """The dry run of one simulation, kept across its batches in a batch process (it keeps the
    compiled templates and signed links; a batch process runs one batch at a time); the
    session is the batch's."""
    runner = _batch_process_runners.get(plan.simulation_id)
    if runner is None:
        _batch_process_runners.clear()  # only the simulation at hand is kept
        runner = DryRunner(session, plan.settings, plan.cap)
        _batch_process_runners[plan.simulation_id] = runner
    runner.session = session
    return runner


def fail(session: Session, simulation_id: str, error: str) -> None:
    """The job gave up: say why (the marketer sees it instead of a run that never ends)."""
    simulation = session.get(models.Simulation, simulation_id)
    if simulation is not None and simulation.status == "running":
        simulation.status, simulation.error = "failed", error[:2000]
        simulation.finished_at = utcnow()
        session.add(simulation)
        session.commit()


@dataclass(frozen=True)
class _World:
    settings: Settings
    cap: FrequencyCap | None
    consent_required: bool
    money: ShopMoney

    def replay(
        self, batch: Batch, definition: Automation, runner: DryRunner
    ) -> Iterator[tuple[CartCase, CartTimeline]]:
        """Each cart of the batch through `definition`, one customer's carts side by side."""
        interpreter = Interpreter(definition, frozenset(quiet_action_names()))
        for group in batch.by_customer():
            yield from self._side_by_side(group, definition, interpreter, runner)

    def _side_by_side(
        self,
        group: list[CartCase],
        definition: Automation,
        interpreter: Interpreter,
        runner: DryRunner,
    ) -> Iterator[tuple[CartCase, CartTimeline]]:
        """One customer's journeys in time order: the one whose next moment is earliest goes
        on first, so each sees the sends and entries the others made before it."""
        ledger = Ledger()
        moments: list[tuple[datetime, int, Generator[datetime, None, Ended] | None]] = [
            (case.start, index, None) for index, case in enumerate(group)
        ]
        heapq.heapify(moments)
        timelines: dict[int, CartTimeline] = {}
        while moments:
            _, index, steps = heapq.heappop(moments)
            case = group[index]
            if steps is None:
                facts = case.facts()
                reason = self._entry_refused(case, facts, definition, ledger)
                if reason is not None:
                    timelines[index] = _not_entered(case, reason)
                    continue
                state = JourneyState(
                    subject_id=case.cart.id,
                    context=enrolment_context(case.cart, TRIGGER, facts, self.settings, self.money),
                )
                steps = journey(
                    interpreter,
                    state,
                    case.start,
                    case.happenings,
                    runner.for_journey(case, ledger),
                )
            try:
                heapq.heappush(moments, (next(steps), index, steps))
            except StopIteration as finished:
                timelines[index] = _timeline(case, finished.value)
            except Runaway as runaway:
                timelines[index] = _stuck(case, str(runaway))
        for index, case in enumerate(group):
            yield case, timelines[index]

    def _entry_refused(
        self, case: CartCase, facts: CustomerFacts, definition: Automation, ledger: Ledger
    ) -> str | None:
        """Why the cart would not enter (engine.service.enrolment.enrolments_for), if so."""
        if self.consent_required and not (facts.customer and facts.customer.accepts_marketing):
            return "no_consent"
        filters = definition.trigger.filters
        if filters is not None and not evaluate(
            filters, filter_facts(case.cart, TRIGGER, facts, self.settings, self.money)
        ):
            return "filtered"
        cooldown = definition.settings.reentry_cooldown
        if case.customer is not None:
            if cooldown and any(at > case.start - cooldown for at in ledger.entries):
                return "cooldown"
            ledger.entries.append(case.start)
        return None

    def late_sends(self, case: CartCase, timeline: CartTimeline, tally: Tally) -> int:
        """Sends that would land after the customer bought or unsubscribed (each one a
        broken promise: the answer lists them)."""
        late = 0
        for record in timeline.steps:
            sent = record.type == "action" and record.detail.get("status") == "sent"
            if not sent or tally.action_of(record.step_id) != "send_email":
                continue
            if (before := case.stopped_by(record.at)) is not None:
                late += 1
                after = "unsubscribed" if "unsubscribed" in before.known else "purchased"
                tally.late(LateSend(cart_id=case.cart.id, step_id=record.step_id, at=record.at,
                                    after=after, happened_at=before.at))  # fmt: skip
        return late


def _timeline(case: CartCase, ended: Ended) -> CartTimeline:
    state = ended.state
    finish = next((r for r in reversed(state.history) if r.type == "finish"), None)
    return CartTimeline(
        cart_id=case.cart.id,
        abandoned_at=case.start,
        entered=True,
        held_out=state.holdout,
        variants=dict(state.variants),
        outcome=state.outcome,
        ended_at=finish.at if finish else None,
        stopped_at=ended.stopped_at,
        events=_replayed(case),
        steps=list(state.history),
    )


def _replayed(case: CartCase) -> list[ReplayedEvent]:
    return [
        ReplayedEvent(at=h.at, event=h.heard)
        for h in sorted(case.happenings, key=lambda h: h.at)
        if h.heard and h.at >= case.start
    ]


def _not_entered(case: CartCase, reason: str) -> CartTimeline:
    return CartTimeline(
        cart_id=case.cart.id,
        abandoned_at=case.start,
        entered=False,
        not_entered=reason,
        events=_replayed(case),
    )


def _stuck(case: CartCase, error: str) -> CartTimeline:
    timeline = _not_entered(case, "")
    timeline.entered, timeline.not_entered, timeline.outcome = True, None, "stuck"
    timeline.failures = 1
    timeline.steps = []
    del error  # the outcome says it; the turn limit is in the docs
    return timeline


def _row(simulation_id: str, timeline: CartTimeline) -> dict[str, Any]:
    return {
        "simulation_id": simulation_id,
        "cart_id": timeline.cart_id,
        "abandoned_at": timeline.abandoned_at,
        "outcome": timeline.outcome or ("not_entered" if not timeline.entered else "running"),
        "flagged": bool(timeline.late_sends or timeline.failures),
        "timeline": timeline.model_dump(mode="json"),
    }


# -- reading ------------------------------------------------------------------------------


def find(session: Session, simulation_id: str) -> models.Simulation:
    simulation = session.get(models.Simulation, simulation_id)
    if simulation is None or simulation.expires_at <= utcnow():
        raise NotFound(f"no simulation {simulation_id!r} (results are kept for a day)")
    return simulation


def status(simulation: models.Simulation) -> SimulationStatus:
    def totals(raw: dict[str, Any] | None) -> SimulationTotals | None:
        return SimulationTotals.model_validate(raw) if raw is not None else None

    return SimulationStatus(
        id=simulation.id,
        automation_id=simulation.automation_id,
        status=simulation.status,
        tried=SimulatedDefinition.model_validate(simulation.tried),
        compared_with=SimulatedDefinition.model_validate(simulation.compared_with)
        if simulation.compared_with
        else None,
        carts=simulation.carts,
        done=simulation.done,
        totals=totals(simulation.totals),
        compared=totals(simulation.compared),
        difference=SimulationDifference.model_validate(simulation.difference)
        if simulation.difference
        else None,
        error=simulation.error,
        created_at=simulation.created_at,
        finished_at=simulation.finished_at,
        expires_at=simulation.expires_at,
    )


def timelines(
    session: Session,
    simulation_id: str,
    *,
    cursor: str | None = None,
    limit: int = 50,
    outcome: str | None = None,
    flagged: bool | None = None,
) -> CartTimelines:
    """The carts' timelines, newest abandonment first; `flagged`: only those with a late send
    or a failed step."""
    find(session, simulation_id)
    query = select(models.SimulatedCart).where(models.SimulatedCart.simulation_id == simulation_id)
    if outcome is not None:
        query = query.where(models.SimulatedCart.outcome == outcome)
    if flagged is not None:
        query = query.where(models.SimulatedCart.flagged == flagged)
    if cursor is not None:
        at, row_id = _decode(cursor)
        query = query.where(
            (col(models.SimulatedCart.abandoned_at) < at)
            | (
                (col(models.SimulatedCart.abandoned_at) == at)
                & (col(models.SimulatedCart.id) < row_id)
            )
        )
    rows = session.exec(
        query.order_by(
            col(models.SimulatedCart.abandoned_at).desc(), col(models.SimulatedCart.id).desc()
        ).limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return CartTimelines(
        items=[CartTimeline.model_validate(row.timeline) for row in rows],
        next_cursor=_encode(rows[-1]) if more and rows else None,
    )


def _encode(row: models.SimulatedCart) -> str:
    raw = f"{row.abandoned_at.isoformat()}|{row.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, row_id = raw.rsplit("|", 1)
        return datetime.fromisoformat(at), int(row_id)
    except ValueError:
        raise InvalidInput("invalid_cursor", "cursor: not one this list gave") from None


def purge_expired(session: Session) -> int:
    """Forget simulations past their day; how many."""
    expired = select(models.Simulation.id).where(col(models.Simulation.expires_at) <= utcnow())
    ids = list(session.exec(expired).all())
    if ids:
        session.exec(
            delete(models.SimulatedCart).where(col(models.SimulatedCart.simulation_id).in_(ids))
        )
        session.exec(delete(models.Simulation).where(col(models.Simulation.id).in_(ids)))
        session.commit()
    return len(ids)
