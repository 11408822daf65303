"""The frequency cap: at most N journey emails per customer per window, across automations.

A capped send is not dropped: the send action answers `deferred` with the moment the cap
allows it, and the journey waits for that moment with a durable timer.
"""

from datetime import datetime

from sqlmodel import Session, col, select, update

from engine.runtime.settings import FrequencyCap
from engine.store.models import Customer, Message


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
            col(Message.automation_id).is_not(None),  # journey emails; not test sends
            col(Message.status).in_(("sending", "sent")),
            col(Message.created_at) > now - cap.window,
        )
        .order_by(col(Message.created_at))
    ).all()
    if len(recent) < cap.emails:
        return None
    # A slot frees when the oldest of the last `emails` emails leaves the window.
    return recent[-cap.emails] + cap.window
