"""The dev transport: the `Message` row is the destination (`GET /api/v1/outbox` lists it)."""

from engine.emails.transports import Delivered, OutgoingEmail


class OutboxTransport:
    name = "outbox"

    def deliver(self, email: OutgoingEmail) -> Delivered:  # noqa: ARG002 - stored already
        # `send_once` stored the email before calling us: stored is delivered.
        return Delivered(provider_message_id=None)
