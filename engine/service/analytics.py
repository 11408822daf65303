"""Results: a read model over carts, enrolments, journey records, messages, message events and
orders (DESIGN: "Results are a read model"). docs/analytics.md defines every figure; this
module applies those definitions, and engine/language/statistics.py holds the maths.

The overview answers in three statements from index-covered range counts (migrations 0013 and
0014): no GROUP BY on a function of a moment, no DISTINCT over a period's email events, no
join per abandoned cart (docs/BENCHMARKS.md); an automation's results read that automation's
rows into Python.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

import sqlalchemy
from sqlalchemy import and_, bindparam, case, distinct, literal, or_, union_all
from sqlmodel import Session, col, func
from sqlmodel import select as select_models

from engine.language.carts import WAS_ABANDONED
from engine.language.interpreter import in_holdout
from engine.language.money import ShopMoney
from engine.language.problems import Problem
from engine.language.results import (
    ABTestResults,
    Amount,
    Arm,
    AutomationResults,
    ConvertedTotal,
    Day,
    EmailFunnel,
    HoldoutResults,
    Overview,
    StepResults,
    Totals,
    VariantResults,
    VersionResults,
)
from engine.language.statistics import (
    compact_duration,
    median,
    newcombe_difference,
    percent,
    probability_best,
)
from engine.runtime.settings import Settings
from engine.service import forgotten_carts, shop_settings
from engine.service.errors import InvalidInput, NotFound
from engine.store.models import (
    Automation,
    AutomationVersion,
    Cart,
    Customer,
    Enrolment,
    JourneyRecord,
    Message,
    MessageEvent,
    Order,
    Suppression,
)
from engine.store.types import UTCDateTime, utcnow

DEFAULT_DAYS = 30
MAX_DAYS = 731  # two years of daily points at most
MIN_PER_ARM = 30  # holdout: carts in each arm before an interval is worth reading
MIN_PER_VARIANT = 100  # A/B: carts in each variant before a winner may be named
WINNER_PROBABILITY = 0.95  # A/B: how sure "best" must be to be named the winner
ABANDONED = WAS_ABANDONED
EVENT_KINDS = {  # the funnel's columns ← our MessageEvent.event names (engine/service/deliveries)
    "delivered": ("delivered",),
    "opened": ("opened",),
    "proxy_opened": ("proxy_opened",),
    "clicked": ("clicked",),
    "bounced": ("hard_bounce", "soft_bounce"),
    "unsubscribed": ("unsubscribed",),
}
KIND_OF = {event: kind for kind, events in EVENT_KINDS.items() for event in events}
CHUNK = 500  # ids per IN (...) list
DAYS_PER_QUERY = 100  # the daily series: one UNION ALL of per-day counts per 100 days


# -- the period ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # included

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), UTC)

    @property
    def end(self) -> datetime:  # excluded
        return datetime.combine(self.last + timedelta(days=1), time(), UTC)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def period(first: date | None, last: date | None, today: date | None = None) -> Period:
    """The days asked for (UTC, both included); by default the last 30 days up to today."""
    last = last or today or utcnow().date()
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        message = f"{first} is after `to` ({last})"
        raise InvalidInput("invalid_period", f"from: {message}", [Problem("from", message)])
    if (last - first).days >= MAX_DAYS:
        message = f"a period is at most {MAX_DAYS} days"
        raise InvalidInput("invalid_period", f"from: {message}", [Problem("from", message)])
    return Period(first, last)


# -- shared pieces ------------------------------------------------------------------------


def _forgotten(
    session: Session, scope: str, when: "Period", days: dict[date, "DayCounts"]
) -> forgotten_carts.DayFigures:
    """What the results counted of carts no longer held, over `when`
    (engine/service/forgotten_carts.py); the daily counts are added into `days`."""
    gone = forgotten_carts.DayFigures()
    for row in forgotten_carts.within(session, scope, when.first, when.last):
        day = days[row.day]
        day.abandoned += row.abandoned
        day.recovered += row.recovered
        gone.abandoned += row.abandoned
        gone.contactable += row.contactable
        gone.created += row.created
        gone.created_abandoned += row.created_abandoned
        gone.recovered += row.recovered
        for currency, amount in forgotten_carts.revenue_of(row):
            day.revenue[currency] += amount
            gone.revenue[currency] += amount
        gone.recovery_seconds += row.recovery_seconds
    return gone


@dataclass
class Recovery:
    cart_id: str
    abandoned_at: datetime | None
    recovered_at: datetime
    currency: str
    amount: Decimal


@dataclass
class DayCounts:
    abandoned: int = 0
    recovered: int = 0
    revenue: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    sent: int = 0
    opened: int = 0
    clicked: int = 0


def converted(revenue: dict[str, Decimal], money: ShopMoney | None) -> ConvertedTotal | None:
    """The revenue in the shop's currency, when the shop set rates and each currency has one
    (a total that leaves some currency out would read as the whole)."""
    if money is None or money.set_on is None:
        return None
    total = money.convert(revenue)
    if total is None:
        return None
    return ConvertedTotal(
        currency=money.currency,
        amount=str(total.quantize(Decimal("0.01"))),
        rates_set_on=money.set_on,
    )


def amounts(revenue: dict[str, Decimal]) -> list[Amount]:
    return [
        Amount(currency=currency, amount=str(revenue[currency].quantize(Decimal("0.01"))))
        for currency in sorted(revenue)
    ]


def funnel(sent: int, counts: dict[str, int]) -> EmailFunnel:
    delivered = counts.get("delivered", 0)
    return EmailFunnel(
        sent=sent,
        delivered=delivered,
        opened=counts.get("opened", 0),
        proxy_opened=counts.get("proxy_opened", 0),
        clicked=counts.get("clicked", 0),
        bounced=counts.get("bounced", 0),
        unsubscribed=counts.get("unsubscribed", 0),
        delivery_rate=percent(delivered, sent),
        open_rate=percent(counts.get("opened", 0), delivered),
        click_rate=percent(counts.get("clicked", 0), delivered),
        bounce_rate=percent(counts.get("bounced", 0), sent),
        unsubscribe_rate=percent(counts.get("unsubscribed", 0), delivered),
    )


def _median_time(recoveries: Sequence[Recovery], forgotten: Sequence[float] = ()) -> str | None:
    seconds = [
        (r.recovered_at - r.abandoned_at).total_seconds()
        for r in recoveries
        if r.abandoned_at is not None and r.recovered_at >= r.abandoned_at
    ]
    middle = median([*seconds, *forgotten])
    return None if middle is None else compact_duration(middle)


def _daily(when: Period, days: dict[date, DayCounts]) -> list[Day]:
    return [
        Day(
            date=day,
            abandoned=(counts := days.get(day, DayCounts())).abandoned,
            recovered=counts.recovered,
            revenue=amounts(counts.revenue),
            sent=counts.sent,
            opened=counts.opened,
            clicked=counts.clicked,
        )
        for day in when.days()
    ]


def _in(when: "Period | Bounds", moment: Any) -> Any:
    return and_(moment >= when.start, moment < when.end)


def _recovery(row: Any) -> Recovery:
    cart_id, abandoned_at, recovered_at, cart_total, cart_currency, order_total, currency = row
    if order_total is not None:  # the recovering order, as the shop reported it
        return Recovery(cart_id, abandoned_at, recovered_at, currency, Decimal(order_total))
    return Recovery(cart_id, abandoned_at, recovered_at, cart_currency, Decimal(cart_total))


def _recovery_columns() -> tuple[Any, ...]:
    return (
        Cart.id,
        Cart.abandoned_at,
        Cart.recovered_at,
        Cart.total,
        Cart.currency,
        Order.total,
        Order.currency,
    )


def _contactable() -> Any:
    """1 for a cart whose customer has an address that is not suppressed (needs the joins of
    `_with_contact`)."""
    reachable = and_(
        col(Customer.email).is_not(None),
        col(Customer.email) != "",
        col(Suppression.email).is_(None),
    )
    return case((reachable, 1), else_=0)


def _unreachable() -> Any:
    """The customers `_contactable` refuses: suppressed, or with an empty address (`email` is
    NOT NULL). A few rows, so the overview counts their carts through the index on
    (customer_id, abandoned_at) rather than joining every cart of the period (a cart's
    customer_id always names a customer: a foreign key)."""
    return union_all(
        select(Customer.id).join(Suppression, col(Suppression.email) == Customer.email),
        select(Customer.id).where(Customer.email == ""),
    )


def _with_contact(query: Any) -> Any:
    return query.outerjoin(Customer, col(Customer.id) == Cart.customer_id).outerjoin(
        Suppression, col(Suppression.email) == Customer.email
    )


# Core queries over the models' columns, run in the session's transaction. Typed `Any`: the
# rows are unpacked straight into named, typed variables.
select: Any = sqlalchemy.select


def _exec(session: Session, query: Any) -> Any:
    return session.connection().execute(query)


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# -- the overview -------------------------------------------------------------------------


def overview(session: Session, when: Period, settings: Settings | None = None) -> Overview:
    """The shop's results over `when` (docs/analytics.md); with `settings`, the revenue also
    converted into the shop's currency when the shop set rates."""
    money = shop_settings.shop_money(session, settings) if settings is not None else None
    days: dict[date, DayCounts] = defaultdict(DayCounts)
    for chunk in _chunks(when.days(), DAYS_PER_QUERY):
        bounds = {}
        for n, day in enumerate(chunk):
            bounds[f"start_{n}"], bounds[f"end_{n}"] = (one := Period(day, day)).start, one.end
        for n, abandoned_that_day, sent_that_day, opened, clicked in (
            session.connection().execute(_days_query(len(chunk)), bounds).all()
        ):
            day_counts = days[chunk[n]]
            day_counts.abandoned, day_counts.sent = abandoned_that_day, sent_that_day
            day_counts.opened, day_counts.clicked = opened, clicked
    gone = _forgotten(session, forgotten_carts.SHOP, when, days)
    abandoned = sum(d.abandoned for d in days.values())
    sent = sum(d.sent for d in days.values())

    with_customer, unreachable, finished, created_abandoned, entered, *kinds = _exec(
        session,
        select(
            _count(select(func.count(col(Cart.customer_id))), Cart.abandoned_at, when),
            _count(
                select(func.count()).where(col(Cart.customer_id).in_(_unreachable())),
                Cart.abandoned_at,
                when,
            ),
            _count(
                select(func.count()).where(col(Cart.status).in_((*ABANDONED, "ordered"))),
                Cart.created_at,
                when,
            ),
            _count(
                select(func.count()).where(col(Cart.status).in_(ABANDONED)), Cart.created_at, when
            ),
            _count(
                select(func.count(distinct(col(Enrolment.cart_id)))).where(
                    col(Enrolment.cart_id).is_not(None)
                ),
                Enrolment.enrolled_at,
                when,
            ),
            *(_emails_with(event, when) for event in KIND_OF),
        ),
    ).one()
    counts: dict[str, int] = defaultdict(int)
    for event, count in zip(KIND_OF, kinds, strict=True):
        counts[KIND_OF[event]] += int(count)

    recoveries = [
        _recovery(row)
        for row in _exec(
            session,
            select(*_recovery_columns())
            .outerjoin(Order, col(Order.id) == Cart.order_id)
            .where(_in(when, col(Cart.recovered_at)), Cart.status == "recovered"),
        ).all()
    ]
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    for recovery in recoveries:
        revenue[recovery.currency] += recovery.amount
        day_counts = days[recovery.recovered_at.date()]
        day_counts.recovered += 1
        day_counts.revenue[recovery.currency] += recovery.amount
    for currency, amount in gone.revenue.items():
        revenue[currency] += amount
    recovered = len(recoveries) + gone.recovered
    return Overview(
        from_=when.first,
        to=when.last,
        carts_abandoned=abandoned,
        carts_contactable=int(with_customer) - int(unreachable) + gone.contactable,
        carts_entered=int(entered),
        carts_recovered=recovered,
        abandonment_rate=percent(
            int(created_abandoned) + gone.created_abandoned, int(finished) + gone.created
        ),
        recovery_rate=percent(recovered, abandoned),
        revenue=amounts(revenue),
        revenue_converted=converted(revenue, money),
        emails=funnel(sent, counts),
        median_time_to_recovery=_median_time(recoveries, gone.recovery_seconds),
        daily=_daily(when, days),
    )


