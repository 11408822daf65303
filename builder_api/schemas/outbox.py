"""The dev outbox: emails kept instead of sent."""

from datetime import datetime

from pydantic import BaseModel


class OutboxMessage(BaseModel):
    id: int
    to: str
    subject: str
    html: str
    text: str
    headers: dict[str, str]
    cart_id: str | None
    automation_id: str | None
    step_id: str | None
    status: str
    created_at: datetime
