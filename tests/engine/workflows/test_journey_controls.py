"""Support controls (pause, resume, cancel) and the waiting steps, on the time-skipping server."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from temporalio.testing import WorkflowEnvironment

from engine.language.contracts import ControlRequest, JourneySignal
from engine.workflows.journey import JourneyWorkflow
from tests.engine.workflows.support import (
    WAIT_THEN_EMAIL,
    RecordingActions,
    definition_of,
    running,
)


async def test_pause_holds_the_email_past_the_wait_and_resume_sends_it_at_once(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        handle = await start(WAIT_THEN_EMAIL)
        paused = await handle.execute_update(JourneyWorkflow.pause, ControlRequest())
        again = await handle.execute_update(JourneyWorkflow.pause, ControlRequest())
        await time_skipping_env.sleep(timedelta(hours=5))  # the 2 h wait ends while paused
        snapshot = await handle.query(JourneyWorkflow.snapshot)
        sent_while_paused = list(actions.steps)
        resumed_at = await time_skipping_env.get_current_time()
        resumed = await handle.execute_update(JourneyWorkflow.resume, ControlRequest())
        state = await handle.result()

    assert (paused.status, paused.changed, again.changed) == ("paused", True, False)
    assert snapshot is not None and snapshot.paused
    assert snapshot.state.current_step == "email-1", "the wait kept counting while paused"
    assert sent_while_paused == []
    assert (resumed.status, resumed.changed) == ("running", True)
    assert actions.steps == ["email-1"]
    assert actions.call_times[0] - resumed_at < timedelta(minutes=1), "sent on resume"
    assert state.outcome == "completed"


async def test_cancel_ends_the_journey_with_its_reason(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        handle = await start(WAIT_THEN_EMAIL)
        cancelled = await handle.execute_update(
            JourneyWorkflow.cancel, ControlRequest(reason="customer asked by phone")
        )
        state = await handle.result()

    assert (cancelled.status, cancelled.outcome) == ("finished", "cancelled")
    assert state.outcome == "cancelled"
    assert state.history[-1].detail == {"outcome": "cancelled", "reason": "customer asked by phone"}
    assert actions.steps == []


WAIT_FOR_CLICK = definition_of(
    {"id": "email-1", "type": "action", "action": "send_email", "params": {}},
    {"id": "click?", "type": "wait_for_event", "event": "email_clicked", "timeout": "48h",
     "on_event": [{"id": "thanks", "type": "action", "action": "send_email", "params": {}}],
     "on_timeout": [{"id": "lost", "type": "exit", "outcome": "lost"}]},
    {"id": "after", "type": "action", "action": "send_email", "params": {}},
)  # fmt: skip


async def test_wait_for_event_takes_the_event_branch_when_it_arrives(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        handle = await start(WAIT_FOR_CLICK)
        await time_skipping_env.sleep(timedelta(hours=3))
        click = JourneySignal(event_id="evt-click", event="email_clicked")
        await handle.signal(JourneyWorkflow.event, click)
        state = await handle.result()

    assert actions.steps == ["email-1", "thanks", "after"]
    assert state.outcome == "completed"


async def test_wait_for_event_takes_the_timeout_branch_when_nothing_comes(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        began = await time_skipping_env.get_current_time()
        state = await (await start(WAIT_FOR_CLICK)).result()
        ended = await time_skipping_env.get_current_time()

    assert actions.steps == ["email-1"]
    assert state.outcome == "lost"
    assert ended - began >= timedelta(hours=48)


async def test_wait_until_sends_at_the_next_matching_local_time(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    morning = definition_of(
        {"id": "9am", "type": "wait_until", "time": "09:00", "timezone": "America/New_York"},
        {"id": "email-1", "type": "action", "action": "send_email", "params": {}},
    )
    async with running(time_skipping_env, actions) as start:
        await (await start(morning)).result()

    local = actions.call_times[0].astimezone(ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (9, 0)
