"""Crash recovery with the real dev server: SIGKILL during email sends and during waits.

Acceptance: after the crashes and restarts every journey finishes, and the outbox holds
exactly one message per (journey, step). Every cart enrols in two automations, FAST and
SLOW, that differ only in their first wait. Two crashes:

1. FAST's first emails are being sent and SLOW waits. Temporal is SIGKILLed while the
   sends are held at their database insert; the worker then stores the emails but
   cannot report them, and is SIGKILLed too. The retries must find the stored emails
   (else duplicates).
2. SLOW's first emails are being sent: the whole tree is SIGKILLed before they are
   stored. The retries must store them (else they are lost).

The test sees each moment before it kills (Temporal's view of the journeys, the database)
and the journeys' histories prove afterwards that the crashes cut through those moments.
"""

import asyncio
import json
import os
import signal
import sqlite3
import time
from collections import Counter
from contextlib import closing
from datetime import UTC
from functools import partial
from typing import Any

from temporalio.api.enums.v1 import EventType, PendingActivityState
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client

from engine.service.payload_codec import decompressed
from engine.store.models import Message
from tests.e2e.stack import DevStack, gone, wait_for
from tests.support import CART_ABANDONED, automation, cart_event, eventually

CARTS = [f"crash_{n:02d}" for n in range(24)]
EMAILS = ("email-1", "email-2")
# The test takes a database lock once the events are in, before FAST's first wait ends. The
# first journeys' timers start while the batch's 48 journeys are still being started (about
# a second idle, several seconds on a loaded host): the wait leaves room for a host many
# times slower than idle.
FAST_WAIT_SECONDS = 20
# SLOW still waits through crash 1 and the restart, and the test locks the database again
# before it ends: about 15 s after FAST's wait idle, a minute on a host four times slower.
SLOW_WAIT_SECONDS = 90
# How long the sends may take to get stuck at the lock, once it is taken: what is left of
# the journeys' wait, and a minute.
STUCK_TIMEOUT = SLOW_WAIT_SECONDS + 60
RECOVERY_TIMEOUT = 150.0  # the killed sends come back after their 30 s start-to-close timeout

Stored = tuple[str, str, str]  # automation, cart, step


class DatabaseLock:
    """A write transaction on the stack's SQLite file: every other writer waits for it
    (the stack's busy timeout is 30 s), readers go on (WAL)."""

    def __init__(self, stack: DevStack) -> None:
        self._db: sqlite3.Connection | None = sqlite3.connect(
            stack.database, timeout=30, isolation_level=None
        )
        self._db.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self._db is not None:
            self._db.rollback()
            self._db.close()
            self._db = None


def _two_reminders(name: str, first_wait: str) -> dict[str, Any]:
    body = automation(wait=first_wait, name=name)
    email_1 = body["definition"]["steps"][-1]
    body["definition"]["steps"] += [
        {"id": "wait-2", "type": "wait", "duration": "2s"},
        {**email_1, "id": "email-2", "params": {**email_1["params"], "subject": "Still there?"}},
    ]
    return body


def _email(cart_id: str) -> str:
    return f"{cart_id}@example.com"


def _stored(stack: DevStack, automation_id: str | None = None) -> list[Stored]:
    """(automation, cart, step) of every stored email, read from the database file itself."""
    query = f"SELECT automation_id, cart_id, step_id FROM {Message.__tablename__}"
    with closing(sqlite3.connect(stack.database)) as db:
        rows: list[Stored] = db.execute(query).fetchall()
    return sorted(row for row in rows if automation_id in (None, row[0]))


async def _started_activities(client: Client, journey_ids: list[str]) -> dict[str, list[str]]:
    """Each journey's activities a worker has picked up and not finished (per Temporal)."""

    async def started(journey_id: str) -> list[str]:
        description = await client.get_workflow_handle(journey_id).describe()
        return sorted(
            pending.activity_type.name
            for pending in description.raw_description.pending_activities
            if pending.state == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
        )

    found = await asyncio.gather(*(started(journey_id) for journey_id in journey_ids))
    return dict(zip(journey_ids, found, strict=True))


