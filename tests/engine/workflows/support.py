"""Helpers for JourneyWorkflow tests: stand-in activities and a worker on a fresh queue."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from temporalio import activity
from temporalio.client import WorkflowHandle
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from engine.language.contracts import (
    KEEP_RECORDS,
    STOPPED,
    ActionRequest,
    JourneyInput,
    JourneyRecords,
    PurchaseCheck,
    PurchaseCheckResult,
)
from engine.language.definition import Automation
from engine.language.interpreter import JourneyState, StepRecord, last_records
from engine.runtime.worker import WORKFLOW_RUNNER
from engine.workflows.journey import JourneyWorkflow


def definition_of(*steps: dict[str, Any], **fields: Any) -> Automation:
    return Automation.model_validate(
        {"name": "test", "trigger": {"event": "cart_abandoned"}, "steps": list(steps), **fields}
    )


WAIT_THEN_EMAIL = definition_of(
    {"id": "wait-1", "type": "wait", "duration": "2h"},
    {"id": "email-1", "type": "action", "action": "send_email", "params": {"template": "x"}},
)


class RecordingActions:
    """Stand-ins registered under the real activity names, recording what the journey asked.

    `known_events` plays the database for the purchase check, which an action runs first
    (`ActionRequest.stop_if`) or, before a held-out step, the journey on its own.
    """

    def __init__(self, fail_permanently: bool = False) -> None:
        self.calls: list[ActionRequest] = []
        self.call_times: list[datetime] = []
        self.fail_permanently = fail_permanently
        self.known_events: list[str] = []
        self.checks = 0
        # What the database would hold of each journey's history: workflow id → seq → step.
        self.kept: dict[str, dict[int, StepRecord]] = {}
        self.ends_kept_alone = 0  # journeys whose end needed the keep activity

    def activities(self) -> list[Any]:
        @activity.defn(name="send_email")
        async def send_email(request: ActionRequest) -> dict[str, Any]:
            if stopped := self._check(request):
                return stopped
            self._record(request)
            if self.fail_permanently:  # its transaction, and the history in it, rolled back
                raise ApplicationError("no such template", non_retryable=True)
            result = {"status": "sent", "message_id": len(self.calls)}
            self._keep(request.history, request.step_id, result)
            return result

        @activity.defn(name="create_discount")
        async def create_discount(request: ActionRequest) -> dict[str, Any]:
            if stopped := self._check(request):
                return stopped
            self._record(request)
            result = {"status": "created", "code": f"SAVE{request.params['percent']}-TEST"}
            self._keep(request.history, request.step_id, result)
            return result

        @activity.defn(name="mark_cart_lost")
        async def mark_cart_lost(request: ActionRequest) -> dict[str, Any]:
            if stopped := self._check(request):
                return stopped
            self._record(request)
            result = {"status": "lost"}
            self._keep(request.history, request.step_id, result)
            return result

        @activity.defn(name="check_purchase")
        async def check_purchase(_check: PurchaseCheck) -> PurchaseCheckResult:
            self.checks += 1
            return PurchaseCheckResult(events=self.known_events)

        @activity.defn(name=KEEP_RECORDS)
        async def keep_journey_records(batch: JourneyRecords) -> None:
            self.ends_kept_alone += 1
            self._keep(batch)

        return [send_email, create_discount, mark_cart_lost, check_purchase, keep_journey_records]

    def _keep(
        self, batch: JourneyRecords | None, step_id: str = "", result: dict[str, Any] | None = None
    ) -> None:
        """As engine.activities.runner keeps history: the batch, and after the journey's last
        action (`then_ends`) that action's record and the journey's end."""
        if batch is None:
            return
        records = list(batch.records)
        if batch.then_ends and result is not None:
            records += last_records(step_id, result, activity.info().current_attempt_scheduled_time)
        kept = self.kept.setdefault(batch.workflow_id, {})
        for seq, record in enumerate(records, start=batch.first_seq):
            kept.setdefault(seq, record)

    def kept_history(self, workflow_id: str) -> list[StepRecord]:
        kept = self.kept.get(workflow_id, {})
        assert sorted(kept) == list(range(len(kept))), "a step of the history was never kept"
        return [kept[seq] for seq in sorted(kept)]

    def _check(self, request: ActionRequest) -> dict[str, Any] | None:
        """The purchase check an action runs first, as engine.activities.runner does (a stop
        commits the journey's history the action carried)."""
        if not request.stop_if:
            return None
        self.checks += 1
        found = [event for event in self.known_events if event in request.stop_if]
        if found:
            self._keep(request.history)
        return {"status": STOPPED, "events": found} if found else None

    def _record(self, request: ActionRequest) -> None:
        self.calls.append(request)
        self.call_times.append(activity.info().scheduled_time)

    @property
    def steps(self) -> list[str]:
        return [call.step_id for call in self.calls]


async def start_journey(
    env: WorkflowEnvironment,
    task_queue: str,
    definition: Automation,
    cart_id: str = "cart-1",
    quiet_actions: tuple[str, ...] = ("send_email",),
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
            quiet_actions=list(quiet_actions),
        ),
        id=f"journey:aut_test:{cart_id}:{uuid.uuid4()}",
        task_queue=task_queue,
    )


@asynccontextmanager
async def running(
    env: WorkflowEnvironment, actions: RecordingActions
) -> AsyncIterator[
    Callable[[Automation], Awaitable[WorkflowHandle[JourneyWorkflow, JourneyState]]]
]:
    """A worker on a fresh task queue; yields a function that starts a journey there."""
    queue = str(uuid.uuid4())
    async with Worker(
        env.client,
        task_queue=queue,
        workflows=[JourneyWorkflow],
        workflow_runner=WORKFLOW_RUNNER,
        activities=actions.activities(),
    ):
        yield lambda definition: start_journey(env, queue, definition)
