"""Email transports behind one interface, and the send-once protocol every email goes through.

`BOOMERANG_EMAIL_TRANSPORT` picks the transport: `outbox` (dev: the database row is the
destination, `GET /api/v1/outbox` lists it) or `brevo` (Brevo's API through brevo-python).

`send_once` records each email under its idempotency key before any provider hears of it:

1. insert the `Message` with status `sending` and commit it;
2. deliver it, carrying the same key (Brevo processes a key once);
3. mark it `sent` with the provider's message id, or `failed` with the reason.

An attempt that finds the message `sent` returns it; one that finds it `sending` (an earlier
attempt crashed, or met a transient error, after step 1) delivers it again with the same key.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from temporalio.exceptions import ApplicationError

from engine.runtime.settings import Settings
from engine.store.models import Message
from engine.store.types import utcnow

ERROR_LENGTH = 2000  # Message.error


@dataclass(frozen=True)
class OutgoingEmail:
    """One rendered email to one recipient."""

    idempotency_key: str  # `{workflow_id}:{step_id}` for a journey's step
    to_email: str
    subject: str
    html: str
    text: str
    headers: Mapping[str, str] = field(default_factory=dict)  # List-Unsubscribe, ...
    # Which journey and step sent it: ids only, the provider echoes them in its webhooks.
    journey_id: str | None = None
    step_id: str | None = None
    locale: str | None = None  # the language it is written in (Message.locale)


@dataclass(frozen=True)
class Delivered:
    provider_message_id: str | None  # None when there is no provider (the outbox)


class PermanentFailure(Exception):
    """The provider refused this email for good (bad address, bad API key...): no retry.

    The message (the provider's own words, which may quote the address) is stored with the
    email; `code` (e.g. `400 invalid_parameter`) is what may travel into Temporal.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


class TransientFailure(Exception):
    """The provider could not take the email now (rate limit, outage, network): retry later.

    Its message travels into Temporal: ids and statuses only, never an address.
    """

    def __init__(self, message: str, retry_after: timedelta | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Transport(Protocol):
    name: str  # stored in Message.transport

    def deliver(self, email: OutgoingEmail) -> Delivered:
        """Hand the email over once per idempotency key (blocking I/O: run it off the event loop).

        Raises `PermanentFailure` or `TransientFailure`.
        """
        ...


def canonical_message_id(raw: str) -> str:
    """A provider's message id as we store it: `<local@domain>`, in angle brackets like the
    Message-ID header (Brevo's answers and webhooks carry it so, but bare ids also match)."""
    return f"<{raw.strip().strip('<>').strip()}>"


def transport_for(settings: Settings) -> Transport:
    """The transport `BOOMERANG_EMAIL_TRANSPORT` chose."""
    # Imported here: the outbox never loads brevo-python, and the modules import this one.
    if settings.email_transport == "brevo":
        from engine.emails.transports.brevo import BrevoTransport

        return BrevoTransport.from_settings(settings)
    from engine.emails.transports.outbox import OutboxTransport

    return OutboxTransport()


@dataclass(frozen=True)
class Sent:
    message_id: int
    provider_message_id: str | None
    repeated: bool  # an earlier attempt had already sent it


def send_once(
    session: Session,
    transport: Transport,
    email: OutgoingEmail,
    *,
    automation_id: str | None = None,
    cart_id: str | None = None,
) -> Sent:
    """Deliver the email at most once per idempotency key (see the module's docstring).

    Commits `session` (the `sending` row must be durable before the provider call), so call
    it last, with nothing else pending. A permanent failure is recorded (`failed`, `error`)
    and raised as a non-retryable `ApplicationError` (type `EmailRejected`); a transient one
    as a retryable `ApplicationError` (type `EmailDeferred`, with the provider's Retry-After as
    `next_retry_delay`): inside an activity, let both propagate.
    """
    message = _find(session, email.idempotency_key) or _insert_sending(
        session, transport, email, automation_id, cart_id
    )
    assert message.id is not None
    if message.status == "sent":
        return Sent(message.id, message.provider_message_id, repeated=True)
    if message.status == "failed":
        raise _rejected(email.idempotency_key, "earlier")
    # What the first attempt stored is what goes out, whatever a later render made of it.
    stored = replace(
        email,
        to_email=message.to_email,
        subject=message.subject,
        html=message.html,
        text=message.text,
        headers=dict(message.headers),
    )
    try:
        delivered = transport.deliver(stored)
    except PermanentFailure as failure:
        message.status, message.error = "failed", str(failure)[:ERROR_LENGTH]
        message.transport = transport.name
        session.add(message)
        session.commit()
        # `from None`: Temporal would record the cause chain, and the provider's words may
        # quote the address; they stay in Message.error.
        raise _rejected(email.idempotency_key, failure.code) from None
    except TransientFailure as failure:
        # The message stays `sending`: the retry delivers it again with the same key.
        raise ApplicationError(
            f"email {email.idempotency_key} not sent yet: {failure}",
            type="EmailDeferred",
            next_retry_delay=failure.retry_after,
        ) from None
    message.status, message.sent_at = "sent", utcnow()
    message.provider_message_id = delivered.provider_message_id
    message.transport = transport.name  # who delivered it, should the setting have changed
    session.add(message)
    session.commit()
    return Sent(message.id, message.provider_message_id, repeated=False)


def _find(session: Session, key: str) -> Message | None:
    return session.exec(select(Message).where(Message.idempotency_key == key)).first()


def _insert_sending(
    session: Session,
    transport: Transport,
    email: OutgoingEmail,
    automation_id: str | None,
    cart_id: str | None,
) -> Message:
    message = Message(
        idempotency_key=email.idempotency_key,
        automation_id=automation_id,
        cart_id=cart_id,
        step_id=email.step_id,
        to_email=email.to_email,
        subject=email.subject,
        html=email.html,
        text=email.text,
        locale=email.locale,
        headers=dict(email.headers),
        transport=transport.name,
        status="sending",
    )
    session.add(message)
    try:
        session.commit()
    except IntegrityError:
        # A concurrent attempt of the same step stored it first: carry on with its row.
        session.rollback()
        if found := _find(session, email.idempotency_key):
            return found
        raise
    return message


def _rejected(key: str, code: str) -> ApplicationError:
    """The failure Temporal records: no address in it (the reason stays in Message.error)."""
    return ApplicationError(
        f"email {key} was refused for good ({code}); the reason is in its Message.error",
        type="EmailRejected",
        non_retryable=True,
    )
