"""Ingesting shop events: store what they tell us, then enrol or signal journeys.

Each event is written together with the journey effects it causes (enrol this
cart or order, signal those journeys) and committed before Temporal is called; the
events are marked applied once Temporal took every effect. If Temporal is unreachable
the caller gets an error and its retry of the same event id carries out the
stored effects (enrolment and signals are idempotent), so nothing is lost and
nothing happens twice.

Events may arrive out of order. A cart's contents never go back to an older event's
(a stale `cart_updated` is recorded, not applied), a `cart_abandoned` older than the
cart's latest activity abandons nothing, a recovered cart is never abandoned again
(a `cart_recovered` before its `cart_abandoned` enrols nothing), an order's status
never goes back, and a cancelled order starts no post-purchase journey.
"""

import asyncio
import functools
import weakref
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, Field, TypeAdapter
from sqlmodel import Session, col, func, or_, select, update
from temporalio.client import Client
from temporalio.service import RPCError

from engine.activities.registry import quiet_action_names
from engine.language.conditions import evaluate
from engine.language.contracts import JourneyInput, JourneySignal, journey_id
from engine.language.definition import Automation, TriggerEvent
from engine.language.events import (
    CartAbandonedEvent,
    CartActivityEvent,
    CartData,
    CartRecoveredEvent,
    Event,
    OrderData,
    OrderEvent,
    OrderEventType,
    UnsubscribedEvent,
)
from engine.runtime.settings import Settings
from engine.service import automations, journeys, shop_settings
from engine.service.errors import Unavailable
from engine.service.shop_settings import with_default_quiet_hours
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

# Journeys this process starts at once, across all requests: enough to keep the Temporal
# server busy, few enough not to flood the embedded one. Requests share the bound, so
# one request's database work overlaps another's starts without adding to the load.
ENROL_CONCURRENCY = 20
_start_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)
# Events that carry a cart's contents; the newest one's contents are the cart's.
CART_CONTENT_EVENTS = ("cart_updated", "checkout_started", "cart_abandoned")
# Abandonments found by inactivity are recorded as events too (engine.service.abandonment);
# they carry no contents and no shop timestamp.
_DETECTED_PREFIX = "idle_"
TRIGGERS: frozenset[str] = frozenset(get_args(TriggerEvent))
ORDER_EVENTS: tuple[str, ...] = get_args(OrderEventType)


@dataclass(frozen=True)
class Accepted:
    id: str
    duplicate: bool


