"""Journeys: where each cart stands in each automation, and support's controls."""

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query

from builder_api.deps import TemporalDep, require
from builder_api.schemas import (
    JourneyControl,
    JourneyControlResult,
    JourneyDetailPublic,
    JourneyPublic,
    JourneyStepDone,
)
from engine.service import journeys
from engine.service.auth import Role

router = APIRouter(prefix="/journeys", tags=["journeys"])
JourneyId = Annotated[
    str, Path(max_length=300, description="The id `GET /api/v1/journeys` returns")
]


@router.get("", dependencies=[require(Role.support)])
async def list_journeys(
    client: TemporalDep,
    cart_id: Annotated[str, Query(min_length=1, max_length=200, description="The shop's cart id")],
    automation_id: Annotated[
        str | None, Query(max_length=40, description="Only journeys of this automation")
    ] = None,
) -> list[JourneyPublic]:
    """List a cart's journeys with their status, outcome and current step."""
    views = await journeys.list_for_cart(client, cart_id, automation_id)
    return [JourneyPublic(**vars(view)) for view in views]


@router.get("/{journey_id}", dependencies=[require(Role.support)])
async def get_journey(client: TemporalDep, journey_id: JourneyId) -> JourneyDetailPublic:
    """Show a journey: its step, next wake-up, variant and the steps done with their results."""
    found = await journeys.detail(client, journey_id)
    state = found.state
    return JourneyDetailPublic(
        **vars(found.view),
        paused=found.paused,
        next_wake_up=state.wake_at if state else None,
        waiting_for=state.waiting_for if state else None,
        variants=state.variants if state else {},
        recovered_via=state.recovered_via if state else None,
        steps=[JourneyStepDone(**record.model_dump()) for record in state.history] if state else [],
    )


async def _control(
    client: TemporalDep, journey_id: str, command: Literal["pause", "resume", "cancel"],
    body: JourneyControl | None,
) -> JourneyControlResult:  # fmt: skip
    result = await journeys.control(client, journey_id, command, body.reason if body else "")
    return JourneyControlResult(**result.model_dump())


OptionalBody = Annotated[JourneyControl | None, Body()]


@router.post("/{journey_id}/pause", dependencies=[require(Role.support)])
async def pause_journey(
    client: TemporalDep, journey_id: JourneyId, body: OptionalBody = None
) -> JourneyControlResult:
    """Pause a journey: no action runs until it is resumed; waits keep counting."""
    return await _control(client, journey_id, "pause", body)


@router.post("/{journey_id}/resume", dependencies=[require(Role.support)])
async def resume_journey(
    client: TemporalDep, journey_id: JourneyId, body: OptionalBody = None
) -> JourneyControlResult:
    """Resume a paused journey; a wait that ended meanwhile continues at once."""
    return await _control(client, journey_id, "resume", body)


@router.post("/{journey_id}/cancel", dependencies=[require(Role.support)])
async def cancel_journey(
    client: TemporalDep, journey_id: JourneyId, body: OptionalBody = None
) -> JourneyControlResult:
    """Cancel a journey for good (outcome `cancelled`, the reason recorded)."""
    return await _control(client, journey_id, "cancel", body)