class Bounds(NamedTuple):
    """A period's moments as bound parameters: one statement serves every day."""

    start: Any
    end: Any


@cache
def _days_query(count: int) -> Any:
    """The daily series of `count` days, one row per day, bound by `start_n` and `end_n`
    (built once per length: building the expressions cost more than running them)."""
    return union_all(
        *(
            _one_day(
                n,
                Bounds(
                    bindparam(f"start_{n}", type_=UTCDateTime),
                    bindparam(f"end_{n}", type_=UTCDateTime),
                ),
            )
            for n in range(count)
        )
    )


def _count(query: Any, moment: Any, when: Period | Bounds) -> Any:
    """`query` over the rows whose `moment` is in `when`, as a scalar subquery."""
    return query.where(_in(when, col(moment))).scalar_subquery()


def _emails_with(event: str, when: Period | Bounds) -> Any:
    """The emails with at least one `event` reported in `when`, each counted once: the reports
    in `when` whose previous report of that event on that email (`previous_at`, kept by a
    trigger: migration 0014) is before `when` or absent. A range over one index, no DISTINCT."""
    previous = col(MessageEvent.previous_at)
    return _count(
        select(func.count()).where(
            MessageEvent.event == event,
            col(MessageEvent.message_id).is_not(None),
            or_(previous.is_(None), previous < when.start),
        ),
        MessageEvent.occurred_at,
        when,
    )


