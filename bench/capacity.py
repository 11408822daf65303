"""Capacity: what a shop pays to keep many journeys waiting on timers (issue 12).

Method. Starts the measured stack (bench/measured_stack.py: the embedded Temporal dev
server on SQLite in WAL mode, `boomerang worker`, `boomerang api`, each its own process, in a
temporary data dir) with one active automation whose journeys wait 7 days, then send an
email. Then:

1. Enrols `--journeys` carts of as many customers through the real API: batched
   `cart_abandoned` events, 100 per request, 2 requests at a time (bench/ingest.py's
   `abandonments`, which also checks one `Enrolment` per cart and every event applied), then
   waits until each journey ran its first workflow task (visibility shows it at `wait-1`)
   and the worker and Temporal are idle again.
2. Memory: resident set (RSS, and its peak VmHWM) of each process, from /proc.
3. Idle CPU: CPU time of each process over `IDLE_SECONDS` with every journey waiting.
4. Listing latency: `GET /api/v1/journeys` by `cart_id` and by `customer_email`, each with
   and without `automation_id`, `LOOKUPS` requests each, one at a time over one keep-alive
   connection with the admin token, for random carts of the run; each answer must hold
   exactly that cart's journey.
5. Disk: each SQLite file (boomerang.db, temporal.db) after `PRAGMA wal_checkpoint(TRUNCATE)`
   from this process, counting what stays in its `-wal` too; per journey is the whole size
   divided by the journeys (the empty stack's size is shown beside it); the largest tables
   (with their indexes) from SQLite's `dbstat`; one journey's Temporal history and its
   input payload, in protobuf bytes.

Prints Markdown, each figure beside its goal from issue 12. Not a test: the machine is
shared, so timings are noisy; nothing is asserted beyond the enrolments and the listings.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import time
import urllib.parse
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.http_load import Connection
from bench.ingest import abandonments
from bench.measured_stack import Stack, cpu_seconds, memory_mib, running_stack, say, settle
from engine.service.temporal import connect

PREFIX = "cap"
DEFINITION: dict[str, Any] = {
    "name": "Capacity: wait a week",
    "trigger": {"event": "cart_abandoned"},
    "steps": [
        {"id": "wait-1", "type": "wait", "duration": "7d"},
        {"id": "email-1", "type": "action", "action": "send_email",
         "params": {"template": "cart-reminder"}},
    ],
}  # fmt: skip
MEASURED = {"temporal": "Temporal server", "worker": "worker", "api": "API"}
IDLE_SECONDS = 20
LOOKUPS = 200
WORKER_GOAL_MIB = 300e6 / 2**20  # "under 300 MB"
DISK_GOAL_BYTES = 8 * 1024
LATENCY_GOAL_MS = 100.0
KIB, MIB = 1024, 2**20


def verdict(met: bool) -> str:
    return "met" if met else "**not met**"


# -- enrolment ----------------------------------------------------------------------------


async def enrol(stack: Stack, journeys: int) -> None:
    began = time.perf_counter()
    shown = [0]

    def progress(posted: int) -> None:
        tenth = posted * 10 // journeys
        if tenth > shown[0]:
            shown[0] = tenth
            elapsed = time.perf_counter() - began
            say(f"- {posted:,} events accepted ({10 * tenth} %) after {elapsed:,.0f} s")

    label = "`cart_abandoned`, 100 per request, 2 at a time"
    timing = await abandonments(stack, PREFIX, journeys, 100, 2, label, progress)
    await settle(stack)
    say(
        f"\nEnrolled {journeys:,} journeys in {timing.seconds:,.0f} s ({timing.rate:,.0f}/s); "
        f"all had their first task after {timing.settled or 0:,.0f} s, idle after "
        f"{time.perf_counter() - began:,.0f} s. CPU per journey until then: "
        + ", ".join(f"{name} {1000 * used / journeys:,.1f} ms" for name, used in timing.cpu.items())
        + ".\n"
    )


# -- disk ---------------------------------------------------------------------------------


def files(stack: Stack) -> dict[str, Path]:
    return {
        "Boomerang (`boomerang.db`)": stack.data_dir / "boomerang.db",
        "Temporal (`temporal.db`)": stack.data_dir / "temporal.db",
    }


def checkpointed_size(path: Path) -> tuple[int, int]:
    """(main file, what stays in its -wal) in bytes, after a truncating checkpoint."""
    with closing(sqlite3.connect(path, timeout=30)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size, wal.stat().st_size if wal.exists() else 0


def largest_tables(path: Path, top: int = 4) -> list[tuple[str, int]]:
    """The tables (with their indexes) that hold the most bytes, largest first."""
    with closing(sqlite3.connect(path, timeout=30)) as db:
        rows = db.execute(
            "SELECT s.tbl_name, SUM(d.pgsize) FROM dbstat AS d "
            "JOIN sqlite_schema AS s ON s.name = d.name "
            "GROUP BY s.tbl_name ORDER BY 2 DESC LIMIT ?",
            (top,),
        ).fetchall()
    return [(str(name), int(size)) for name, size in rows]


def report_disk(stack: Stack, empty: dict[str, int], journeys: int) -> None:
    say("### Disk: database size per journey\n")
    say("| database | empty stack | main file | `-wal` after checkpoint | total | per journey "
        "| goal | |")  # fmt: skip
    say("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    totals = {}
    for label, path in files(stack).items():
        main, wal = checkpointed_size(path)
        totals[label] = main + wal
        say(
            f"| {label} | {empty[label] / MIB:,.1f} MiB | {main / MIB:,.1f} MiB "
            f"| {wal / MIB:,.1f} MiB | {totals[label] / MIB:,.1f} MiB "
            f"| {totals[label] / journeys / KIB:,.2f} KiB | | |"
        )
    total = sum(totals.values())
    per = total / journeys
    say(
        f"| **both** | {sum(empty.values()) / MIB:,.1f} MiB | | | {total / MIB:,.1f} MiB "
        f"| **{per / KIB:,.2f} KiB** | ≤ {DISK_GOAL_BYTES // KIB} KiB "
        f"| {verdict(per <= DISK_GOAL_BYTES)} |"
    )
    largest = max(totals, key=lambda label: totals[label])
    say(f"\n{largest} holds {100 * totals[largest] / total:.0f} % of it. Largest tables:\n")
    say("| database | table (with its indexes) | size | per journey |")
    say("| --- | --- | ---: | ---: |")
    for label, path in files(stack).items():
        for table, size in largest_tables(path):
            say(f"| {label} | `{table}` | {size / MIB:,.1f} MiB | {size / journeys:,.0f} B |")


async def one_journey(stack: Stack, workflow_id: str) -> None:
    """The size of one journey's history in Temporal, and of its input payload."""
    client = await connect(stack.settings)
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    started = history.events[0].workflow_execution_started_event_attributes
    payload = sum(p.ByteSize() for p in started.input.payloads)
    size = sum(event.ByteSize() for event in history.events)
    say(
        f"\nOne waiting journey's history: {len(history.events)} events, {size:,} bytes; its "
        f"input payload (the `JourneyInput`, definition included) {payload:,} bytes.\n"
    )


