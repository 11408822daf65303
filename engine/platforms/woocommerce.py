"""WooCommerce's order webhooks as our events (carts come from the storefront snippet).

WooCommerce has no checkout webhooks. The storefront snippet reports the cart under
WooCommerce's cart hash, and an order names the hash of the cart it was placed from
(`cart_hash`, empty for orders made in the admin or over the REST API), so the order is
linked to that cart, else (engine.service.platform_intake) to its billing email's latest
cart within the attribution window. The hash is of the cart's contents: a cart changed after
the snippet last reported it links by email.

What WooCommerce sends (its webhook code, `WC_Webhook` in class-wc-webhook.php):

- `order.created` and `order.updated` carry the order as `GET /wc/v3/orders/<id>` shows it
  when the delivery is made, in the background after the request that changed it: both
  deliveries of a paid checkout usually show `processing`. With the block checkout the
  order is first a `checkout-draft`, which `order.created` skips and `order.updated` does
  not, so a real order may never come as `order.created`. The topic therefore says little;
  the status says where the order is, and both topics map alike.
- The delivery id is a hash of the webhook's id and the current second: every delivery of
  one webhook within a second has the same one (`delivery_id` adds the body). A failed
  delivery is not retried.

## Status → our events

A status stands for every step the order has passed; each of our events comes once per
order, with an id of its own (`woocommerce_order_{id}:{event}`), so the many
`order.updated` calls of one order apply each step once (a call with no new step answers
`duplicate`) and a post-purchase journey never hears its order's step twice (a repeated
`order_placed` would end one that exits on it). The cost: a change that is no new step (a
partial refund's lower total) is not applied.

- `pending` → nothing. Awaiting payment: the customer went to the payment page and may not
  have come back (WooCommerce cancels the order after its hold-stock minutes). That is the
  cart to win back, so its reminders go on; a payment then comes as `processing`.
- `failed` → nothing. The payment failed and the customer may pay the same order again
  (`failed` → `processing`); our orders never leave `cancelled`, so calling it cancelled
  would lose the purchase that follows. Reminders go on.
- `on-hold` → `order_placed`. Placed with a payment that settles later (bank transfer,
  cheque, a payment under review): the customer bought, reminders stop.
- `processing` → `order_placed`, `order_paid`. Paid (or cash on delivery). `order_placed`
  comes too because it is the purchase a cart's journeys exit on.
- `completed` → `order_placed`, `order_paid`, `order_fulfilled`. Shipped; virtual goods
  complete at payment, skipping `processing`.
- `cancelled`, `refunded` → `order_cancelled` (a partial refund keeps the status).
- `checkout-draft`, `trash`, a plugin's status → nothing: not an order yet, or unknown.

A cart's journeys thus stop when the customer commits to paying (`on-hold`, `processing`,
`completed`), not when WooCommerce merely records an order: a `pending` order is a
checkout abandoned at the payment step.

Each event is dated by its own step: `order_placed` by `date_created_gmt`, `order_paid` by
`date_paid_gmt`, `order_fulfilled` by `date_completed_gmt`, `order_cancelled` by
`date_modified_gmt` (any missing: `date_modified_gmt`, then `date_created_gmt`); the
`_gmt` dates are UTC without a zone. Other topics (`order.deleted`, `product.*`,
`coupon.*`, `customer.*`, `action.*`) are not mapped.
"""

import hashlib
import html
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from pydantic import EmailStr, TypeAdapter, ValidationError

from engine.language.definition import OrderEventType
from engine.language.events import OrderEvent
from engine.platforms import UNKNOWN_TOPIC, Mapped, PlatformEvent, UnmappablePayload

PLATFORM = "woocommerce"
TOPICS = frozenset({"order.created", "order.updated"})
STEPS: dict[str, tuple[OrderEventType, ...]] = {
    "on-hold": ("order_placed",),
    "processing": ("order_placed", "order_paid"),
    "completed": ("order_placed", "order_paid", "order_fulfilled"),
    "cancelled": ("order_cancelled",),
    "refunded": ("order_cancelled",),
}
_DATED_BY: dict[OrderEventType, str] = {
    "order_placed": "date_created_gmt",
    "order_paid": "date_paid_gmt",
    "order_fulfilled": "date_completed_gmt",
    "order_cancelled": "date_modified_gmt",
}
_EMAIL: TypeAdapter[str] = TypeAdapter(EmailStr)
_CENT = Decimal("0.01")


def delivery_id(given: str | None, body: bytes) -> str | None:
    """`X-WC-Webhook-Delivery-ID` with a digest of the body: WooCommerce's id is the same for
    every delivery its webhook makes within one second (two orders, or two changes of one
    order), while a delivery sent again is the same bytes."""
    if not given or not given.strip():
        return None
    return f"{given.strip()[:100]}.{hashlib.sha256(body).hexdigest()[:16]}"


