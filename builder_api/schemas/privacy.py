"""Personal data: erasure, the export's summary, retention runs and platforms' data requests."""

from datetime import datetime

from pydantic import BaseModel, EmailStr, Field


class EraseRequest(BaseModel):
    email: EmailStr = Field(description="The customer's address (any case)")


class ErasureOut(BaseModel):
    erased: bool = Field(description="Whether anything was held about the address")
    removed: dict[str, int] = Field(
        description="Records removed or emptied, by kind (kinds with none left out)"
    )
    journeys_cancelled: int = Field(description="Running journeys cancelled first")
    journeys_not_reached: int = Field(
        description="Journeys Temporal could not be asked about (it was unreachable); each "
        "stops at its next action, its records gone"
    )


class CustomerFacts(BaseModel):
    """What the shop told us about the customer."""

    id: str
    first_name: str | None
    last_name: str | None
    locale: str | None = Field(description="BCP 47, as the shop sent it")
    timezone: str | None = Field(description="IANA name the shop sent")
    tags: list[str] | None
    accepts_marketing: bool | None = Field(description="null: the shop never said")
    registered: bool | None = Field(description="Has an account; null: not told")
    created_at: datetime


class CustomerSummary(BaseModel):
    email: str
    customer: CustomerFacts | None = Field(description="The customer's facts; null: no customer")
    held: dict[str, int] = Field(description="Records held about the address, by kind")
    erased_before: bool = Field(description="The address was erased before (its hash is kept)")


class RetentionRunOut(BaseModel):
    id: int
    started_at: datetime
    finished_at: datetime | None
    status: str = Field(description="running, done or failed")
    cutoffs: dict[str, str] = Field(description="Records older than these were past their time")
    counts: dict[str, int] = Field(description="Records removed or emptied, by kind")
    error: str | None


class RetentionRuns(BaseModel):
    runs: list[RetentionRunOut]


class DataRequestOut(BaseModel):
    id: str
    platform: str
    request_id: str | None
    email: str
    orders: list[str]
    received_at: datetime
    exported_at: datetime | None = Field(description="When an admin first exported it")


class DataRequests(BaseModel):
    requests: list[DataRequestOut]
