"""Shopify's webhooks (checkouts, orders, fulfilments, customers) as our events, and its
mandatory privacy webhooks (`customers/data_request`, `customers/redact`, `shop/redact`) as
privacy requests the intake carries out.

Payloads are the Admin API's REST resources as JSON, and they drift between API versions:
consent moved from `accepts_marketing` to `email_marketing_consent`, tracking from
`tracking_number` to `tracking_numbers`, `presentment_currency` and the `*_set` amounts
came late, and prices are strings in some payloads and numbers in others. Each fact is read
from the newest field first, then the older ones.

Shopify's ids pass 2^53, so an id is only ever taken from an integer or a string, never
through a float (the body is parsed by `json`, which keeps integers exact).
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import EmailStr, TypeAdapter

from engine.language.events import (
    CartActivityEvent,
    OrderEvent,
    ShopCustomer,
)
from engine.platforms import (
    UNKNOWN_TOPIC,
    CustomerDataRequest,
    CustomerRedaction,
    CustomerUpdate,
    Mapped,
    PlatformEvent,
    ShopRedaction,
    UnmappablePayload,
)

PLATFORM = "shopify"

Payload = Mapping[str, Any]
ORDER_TOPICS = {
    "orders/create": "order_placed",
    "orders/paid": "order_paid",
    "orders/cancelled": "order_cancelled",
    "orders/fulfilled": "order_fulfilled",
}
CHECKOUT_TOPICS = ("checkouts/create", "checkouts/update")
CUSTOMER_TOPICS = ("customers/create", "customers/update")
# Every topic we map, in the order `boomerang shopify connect` subscribes to them.
TOPICS: tuple[str, ...] = (
    *CHECKOUT_TOPICS, *ORDER_TOPICS, "fulfillments/create", *CUSTOMER_TOPICS,
)  # fmt: skip
# The mandatory privacy ("compliance") topics: app-level, set in the app's configuration
# (`compliance_topics` in shopify.app.toml, or the Partner Dashboard), never through the
# Admin API's webhookSubscriptionCreate, so `connect` leaves them out.
PRIVACY_TOPICS: tuple[str, ...] = ("customers/data_request", "customers/redact", "shop/redact")
# A fulfilment in one of these states shipped nothing.
_FAILED_FULFILMENT = frozenset({"cancelled", "failure", "error"})
MAX_TAGS = 100
_EMAIL: TypeAdapter[str] = TypeAdapter(EmailStr)


def to_events(topic: str, payload: dict[str, Any]) -> Mapped:
    """The events a webhook of `topic` (`X-Shopify-Topic`) stands for."""
    topic = topic.strip().lower()
    if topic in CHECKOUT_TOPICS:
        return Mapped(events=[PlatformEvent(_checkout(payload))])
    if topic in ORDER_TOPICS:
        return Mapped(events=[_order(ORDER_TOPICS[topic], payload)])
    if topic == "fulfillments/create":
        return Mapped(events=_fulfilment(payload))
    if topic in CUSTOMER_TOPICS:
        return Mapped(events=[], customers=_customer_update(payload))
    if topic in PRIVACY_TOPICS:
        return Mapped(events=[], privacy=_privacy_request(topic, payload))
    return UNKNOWN_TOPIC


# -- checkouts ---------------------------------------------------------------------------


def _checkout(checkout: Payload) -> CartActivityEvent:
    """A checkout is a cart: its token is the cart id (orders name it `checkout_token`)."""
    token = _id(checkout.get("token"), "token")
    if token is None:
        raise UnmappablePayload("the checkout has no token (the cart id)")
    data: dict[str, Any] = {
        "cart_id": token,
        "customer_email": _email_of(checkout),
        "items": [item for line in _lines(checkout) if (item := _cart_item(line)) is not None],
        "subtotal": _money(checkout.get("subtotal_price")),
        "shipping": _shipping(checkout.get("shipping_lines")),
        "tax": _money(checkout.get("total_tax")),
        "total": _money(checkout.get("total_price")),
        "currency": _text(checkout.get("presentment_currency")) or _text(checkout.get("currency")),
        "recovery_url": _text(checkout.get("abandoned_checkout_url")),
        "customer": _customer_facts(checkout),
        "completed_at": _text(checkout.get("completed_at")),
    }
    return CartActivityEvent.model_validate(
        {"event": "cart_updated", "timestamp": _when(checkout, "updated_at", "created_at"),
         "data": _present(data)}
    )  # fmt: skip


def _cart_item(line: Payload) -> dict[str, Any] | None:
    quantity = _quantity(line.get("quantity"))
    if quantity is None:
        return None  # a line taken out of the checkout
    return _present(
        {
            "id": _item_id(line),
            "name": _line_name(line),
            "variant": _text(line.get("variant_title")),
            "quantity": quantity,
            "price": _money(line.get("price")) or Decimal(0),
            "sku": _text(line.get("sku")),
            "product_id": _id(line.get("product_id"), "line_items.product_id"),
        }
    )


def _shipping(lines: Any) -> Decimal | None:
    prices = [_money(line.get("price")) for line in _dicts(lines)]
    known = [price for price in prices if price is not None]
    return sum(known, Decimal(0)) if known else None


# -- orders and fulfilments --------------------------------------------------------------

# When each order topic happened: the first of these fields the payload has.
_ORDER_TIME = {
    "order_placed": ("processed_at", "created_at"),
    "order_paid": ("updated_at", "processed_at", "created_at"),
    "order_cancelled": ("cancelled_at", "updated_at", "created_at"),
    "order_fulfilled": ("updated_at", "processed_at", "created_at"),
}


def _order(kind: str, order: Payload) -> PlatformEvent:
    order_id = _id(order.get("id"), "id")
    if order_id is None:
        raise UnmappablePayload("the order has no id")
    total, currency = _amount(order, "total_price")
    data: dict[str, Any] = {
        "order_id": order_id,
        "customer_email": _email_of(order, "contact_email"),
        "total": total,
        "currency": currency,
        "items": [item for line in _lines(order) if (item := _order_item(line)) is not None],
        "discount_codes": [
            code
            for entry in _dicts(order.get("discount_codes"))
            if (code := _text(entry.get("code")))
        ],
        "customer": _customer_facts(order),
    }
    timestamp = _when(order, *_ORDER_TIME[kind])
    if kind == "order_fulfilled" and (shipped := _dicts(order.get("fulfillments"))):
        data |= _tracking(shipped[-1])
        timestamp = _text(shipped[-1].get("created_at")) or timestamp
    event = OrderEvent.model_validate(
        {"event": kind, "timestamp": timestamp, "data": _present(data)}
    )
    cart_ids = (
        _id(order.get("checkout_token"), "checkout_token"),
        _id(order.get("cart_token"), "cart_token"),
    )
    return PlatformEvent(event, cart_ids=tuple(cart_id for cart_id in cart_ids if cart_id))


def _order_item(line: Payload) -> dict[str, Any] | None:
    quantity = _quantity(line.get("quantity"))
    if quantity is None:
        return None
    price, _ = _amount(line, "price")
    return _present(
        {
            "id": _item_id(line),
            "quantity": quantity,
            "name": _line_name(line),
            "price": price,
            "sku": _text(line.get("sku")),
            "product_id": _id(line.get("product_id"), "line_items.product_id"),
        }
    )


def _fulfilment(fulfilment: Payload) -> list[PlatformEvent]:
    """What one shipment sent: its lines (part of the order, perhaps) and its tracking."""
    order_id = _id(fulfilment.get("order_id"), "order_id")
    if order_id is None:
        raise UnmappablePayload("the fulfillment has no order_id")
    if str(fulfilment.get("status") or "").lower() in _FAILED_FULFILMENT:
        return []  # nothing left the warehouse
    lines = [
        {"item_id": _item_id(line), "quantity": quantity}
        for line in _lines(fulfilment)
        if (quantity := _quantity(line.get("quantity"))) is not None
    ]
    data = {
        "order_id": order_id,
        "customer_email": _email_of(fulfilment),
        "lines": lines or None,
        **_tracking(fulfilment),
    }
    event = OrderEvent.model_validate(
        {"event": "order_fulfilled", "timestamp": _when(fulfilment, "created_at", "updated_at"),
         "data": _present(data)}
    )  # fmt: skip
    return [PlatformEvent(event)]


def _tracking(fulfilment: Payload) -> dict[str, Any]:
    """The shipment's tracking; newer payloads list several numbers and URLs, we keep the
    first."""
    return _present(
        {
            "tracking_number": _text(fulfilment.get("tracking_number"))
            or _first_text(fulfilment.get("tracking_numbers")),
            "tracking_company": _text(fulfilment.get("tracking_company")),
            "tracking_url": _text(fulfilment.get("tracking_url"))
            or _first_text(fulfilment.get("tracking_urls")),
        }
    )


# -- customers ---------------------------------------------------------------------------


def _customer_update(customer: Payload) -> list[CustomerUpdate]:
    email = _text(customer.get("email"))
    if email is None:
        return []  # a customer known by phone only: nobody we could email
    facts = ShopCustomer.model_validate(
        _present(
            {
                "first_name": _text(customer.get("first_name")),
                "last_name": _text(customer.get("last_name")),
                "locale": _text(customer.get("locale")),
                "tags": _tags(customer.get("tags")),
                "accepts_marketing": _consent(customer),
                "registered": _registered(customer),
            }
        )
    )
    return [CustomerUpdate(email=_EMAIL.validate_python(email), facts=facts)]


def _customer_facts(resource: Payload) -> dict[str, Any] | None:
    """What a checkout or an order says of its customer: the customer's own names, else the
    billing then the shipping address's."""
    customer = _dict(resource.get("customer"))
    addresses = [customer, _dict(resource.get("billing_address")),
                 _dict(resource.get("shipping_address"))]  # fmt: skip

    def first(field: str) -> str | None:
        return next((name for place in addresses if (name := _text(place.get(field)))), None)

    # Ticking the box at checkout subscribes; leaving it unticked does not unsubscribe a
    # customer who already agreed.
    ticked = resource.get("buyer_accepts_marketing")
    accepts = True if ticked is True else _consent(customer)
    facts = _present(
        {
            "first_name": first("first_name"),
            "last_name": first("last_name"),
            "locale": _text(resource.get("customer_locale")),
            "tags": _tags(customer.get("tags")),
            "accepts_marketing": accepts if accepts is not None else _bool(ticked),
            "registered": _registered(customer),
        }
    )
    return facts or None


