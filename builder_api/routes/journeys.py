"""Journeys: where each cart stands in each automation."""

from typing import Annotated

from fastapi import APIRouter, Query

from builder_api.deps import TemporalDep, require
from builder_api.schemas import JourneyPublic
from engine.service import journeys
from engine.service.auth import Role

router = APIRouter(prefix="/journeys", tags=["journeys"])


@router.get("", dependencies=[require(Role.support, Role.marketer)])
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
