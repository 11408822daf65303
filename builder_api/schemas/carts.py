"""Carts: the carts list and a cart's detail, recovery links, messages to carts, and what a
storefront gets back to rebuild a cart from a recovery link."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from engine.language.carts import CartFilter
from engine.language.definition import PositiveDuration

# Amounts travel as JSON numbers, as shops send them in events.
Amount = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]


class RestoredItem(BaseModel):
    id: str
    name: str
    variant: str | None
    quantity: int
    price: Amount
    image_url: str | None


class RestoredCart(BaseModel):
    cart_id: str
    status: str = Field(description="active, abandoned, recovered or lost")
    items: list[RestoredItem]
    subtotal: Amount
    shipping: Amount
    tax: Amount
    total: Amount
    currency: str


# -- the carts list and detail (amounts as strings with 2 decimals: "280.77") ---------------

Money = Annotated[Decimal, PlainSerializer(lambda v: f"{v:.2f}", return_type=str, when_used="json")]


class _FromService(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class CartSummaryOut(_FromService):
    id: str
    status: str = Field(description="active, abandoned, recovered, lost or ordered")
    customer_email: str | None
    customer_name: str | None
    registered: bool
    contactable: bool = Field(
        description="Has an email, not suppressed, and consents if the shop requires it"
    )
    in_journey: bool = Field(description="A journey of this cart is still running")
    item_count: int
    total: Money
    currency: str
    abandoned_at: datetime | None
    recovered_at: datetime | None
    updated_at: datetime
    order_id: str | None


class CartList(BaseModel):
    carts: list[CartSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: last")
    total: int = Field(description="How many carts match the filter")


class CartItemOut(_FromService):
    id: str
    name: str
    variant: str | None
    quantity: int
    price: Money
    image_url: str | None


class CartCustomerOut(_FromService):
    id: str
    email: str
    first_name: str | None
    last_name: str | None
    registered: bool
    accepts_marketing: bool | None
    suppressed: bool
    locale: str | None


class CartJourneyOut(_FromService):
    id: str
    automation_id: str
    automation_name: str | None
    outcome: str | None
    started_at: datetime
    closed_at: datetime | None


class DeliveryEventOut(_FromService):
    event: str
    occurred_at: datetime


class CartMessageOut(_FromService):
    id: int
    automation_id: str | None
    step_id: str | None
    subject: str
    status: str
    sent_at: datetime | None
    events: list[DeliveryEventOut]


class CartOrderOut(_FromService):
    id: str
    status: str
    total: Money
    currency: str
    placed_at: datetime


class TimelineEntryOut(_FromService):
    at: datetime
    kind: Literal[
        "cart_created", "abandoned", "entered", "step", "message_sent", "message_event",
        "order", "recovered",
    ]  # fmt: skip
    summary: str
    journey_id: str | None


class CartDetailOut(CartSummaryOut):
    items: list[CartItemOut]
    subtotal: Money
    shipping: Money
    tax: Money
    customer: CartCustomerOut | None
    journeys: list[CartJourneyOut]
    messages: list[CartMessageOut]
    orders: list[CartOrderOut]
    timeline: list[TimelineEntryOut] = Field(description="Oldest first")


class RecoveryLinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    discount_percent: int | None = Field(
        None, ge=1, le=90, description="Also create a single-use code of this percentage"
    )
    discount_expires_in: PositiveDuration = Field(
        "7d",
        le=timedelta(days=366),
        validate_default=True,
        description="How long the code is valid (`7d`, `48h`)",
    )


class RecoveryLinkOut(_FromService):
    url: str
    expires_at: datetime
    code: str | None
    code_expires_at: datetime | None


# -- messages ----------------------------------------------------------------------------

TemplateName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9\-]*$")]
Subject = Annotated[str, Field(min_length=1, max_length=300)]


class CartMessageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template: TemplateName = Field(description="A published template's name")
    subject: Subject | None = Field(None, description="Replaces the template's own subject")


class CartMessageSent(BaseModel):
    message_id: int
    status: Literal["sent"] = "sent"


class BulkMessageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    filter: CartFilter = Field(default_factory=CartFilter, description="As the list's query")
    template: TemplateName
    subject: Subject | None = None
    dry_run: bool = Field(False, description="Only count what would be sent and skipped")


class Skipped(BaseModel):
    suppressed: int
    no_consent: int
    frequency_cap: int
    no_email: int


class BulkMessageDryRun(BaseModel):
    would_send: int
    skipped: Skipped


class BulkMessageStarted(BaseModel):
    run_id: str
    status_url: str


class BulkMessageStatus(BaseModel):
    run_id: str
    status: Literal["running", "completed", "failed"]
    total: int = Field(description="Carts the filter matched when the run started")
    done: int
    sent: int
    skipped: Skipped
    failed: int = Field(description="Emails the provider refused for good (not in the contract)")
    started_at: datetime
    finished_at: datetime | None
