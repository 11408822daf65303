"""What a simulation knows of the past: the carts it replays, and for each what really
happened afterwards, as the journeys and the purchase check would have learnt it.

Carts come from the database in batches that keep each customer's carts together (their
journeys share the frequency cap and the re-entry cooldown), or from sample carts the
caller describes. Per batch a handful of queries load everything: the carts and their
customers, the customers' orders (their segment as it was), the carts' order and recovery
events, the customers' unsubscribes and suppressions, clicks on the carts' emails, and the
emails the customers really got from other automations (the frequency cap counts them).
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from engine.language.events import CartAbandonedData
from engine.language.simulations import CartSelection, SampleCart
from engine.language.simulator import Happening
from engine.service.enrolment import CustomerFacts, spend_by_currency
from engine.service.frequency import counted
from engine.service.lookups import normalised_email
from engine.service.orders import CANCELLED
from engine.store import models

BATCH_SIZE = 500  # carts per batch (a customer's carts are never split across two)
PURCHASES = ("order_placed", "order_paid")
ORDER_EVENTS = ("order_placed", "order_paid", "order_fulfilled", "order_delivered",
                "order_cancelled")  # fmt: skip


@dataclass(frozen=True)
class PastOrder:
    order_id: str
    cart_id: str | None
    placed_at: datetime
    total: Decimal
    currency: str
    status: str


@dataclass
class CartCase:
    """One cart to replay: as it is stored, with its customer and what happened later."""

    cart: models.Cart
    customer: models.Customer | None
    start: datetime  # when it was abandoned: its journey starts then
    happenings: list[Happening] = field(default_factory=list)
    orders: list[PastOrder] = field(default_factory=list)  # its customer's, all of them

    def facts(self) -> CustomerFacts:
        """The customer as enrolment saw them at `start`: orders placed before, other than
        this cart's own, not cancelled (engine.service.enrolment.customer_facts)."""
        if self.customer is None:
            return CustomerFacts(customer=None)
        counted_orders = [
            order
            for order in self.orders
            if order.placed_at < self.start
            and order.status != CANCELLED
            and (order.cart_id is None or order.cart_id != self.cart.id)
        ]
        return CustomerFacts(
            self.customer,
            order_count=len(counted_orders),
            lifetime_spend=spend_by_currency((o.currency, o.total) for o in counted_orders),
        )

    def stopped_by(self, at: datetime) -> Happening | None:
        """The first purchase, recovery or unsubscribe at or before `at`, if any: a send then
        would land after it."""
        for happening in sorted(self.happenings, key=lambda h: h.at):
            if happening.at > at:
                return None
            if happening.known:
                return happening
        return None


@dataclass
class Batch:
    cases: list[CartCase]
    # Emails the customers really got (counted by the frequency cap), by address.
    sent: dict[str, list[datetime]] = field(default_factory=dict)
    # When each address was put on the suppression list (unsubscribe, bounce, complaint).
    suppressed_at: dict[str, datetime] = field(default_factory=dict)

    def by_customer(self) -> list[list[CartCase]]:
        """The cases, one group per customer (each guest cart alone), each in time order."""
        groups: dict[str, list[CartCase]] = defaultdict(list)
        for case in self.cases:
            groups[case.cart.customer_id or f"guest:{case.cart.id}"].append(case)
        return [sorted(group, key=lambda c: (c.start, c.cart.id)) for group in groups.values()]


@dataclass(frozen=True)
class Selected:
    cart_id: str
    customer_id: str | None
    abandoned_at: datetime


def select_carts(session: Session, selection: CartSelection) -> list[Selected]:
    """The abandoned carts asked for, newest first (ids only: a few MB at 100,000)."""
    query = select(models.Cart.id, models.Cart.customer_id, models.Cart.abandoned_at).where(
        col(models.Cart.abandoned_at).is_not(None)
    )
    if selection.abandoned_from is not None:
        query = query.where(col(models.Cart.abandoned_at) >= selection.range_start)
    if selection.abandoned_to is not None:
        query = query.where(col(models.Cart.abandoned_at) < selection.range_end)
    query = query.order_by(col(models.Cart.abandoned_at).desc(), col(models.Cart.id).desc())
    rows = session.exec(query.limit(selection.count)).all()
    return [Selected(cart_id, customer_id, at) for cart_id, customer_id, at in rows if at]


