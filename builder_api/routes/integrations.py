"""Shop platforms' webhooks (no bearer token: each call is signed with the shop's secret).

The platform modules (engine/platforms) map a payload to our events; the intake
(engine/service/platform_intake.py) ingests them as `POST /api/v1/events` does. A call whose
signature does not match is refused with 401 and leaves no trace. A payload that cannot be
mapped is answered 200 and recorded as failed: platforms retry any other answer for days,
then drop the subscription, and no retry would map it.
"""

import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, Header

from builder_api.deps import LoopSessionDep, RawBody, SettingsDep, TemporalDep
from builder_api.errors import ApiError
from builder_api.schemas.integrations import WebhookReceived
from engine.platforms import shopify, woocommerce
from engine.service import platform_intake
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
    """Shopify's webhooks (checkouts, orders, fulfilments, customers), signed with
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
