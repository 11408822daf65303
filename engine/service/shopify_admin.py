"""Shopify's GraphQL Admin API: one POST per call, with a timeout, and one reading of its
errors. `boomerang shopify connect` (webhook subscriptions) and the Shopify discount provider
both call it.

ShopifyAPI's `Session` names the endpoint (`shop` → `https://shop.myshopify.com/admin/api/
{version}`); the POST is ours, because the library's `GraphQL.execute` sends with no timeout
(a stalled shop would hold an action's thread until start-to-close) and prints error bodies
to stdout. No retries here: Temporal retries actions, a person reruns the command.

Every error is a `ShopifyAdminError` (the message says what to do); the refusals, the rate
limits and the token problems are also the discount providers' `PlatformRefused`,
`PlatformBusy` and `PlatformUnauthorized`, so `create_discount` reads them as it reads any
platform's. A stalled answer raises TimeoutError.
"""

import json
import math
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self, TypeGuard

import shopify

from engine.discounts import PlatformBusy, PlatformRefused, PlatformUnauthorized, retry_after
from engine.runtime.settings import Settings

TIMEOUT = 10.0  # seconds per call; an action has 30 s in all
DEFAULT_WAIT = 2.0  # seconds, when Shopify throttles without saying how long to wait
SHOP, TOKEN = "BOOMERANG_SHOPIFY_SHOP", "BOOMERANG_SHOPIFY_ACCESS_TOKEN"


class ShopifyAdminError(Exception):
    """The Admin API cannot be used as configured, or refused the call; the message says why."""


class ShopifyUnauthorized(ShopifyAdminError, PlatformUnauthorized):
    """No shop or token set, a wrong token, or one without a scope the call needs."""


class ShopifyBusy(ShopifyAdminError, PlatformBusy):
    """Rate limited (429, or a `THROTTLED` query)."""


class ShopifyRefused(ShopifyAdminError, PlatformRefused):
    """Shopify will not take this document or these variables as they are."""


class ShopifyUnavailable(ShopifyAdminError):
    """Shopify failed on its side or could not be reached (5xx, `INTERNAL_SERVER_ERROR`, no
    JSON): transient, Temporal retries."""


