"""Test sends of a template: recorded like every email, but no journey's.

A test send is a Message without an automation (like the frequency cap, analytics count
journey emails only: `automation_id IS NOT NULL`), under a key with `TEST_SEND_KEY_PREFIX`
and marked by the `TEST_SEND_HEADER` header.
"""

from sqlmodel import Session, select
from temporalio.exceptions import ApplicationError

from engine.emails.rendering import RenderedEmail
from engine.emails.transports import OutgoingEmail, send_once, transport_for
from engine.runtime.settings import Settings
from engine.service.errors import DeliveryFailed
from engine.service.shop_settings import effective_settings
from engine.store.models import Message

TEST_SEND_KEY_PREFIX = "test-send:"
TEST_SEND_HEADER = "X-Boomerang-Test"


def deliver_test_email(
    session: Session, settings: Settings, key: str, to: str, email: RenderedEmail
) -> Message:
    """Deliver a test email through the configured transport: recorded like every email,
    without an automation (so no cap or analytics counts it), and marked as a test."""
    outgoing = OutgoingEmail(
        idempotency_key=key,
        to_email=to,
        subject=email.subject,
        html=email.html,
        text=email.text,
        headers={TEST_SEND_HEADER: "true", "Idempotency-Key": key},
        locale=email.locale,
    )
    try:
        sent = send_once(session, transport_for(effective_settings(session, settings)), outgoing)
    except ApplicationError as error:
        refused = session.exec(select(Message).where(Message.idempotency_key == key)).first()
        why = refused.error if refused is not None and refused.error else str(error)
        raise DeliveryFailed(why, retryable=not error.non_retryable) from error
    message = session.get(Message, sent.message_id)
    assert message is not None
    return message
