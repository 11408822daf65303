"""What the database and Temporal hold once the run is over: the facts the invariants are
checked against (chaos.checks), read once."""

import asyncio
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import select
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from engine.language.contracts import JourneySnapshot, journey_id
from engine.service.payload_codec import decompressed
from engine.store.db import session_scope
from engine.store.models import (
    Cart,
    Customer,
    DiscountCode,
    Enrolment,
    Event,
    JourneyRecord,
    Message,
    Order,
    PlatformDelivery,
    Suppression,
)
from engine.workflows.journey import JourneyWorkflow

CONCURRENT_QUERIES = 16


@dataclass
class Journey:
    workflow_id: str
    automation_id: str
    subject_id: str
    status: str  # Temporal's: COMPLETED, RUNNING, ..., or MISSING
    wake_at: datetime | None = None  # a running journey's next wake-up
    # The steps as the journey recorded them: (step id, type, detail).
    steps: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class SendAttempt:
    """What Temporal's history says of a journey step's activity."""

    scheduled: float  # wall-clock seconds
    started: float | None  # the last attempt's start (the history keeps no earlier one)
    attempts: int
    result: dict[str, Any] | None


@dataclass
class World:
    events: dict[str, Event]
    deliveries: dict[tuple[str, str], PlatformDelivery]
    carts: dict[str, Cart]
    orders: dict[str, Order]
    suppressed: set[str]
    emails: dict[str, str]  # customer id → address
    enrolments: list[Enrolment]
    messages: list[Message]
    codes: list[DiscountCode]
    journeys: dict[str, Journey]
    looked_at: datetime = field(default_factory=lambda: datetime.now(UTC))  # Temporal read
    # The purchase events by cart and the unsubscribes by address (chaos.checks fills it).
    exits: tuple[dict[str, list[Event]], dict[str, list[Event]]] | None = None


def read_database(url: str) -> World:
    with session_scope(url) as session:
        world = World(
            events={row.id: row for row in session.exec(select(Event))},
            deliveries={
                (row.platform, row.delivery_id): row
                for row in session.exec(select(PlatformDelivery))
            },
            carts={row.id: row for row in session.exec(select(Cart))},
            orders={row.id: row for row in session.exec(select(Order))},
            suppressed={row.email for row in session.exec(select(Suppression))},
            emails={row.id: row.email for row in session.exec(select(Customer))},
            enrolments=list(session.exec(select(Enrolment))),
            messages=list(session.exec(select(Message))),
            codes=list(session.exec(select(DiscountCode))),
            journeys={},
        )
        records: dict[str, list[JourneyRecord]] = defaultdict(list)
        for record in session.exec(select(JourneyRecord).order_by(JourneyRecord.seq)):  # type: ignore[arg-type]
            records[record.workflow_id].append(record)
        session.expunge_all()
    for enrolment in world.enrolments:
        workflow_id = journey_id(enrolment.automation_id, enrolment.subject_id)
        world.journeys[workflow_id] = Journey(
            workflow_id, enrolment.automation_id, enrolment.subject_id, "MISSING",
            steps=[(r.step_id, r.type, r.detail) for r in records[workflow_id]],
        )  # fmt: skip
    return world


async def read_temporal(client: Client, world: World) -> None:
    """Each journey's status; a running one's next wake-up and steps so far (its query:
    the database keeps a step once a later one is carried out)."""
    slots = asyncio.Semaphore(CONCURRENT_QUERIES)
    world.looked_at = datetime.now(UTC)  # a wake-up after this moment was still to come

    async def look(journey: Journey) -> None:
        async with slots:
            handle = client.get_workflow_handle(journey.workflow_id)
            try:
                description = await handle.describe()
            except RPCError as error:
                if error.status == RPCStatusCode.NOT_FOUND:
                    return
                raise
            status = description.status
            journey.status = status.name if status is not None else "UNKNOWN"
            if status == WorkflowExecutionStatus.RUNNING:
                snapshot: JourneySnapshot | None = await handle.query(JourneyWorkflow.snapshot)
                if snapshot is not None:
                    journey.wake_at = snapshot.state.wake_at
                    journey.steps = [
                        (record.step_id, record.type, record.detail)
                        for record in snapshot.state.history
                    ]

    await asyncio.gather(*(look(journey) for journey in world.journeys.values()))


async def step_activity(client: Client, workflow_id: str, step_id: str) -> SendAttempt | None:
    """The last activity the journey scheduled for this step, from its history."""
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    found: SendAttempt | None = None
    scheduled_id = 0
    for event in history.events:
        at = (
            event.event_time.ToDatetime(tzinfo=UTC).timestamp()
            if event.HasField("event_time")
            else 0.0
        )
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            attributes = event.activity_task_scheduled_event_attributes
            request = _payload(attributes.input.payloads[0]) if attributes.input.payloads else {}
            if request.get("step_id") == step_id:
                found, scheduled_id = SendAttempt(at, None, 0, None), event.event_id
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED and found:
            started = event.activity_task_started_event_attributes
            if started.scheduled_event_id == scheduled_id:
                found.started, found.attempts = at, started.attempt
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED and found:
            completed = event.activity_task_completed_event_attributes
            if completed.scheduled_event_id == scheduled_id and completed.result.payloads:
                found.result = _payload(completed.result.payloads[0])
    return found


def _payload(payload: Any) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(decompressed(payload).data)
    return decoded
