"""Journey effects: what an event (or a detected abandonment) asks of Temporal, kept with the
event in the database (its outbox) until Temporal took every one.

An event's effects are committed with the event, then carried out, then the event is marked
applied. A caller that failed halfway carries out the same stored effects again; enrolment
and signals are idempotent, so nothing happens twice.
"""

import asyncio
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter
from sqlalchemy import bindparam
from sqlmodel import Session, col, select, update
from temporalio.client import Client
from temporalio.service import RPCError

from engine.language.contracts import JourneyInput, JourneySignal
from engine.service import journeys
from engine.service.errors import Unavailable
from engine.store import models
from engine.store.types import utcnow


class Enrol(BaseModel):
    kind: Literal["enrol"] = "enrol"
    journey: JourneyInput


class SignalJourneys(BaseModel):
    kind: Literal["signal"] = "signal"
    workflow_ids: list[str]
    signal: JourneySignal


class SignalCustomer(BaseModel):
    """Signal every running journey of a customer (found at apply time)."""

    kind: Literal["signal_customer"] = "signal_customer"
    customer_id: str
    signal: JourneySignal


Effect = Annotated[Enrol | SignalJourneys | SignalCustomer, Field(discriminator="kind")]
EFFECTS = TypeAdapter(list[Effect])

# Journeys this process starts at once, across all requests and the abandonment schedule:
# enough to keep the Temporal server busy, few enough not to flood the embedded one. Callers
# share the bound, so one request's database work overlaps another's starts without adding
# to the load.
ENROL_CONCURRENCY = 20
_start_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


async def carry_out(client: Client, task_queue: str, effects: Sequence[Effect]) -> None:
    """In order. Consecutive enrolments run a few at a time (each starts or finds its own
    journey); a signal waits for everything before it, so it never overtakes the start of
    the journey it is meant for. Unavailable when Temporal did not take them all."""
    try:
        starts: list[Enrol] = []
        for effect in effects:
            if isinstance(effect, Enrol):
                starts.append(effect)
                continue
            await _enrol_all(client, task_queue, starts)
            starts = []
            match effect:
                case SignalJourneys():
                    await journeys.signal(client, effect.workflow_ids, effect.signal)
                case SignalCustomer():
                    ids = await journeys.running_ids_of_customer(client, effect.customer_id)
                    await journeys.signal(client, ids, effect.signal)
        await _enrol_all(client, task_queue, starts)
    except RPCError as error:  # the events stay unapplied; a retry carries the effects out
        raise Unavailable(f"Temporal did not take the event's effects: {error}") from error


def _start_slot() -> asyncio.Semaphore:
    """The process's bound on journeys being started (one per event loop: tests run many)."""
    loop = asyncio.get_running_loop()
    slots = _start_slots.get(loop)
    if slots is None:
        slots = _start_slots[loop] = asyncio.Semaphore(ENROL_CONCURRENCY)
    return slots


async def _enrol_all(client: Client, task_queue: str, starts: list[Enrol]) -> None:
    """Start the journeys, at most ENROL_CONCURRENCY at a time in this process (a new one as
    soon as one is taken)."""
    limit = _start_slot()

    async def enrol(start: Enrol) -> None:
        async with limit:
            await journeys.enroll(client, task_queue, start.journey)

    if len(starts) == 1:
        await enrol(starts[0])
        return

    try:
        async with asyncio.TaskGroup() as group:
            for start in starts:
                group.create_task(enrol(start))
    except ExceptionGroup as error:
        raise error.exceptions[0] from error


def stored(event: models.Event) -> list[Effect]:
    """The effects recorded with an event."""
    return EFFECTS.validate_python(event.effects)


def to_store(effects: list[Effect]) -> list[dict[str, Any]]:
    """Effects as the event's `effects` column keeps them."""
    dumped: list[dict[str, Any]] = EFFECTS.dump_python(effects, mode="json")
    return dumped


@dataclass(frozen=True)
class Pending:
    event_id: str
    effects: list[Effect]


def pending(session: Session, id_prefix: str, limit: int) -> list[Pending]:
    """Recorded events (ids `{id_prefix}_…`) whose effects were not all carried out, oldest
    first."""
    rows = session.exec(
        select(models.Event)
        .where(
            col(models.Event.id).startswith(f"{id_prefix}_", autoescape=True),
            col(models.Event.applied_at).is_(None),
        )
        .order_by(col(models.Event.received_at), col(models.Event.id))
        .limit(limit)
    ).all()
    return [Pending(row.id, stored(row)) for row in rows]


# Built once (with placeholders) rather than on every call: building a statement costs more
# than executing this one.
_MARK_APPLIED = (
    update(models.Event)
    .where(
        col(models.Event.id).in_(bindparam("event_ids", expanding=True)),
        col(models.Event.applied_at).is_(None),
    )
    .values(applied_at=bindparam("now"))
)


def mark_applied(session: Session, event_ids: Sequence[str]) -> None:
    """Temporal took these events' effects. The caller commits.

    A Core statement on the session's connection, without the ORM's bulk-update path around
    it (measured with the statement built once: 0.17 → 0.03 ms, once per ingest call)."""
    session.connection().execute(_MARK_APPLIED, {"event_ids": list(event_ids), "now": utcnow()})
