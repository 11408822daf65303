"""Retention: personal data with an end (DESIGN: retention and erasure; docs/privacy.md).

A Temporal Schedule (`ensure_schedule`, every `retention_interval`) runs RetentionWorkflow,
whose activities call `purge_batch` until nothing is left, and record the run (counts only).
What is past its time, with the shop's three settings (days):

- carts never recovered, `retention_abandoned_carts` after their last moment (abandonment,
  else last activity) with no activity of theirs since: deleted with their items; what the
  results counted of them stays as daily counts (engine/service/forgotten_carts.py). Their
  journeys' records and enrolments stay, without the customer's id (ids only, as in
  Temporal), so an automation's experiments keep their denominators; their emails and
  events lose address, content and body;
- customers nothing refers to any more (no cart, order or enrolment), as old as that;
- raw event bodies, `retention_events` after we received them;
- sent emails' address, subject and body, `retention_messages` after they were written.

Recovered carts and orders are the shop's sales records: kept. Simulations expire after a day
(engine/service/simulation.py); each run removes the expired ones too.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import and_, exists, func, or_, true, update
from sqlmodel import Session, col, select
from temporalio.client import Client, Schedule

from engine.runtime.settings import Settings
from engine.service import forgotten_carts, personal_records, schedules, shop_settings, simulation
from engine.store.db import session_scope
from engine.store.models import (
    Cart,
    Customer,
    DiscountCode,
    Enrolment,
    Event,
    JourneyRecord,
    Message,
    MessageEvent,
    Order,
    RetentionRun,
)
from engine.store.types import utcnow
from engine.workflows.retention import SCHEDULE_ID, RetentionRequest, RetentionWorkflow

BATCH = 500  # records of each kind per transaction
ACTIVITY = ("cart_updated", "checkout_started")  # events that say a cart is in use
KINDS = ("carts", "customers", "event_bodies", "emails", "simulations")


@dataclass(frozen=True)
class Cutoffs:
    """Records older than these are past their time."""

    carts: datetime
    events: datetime
    messages: datetime

    def as_json(self) -> dict[str, str]:
        return {kind: moment.isoformat() for kind, moment in vars(self).items()}


def cutoffs(session: Session, settings: Settings, now: datetime) -> Cutoffs:
    """The shop's retention periods (or the environment's) back from `now`."""
    days = shop_settings.effective_settings(session, settings)
    return Cutoffs(
        carts=now - timedelta(days=days.retention_abandoned_carts),
        events=now - timedelta(days=days.retention_events),
        messages=now - timedelta(days=days.retention_messages),
    )


@dataclass
class Progress:
    """Where a run's scans of events, emails and customers stand (kept with the run, copied
    by the next one): each row is visited once, not once per batch and per run, however big
    the tables grow. Rows before a position were handled; a shorter retention period only
    moves the cutoff, so what lies between is handled next."""

    events: tuple[str, str] | None = None  # (received_at, id) of the last event visited
    emails: int | None = None  # the last message id visited
    customers: tuple[str, str] | None = None  # (created_at, id) of the last customer visited

    def as_json(self) -> dict[str, Any]:
        return {"events": self.events, "emails": self.emails, "customers": self.customers}

    @classmethod
    def of(cls, stored: dict[str, Any] | None) -> "Progress":
        stored = stored or {}
        events, customers = stored.get("events"), stored.get("customers")
        return cls(
            events=(str(events[0]), str(events[1])) if events else None,
            emails=stored.get("emails"),
            customers=(str(customers[0]), str(customers[1])) if customers else None,
        )


def purge_batch(
    session: Session, cut: Cutoffs, progress: Progress, limit: int = BATCH
) -> tuple[dict[str, int], bool]:
    """Purge up to `limit` records of each kind past its time, moving `progress` on (the
    caller commits both): the counts, and whether more are left."""
    carts, owners = _purge_carts(session, cut.carts, limit)
    customers, customers_left = _purge_customers(session, cut.carts, progress, owners, limit)
    counts = {"carts": carts, "customers": customers, "event_bodies": 0, "emails": 0}
    # Bodies and emails once no cart past its time is left: those of a cart still to purge go
    # with it (counted as the cart), so a run's counts do not depend on its batch size.
    if carts < limit:
        counts["event_bodies"], events_left = _purge_event_bodies(
            session, cut.events, progress, limit
        )
        counts["emails"], emails_left = _purge_emails(session, cut.messages, progress, limit)
        return counts, customers_left or events_left or emails_left
    return counts, True


def _expired_carts(cutoff: datetime) -> Any:
    """Carts never recovered whose last moment is before `cutoff`, with no activity of theirs
    (shop time) since: a cart the shop reports in use again is alive, whenever it was
    abandoned. (A `cart_abandoned` the shop sends late is not activity: its `abandoned_at`
    says when.)"""
    later = exists().where(
        col(Event.cart_id) == Cart.id,
        col(Event.type).in_(ACTIVITY),
        col(Event.occurred_at) >= cutoff,
    )
    return and_(
        col(Cart.status) != "recovered",
        func.coalesce(Cart.abandoned_at, Cart.updated_at) < cutoff,
        ~later,
    )


def _purge_carts(session: Session, cutoff: datetime, limit: int) -> tuple[int, set[str]]:
    """Delete up to `limit` expired carts: how many, and their customers (who may now be
    referred to by nothing)."""
    carts = list(
        session.exec(
            select(Cart).where(_expired_carts(cutoff)).order_by(col(Cart.id)).limit(limit)
        ).all()
    )
    if not carts:
        return 0, set()
    owners = {cart.customer_id for cart in carts if cart.customer_id}
    ids = [cart.id for cart in carts]
    forgotten_carts.fold(session, carts)
    for table in (Enrolment, JourneyRecord, DiscountCode):
        session.exec(
            update(table)
            .where(col(table.cart_id).in_(ids))
            .values(customer_id=None)
            .execution_options(synchronize_session=False)
        )
    _forget_emails(session, col(Message.cart_id).in_(ids))
    now = utcnow()
    for event in session.exec(select(Event).where(col(Event.cart_id).in_(ids))).all():
        personal_records.forget_event(event, now)
    session.flush()
    for cart in carts:
        session.delete(cart)
    session.flush()
    return len(carts), owners


def _purge_customers(
    session: Session, cutoff: datetime, progress: Progress, owners: set[str], limit: int
) -> tuple[int, bool]:
    """Customers as old as the carts' period that no cart, order or enrolment refers to:
    the owners of the carts just purged, and the customers created since the last visit
    (`progress.customers`; one who never had a cart). (How many went, whether more are left
    to visit.)"""
    unused = and_(
        col(Customer.created_at) < cutoff,
        ~exists().where(col(Cart.customer_id) == Customer.id),
        ~exists().where(col(Order.customer_id) == Customer.id),
        ~exists().where(col(Enrolment.customer_id) == Customer.id),
    )
    visited = list(
        session.exec(
            select(Customer.id, Customer.created_at)
            .where(
                Customer.created_at < cutoff,
                _after(Customer.created_at, Customer.id, progress.customers),
            )
            .order_by(col(Customer.created_at), col(Customer.id))
            .limit(limit)
        ).all()
    )
    if visited:
        last_id, last_at = visited[-1]
        progress.customers = (last_at.isoformat(), last_id)
    candidates = owners | {customer_id for customer_id, _ in visited}
    ids = (
        list(
            session.exec(select(Customer.id).where(col(Customer.id).in_(candidates), unused)).all()
        )
        if candidates
        else []
    )
    if ids:
        for table in (DiscountCode, JourneyRecord):
            session.exec(
                update(table)
                .where(col(table.customer_id).in_(ids))
                .values(customer_id=None)
                .execution_options(synchronize_session=False)
            )
        for customer in session.exec(select(Customer).where(col(Customer.id).in_(ids))).all():
            session.delete(customer)
        session.flush()
    return len(ids), len(visited) >= limit


def _after(moment: Any, row_id: Any, position: tuple[str, str] | None) -> Any:
    """The rows after `position` in (moment, id) order (all of them without one)."""
    if position is None:
        return true()
    at, last_id = datetime.fromisoformat(position[0]), position[1]
    return or_(moment > at, and_(moment == at, row_id > last_id))


def _purge_event_bodies(
    session: Session, cutoff: datetime, progress: Progress, limit: int
) -> tuple[int, bool]:
    """Empty the bodies of the events received before `cutoff`, visiting each once in
    (received_at, id) order from `progress.events`: (bodies emptied, more left to visit)."""
    events = session.exec(
        select(Event)
        .where(Event.received_at < cutoff, _after(Event.received_at, Event.id, progress.events))
        .order_by(col(Event.received_at), col(Event.id))
        .limit(limit)
    ).all()
    if not events:
        return 0, False
    now = utcnow()
    emptied = 0
    for event in events:
        if event.data or event.effects:  # a purged cart's events were emptied with it
            personal_records.forget_event(event, now)
            emptied += 1
    progress.events = (events[-1].received_at.isoformat(), events[-1].id)
    session.flush()
    return emptied, len(events) >= limit


def _purge_emails(
    session: Session, cutoff: datetime, progress: Progress, limit: int
) -> tuple[int, bool]:
    """Forget the emails written before `cutoff`, visiting each once in id order from
    `progress.emails`: (emails forgotten, more left to visit)."""
    ids = list(
        session.exec(
            select(Message.id)
            .where(Message.created_at < cutoff, col(Message.id) > (progress.emails or 0))
            .order_by(col(Message.id))
            .limit(limit)
        ).all()
    )
    if not ids:
        return 0, False
    progress.emails = ids[-1]
    return _forget_emails(session, col(Message.id).in_(ids)), len(ids) >= limit


def _not_forgotten() -> Any:
    return or_(col(Message.to_email) != "", col(Message.html) != "", col(Message.subject) != "")


def _forget_emails(session: Session, which: Any) -> int:
    messages = session.exec(select(Message).where(which, _not_forgotten())).all()
    for message in messages:
        personal_records.forget_message(message)
    ids = [message.id for message in messages]
    if ids:
        session.exec(
            update(MessageEvent)
            .where(col(MessageEvent.message_id).in_(ids))
            .values(detail={})
            .execution_options(synchronize_session=False)
        )
    session.flush()
    return len(messages)


# -- runs -----------------------------------------------------------------------------------


def begin_run(session: Session, settings: Settings, now: datetime) -> RetentionRun:
    """A new run, its cutoffs fixed, going on from where the latest run's scans stopped."""
    latest = session.exec(select(RetentionRun).order_by(col(RetentionRun.id).desc())).first()
    run = RetentionRun(
        started_at=utcnow(),
        cutoffs=cutoffs(session, settings, now).as_json(),
        counts=dict.fromkeys(KINDS, 0),
        progress=latest.progress if latest is not None else Progress().as_json(),
    )
    session.add(run)
    session.flush()
    return run


