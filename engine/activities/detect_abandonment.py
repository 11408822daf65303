"""The activity of AbandonmentWorkflow: mark a batch of idle carts abandoned, then start
their journeys (engine.service.idle_carts says what idle means and records the journeys
with the mark; engine.service.effects starts them). Not an action: the builder does not
offer it, the schedule runs it."""

import asyncio
import time
from datetime import timedelta

from temporalio import activity

from engine.runtime.settings import Settings
from engine.service import effects
from engine.service.idle_carts import IdleCarts, abandon_idle_carts, pending_enrolments
from engine.store.db import session_scope
from engine.workflows.abandonment import ACTIVITY, AbandonmentBatch, AbandonmentCounts

# Enrolment stops after this long and leaves the rest to the next batch, well inside
# the activity's start-to-close timeout.
ENROL_BUDGET = timedelta(seconds=20)


class AbandonmentActivities:
    """It holds the database settings; the Temporal client is the worker's own."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

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

    def _pending(self, limit: int) -> list[effects.Pending]:
        with session_scope(self.settings.resolved_database_url) as session:
            return pending_enrolments(session, limit)

    def _applied(self, event_ids: list[str]) -> None:
        with session_scope(self.settings.resolved_database_url) as session:
            effects.mark_applied(session, event_ids)

    async def _enrol_pending(self, limit: int) -> tuple[int, bool]:
        """Start the recorded journeys, a chunk at a time, each chunk marked applied once it
        started; (journeys started, some left over)."""
        client = activity.client()
        deadline = time.monotonic() + ENROL_BUDGET.total_seconds()
        pending = await asyncio.to_thread(self._pending, limit)
        enrolled = 0
        for start in range(0, len(pending), effects.ENROL_CONCURRENCY):
            if time.monotonic() > deadline:
                return enrolled, True
            chunk = pending[start : start + effects.ENROL_CONCURRENCY]
            started = [effect for item in chunk for effect in item.effects]
            await effects.carry_out(client, self.settings.task_queue, started)
            await asyncio.to_thread(self._applied, [item.event_id for item in chunk])
            enrolled += len(started)
        return enrolled, len(pending) >= limit
