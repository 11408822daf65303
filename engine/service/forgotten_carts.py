"""The results' figures of carts no longer held (DESIGN: retention and erasure).

Before retention or an erasure deletes carts, `fold` adds what the results counted of them to
non-personal daily counts (`ForgottenCarts`), each on the day of the moment the results count
it by; the overview and each automation's results add those counts back
(engine/service/analytics.py), so the figures of a past period do not change when its carts
go. Amounts are kept per currency, as the results report them.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from engine.language.carts import WAS_ABANDONED as ABANDONED
from engine.store.models import Cart, Customer, Enrolment, ForgottenCarts, Order, Suppression

SHOP = "shop"  # the overview's scope; an automation's results use the automation's id


@dataclass
class DayFigures:
    abandoned: int = 0
    contactable: int = 0
    created: int = 0
    created_abandoned: int = 0
    recovered: int = 0
    revenue: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    recovery_seconds: list[float] = field(default_factory=list)


def fold(session: Session, carts: Sequence[Cart]) -> None:
    """Count these carts into the forgotten figures (the caller deletes them, in the same
    transaction): for the shop, and for each automation they entered."""
    if not carts:
        return
    ids = [cart.id for cart in carts]
    scopes: dict[str, list[str]] = defaultdict(list)  # cart id → automations entered
    for automation_id, cart_id in session.exec(
        select(Enrolment.automation_id, Enrolment.cart_id).where(col(Enrolment.cart_id).in_(ids))
    ).all():
        assert cart_id is not None
        if automation_id not in scopes[cart_id]:
            scopes[cart_id].append(automation_id)
    contactable = _contactable(session, carts)
    amounts = _recovered_amounts(session, carts)
    figures: dict[tuple[date, str], DayFigures] = defaultdict(DayFigures)
    for cart in carts:
        for scope in (SHOP, *scopes[cart.id]):
            _count(figures, scope, cart, cart.id in contactable, amounts.get(cart.id))
    _add(session, figures)


def _count(
    figures: dict[tuple[date, str], DayFigures],
    scope: str,
    cart: Cart,
    contactable: bool,
    amount: tuple[str, Decimal] | None,
) -> None:
    if cart.abandoned_at is not None:
        day = figures[(cart.abandoned_at.date(), scope)]
        day.abandoned += 1
        day.contactable += contactable
    if cart.status in (*ABANDONED, "ordered"):
        day = figures[(cart.created_at.date(), scope)]
        day.created += 1
        day.created_abandoned += cart.status in ABANDONED
    if cart.status == "recovered" and cart.recovered_at is not None and amount is not None:
        day = figures[(cart.recovered_at.date(), scope)]
        day.recovered += 1
        currency, value = amount
        day.revenue[currency] += value
        if cart.abandoned_at is not None and cart.recovered_at >= cart.abandoned_at:
            day.recovery_seconds.append((cart.recovered_at - cart.abandoned_at).total_seconds())


def _contactable(session: Session, carts: Sequence[Cart]) -> set[str]:
    """The carts the overview counts as contactable: a customer with an address that is not
    suppressed."""
    customer_ids = {cart.customer_id for cart in carts if cart.customer_id}
    if not customer_ids:
        return set()
    reachable = set(
        session.exec(
            select(Customer.id)
            .outerjoin(Suppression, col(Suppression.email) == Customer.email)
            .where(
                col(Customer.id).in_(customer_ids),
                Customer.email != "",
                col(Suppression.email).is_(None),
            )
        ).all()
    )
    return {cart.id for cart in carts if cart.customer_id in reachable}


def _recovered_amounts(session: Session, carts: Sequence[Cart]) -> dict[str, tuple[str, Decimal]]:
    """What each recovered cart brought, as the results read it: the recovering order's total
    when the shop reported the order, else the cart's."""
    recovered = [cart for cart in carts if cart.status == "recovered"]
    order_ids = [cart.order_id for cart in recovered if cart.order_id]
    orders = {
        order.id: order
        for order in (
            session.exec(select(Order).where(col(Order.id).in_(order_ids))).all()
            if order_ids
            else []
        )
    }
    amounts = {}
    for cart in recovered:
        order = orders.get(cart.order_id or "")
        amounts[cart.id] = (
            (order.currency, order.total) if order is not None else (cart.currency, cart.total)
        )
    return amounts


def _add(session: Session, figures: dict[tuple[date, str], DayFigures]) -> None:
    """Add to the stored rows (one per day and scope), creating the missing ones; a row
    another transaction created meanwhile is read again and added to."""
    for (day, scope), add in sorted(figures.items()):
        for _attempt in range(3):
            row = session.exec(
                select(ForgottenCarts)
                .where(ForgottenCarts.day == day, ForgottenCarts.scope == scope)
                .with_for_update()
            ).first()
            try:
                with session.begin_nested():
                    if row is None:
                        row = ForgottenCarts(day=day, scope=scope, revenue={}, recovery_seconds=[])
                    _merge(row, add)
                    session.add(row)
                break
            except IntegrityError:
                continue


def _merge(row: ForgottenCarts, add: DayFigures) -> None:
    row.abandoned += add.abandoned
    row.contactable += add.contactable
    row.created += add.created
    row.created_abandoned += add.created_abandoned
    row.recovered += add.recovered
    revenue = {currency: Decimal(amount) for currency, amount in row.revenue.items()}
    for currency, amount in add.revenue.items():
        revenue[currency] = revenue.get(currency, Decimal(0)) + amount
    row.revenue = {currency: str(amount) for currency, amount in sorted(revenue.items())}
    row.recovery_seconds = [*row.recovery_seconds, *add.recovery_seconds]


def within(session: Session, scope: str, first: date, last: date) -> list[ForgottenCarts]:
    """The forgotten figures of `scope` on the days from `first` to `last` (both included)."""
    return list(
        session.exec(
            select(ForgottenCarts).where(
                ForgottenCarts.scope == scope,
                col(ForgottenCarts.day) >= first,
                col(ForgottenCarts.day) <= last,
            )
        ).all()
    )


def revenue_of(row: ForgottenCarts) -> Iterable[tuple[str, Decimal]]:
    return ((currency, Decimal(amount)) for currency, amount in row.revenue.items())
