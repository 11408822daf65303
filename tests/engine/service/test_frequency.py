"""The frequency cap counts a customer's journey emails across automations."""

from datetime import UTC, datetime, timedelta

import pytest

from engine.runtime.settings import FrequencyCap, Settings, parse_frequency_cap
from engine.service.frequency import capped_until
from engine.store.db import session_scope
from engine.store.models import Customer, Message

NOW = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


def _sent(url: str, *hours_ago: float, automation_id: str | None = "aut_1") -> None:
    with session_scope(url) as session:
        session.merge(Customer(id="cus_1", email="jane@example.com"))
        session.flush()
        for n, hours in enumerate(hours_ago):
            session.add(
                Message(
                    idempotency_key=f"{automation_id}:{n}:{hours}",
                    automation_id=automation_id,
                    to_email="jane@example.com",
                    subject="s",
                    html="h",
                    text="t",
                    transport="outbox",
                    status="sent",
                    created_at=NOW - timedelta(hours=hours),
                )
            )


def _capped(url: str, cap: str) -> datetime | None:
    with session_scope(url) as session:
        customer = session.get(Customer, "cus_1")
        assert customer is not None
        return capped_until(session, parse_frequency_cap(cap), customer, NOW)


def test_within_the_cap_the_send_may_go(url: str) -> None:
    _sent(url, 13)  # outside a 12 h window

    assert _capped(url, "1/12h") is None
    assert _capped(url, "") is None


def test_a_capped_send_waits_until_the_oldest_counted_email_leaves_the_window(url: str) -> None:
    _sent(url, 1, 3)

    assert _capped(url, "1/12h") == NOW - timedelta(hours=1) + timedelta(hours=12)
    assert _capped(url, "2/12h") == NOW - timedelta(hours=3) + timedelta(hours=12)
    assert _capped(url, "3/12h") is None


def test_emails_without_an_automation_do_not_count(url: str) -> None:
    _sent(url, 1, automation_id=None)  # a marketer's test send

    assert _capped(url, "1/12h") is None


@pytest.mark.parametrize("text", ["1", "0/12h", "x/12h", "1/soon", "1/0s"])
def test_an_unreadable_cap_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Settings(frequency_cap=text)


def test_the_cap_reads_as_emails_per_window() -> None:
    assert Settings(frequency_cap="2/1d").email_cap == FrequencyCap(2, timedelta(days=1))
