"""`make bench`: wake-ups. Many journeys due at the same instant, against a bare workflow on
the same server; and catching up after the whole stack was down while they fell due.

On the stack `boomerang dev` starts (bench/measured_stack.py), with `--journeys` carts
abandoned through the API (batches of 100), each enrolled into an automation that waits
until one minute of the clock (`wait_until`, UTC) and then sends an email:

1. Fan-out: from that instant to the last of the emails stored as sent (the messages' own
   `sent_at`), and the CPU each process used meanwhile, per send.
2. The reference: as many bare workflows (sleep until an instant, then one no-op activity;
   bench/bare.py, its own worker process with the SDK's defaults) on the same server: from
   that instant to the last one closed (Temporal's own close times).
3. Catching up: as many journeys again, due while every process (Temporal, worker, API) is
   stopped; from the restart to the last email sent.

Prints Markdown; docs/BENCHMARKS.md keeps a run and the method. Nothing is asserted.
"""

import argparse
import asyncio
import math
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import func, select
from temporalio.client import Client
from temporalio.worker import Replayer

from bench import bare
from bench.http_load import run_jobs
from bench.ingest import abandoned_batches, first_tasks_done
from bench.measured_stack import (
    PROCESSES,
    Stack,
    api_post,
    cpu_seconds,
    cpu_since,
    create_automation,
    memory_mib,
    profiled,
    running_stack,
    say,
    settle,
)
from engine.runtime.worker import WORKFLOW_RUNNER
from engine.service.payload_codec import DATA_CONVERTER
from engine.service.temporal import connect
from engine.store.db import session_scope
from engine.store.models import Message
from engine.workflows.journey import JourneyWorkflow

BARE_QUEUE = "bench-bare"
POLL_SECONDS = 0.2
DRAIN_LIMIT = timedelta(minutes=10)


@dataclass
class Drain:
    label: str
    journeys: int
    seconds: float  # due (or restart) → last done
    cpu: dict[str, float]  # CPU seconds per process meanwhile
    memory: dict[str, float]  # MiB per process, with every journey waiting
    tasks: "TaskTimes | None" = None

    def row(self, reference: "Drain | None") -> str:
        ratio = f"{self.seconds / reference.seconds:.2f}×" if reference else "–"
        per_send = " | ".join(
            f"{1000 * self.cpu.get(name, 0) / self.journeys:,.1f}" for name in PROCESSES
        )
        return (
            f"| {self.label} | {self.journeys:,} | **{self.seconds:,.1f} s** "
            f"| {self.journeys / self.seconds:,.0f}/s | {ratio} | {per_send} |"
        )


@dataclass
class TaskTimes:
    """Workflow tasks of a sample of the run's workflows, from their histories: how many per
    workflow, how long each took (started → completed, as the server recorded them: queueing
    in a busy worker included), and the CPU its code takes (the sample replayed here, on one
    core of an idle process, by the SDK's Replayer: sandbox, payloads, our code)."""

    per_workflow: float
    events_per_workflow: float
    mean_ms: float
    median_ms: float
    replay_cpu_ms: float


