"""Abandoned carts, read: the filters of the carts list as one query builder (`matching`),
shared by the list, its CSV and the bulk message (so a dry run counts exactly the carts a run
sends to), keyset pagination stable under every sort, and one cart's detail with its merged
timeline (cart, journeys and their kept steps, messages and their events, orders).

Statuses stored on a cart: active, abandoned, recovered, lost, ordered. Two more are filters
only: `in_journey` (an enrolment of the cart whose journey has kept no `finish` step) and
`not_contactable` (no customer email, a suppressed address, or no consent while
`require_marketing_consent` is on).
"""

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, get_args

from sqlalchemy import ColumnElement, and_, case, exists, false, literal, or_, true
from sqlmodel import Session, col, func, select

from engine.language.carts import (
    DEFAULT_SORT,
    STORED_STATUSES,
    CartFilter,
    Sort,
    moment,
)
from engine.language.contracts import journey_id
from engine.language.events import CartItem
from engine.language.problems import Problem
from engine.runtime.settings import Settings
from engine.service.errors import InvalidInput, NotFound
from engine.service.shop_settings import effective_settings
from engine.store.models import (
    Automation,
    Cart,
    Customer,
    Enrolment,
    JourneyRecord,
    Message,
    MessageEvent,
    Order,
    Suppression,
)

CSV_BATCH = 500  # rows the CSV reads at a time


# -- the query -------------------------------------------------------------------------


def in_journey() -> ColumnElement[bool]:
    """The cart has a journey still running as the database knows it: an enrolment whose
    workflow kept no `finish` step (the workflow id is `journey:{automation}:{subject}`)."""
    workflow_id = (
        literal("journey:")
        + col(Enrolment.automation_id)
        + literal(":")
        + col(Enrolment.subject_id)
    )
    finished = exists().where(
        col(JourneyRecord.workflow_id) == workflow_id, col(JourneyRecord.type) == "finish"
    )
    return exists().where(col(Enrolment.cart_id) == col(Cart.id), ~finished)


def suppressed() -> ColumnElement[bool]:
    return exists().where(col(Suppression.email) == col(Customer.email))


def no_consent(consent_required: bool) -> ColumnElement[bool]:
    if not consent_required:
        return false()
    return or_(
        col(Customer.accepts_marketing).is_(None), col(Customer.accepts_marketing) == false()
    )


def not_contactable(consent_required: bool) -> ColumnElement[bool]:
    return or_(col(Cart.customer_id).is_(None), suppressed(), no_consent(consent_required))


def _contains(value: str) -> str:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def conditions(criteria: CartFilter, consent_required: bool) -> list[ColumnElement[bool]]:
    """The filter as SQL conditions over `Cart` outer-joined with its `Customer`."""
    where: list[ColumnElement[bool]] = []
    if criteria.status:
        stored = [s for s in criteria.status if s in STORED_STATUSES]
        anyof: list[ColumnElement[bool]] = [col(Cart.status).in_(stored)] if stored else []
        if "in_journey" in criteria.status:
            anyof.append(in_journey())
        if "not_contactable" in criteria.status:
            anyof.append(not_contactable(consent_required))
        where.append(or_(*anyof))
    if criteria.customer == "registered":
        where.append(col(Customer.registered) == true())
    elif criteria.customer == "guest":
        where.append(or_(col(Customer.registered).is_(None), col(Customer.registered) == false()))
    if criteria.abandoned_from is not None:
        where.append(col(Cart.abandoned_at) >= moment(criteria.abandoned_from, end=False))
    if criteria.abandoned_to is not None:
        where.append(col(Cart.abandoned_at) < moment(criteria.abandoned_to, end=True))
    if criteria.automation_id is not None:
        where.append(
            exists().where(
                col(Enrolment.cart_id) == col(Cart.id),
                col(Enrolment.automation_id) == criteria.automation_id,
            )
        )
    if criteria.min_total is not None:
        where.append(col(Cart.total) >= criteria.min_total)
    if criteria.max_total is not None:
        where.append(col(Cart.total) <= criteria.max_total)
    if criteria.currency is not None:
        where.append(col(Cart.currency) == criteria.currency.upper())
    if criteria.email is not None:
        where.append(func.lower(col(Customer.email)).like(_contains(criteria.email), escape="\\"))
    return where


def matching(session: Session, settings: Settings, criteria: CartFilter, *columns: Any) -> Any:
    """`select(*columns)` over the carts the filter matches (Cart outer-joined with Customer):
    the one query builder of the list, the CSV, the bulk message's dry run and its run."""
    consent = effective_settings(session, settings).require_marketing_consent
    query = (
        select(*columns)
        .select_from(Cart)
        .outerjoin(Customer, col(Cart.customer_id) == col(Customer.id))
    )
    return query.where(*conditions(criteria, consent))