def run_cutoffs(run: RetentionRun) -> Cutoffs:
    return Cutoffs(**{kind: datetime.fromisoformat(moment) for kind, moment in run.cutoffs.items()})


def purge_for_run(session: Session, run_id: int, limit: int = BATCH) -> bool:
    """One batch of a run, its counts added to the run's in the same transaction (the caller
    commits): whether more are left."""
    run = session.get(RetentionRun, run_id, with_for_update=True)
    assert run is not None, f"no retention run {run_id}"
    progress = Progress.of(run.progress)
    counts, more = purge_batch(session, run_cutoffs(run), progress, limit)
    run.counts = {kind: run.counts.get(kind, 0) + counts.get(kind, 0) for kind in KINDS}
    run.progress = progress.as_json()
    session.add(run)
    return more


def end_run(session: Session, run_id: int, error: str | None = None) -> RetentionRun:
    run = session.get(RetentionRun, run_id)
    assert run is not None, f"no retention run {run_id}"
    if error is None:
        expired = simulation.purge_expired(session)
        run.counts = {**run.counts, "simulations": run.counts.get("simulations", 0) + expired}
    run.status = "failed" if error else "done"
    run.error = error[:2000] if error else None
    run.finished_at = utcnow()
    session.add(run)
    session.flush()
    return run


