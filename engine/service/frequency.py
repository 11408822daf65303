"""The frequency cap: at most N marketing emails per customer per window, across automations:
journey emails and the emails a marketer sends to carts (`POST /api/v1/carts/{id}/message`,
bulk messages), not template test sends.

A capped send is not dropped: the send action answers `deferred` with the moment the cap
allows it, and the journey waits for that moment with a durable timer.
"""

from datetime import datetime

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, func, select, update

from engine.runtime.settings import FrequencyCap
from engine.store.models import Customer, Message

# The idempotency keys of the emails sent to carts by hand (engine.service.cart_messages).
CART_MESSAGE_PREFIXES = ("message:", "bulk:")


def counted() -> ColumnElement[bool]:
    """The emails the cap counts: a journey's, or one sent to a cart by hand."""
    return or_(
        col(Message.automation_id).is_not(None),
        *(col(Message.idempotency_key).startswith(prefix) for prefix in CART_MESSAGE_PREFIXES),
    )


def recent_counts(
    session: Session, cap: FrequencyCap, emails: list[str], now: datetime
) -> dict[str, int]:
    """How many counted emails each address got within the cap's window (read only: for a
    dry run, which takes no lock and sends nothing)."""
    if not emails:
        return {}
    rows = session.exec(
        select(Message.to_email, func.count())
        .where(
            col(Message.to_email).in_(emails),
            counted(),
            col(Message.status).in_(("sending", "sent")),
            col(Message.created_at) > now - cap.window,
        )
        .group_by(col(Message.to_email))
    ).all()
    return {email: int(n) for email, n in rows}


def capped_until(
    session: Session, cap: FrequencyCap | None, customer: Customer, now: datetime
) -> datetime | None:
    """When the customer may get the next journey email, or None if they may now.

    Holds the customer's row until the caller's transaction ends, so two journeys of one
    customer sending at once count each other (a row lock on PostgreSQL; on SQLite the
    write takes the database's write lock).
    """
    if cap is None:
        return None
    # A no-op write of a non-key column: PostgreSQL's NO KEY UPDATE lock (no deadlock with
    # carts being written for this customer), SQLite's write lock.
    session.exec(
        update(Customer)
        .where(col(Customer.id) == customer.id)
        .values(first_name=Customer.first_name)
        .execution_options(synchronize_session=False)
    )
    recent = session.exec(
        select(Message.created_at)
        .where(
            Message.to_email == customer.email,
            counted(),  # not test sends
            col(Message.status).in_(("sending", "sent")),
            col(Message.created_at) > now - cap.window,
        )
        .order_by(col(Message.created_at))
    ).all()
    if len(recent) < cap.emails:
        return None
    # A slot frees when the oldest of the last `emails` emails leaves the window.
    return recent[-cap.emails] + cap.window
