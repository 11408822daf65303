"""Every Temporal activity the worker runs, from one place: each catalogued action, the
purchase check every journey runs before an action, abandonment detection, and keeping a
finished journey's last steps."""

import asyncio
import contextvars
import functools
import inspect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlmodel import Session
from temporalio import activity

from engine.activities.bulk_message import BulkMessageActivities
from engine.activities.detect_abandonment import AbandonmentActivities
from engine.activities.journey_records import JourneyRecordsActivity
from engine.activities.purchase_check import PurchaseCheckActivity, exit_events
from engine.activities.retention import RetentionActivities
from engine.activities.simulation import SimulationActivities
from engine.language.actions import (
    ActionContext,
    ActionParams,
    ActionResult,
    RegisteredAction,
    load_actions,
)
from engine.language.contracts import STOPPED, ActionRequest, PurchaseCheck
from engine.language.interpreter import last_records, records_completion
from engine.runtime.settings import Settings
from engine.service import journey_records
from engine.store.db import committing, session_scope
from engine.store.types import utcnow

# Blocking actions run at most this many at once; the worker takes no more activities.
ACTION_THREADS = 32
_ACTION_THREADS = ThreadPoolExecutor(ACTION_THREADS, thread_name_prefix="boomerang-action")


def activity_for(registered: RegisteredAction, settings: Settings) -> Callable[..., Any]:
    database_url = settings.resolved_database_url

    def check_then_act(request: ActionRequest, params: ActionParams) -> ActionResult:
        # One session for the check and the action: one connection from the pool, not two.
        # (The action still reads its own rows: the session holds what the check loaded
        # only weakly, so it is gone by then.)
        with session_scope(database_url) as session:
            _keep_history(session, request)
            if stopped := _purchase_check(session, request):
                return stopped
            shared = functools.partial(committing, session)
            context = ActionContext(request=request, settings=settings, open_session=shared)
            result = registered.function(context, params)
            assert isinstance(result, ActionResult)
            _keep_the_end(session, request, result)
        return result

    async def act_async(request: ActionRequest, params: ActionParams) -> ActionResult:
        if stopped := await asyncio.to_thread(_check_alone, database_url, request):
            return stopped
        open_session = functools.partial(session_scope, database_url)
        context = ActionContext(request=request, settings=settings, open_session=open_session)
        acting = registered.function(context, params)
        assert inspect.isawaitable(acting)
        result = await acting
        assert isinstance(result, ActionResult)
        if request.history is not None and request.history.then_ends:
            await asyncio.to_thread(_keep_the_end_alone, database_url, request, result)
        return result

    async def run(request: ActionRequest) -> ActionResult:
        params = registered.params_model.model_validate(request.params)
        if inspect.iscoroutinefunction(registered.function):
            return await act_async(request, params)
        # Plain functions may block (database, HTTP): keep them off the event loop, on
        # threads of their own, so a few stuck sends cannot starve the purchase checks.
        # Like asyncio.to_thread, carry the context along: `activity.info()` lives in it.
        call = functools.partial(contextvars.copy_context().run, check_then_act, request, params)
        return await asyncio.get_running_loop().run_in_executor(_ACTION_THREADS, call)

    run.__name__ = run.__qualname__ = registered.name
    return activity.defn(name=registered.name)(run)


def _check_alone(database_url: str, request: ActionRequest) -> ActionResult | None:
    with session_scope(database_url) as session:
        _keep_history(session, request)
        return _purchase_check(session, request)


def _keep_history(session: Session, request: ActionRequest) -> None:
    """The journey's steps since the last ones kept, in the action's transaction."""
    if request.history is not None:
        journey_records.keep(session, request.history)


def _keep_the_end(session: Session, request: ActionRequest, result: ActionResult) -> None:
    """The journey's last action done: its record and the journey's end, as the interpreter
    will record them (so the journey's end needs no write of its own)."""
    history, done = request.history, result.model_dump()
    if history is None or not history.then_ends or not records_completion(done):
        return
    end = history.first_seq + len(history.records)
    records = last_records(request.step_id, done, utcnow())
    journey_records.keep(session, history.model_copy(update={"first_seq": end, "records": records}))


def _keep_the_end_alone(database_url: str, request: ActionRequest, result: ActionResult) -> None:
    with session_scope(database_url) as session:
        _keep_the_end(session, request, result)


def _purchase_check(session: Session, request: ActionRequest) -> ActionResult | None:
    """Right before the action: `stopped` with the journey's exit events the database knows
    of, if any (a post-purchase journey follows a purchase: it asks of its customer only)."""
    if not request.stop_if:
        return None
    check = PurchaseCheck(
        cart_id=None if request.order_id else request.cart_id, customer_id=request.customer_id
    )
    found = [event for event in exit_events(session, check) if event in request.stop_if]
    return ActionResult(status=STOPPED, events=found) if found else None


def build_activities(settings: Settings) -> list[Callable[..., Any]]:
    """Every activity the worker registers: one per catalogued action, the purchase check,
    abandonment detection, keeping journey records, the bulk message's steps,
    simulations and the retention purge."""
    actions = [activity_for(registered, settings) for registered in load_actions().values()]
    return [
        *actions,
        PurchaseCheckActivity(settings).check_purchase,
        AbandonmentActivities(settings).abandon_idle_carts,
        JourneyRecordsActivity(settings).keep_journey_records,
        *BulkMessageActivities(settings).all(),
        SimulationActivities(settings).run_simulation,
        SimulationActivities(settings).fail_simulation,
        *RetentionActivities(settings).all(),
    ]
