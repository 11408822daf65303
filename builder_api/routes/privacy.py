"""Data and privacy (admins): the retention purge's runs (and one now), and the data
requests shop platforms forwarded."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from sqlmodel import col, select

from builder_api.deps import SessionDep, SettingsDep, require
from builder_api.schemas.privacy import DataRequestOut, DataRequests, RetentionRunOut, RetentionRuns
from engine.service import retention
from engine.store.models import DataRequest

router = APIRouter(prefix="/privacy", tags=["privacy"])


@router.get("/retention-runs", dependencies=[require()])
def retention_runs(
    session: SessionDep, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> RetentionRuns:
    """The latest runs of the retention purge, newest first, with what each removed."""
    runs = retention.recent_runs(session, limit)
    return RetentionRuns(
        runs=[RetentionRunOut.model_validate(r, from_attributes=True) for r in runs]
    )


@router.post("/retention-runs", dependencies=[require()])
async def run_retention(settings: SettingsDep) -> RetentionRunOut:
    """Purge what is past its retention now (the schedule does it every hour) and answer
    the run."""
    run = await run_in_threadpool(retention.run_now, settings)
    return RetentionRunOut.model_validate(run, from_attributes=True)


@router.get("/data-requests", dependencies=[require()])
def data_requests(
    session: SessionDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> DataRequests:
    """Customers' requests for their data that a platform forwarded, newest first; answer
    each with `GET /api/v1/customers/export?email=`."""
    rows = session.exec(
        select(DataRequest).order_by(col(DataRequest.received_at).desc()).limit(limit)
    ).all()
    return DataRequests(
        requests=[DataRequestOut.model_validate(r, from_attributes=True) for r in rows]
    )
