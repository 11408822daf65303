"""An automation's numbers: emails sent and carts recovered in the last 30 days (from the
database), and its running journeys (from Temporal, when it can be reached)."""

import asyncio
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, func, select
from temporalio.client import Client
from temporalio.service import RPCError

from engine.service import journeys
from engine.store import models
from engine.store.types import utcnow

STATS_PERIOD = timedelta(days=30)
# Bounded: counting journeys is one visibility query per automation (DESIGN: pace bulk work).
COUNT_CONCURRENCY = 8


@dataclass(frozen=True)
class Stats:
    emails_sent: int = 0
    recoveries: int = 0


def stats(session: Session, automation_ids: list[str]) -> dict[str, Stats]:
    """Emails sent and carts recovered in the last 30 days, per automation. A recovered cart
    counts for each automation it had a journey in."""
    since = utcnow() - STATS_PERIOD
    sent = dict(
        session.exec(
            select(models.Message.automation_id, func.count())
            .where(
                col(models.Message.automation_id).in_(automation_ids),
                models.Message.status == "sent",
                col(models.Message.sent_at) >= since,
            )
            .group_by(col(models.Message.automation_id))
        ).all()
    )
    recovered = dict(
        session.exec(
            select(models.Enrolment.automation_id, func.count(func.distinct(models.Cart.id)))
            .join(models.Cart, col(models.Cart.id) == models.Enrolment.cart_id)
            .where(
                col(models.Enrolment.automation_id).in_(automation_ids),
                models.Cart.status == "recovered",
                col(models.Cart.recovered_at) >= since,
            )
            .group_by(col(models.Enrolment.automation_id))
        ).all()
    )
    return {i: Stats(int(sent.get(i, 0)), int(recovered.get(i, 0))) for i in automation_ids}


async def running_counts(client: Client | None, automation_ids: list[str]) -> dict[str, int | None]:
    """Running journeys per automation; None where Temporal could not say (the list still
    answers while Temporal is down)."""
    if client is None:
        return dict.fromkeys(automation_ids)
    gate = asyncio.Semaphore(COUNT_CONCURRENCY)

    async def count(automation_id: str) -> int | None:
        async with gate:
            try:
                return await journeys.count_running(client, automation_id)
            except RPCError:
                return None

    counts = await asyncio.gather(*(count(i) for i in automation_ids))
    return dict(zip(automation_ids, counts, strict=True))
