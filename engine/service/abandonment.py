"""Abandonment detection: active carts idle past the inactivity threshold become abandoned.

`AbandonmentWorkflow` runs the `abandon_idle_carts` activity below, started by the
Temporal Schedule that `ensure_schedule` keeps (every `abandonment_interval`). Cart
activity itself (`cart_updated`, `checkout_started`) only updates `Cart.updated_at`.

Only `active` carts are candidates: a cart once abandoned (here or by a `cart_abandoned`
event) or recovered is never abandoned again, whatever activity follows. A cart is taken
by a conditional UPDATE (still active, still idle), so two runs never both take it. Its
journeys are written with the mark, as the effects of a `cart_abandoned` event in the
events table (the outbox ingest uses), and committed before Temporal hears of them; the
event is marked applied once they started. A retried activity therefore finishes what a
failed attempt began, and enrolment is idempotent (deterministic ids, use-existing).
"""

import asyncio
import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pydantic import TypeAdapter
from sqlmodel import Session, col, select, update
from temporalio import activity
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.service import RPCError, RPCStatusCode

from engine.runtime.settings import Settings
from engine.service import journeys
from engine.service.ingest import Effect, Enrol, enrolments_for
from engine.service.shop_settings import effective_settings
from engine.store import models
from engine.store.db import session_scope
from engine.store.types import utcnow
from engine.workflows.abandonment import (
    ACTIVITY,
    SCHEDULE_ID,
    AbandonmentBatch,
    AbandonmentCounts,
    AbandonmentRequest,
    AbandonmentWorkflow,
)

TRIGGER = "cart_abandoned"
# Ids of the events recorded here (`idle_…`), so a retry finds the ones still to carry out.
EVENT_ID_PREFIX = "idle"
# Journeys started at once: the embedded Temporal server paces itself, it is not flooded.
ENROL_CONCURRENCY = 20
# Enrolment stops after this long and leaves the rest to the next batch, well inside
# the activity's start-to-close timeout.
ENROL_BUDGET = timedelta(seconds=20)


_effects = TypeAdapter(list[Effect])


@dataclass(frozen=True)
class IdleCarts:
    marked: int
    guests: int
    enrolments: list[Enrol]


def abandon_idle_carts(
    session: Session, settings: Settings, now: datetime, limit: int
) -> IdleCarts:
    """Mark up to `limit` idle active carts abandoned, oldest first, and record their journeys.

    A cart is idle when its last activity (`updated_at`) is older than the inactivity
    threshold; it became abandoned at `updated_at + threshold`. Carts without a known
    email are marked but not enrolled. The caller commits.
    """
    threshold = effective_settings(session, settings).inactivity_threshold  # shop's, else env's
    cutoff = now - threshold
    idle = session.exec(
        select(models.Cart.id, models.Cart.updated_at)
        .where(models.Cart.status == "active", col(models.Cart.updated_at) < cutoff)
        .order_by(col(models.Cart.updated_at), col(models.Cart.id))
        .limit(limit)
    ).all()
    taken = [
        cart_id
        for cart_id, updated_at in idle
        if _take(session, cart_id, abandoned_at=updated_at + threshold, cutoff=cutoff)
    ]
    carts = session.exec(
        select(models.Cart)
        .where(col(models.Cart.id).in_(taken))
        .order_by(col(models.Cart.updated_at), col(models.Cart.id))
        .execution_options(populate_existing=True)
    ).all()
    enrolments: list[Enrol] = []
    guests = 0
    for cart in carts:
        if cart.customer_id is None:
            guests += 1
            effects: list[Enrol] = []
        else:
            effects = enrolments_for(session, settings, cart, TRIGGER, now=now)
        enrolments.extend(effects)
        _record(session, cart, effects)
    session.flush()
    return IdleCarts(marked=len(carts), guests=guests, enrolments=enrolments)