def _one_day(n: int, one: Bounds) -> Any:
    """Day `n` of a chunk: carts abandoned, emails sent, emails opened and clicked that day.

    A range count per day over each covering index, rather than a GROUP BY on the day of each
    row: no function of an indexed column, no sort of the period's rows (docs/BENCHMARKS.md)."""
    return select(
        literal(n),
        _count(select(func.count()).select_from(Cart), Cart.abandoned_at, one),
        _count(
            select(func.count()).select_from(Message).where(Message.status == "sent"),
            Message.sent_at,
            one,
        ),
        _emails_with("opened", one),
        _emails_with("clicked", one),
    )


# -- attribution --------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    """An email of a cart, with the moments attribution looks at."""

    message_id: int
    automation_id: str | None
    step_id: str | None
    sent_at: datetime | None
    delivered_at: datetime | None = None  # the first `delivered` report
    clicks: tuple[datetime, ...] = ()


def attribute(
    recovered_at: datetime, emails: Iterable[Sent], click_days: int, delivery_days: int
) -> Sent | None:
    """The email a recovery belongs to: the last one clicked within `click_days` before it,
    else the last one delivered (or, with no delivery report, sent) within `delivery_days`
    before it, else none."""
    clicked = [
        (moment, email)
        for email in emails
        for moment in email.clicks
        if recovered_at - timedelta(days=click_days) <= moment <= recovered_at
    ]
    if clicked:
        return max(clicked, key=lambda pair: (pair[0], pair[1].message_id))[1]
    delivered = [
        (moment, email)
        for email in emails
        if (moment := email.delivered_at or email.sent_at) is not None
        and recovered_at - timedelta(days=delivery_days) <= moment <= recovered_at
    ]
    if delivered:
        return max(delivered, key=lambda pair: (pair[0], pair[1].message_id))[1]
    return None


