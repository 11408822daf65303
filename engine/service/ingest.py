"""Ingesting shop events: store what they tell us, then enrol or signal journeys.

Each event is written together with the journey effects it causes (enrol this
cart, signal those journeys) and committed before Temporal is called; the event
is marked applied once Temporal took every effect. If Temporal is unreachable
the caller gets an error and its retry of the same event id carries out the
stored effects (enrolment and signals are idempotent), so nothing is lost and
nothing happens twice.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter
from sqlmodel import Session, col, func, or_, select
from temporalio.client import Client
from temporalio.service import RPCError

from engine.activities.registry import quiet_action_names
from engine.contracts import JourneyInput, JourneySignal, journey_id
from engine.definition import Automation
from engine.events import (
    CartAbandonedEvent,
    CartActivityEvent,
    CartData,
    CartRecoveredEvent,
    Event,
    OrderData,
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
            stored = _record(session, settings, event, event_id)
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


def _record(session: Session, settings: Settings, event: Event, event_id: str) -> models.Event:
    signal = JourneySignal(event_id=event_id, event=event.event)
    effects = _apply(session, settings, event, signal)
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


def _apply(
    session: Session, settings: Settings, event: Event, signal: JourneySignal
) -> list[Effect]:
    """Update carts, customers and orders; return what the journeys must be told."""
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
                return list(enrolments_for(session, settings, cart, "cart_abandoned", now=utcnow()))
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
            if event.data.order_id:
                _record_recovery_order(session, cart, event.data.order_id, event.timestamp)
            return [_signal_cart(session, cart.id, signal)]
        case OrderEvent():
            _record_order(session, event)
            if event.data.cart_id:
                return [_signal_cart(session, event.data.cart_id, signal)]
        case UnsubscribedEvent():
            customer = _customer(session, event.data.customer_email)
            # The database remembers it too: sends check the list whatever a journey heard.
            if session.get(models.Suppression, customer.email) is None:
                session.add(models.Suppression(email=customer.email, reason="unsubscribed"))
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
        customer = _customer(session, data.customer_email)
        customer.timezone = data.customer_timezone or customer.timezone
        cart.customer_id = customer.id
    cart.items = [item.model_dump(mode="json", exclude_none=True) for item in data.items]
    cart.subtotal, cart.shipping, cart.tax = data.subtotal, data.shipping, data.tax
    cart.total, cart.currency = data.total, data.currency
    cart.recovery_url = data.recovery_url or cart.recovery_url
    cart.updated_at = utcnow()
    session.add(cart)
    session.flush()
    return cart


# How far an order got; events may arrive out of order, an order never goes back.
ORDER_PROGRESS = ("placed", "paid", "fulfilled", "delivered")


def _record_order(session: Session, event: OrderEvent) -> models.Order:
    """Upsert the order an order event tells of, linked to its customer."""
    data = event.data
    order = _order(session, data.order_id, event.timestamp)
    order.customer_id = _order_customer_id(session, data) or order.customer_id
    order.cart_id = data.cart_id or order.cart_id
    if data.total is not None:
        order.total, order.currency = data.total, data.currency
    reported = event.event.removeprefix("order_")
    order.status = max(order.status, reported, key=ORDER_PROGRESS.index)
    session.add(order)
    session.flush()
    return order


def _record_recovery_order(
    session: Session, cart: models.Cart, order_id: str, recovered_at: datetime
) -> models.Order:
    """A recovered cart became an order of its customer, worth the cart's total unless the
    order's own events already told us its total (they know it best)."""
    order = _order(session, order_id, recovered_at)
    order.cart_id = order.cart_id or cart.id
    order.customer_id = order.customer_id or cart.customer_id
    if not order.total:
        order.total, order.currency = cart.total, cart.currency
    session.add(order)
    session.flush()
    return order


def _order(session: Session, order_id: str, seen_at: datetime) -> models.Order:
    """The stored order or a new one; it was placed when the first event told of it."""
    order = session.get(models.Order, order_id) or models.Order(id=order_id, placed_at=seen_at)
    order.placed_at = min(order.placed_at, seen_at)
    order.updated_at = utcnow()
    return order


def _order_customer_id(session: Session, data: OrderData) -> str | None:
    """The customer by the order's email, else the customer of the order's cart."""
    if data.customer_email:
        return _customer(session, data.customer_email).id
    cart = session.get(models.Cart, data.cart_id) if data.cart_id else None
    return cart.customer_id if cart is not None else None


@dataclass(frozen=True)
class CustomerFacts:
    """A cart's customer (None for a guest) and their orders other than one from this cart,
    so a cart that was itself bought never makes its own customer `repeat`."""

    customer: models.Customer | None
    order_count: int = 0
    lifetime_spend: Decimal = Decimal(0)


def customer_facts(session: Session, cart: models.Cart) -> CustomerFacts:
    customer = session.get(models.Customer, cart.customer_id) if cart.customer_id else None
    if customer is None:
        return CustomerFacts(customer=None)
    from_other_carts = or_(
        col(models.Order.cart_id).is_(None), col(models.Order.cart_id) != cart.id
    )
    count, spend = session.exec(
        select(func.count(), func.coalesce(func.sum(models.Order.total), 0)).where(
            models.Order.customer_id == customer.id, from_other_carts
        )
    ).one()
    return CustomerFacts(customer, order_count=count, lifetime_spend=Decimal(spend))


Segment = Literal["new", "repeat", "vip"]


def segment(facts: CustomerFacts, vip_lifetime_spend: Decimal) -> Segment:
    """`vip` (tagged so, or spent more than the threshold), `repeat` (ordered before) or `new`
    (guests too: we know nothing of them)."""
    if "vip" in customer_tags(facts.customer) or facts.lifetime_spend > vip_lifetime_spend:
        return "vip"
    return "repeat" if facts.order_count > 0 else "new"