@dataclass
class _Lookups:
    """What one ingest call reads once instead of once per event."""

    customers: dict[str, models.Customer] = field(default_factory=dict)  # by normalised email
    emails_looked_up: set[str] = field(default_factory=set)  # found or not: no need to ask again
    # The shop timestamp of each cart's newest contents (`CART_CONTENT_EVENTS`).
    cart_seen: dict[str, datetime] = field(default_factory=dict)
    candidates: dict[str, list[tuple[models.Automation, Automation]]] = field(default_factory=dict)
    automation_ids: list[str] | None = None
    carts: dict[str, models.Cart | None] = field(default_factory=dict)  # None: not stored yet
    # The orders of the customers preloaded (order id → cart id, total, status), kept up to
    # date as this call records orders; the segment is computed from them.
    orders: dict[str, dict[str, tuple[str | None, Decimal, str]]] = field(default_factory=dict)
    # (automation id, subject id) of the enrolments of the subjects preloaded.
    entered: set[tuple[str, str]] = field(default_factory=set)
    subjects_loaded: set[str] = field(default_factory=set)

    def preload(self, session: Session, events: Sequence[Event]) -> None:
        emails = {_normalised(e) for event in events if (e := _email_of(event))}
        if emails:
            self.customers.update(
                (customer.email, customer)
                for customer in session.exec(
                    select(models.Customer).where(col(models.Customer.email).in_(emails))
                )
            )
            self.emails_looked_up |= emails
            # The new ones are written first, in one statement: rows below refer to them.
            self._preload_orders(session, [customer.id for customer in self.customers.values()])
            new = [_new_customer(email) for email in sorted(emails - self.customers.keys())]
            if new:
                session.add_all(new)
                session.flush()
                self.customers.update((customer.email, customer) for customer in new)
                self.orders.update((customer.id, {}) for customer in new)  # none yet
        cart_ids = {cart_id for event in events if (cart_id := _cart_of(event))}
        order_ids = {order_id for event in events if (order_id := _order_of(event))}
        self._preload_enrolments(session, cart_ids | order_ids)
        if cart_ids:
            self.carts.update(dict.fromkeys(cart_ids))
            self.carts.update(
                (cart.id, cart)
                for cart in session.exec(
                    select(models.Cart).where(col(models.Cart.id).in_(cart_ids))
                )
            )
            known = [cart_id for cart_id in cart_ids if self.carts[cart_id] is not None]
            if not known:
                return  # new carts: no events to be newer than
            self.cart_seen.update(
                (cart_id, newest)
                for cart_id, newest in session.exec(
                    select(models.Event.cart_id, func.max(models.Event.occurred_at))
                    .where(
                        col(models.Event.cart_id).in_(known),
                        col(models.Event.type).in_(CART_CONTENT_EVENTS),
                        ~col(models.Event.id).startswith(_DETECTED_PREFIX),
                    )
                    .group_by(col(models.Event.cart_id))
                )
                if cart_id is not None and newest is not None
            )

    def _preload_orders(self, session: Session, customer_ids: list[str]) -> None:
        if not customer_ids:
            return
        for customer_id in customer_ids:
            self.orders.setdefault(customer_id, {})
        query = select(models.Order).where(col(models.Order.customer_id).in_(customer_ids))
        for order in session.exec(query):
            if order.customer_id is not None:
                self.orders[order.customer_id][order.id] = (
                    order.cart_id,
                    order.total,
                    order.status,
                )

    def note_order(self, order: models.Order) -> None:
        """Keep the preloaded orders as this call leaves them."""
        for known in self.orders.values():
            known.pop(order.id, None)
        if order.customer_id in self.orders:
            self.orders[order.customer_id][order.id] = (order.cart_id, order.total, order.status)

    def _preload_enrolments(self, session: Session, subject_ids: set[str]) -> None:
        if subject_ids:
            self.entered |= set(
                session.exec(
                    select(models.Enrolment.automation_id, models.Enrolment.subject_id).where(
                        col(models.Enrolment.subject_id).in_(subject_ids)
                    )
                ).all()
            )
            self.subjects_loaded |= subject_ids

    def entered_by(self, session: Session, subject_id: str) -> set[str]:
        """The automations this subject entered."""
        self._preload_enrolments(session, {subject_id} - self.subjects_loaded)
        return {automation for automation, subject in self.entered if subject == subject_id}

    def cart(self, session: Session, cart_id: str) -> models.Cart | None:
        """The stored cart (or one added in this call), without a query once preloaded."""
        if cart_id not in self.carts:  # not preloaded (a caller outside `ingest`)
            self.carts[cart_id] = session.get(models.Cart, cart_id)
            self._load_newest(session, cart_id)
        return self.carts[cart_id]

    def newest_contents(self, session: Session, cart_id: str) -> datetime | None:
        self.cart(session, cart_id)
        return self.cart_seen.get(cart_id)

    def _load_newest(self, session: Session, cart_id: str) -> None:
        if self.carts[cart_id] is not None:
            newest = session.exec(
                select(func.max(models.Event.occurred_at)).where(
                    models.Event.cart_id == cart_id,
                    col(models.Event.type).in_(CART_CONTENT_EVENTS),
                    ~col(models.Event.id).startswith(_DETECTED_PREFIX),
                )
            ).one()
            if newest is not None:
                self.cart_seen[cart_id] = newest

    def active_for(
        self, session: Session, trigger: str
    ) -> list[tuple[models.Automation, Automation]]:
        if trigger not in self.candidates:
            # Their journeys get the shop's default quiet hours when they set none.
            quiet = shop_settings.default_quiet_hours(session)
            self.candidates[trigger] = [
                (automation, with_default_quiet_hours(definition, quiet))
                for automation, definition in automations.active_for_trigger(session, trigger)
            ]
        return self.candidates[trigger]

    def all_automation_ids(self, session: Session) -> list[str]:
        if self.automation_ids is None:
            self.automation_ids = list(session.exec(select(models.Automation.id)).all())
        return self.automation_ids


