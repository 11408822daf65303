"""Ingesting shop events: store what they tell us, then enrol or signal journeys.

The database work and the Temporal calls of one request share one transaction:
if Temporal cannot be reached nothing is written, and the shop's retry is safe
because enrolment and signals are idempotent.
"""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select
from temporalio.client import Client

from engine.contracts import JourneyInput, JourneySignal, journey_id
from engine.events import (
    CartAbandonedEvent,
    CartActivityEvent,
    CartData,
    CartRecoveredEvent,
    Event,
    OrderEvent,
    UnsubscribedEvent,
)
from engine.interpreter import evaluate
from engine.service import automations, journeys
from engine.settings import Settings
from engine.store import models
from engine.store.types import utcnow


@dataclass(frozen=True)
class Accepted:
    id: str
    duplicate: bool


async def ingest(
    session: Session, client: Client, settings: Settings, events: list[Event]
) -> list[Accepted]:
    """Apply each event once, in order; a repeated event id changes nothing."""
    accepted = []
    for event in events:
        event_id = event.id or models.new_id("evt")
        if session.get(models.Event, event_id) is not None:
            accepted.append(Accepted(event_id, duplicate=True))
            continue
        session.add(
            models.Event(
                id=event_id,
                type=event.event,
                occurred_at=event.timestamp,
                cart_id=getattr(event.data, "cart_id", None),
                data=event.data.model_dump(mode="json"),
            )
        )
        session.flush()  # a concurrent duplicate fails here, before any journey is touched
        await _apply(session, client, settings, event, event_id)
        accepted.append(Accepted(event_id, duplicate=False))
    return accepted


async def _apply(
    session: Session, client: Client, settings: Settings, event: Event, event_id: str
) -> None:
    match event:
        case CartActivityEvent():
            _upsert_cart(session, event.data)
        case CartAbandonedEvent():
            cart = _upsert_cart(session, event.data)
            if cart.status == "active":
                cart.status = "abandoned"
                cart.abandoned_at = event.data.abandoned_at or event.timestamp
                await _enroll(session, client, settings, cart, "cart_abandoned")
        case CartRecoveredEvent():
            cart = session.get(models.Cart, event.data.cart_id) or models.Cart(
                id=event.data.cart_id
            )
            if event.data.customer_email:
                cart.customer_id = _customer(session, event.data.customer_email).id
            cart.status = "recovered"
            cart.recovered_at = event.timestamp
            cart.order_id = event.data.order_id
            cart.recovered_via = event.data.recovered_via
            session.add(cart)
            await _signal_cart(session, client, cart.id, event_id, event.event)
        case OrderEvent():
            if event.data.cart_id:
                await _signal_cart(session, client, event.data.cart_id, event_id, event.event)
        case UnsubscribedEvent():
            customer = _customer(session, event.data.customer_email)
            ids = await journeys.running_ids_of_customer(client, customer.id)
            await journeys.signal(client, ids, JourneySignal(event_id=event_id, event=event.event))


def _customer(session: Session, email: str) -> models.Customer:
    normalised = email.strip().lower()
    customer = session.exec(
        select(models.Customer).where(models.Customer.email == normalised)
    ).first()
    if customer is None:
        customer = models.Customer(email=normalised)
        session.add(customer)
        session.flush()
    return customer


def _upsert_cart(session: Session, data: CartData) -> models.Cart:
    cart = session.get(models.Cart, data.cart_id) or models.Cart(id=data.cart_id)
    if data.customer_email:
        cart.customer_id = _customer(session, data.customer_email).id
    cart.items = [item.model_dump(mode="json", exclude_none=True) for item in data.items]
    cart.subtotal, cart.shipping, cart.tax = data.subtotal, data.shipping, data.tax
    cart.total, cart.currency = data.total, data.currency
    cart.recovery_url = data.recovery_url or cart.recovery_url
    cart.updated_at = utcnow()
    session.add(cart)
    session.flush()
    return cart


def enrolment_context(cart: models.Cart, event: str) -> dict[str, Any]:
    """Non-personal facts conditions may test; they travel into Temporal."""
    return {
        "cart": {
            "id": cart.id,
            "total": float(cart.total),
            "subtotal": float(cart.subtotal),
            "currency": cart.currency,
            "item_count": sum(int(item.get("quantity", 1)) for item in cart.items),
            "has_email": cart.customer_id is not None,
        },
        "customer": {"segment": "new", "tags": []},
        "event": {"type": event},
    }


async def _enroll(
    session: Session, client: Client, settings: Settings, cart: models.Cart, trigger: str
) -> None:
    context = enrolment_context(cart, trigger)
    for automation, definition in automations.active_for_trigger(session, trigger):
        if definition.trigger.filters and not evaluate(definition.trigger.filters, context):
            continue
        await journeys.enroll(
            client,
            settings.task_queue,
            JourneyInput(
                automation_id=automation.id,
                automation_version=automation.current_version,
                definition=definition,
                subject_id=cart.id,
                cart_id=cart.id,
                customer_id=cart.customer_id,
                context=context,
            ),
        )


async def _signal_cart(
    session: Session, client: Client, cart_id: str, event_id: str, event: str
) -> None:
    """Tell every journey of this cart (one per automation, by deterministic id)."""
    automation_ids = session.exec(select(models.Automation.id)).all()
    await journeys.signal(
        client,
        [journey_id(automation_id, cart_id) for automation_id in automation_ids],
        JourneySignal(event_id=event_id, event=event),
    )
