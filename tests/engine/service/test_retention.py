"""The retention purge on a real database: it removes exactly what is past its time, and the
results of the purged period read the same before and after (engine/service/retention.py,
engine/service/forgotten_carts.py)."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from pydantic import TypeAdapter
from sqlmodel import Session, col, select

from engine.language.events import Event as IncomingEvent
from engine.runtime.settings import Settings
from engine.service import analytics, ingest, retention
from engine.store.db import session_scope
from engine.store.models import (
    Cart,
    Customer,
    Enrolment,
    Event,
    Message,
    MessageEvent,
    Order,
    RetentionRun,
    Suppression,
)
from tests.engine.service.support import install_automation
from tests.engine.service.test_analytics import AUTOMATION, FIRST, LAST, generate
from tests.shop_history import (
    abandoned,
    email,
    now,
    order_placed,
    record,
    recovered,
    unsubscribed,
    updated,
)

HOUR = timedelta(hours=1)
EMPTIED = {"to_email": "", "subject": "", "html": "", "text": "", "headers": {}}


def ago(moment: datetime, days: float) -> datetime:
    return moment - timedelta(days=days)


def history(url: str, settings: Settings, today: datetime) -> str:
    """The shop of the brief, around `today` (days ago; defaults: carts 30, events 30, emails
    90); the id of the automation the abandoned carts entered."""
    automation_id = install_automation(settings)
    record(
        url,
        settings,
        abandoned("cart_old", "old@example.com", ago(today, 31)),  # gone, and its customer
        abandoned("cart_young", "young@example.com", ago(today, 29)),  # kept
        abandoned("cart_won", "won@example.com", ago(today, 40)),  # recovered: kept
        recovered("cart_won", "won@example.com", ago(today, 39), "order_won"),
        updated("cart_active", ago(today, 1), "active@example.com"),  # kept
        updated("cart_paid", ago(today, 3), "paid@example.com", paid=True),  # ordered: kept
        updated("cart_old_paid", ago(today, 35), paid=True),  # a guest's, ordered: gone
        abandoned("cart_revived", "revived@example.com", ago(today, 31)),
        updated("cart_revived", ago(today, 2)),  # the shop reported it since: kept
        abandoned("cart_shared_old", "shared@example.com", ago(today, 45)),  # gone ...
        abandoned("cart_shared_new", "shared@example.com", ago(today, 5)),  # ... its customer not
        order_placed("order_alone", "buyer@example.com", ago(today, 60)),  # an order: kept
        unsubscribed("gone@example.com", ago(today, 50)),  # nothing refers to them: gone
    )
    clicked = (("delivered", timedelta(minutes=1)), ("opened", HOUR), ("clicked", 2 * HOUR))
    for cart_id, to, days in (
        ("cart_old", "old@example.com", 31),
        ("cart_young", "young@example.com", 29),
        ("cart_won", "won@example.com", 40),
        ("cart_shared_old", "shared@example.com", 45),
    ):
        email(url, to, ago(today, days) + HOUR, cart_id=cart_id, automation_id=automation_id,
              reports=clicked)  # fmt: skip
    email(url, "tester@example.com", ago(today, 100), step_id=None)  # a test send
    email(url, "tester@example.com", ago(today, 80), step_id=None)
    return automation_id


def figures(session: Session, settings: Settings, automation_id: str, today: date) -> Any:
    """Every figure of the results: the overview of the last 60 days (its daily series
    included) and the automation's results over them."""
    when = analytics.period(today - timedelta(days=59), today)
    return (
        analytics.overview(session, when).model_dump(),
        analytics.automation_results(session, settings, automation_id, when).model_dump(),
    )