def _emails_of_carts(session: Session, cart_ids: Sequence[str]) -> dict[str, list[Sent]]:
    """Every email sent to these carts (any automation), with its deliveries and clicks."""
    messages: list[tuple[int, str, str | None, str | None, datetime | None]] = []
    for ids in _chunks(cart_ids):
        messages += _exec(
            session,
            select(Message.id, Message.cart_id, Message.automation_id, Message.step_id)
            .add_columns(Message.sent_at)
            .where(col(Message.cart_id).in_(ids), Message.status == "sent"),
        ).all()
    delivered: dict[int, datetime] = {}
    clicks: dict[int, list[datetime]] = defaultdict(list)
    message_ids = [row[0] for row in messages]
    for ids in _chunks(message_ids):
        for message_id, event, occurred_at in _exec(
            session,
            select(MessageEvent.message_id, MessageEvent.event, MessageEvent.occurred_at).where(
                col(MessageEvent.message_id).in_(ids),
                col(MessageEvent.event).in_(("delivered", "clicked")),
            ),
        ).all():
            assert message_id is not None
            if event == "clicked":
                clicks[message_id].append(occurred_at)
            elif message_id not in delivered or occurred_at < delivered[message_id]:
                delivered[message_id] = occurred_at
    emails: dict[str, list[Sent]] = defaultdict(list)
    for message_id, cart_id, automation_id, step_id, sent_at in messages:
        emails[cart_id].append(
            Sent(
                message_id,
                automation_id,
                step_id,
                sent_at,
                delivered.get(message_id),
                tuple(clicks[message_id]),
            )
        )
    return emails


