"""`boomerang worker` runs BOOMERANG_WORKER_PROCESSES workers on one task queue, and stops
them all on SIGTERM."""

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

BOOMERANG = Path(sys.executable).parent / "boomerang"


async def _pollers(client: Client, task_queue: str) -> set[str]:
    """The workers (by identity: pid@host) that polled the queue lately."""
    described = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )
    )
    return {poller.identity for poller in described.pollers}


async def test_two_worker_processes_poll_the_queue_and_stop_together(
    dev_server_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    client = dev_server_env.client
    task_queue = f"test-{uuid.uuid4()}"
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("BOOMERANG_")},
        "BOOMERANG_DATA_DIR": str(tmp_path),
        "BOOMERANG_TEMPORAL_ADDRESS": client.service_client.config.target_host,
        "BOOMERANG_TASK_QUEUE": task_queue,
        "BOOMERANG_WORKER_PROCESSES": "2",
    }
    with subprocess.Popen([str(BOOMERANG), "worker"], env=env, stdout=subprocess.PIPE) as worker:
        try:
            await _serve_two_then_stop(client, task_queue, worker)
        finally:
            if worker.poll() is None:
                worker.kill()
        assert worker.stdout is not None
        assert b"2 worker processes" in worker.stdout.read()


async def _serve_two_then_stop(
    client: Client, task_queue: str, worker: "subprocess.Popen[bytes]"
) -> None:
    """Two processes other than `boomerang worker` poll the queue; SIGTERM ends them all."""
    deadline = time.monotonic() + 60  # two Python processes starting on a busy host
    while len(pollers := await _pollers(client, task_queue)) < 2:
        assert time.monotonic() < deadline, f"pollers: {pollers}"
        assert worker.poll() is None, "boomerang worker exited"
        await asyncio.sleep(0.5)
    children = [identity.partition("@")[0] for identity in pollers]
    assert str(worker.pid) not in children, "the workers are processes of their own"

    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 0
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or _zombie(pid), f"worker {pid} still runs"


def _zombie(pid: str) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] == "Z"
