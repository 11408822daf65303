"""What crosses into Temporal: workflow inputs, signals and action requests.

Pure models carrying ids and non-personal facts only; names, emails and
addresses stay in the database (so erasing a customer is a database matter).
"""

from typing import Any, Literal

from pydantic import BaseModel, Field

from engine.language.definition import Automation
from engine.language.interpreter import JourneyState, StepRecord


def journey_id(automation_id: str, subject_id: str) -> str:
    """Deterministic, so a repeated enrolment finds the journey instead of starting another."""
    return f"journey:{automation_id}:{subject_id}"


class Subject(BaseModel):
    """What a journey is about, by id: its cart, or its order (a post-purchase journey's
    subject, with the cart it came from, if any), and their customer (none for a guest)."""

    cart_id: str | None = None
    customer_id: str | None = None
    order_id: str | None = None


class JourneyInput(Subject):
    """A published definition snapshot and non-personal facts about the subject."""

    automation_id: str
    automation_version: int
    definition: Automation
    subject_id: str  # the order's id for a post-purchase journey, else the cart's
    context: dict[str, Any] = Field(default_factory=dict)
    # The actions that message the customer (quiet hours defer them), from the registry.
    quiet_actions: list[str] = Field(default_factory=list)


class JourneySignal(BaseModel):
    """An event that concerns a journey (ids only; the data stays in the database)."""

    event_id: str
    event: str


# What the purchase check can find, purchases first: a customer who bought and then
# unsubscribed ends `purchased`.
CHECKED_EVENTS = ("cart_recovered", "order_placed", "unsubscribed")
# The status of an action that did not run because the purchase check found one of `stop_if`.
STOPPED = "stopped"


# The local activity a journey runs when it ends, to keep the records no action carried.
KEEP_RECORDS = "keep_journey_records"


class JourneyRecords(Subject):
    """Steps of one journey as they happened, numbered from `first_seq` (their place in the
    journey's history), for the database: the history outlives Temporal's retention. Sent
    again after a failure; the database keeps each number once."""

    workflow_id: str
    automation_id: str
    automation_version: int
    subject_id: str
    first_seq: int
    records: list[StepRecord]
    # Carried by the journey's last action: once it completes, the journey does too, and
    # the action keeps its own record and the journey's end (`last_records`), so the end
    # needs no write of its own.
    then_ends: bool = False


class ActionRequest(Subject):
    """The single input of every action activity: the step, and the journey's subject."""

    workflow_id: str
    step_id: str
    automation_id: str
    automation_version: int
    params: dict[str, Any]
    # The purchase check, in the same activity: right before the action the worker asks the
    # database for these exit events (of CHECKED_EVENTS) and, if one happened, runs nothing
    # and answers `{"status": STOPPED, "events": [...]}`.
    stop_if: list[str] = Field(default_factory=list)
    # The journey's steps since the last ones kept: written with the action, in its
    # transaction (engine.service.journey_records).
    history: JourneyRecords | None = None


class PurchaseCheck(Subject):
    """Ask the database whether the subject's cart was bought or recovered, or its customer
    unsubscribed, meanwhile (a post-purchase journey's cart was bought: it asks of the
    customer only)."""


class PurchaseCheckResult(BaseModel):
    """The exit events the database knows of, e.g. `["order_placed"]`."""

    events: list[str] = Field(default_factory=list)


class ControlRequest(BaseModel):
    reason: str = Field("", max_length=500)


class ControlResult(BaseModel):
    status: Literal["running", "paused", "finished"]
    changed: bool
    outcome: str | None = None


class JourneySnapshot(BaseModel):
    """What the journey's query answers: where it stands and what it did."""

    automation_id: str
    automation_version: int
    paused: bool
    state: JourneyState


class MoveRequest(BaseModel):
    """Move a running journey to another published version of its automation."""

    definition: Automation
    version: int


class MoveResult(BaseModel):
    moved: bool  # False: it already ran that version
    from_version: int
    to_version: int
