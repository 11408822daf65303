"""JourneyWorkflow on the time-skipping test server: waits, actions, exits."""

from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

from engine.language.contracts import JourneySignal
from engine.workflows.journey import JourneyWorkflow
from tests.engine.workflows.support import (
    WAIT_THEN_EMAIL,
    RecordingActions,
    definition_of,
    running,
)


async def test_waits_then_sends_once_and_completes(time_skipping_env: WorkflowEnvironment) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        before = await time_skipping_env.get_current_time()
        handle = await start(WAIT_THEN_EMAIL)
        state = await handle.result()
        after = await time_skipping_env.get_current_time()

    assert state.outcome == "completed"
    assert after - before >= timedelta(hours=2), "the email may only go after the 2 h wait"
    assert len(actions.calls) == 1
    call = actions.calls[0]
    assert (call.step_id, call.cart_id, call.automation_version) == ("email-1", "cart-1", 3)
    assert call.workflow_id == handle.id
    assert call.params == {"template": "x"}
    assert state.results["email-1"]["status"] == "sent"
    assert [record.step_id for record in state.history] == ["wait-1", "email-1", "end"]


async def test_recovery_during_the_wait_stops_before_any_email(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        handle = await start(WAIT_THEN_EMAIL)
        await time_skipping_env.sleep(timedelta(minutes=30))
        current = await handle.query(JourneyWorkflow.snapshot)
        assert current is not None and current.state.current_step == "wait-1"
        signal = JourneySignal(event_id="evt-1", event="cart_recovered")
        await handle.signal(JourneyWorkflow.event, signal)
        await handle.signal(JourneyWorkflow.event, signal)  # delivered twice: still one exit
        state = await handle.result()

    assert state.outcome == "recovered"
    assert actions.calls == []
    assert [r.detail for r in state.history if r.type == "finish"] == [
        {"outcome": "recovered", "recovered_via": None}
    ]


async def test_events_outside_exit_on_do_not_stop_the_journey(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        handle = await start(WAIT_THEN_EMAIL)
        await handle.signal(JourneyWorkflow.event, JourneySignal(event_id="e", event="order_paid"))
        state = await handle.result()

    assert state.outcome == "completed"
    assert len(actions.calls) == 1


async def test_a_permanently_failing_action_is_recorded_and_the_journey_goes_on(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions(fail_permanently=True)
    definition = definition_of(
        {"id": "email-1", "type": "action", "action": "send_email", "params": {}},
        {"id": "wait-1", "type": "wait", "duration": "1d"},
        {"id": "lost", "type": "exit", "outcome": "lost"},
    )
    async with running(time_skipping_env, actions) as start:
        state = await (await start(definition)).result()

    assert len(actions.calls) == 1, "a non-retryable failure is not retried"
    assert state.results["email-1"]["status"] == "failed"
    assert "no such template" in state.results["email-1"]["error"]
    assert state.outcome == "lost"
