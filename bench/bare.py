"""The reference a journey's wake-up is measured against: a bare workflow that sleeps until
an instant, then runs one no-op activity, on the same Temporal server with a worker of its
own (the SDK's defaults, the default sandbox), in a process of its own like `boomerang
worker`.

`python -m bench.bare ADDRESS NAMESPACE TASK_QUEUE` runs that worker until SIGTERM.
"""

import asyncio
import signal
import sys
from datetime import UTC, datetime, timedelta

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

WORKFLOW = "BareWorkflow"


@activity.defn
async def nothing() -> None:
    """The least an activity can be."""


@workflow.defn(name=WORKFLOW)
class BareWorkflow:
    @workflow.run
    async def run(self, until: float) -> None:
        """Sleep until `until` (POSIX seconds), then run the activity."""
        wake = datetime.fromtimestamp(until, UTC)
        await workflow.sleep(max(wake - workflow.now(), timedelta(0)))
        await workflow.execute_activity(nothing, start_to_close_timeout=timedelta(seconds=30))


async def serve(address: str, namespace: str, task_queue: str) -> None:
    client = await Client.connect(address, namespace=namespace)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with Worker(
        client, task_queue=task_queue, workflows=[BareWorkflow], activities=[nothing]
    ):
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(serve(*sys.argv[1:4]))
