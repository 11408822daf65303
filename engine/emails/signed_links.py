"""Signed link tokens for recovery (`r`) and unsubscribe (`u`) links. Pure: no I/O, no clock.

A token is `<payload>.<signature>`, both base64url without padding. The payload is the JSON
array `[1, kind, subject, message_key, expires]`: the format version, the link's kind, the
cart id (`r`) or customer id (`u`), the idempotency key of the email that carries the link,
and the expiry in epoch seconds (0: never). Only ids travel, never an address or a name;
the payload is readable by whoever holds the link, the signature makes it unforgeable.
The signature is HMAC-SHA256 with the link secret over the encoded payload, so the bytes
that were signed are exactly the bytes that are checked.
"""

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, cast, get_args

LinkKind = Literal["r", "u"]
KINDS: tuple[str, ...] = get_args(LinkKind)
VERSION = 1
# Longer than any token we sign (a cart id and a message key of a few hundred characters,
# even non-ASCII): anything bigger is refused before it is decoded.
MAX_TOKEN_LENGTH = 4096
_DOMAIN = b"boomerang-link:"  # keeps these signatures apart from any other use of the secret


class InvalidLink(Exception):
    """Not a token we signed for this purpose: tampered, truncated, or of another kind."""


class ExpiredLink(InvalidLink):
    """A token we signed, intact, but past its expiry."""


@dataclass(frozen=True)
class LinkClaims:
    kind: LinkKind
    subject: str  # the cart id (`r`) or the customer id (`u`)
    message_key: str  # `{workflow_id}:{step_id}` of the email the link is in
    expires_at: datetime | None = None  # None: the link never expires


def sign(secret: bytes, claims: LinkClaims) -> str:
    expires = int(claims.expires_at.timestamp()) if claims.expires_at else 0
    body = [VERSION, claims.kind, claims.subject, claims.message_key, expires]
    payload = _encode(json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{payload}.{_signature(secret, payload)}"


def verify(secret: bytes, token: str, kind: LinkKind, now: datetime) -> LinkClaims:
    """The claims of a token we signed for `kind`; raises `InvalidLink` or `ExpiredLink`.

    The signature is checked (in constant time) before anything in the payload is read.
    """
    if len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
        raise InvalidLink("not a link token")
    payload, signature = token.split(".")
    if not hmac.compare_digest(signature.encode(), _signature(secret, payload).encode()):
        raise InvalidLink("the signature does not match")
    claims = _decode_claims(payload)
    if claims.kind != kind:
        raise InvalidLink(f"a {claims.kind!r} link, not a {kind!r} link")
    if claims.expires_at is not None and claims.expires_at <= now:
        raise ExpiredLink(f"the link expired at {claims.expires_at.isoformat()}")
    return claims


def unsubscribe_headers(url: str) -> dict[str, str]:
    """The RFC 8058 one-click headers: mail clients POST `List-Unsubscribe=One-Click` to `url`."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _signature(secret: bytes, payload: str) -> str:
    return _encode(hmac.new(secret, _DOMAIN + payload.encode(), hashlib.sha256).digest())


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode_claims(payload: str) -> LinkClaims:
    """Only reached for payloads we signed; still checked, a bug must not read as a claim."""
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        body = json.loads(raw)
    except (binascii.Error, ValueError) as error:
        raise InvalidLink("the payload is not readable") from error
    match body:
        case [1, str() as kind, str() as subject, str() as message_key, int() as expires] if (
            kind in KINDS and subject and expires >= 0
        ):
            expires_at = datetime.fromtimestamp(expires, UTC) if expires else None
            return LinkClaims(cast(LinkKind, kind), subject, message_key, expires_at)
    raise InvalidLink("the payload is not a link's")
