"""Liveness and reachability of what the API needs."""

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str = Field(description="`ok` when every dependency answers, else `degraded`.")
    database: str
    temporal: str