# -- one automation -----------------------------------------------------------------------


@dataclass(frozen=True)
class StepPlace:
    step_id: str
    variant: str | None
    sends: bool


def walk(steps: Sequence[dict[str, Any]], variant: str | None = None) -> Iterator[StepPlace]:
    """Every step of a stored definition in order, with the A/B variant whose branch holds
    it; A/B splits are walked too (their `variant` is None)."""
    for step in steps:
        sends = step.get("type") == "action" and step.get("action") == "send_email"
        yield StepPlace(str(step.get("id")), variant, sends)
        if step.get("type") == "ab_split":
            for choice in step.get("variants") or []:
                yield from walk(choice.get("steps") or [], str(choice.get("name")))
        else:
            for key in ("then", "else", "on_event", "on_timeout"):
                yield from walk(step.get(key) or [], variant)


@dataclass
class Entry:
    """A cart that entered the automation, and what became of it."""

    subject_id: str
    cart_id: str
    version: int
    enrolled_at: datetime
    status: str | None
    abandoned_at: datetime | None
    recovered_at: datetime | None
    contactable: bool
    recovery: Recovery | None


def automation_results(
    session: Session, settings: Settings, automation_id: str, when: Period
) -> AutomationResults:
    """One automation's results over `when` (docs/analytics.md)."""
    automation = session.get(Automation, automation_id)
    if automation is None:
        raise NotFound(f"no automation {automation_id!r}")
    now = shop_settings.effective_settings(session, settings)
    definitions = {
        version.version: version.definition
        for version in session.exec(
            select_models(AutomationVersion)
            .where(AutomationVersion.automation_id == automation_id)
            .order_by(col(AutomationVersion.version))
        ).all()
    }
    entries = _entries(session, automation_id)
    # The overview's definitions, over the carts that entered this automation.
    abandoned = [e for e in entries if e.abandoned_at and when.start <= e.abandoned_at < when.end]
    recovered = [
        e
        for e in entries
        if e.recovery is not None and when.start <= e.recovery.recovered_at < when.end
    ]
    # The experiments follow the carts that entered in the period to their outcome so far.
    cohort = [e for e in entries if when.start <= e.enrolled_at < when.end]

    sent_rows = _exec(
        session,
        select(Message.id, Message.step_id, Message.sent_at).where(
            Message.automation_id == automation_id,
            Message.status == "sent",
            _in(when, col(Message.sent_at)),
        ),
    ).all()
    event_rows = _exec(
        session,
        select(MessageEvent.message_id, MessageEvent.event, MessageEvent.occurred_at)
        .join(Message, col(Message.id) == MessageEvent.message_id)
        .where(
            Message.automation_id == automation_id,
            col(MessageEvent.event).in_(KIND_OF),
            _in(when, col(MessageEvent.occurred_at)),
        ),
    ).all()

    days: dict[date, DayCounts] = defaultdict(DayCounts)
    for entry in abandoned:
        assert entry.abandoned_at is not None
        days[entry.abandoned_at.date()].abandoned += 1
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    for entry in recovered:
        assert entry.recovery is not None
        revenue[entry.recovery.currency] += entry.recovery.amount
        day_counts = days[entry.recovery.recovered_at.date()]
        day_counts.recovered += 1
        day_counts.revenue[entry.recovery.currency] += entry.recovery.amount
    for _, _, sent_at in sent_rows:
        assert sent_at is not None
        days[sent_at.date()].sent += 1
    kinds: dict[str, set[int]] = defaultdict(set)
    daily_kinds: dict[tuple[str, date], set[int]] = defaultdict(set)
    step_of = {message_id: step_id for message_id, step_id, _ in sent_rows}
    step_kinds: dict[tuple[str, str | None], set[int]] = defaultdict(set)
    for message_id, event, occurred_at in event_rows:
        assert message_id is not None
        kind = KIND_OF[event]
        kinds[kind].add(message_id)
        daily_kinds[(kind, occurred_at.date())].add(message_id)
    for (kind, day), ids in daily_kinds.items():
        if kind == "opened":
            days[day].opened = len(ids)
        elif kind == "clicked":
            days[day].clicked = len(ids)
    # Per step: the step's emails sent in the period, and which of them had each event.
    step_messages = _step_events(session, list(step_of))
    for message_id, kind in step_messages:
        step_kinds[(kind, step_of.get(message_id))].add(message_id)

    gone = _forgotten(session, automation_id, when, days)
    for currency, amount in gone.revenue.items():
        revenue[currency] += amount
    click_days, delivery_days = now.attribution_click_days, now.attribution_delivery_days
    emails = _emails_of_carts(session, [e.cart_id for e in recovered])
    credited: dict[str | None, int] = defaultdict(int)
    for entry in recovered:
        assert entry.recovery is not None
        email = attribute(
            entry.recovery.recovered_at, emails.get(entry.cart_id, []), click_days, delivery_days
        )
        if email is not None and email.automation_id == automation_id:
            credited[email.step_id] += 1

    places = _places(definitions)
    totals = Totals(
        from_=when.first,
        to=when.last,
        carts_abandoned=len(abandoned) + gone.abandoned,
        carts_contactable=sum(1 for e in abandoned if e.contactable) + gone.contactable,
        carts_entered=len(cohort),
        carts_recovered=len(recovered) + gone.recovered,
        abandonment_rate=None,  # every cart here was abandoned: the rate is the overview's
        recovery_rate=percent(len(recovered) + gone.recovered, len(abandoned) + gone.abandoned),
        revenue=amounts(revenue),
        revenue_converted=converted(revenue, shop_settings.shop_money(session, settings)),
        emails=funnel(len(sent_rows), {kind: len(ids) for kind, ids in kinds.items()}),
        median_time_to_recovery=_median_time(
            [e.recovery for e in recovered if e.recovery], gone.recovery_seconds
        ),
    )
    sent_by_step: dict[str | None, int] = defaultdict(int)
    for _, step_id, _ in sent_rows:
        sent_by_step[step_id] += 1
    step_ids = [p.step_id for p in places.values() if p.sends]
    step_ids += sorted({s for s in (*sent_by_step, *credited) if s is not None and s not in places})
    steps = [
        StepResults(
            step_id=step_id,
            variant=places[step_id].variant if step_id in places else None,
            sent=sent_by_step.get(step_id, 0),
            delivered=len(step_kinds[("delivered", step_id)]),
            opened=len(step_kinds[("opened", step_id)]),
            clicked=len(step_kinds[("clicked", step_id)]),
            recovered=credited.get(step_id, 0),
        )
        for step_id in step_ids
    ]
    return AutomationResults(
        automation_id=automation_id,
        name=automation.name,
        from_=when.first,
        to=when.last,
        totals=totals,
        versions=_versions(session, automation_id, cohort),
        steps=steps,
        ab_tests=_ab_tests(session, automation_id, definitions, cohort),
        holdout=_holdout(automation.current_version, definitions, cohort),
        daily=_daily(when, days),
    )


