"""The activities of RetentionWorkflow (engine/service/retention.py says what is purged).
Not actions: the builder does not offer them, the schedule runs them."""

import asyncio
from datetime import datetime
from typing import Any

from temporalio import activity

from engine.runtime.settings import Settings
from engine.service import retention
from engine.store.db import session_scope
from engine.workflows.retention import (
    BEGIN,
    END,
    PURGE,
    RetentionBatch,
    RetentionBatchDone,
    RetentionBegun,
    RetentionEnd,
)


class RetentionActivities:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def all(self) -> list[Any]:
        return [self.begin, self.purge, self.end]

    @activity.defn(name=BEGIN)
    async def begin(self, now: datetime) -> RetentionBegun:
        return await asyncio.to_thread(self._begin, now)

    @activity.defn(name=PURGE)
    async def purge(self, batch: RetentionBatch) -> RetentionBatchDone:
        return await asyncio.to_thread(self._purge, batch)

    @activity.defn(name=END)
    async def end(self, end: RetentionEnd) -> None:
        await asyncio.to_thread(self._end, end)

    def _begin(self, now: datetime) -> RetentionBegun:
        with session_scope(self.settings.resolved_database_url) as session:
            run = retention.begin_run(session, self.settings, now)
            assert run.id is not None
            return RetentionBegun(run_id=run.id)

    def _purge(self, batch: RetentionBatch) -> RetentionBatchDone:
        with session_scope(self.settings.resolved_database_url) as session:
            return RetentionBatchDone(
                more=retention.purge_for_run(session, batch.run_id, batch.limit)
            )

    def _end(self, end: RetentionEnd) -> None:
        with session_scope(self.settings.resolved_database_url) as session:
            retention.end_run(session, end.run_id, end.error)
