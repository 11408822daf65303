"""The action registry: `@action` turns a function into a journey step type.

An action is one function with one params model. The registry gives the
worker its Temporal activities, the API its catalog (with JSON Schema) and
validation its params models. Actions come from the modules of this package
and from installed packages' entry points (group `boomerang.actions`).
"""

import asyncio
import contextvars
import functools
import importlib
import inspect
import pkgutil
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session
from temporalio import activity

from engine.activities.purchase_check import PurchaseCheckActivity
from engine.language.contracts import ActionRequest
from engine.runtime.settings import Settings
from engine.store.db import session_scope

ENTRY_POINT_GROUP = "boomerang.actions"
# Blocking actions run at most this many at once; the worker takes no more activities.
ACTION_THREADS = 32
_ACTION_THREADS = ThreadPoolExecutor(ACTION_THREADS, thread_name_prefix="boomerang-action")


class ActionParams(BaseModel):
    """Base of every action's params: unknown keys are mistakes, not extras."""

    model_config = ConfigDict(extra="forbid")


class ActionResult(BaseModel):
    """What an action returns to the journey: ids and non-personal facts only."""

    model_config = ConfigDict(extra="allow")

    status: str


@dataclass(frozen=True)
class ActionContext:
    request: ActionRequest
    settings: Settings

    @property
    def idempotency_key(self) -> str:
        """Stable across retries and worker restarts: never the run id."""
        return f"{self.request.workflow_id}:{self.request.step_id}"

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.settings.resolved_database_url) as session:
            yield session


ActionFunction = Callable[[ActionContext, Any], ActionResult | Awaitable[ActionResult]]


@dataclass(frozen=True)
class RegisteredAction:
    name: str
    label: str
    category: str
    description: str
    params_model: type[ActionParams]
    function: ActionFunction
    messages_customer: bool = False  # quiet hours defer it

    def json_schema(self) -> dict[str, Any]:
        return self.params_model.model_json_schema()


_registry: dict[str, RegisteredAction] = {}


def action(
    *, label: str, category: str, messages_customer: bool = False
) -> Callable[[ActionFunction], ActionFunction]:
    """Register `fn(ctx, params)` as an action named after the function (never rename it).

    `messages_customer`: the action sends the customer something, so an automation's quiet
    hours defer it.
    """

    def register(fn: ActionFunction) -> ActionFunction:
        params_model = get_type_hints(fn).get("params")
        if not (isinstance(params_model, type) and issubclass(params_model, ActionParams)):
            raise TypeError(f"action {fn.__name__}: `params` must be typed as an ActionParams")
        taken = _registry.get(fn.__name__)
        if taken is not None and _origin(taken.function) != _origin(fn):
            # A package must not silently replace another action (say, send_email).
            raise ValueError(
                f"action {fn.__name__!r} is defined twice: in {_origin(taken.function)} "
                f"and in {_origin(fn)}"
            )
        module_doc = inspect.getdoc(inspect.getmodule(fn)) or ""
        _registry[fn.__name__] = RegisteredAction(
            name=fn.__name__,
            label=label,
            category=category,
            description=inspect.getdoc(fn) or module_doc,
            params_model=params_model,
            function=fn,
            messages_customer=messages_customer,
        )
        return fn

    return register


def _origin(fn: ActionFunction) -> str:
    """Where a function is defined; the same when its module is imported again."""
    return f"{fn.__module__}.{fn.__qualname__}"


def load_actions() -> dict[str, RegisteredAction]:
    """Import the built-in action modules and every `boomerang.actions` entry point."""
    package = importlib.import_module("engine.activities")
    for module in pkgutil.iter_modules(package.__path__):
        if module.name != "registry":
            importlib.import_module(f"engine.activities.{module.name}")
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        entry_point.load()
    return dict(_registry)


def quiet_action_names() -> list[str]:
    """The actions an automation's quiet hours defer."""
    return sorted(name for name, found in load_actions().items() if found.messages_customer)


def _activity_for(registered: RegisteredAction, settings: Settings) -> Callable[..., Any]:
    async def run(request: ActionRequest) -> ActionResult:
        params = registered.params_model.model_validate(request.params)
        context = ActionContext(request=request, settings=settings)
        if inspect.iscoroutinefunction(registered.function):
            result = await registered.function(context, params)
        else:
            # Plain functions may block (database, HTTP): keep them off the event loop, on
            # threads of their own, so a few stuck sends cannot starve the purchase checks.
            # Like asyncio.to_thread, carry the context along: `activity.info()` lives in it.
            call = functools.partial(
                contextvars.copy_context().run, registered.function, context, params
            )
            result = await asyncio.get_running_loop().run_in_executor(_ACTION_THREADS, call)
        assert isinstance(result, ActionResult)
        return result

    run.__name__ = run.__qualname__ = registered.name
    return activity.defn(name=registered.name)(run)


def build_activities(settings: Settings) -> list[Callable[..., Any]]:
    """Every activity journeys run: one per registered action, and the purchase check."""
    actions = [_activity_for(registered, settings) for registered in load_actions().values()]
    return [*actions, PurchaseCheckActivity(settings).check_purchase]
