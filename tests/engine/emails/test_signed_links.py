"""Link tokens: what we signed comes back; anything else is refused."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from engine.emails.signed_links import (
    ExpiredLink,
    InvalidLink,
    LinkClaims,
    sign,
    unsubscribe_headers,
    verify,
)

SECRET = b"a-test-secret-of-some-length"
NOW = datetime(2024, 1, 15, 14, 30, tzinfo=UTC)
KEY = "journey:aut_1:cart_abc123:email-1"
RECOVERY = LinkClaims("r", "cart_abc123", KEY, NOW + timedelta(days=30))


def _flip(token: str, position: int) -> str:
    replacement = "A" if token[position] != "A" else "B"
    return token[:position] + replacement + token[position + 1 :]


def test_a_signed_token_verifies_to_its_claims() -> None:
    token = sign(SECRET, RECOVERY)

    assert verify(SECRET, token, "r", NOW) == RECOVERY
    assert all(c.isalnum() or c in "-_." for c in token), "URL-safe as it is"


def test_an_unsubscribe_token_without_expiry_never_expires() -> None:
    claims = LinkClaims("u", "cus_1", KEY)

    assert verify(SECRET, sign(SECRET, claims), "u", NOW + timedelta(days=3650)) == claims


@pytest.mark.parametrize("position", [0, 10, -1, -20])
def test_a_flipped_character_anywhere_is_refused(position: int) -> None:
    token = sign(SECRET, RECOVERY)

    with pytest.raises(InvalidLink) as refused:
        verify(SECRET, _flip(token, position), "r", NOW)

    assert not isinstance(refused.value, ExpiredLink)


def test_a_payload_rewritten_for_another_cart_is_refused() -> None:
    token = sign(SECRET, RECOVERY)
    signature = token.split(".")[1]
    other = json.dumps([1, "r", "cart_other", KEY, 4102444800]).encode()
    forged = base64.urlsafe_b64encode(other).rstrip(b"=").decode() + "." + signature

    with pytest.raises(InvalidLink):
        verify(SECRET, forged, "r", NOW)


def test_another_secret_or_kind_is_refused() -> None:
    token = sign(SECRET, RECOVERY)

    with pytest.raises(InvalidLink):
        verify(b"another-secret-entirely", token, "r", NOW)
    with pytest.raises(InvalidLink, match="not a 'u' link"):
        verify(SECRET, token, "u", NOW)


def test_an_expired_token_is_told_apart_from_a_forged_one() -> None:
    token = sign(SECRET, RECOVERY)

    with pytest.raises(ExpiredLink):
        verify(SECRET, token, "r", NOW + timedelta(days=30))


def test_a_link_that_worked_is_refused_when_replayed_after_its_expiry() -> None:
    token = sign(SECRET, RECOVERY)
    assert RECOVERY.expires_at is not None

    assert verify(SECRET, token, "r", RECOVERY.expires_at - timedelta(seconds=1)) == RECOVERY
    with pytest.raises(ExpiredLink):
        verify(SECRET, token, "r", RECOVERY.expires_at)


def test_an_expiry_moved_in_the_payload_breaks_the_signature() -> None:
    """Re-encoding the payload with a later expiry (or none) is a forgery, not a renewal."""
    payload, signature = sign(SECRET, RECOVERY).split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    for expires in (body[4] + 86_400 * 365, 0):
        moved = base64.urlsafe_b64encode(json.dumps([*body[:4], expires]).encode())
        with pytest.raises(InvalidLink, match="signature"):
            verify(SECRET, f"{moved.decode().rstrip('=')}.{signature}", "r", NOW)


@pytest.mark.parametrize(
    "token", ["", ".", "abc", "a.b.c", "ü.ß", "x" * 5000 + ".y", "e30.e30", "%00.%00"]
)
def test_garbage_is_refused(token: str) -> None:
    with pytest.raises(InvalidLink):
        verify(SECRET, token, "r", NOW)


def test_the_token_carries_ids_only() -> None:
    payload = sign(SECRET, LinkClaims("u", "cus_1", KEY)).split(".")[0]

    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))

    assert json.loads(decoded) == [1, "u", "cus_1", KEY, 0]


def test_the_one_click_headers_follow_rfc_8058() -> None:
    assert unsubscribe_headers("https://shop.example/u/abc") == {
        "List-Unsubscribe": "<https://shop.example/u/abc>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def test_the_longest_ids_still_make_a_token_that_verifies() -> None:
    cart_id = "ü" * 200
    claims = LinkClaims("r", cart_id, f"journey:aut_123456789012:{cart_id}:{'s' * 64}", None)

    assert verify(SECRET, sign(SECRET, claims), "r", NOW) == claims
