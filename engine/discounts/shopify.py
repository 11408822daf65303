"""Discount codes issued in Shopify (GraphQL Admin API, `discountCodeBasicCreate`).

The shop's custom app needs the Admin API scopes `write_discounts` (create the code, and
look it up by code: write includes read) and `read_customers` (limit the code to the cart's
customer).

ShopifyAPI supplies the endpoint and the token: `shopify.Session` and `activate_session`
(per call, on the action's thread: the library keeps them thread-local), then
`shopify.GraphQL()` names the URL and headers. The POST itself is ours, because the
library's `GraphQL.execute` sends with no timeout (a stalled shop would hold the action's
thread until start-to-close) and prints error bodies to stdout. No retries here: Temporal
retries the action, which looks the code up before creating it again.
"""

import json
import math
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Self, TypeGuard

import shopify

from engine.discounts import (
    CodeRequest,
    PlatformBusy,
    PlatformRefused,
    PlatformUnauthorized,
    retry_after,
)
from engine.runtime.settings import Settings

TIMEOUT = 10.0  # seconds per call; the action has 30 s in all
DEFAULT_WAIT = 2.0  # seconds, when Shopify throttles without saying how long to wait
WRITE_DISCOUNTS, READ_CUSTOMERS = "write_discounts", "read_customers"

CREATE = """
mutation BoomerangCreateCode($discount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $discount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}"""
FIND = """
query BoomerangFindCode($code: String!) {
  codeDiscountNodeByCode(code: $code) { id }
}"""
CUSTOMER = """
query BoomerangFindCustomer($query: String!) {
  customers(first: 1, query: $query) { nodes { id } }
}"""


class ShopifyUnavailable(Exception):
    """Shopify failed on its side (5xx, `INTERNAL_SERVER_ERROR`): transient, Temporal
    retries."""


