"""Brevo's delivery reports: recorded once per message and event; bounces, complaints and
unsubscribes keep the address from ever being mailed again."""

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import col, select
from temporalio.client import Client

from engine.runtime.settings import Settings
from engine.service.deliveries import Recorded, record_brevo_events
from engine.store.db import session_scope
from engine.store.models import Message, MessageEvent, Suppression

PROVIDER_ID = "<202601151430.123456789012@smtp-relay.mailin.fr>"
TS = 1768487400  # 2026-01-15 14:30:00 UTC


# Only an unsubscribe of a known customer needs Temporal: without one, `Unavailable` is raised.
NO_TEMPORAL: Client | None = None


def _message(url: str, provider_id: str = PROVIDER_ID, to: str = "jane@example.com") -> int:
    with session_scope(url) as session:
        message = Message(
            idempotency_key=f"journey:aut_1:cart_1:{provider_id}",
            step_id="email-1",
            to_email=to,
            subject="Still there?",
            html="<p>x</p>",
            text="x",
            transport="brevo",
            status="sent",
            provider_message_id=provider_id,
        )
        session.add(message)
        session.flush()
        assert message.id is not None
        return message.id


def _event(event: str, ts: int = TS, message_id: str = PROVIDER_ID, **extra: Any) -> dict[str, Any]:
    """A transactional webhook call as Brevo documents it."""
    return {"event": event, "email": "jane@example.com", "id": 123456, "ts": ts,
            "date": "2026-01-15 15:30:00", "message-id": message_id, "ts_event": ts,
            "subject": "Still there?", "X-Mailin-custom": '{"journey":"journey:aut_1:cart_1",'
            '"step":"email-1"}', "tags": ["boomerang"], **extra}  # fmt: skip


async def _post(settings: Settings, url: str, *payloads: Any) -> Recorded:
    with session_scope(url) as session:
        return await record_brevo_events(session, settings, NO_TEMPORAL, list(payloads))


def _events(url: str) -> list[tuple[str, datetime, dict[str, Any]]]:
    with session_scope(url) as session:
        rows = session.exec(select(MessageEvent).order_by(col(MessageEvent.id))).all()
        return [(row.event, row.occurred_at, row.detail) for row in rows]


def _suppressed(url: str) -> dict[str, str]:
    with session_scope(url) as session:
        return {row.email: row.reason for row in session.exec(select(Suppression))}


async def test_each_report_is_recorded_once(settings: Settings, url: str) -> None:
    message_id = _message(url)
    reports = [
        _event("delivered"),
        _event("unique_opened", TS + 60),
        _event("opened", TS + 60),  # the same first open, reported twice
        _event("click", TS + 90, link="https://shop.example.com/cart/1"),
        _event("click", TS + 90, link="https://shop.example.com/lamp"),
        _event("soft_bounce", TS + 120, reason="mailbox full"),
    ]

    first = await _post(settings, url, *reports)
    again = await _post(settings, url, *reports)

    assert first == Recorded(recorded=5, repeated=1)
    assert again == Recorded(repeated=6)
    events = _events(url)
    assert [event for event, _, _ in events] == [
        "delivered", "opened", "clicked", "clicked", "soft_bounce"
    ]  # fmt: skip
    assert events[0][1] == datetime(2026, 1, 15, 14, 30, tzinfo=UTC), "ts_event is UTC"
    assert events[2][2]["link"] == "https://shop.example.com/cart/1"
    assert events[4][2]["reason"] == "mailbox full"
    with session_scope(url) as session:
        assert {row.message_id for row in session.exec(select(MessageEvent))} == {message_id}
        assert {row.source for row in session.exec(select(MessageEvent))} == {"brevo"}
    assert _suppressed(url) == {}, "a soft bounce may deliver next time"


@pytest.mark.parametrize(
    ("stored", "reported"),
    [(PROVIDER_ID, PROVIDER_ID.strip("<>")), (PROVIDER_ID.strip("<>"), PROVIDER_ID),
     (PROVIDER_ID, f" {PROVIDER_ID} ")],
)  # fmt: skip
async def test_the_message_id_matches_with_or_without_angle_brackets(
    settings: Settings, url: str, stored: str, reported: str
) -> None:
    _message(url, provider_id=stored)

    recorded = await _post(settings, url, _event("delivered", message_id=reported))

    assert recorded == Recorded(recorded=1)


@pytest.mark.parametrize(
    ("event", "reason"),
    [("hard_bounce", "hard_bounce"), ("spam", "complaint"), ("complaint", "complaint")],
)
async def test_hard_bounces_and_complaints_suppress_the_address(
    settings: Settings, url: str, event: str, reason: str
) -> None:
    _message(url, to="Jane@Example.com")

    await _post(settings, url, _event(event, reason="550 user unknown"))
    await _post(settings, url, _event(event, reason="550 user unknown"))

    assert _suppressed(url) == {"jane@example.com": reason}
    assert [event for event, _, _ in _events(url)] == [reason]


async def test_an_unsubscribe_of_someone_not_a_customer_suppresses_only(
    settings: Settings, url: str
) -> None:
    _message(url, to="owner@shop.example.com")  # the owner's notification, say

    recorded = await _post(settings, url, _event("unsubscribed"))

    assert recorded == Recorded(recorded=1)
    assert _suppressed(url) == {"owner@shop.example.com": "unsubscribed"}


async def test_reports_of_messages_we_did_not_send_are_ignored_and_logged(
    settings: Settings, url: str, caplog: pytest.LogCaptureFixture
) -> None:
    _message(url)
    other = "<202601151430.999@smtp-relay.mailin.fr>"

    with caplog.at_level(logging.WARNING, logger="engine.service.deliveries"):
        recorded = await _post(settings, url, _event("hard_bounce", message_id=other))

    assert recorded == Recorded(unknown=1)
    assert _events(url) == [] and _suppressed(url) == {}
    assert other in caplog.text


async def test_a_privacy_proxy_open_is_kept_apart_from_a_persons_open(
    settings: Settings, url: str
) -> None:
    _message(url)

    recorded = await _post(
        settings, url, _event("unique_proxy_open"), _event("proxy_open"), _event("opened", TS + 5)
    )

    assert recorded == Recorded(recorded=2, repeated=1)
    assert [event for event, _, _ in _events(url)] == ["proxy_opened", "opened"]


async def test_events_we_do_not_track_are_acknowledged_and_ignored(
    settings: Settings, url: str
) -> None:
    _message(url)

    recorded = await _post(
        settings, url, _event("request"), _event("deferred"), _event("blocked"),
        {"no": "event"}, "not an object", _event("delivered", message_id=""),
    )  # fmt: skip

    assert recorded == Recorded(ignored=6)
    assert _events(url) == []


async def test_a_report_without_a_time_counts_once_and_is_dated_on_arrival(
    settings: Settings, url: str
) -> None:
    _message(url)
    report = {"event": "delivered", "message-id": PROVIDER_ID, "date": "2026-01-15 15:30:00"}
    before = datetime.now(UTC)

    assert await _post(settings, url, report, report) == Recorded(recorded=1, repeated=1)

    [(_, occurred_at, _)] = _events(url)
    assert occurred_at >= before.replace(microsecond=0)
