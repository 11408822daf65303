"""Automation settings the journey enforces: quiet hours, holdout, and A/B shares."""

import asyncio
import uuid
from collections import Counter
from datetime import UTC, timedelta

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from engine.language.interpreter import JourneyState
from engine.runtime.worker import WORKFLOW_RUNNER
from engine.workflows.journey import JourneyWorkflow
from tests.engine.workflows.support import (
    RecordingActions,
    definition_of,
    running,
    start_journey,
)


def _email(step_id: str) -> dict[str, object]:
    return {"id": step_id, "type": "action", "action": "send_email",
            "params": {"template": "cart-reminder"}}  # fmt: skip


async def test_a_send_in_quiet_hours_is_deferred_to_their_end_not_dropped(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    began = (await time_skipping_env.get_current_time()).astimezone(UTC)
    quiet_start = (began + timedelta(hours=1)).replace(second=0, microsecond=0)
    quiet_end = (began + timedelta(hours=5)).replace(second=0, microsecond=0)
    definition = definition_of(
        {"id": "wait-1", "type": "wait", "duration": "2h"},  # ends inside the quiet hours
        _email("email-1"),
        settings={
            "quiet_hours": {
                "start": quiet_start.strftime("%H:%M"),
                "end": quiet_end.strftime("%H:%M"),
                "timezone": "UTC",
            }
        },
    )
    actions = RecordingActions()
    async with running(time_skipping_env, actions) as start:
        handle = await start(definition)
        await time_skipping_env.sleep(timedelta(hours=3))
        snapshot = await handle.query(JourneyWorkflow.snapshot)
        sent_during_quiet_hours = list(actions.steps)
        state = await handle.result()

    assert snapshot is not None
    assert (snapshot.state.current_step, snapshot.state.wake_at) == ("email-1", quiet_end)
    assert sent_during_quiet_hours == []
    assert actions.steps == ["email-1"], "deferred, never dropped"
    assert quiet_end <= actions.call_times[0] < quiet_end + timedelta(minutes=1)
    assert [r.type for r in state.history] == ["wait", "deferred", "action", "finish"]
    assert state.outcome == "completed"


SPLIT_WITH_HOLDOUT = definition_of(
    {"id": "subject-test", "type": "ab_split", "variants": [
        {"name": "urgency", "weight": 50, "steps": [_email("email-a")]},
        {"name": "friendly", "weight": 50, "steps": [_email("email-b")]}]},
    settings={"holdout_percent": 10},
)  # fmt: skip
SUBJECTS = 1000
AT_ONCE = 25  # the dev server takes journeys in parallel; bounded, as enrolment is


async def test_over_1000_subjects_the_split_and_holdout_shares_hold_and_held_out_send_nothing(
    dev_server_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    queue = str(uuid.uuid4())
    gate = asyncio.Semaphore(AT_ONCE)

    async def journey(cart_id: str) -> JourneyState:
        async with gate:
            handle = await start_journey(dev_server_env, queue, SPLIT_WITH_HOLDOUT, cart_id)
            return await handle.result()

    async with Worker(
        dev_server_env.client,
        task_queue=queue,
        workflows=[JourneyWorkflow],
        workflow_runner=WORKFLOW_RUNNER,
        activities=actions.activities(),
        max_concurrent_activities=AT_ONCE,
    ):
        carts = [f"cart-{n}" for n in range(SUBJECTS)]
        states = await asyncio.gather(*(journey(cart) for cart in carts))
        sample = carts[:40]
        again = await asyncio.gather(*(journey(cart) for cart in sample))

    variants = Counter(state.variants["subject-test"] for state in states)
    held_out = {state.subject_id for state in states if state.holdout}
    sent_to = {call.cart_id for call in actions.calls}
    assert 450 <= variants["urgency"] <= 550, variants
    assert variants["urgency"] + variants["friendly"] == SUBJECTS
    assert 70 <= len(held_out) <= 130, len(held_out)
    assert sent_to == set(carts) - held_out, "held-out subjects get nothing, the others get it"
    for state in states:
        if state.holdout:
            (record,) = [r for r in state.history if r.type == "action"]
            assert record.detail == {"status": "held_out", "would_have_run": "send_email"}
    first = {state.subject_id: state.variants for state in states}
    assert all(state.variants == first[state.subject_id] for state in again), "same variant"
