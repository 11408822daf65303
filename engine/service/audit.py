"""The audit log: who (which token) did what (an API call that changes something), when, and
how it ended. Written by the API for every mutating call, read by admins."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from engine.store.models import ApiToken, AuditEntry

MAX_TEXT = 400  # the longest `resource` the table keeps; longer path values are cut


@dataclass(frozen=True)
class Actor:
    """The token a call was made with, as the log names it (never its value)."""

    token_id: str
    token_name: str
    role: str

    @classmethod
    def of(cls, token: ApiToken) -> "Actor":
        return cls(token_id=token.id, token_name=token.name, role=token.role)


def clean(value: str) -> str:
    """A value from the request as the log may keep it: bounded, and without NUL characters
    (PostgreSQL refuses them in text, and the call that carried one must still be logged)."""
    return value.replace("\x00", "\ufffd")[:MAX_TEXT]


def record(
    session: Session,
    actor: Actor,
    action: str,
    status_code: int,
    resource: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        token_id=actor.token_id,
        token_name=actor.token_name,
        role=actor.role,
        action=action,
        resource=clean(resource) if resource is not None else None,
        status_code=status_code,
        detail=detail or {},
    )
    session.add(entry)
    session.flush()
    return entry


def entries(
    session: Session,
    *,
    token_id: str | None = None,
    since: datetime | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """Entries newest first; only one token's, or only those at or after `since` (a naive
    time is read as UTC)."""
    query = select(AuditEntry)
    if token_id is not None:
        query = query.where(AuditEntry.token_id == token_id)
    if since is not None:
        aware = since if since.tzinfo is not None else since.replace(tzinfo=UTC)
        query = query.where(col(AuditEntry.at) >= aware)
    query = query.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(limit)
    return list(session.exec(query).all())
