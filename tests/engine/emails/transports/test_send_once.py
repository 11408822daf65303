"""The send-once protocol: `sending` is committed before the provider call, a retry delivers
with the same key, `sent` is final, and a permanent refusal is recorded and never retried.

Each attempt runs as an activity would (ActivityEnvironment), with the real brevo-python
client talking to the loopback Brevo.
"""

from collections.abc import Callable

import pytest
from sqlmodel import select
from temporalio import activity
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from engine.emails.transports import OutgoingEmail, Sent, Transport, send_once
from engine.emails.transports.brevo import BrevoTransport, brevo_idempotency_key
from engine.emails.transports.outbox import OutboxTransport
from engine.runtime.settings import Settings
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import Message
from tests.brevo_server import API_KEY, BrevoServer

KEY = "journey:aut_1:cart_1:email-1"
Attempt = Callable[[str], Sent]


def _attempt(settings: Settings, transport: Transport, to: str = "jane@example.com") -> Attempt:
    """What the send action does once it rendered the email: one activity attempt."""

    @activity.defn(name="send_email")
    def send_step(subject: str) -> Sent:
        email = OutgoingEmail(
            idempotency_key=KEY,
            to_email=to,
            subject=subject,
            html=f"<p>{subject}</p>",
            text=subject,
            headers={"Idempotency-Key": KEY},
            journey_id="journey:aut_1:cart_1",
            step_id="email-1",
        )
        with session_scope(settings.resolved_database_url) as session:
            return send_once(session, transport, email, automation_id="aut_1", cart_id="cart_1")

    return send_step


def _run(attempt: Attempt, subject: str = "Still there?") -> Sent:
    """One attempt in an activity context (a plain function runs right here, as in a thread)."""
    result = ActivityEnvironment().run(attempt, subject)
    assert isinstance(result, Sent)
    return result


def _messages(settings: Settings) -> list[Message]:
    with session_scope(settings.resolved_database_url) as session:
        return list(session.exec(select(Message)).all())


@pytest.fixture
def brevo_attempt(settings: Settings, brevo: BrevoServer) -> Attempt:
    prepare(settings)
    transport = BrevoTransport(
        api_key=API_KEY, sender_email="shop@example.com", base_url=brevo.base_url
    )
    return _attempt(settings, transport)


def test_the_outbox_stores_the_email_once(settings: Settings) -> None:
    prepare(settings)
    attempt = _attempt(settings, OutboxTransport())

    first = _run(attempt)
    retry = _run(attempt)

    [message] = _messages(settings)
    assert (first.message_id, first.repeated) == (message.id, False)
    assert (retry.message_id, retry.repeated) == (message.id, True)
    assert (message.status, message.transport, message.provider_message_id) == (
        "sent", "outbox", None
    )  # fmt: skip
    assert (message.idempotency_key, message.automation_id, message.step_id) == (
        KEY, "aut_1", "email-1"
    )  # fmt: skip
    assert message.sent_at is not None


def test_a_retry_after_a_5xx_sends_one_email(
    settings: Settings, brevo: BrevoServer, brevo_attempt: Attempt
) -> None:
    brevo.fail_next(500)

    with pytest.raises(ApplicationError) as failure:
        _run(brevo_attempt)
    assert not failure.value.non_retryable and failure.value.type == "EmailDeferred"
    [pending] = _messages(settings)
    assert pending.status == "sending", "recorded before Brevo was called"
    sent = _run(brevo_attempt)
    again = _run(brevo_attempt)

    [message] = _messages(settings)
    assert (message.status, message.transport) == ("sent", "brevo")
    assert message.provider_message_id == sent.provider_message_id == brevo.emails[0]["messageId"]
    assert again.repeated and again.message_id == sent.message_id == message.id
    assert len(brevo.emails) == 1
    keys = [request.body["headers"]["idempotencyKey"] for request in brevo.requests]
    assert keys == [brevo_idempotency_key(KEY)] * 2, "the retry carries the same key"


def test_an_answer_lost_on_the_way_back_does_not_send_twice(
    settings: Settings, brevo: BrevoServer, brevo_attempt: Attempt
) -> None:
    brevo.drop_next()  # Brevo takes the email; the connection breaks before its answer

    with pytest.raises(ApplicationError) as failure:
        _run(brevo_attempt)
    assert not failure.value.non_retryable
    sent = _run(brevo_attempt)

    [message] = _messages(settings)
    assert message.status == "sent"
    assert len(brevo.requests) == 2 and len(brevo.emails) == 1
    assert {r.body["headers"]["idempotencyKey"] for r in brevo.requests} == {
        brevo_idempotency_key(KEY)
    }
    assert sent.provider_message_id == brevo.emails[0]["messageId"]


def test_a_retry_sends_what_the_first_attempt_stored(
    settings: Settings, brevo: BrevoServer, brevo_attempt: Attempt
) -> None:
    brevo.fail_next(503)
    with pytest.raises(ApplicationError):
        _run(brevo_attempt, subject="First render")

    _run(brevo_attempt, subject="Second render")

    assert [r.body["subject"] for r in brevo.requests] == ["First render", "First render"]
    [message] = _messages(settings)
    assert message.subject == "First render"


def test_a_rate_limit_asks_temporal_to_wait_as_brevo_says(
    brevo: BrevoServer, brevo_attempt: Attempt
) -> None:
    brevo.fail_next(429, retry_after=12)

    with pytest.raises(ApplicationError) as failure:
        _run(brevo_attempt)

    assert not failure.value.non_retryable
    assert failure.value.next_retry_delay is not None
    assert failure.value.next_retry_delay.total_seconds() == 12


def test_a_refused_address_is_recorded_as_failed_and_never_retried(
    settings: Settings, brevo: BrevoServer
) -> None:
    prepare(settings)
    transport = BrevoTransport(
        api_key=API_KEY, sender_email="shop@example.com", base_url=brevo.base_url
    )
    attempt = _attempt(settings, transport, to="jane@localhost")

    with pytest.raises(ApplicationError) as failure:
        _run(attempt)
    with pytest.raises(ApplicationError) as again:
        _run(attempt)

    assert failure.value.non_retryable and failure.value.type == "EmailRejected"
    assert "400 invalid_parameter" in str(failure.value)
    assert "jane@localhost" not in str(failure.value), "no address travels into Temporal"
    assert failure.value.__cause__ is None and failure.value.__suppress_context__, (
        "nor in the cause chain Temporal records"
    )
    assert again.value.non_retryable
    [message] = _messages(settings)
    assert message.status == "failed"
    assert message.error == "Brevo answered 400 invalid_parameter: email is not valid in to"
    assert len(brevo.requests) == 1, "a refused email is not offered again"


def test_a_wrong_api_key_fails_the_email_for_good(settings: Settings, brevo: BrevoServer) -> None:
    prepare(settings)
    transport = BrevoTransport(
        api_key="xkeysib-revoked", sender_email="shop@example.com", base_url=brevo.base_url
    )

    with pytest.raises(ApplicationError) as failure:
        _run(_attempt(settings, transport))

    assert failure.value.non_retryable
    [message] = _messages(settings)
    assert message.status == "failed" and "401" in (message.error or "")
