"""Liveness of the API and reachability of what it needs (no token required)."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from builder_api.deps import SettingsDep, get_temporal
from builder_api.errors import ApiError
from builder_api.schemas.health import Health
from engine.store.db import get_engine

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
async def healthz(request: Request, settings: SettingsDep) -> JSONResponse:
    """Report whether the database and Temporal answer (503 when one does not)."""
    try:
        with get_engine(settings.resolved_database_url).connect() as connection:
            connection.execute(text("SELECT 1"))
        database = "ok"
    except Exception as error:
        database = f"unreachable: {type(error).__name__}"
    try:
        # TemporalDep's own lookup, called here so its reason (address, cause) is reported
        # instead of answered as a 503 error.
        client = await get_temporal(request)
        await client.service_client.check_health()
        temporal = "ok"
    except (ApiError, RuntimeError) as error:
        temporal = f"unreachable: {error}"
    healthy = database == temporal == "ok"
    health = Health(status="ok" if healthy else "degraded", database=database, temporal=temporal)
    return JSONResponse(health.model_dump(), status_code=200 if healthy else 503)