def run_now(settings: Settings, now: datetime | None = None, limit: int = BATCH) -> RetentionRun:
    """A whole run in this process, batch by batch, each batch its own transaction (what
    `POST /api/v1/privacy/retention-runs` does)."""
    url = settings.resolved_database_url
    with session_scope(url) as session:
        run_id = begin_run(session, settings, now or utcnow()).id
    assert run_id is not None
    try:
        more = True
        while more:
            with session_scope(url) as session:
                more = purge_for_run(session, run_id, limit)
    except Exception as error:
        with session_scope(url) as session:
            end_run(session, run_id, f"{type(error).__name__}: {error}")
        raise
    with session_scope(url) as session:
        return end_run(session, run_id)


def retention_schedule(settings: Settings) -> Schedule:
    """Run RetentionWorkflow every `retention_interval`, never two at once."""
    return schedules.every(
        settings.retention_interval,
        RetentionWorkflow.run,
        RetentionRequest(),
        SCHEDULE_ID,
        settings.task_queue,
    )


async def ensure_schedule(
    client: Client, settings: Settings, schedule_id: str = SCHEDULE_ID
) -> Literal["created", "updated", "unchanged"]:
    return await schedules.ensure(client, schedule_id, retention_schedule(settings))


def recent_runs(session: Session, limit: int = 20) -> list[RetentionRun]:
    return list(
        session.exec(
            select(RetentionRun).order_by(col(RetentionRun.started_at).desc()).limit(limit)
        ).all()
    )
