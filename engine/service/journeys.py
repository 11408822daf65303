"""Journeys: enrol a subject, signal its journeys, list them, and control them in bulk."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal, TypeVar

from sqlmodel import Session, col, select
from temporalio.client import (
    Client,
    WorkflowExecution,
    WorkflowExecutionDescription,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import FailureError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from engine.language.contracts import (
    ControlRequest,
    ControlResult,
    JourneyInput,
    JourneySignal,
    JourneySnapshot,
    MoveRequest,
    MoveResult,
    journey_id,
)
from engine.language.definition import Automation
from engine.language.interpreter import JourneyState, StepRecord
from engine.language.journey_results import JourneyNotChanged, JourneysChanged, JourneysMoved
from engine.service import journey_records
from engine.service.errors import Conflict, InvalidInput, NotFound
from engine.store import models
from engine.workflows.journey import (
    AUTOMATION_ID,
    AUTOMATION_VERSION,
    CART_ID,
    CUSTOMER_ID,
    JOURNEY_OUTCOME,
    JOURNEY_STEP,
    JourneyWorkflow,
)


async def enroll(client: Client, task_queue: str, journey: JourneyInput) -> str:
    """Start the subject's journey, or find the one already running (never a second one)."""
    workflow_id = journey_id(journey.automation_id, journey.subject_id)
    attributes = [
        SearchAttributePair(AUTOMATION_ID, journey.automation_id),
        SearchAttributePair(AUTOMATION_VERSION, str(journey.automation_version)),
    ]
    if journey.cart_id:
        attributes.append(SearchAttributePair(CART_ID, journey.cart_id))
    if journey.customer_id:
        attributes.append(SearchAttributePair(CUSTOMER_ID, journey.customer_id))
    try:
        await client.start_workflow(
            JourneyWorkflow.run,
            journey,
            id=workflow_id,
            task_queue=task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            # A subject goes through an automation once: a replayed enrolment after the
            # journey ended must not start it again.
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=TypedSearchAttributes(attributes),
        )
    except WorkflowAlreadyStartedError:
        pass  # it ran already: that journey counts
    return workflow_id


async def signal(client: Client, workflow_ids: list[str], message: JourneySignal) -> int:
    """Deliver an event to each of these journeys that is running; returns how many got it."""
    delivered = 0
    for workflow_id in workflow_ids:
        try:
            await client.get_workflow_handle(workflow_id).signal(JourneyWorkflow.event, message)
            delivered += 1
        except RPCError as error:
            if error.status != RPCStatusCode.NOT_FOUND:  # not found: none, or already closed
                raise
    return delivered


async def running_ids_of_customer(client: Client, customer_id: str) -> list[str]:
    query = f"CustomerId = {_quoted(customer_id)} AND ExecutionStatus = 'Running'"
    return [execution.id async for execution in client.list_workflows(query)]


@dataclass(frozen=True)
class JourneyView:
    id: str
    automation_id: str | None
    automation_version: int | None
    cart_id: str | None
    status: str
    outcome: str | None
    current_step: str | None
    started_at: datetime | None
    closed_at: datetime | None


async def list_for_cart(
    client: Client, cart_id: str, automation_id: str | None = None
) -> list[JourneyView]:
    return await _list_by(client, CART_ID.name, cart_id, automation_id)


async def list_for_customer(
    client: Client, customer_id: str, automation_id: str | None = None
) -> list[JourneyView]:
    """The customer's journeys: their carts' and their orders' (both carry the CustomerId)."""
    return await _list_by(client, CUSTOMER_ID.name, customer_id, automation_id)


async def list_for_email(
    session: Session, client: Client, email: str, automation_id: str | None = None
) -> list[JourneyView]:
    """The journeys of the customer with this email (those Temporal forgot too, from their
    kept steps); none for an email we never saw.

    Temporal knows customers by id only (no personal data there), so the email is looked up
    here, normalised as ingest stores it."""
    customer_id = session.exec(
        select(models.Customer.id).where(models.Customer.email == email.strip().lower())
    ).first()
    if customer_id is None:
        return []
    views = await list_for_customer(client, customer_id, automation_id)
    return with_forgotten(session, views, customer_id=customer_id, automation_id=automation_id)


def with_forgotten(
    session: Session,
    views: list[JourneyView],
    *,
    cart_id: str | None = None,
    customer_id: str | None = None,
    automation_id: str | None = None,
) -> list[JourneyView]:
    """`views` (what Temporal lists) plus the journeys of the cart or customer it no longer
    knows, as their kept steps tell (engine.service.journey_records)."""
    query = select(models.JourneyRecord.workflow_id).distinct()
    if cart_id is not None:
        query = query.where(models.JourneyRecord.cart_id == cart_id)
    if customer_id is not None:
        query = query.where(models.JourneyRecord.customer_id == customer_id)
    if automation_id:
        query = query.where(models.JourneyRecord.automation_id == automation_id)
    listed = {view.id for view in views}
    forgotten = [
        kept.view
        for workflow_id in sorted(set(session.exec(query).all()) - listed)
        if (kept := kept_detail(session, workflow_id)) is not None
    ]
    return views + forgotten


