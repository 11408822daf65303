"""JourneyWorkflow on the time-skipping test server: waits, actions, exits."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from temporalio import activity
from temporalio.client import WorkflowHandle
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from engine.contracts import ActionRequest, JourneyInput, JourneySignal
from engine.definition import Automation
from engine.interpreter import JourneyState
from engine.workflows.journey import JourneyWorkflow


def _definition(*steps: dict[str, Any]) -> Automation:
    return Automation.model_validate(
        {"name": "test", "trigger": {"event": "cart_abandoned"}, "steps": list(steps)}
    )


WAIT_THEN_EMAIL = _definition(
    {"id": "wait-1", "type": "wait", "duration": "2h"},
    {"id": "email-1", "type": "action", "action": "send_email", "params": {"template": "x"}},
)


class RecordingActions:
    """Stand-ins registered under the real action names, recording what the journey asked."""

    def __init__(self, fail_permanently: bool = False) -> None:
        self.calls: list[ActionRequest] = []
        self.fail_permanently = fail_permanently

    def activities(self) -> list[Any]:
        @activity.defn(name="send_email")
        async def send_email(request: ActionRequest) -> dict[str, Any]:
            self.calls.append(request)
            if self.fail_permanently:
                raise ApplicationError("no such template", non_retryable=True)
            return {"status": "sent", "message_id": len(self.calls)}

        return [send_email]


async def _start(
    env: WorkflowEnvironment, task_queue: str, definition: Automation, cart_id: str = "cart-1"
) -> WorkflowHandle[JourneyWorkflow, JourneyState]:
    return await env.client.start_workflow(
        JourneyWorkflow.run,
        JourneyInput(
            automation_id="aut_test",
            automation_version=3,
            definition=definition,
            subject_id=cart_id,
            cart_id=cart_id,
            customer_id="cus_1",
            context={"cart": {"total": 280.77}},
        ),
        id=f"journey:aut_test:{cart_id}:{uuid.uuid4()}",
        task_queue=task_queue,
    )


@asynccontextmanager
async def _running(
    env: WorkflowEnvironment, actions: RecordingActions
) -> AsyncIterator[
    Callable[[Automation], Awaitable[WorkflowHandle[JourneyWorkflow, JourneyState]]]
]:
    """A worker on a fresh task queue; yields a function that starts a journey there."""
    queue = str(uuid.uuid4())
    async with Worker(
        env.client, task_queue=queue, workflows=[JourneyWorkflow], activities=actions.activities()
    ):
        yield lambda definition: _start(env, queue, definition)


async def test_waits_then_sends_once_and_completes(time_skipping_env: WorkflowEnvironment) -> None:
    actions = RecordingActions()
    async with _running(time_skipping_env, actions) as start:
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
    async with _running(time_skipping_env, actions) as start:
        handle = await start(WAIT_THEN_EMAIL)
        await time_skipping_env.sleep(timedelta(minutes=30))
        current = await handle.query(JourneyWorkflow.state)
        assert current is not None and current.current_step == "wait-1"
        signal = JourneySignal(event_id="evt-1", event="cart_recovered")
        await handle.signal(JourneyWorkflow.event, signal)
        await handle.signal(JourneyWorkflow.event, signal)  # delivered twice: still one exit
        state = await handle.result()

    assert state.outcome == "recovered"
    assert actions.calls == []
    assert [r.detail for r in state.history if r.type == "finish"] == [{"outcome": "recovered"}]


async def test_events_outside_exit_on_do_not_stop_the_journey(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions()
    async with _running(time_skipping_env, actions) as start:
        handle = await start(WAIT_THEN_EMAIL)
        await handle.signal(JourneyWorkflow.event, JourneySignal(event_id="e", event="order_paid"))
        state = await handle.result()

    assert state.outcome == "completed"
    assert len(actions.calls) == 1


async def test_a_permanently_failing_action_is_recorded_and_the_journey_goes_on(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    actions = RecordingActions(fail_permanently=True)
    definition = _definition(
        {"id": "email-1", "type": "action", "action": "send_email", "params": {}},
        {"id": "wait-1", "type": "wait", "duration": "1d"},
        {"id": "lost", "type": "exit", "outcome": "lost"},
    )
    async with _running(time_skipping_env, actions) as start:
        state = await (await start(definition)).result()

    assert len(actions.calls) == 1, "a non-retryable failure is not retried"
    assert state.results["email-1"]["status"] == "failed"
    assert "no such template" in state.results["email-1"]["error"]
    assert state.outcome == "lost"