def _consent(customer: Payload) -> bool | None:
    """Email marketing consent: `email_marketing_consent.state` (API 2022-04 on), else the
    older `accepts_marketing`."""
    consent = _dict(customer.get("email_marketing_consent"))
    if state := _text(consent.get("state")):
        return state.lower() == "subscribed"
    return _bool(customer.get("accepts_marketing"))


def _registered(customer: Payload) -> bool | None:
    """Whether the customer has an account. Shopify makes a customer record for guests too
    (state `disabled`); only `enabled` is an account someone created. No state: unknown."""
    state = _text(customer.get("state"))
    return state.lower() == "enabled" if state else None


def _tags(value: Any) -> list[str] | None:
    """Shopify's tags are one comma-separated string (a list in some payloads)."""
    if isinstance(value, str):
        tags = [tag.strip() for tag in value.split(",")]
    elif isinstance(value, list):
        tags = [tag.strip() for tag in value if isinstance(tag, str)]
    else:
        return None
    return [tag for tag in tags if tag][:MAX_TAGS]


# -- privacy requests --------------------------------------------------------------------


def _privacy_request(
    topic: str, payload: Payload
) -> CustomerDataRequest | CustomerRedaction | ShopRedaction:
    """`{shop_id, shop_domain, customer: {id, email, phone}, orders_requested | orders_to_redact,
    data_request: {id}}`; `shop/redact` has the shop's fields only."""
    if topic == "shop/redact":
        return ShopRedaction(shop_domain=_text(payload.get("shop_domain")))
    email = _text(_dict(payload.get("customer")).get("email"))
    if email is None:
        # Never the customer's phone or id in the message: it is recorded.
        raise UnmappablePayload(
            f"{topic} names no customer email; Boomerang holds customers by email only"
        )
    address = _EMAIL.validate_python(email).lower()
    if topic == "customers/data_request":
        return CustomerDataRequest(
            email=address,
            request_id=_id(_dict(payload.get("data_request")).get("id"), "data_request.id"),
            orders=_ids(payload.get("orders_requested"), "orders_requested"),
        )
    return CustomerRedaction(
        email=address, orders=_ids(payload.get("orders_to_redact"), "orders_to_redact")
    )


