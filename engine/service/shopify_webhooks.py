"""Subscribing Boomerang to the shop's webhooks (`boomerang shopify connect`) through
Shopify's GraphQL Admin API, with the official ShopifyAPI library.

Each topic engine.platforms.shopify maps gets one subscription to
`{BOOMERANG_PUBLIC_URL}/api/v1/integrations/shopify/webhooks`; a topic already subscribed to
that address is left alone, so running it again changes nothing.

Shopify's mandatory privacy topics (`PRIVACY_TOPICS`) are app-level: they are set in the app's
configuration (`compliance_topics` in shopify.app.toml, or the Partner Dashboard), and the
Admin API refuses them, so they are never subscribed here.
"""

from dataclasses import dataclass, field

from engine.platforms.shopify import PRIVACY_TOPICS, TOPICS
from engine.runtime.settings import Settings
from engine.service.shopify_admin import AdminApi, user_errors

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
    """Subscribe each topic not yet subscribed to our webhook address (never a privacy topic:
    those are the app configuration's)."""
    topics = tuple(topic for topic in topics if topic not in PRIVACY_TOPICS)
    url = callback_url(settings)
    admin = AdminApi.from_settings(settings)
    subscribed = _subscribed_topics(admin, url)
    connected = Connected(callback_url=url)
    for topic in topics:
        enum = topic_enum(topic)
        if enum in subscribed:
            connected.existing.append(topic)
            continue
        subscription = {"callbackUrl": url, "format": "JSON"}
        created = admin.call(CREATE, {"topic": enum, "webhookSubscription": subscription})
        if errors := created["webhookSubscriptionCreate"].get("userErrors"):
            connected.failed.append((topic, user_errors(errors)))
        else:
            connected.registered.append(topic)
    return connected


def topic_enum(topic: str) -> str:
    """`orders/create` as the Admin API's WebhookSubscriptionTopic: `ORDERS_CREATE`."""
    return topic.upper().replace("/", "_")


def _subscribed_topics(admin: AdminApi, url: str) -> set[str]:
    """The topics (enum names) already sent to `url`, over every page of subscriptions."""
    topics: set[str] = set()
    after: str | None = None
    while True:
        page = admin.call(SUBSCRIPTIONS, {"after": after})
        subscriptions = page["webhookSubscriptions"]
        for node in subscriptions["nodes"]:
            if (node.get("endpoint") or {}).get("callbackUrl") == url:
                topics.add(node["topic"])
        info = subscriptions["pageInfo"]
        if not info.get("hasNextPage"):
            return topics
        after = info["endCursor"]
