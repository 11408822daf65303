"""Webhooks providers call: Brevo's delivery reports (a shared secret, not an API token)."""

import base64
import binascii
import hmac
import json
from typing import Any

from fastapi import APIRouter, Request

from builder_api.deps import OptionalTemporalDep, SessionDep, SettingsDep
from builder_api.errors import ApiError
from builder_api.schemas.webhooks import BrevoWebhookResult
from engine.runtime.settings import Settings
from engine.service.deliveries import record_brevo_events

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

_EVENT_SCHEMA = {
    "type": "object",
    "description": "A Brevo transactional webhook event (`event`, `message-id`, `ts_event`...)",
    "properties": {
        "event": {"type": "string"},
        "message-id": {"type": "string"},
        "ts_event": {"type": "integer"},
    },
}


@router.post(
    "/brevo",
    openapi_extra={
        "security": [],
        "parameters": [
            {"name": "secret", "in": "query", "required": False, "schema": {"type": "string"},
             "description": "BOOMERANG_BREVO_WEBHOOK_SECRET, unless sent as a Bearer token "
                            "or as the password of Basic auth"},
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {
                "oneOf": [_EVENT_SCHEMA, {"type": "array", "items": _EVENT_SCHEMA}],
            }}},
        },
    },
)  # fmt: skip
async def brevo_webhook(
    request: Request, session: SessionDep, settings: SettingsDep, client: OptionalTemporalDep
) -> BrevoWebhookResult:
    """Record Brevo's delivery reports (one event or a list) for the messages we sent."""
    _check_secret(request, settings)
    try:
        payload: Any = json.loads(await request.body())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ApiError(400, "invalid_json", f"the body is not JSON: {error}") from error
    if not isinstance(payload, dict | list):
        raise ApiError(400, "invalid_event", "send one event (an object) or a list of events")
    events = payload if isinstance(payload, list) else [payload]
    recorded = await record_brevo_events(session, settings, client, events)
    return BrevoWebhookResult(**vars(recorded))


def _check_secret(request: Request, settings: Settings) -> None:
    """Brevo does not sign its webhooks: the URL (`?secret=`, or `https://user:SECRET@...`,
    which arrives as Basic auth) or a Bearer token carries the shared secret."""
    secret = settings.brevo_webhook_secret
    expected = secret.get_secret_value().encode() if secret else b""
    if not expected:
        raise ApiError(
            401, "webhook_disabled", "set BOOMERANG_BREVO_WEBHOOK_SECRET to accept Brevo webhooks"
        )
    offered = [request.query_params.get("secret", ""), _from_authorization(request)]
    # Constant time, every candidate compared: the answer tells nothing about the secret.
    matches = [hmac.compare_digest(candidate.encode(), expected) for candidate in offered]
    if not any(matches):
        raise ApiError(401, "invalid_secret", "the webhook secret is missing or wrong")


def _from_authorization(request: Request) -> str:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]
    return ""