# -- memory and CPU -----------------------------------------------------------------------


def report_memory(stack: Stack) -> None:
    resident, peak = memory_mib(stack.pids), memory_mib(stack.pids, "VmHWM")
    say("### Memory, every journey waiting\n")
    say("| process | resident (RSS) | peak RSS | goal | |")
    say("| --- | ---: | ---: | --- | --- |")
    for name, label in MEASURED.items():
        goal, met = "–", ""
        if name == "worker":
            goal, met = "< 300 MB", verdict(resident[name] < WORKER_GOAL_MIB)
        say(f"| {label} | {resident[name]:,.0f} MiB | {peak[name]:,.0f} MiB | {goal} | {met} |")
    total = sum(resident[name] for name in MEASURED)
    say(f"| **all three** | {total:,.0f} MiB | | | |\n")


async def report_idle_cpu(stack: Stack) -> None:
    before = cpu_seconds(stack.pids)
    await asyncio.sleep(IDLE_SECONDS)
    after = cpu_seconds(stack.pids)
    say(f"### Idle CPU over {IDLE_SECONDS} s, every journey waiting\n")
    say("| process | CPU time | share of one core | goal |")
    say("| --- | ---: | ---: | --- |")
    for name, label in MEASURED.items():
        used = after[name] - before[name]
        say(f"| {label} | {used:,.2f} s | {100 * used / IDLE_SECONDS:,.1f} % | none set |")
    say()


