"""WooCommerce's order webhooks as our events (carts come from the storefront snippet)."""

from typing import Any

from engine.platforms import UNKNOWN_TOPIC, Mapped

PLATFORM = "woocommerce"


def to_events(topic: str, payload: dict[str, Any]) -> Mapped:  # noqa: ARG001
    """The events a webhook of `topic` (`X-WC-Webhook-Topic`, e.g. `order.updated`) stands for."""
    return UNKNOWN_TOPIC
