"""AbandonmentWorkflow: started by a Temporal Schedule, it abandons idle carts and enrols them.

The work is one activity, `abandon_idle_carts` (engine.service.idle_carts), which marks
a batch of idle carts abandoned in the database and starts their journeys. The workflow
runs it again while batches come back full, then reports counts (never personal data).
"""

from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel, Field

SCHEDULE_ID = "boomerang-abandonment"
ACTIVITY = "abandon_idle_carts"
DEFAULT_LIMIT = 500
BATCH_TIMEOUT = timedelta(seconds=30)
BATCH_RETRY = RetryPolicy(maximum_interval=timedelta(minutes=1))
# A backlog larger than this many batches is left to the next scheduled run,
# which keeps one run's history short.
MAX_BATCHES = 20


class AbandonmentRequest(BaseModel):
    """One run's input; the schedule sends the defaults."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=5000, description="carts per batch")


class AbandonmentBatch(BaseModel):
    """The activity's input: carts idle as of `now`, at most `limit` of them."""

    now: datetime
    limit: int


class AbandonmentCounts(BaseModel):
    """What a batch or a run did: counts only."""

    marked: int = 0  # carts this run marked abandoned
    enrolled: int = 0  # journeys started (one per matching automation and cart)
    guests: int = 0  # marked carts without a known email: tracked, never messaged
    more: bool = False  # the batch was full or enrolments are left over: run another

    def add(self, other: "AbandonmentCounts") -> None:
        self.marked += other.marked
        self.enrolled += other.enrolled
        self.guests += other.guests
        self.more = other.more


@workflow.defn
class AbandonmentWorkflow:
    @workflow.run
    async def run(self, request: AbandonmentRequest) -> AbandonmentCounts:
        total = AbandonmentCounts()
        for _ in range(MAX_BATCHES):
            batch: AbandonmentCounts = await workflow.execute_activity(
                ACTIVITY,
                AbandonmentBatch(now=workflow.now(), limit=request.limit),
                result_type=AbandonmentCounts,
                start_to_close_timeout=BATCH_TIMEOUT,
                retry_policy=BATCH_RETRY,
            )
            total.add(batch)
            if not batch.more:
                break
        return total
