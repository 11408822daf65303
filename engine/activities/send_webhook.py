"""POST the journey's ids to a URL of yours, signed with BOOMERANG_WEBHOOK_SECRET."""

# (That line is the builder's description of the action.) Posts go to public addresses only
# (engine/service/public_addresses.py): the host is resolved once and the post goes to the
# address that was checked, with the URL's host name as the `Host` header and as the name TLS
# checks the certificate against. Redirects are not followed.

import asyncio
import hashlib
import hmac
import json
import ssl
from datetime import timedelta

import httpx
from pydantic import AnyHttpUrl, Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from temporalio.exceptions import ApplicationError

from engine.language.actions import ActionContext, ActionParams, ActionResult, action
from engine.service.public_addresses import (
    RefusedAddress,
    is_allowed,
    resolve_public,
)
from engine.store.models import WebhookDelivery

TIMEOUT = httpx.Timeout(10.0)
# Certificates are checked against the system's CAs (certifi's); tests trust their own CA here.
VERIFY: ssl.SSLContext | bool = True
# Worth another try: the receiver is busy, slow or down, not refusing this request.
RETRYABLE_STATUS = {408, 429}
MAX_RETRY_AFTER = timedelta(minutes=5)


class SendWebhook(ActionParams):
    # As long as WebhookDelivery.url can store (checked after normalisation).
    url: AnyHttpUrl = Field(title="URL", max_length=2000)
    event: str = Field("journey.step", title="Event name", pattern=r"^[A-Za-z0-9_.:\-]{1,100}$")


@action(label="Send webhook", category="Integrations")
async def send_webhook(ctx: ActionContext, params: SendWebhook) -> ActionResult:
    # The database is blocking I/O: keep it off the worker's event loop.
    if delivered := await asyncio.to_thread(_find, ctx):
        return delivered
    if not ctx.settings.webhook_secret:
        raise ApplicationError("set BOOMERANG_WEBHOOK_SECRET", non_retryable=True)
    request = ctx.request
    body = json.dumps(
        {
            "event": params.event,
            "journey_id": request.workflow_id,
            "step_id": request.step_id,
            "automation_id": request.automation_id,
            "cart_id": request.cart_id,
            "customer_id": request.customer_id,
        }
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Boomerang-Signature": "sha256=" + sign(ctx.settings.webhook_secret, body),
        # The receiver dedupes by it: a crash after its 2xx but before we record it re-posts.
        "X-Boomerang-Idempotency-Key": ctx.idempotency_key,
    }
    url = str(params.url)
    try:
        response = await _post(httpx.URL(url), body, headers, ctx.settings.webhook_allowed_hosts)
    except RefusedAddress as refused:
        raise ApplicationError(f"webhook to {url} refused: {refused}", non_retryable=True) from None
    except (httpx.HTTPError, OSError) as error:  # DNS, refused, timeouts, resets: retried
        raise ApplicationError(f"webhook to {url} failed: {error!r}") from error
    _check(response)
    return await asyncio.to_thread(_record, ctx, url, response.status_code)


async def _post(
    url: httpx.URL, body: bytes, headers: dict[str, str], allowed_hosts: list[str]
) -> httpx.Response:
    """POST to the checked address of the URL's host (an allowed host as it resolves).
    No proxy from the environment (`trust_env=False`): the connection goes where we checked."""
    extensions: dict[str, str] = {}
    if not is_allowed(url.host, allowed_hosts):
        address = await resolve_public(url.host, url.port or _DEFAULT_PORTS[url.scheme])
        headers = {**headers, "Host": url.netloc.decode("ascii")}
        if url.scheme == "https":
            extensions["sni_hostname"] = url.host  # TLS checks the certificate for the name
        url = url.copy_with(host=str(address))
    async with httpx.AsyncClient(timeout=TIMEOUT, trust_env=False, verify=VERIFY) as client:
        return await client.post(url, content=body, headers=headers, extensions=extensions)


_DEFAULT_PORTS = {"http": 80, "https": 443}


def sign(secret: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of the raw body: what `X-Boomerang-Signature` carries after `sha256=`."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _check(response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    message = f"webhook to {response.request.url} answered {status}"
    if status in RETRYABLE_STATUS or status >= 500:
        raise ApplicationError(message, next_retry_delay=_retry_after(response))
    # Other 4xx (and redirects, which we do not follow) will answer the same next time.
    raise ApplicationError(message, non_retryable=True)


def _retry_after(response: httpx.Response) -> timedelta | None:
    """Honour a `Retry-After: <seconds>` (capped); else the journey's retry policy decides."""
    value = response.headers.get("Retry-After", "")
    return min(timedelta(seconds=int(value)), MAX_RETRY_AFTER) if value.isdigit() else None


def _find(ctx: ActionContext) -> ActionResult | None:
    with ctx.session() as session:
        return _delivered(session, ctx.idempotency_key)


def _delivered(session: Session, key: str) -> ActionResult | None:
    found = session.exec(select(WebhookDelivery).where(WebhookDelivery.idempotency_key == key))
    delivery = found.first()
    if delivery is None:
        return None
    return ActionResult(
        status="delivered",
        delivery_id=delivery.id,
        status_code=delivery.status_code,
        repeated=True,
    )


def _record(ctx: ActionContext, url: str, status_code: int) -> ActionResult:
    with ctx.session() as session:
        delivery = WebhookDelivery(
            idempotency_key=ctx.idempotency_key, url=url, status_code=status_code
        )
        session.add(delivery)
        try:
            session.flush()
        except IntegrityError:
            # A concurrent attempt of this step recorded its delivery first: that one counts.
            session.rollback()
            if delivered := _delivered(session, ctx.idempotency_key):
                return delivered
            raise
        return ActionResult(status="delivered", delivery_id=delivery.id, status_code=status_code)
