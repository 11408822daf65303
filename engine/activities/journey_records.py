"""The activity a journey runs when it ends: keep the steps no action carried to the
database (engine.service.journey_records). Not an action: the builder does not offer it."""

import asyncio

from temporalio import activity

from engine.language.contracts import KEEP_RECORDS, JourneyRecords
from engine.runtime.settings import Settings
from engine.service import journey_records
from engine.store.db import session_scope


class JourneyRecordsActivity:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @activity.defn(name=KEEP_RECORDS)
    async def keep_journey_records(self, batch: JourneyRecords) -> None:
        await asyncio.to_thread(self._keep, batch)  # database I/O off the event loop

    def _keep(self, batch: JourneyRecords) -> None:
        with session_scope(self._settings.resolved_database_url) as session:
            journey_records.keep(session, batch)
