"""The carts list's filter and sorts (`GET /api/v1/carts`, its CSV, the bulk message's
`filter`): pure shapes, shared by the API, the client and the carts service
(engine.service.carts), which turns them into SQL."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

CartStatus = Literal[
    "active", "abandoned", "in_journey", "recovered", "lost", "ordered", "not_contactable"
]
STORED_STATUSES = ("active", "abandoned", "recovered", "lost", "ordered")
WAS_ABANDONED = ("abandoned", "recovered", "lost")  # a cart that was abandoned, whatever came next
Sort = Literal["abandoned_at", "-abandoned_at", "total", "-total", "updated_at", "-updated_at"]
SORTS: tuple[str, ...] = get_args(Sort)
DEFAULT_SORT: Sort = "-abandoned_at"
MAX_LIMIT = 200


def moment(value: str, *, end: bool) -> datetime:
    """An ISO date (the whole day: its start, or the next day's start for an upper bound) or
    datetime (naive: UTC)."""
    if len(value) == 10:
        day = date.fromisoformat(value)
        start = datetime.combine(day, time(), tzinfo=UTC)
        return start + timedelta(days=1) if end else start
    found = datetime.fromisoformat(value)
    return found if found.tzinfo else found.replace(tzinfo=UTC)


class CartFilter(BaseModel):
    """Which carts: every given key must hold; several statuses mean any of them."""

    model_config = ConfigDict(extra="forbid")

    status: list[CartStatus] = Field(
        default_factory=list, max_length=7, description="Any of these (repeatable)"
    )
    customer: Literal["registered", "guest"] | None = Field(
        None, description="`registered`: has an account; `guest`: not known to have one"
    )
    abandoned_from: str | None = Field(
        None, max_length=40, description="Abandoned at or after (ISO date or datetime, UTC)"
    )
    abandoned_to: str | None = Field(
        None,
        max_length=40,
        description="Abandoned before this datetime, or on or before this date (ISO, UTC)",
    )
    automation_id: str | None = Field(
        None, max_length=40, description="Carts that entered this automation"
    )
    min_total: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    max_total: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: str | None = Field(None, pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code")
    email: str | None = Field(
        None, min_length=1, max_length=320, description="The customer's email contains this"
    )

    @field_validator("abandoned_from", "abandoned_to")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                moment(value, end=False)
            except ValueError as error:
                raise ValueError("an ISO date (2024-01-15) or datetime expected") from error
        return value

    @field_validator("status")
    @classmethod
    def _once_each(cls, value: list[CartStatus]) -> list[CartStatus]:
        return list(dict.fromkeys(value))
