"""`messageevent.previous_at`, kept by migration 0014's trigger, lets the overview count a
period's emails per event without DISTINCT: the count must equal the direct one, however the
reports arrive (out of order, ties, repeats, ORM or Core inserts), on SQLite and PostgreSQL."""

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select
from sqlmodel import col

from engine.service import analytics
from engine.store.db import migrate, session_scope
from engine.store.models import Message, MessageEvent

START = datetime(2026, 3, 1, tzinfo=UTC)


def test_the_overview_counts_each_email_once_per_event_as_distinct_would(
    database_url: str,
) -> None:
    migrate(database_url)
    rng = random.Random(14)
    with session_scope(database_url) as session:
        for n in range(1, 41):
            session.add(
                Message(
                    id=n, idempotency_key=f"k{n}", to_email="c@example.com", subject="s",
                    html="", text="", transport="brevo", status="sent", sent_at=START,
                )
            )  # fmt: skip
        session.flush()
        for n in range(600):  # in random order: a report may arrive after a later one
            moment = START + timedelta(hours=rng.randrange(0, 24 * 20), minutes=rng.choice((0, 7)))
            values = {
                "message_id": rng.randint(1, 40),
                "event": rng.choice(("opened", "clicked", "soft_bounce")),
                "source": "brevo",
                "occurred_at": moment,
                "dedupe_key": f"e{n}",
                "detail": {},
            }
            if n % 2:
                session.add(MessageEvent(**values))
                session.flush()
            else:
                session.execute(insert(MessageEvent).values(**values))

    with session_scope(database_url) as session:
        for first, last in ((3, 9), (1, 20), (10, 10), (15, 25)):
            when = analytics.Period(date(2026, 3, first), date(2026, 3, last))
            found = analytics.overview(session, when)

            def distinct(event: str, period: analytics.Period) -> int:
                return int(
                    session.execute(
                        select(func.count(func.distinct(MessageEvent.message_id))).where(
                            MessageEvent.event == event,
                            col(MessageEvent.occurred_at) >= period.start,
                            col(MessageEvent.occurred_at) < period.end,
                        )
                    ).scalar_one()
                )

            assert found.emails.opened == distinct("opened", when)
            assert found.emails.clicked == distinct("clicked", when)
            assert found.emails.bounced == distinct("soft_bounce", when)
            for day in found.daily:
                one = analytics.Period(day.date, day.date)
                assert (day.opened, day.clicked) == (
                    distinct("opened", one),
                    distinct("clicked", one),
                )