def to_events(topic: str, payload: dict[str, Any]) -> Mapped:
    """The events a webhook of `topic` (`X-WC-Webhook-Topic`, e.g. `order.updated`) stands for."""
    if topic not in TOPICS:
        return UNKNOWN_TOPIC
    order_id = _order_id(payload)
    steps = STEPS.get(str(payload.get("status") or ""), ())
    if not steps:
        return Mapped(events=[])
    data = _order_data(payload, order_id)
    cart_hash = payload.get("cart_hash")
    cart_hash = cart_hash.strip() if isinstance(cart_hash, str) else ""
    # An md5 in hex; anything else could not name a cart (ids are printable, 200 at most).
    cart_ids = (cart_hash,) if cart_hash.isprintable() and 0 < len(cart_hash) <= 200 else ()
    return Mapped(
        events=[
            PlatformEvent(
                event=OrderEvent.model_validate(
                    {
                        "event": step,
                        "id": f"{PLATFORM}_order_{order_id}:{step}",
                        "timestamp": _dated(payload, step),
                        "data": data,
                    }
                ),
                cart_ids=cart_ids,
            )
            for step in steps
        ]
    )


def _order_id(payload: dict[str, Any]) -> str:
    order_id = payload.get("id")
    if _positive(order_id):
        return str(order_id)
    if isinstance(order_id, str) and order_id.strip().isdigit():
        return order_id.strip()
    if "code" in payload and "message" in payload:
        # The REST API refused the webhook's user the order; WooCommerce sends its error.
        raise UnmappablePayload(
            f"WooCommerce sent an error instead of the order: {payload.get('code')}: "
            f"{payload.get('message')} (the webhook's user must be allowed to read orders)"
        )
    raise UnmappablePayload("the order has no `id`")


def _order_data(payload: dict[str, Any], order_id: str) -> dict[str, Any]:
    billing = payload.get("billing")
    billing = billing if isinstance(billing, dict) else {}
    customer_id = payload.get("customer_id")
    currency = payload.get("currency")
    return {
        "order_id": order_id,
        "customer_email": _email(billing.get("email")),
        "total": _money(payload.get("total")),
        "currency": currency.strip().upper() if isinstance(currency, str) and currency else "USD",
        "items": [item for line in _dicts(payload.get("line_items")) if (item := _item(line))],
        "customer": {
            "first_name": _text(billing.get("first_name"), 200),
            "last_name": _text(billing.get("last_name"), 200),
            "registered": customer_id != 0 if isinstance(customer_id, int) else None,
        },
        "discount_codes": _coupon_codes(payload.get("coupon_lines")) or None,
    }


def _item(line: dict[str, Any]) -> dict[str, Any] | None:
    """A line item as ours: the variation's id if it is one, else the product's (the ids the
    storefront snippet reports); a line without a quantity is left out."""
    quantity = line.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        return None
    product = next(
        (str(line[key]) for key in ("variation_id", "product_id") if _positive(line.get(key))),
        f"line-{line.get('id')}",
    )
    return {
        "id": product,
        "quantity": quantity,
        # Names come HTML-escaped (`&ndash;`); the email escapes them again.
        "name": _text(html.unescape(str(line.get("name") or "")), 500),
        "price": _money(line.get("price")),
    }


def _coupon_codes(lines: Any) -> list[str]:
    codes: list[str] = []
    for line in _dicts(lines):
        code = _text(line.get("code"), 200)
        if code and code not in codes:
            codes.append(code)
    return codes[:100]


def _dated(payload: dict[str, Any], step: OrderEventType) -> datetime:
    for field in (_DATED_BY[step], "date_modified_gmt", "date_created_gmt"):
        if isinstance(value := payload.get(field), str) and value:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError as error:
                raise UnmappablePayload(f"`{field}` is not a date: {value[:40]!r}") from error
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    raise UnmappablePayload("the order has no `date_modified_gmt` or `date_created_gmt`")


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _positive(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _text(value: Any, limit: int) -> str | None:
    text = str(value).replace("\x00", "").strip()[:limit] if value is not None else ""
    return text or None


def _email(value: Any) -> str | None:
    """The billing email, or none when it is empty or not an address (an order made in the
    admin may have either): the order still counts."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return _EMAIL.validate_python(value.strip())
    except ValidationError:
        return None


def _money(value: Any) -> Decimal | None:
    """An amount in cents: WooCommerce sends totals as strings and a line's price as a number
    that may not be whole cents (its total divided by its quantity)."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        amount = Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() and amount >= 0 else None
