"""Simulations: an automation tried on past or sample carts before it reaches a customer.
Nothing is sent, created or called; a few thousand carts answer at once, more run in the
background (poll the status). Results are kept for a day."""

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response
from fastapi.concurrency import run_in_threadpool

from builder_api.deps import OptionalTemporalDep, SessionDep, SettingsDep, require
from engine.language.simulations import CartTimelines, SimulationRequest, SimulationStatus
from engine.service import simulation
from engine.service.auth import Role
from engine.service.temporal import reachable

router = APIRouter(tags=["simulations"])
# Who builds automations tries them; a developer runs `boomerang simulate` in CI too.
SIMULATORS = (Role.marketer, Role.developer)
SimulationId = Annotated[str, Path(max_length=40)]


@router.post(
    "/automations/{automation_id}/simulate",
    dependencies=[require(*SIMULATORS)],
    responses={202: {"model": SimulationStatus, "description": "Started in the background"}},
)
async def simulate(
    automation_id: Annotated[str, Path(max_length=40)],
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    client: OptionalTemporalDep,
    body: Annotated[SimulationRequest | None, Body()] = None,
) -> SimulationStatus:
    """Try a definition (default: the draft) on past or sample carts, nothing sent: up to
    2,000 carts answer at once with the totals (200); more run in the background (202, then
    `GET /api/v1/simulations/{id}` shows the progress and, once done, the totals)."""
    started = simulation.start(session, automation_id, body or SimulationRequest())
    if simulation.in_background(started):
        await simulation.start_job(reachable(client), settings, started)
        response.status_code = 202
        return simulation.status(started)
    try:
        done = await run_in_threadpool(simulation.run, session, settings, started.id)
    except Exception as error:  # recorded as failed, not left `running` for a day
        session.rollback()
        simulation.fail(session, started.id, f"the simulation failed: {error}")
        raise
    return simulation.status(done)


@router.get("/simulations/{simulation_id}", dependencies=[require(*SIMULATORS)])
def simulation_status(simulation_id: SimulationId, session: SessionDep) -> SimulationStatus:
    """A simulation's progress, and its totals (and the difference to what it is compared
    with) once done."""
    return simulation.status(simulation.find(session, simulation_id))


@router.get("/simulations/{simulation_id}/carts", dependencies=[require(*SIMULATORS)])
def simulation_carts(
    simulation_id: SimulationId,
    session: SessionDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=simulation.PAGE_LIMIT)] = 50,
    outcome: Annotated[
        str | None,
        Query(max_length=40, description="purchased, recovered, lost, not_entered..."),
    ] = None,
    flagged: Annotated[
        bool | None, Query(description="Only carts with a send after a purchase or a failed step")
    ] = None,
) -> CartTimelines:
    """Each cart's timeline, newest abandonment first: whether it would enter, what would
    happen when, which variant, where it stops and why."""
    return simulation.timelines(
        session, simulation_id, cursor=cursor, limit=limit, outcome=outcome, flagged=flagged
    )
