"""Ingesting shop events: store what they tell us, then enrol or signal journeys.

Each event is written together with the journey effects it causes (enrol this cart or
order, signal those journeys: engine.service.effects) and committed before Temporal is
called; the events are marked applied once Temporal took every effect. If Temporal is
unreachable the caller gets an error and its retry of the same event id carries out the
stored effects (enrolment and signals are idempotent), so nothing is lost and nothing
happens twice.

Events may arrive out of order. A cart's contents never go back to an older event's
(a stale `cart_updated` is recorded, not applied), a `cart_abandoned` older than the
cart's latest activity abandons nothing, a recovered cart is never abandoned again
(a `cart_recovered` before its `cart_abandoned` enrols nothing), an order's status
never goes back (engine.service.orders), and a cancelled order starts no post-purchase
journey.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import get_args

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from temporalio.client import Client

from engine.language.contracts import JourneySignal, journey_id
from engine.language.definition import TriggerEvent
from engine.language.events import (
    CartAbandonedEvent,
    CartActivityEvent,
    CartData,
    CartRecoveredEvent,
    Event,
    OrderEvent,
    UnsubscribedEvent,
)
from engine.language.problems import Problem
from engine.runtime.settings import Settings
from engine.service import customers, effects
from engine.service.effects import Effect, SignalCustomer, SignalJourneys
from engine.service.enrolment import enrolments_for, order_enrolments_for
from engine.service.errors import Conflict, InvalidInput
from engine.service.lookups import Lookups, cart_of, customer_by_email, new_cart
from engine.service.orders import (
    OrderHistory,
    mark_codes_used,
    record_order,
    record_recovery_order,
    settle_cart,
)
from engine.store import models
from engine.store.types import utcnow

TRIGGERS: frozenset[str] = frozenset(get_args(TriggerEvent))
# A simultaneous request that writes the same rows (an event id, a new customer) makes
# ours fail at the commit, before Temporal heard anything: it is tried again.
ATTEMPTS = 3
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,190}$")  # printable ASCII, no spaces


# Built once, with a placeholder: building a statement costs about as much as running it.
_EVENTS = select(models.Event).where(
    col(models.Event.id).in_(bindparam("event_ids", expanding=True))
)


@dataclass(frozen=True)
class Accepted:
    id: str
    duplicate: bool


async def accept(
    session: Session,
    client: Client,
    settings: Settings,
    events: list[Event],
    *,
    batch: bool,
    idempotency_key: str | None = None,
    signature: str | None = None,
) -> list[Accepted]:
    """The events of one request, named (`with_ids`) and ingested; tried again when a
    simultaneous request wrote the same rows first (Conflict after ATTEMPTS)."""
    events = with_ids(events, batch=batch, idempotency_key=idempotency_key, signature=signature)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await ingest(session, client, settings, events)
        except IntegrityError as error:
            session.rollback()
            if attempt == ATTEMPTS:
                raise Conflict(
                    "simultaneous requests wrote the same rows; send it again"
                ) from error
    raise AssertionError("unreachable")


def with_ids(
    events: list[Event],
    *,
    batch: bool,
    idempotency_key: str | None = None,
    signature: str | None = None,
) -> list[Event]:
    """Give events sent without an `id` a deterministic one, so a repeat is recognised: from
    the request's `Idempotency-Key` (`{key}` for a single event, `{key}:{index}` in a batch),
    else from a signed request's signature (`sig_{digest}`, `sig_{digest}:{index}`), so a
    replay within the signature's window is a repeat too. Without either, each gets a new id."""
    if idempotency_key is not None:
        if not IDEMPOTENCY_KEY.match(idempotency_key):
            raise InvalidInput(
                "invalid_idempotency_key",
                "Idempotency-Key must be 1 to 190 printable ASCII characters without spaces",
                [Problem(field="Idempotency-Key", message="1 to 190 printable ASCII characters")],
            )
        base = idempotency_key
    elif signature is not None:
        base = "sig_" + signature.strip().removeprefix("sha256=")[:32].lower()
    else:
        return events
    named = []
    for index, event in enumerate(events):
        if event.id is None:
            event = event.model_copy(update={"id": f"{base}:{index}" if batch else base})
        named.append(event)
    return named