async def _all_stuck_in_activities(client: Client, journey_ids: list[str]) -> dict[str, str]:
    """Wait until each journey has one started activity, and that stays so: which one.

    The worker runs blocking actions on a small thread pool; sends stuck on the lock fill
    it, so journeys whose purchase check had not run by then stay in that check. A check
    that runs takes milliseconds: three equal looks in a row mean nothing moves any more.
    """
    seen: list[dict[str, list[str]]] = []

    async def look() -> dict[str, list[str]]:
        seen.append(await _started_activities(client, journey_ids))
        return seen[-1]

    def steady(found: dict[str, list[str]]) -> bool:
        one_each = all(len(names) == 1 for names in found.values())
        return one_each and len(seen) >= 3 and seen[-3] == seen[-2] == found

    found = await eventually(look, steady, timeout=STUCK_TIMEOUT)
    in_flight = {journey_id: name for journey_id, [name] in found.items()}
    assert "send_email" in in_flight.values(), in_flight
    return in_flight


async def _waiting(client: Client, automation_id: str, step: str) -> int:
    query = f"AutomationId = '{automation_id}' AND JourneyStep = '{step}'"
    return (await client.count_workflows(f"{query} AND ExecutionStatus = 'Running'")).count


async def _histories(stack: DevStack, journey_ids: list[str]) -> dict[str, list[HistoryEvent]]:
    client = await Client.connect(stack.temporal_address)
    handles = [client.get_workflow_handle(journey_id) for journey_id in journey_ids]
    histories = await asyncio.gather(*(handle.fetch_history() for handle in handles))
    return {history.workflow_id: list(history.events) for history in histories}


def _at(event: HistoryEvent) -> float:
    return event.event_time.ToDatetime(tzinfo=UTC).timestamp()


def _first_run_of(events: list[HistoryEvent], activity: str) -> tuple[float, int, dict[str, Any]]:
    """The journey's first `activity`: when it was scheduled, its attempts, its result."""
    scheduled = next(
        event
        for event in events
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
        and event.activity_task_scheduled_event_attributes.activity_type.name == activity
    )
    started = next(
        event.activity_task_started_event_attributes
        for event in events
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
        and event.activity_task_started_event_attributes.scheduled_event_id == scheduled.event_id
    )
    completed = next(
        event.activity_task_completed_event_attributes
        for event in events
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
        and event.activity_task_completed_event_attributes.scheduled_event_id == scheduled.event_id
    )
    result: dict[str, Any] = json.loads(decompressed(completed.result.payloads[0]).data)
    return _at(scheduled), started.attempt, result


def _timers_spanning(events: list[HistoryEvent], moment: float) -> int:
    """How many of the journey's timers started before `moment` and fired after it."""
    started = {
        event.event_id: _at(event)
        for event in events
        if event.event_type == EventType.EVENT_TYPE_TIMER_STARTED
    }
    return sum(
        1
        for event in events
        if event.event_type == EventType.EVENT_TYPE_TIMER_FIRED
        and started[event.timer_fired_event_attributes.started_event_id] < moment < _at(event)
    )


