"""Every call the clients make, described once: what goes out (method, path, query, body)
and what comes back (the API's own answer model). `Boomerang` and `AsyncBoomerang` only
differ in how they send a `Call`."""

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeAlias, TypeVar
from urllib.parse import quote

import httpx
import pydantic_core
from pydantic import BaseModel, TypeAdapter

from boomerang.errors import BoomerangError
from builder_api.schemas.automations import (
    AutomationActivate,
    AutomationCreate,
    AutomationDeactivate,
    AutomationDraft,
    AutomationOverview,
    AutomationPublic,
    AutomationStatusChanged,
    AutomationVersionPublic,
)
from builder_api.schemas.carts import RestoredCart
from builder_api.schemas.events import EventAccepted, EventsAccepted
from builder_api.schemas.health import Health
from builder_api.schemas.journeys import (
    JourneyControl,
    JourneyControlResult,
    NamedJourney,
    NamedJourneyDetail,
)
from engine.language.definition import Automation
from engine.language.events import Event
from engine.language.simulations import (
    CartSelection,
    CartTimelines,
    SimulationRequest,
    SimulationStatus,
)

T = TypeVar("T")

# An event as one of the language's models (`CartAbandonedEvent(...)`), or as the JSON
# object a shop would post; a dict is sent as it is and judged by the server.
EventIn: TypeAlias = Event | Mapping[str, Any]
DefinitionIn: TypeAlias = Automation | Mapping[str, Any]
Running = Literal["finish", "pause", "cancel"]

API = "/api/v1"
SIGNATURE_HEADER = "X-Boomerang-Signature"
TIMESTAMP_HEADER = "X-Boomerang-Timestamp"


@dataclass(frozen=True)
class Call(Generic[T]):
    method: str
    path: str  # from the base URL, its variable parts quoted
    answer: type[T]
    params: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None  # JSON, encoded once: a signature covers these exact bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    signable: bool = False  # a shop may sign it instead of sending a token (events)
    also_ok: frozenset[int] = frozenset()  # non-2xx statuses that carry `answer` too

    def parse(self, response: httpx.Response) -> T:
        """The answer, or `BoomerangError` for a refusal."""
        if not (response.is_success or response.status_code in self.also_ok):
            raise BoomerangError.from_response(response)
        adapter = _adapters.get(self.answer)
        if adapter is None:
            adapter = _adapters[self.answer] = TypeAdapter(self.answer)
        answer: T = adapter.validate_json(response.content)
        return answer


_adapters: dict[Any, TypeAdapter[Any]] = {}  # one per answer type, built on first use


def _json(value: object) -> bytes:
    """Models by their aliases (`if`, `not`), dicts as they are; datetimes ISO 8601."""
    return pydantic_core.to_json(value, by_alias=True)


def _segment(value: str) -> str:
    return quote(value, safe="")


def sign(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The headers of a signed post: HMAC-SHA256 of `{timestamp}.{body}` keyed with the secret
    the shop shares with Boomerang (`BOOMERANG_INGEST_SIGNING_SECRET`)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: f"sha256={digest.hexdigest()}"}


# -- events -------------------------------------------------------------------------------


def _events(body: bytes, idempotency_key: str | None, answer: type[T]) -> Call[T]:
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key is not None else {}
    return Call("POST", f"{API}/events", answer, body=body, headers=headers, signable=True)


def send_event(event: EventIn, idempotency_key: str | None) -> Call[EventAccepted]:
    return _events(_json(event), idempotency_key, EventAccepted)


def send_events(events: Iterable[EventIn], idempotency_key: str | None) -> Call[EventsAccepted]:
    return _events(_json({"events": list(events)}), idempotency_key, EventsAccepted)


# -- automations --------------------------------------------------------------------------


def _definition(definition: DefinitionIn) -> dict[str, Any]:
    if isinstance(definition, BaseModel):
        return definition.model_dump(mode="json", by_alias=True)
    return dict(definition)


def list_automations(include_archived: bool) -> Call[list[AutomationOverview]]:
    params = {"include_archived": "true"} if include_archived else {}
    return Call("GET", f"{API}/automations", list[AutomationOverview], params=params)


