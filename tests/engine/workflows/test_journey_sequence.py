"""The three-email sequence of PRODUCT.md with its real durations, and purchase safety."""

from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

from engine.language.contracts import JourneySignal
from engine.workflows.journey import JourneyWorkflow
from tests.engine.workflows.support import RecordingActions, definition_of, running


def _email(step_id: str, template: str) -> dict[str, object]:
    return {"id": step_id, "type": "action", "action": "send_email",
            "params": {"template": template}}  # fmt: skip


THREE_REMINDERS = definition_of(
    {"id": "wait-1", "type": "wait", "duration": "1h"},
    _email("email-1", "cart-reminder"),
    {"id": "wait-2", "type": "wait", "duration": "24h"},
    {"id": "code-10", "type": "action", "action": "create_discount", "params": {"percent": 10}},
    _email("email-2", "cart-discount"),
    {"id": "wait-3", "type": "wait", "duration": "48h"},
    {"id": "code-15", "type": "action", "action": "create_discount",
     "params": {"percent": 15, "expires_in": "24h"}},
    _email("email-3", "cart-last-chance"),
    {"id": "mark-lost", "type": "action", "action": "mark_cart_lost", "params": {}},
    {"id": "lost", "type": "exit", "outcome": "lost"},
)  # fmt: skip
ALL_STEPS = ["email-1", "code-10", "email-2", "code-15", "email-3", "mark-lost"]


async def test_each_email_goes_at_its_time_then_the_cart_is_lost(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        began = await time_skipping_env.get_current_time()
        state = await (await start(THREE_REMINDERS)).result()

    assert actions.steps == ALL_STEPS
    hours = {
        call.step_id: (when - began) / timedelta(hours=1)
        for call, when in zip(actions.calls, actions.call_times, strict=True)
    }
    assert round(hours["email-1"], 1) == 1
    assert round(hours["email-2"], 1) == 1 + 24
    assert round(hours["email-3"], 1) == 1 + 24 + 48
    codes = [call.params for call in actions.calls if call.step_id.startswith("code")]
    assert codes == [{"percent": 10}, {"percent": 15, "expires_in": "24h"}]
    assert state.results["code-15"]["code"] == "SAVE15-TEST"
    assert state.outcome == "lost"
    assert actions.checks == len(ALL_STEPS), "the purchase check runs before every action"


async def test_a_purchase_signalled_at_30h_stops_the_sequence_after_email_2(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        handle = await start(THREE_REMINDERS)
        await time_skipping_env.sleep(timedelta(hours=30))
        order = JourneySignal(event_id="evt-order", event="order_placed")
        await handle.signal(JourneyWorkflow.event, order)
        state = await handle.result()

    assert actions.steps == ["email-1", "code-10", "email-2"]
    assert state.outcome == "purchased"


async def test_a_purchase_known_only_to_the_database_stops_the_next_email(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        handle = await start(THREE_REMINDERS)
        await time_skipping_env.sleep(timedelta(hours=30))
        actions.known_events = ["order_placed"]  # the order event's signal was lost
        state = await handle.result()

    assert actions.steps == ["email-1", "code-10", "email-2"]
    assert state.outcome == "purchased"


async def test_a_recovery_is_attributed_to_the_last_email_sent(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        handle = await start(THREE_REMINDERS)
        await time_skipping_env.sleep(timedelta(hours=26))
        recovered = JourneySignal(event_id="evt-rec", event="cart_recovered")
        await handle.signal(JourneyWorkflow.event, recovered)
        state = await handle.result()

    assert (state.outcome, state.recovered_via) == ("recovered", "email-2")
