"""Enrolment: which journeys a cart or an order enters, with what it knows of them.

The facts a journey gets (cart, order, the customer's segment, tags, order history; ids and
non-personal facts only, they travel into Temporal), trigger filters (which may also test
facts derived from personal data: evaluated here, never sent), the re-entry cooldown under a
per-customer lock, and the `Enrolment` rows. The effects returned are carried out by
engine.service.effects, from the events path and the abandonment schedule alike.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sqlmodel import Session, col, func, or_, select

from engine.language.actions import quiet_action_names
from engine.language.conditions import evaluate
from engine.language.contracts import JourneyInput, Subject
from engine.language.definition import Automation
from engine.language.money import ShopMoney, Threshold
from engine.language.money import compare as money_compare
from engine.runtime.settings import Settings
from engine.service.effects import Enrol
from engine.service.lookups import Lookups
from engine.service.orders import CANCELLED, OrderHistory
from engine.store import models


@dataclass(frozen=True)
class CustomerFacts:
    """A subject's customer (None for a guest) and their orders other than the subject's
    own, so a cart that was itself bought never makes its own customer `repeat`. Cancelled
    orders do not count."""

    customer: models.Customer | None
    order_count: int = 0
    # Per currency, never added across currencies (engine/language/money.py compares it).
    lifetime_spend: dict[str, Decimal] = field(default_factory=dict)


def spend_by_currency(orders: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """The sum of (currency, total) pairs per currency, in code order."""
    spend: dict[str, Decimal] = defaultdict(Decimal)
    for currency, total in orders:
        spend[currency.upper()] += total
    return dict(sorted(spend.items()))


def customer_facts(
    session: Session, cart: models.Cart, lookups: Lookups | None = None
) -> CustomerFacts:
    return _customer_facts(session, cart.customer_id, cart_id=cart.id, lookups=lookups)


def _customer_facts(
    session: Session,
    customer_id: str | None,
    *,
    cart_id: str | None = None,
    order_id: str | None = None,
    lookups: Lookups | None = None,
) -> CustomerFacts:
    customer = session.get(models.Customer, customer_id) if customer_id else None
    if customer is None:
        return CustomerFacts(customer=None)
    if lookups is not None and customer.id in lookups.orders:
        counted = [
            (currency, total)
            for other, (other_cart, total, currency, status) in lookups.orders[customer.id].items()
            if status != CANCELLED
            and other != order_id
            and (cart_id is None or other_cart is None or other_cart != cart_id)
        ]
        return CustomerFacts(
            customer, order_count=len(counted), lifetime_spend=spend_by_currency(counted)
        )
    query = (
        select(models.Order.currency, func.count(), func.sum(models.Order.total))
        .where(models.Order.customer_id == customer.id, models.Order.status != CANCELLED)
        .group_by(col(models.Order.currency))
    )
    if cart_id is not None:
        query = query.where(
            or_(col(models.Order.cart_id).is_(None), col(models.Order.cart_id) != cart_id)
        )
    if order_id is not None:
        query = query.where(models.Order.id != order_id)
    rows = session.exec(query).all()
    return CustomerFacts(
        customer,
        order_count=sum(count for _, count, _ in rows),
        lifetime_spend=spend_by_currency((currency, Decimal(spend)) for currency, _, spend in rows),
    )


Segment = Literal["new", "repeat", "vip"]


def segment(facts: CustomerFacts, vip_lifetime_spend: Threshold, money: ShopMoney) -> Segment:
    """`vip` (tagged so, or spent more than the threshold, as a rule `customer.lifetime_spend
    gt` the threshold judges it), `repeat` (ordered before) or `new` (guests too: we know
    nothing of them)."""
    if "vip" in customer_tags(facts.customer) or money_compare(
        facts.lifetime_spend, None, "gt", vip_lifetime_spend, money
    ):
        return "vip"
    return "repeat" if facts.order_count > 0 else "new"


def _spend_facts(facts: CustomerFacts) -> dict[str, float]:
    """The lifetime spend as the context holds it (floats, as every amount there)."""
    return {currency: float(spend) for currency, spend in facts.lifetime_spend.items()}


def _shop_context(settings: Settings, money: ShopMoney) -> dict[str, Any]:
    # The interpreter resolves the `customer` time zone from customer.timezone, then this;
    # money conditions read the currency and the rates (the journey keeps those it began with).
    return {"timezone": settings.shop_timezone, **money.facts()}


def enrolment_context(
    cart: models.Cart, event: str, facts: CustomerFacts, settings: Settings, money: ShopMoney
) -> dict[str, Any]:
    """Non-personal facts about the cart and its customer; they travel into Temporal."""
    return {
        "cart": _cart_context(cart),
        "customer": _customer_context(facts, settings, money),
        "shop": _shop_context(settings, money),
        "event": {"type": event},
    }


def _cart_context(cart: models.Cart) -> dict[str, Any]:
    categories = {item.get("category") for item in cart.items}
    return {
        "id": cart.id,
        "total": float(cart.total),
        "subtotal": float(cart.subtotal),
        "currency": cart.currency.upper(),
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
    money: ShopMoney,
) -> dict[str, Any]:
    """Non-personal facts about the order (and its cart, if any) and its customer."""
    described: dict[str, Any] = {
        "id": order.id,
        "total": float(order.total),
        "currency": order.currency.upper(),
        "status": order.status,
    }
    if (item_count := history.item_count) is not None:
        described["item_count"] = item_count
    if (partial := history.partial) is not None:
        described["partial"] = partial
    context: dict[str, Any] = {
        "order": described,
        "customer": _customer_context(facts, settings, money),
        "shop": _shop_context(settings, money),
        "event": {"type": event},
    }
    if cart is not None:
        context["cart"] = _cart_context(cart)
    return context


def _customer_context(facts: CustomerFacts, settings: Settings, money: ShopMoney) -> dict[str, Any]:
    customer = facts.customer
    context: dict[str, Any] = {
        "segment": segment(facts, settings.vip_lifetime_spend, money),
        "tags": customer_tags(customer),
        "is_guest": customer is None,
        # As the shop told us; not told counts as no (a guest, no consent).
        "registered": bool(customer and customer.registered),
        "accepts_marketing": bool(customer and customer.accepts_marketing),
        "order_count": facts.order_count,
        "lifetime_spend": _spend_facts(facts),
    }
    if customer is not None and customer.timezone:
        context["timezone"] = customer.timezone
    if customer is not None and customer.locale:
        context["locale"] = customer.locale
    return context


def _with_personal_facts(context: dict[str, Any], facts: CustomerFacts) -> dict[str, Any]:
    """What trigger filters may test: the journey context plus facts derived from personal
    data (the email's domain). Evaluated here, in the service; never sent to Temporal."""
    result = {**context, "customer": dict(context["customer"])}
    if facts.customer is not None:
        result["customer"]["email_domain"] = facts.customer.email.rpartition("@")[2]
    return result


def filter_facts(
    cart: models.Cart, event: str, facts: CustomerFacts, settings: Settings, money: ShopMoney
) -> dict[str, Any]:
    return _with_personal_facts(enrolment_context(cart, event, facts, settings, money), facts)


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
    lookups: Lookups | None = None,
) -> list[Enrol]:
    """A journey for each active automation whose trigger and filters match the cart and
    whose re-entry cooldown lets its customer in again.

    Each enrolment is recorded (an `Enrolment` row) in the caller's transaction, which
    stores the returned effects with it. `now` is when we enrol, not when the shop says
    the cart was abandoned: the cooldown spaces the journeys a customer actually gets,
    and an old or replayed event must not slip past it.
    """
    lookups = lookups or Lookups()
    candidates = lookups.active_for(session, trigger)
    if not candidates:
        return []
    facts = customer_facts(session, cart, lookups)
    if lookups.stays_out(session, facts.customer):
        return []  # an erased address came back: it stays unsubscribed
    if lookups.requires_consent(session, settings) and not (
        facts.customer is not None and facts.customer.accepts_marketing
    ):
        return []  # the shop enrols only customers who said yes to marketing
    context = enrolment_context(cart, trigger, facts, settings, lookups.money(session, settings))
    matching = _matching(candidates, _with_personal_facts(context, facts))
    subject = Subject(cart_id=cart.id, customer_id=cart.customer_id)
    return _enrol(session, cart.id, subject, matching, context, now, lookups)


