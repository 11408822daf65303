"""RetentionWorkflow: started by a Temporal Schedule, it purges what is past its retention.

Three activities (engine/activities/retention.py, over engine/service/retention.py): begin a
run (its cutoffs fixed once), purge batches while some are left, end the run. Each batch adds
its counts to the run's row in its own transaction, so a run that fails part way says exactly
what it did. Counts and ids only, never personal data.
"""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel, Field

SCHEDULE_ID = "boomerang-retention"
BEGIN, PURGE, END = "begin_retention_run", "purge_retention_batch", "end_retention_run"
TIMEOUT = timedelta(seconds=60)
RETRY = RetryPolicy(maximum_interval=timedelta(minutes=1), maximum_attempts=5)
# A backlog larger than this many batches is left to the next scheduled run, which keeps one
# run's history short.
MAX_BATCHES = 200


class RetentionRequest(BaseModel):
    """One run's input; the schedule sends the defaults."""

    limit: int = Field(500, ge=1, le=5000, description="records of each kind per batch")


class RetentionBatch(BaseModel):
    run_id: int
    limit: int


class RetentionEnd(BaseModel):
    run_id: int
    error: str | None = None


class RetentionBegun(BaseModel):
    run_id: int


class RetentionBatchDone(BaseModel):
    more: bool


@workflow.defn
class RetentionWorkflow:
    @workflow.run
    async def run(self, request: RetentionRequest) -> int:
        """The run's id (its counts are in the database)."""
        begun: RetentionBegun = await workflow.execute_activity(
            BEGIN,
            workflow.now(),
            result_type=RetentionBegun,
            start_to_close_timeout=TIMEOUT,
            retry_policy=RETRY,
        )
        error: str | None = None
        try:
            for _ in range(MAX_BATCHES):
                done: RetentionBatchDone = await workflow.execute_activity(
                    PURGE,
                    RetentionBatch(run_id=begun.run_id, limit=request.limit),
                    result_type=RetentionBatchDone,
                    start_to_close_timeout=TIMEOUT,
                    retry_policy=RETRY,
                )
                if not done.more:
                    break
        except ActivityError as failure:
            error = str(failure.cause or failure)
        await workflow.execute_activity(
            END,
            RetentionEnd(run_id=begun.run_id, error=error),
            start_to_close_timeout=TIMEOUT,
            retry_policy=RETRY,
        )
        return begun.run_id
