"""JourneyWorkflow: one subject (a cart) going through one published automation version.

It only drives `engine.language.interpreter` with Temporal timers, signals and activities.
Support controls (pause, resume, cancel) are updates; pause is ours, not the
server's: no action starts while paused, waits keep counting.
"""

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from engine.language.contracts import (
        CHECKED_EVENTS,
        KEEP_RECORDS,
        STOPPED,
        ActionRequest,
        ControlRequest,
        ControlResult,
        JourneyInput,
        JourneyRecords,
        JourneySignal,
        JourneySnapshot,
        MoveRequest,
        MoveResult,
        PurchaseCheck,
        PurchaseCheckResult,
    )
    from engine.language.interpreter import (
        Decision,
        Finish,
        Interpreter,
        JourneyState,
        RunAction,
        StepRecord,
        Wait,
        records_completion,
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

PURCHASE_CHECK = "check_purchase"
# One patch (`workflow.patched`) for the two changes that came together: the purchase check
# runs in the action's activity (one activity per action, not two), and JourneyStep is
# upserted only for a step the journey rests at. Asked once, as the journey starts, so its
# marker goes into the first workflow task, not into a send's. Journeys started before it
# keep the old commands.
FEWER_COMMANDS = "purchase-check-in-action"
# The journey's steps are kept in the database as it goes (engine.service.journey_records):
# each action carries the steps since the last ones kept, and a journey that ends with steps
# no action carried keeps them with one local activity. (Its entry is the `Enrolment` row.)
# Journeys started before it keep none.
LASTING_HISTORY = "journey-records"
ACTION_TIMEOUT = timedelta(seconds=30)
ACTION_RETRY = RetryPolicy(maximum_interval=timedelta(minutes=5), maximum_attempts=20)
CHECK_RETRY = RetryPolicy(maximum_interval=timedelta(minutes=1))  # never skip the check


@workflow.defn
class JourneyWorkflow:
    def __init__(self) -> None:
        self._journey: JourneyInput | None = None
        self._interpreter: Interpreter | None = None
        self._state: JourneyState | None = None
        self._inbox: list[JourneySignal] = []
        self._seen: set[str] = set()
        self._shown_step: str | None = None
        self._paused = False
        self._fewer_commands = False
        self._keeps_records = False
        self._kept = 0  # how many of the journey's steps the database holds
        self._cancel_reason: str | None = None

    @workflow.run
    async def run(self, journey: JourneyInput) -> JourneyState:
        self._fewer_commands = workflow.patched(FEWER_COMMANDS)
        self._keeps_records = workflow.patched(LASTING_HISTORY)
        self._journey = journey
        self._interpreter = Interpreter(journey.definition, frozenset(journey.quiet_actions))
        state = self._state = JourneyState(subject_id=journey.subject_id, context=journey.context)
        decision: Decision = self._interpreter.start(state, workflow.now())
        while not isinstance(decision, Finish):
            self._show_step(state, resting=isinstance(decision, Wait))
            if interrupted := self._interruption(state):
                decision = interrupted
            elif isinstance(decision, Wait):
                decision = await self._wait(state, decision)
            elif isinstance(decision, RunAction):
                decision = await self._act(state, decision)
        if (unkept := self._unkept(state)) is not None:
            await workflow.execute_local_activity(
                KEEP_RECORDS,
                unkept,
                start_to_close_timeout=ACTION_TIMEOUT,
                retry_policy=CHECK_RETRY,  # nothing of the history is given up
            )
        workflow.upsert_search_attributes(
            [JOURNEY_STEP.value_set(""), JOURNEY_OUTCOME.value_set(decision.outcome)]
        )
        return state

    # -- what reaches the journey ------------------------------------------------

    @workflow.signal
    def event(self, signal: JourneySignal) -> None:
        if signal.event_id not in self._seen:  # signals may be delivered twice
            self._seen.add(signal.event_id)
            self._inbox.append(signal)

    @workflow.query
    def snapshot(self) -> JourneySnapshot | None:
        if self._journey is None or self._state is None:
            return None
        return JourneySnapshot(
            automation_id=self._journey.automation_id,
            automation_version=self._journey.automation_version,
            paused=self._paused,
            state=self._state,
        )

    @workflow.update
    def pause(self, request: ControlRequest) -> ControlResult:  # noqa: ARG002
        changed, self._paused = not self._paused, True
        return ControlResult(status="paused", changed=changed)

    @workflow.update
    def resume(self, request: ControlRequest) -> ControlResult:  # noqa: ARG002
        changed, self._paused = self._paused, False
        return ControlResult(status="running", changed=changed)

    @workflow.update
    async def cancel(self, request: ControlRequest) -> ControlResult:
        self._cancel_reason = request.reason or "cancelled by support"
        await workflow.wait_condition(lambda: self._finished)
        assert self._state is not None
        return ControlResult(status="finished", changed=True, outcome=self._state.outcome)

    @workflow.update
    def move_to(self, request: MoveRequest) -> MoveResult:
        """Run the rest of the journey on another version: the current step stays (its wait
        keeps its wake-up time), what follows comes from the new definition."""
        assert self._journey is not None and self._state is not None
        before = self._journey.automation_version
        if request.version == before:
            return MoveResult(moved=False, from_version=before, to_version=before)
        self._journey = self._journey.model_copy(
            update={"definition": request.definition, "automation_version": request.version}
        )
        self._interpreter = Interpreter(request.definition, frozenset(self._journey.quiet_actions))
        self._state.history.append(
            StepRecord(
                step_id=self._state.current_step or "",
                type="moved",
                at=workflow.now(),
                detail={"from_version": before, "to_version": request.version},
            )
        )
        workflow.upsert_search_attributes([AUTOMATION_VERSION.value_set(str(request.version))])
        return MoveResult(moved=True, from_version=before, to_version=request.version)

    @move_to.validator
    def _move_allowed(self, request: MoveRequest) -> None:
        self._refuse_if_finished()
        if self._state is None or self._state.current_step is None:
            # An update can arrive in the journey's first task, before `run` has begun.
            raise ValueError("it has not reached its first step yet: move it again in a moment")
        step_id = self._state.current_step
        here = request.definition.step_index().get(step_id or "")
        if here is None:
            raise ValueError(f"its step {step_id!r} no longer exists in version {request.version}")
        if self._interpreter is not None:
            was = self._interpreter.automation.step_index()[step_id]
            if here.type != was.type:
                raise ValueError(
                    f"its step {step_id!r} is a {here.type} in version {request.version}, "
                    f"not a {was.type}"
                )

    @pause.validator
    def _pause_allowed(self, request: ControlRequest) -> None:  # noqa: ARG002
        self._refuse_if_finished()

    @resume.validator
    def _resume_allowed(self, request: ControlRequest) -> None:  # noqa: ARG002
        self._refuse_if_finished()

    @cancel.validator
    def _cancel_allowed(self, request: ControlRequest) -> None:  # noqa: ARG002
        self._refuse_if_finished()

    def _refuse_if_finished(self) -> None:
        if self._finished:
            assert self._state is not None
            raise ValueError(f"the journey has already ended ({self._state.outcome})")

    @property
    def _finished(self) -> bool:
        return self._state is not None and self._state.outcome is not None

    # -- driving the interpreter -------------------------------------------------

    @property
    def interpreter(self) -> Interpreter:
        """The current version's interpreter (`move_to` may replace it between steps)."""
        assert self._interpreter is not None
        return self._interpreter

    def _interruption(self, state: JourneyState) -> Decision | None:
        """A cancel or an event that changes course (exit, awaited event), if any."""
        interpreter = self.interpreter
        now = workflow.now()
        if self._cancel_reason is not None:
            return interpreter.cancel(state, self._cancel_reason, now)
        while self._inbox:
            signal = self._inbox.pop(0)
            if decision := interpreter.event_received(state, signal.event, now):
                return decision
        return None

    def _interrupting(self) -> bool:
        return bool(self._inbox) or self._cancel_reason is not None

    async def _wait(self, state: JourneyState, wait: Wait) -> Decision:
        while (remaining := wait.until - workflow.now()) > timedelta(0):
            try:
                await workflow.wait_condition(self._interrupting, timeout=remaining)
            except TimeoutError:
                break
            if interrupted := self._interruption(state):
                return interrupted
        return self.interpreter.timer_fired(state, workflow.now())

    async def _act(self, state: JourneyState, run: RunAction) -> Decision:
        if self._paused:  # no action while paused; cancel and exits still apply
            self._show_step(state, resting=True)
            while self._paused:
                await workflow.wait_condition(lambda: not self._paused or self._interrupting())
                if interrupted := self._interruption(state):
                    return interrupted
            # Decide the step again: the pause may have lasted into quiet hours.
            return self.interpreter.retry_current(state, workflow.now())
        assert self._journey is not None
        journey = self._journey
        checked_in_action = self._fewer_commands and not run.shadow
        if not checked_in_action and (exited := await self._purchase_check(state, journey)):
            return exited
        if run.shadow:  # held out: evaluated and recorded, nothing goes out
            held_out = {"status": "held_out", "would_have_run": run.action}
            return self.interpreter.action_completed(state, workflow.now(), held_out)
        exits = self.interpreter.automation.exit_on
        stop_if = [event for event in CHECKED_EVENTS if event in exits] if checked_in_action else []
        unkept = self._unkept(state, then_ends=self.interpreter.ends_after(run.step_id))
        request = ActionRequest(
            workflow_id=workflow.info().workflow_id,
            step_id=run.step_id,
            automation_id=journey.automation_id,
            automation_version=journey.automation_version,
            cart_id=journey.cart_id,
            customer_id=journey.customer_id,
            order_id=journey.order_id,
            params=run.params,
            stop_if=stop_if,
            history=unkept,
        )
        try:
            result: dict[str, Any] = await workflow.execute_activity(
                run.action,
                request,
                result_type=dict,
                start_to_close_timeout=ACTION_TIMEOUT,
                retry_policy=ACTION_RETRY,
            )
            if unkept is not None:
                self._kept = unkept.first_seq + len(unkept.records)
                done = records_completion(result) and result.get("status") != STOPPED
                if unkept.then_ends and done:
                    self._kept += 2  # the action kept its record and the journey's end
        except ActivityError as error:
            # A permanent failure of one step is recorded and the journey goes on.
            result = {"status": "failed", "error": str(error.cause or error)}
        if result.get("status") == STOPPED:  # the purchase check found an exit: nothing ran
            for event in result.get("events", []):
                if decision := self.interpreter.event_received(state, event, workflow.now()):
                    return decision
        return self.interpreter.action_completed(state, workflow.now(), result)

    async def _purchase_check(self, state: JourneyState, journey: JourneyInput) -> Decision | None:
        """Ask the database too, so a lost or late event still stops the journey (its own
        activity: before a held-out step, and in journeys from before FEWER_COMMANDS)."""
        found = await workflow.execute_activity(
            PURCHASE_CHECK,
            # A post-purchase journey follows a purchase: only its customer's unsubscribe counts.
            PurchaseCheck(
                cart_id=None if journey.order_id else journey.cart_id,
                customer_id=journey.customer_id,
            ),
            result_type=PurchaseCheckResult,
            start_to_close_timeout=ACTION_TIMEOUT,
            retry_policy=CHECK_RETRY,
        )
        for event in found.events:
            if decision := self.interpreter.event_received(state, event, workflow.now()):
                return decision
        return None

    def _unkept(self, state: JourneyState, then_ends: bool = False) -> JourneyRecords | None:
        """The steps the database does not hold yet, for the next action to write (None: all
        kept, or a journey from before LASTING_HISTORY). `then_ends`: the action is the
        journey's last step, and keeps its record and the journey's end too."""
        if not self._keeps_records or (self._kept >= len(state.history) and not then_ends):
            return None
        assert self._journey is not None
        journey = self._journey
        return JourneyRecords(
            workflow_id=workflow.info().workflow_id,
            automation_id=journey.automation_id,
            automation_version=journey.automation_version,
            subject_id=journey.subject_id,
            cart_id=journey.cart_id,
            customer_id=journey.customer_id,
            order_id=journey.order_id,
            first_seq=self._kept,
            records=state.history[self._kept :],
            then_ends=then_ends,
        )

    def _show_step(self, state: JourneyState, resting: bool) -> None:
        """Keep the JourneyStep search attribute current (support finds journeys by it): the
        step the journey rests at (a wait, a pause). A step it passes through (an action that
        runs at once) is not shown: each upsert is a write to Temporal's visibility store."""
        if not resting and self._fewer_commands:
            return
        if state.current_step != self._shown_step:
            self._shown_step = state.current_step
            workflow.upsert_search_attributes([JOURNEY_STEP.value_set(state.current_step or "")])