def _entries(session: Session, automation_id: str) -> list[Entry]:
    """The carts that entered the automation; a cart retention purged (never recovered)
    stays an entry, with no cart facts (its counts are in the forgotten figures)."""
    rows = _exec(
        session,
        _with_contact(
            select(
                Enrolment.subject_id,
                Enrolment.cart_id,
                Enrolment.automation_version,
                Enrolment.enrolled_at,
                Cart.status,
                _contactable(),
                *_recovery_columns(),
            ).outerjoin(Cart, col(Cart.id) == Enrolment.cart_id)
        )
        .outerjoin(Order, col(Order.id) == Cart.order_id)
        .where(Enrolment.automation_id == automation_id, col(Enrolment.cart_id).is_not(None)),
    ).all()
    entries = []
    for subject_id, cart_id, version, enrolled_at, status, reachable, *cart in rows:
        recovery = _recovery(cart) if status == "recovered" and cart[2] is not None else None
        entries.append(
            Entry(
                subject_id,
                cart_id,
                version,
                enrolled_at,
                status,
                cart[1],
                cart[2],
                bool(reachable),
                recovery,
            )
        )
    return entries


def _step_events(session: Session, message_ids: list[int]) -> list[tuple[int, str]]:
    """(message id, funnel column) for each event ever reported on these emails."""
    found: set[tuple[int, str]] = set()
    for ids in _chunks(message_ids):
        for message_id, event in _exec(
            session,
            select(MessageEvent.message_id, MessageEvent.event).where(
                col(MessageEvent.message_id).in_(ids), col(MessageEvent.event).in_(KIND_OF)
            ),
        ).all():
            assert message_id is not None
            found.add((message_id, KIND_OF[event]))
    return sorted(found)


