"""Abandonment detection: active carts idle past the inactivity threshold become abandoned.

`AbandonmentWorkflow` runs the `abandon_idle_carts` activity
(engine.activities.detect_abandonment), which calls the use cases below, started by the
Temporal Schedule that `ensure_schedule` keeps (every `abandonment_interval`). Cart
activity itself (`cart_updated`, `checkout_started`) only updates `Cart.updated_at`.

Only `active` carts are candidates: a cart once abandoned (here or by a `cart_abandoned`
event) or recovered is never abandoned again, whatever activity follows. A cart is taken
by a conditional UPDATE (still active, still idle), so two runs never both take it. Its
journeys are written with the mark, as the effects of a `cart_abandoned` event in the
events table (engine.service.effects, the outbox ingest uses too), and committed before
Temporal hears of them; the event is marked applied once they started. A retried activity
therefore finishes what a failed attempt began, and enrolment is idempotent (deterministic
ids, use-existing).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlmodel import Session, col, select, update
from temporalio.client import Client, Schedule

from engine.runtime.settings import Settings
from engine.service import schedules
from engine.service.effects import Enrol, Pending, pending, to_store
from engine.service.enrolment import enrolments_for
from engine.service.lookups import DETECTED_ID_PREFIX
from engine.service.shop_settings import effective_settings
from engine.store import models
from engine.store.types import utcnow
from engine.workflows.abandonment import SCHEDULE_ID, AbandonmentRequest, AbandonmentWorkflow

TRIGGER = "cart_abandoned"


@dataclass(frozen=True)
class IdleCarts:
    marked: int
    guests: int
    enrolments: list[Enrol]


def abandon_idle_carts(
    session: Session, settings: Settings, now: datetime, limit: int
) -> IdleCarts:
    """Mark up to `limit` idle active carts abandoned, oldest first, and record their journeys.

    A cart is idle when its last activity (`updated_at`) is older than the inactivity
    threshold; it became abandoned at `updated_at + threshold`. Carts without a known
    email are marked but not enrolled. The caller commits.
    """
    threshold = effective_settings(session, settings).inactivity_threshold  # shop's, else env's
    cutoff = now - threshold
    idle = session.exec(
        select(models.Cart.id, models.Cart.updated_at)
        .where(models.Cart.status == "active", col(models.Cart.updated_at) < cutoff)
        .order_by(col(models.Cart.updated_at), col(models.Cart.id))
        .limit(limit)
    ).all()
    taken = [
        cart_id
        for cart_id, updated_at in idle
        if _take(session, cart_id, abandoned_at=updated_at + threshold, cutoff=cutoff)
    ]
    carts = session.exec(
        select(models.Cart)
        .where(col(models.Cart.id).in_(taken))
        .order_by(col(models.Cart.updated_at), col(models.Cart.id))
        .execution_options(populate_existing=True)
    ).all()
    enrolments: list[Enrol] = []
    guests = 0
    for cart in carts:
        if cart.customer_id is None:
            guests += 1
            effects: list[Enrol] = []
        else:
            effects = enrolments_for(session, settings, cart, TRIGGER, now=now)
        enrolments.extend(effects)
        _record(session, cart, effects)
    session.flush()
    return IdleCarts(marked=len(carts), guests=guests, enrolments=enrolments)


def _take(session: Session, cart_id: str, *, abandoned_at: datetime, cutoff: datetime) -> bool:
    """Mark the cart if it is still active and still idle; False when another run (or new
    activity, or a `cart_abandoned` event) came first."""
    result = session.exec(
        update(models.Cart)
        .where(
            col(models.Cart.id) == cart_id,
            col(models.Cart.status) == "active",
            col(models.Cart.updated_at) < cutoff,
        )
        .values(status="abandoned", abandoned_at=abandoned_at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _record(session: Session, cart: models.Cart, effects: list[Enrol]) -> None:
    assert cart.abandoned_at is not None
    session.add(
        models.Event(
            id=models.new_id(DETECTED_ID_PREFIX),
            type=TRIGGER,
            occurred_at=cart.abandoned_at,
            cart_id=cart.id,
            data={"cart_id": cart.id, "detected": "inactivity"},
            effects=to_store(list(effects)),
            applied_at=None if effects else utcnow(),
        )
    )


def abandonment_schedule(settings: Settings) -> Schedule:
    """Run AbandonmentWorkflow every `abandonment_interval`, never two at once."""
    return schedules.every(
        settings.abandonment_interval,
        AbandonmentWorkflow.run,
        AbandonmentRequest(),
        SCHEDULE_ID,
        settings.task_queue,
    )


async def ensure_schedule(
    client: Client, settings: Settings, schedule_id: str = SCHEDULE_ID
) -> Literal["created", "updated", "unchanged"]:
    """Create the abandonment schedule, or bring an existing one to these settings."""
    return await schedules.ensure(client, schedule_id, abandonment_schedule(settings))


def pending_enrolments(session: Session, limit: int) -> list[Pending]:
    """Recorded abandonments whose journeys have not all been started yet, oldest first."""
    return pending(session, DETECTED_ID_PREFIX, limit)
