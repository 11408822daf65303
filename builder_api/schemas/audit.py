"""The audit log: who called what, and what came of it."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class AuditEntryPublic(BaseModel):
    id: int
    at: datetime
    token_id: str | None
    token_name: str
    role: str
    action: str = Field(description="Method and route, e.g. `POST /api/v1/templates/{template}`")
    resource: str | None = Field(description="What the call named or created, e.g. an id")
    status_code: int = Field(description="The answer's HTTP status (4xx: refused)")
    detail: dict[str, Any] = Field(description="The path's parameters and safe facts of the call")
