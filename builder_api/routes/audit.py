"""The audit log: who changed what, when (admins only). builder_api/audit_log.py writes it."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from builder_api.deps import SessionDep, require
from builder_api.schemas.audit import AuditEntryPublic
from engine.service import audit

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", dependencies=[require()])
def list_audit_entries(
    session: SessionDep,
    token_id: Annotated[
        str | None, Query(max_length=40, description="Only calls made with this token")
    ] = None,
    since: Annotated[
        datetime | None, Query(description="Only calls at or after this time (ISO 8601; UTC)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AuditEntryPublic]:
    """List the changes made through the API (every POST, PUT, PATCH and DELETE with a valid
    token, refused ones too), newest first."""
    rows = audit.entries(session, token_id=token_id, since=since, limit=limit)
    return [AuditEntryPublic.model_validate(row, from_attributes=True) for row in rows]
