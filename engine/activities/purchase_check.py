"""The check every journey runs before each action: did the customer buy meanwhile?

Signals can be lost or late; the database is the record. Not an action: the
builder does not offer it, every journey runs it.
"""

import asyncio

from sqlmodel import col, select
from temporalio import activity

from engine.contracts import PurchaseCheck, PurchaseCheckResult
from engine.settings import Settings
from engine.store.db import session_scope
from engine.store.models import Cart, Event

PURCHASE_EVENTS = ("order_placed", "order_paid")


class PurchaseCheckActivity:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @activity.defn(name="check_purchase")
    async def check_purchase(self, check: PurchaseCheck) -> PurchaseCheckResult:
        return await asyncio.to_thread(self._check, check)  # database I/O off the event loop

    def _check(self, check: PurchaseCheck) -> PurchaseCheckResult:
        found: list[str] = []
        if check.cart_id is None:
            return PurchaseCheckResult(events=found)
        with session_scope(self._settings.resolved_database_url) as session:
            cart = session.get(Cart, check.cart_id)
            if cart is not None and cart.status == "recovered":
                found.append("cart_recovered")
            ordered = session.exec(
                select(Event.type).where(
                    Event.cart_id == check.cart_id, col(Event.type).in_(PURCHASE_EVENTS)
                )
            ).first()
            if ordered is not None:
                found.append("order_placed")
        return PurchaseCheckResult(events=found)
