"""One-click "quick setup" automations: a definition built from the default templates.

Installing a preset creates an automation, inactive, with the definition published as
version 1 (`engine.service.automations.install_preset`). Each definition is built by a
function taking a `Timing`, which maps every wait of the preset to the one to use: the
identity for the real presets, something in seconds for a test that runs the very same
definition end to end (`preset.definition(seconds(1))`). Discount validity is not timing:
a code that "expires in 24 h" keeps its 24 h.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from engine.language.definition import format_duration

Timing = Callable[[timedelta], timedelta]
Category = Literal["abandoned_cart", "post_purchase"]
CART_EXITS = ["order_placed", "cart_recovered", "unsubscribed"]
# A post-purchase journey's subject is an order: buying again does not end it.
ORDER_EXITS = ["order_cancelled", "unsubscribed"]


def real_time(wait: timedelta) -> timedelta:
    return wait


def scaled(factor: float, floor: timedelta = timedelta(seconds=1)) -> Timing:
    """Every wait multiplied by `factor` (whole seconds, at least `floor`)."""

    def timing(wait: timedelta) -> timedelta:
        return max(floor, timedelta(seconds=round(wait.total_seconds() * factor)))

    return timing


def seconds(count: int) -> Timing:
    """Every wait `count` seconds long: a preset that runs end to end in a test."""
    return lambda _wait: timedelta(seconds=count)


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    category: Category
    description: str
    what_it_does: tuple[str, ...]  # the steps, as a marketer reads them
    build: Callable[[Timing], dict[str, Any]]  # the definition, less its name

    def definition(self, timing: Timing = real_time) -> dict[str, Any]:
        return {"name": self.name, **self.build(timing)}

    @property
    def trigger(self) -> str:
        event: str = self.definition()["trigger"]["event"]
        return event


# -- building blocks ----------------------------------------------------------------------


def _wait(step_id: str, duration: timedelta, timing: Timing) -> dict[str, Any]:
    return {"id": step_id, "type": "wait", "duration": format_duration(timing(duration))}


def _email(step_id: str, template: str) -> dict[str, Any]:
    """An email with its template's own subject (edit the template to change it)."""
    return {"id": step_id, "type": "action", "action": "send_email",
            "params": {"template": template}}  # fmt: skip


def _discount(step_id: str, percent: int, expires_in: str = "7d") -> dict[str, Any]:
    return {"id": step_id, "type": "action", "action": "create_discount",
            "params": {"percent": percent, "expires_in": expires_in}}  # fmt: skip


def _if(step_id: str, field: str, op: str, value: Any, then: list[dict[str, Any]],
        otherwise: list[dict[str, Any]]) -> dict[str, Any]:  # fmt: skip
    return {"id": step_id, "type": "condition", "if": {"field": field, "op": op, "value": value},
            "then": then, "else": otherwise}  # fmt: skip


HOUR, DAY = timedelta(hours=1), timedelta(days=1)

# -- abandoned cart -----------------------------------------------------------------------


def _single_reminder(timing: Timing) -> dict[str, Any]:
    return {
        "trigger": {"event": "cart_abandoned"},
        "exit_on": CART_EXITS,
        "steps": [_wait("wait-1", 2 * HOUR, timing), _email("email-1", "cart-reminder")],
    }


SINGLE_REMINDER = Preset(
    key="single-reminder",
    name="Abandoned cart — single reminder",
    category="abandoned_cart",
    description="One email with the cart's items 2 hours after the cart was abandoned.",
    what_it_does=(
        "Waits 2 hours after the cart was abandoned",
        "Sends the cart reminder (template cart-reminder) with the items and a link back",
        "Stops at once if the customer buys, recovers the cart or unsubscribes",
    ),
    build=_single_reminder,
)


def _three_step(timing: Timing) -> dict[str, Any]:
    return {
        "trigger": {"event": "cart_abandoned"},
        "exit_on": CART_EXITS,
        "steps": [
            _wait("wait-1", HOUR, timing),
            _email("email-1", "cart-reminder"),
            _wait("wait-2", 24 * HOUR, timing),
            _discount("code-10", 10),
            _email("email-2", "cart-discount"),
            _wait("wait-3", 48 * HOUR, timing),
            _discount("code-15", 15, expires_in="24h"),
            _email("email-3", "cart-last-chance"),
            {"id": "mark-lost", "type": "action", "action": "mark_cart_lost", "params": {}},
            {"id": "lost", "type": "exit", "outcome": "lost"},
        ],
    }


THREE_STEP = Preset(
    key="three-step",
    name="Abandoned cart — three-step sequence",
    category="abandoned_cart",
    description=(
        "A gentle reminder after 1 hour, a 10 % code 24 hours later, a last-chance 15 % code "
        "valid for 24 hours 48 hours after that; then the cart counts as lost."
    ),
    what_it_does=(
        "1 hour after abandonment: a gentle reminder, no discount (cart-reminder)",
        "24 hours later: a single-use 10 % code, valid 7 days (cart-discount)",
        "48 hours later: a single-use 15 % code that expires in 24 hours (cart-last-chance)",
        "Then marks the cart lost",
        "Before every email it checks for a purchase; a purchase, recovery or unsubscribe "
        "stops the sequence at once",
    ),
    build=_three_step,
)


