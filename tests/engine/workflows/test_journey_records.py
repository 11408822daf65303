"""A journey's history is kept in the database as it goes: each action carries the steps
since the last ones kept, and the journey's end keeps the rest (LASTING_HISTORY)."""

from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

from engine.language.contracts import ControlRequest, JourneySignal
from engine.language.interpreter import StepRecord
from engine.workflows.journey import JourneyWorkflow
from tests.engine.workflows.support import WAIT_THEN_EMAIL, RecordingActions, running
from tests.engine.workflows.test_journey_sequence import THREE_REMINDERS


def _shape(records: list[StepRecord]) -> list[tuple[str, str, dict[str, object]]]:
    """A step as kept: the last action's and the end's times are the worker's clock."""
    return [(record.step_id, record.type, record.detail) for record in records]


async def test_the_last_action_keeps_the_journeys_end_with_no_write_of_its_own(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        handle = await start(WAIT_THEN_EMAIL)
        state = await handle.result()

    assert _shape(actions.kept_history(handle.id)) == _shape(state.history)
    assert [r.type for r in state.history][-2:] == ["action", "finish"]
    assert actions.ends_kept_alone == 0


async def test_every_step_of_a_journey_that_ran_to_its_end_is_kept(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        handle = await start(THREE_REMINDERS)
        state = await handle.result()

    assert _shape(actions.kept_history(handle.id)) == _shape(state.history)
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
    assert _shape(kept) == _shape(state.history)
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
    assert _shape(kept) == _shape(state.history)
    assert kept[-1].detail == {"outcome": "cancelled", "reason": "asked by phone"}


async def test_steps_an_action_that_failed_carried_are_kept_by_a_later_one(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions(fail_permanently=True)
    async with running(time_skipping_env, actions) as start:
        handle = await start(THREE_REMINDERS)
        state = await handle.result()

    assert _shape(actions.kept_history(handle.id)) == _shape(state.history)