async def test_journeys_survive_sigkill_mid_send_and_mid_wait_and_email_once_per_step(
    stack: DevStack,
) -> None:
    stack.start()
    fast = stack.post("/api/v1/automations", _two_reminders("Fast", f"{FAST_WAIT_SECONDS}s"))["id"]
    slow = stack.post("/api/v1/automations", _two_reminders("Slow", f"{SLOW_WAIT_SECONDS}s"))["id"]
    fast_ids = [f"journey:{fast}:{cart_id}" for cart_id in CARTS]
    slow_ids = [f"journey:{slow}:{cart_id}" for cart_id in CARTS]
    events = [cart_event(CART_ABANDONED, cart_id, _email(cart_id)) for cart_id in CARTS]
    stack.post("/api/v1/events", {"events": events})

    # Crash 1. The lock holds every send_email at its insert, so the sends are in flight
    # and cannot finish; SLOW's journeys all wait.
    lock = DatabaseLock(stack)
    try:
        assert _stored(stack) == [], "the lock came after FAST's first wait ended"
        client = await Client.connect(stack.temporal_address)
        fast_in_flight = await _all_stuck_in_activities(client, fast_ids)
        assert await _waiting(client, slow, "wait-1") == len(CARTS)
        # Temporal dies first; the supervisor is frozen so that it lets the worker run on.
        temporal = stack.children()["temporal"]
        stack.freeze_supervisor()
        os.kill(temporal, signal.SIGKILL)
        wait_for(lambda: gone(temporal), bool)
        first_crash = time.time()
    finally:
        lock.release()
    # The worker stores the emails it was sending, reports them to no one, and dies.
    sending = sorted(
        (fast, cart_id, "email-1")
        for cart_id, journey_id in zip(CARTS, fast_ids, strict=True)
        if fast_in_flight[journey_id] == "send_email"
    )
    wait_for(lambda: _stored(stack), lambda stored: stored == sending)
    stack.signal_tree(signal.SIGKILL)
    stack.wait_until_gone()
    assert _stored(stack) == sending

    stack.start()

    # Crash 2. SLOW's first sends are held at their insert; the whole tree dies before
    # they are stored.
    lock = DatabaseLock(stack)
    try:
        assert _stored(stack, slow) == [], "the lock came after SLOW's first wait ended"
        client = await Client.connect(stack.temporal_address)
        slow_in_flight = await _all_stuck_in_activities(client, slow_ids)
        stack.signal_tree(signal.SIGKILL)  # the dev process, Temporal, the worker, the API
        second_crash = time.time()
        stack.wait_until_gone()
        assert _stored(stack, slow) == []
    finally:
        lock.release()

    stack.start()

    # Every journey finishes; the outbox holds exactly one message per (journey, step).
    for cart_id in CARTS:
        journeys = wait_for(
            partial(stack.journeys, cart_id),
            lambda found: len(found) == 2 and all(j["status"] == "completed" for j in found),
            timeout=RECOVERY_TIMEOUT,
        )
        assert [journey["outcome"] for journey in journeys] == ["completed", "completed"]
    outbox = stack.outbox()
    sent = Counter((m["automation_id"], m["cart_id"], m["step_id"]) for m in outbox)
    due = {(a, cart_id, step) for a in (fast, slow) for cart_id in CARTS for step in EMAILS}
    duplicated = {message: count for message, count in sent.items() if count > 1}
    assert (duplicated, due - sent.keys(), sent.keys() - due) == ({}, set(), set())
    assert all(message["to"] == _email(message["cart_id"]) for message in outbox)

    # The crashes cut through what the test saw. The activity each journey had in flight
    # (its first send, or the purchase check before it) was scheduled before the crash and
    # took another attempt after it: a FAST send found the email it had stored, a SLOW send
    # stored its email only then. Each SLOW journey's first wait spanned crash 1.
    for journey_id, history in (await _histories(stack, list(fast_in_flight))).items():
        activity = fast_in_flight[journey_id]
        scheduled_at, attempts, result = _first_run_of(history, activity)
        assert scheduled_at < first_crash and attempts >= 2, (journey_id, attempts)
        if activity == "send_email":
            assert result.get("repeated") is True, (journey_id, result)
    for journey_id, history in (await _histories(stack, list(slow_in_flight))).items():
        activity = slow_in_flight[journey_id]
        scheduled_at, attempts, result = _first_run_of(history, activity)
        assert scheduled_at < second_crash and attempts >= 2, (journey_id, attempts)
        if activity == "send_email":
            assert "repeated" not in result, (journey_id, result)
        assert _timers_spanning(history, first_crash) == 1, journey_id
