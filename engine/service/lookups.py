"""What one ingest call reads once instead of once per event: customers, carts, their
newest contents, orders, enrolments and the active automations, kept current as the call
writes. Shared by applying events, recording orders and enrolment."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam
from sqlmodel import Session, col, func, select

from engine.language.definition import Automation
from engine.language.events import Event, OrderEvent
from engine.language.money import ShopMoney
from engine.runtime.settings import Settings
from engine.service import automations, erased_addresses, shop_settings
from engine.service.shop_settings import with_default_quiet_hours
from engine.store import models
from engine.store.types import utcnow

# Events that carry a cart's contents; the newest one's contents are the cart's.
CART_CONTENT_EVENTS = ("cart_updated", "checkout_started", "cart_abandoned")
# Abandonments found by inactivity are recorded as events too (engine.service.idle_carts),
# with ids `idle_…`; they carry no contents and no shop timestamp.
DETECTED_ID_PREFIX = "idle"


# The reads of a call, built once with placeholders: building a statement costs about as much
# as running one of these, and every ingest call runs several.
_CUSTOMERS = select(models.Customer).where(
    col(models.Customer.email).in_(bindparam("emails", expanding=True))
)
_ORDERS = select(models.Order).where(
    col(models.Order.customer_id).in_(bindparam("customer_ids", expanding=True))
)
_ENROLMENTS = select(models.Enrolment.automation_id, models.Enrolment.subject_id).where(
    col(models.Enrolment.subject_id).in_(bindparam("subject_ids", expanding=True))
)
_CARTS = select(models.Cart).where(col(models.Cart.id).in_(bindparam("cart_ids", expanding=True)))
_NEWEST_CONTENTS = (
    select(models.Event.cart_id, func.max(models.Event.occurred_at))
    .where(
        col(models.Event.cart_id).in_(bindparam("cart_ids", expanding=True)),
        col(models.Event.type).in_(CART_CONTENT_EVENTS),
        ~col(models.Event.id).startswith(f"{DETECTED_ID_PREFIX}_"),
    )
    .group_by(col(models.Event.cart_id))
)


@dataclass
class Lookups:
    """What one ingest call reads once instead of once per event."""

    customers: dict[str, models.Customer] = field(default_factory=dict)  # by normalised email
    emails_looked_up: set[str] = field(default_factory=set)  # found or not: no need to ask again
    # The shop timestamp of each cart's newest contents (`CART_CONTENT_EVENTS`).
    cart_seen: dict[str, datetime] = field(default_factory=dict)
    candidates: dict[str, list[tuple[models.Automation, Automation]]] = field(default_factory=dict)
    automation_ids: list[str] | None = None
    carts: dict[str, models.Cart | None] = field(default_factory=dict)  # None: not stored yet
    # The orders of the customers preloaded (order id → cart id, total, currency, status),
    # kept up to date as this call records orders; the segment is computed from them.
    orders: dict[str, dict[str, tuple[str | None, Decimal, str, str]]] = field(default_factory=dict)
    # (automation id, subject id) of the enrolments of the subjects preloaded.
    entered: set[tuple[str, str]] = field(default_factory=set)
    subjects_loaded: set[str] = field(default_factory=set)
    consent_required: bool | None = None  # the shop's setting, read once a call
    shop_money: ShopMoney | None = None  # the shop's currency and rates, read once a call
    anything_erased: bool | None = None  # whether any address was ever erased, read once a call

    def requires_consent(self, session: Session, settings: Settings) -> bool:
        """Whether only customers who accept marketing may enter automations (shop setting)."""
        if self.consent_required is None:
            effective = shop_settings.effective_settings(session, settings)
            self.consent_required = effective.require_marketing_consent
        return self.consent_required

    def money(self, session: Session, settings: Settings) -> ShopMoney:
        """The shop's currency and rates (shop setting)."""
        if self.shop_money is None:
            self.shop_money = shop_settings.shop_money(session, settings)
        return self.shop_money

    def stays_out(self, session: Session, customer: models.Customer | None) -> bool:
        """Whether this customer's address was erased and came back (they enter nothing); no
        query per enrolment while nothing was ever erased."""
        if self.anything_erased is None:
            self.anything_erased = erased_addresses.anything_erased(session)
        return self.anything_erased and erased_addresses.stays_out(session, customer)

    def preload(self, session: Session, events: Sequence[Event]) -> None:
        emails = {normalised_email(e) for event in events if (e := _email_of(event))}
        if emails:
            self.customers.update(
                (customer.email, customer)
                for customer in session.exec(_CUSTOMERS, params={"emails": list(emails)})
            )
            self.emails_looked_up |= emails
            # The new ones are written first, in one statement: rows below refer to them.
            self._preload_orders(session, [customer.id for customer in self.customers.values()])
            new = [_new_customer(email) for email in sorted(emails - self.customers.keys())]
            if new:
                session.add_all(new)
                session.flush()
                # As `customer_by_email` does for one: an erased address that comes back is
                # suppressed at once, so enrolment (`erased_addresses.stays_out`) keeps it out.
                erased_addresses.suppress_erased(session, new)
                self.customers.update((customer.email, customer) for customer in new)
                self.orders.update((customer.id, {}) for customer in new)  # none yet
        cart_ids = {cart_id for event in events if (cart_id := cart_of(event))}
        order_ids = {order_id for event in events if (order_id := _order_of(event))}
        self._preload_enrolments(session, cart_ids | order_ids)
        if cart_ids:
            self.carts.update(dict.fromkeys(cart_ids))
            self.carts.update(
                (cart.id, cart)
                for cart in session.exec(_CARTS, params={"cart_ids": list(cart_ids)})
            )
            known = [cart_id for cart_id in cart_ids if self.carts[cart_id] is not None]
            if not known:
                return  # new carts: no events to be newer than
            self.cart_seen.update(
                (cart_id, newest)
                for cart_id, newest in session.exec(_NEWEST_CONTENTS, params={"cart_ids": known})
                if cart_id is not None and newest is not None
            )

    def _preload_orders(self, session: Session, customer_ids: list[str]) -> None:
        if not customer_ids:
            return
        for customer_id in customer_ids:
            self.orders.setdefault(customer_id, {})
        for order in session.exec(_ORDERS, params={"customer_ids": customer_ids}):
            if order.customer_id is not None:
                self.orders[order.customer_id][order.id] = (
                    order.cart_id,
                    order.total,
                    order.currency,
                    order.status,
                )

    def note_order(self, order: models.Order) -> None:
        """Keep the preloaded orders as this call leaves them."""
        for known in self.orders.values():
            known.pop(order.id, None)
        if order.customer_id in self.orders:
            self.orders[order.customer_id][order.id] = (
                order.cart_id,
                order.total,
                order.currency,
                order.status,
            )

    def _preload_enrolments(self, session: Session, subject_ids: set[str]) -> None:
        if subject_ids:
            self.entered |= set(
                session.exec(_ENROLMENTS, params={"subject_ids": list(subject_ids)}).all()
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
                    ~col(models.Event.id).startswith(f"{DETECTED_ID_PREFIX}_"),
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


def new_cart(cart_id: str) -> models.Cart:
    now = utcnow()
    return models.Cart(id=cart_id, items=[], created_at=now, updated_at=now)


def _new_customer(email: str) -> models.Customer:
    return models.Customer(id=models.new_id("cus"), email=email, tags=[], created_at=utcnow())


def _email_of(event: Event) -> str | None:
    email: str | None = getattr(event.data, "customer_email", None)
    return email


def cart_of(event: Event) -> str | None:
    cart_id: str | None = getattr(event.data, "cart_id", None)
    return cart_id


def _order_of(event: Event) -> str | None:
    return event.data.order_id if isinstance(event, OrderEvent) else None


def normalised_email(email: str) -> str:
    return email.strip().lower()


def customer_by_email(
    session: Session, email: str, lookups: Lookups | None = None
) -> models.Customer:
    """The customer with this address, created when new (written before rows that refer to it)."""
    normalised = normalised_email(email)
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
        erased_addresses.suppress_if_erased(session, customer)
    if lookups is not None:
        lookups.customers[normalised] = customer
    return customer
