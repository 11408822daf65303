"""Shopify's webhooks (checkouts, orders, fulfilments, customers) as our events."""

from typing import Any

from engine.platforms import UNKNOWN_TOPIC, Mapped

PLATFORM = "shopify"


def to_events(topic: str, payload: dict[str, Any]) -> Mapped:  # noqa: ARG001
    """The events a webhook of `topic` (`X-Shopify-Topic`) stands for."""
    return UNKNOWN_TOPIC