def count(session: Session, settings: Settings, criteria: CartFilter) -> int:
    return int(session.exec(matching(session, settings, criteria, func.count())).one())


# -- the list --------------------------------------------------------------------------


@dataclass(frozen=True)
class CartSummary:
    id: str
    status: str
    customer_email: str | None
    customer_name: str | None
    registered: bool
    contactable: bool
    in_journey: bool
    item_count: int
    total: Decimal
    currency: str
    abandoned_at: datetime | None
    recovered_at: datetime | None
    updated_at: datetime
    order_id: str | None


SUMMARY_FIELDS: tuple[str, ...] = tuple(CartSummary.__dataclass_fields__)


@dataclass(frozen=True)
class CartPage:
    carts: list[CartSummary]
    next_cursor: str | None
    total: int


def _sort_column(sort: Sort) -> Any:
    return {"abandoned_at": Cart.abandoned_at, "total": Cart.total, "updated_at": Cart.updated_at}[
        sort.lstrip("-")
    ]


def _encode_cursor(sort: Sort, value: Any, cart_id: str) -> str:
    text = (
        None
        if value is None
        else (value.isoformat() if isinstance(value, datetime) else str(value))
    )
    raw = json.dumps([sort, text, cart_id], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode("ascii")


def _decode_cursor(sort: Sort, cursor: str) -> tuple[Any, str]:
    wrong = InvalidInput(
        "invalid_cursor",
        "cursor: not a cursor of this list and sort (use `next_cursor` as given)",
        [Problem("cursor", "not a cursor of this list and sort")],
    )
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, text, cart_id = json.loads(raw)
        if cursor_sort != sort or not isinstance(cart_id, str):
            raise wrong
        if text is None:
            return None, cart_id
        if sort.lstrip("-") == "total":
            return Decimal(text), cart_id
        return datetime.fromisoformat(text), cart_id
    except (ValueError, TypeError, binascii.Error, InvalidOperation, UnicodeDecodeError) as error:
        raise wrong from error


def _after(sort: Sort, value: Any, cart_id: str) -> ColumnElement[bool]:
    """Rows after the cursor's in the order `ordered` gives: by the column (nulls last in
    either direction), then by id in the same direction."""
    column, descending = col(_sort_column(sort)), sort.startswith("-")

    def ahead(a: Any, b: Any) -> ColumnElement[bool]:
        return a < b if descending else a > b  # type: ignore[no-any-return]

    if value is None:
        return and_(column.is_(None), ahead(col(Cart.id), cart_id))
    return or_(
        ahead(column, value),
        and_(column == value, ahead(col(Cart.id), cart_id)),
        column.is_(None),
    )


def _ordered(query: Any, sort: Sort) -> Any:
    column = col(_sort_column(sort))
    nulls_last = case((column.is_(None), 1), else_=0)
    if sort.startswith("-"):
        return query.order_by(nulls_last, column.desc(), col(Cart.id).desc())
    return query.order_by(nulls_last, column.asc(), col(Cart.id).asc())


def _summary_query(session: Session, settings: Settings, criteria: CartFilter) -> Any:
    consent = effective_settings(session, settings).require_marketing_consent
    return matching(
        session,
        settings,
        criteria,
        Cart,
        Customer,
        in_journey().label("in_journey"),
        not_contactable(consent).label("not_contactable"),
    )


def _summary(row: Sequence[Any]) -> CartSummary:
    cart, customer, journey, uncontactable = row
    name = " ".join(p for p in (customer.first_name, customer.last_name) if p) if customer else ""
    return CartSummary(
        id=cart.id,
        status=cart.status,
        customer_email=customer.email if customer else None,
        customer_name=name or None,
        registered=bool(customer and customer.registered),
        contactable=not uncontactable,
        in_journey=bool(journey),
        item_count=item_count(cart.items),
        total=cart.total,
        currency=cart.currency,
        abandoned_at=cart.abandoned_at,
        recovered_at=cart.recovered_at,
        updated_at=cart.updated_at,
        order_id=cart.order_id,
    )


def item_count(items: list[dict[str, Any]]) -> int:
    total = 0
    for item in items:
        try:
            total += int(item.get("quantity", 1))
        except (TypeError, ValueError):
            total += 1
    return total


def page(
    session: Session,
    settings: Settings,
    criteria: CartFilter,
    *,
    sort: Sort = DEFAULT_SORT,
    cursor: str | None = None,
    limit: int = 50,
) -> CartPage:
    """One page of the matching carts in `sort` order; `next_cursor` continues after it."""
    query = _ordered(_summary_query(session, settings, criteria), sort)
    if cursor is not None:
        query = query.where(_after(sort, *_decode_cursor(sort, cursor)))
    rows = session.exec(query.limit(limit + 1)).all()
    carts = [_summary(row) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = carts[-1]
        next_cursor = _encode_cursor(sort, getattr(last, sort.lstrip("-")), last.id)
    return CartPage(carts=carts, next_cursor=next_cursor, total=count(session, settings, criteria))


def every(
    session: Session, settings: Settings, criteria: CartFilter, sort: Sort = DEFAULT_SORT
) -> Iterator[CartSummary]:
    """All matching carts in `sort` order, read `CSV_BATCH` at a time (keyset), for the CSV."""
    query = _ordered(_summary_query(session, settings, criteria), sort)
    after: ColumnElement[bool] | None = None
    while True:
        batch = session.exec(
            (query if after is None else query.where(after)).limit(CSV_BATCH)
        ).all()
        summaries = [_summary(row) for row in batch]
        yield from summaries
        if len(batch) < CSV_BATCH:
            return
        last = summaries[-1]
        after = _after(sort, getattr(last, sort.lstrip("-")), last.id)
        session.expunge_all()  # a big export keeps one batch in memory, not all of them


def ids_after(
    session: Session, settings: Settings, criteria: CartFilter, after: str | None, limit: int
) -> list[str]:
    """The ids of matching carts after `after`, by id: how a bulk message pages through them
    (an order that no change to a cart moves)."""
    query = matching(session, settings, criteria, Cart.id)
    if after is not None:
        query = query.where(col(Cart.id) > after)
    return [str(cart_id) for cart_id in session.exec(query.order_by(col(Cart.id)).limit(limit))]


# -- one cart ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    variant: str | None
    quantity: int
    price: Decimal
    image_url: str | None


@dataclass(frozen=True)
class CustomerView:
    id: str
    email: str
    first_name: str | None
    last_name: str | None
    registered: bool
    accepts_marketing: bool | None
    suppressed: bool
    locale: str | None


@dataclass(frozen=True)
class CartJourney:
    id: str
    automation_id: str
    automation_name: str | None
    outcome: str | None
    started_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class DeliveryEvent:
    event: str
    occurred_at: datetime


@dataclass(frozen=True)
class MessageView:
    id: int
    automation_id: str | None
    step_id: str | None
    subject: str
    status: str
    sent_at: datetime | None
    events: list[DeliveryEvent] = field(default_factory=list)


@dataclass(frozen=True)
class OrderView:
    id: str
    status: str
    total: Decimal
    currency: str
    placed_at: datetime


TimelineKind = Literal[
    "cart_created",
    "abandoned",
    "entered",
    "step",
    "message_sent",
    "message_event",
    "order",
    "recovered",
]
_KIND_ORDER: dict[str, int] = {kind: i for i, kind in enumerate(get_args(TimelineKind))}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: TimelineKind
    summary: str
    journey_id: str | None = None


@dataclass(frozen=True)
class CartDetail(CartSummary):
    items: list[Item] = field(default_factory=list)
    subtotal: Decimal = Decimal(0)
    shipping: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    customer: CustomerView | None = None
    journeys: list[CartJourney] = field(default_factory=list)
    messages: list[MessageView] = field(default_factory=list)
    orders: list[OrderView] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)


def _item(raw: dict[str, Any]) -> Item:
    item = CartItem.model_validate(raw)
    return Item(
        item.id, item.name, item.variant, item.quantity, Decimal(str(item.price)), item.image_url
    )


def detail(session: Session, settings: Settings, cart_id: str) -> CartDetail:
    """One cart with its customer, journeys (from the database: they outlive Temporal),
    messages with their delivery events, orders, and everything merged in a timeline."""
    row = session.exec(
        _summary_query(session, settings, CartFilter()).where(col(Cart.id) == cart_id)
    ).first()
    if row is None:
        raise NotFound(f"no cart {cart_id}")
    summary = _summary(row)
    cart: Cart = row[0]
    customer: Customer | None = row[1]
    timeline: list[TimelineEntry] = [TimelineEntry(cart.created_at, "cart_created", "Cart created")]
    if cart.abandoned_at:
        timeline.append(TimelineEntry(cart.abandoned_at, "abandoned", "Cart abandoned"))
    journeys = _journeys(session, cart.id, timeline)
    messages = _messages(session, cart.id, timeline)
    orders = _orders(session, cart, timeline)
    if cart.recovered_at:
        via = f" via {cart.recovered_via}" if cart.recovered_via else ""
        timeline.append(TimelineEntry(cart.recovered_at, "recovered", f"Cart recovered{via}"))
    timeline.sort(key=lambda entry: (entry.at, _KIND_ORDER[entry.kind]))
    return CartDetail(
        **vars(summary),
        items=[_item(raw) for raw in cart.items],
        subtotal=cart.subtotal,
        shipping=cart.shipping,
        tax=cart.tax,
        customer=CustomerView(
            id=customer.id,
            email=customer.email,
            first_name=customer.first_name,
            last_name=customer.last_name,
            registered=bool(customer.registered),
            accepts_marketing=customer.accepts_marketing,
            suppressed=session.get(Suppression, customer.email) is not None,
            locale=customer.locale,
        )
        if customer
        else None,
        journeys=journeys,
        messages=messages,
        orders=orders,
        timeline=timeline,
    )


def _journeys(session: Session, cart_id: str, timeline: list[TimelineEntry]) -> list[CartJourney]:
    enrolments = session.exec(
        select(Enrolment, Automation.name)
        .outerjoin(Automation, col(Automation.id) == col(Enrolment.automation_id))
        .where(Enrolment.cart_id == cart_id)
        .order_by(col(Enrolment.enrolled_at), col(Enrolment.id))
    ).all()
    ids = [journey_id(e.automation_id, e.subject_id) for e, _ in enrolments]
    records = session.exec(
        select(JourneyRecord)
        .where(col(JourneyRecord.workflow_id).in_(ids))
        .order_by(col(JourneyRecord.workflow_id), col(JourneyRecord.seq))
    ).all()
    finishes = {r.workflow_id: r for r in records if r.type == "finish"}
    views = []
    for (enrolment, name), workflow_id in zip(enrolments, ids, strict=True):
        finish = finishes.get(workflow_id)
        label = name or enrolment.automation_id
        timeline.append(
            TimelineEntry(enrolment.enrolled_at, "entered", f"Entered {label}", workflow_id)
        )
        views.append(
            CartJourney(
                id=workflow_id,
                automation_id=enrolment.automation_id,
                automation_name=name,
                outcome=finish.detail.get("outcome") if finish else None,
                started_at=enrolment.enrolled_at,
                closed_at=finish.at if finish else None,
            )
        )
    for record in records:
        timeline.append(TimelineEntry(record.at, "step", _step_summary(record), record.workflow_id))
    return views


def _step_summary(record: JourneyRecord) -> str:
    facts = ", ".join(
        f"{key} {value}"
        for key, value in record.detail.items()
        if isinstance(value, str | int | float | bool) and key != "at"
    )
    return f"{record.step_id}: {record.type}" + (f" ({facts})" if facts else "")


def _messages(session: Session, cart_id: str, timeline: list[TimelineEntry]) -> list[MessageView]:
    messages = session.exec(
        select(Message)
        .where(Message.cart_id == cart_id)
        .order_by(col(Message.created_at), col(Message.id))
    ).all()
    events = session.exec(
        select(MessageEvent)
        .where(col(MessageEvent.message_id).in_([m.id for m in messages]))
        .order_by(col(MessageEvent.occurred_at), col(MessageEvent.id))
    ).all()
    views = []
    for message in messages:
        mine = [e for e in events if e.message_id == message.id]
        journey = _journey_of(message)
        if message.status == "sent":
            timeline.append(
                TimelineEntry(
                    message.sent_at or message.created_at,
                    "message_sent",
                    f"Email sent: {message.subject}",
                    journey,
                )
            )
        for event in mine:
            timeline.append(
                TimelineEntry(
                    event.occurred_at,
                    "message_event",
                    f"Email {event.event}: {message.subject}",
                    journey,
                )
            )
        assert message.id is not None
        views.append(
            MessageView(
                id=message.id,
                automation_id=message.automation_id,
                step_id=message.step_id,
                subject=message.subject,
                status=message.status,
                sent_at=message.sent_at,
                events=[DeliveryEvent(e.event, e.occurred_at) for e in mine],
            )
        )
    return views


def _journey_of(message: Message) -> str | None:
    if message.automation_id and message.cart_id and message.idempotency_key.startswith("journey:"):
        return journey_id(message.automation_id, message.cart_id)
    return None


def _orders(session: Session, cart: Cart, timeline: list[TimelineEntry]) -> list[OrderView]:
    found = [col(Order.cart_id) == cart.id]
    if cart.order_id:
        found.append(col(Order.id) == cart.order_id)
    orders = session.exec(select(Order).where(or_(*found)).order_by(col(Order.placed_at))).all()
    for order in orders:
        timeline.append(
            TimelineEntry(
                order.placed_at,
                "order",
                f"Order {order.id} {order.status}: {order.total:.2f} {order.currency}",
            )
        )
    return [OrderView(o.id, o.status, o.total, o.currency, o.placed_at) for o in orders]
