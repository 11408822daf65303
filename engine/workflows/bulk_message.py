"""BulkMessageWorkflow: one template to every cart a filter matches (`POST
/api/v1/carts/bulk-message`).

It pages through the matching cart ids with an activity (by id, so carts changing meanwhile
move no page) and sends to each cart through an activity under the idempotency key
`bulk:{run_id}:{cart_id}` (a retried send never goes twice); each refusal (suppressed, no
consent, frequency cap, no email) is counted. Progress is written to the run's database row
after each page (what `GET /api/v1/carts/bulk-message/{run_id}` reads, also after Temporal
forgot the workflow) and answered by the `progress` query; the final report is the result.
The filter stays in the database: the workflow carries the run's id and counts only.
"""

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel, Field

BEGIN, PAGE, SEND, PROGRESS = (
    "begin_bulk_message",
    "bulk_message_page",
    "send_bulk_message",
    "record_bulk_progress",
)
REASONS = ("suppressed", "no_consent", "frequency_cap", "no_email")
PAGE_SIZE = 50
CONCURRENCY = 10  # sends at once: the embedded server paces itself (docs/DESIGN.md)
PAGES_PER_RUN = 40  # then continue-as-new, which keeps each run's history short
TIMEOUT = timedelta(seconds=30)
RETRY = RetryPolicy(maximum_interval=timedelta(minutes=1))


def workflow_id(run_id: str) -> str:
    return f"bulk-message:{run_id}"


class BulkCounts(BaseModel):
    total: int = 0
    done: int = 0
    sent: int = 0
    failed: int = 0  # the provider refused the email for good
    skipped: dict[str, int] = Field(default_factory=lambda: dict.fromkeys(REASONS, 0))
    after: str | None = None  # the last cart id done

    def add(self, outcome: str) -> None:
        self.done += 1
        if outcome == "sent":
            self.sent += 1
        elif outcome in self.skipped:
            self.skipped[outcome] += 1
        else:
            self.failed += 1


class BulkMessageRequest(BaseModel):
    run_id: str
    counts: BulkCounts | None = None  # carried over by continue-as-new


class BulkPage(BaseModel):
    run_id: str
    after: str | None
    limit: int


class BulkSend(BaseModel):
    run_id: str
    cart_id: str


class BulkProgress(BaseModel):
    run_id: str
    counts: BulkCounts
    status: str = "running"  # running, completed, failed


@workflow.defn
class BulkMessageWorkflow:
    def __init__(self) -> None:
        self._counts = BulkCounts()

    @workflow.query
    def progress(self) -> BulkCounts:
        return self._counts

    @workflow.run
    async def run(self, request: BulkMessageRequest) -> BulkCounts:
        if request.counts is not None:
            self._counts = request.counts
        else:
            self._counts.total = await workflow.execute_activity(
                BEGIN,
                request.run_id,
                result_type=int,
                start_to_close_timeout=TIMEOUT,
                retry_policy=RETRY,
            )
        counts = self._counts
        try:
            for _ in range(PAGES_PER_RUN):
                ids: list[str] = await workflow.execute_activity(
                    PAGE,
                    BulkPage(run_id=request.run_id, after=counts.after, limit=PAGE_SIZE),
                    result_type=list[str],
                    start_to_close_timeout=TIMEOUT,
                    retry_policy=RETRY,
                )
                for start in range(0, len(ids), CONCURRENCY):
                    chunk = ids[start : start + CONCURRENCY]
                    outcomes = await asyncio.gather(
                        *(
                            workflow.execute_activity(
                                SEND,
                                BulkSend(run_id=request.run_id, cart_id=cart_id),
                                result_type=str,
                                start_to_close_timeout=TIMEOUT,
                                retry_policy=RETRY,
                            )
                            for cart_id in chunk
                        )
                    )
                    for outcome in outcomes:
                        counts.add(outcome)
                if ids:
                    counts.after = ids[-1]
                done = len(ids) < PAGE_SIZE
                status = "completed" if done else "running"
                await workflow.execute_activity(
                    PROGRESS,
                    BulkProgress(run_id=request.run_id, counts=counts, status=status),
                    start_to_close_timeout=TIMEOUT,
                    retry_policy=RETRY,
                )
                if done:
                    return counts
        except ActivityError:
            await workflow.execute_activity(
                PROGRESS,
                BulkProgress(run_id=request.run_id, counts=counts, status="failed"),
                start_to_close_timeout=TIMEOUT,
                retry_policy=RETRY,
            )
            raise
        workflow.continue_as_new(BulkMessageRequest(run_id=request.run_id, counts=counts))