def _ids(values: Any, field: str) -> tuple[str, ...]:
    return tuple(found for value in _list(values) if (found := _id(value, field)) is not None)


# -- fields ------------------------------------------------------------------------------


def _email_of(resource: Payload, *also: str) -> str | None:
    for field in ("email", *also):
        if email := _text(resource.get(field)):
            return email
    return _text(_dict(resource.get("customer")).get("email"))


def _item_id(line: Payload) -> str:
    """The same for a line in a checkout, an order and a fulfilment: the variant, else the
    product, else the line itself."""
    for field in ("variant_id", "product_id", "key", "id"):
        if (found := _id(line.get(field), f"line_items.{field}")) is not None:
            return found
    raise UnmappablePayload("a line item has no variant_id, product_id, key or id")


def _line_name(line: Payload) -> str:
    for field in ("title", "name", "presentment_title", "sku"):
        if name := _text(line.get(field)):
            return name
    return "Item"


def _amount(resource: Payload, field: str) -> tuple[Decimal | None, str | None]:
    """An amount in the currency the customer saw: `{field}_set.presentment_money` when sent
    (orders), else the plain field in `presentment_currency`, else in `currency`."""
    presented = _dict(_dict(resource.get(f"{field}_set")).get("presentment_money"))
    if (amount := _money(presented.get("amount"))) is not None:
        return amount, _text(presented.get("currency_code"))
    currency = _text(resource.get("presentment_currency")) or _text(resource.get("currency"))
    return _money(resource.get(field)), currency


