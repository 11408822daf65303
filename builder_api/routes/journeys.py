"""Journeys: where each cart stands in each automation, and support's controls."""

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query

from builder_api.deps import SessionDep, TemporalDep, require
from builder_api.schemas.journeys import (
    JourneyControl,
    JourneyControlResult,
    JourneyStepDone,
    NamedJourney,
    NamedJourneyDetail,
)
from engine.language.problems import Problem
from engine.service import journeys
from engine.service.auth import Role
from engine.service.errors import InvalidInput

router = APIRouter(prefix="/journeys", tags=["journeys"])
JourneyId = Annotated[
    str, Path(max_length=300, description="The id `GET /api/v1/journeys` returns")
]


@router.get("", dependencies=[require(Role.support)])
async def list_journeys(
    session: SessionDep,
    client: TemporalDep,
    cart_id: Annotated[
        str | None, Query(min_length=1, max_length=200, description="The shop's cart id")
    ] = None,
    customer_email: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=320,
            description="The customer's email: their carts' and orders' journeys",
        ),
    ] = None,
    automation_id: Annotated[
        str | None, Query(max_length=40, description="Only journeys of this automation")
    ] = None,
) -> list[NamedJourney]:
    """List a cart's or a customer's journeys (give exactly one of `cart_id` and
    `customer_email`) with their status, outcome and current step; journeys Temporal no
    longer keeps are listed from the steps kept in the database."""
    if cart_id is not None and customer_email is None:
        views = journeys.with_forgotten(
            session,
            await journeys.list_for_cart(client, cart_id, automation_id),
            cart_id=cart_id,
            automation_id=automation_id,
        )
    elif customer_email is not None and cart_id is None:
        views = await journeys.list_for_email(session, client, customer_email, automation_id)
    else:
        message = "give exactly one of cart_id and customer_email"
        problems = [Problem("cart_id", message), Problem("customer_email", message)]
        raise InvalidInput("invalid_request", message, problems)
    names = journeys.automation_names(session, views)
    return [
        NamedJourney(**vars(view), automation_name=names.get(view.automation_id or ""))
        for view in views
    ]


@router.get("/{journey_id}", dependencies=[require(Role.support)])
async def get_journey(
    session: SessionDep, client: TemporalDep, journey_id: JourneyId
) -> NamedJourneyDetail:
    """Show a journey: its step, next wake-up, variant and the steps done with their results
    (from the database's kept steps once Temporal has forgotten the journey)."""
    found = await journeys.detail(client, journey_id, session)
    state = found.state
    names = journeys.automation_names(session, [found.view])
    return NamedJourneyDetail(
        **vars(found.view),
        automation_name=names.get(found.view.automation_id or ""),
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
