"""Ingesting shop events: store what they tell us, then enrol or signal journeys.

Each event is written together with the journey effects it causes (enrol this
cart, signal those journeys) and committed before Temporal is called; the event
is marked applied once Temporal took every effect. If Temporal is unreachable
the caller gets an error and its retry of the same event id carries out the
stored effects (enrolment and signals are idempotent), so nothing is lost and
nothing happens twice.
"""

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter
from sqlmodel import Session, select
from temporalio.client import Client
from temporalio.service import RPCError

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
from engine.service.errors import Unavailable
from engine.settings import Settings
from engine.store import models
from engine.store.types import utcnow


class Enrol(BaseModel):
    kind: Literal["enrol"] = "enrol"
    journey: JourneyInput


class SignalJourneys(BaseModel):
    kind: Literal["signal"] = "signal"
    workflow_ids: list[str]
    signal: JourneySignal


class SignalCustomer(BaseModel):
    """Signal every running journey of a customer (found at apply time)."""

    kind: Literal["signal_customer"] = "signal_customer"
    customer_id: str
    signal: JourneySignal


Effect = Annotated[Enrol | SignalJourneys | SignalCustomer, Field(discriminator="kind")]
_effects = TypeAdapter(list[Effect])


@dataclass(frozen=True)
class Accepted:
    id: str
    duplicate: bool


async def ingest(
    session: Session, client: Client, settings: Settings, events: list[Event]
) -> list[Accepted]:
    """Apply each event once, in order; a repeated event id changes nothing."""
    pending: list[models.Event] = []
    accepted = []
    for event in events:
        event_id = event.id or models.new_id("evt")
        stored = session.get(models.Event, event_id)
        if stored is None:
            stored = _record(session, event, event_id)
        elif stored.applied_at is not None:
            accepted.append(Accepted(event_id, duplicate=True))
            continue
        pending.append(stored)
        accepted.append(Accepted(event_id, duplicate=False))
    session.commit()  # the events and their effects are durable before Temporal hears of them
    for stored in pending:
        await _carry_out(client, settings, _effects.validate_python(stored.effects))
        stored.applied_at = utcnow()
        session.add(stored)
        session.commit()
    return accepted


def _record(session: Session, event: Event, event_id: str) -> models.Event:
    effects = _apply(session, event, JourneySignal(event_id=event_id, event=event.event))
    stored = models.Event(
        id=event_id,
        type=event.event,
        occurred_at=event.timestamp,
        cart_id=getattr(event.data, "cart_id", None),
        data=event.data.model_dump(mode="json"),
        effects=_effects.dump_python(effects, mode="json"),
    )
    session.add(stored)
    session.flush()  # a concurrent duplicate fails here, before any journey is touched
    return stored


async def _carry_out(client: Client, settings: Settings, effects: list[Effect]) -> None:
    try:
        for effect in effects:
            match effect:
                case Enrol():
                    await journeys.enroll(client, settings.task_queue, effect.journey)
                case SignalJourneys():
                    await journeys.signal(client, effect.workflow_ids, effect.signal)
                case SignalCustomer():
                    ids = await journeys.running_ids_of_customer(client, effect.customer_id)
                    await journeys.signal(client, ids, effect.signal)
    except RPCError as error:  # the event stays unapplied; a retry carries the effects out
        raise Unavailable(f"Temporal did not take the event's effects: {error}") from error


def _apply(session: Session, event: Event, signal: JourneySignal) -> list[Effect]:
    """Update carts and customers; return what the journeys must be told."""
    match event:
        case CartActivityEvent():
            # Only the database: abandonment detection (engine.service.abandonment) finds the
            # cart once it is idle. A cart already abandoned or recovered keeps its status.
            _upsert_cart(session, event.data)
        case CartAbandonedEvent():
            cart = _upsert_cart(session, event.data)
            if cart.status == "active":
                cart.status = "abandoned"
                cart.abandoned_at = event.data.abandoned_at or event.timestamp
                return list(enrolments_for(session, cart, "cart_abandoned"))
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
            return [_signal_cart(session, cart.id, signal)]
        case OrderEvent():
            if event.data.cart_id:
                return [_signal_cart(session, event.data.cart_id, signal)]
        case UnsubscribedEvent():
            customer = _customer(session, event.data.customer_email)
            return [SignalCustomer(customer_id=customer.id, signal=signal)]
    return []


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


def enrolment_context(
    cart: models.Cart, event: str, customer: models.Customer | None = None
) -> dict[str, Any]:
    """Non-personal facts about the cart and its customer; they travel into Temporal."""
    categories = {item.get("category") for item in cart.items}
    return {
        "cart": {
            "id": cart.id,
            "total": float(cart.total),
            "subtotal": float(cart.subtotal),
            "currency": cart.currency,
            "item_count": sum(int(item.get("quantity", 1)) for item in cart.items),
            "has_email": cart.customer_id is not None,
            "categories": sorted(c for c in categories if isinstance(c, str) and c),
        },
        "customer": {
            "segment": "new",
            "tags": customer_tags(customer),
            "is_guest": customer is None,
        },
        "event": {"type": event},
    }


def filter_facts(
    cart: models.Cart, event: str, customer: models.Customer | None = None
) -> dict[str, Any]:
    """What trigger filters may test: the journey context plus facts derived from personal
    data (the email's domain). Evaluated here, in the service; never sent to Temporal."""
    facts = enrolment_context(cart, event, customer)
    if customer is not None:
        facts["customer"]["email_domain"] = customer.email.rpartition("@")[2]
    return facts


def customer_tags(customer: models.Customer | None) -> list[str]:
    """The customer's tags (wholesale, staff, ...); none for a guest."""
    return sorted(customer.tags or []) if customer is not None else []


def enrolments_for(session: Session, cart: models.Cart, trigger: str) -> list[Enrol]:
    """A journey for each active automation whose trigger and filters match the cart."""
    customer = session.get(models.Customer, cart.customer_id) if cart.customer_id else None
    facts = filter_facts(cart, trigger, customer)
    context = enrolment_context(cart, trigger, customer)
    return [
        Enrol(
            journey=JourneyInput(
                automation_id=automation.id,
                automation_version=automation.current_version,
                definition=definition,
                subject_id=cart.id,
                cart_id=cart.id,
                customer_id=cart.customer_id,
                context=context,
            )
        )
        for automation, definition in automations.active_for_trigger(session, trigger)
        if definition.trigger.filters is None or evaluate(definition.trigger.filters, facts)
    ]


def _signal_cart(session: Session, cart_id: str, signal: JourneySignal) -> SignalJourneys:
    """Every journey this cart can have: one per automation, by deterministic id."""
    automation_ids = session.exec(select(models.Automation.id)).all()
    return SignalJourneys(
        workflow_ids=[journey_id(automation_id, cart_id) for automation_id in automation_ids],
        signal=signal,
    )
