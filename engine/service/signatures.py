"""Signed event posts: a shop may sign the body instead of sending a token.

The shop sends `X-Boomerang-Timestamp: <unix seconds>` and
`X-Boomerang-Signature: sha256=<hex>`, the HMAC-SHA256, keyed with the shared secret
(`BOOMERANG_INGEST_SIGNING_SECRET`), of the bytes `{timestamp}.{raw body}`: the timestamp
as sent, a full stop, then the body exactly as it went over the wire. Signing the
timestamp lets us refuse a captured request replayed more than `REPLAY_WINDOW` later;
inside the window a replay finds its events already applied (their ids, or ids derived
from the signature, repeat). Several secrets (comma-separated) are all accepted, so a
shop can move to a new one before the old one is removed.
"""

import hashlib
import hmac
import re
from datetime import timedelta

from pydantic import SecretStr

SIGNATURE_HEADER = "X-Boomerang-Signature"
TIMESTAMP_HEADER = "X-Boomerang-Timestamp"
REPLAY_WINDOW = timedelta(minutes=5)
_SIGNATURE = re.compile(r"^sha256=([0-9a-fA-F]{64})$")
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")


class SignatureRefused(Exception):
    """Why a signed request is not accepted; `code` is `invalid_signature` or
    `signature_expired`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def signing_secrets(configured: SecretStr | None) -> list[bytes]:
    """The secrets in `BOOMERANG_INGEST_SIGNING_SECRET` (comma-separated); none when unset."""
    if configured is None:
        return []
    raw = configured.get_secret_value().split(",")
    return [secret.strip().encode() for secret in raw if secret.strip()]


def sign(secret: str | bytes, timestamp: int | str, body: bytes) -> str:
    """The header value a shop sends: `sha256=<hex HMAC-SHA256 of "{timestamp}.{body}">`."""
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(
    secrets: list[bytes],
    signature: str | None,
    timestamp: str | None,
    body: bytes,
    *,
    now: float,
) -> None:
    """Accept the body if one of the secrets signed it with this timestamp, and the timestamp
    is within the replay window of `now` (unix seconds); raise `SignatureRefused` otherwise.

    The signature is checked before the window, so `signature_expired` is only ever said of
    a genuine signature (a shop's clock, or a replay), never of a forged one.
    """
    if not secrets:
        raise SignatureRefused(
            "invalid_signature",
            "this server accepts no signed events (BOOMERANG_INGEST_SIGNING_SECRET is not set); "
            "send an ingest token as `Authorization: Bearer ...`",
        )
    found = _SIGNATURE.match((signature or "").strip())
    if found is None:
        raise SignatureRefused(
            "invalid_signature", f"{SIGNATURE_HEADER} must be `sha256=` and 64 hex digits"
        )
    sent_at = (timestamp or "").strip()
    if not _TIMESTAMP.match(sent_at):
        raise SignatureRefused(
            "invalid_signature",
            f"{TIMESTAMP_HEADER} must be the signing time in unix seconds (it is signed too)",
        )
    given = found.group(1).lower()
    # Every secret is compared (no early exit), each in constant time.
    matches = [hmac.compare_digest(sign(secret, sent_at, body)[7:], given) for secret in secrets]
    if not any(matches):
        raise SignatureRefused(
            "invalid_signature",
            f"{SIGNATURE_HEADER} does not match the body: sign `{{timestamp}}.{{raw body}}` "
            "with HMAC-SHA256 and the shared secret",
        )
    skew = now - int(sent_at)
    if abs(skew) > REPLAY_WINDOW.total_seconds():
        minutes = int(REPLAY_WINDOW.total_seconds() // 60)
        direction = "old" if skew > 0 else "in the future"
        raise SignatureRefused(
            "signature_expired",
            f"the signature's timestamp is {abs(int(skew))} s {direction}: signed requests are "
            f"accepted for {minutes} minutes (check the clock; never resend a stored request)",
        )