def test_a_run_purges_exactly_what_is_past_its_time(url: str, settings: Settings) -> None:
    today = now()
    automation_id = history(url, settings, today)
    with session_scope(url) as session:
        before = figures(session, settings, automation_id, today.date())
        events_before = set(session.exec(select(Event.id)).all())
        customer_of = {c.email: c.id for c in session.exec(select(Customer)).all()}

    run = retention.run_now(settings, now=today)

    assert (run.status, run.error, run.finished_at is not None) == ("done", None, True)
    # The carts' events went with them; `event_bodies` counts the others past 30 days: the
    # recovered cart's two, the revived cart's abandonment, the order's and the unsubscription.
    assert run.counts == {
        "carts": 3, "customers": 2, "event_bodies": 5, "emails": 1, "simulations": 0,
    }  # fmt: skip
    assert run.cutoffs == {
        "carts": ago(today, 30).isoformat(),
        "events": ago(today, 30).isoformat(),
        "messages": ago(today, 90).isoformat(),
    }
    with session_scope(url) as session:
        assert sorted(session.exec(select(Cart.id)).all()) == [
            "cart_active", "cart_paid", "cart_revived", "cart_shared_new", "cart_won",
            "cart_young",
        ]  # fmt: skip
        assert session.get(Cart, "cart_young").items  # type: ignore[union-attr]
        assert sorted(session.exec(select(Customer.email)).all()) == [
            "active@example.com", "buyer@example.com", "paid@example.com", "revived@example.com",
            "shared@example.com", "won@example.com", "young@example.com",
        ]  # fmt: skip
        assert session.get(Suppression, "gone@example.com") is not None, "unsubscribed forever"
        order = session.get(Order, "order_won")
        assert order is not None and order.customer_id == customer_of["won@example.com"]

        # The purged carts' journeys stay countable, without the customer.
        old = session.exec(select(Enrolment).where(Enrolment.cart_id == "cart_old")).one()
        assert old.customer_id is None and old.automation_id == automation_id
        young = session.exec(select(Enrolment).where(Enrolment.cart_id == "cart_young")).one()
        assert young.customer_id == customer_of["young@example.com"]

        messages = {(m.cart_id, m.created_at): m for m in session.exec(select(Message)).all()}
        for message in messages.values():
            gone = message.cart_id in ("cart_old", "cart_shared_old") or (
                message.created_at < ago(today, 90)
            )
            personal = {field: getattr(message, field) for field in EMPTIED}
            assert (personal == EMPTIED) is gone, message
            assert message.provider_message_id is None or not gone
            assert message.status == "sent" and message.sent_at is not None
        reports = session.exec(select(MessageEvent)).all()
        assert len(reports) == 12, "every report stays, to be counted"
        emptied = {r.message_id for r in reports if not r.detail}
        assert emptied == {m.id for m in messages.values() if m.cart_id in (
            "cart_old", "cart_shared_old")}  # fmt: skip

        events = {e.id: e for e in session.exec(select(Event)).all()}
        assert set(events) == events_before, "every event id stays"
        bodies_gone = {i for i, e in events.items() if not e.data}
        assert bodies_gone == {
            "evt_cart_old_abandoned", f"evt_cart_old_paid_{ago(today, 35):%Y%m%d%H%M}",
            "evt_cart_shared_old_abandoned", "evt_cart_won_abandoned", "evt_cart_won_recovered",
            "evt_cart_revived_abandoned", "evt_order_alone_placed",
            "evt_unsub_gone@example.com",
        }  # fmt: skip
        assert all(events[i].effects == [] for i in bodies_gone)

        assert figures(session, settings, automation_id, today.date()) == before

    again = retention.run_now(settings, now=today)

    assert again.counts == dict.fromkeys(retention.KINDS, 0)
    with session_scope(url) as session:
        assert [r.id for r in retention.recent_runs(session)] == [again.id, run.id]
        assert figures(session, settings, automation_id, today.date()) == before


def test_a_repeated_event_of_a_purged_cart_is_still_a_duplicate(
    url: str, settings: Settings
) -> None:
    today = now()
    old = abandoned("cart_old", "old@example.com", ago(today, 31))
    record(url, settings, old)
    retention.run_now(settings, now=today)

    with session_scope(url) as session:
        [accepted], _ = ingest._store(
            session, settings, [TypeAdapter(IncomingEvent).validate_python(old)]
        )

        assert accepted.duplicate
        assert session.get(Cart, "cart_old") is None, "a duplicate brings nothing back"


def test_the_shops_retention_periods_decide(url: str, settings: Settings) -> None:
    today = now()
    record(
        url,
        settings,
        abandoned("cart_31", "a@example.com", ago(today, 31)),
        abandoned("cart_61", "b@example.com", ago(today, 61)),
    )
    longer = settings.model_copy(
        update={"retention_abandoned_carts": 60, "retention_events": 365}
    )  # the environment's values, which the shop's settings override (tests/builder_api)

    first = retention.run_now(longer, now=today)
    second = retention.run_now(settings, now=today)

    assert (first.counts["carts"], first.counts["event_bodies"]) == (1, 0)
    assert second.counts["carts"] == 1
    with session_scope(url) as session:
        assert session.exec(select(Cart.id)).all() == []


def test_batches_purge_everything_and_count_it_once(url: str, settings: Settings) -> None:
    today = now()
    record(
        url,
        settings,
        *(abandoned(f"cart_{n}", f"c{n}@example.com", ago(today, 40 + n)) for n in range(5)),
    )

    run = retention.run_now(settings, now=today, limit=2)

    # The carts' events go with them, whatever the batch size: no `event_bodies` of theirs.
    assert run.counts == {
        "carts": 5, "customers": 5, "event_bodies": 0, "emails": 0, "simulations": 0,
    }  # fmt: skip
    with session_scope(url) as session:
        assert session.exec(select(Cart)).all() == []
        assert session.exec(select(RetentionRun)).one().counts == run.counts


@pytest.fixture
def big_shop(url: str) -> None:
    generate(url)


@pytest.mark.usefixtures("big_shop")
def test_the_results_of_a_generated_shop_survive_its_purge(url: str, settings: Settings) -> None:
    """600 carts of January 2026 (tests/engine/service/test_analytics.py), an A/B test and a
    holdout among them; purged in April, every cart never recovered goes."""
    periods = [analytics.Period(FIRST, LAST), analytics.Period(date(2025, 12, 1), date(2026, 3, 1))]

    def results() -> list[Any]:
        with session_scope(url) as session:
            return [
                (
                    analytics.overview(session, when).model_dump(),
                    analytics.automation_results(session, settings, AUTOMATION, when).model_dump(),
                )
                for when in periods
            ]

    before = results()

    run = retention.run_now(settings, now=datetime.fromisoformat("2026-04-01T00:00:00+00:00"))

    with session_scope(url) as session:
        left = session.exec(select(Cart.status).distinct()).all()
        assert left == ["recovered"], left
        forgotten = session.exec(select(Enrolment).where(col(Enrolment.customer_id).is_(None)))
        assert len(forgotten.all()) > 100
    assert run.counts["carts"] > 300 and run.counts["emails"] > 0
    after = results()
    overview, automation = after[0]
    assert automation["holdout"]["enough_data"] and automation["ab_tests"][0]["variants"]
    assert overview["carts_abandoned"] > 300
    assert after == before
