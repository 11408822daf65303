"""The integration contract: events as shops send them (envelope and data), pure models.

Every string that reaches a database column is bounded and free of NUL characters
(PostgreSQL refuses them), so anything a client can send is either accepted or refused
here, naming the field, and never fails further down.
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    field_validator,
)

from engine.language.definition import HeardEventType, OrderEventType, parse_duration

# Every event a shop may send.
EventType = Literal["cart_abandoned", HeardEventType]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Quantity = Annotated[int, Field(ge=1, le=1_000_000)]


def _iana_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"{name!r} is not an IANA time zone such as Europe/Paris") from error
    return name


# Checked on the way in, so a journey's wait-until never meets a zone it cannot resolve.
IanaTimeZone = Annotated[str, Field(max_length=64), AfterValidator(_iana_timezone)]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters (\\u0000)")
    return value


def _representable(value: datetime) -> datetime:
    """Within what the databases store (as UTC): no year 10000 after converting."""
    try:
        in_utc = value.astimezone(UTC)
    except OverflowError as error:
        raise ValueError("is out of range") from error
    if not 1970 <= in_utc.year <= 9998:
        raise ValueError("must be between the years 1970 and 9998")
    return value


Timestamp = Annotated[AwareDatetime, AfterValidator(_representable)]


def _printable(value: str) -> str:
    if any(ord(char) < 32 or char == "\x7f" for char in value):
        raise ValueError("must not contain control characters (an id is printable)")
    return value


_Clean = AfterValidator(_no_nul)
# Ids name workflows (`journey:{automation}:{cart or order}`) and are searched for.
Id = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_printable)]
Name = Annotated[str, Field(min_length=1, max_length=500), _Clean]
Label = Annotated[str, Field(max_length=200), _Clean]
Url = Annotated[str, Field(max_length=2000), _Clean]


class _Data(BaseModel):
    # Shops send more than we read; unknown fields are kept in the event, not rejected.
    model_config = ConfigDict(extra="allow")


Locale = Annotated[str, Field(max_length=35, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$")]
Tag = Annotated[str, Field(min_length=1, max_length=100), _Clean]


class ShopCustomer(_Data):
    """What the shop knows of the customer; each fact left out keeps what we knew."""

    first_name: Label | None = None
    last_name: Label | None = None
    locale: Locale | None = None
    tags: list[Tag] | None = Field(None, max_length=100)
    accepts_marketing: bool | None = None
    registered: bool | None = Field(None, description="Has an account (logged in), or a guest")


class CartItem(_Data):
    id: Id
    name: Name
    price: Money
    quantity: Quantity
    image_url: Url | None = None
    variant: Label | None = None


class CartData(_Data):
    """`cart_updated`, `checkout_started` and `cart_abandoned`."""

    cart_id: Id
    customer_email: EmailStr | None = None
    items: list[CartItem] = Field(default_factory=list, max_length=1000)
    subtotal: Money = Decimal(0)
    shipping: Money = Decimal(0)
    tax: Money = Decimal(0)
    total: Money = Decimal(0)
    currency: Currency = "USD"
    recovery_url: Url | None = None
    abandoned_at: Timestamp | None = None
    customer_timezone: IanaTimeZone | None = None
    customer: ShopCustomer | None = None
    # The shopper paid at this checkout: the cart is bought, never abandoned.
    completed_at: Timestamp | None = None


class CartAbandonedData(CartData):
    customer_email: EmailStr
    total: Money


class CartRecoveredData(_Data):
    cart_id: Id
    customer_email: EmailStr | None = None
    order_id: Id | None = None
    recovered_via: Label | None = None
    time_to_recover: str | None = Field(None, max_length=40)

    @field_validator("time_to_recover")
    @classmethod
    def _compact_duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value


class OrderItem(_Data):
    """A line of an order; only `id` and `quantity` are needed (to tell partial fulfilment)."""

    id: Id
    quantity: Quantity = 1
    name: Name | None = None
    price: Money | None = None


class FulfilmentLine(_Data):
    """What one fulfilment shipped: `quantity` of the order line `item_id`."""

    item_id: Id
    quantity: Quantity = 1


class OrderData(_Data):
    """Every `order_*` event; `order_fulfilled` may say what it shipped."""

    order_id: Id
    cart_id: Id | None = None
    customer_email: EmailStr | None = None
    total: Money | None = None
    currency: Currency = "USD"
    items: list[OrderItem] | None = Field(None, max_length=1000)
    # `order_fulfilled` only: the lines this fulfilment shipped, and whether the order is now
    # only partly fulfilled (computed from the lines and the order's items when left out).
    lines: list[FulfilmentLine] | None = Field(None, max_length=1000)
    partial: bool | None = None
    customer: ShopCustomer | None = None
    # The discount codes the customer used: ours among them are marked used.
    discount_codes: list[Label] | None = Field(None, max_length=100)
    # `order_fulfilled`: the shipment's tracking, for the shipping email.
    tracking_number: Label | None = None
    tracking_company: Label | None = None
    tracking_url: Url | None = None


class UnsubscribedData(_Data):
    customer_email: EmailStr


class _Envelope(BaseModel):
    """`{"event": TYPE, "timestamp": ISO8601, "id"?: str, "data": {...}}`."""

    model_config = ConfigDict(extra="forbid")

    timestamp: Timestamp
    id: Id | None = None


class CartActivityEvent(_Envelope):
    event: Literal["cart_updated", "checkout_started"]
    data: CartData


class CartAbandonedEvent(_Envelope):
    event: Literal["cart_abandoned"]
    data: CartAbandonedData


class CartRecoveredEvent(_Envelope):
    event: Literal["cart_recovered"]
    data: CartRecoveredData


class OrderEvent(_Envelope):
    event: OrderEventType
    data: OrderData


class UnsubscribedEvent(_Envelope):
    event: Literal["unsubscribed"]
    data: UnsubscribedData


Event = Annotated[
    CartActivityEvent | CartAbandonedEvent | CartRecoveredEvent | OrderEvent | UnsubscribedEvent,
    Field(discriminator="event"),
]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
MAX_BATCH = 500


class EventBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: list[Event] = Field(min_length=1, max_length=MAX_BATCH)
