"""Journey history that lasts: each journey's steps written to the database as it goes (with
each action, in the action's transaction, and when it ends), so the journey page and a
cart's timeline outlive Temporal's retention (24 hours on the embedded server)."""

from sqlmodel import Session, col, select

from engine.language.contracts import JourneyRecords
from engine.store.models import Customer, JourneyRecord


def keep(session: Session, batch: JourneyRecords) -> None:
    """Add the batch's records the database does not hold yet (a batch may be sent again
    after a failure: each place in a journey's history is kept once). The caller commits."""
    if not batch.records:
        return
    last = batch.first_seq + len(batch.records) - 1
    held = set(
        session.exec(
            select(JourneyRecord.seq).where(
                JourneyRecord.workflow_id == batch.workflow_id,
                col(JourneyRecord.seq) >= batch.first_seq,
                col(JourneyRecord.seq) <= last,
            )
        ).all()
    )
    # A journey cancelled by an erasure may keep its last steps after the customer is gone:
    # they do not name the erased customer again (nor one that retention removed).
    customer_id = batch.customer_id
    if customer_id is not None and session.get(Customer, customer_id) is None:
        customer_id = None
    for seq, record in enumerate(batch.records, start=batch.first_seq):
        if seq in held:
            continue
        session.add(
            JourneyRecord(
                workflow_id=batch.workflow_id,
                automation_id=batch.automation_id,
                automation_version=batch.automation_version,
                subject_id=batch.subject_id,
                cart_id=batch.cart_id,
                customer_id=customer_id,
                order_id=batch.order_id,
                seq=seq,
                step_id=record.step_id,
                type=record.type,
                at=record.at,
                detail=record.detail,
            )
        )


def of_journey(session: Session, workflow_id: str) -> list[JourneyRecord]:
    """The journey's kept steps, in order."""
    return list(
        session.exec(
            select(JourneyRecord)
            .where(JourneyRecord.workflow_id == workflow_id)
            .order_by(col(JourneyRecord.seq))
        ).all()
    )
