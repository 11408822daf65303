"""Orders as their events tell of them: upserted, linked to the customer and the cart, their
status moving only forward; and what an order event says beyond the order's row (item
count, partial fulfilment)."""

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cached_property
from typing import Any, get_args

from sqlmodel import Session, col, select

from engine.language.definition import OrderEventType
from engine.language.events import OrderData, OrderEvent
from engine.service import customers
from engine.service.lookups import Lookups, customer_by_email
from engine.store import models
from engine.store.types import utcnow

ORDER_EVENTS: tuple[str, ...] = get_args(OrderEventType)
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


def record_order(
    session: Session,
    event: OrderEvent,
    partial: bool | None = None,
    lookups: Lookups | None = None,
) -> models.Order:
    """Upsert the order an order event tells of, linked to its customer."""
    data = event.data
    order = _order(session, data.order_id, event.timestamp)
    order.customer_id = _order_customer_id(session, data, lookups) or order.customer_id
    order.cart_id = data.cart_id or order.cart_id
    if data.total is not None:
        order.total, order.currency = data.total, data.currency
    for fact in ("tracking_number", "tracking_company", "tracking_url"):
        if (value := getattr(data, fact)) is not None:
            setattr(order, fact, value)
    reported = event.event.removeprefix("order_")
    if partial:
        reported = "partially_fulfilled"
    order.status = _progress(order.status, reported)
    session.add(order)
    return order


def settle_cart(
    session: Session, order: models.Order, at: datetime, lookups: Lookups | None = None
) -> None:
    """An order for a tracked cart: an abandoned cart is recovered by it (the revenue won
    back), an active one was bought before it was ever abandoned. A cancelled order settles
    nothing."""
    if order.cart_id is None or order.status == CANCELLED:
        return
    cart = (lookups or Lookups()).cart(session, order.cart_id)
    if cart is None:
        return
    if cart.status == "abandoned":
        cart.status, cart.recovered_at, cart.order_id = "recovered", at, order.id
    elif cart.status == "active":
        cart.status, cart.order_id = "ordered", order.id
    else:
        return
    cart.customer_id = cart.customer_id or order.customer_id
    session.add(cart)


def mark_codes_used(session: Session, codes: Iterable[str], order_id: str, at: datetime) -> None:
    """Our codes among those an order used are used now (once: the first order keeps it)."""
    wanted = {code.strip().upper() for code in codes if code.strip()}
    if not wanted:
        return
    for discount in session.exec(
        select(models.DiscountCode).where(col(models.DiscountCode.code).in_(sorted(wanted)))
    ):
        if discount.used_at is None:
            discount.used_at, discount.order_id = at, order_id
            discount.times_used += 1
            session.add(discount)


def _progress(current: str, reported: str) -> str:
    if CANCELLED in (current, reported):
        return CANCELLED
    known = [status for status in (current, reported) if status in ORDER_PROGRESS]
    return max(known, key=ORDER_PROGRESS.index) if known else reported


def record_recovery_order(
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
    session: Session, data: OrderData, lookups: Lookups | None = None
) -> str | None:
    """The customer by the order's email, else the customer of the order's cart."""
    if data.customer_email:
        customer = customer_by_email(session, data.customer_email, lookups)
        customers.learn(customer, data.customer)
        return customer.id
    cart = session.get(models.Cart, data.cart_id) if data.cart_id else None
    return cart.customer_id if cart is not None else None
