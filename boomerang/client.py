"""Typed clients of the Boomerang API: `Boomerang` (blocking, over `httpx.Client`) and
`AsyncBoomerang` (over `httpx.AsyncClient`). Both send the calls `boomerang.calls`
describes and answer with the API's own models; a refusal raises `BoomerangError`.

    with Boomerang("http://127.0.0.1:8000", token) as boomerang:
        accepted = boomerang.send_event(event)

Bad arguments to a request model (an empty automation name) raise pydantic's
`ValidationError` before anything is sent; network failures are httpx's own errors.
"""

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Self, TypeVar

import httpx

from boomerang import calls
from boomerang.calls import Call, DefinitionIn, EventIn, Running
from boomerang.errors import BoomerangError
from builder_api.schemas.automations import (
    AutomationOverview,
    AutomationPublic,
    AutomationStatusChanged,
    AutomationVersionPublic,
)
from builder_api.schemas.carts import RestoredCart
from builder_api.schemas.events import EventAccepted, EventsAccepted
from builder_api.schemas.health import Health
from builder_api.schemas.journeys import JourneyControlResult, NamedJourney, NamedJourneyDetail
from engine.language.simulations import CartSelection, CartTimelines, SimulationStatus

__all__ = ["AsyncBoomerang", "Boomerang", "BoomerangError"]

T = TypeVar("T")


@dataclass(frozen=True)
class _Outgoing:
    method: str
    url: str
    params: dict[str, str]
    content: bytes | None
    headers: dict[str, str]


class _Base:
    """Where calls go and how they are authenticated: a bearer token on every call, or,
    without a token, a signature on the calls a shop may sign (events)."""

    def __init__(self, base_url: str, token: str | None, signing_secret: str | None) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._signing_secret = signing_secret

    def _outgoing(self, call: Call[Any]) -> _Outgoing:
        headers = dict(call.headers)
        if call.body is not None:
            headers["Content-Type"] = "application/json"
        if self._token is not None:
            headers["Authorization"] = f"Bearer {self._token}"
        elif call.signable and self._signing_secret is not None and call.body is not None:
            headers |= calls.sign(self._signing_secret, int(time.time()), call.body)
        url = self.base_url + call.path
        return _Outgoing(call.method, url, dict(call.params), call.body, headers)


class Boomerang(_Base):
    """The API over `httpx.Client`. `http` is a client of your own (connection pool,
    proxies, a `fastapi.testclient.TestClient`): its own timeout applies and it stays
    open; without it one is made with `timeout` and closed by `close()`."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        signing_secret: str | None = None,
        timeout: float = 10.0,
        http: httpx.Client | None = None,
    ) -> None:
        super().__init__(base_url, token, signing_secret)
        self._owns_http = http is None
        self._http = http if http is not None else httpx.Client(timeout=timeout)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _send(self, call: Call[T]) -> T:
        out = self._outgoing(call)
        response = self._http.request(
            out.method, out.url, params=out.params, content=out.content, headers=out.headers
        )
        return call.parse(response)

    def send_event(self, event: EventIn, *, idempotency_key: str | None = None) -> EventAccepted:
        """Post one event; `duplicate` is true when its id was accepted before."""
        return self._send(calls.send_event(event, idempotency_key))

    def send_events(
        self, events: Iterable[EventIn], *, idempotency_key: str | None = None
    ) -> EventsAccepted:
        """Post up to 500 events, all or none; the answers are in the same order."""
        return self._send(calls.send_events(events, idempotency_key))

    def list_automations(self, *, include_archived: bool = False) -> list[AutomationOverview]:
        return self._send(calls.list_automations(include_archived))

    def get_automation(self, automation_id: str) -> AutomationOverview:
        return self._send(calls.get_automation(automation_id))

    def create_automation(
        self, name: str, definition: DefinitionIn, *, active: bool = False
    ) -> AutomationPublic:
        """Publish `definition` as version 1 of a new automation, inactive unless `active`."""
        return self._send(calls.create_automation(name, definition, active))

    def save_draft(self, automation_id: str, definition: DefinitionIn) -> AutomationPublic:
        return self._send(calls.save_draft(automation_id, definition))

    def publish_automation(self, automation_id: str) -> AutomationVersionPublic:
        """Publish the draft as the next version (new journeys get it)."""
        return self._send(calls.publish_automation(automation_id))

    def activate_automation(
        self, automation_id: str, *, resume_journeys: bool = False
    ) -> AutomationStatusChanged:
        return self._send(calls.activate_automation(automation_id, resume_journeys))

    def deactivate_automation(
        self, automation_id: str, *, running: Running
    ) -> AutomationStatusChanged:
        """Stop enrolling; its running journeys `finish`, `pause` or `cancel`."""
        return self._send(calls.deactivate_automation(automation_id, running))

    def simulate(
        self,
        automation_id: str,
        *,
        definition: DefinitionIn | None = None,
        version: int | None = None,
        carts: CartSelection | Mapping[str, Any] | None = None,
        compare_to: Literal["live"] | int | None = None,
    ) -> SimulationStatus:
        """Try a definition (default: the draft, else the live version) on past or sample
        carts, nothing sent. Up to 2,000 carts answer `done` with the totals; more answer
        `running`: poll `simulation(id)` until it is not."""
        return self._send(calls.simulate(automation_id, definition, version, carts, compare_to))

    def simulation(self, simulation_id: str) -> SimulationStatus:
        """A simulation's progress, and its totals once done (kept for a day)."""
        return self._send(calls.simulation(simulation_id))

    def simulation_carts(
        self,
        simulation_id: str,
        *,
        cursor: str | None = None,
        limit: int = 50,
        outcome: str | None = None,
        flagged: bool | None = None,
    ) -> CartTimelines:
        """A page of the carts' timelines, newest abandonment first; pass `next_cursor` on."""
        return self._send(calls.simulation_carts(simulation_id, cursor, limit, outcome, flagged))

    def list_journeys(
        self,
        *,
        cart_id: str | None = None,
        customer_email: str | None = None,
        automation_id: str | None = None,
    ) -> list[NamedJourney]:
        """A cart's journeys or a customer's (give exactly one of the two)."""
        return self._send(calls.list_journeys(cart_id, customer_email, automation_id))

    def get_journey(self, journey_id: str) -> NamedJourneyDetail:
        return self._send(calls.get_journey(journey_id))

    def pause_journey(self, journey_id: str) -> JourneyControlResult:
        return self._send(calls.control_journey(journey_id, "pause"))

    def resume_journey(self, journey_id: str) -> JourneyControlResult:
        return self._send(calls.control_journey(journey_id, "resume"))

    def cancel_journey(self, journey_id: str, *, reason: str = "") -> JourneyControlResult:
        return self._send(calls.control_journey(journey_id, "cancel", reason))

    def restore_cart(self, cart_id: str, token: str) -> RestoredCart:
        """A cart's items and totals, for whoever holds a recovery link's token."""
        return self._send(calls.restore_cart(cart_id, token))

    def health(self) -> Health:
        """Whether the database and Temporal answer (`status` is `degraded` when not)."""
        return self._send(calls.health())