def _when(resource: Payload, *fields: str) -> str:
    for field in fields:
        if when := _text(resource.get(field)):
            return when
    raise UnmappablePayload(f"the payload has none of {', '.join(fields)}")


def _id(value: Any, field: str) -> str | None:
    """An id as an exact string: from a string or an integer, never a float."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    raise UnmappablePayload(f"{field} must be an integer or a string, not {value!r}")


def _money(value: Any) -> Decimal | None:
    """A price sent as a string (`"19.99"`) or a number."""
    if isinstance(value, bool) or not isinstance(value, int | float | str) or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise UnmappablePayload(f"{value!r} is not an amount") from None


def _quantity(value: Any) -> int | None:
    """A line's quantity (an integer, or its string); none, or below 1: no line."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        quantity = int(value)
    except ValueError:
        return None
    return quantity if quantity >= 1 else None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _first_text(values: Any) -> str | None:
    return next((text for value in _list(values) if (text := _text(value))), None)


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _dict(value: Any) -> Payload:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dicts(value: Any) -> list[Payload]:
    return [entry for entry in _list(value) if isinstance(entry, Mapping)]


def _lines(resource: Payload) -> Iterable[Payload]:
    return _dicts(resource.get("line_items"))


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields that have a value: one left out keeps the model's default (and, for a
    customer's facts, what we knew)."""
    return {name: value for name, value in fields.items() if value is not None}
