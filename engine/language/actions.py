"""The action catalogue: `@action` turns a function into a journey step type.

An action is one function with one params model. The catalogue gives validation its
params models, the API its catalog (with JSON Schema), and the worker the functions it
runs as Temporal activities (engine.activities.runner). Actions come from the modules of
`engine.activities` and from installed packages' entry points (group `boomerang.actions`).

Pure: it imports the action modules by name when asked for the actions, and nothing of
the store, the services or Temporal itself, so services and definition checks may read it.
"""

import functools
import importlib
import inspect
import pkgutil
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, get_type_hints

from pydantic import BaseModel, ConfigDict

from engine.language.contracts import ActionRequest

if TYPE_CHECKING:
    from sqlmodel import Session

    from engine.runtime.settings import Settings

ENTRY_POINT_GROUP = "boomerang.actions"
ACTIONS_PACKAGE = "engine.activities"


class ActionParams(BaseModel):
    """Base of every action's params: unknown keys are mistakes, not extras."""

    model_config = ConfigDict(extra="forbid")


class ActionResult(BaseModel):
    """What an action returns to the journey: ids and non-personal facts only."""

    model_config = ConfigDict(extra="allow")

    status: str


@dataclass(frozen=True)
class ActionContext:
    """What an action gets besides its params: the step it runs for, the settings, and the
    database (opened by the worker, engine.activities.runner)."""

    request: ActionRequest
    settings: "Settings"
    open_session: "Callable[[], AbstractContextManager[Session]]"

    @property
    def idempotency_key(self) -> str:
        """Stable across retries and worker restarts: never the run id."""
        return f"{self.request.workflow_id}:{self.request.step_id}"

    def session(self) -> "AbstractContextManager[Session]":
        """A database session, committed when the block ends without an error."""
        return self.open_session()


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

    @property
    def template_fields(self) -> list[str]:
        """The params that name an email template (`"x-widget": "template"` in their schema):
        the builder offers the published templates, publishing checks the name exists."""
        return [
            name
            for name, field in self.params_model.model_fields.items()
            if isinstance(extra := field.json_schema_extra, dict)
            and extra.get("x-widget") == "template"
        ]


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
    package = importlib.import_module(ACTIONS_PACKAGE)
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{ACTIONS_PACKAGE}.{module.name}")
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        entry_point.load()
    return dict(_registry)


@functools.cache
def quiet_action_names() -> tuple[str, ...]:
    """The actions an automation's quiet hours defer. Read once per process: loading scans
    the installed entry points (milliseconds), and what a process can run does not change
    while it runs (the worker registers its actions once, at start)."""
    return tuple(sorted(name for name, found in load_actions().items() if found.messages_customer))