class AsyncBoomerang(_Base):
    """The API over `httpx.AsyncClient`; the same methods as `Boomerang`, awaited."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        signing_secret: str | None = None,
        timeout: float = 10.0,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(base_url, token, signing_secret)
        self._owns_http = http is None
        self._http = http if http is not None else httpx.AsyncClient(timeout=timeout)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def _send(self, call: Call[T]) -> T:
        out = self._outgoing(call)
        response = await self._http.request(
            out.method, out.url, params=out.params, content=out.content, headers=out.headers
        )
        return call.parse(response)

    async def send_event(
        self, event: EventIn, *, idempotency_key: str | None = None
    ) -> EventAccepted:
        return await self._send(calls.send_event(event, idempotency_key))

    async def send_events(
        self, events: Iterable[EventIn], *, idempotency_key: str | None = None
    ) -> EventsAccepted:
        return await self._send(calls.send_events(events, idempotency_key))

    async def list_automations(self, *, include_archived: bool = False) -> list[AutomationOverview]:
        return await self._send(calls.list_automations(include_archived))

    async def get_automation(self, automation_id: str) -> AutomationOverview:
        return await self._send(calls.get_automation(automation_id))

    async def create_automation(
        self, name: str, definition: DefinitionIn, *, active: bool = False
    ) -> AutomationPublic:
        return await self._send(calls.create_automation(name, definition, active))

    async def save_draft(self, automation_id: str, definition: DefinitionIn) -> AutomationPublic:
        return await self._send(calls.save_draft(automation_id, definition))

    async def publish_automation(self, automation_id: str) -> AutomationVersionPublic:
        return await self._send(calls.publish_automation(automation_id))

    async def activate_automation(
        self, automation_id: str, *, resume_journeys: bool = False
    ) -> AutomationStatusChanged:
        return await self._send(calls.activate_automation(automation_id, resume_journeys))

    async def deactivate_automation(
        self, automation_id: str, *, running: Running
    ) -> AutomationStatusChanged:
        return await self._send(calls.deactivate_automation(automation_id, running))

    async def simulate(
        self,
        automation_id: str,
        *,
        definition: DefinitionIn | None = None,
        version: int | None = None,
        carts: CartSelection | Mapping[str, Any] | None = None,
        compare_to: Literal["live"] | int | None = None,
    ) -> SimulationStatus:
        call = calls.simulate(automation_id, definition, version, carts, compare_to)
        return await self._send(call)

    async def simulation(self, simulation_id: str) -> SimulationStatus:
        return await self._send(calls.simulation(simulation_id))

    async def simulation_carts(
        self,
        simulation_id: str,
        *,
        cursor: str | None = None,
        limit: int = 50,
        outcome: str | None = None,
        flagged: bool | None = None,
    ) -> CartTimelines:
        call = calls.simulation_carts(simulation_id, cursor, limit, outcome, flagged)
        return await self._send(call)

    async def list_journeys(
        self,
        *,
        cart_id: str | None = None,
        customer_email: str | None = None,
        automation_id: str | None = None,
    ) -> list[NamedJourney]:
        return await self._send(calls.list_journeys(cart_id, customer_email, automation_id))

    async def get_journey(self, journey_id: str) -> NamedJourneyDetail:
        return await self._send(calls.get_journey(journey_id))

    async def pause_journey(self, journey_id: str) -> JourneyControlResult:
        return await self._send(calls.control_journey(journey_id, "pause"))

    async def resume_journey(self, journey_id: str) -> JourneyControlResult:
        return await self._send(calls.control_journey(journey_id, "resume"))

    async def cancel_journey(self, journey_id: str, *, reason: str = "") -> JourneyControlResult:
        return await self._send(calls.control_journey(journey_id, "cancel", reason))

    async def restore_cart(self, cart_id: str, token: str) -> RestoredCart:
        return await self._send(calls.restore_cart(cart_id, token))

    async def health(self) -> Health:
        return await self._send(calls.health())
