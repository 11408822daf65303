"""Shop platforms at the edge: one module per platform turns a verified webhook payload into
our own events (engine.language.events); engine.service.platform_intake hands them to the
same ingestion as `POST /api/v1/events`. Nothing downstream knows which platform a cart came
from. Pure: no I/O, no database; what needs the database (finding an order's cart by its
customer's email) is the intake's."""

from dataclasses import dataclass, field

from pydantic import EmailStr

from engine.language.events import Event, ShopCustomer


@dataclass(frozen=True)
class PlatformEvent:
    """One of our events, and for an order the ids its cart may have, best first (Shopify:
    the checkout token, then the cart token). The intake links the order to the first cart
    it knows, else to the customer's latest cart within the attribution window."""

    event: Event
    cart_ids: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class CustomerUpdate:
    """What the shop says of a customer outside any cart or order (Shopify's
    `customers/update`): kept on the customer, who is created if new. Our event envelope
    has no such event; the intake applies it directly."""

    email: EmailStr
    facts: ShopCustomer


@dataclass(frozen=True)
class CustomerDataRequest:
    """A customer asked the shop for the data held about them (Shopify's
    `customers/data_request`): recorded for admins, who answer it with the customer's
    export."""

    email: EmailStr
    request_id: str | None = None  # the platform's own id of the request
    orders: tuple[str, ...] = ()  # the orders it names, as the platform's ids


@dataclass(frozen=True)
class CustomerRedaction:
    """The shop asks that a customer's data be erased (Shopify's `customers/redact`)."""

    email: EmailStr
    orders: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShopRedaction:
    """The shop asks that all its customers' data be erased (Shopify's `shop/redact`, sent
    48 hours after the app was uninstalled). The intake erases only when the shop is ours."""

    shop_domain: str | None


PrivacyRequest = CustomerDataRequest | CustomerRedaction | ShopRedaction


@dataclass(frozen=True)
class Mapped:
    """What a webhook call became: its events and customer updates (none: a topic we know
    with nothing to do), or a privacy request, or `known=False` for a topic we do not map
    (answered 200, ignored and counted)."""

    events: list[PlatformEvent]
    customers: list[CustomerUpdate] = field(default_factory=list)
    known: bool = True
    privacy: PrivacyRequest | None = None


UNKNOWN_TOPIC = Mapped(events=[], known=False)


class UnmappablePayload(ValueError):
    """The payload lacks what the topic needs (an id, a timestamp): permanent, not retried."""
