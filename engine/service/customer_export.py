"""Everything held about one customer as one JSON document (`GET /api/v1/customers/export`,
GDPR article 15), and the short summary the Customer page shows first.

It reads the same places erasure reaches (engine/service/personal_records.py), row by row, so
a kind of record erasure removes is a kind the export shows.
"""

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from engine.service import erased_addresses, personal_records
from engine.service.lookups import normalised_email
from engine.store.models import DataRequest
from engine.store.types import utcnow


def export(session: Session, email: str, now: datetime | None = None) -> dict[str, Any]:
    """The document: the address, when it was made, and each kind of record in full. Marks
    the address's pending data requests as answered (the caller commits)."""
    email = normalised_email(email)
    now = now or utcnow()
    held = personal_records.find(session, email)
    document: dict[str, Any] = {"email": email, "exported_at": now.isoformat()}
    for kind, rows in held.rows().items():
        document[kind] = [row.model_dump(mode="json") for row in rows]
    for request in session.exec(
        select(DataRequest).where(DataRequest.email == email, DataRequest.exported_at == None)  # noqa: E711
    ).all():
        request.exported_at = now
        session.add(request)
    return document


def summary(session: Session, email: str) -> dict[str, Any]:
    """What the Customer page shows before an export or an erasure: the customer's facts,
    how many records of each kind are held, and whether the address was erased before."""
    email = normalised_email(email)
    held = personal_records.find(session, email)
    customer = held.customer[0] if held.customer else None
    return {
        "email": email,
        "customer": None
        if customer is None
        else customer.model_dump(mode="json", exclude={"email"}),
        "held": held.counts(),
        "erased_before": erased_addresses.was_erased(session, email),
    }
