"""Liveness of the API and reachability of what it needs (no token required)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from builder_api.deps import OptionalTemporalDep, SettingsDep
from builder_api.schemas.health import Health
from engine.service.errors import Unavailable
from engine.service.temporal import reachable
from engine.store.db import get_engine

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
async def healthz(settings: SettingsDep, client: OptionalTemporalDep) -> JSONResponse:
    """Report whether the database and Temporal answer (503 when one does not)."""
    try:
        with get_engine(settings.resolved_database_url).connect() as connection:
            connection.execute(text("SELECT 1"))
        database = "ok"
    except Exception as error:
        database = f"unreachable: {type(error).__name__}"
    try:
        await reachable(client).service_client.check_health()
        temporal = "ok"
    except (Unavailable, RuntimeError) as error:
        temporal = f"unreachable: {error}"
    healthy = database == temporal == "ok"
    health = Health(status="ok" if healthy else "degraded", database=database, temporal=temporal)
    return JSONResponse(health.model_dump(), status_code=200 if healthy else 503)
