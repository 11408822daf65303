"""JourneyWorkflow: one subject (a cart) going through one published automation version."""

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from engine.contracts import ActionRequest, JourneyInput, JourneySignal
    from engine.interpreter import (
        Decision,
        Finish,
        Interpreter,
        JourneyState,
        RunAction,
        Wait,
    )

AUTOMATION_ID = SearchAttributeKey.for_keyword("AutomationId")
AUTOMATION_VERSION = SearchAttributeKey.for_keyword("AutomationVersion")
CART_ID = SearchAttributeKey.for_keyword("CartId")
CUSTOMER_ID = SearchAttributeKey.for_keyword("CustomerId")
JOURNEY_STEP = SearchAttributeKey.for_keyword("JourneyStep")
JOURNEY_OUTCOME = SearchAttributeKey.for_keyword("JourneyOutcome")
SEARCH_ATTRIBUTES = (
    AUTOMATION_ID,
    AUTOMATION_VERSION,
    CART_ID,
    CUSTOMER_ID,
    JOURNEY_STEP,
    JOURNEY_OUTCOME,
)

ACTION_TIMEOUT = timedelta(seconds=30)
ACTION_RETRY = RetryPolicy(maximum_interval=timedelta(minutes=5), maximum_attempts=20)


@workflow.defn
class JourneyWorkflow:
    def __init__(self) -> None:
        self._state: JourneyState | None = None
        self._inbox: list[JourneySignal] = []
        self._seen: set[str] = set()
        self._shown_step: str | None = None

    @workflow.run
    async def run(self, journey: JourneyInput) -> JourneyState:
        interpreter = Interpreter(journey.definition)
        state = self._state = JourneyState(subject_id=journey.subject_id, context=journey.context)
        decision: Decision = interpreter.start(state, workflow.now())
        while not isinstance(decision, Finish):
            self._show_step(state)
            if exit_now := self._drain_inbox(interpreter, state):
                decision = exit_now
            elif isinstance(decision, Wait):
                decision = await self._wait(interpreter, state, decision)
            elif isinstance(decision, RunAction):
                decision = await self._act(interpreter, state, journey, decision)
        workflow.upsert_search_attributes(
            [JOURNEY_STEP.value_set(""), JOURNEY_OUTCOME.value_set(decision.outcome)]
        )
        return state

    @workflow.signal
    def event(self, signal: JourneySignal) -> None:
        if signal.event_id not in self._seen:  # signals may be delivered twice
            self._seen.add(signal.event_id)
            self._inbox.append(signal)

    @workflow.query
    def state(self) -> JourneyState | None:
        return self._state

    async def _wait(self, interpreter: Interpreter, state: JourneyState, wait: Wait) -> Decision:
        while (remaining := wait.until - workflow.now()) > timedelta(0):
            try:
                await workflow.wait_condition(lambda: bool(self._inbox), timeout=remaining)
            except TimeoutError:
                break
            if exit_now := self._drain_inbox(interpreter, state):
                return exit_now
        return interpreter.timer_fired(state, workflow.now())

    async def _act(
        self, interpreter: Interpreter, state: JourneyState, journey: JourneyInput, run: RunAction
    ) -> Decision:
        request = ActionRequest(
            workflow_id=workflow.info().workflow_id,
            step_id=run.step_id,
            automation_id=journey.automation_id,
            automation_version=journey.automation_version,
            cart_id=journey.cart_id,
            customer_id=journey.customer_id,
            params=run.params,
        )
        try:
            result: dict[str, Any] = await workflow.execute_activity(
                run.action,
                request,
                result_type=dict,
                start_to_close_timeout=ACTION_TIMEOUT,
                retry_policy=ACTION_RETRY,
            )
        except ActivityError as error:
            # A permanent failure of one step is recorded and the journey goes on.
            cause = str(error.cause or error)
            result = {"status": "failed", "error": cause}
        return interpreter.action_completed(state, workflow.now(), result)

    def _drain_inbox(self, interpreter: Interpreter, state: JourneyState) -> Finish | None:
        while self._inbox:
            signal = self._inbox.pop(0)
            if finish := interpreter.event_received(state, signal.event, workflow.now()):
                return finish
        return None

    def _show_step(self, state: JourneyState) -> None:
        """Keep the JourneyStep search attribute current (support finds journeys by it)."""
        if state.current_step != self._shown_step:
            self._shown_step = state.current_step
            workflow.upsert_search_attributes([JOURNEY_STEP.value_set(state.current_step or "")])