def batches_of(selected: Sequence[Selected], size: int = BATCH_SIZE) -> Iterator[list[str]]:
    """Cart ids in batches of about `size`, each customer's carts in one batch."""
    by_customer: dict[str, list[str]] = defaultdict(list)
    for row in selected:
        by_customer[row.customer_id or f"guest:{row.cart_id}"].append(row.cart_id)
    batch: list[str] = []
    for cart_ids in by_customer.values():
        batch.extend(cart_ids)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_batch(session: Session, cart_ids: list[str], exclude_automation: str | None) -> Batch:
    """Everything the journeys of these carts need, in a few queries. The emails of
    `exclude_automation` itself are left out of the cap: the simulated definition stands
    in for it."""
    carts = session.exec(select(models.Cart).where(col(models.Cart.id).in_(cart_ids))).all()
    customer_ids = sorted({cart.customer_id for cart in carts if cart.customer_id})
    customers = {
        customer.id: customer
        for customer in session.exec(
            select(models.Customer).where(col(models.Customer.id).in_(customer_ids))
        )
    }
    emails = sorted(customer.email for customer in customers.values())
    since = min((cart.abandoned_at for cart in carts if cart.abandoned_at), default=None)
    orders = _orders(session, customer_ids)
    by_cart = _cart_events(session, cart_ids)
    unsubscribes = _unsubscribes(session, emails, since)
    suppressed_at = _suppressions(session, emails)
    clicks = _clicks(session, cart_ids)
    cases = []
    for cart in carts:
        assert cart.abandoned_at is not None
        customer = customers.get(cart.customer_id) if cart.customer_id else None
        email = customer.email if customer else None
        happenings = [
            *(_order_happening(type_, at, cart.abandoned_at) for type_, at in by_cart[cart.id]),
            *(Happening(at, "unsubscribed", ("unsubscribed",)) for at in unsubscribes[email]),
            *(Happening(at, "email_clicked") for at in clicks[cart.id]),
        ]
        if email in suppressed_at:
            happenings.append(Happening(suppressed_at[email], None, ("unsubscribed",)))
        cases.append(
            CartCase(
                cart=cart,
                customer=customer,
                start=cart.abandoned_at,
                happenings=happenings,
                orders=orders.get(cart.customer_id or "", []),
            )
        )
    sent = _sent(session, emails, since, exclude_automation) if since else {}
    return Batch(cases=cases, sent=sent, suppressed_at=suppressed_at)


def _order_happening(type_: str, at: datetime, abandoned_at: datetime) -> Happening:
    """What the journey hears of a cart's order or recovery event, and what the purchase
    check finds from then on: a purchase, and (engine.service.orders.settle_cart) any order
    but a cancelled one recovers a cart that was abandoned by then."""
    if type_ == "cart_recovered":
        return Happening(at, type_, ("cart_recovered",))
    known = ["order_placed"] if type_ in PURCHASES else []
    if type_ != "order_cancelled" and at >= abandoned_at:
        known.append("cart_recovered")
    return Happening(at, type_, tuple(known))


def _orders(session: Session, customer_ids: list[str]) -> dict[str, list[PastOrder]]:
    found: dict[str, list[PastOrder]] = defaultdict(list)
    if not customer_ids:
        return found
    for order in session.exec(
        select(models.Order).where(col(models.Order.customer_id).in_(customer_ids))
    ):
        assert order.customer_id is not None
        found[order.customer_id].append(
            PastOrder(
                order.id, order.cart_id, order.placed_at, order.total, order.currency, order.status
            )
        )
    return found


def _cart_events(session: Session, cart_ids: list[str]) -> dict[str, list[tuple[str, datetime]]]:
    found: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
    rows = session.exec(
        select(models.Event.cart_id, models.Event.type, models.Event.occurred_at).where(
            col(models.Event.cart_id).in_(cart_ids),
            col(models.Event.type).in_(("cart_recovered", *ORDER_EVENTS)),
        )
    )
    for cart_id, type_, at in rows:
        found[cart_id or ""].append((type_, at))
    return found


