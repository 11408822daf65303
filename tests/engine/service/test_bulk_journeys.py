"""All journeys of an automation at once: count, pause/resume/cancel, move to a new version."""

import asyncio
import uuid
from collections.abc import Iterable

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from engine.language.contracts import JourneyInput, MoveRequest
from engine.language.definition import Automation
from engine.language.journey_results import JourneyNotChanged
from engine.runtime.worker import WORKFLOW_RUNNER
from engine.service import journeys
from engine.workflows.journey import JourneyWorkflow
from tests.engine.workflows.support import RecordingActions, definition_of
from tests.support import eventually

# Long enough that four journeys start, show in visibility and are moved before their wait
# ends, on a slow, loaded host too (4 s was not: they had finished before the move).
WAIT = "15s"


def _wait_then(wait_id: str, email_id: str) -> Automation:
    return definition_of(
        {"id": wait_id, "type": "wait", "duration": WAIT},
        {"id": email_id, "type": "action", "action": "send_email", "params": {}},
    )


V0, V1, V2 = (
    _wait_then("wait-0", "email-0"),
    _wait_then("wait-1", "email-1"),
    _wait_then("wait-1", "email-new"),
)


async def _enrol(env: WorkflowEnvironment, queue: str, automation_id: str, cart: str,
                 definition: Automation, version: int) -> str:  # fmt: skip
    journey = JourneyInput(
        automation_id=automation_id,
        automation_version=version,
        definition=definition,
        subject_id=cart,
        cart_id=cart,
    )
    return await journeys.enroll(env.client, queue, journey)


async def _all_resting(client: Client, workflow_ids: Iterable[str]) -> bool:
    """Whether each journey has run its first task (it rests at its first wait)."""
    for workflow_id in workflow_ids:
        snapshot = await client.get_workflow_handle(workflow_id).query(JourneyWorkflow.snapshot)
        if snapshot is None or snapshot.state.current_step is None:
            return False
    return True


async def test_moving_journeys_reports_moved_already_and_refused(
    dev_server_env: WorkflowEnvironment,
) -> None:
    client, queue, automation_id = (
        dev_server_env.client,
        str(uuid.uuid4()),
        f"aut_{uuid.uuid4().hex[:8]}",
    )
    actions = RecordingActions()
    async with Worker(
        client,
        task_queue=queue,
        workflows=[JourneyWorkflow],
        workflow_runner=WORKFLOW_RUNNER,
        activities=actions.activities(),
    ):
        ids = {
            "a": await _enrol(dev_server_env, queue, automation_id, "a", V1, 1),
            "b": await _enrol(dev_server_env, queue, automation_id, "b", V1, 1),
            "old": await _enrol(dev_server_env, queue, automation_id, "old", V0, 0),
            "new": await _enrol(dev_server_env, queue, automation_id, "new", V2, 2),
        }
        # Running is not enough: a journey whose first task has not run yet has no step,
        # and the move refuses it.
        await eventually(lambda: _all_resting(client, ids.values()), lambda ok: ok)

        report = await journeys.move_all(client, automation_id, V2, 2)
        results = {
            cart: await client.get_workflow_handle_for(JourneyWorkflow.run, workflow_id).result()
            for cart, workflow_id in ids.items()
        }

    assert (report.moved, report.already) == (2, 1)
    assert report.refused == [
        JourneyNotChanged(
            journey_id=ids["old"], reason="its step 'wait-0' no longer exists in version 2"
        )
    ]
    sent = {call.cart_id: call.step_id for call in actions.calls}
    assert sent == {"a": "email-new", "b": "email-new", "old": "email-0", "new": "email-new"}
    moved = [r.detail for r in results["a"].history if r.type == "moved"]
    assert moved == [{"from_version": 1, "to_version": 2}]


async def test_pausing_resuming_and_cancelling_every_journey(
    dev_server_env: WorkflowEnvironment,
) -> None:
    client, queue, automation_id = (
        dev_server_env.client,
        str(uuid.uuid4()),
        f"aut_{uuid.uuid4().hex[:8]}",
    )
    long_wait = definition_of({"id": "wait-1", "type": "wait", "duration": "1h"})
    async with Worker(
        client,
        task_queue=queue,
        workflows=[JourneyWorkflow],
        activities=RecordingActions().activities(),
    ):
        for cart in ("a", "b", "c"):
            await _enrol(dev_server_env, queue, automation_id, cart, long_wait, 1)
        await eventually(lambda: journeys.count_running(client, automation_id), lambda n: n == 3)

        paused = await journeys.control_all(client, automation_id, "pause")
        again = await journeys.control_all(client, automation_id, "pause")
        cancelled = await journeys.control_all(
            client, automation_id, "cancel", "automation retired"
        )
        left = await eventually(
            lambda: journeys.count_running(client, automation_id), lambda n: n == 0
        )

    assert (paused.changed, paused.unchanged, paused.failed) == (3, 0, [])
    assert (again.changed, again.unchanged) == (0, 3)
    assert (cancelled.changed, cancelled.failed) == (3, [])
    assert left == 0


async def test_a_move_that_reaches_a_journey_before_its_first_step_is_refused_with_a_reason(
    dev_server_env: WorkflowEnvironment,
) -> None:
    # No worker yet: the move waits on the server and arrives with the journey's first task.
    client, queue = dev_server_env.client, str(uuid.uuid4())
    workflow_id = await _enrol(dev_server_env, queue, f"aut_{uuid.uuid4().hex[:8]}", "c", V1, 1)
    handle = client.get_workflow_handle_for(JourneyWorkflow.run, workflow_id)
    move = asyncio.create_task(
        handle.execute_update(JourneyWorkflow.move_to, MoveRequest(definition=V2, version=2))
    )
    await asyncio.sleep(1)  # the update is registered on the server before the worker polls
    actions = RecordingActions()
    async with Worker(
        client,
        task_queue=queue,
        workflows=[JourneyWorkflow],
        workflow_runner=WORKFLOW_RUNNER,
        activities=actions.activities(),
    ):
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await move
        await handle.cancel()

    assert "has not reached its first step yet" in str(refused.value.cause)
