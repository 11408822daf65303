"""The activities of BulkMessageWorkflow (engine.workflows.bulk_message): count the run's
carts, list a page of their ids, send to one cart, record progress. The use cases are
engine.service.cart_messages. Not actions: the builder does not offer them."""

import asyncio
from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session
from temporalio import activity

from engine.runtime.settings import Settings
from engine.service import cart_messages
from engine.store.db import session_scope
from engine.workflows.bulk_message import (
    BEGIN,
    PAGE,
    PROGRESS,
    SEND,
    BulkPage,
    BulkProgress,
    BulkSend,
)

T = TypeVar("T")


class BulkMessageActivities:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def _in_session(self, work: Callable[[Session], T]) -> T:
        def run() -> T:
            with session_scope(self.settings.resolved_database_url) as session:
                return work(session)

        return await asyncio.to_thread(run)  # database I/O off the event loop

    @activity.defn(name=BEGIN)
    async def begin_bulk_message(self, run_id: str) -> int:
        return await self._in_session(
            lambda session: cart_messages.begin(session, self.settings, run_id)
        )

    @activity.defn(name=PAGE)
    async def bulk_message_page(self, page: BulkPage) -> list[str]:
        return await self._in_session(
            lambda session: cart_messages.page(
                session, self.settings, page.run_id, page.after, page.limit
            )
        )

    @activity.defn(name=SEND)
    async def send_bulk_message(self, send: BulkSend) -> str:
        return await self._in_session(
            lambda session: cart_messages.send_in_bulk(
                session, self.settings, send.run_id, send.cart_id
            )
        )

    @activity.defn(name=PROGRESS)
    async def record_bulk_progress(self, progress: BulkProgress) -> None:
        await self._in_session(lambda session: cart_messages.record_progress(session, progress))

    def all(self) -> list[Callable[..., object]]:
        return [
            self.begin_bulk_message,
            self.bulk_message_page,
            self.send_bulk_message,
            self.record_bulk_progress,
        ]