class ShopifyDiscounts:
    """Percentage codes for one use, once per customer, ending when our record expires.

    Limited to the cart's customer when Shopify knows a customer with that email; a guest
    (no email, or none of the shop's customers has it) gets a code any customer may redeem:
    it stays single-use and expires like any other.
    """

    name = "shopify"

    def __init__(
        self, shop: str, access_token: str, api_version: str, timeout: float = TIMEOUT
    ) -> None:
        # `shopify.Session` always builds `https://<first label>.myshopify.com`, so a base
        # URL (a proxy; the tests' loopback server at http://127.0.0.1:PORT) is set as the
        # site after the session is activated, with the same `/admin/api/<version>` path.
        self._shop = shop
        self._base_url = shop.rstrip("/") if shop.startswith(("http://", "https://")) else None
        self._token = access_token
        self._api_version = api_version
        self._timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        token = settings.shopify_access_token
        given = {
            "BOOMERANG_SHOPIFY_SHOP": settings.shopify_shop or "",
            "BOOMERANG_SHOPIFY_ACCESS_TOKEN": token.get_secret_value() if token else "",
        }
        if missing := [name for name, value in given.items() if not value]:
            raise PlatformUnauthorized(
                f"BOOMERANG_DISCOUNT_PROVIDER=shopify needs {' and '.join(missing)} (the "
                f"shop's custom app, with the {WRITE_DISCOUNTS} and {READ_CUSTOMERS} scopes)"
            )
        return cls(
            given["BOOMERANG_SHOPIFY_SHOP"],
            given["BOOMERANG_SHOPIFY_ACCESS_TOKEN"],
            settings.shopify_api_version,
        )

    def find(self, code: str) -> str | None:
        data = self._call(FIND, {"code": code}, scope=WRITE_DISCOUNTS)
        node = data.get("codeDiscountNodeByCode")
        return str(node["id"]) if node else None

    def create(self, request: CodeRequest) -> str:
        selection: dict[str, Any] = {"all": True}
        if request.customer_email and (customer := self._customer_id(request.customer_email)):
            selection = {"customers": {"add": [customer]}}
        discount = {
            "title": f"Boomerang {request.code}",
            "code": request.code,
            "startsAt": _iso(datetime.now(UTC)),
            "endsAt": _iso(request.expires_at),
            # `customerSelection` until API 2025-10 replaces it with `context` (it stays,
            # deprecated, in later versions).
            "customerSelection": selection,
            "customerGets": {
                "value": {"percentage": request.percent / 100},  # Shopify: 0.1 is 10 %
                "items": {"all": True},
            },
            "appliesOncePerCustomer": True,
            "usageLimit": request.usage_limit,
        }
        data = self._call(CREATE, {"discount": discount}, scope=WRITE_DISCOUNTS)
        payload = data.get("discountCodeBasicCreate") or {}
        if errors := payload.get("userErrors"):
            # Another attempt of this step created it between our lookup and now: it counts.
            if any(error.get("code") == "TAKEN" for error in errors) and (
                existing := self.find(request.code)
            ):
                return existing
            raise PlatformRefused("; ".join(_user_error(error) for error in errors))
        node = payload.get("codeDiscountNode")
        if not node:
            raise ShopifyUnavailable("Shopify answered discountCodeBasicCreate without a code")
        return str(node["id"])

    def _customer_id(self, email: str) -> str | None:
        escaped = email.replace("\\", "\\\\").replace('"', '\\"')
        data = self._call(CUSTOMER, {"query": f'email:"{escaped}"'}, scope=READ_CUSTOMERS)
        nodes = (data.get("customers") or {}).get("nodes") or []
        return str(nodes[0]["id"]) if nodes else None

    def _call(self, query: str, variables: dict[str, Any], *, scope: str) -> dict[str, Any]:
        """POST one GraphQL document; its `data`, or the error the action understands."""
        body = json.dumps({"query": query, "variables": variables}).encode()
        with self._graphql() as graphql:
            headers = {**graphql.headers, "Content-Type": "application/json",
                       "Accept": "application/json"}  # fmt: skip
            request = urllib.request.Request(graphql.endpoint, body, headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                answer: dict[str, Any] = json.load(response)
        except urllib.error.HTTPError as error:
            with error:  # its body is not needed; closed, it leaves no socket behind
                raise _http_error(error, scope) from error
        if errors := answer.get("errors"):
            raise _graphql_error(errors, answer.get("extensions") or {}, scope)
        return answer.get("data") or {}

    @contextmanager
    def _graphql(self) -> Iterator[Any]:
        session = shopify.Session(self._shop, self._api_version, self._token)
        shopify.ShopifyResource.activate_session(session)
        try:
            if self._base_url:
                shopify.ShopifyResource.site = session.api_version.api_path(self._base_url)
            yield shopify.GraphQL()
        finally:
            shopify.ShopifyResource.clear_session()


def _http_error(error: urllib.error.HTTPError, scope: str) -> Exception:
    """What an HTTP error means for the action: 401, 403 and 429 have their own; the rest
    (5xx) is transient."""
    if error.code == 401:
        return PlatformUnauthorized(
            "Shopify refused the access token (HTTP 401): set BOOMERANG_SHOPIFY_ACCESS_TOKEN "
            f"to the Admin API token of the shop's custom app, which needs the {scope} scope"
        )
    if error.code == 403:
        return PlatformUnauthorized(
            f"Shopify refused the request (HTTP 403): the app's access token lacks the "
            f"{scope} scope"
        )
    if error.code == 429:
        wait = retry_after(error.headers.get("Retry-After"), DEFAULT_WAIT)
        return PlatformBusy("Shopify answered 429 Too Many Requests", retry_after=wait)
    return ShopifyUnavailable(f"Shopify answered HTTP {error.code} {error.reason}")


def _graphql_error(errors: Any, extensions: dict[str, Any], scope: str) -> Exception:
    """Top-level GraphQL `errors` (Shopify answers them with 200)."""
    if not isinstance(errors, list):  # e.g. `{"errors": "Not Found"}`
        return ShopifyUnavailable(f"Shopify answered: {errors}")
    messages = "; ".join(str(error.get("message", "")) for error in errors)
    codes = {(error.get("extensions") or {}).get("code") for error in errors}
    if "THROTTLED" in codes or messages == "Throttled":
        return PlatformBusy(f"Shopify throttled the request: {messages}", _throttled(extensions))
    if "ACCESS_DENIED" in codes:
        return PlatformUnauthorized(f"the app's access token lacks the {scope} scope ({messages})")
    if "INTERNAL_SERVER_ERROR" in codes:
        return ShopifyUnavailable(f"Shopify failed: {messages}")
    # The document or its variables do not fit this API version: sending it again cannot help.
    return PlatformRefused(f"Shopify rejected the request: {messages}")


def _throttled(extensions: dict[str, Any]) -> float:
    """How long until the bucket holds the query's cost again (Shopify's `throttleStatus`)."""
    cost = extensions.get("cost") or {}
    status = cost.get("throttleStatus") or {}
    needed, available = cost.get("requestedQueryCost"), status.get("currentlyAvailable")
    rate = status.get("restoreRate")
    if not (_number(needed) and _number(available) and _number(rate) and rate > 0):
        return DEFAULT_WAIT
    return float(max(1, math.ceil((needed - available) / rate)))


def _number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _user_error(error: dict[str, Any]) -> str:
    field = ".".join(str(part) for part in error.get("field") or []) or "input"
    return f"{field}: {error.get('message', error.get('code', 'invalid'))}"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()