def _sample(journeys: int) -> range:
    """Up to 200 of the run's workflows, spread over it."""
    return range(0, journeys, max(1, journeys // 200))


async def task_times(client: Client, workflow_ids: list[str], replayer: Replayer) -> TaskTimes:
    durations: list[float] = []
    histories = []
    events = 0
    for workflow_id in workflow_ids:
        history = await client.get_workflow_handle(workflow_id).fetch_history()
        histories.append(history)
        events += len(history.events)
        started = {}
        for event in history.events:
            if event.HasField("workflow_task_started_event_attributes"):
                started[event.event_id] = event.event_time.ToDatetime()
            elif event.HasField("workflow_task_completed_event_attributes"):
                attributes = event.workflow_task_completed_event_attributes
                began = started[attributes.started_event_id]
                durations.append((event.event_time.ToDatetime() - began).total_seconds())
    await replayer.replay_workflow(histories[0])  # warm: imports, the sandbox's first module
    began = time.process_time()
    for history in histories:
        await replayer.replay_workflow(history)
    replayed = time.process_time() - began
    return TaskTimes(
        per_workflow=len(durations) / len(workflow_ids),
        events_per_workflow=events / len(workflow_ids),
        mean_ms=1000 * statistics.fmean(durations),
        median_ms=1000 * statistics.median(durations),
        replay_cpu_ms=1000 * replayed / len(durations),
    )


def _definition(name: str, due: datetime) -> dict[str, Any]:
    return {
        "name": name,
        "trigger": {"event": "cart_abandoned"},
        "steps": [
            {"id": "until", "type": "wait_until", "time": f"{due:%H:%M}", "timezone": "UTC"},
            {"id": "email-1", "type": "action", "action": "send_email",
             "params": {"template": "cart-reminder"}},
        ],
    }  # fmt: skip


def _next_minute(after: datetime) -> datetime:
    whole = after.replace(second=0, microsecond=0)
    return whole if whole >= after else whole + timedelta(minutes=1)


async def _sleep_until(instant: datetime) -> None:
    await asyncio.sleep(max((instant - datetime.now(UTC)).total_seconds(), 0))


async def _enrol_due(stack: Stack, label: str, journeys: int) -> tuple[str, datetime]:
    """A new automation due at the first whole minute after its journeys can have been
    enrolled; `journeys` carts abandoned into it (and only it: the others are off)."""
    if stack.automation_id:
        api_post(
            stack.settings, f"/automations/{stack.automation_id}/deactivate", {"running": "finish"}
        )
    lead = timedelta(seconds=30 + journeys / 40)
    due = _next_minute(datetime.now(UTC) + lead)
    automation = create_automation(stack.settings, _definition(f"Bench {label}", due))
    stack.automation_id = automation
    await run_jobs(stack, "enrol", abandoned_batches(label, journeys, 100), 2)
    probe = first_tasks_done(stack, label, journeys, step="until")
    while not await probe():
        await asyncio.sleep(0.5)
    await settle(stack)
    if datetime.now(UTC) >= due:
        raise SystemExit(f"bench: enrolment outlasted the due time {due:%H:%M}")
    return automation, due


def _sent(stack: Stack, automation_id: str) -> tuple[int, datetime | None]:
    with session_scope(stack.settings.resolved_database_url) as session:
        count, last = session.exec(
            select(func.count(), func.max(Message.sent_at)).where(
                Message.automation_id == automation_id, Message.status == "sent"
            )
        ).one()
    return count, last


async def _until_sent(stack: Stack, automation_id: str, journeys: int) -> datetime:
    deadline = time.monotonic() + DRAIN_LIMIT.total_seconds()
    while (found := _sent(stack, automation_id))[0] < journeys:
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: only {found[0]} of {journeys} emails sent in time")
        await asyncio.sleep(POLL_SECONDS)
    assert found[1] is not None
    return found[1].replace(tzinfo=UTC)


async def fan_out(stack: Stack, journeys: int, profile: Path | None) -> Drain:
    automation, due = await _enrol_due(stack, "fan", journeys)
    memory = memory_mib(stack.pids)
    await _sleep_until(due - timedelta(seconds=1))
    before = cpu_seconds(stack.pids)
    with profiled(stack.pids["worker"], profile and profile / "fanout-worker.txt"):
        last = await _until_sent(stack, automation, journeys)
    cpu = cpu_since(stack.pids, before)
    label = "`JourneyWorkflow`: wait until, purchase check, send email"
    sample = [f"journey:{automation}:fan-{n}" for n in _sample(journeys)]
    replayer = Replayer(
        workflows=[JourneyWorkflow], workflow_runner=WORKFLOW_RUNNER, data_converter=DATA_CONVERTER
    )
    tasks = await task_times(await connect(stack.settings), sample, replayer)
    return Drain(label, journeys, (last - due).total_seconds(), cpu, memory, tasks)


async def bare_fan_out(stack: Stack, journeys: int) -> Drain:
    settings = stack.settings
    address, namespace = settings.resolved_temporal_address, settings.temporal_namespace
    stack.tree.start("bare", [sys.executable, "-m", "bench.bare", address, namespace, BARE_QUEUE])
    client = await connect(settings)
    due = datetime.now(UTC) + timedelta(seconds=15 + journeys / 40)
    limit = asyncio.Semaphore(20)

    def workflow_id(n: int) -> str:
        return f"bare-{due:%H%M%S}-{n}"

    async def start(n: int) -> None:
        async with limit:
            await client.start_workflow(
                bare.WORKFLOW, due.timestamp(), id=workflow_id(n), task_queue=BARE_QUEUE
            )

    await asyncio.gather(*(start(n) for n in range(journeys)))
    memory = memory_mib(stack.pids)
    await _sleep_until(due - timedelta(seconds=1))
    before = cpu_seconds(stack.pids)
    last = await _last_closed(client, journeys)
    cpu = cpu_since(stack.pids, before)
    # The reference's worker stands in the worker's column (Boomerang's sits idle meanwhile).
    cpu["worker"] = cpu.pop("bare", 0)
    memory["worker"] = memory.pop("bare", math.nan)
    worker = stack.tree.children.pop("bare")
    worker.terminate()
    worker.wait()
    label = "bare workflow: sleep until, one no-op activity (reference)"
    replayer = Replayer(workflows=[bare.BareWorkflow])
    tasks = await task_times(client, [workflow_id(n) for n in _sample(journeys)], replayer)
    return Drain(label, journeys, (last - due).total_seconds(), cpu, memory, tasks)


async def _last_closed(client: Client, journeys: int) -> datetime:
    query = f"WorkflowType = '{bare.WORKFLOW}' AND ExecutionStatus = 'Completed'"
    deadline = time.monotonic() + DRAIN_LIMIT.total_seconds()
    while (await client.count_workflows(query)).count < journeys:
        if time.monotonic() > deadline:
            raise SystemExit("bench: the bare workflows did not all close in time")
        await asyncio.sleep(POLL_SECONDS)
    closed = [found.close_time async for found in client.list_workflows(query)]
    return max(when for when in closed if when is not None)


async def catch_up(stack: Stack, journeys: int) -> Drain:
    automation, due = await _enrol_due(stack, "late", journeys)
    memory = memory_mib(stack.pids)
    stack.stop()
    await _sleep_until(due + timedelta(seconds=10))
    restarted = datetime.now(UTC)
    await asyncio.to_thread(stack.start)
    before = cpu_seconds(stack.pids)
    last = await _until_sent(stack, automation, journeys)
    cpu = cpu_since(stack.pids, before)
    label = "catching up: due while the whole stack was down (from its restart)"
    return Drain(label, journeys, (last - restarted).total_seconds(), cpu, memory)


async def measure(stack: Stack, journeys: int, profile: Path | None) -> None:
    fan = await fan_out(stack, journeys, profile)
    reference = await bare_fan_out(stack, journeys)
    late = await catch_up(stack, journeys)
    say(f"| run | journeys | due → all done | rate | vs bare | {' | '.join(PROCESSES)} |")
    say(f"| --- | ---: | ---: | ---: | ---: | {' | '.join('---:' for _ in PROCESSES)} |")
    for drain in (reference, fan, late):
        say(drain.row(None if drain is reference else reference))
    say("\n(the last columns: CPU milliseconds per journey, by process, from due to done)\n")
    say(f"Resident memory with {journeys:,} journeys waiting, MiB:\n")
    say(f"| run | {' | '.join(PROCESSES)} |")
    say(f"| --- | {' | '.join('---:' for _ in PROCESSES)} |")
    for drain in (reference, fan, late):
        cells = " | ".join(f"{drain.memory.get(name, math.nan):,.0f}" for name in PROCESSES)
        say(f"| {drain.label} | {cells} |")
    say("\nWorkflow tasks (a sample of up to 200 workflows of each run, from their histories):\n")
    say("| run | history events | tasks | mean task | median task | CPU per task, replayed |")
    say("| --- | ---: | ---: | ---: | ---: | ---: |")
    for drain in (reference, fan):
        if drain.tasks:
            times = drain.tasks
            say(
                f"| {drain.label} | {times.events_per_workflow:.0f} | {times.per_workflow:.1f} "
                f"| {times.mean_ms:.1f} ms "
                f"| {times.median_ms:.1f} ms | {times.replay_cpu_ms:.2f} ms |"
            )
    if fan.tasks and reference.tasks:
        ratio = fan.tasks.replay_cpu_ms / reference.tasks.replay_cpu_ms
        verdict = "met" if ratio <= 2 else "not met"
        say(
            f"\n`JourneyWorkflow` task CPU: {ratio:.2f}× the bare workflow's "
            f"(goal ≤ 2×: **{verdict}**)."
        )
    ratio = fan.seconds / reference.seconds
    verdict = "met" if ratio <= 1.25 else "not met"
    say(f"\nFan-out: {ratio:.2f}× the bare workflow's time (goal ≤ 1.25×: **{verdict}**).")
    per_send = 1000 * fan.cpu.get("worker", 0) / journeys
    verdict = "met" if per_send <= 15 else "not met"
    say(f"Worker CPU per send: {per_send:.1f} ms (goal ≤ 15 ms: **{verdict}**).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=1_000)
    parser.add_argument("--keep", action="store_true", help="keep the data dir and logs")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="py-spy samples of the worker during the fan-out",
    )
    parser.add_argument(
        "--worker-processes", type=int, help="BOOMERANG_WORKER_PROCESSES (default: its default)"
    )
    args = parser.parse_args(argv)
    processes = args.worker_processes
    env = {"BOOMERANG_WORKER_PROCESSES": str(processes)} if processes else {}
    with running_stack(args.keep, definition=None, env=env) as stack:
        asyncio.run(measure(stack, args.journeys, args.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
