"""Shop platform integrations: what a webhook call became."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class WebhookReceived(BaseModel):
    result: Literal["applied", "duplicate", "ignored", "failed", "ping"] = Field(
        description="applied; duplicate (this delivery id was applied before); ignored (a "
        "topic we do not map); failed (the payload does not map: see `detail`); ping "
        "(WooCommerce's test call when a webhook is created)"
    )
    events: list[str] = Field(description="The ids of the events it became")
    detail: str = ""


# -- the Integrations page (GET /api/v1/integrations) ----------------------------------------

DeliveryResult = Literal["applied", "duplicate", "ignored", "failed"]


class LastDelivery(BaseModel):
    topic: str
    result: DeliveryResult
    detail: str = Field(description="Why it failed or was ignored; empty when applied")
    received_at: datetime = Field(description="The latest time this delivery id came")
    times_received: int = Field(description="More than 1: the platform sent it again")


class UnknownTopic(BaseModel):
    topic: str = Field(description="A topic we do not map (its deliveries were `ignored`)")
    count: int = Field(description="Deliveries of this topic")
    last_seen: datetime


class PlatformStatus(BaseModel):
    platform: Literal["shopify", "woocommerce"]
    configured: bool = Field(description="The webhook secret is set: deliveries are accepted")
    webhook_url: str = Field(description="The delivery URL to give the platform")
    secret_setting: str = Field(description="The environment variable holding the secret")
    secret_configured: bool = Field(description="Whether the secret is set (never its value)")
    admin_api_configured: bool = Field(
        description="Shopify: shop and access token; WooCommerce: URL, consumer key and secret"
    )
    issues_discount_codes: bool = Field(
        description="BOOMERANG_DISCOUNT_PROVIDER names this platform: codes are created there"
    )
    last_delivery: LastDelivery | None
    deliveries_by_result: dict[str, int] = Field(
        description="Deliveries (by delivery id) per result: applied, duplicate, ignored, failed"
    )
    unknown_topics: list[UnknownTopic] = Field(description="Most recently seen first")


class StorefrontStatus(BaseModel):
    origins: list[str] = Field(description="Origins the storefront snippet may post from")
    origins_set_here: bool = Field(
        description="Set in the shop settings (else BOOMERANG_STOREFRONT_ORIGINS)"
    )
    script_url: str = Field(description="The snippet's address, for the page's <script> tag")
    endpoint: str = Field(description="What `Boomerang.init` takes as `endpoint`")
    live_keys: int = Field(description="Storefront keys (tokens of role `storefront`) not revoked")


class IntegrationsStatus(BaseModel):
    discount_provider: Literal["builtin", "shopify", "woocommerce"]
    platforms: list[PlatformStatus]
    storefront: StorefrontStatus


class SampleEventSent(WebhookReceived):
    platform: Literal["shopify", "woocommerce"]
    topic: str = Field(description="The sample's topic, e.g. `checkouts/update`")
    delivery_id: str = Field(description="The sample's delivery id (new for every test)")
