"""Discount codes issued in WooCommerce (REST API, `POST /wp-json/wc/v3/coupons`).

Through the `woocommerce` library (requests underneath, no retries of its own: Temporal
retries the action, which looks the code up before creating it again). It signs requests
with OAuth 1.0a in the query string over plain http and uses basic auth over https, as
WooCommerce expects. The REST API key needs Read/Write permission.
"""

from datetime import UTC, datetime
from typing import Any, Self

from woocommerce import API

from engine.discounts import (
    CodeRequest,
    PlatformBusy,
    PlatformRefused,
    PlatformUnauthorized,
    retry_after,
)
from engine.runtime.settings import Settings

TIMEOUT = 10.0  # seconds per call; the action has 30 s in all
DEFAULT_WAIT = 5.0  # seconds, when a 429 does not say how long to wait
ALREADY_EXISTS = "woocommerce_rest_coupon_code_already_exists"
HIDDEN_EMAIL = "<the customer's email>"


class WooCommerceUnavailable(Exception):
    """WooCommerce (or the site in front of it) failed: transient, Temporal retries."""


class WooCommerceDiscounts:
    """`percent` coupons for one use, once per customer, expiring when our record expires,
    limited to the cart customer's email (`email_restrictions`) when we know it."""

    name = "woocommerce"

    def __init__(
        self, url: str, consumer_key: str, consumer_secret: str, timeout: float = TIMEOUT
    ) -> None:
        self._api = API(url=url, consumer_key=consumer_key, consumer_secret=consumer_secret,
                        version="wc/v3", timeout=timeout)  # fmt: skip

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        key, secret = settings.woocommerce_consumer_key, settings.woocommerce_consumer_secret
        given = {
            "BOOMERANG_WOOCOMMERCE_URL": settings.woocommerce_url or "",
            "BOOMERANG_WOOCOMMERCE_CONSUMER_KEY": key.get_secret_value() if key else "",
            "BOOMERANG_WOOCOMMERCE_CONSUMER_SECRET": secret.get_secret_value() if secret else "",
        }
        if missing := [name for name, value in given.items() if not value]:
            raise PlatformUnauthorized(
                f"BOOMERANG_DISCOUNT_PROVIDER=woocommerce needs {', '.join(missing)} (a REST "
                "API key with Read/Write permission)"
            )
        url, key_text, secret_text = given.values()
        return cls(url, key_text, secret_text)

    def find(self, code: str) -> str | None:
        response = self._api.get("coupons", params={"code": code})
        _raise_for(response, "look up coupons")
        for coupon in response.json():
            # WooCommerce keeps codes in lower case and matches them regardless of case.
            if str(coupon.get("code", "")).casefold() == code.casefold():
                return str(coupon["id"])
        return None

    def create(self, request: CodeRequest) -> str:
        coupon: dict[str, Any] = {
            "code": request.code,
            "discount_type": "percent",
            "amount": str(request.percent),
            "usage_limit": request.usage_limit,
            "usage_limit_per_user": 1,
            "individual_use": True,
            # With its offset: WooCommerce reads a bare date-time in the site's time zone
            # (and ignores `date_expires_gmt` when writing).
            "date_expires": _iso(request.expires_at),
            "description": f"Boomerang, journey step {request.idempotency_key}",
        }
        if request.customer_email:
            coupon["email_restrictions"] = [request.customer_email]
        response = self._api.post("coupons", coupon)
        # Another attempt of this step created it between our lookup and now: it counts.
        if _error_code(response) == ALREADY_EXISTS and (existing := self.find(request.code)):
            return existing
        _raise_for(response, "create coupons", hide=request.customer_email)
        return str(response.json()["id"])


def _raise_for(response: Any, doing: str, hide: str | None = None) -> None:
    """The error a failed answer means for the action; nothing for a 2xx."""
    status: int = response.status_code
    if status < 300:
        return
    said = f"{_error_code(response) or status}: {_error_message(response)}"
    if hide:  # the journey's history shows this message: no personal data in it
        said = said.replace(hide, HIDDEN_EMAIL)
    if status in (401, 403):
        raise PlatformUnauthorized(
            f"WooCommerce refused to {doing} ({status} {said}): the REST API key "
            "(BOOMERANG_WOOCOMMERCE_CONSUMER_KEY/SECRET) needs Read/Write permission"
        )
    if status == 429:
        wait = retry_after(response.headers.get("Retry-After"), DEFAULT_WAIT)
        raise PlatformBusy(f"WooCommerce answered 429 ({said})", retry_after=wait)
    if status == 404:  # no REST API there: a wrong URL, or WooCommerce is off; fixable
        raise WooCommerceUnavailable(
            f"WooCommerce answered 404 ({said}): is BOOMERANG_WOOCOMMERCE_URL the WordPress "
            "site's address, with WooCommerce active?"
        )
    if 400 <= status < 500:
        raise PlatformRefused(said)
    raise WooCommerceUnavailable(f"WooCommerce answered {status} ({said})")


def _body(response: Any) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _error_code(response: Any) -> str | None:
    code = _body(response).get("code")
    return str(code) if code and response.status_code >= 400 else None


def _error_message(response: Any) -> str:
    return str(_body(response).get("message") or response.reason or "no message")[:500]


def _iso(moment: datetime) -> str:
    # WooCommerce's date parser takes `YYYY-MM-DDTHH:MM:SS` with `Z` or `±HH:MM`, no fraction.
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
