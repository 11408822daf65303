"""Results (marketers): the shop's overview over a period and one automation's results."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from builder_api.deps import SessionDep, SettingsDep, require
from builder_api.schemas.analytics import AutomationResults, Overview
from engine.service import analytics
from engine.service.auth import Role

router = APIRouter(prefix="/analytics", tags=["analytics"])

From = Annotated[
    date | None,
    Query(alias="from", description="First day (UTC, included); default: 29 days before `to`"),
]
To = Annotated[date | None, Query(description="Last day (UTC, included); default: today")]


@router.get("/overview", dependencies=[require(Role.marketer)])
def read_overview(
    session: SessionDep, settings: SettingsDep, from_: From = None, to: To = None
) -> Overview:
    """The shop's results over a period: carts, recoveries, revenue, emails, day by day."""
    return analytics.overview(session, analytics.period(from_, to), settings)


@router.get("/automations/{automation_id}", dependencies=[require(Role.marketer)])
def read_automation_results(
    automation_id: Annotated[str, Path(max_length=40)],
    session: SessionDep,
    settings: SettingsDep,
    from_: From = None,
    to: To = None,
) -> AutomationResults:
    """One automation's results over a period: per version, per step, A/B tests, holdout."""
    return analytics.automation_results(
        session, settings, automation_id, analytics.period(from_, to)
    )