def _unsubscribes(
    session: Session, emails: list[str], since: datetime | None
) -> dict[str | None, list[datetime]]:
    """Unsubscribe events of these addresses since `since` (earlier ones show as the
    address's suppression)."""
    found: dict[str | None, list[datetime]] = defaultdict(list)
    if not emails or since is None:
        return found
    wanted = set(emails)
    rows = session.exec(
        select(models.Event.data, models.Event.occurred_at).where(
            models.Event.type == "unsubscribed", col(models.Event.occurred_at) >= since
        )
    )
    for data, at in rows:
        email = normalised_email(str(data.get("customer_email", "")))
        if email in wanted:
            found[email].append(at)
    return found


def _suppressions(session: Session, emails: list[str]) -> dict[str, datetime]:
    if not emails:
        return {}
    rows = session.exec(
        select(models.Suppression.email, models.Suppression.created_at).where(
            col(models.Suppression.email).in_(emails)
        )
    )
    return dict(rows.all())


def _clicks(session: Session, cart_ids: list[str]) -> dict[str, list[datetime]]:
    found: dict[str, list[datetime]] = defaultdict(list)
    rows = session.exec(
        select(models.Message.cart_id, models.MessageEvent.occurred_at)
        .join(models.Message, col(models.Message.id) == col(models.MessageEvent.message_id))
        .where(col(models.Message.cart_id).in_(cart_ids), models.MessageEvent.event == "clicked")
    )
    for cart_id, at in rows:
        found[cart_id or ""].append(at)
    return found


def _sent(
    session: Session, emails: list[str], since: datetime, exclude_automation: str | None
) -> dict[str, list[datetime]]:
    """Emails the frequency cap counts, sent to these addresses since a year before `since`
    (no cap window is longer)."""
    found: dict[str, list[datetime]] = defaultdict(list)
    if not emails:
        return found
    query = select(models.Message.to_email, models.Message.created_at).where(
        col(models.Message.to_email).in_(emails),
        counted(),
        col(models.Message.status).in_(("sending", "sent")),
        col(models.Message.created_at) > since - timedelta(days=366),
    )
    if exclude_automation is not None:
        query = query.where(
            (col(models.Message.automation_id).is_(None))
            | (col(models.Message.automation_id) != exclude_automation)
        )
    for email, at in session.exec(query):
        found[email].append(at)
    return found


def sample_batch(samples: list[SampleCart]) -> Batch:
    """Carts the caller describes, with their later events: nothing is read or written."""
    cases = []
    for sample in samples:
        cart = _sample_cart(sample)
        customer = models.Customer(
            id=f"sample:{sample.cart_id}",
            email=normalised_email(str(sample.customer_email)),
            timezone=sample.customer_timezone,
        )
        if sample.customer is not None:
            known = sample.customer
            customer.first_name, customer.last_name = known.first_name, known.last_name
            customer.locale, customer.tags = known.locale, list(known.tags or [])
            customer.accepts_marketing, customer.registered = (
                known.accepts_marketing,
                known.registered,
            )
        cart.customer_id = customer.id
        happenings = [
            _sample_happening(event.event, event.at, sample.abandoned_at) for event in sample.events
        ]
        cases.append(CartCase(cart, customer, sample.abandoned_at, happenings))
    return Batch(cases=cases)


def _sample_cart(sample: CartAbandonedData) -> models.Cart:
    return models.Cart(
        id=sample.cart_id,
        status="abandoned",
        items=[item.model_dump(mode="json", exclude_none=True) for item in sample.items],
        subtotal=sample.subtotal,
        shipping=sample.shipping,
        tax=sample.tax,
        total=sample.total,
        currency=sample.currency,
        recovery_url=sample.recovery_url,
        abandoned_at=sample.abandoned_at,
    )


def _sample_happening(event: str, at: datetime, abandoned_at: datetime) -> Happening:
    if event == "unsubscribed":
        return Happening(at, event, ("unsubscribed",))
    if event == "cart_recovered" or event in ORDER_EVENTS:
        return _order_happening(event, at, abandoned_at)
    return Happening(at, event)