def enrolment_context(
    cart: models.Cart, event: str, facts: CustomerFacts, settings: Settings
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
        "customer": _customer_context(facts, settings),
        # The interpreter resolves the `customer` time zone from customer.timezone, then this.
        "shop": {"timezone": settings.shop_timezone},
        "event": {"type": event},
    }


def _customer_context(facts: CustomerFacts, settings: Settings) -> dict[str, Any]:
    context: dict[str, Any] = {
        "segment": segment(facts, settings.vip_lifetime_spend),
        "tags": customer_tags(facts.customer),
        "is_guest": facts.customer is None,
        "order_count": facts.order_count,
        "lifetime_spend": float(facts.lifetime_spend),
    }
    if facts.customer is not None and facts.customer.timezone:
        context["timezone"] = facts.customer.timezone
    return context


def filter_facts(
    cart: models.Cart, event: str, facts: CustomerFacts, settings: Settings
) -> dict[str, Any]:
    """What trigger filters may test: the journey context plus facts derived from personal
    data (the email's domain). Evaluated here, in the service; never sent to Temporal."""
    result = enrolment_context(cart, event, facts, settings)
    if facts.customer is not None:
        result["customer"]["email_domain"] = facts.customer.email.rpartition("@")[2]
    return result


def customer_tags(customer: models.Customer | None) -> list[str]:
    """The customer's tags (wholesale, staff, ...); none for a guest."""
    return sorted(customer.tags or []) if customer is not None else []


def enrolments_for(
    session: Session, settings: Settings, cart: models.Cart, trigger: str, *, now: datetime
) -> list[Enrol]:
    """A journey for each active automation whose trigger and filters match the cart and
    whose re-entry cooldown lets its customer in again.

    Each enrolment is recorded (an `Enrolment` row) in the caller's transaction, which
    stores the returned effects with it. `now` is when we enrol, not when the shop says
    the cart was abandoned: the cooldown spaces the journeys a customer actually gets,
    and an old or replayed event must not slip past it.
    """
    facts = customer_facts(session, cart)
    conditions = filter_facts(cart, trigger, facts, settings)
    matching = [
        (automation, definition)
        for automation, definition in automations.active_for_trigger(session, trigger)
        if definition.trigger.filters is None or evaluate(definition.trigger.filters, conditions)
    ]
    if cart.customer_id and any(d.settings.reentry_cooldown for _, d in matching):
        _lock_customer(session, cart.customer_id)
    context = enrolment_context(cart, trigger, facts, settings)
    quiet_actions = quiet_action_names()
    enrolments = []
    for automation, definition in matching:
        if _cooling_down(session, automation.id, definition, cart, now):
            continue
        _remember_enrolment(session, automation, cart, now)
        enrolments.append(
            Enrol(
                journey=JourneyInput(
                    automation_id=automation.id,
                    automation_version=automation.current_version,
                    definition=definition,
                    subject_id=cart.id,
                    cart_id=cart.id,
                    customer_id=cart.customer_id,
                    context=context,
                    quiet_actions=quiet_actions,
                )
            )
        )
    session.flush()
    return enrolments


def _lock_customer(session: Session, customer_id: str) -> None:
    """Two carts of one customer enrolled at once must not both pass the cooldown check:
    the second waits here for the first to commit (PostgreSQL; SQLite writes one at a time
    and the cart was already written in this transaction). NO KEY UPDATE, because writing
    the cart already holds KEY SHARE on its customer, which FOR UPDATE would deadlock on."""
    session.exec(
        select(models.Customer.id)
        .where(models.Customer.id == customer_id)
        .with_for_update(key_share=True)
    ).one()


def _cooling_down(
    session: Session, automation_id: str, definition: Automation, cart: models.Cart, now: datetime
) -> bool:
    """Whether the cart's customer entered this automation, with another subject, less than
    its re-entry cooldown ago. Guests have no history to cool down from."""
    cooldown = definition.settings.reentry_cooldown
    if not cooldown or cart.customer_id is None:
        return False
    earlier = session.exec(
        select(models.Enrolment.id)
        .where(
            models.Enrolment.automation_id == automation_id,
            models.Enrolment.customer_id == cart.customer_id,
            models.Enrolment.subject_id != cart.id,  # never blocked by its own earlier entry
            col(models.Enrolment.enrolled_at) > now - cooldown,
        )
        .limit(1)
    ).first()
    return earlier is not None


def _remember_enrolment(
    session: Session, automation: models.Automation, cart: models.Cart, now: datetime
) -> None:
    """Record the cart's entry once; enrolling it again (idempotent in Temporal) keeps the
    first record, so its time is when the journey really began."""
    recorded = session.exec(
        select(models.Enrolment.id).where(
            models.Enrolment.automation_id == automation.id,
            models.Enrolment.subject_id == cart.id,
        )
    ).first()
    if recorded is None:
        session.add(
            models.Enrolment(
                automation_id=automation.id,
                automation_version=automation.current_version,
                subject_id=cart.id,
                cart_id=cart.id,
                customer_id=cart.customer_id,
                enrolled_at=now,
            )
        )


def _signal_cart(session: Session, cart_id: str, signal: JourneySignal) -> SignalJourneys:
    """Every journey this cart can have: one per automation, by deterministic id."""
    automation_ids = session.exec(select(models.Automation.id)).all()
    return SignalJourneys(
        workflow_ids=[journey_id(automation_id, cart_id) for automation_id in automation_ids],
        signal=signal,
    )
