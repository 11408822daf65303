"""Where discount codes are issued: a provider per shop platform, chosen by
BOOMERANG_DISCOUNT_PROVIDER, behind one interface. `create_discount` records the code
under its step's idempotency key first, then asks the provider; a retry asks `find` before
`create`, so a retried step never issues a second code in the shop.

Providers are blocking (the platforms' own client libraries); they run on the action's
thread. They raise `PlatformRefused` for what a retry cannot fix (the platform's validation
errors), `PlatformBusy` for a rate limit (with the wait the platform asked for), and
`PlatformUnauthorized` naming what the token lacks; anything else is transient.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol

from engine.runtime.settings import Settings


@dataclass(frozen=True)
class CodeRequest:
    code: str
    percent: int
    expires_at: datetime
    usage_limit: int
    customer_email: str | None  # limits the code to that customer where the platform can
    idempotency_key: str


class DiscountProvider(Protocol):
    name: str

    def find(self, code: str) -> str | None:
        """The platform's id of this code, if the platform has it already."""

    def create(self, request: CodeRequest) -> str:
        """Create the code in the platform; its id there."""


class PlatformRefused(Exception):
    """The platform will never accept this request as it is (validation errors)."""


class PlatformUnauthorized(Exception):
    """The token is missing, wrong, or lacks a scope; the message names it."""


class PlatformBusy(Exception):
    """Rate limited: try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def retry_after(header: str | None, default: float) -> float:
    """Seconds to wait from a `Retry-After` header (seconds, or an HTTP date); `default` when
    it is missing or unreadable."""
    if not header:
        return default
    try:
        seconds = float(header)
    except ValueError:
        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError):
            return default
        if when.tzinfo is None:  # "-0000": UTC by RFC 5322
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return max(seconds, 0.0) if math.isfinite(seconds) else default


class Builtin:
    """Codes that exist in our records only (the shop checks them against our database)."""

    name = "builtin"

    def find(self, code: str) -> str | None:  # noqa: ARG002
        return None

    def create(self, request: CodeRequest) -> str:
        return request.code


def provider_for(settings: Settings) -> DiscountProvider:
    """The provider BOOMERANG_DISCOUNT_PROVIDER names, configured from the settings."""
    match settings.discount_provider:
        case "shopify":
            from engine.discounts.shopify import ShopifyDiscounts  # its library loads slowly

            return ShopifyDiscounts.from_settings(settings)
        case "woocommerce":
            from engine.discounts.woocommerce import WooCommerceDiscounts

            return WooCommerceDiscounts.from_settings(settings)
        case _:
            return Builtin()
