"""Every secret a caller offers is compared in constant time (`hmac.compare_digest`), and a
forged value never gets further than a refusal: a link's signature, a signed event post, a
Shopify or WooCommerce webhook's HMAC, Brevo's webhook secret. API tokens are looked up by
their SHA-256, never compared: the database holds no token value to compare with.

A spy stands in for `hmac.compare_digest` (and still compares): a check that compared with
`==` would leave the spy without the call this test expects, and fail."""

import hashlib
import hmac
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from sqlmodel import select
from starlette.requests import Request

from builder_api.errors import ApiError
from builder_api.routes.webhooks import _check_secret
from engine.emails import signed_links
from engine.runtime.settings import Settings
from engine.service import platform_intake, signatures
from engine.service.auth import Role, create_token, find_token
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import ApiToken

SECRET = "s3cret-0f-sixteen-chars"
WRONG = "s3cret-0f-sixteen-charz"  # as long, one character off


class Spy:
    def __init__(self, real: Callable[[bytes | str, bytes | str], bool]) -> None:
        self.real, self.calls = real, 0

    def __call__(self, a: bytes | str, b: bytes | str) -> bool:
        self.calls += 1
        return self.real(a, b)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    spy = Spy(hmac.compare_digest)
    monkeypatch.setattr(hmac, "compare_digest", spy)
    return spy


def test_a_link_signature_is_compared_in_constant_time(spy: Spy) -> None:
    claims = signed_links.LinkClaims("r", "cart_1", "journey:a:cart_1:email-1")
    forged = signed_links.sign(WRONG.encode(), claims)

    with pytest.raises(signed_links.InvalidLink):
        signed_links.verify(SECRET.encode(), forged, "r", datetime.now(UTC))

    assert spy.calls == 1


def test_a_signed_event_post_is_compared_in_constant_time_with_every_secret(spy: Spy) -> None:
    now = int(time.time())
    forged = signatures.sign(WRONG, now, b"{}")

    with pytest.raises(signatures.SignatureRefused):
        signatures.verify([SECRET.encode(), b"another-secret"], forged, str(now), b"{}", now=now)

    assert spy.calls == 2, "every configured secret is compared, none skipped"


@pytest.mark.parametrize("given", ["forged", "ÿ-not-ascii-ÿ", "€uro"])
def test_a_platform_webhook_hmac_is_compared_in_constant_time(spy: Spy, given: str) -> None:
    """Shopify and WooCommerce share the scheme; a header holding non-ASCII characters is a
    mismatch too, not an error (`compare_digest` raises on such a str)."""
    forged = platform_intake.platform_signature(WRONG, b"{}") if given == "forged" else given

    assert not platform_intake.signature_matches(SecretStr(SECRET), b"{}", forged)
    assert spy.calls == 1
    genuine = platform_intake.platform_signature(SECRET, b"{}")
    assert platform_intake.signature_matches(SecretStr(SECRET), b"{}", genuine)


def _brevo_call(authorization: str = "", query: str = "") -> Request:
    headers = [(b"authorization", authorization.encode())] if authorization else []
    scope = {"type": "http", "method": "POST", "path": "/api/v1/webhooks/brevo",
             "headers": headers, "query_string": query.encode()}  # fmt: skip
    return Request(scope)


@pytest.mark.parametrize(
    "call",
    [
        _brevo_call(authorization=f"Bearer {WRONG}"),
        _brevo_call(query=f"secret={WRONG}"),
        _brevo_call(authorization="Basic YnJldm86czNjcmV0LTBmLXNpeHRlZW4tY2hhcno="),  # :WRONG
    ],
)
def test_the_brevo_webhook_secret_is_compared_in_constant_time(spy: Spy, call: Request) -> None:
    settings = Settings(brevo_webhook_secret=SecretStr(SECRET))

    with pytest.raises(ApiError) as refused:
        _check_secret(call, settings)

    assert (refused.value.status, refused.value.code) == (401, "invalid_secret")
    assert spy.calls == 2, "the query and the Authorization header are both compared"


def test_an_api_token_is_found_by_its_hash_and_never_stored(settings: Settings) -> None:
    prepare(settings)
    with session_scope(settings.resolved_database_url) as session:
        token, raw = create_token(session, "checker", Role.support)
    with session_scope(settings.resolved_database_url) as session:
        rows = session.exec(select(ApiToken)).all()
        stored = [str(value) for row in rows for value in row.model_dump().values()]
        found = find_token(session, raw)
        near_miss = find_token(session, raw[:-1] + ("A" if raw[-1] != "A" else "B"))

    assert found is not None and found.id == token.id
    assert near_miss is None
    assert hashlib.sha256(raw.encode()).hexdigest() in stored
    assert not any(raw in value for value in stored), "no column holds the token's value"


def test_an_expired_link_stays_refused_whatever_else_is_sent(spy: Spy) -> None:
    """Expiry is read from the signed payload, after the signature: no caller can move it."""
    claims = signed_links.LinkClaims(
        "r", "cart_1", "journey:a:cart_1:email-1", datetime.now(UTC) - timedelta(seconds=1)
    )
    token = signed_links.sign(SECRET.encode(), claims)

    with pytest.raises(signed_links.ExpiredLink):
        signed_links.verify(SECRET.encode(), token, "r", datetime.now(UTC))
    assert spy.calls == 1
