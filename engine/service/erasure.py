"""Erasing a customer (`POST /api/v1/customers/erase`, Shopify's `customers/redact`) and a
whole shop's personal data (Shopify's `shop/redact`); DESIGN: retention and erasure.

Temporal holds ids only (DESIGN: personal data stays out of Temporal), so erasure is a
database operation, plus cancelling the customer's running journeys first so none of them
sends again. What the results counted of the erased carts stays as non-personal daily counts
(engine/service/forgotten_carts.py); emails stay as anonymous rows (their automation, step
and moments), so the figures do not change. The address stays suppressed as a salted hash
(engine/service/erased_addresses.py).
"""

import asyncio
import logging
from dataclasses import dataclass, field

from sqlalchemy import delete
from sqlmodel import Session, SQLModel, select
from temporalio.client import Client
from temporalio.service import RPCError

from engine.service import erased_addresses, forgotten_carts, journeys, personal_records
from engine.service.errors import Conflict, NotFound
from engine.service.lookups import normalised_email
from engine.store import models
from engine.store.types import utcnow

log = logging.getLogger(__name__)
REASON = "the customer's data was erased"


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed, by kind of record (kinds with none left out), and how many
    running journeys it cancelled."""

    removed: dict[str, int] = field(default_factory=dict)
    journeys_cancelled: int = 0
    # Journeys Temporal could not be asked about: with their records gone, each stops at its
    # next action (the send finds no recipient).
    journeys_not_reached: int = 0
    customer_id: str | None = None  # the erased customer's id (what the audit log names)

    @property
    def found(self) -> bool:
        return bool(self.removed)


def journeys_of(session: Session, email: str) -> list[str]:
    """The workflow ids of every journey of the address's carts, orders or customer."""
    held = personal_records.find(session, email)
    return sorted(
        {f"journey:{e.automation_id}:{e.subject_id}" for e in held.enrolments}
        | {r.workflow_id for r in held.journey_records}
    )


async def cancel_journeys(client: Client, workflow_ids: list[str]) -> tuple[int, int]:
    """Cancel each journey that still runs: (cancelled, not reached)."""
    cancelled = not_reached = 0
    for workflow_id in workflow_ids:
        try:
            result = await journeys.control(client, workflow_id, "cancel", REASON)
        except (Conflict, NotFound):
            continue  # ended already, or Temporal forgot it
        except RPCError as error:
            log.warning("journey %s not cancelled before erasure: %s", workflow_id, error.message)
            not_reached += 1
            continue
        cancelled += result.changed
    return cancelled, not_reached


def erase_records(session: Session, email: str) -> dict[str, int]:
    """Remove everything personal about the address from every table, keep its hash on the
    suppression list; the caller commits. Idempotent: a second call finds nothing."""
    email = normalised_email(email)
    held = personal_records.find(session, email)
    now = utcnow()
    forgotten_carts.fold(session, held.carts)
    for message in held.messages:
        personal_records.forget_message(message)
    for message_event in held.message_events:
        message_event.detail = {}
    for event in held.events:
        personal_records.forget_event(event, now)
        event.cart_id = None
    for order in held.orders:
        order.customer_id = None
        order.tracking_number = order.tracking_company = order.tracking_url = None
    for code in held.discount_codes:
        code.customer_id = code.cart_id = None
    for delivery in held.platform_deliveries:
        delivery.detail = "erased: it named the customer"
    for run in held.bulk_messages:
        run.filter = {k: v for k, v in run.filter.items() if email not in str(v).lower()}
    # Journeys stay, without the customer's id, as retention keeps them: their rows hold ids
    # only (as in Temporal), and deleting them changed the results of the past (the carts
    # that entered an automation, each version's and experiment's denominators).
    for journey_row in [*held.enrolments, *held.journey_records]:
        journey_row.customer_id = None
        session.add(journey_row)
    for row in [
        *held.simulated_carts,
        *held.data_requests,
        *held.suppression,
    ]:
        session.delete(row)
    session.flush()
    for cart in held.carts:
        session.delete(cart)
    session.flush()
    for customer in held.customer:
        session.delete(customer)
    erased_addresses.remember(session, email)
    session.flush()
    return {kind: count for kind, count in held.counts().items() if count}


async def erase(session: Session, client: Client | None, email: str) -> Erasure:
    """Cancel the address's running journeys (None: Temporal is down, none can be), then
    erase its records (committed). The database work runs off the event loop: finding what
    names an address reads every event's body."""
    workflow_ids = await asyncio.to_thread(journeys_of, session, email)
    if client is None:
        cancelled, not_reached = 0, len(workflow_ids)
    else:
        cancelled, not_reached = await cancel_journeys(client, workflow_ids)

    def erase_now() -> tuple[str | None, dict[str, int]]:
        customer = session.exec(
            select(models.Customer.id).where(models.Customer.email == normalised_email(email))
        ).first()
        removed = erase_records(session, email)
        session.commit()
        return customer, removed

    customer, removed = await asyncio.to_thread(erase_now)
    return Erasure(removed, cancelled, not_reached, customer)


# Every table that holds a shop's customers' personal data, children first; `shop/redact`
# empties them. Automations, templates, settings, tokens, the audit log and the forgotten
# figures hold none.
SHOP_TABLES = (
    "messageevent", "simulatedcart", "simulation", "journeyrecord", "enrolment", "discountcode",
    "message", "event", "cart", "shop_order", "customer", "suppression", "datarequest",
    "platformdelivery", "bulkmessagerun", "webhookdelivery",
)  # fmt: skip


async def erase_shop(session: Session, client: Client) -> Erasure:
    """Cancel every running journey, then empty every table of customers' data (committed)."""
    automation_ids = list(session.exec(select(models.Automation.id)).all())
    cancelled = not_reached = 0
    for automation_id in automation_ids:
        try:
            changed = await journeys.control_all(client, automation_id, "cancel", REASON)
        except RPCError as error:
            log.warning("journeys of %s not cancelled: %s", automation_id, error.message)
            not_reached += 1
            continue
        cancelled += changed.changed
    removed: dict[str, int] = {}
    for name in SHOP_TABLES:
        result = session.exec(delete(SQLModel.metadata.tables[name]))
        if result.rowcount:
            removed[name] = result.rowcount
    session.commit()
    return Erasure(removed, cancelled, not_reached)
