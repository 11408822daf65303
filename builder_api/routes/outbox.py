"""The dev outbox: emails the `outbox` transport delivered."""

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import col, select

from builder_api.deps import SessionDep, require
from builder_api.schemas.outbox import OutboxMessage
from engine.service.auth import Role
from engine.store.models import Message

router = APIRouter(prefix="/outbox", tags=["outbox"])


# Marketers see what their automations and test sends emailed; developers run the transport.
@router.get("", dependencies=[require(Role.marketer, Role.developer)])
def list_outbox(
    session: SessionDep,
    to: Annotated[
        str | None, Query(max_length=320, description="Only emails to this address")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[OutboxMessage]:
    """List delivered dev emails, newest first."""
    query = select(Message).where(Message.transport == "outbox")
    if to:
        query = query.where(Message.to_email == to.strip().lower())
    rows = session.exec(query.order_by(col(Message.id).desc()).limit(limit)).all()
    return [
        OutboxMessage(
            id=row.id or 0,
            to=row.to_email,
            subject=row.subject,
            html=row.html,
            text=row.text,
            headers=row.headers,
            cart_id=row.cart_id,
            automation_id=row.automation_id,
            step_id=row.step_id,
            status=row.status,
            created_at=row.created_at,
        )
        for row in rows
    ]
