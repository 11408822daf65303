"""The variables a template sees (`VARIABLES`) and the context of one send that fills them.

`email_context` reads a cart, its customer, the shop and what the journey made (a discount
code, an order) into those variables at send time; `sample_context` is the same for a made-up
cart, for previews and the render check at save.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from engine.emails.formatting import format_date, format_money, http_url
from engine.runtime.settings import Settings
from engine.store.models import Cart, Customer, DiscountCode, Order


class ShownDiscount(Protocol):
    """What an email shows of a code: a stored `DiscountCode`, or a simulation's drawn one."""

    @property
    def code(self) -> str: ...
    @property
    def percent(self) -> int: ...
    @property
    def expires_at(self) -> datetime: ...


# -- the variables a template sees -------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A printable variable; `url` ones are always http(s) (or empty) when a send sees them."""

    url: bool = False


@dataclass(frozen=True)
class Group:
    """Variables under one name (`cart.total`); `optional` ones are None when absent."""

    fields: Mapping[str, "Shape"]
    optional: bool = False


@dataclass(frozen=True)
class ListOf:
    item: "Shape"


Shape = Value | Group | ListOf
TEXT, URL = Value(), Value(url=True)

ITEM = Group({"name": TEXT, "variant": TEXT, "quantity": TEXT, "price": TEXT, "image_url": URL})
VARIABLES: Mapping[str, Shape] = {
    "customer": Group({"first_name": TEXT, "last_name": TEXT, "email": TEXT}),
    "cart": Group(
        {
            "id": TEXT,
            "url": URL,
            "total": TEXT,
            "currency": TEXT,
            "item_count": TEXT,
            "items": ListOf(ITEM),
        }
    ),
    # None when the journey made no code / the journey has no order: test `{% if discount %}`.
    "discount": Group({"code": TEXT, "percent": TEXT, "expires_at": TEXT}, optional=True),
    "order": Group(
        {"id": TEXT, "total": TEXT, "currency": TEXT, "status": TEXT, "placed_at": TEXT},
        optional=True,
    ),
    # The order's latest shipment; None until one with tracking was reported.
    "fulfilment": Group(
        {"tracking_number": TEXT, "tracking_company": TEXT, "tracking_url": URL}, optional=True
    ),
    "shop": Group({"name": TEXT, "url": URL}),
    "unsubscribe_url": URL,
    # Where money, dates and `{{ n | number }}` print: the reader's locale (`ko-KR`).
    "locale": TEXT,
}


# -- the context of one send ----------------------------------------------------------


@dataclass(frozen=True)
class Shop:
    name: str
    url: str = ""
    locale: str = "en"
    timezone: str = "UTC"

    @classmethod
    def from_settings(cls, settings: Settings) -> "Shop":
        return cls(
            name=settings.shop_name,
            url=http_url(settings.shop_url),
            locale=settings.shop_locale,
            timezone=settings.shop_timezone,
        )


def email_context(
    cart: Cart,
    customer: Customer | None,
    shop: Shop,
    discount: ShownDiscount | None = None,
    *,
    order: Order | None = None,
    cart_url: str | None = None,
    unsubscribe_url: str = "",
    locale: str | None = None,
) -> dict[str, Any]:
    """The variables a template sees (`VARIABLES`); read at send time, so the email shows the
    cart as it is. `cart_url` is the link to put in the email (the cart's own recovery URL
    when None); `discount` and `order` are None when the journey has none. Money and dates
    print in `locale` (engine.emails.locales.formatting_locale), the shop's when None."""
    locale = locale or shop.locale
    timezone = (customer.timezone if customer else None) or shop.timezone
    items = [
        {
            "name": item.get("name", ""),
            "variant": item.get("variant"),
            "quantity": item.get("quantity", 1),
            "price": format_money(item.get("price", 0), cart.currency, locale),
            "image_url": http_url(item.get("image_url")),
        }
        for item in cart.items
    ]
    return {
        # Guests have no customer row; the owner's notification still renders for them.
        "customer": {
            "first_name": customer.first_name if customer and customer.first_name else "",
            "last_name": customer.last_name if customer and customer.last_name else "",
            "email": customer.email if customer else "",
        },
        "cart": {
            "id": cart.id,
            "url": http_url(cart.recovery_url if cart_url is None else cart_url),
            "total": format_money(cart.total, cart.currency, locale),
            "currency": cart.currency,
            "item_count": sum(int(item["quantity"]) for item in items),
            "items": items,
        },
        "shop": {"name": shop.name, "url": shop.url},
        "discount": {
            "code": discount.code,
            "percent": discount.percent,
            "expires_at": format_date(discount.expires_at, locale, timezone),
        }
        if discount
        else None,
        "order": {
            "id": order.id,
            "total": format_money(order.total, order.currency, locale),
            "currency": order.currency,
            "status": order.status,
            "placed_at": format_date(order.placed_at, locale, timezone),
        }
        if order
        else None,
        "fulfilment": {
            "tracking_number": order.tracking_number or "",
            "tracking_company": order.tracking_company or "",
            "tracking_url": http_url(order.tracking_url),
        }
        if order and (order.tracking_number or order.tracking_url)
        else None,
        "unsubscribe_url": http_url(unsubscribe_url),
        "locale": locale,
    }


SAMPLE_ITEMS: list[dict[str, Any]] = [
    {"id": "prod_123", "name": "Premium Headphones", "price": "199.99", "quantity": 1,
     "image_url": "https://cdn.example.com/headphones.jpg", "variant": "Black"},
    {"id": "prod_456", "name": "Phone Case", "price": "29.99", "quantity": 2,
     "image_url": "https://cdn.example.com/case.jpg"},
    {"id": "prod_789", "name": "USB-C Cable", "price": "9.99", "quantity": 1,
     "image_url": "https://cdn.example.com/cable.jpg", "variant": "2 m"},
]  # fmt: skip
SAMPLE_MOMENT = datetime(2024, 1, 15, 14, 0, tzinfo=UTC)


def sample_context(
    currency: str = "USD", locale: str = "en", *, shop: Shop | None = None, extras: bool = True
) -> dict[str, Any]:
    """A 3-item cart (total 280.77) for previews and the render check at save; `extras` adds a
    discount code with its expiry and an order, else both are None (the other branch)."""
    shop = shop or Shop(name="Example Shop", url="https://shop.example.com")
    shop = Shop(shop.name, shop.url or "https://shop.example.com", locale, shop.timezone)
    cart = Cart(
        id="cart_sample",
        items=SAMPLE_ITEMS,
        total=Decimal("280.77"),
        currency=currency,
        recovery_url="https://shop.example.com/cart/recover/sample",
    )
    customer = Customer(
        id="cus_sample", email="jane@example.com", first_name="Jane", last_name="Doe"
    )
    discount = DiscountCode(
        code="SAVE10-ABC123",
        percent=10,
        expires_at=datetime(2024, 1, 22, 14, 0, tzinfo=UTC),
        idempotency_key="sample",
    )
    order = Order(
        id="order_789",
        total=Decimal("280.77"),
        currency=currency,
        placed_at=SAMPLE_MOMENT,
        tracking_number="1Z999AA10123456784",
        tracking_company="UPS",
        tracking_url="https://www.ups.com/track?tracknum=1Z999AA10123456784",
    )
    return email_context(
        cart,
        customer,
        shop,
        discount if extras else None,
        order=order if extras else None,
        unsubscribe_url="https://shop.example.com/unsubscribe/sample",
    )
