"""What the shops send during a chaos run, drawn from a seed: one story per cart (abandoned,
then maybe bought, recovered or unsubscribed; some out of order; some through Shopify's or
WooCommerce's webhooks, signed with the shop's secret), and repeats of some posts under the
same id. Every post carries its own id, so a retry or a repeat is recognised."""

import base64
import copy
import hashlib
import hmac
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from engine.platforms import woocommerce

EVENTS_PATH = "/api/v1/events"
SHOPIFY_PATH = "/api/v1/integrations/shopify/webhooks"
WOOCOMMERCE_PATH = "/api/v1/integrations/woocommerce/webhooks"
FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
# How a cart's story goes, and how often.
STORIES = {
    "abandoned": 30,  # abandoned, and nothing else: its journey runs to its end
    "ordered": 14,  # then an order for the cart
    "paid": 10,  # then an order, paid: a post-purchase journey begins
    "recovered": 10,  # then `cart_recovered`
    "unsubscribed": 10,  # then the customer unsubscribes
    "order_first": 6,  # the order arrives before the abandonment (out of order)
    "shopify": 10,  # a Shopify checkout, abandoned by idle detection, maybe ordered
    "woocommerce": 10,  # a storefront cart under WooCommerce's cart hash, maybe ordered
}
REPEAT_SHARE = 0.12  # posts sent again later under the same id
SHOPIFY_ORDER_IDS = 2**50
WOOCOMMERCE_ORDER_IDS = 10_000_000


@dataclass(frozen=True)
class Post:
    """One request the shop makes (again and again until it is answered 2xx)."""

    at: float  # seconds after the run began
    path: str
    body: bytes
    headers: tuple[tuple[str, str], ...]
    key: str  # `event:<id>`, `shopify:<webhook id>` or `woocommerce:<delivery id>`
    what: str  # the event type, or the platform's topic
    cart_id: str | None
    order_id: str | None
    email: str | None
    repeat: bool = False

    @property
    def platform(self) -> str | None:
        kind = self.key.partition(":")[0]
        return None if kind == "event" else kind


@dataclass(frozen=True)
class Automations:
    """What each automation is called once created (ids), so stories can aim at them."""

    cheap_total: float = 60.0  # the quick automation's carts (total under 100)
    dear_total: float = 180.0  # the slow automation's carts