# New rows get every field with a default factory explicitly: SQLModel otherwise inspects
# each factory's signature on every construction, the larger part of writing an event.


def _new_cart(cart_id: str) -> models.Cart:
    now = utcnow()
    return models.Cart(id=cart_id, items=[], created_at=now, updated_at=now)


def _new_customer(email: str) -> models.Customer:
    return models.Customer(id=models.new_id("cus"), email=email, tags=[], created_at=utcnow())


def _email_of(event: Event) -> str | None:
    email: str | None = getattr(event.data, "customer_email", None)
    return email


def _cart_of(event: Event) -> str | None:
    cart_id: str | None = getattr(event.data, "cart_id", None)
    return cart_id


def _order_of(event: Event) -> str | None:
    return event.data.order_id if isinstance(event, OrderEvent) else None


def _normalised(email: str) -> str:
    return email.strip().lower()


async def ingest(
    session: Session, client: Client, settings: Settings, events: list[Event]
) -> list[Accepted]:
    """Apply each event once, in order; a repeated event id changes nothing.

    An id seen twice in one call is applied at its first place. All events are committed
    together before Temporal hears of any, then their effects are carried out in order.
    """
    accepted, pending = _store(session, settings, events)
    await _carry_out(client, settings, [effect for _, effects in pending for effect in effects])
    if unapplied := [stored.id for stored, _ in pending if stored.applied_at is None]:
        _mark_applied(session, unapplied)
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
            session.exec(select(models.Event).where(col(models.Event.id).in_(given)))
            if given
            else []  # ids we just made up are new
        )
    }
    lookups = _Lookups()
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
            pending.append((stored, _effects.validate_python(stored.effects)))
        accepted.append(Accepted(event_id, duplicate=False))
    session.commit()  # the events and their effects are durable before Temporal hears of them
    return accepted, pending


