"""The Brevo transport: the real brevo-python client against a loopback Brevo, on the wire."""

import json
import uuid
from datetime import timedelta

import pytest
from pydantic import SecretStr, ValidationError

from engine.emails.transports import (
    OutgoingEmail,
    PermanentFailure,
    TransientFailure,
    transport_for,
)
from engine.emails.transports.brevo import BrevoTransport, brevo_idempotency_key
from engine.emails.transports.outbox import OutboxTransport
from engine.runtime.settings import Settings
from tests.brevo_server import API_KEY, BrevoServer

KEY = "journey:aut_1:cart_1:email-1"


def _transport(brevo: BrevoServer, api_key: str = API_KEY) -> BrevoTransport:
    return BrevoTransport(
        api_key=api_key,
        sender_email="shop@example.com",
        sender_name="Lamp Shop",
        reply_to="help@example.com",
        base_url=brevo.base_url,
    )


def _email(to: str = "jane@example.com", key: str = KEY) -> OutgoingEmail:
    return OutgoingEmail(
        idempotency_key=key,
        to_email=to,
        subject="Jane, still there?",
        html="<p>Your lamp</p>",
        text="Your lamp",
        headers={
            "Idempotency-Key": key,
            "List-Unsubscribe": "<https://shop.example.com/u/abc>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        journey_id="journey:aut_1:cart_1",
        step_id="email-1",
    )


def test_the_request_carries_the_email_the_key_and_where_it_comes_from(
    brevo: BrevoServer,
) -> None:
    delivered = _transport(brevo).deliver(_email())

    [request] = brevo.requests
    assert (request.method, request.path) == ("POST", "/v3/smtp/email")
    assert request.headers["api-key"] == API_KEY
    body = request.body
    assert body["sender"] == {"email": "shop@example.com", "name": "Lamp Shop"}
    assert body["replyTo"] == {"email": "help@example.com"}
    assert body["to"] == [{"email": "jane@example.com"}]
    assert (body["subject"], body["htmlContent"], body["textContent"]) == (
        "Jane, still there?", "<p>Your lamp</p>", "Your lamp"
    )  # fmt: skip
    assert body["tags"] == ["boomerang"]
    headers = body["headers"]
    assert json.loads(headers["X-Mailin-custom"]) == {
        "journey": "journey:aut_1:cart_1",
        "step": "email-1",
    }
    assert headers["idempotencyKey"] == brevo_idempotency_key(KEY)
    assert uuid.UUID(headers["idempotencyKey"]).version == 4, "Brevo wants a UUID (v4)"
    assert "Idempotency-Key" not in headers, "one key only, in the form Brevo reads"
    assert headers["List-Unsubscribe"] == "<https://shop.example.com/u/abc>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert delivered.provider_message_id == brevo.emails[0]["messageId"]
    assert str(delivered.provider_message_id).startswith("<")


def test_the_same_step_always_carries_the_same_key_and_another_step_another() -> None:
    assert brevo_idempotency_key(KEY) == brevo_idempotency_key(KEY)
    assert brevo_idempotency_key(KEY) != brevo_idempotency_key(KEY.replace("-1", "-2"))


def test_a_bad_address_is_a_permanent_failure(brevo: BrevoServer) -> None:
    with pytest.raises(PermanentFailure) as failure:
        _transport(brevo).deliver(_email(to="jane@localhost"))

    assert failure.value.code == "Brevo answered 400 invalid_parameter"
    assert "email is not valid" in str(failure.value)
    assert len(brevo.requests) == 1 and brevo.emails == []


def test_a_wrong_api_key_is_a_permanent_failure_that_names_the_setting(
    brevo: BrevoServer,
) -> None:
    with pytest.raises(PermanentFailure) as failure:
        _transport(brevo, api_key="xkeysib-wrong").deliver(_email())

    assert failure.value.code == "Brevo answered 401 unauthorized"
    assert "BOOMERANG_BREVO_API_KEY" in str(failure.value)


@pytest.mark.parametrize(
    ("status", "retry_after", "expected_delay"),
    [(429, 7, timedelta(seconds=7)), (429, 3600, timedelta(minutes=5)), (500, None, None),
     (503, None, None)],
)  # fmt: skip
def test_rate_limits_and_outages_are_transient_and_not_retried_by_the_client(
    brevo: BrevoServer, status: int, retry_after: int | None, expected_delay: timedelta | None
) -> None:
    brevo.fail_next(status, retry_after=retry_after)

    with pytest.raises(TransientFailure) as failure:
        _transport(brevo).deliver(_email())

    assert failure.value.retry_after == expected_delay
    assert str(failure.value).startswith(f"Brevo answered {status}")
    assert "jane@example.com" not in str(failure.value)
    assert len(brevo.requests) == 1, "brevo-python's own retries are off: Temporal retries"


def test_an_unreachable_brevo_is_transient(brevo: BrevoServer) -> None:
    transport = BrevoTransport(
        api_key=API_KEY, sender_email="shop@example.com", base_url="http://127.0.0.1:1/v3"
    )

    with pytest.raises(TransientFailure, match="Brevo unreachable: ConnectError"):
        transport.deliver(_email())
    assert brevo.requests == []


def test_the_setting_chooses_the_transport() -> None:
    assert isinstance(transport_for(Settings()), OutboxTransport)
    brevo = Settings(
        email_transport="brevo",
        brevo_api_key=SecretStr("xkeysib-1"),
        sender_email="shop@example.com",
        shop_name="Lamp Shop",
    )

    chosen = transport_for(brevo)

    assert isinstance(chosen, BrevoTransport) and chosen.name == "brevo"


def test_brevo_without_a_key_or_a_sender_refuses_to_start() -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(email_transport="brevo")

    message = str(refused.value)
    assert "BOOMERANG_BREVO_API_KEY and BOOMERANG_SENDER_EMAIL" in message
    with pytest.raises(ValidationError, match="needs BOOMERANG_SENDER_EMAIL"):
        Settings(email_transport="brevo", brevo_api_key=SecretStr("xkeysib-1"))