# -- listing ------------------------------------------------------------------------------


async def report_listing(stack: Stack, journeys: int) -> str:
    """Time the listings; returns one journey's id."""
    connection = Connection(stack.settings.port)
    token = stack.settings.api_token or ""
    automation = f"&automation_id={stack.automation_id}"

    def email(n: int) -> str:
        return "customer_email=" + urllib.parse.quote(f"customer{n}@example.com")

    shapes: dict[str, Callable[[int], str]] = {
        "`?cart_id=`": lambda n: f"cart_id={PREFIX}-{n}",
        "`?cart_id=&automation_id=`": lambda n: f"cart_id={PREFIX}-{n}{automation}",
        "`?customer_email=`": email,
        "`?customer_email=&automation_id=`": lambda n: email(n) + automation,
    }
    chosen = random.Random(12)
    found = ""
    say(f"### Journey listing, {LOOKUPS} requests each, one at a time, random carts\n")
    say("| `GET /api/v1/journeys` | p50 | p95 | goal (p95) | |")
    say("| --- | ---: | ---: | --- | --- |")
    try:
        for label, query in shapes.items():
            latencies = []
            for attempt in range(LOOKUPS + 5):  # the first 5 warm up
                n = chosen.randrange(journeys)
                began = time.perf_counter()
                status, body = await connection.request(
                    "GET", f"/api/v1/journeys?{query(n)}", token
                )
                if attempt >= 5:
                    latencies.append(1000 * (time.perf_counter() - began))
                listed = json.loads(body) if status == 200 else []
                if [journey["cart_id"] for journey in listed] != [f"{PREFIX}-{n}"]:
                    raise SystemExit(f"capacity: {label} for {n}: {status} {body[:300]!r}")
                found = listed[0]["id"]
            p50 = statistics.median(latencies)
            p95 = statistics.quantiles(latencies, n=20)[-1]
            say(
                f"| {label} | {p50:,.1f} ms | {p95:,.1f} ms | < {LATENCY_GOAL_MS:.0f} ms "
                f"| {verdict(p95 < LATENCY_GOAL_MS)} |"
            )
    finally:
        connection.close()
    say()
    return found


# -- the run ------------------------------------------------------------------------------


async def measure(stack: Stack, journeys: int, began: float) -> None:
    empty = {label: sum(checkpointed_size(path)) for label, path in files(stack).items()}
    say(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{datetime.now(UTC):%Y-%m-%d}. Temporal dev server (SQLite, WAL), worker and API "
        f"(one process each) and this client, all on this machine. {journeys:,} journeys "
        "waiting 7 days.\n"
    )
    await enrol(stack, journeys)
    report_memory(stack)
    await report_idle_cpu(stack)
    workflow_id = await report_listing(stack, journeys)
    report_disk(stack, empty, journeys)
    await one_journey(stack, workflow_id)
    say(f"Whole run: {time.perf_counter() - began:,.0f} s.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=10_000, help="journeys to enrol")
    parser.add_argument("--keep", action="store_true", help="keep the data dir and logs")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    with running_stack(args.keep, definition=DEFINITION) as stack:
        asyncio.run(measure(stack, args.journeys, began))
    return 0


if __name__ == "__main__":
    sys.exit(main())