class Planner:
    def __init__(self, seed: int, began: datetime, admin_token: str, shopify_secret: str,
                 woocommerce_secret: str) -> None:  # fmt: skip
        self.random = random.Random(seed)
        self.seed = seed
        self.began = began
        self.admin_token = admin_token
        self.shopify_secret = shopify_secret
        self.woocommerce_secret = woocommerce_secret
        self.posts: list[Post] = []
        self.follow_up = 30.0  # at most this long before a story goes on (see `plan`)

    def plan(self, carts: int, spread: float) -> list[Post]:
        """`carts` stories, their first posts spread over `spread` seconds; sorted by time."""
        kinds, weights = list(STORIES), list(STORIES.values())
        self.follow_up = max(30.0, spread)
        for n in range(carts):
            story = self.random.choices(kinds, weights)[0]
            getattr(self, f"_{story}")(n, self.random.uniform(0, spread))
        for post in list(self.posts):
            if self.random.random() < REPEAT_SHARE:
                later = post.at + self.random.uniform(0.5, 20)
                self.posts.append(_repeat(post, later))
        return sorted(self.posts, key=lambda post: post.at)

    # -- the stories ---------------------------------------------------------------------------

    def _abandoned(self, n: int, at: float) -> str:
        cart_id, email = f"chaos{self.seed}-cart-{n}", f"shopper{n}@chaos.example"
        total = self.random.choice([Automations.cheap_total, Automations.dear_total])
        self._event(at, "cart_updated", cart_id, email, _cart(cart_id, email, total))
        data = _cart(cart_id, email, total) | {"abandoned_at": self._time(at - 1800).isoformat()}
        self._event(at + 1, "cart_abandoned", cart_id, email, data)
        return cart_id

    def _later(self, at: float) -> float:
        """When the story goes on: before, during or after the journey's first steps."""
        return at + 1 + self.random.uniform(1, self.follow_up)

    def _ordered(self, n: int, at: float, paid: bool = False) -> None:
        cart_id = self._abandoned(n, at)
        email, order_id = f"shopper{n}@chaos.example", f"chaos{self.seed}-order-{n}"
        then = self._later(at)
        data = {"order_id": order_id, "cart_id": cart_id, "customer_email": email, "total": 60}
        self._event(then, "order_placed", cart_id, email, data, order_id)
        if paid:
            paid_at = then + self.random.uniform(0.5, 10)
            self._event(paid_at, "order_paid", cart_id, email, data, order_id)

    def _paid(self, n: int, at: float) -> None:
        self._ordered(n, at, paid=True)

    def _recovered(self, n: int, at: float) -> None:
        cart_id = self._abandoned(n, at)
        email, order_id = f"shopper{n}@chaos.example", f"chaos{self.seed}-order-{n}"
        data = {"cart_id": cart_id, "customer_email": email, "order_id": order_id,
                "recovered_via": "email-1", "time_to_recover": "10m"}  # fmt: skip
        self._event(self._later(at), "cart_recovered", cart_id, email, data, order_id)

    def _unsubscribed(self, n: int, at: float) -> None:
        cart_id = self._abandoned(n, at)
        email = f"shopper{n}@chaos.example"
        data = {"customer_email": email}
        self._event(self._later(at), "unsubscribed", cart_id, email, data)

    def _order_first(self, n: int, at: float) -> None:
        """The order comes first; the abandonment (sent earlier by the shop) after it."""
        cart_id, email = f"chaos{self.seed}-cart-{n}", f"shopper{n}@chaos.example"
        order_id = f"chaos{self.seed}-order-{n}"
        data = {"order_id": order_id, "cart_id": cart_id, "customer_email": email, "total": 60}
        self._event(at, "order_placed", cart_id, email, data, order_id)
        abandoned = _cart(cart_id, email, 60) | {"abandoned_at": self._time(at - 1800).isoformat()}
        self._event(at + self.random.uniform(0.5, 5), "cart_abandoned", cart_id, email,
                    abandoned, sent_at=at - 600)  # fmt: skip

    def _shopify(self, n: int, at: float) -> None:
        email, token = f"shopper{n}@chaos.example", f"chaos{self.seed}shopify{n}"
        started = _fixture("shopify/checkouts_create.json")
        stamp = self._time(at).isoformat()
        started |= {
            "token": token,
            "email": email,
            "created_at": stamp,
            "updated_at": stamp,
            "abandoned_checkout_url": f"https://shop.example.com/checkouts/{token}",
        }
        started["customer"] = {**started["customer"], "email": email, "id": 2**52 + n}
        self._shopify_post(at, "checkouts/create", started, token, email, None)
        if self.random.random() < 0.5:  # bought, often after idle detection abandoned it
            then = at + self.random.uniform(5, self.follow_up + 20)
            order_id = SHOPIFY_ORDER_IDS + n
            order = _fixture("shopify/orders_create.json")
            stamp = self._time(then).isoformat()
            order |= {"id": order_id, "email": email, "contact_email": email,
                      "checkout_token": token, "cancelled_at": None, "cancel_reason": None,
                      "created_at": stamp, "processed_at": stamp, "updated_at": stamp}  # fmt: skip
            self._shopify_post(then, "orders/create", order, token, email, str(order_id))

    def _woocommerce(self, n: int, at: float) -> None:
        """The storefront snippet reports the cart under WooCommerce's cart hash; the order
        webhook names that hash."""
        cart_id = hashlib.md5(f"chaos{self.seed}-{n}".encode()).hexdigest()
        email = f"shopper{n}@chaos.example"
        self._event(at, "cart_updated", cart_id, email, _cart(cart_id, email, 60))
        data = _cart(cart_id, email, 60) | {"abandoned_at": self._time(at - 1800).isoformat()}
        self._event(at + 1, "cart_abandoned", cart_id, email, data)
        if self.random.random() < 0.6:
            then = self._later(at)
            order = _fixture("woocommerce/order.json")
            order_id = WOOCOMMERCE_ORDER_IDS + n
            order |= {"id": order_id, "status": "processing", "cart_hash": cart_id,
                      "date_created_gmt": _wc_time(self._time(then)),
                      "date_paid_gmt": _wc_time(self._time(then)),
                      "date_modified_gmt": _wc_time(self._time(then))}  # fmt: skip
            order["billing"] = {**order["billing"], "email": email}
            # As WordPress's wp_json_encode sends it: compact, `/` escaped.
            body = json.dumps(order, separators=(",", ":")).replace("/", "\\/").encode()
            given = hashlib.md5(f"{cart_id}-delivery".encode()).hexdigest()
            headers = (
                ("Content-Type", "application/json"),
                ("X-WC-Webhook-Source", "https://shop.example.com/"),
                ("X-WC-Webhook-Topic", "order.created"),
                ("X-WC-Webhook-Resource", "order"),
                ("X-WC-Webhook-Event", "created"),
                ("X-WC-Webhook-ID", "12"),
                ("X-WC-Webhook-Delivery-ID", given),
                ("X-WC-Webhook-Signature", _signature(self.woocommerce_secret, body)),
            )
            # The delivery as the API records it (the given id with a digest of the body).
            delivery = woocommerce.delivery_id(given, body)
            self.posts.append(Post(then, WOOCOMMERCE_PATH, body, headers,
                                   f"woocommerce:{delivery}", "woocommerce order.created",
                                   cart_id, str(order_id), email))  # fmt: skip

    # -- posts -----------------------------------------------------------------------------------

    def _time(self, at: float) -> datetime:
        return self.began + timedelta(seconds=at)

    def _event(self, at: float, kind: str, cart_id: str, email: str, data: dict[str, Any],
               order_id: str | None = None, sent_at: float | None = None) -> None:  # fmt: skip
        event_id = f"chaos{self.seed}-{kind}-{cart_id}"
        timestamp = self._time(at if sent_at is None else sent_at).isoformat()
        body = json.dumps({"event": kind, "id": event_id, "timestamp": timestamp, "data": data})
        headers = (("Content-Type", "application/json"),
                   ("Authorization", f"Bearer {self.admin_token}"))  # fmt: skip
        self.posts.append(Post(at, EVENTS_PATH, body.encode(), headers, f"event:{event_id}",
                               kind, cart_id, order_id, email))  # fmt: skip

    def _shopify_post(self, at: float, topic: str, payload: dict[str, Any], cart_id: str,
                      email: str, order_id: str | None) -> None:  # fmt: skip
        body = json.dumps(payload).encode()
        webhook_id = f"chaos{self.seed}-{topic}-{cart_id}"
        headers = (
            ("Content-Type", "application/json"),
            ("X-Shopify-Topic", topic),
            ("X-Shopify-Hmac-Sha256", _signature(self.shopify_secret, body)),
            ("X-Shopify-Webhook-Id", webhook_id),
            ("X-Shopify-Shop-Domain", "boomerang-chaos.myshopify.com"),
            ("X-Shopify-API-Version", "2025-07"),
        )
        self.posts.append(Post(at, SHOPIFY_PATH, body, headers, f"shopify:{webhook_id}",
                               f"shopify {topic}", cart_id, order_id, email))  # fmt: skip


def _repeat(post: Post, at: float) -> Post:
    return Post(post.at if at < post.at else at, post.path, post.body, post.headers, post.key,
                post.what, post.cart_id, post.order_id, post.email, repeat=True)  # fmt: skip


def _cart(cart_id: str, email: str, total: float) -> dict[str, Any]:
    return {
        "cart_id": cart_id,
        "customer_email": email,
        "items": [{"id": "prod_1", "name": "Chaos mug", "price": total, "quantity": 1}],
        "subtotal": total,
        "total": total,
        "currency": "USD",
        "recovery_url": f"https://shop.example.com/cart/{cart_id}",
        "customer": {"first_name": "Kim"},
    }


@cache
def _fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _fixture(name: str) -> dict[str, Any]:
    """A fresh copy of a published sample payload (tests/fixtures, with its source)."""
    payload: dict[str, Any] = copy.deepcopy(json.loads(_fixture_text(name)))
    return payload


def _signature(secret: str, body: bytes) -> str:
    """As Shopify and WooCommerce sign a webhook: base64 of the body's HMAC-SHA256."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _wc_time(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")
