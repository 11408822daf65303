"""The signature scheme itself: what is signed, the replay window, rotation."""

import hashlib
import hmac

import pytest
from pydantic import SecretStr

from engine.service.signatures import SignatureRefused, sign, signing_secrets, verify

BODY = b'{"event": "cart_updated"}'
NOW = 1_700_000_000


def test_the_signature_covers_the_timestamp_a_full_stop_and_the_raw_body() -> None:
    expected = hmac.new(b"s3cret", b"1700000000." + BODY, hashlib.sha256).hexdigest()

    assert sign("s3cret", NOW, BODY) == f"sha256={expected}"


def test_a_valid_signature_within_the_window_passes() -> None:
    for skew in (-300, 0, 300):
        verify([b"s3cret"], sign("s3cret", NOW, BODY), str(NOW), BODY, now=NOW + skew)


def test_upper_case_hex_and_spaces_are_accepted() -> None:
    signature = "  sha256=" + sign("s3cret", NOW, BODY)[7:].upper() + " "

    verify([b"s3cret"], signature, f" {NOW} ", BODY, now=NOW)


def test_any_of_the_configured_secrets_signs() -> None:
    secrets = signing_secrets(SecretStr(" old-secret ,new-secret,, "))

    assert secrets == [b"old-secret", b"new-secret"]
    verify(secrets, sign("old-secret", NOW, BODY), str(NOW), BODY, now=NOW)
    verify(secrets, sign("new-secret", NOW, BODY), str(NOW), BODY, now=NOW)


@pytest.mark.parametrize(
    ("signature", "timestamp", "body", "secrets", "code"),
    [
        (sign("other", NOW, BODY), str(NOW), BODY, [b"s3cret"], "invalid_signature"),
        (sign("s3cret", NOW, BODY), str(NOW), BODY + b" ", [b"s3cret"], "invalid_signature"),
        (sign("s3cret", NOW, BODY), str(NOW + 1), BODY, [b"s3cret"], "invalid_signature"),
        (sign("s3cret", NOW, BODY), None, BODY, [b"s3cret"], "invalid_signature"),
        (sign("s3cret", NOW, BODY), "1.5", BODY, [b"s3cret"], "invalid_signature"),
        ("md5=abc", str(NOW), BODY, [b"s3cret"], "invalid_signature"),
        (None, str(NOW), BODY, [b"s3cret"], "invalid_signature"),
        (sign("s3cret", NOW, BODY), str(NOW), BODY, [], "invalid_signature"),
    ],
    ids=["wrong-secret", "body-changed", "timestamp-changed", "no-timestamp",
         "odd-timestamp", "other-scheme", "no-signature", "no-secret-configured"],
)  # fmt: skip
def test_what_does_not_match_is_an_invalid_signature(
    signature: str | None, timestamp: str | None, body: bytes, secrets: list[bytes], code: str
) -> None:
    with pytest.raises(SignatureRefused) as refused:
        verify(secrets, signature, timestamp, body, now=NOW)

    assert refused.value.code == code
    assert refused.value.message


@pytest.mark.parametrize("skew", [301, -301, 86_400])
def test_a_genuine_signature_outside_five_minutes_has_expired(skew: int) -> None:
    with pytest.raises(SignatureRefused) as refused:
        verify([b"s3cret"], sign("s3cret", NOW, BODY), str(NOW), BODY, now=NOW + skew)

    assert refused.value.code == "signature_expired"
    assert "5 minutes" in refused.value.message


def test_a_forged_old_signature_is_invalid_not_expired() -> None:
    """`signature_expired` is only said of a signature one of our secrets made."""
    with pytest.raises(SignatureRefused) as refused:
        verify([b"s3cret"], sign("guess", NOW, BODY), str(NOW), BODY, now=NOW + 3600)

    assert refused.value.code == "invalid_signature"


def test_no_secret_means_no_signed_events() -> None:
    assert signing_secrets(None) == []
    assert signing_secrets(SecretStr(" , ")) == []