async def ingest(
    session: Session, client: Client, settings: Settings, events: list[Event]
) -> list[Accepted]:
    """Apply each event once, in order; a repeated event id changes nothing.

    An id seen twice in one call is applied at its first place. All events are committed
    together before Temporal hears of any, then their effects are carried out in order.
    """
    accepted, pending = _store(session, settings, events)
    await effects.carry_out(client, settings.task_queue, [e for _, todo in pending for e in todo])
    if unapplied := [stored.id for stored, _ in pending if stored.applied_at is None]:
        effects.mark_applied(session, unapplied)
        session.commit()
    return accepted


def _store(
    session: Session, settings: Settings, events: list[Event]
) -> tuple[list[Accepted], list[tuple[models.Event, list[Effect]]]]:
    """Record the new events and their effects, committed; the events still to carry out,
    with their effects."""
    given = {event.id for event in events if event.id is not None}
    ids = [event.id or models.new_id("evt") for event in events]
    stored_before = {
        row.id: row
        for row in (
            session.exec(_EVENTS, params={"event_ids": list(given)})
            if given
            else []  # ids we just made up are new
        )
    }
    lookups = Lookups()
    lookups.preload(
        session, [e for e, i in zip(events, ids, strict=True) if i not in stored_before]
    )
    pending: list[tuple[models.Event, list[Effect]]] = []
    accepted = []
    seen: set[str] = set()
    for event, event_id in zip(events, ids, strict=True):
        stored = stored_before.get(event_id)
        if event_id in seen or (stored is not None and stored.applied_at is not None):
            accepted.append(Accepted(event_id, duplicate=True))
            continue
        seen.add(event_id)
        if stored is None:
            pending.append(_record(session, settings, event, event_id, lookups))
        else:  # recorded by an earlier call that did not get its effects carried out
            pending.append((stored, effects.stored(stored)))
        accepted.append(Accepted(event_id, duplicate=False))
    session.commit()  # the events and their effects are durable before Temporal hears of them
    return accepted, pending


def _record(
    session: Session,
    settings: Settings,
    event: Event,
    event_id: str,
    lookups: Lookups | None = None,
) -> tuple[models.Event, list[Effect]]:
    signal = JourneySignal(event_id=event_id, event=event.event)
    caused = _apply(session, settings, event, signal, lookups or Lookups())
    stored = models.Event(
        id=event_id,
        type=event.event,
        occurred_at=event.timestamp,
        received_at=utcnow(),
        cart_id=cart_of(event),
        data=event.data.model_dump(mode="json"),
        effects=effects.to_store(caused),
        applied_at=None if caused else utcnow(),  # nothing for Temporal: done once committed
    )
    session.add(stored)  # a concurrent duplicate fails at the commit, before any journey
    return stored, caused


def _apply(
    session: Session, settings: Settings, event: Event, signal: JourneySignal, lookups: Lookups
) -> list[Effect]:
    """Update carts, customers and orders; return what the journeys must be told."""
    match event:
        case CartActivityEvent():
            # Only the database: abandonment detection (engine.service.idle_carts) finds the
            # cart once it is idle. A cart already abandoned or recovered keeps its status.
            _upsert_cart(session, event.data, event.timestamp, lookups)
        case CartAbandonedEvent():
            cart, current = _upsert_cart(session, event.data, event.timestamp, lookups)
            abandoned_at = event.data.abandoned_at or event.timestamp
            if not current:
                pass  # the customer was active after this event was sent: not abandoned
            elif cart.status == "active":
                cart.status = "abandoned"
                cart.abandoned_at = abandoned_at
                return list(
                    enrolments_for(
                        session, settings, cart, "cart_abandoned", now=utcnow(), lookups=lookups
                    )
                )
            elif cart.abandoned_at is None:  # recovered before we heard of the abandonment
                cart.abandoned_at = abandoned_at
        case CartRecoveredEvent():
            cart = lookups.cart(session, event.data.cart_id) or new_cart(event.data.cart_id)
            lookups.carts[cart.id] = cart
            if event.data.customer_email:
                cart.customer_id = customer_by_email(session, event.data.customer_email, lookups).id
            cart.status = "recovered"
            cart.recovered_at = event.timestamp
            cart.order_id = event.data.order_id
            cart.recovered_via = event.data.recovered_via
            session.add(cart)
            if event.data.order_id:
                order = record_recovery_order(session, cart, event.data.order_id, event.timestamp)
                lookups.note_order(order)
            return [_signal_cart(session, cart.id, signal, lookups)]
        case OrderEvent():
            return _apply_order(session, settings, event, signal, lookups)
        case UnsubscribedEvent():
            customer = customer_by_email(session, event.data.customer_email, lookups)
            # The database remembers it too: sends check the list whatever a journey heard.
            if session.get(models.Suppression, customer.email) is None:
                session.add(models.Suppression(email=customer.email, reason="unsubscribed"))
            return [SignalCustomer(customer_id=customer.id, signal=signal)]
    return []