def automation_names(session: Session, views: list[JourneyView]) -> dict[str, str]:
    """The current name of each automation these journeys belong to, by automation id."""
    ids = {view.automation_id for view in views if view.automation_id}
    if not ids:
        return {}
    rows = session.exec(
        select(models.Automation.id, models.Automation.name).where(
            col(models.Automation.id).in_(ids)
        )
    )
    return dict(rows.all())


async def _list_by(
    client: Client, attribute: str, value: str, automation_id: str | None
) -> list[JourneyView]:
    query = f"WorkflowType = 'JourneyWorkflow' AND {attribute} = {_quoted(value)}"
    if automation_id:
        _quoted(automation_id)  # refused as an id is refused in the query
    # The automation is filtered here, not in the query: given both, SQLite visibility walks
    # the automation's index (all its journeys) instead of the cart's or customer's.
    views = [_view(execution) async for execution in client.list_workflows(query)]
    return [view for view in views if not automation_id or view.automation_id == automation_id]


def _view(execution: WorkflowExecution) -> JourneyView:
    attributes = execution.typed_search_attributes
    version = attributes.get(AUTOMATION_VERSION)
    status = execution.status.name.lower() if execution.status else "unknown"
    return JourneyView(
        id=execution.id,
        automation_id=attributes.get(AUTOMATION_ID),
        automation_version=int(version) if version else None,
        cart_id=attributes.get(CART_ID),
        status=status,
        outcome=attributes.get(JOURNEY_OUTCOME) or None,
        current_step=attributes.get(JOURNEY_STEP) or None,
        started_at=execution.start_time,
        closed_at=execution.close_time,
    )


@dataclass(frozen=True)
class JourneyDetail:
    view: JourneyView
    paused: bool
    state: JourneyState | None


async def detail(client: Client, workflow_id: str, session: Session | None = None) -> JourneyDetail:
    """Where a journey stands: from its query while it runs, from its result once it ended,
    and from the steps kept in the database once Temporal has forgotten it."""
    try:
        handle, description = await _find(client, workflow_id)
    except NotFound:
        if session is not None and (kept := kept_detail(session, workflow_id)) is not None:
            return kept
        raise
    view = _view(description)
    snapshot: JourneySnapshot | None = None
    state: JourneyState | None = None
    if description.status == WorkflowExecutionStatus.RUNNING:
        snapshot = await handle.query(JourneyWorkflow.snapshot)
        state = snapshot.state if snapshot else None
        if state is not None:
            # The journey may have moved on between the description and the query: its step
            # is the one its steps show, not the search attribute read a moment before.
            view = replace(view, current_step=state.current_step)
    elif description.status == WorkflowExecutionStatus.COMPLETED:
        state = await handle.result()
    return JourneyDetail(view=view, paused=bool(snapshot and snapshot.paused), state=state)


def kept_detail(session: Session, workflow_id: str) -> JourneyDetail | None:
    """A journey as the database kept it (engine.service.journey_records): its steps, the
    variants it took and how it ended; None when nothing was kept of it."""
    records = journey_records.of_journey(session, workflow_id)
    if not records:
        return None
    first, last = records[0], records[-1]
    finish = last if last.type == "finish" else None
    enrolled = session.exec(
        select(models.Enrolment.enrolled_at).where(
            models.Enrolment.automation_id == first.automation_id,
            models.Enrolment.subject_id == first.subject_id,
        )
    ).first()
    state = JourneyState(
        subject_id=first.subject_id,
        outcome=finish.detail.get("outcome") if finish else None,
        recovered_via=finish.detail.get("recovered_via") if finish else None,
        variants={r.step_id: r.detail["variant"] for r in records if "variant" in r.detail},
        history=[
            StepRecord(step_id=r.step_id, type=r.type, at=r.at, detail=r.detail) for r in records
        ],
    )
    view = JourneyView(
        id=workflow_id,
        automation_id=first.automation_id,
        automation_version=last.automation_version,
        cart_id=first.cart_id,
        # Forgotten by Temporal: it ended; how, the kept steps say.
        status="completed" if finish else "unknown",
        outcome=state.outcome,
        current_step=None,
        started_at=enrolled or first.at,
        closed_at=finish.at if finish else None,
    )
    return JourneyDetail(view=view, paused=False, state=state)


CONTROLS = {
    "pause": JourneyWorkflow.pause,
    "resume": JourneyWorkflow.resume,
    "cancel": JourneyWorkflow.cancel,
}