def _segment_branch(segment: str, wait: timedelta, minimum: float | None, percent: int,
                    timing: Timing) -> list[dict[str, Any]]:  # fmt: skip
    """Wait, then a discount email (always, or above `minimum`), else a plain reminder."""
    with_code = [_discount(f"code-{segment}", percent), _email(f"email-{segment}", "cart-discount")]
    steps = [_wait(f"wait-{segment}", wait, timing)]
    if minimum is None:
        return steps + with_code
    plain = [_email(f"reminder-{segment}", "cart-reminder")]
    return [*steps, _if(f"over-{minimum:g}?", "cart.total", "gt", minimum, with_code, plain)]


def _segment_timing(timing: Timing) -> dict[str, Any]:
    segment = "customer.segment"
    return {
        "trigger": {"event": "cart_abandoned"},
        "exit_on": CART_EXITS,
        "steps": [
            _if("vip?", segment, "eq", "vip",
                _segment_branch("vip", timedelta(minutes=30), None, 15, timing),
                [_if("new?", segment, "eq", "new",
                     _segment_branch("new", 2 * HOUR, 50, 10, timing),
                     _segment_branch("repeat", HOUR, 100, 10, timing))]),
        ],
    }  # fmt: skip


SEGMENT_TIMING = Preset(
    key="segment-timing",
    name="Abandoned cart — timing by customer segment",
    category="abandoned_cart",
    description=(
        "VIP customers hear from you after 30 minutes with a discount; new customers after "
        "2 hours, with a discount above 50; repeat customers after 1 hour, with a discount "
        "above 100."
    ),
    what_it_does=(
        "VIP customers: after 30 minutes, a 15 % code (cart-discount)",
        "New customers: after 2 hours, a 10 % code if the cart is over 50, "
        "else a reminder (cart-reminder)",
        "Repeat customers: after 1 hour, a 10 % code if the cart is over 100, else a reminder",
        "Stops at once if the customer buys, recovers the cart or unsubscribes",
    ),
    build=_segment_timing,
)

# -- post-purchase ------------------------------------------------------------------------


def _order_flow(event: str, steps: list[dict[str, Any]]) -> dict[str, Any]:
    return {"trigger": {"event": event}, "exit_on": ORDER_EXITS, "steps": steps}


ORDER_CONFIRMATION = Preset(
    key="order-confirmation",
    name="Post-purchase — order confirmation",
    category="post_purchase",
    description="Thanks the customer and lists what they ordered as soon as the order is paid.",
    what_it_does=("When an order is paid: the order confirmation (order-confirmation)",),
    build=lambda _timing: _order_flow(
        "order_paid",
        [_email("confirmation", "order-confirmation")],
    ),
)

SHIPPING_UPDATE = Preset(
    key="shipping-update",
    name="Post-purchase — shipping update",
    category="post_purchase",
    description="Tells the customer their order is on its way when it is fulfilled.",
    what_it_does=("When an order is fulfilled: the shipping update (shipping-update)",),
    build=lambda _timing: _order_flow(
        "order_fulfilled",
        [_email("shipping", "shipping-update")],
    ),
)

REVIEW_REQUEST = Preset(
    key="review-request",
    name="Post-purchase — review request",
    category="post_purchase",
    description="Asks for a review 7 days after the order was delivered.",
    what_it_does=(
        "Waits 7 days after the order was delivered",
        "Asks for a review (review-request)",
    ),
    build=lambda timing: _order_flow(
        "order_delivered",
        [_wait("wait-1", 7 * DAY, timing), _email("review", "review-request")],
    ),
)

UPSELL = Preset(
    key="post-purchase-upsell",
    name="Post-purchase — upsell offer",
    category="post_purchase",
    description="3 days after delivery, invites the customer back with 10 % off their next order.",
    what_it_does=(
        "Waits 3 days after the order was delivered",
        "Creates a single-use 10 % code, valid 14 days",
        "Sends the offer with the code (post-purchase-upsell)",
    ),
    build=lambda timing: _order_flow(
        "order_delivered",
        [
            _wait("wait-1", 3 * DAY, timing),
            _discount("code-next", 10, expires_in="14d"),
            _email("upsell", "post-purchase-upsell"),
        ],
    ),
)

PRESETS: dict[str, Preset] = {
    preset.key: preset
    for preset in (
        SINGLE_REMINDER,
        THREE_STEP,
        SEGMENT_TIMING,
        ORDER_CONFIRMATION,
        SHIPPING_UPDATE,
        REVIEW_REQUEST,
        UPSELL,
    )
}
INSTALLED_ON_FIRST_START = (SINGLE_REMINDER,)
