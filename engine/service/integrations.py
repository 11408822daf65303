"""The Integrations page's facts: per shop platform whether it is set up and what its webhooks
did (`PlatformDelivery`, written by engine/service/platform_intake.py), the storefront's
origins and keys; and the signed sample delivery "Send a test event" posts through the same
webhook handler as a real one.

No secret ever leaves this module: only whether one is set.
"""

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, get_args

from pydantic import SecretStr
from sqlalchemy import func
from sqlmodel import Session, col, select

from engine.runtime.settings import Settings
from engine.service import shop_settings
from engine.service.auth import Role
from engine.service.errors import Conflict
from engine.service.platform_intake import platform_signature
from engine.store.models import ApiToken, PlatformDelivery
from engine.store.types import utcnow

Platform = Literal["shopify", "woocommerce"]
PLATFORMS: tuple[Platform, ...] = get_args(Platform)
RESULTS = ("applied", "duplicate", "ignored", "failed")
SECRET_SETTING: dict[Platform, str] = {
    "shopify": "BOOMERANG_SHOPIFY_WEBHOOK_SECRET",
    "woocommerce": "BOOMERANG_WOOCOMMERCE_WEBHOOK_SECRET",
}
UNKNOWN_TOPICS_SHOWN = 20
# What "Send a test event" reports activity for: a guest at a reserved address (example.com
# never receives mail), one cart or order reused by every test.
TEST_EMAIL = "test@example.com"
TEST_CART = "boomerang-test"


@dataclass(frozen=True)
class Delivery:
    topic: str
    result: str
    detail: str
    received_at: datetime
    times_received: int


@dataclass(frozen=True)
class UnknownTopic:
    topic: str
    count: int
    last_seen: datetime


@dataclass(frozen=True)
class PlatformStatus:
    platform: Platform
    secret_setting: str
    secret_configured: bool
    admin_api_configured: bool
    issues_discount_codes: bool
    last_delivery: Delivery | None
    deliveries_by_result: dict[str, int]
    unknown_topics: list[UnknownTopic] = field(default_factory=list)


@dataclass(frozen=True)
class StorefrontStatus:
    origins: list[str]
    origins_set_here: bool
    live_keys: int


@dataclass(frozen=True)
class Status:
    discount_provider: str
    platforms: list[PlatformStatus]
    storefront: StorefrontStatus


def _is_set(*values: SecretStr | str | None) -> bool:
    def present(value: SecretStr | str | None) -> bool:
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        return bool(text and text.strip())

    return all(present(value) for value in values)


def secret_of(settings: Settings, platform: Platform) -> SecretStr | None:
    if platform == "shopify":
        return settings.shopify_webhook_secret
    return settings.woocommerce_webhook_secret


def _admin_api_configured(settings: Settings, platform: Platform) -> bool:
    if platform == "shopify":
        return _is_set(settings.shopify_shop, settings.shopify_access_token)
    return _is_set(
        settings.woocommerce_url,
        settings.woocommerce_consumer_key,
        settings.woocommerce_consumer_secret,
    )


def status(session: Session, settings: Settings) -> Status:
    """What the Integrations page shows, from the environment and the deliveries recorded."""
    effective = shop_settings.effective(session, settings)
    return Status(
        discount_provider=settings.discount_provider,
        platforms=[_platform_status(session, settings, platform) for platform in PLATFORMS],
        storefront=StorefrontStatus(
            origins=list(effective.settings.storefront_origins),
            origins_set_here="storefront_origins" in effective.from_shop,
            live_keys=_live_storefront_keys(session),
        ),
    )


def _platform_status(session: Session, settings: Settings, platform: Platform) -> PlatformStatus:
    ours = PlatformDelivery.platform == platform
    last = session.exec(
        select(PlatformDelivery)
        .where(ours)
        .order_by(col(PlatformDelivery.received_at).desc(), col(PlatformDelivery.id).desc())
        .limit(1)
    ).first()
    counted = session.exec(
        select(PlatformDelivery.result, func.count()).where(ours).group_by(PlatformDelivery.result)
    ).all()
    by_result = dict.fromkeys(RESULTS, 0) | dict(counted)
    unknown = session.exec(
        select(
            PlatformDelivery.topic,
            func.count(),
            func.max(PlatformDelivery.received_at),
        )
        .where(ours, PlatformDelivery.result == "ignored")
        .group_by(PlatformDelivery.topic)
        .order_by(func.max(PlatformDelivery.received_at).desc())
        .limit(UNKNOWN_TOPICS_SHOWN)
    ).all()
    return PlatformStatus(
        platform=platform,
        secret_setting=SECRET_SETTING[platform],
        secret_configured=_is_set(secret_of(settings, platform)),
        admin_api_configured=_admin_api_configured(settings, platform),
        issues_discount_codes=settings.discount_provider == platform,
        last_delivery=None
        if last is None
        else Delivery(
            topic=last.topic,
            result=last.result,
            detail=last.detail,
            received_at=last.received_at,
            times_received=last.times_received,
        ),
        deliveries_by_result=by_result,
        unknown_topics=[
            UnknownTopic(topic=topic, count=count, last_seen=seen) for topic, count, seen in unknown
        ],
    )


