"""The chaos run's invariants find what they are meant to find (chaos.checks), on worlds
made by hand: a journey lost or stuck, an accepted event the tables do not show, a post the
stack refused or never accepted."""

from datetime import UTC, datetime, timedelta

from chaos.checks import Findings, accepted_events_reflected, journeys_not_lost_or_stuck
from chaos.driver import Attempt, Delivery
from chaos.observe import Journey, World
from chaos.plan import EVENTS_PATH, Post
from engine.store.models import Cart, Enrolment, Event

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def world(**parts: object) -> World:
    empty: dict[str, object] = {
        "events": {}, "deliveries": {}, "carts": {}, "orders": {}, "suppressed": set(),
        "emails": {},
        "enrolments": [], "messages": [], "codes": [], "journeys": {}, "looked_at": NOW,
    }  # fmt: skip
    return World(**(empty | parts))  # type: ignore[arg-type]


def journey(name: str, status: str, wake_at: datetime | None = None) -> Journey:
    return Journey(f"journey:aut_1:{name}", "aut_1", name, status, wake_at)


def test_a_journey_missing_failed_or_overdue_is_reported_and_a_waiting_one_is_not() -> None:
    journeys = [
        journey("done", "COMPLETED"),
        journey("waiting", "RUNNING", NOW + timedelta(seconds=5)),
        journey("overdue", "RUNNING", NOW - timedelta(seconds=1)),
        journey("in-an-action", "RUNNING", None),
        journey("missing", "MISSING"),
        journey("failed", "FAILED"),
        journey("bought", "RUNNING", NOW + timedelta(hours=2)),  # its order's signal was lost
    ]
    order = Event(id="order_placed-bought", type="order_placed", occurred_at=NOW,
                  received_at=NOW, cart_id="bought", applied_at=NOW)  # fmt: skip
    found = Findings()

    journeys_not_lost_or_stuck(
        world(journeys={j.workflow_id: j for j in journeys}, events={order.id: order}), found
    )

    reported = sorted(line.split()[1].rpartition(":")[2] for line in found.violations)
    assert reported == ["bought", "failed", "in-an-action", "missing", "overdue"]


def delivery(kind: str, cart_id: str, accepted: bool = True, refused: str | None = None
             ) -> Delivery:  # fmt: skip
    post = Post(0.0, EVENTS_PATH, b"{}", (), f"event:{kind}-{cart_id}", kind, cart_id, None,
                f"{cart_id}@chaos.example")  # fmt: skip
    answer = Attempt(1.0, 2.0, "202" if accepted else "ConnectError")
    return Delivery(post, [answer], accepted_at=2.0 if accepted else None, refused=refused)


def test_accepted_events_the_tables_do_not_show_are_reported() -> None:
    abandoned = Event(id="cart_abandoned-a", type="cart_abandoned", occurred_at=NOW,
                      received_at=NOW, cart_id="a", applied_at=NOW)  # fmt: skip
    unapplied = Event(id="cart_abandoned-b", type="cart_abandoned", occurred_at=NOW,
                      received_at=NOW, cart_id="b")  # fmt: skip
    carts = {"a": Cart(id="a", status="abandoned", abandoned_at=NOW)}
    found = Findings()

    accepted_events_reflected(
        world(events={e.id: e for e in (abandoned, unapplied)}, carts=carts, enrolments=[]),
        [
            delivery("cart_abandoned", "a"),  # stored and applied, but never enrolled
            delivery("cart_abandoned", "b"),  # stored, its effects never carried out
            delivery("cart_abandoned", "c"),  # answered 2xx, not stored at all
            delivery("cart_abandoned", "d", accepted=False),
            delivery("cart_abandoned", "e", refused="422 invalid"),
        ],
        found,
    )

    assert found.violations == [
        "accepted event:cart_abandoned-a (cart_abandoned): cart a (abandoned) was never enrolled",
        "accepted event cart_abandoned-b (cart_abandoned) not applied",
        "accepted event cart_abandoned-c (cart_abandoned) missing",
        "event:cart_abandoned-d (cart_abandoned) never accepted",
        "event:cart_abandoned-e (cart_abandoned) refused: 422 invalid",
    ]
    enrolled = Enrolment(automation_id="aut_1", automation_version=1, subject_id="a",
                         cart_id="a", enrolled_at=NOW)  # fmt: skip
    found = Findings()
    accepted_events_reflected(
        world(events={abandoned.id: abandoned}, carts=carts, enrolments=[enrolled]),
        [delivery("cart_abandoned", "a")],
        found,
    )
    assert found.violations == []