async def control(client: Client, workflow_id: str, command: str, reason: str) -> ControlResult:
    """Pause, resume or cancel a running journey (an update: the answer says what happened)."""
    handle, description = await _find(client, workflow_id)
    if description.status != WorkflowExecutionStatus.RUNNING:
        raise Conflict(f"journey {workflow_id} has already ended ({_view(description).outcome})")
    try:
        return await handle.execute_update(CONTROLS[command], ControlRequest(reason=reason))
    except WorkflowUpdateFailedError as error:
        raise Conflict(str(error.cause or error)) from error


async def _find(
    client: Client, workflow_id: str
) -> tuple[WorkflowHandle[JourneyWorkflow, JourneyState], WorkflowExecutionDescription]:
    """A journey's handle and description; any other workflow (or none) is not found."""
    if not workflow_id.startswith("journey:"):
        raise NotFound(f"no journey {workflow_id}")
    handle = client.get_workflow_handle_for(JourneyWorkflow.run, workflow_id)
    try:
        return handle, await handle.describe()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            raise NotFound(f"no journey {workflow_id}") from error
        raise


def _quoted(value: Any) -> str:
    """A string literal for a visibility query (ids come from shops: never trust them)."""
    text = str(value)
    if any(ord(char) < 32 for char in text):
        raise InvalidInput("invalid_id", f"{text!r} has control characters: not an id of ours")
    text = text.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


# -- all journeys of an automation --------------------------------------------------------

# Updates sent at once: the embedded server is paced, not flooded (DESIGN.md).
BULK_CONCURRENCY = 20
T = TypeVar("T")


def _running_query(automation_id: str) -> str:
    return (
        f"WorkflowType = 'JourneyWorkflow' AND AutomationId = {_quoted(automation_id)} "
        "AND ExecutionStatus = 'Running'"
    )


async def count_running(client: Client, automation_id: str) -> int:
    """How many of the automation's journeys are running (Temporal's visibility count)."""
    return (await client.count_workflows(_running_query(automation_id))).count


async def _each_running(
    client: Client, automation_id: str, act: Callable[[str], Awaitable[T]]
) -> list[tuple[str, T | BaseException]]:
    """Apply `act` to every running journey of the automation, a few at a time; what each
    answered, or the exception it raised."""
    ids = [e.id async for e in client.list_workflows(_running_query(automation_id))]
    gate = asyncio.Semaphore(BULK_CONCURRENCY)

    async def one(workflow_id: str) -> tuple[str, T | BaseException]:
        async with gate:
            try:
                return workflow_id, await act(workflow_id)
            except (WorkflowUpdateFailedError, RPCError) as error:
                return workflow_id, error

    return list(await asyncio.gather(*(one(workflow_id) for workflow_id in ids)))


def _why(error: BaseException) -> str:
    """The journey's own words (a validator's message), without the exception's type."""
    cause = error.cause if isinstance(error, WorkflowUpdateFailedError) else None
    return cause.message if isinstance(cause, FailureError) else str(cause or error)


async def _tally(
    client: Client,
    automation_id: str,
    act: Callable[[str], Awaitable[T]],
    changed: Callable[[T], bool],
) -> tuple[int, int, list[JourneyNotChanged]]:
    """`act` on every running journey of the automation: how many it changed, how many were
    so already, and those it could not change with the reason."""
    done, already, refused = 0, 0, []
    for workflow_id, answer in await _each_running(client, automation_id, act):
        if isinstance(answer, BaseException):
            refused.append(JourneyNotChanged(journey_id=workflow_id, reason=_why(answer)))
        elif changed(answer):
            done += 1
        else:
            already += 1
    return done, already, refused


async def control_all(
    client: Client,
    automation_id: str,
    command: Literal["pause", "resume", "cancel"],
    reason: str = "",
) -> JourneysChanged:
    """Pause, resume or cancel every running journey of the automation."""

    async def act(workflow_id: str) -> ControlResult:
        handle = client.get_workflow_handle_for(JourneyWorkflow.run, workflow_id)
        return await handle.execute_update(CONTROLS[command], ControlRequest(reason=reason))

    changed, unchanged, failed = await _tally(
        client, automation_id, act, lambda answer: answer.changed
    )
    return JourneysChanged(command=command, changed=changed, unchanged=unchanged, failed=failed)


async def move_all(
    client: Client, automation_id: str, definition: Automation, version: int
) -> JourneysMoved:
    """Move every running journey of the automation to `version`. A journey whose current step
    no longer exists (or changed its type) stays where it is and is reported."""
    request = MoveRequest(definition=definition, version=version)

    async def act(workflow_id: str) -> MoveResult:
        handle = client.get_workflow_handle_for(JourneyWorkflow.run, workflow_id)
        return await handle.execute_update(JourneyWorkflow.move_to, request)

    moved, already, refused = await _tally(client, automation_id, act, lambda answer: answer.moved)
    return JourneysMoved(version=version, moved=moved, already=already, refused=refused)