def _places(definitions: dict[int, dict[str, Any]]) -> dict[str, StepPlace]:
    """Every step of every version, newest version's order first."""
    places: dict[str, StepPlace] = {}
    for version in sorted(definitions, reverse=True):
        for place in walk(definitions[version].get("steps") or []):
            places.setdefault(place.step_id, place)
    return places


def _versions(session: Session, automation_id: str, cohort: list[Entry]) -> list[VersionResults]:
    sent: dict[str, int] = defaultdict(int)
    cart_ids = [e.cart_id for e in cohort]
    for ids in _chunks(cart_ids):
        for cart_id, count in _exec(
            session,
            select(Message.cart_id, func.count())
            .where(
                Message.automation_id == automation_id,
                Message.status == "sent",
                col(Message.cart_id).in_(ids),
            )
            .group_by(col(Message.cart_id)),
        ).all():
            assert cart_id is not None
            sent[cart_id] = count
    by_version: dict[int, list[Entry]] = defaultdict(list)
    for entry in cohort:
        by_version[entry.version].append(entry)
    results = []
    for version in sorted(by_version):
        group = by_version[version]
        won = sum(1 for e in group if e.status == "recovered")
        results.append(
            VersionResults(
                version=version,
                entered=len(group),
                recovered=won,
                recovery_rate=percent(won, len(group)),
                sent=sum(sent.get(e.cart_id, 0) for e in group),
            )
        )
    return results


def _ab_tests(
    session: Session,
    automation_id: str,
    definitions: dict[int, dict[str, Any]],
    cohort: list[Entry],
) -> list[ABTestResults]:
    splits: dict[str, list[str]] = {}  # step id → variant names, newest version's order
    for version in sorted(definitions, reverse=True):
        for step in _ab_steps(definitions[version].get("steps") or []):
            names = splits.setdefault(str(step["id"]), [])
            names += [str(v["name"]) for v in step["variants"] if str(v["name"]) not in names]
    if not splits:
        return []
    members = {e.subject_id: e for e in cohort}
    chosen: dict[tuple[str, str], str] = {}  # (split, subject) → variant
    for subject_id, step_id, detail in _exec(
        session,
        select(JourneyRecord.subject_id, JourneyRecord.step_id, JourneyRecord.detail).where(
            JourneyRecord.automation_id == automation_id, JourneyRecord.type == "ab_split"
        ),
    ).all():
        if subject_id in members and step_id in splits and "variant" in detail:
            chosen[(step_id, subject_id)] = str(detail["variant"])
    places = _places(definitions)
    messages: dict[str, list[tuple[str | None, bool]]] = defaultdict(list)
    cart_ids = sorted({members[s].cart_id for _, s in chosen})
    clicked_ids: set[int] = set()
    rows: list[Any] = []
    for ids in _chunks(cart_ids):
        rows += _exec(
            session,
            select(Message.id, Message.cart_id, Message.step_id).where(
                Message.automation_id == automation_id,
                Message.status == "sent",
                col(Message.cart_id).in_(ids),
            ),
        ).all()
    for ids in _chunks([row[0] for row in rows]):
        clicked_ids |= {
            message_id
            for message_id in _exec(
                session,
                select(MessageEvent.message_id).where(
                    col(MessageEvent.message_id).in_(ids), MessageEvent.event == "clicked"
                ),
            ).all()
            if message_id is not None
        }
    for message_id, cart_id, step_id in rows:
        messages[cart_id].append((step_id, message_id in clicked_ids))

    tests = []
    for split, names in splits.items():
        variants = []
        for name in names:
            group = [members[s] for (step, s), v in chosen.items() if step == split and v == name]
            own = [
                clicked
                for e in group
                for step_id, clicked in messages.get(e.cart_id, [])
                if step_id in places and places[step_id].variant == name
            ]
            won = sum(1 for e in group if e.status == "recovered")
            variants.append((name, len(group), len(own), sum(own), won))
        chances = (
            probability_best([(won, entered) for _, entered, _, _, won in variants])
            if all(entered for _, entered, _, _, _ in variants)
            else [None] * len(variants)
        )
        results = [
            VariantResults(
                name=name,
                entered=entered,
                sent=sent,
                clicked=clicked,
                recovered=won,
                recovery_rate=percent(won, entered),
                probability_best=None if chance is None else round(chance, 3),
            )
            for (name, entered, sent, clicked, won), chance in zip(variants, chances, strict=True)
        ]
        winner, verdict = ab_verdict(results)
        tests.append(ABTestResults(step_id=split, variants=results, winner=winner, verdict=verdict))
    return tests


