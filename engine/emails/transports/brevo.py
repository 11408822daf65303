"""Brevo's transactional email API (`POST /v3/smtp/email`) through brevo-python."""

import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import httpx
from brevo import (
    Brevo,
    SendTransacEmailRequestReplyTo,
    SendTransacEmailRequestSender,
    SendTransacEmailRequestToItem,
)
from brevo.core.api_error import ApiError
from brevo.core.parse_error import ParsingError

from engine.emails.transports import (
    Delivered,
    OutgoingEmail,
    PermanentFailure,
    TransientFailure,
    canonical_message_id,
)
from engine.runtime.settings import Settings

# Well inside the send action's 30 s start-to-close timeout, so a slow Brevo is retried by
# Temporal instead of timing the activity out.
TIMEOUT_SECONDS = 15.0
# The statuses brevo-python itself would retry (its own retries are off: Temporal retries, with
# the same idempotency key); every other 4xx will answer the same next time.
RETRYABLE_STATUS = frozenset({408, 409, 429})
MAX_RETRY_AFTER = timedelta(minutes=5)
TAGS = ["boomerang"]

# Brevo reads the idempotency key from the `headers` field of the JSON body. Its docs disagree
# on the name: `idempotencyKey` in the request examples (the 2021 changelog, "Idempotency for
# batch emails"), `IdempotencyKey` in prose and in brevo-python's docstring (and Brevo says it
# Title-Cases header names itself). We send the examples' spelling, the one shown on the wire.
# The value must be a UUID, and Brevo honours a key for a limited time (15 or 30 minutes, by
# doc version): a retry later than that relies on our `sending`/`sent` record alone.
IDEMPOTENCY_HEADER = "idempotencyKey"
_KEY_SALT = b"boomerang-brevo-idempotency:"  # never change it: every key would move
# Brevo echoes this header in its webhooks: which journey and step sent the email (ids only).
CUSTOM_HEADER = "X-Mailin-custom"


def brevo_idempotency_key(key: str) -> str:
    """The UUID Brevo gets for one of our idempotency keys: the same for every attempt.

    Derived from a hash in the layout of a version 4 UUID, the kind Brevo's docs generate
    (`batchId` must be one), so a validator that wants v4 takes it."""
    digest = hashlib.sha256(_KEY_SALT + key.encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


class BrevoTransport:
    name = "brevo"

    def __init__(
        self,
        *,
        api_key: str,
        sender_email: str,
        sender_name: str | None = None,
        reply_to: str | None = None,
        base_url: str = "https://api.brevo.com/v3",
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        if not api_key or not sender_email:
            raise ValueError(
                "the brevo transport needs BOOMERANG_BREVO_API_KEY and BOOMERANG_SENDER_EMAIL"
            )
        self._api_key = api_key
        self._base_url = base_url
        self._timeout = timeout
        named = {"name": sender_name} if sender_name else {}  # never `"name": null`
        self._sender = SendTransacEmailRequestSender(email=sender_email, **named)
        self._reply_to = SendTransacEmailRequestReplyTo(email=reply_to) if reply_to else None

    @classmethod
    def from_settings(cls, settings: Settings) -> "BrevoTransport":
        return cls(
            api_key=settings.brevo_api_key.get_secret_value() if settings.brevo_api_key else "",
            sender_email=settings.sender_email or "",
            sender_name=settings.sender_name or settings.shop_name,
            reply_to=settings.reply_to,
            base_url=settings.brevo_base_url,
        )

    def deliver(self, email: OutgoingEmail) -> Delivered:
        optional: dict[str, Any] = {"reply_to": self._reply_to} if self._reply_to else {}
        # A client per email: no pool outlives the call (a few emails a second at most).
        with httpx.Client(timeout=self._timeout) as http:
            client = Brevo(
                api_key=self._api_key,
                base_url=self._base_url,
                max_retries=0,
                httpx_client=http,
                # Not from BREVO_CLIENT_ID/SECRET in the environment: the API key, always.
                client_id=None,
                client_secret=None,
            )
            try:
                sent = client.transactional_emails.send_transac_email(
                    sender=self._sender,
                    to=[SendTransacEmailRequestToItem(email=email.to_email)],
                    subject=email.subject,
                    html_content=email.html,
                    text_content=email.text,
                    headers=brevo_headers(email),
                    tags=TAGS,
                    **optional,
                )
            except (ApiError, ParsingError) as error:
                raise _failure(error) from error
            except httpx.HTTPError as error:
                # Brevo may have taken the email before the connection broke: the retry
                # carries the same key.
                raise TransientFailure(f"Brevo unreachable: {type(error).__name__}") from error
        provider_id = canonical_message_id(sent.message_id) if sent.message_id else None
        return Delivered(provider_message_id=provider_id)


def brevo_headers(email: OutgoingEmail) -> dict[str, str]:
    """The email's own headers (List-Unsubscribe...), where journey and step are, and the key."""
    headers = {
        name: value for name, value in email.headers.items() if not _is_idempotency_header(name)
    }
    if email.journey_id or email.step_id:
        custom = {"journey": email.journey_id, "step": email.step_id}
        headers[CUSTOM_HEADER] = json.dumps(custom, separators=(",", ":"))
    headers[IDEMPOTENCY_HEADER] = brevo_idempotency_key(email.idempotency_key)
    return headers


def _is_idempotency_header(name: str) -> bool:
    """`Idempotency-Key`, `idempotencyKey`...: Brevo must see one key only, ours."""
    return re.sub(r"[^a-z]", "", name.lower()) == "idempotencykey"


def _failure(error: ApiError | ParsingError) -> PermanentFailure | TransientFailure:
    status = error.status_code or 0
    code = _error_code(error.body)
    summary = f"Brevo answered {status}" + (f" {code}" if code else "")
    if 200 <= status < 300:  # taken, but the answer is unreadable: ask again, same key
        return TransientFailure(f"{summary} with an answer that is not a message id")
    if status in RETRYABLE_STATUS or status >= 500:
        return TransientFailure(summary, _retry_after(error.headers or {}))
    message = f"{summary}: {_error_message(error.body)}"
    if status == 401:
        message += " (check BOOMERANG_BREVO_API_KEY)"
    return PermanentFailure(message, code=summary)


def _error_code(body: Any) -> str:
    """Brevo's error `code` (`invalid_parameter`, `unauthorized`...): never personal data."""
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, str) and re.fullmatch(r"[a-z_]{1,60}", code) else ""


def _error_message(body: Any) -> str:
    message = body.get("message") if isinstance(body, dict) else body
    return str(message)[:1000]


def _retry_after(headers: Mapping[str, str]) -> timedelta | None:
    """Brevo's wait before the next try: `Retry-After`, else its rate limit's reset (seconds)."""
    lowered = {name.lower(): value for name, value in headers.items()}
    for name in ("retry-after", "x-sib-ratelimit-reset"):
        value = lowered.get(name, "").strip()
        if value.isdigit():
            return min(timedelta(seconds=int(value)), MAX_RETRY_AFTER)
    return None
