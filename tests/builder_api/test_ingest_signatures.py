"""Signed event posts: a valid HMAC signature stands in for a token; a wrong, altered or
replayed one is refused, naming why, and nothing is written."""

import json
import time
from typing import Any

import pytest
from pydantic import SecretStr
from sqlmodel import select

from engine.runtime.settings import Settings
from engine.service.signatures import sign
from engine.store.db import session_scope
from engine.store.models import Cart
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, cart_event

OLD_SECRET = "whsec-old-0123456789abcdef"
NEW_SECRET = "whsec-new-fedcba9876543210"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Two secrets, as while a shop moves from the old one to the new one."""
    secrets = SecretStr(f"{OLD_SECRET}, {NEW_SECRET}")
    return settings.model_copy(update={"ingest_signing_secret": secrets})


def _updated(cart_id: str) -> dict[str, Any]:
    return cart_event(CART_ABANDONED, cart_id, event="cart_updated")


def _signed(
    body: bytes, secret: str = NEW_SECRET, at: int | None = None, signature: str | None = None
) -> dict[str, str]:
    """Headers of a signed post."""
    timestamp = str(int(time.time()) if at is None else at)
    return {
        "Content-Type": "application/json",
        "X-Boomerang-Timestamp": timestamp,
        "X-Boomerang-Signature": signature or sign(secret, timestamp, body),
    }


def _carts(api: Api) -> list[str]:
    with session_scope(api.settings.resolved_database_url) as session:
        return sorted(cart.id for cart in session.exec(select(Cart)))


async def _post_unauthenticated(api: Api, body: bytes, headers: dict[str, str]) -> Any:
    """Without the token the test client otherwise sends."""
    api.http.headers.pop("Authorization", None)
    return await api.http.post("/api/v1/events", content=body, headers=headers)


@pytest.mark.parametrize("secret", [OLD_SECRET, NEW_SECRET])
async def test_a_signed_body_needs_no_token(api: Api, secret: str) -> None:
    body = json.dumps(_updated("cart_signed")).encode()

    response = await _post_unauthenticated(api, body, _signed(body, secret))

    assert response.status_code == 202, response.text
    assert _carts(api) == ["cart_signed"]


async def test_a_wrong_signature_is_refused_and_nothing_is_written(api: Api) -> None:
    body = json.dumps(_updated("cart_forged")).encode()

    wrong_key = await _post_unauthenticated(api, body, _signed(body, "not-the-secret"))
    malformed = await _post_unauthenticated(api, body, _signed(body, signature="sha256=zz"))
    altered = body.replace(b"cart_forged", b"cart_altered")
    tampered = await _post_unauthenticated(api, altered, _signed(body))

    for response in (wrong_key, malformed, tampered):
        assert response.status_code == 401, response.text
        assert response.json()["code"] == "invalid_signature"
        assert response.json()["message"]
    assert _carts(api) == []


async def test_a_signature_without_its_timestamp_is_refused(api: Api) -> None:
    body = json.dumps(_updated("cart_no_time")).encode()
    headers = _signed(body)
    del headers["X-Boomerang-Timestamp"]

    response = await _post_unauthenticated(api, body, headers)

    assert (response.status_code, response.json()["code"]) == (401, "invalid_signature")
    assert "X-Boomerang-Timestamp" in response.json()["message"]


# The server reads its own clock a moment after `at` is taken, on a slow host seconds later:
# a minute's margin each side of the window keeps the verdict independent of the machine's
# speed. The exact edge (300 s in, 301 s out) is tested against a fixed clock in
# tests/engine/service/test_ingest_signatures.py.
MARGIN = 60
WINDOW = 300


@pytest.mark.parametrize("skew", [-(WINDOW + MARGIN), WINDOW + MARGIN, 3600 * 24])
async def test_a_signature_outside_the_five_minute_window_has_expired(api: Api, skew: int) -> None:
    body = json.dumps(_updated("cart_replayed")).encode()
    at = int(time.time()) - skew  # a replay (positive skew) or a clock far ahead (negative)

    response = await _post_unauthenticated(api, body, _signed(body, at=at))

    assert response.status_code == 401, response.text
    assert response.json()["code"] == "signature_expired"
    assert _carts(api) == []


@pytest.mark.parametrize("skew", [-(WINDOW - MARGIN), WINDOW - MARGIN])
async def test_a_signature_inside_the_five_minute_window_is_accepted(api: Api, skew: int) -> None:
    body = json.dumps(_updated("cart_in_time")).encode()
    at = int(time.time()) - skew  # a little old (positive skew) or a clock a little ahead

    response = await _post_unauthenticated(api, body, _signed(body, at=at))

    assert response.status_code == 202, response.text
    assert _carts(api) == ["cart_in_time"]


async def test_a_replay_inside_the_window_applies_nothing_twice(api: Api) -> None:
    body = json.dumps(_updated("cart_twice")).encode()  # no event id
    headers = _signed(body)

    first = await _post_unauthenticated(api, body, headers)
    again = await _post_unauthenticated(api, body, headers)

    assert (first.status_code, again.status_code) == (202, 202)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["id"].startswith("sig_")
    assert (first.json()["duplicate"], again.json()["duplicate"]) == (False, True)


async def test_neither_token_nor_signature_is_unauthenticated(api: Api) -> None:
    body = json.dumps(_updated("cart_anonymous")).encode()

    response = await _post_unauthenticated(api, body, {"Content-Type": "application/json"})

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert "X-Boomerang-Signature" in response.json()["message"]
    assert _carts(api) == []


async def test_a_token_still_works_beside_signing(api: Api) -> None:
    response = await api.http.post("/api/v1/events", json=_updated("cart_token"))

    assert response.status_code == 202


async def test_the_signature_is_checked_before_the_body(api: Api) -> None:
    """An unsigned stranger learns nothing about what the endpoint would accept."""
    body = b"{not json"

    response = await _post_unauthenticated(api, body, _signed(b"something else"))

    assert (response.status_code, response.json()["code"]) == (401, "invalid_signature")
