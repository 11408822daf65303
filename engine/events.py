"""The integration contract: events as shops send them (envelope and data), pure models."""

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

from engine.definition import parse_duration

EventType = Literal[
    "cart_updated",
    "checkout_started",
    "cart_abandoned",
    "cart_recovered",
    "order_placed",
    "order_paid",
    "order_fulfilled",
    "order_delivered",
    "unsubscribed",
]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


def _iana_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"{name!r} is not an IANA time zone such as Europe/Paris") from error
    return name


# Checked on the way in, so a journey's wait-until never meets a zone it cannot resolve.
IanaTimeZone = Annotated[str, Field(max_length=64), AfterValidator(_iana_timezone)]


class _Data(BaseModel):
    # Shops send more than we read; unknown fields are kept in the event, not rejected.
    model_config = ConfigDict(extra="allow")


class CartItem(_Data):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    price: Money
    quantity: int = Field(ge=1)
    image_url: str | None = None
    variant: str | None = None


class CartData(_Data):
    """`cart_updated`, `checkout_started` and `cart_abandoned`."""

    cart_id: str = Field(min_length=1, max_length=200)
    customer_email: EmailStr | None = None
    items: list[CartItem] = Field(default_factory=list)
    subtotal: Money = Decimal(0)
    shipping: Money = Decimal(0)
    tax: Money = Decimal(0)
    total: Money = Decimal(0)
    currency: Currency = "USD"
    recovery_url: str | None = Field(None, max_length=2000)
    abandoned_at: AwareDatetime | None = None
    customer_timezone: IanaTimeZone | None = None


class CartAbandonedData(CartData):
    customer_email: EmailStr
    total: Money


class CartRecoveredData(_Data):
    cart_id: str = Field(min_length=1, max_length=200)
    customer_email: EmailStr | None = None
    order_id: str | None = Field(None, max_length=200)
    recovered_via: str | None = Field(None, max_length=200)
    time_to_recover: str | None = None

    @field_validator("time_to_recover")
    @classmethod
    def _compact_duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value


class OrderData(_Data):
    order_id: str = Field(min_length=1, max_length=200)
    cart_id: str | None = Field(None, max_length=200)
    customer_email: EmailStr | None = None
    total: Money | None = None
    currency: Currency = "USD"


class UnsubscribedData(_Data):
    customer_email: EmailStr


class _Envelope(BaseModel):
    """`{"event": TYPE, "timestamp": ISO8601, "id"?: str, "data": {...}}`."""

    model_config = ConfigDict(extra="forbid")

    timestamp: AwareDatetime
    id: str | None = Field(None, min_length=1, max_length=200)


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
    event: Literal["order_placed", "order_paid", "order_fulfilled", "order_delivered"]
    data: OrderData


class UnsubscribedEvent(_Envelope):
    event: Literal["unsubscribed"]
    data: UnsubscribedData


Event = Annotated[
    CartActivityEvent | CartAbandonedEvent | CartRecoveredEvent | OrderEvent | UnsubscribedEvent,
    Field(discriminator="event"),
]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)


class EventBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: list[Event] = Field(min_length=1, max_length=500)