def order_enrolments_for(
    session: Session,
    settings: Settings,
    order: models.Order,
    trigger: str,
    history: OrderHistory,
    *,
    now: datetime,
    lookups: Lookups | None = None,
) -> list[Enrol]:
    """A post-purchase journey, with the order as its subject, for each active automation
    triggered by this order event whose filters match and whose cooldown lets the customer
    in. An order enters an automation once: a repeated or later event of the same type
    (another partial fulfilment) starts nothing new. A cancelled order enters none."""
    lookups = lookups or Lookups()
    candidates = lookups.active_for(session, trigger)
    if not candidates or order.status == CANCELLED:
        return []

    cart = session.get(models.Cart, order.cart_id) if order.cart_id else None
    facts = _customer_facts(
        session, order.customer_id, cart_id=order.cart_id, order_id=order.id, lookups=lookups
    )
    if lookups.stays_out(session, facts.customer):
        return []
    money = lookups.money(session, settings)
    context = order_enrolment_context(order, cart, trigger, history, facts, settings, money)
    matching = _matching(candidates, _with_personal_facts(context, facts))
    entered = lookups.entered_by(session, order.id)
    matching = [(a, d) for a, d in matching if a.id not in entered]
    subject = Subject(cart_id=order.cart_id, customer_id=order.customer_id, order_id=order.id)
    return _enrol(session, order.id, subject, matching, context, now, lookups)


def _enrol(
    session: Session,
    subject_id: str,
    subject: Subject,
    matching: list[tuple[models.Automation, Automation]],
    context: dict[str, Any],
    now: datetime,
    lookups: Lookups,
) -> list[Enrol]:
    """The journeys of the matching automations that the re-entry cooldown lets the subject's
    customer into, each recorded as an `Enrolment` in the caller's transaction."""
    customer_id = subject.customer_id
    if customer_id and any(d.settings.reentry_cooldown for _, d in matching):
        _lock_customer(session, customer_id)
    quiet_actions = list(quiet_action_names())
    enrolments = []
    for automation, definition in matching:
        if _cooling_down(session, automation.id, definition, customer_id, subject_id, now):
            continue
        _remember_enrolment(
            session, automation, subject_id, subject.cart_id, customer_id, now, lookups
        )
        journey = JourneyInput(
            automation_id=automation.id,
            automation_version=automation.current_version,
            definition=definition,
            subject_id=subject_id,
            **subject.model_dump(),
            context=context,
            quiet_actions=quiet_actions,
        )
        enrolments.append(Enrol(journey=journey))
    return enrolments


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
    lookups: Lookups | None = None,
) -> None:
    """Record the subject's entry once; enrolling it again (idempotent in Temporal) keeps the
    first record, so its time is when the journey really began."""
    if automation.id in (lookups or Lookups()).entered_by(session, subject_id):
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
