"""The simulator over real carts in the database: the three-email preset gives exactly the
sends worked out by hand, and none lands after a purchase or an unsubscribe."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from engine.language.presets import THREE_STEP
from engine.language.simulations import CartSelection, SimulationRequest
from engine.runtime.settings import Settings
from engine.service import automations, simulation, templates
from engine.store.db import session_scope
from tests.engine.service.support import record_events

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)  # a Monday, long past
H = timedelta(hours=1)


def _abandoned(cart_id: str, at: datetime, email: str | None, total: float = 80) -> dict[str, Any]:
    data: dict[str, Any] = {"cart_id": cart_id, "items": [{"id": "p1", "name": "Lamp",
            "price": total, "quantity": 1}], "subtotal": total, "total": total,
            "currency": "EUR", "abandoned_at": at.isoformat()}  # fmt: skip
    if email:
        data["customer_email"] = email
        event = "cart_abandoned"
    else:
        event = "cart_updated"  # a guest's cart: abandoned by detection, set below
    return {"id": f"abandon-{cart_id}", "event": event, "timestamp": at.isoformat(), "data": data}


def _order(cart_id: str, at: datetime, email: str) -> dict[str, Any]:
    return {"id": f"order-{cart_id}", "event": "order_placed", "timestamp": at.isoformat(),
            "data": {"order_id": f"o-{cart_id}", "cart_id": cart_id, "customer_email": email,
                     "total": 80, "currency": "EUR"}}  # fmt: skip


def _unsubscribe(email: str, at: datetime) -> dict[str, Any]:
    return {"id": f"unsub-{email}", "event": "unsubscribed", "timestamp": at.isoformat(),
            "data": {"customer_email": email}}  # fmt: skip


def _recovered(cart_id: str, at: datetime) -> dict[str, Any]:
    return {"id": f"recover-{cart_id}", "event": "cart_recovered", "timestamp": at.isoformat(),
            "data": {"cart_id": cart_id, "order_id": f"r-{cart_id}"}}  # fmt: skip


def _three_step(url: str) -> str:
    with session_scope(url) as session:
        created, _ = automations.install_preset(session, THREE_STEP.key)
        return created.id


def _simulate(url: str, settings: Settings, automation_id: str, **asked: Any) -> Any:
    with session_scope(url) as session:
        started = simulation.start(session, automation_id, SimulationRequest(**asked))
        done = simulation.run(session, settings, started.id)
        return simulation.status(done), simulation.timelines(session, started.id, limit=200)


def _sends(timeline: Any) -> list[tuple[str, datetime]]:
    return [
        (step.step_id, step.at)
        for step in timeline.steps
        if step.type == "action" and step.detail.get("status") == "sent"
    ]


@pytest.fixture
def three_step(url: str) -> str:
    return _three_step(url)


def test_the_three_email_preset_sends_exactly_what_was_worked_out_by_hand(
    url: str, settings: Settings, three_step: str
) -> None:
    record_events(
        url,
        settings,
        _abandoned("never", T0, "never@example.com"),
        _abandoned("bought-3h", T0, "b3@example.com"),
        _order("bought-3h", T0 + 3 * H, "b3@example.com"),
        _abandoned("bought-30m", T0, "b30@example.com"),
        _order("bought-30m", T0 + timedelta(minutes=30), "b30@example.com"),
        _abandoned("unsub-26h", T0, "u26@example.com"),
        _unsubscribe("u26@example.com", T0 + 26 * H),
        _abandoned("late-recovery", T0, "late@example.com"),
        _recovered("late-recovery", T0 + 74 * H),
        # The order lands the very minute the second email would go: the purchase wins.
        _abandoned("bought-25h", T0, "b25@example.com"),
        _order("bought-25h", T0 + 25 * H, "b25@example.com"),
    )
    answer, listed = _simulate(url, settings, three_step)
    timelines = {t.cart_id: t for t in listed.items}

    assert _sends(timelines["never"]) == [
        ("email-1", T0 + H),
        ("email-2", T0 + 25 * H),
        ("email-3", T0 + 73 * H),
    ]
    assert timelines["never"].outcome == "lost"
    assert _sends(timelines["bought-3h"]) == [("email-1", T0 + H)]
    assert (timelines["bought-3h"].outcome, timelines["bought-3h"].stopped_at) == (
        "purchased",
        "wait-2",
    )
    assert _sends(timelines["bought-30m"]) == []
    assert timelines["bought-30m"].stopped_at == "wait-1"
    assert _sends(timelines["unsub-26h"]) == [("email-1", T0 + H), ("email-2", T0 + 25 * H)]
    assert timelines["unsub-26h"].outcome == "unsubscribed"
    # Recovered an hour after the journey marked it lost: every email went, none after.
    assert _sends(timelines["late-recovery"]) == [
        ("email-1", T0 + H),
        ("email-2", T0 + 25 * H),
        ("email-3", T0 + 73 * H),
    ]
    assert _sends(timelines["bought-25h"]) == [("email-1", T0 + H)]
    assert timelines["bought-25h"].outcome == "purchased"

    totals = answer.totals
    assert answer.status == "done" and totals.carts == totals.entered == 6
    assert totals.emails == 3 + 1 + 0 + 2 + 3 + 1
    assert {step: totals.steps[step].emails for step in ("email-1", "email-2", "email-3")} == {
        "email-1": 5,
        "email-2": 3,
        "email-3": 2,
    }
    assert totals.codes == 2 + 1 + 2 + 0  # never, unsub (10 %), late-recovery; email-3's 15 %
    assert totals.outcomes == {"lost": 2, "purchased": 3, "unsubscribed": 1}
    assert totals.late_sends == 0
    # 10 % and 15 % of 80 EUR for two carts, 10 % for one.
    assert [(a.currency, a.amount) for a in totals.code_value] == [("EUR", "48.00")]


def test_a_flow_without_its_exits_shows_the_sends_after_a_purchase(
    url: str, settings: Settings, three_step: str
) -> None:
    record_events(
        url,
        settings,
        _abandoned("bought", T0, "buyer@example.com"),
        _order("bought", T0 + 3 * H, "buyer@example.com"),
    )
    definition = THREE_STEP.definition()
    definition["exit_on"] = ["unsubscribed"]
    answer, listed = _simulate(url, settings, three_step, definition=definition)
    assert answer.totals.late_sends == 2
    assert [(s.step_id, s.at) for s in answer.totals.late_send_examples] == [
        ("email-2", T0 + 25 * H),
        ("email-3", T0 + 73 * H),
    ]
    assert listed.items[0].late_sends == 2


def test_the_selection_takes_the_newest_abandoned_carts(
    url: str, settings: Settings, three_step: str
) -> None:
    record_events(
        url,
        settings,
        *(_abandoned(f"c{n}", T0 + n * H, f"c{n}@example.com") for n in range(5)),
    )
    answer, listed = _simulate(url, settings, three_step, carts=CartSelection(last=3))
    assert answer.carts == 3
    assert [t.cart_id for t in listed.items] == ["c4", "c3", "c2"]


def test_carts_that_would_not_enter_count_under_their_reason_not_as_entered(
    url: str, settings: Settings, three_step: str
) -> None:
    record_events(
        url,
        settings,
        _abandoned("big", T0, "big@example.com", total=80),
        _abandoned("small", T0, "small@example.com", total=5),
    )
    definition = THREE_STEP.definition()
    # The carts are in euros, the shop in dollars: the threshold names its currency.
    over_25 = {"field": "cart.total", "op": "gte", "value": {"EUR": 25}}
    definition["trigger"]["filters"] = {"all": [over_25]}
    answer, listed = _simulate(url, settings, three_step, definition=definition, compare_to="live")
    assert (answer.totals.carts, answer.totals.entered) == (2, 1)
    assert answer.totals.not_entered == {"filtered": 1}
    assert answer.totals.outcomes == {"lost": 1}
    assert answer.compared.entered == 2 and answer.difference.entered == -1
    small = next(t for t in listed.items if t.cart_id == "small")
    assert (small.entered, small.not_entered, small.compared.outcome) == (False, "filtered", "lost")


def test_a_draft_or_definition_without_its_name_is_named_as_publishing_names_it(
    url: str, settings: Settings, three_step: str
) -> None:
    record_events(url, settings, _abandoned("c0", T0, "c0@example.com"))
    unnamed = THREE_STEP.definition()
    unnamed.pop("name", None)
    answer, _ = _simulate(url, settings, three_step, definition=unnamed)
    assert answer.totals.emails == 3
    with session_scope(url) as session:
        automations.save_draft(session, three_step, unnamed)
    answer, _ = _simulate(url, settings, three_step)
    assert (answer.tried.kind, answer.totals.emails) == ("draft", 3)


def test_a_dry_run_chooses_the_customer_s_language_as_a_send_does(
    url: str, settings: Settings, three_step: str
) -> None:
    with session_scope(url) as session:
        seeded = templates.versions(session, templates.find(session, "cart-reminder"))[0]
        korean = templates.LocaleContent("{{ cart.total }}, 장바구니", seeded.mjml, seeded.text)
        content = templates.TemplateContent(
            seeded.subject, seeded.mjml, seeded.text, translations={"ko": korean}
        )
        templates.save_draft(session, "cart-reminder", content)
        templates.publish(session, "cart-reminder")
    in_korean = _abandoned("korean", T0, "ko@example.com")
    in_korean["data"]["customer"] = {"first_name": "Min", "locale": "ko-KR"}
    in_korean["data"]["currency"] = "KRW"
    in_polish = _abandoned("polish", T0, "pl@example.com")
    in_polish["data"]["customer"] = {"first_name": "Ola", "locale": "pl-PL"}
    record_events(url, settings, in_korean, in_polish)

    _, listed = _simulate(url, settings, three_step)
    subjects = {
        t.cart_id: step.detail["subject"]
        for t in listed.items
        for step in t.steps
        if step.step_id == "email-1" and step.type == "action"
    }

    assert subjects == {"korean": "₩80, 장바구니", "polish": "Ola, your cart is waiting"}
