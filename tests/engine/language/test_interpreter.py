"""The journey state machine, driven by a virtual clock (plain datetimes, no Temporal)."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import TypeAdapter

from engine.language.conditions import evaluate
from engine.language.definition import ABSplitStep, Automation, Condition
from engine.language.interpreter import (
    Decision,
    Finish,
    Interpreter,
    JourneyState,
    RunAction,
    Wait,
    choose_variant,
)
from engine.language.local_time import next_matching_time, resolve_timezone

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

# -- building definitions -----------------------------------------------------


def automation(*steps: dict[str, Any], **fields: Any) -> Automation:
    return Automation.model_validate(
        {"name": "test", "trigger": {"event": "cart_abandoned"}, "steps": list(steps), **fields}
    )


def wait(step_id: str, duration: str = "1h") -> dict[str, Any]:
    return {"id": step_id, "type": "wait", "duration": duration}


def action(step_id: str, name: str = "send_email", **params: Any) -> dict[str, Any]:
    return {"id": step_id, "type": "action", "action": name, "params": params}


def exit_step(step_id: str, outcome: str) -> dict[str, Any]:
    return {"id": step_id, "type": "exit", "outcome": outcome}


def leaf(field: str, op: str, value: Any = None) -> dict[str, Any]:
    return {"field": field, "op": op, "value": value}


def condition(
    step_id: str, if_: dict[str, Any], then: list[Any] | None = None, else_: list[Any] | None = None
) -> dict[str, Any]:
    return {"id": step_id, "type": "condition", "if": if_, "then": then or [], "else": else_ or []}


def ab_split(step_id: str, **weights: int) -> dict[str, Any]:
    """One action per variant, named `<step_id>-<variant>`."""
    return {
        "id": step_id,
        "type": "ab_split",
        "variants": [
            {"name": name, "weight": weight, "steps": [action(f"{step_id}-{name}")]}
            for name, weight in weights.items()
        ],
    }


def journey(subject_id: str = "cart-1", **context: Any) -> JourneyState:
    return JourneyState(subject_id=subject_id, context=context)


def cond(data: dict[str, Any]) -> Condition:
    return TypeAdapter(Condition).validate_python(data)


def run(
    interpreter: Interpreter,
    state: JourneyState,
    results: dict[str, dict[str, Any]] | None = None,
) -> tuple[Finish, list[str]]:
    """Drive a journey to its end: sleep through waits, complete actions with `results`.

    Returns how it finished and the step ids of the actions it ran, in order.
    """
    now = T0
    ran: list[str] = []
    decision: Decision = interpreter.start(state, now)
    while not isinstance(decision, Finish):
        if isinstance(decision, Wait):
            now = decision.until
            decision = interpreter.timer_fired(state, now)
        else:
            ran.append(decision.step_id)
            now += timedelta(seconds=1)
            result = (results or {}).get(decision.step_id, {"ok": True})
            decision = interpreter.action_completed(state, now, result)
    return decision, ran


# -- waits, actions and the end -----------------------------------------------


def test_start_at_a_wait_sleeps_until_now_plus_the_duration() -> None:
    state = journey()

    decision = Interpreter(automation(wait("w", "2h"), action("a"))).start(state, T0)

    assert decision == Wait(step_id="w", until=T0 + timedelta(hours=2))
    assert state.current_step == "w"
    assert state.wake_at == T0 + timedelta(hours=2)
    assert state.outcome is None


def test_timer_fired_moves_to_the_next_step() -> None:
    interpreter = Interpreter(automation(wait("w1", "1h"), wait("w2", "1d")))
    state = journey()
    interpreter.start(state, T0)

    woke = T0 + timedelta(hours=1)
    decision = interpreter.timer_fired(state, woke)

    assert decision == Wait(step_id="w2", until=woke + timedelta(days=1))
    assert state.current_step == "w2"


def test_an_action_step_asks_to_run_the_action_with_its_step_id_and_params() -> None:
    interpreter = Interpreter(
        automation(action("code", "create_discount", percent=15, expires_in="7d"))
    )

    decision = interpreter.start(journey(), T0)

    assert decision == RunAction(
        step_id="code", action="create_discount", params={"percent": 15, "expires_in": "7d"}
    )


def test_action_completed_stores_the_result_under_the_step_id_and_moves_on() -> None:
    interpreter = Interpreter(automation(action("code", "create_discount"), wait("w", "30m")))
    state = journey()
    interpreter.start(state, T0)

    done = T0 + timedelta(seconds=3)
    decision = interpreter.action_completed(state, done, {"code": "SAVE15"})

    assert state.results == {"code": {"code": "SAVE15"}}
    assert decision == Wait(step_id="w", until=done + timedelta(minutes=30))


def test_the_end_of_the_steps_finishes_completed() -> None:
    interpreter = Interpreter(automation(wait("w"), action("a")))
    state = journey()

    finish, ran = run(interpreter, state)

    assert finish == Finish(outcome="completed", reason="end")
    assert ran == ["a"]
    assert state.outcome == "completed"
    assert state.current_step is None
    assert state.wake_at is None


def test_an_exit_step_finishes_with_its_outcome_and_skips_the_rest() -> None:
    interpreter = Interpreter(automation(action("a"), exit_step("stop", "lost"), action("never")))
    state = journey()

    finish, ran = run(interpreter, state)

    assert finish == Finish(outcome="lost", reason="stop")
    assert ran == ["a"]
    assert state.outcome == "lost"


def test_timer_fired_while_at_an_action_raises() -> None:
    interpreter = Interpreter(automation(action("a"), wait("w")))
    state = journey()
    interpreter.start(state, T0)

    with pytest.raises(ValueError, match="'a'"):
        interpreter.timer_fired(state, T0 + timedelta(hours=1))
    assert state.current_step == "a"


def test_action_completed_while_at_a_wait_raises() -> None:
    interpreter = Interpreter(automation(wait("w"), action("a")))
    state = journey()
    interpreter.start(state, T0)

    with pytest.raises(ValueError, match="'w'"):
        interpreter.action_completed(state, T0, {})
    assert state.results == {}


def test_timer_fired_after_the_journey_finished_raises() -> None:
    interpreter = Interpreter(automation(action("a")))
    state = journey()
    run(interpreter, state)

    with pytest.raises(ValueError):
        interpreter.timer_fired(state, T0 + timedelta(days=1))


# -- exit events ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "outcome"),
    [
        ("cart_recovered", "recovered"),
        ("order_placed", "purchased"),
        ("unsubscribed", "unsubscribed"),
    ],
)
def test_an_exit_on_event_finishes_the_journey(event: str, outcome: str) -> None:
    interpreter = Interpreter(automation(wait("w"), action("a")))
    state = journey()
    interpreter.start(state, T0)

    later = T0 + timedelta(minutes=10)
    decision = interpreter.event_received(state, event, later)

    assert decision == Finish(outcome=outcome, reason=event)
    assert state.outcome == outcome
    assert state.current_step is None
    assert state.wake_at is None
    assert state.history[-1].type == "finish"
    assert state.history[-1].at == later


@pytest.mark.parametrize(
    ("exit_on", "event"),
    [
        (None, "email_clicked"),
        (None, "cart_updated"),
        (["unsubscribed"], "order_placed"),
        ([], "cart_recovered"),
    ],
)
def test_an_event_not_in_exit_on_changes_nothing(exit_on: list[str] | None, event: str) -> None:
    fields = {} if exit_on is None else {"exit_on": exit_on}
    interpreter = Interpreter(automation(wait("w"), action("a"), **fields))
    state = journey()
    interpreter.start(state, T0)
    before = state.model_copy(deep=True)

    assert interpreter.event_received(state, event, T0 + timedelta(minutes=1)) is None
    assert state == before


def test_an_exit_event_after_the_journey_finished_changes_nothing() -> None:
    interpreter = Interpreter(automation(exit_step("stop", "lost")))
    state = journey()
    interpreter.start(state, T0)

    assert interpreter.event_received(state, "order_placed", T0) is None
    assert state.outcome == "lost"


# -- conditions ------------------------------------------------------------------


@pytest.mark.parametrize(("total", "branch"), [(80, "big"), (50, "big"), (49.99, "small")])
def test_a_condition_on_the_cart_total_picks_the_branch(total: float, branch: str) -> None:
    interpreter = Interpreter(
        automation(
            condition("c", leaf("cart.total", "gte", 50), [action("big")], [action("small")])
        )
    )

    _, ran = run(interpreter, journey(cart={"total": total}))

    assert ran == [branch]


@pytest.mark.parametrize(("segment", "code"), [("vip", "code-vip"), ("repeat", "code-std")])
def test_a_condition_on_the_customer_segment_picks_the_branch(segment: str, code: str) -> None:
    interpreter = Interpreter(
        automation(
            condition(
                "vip?",
                leaf("customer.segment", "eq", "vip"),
                [action("code-vip", "create_discount", percent=15)],
                [action("code-std", "create_discount", percent=10)],
            )
        )
    )
    state = journey(customer={"segment": segment})

    _, ran = run(interpreter, state)

    assert ran == [code]
    assert state.history[0].step_id == "vip?"
    assert state.history[0].detail == {"branch": "then" if code == "code-vip" else "else"}


@pytest.mark.parametrize(("opened", "next_action"), [(True, "thanks"), (False, "nudge")])
def test_a_condition_reads_an_earlier_action_result(opened: bool, next_action: str) -> None:
    interpreter = Interpreter(
        automation(
            action("email-1"),
            condition(
                "opened?",
                leaf("steps.email-1.opened", "eq", True),
                [action("thanks")],
                [action("nudge")],
            ),
        )
    )

    _, ran = run(interpreter, journey(), results={"email-1": {"opened": opened}})

    assert ran == ["email-1", next_action]


def test_a_condition_on_a_step_that_has_not_run_takes_else() -> None:
    interpreter = Interpreter(
        automation(
            condition("c", leaf("steps.later.opened", "eq", True), [action("yes")], [action("no")]),
            action("later"),
        )
    )

    _, ran = run(interpreter, journey(), results={"later": {"opened": True}})

    assert ran == ["no", "later"]


@pytest.mark.parametrize(("vip", "expected"), [(True, ["gift", "after"]), (False, ["after"])])
def test_an_empty_branch_continues_after_the_condition(vip: bool, expected: list[str]) -> None:
    interpreter = Interpreter(
        automation(
            condition("c", leaf("customer.segment", "eq", "vip"), [action("gift")], []),
            action("after"),
        )
    )

    finish, ran = run(interpreter, journey(customer={"segment": "vip" if vip else "new"}))

    assert ran == expected
    assert finish.outcome == "completed"


def test_after_a_branch_ends_the_journey_continues_after_the_condition() -> None:
    interpreter = Interpreter(
        automation(
            condition(
                "c",
                leaf("customer.segment", "eq", "vip"),
                [action("vip-1"), wait("vip-wait", "2h"), action("vip-2")],
                [action("std-1")],
            ),
            wait("after-wait", "1d"),
            action("after"),
        )
    )

    _, vip_ran = run(interpreter, journey(customer={"segment": "vip"}))
    _, std_ran = run(interpreter, journey(customer={"segment": "new"}))

    assert vip_ran == ["vip-1", "vip-2", "after"]
    assert std_ran == ["std-1", "after"]


def test_a_nested_branch_ends_into_the_step_after_the_outer_condition() -> None:
    interpreter = Interpreter(
        automation(
            condition(
                "outer",
                leaf("cart.total", "gt", 0),
                [condition("inner", leaf("customer.segment", "eq", "vip"), [action("inner-vip")])],
            ),
            action("after"),
        )
    )

    _, vip_ran = run(interpreter, journey(cart={"total": 10}, customer={"segment": "vip"}))
    _, new_ran = run(interpreter, journey(cart={"total": 10}, customer={"segment": "new"}))

    assert vip_ran == ["inner-vip", "after"]
    assert new_ran == ["after"]


def test_an_exit_inside_a_branch_stops_the_journey() -> None:
    interpreter = Interpreter(
        automation(
            condition("c", leaf("cart.total", "lt", 10), [exit_step("too-small", "skipped")]),
            action("email"),
        )
    )

    small, small_ran = run(interpreter, journey(cart={"total": 5}))
    large, large_ran = run(interpreter, journey(cart={"total": 50}))

    assert (small, small_ran) == (Finish("skipped", "too-small"), [])
    assert (large, large_ran) == (Finish("completed", "end"), ["email"])


# -- evaluate --------------------------------------------------------------------

FACTS: dict[str, Any] = {
    "cart": {"total": 80, "currency": "EUR", "items": ["sku-1", "sku-2"], "coupon": None},
    "customer": {"segment": "vip", "tags": ["wholesale", "newsletter"], "name": "Ada"},
    "steps": {"email-1": {"opened": True, "clicks": 2}},
}


@pytest.mark.parametrize(
    ("field", "op", "value", "expected"),
    [
        ("customer.segment", "eq", "vip", True),
        ("customer.segment", "eq", "new", False),
        ("customer.segment", "ne", "new", True),
        ("customer.segment", "ne", "vip", False),
        ("cart.total", "gt", 79, True),
        ("cart.total", "gt", 80, False),
        ("cart.total", "gte", 80, True),
        ("cart.total", "gte", 80.01, False),
        ("cart.total", "lt", 81, True),
        ("cart.total", "lt", 80, False),
        ("cart.total", "lte", 80, True),
        ("cart.total", "lte", 79.5, False),
        ("customer.segment", "in", ["vip", "repeat"], True),
        ("customer.segment", "in", ["new"], False),
        ("customer.segment", "not_in", ["new", "repeat"], True),
        ("customer.segment", "not_in", ["vip"], False),
        ("customer.tags", "contains", "wholesale", True),
        ("customer.tags", "contains", "retail", False),
        ("customer.name", "contains", "Ad", True),
        ("customer.name", "contains", "Bo", False),
        ("cart.total", "exists", None, True),
        ("cart.total", "exists", True, True),
        ("cart.total", "exists", False, False),
        ("cart.discount", "exists", None, False),
        ("cart.discount", "exists", False, True),
        ("cart.coupon", "exists", None, False),  # null counts as absent
        ("steps.email-1.opened", "eq", True, True),
        ("steps.email-1.clicks", "gte", 1, True),
    ],
)
def test_each_operator(field: str, op: str, value: Any, expected: bool) -> None:
    assert evaluate(cond(leaf(field, op, value)), FACTS) is expected


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("eq", "vip", False),
        ("ne", "vip", True),
        ("gt", 0, False),
        ("gte", 0, False),
        ("lt", 100, False),
        ("lte", 100, False),
        ("in", ["vip"], False),
        ("not_in", ["vip"], True),
        ("contains", "x", False),
        ("exists", None, False),
    ],
)
@pytest.mark.parametrize(
    "field", ["customer.missing", "order.total", "steps.never-ran.opened", "cart.total.deeper"]
)
def test_a_missing_field_never_raises(field: str, op: str, value: Any, expected: bool) -> None:
    assert evaluate(cond(leaf(field, op, value)), FACTS) is expected


@pytest.mark.parametrize(
    ("field", "op", "value"),
    [
        ("cart.total", "gt", "50"),
        ("cart.total", "lte", "a lot"),
        ("customer.segment", "lt", 3),
        ("cart.coupon", "gte", 10),  # null against a number
        ("cart.total", "contains", "8"),
        ("customer.name", "contains", 1),
        ("cart.total", "in", "80"),
        ("cart.total", "in", None),
        ("customer.tags", "in", {"wholesale": 1}),  # a list is not hashable
        ("customer.segment", "in", 5),
        ("customer.tags", "gt", 1),
        ("cart.total", "eq", "80"),
    ],
)
def test_unlike_types_do_not_match_and_do_not_raise(field: str, op: str, value: Any) -> None:
    assert evaluate(cond(leaf(field, op, value)), FACTS) is False


def test_all_any_and_not() -> None:
    vip = leaf("customer.segment", "eq", "vip")
    big = leaf("cart.total", "gt", 100)
    usd = leaf("cart.currency", "eq", "USD")

    assert evaluate(cond({"all": [vip, leaf("cart.total", "gt", 50)]}), FACTS) is True
    assert evaluate(cond({"all": [vip, big]}), FACTS) is False
    assert evaluate(cond({"any": [big, vip]}), FACTS) is True
    assert evaluate(cond({"any": [big, usd]}), FACTS) is False
    assert evaluate(cond({"not": big}), FACTS) is True
    assert evaluate(cond({"not": vip}), FACTS) is False
    assert evaluate(cond({"not": {"any": [big, usd]}}), FACTS) is True
    assert evaluate(cond({"all": [vip, {"not": {"all": [big, usd]}}]}), FACTS) is True
    assert evaluate(cond({"all": []}), FACTS) is True
    assert evaluate(cond({"any": []}), FACTS) is False


def test_conditions_on_an_empty_context_do_not_raise() -> None:
    condition_ = cond(
        {"any": [leaf("cart.total", "gt", 1), {"not": leaf("customer.tags", "contains", "x")}]}
    )

    assert evaluate(condition_, {}) is True


# -- A/B splits --------------------------------------------------------------------


def split_step(**weights: int) -> ABSplitStep:
    step = automation(ab_split("test", **weights)).steps[0]
    assert isinstance(step, ABSplitStep)
    return step


def test_the_same_subject_always_gets_the_same_variant() -> None:
    definition = automation(ab_split("subject-test", urgency=50, friendly=50))

    for subject in ("cart-1", "cart-2", "cart-3", "cart-4"):
        runs = {tuple(run(Interpreter(definition), journey(subject))[1]) for _ in range(5)}
        assert len(runs) == 1, subject


def test_different_subjects_see_both_variants() -> None:
    step = split_step(a=50, b=50)

    chosen = {choose_variant(step, f"cart-{n}").name for n in range(50)}

    assert chosen == {"a", "b"}


def test_weights_are_respected_over_many_subjects() -> None:
    step = split_step(control=90, treatment=10)

    counts = Counter(choose_variant(step, f"cart-{n}").name for n in range(2000))

    assert 1720 <= counts["control"] <= 1880
    assert counts["control"] + counts["treatment"] == 2000


def test_a_zero_weight_variant_is_never_chosen() -> None:
    step = split_step(a=1, off=0, b=1)

    counts = Counter(choose_variant(step, f"cart-{n}").name for n in range(2000))

    assert counts["off"] == 0
    assert counts["a"] > 0 and counts["b"] > 0


def test_an_ab_split_runs_the_chosen_variant_then_continues() -> None:
    interpreter = Interpreter(automation(ab_split("ab", a=1, b=1), action("after")))
    state = journey("cart-7")

    _, ran = run(interpreter, state)

    variant = choose_variant(interpreter.automation.steps[0], "cart-7")  # type: ignore[arg-type]
    assert ran == [f"ab-{variant.name}", "after"]
    assert state.history[0].step_id == "ab"
    assert state.history[0].detail == {"variant": variant.name}


# -- history -------------------------------------------------------------------------


def test_the_history_records_each_step_in_order_with_the_virtual_time() -> None:
    interpreter = Interpreter(
        automation(
            wait("wait-1", "1h"),
            action("email-1"),
            condition(
                "vip?",
                leaf("customer.segment", "eq", "vip"),
                [action("code-vip")],
                [action("code-std")],
            ),
            wait("wait-2", "1d"),
            exit_step("done", "lost"),
            action("never"),
        )
    )
    state = journey(customer={"segment": "vip"})

    run(interpreter, state, results={"email-1": {"message_id": "m-1"}})

    assert [(r.step_id, r.type) for r in state.history] == [
        ("wait-1", "wait"),
        ("email-1", "action"),
        ("vip?", "condition"),
        ("code-vip", "action"),
        ("wait-2", "wait"),
        ("done", "exit"),
        ("done", "finish"),
    ]
    assert state.history[0].at == T0 + timedelta(hours=1)
    assert state.history[1].detail == {"message_id": "m-1"}
    assert state.history[2].detail == {"branch": "then"}
    assert state.history[-1].detail == {"outcome": "lost"}
    times = [r.at for r in state.history]
    assert times == sorted(times)
    assert times[-1] - times[3] == timedelta(days=1)


def test_the_journey_state_survives_serialisation_mid_journey() -> None:
    interpreter = Interpreter(automation(action("a"), wait("w"), action("b")))
    state = journey(cart={"total": 10})
    interpreter.start(state, T0)
    interpreter.action_completed(state, T0, {"id": "x"})

    restored = JourneyState.model_validate_json(state.model_dump_json())

    assert restored == state
    assert interpreter.timer_fired(restored, T0 + timedelta(hours=1)) == RunAction(
        "b", "send_email", {}
    )


# -- wait_until, wait_for_event, cancel, attribution --------------------------------

PARIS = ZoneInfo("Europe/Paris")


def test_wait_until_sleeps_to_the_next_matching_local_time() -> None:
    interpreter = Interpreter(
        automation({"id": "9am", "type": "wait_until", "time": "09:00", "timezone": "Europe/Paris"})
    )
    # T0 is Monday 09:00 UTC = 10:00 in Paris: today's 09:00 has passed.
    decision = interpreter.start(journey(), T0)

    assert decision == Wait("9am", datetime(2025, 3, 4, 9, 0, tzinfo=PARIS).astimezone(UTC))


@pytest.mark.parametrize(
    ("days", "expected_day"),
    [(["mon"], 10), (["wed", "fri"], 5), ([], 4)],
)
def test_wait_until_honours_the_days(days: list[str], expected_day: int) -> None:
    moment = next_matching_time(T0, "09:00", days, PARIS)

    assert moment == datetime(2025, 3, expected_day, 9, 0, tzinfo=PARIS).astimezone(UTC)


def test_wait_until_across_a_daylight_saving_change_keeps_the_local_time() -> None:
    before_change = datetime(2025, 3, 29, 12, 0, tzinfo=UTC)  # Paris moves to CEST on 30 March

    moment = next_matching_time(before_change, "09:00", [], PARIS)

    assert moment.astimezone(PARIS).hour == 9
    assert moment == datetime(2025, 3, 30, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("setting", "context", "expected"),
    [
        ("customer", {"customer": {"timezone": "Asia/Tokyo"}}, "Asia/Tokyo"),
        ("customer", {"shop": {"timezone": "Europe/Paris"}}, "Europe/Paris"),
        ("customer", {"customer": {"timezone": "Mars/Olympus"},
                      "shop": {"timezone": "Europe/Paris"}}, "Europe/Paris"),
        ("shop", {"customer": {"timezone": "Asia/Tokyo"}}, "UTC"),
        ("America/New_York", {}, "America/New_York"),
    ],
)  # fmt: skip
def test_the_customer_zone_falls_back_to_the_shop_then_utc(
    setting: str, context: dict[str, Any], expected: str
) -> None:
    assert str(resolve_timezone(setting, context)) == expected


WAIT_FOR_CLICK = {
    "id": "click?", "type": "wait_for_event", "event": "email_clicked", "timeout": "48h",
    "on_event": [action("thanks")], "on_timeout": [exit_step("lost", "lost")],
}  # fmt: skip


def test_wait_for_event_waits_with_a_timeout_for_its_event() -> None:
    interpreter = Interpreter(automation(WAIT_FOR_CLICK, action("after")))

    decision = interpreter.start(journey(), T0)

    assert decision == Wait("click?", T0 + timedelta(hours=48), event="email_clicked")


def test_the_awaited_event_takes_the_on_event_branch_then_continues() -> None:
    interpreter = Interpreter(automation(WAIT_FOR_CLICK, action("after")))
    state = journey()
    interpreter.start(state, T0)

    unrelated = interpreter.event_received(state, "order_paid", T0 + timedelta(hours=1))
    clicked = interpreter.event_received(state, "email_clicked", T0 + timedelta(hours=2))
    after = interpreter.action_completed(state, T0 + timedelta(hours=2), {})

    assert unrelated is None
    assert clicked == RunAction("thanks", "send_email", {})
    assert after == RunAction("after", "send_email", {})
    assert state.history[0].detail == {"event": "email_clicked"}


def test_the_timeout_takes_the_on_timeout_branch() -> None:
    interpreter = Interpreter(automation(WAIT_FOR_CLICK, action("after")))
    finish, ran = run(interpreter, journey())

    assert (finish.outcome, ran) == ("lost", [])


def test_cancel_finishes_cancelled_with_the_reason() -> None:
    interpreter = Interpreter(automation(wait("w"), action("a")))
    state = journey()
    interpreter.start(state, T0)

    finish = interpreter.cancel(state, "asked by phone", T0)

    assert finish.outcome == state.outcome == "cancelled"
    assert state.history[-1].detail == {"outcome": "cancelled", "reason": "asked by phone"}


def test_a_recovery_is_attributed_to_the_last_email_that_went_out() -> None:
    interpreter = Interpreter(automation(action("email-1"), action("email-2"), wait("w")))
    state = journey()
    interpreter.start(state, T0)
    interpreter.action_completed(state, T0, {"status": "sent"})
    interpreter.action_completed(state, T0, {"status": "skipped"})

    interpreter.event_received(state, "cart_recovered", T0 + timedelta(minutes=5))

    assert (state.outcome, state.recovered_via) == ("recovered", "email-1")


def test_the_chosen_variant_is_recorded_in_the_state() -> None:
    interpreter = Interpreter(automation(ab_split("subject", a=1, b=1)))
    state = journey("cart-7")

    interpreter.start(state, T0)

    assert state.variants["subject"] in {"a", "b"}
    assert (
        state.variants["subject"]
        == choose_variant(
            Interpreter(automation(ab_split("subject", a=1, b=1))).automation.steps[0],  # type: ignore[arg-type]
            "cart-7",
        ).name
    )


# -- quiet hours and holdout --------------------------------------------------------

QUIET = {"quiet_hours": {"start": "21:00", "end": "08:00", "timezone": "Europe/Paris"}}
EMAILS = frozenset({"send_email"})


def test_a_send_inside_quiet_hours_waits_for_their_end_then_runs() -> None:
    interpreter = Interpreter(
        automation(wait("w", "14h"), action("email-1"), settings=QUIET), EMAILS
    )
    state = journey()
    interpreter.start(state, T0)  # Monday 10:00 in Paris; the wait ends at midnight there
    deferred = interpreter.timer_fired(state, T0 + timedelta(hours=14))
    end = datetime(2025, 3, 4, 8, 0, tzinfo=PARIS).astimezone(UTC)

    assert deferred == Wait("email-1", end)
    assert state.wake_at == end and state.current_step == "email-1"
    assert state.history[-1].type == "deferred"
    assert interpreter.timer_fired(state, end) == RunAction("email-1", "send_email", {})


@pytest.mark.parametrize(
    ("paris_time", "deferred"),
    [("20:59", False), ("21:00", True), ("23:30", True), ("03:00", True), ("07:59", True),
     ("08:00", False), ("12:00", False)],
)  # fmt: skip
def test_the_quiet_window_spans_midnight(paris_time: str, deferred: bool) -> None:
    hour, minute = (int(part) for part in paris_time.split(":"))
    now = datetime(2025, 3, 4, hour, minute, tzinfo=PARIS).astimezone(UTC)
    interpreter = Interpreter(automation(action("email-1"), settings=QUIET), EMAILS)

    decision = interpreter.start(journey(), now)

    assert isinstance(decision, Wait) is deferred


def test_quiet_hours_leave_actions_that_do_not_message_the_customer_alone() -> None:
    night = datetime(2025, 3, 4, 23, 0, tzinfo=PARIS)
    interpreter = Interpreter(
        automation(action("code", "create_discount", percent=10), settings=QUIET), EMAILS
    )

    assert interpreter.start(journey(), night) == RunAction(
        "code", "create_discount", {"percent": 10}
    )


def test_quiet_hours_follow_the_customers_time_zone() -> None:
    quiet = {"quiet_hours": {"start": "21:00", "end": "08:00"}}  # timezone: customer
    interpreter = Interpreter(automation(action("email-1"), settings=quiet), EMAILS)
    noon_utc = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)  # 21:00 in Tokyo

    in_tokyo = interpreter.start(journey(customer={"timezone": "Asia/Tokyo"}), noon_utc)
    in_paris = interpreter.start(journey(customer={"timezone": "Europe/Paris"}), noon_utc)

    assert in_tokyo == Wait("email-1", datetime(2025, 3, 5, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo")))
    assert isinstance(in_paris, RunAction)


def test_retry_current_defers_an_action_that_now_falls_in_quiet_hours() -> None:
    interpreter = Interpreter(automation(action("email-1"), settings=QUIET), EMAILS)
    state = journey()
    assert isinstance(interpreter.start(state, T0), RunAction)  # 10:00 in Paris

    late = datetime(2025, 3, 3, 22, 0, tzinfo=PARIS)  # e.g. resumed after a long pause
    assert isinstance(interpreter.retry_current(state, late), Wait)


def test_a_quiet_window_must_have_different_start_and_end() -> None:
    with pytest.raises(ValueError, match="different start and end"):
        automation(action("a"), settings={"quiet_hours": {"start": "08:00", "end": "08:00"}})


def test_holdout_subjects_are_a_stable_share_and_their_actions_run_in_shadow() -> None:
    definition = automation(action("email-1"), settings={"holdout_percent": 10})

    decisions = {n: Interpreter(definition).start(journey(f"cart-{n}"), T0) for n in range(2000)}
    held = [
        n
        for n, decision in decisions.items()
        if isinstance(decision, RunAction) and decision.shadow
    ]
    again = [
        n for n in held if Interpreter(definition).start(journey(f"cart-{n}"), T0) == decisions[n]
    ]

    assert 140 <= len(held) <= 260  # 10 % of 2,000, give or take
    assert again == held


def test_no_holdout_by_default() -> None:
    decision = Interpreter(automation(action("email-1"))).start(journey(), T0)

    assert decision == RunAction("email-1", "send_email", {}, shadow=False)


def test_an_action_answering_deferred_is_run_again_at_retry_at() -> None:
    interpreter = Interpreter(automation(action("email-1"), action("email-2")))
    state = journey()
    interpreter.start(state, T0)
    later = T0 + timedelta(hours=11)

    deferred = interpreter.action_completed(
        state, T0, {"status": "deferred", "retry_at": later.isoformat(), "reason": "frequency cap"}
    )
    again = interpreter.timer_fired(state, later)

    assert deferred == Wait("email-1", later)
    assert "email-1" not in state.results, "a deferral is not the step's result"
    assert state.history[-1].detail == {"until": later.isoformat(), "why": "frequency cap"}
    assert again == RunAction("email-1", "send_email", {})