@dataclass(frozen=True)
class AdminApi:
    """One shop's GraphQL Admin API: `call` it with a document and its variables."""

    endpoint: str  # https://shop.myshopify.com/admin/api/2025-07/graphql.json
    token: str
    timeout: float = TIMEOUT

    @classmethod
    def at(cls, shop: str, token: str, api_version: str, timeout: float = TIMEOUT) -> Self:
        """`shop` is the shop's name or domain; or a full URL (`http://127.0.0.1:8123`: a proxy,
        a test server), whose Admin API is at the same `/admin/api/{version}` path."""
        session = shopify.Session(shop, api_version, token)
        if shop.startswith(("http://", "https://")):
            site = session.api_version.api_path(shop.rstrip("/"))
        else:
            site = session.site
        return cls(f"{site}/graphql.json", token, timeout)

    @classmethod
    def from_settings(cls, settings: Settings, scopes: Sequence[str] = ()) -> Self:
        """The shop the settings name; ShopifyUnauthorized naming what is not set (and the
        `scopes` the caller's calls need of the token)."""
        token = settings.shopify_access_token
        given = {SHOP: settings.shopify_shop or "",
                 TOKEN: token.get_secret_value() if token else ""}  # fmt: skip
        if missing := [name for name, value in given.items() if not value]:
            needs = f" (the shop's custom app, with the {' and '.join(scopes)} scopes)"
            raise ShopifyUnauthorized(
                f"set {' and '.join(missing)} to use the Shopify Admin API{needs if scopes else ''}"
            )
        return cls.at(given[SHOP], given[TOKEN], settings.shopify_api_version)

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Shopify-Access-Token": self.token, "Content-Type": "application/json",
                "Accept": "application/json"}  # fmt: skip

    def call(
        self, query: str, variables: dict[str, Any], *, scope: str | None = None
    ) -> dict[str, Any]:
        """POST one GraphQL document; its `data`, or a ShopifyAdminError saying what went
        wrong (naming `scope`, the one the document needs, when the token lacks it)."""
        body = json.dumps({"query": query, "variables": variables}).encode()
        request = urllib.request.Request(self.endpoint, body, self.headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            with error:  # closed, it leaves no socket behind
                raise _http_error(error, _said(error.read(2000)), scope) from None
        except urllib.error.URLError as error:
            raise ShopifyUnavailable(
                f"cannot reach the shop's Admin API at {self.endpoint}: {error.reason}"
            ) from error
        try:
            answer = json.loads(raw)
        except json.JSONDecodeError:
            raise ShopifyUnavailable(
                f"the Admin API answered with no JSON: {raw[:200]!r}"
            ) from None
        if errors := answer.get("errors"):
            raise _graphql_error(errors, answer.get("extensions") or {}, scope)
        data: dict[str, Any] = answer.get("data") or {}
        return data


def user_errors(errors: list[dict[str, Any]]) -> str:
    """A mutation's `userErrors` as one line: `field.path: message; ...`."""
    return "; ".join(_user_error(error) for error in errors)


def _user_error(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error.get("field") or [])
    text = str(error.get("message") or error.get("code") or "invalid")
    return f"{where}: {text}" if where else text


def _http_error(error: urllib.error.HTTPError, said: str, scope: str | None) -> Exception:
    """What an HTTP error means: 401, 403 and 429 have their own; the rest (5xx) is
    transient."""
    shopify_said = f" Shopify said: {said}" if said else ""
    if error.code == 401:
        needs = f", which needs the {scope} scope" if scope else ""
        return ShopifyUnauthorized(
            f"Shopify refused the access token (401): set {TOKEN} to the Admin API token of "
            f"the shop's custom app{needs}.{shopify_said}"
        )
    if error.code == 403:
        return ShopifyUnauthorized(
            f"Shopify refused the request (403): {_lacks(scope)}.{shopify_said}"
        )
    if error.code == 429:
        wait = retry_after(error.headers.get("Retry-After"), DEFAULT_WAIT)
        return ShopifyBusy("Shopify answered 429 Too Many Requests", retry_after=wait)
    return ShopifyUnavailable(f"Shopify answered HTTP {error.code} {error.reason}.{shopify_said}")


def _graphql_error(errors: Any, extensions: dict[str, Any], scope: str | None) -> Exception:
    """Top-level GraphQL `errors` (Shopify answers them with 200)."""
    if not isinstance(errors, list):  # e.g. `{"errors": "Not Found"}`
        return ShopifyUnavailable(f"Shopify answered: {errors}")
    messages = _messages(errors)
    codes = {(e.get("extensions") or {}).get("code") for e in errors if isinstance(e, dict)}
    if "THROTTLED" in codes or messages == "Throttled":
        return ShopifyBusy(f"Shopify throttled the request: {messages}", _throttled(extensions))
    if "ACCESS_DENIED" in codes:
        return ShopifyUnauthorized(f"{_lacks(scope)} ({messages})")
    if "INTERNAL_SERVER_ERROR" in codes:
        return ShopifyUnavailable(f"Shopify failed: {messages}")
    # The document or its variables do not fit this API version: sending it again cannot help.
    return ShopifyRefused(f"Shopify rejected the request: {messages}")


def _lacks(scope: str | None) -> str:
    return f"the app's access token lacks {f'the {scope} scope' if scope else 'a scope this needs'}"


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


def _said(body: bytes) -> str:
    """The `errors` of an error answer's body, or its text."""
    try:
        errors = json.loads(body).get("errors")
    except (ValueError, AttributeError):
        return body.decode(errors="replace").strip()
    return _messages(errors) if errors else ""


def _messages(errors: Any) -> str:
    if isinstance(errors, list):
        return "; ".join(
            str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors
        )
    return str(errors)