def _upsert_cart(
    session: Session, data: CartData, sent_at: datetime, lookups: Lookups
) -> tuple[models.Cart, bool]:
    """The cart with this event's contents, unless a newer event already gave it newer ones;
    the second value says whether this event is the newest."""
    cart = lookups.cart(session, data.cart_id) or new_cart(data.cart_id)
    lookups.carts[cart.id] = cart
    newest = lookups.newest_contents(session, data.cart_id)
    if newest is not None and sent_at < newest:
        session.add(cart)  # a cart we only knew from a recovery still exists
        return cart, False
    lookups.cart_seen[data.cart_id] = sent_at
    if data.customer_email:
        customer = customer_by_email(session, data.customer_email, lookups)
        customer.timezone = data.customer_timezone or customer.timezone
        customers.learn(customer, data.customer)
        cart.customer_id = customer.id
    if data.completed_at is not None and cart.status == "active":
        cart.status = "ordered"  # paid at checkout: nothing to win back
    cart.items = [item.model_dump(mode="json", exclude_none=True) for item in data.items]
    cart.subtotal, cart.shipping, cart.tax = data.subtotal, data.shipping, data.tax
    cart.total, cart.currency = data.total, data.currency
    cart.recovery_url = data.recovery_url or cart.recovery_url
    cart.updated_at = utcnow()
    session.add(cart)
    return cart, True


# How far an order got; events may arrive out of order, an order never goes back. A
# cancelled order stays cancelled.


def _apply_order(
    session: Session,
    settings: Settings,
    event: OrderEvent,
    signal: JourneySignal,
    lookups: Lookups,
) -> list[Effect]:
    """Record the order; tell its cart's journeys and its own; start the post-purchase
    journeys this event triggers (after the signals, so they do not hear their trigger)."""
    history = OrderHistory(session, event)
    order = record_order(session, event, history.partial, lookups)
    lookups.note_order(order)
    settle_cart(session, order, event.timestamp, lookups)
    if event.data.discount_codes:
        mark_codes_used(session, event.data.discount_codes, order.id, event.timestamp)
    effects: list[Effect] = []
    if event.data.cart_id:
        effects.append(_signal_cart(session, event.data.cart_id, signal, lookups))
    if own := _signal_order(session, order.id, signal, lookups):
        effects.append(own)
    if event.event in TRIGGERS:
        effects += order_enrolments_for(
            session, settings, order, event.event, history, now=utcnow(), lookups=lookups
        )
    return effects


def _signal_cart(
    session: Session, cart_id: str, signal: JourneySignal, lookups: Lookups | None = None
) -> SignalJourneys:
    """Every journey this cart can have: one per automation, by deterministic id."""
    automation_ids = (lookups or Lookups()).all_automation_ids(session)
    return SignalJourneys(
        workflow_ids=[journey_id(automation_id, cart_id) for automation_id in automation_ids],
        signal=signal,
    )


def _signal_order(
    session: Session, order_id: str, signal: JourneySignal, lookups: Lookups | None = None
) -> SignalJourneys | None:
    """The order's own (post-purchase) journeys: those its enrolments started."""
    automation_ids = sorted((lookups or Lookups()).entered_by(session, order_id))
    if not automation_ids:
        return None
    return SignalJourneys(
        workflow_ids=[journey_id(automation_id, order_id) for automation_id in automation_ids],
        signal=signal,
    )
