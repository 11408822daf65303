"""Shop platforms' webhooks (no bearer token: each call is signed with the shop's secret), and
the Integrations page's status and "send a test event" (admins; developers read the status).

The platform modules (engine/platforms) map a payload to our events; the intake
(engine/service/platform_intake.py) ingests them as `POST /api/v1/events` does. A call whose
signature does not match is refused with 401 and leaves no trace. A payload that cannot be
mapped is answered 200 and recorded as failed: platforms retry any other answer for days,
then drop the subscription, and no retry would map it.
"""

import json
import re
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request

from builder_api.deps import (
    LoopSessionDep,
    RawBody,
    SessionDep,
    SettingsDep,
    TemporalDep,
    require,
)
from builder_api.errors import ApiError
from builder_api.schemas.integrations import (
    IntegrationsStatus,
    PlatformStatus,
    SampleEventSent,
    StorefrontStatus,
    WebhookReceived,
)
from engine.platforms import shopify, woocommerce
from engine.service import integrations, platform_intake
from engine.service.auth import Role
from engine.service.integrations import Platform
from engine.service.platform_intake import Mapper

router = APIRouter(prefix="/integrations", tags=["integrations"])
_WOOCOMMERCE_PING = re.compile(rb"webhook_id=\d{1,20}")


def _payload(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ApiError(400, "invalid_json", f"the body is not JSON: {error}") from error
    if not isinstance(payload, dict):
        raise ApiError(400, "invalid_json", "the body must be a JSON object")
    return payload


def _refused(header: str, setting: str) -> ApiError:
    return ApiError(
        401,
        "invalid_signature",
        f"{header} does not match the body (base64 HMAC-SHA256 of the raw body, keyed with "
        f"{setting})",
    )


async def _receive(session: LoopSessionDep, client: TemporalDep, settings: SettingsDep, *,
                   platform: str, mapper: Mapper, delivery_id: str | None, topic: str | None,
                   body: bytes) -> WebhookReceived:  # fmt: skip
    received = await platform_intake.receive(
        session,
        client,
        settings,
        platform=platform,
        delivery_id=platform_intake.delivery_id_of(delivery_id, body),
        topic=(topic or "").strip()[:100],
        payload=_payload(body),
        mapper=mapper,
    )
    return WebhookReceived(result=received.result, events=received.event_ids,
                           detail=received.detail)  # fmt: skip


@router.post("/shopify/webhooks", responses={401: {"description": "Bad or missing signature"}})
async def shopify_webhook(
    session: LoopSessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    body: RawBody,
    hmac_header: Annotated[str | None, Header(alias="X-Shopify-Hmac-Sha256")] = None,
    topic: Annotated[str | None, Header(alias="X-Shopify-Topic")] = None,
    webhook_id: Annotated[str | None, Header(alias="X-Shopify-Webhook-Id")] = None,
) -> WebhookReceived:
    """Shopify's webhooks (checkouts, orders, fulfilments, customers, and the mandatory
    privacy topics `customers/data_request`, `customers/redact`, `shop/redact`), signed with
    BOOMERANG_SHOPIFY_WEBHOOK_SECRET; a repeated `X-Shopify-Webhook-Id` applies once."""
    if not platform_intake.signature_matches(settings.shopify_webhook_secret, body, hmac_header):
        raise _refused("X-Shopify-Hmac-Sha256", "BOOMERANG_SHOPIFY_WEBHOOK_SECRET")
    return await _receive(session, client, settings, platform=shopify.PLATFORM,
                          mapper=shopify.to_events, delivery_id=webhook_id, topic=topic,
                          body=body)  # fmt: skip


@router.post("/woocommerce/webhooks", responses={401: {"description": "Bad or missing signature"}})
async def woocommerce_webhook(
    session: LoopSessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    body: RawBody,
    signature: Annotated[str | None, Header(alias="X-WC-Webhook-Signature")] = None,
    topic: Annotated[str | None, Header(alias="X-WC-Webhook-Topic")] = None,
    delivery_id: Annotated[str | None, Header(alias="X-WC-Webhook-Delivery-ID")] = None,
) -> WebhookReceived:
    """WooCommerce's order webhooks, signed with BOOMERANG_WOOCOMMERCE_WEBHOOK_SECRET; the
    unsigned ping WooCommerce sends when a webhook is created is answered and stores nothing."""
    # The ping is a form body `webhook_id=<id>` without any X-WC-* header; WooCommerce
    # reports an error to the shop owner unless it is answered 200 (WC_Webhook::deliver_ping).
    if signature is None and _WOOCOMMERCE_PING.fullmatch(body.strip()):
        return WebhookReceived(result="ping", events=[])
    if not platform_intake.signature_matches(settings.woocommerce_webhook_secret, body, signature):
        raise _refused("X-WC-Webhook-Signature", "BOOMERANG_WOOCOMMERCE_WEBHOOK_SECRET")
    return await _receive(session, client, settings, platform=woocommerce.PLATFORM,
                          mapper=woocommerce.to_events,
                          delivery_id=woocommerce.delivery_id(delivery_id, body), topic=topic,
                          body=body)  # fmt: skip


# -- the Integrations page --------------------------------------------------------------------

# Served by the storefront snippet's route (the path the docs and the Settings page give shops).
SNIPPET_PATH = "/sdk/boomerang.js"
_WEBHOOK_ROUTES: dict[Platform, str] = {
    "shopify": "shopify_webhook",
    "woocommerce": "woocommerce_webhook",
}


@router.get("", dependencies=[require(Role.developer)])
def integrations_status(
    session: SessionDep, settings: SettingsDep, request: Request
) -> IntegrationsStatus:
    """Per shop platform: set up or not, the webhook URL to paste, whether the secret is set
    (never its value), the last delivery and what each result counted; the storefront's
    allowed origins, snippet and live keys."""
    found = integrations.status(session, settings)
    public_url = settings.resolved_public_url
    return IntegrationsStatus(
        discount_provider=settings.discount_provider,
        platforms=[
            PlatformStatus.model_validate(
                {
                    **asdict(platform),
                    "configured": platform.secret_configured,
                    "webhook_url": public_url
                    + request.app.url_path_for(_WEBHOOK_ROUTES[platform.platform]),
                }
            )
            for platform in found.platforms
        ],
        storefront=StorefrontStatus(
            **asdict(found.storefront), script_url=public_url + SNIPPET_PATH, endpoint=public_url
        ),
    )


@router.post(
    "/{platform}/test",
    dependencies=[require()],
    responses={409: {"description": "The platform's webhook secret is not set"}},
)
async def send_test_event(
    platform: Platform, session: LoopSessionDep, client: TemporalDep, settings: SettingsDep
) -> SampleEventSent:
    """Send a signed sample delivery (Shopify `checkouts/update`, WooCommerce `order.updated`,
    for test@example.com) through the platform's webhook handler, as the platform would, and
    say what it became; 409 `not_configured` while the platform's secret is not set."""
    sample = integrations.sample_delivery(settings, platform)
    if platform == "shopify":
        received = await shopify_webhook(session, client, settings, sample.body,
                                         hmac_header=sample.signature, topic=sample.topic,
                                         webhook_id=sample.delivery_id)  # fmt: skip
    else:
        received = await woocommerce_webhook(session, client, settings, sample.body,
                                             signature=sample.signature, topic=sample.topic,
                                             delivery_id=sample.delivery_id)  # fmt: skip
    return SampleEventSent(**received.model_dump(), platform=platform, topic=sample.topic,
                           delivery_id=sample.delivery_id)  # fmt: skip