def get_automation(automation_id: str) -> Call[AutomationOverview]:
    return Call("GET", f"{API}/automations/{_segment(automation_id)}", AutomationOverview)


def create_automation(name: str, definition: DefinitionIn, active: bool) -> Call[AutomationPublic]:
    body = AutomationCreate(name=name, definition=_definition(definition), active=active)
    return Call("POST", f"{API}/automations", AutomationPublic, body=_json(body))


def save_draft(automation_id: str, definition: DefinitionIn) -> Call[AutomationPublic]:
    body = AutomationDraft(definition=_definition(definition))
    path = f"{API}/automations/{_segment(automation_id)}/draft"
    return Call("PUT", path, AutomationPublic, body=_json(body))


def publish_automation(automation_id: str) -> Call[AutomationVersionPublic]:
    path = f"{API}/automations/{_segment(automation_id)}/publish"
    return Call("POST", path, AutomationVersionPublic)


def activate_automation(automation_id: str, resume_journeys: bool) -> Call[AutomationStatusChanged]:
    body = AutomationActivate(resume_journeys=resume_journeys)
    path = f"{API}/automations/{_segment(automation_id)}/activate"
    return Call("POST", path, AutomationStatusChanged, body=_json(body))


def deactivate_automation(automation_id: str, running: Running) -> Call[AutomationStatusChanged]:
    body = AutomationDeactivate(running=running)
    path = f"{API}/automations/{_segment(automation_id)}/deactivate"
    return Call("POST", path, AutomationStatusChanged, body=_json(body))


# -- simulations -------------------------------------------------------------------------


def simulate(
    automation_id: str,
    definition: DefinitionIn | None,
    version: int | None,
    carts: CartSelection | Mapping[str, Any] | None,
    compare_to: Literal["live"] | int | None,
) -> Call[SimulationStatus]:
    request = SimulationRequest.model_validate(
        {
            "definition": _definition(definition) if definition is not None else None,
            "version": version,
            "carts": carts if carts is not None else CartSelection(),
            "compare_to": compare_to,
        }
    )
    path = f"{API}/automations/{_segment(automation_id)}/simulate"
    body = _json(request.model_dump(mode="json", exclude_none=True))
    return Call("POST", path, SimulationStatus, body=body)


def simulation(simulation_id: str) -> Call[SimulationStatus]:
    return Call("GET", f"{API}/simulations/{_segment(simulation_id)}", SimulationStatus)


def simulation_carts(
    simulation_id: str, cursor: str | None, limit: int, outcome: str | None, flagged: bool | None
) -> Call[CartTimelines]:
    params = {"limit": str(limit)}
    if cursor is not None:
        params["cursor"] = cursor
    if outcome is not None:
        params["outcome"] = outcome
    if flagged is not None:
        params["flagged"] = "true" if flagged else "false"
    path = f"{API}/simulations/{_segment(simulation_id)}/carts"
    return Call("GET", path, CartTimelines, params=params)


# -- journeys and carts -------------------------------------------------------------------


def list_journeys(
    cart_id: str | None, customer_email: str | None, automation_id: str | None
) -> Call[list[NamedJourney]]:
    given = {"cart_id": cart_id, "customer_email": customer_email, "automation_id": automation_id}
    params = {name: value for name, value in given.items() if value is not None}
    return Call("GET", f"{API}/journeys", list[NamedJourney], params=params)


def get_journey(journey_id: str) -> Call[NamedJourneyDetail]:
    return Call("GET", f"{API}/journeys/{_segment(journey_id)}", NamedJourneyDetail)


def control_journey(
    journey_id: str, command: Literal["pause", "resume", "cancel"], reason: str = ""
) -> Call[JourneyControlResult]:
    body = _json(JourneyControl(reason=reason)) if reason else None
    path = f"{API}/journeys/{_segment(journey_id)}/{command}"
    return Call("POST", path, JourneyControlResult, body=body)


def restore_cart(cart_id: str, token: str) -> Call[RestoredCart]:
    path = f"{API}/carts/{_segment(cart_id)}/restore"
    return Call("GET", path, RestoredCart, params={"token": token})


def health() -> Call[Health]:
    # 503 answers the same shape: what is down.
    return Call("GET", "/healthz", Health, also_ok=frozenset({503}))
