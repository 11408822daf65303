"""API tokens: created (its value shown once), listed, revoked."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from engine.service.auth import Role

TokenName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
]


class TokenCreate(BaseModel):
    name: TokenName = Field(description="What the token is for, e.g. `shop events (prod)`")
    role: Role = Field(description="admin, marketer, developer, support or ingest")


class TokenPublic(BaseModel):
    id: str
    name: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None = Field(description="Set once revoked: the token gets 401")


class TokenCreated(TokenPublic):
    token: str = Field(
        description="The token's value, shown this once (only its SHA-256 is kept): "
        "send it as `Authorization: Bearer <token>`"
    )
