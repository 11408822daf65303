"""Subscribing Boomerang to the shop's webhooks (`boomerang shopify connect`) through
Shopify's GraphQL Admin API, with the official ShopifyAPI library.

Each topic engine.platforms.shopify maps gets one subscription to
`{BOOMERANG_PUBLIC_URL}/api/v1/integrations/shopify/webhooks`; a topic already subscribed to
that address is left alone, so running it again changes nothing.
"""

import contextlib
import io
import json
import urllib.error
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import shopify

from engine.platforms.shopify import TOPICS
from engine.runtime.settings import Settings

CALLBACK_PATH = "/api/v1/integrations/shopify/webhooks"

SUBSCRIPTIONS = """
query BoomerangWebhookSubscriptions($after: String) {
  webhookSubscriptions(first: 100, after: $after) {
    nodes { id topic endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
CREATE = """
mutation BoomerangWebhookSubscriptionCreate(
  $topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!
) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic }
    userErrors { field message }
  }
}
"""


class ShopifyAdminError(Exception):
    """The Admin API cannot be used as configured, or refused the call; the message says why."""


@dataclass(frozen=True)
class Connected:
    """What `connect` did, topic by topic (Shopify's names: `orders/create`)."""

    callback_url: str
    registered: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (topic, Shopify's reason)


def callback_url(settings: Settings) -> str:
    return settings.resolved_public_url + CALLBACK_PATH


def connect(settings: Settings, topics: tuple[str, ...] = TOPICS) -> Connected:
    """Subscribe each topic not yet subscribed to our webhook address."""
    url = callback_url(settings)
    with admin_session(settings):
        subscribed = _subscribed_topics(url)
        connected = Connected(callback_url=url)
        for topic in topics:
            enum = topic_enum(topic)
            if enum in subscribed:
                connected.existing.append(topic)
                continue
            created = execute(
                CREATE,
                {"topic": enum, "webhookSubscription": {"callbackUrl": url, "format": "JSON"}},
                "BoomerangWebhookSubscriptionCreate",
            )["webhookSubscriptionCreate"]
            if errors := created.get("userErrors"):
                connected.failed.append((topic, "; ".join(_user_error(e) for e in errors)))
            else:
                connected.registered.append(topic)
        return connected


def topic_enum(topic: str) -> str:
    """`orders/create` as the Admin API's WebhookSubscriptionTopic: `ORDERS_CREATE`."""
    return topic.upper().replace("/", "_")


@contextlib.contextmanager
def admin_session(settings: Settings) -> Iterator[None]:
    """The shop's Admin API session for the calls inside. BOOMERANG_SHOPIFY_SHOP may be a full
    URL (`http://127.0.0.1:8123`): the Admin API at that address (a proxy, a test server)."""
    shop = settings.shopify_shop
    token = (
        settings.shopify_access_token.get_secret_value() if settings.shopify_access_token else ""
    )
    if not shop or not token:
        missing = [name for name, value in [("BOOMERANG_SHOPIFY_SHOP", shop),
                   ("BOOMERANG_SHOPIFY_ACCESS_TOKEN", token)] if not value]  # fmt: skip
        raise ShopifyAdminError(f"set {' and '.join(missing)} to use the Shopify Admin API")
    version = settings.shopify_api_version
    session = shopify.Session(shop, version, token)
    shopify.ShopifyResource.activate_session(session)
    if shop.startswith(("http://", "https://")):
        # The library always builds https://{name}.myshopify.com; an address given in full
        # is used as it is.
        shopify.ShopifyResource.site = f"{shop.rstrip('/')}/admin/api/{version}"
    try:
        yield
    finally:
        shopify.ShopifyResource.clear_session()


def execute(query: str, variables: dict[str, Any], operation: str) -> dict[str, Any]:
    """Run one GraphQL operation; its `data`, or ShopifyAdminError saying what went wrong."""
    printed = io.StringIO()  # the library prints an error's body; it belongs in our message
    try:
        with contextlib.redirect_stdout(printed):
            raw = shopify.GraphQL().execute(query, variables, operation)
    except urllib.error.HTTPError as error:
        said = printed.getvalue().strip()
        if error.code in (401, 403):
            raise ShopifyAdminError(
                f"Shopify refused the access token ({error.code}): check "
                f"BOOMERANG_SHOPIFY_ACCESS_TOKEN and the app's access scopes. {said}".strip()
            ) from None
        raise ShopifyAdminError(f"the Admin API answered {error.code}: {said}") from None
    except urllib.error.URLError as error:
        raise ShopifyAdminError(f"cannot reach the shop's Admin API: {error.reason}") from None
    try:
        body = json.loads(raw)
    except json.JSONDecodeError:
        raise ShopifyAdminError(f"the Admin API answered with no JSON: {raw[:200]!r}") from None
    if errors := body.get("errors"):
        raise ShopifyAdminError(f"the Admin API refused {operation}: {_messages(errors)}")
    data: dict[str, Any] = body.get("data") or {}
    return data


def _subscribed_topics(url: str) -> set[str]:
    """The topics (enum names) already sent to `url`, over every page of subscriptions."""
    topics: set[str] = set()
    after: str | None = None
    while True:
        page = execute(SUBSCRIPTIONS, {"after": after}, "BoomerangWebhookSubscriptions")
        subscriptions = page["webhookSubscriptions"]
        for node in subscriptions["nodes"]:
            if (node.get("endpoint") or {}).get("callbackUrl") == url:
                topics.add(node["topic"])
        info = subscriptions["pageInfo"]
        if not info.get("hasNextPage"):
            return topics
        after = info["endCursor"]


def _user_error(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error.get("field") or [])
    return f"{where}: {error.get('message')}" if where else str(error.get("message"))


def _messages(errors: Any) -> str:
    if isinstance(errors, list):
        return "; ".join(
            str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors
        )
    return str(errors)
