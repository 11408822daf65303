"""The check every journey runs before each action: did the customer buy (or unsubscribe)
meanwhile?

Signals can be lost or late; the database is the record. Not an action: the builder does
not offer it, every journey runs it: in the action's own activity (`ActionRequest.stop_if`,
engine.activities.runner), or as an activity of its own before a held-out step and in
journeys started before the two were one.
"""

import asyncio

from sqlmodel import Session, col, select
from temporalio import activity

from engine.language.contracts import PurchaseCheck, PurchaseCheckResult
from engine.runtime.settings import Settings
from engine.store.db import session_scope
from engine.store.models import Cart, Customer, Event, Suppression

PURCHASE_EVENTS = ("order_placed", "order_paid")


class PurchaseCheckActivity:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @activity.defn(name="check_purchase")
    async def check_purchase(self, check: PurchaseCheck) -> PurchaseCheckResult:
        return await asyncio.to_thread(self._check, check)  # database I/O off the event loop

    def _check(self, check: PurchaseCheck) -> PurchaseCheckResult:
        with session_scope(self._settings.resolved_database_url) as session:
            return PurchaseCheckResult(events=exit_events(session, check))


def exit_events(session: Session, check: PurchaseCheck) -> list[str]:
    """The exit events the database knows of, in CHECKED_EVENTS' order (purchases first)."""
    found: list[str] = []
    if check.cart_id is not None:
        found += _cart_outcomes(session, check.cart_id)
    if check.customer_id is not None and is_suppressed(session, check.customer_id):
        found.append("unsubscribed")
    return found


def _cart_outcomes(session: Session, cart_id: str) -> list[str]:
    found = []
    ordered = session.exec(
        select(Event.type).where(Event.cart_id == cart_id, col(Event.type).in_(PURCHASE_EVENTS))
    ).first()
    if ordered is not None:
        found.append("order_placed")  # first: an order also recovers its abandoned cart
    cart = session.get(Cart, cart_id)
    if cart is not None and cart.status == "recovered":
        found.append("cart_recovered")
    return found


def is_suppressed(session: Session, customer_id: str) -> bool:
    """Whether the customer's address is on the suppression list (they unsubscribed)."""
    customer = session.get(Customer, customer_id)
    return customer is not None and session.get(Suppression, customer.email) is not None