def _take(session: Session, cart_id: str, *, abandoned_at: datetime, cutoff: datetime) -> bool:
    """Mark the cart if it is still active and still idle; False when another run (or new
    activity, or a `cart_abandoned` event) came first."""
    result = session.exec(
        update(models.Cart)
        .where(
            col(models.Cart.id) == cart_id,
            col(models.Cart.status) == "active",
            col(models.Cart.updated_at) < cutoff,
        )
        .values(status="abandoned", abandoned_at=abandoned_at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _record(session: Session, cart: models.Cart, effects: list[Enrol]) -> None:
    assert cart.abandoned_at is not None
    session.add(
        models.Event(
            id=models.new_id(EVENT_ID_PREFIX),
            type=TRIGGER,
            occurred_at=cart.abandoned_at,
            cart_id=cart.id,
            data={"cart_id": cart.id, "detected": "inactivity"},
            effects=[effect.model_dump(mode="json") for effect in effects],
            applied_at=None if effects else utcnow(),
        )
    )


@dataclass(frozen=True)
class Pending:
    event_id: str
    enrolments: list[Enrol]


def pending_enrolments(session: Session, limit: int) -> list[Pending]:
    """Recorded abandonments whose journeys have not all been started yet, oldest first."""
    rows = session.exec(
        select(models.Event)
        .where(
            col(models.Event.id).startswith(f"{EVENT_ID_PREFIX}_", autoescape=True),
            col(models.Event.applied_at).is_(None),
        )
        .order_by(col(models.Event.received_at), col(models.Event.id))
        .limit(limit)
    ).all()
    return [
        Pending(row.id, [e for e in _effects.validate_python(row.effects) if isinstance(e, Enrol)])
        for row in rows
    ]


def mark_applied(session: Session, event_ids: Sequence[str]) -> None:
    session.exec(
        update(models.Event)
        .where(col(models.Event.id).in_(event_ids), col(models.Event.applied_at).is_(None))
        .values(applied_at=utcnow())
        .execution_options(synchronize_session=False)
    )


class AbandonmentActivities:
    """The activity of AbandonmentWorkflow; it holds the database settings and the client."""

    def __init__(self, settings: Settings, client: Client) -> None:
        self.settings = settings
        self.client = client

    @activity.defn(name=ACTIVITY)
    async def abandon_idle_carts(self, batch: AbandonmentBatch) -> AbandonmentCounts:
        """Mark a batch of idle carts abandoned (committed), then start their journeys."""
        idle = await asyncio.to_thread(self._mark, batch)
        enrolled, left_over = await self._enrol_pending(batch.limit)
        return AbandonmentCounts(
            marked=idle.marked,
            enrolled=enrolled,
            guests=idle.guests,
            more=idle.marked >= batch.limit or left_over,
        )

    def _mark(self, batch: AbandonmentBatch) -> IdleCarts:
        with session_scope(self.settings.resolved_database_url) as session:
            return abandon_idle_carts(session, self.settings, batch.now, batch.limit)

    def _pending(self, limit: int) -> list[Pending]:
        with session_scope(self.settings.resolved_database_url) as session:
            return pending_enrolments(session, limit)

    def _applied(self, event_ids: list[str]) -> None:
        with session_scope(self.settings.resolved_database_url) as session:
            mark_applied(session, event_ids)

    async def _enrol_pending(self, limit: int) -> tuple[int, bool]:
        """Start the recorded journeys, a few at a time; (journeys started, some left over)."""
        deadline = time.monotonic() + ENROL_BUDGET.total_seconds()
        pending = await asyncio.to_thread(self._pending, limit)
        enrolled = 0
        for start in range(0, len(pending), ENROL_CONCURRENCY):
            if time.monotonic() > deadline:
                return enrolled, True
            chunk = pending[start : start + ENROL_CONCURRENCY]
            try:
                async with asyncio.TaskGroup() as group:
                    for item in chunk:
                        group.create_task(self._enrol(item))
            except ExceptionGroup as error:  # Temporal refused: the activity is retried
                raise error.exceptions[0] from error
            await asyncio.to_thread(self._applied, [item.event_id for item in chunk])
            enrolled += sum(len(item.enrolments) for item in chunk)
        return enrolled, len(pending) >= limit

    async def _enrol(self, item: Pending) -> None:
        for enrolment in item.enrolments:
            await journeys.enroll(self.client, self.settings.task_queue, enrolment.journey)


def abandonment_schedule(settings: Settings) -> Schedule:
    """Run AbandonmentWorkflow every `abandonment_interval`, never two at once."""
    return Schedule(
        action=ScheduleActionStartWorkflow(
            AbandonmentWorkflow.run,
            AbandonmentRequest(),
            id=SCHEDULE_ID,
            task_queue=settings.task_queue,
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=settings.abandonment_interval)]),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )


async def ensure_schedule(
    client: Client, settings: Settings, schedule_id: str = SCHEDULE_ID
) -> Literal["created", "updated", "unchanged"]:
    """Create the abandonment schedule, or bring an existing one to these settings.

    Safe when several workers start at once: the one that loses the creation race finds
    the schedule and leaves it alone when it already matches. A paused schedule stays paused.
    """
    wanted = abandonment_schedule(settings)
    try:
        await client.create_schedule(schedule_id, wanted)
        return "created"
    except ScheduleAlreadyRunningError:
        pass
    except RPCError as error:
        if error.status != RPCStatusCode.ALREADY_EXISTS:
            raise
    changed = False

    def bring_up_to_date(current: ScheduleUpdateInput) -> ScheduleUpdate | None:
        nonlocal changed
        schedule = current.description.schedule
        if _matches(schedule, wanted):
            return None
        changed = True
        return ScheduleUpdate(schedule=dataclasses.replace(wanted, state=schedule.state))

    await client.get_schedule_handle(schedule_id).update(bring_up_to_date)
    return "updated" if changed else "unchanged"


def _matches(current: Schedule, wanted: Schedule) -> bool:
    action, wanted_action = current.action, wanted.action
    assert isinstance(wanted_action, ScheduleActionStartWorkflow)
    return (
        isinstance(action, ScheduleActionStartWorkflow)
        and (action.workflow, action.task_queue)
        == (wanted_action.workflow, wanted_action.task_queue)
        and [i.every for i in current.spec.intervals] == [i.every for i in wanted.spec.intervals]
        and not current.spec.calendars
        and not current.spec.cron_expressions
        and current.policy.overlap == wanted.policy.overlap
    )
