"""A shop's past for the privacy tests: events recorded by ingestion at the moments they
happened, and emails with their delivery reports.

Ingestion stamps what it writes with the server's clock (an event's `received_at`, a new
cart's and customer's `created_at`, an enrolment's `enrolled_at`); `record` runs it with that
clock at each event's own moment, so the rows are what they would be had the shop sent the
event then, and retention's cutoffs meet them as they would meet a real shop's."""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

from engine.runtime.settings import Settings
from engine.store.db import session_scope
from engine.store.models import Message, MessageEvent
from tests.engine.service.support import record_events

# Every module of ingestion that reads the clock.
CLOCKS = (
    "engine.service.ingest.utcnow",
    "engine.service.lookups.utcnow",
    "engine.service.orders.utcnow",
    "engine.service.effects.utcnow",
)
ITEMS = [
    {"id": "prod_1", "name": "Headphones", "price": 80, "quantity": 1,
     "image_url": "https://cdn.example.com/h.jpg"},
    {"id": "prod_2", "name": "Case", "price": 10, "quantity": 2},
]  # fmt: skip


def now() -> datetime:
    """A test's present: the real one (routes purge with it), to the second."""
    return datetime.now(UTC).replace(microsecond=0)


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    with ExitStack() as stack:
        for target in CLOCKS:
            stack.enter_context(mock.patch(target, return_value=moment))
        yield


def record(url: str, settings: Settings, *events: dict[str, Any]) -> None:
    """Record each event as ingestion does, with the clock at the event's timestamp."""
    for event in events:
        with clock_at(datetime.fromisoformat(event["timestamp"])):
            record_events(url, settings, event)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def abandoned(
    cart_id: str, email: str, at: datetime, total: int = 100, currency: str = "USD"
) -> dict[str, Any]:
    return {
        "event": "cart_abandoned",
        "id": f"evt_{cart_id}_abandoned",
        "timestamp": _iso(at),
        "data": {
            "cart_id": cart_id, "customer_email": email, "items": ITEMS, "subtotal": total,
            "total": total, "currency": currency,
            "recovery_url": f"https://shop.example.com/recover/{cart_id}",
            "abandoned_at": _iso(at),
        },
    }  # fmt: skip


def updated(
    cart_id: str, at: datetime, email: str | None = None, *, paid: bool = False
) -> dict[str, Any]:
    """`cart_updated`; `paid`: bought at checkout (the cart is `ordered`)."""
    data: dict[str, Any] = {"cart_id": cart_id, "items": ITEMS, "total": 100}
    if email:
        data["customer_email"] = email
    if paid:
        data["completed_at"] = _iso(at)
    return {"event": "cart_updated", "id": f"evt_{cart_id}_{at:%Y%m%d%H%M}", "timestamp": _iso(at),
            "data": data}  # fmt: skip


def recovered(cart_id: str, email: str, at: datetime, order_id: str) -> dict[str, Any]:
    return {
        "event": "cart_recovered",
        "id": f"evt_{cart_id}_recovered",
        "timestamp": _iso(at),
        "data": {"cart_id": cart_id, "customer_email": email, "order_id": order_id,
                 "recovered_via": "email_1"},
    }  # fmt: skip


def order_placed(order_id: str, email: str, at: datetime, total: int = 50) -> dict[str, Any]:
    return {
        "event": "order_placed",
        "id": f"evt_{order_id}_placed",
        "timestamp": _iso(at),
        "data": {"order_id": order_id, "customer_email": email, "total": total},
    }


def unsubscribed(email: str, at: datetime) -> dict[str, Any]:
    return {"event": "unsubscribed", "id": f"evt_unsub_{email}", "timestamp": _iso(at),
            "data": {"customer_email": email}}  # fmt: skip


def email(
    url: str,
    to: str,
    sent_at: datetime,
    *,
    cart_id: str | None = None,
    automation_id: str | None = None,
    step_id: str | None = "email-1",
    reports: tuple[tuple[str, timedelta], ...] = (),
) -> int:
    """A sent email as the send action records it, and Brevo's reports on it (`reports`:
    event and how long after the send); its id."""
    with session_scope(url) as session:
        message = Message(
            idempotency_key=f"journey:{automation_id}:{cart_id}:{step_id}"
            if cart_id
            else f"test-send:{sent_at:%s}",
            automation_id=automation_id, cart_id=cart_id, step_id=step_id, to_email=to,
            subject=f"Forgot something, {to}?", html=f"<p>Hello {to}</p>", text=f"Hello {to}",
            headers={"X-Mailin-custom": f"to={to}"}, transport="outbox", status="sent",
            provider_message_id=f"<{sent_at:%s}.1@smtp-relay.example>",
            created_at=sent_at, sent_at=sent_at,
        )  # fmt: skip
        session.add(message)
        session.flush()
        assert message.id is not None
        for n, (event, after) in enumerate(reports):
            session.add(
                MessageEvent(
                    message_id=message.id, event=event, source="brevo",
                    occurred_at=sent_at + after, dedupe_key=f"{message.id}:{event}:{n}",
                    detail={"email": to, "ip": "203.0.113.7", "link": "https://shop.example.com"},
                )
            )  # fmt: skip
        return message.id
