"""A journey's history is kept in the database as it goes: each action carries the steps
since the last ones kept, and the journey's end keeps the rest (LASTING_HISTORY)."""

from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

from engine.language.contracts import ControlRequest, JourneySignal
from engine.workflows.journey import JourneyWorkflow
from tests.engine.workflows.support import RecordingActions, running
from tests.engine.workflows.test_journey_sequence import THREE_REMINDERS


async def test_every_step_of_a_journey_that_ran_to_its_end_is_kept(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        handle = await start(THREE_REMINDERS)
        state = await handle.result()

    assert actions.kept_history(handle.id) == state.history
    # Each action carried what came before it: the first email carried the first wait.
    first_email = actions.calls[0]
    assert first_email.history is not None and first_email.history.first_seq == 0
    assert [r.step_id for r in first_email.history.records] == ["wait-1"]


async def test_a_journey_stopped_during_a_wait_keeps_its_steps_and_why(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        handle = await start(THREE_REMINDERS)
        await time_skipping_env.sleep(timedelta(hours=26))  # after the second email
        await handle.signal(
            JourneyWorkflow.event, JourneySignal(event_id="e1", event="cart_recovered")
        )
        state = await handle.result()

    kept = actions.kept_history(handle.id)
    assert kept == state.history
    assert kept[-1].type == "finish" and kept[-1].detail["outcome"] == "recovered"


async def test_a_cancelled_journey_keeps_who_stopped_it(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        handle = await start(THREE_REMINDERS)
        await handle.execute_update(JourneyWorkflow.cancel, ControlRequest(reason="asked by phone"))
        state = await handle.result()

    kept = actions.kept_history(handle.id)
    assert kept == state.history
    assert kept[-1].detail == {"outcome": "cancelled", "reason": "asked by phone"}


async def test_steps_an_action_that_failed_carried_are_kept_by_a_later_one(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions(fail_permanently=True)
    async with running(time_skipping_env, actions) as start:
        handle = await start(THREE_REMINDERS)
        state = await handle.result()

    assert actions.kept_history(handle.id) == state.history
