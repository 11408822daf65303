"""The fields a condition may test, as the builder offers them: what each trigger's enrolment
context holds (engine/service/ingest.py builds it; tests/engine/test_condition_fields.py
checks the two agree).

Not listed: `steps.<id>.*` (what an earlier action returned: it depends on the automation),
and the cart's and order's ids (no rule is about one cart).
"""

from dataclasses import dataclass
from typing import Literal, get_args

from engine.language.definition import TriggerEvent

# `money`: an amount with a currency (engine/language/money.py); a rule's value is a number in
# the shop's currency or one number per currency, `{"USD": 25, "KRW": 35000}`.
FieldType = Literal["number", "money", "string", "boolean", "list", "enum"]
CART_TRIGGERS: tuple[str, ...] = ("cart_abandoned",)
ORDER_TRIGGERS: tuple[str, ...] = tuple(t for t in get_args(TriggerEvent) if t.startswith("order_"))
ALL_TRIGGERS: tuple[str, ...] = get_args(TriggerEvent)


@dataclass(frozen=True)
class ConditionField:
    path: str
    label: str
    type: FieldType
    triggers: tuple[str, ...]
    values: tuple[str, ...] = ()  # the choices of an `enum` field
    # Derived from personal data: trigger filters may test it (in the service, at enrolment);
    # it never travels into a journey, so a step's condition cannot.
    filters_only: bool = False


CONDITION_FIELDS: tuple[ConditionField, ...] = (
    ConditionField("cart.total", "Cart total", "money", CART_TRIGGERS),
    ConditionField("cart.subtotal", "Cart subtotal", "money", CART_TRIGGERS),
    ConditionField("cart.currency", "Cart currency", "string", CART_TRIGGERS),
    ConditionField("cart.item_count", "Items in the cart", "number", CART_TRIGGERS),
    ConditionField("cart.has_email", "Cart has an email", "boolean", CART_TRIGGERS),
    ConditionField("cart.categories", "Product categories in the cart", "list", CART_TRIGGERS),
    ConditionField(
        "customer.segment", "Customer segment", "enum", ALL_TRIGGERS, ("new", "repeat", "vip")
    ),
    ConditionField("customer.tags", "Customer tags", "list", ALL_TRIGGERS),
    ConditionField("customer.is_guest", "Customer is a guest", "boolean", ALL_TRIGGERS),
    ConditionField(
        "customer.registered", "Customer has an account (logged in)", "boolean", ALL_TRIGGERS
    ),
    ConditionField(
        "customer.accepts_marketing", "Customer accepts marketing", "boolean", ALL_TRIGGERS
    ),
    ConditionField("customer.locale", "Customer's language", "string", ALL_TRIGGERS),
    ConditionField("customer.order_count", "Customer's orders", "number", ALL_TRIGGERS),
    ConditionField(
        "customer.lifetime_spend", "Customer's lifetime spend (per currency)", "money", ALL_TRIGGERS
    ),
    ConditionField("customer.timezone", "Customer's time zone", "string", ALL_TRIGGERS),
    ConditionField(
        "customer.email_domain", "Email domain", "string", ALL_TRIGGERS, filters_only=True
    ),
    ConditionField("order.total", "Order total", "money", ORDER_TRIGGERS),
    ConditionField("order.currency", "Order currency", "string", ORDER_TRIGGERS),
    ConditionField(
        "order.status",
        "Order status",
        "enum",
        ORDER_TRIGGERS,
        ("placed", "paid", "partially_fulfilled", "fulfilled", "delivered", "cancelled"),
    ),
    ConditionField("order.item_count", "Items in the order", "number", ORDER_TRIGGERS),
    ConditionField("order.partial", "Partly fulfilled", "boolean", ORDER_TRIGGERS),
    ConditionField(
        "event.type", "Event that started the journey", "enum", ALL_TRIGGERS, ALL_TRIGGERS
    ),
)