def _live_storefront_keys(session: Session) -> int:
    return session.exec(
        select(func.count())
        .select_from(ApiToken)
        .where(ApiToken.role == Role.storefront, col(ApiToken.revoked_at).is_(None))
    ).one()


# -- "Send a test event" ----------------------------------------------------------------------


class NotConfigured(Conflict):
    """The platform's webhook secret is not set: a test delivery could not be signed, and the
    webhook endpoint refuses every real one."""


@dataclass(frozen=True)
class SampleDelivery:
    """A webhook call as the platform would make it: the raw body, its signature (base64
    HMAC-SHA256 under the configured secret), its topic and a delivery id of its own."""

    platform: Platform
    topic: str
    delivery_id: str
    body: bytes
    signature: str


def sample_delivery(settings: Settings, platform: Platform) -> SampleDelivery:
    """A signed sample call for `platform`; `NotConfigured` (naming the setting) without a
    secret. Each gets a new delivery id, so every test is a first delivery, never a duplicate."""
    secret = secret_of(settings, platform)
    if secret is None or not secret.get_secret_value():
        raise NotConfigured(
            f"{SECRET_SETTING[platform]} is not set: without it the {platform} webhook refuses "
            "every call, and a test event cannot be signed",
            code="not_configured",
        )
    now = utcnow()
    topic, payload = _SAMPLES[platform](now)
    body = json.dumps(payload, separators=(",", ":")).encode()
    return SampleDelivery(
        platform=platform,
        topic=topic,
        delivery_id=f"boomerang-test-{uuid.uuid4().hex}",
        body=body,
        signature=platform_signature(secret.get_secret_value(), body),
    )


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _shopify_checkout(now: datetime) -> tuple[str, dict[str, Any]]:
    """`checkouts/update` for a one-item checkout of a guest who accepts marketing, completed:
    a bought cart is never abandoned, so a test never enrols anyone nor sends an email."""
    price = Decimal("24.00")
    return "checkouts/update", {
        "id": 900000000001,
        "token": TEST_CART,
        "cart_token": TEST_CART,
        "email": TEST_EMAIL,
        "created_at": _iso(now - timedelta(minutes=5)),
        "updated_at": _iso(now),
        "completed_at": _iso(now),
        "currency": "USD",
        "presentment_currency": "USD",
        "customer_locale": "en",
        "buyer_accepts_marketing": True,
        "subtotal_price": str(price),
        "total_tax": "0.00",
        "total_price": str(price),
        "abandoned_checkout_url": None,
        "line_items": [
            {
                "key": "boomerang-test-item",
                "product_id": 900000000002,
                "variant_id": 900000000003,
                "title": "Boomerang test item",
                "variant_title": "Blue",
                "quantity": 1,
                "price": str(price),
                "sku": "BOOMERANG-TEST",
            }
        ],
        "customer": {
            "id": 900000000004,
            "email": TEST_EMAIL,
            "first_name": "Test",
            "last_name": "Customer",
            "state": "disabled",
            "tags": "boomerang-test",
            "accepts_marketing": True,
            "email_marketing_consent": {"state": "subscribed"},
        },
    }


def _woocommerce_order(now: datetime) -> tuple[str, dict[str, Any]]:
    """`order.updated` for a one-item order awaiting payment (status `pending`)."""
    return "order.updated", {
        "id": 900000001,
        "status": "pending",
        "currency": "USD",
        "date_created_gmt": _iso(now - timedelta(minutes=5)).removesuffix("Z"),
        "date_modified_gmt": _iso(now).removesuffix("Z"),
        "date_paid_gmt": None,
        "date_completed_gmt": None,
        "total": "24.00",
        "total_tax": "0.00",
        "shipping_total": "0.00",
        "customer_id": 0,
        "cart_hash": TEST_CART,
        "billing": {"first_name": "Test", "last_name": "Customer", "email": TEST_EMAIL},
        "line_items": [
            {
                "id": 900000002,
                "name": "Boomerang test item",
                "product_id": 900000003,
                "quantity": 1,
                "price": 24,
                "total": "24.00",
                "sku": "BOOMERANG-TEST",
            }
        ],
        "meta_data": [],
    }


_SAMPLES = {"shopify": _shopify_checkout, "woocommerce": _woocommerce_order}