def _ab_steps(steps: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for step in steps:
        if step.get("type") == "ab_split":
            yield step
            for choice in step.get("variants") or []:
                yield from _ab_steps(choice.get("steps") or [])
        else:
            for key in ("then", "else", "on_event", "on_timeout"):
                yield from _ab_steps(step.get(key) or [])


def ab_verdict(variants: Sequence[VariantResults]) -> tuple[str | None, str]:
    """The winner (None until each variant has MIN_PER_VARIANT carts and one is best with
    probability WINNER_PROBABILITY) and the verdict in plain words."""
    if any(v.entered < MIN_PER_VARIANT for v in variants) or len(variants) < 2:
        return None, (
            f"Not enough data yet: each variant needs at least {MIN_PER_VARIANT} carts "
            f"({', '.join(f'{v.name}: {v.entered}' for v in variants)})."
        )
    leader = max(variants, key=lambda v: v.probability_best or 0)
    chance = round(100 * (leader.probability_best or 0))
    if (leader.probability_best or 0) >= WINNER_PROBABILITY:
        return leader.name, (
            f"{leader.name} wins: it recovers {leader.recovery_rate} % of carts and is the "
            f"best variant with probability {chance} %."
        )
    return None, (
        f"No clear winner yet: {leader.name} leads, but is the best only with probability "
        f"{chance} % (a winner needs {round(100 * WINNER_PROBABILITY)} %)."
    )


def _holdout(
    current: int, definitions: dict[int, dict[str, Any]], cohort: list[Entry]
) -> HoldoutResults | None:
    shares = {
        version: int((definition.get("settings") or {}).get("holdout_percent") or 0)
        for version, definition in definitions.items()
    }
    if not any(shares.get(e.version, 0) for e in cohort) and not shares.get(current, 0):
        return None
    held = [e for e in cohort if in_holdout(e.subject_id, shares.get(e.version, 0))]
    held_ids = {e.subject_id for e in held}
    treated = [e for e in cohort if e.subject_id not in held_ids]
    return holdout_results(
        shares.get(current, 0) or max(shares.values()),
        sum(1 for e in treated if e.status == "recovered"),
        len(treated),
        sum(1 for e in held if e.status == "recovered"),
        len(held),
    )


def holdout_results(
    share: int, treated_won: int, treated: int, held_won: int, held: int
) -> HoldoutResults:
    """Treated against held-out carts: the lift in percentage points and its 95 % interval
    (Newcombe's hybrid score), once each arm has MIN_PER_ARM carts."""
    enough = treated >= MIN_PER_ARM and held >= MIN_PER_ARM
    lift: float | None = None
    interval: tuple[float, float] | None = None
    if enough:
        difference, bounds = newcombe_difference(treated_won, treated, held_won, held)
        lift = round(100 * difference, 1)
        interval = (round(100 * bounds.low, 1), round(100 * bounds.high, 1))
        if bounds.low > 0:
            verdict = (
                f"The automation works: it adds {lift} points of recovery "
                f"(95 % interval {interval[0]} to {interval[1]})."
            )
        elif bounds.high < 0:
            verdict = (
                f"Held-out carts recover more: {lift} points "
                f"(95 % interval {interval[0]} to {interval[1]})."
            )
        else:
            verdict = (
                f"No clear difference yet: {lift} points, but the 95 % interval "
                f"({interval[0]} to {interval[1]}) includes zero."
            )
    else:
        verdict = f"Not enough data yet: each group needs at least {MIN_PER_ARM} carts."
    return HoldoutResults(
        percent=share,
        treated=Arm(carts=treated, recovered=treated_won, rate=percent(treated_won, treated)),
        held_out=Arm(carts=held, recovered=held_won, rate=percent(held_won, held)),
        lift=lift,
        interval=interval,
        enough_data=enough,
        verdict=verdict,
    )