def _mark_applied(session: Session, event_ids: list[str]) -> None:
    session.exec(
        update(models.Event)
        .where(col(models.Event.id).in_(event_ids))
        .values(applied_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _record(
    session: Session,
    settings: Settings,
    event: Event,
    event_id: str,
    lookups: _Lookups | None = None,
) -> tuple[models.Event, list[Effect]]:
    signal = JourneySignal(event_id=event_id, event=event.event)
    effects = _apply(session, settings, event, signal, lookups or _Lookups())
    stored = models.Event(
        id=event_id,
        type=event.event,
        occurred_at=event.timestamp,
        received_at=utcnow(),
        cart_id=_cart_of(event),
        data=event.data.model_dump(mode="json"),
        effects=_effects.dump_python(effects, mode="json"),
        applied_at=None if effects else utcnow(),  # nothing for Temporal: done once committed
    )
    session.add(stored)  # a concurrent duplicate fails at the commit, before any journey
    return stored, effects


async def _carry_out(client: Client, settings: Settings, effects: list[Effect]) -> None:
    """In order. Consecutive enrolments run a few at a time (each starts or finds its own
    journey); a signal waits for everything before it, so it never overtakes the start of
    the journey it is meant for."""
    try:
        starts: list[Enrol] = []
        for effect in effects:
            if isinstance(effect, Enrol):
                starts.append(effect)
                continue
            await _enrol_all(client, settings, starts)
            starts = []
            match effect:
                case SignalJourneys():
                    await journeys.signal(client, effect.workflow_ids, effect.signal)
                case SignalCustomer():
                    ids = await journeys.running_ids_of_customer(client, effect.customer_id)
                    await journeys.signal(client, ids, effect.signal)
        await _enrol_all(client, settings, starts)
    except RPCError as error:  # the events stay unapplied; a retry carries the effects out
        raise Unavailable(f"Temporal did not take the event's effects: {error}") from error


def _start_slot() -> asyncio.Semaphore:
    """The process's bound on journeys being started (one per event loop: tests run many)."""
    loop = asyncio.get_running_loop()
    slots = _start_slots.get(loop)
    if slots is None:
        slots = _start_slots[loop] = asyncio.Semaphore(ENROL_CONCURRENCY)
    return slots


async def _enrol_all(client: Client, settings: Settings, starts: list[Enrol]) -> None:
    """Start the journeys, at most ENROL_CONCURRENCY at a time in this process (a new one as
    soon as one is taken)."""
    limit = _start_slot()

    async def enrol(start: Enrol) -> None:
        async with limit:
            await journeys.enroll(client, settings.task_queue, start.journey)

    if len(starts) == 1:
        await enrol(starts[0])
        return

    try:
        async with asyncio.TaskGroup() as group:
            for start in starts:
                group.create_task(enrol(start))
    except ExceptionGroup as error:
        raise error.exceptions[0] from error


def _apply(
    session: Session, settings: Settings, event: Event, signal: JourneySignal, lookups: _Lookups
) -> list[Effect]:
    """Update carts, customers and orders; return what the journeys must be told."""
    match event:
        case CartActivityEvent():
            # Only the database: abandonment detection (engine.service.abandonment) finds the
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
            cart = lookups.cart(session, event.data.cart_id) or _new_cart(event.data.cart_id)
            lookups.carts[cart.id] = cart
            if event.data.customer_email:
                cart.customer_id = _customer(session, event.data.customer_email, lookups).id
            cart.status = "recovered"
            cart.recovered_at = event.timestamp
            cart.order_id = event.data.order_id
            cart.recovered_via = event.data.recovered_via
            session.add(cart)
            if event.data.order_id:
                order = _record_recovery_order(session, cart, event.data.order_id, event.timestamp)
                lookups.note_order(order)
            return [_signal_cart(session, cart.id, signal, lookups)]
        case OrderEvent():
            return _apply_order(session, settings, event, signal, lookups)
        case UnsubscribedEvent():
            customer = _customer(session, event.data.customer_email, lookups)
            # The database remembers it too: sends check the list whatever a journey heard.
            if session.get(models.Suppression, customer.email) is None:
                session.add(models.Suppression(email=customer.email, reason="unsubscribed"))
            return [SignalCustomer(customer_id=customer.id, signal=signal)]
    return []


def _customer(session: Session, email: str, lookups: _Lookups | None = None) -> models.Customer:
    normalised = _normalised(email)
    if lookups is not None and (known := lookups.customers.get(normalised)) is not None:
        return known
    customer = None
    if lookups is None or normalised not in lookups.emails_looked_up:
        customer = session.exec(
            select(models.Customer).where(models.Customer.email == normalised)
        ).first()
    if customer is None:
        customer = _new_customer(normalised)
        session.add(customer)
        session.flush()  # written before the rows that refer to it
    if lookups is not None:
        lookups.customers[normalised] = customer
    return customer


def _upsert_cart(
    session: Session, data: CartData, sent_at: datetime, lookups: _Lookups
) -> tuple[models.Cart, bool]:
    """The cart with this event's contents, unless a newer event already gave it newer ones;
    the second value says whether this event is the newest."""
    cart = lookups.cart(session, data.cart_id) or _new_cart(data.cart_id)
    lookups.carts[cart.id] = cart
    newest = lookups.newest_contents(session, data.cart_id)
    if newest is not None and sent_at < newest:
        session.add(cart)  # a cart we only knew from a recovery still exists
        return cart, False
    lookups.cart_seen[data.cart_id] = sent_at
    if data.customer_email:
        customer = _customer(session, data.customer_email, lookups)
        customer.timezone = data.customer_timezone or customer.timezone
        cart.customer_id = customer.id
    cart.items = [item.model_dump(mode="json", exclude_none=True) for item in data.items]
    cart.subtotal, cart.shipping, cart.tax = data.subtotal, data.shipping, data.tax
    cart.total, cart.currency = data.total, data.currency
    cart.recovery_url = data.recovery_url or cart.recovery_url
    cart.updated_at = utcnow()
    session.add(cart)
    return cart, True


# How far an order got; events may arrive out of order, an order never goes back. A
# cancelled order stays cancelled.
ORDER_PROGRESS = ("placed", "paid", "partially_fulfilled", "fulfilled", "delivered")
CANCELLED = "cancelled"


class OrderHistory:
    """What an order event tells beyond the order's row, read only when needed: how many
    items the order has (from its items, sent with this or an earlier event, else its cart's)
    and, for `order_fulfilled`, whether the order is now only partly fulfilled (as the event
    says, else from the lines of this and earlier fulfilments against the order's items)."""

    def __init__(self, session: Session, event: OrderEvent) -> None:
        self._session, self._event = session, event

    @cached_property
    def _earlier(self) -> list[tuple[str, Mapping[str, Any]]]:
        """(type, data) of the order's events stored so far, oldest first."""
        rows = self._session.exec(
            select(models.Event.type, models.Event.data)
            .where(
                col(models.Event.type).in_(ORDER_EVENTS),
                col(models.Event.data)["order_id"].as_string() == self._event.data.order_id,
            )
            .order_by(col(models.Event.occurred_at), col(models.Event.received_at))
        ).all()
        return [(kind, data) for kind, data in rows]

    @cached_property
    def _ordered(self) -> Counter[str]:
        """Quantity per item id: from this event's items, else the newest earlier event that
        sent them, else the order's cart."""
        data = self._event.data
        if data.items is not None:
            return _quantities((item.id, item.quantity) for item in data.items)
        for _kind, earlier in reversed(self._earlier):
            if isinstance(items := earlier.get("items"), list):
                return _quantities((item.get("id"), item.get("quantity", 1)) for item in items)
        cart = self._session.get(models.Cart, data.cart_id) if data.cart_id else None
        items = cart.items if cart is not None else []
        return _quantities((item.get("id"), item.get("quantity", 1)) for item in items)

    @property
    def item_count(self) -> int | None:
        return sum(self._ordered.values()) if self._ordered else None

    @cached_property
    def partial(self) -> bool | None:
        data = self._event.data
        if self._event.event != "order_fulfilled":
            return None
        if data.partial is not None:
            return data.partial
        if not data.lines or not self._ordered:
            return False  # the whole order, or we cannot tell
        shipped = _quantities((line.item_id, line.quantity) for line in data.lines)
        for kind, earlier in self._earlier:
            if kind == "order_fulfilled" and isinstance(lines := earlier.get("lines"), list):
                shipped += _quantities(
                    (line.get("item_id"), line.get("quantity", 1)) for line in lines
                )
        return any(shipped[item] < quantity for item, quantity in self._ordered.items())


def _quantities(pairs: Iterable[tuple[Any, Any]]) -> Counter[str]:
    counted: Counter[str] = Counter()
    for item_id, quantity in pairs:
        counted[str(item_id)] += int(quantity)
    return counted


def _apply_order(
    session: Session,
    settings: Settings,
    event: OrderEvent,
    signal: JourneySignal,
    lookups: _Lookups,
) -> list[Effect]:
    """Record the order; tell its cart's journeys and its own; start the post-purchase
    journeys this event triggers (after the signals, so they do not hear their trigger)."""
    history = OrderHistory(session, event)
    order = _record_order(session, event, history.partial, lookups)
    lookups.note_order(order)
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


def _record_order(
    session: Session,
    event: OrderEvent,
    partial: bool | None = None,
    lookups: _Lookups | None = None,
) -> models.Order:
    """Upsert the order an order event tells of, linked to its customer."""
    data = event.data
    order = _order(session, data.order_id, event.timestamp)
    order.customer_id = _order_customer_id(session, data, lookups) or order.customer_id
    order.cart_id = data.cart_id or order.cart_id
    if data.total is not None:
        order.total, order.currency = data.total, data.currency
    reported = event.event.removeprefix("order_")
    if partial:
        reported = "partially_fulfilled"
    order.status = _progress(order.status, reported)
    session.add(order)
    return order


def _progress(current: str, reported: str) -> str:
    if CANCELLED in (current, reported):
        return CANCELLED
    known = [status for status in (current, reported) if status in ORDER_PROGRESS]
    return max(known, key=ORDER_PROGRESS.index) if known else reported


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
    return order


def _order(session: Session, order_id: str, seen_at: datetime) -> models.Order:
    """The stored order or a new one; it was placed when the first event told of it."""
    order = session.get(models.Order, order_id) or models.Order(
        id=order_id, placed_at=seen_at, updated_at=utcnow()
    )
    order.placed_at = min(order.placed_at, seen_at)
    order.updated_at = utcnow()
    return order


def _order_customer_id(
    session: Session, data: OrderData, lookups: _Lookups | None = None
) -> str | None:
    """The customer by the order's email, else the customer of the order's cart."""
    if data.customer_email:
        return _customer(session, data.customer_email, lookups).id
    cart = session.get(models.Cart, data.cart_id) if data.cart_id else None
    return cart.customer_id if cart is not None else None


@dataclass(frozen=True)
class CustomerFacts:
    """A subject's customer (None for a guest) and their orders other than the subject's
    own, so a cart that was itself bought never makes its own customer `repeat`. Cancelled
    orders do not count."""

    customer: models.Customer | None
    order_count: int = 0
    lifetime_spend: Decimal = Decimal(0)


def customer_facts(
    session: Session, cart: models.Cart, lookups: _Lookups | None = None
) -> CustomerFacts:
    return _customer_facts(session, cart.customer_id, cart_id=cart.id, lookups=lookups)


def _customer_facts(
    session: Session,
    customer_id: str | None,
    *,
    cart_id: str | None = None,
    order_id: str | None = None,
    lookups: _Lookups | None = None,
) -> CustomerFacts:
    customer = session.get(models.Customer, customer_id) if customer_id else None
    if customer is None:
        return CustomerFacts(customer=None)
    if lookups is not None and customer.id in lookups.orders:
        counted = [
            total
            for other, (other_cart, total, status) in lookups.orders[customer.id].items()
            if status != CANCELLED
            and other != order_id
            and (cart_id is None or other_cart is None or other_cart != cart_id)
        ]
        return CustomerFacts(
            customer, order_count=len(counted), lifetime_spend=sum(counted, Decimal(0))
        )
    query = select(func.count(), func.coalesce(func.sum(models.Order.total), 0)).where(
        models.Order.customer_id == customer.id, models.Order.status != CANCELLED
    )
    if cart_id is not None:
        query = query.where(
            or_(col(models.Order.cart_id).is_(None), col(models.Order.cart_id) != cart_id)
        )
    if order_id is not None:
        query = query.where(models.Order.id != order_id)
    count, spend = session.exec(query).one()
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
    return {
        "cart": _cart_context(cart),
        "customer": _customer_context(facts, settings),
        # The interpreter resolves the `customer` time zone from customer.timezone, then this.
        "shop": {"timezone": settings.shop_timezone},
        "event": {"type": event},
    }


def _cart_context(cart: models.Cart) -> dict[str, Any]:
    categories = {item.get("category") for item in cart.items}
    return {
        "id": cart.id,
        "total": float(cart.total),
        "subtotal": float(cart.subtotal),
        "currency": cart.currency,
        "item_count": sum(int(item.get("quantity", 1)) for item in cart.items),
        "has_email": cart.customer_id is not None,
        "categories": sorted(c for c in categories if isinstance(c, str) and c),
    }


def order_enrolment_context(
    order: models.Order,
    cart: models.Cart | None,
    event: str,
    history: OrderHistory,
    facts: CustomerFacts,
    settings: Settings,
) -> dict[str, Any]:
    """Non-personal facts about the order (and its cart, if any) and its customer."""
    described: dict[str, Any] = {
        "id": order.id,
        "total": float(order.total),
        "currency": order.currency,
        "status": order.status,
    }
    if (item_count := history.item_count) is not None:
        described["item_count"] = item_count
    if (partial := history.partial) is not None:
        described["partial"] = partial
    context: dict[str, Any] = {
        "order": described,
        "customer": _customer_context(facts, settings),
        "shop": {"timezone": settings.shop_timezone},
        "event": {"type": event},
    }
    if cart is not None:
        context["cart"] = _cart_context(cart)
    return context


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


def _with_personal_facts(context: dict[str, Any], facts: CustomerFacts) -> dict[str, Any]:
    """What trigger filters may test: the journey context plus facts derived from personal
    data (the email's domain). Evaluated here, in the service; never sent to Temporal."""
    result = {**context, "customer": dict(context["customer"])}
    if facts.customer is not None:
        result["customer"]["email_domain"] = facts.customer.email.rpartition("@")[2]
    return result


def filter_facts(
    cart: models.Cart, event: str, facts: CustomerFacts, settings: Settings
) -> dict[str, Any]:
    return _with_personal_facts(enrolment_context(cart, event, facts, settings), facts)


def customer_tags(customer: models.Customer | None) -> list[str]:
    """The customer's tags (wholesale, staff, ...); none for a guest."""
    return sorted(customer.tags or []) if customer is not None else []


def enrolments_for(
    session: Session,
    settings: Settings,
    cart: models.Cart,
    trigger: str,
    *,
    now: datetime,
    lookups: _Lookups | None = None,
) -> list[Enrol]:
    """A journey for each active automation whose trigger and filters match the cart and
    whose re-entry cooldown lets its customer in again.

    Each enrolment is recorded (an `Enrolment` row) in the caller's transaction, which
    stores the returned effects with it. `now` is when we enrol, not when the shop says
    the cart was abandoned: the cooldown spaces the journeys a customer actually gets,
    and an old or replayed event must not slip past it.
    """
    lookups = lookups or _Lookups()
    candidates = lookups.active_for(session, trigger)
    if not candidates:
        return []
    facts = customer_facts(session, cart, lookups)
    context = enrolment_context(cart, trigger, facts, settings)
    matching = _matching(candidates, _with_personal_facts(context, facts))
    subject = _Subject(cart.id, cart_id=cart.id, customer_id=cart.customer_id)
    return _enrol(session, subject, matching, context, now, lookups)


def order_enrolments_for(
    session: Session,
    settings: Settings,
    order: models.Order,
    trigger: str,
    history: OrderHistory,
    *,
    now: datetime,
    lookups: _Lookups | None = None,
) -> list[Enrol]:
    """A post-purchase journey, with the order as its subject, for each active automation
    triggered by this order event whose filters match and whose cooldown lets the customer
    in. An order enters an automation once: a repeated or later event of the same type
    (another partial fulfilment) starts nothing new. A cancelled order enters none."""
    lookups = lookups or _Lookups()
    candidates = lookups.active_for(session, trigger)
    if not candidates or order.status == CANCELLED:
        return []

    cart = session.get(models.Cart, order.cart_id) if order.cart_id else None
    facts = _customer_facts(
        session, order.customer_id, cart_id=order.cart_id, order_id=order.id, lookups=lookups
    )
    context = order_enrolment_context(order, cart, trigger, history, facts, settings)
    matching = _matching(candidates, _with_personal_facts(context, facts))
    entered = set(
        session.exec(
            select(models.Enrolment.automation_id).where(models.Enrolment.subject_id == order.id)
        ).all()
    )
    matching = [(a, d) for a, d in matching if a.id not in entered]
    subject = _Subject(
        order.id, cart_id=order.cart_id, customer_id=order.customer_id, order_id=order.id
    )
    return _enrol(session, subject, matching, context, now, lookups)


@dataclass(frozen=True)
class _Subject:
    """What a journey is about: a cart, or an order (post-purchase)."""

    id: str
    cart_id: str | None
    customer_id: str | None
    order_id: str | None = None


def _enrol(
    session: Session,
    subject: _Subject,
    matching: list[tuple[models.Automation, Automation]],
    context: dict[str, Any],
    now: datetime,
    lookups: _Lookups,
) -> list[Enrol]:
    """The journeys of the matching automations that the re-entry cooldown lets the subject's
    customer into, each recorded as an `Enrolment` in the caller's transaction."""
    customer_id = subject.customer_id
    if customer_id and any(d.settings.reentry_cooldown for _, d in matching):
        _lock_customer(session, customer_id)
    quiet_actions = list(_quiet_actions())
    enrolments = []
    for automation, definition in matching:
        if _cooling_down(session, automation.id, definition, customer_id, subject.id, now):
            continue
        _remember_enrolment(
            session, automation, subject.id, subject.cart_id, customer_id, now, lookups
        )
        journey = JourneyInput(
            automation_id=automation.id,
            automation_version=automation.current_version,
            definition=definition,
            subject_id=subject.id,
            cart_id=subject.cart_id,
            customer_id=customer_id,
            order_id=subject.order_id,
            context=context,
            quiet_actions=quiet_actions,
        )
        enrolments.append(Enrol(journey=journey))
    return enrolments


@functools.cache
def _quiet_actions() -> tuple[str, ...]:
    """Read once per process: the registry scans the installed entry points on every call
    (milliseconds), and what a process can run does not change while it runs (the worker
    registers its actions once, at start)."""
    return tuple(quiet_action_names())


def _matching(
    candidates: Iterable[tuple[models.Automation, Automation]], conditions: dict[str, Any]
) -> list[tuple[models.Automation, Automation]]:
    return [
        (automation, definition)
        for automation, definition in candidates
        if definition.trigger.filters is None or evaluate(definition.trigger.filters, conditions)
    ]


def _lock_customer(session: Session, customer_id: str) -> None:
    """Two subjects of one customer enrolled at once must not both pass the cooldown check:
    the second waits here for the first to commit (PostgreSQL; SQLite writes one at a time
    and the subject was already written in this transaction). NO KEY UPDATE, because
    writing the subject already holds KEY SHARE on its customer, which FOR UPDATE would
    deadlock on."""
    session.exec(
        select(models.Customer.id)
        .where(models.Customer.id == customer_id)
        .with_for_update(key_share=True)
    ).one()


def _cooling_down(
    session: Session,
    automation_id: str,
    definition: Automation,
    customer_id: str | None,
    subject_id: str,
    now: datetime,
) -> bool:
    """Whether the subject's customer entered this automation, with another subject, less
    than its re-entry cooldown ago. Guests have no history to cool down from."""
    cooldown = definition.settings.reentry_cooldown
    if not cooldown or customer_id is None:
        return False
    earlier = session.exec(
        select(models.Enrolment.id)
        .where(
            models.Enrolment.automation_id == automation_id,
            models.Enrolment.customer_id == customer_id,
            models.Enrolment.subject_id != subject_id,  # never blocked by its own earlier entry
            col(models.Enrolment.enrolled_at) > now - cooldown,
        )
        .limit(1)
    ).first()
    return earlier is not None


def _remember_enrolment(
    session: Session,
    automation: models.Automation,
    subject_id: str,
    cart_id: str | None,
    customer_id: str | None,
    now: datetime,
    lookups: _Lookups | None = None,
) -> None:
    """Record the subject's entry once; enrolling it again (idempotent in Temporal) keeps the
    first record, so its time is when the journey really began."""
    if automation.id in (lookups or _Lookups()).entered_by(session, subject_id):
        return
    session.add(
        models.Enrolment(
            automation_id=automation.id,
            automation_version=automation.current_version,
            subject_id=subject_id,
            cart_id=cart_id,
            customer_id=customer_id,
            enrolled_at=now,
        )
    )
    if lookups is not None:
        lookups.entered.add((automation.id, subject_id))


def _signal_cart(
    session: Session, cart_id: str, signal: JourneySignal, lookups: _Lookups | None = None
) -> SignalJourneys:
    """Every journey this cart can have: one per automation, by deterministic id."""
    automation_ids = (lookups or _Lookups()).all_automation_ids(session)
    return SignalJourneys(
        workflow_ids=[journey_id(automation_id, cart_id) for automation_id in automation_ids],
        signal=signal,
    )


def _signal_order(
    session: Session, order_id: str, signal: JourneySignal, lookups: _Lookups | None = None
) -> SignalJourneys | None:
    """The order's own (post-purchase) journeys: those its enrolments started."""
    automation_ids = sorted((lookups or _Lookups()).entered_by(session, order_id))
    if not automation_ids:
        return None
    return SignalJourneys(
        workflow_ids=[journey_id(automation_id, order_id) for automation_id in automation_ids],
        signal=signal,
    )
