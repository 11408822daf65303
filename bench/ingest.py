"""`make bench`: event ingestion through HTTP, on this machine, against a real stack.

Starts what `boomerang dev` starts, in a temporary data dir on free ports: the embedded
Temporal dev server (SQLite in WAL mode, our search attributes), the database (SQLite,
migrated), `boomerang worker` and `boomerang api` (uvicorn), each its own process. Then,
from this process, over HTTP/1.1 keep-alive connections with an ingest token:

1. `cart_updated` upserts per second: new carts in batches, the same carts again (updates),
   and one event per request; every event writes its cart and customer.
2. Raw Temporal start throughput: `JourneyWorkflow` executions started straight from a
   client (`engine.service.journeys.enroll`, the very call enrolment makes: same workflow,
   input and search attributes), `--concurrency` at a time: the bound for enrolment.
3. `cart_abandoned` enrolments per second with one active automation: one event per request,
   `--concurrency` requests at a time; and in batches (one request at a time, whose journeys
   ingestion starts 20 at a time). Timed from the first post to the last 202: an answer means
   the journeys were started. Then counted in the database: one `Enrolment` per cart, every
   event applied.

Before each run the stack settles (the worker has run the first task of every journey
started so far), so no run pays for another's backlog. 2 and 3 run in turns (raw, one per
request, batched, batched, one per request, raw) so a server that slows as its history grows
weighs on all alike; ratios compare sums. The worker runs all along (each journey's first
workflow task costs CPU in every run). CPU time per event of each process is read from
/proc. Prints Markdown; docs/BENCHMARKS.md keeps a run and the method. Not a test: nothing
is asserted.
"""

import argparse
import asyncio
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import col, func, select

from engine.language.contracts import JourneyInput
from engine.language.definition import Automation
from engine.runtime.cli import wait_for_http, wait_for_temporal
from engine.runtime.settings import Settings
from engine.runtime.supervisor import ProcessTree, python_command, temporal_command
from engine.service.auth import Role, ensure_token
from engine.service.bootstrap import prepare
from engine.service.journeys import enroll
from engine.service.temporal import connect
from engine.store.db import session_scope
from engine.store.models import Enrolment
from engine.store.models import Event as StoredEvent

SETTLE_SECONDS = 120
PROCESSES = ("temporal", "worker", "api", "client")
DEFINITION: dict[str, Any] = {
    "name": "Bench reminder",
    "trigger": {"event": "cart_abandoned"},
    "steps": [
        {"id": "wait-1", "type": "wait", "duration": "1h"},
        {"id": "email-1", "type": "action", "action": "send_email",
         "params": {"template": "cart-reminder"}},
    ],
}  # fmt: skip
INGEST_TOKEN = "bench-ingest-token"


def say(text: str = "") -> None:
    print(text, flush=True)  # noqa: T201 - a benchmark reports on stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# -- the stack ----------------------------------------------------------------------------


@dataclass
class Stack:
    settings: Settings
    automation_id: str
    pids: dict[str, int]  # temporal, worker, api


@contextmanager
def running_stack(keep: bool) -> Iterator[Stack]:
    data_dir = Path(tempfile.mkdtemp(prefix="boomerang-bench-"))
    env = {
        "BOOMERANG_DATA_DIR": str(data_dir),
        "BOOMERANG_PORT": str(_free_port()),
        "BOOMERANG_TEMPORAL_PORT": str(_free_port()),
        "BOOMERANG_TEMPORAL_UI_PORT": str(_free_port()),
        "BOOMERANG_API_TOKEN": "bench-admin-" + secrets.token_hex(8),
        "BOOMERANG_TASK_QUEUE": "bench",
        "BOOMERANG_ABANDONMENT_INTERVAL": "1h",  # no schedule run during the measurement
        "BOOMERANG_LINK_SECRET": secrets.token_hex(16),
    }
    for name in [name for name in os.environ if name.startswith("BOOMERANG_")]:
        del os.environ[name]  # only this run's settings reach the children
    os.environ.update(env)
    settings = Settings()
    tree = ProcessTree()
    try:
        tree.start("temporal", temporal_command(settings), data_dir / "temporal.log")
        prepare(settings)
        asyncio.run(wait_for_temporal(settings))
        tree.start("worker", python_command("worker"), data_dir / "worker.log")
        tree.start("api", python_command("api"), data_dir / "api.log")
        wait_for_http(f"http://127.0.0.1:{settings.port}/healthz", tree)
        with session_scope(settings.resolved_database_url) as session:
            ensure_token(session, INGEST_TOKEN, name="bench ingest", role=Role.ingest)
        automation_id = _create_automation(settings)
        pids = {name: child.pid for name, child in tree.children.items()}
        yield Stack(settings, automation_id, pids)
    finally:
        tree.stop()
        if keep:
            say(f"\n(data and logs kept in {data_dir})")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def _create_automation(settings: Settings) -> str:
    """One active automation for `cart_abandoned`, created through the API."""
    base = f"http://127.0.0.1:{settings.port}/api/v1/automations"

    def post(url: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            url,
            data=json.dumps(body).encode(),
            headers={
                "Authorization": f"Bearer {settings.api_token}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer: dict[str, Any] = json.load(response)
            return answer

    created = post(base, {"name": DEFINITION["name"], "definition": DEFINITION, "active": True})
    if created.get("status") != "active":
        post(f"{base}/{created['id']}/activate", {})
    automation_id: str = created["id"]
    return automation_id


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """CPU time (user + system) each process used so far, from /proc (Linux); this
    process is `client`."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for name, pid in {**pids, "client": os.getpid()}.items():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        used[name] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return used


async def settle(stack: Stack) -> None:
    """Wait until the worker and Temporal are idle: every journey started so far has had
    its first workflow task (they then sleep for an hour)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    busy = {name: stack.pids[name] for name in ("temporal", "worker")}
    quiet_for = 0
    before = cpu_seconds(busy)
    while quiet_for < 3 and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        now = cpu_seconds(busy)
        used = sum(now.get(name, 0) - before.get(name, 0) for name in busy)
        quiet_for = quiet_for + 1 if used < 0.05 else 0  # under a tenth of a core
        before = now


# -- HTTP ---------------------------------------------------------------------------------


class Connection:
    """One keep-alive HTTP/1.1 connection: the least a client can spend per request, so the
    client (which would run elsewhere in production) takes as little CPU as possible from
    the processes measured."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post_events(self, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(
            b"POST /api/v1/events HTTP/1.1\r\nHost: bench\r\n"
            b"Authorization: Bearer " + INGEST_TOKEN.encode() + b"\r\n"
            b"Content-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


@dataclass
class Timing:
    label: str
    events: int
    requests: int
    concurrency: int
    seconds: float
    latencies: list[float]
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per process
    settled: float | None = None  # seconds until the worker ran each journey's first task

    @property
    def rate(self) -> float:
        return self.events / self.seconds

    @property
    def settled_rate(self) -> float | None:
        return self.events / self.settled if self.settled else None

    def row(self) -> str:
        median = statistics.median(self.latencies) * 1000
        p95 = statistics.quantiles(self.latencies, n=20)[-1] * 1000 if self.requests > 1 else median
        settled = f"{self.settled_rate:,.0f}/s" if self.settled_rate else "–"
        return (
            f"| {self.label} | {self.events:,} | {self.requests:,} | {self.concurrency} "
            f"| {self.seconds:,.2f} s | **{self.rate:,.0f}/s** | {settled} | {median:,.1f} ms "
            f"| {p95:,.1f} ms |"
        )

    def cpu_row(self) -> str:
        """CPU milliseconds per event, by process."""
        per = {name: 1000 * used / self.events for name, used in self.cpu.items()}
        cells = " | ".join(f"{per.get(name, 0):,.2f}" for name in PROCESSES)
        return f"| {self.label} | {cells} | {sum(per.values()):,.2f} |"


Job = Callable[[Connection], Awaitable[int]]


Probe = Callable[[], Awaitable[bool]]


async def _run(
    stack: Stack, label: str, jobs: list[Job], concurrency: int, settled: Probe | None = None
) -> Timing:
    """Run the jobs, `concurrency` at a time (one connection each); each returns how many
    events it carried. With `settled`, also time until it answers True (polled), and count
    the CPU used until then."""
    await settle(stack)
    queue = iter(jobs)
    latencies: list[float] = []
    counted = 0
    connections = [Connection(stack.settings.port) for _ in range(concurrency)]

    async def runner(connection: Connection) -> None:
        nonlocal counted
        for job in queue:
            started = time.perf_counter()
            carried = await job(connection)
            latencies.append(time.perf_counter() - started)
            counted += carried

    cpu_before = cpu_seconds(stack.pids)
    began = time.perf_counter()
    try:
        async with asyncio.TaskGroup() as group:
            for connection in connections:
                group.create_task(runner(connection))
    finally:
        for connection in connections:
            connection.close()
    elapsed = time.perf_counter() - began
    until_settled = None
    if settled is not None:
        while not await settled():
            await asyncio.sleep(0.05)
        until_settled = time.perf_counter() - began
    cpu = {name: used - cpu_before.get(name, 0) for name, used in cpu_seconds(stack.pids).items()}
    return Timing(label, counted, len(jobs), concurrency, elapsed, latencies, cpu, until_settled)


def first_tasks_done(stack: Stack, prefix: str, journeys: int) -> Probe:
    """Whether each of the run's journeys had its first workflow task: it then shows its
    current step (`JourneyStep`), here `wait-1`."""
    query = (
        f"AutomationId = '{stack.automation_id}' AND JourneyStep = 'wait-1' "
        f"AND CartId STARTS_WITH '{prefix}-'"
    )
    client: list[Any] = []

    async def probe() -> bool:
        if not client:
            client.append(await connect(stack.settings))
        counted = await client[0].count_workflows(query)
        return bool(counted.count >= journeys)

    return probe


def _posting(events: list[dict[str, Any]]) -> Job:
    body = json.dumps(events[0] if len(events) == 1 else {"events": events}).encode()

    async def post(connection: Connection) -> int:
        status, answer = await connection.post_events(body)
        if status != 202:
            raise SystemExit(f"bench: {status} {answer[:300]!r}")
        return len(events)

    return post


# -- the events ---------------------------------------------------------------------------


def cart_event(kind: str, cart_id: str, customer: int, at: datetime) -> dict[str, Any]:
    """A 3-item cart like PRODUCT.md's reference payload."""
    items = [
        {"id": f"prod_{n}", "name": f"Product {n}", "price": 19.99 + n, "quantity": n,
         "image_url": f"https://cdn.example.com/{n}.jpg", "variant": "Black"}
        for n in (1, 2, 3)
    ]  # fmt: skip
    data: dict[str, Any] = {
        "cart_id": cart_id,
        "customer_email": f"customer{customer}@example.com",
        "items": items,
        "subtotal": 125.94,
        "shipping": 0,
        "tax": 10.08,
        "total": 136.02,
        "currency": "USD",
        "recovery_url": f"https://store.example.com/cart/recover/{cart_id}",
    }
    if kind == "cart_abandoned":
        data["abandoned_at"] = (at - timedelta(minutes=30)).isoformat()
    return {"event": kind, "timestamp": at.isoformat(), "data": data}


def _batches(events: list[dict[str, Any]], size: int) -> list[Job]:
    return [_posting(events[first : first + size]) for first in range(0, len(events), size)]


async def cart_updates(
    stack: Stack, prefix: str, carts: int, batch: int, concurrency: int, label: str
) -> Timing:
    """`carts` carts, 2,000 customers among them."""
    at = datetime.now(UTC)
    events = [cart_event("cart_updated", f"{prefix}-{n}", n % 2000, at) for n in range(carts)]
    return await _run(stack, label, _batches(events, batch), concurrency)


async def abandonments(
    stack: Stack, prefix: str, carts: int, batch: int, concurrency: int, label: str
) -> Timing:
    """`carts` carts of as many customers abandoned; each enrols in the one automation."""
    at = datetime.now(UTC)
    events = [cart_event("cart_abandoned", f"{prefix}-{n}", n, at) for n in range(carts)]
    done = first_tasks_done(stack, prefix, carts)
    timing = await _run(stack, label, _batches(events, batch), concurrency, done)
    enrolled, unapplied = _enrolled(stack.settings, prefix)
    if (enrolled, unapplied) != (carts, 0):
        raise SystemExit(f"bench: {enrolled} enrolments, {unapplied} events not applied")
    return timing


def _enrolled(settings: Settings, prefix: str) -> tuple[int, int]:
    """(enrolments recorded, events not yet applied) for the carts of one run."""
    with session_scope(settings.resolved_database_url) as session:
        enrolled = session.exec(
            select(func.count()).where(col(Enrolment.subject_id).startswith(f"{prefix}-"))
        ).one()
        unapplied = session.exec(
            select(func.count()).where(
                col(StoredEvent.cart_id).startswith(f"{prefix}-"),
                col(StoredEvent.applied_at).is_(None),
            )
        ).one()
    return enrolled, unapplied


async def raw_starts(stack: Stack, prefix: str, journeys: int, concurrency: int) -> Timing:
    """The start enrolment makes, straight from a client: no HTTP, no database."""
    client = await connect(stack.settings)
    definition = Automation.model_validate(DEFINITION)
    context: dict[str, dict[str, Any]] = {
        "cart": {"total": 136.02, "subtotal": 125.94, "currency": "USD", "item_count": 6,
                 "has_email": True, "categories": []},
        "customer": {"segment": "new", "tags": [], "is_guest": False, "order_count": 0,
                     "lifetime_spend": 0.0},
        "shop": {"timezone": "UTC"},
        "event": {"type": "cart_abandoned"},
    }  # fmt: skip

    def job(n: int) -> Job:
        subject = f"{prefix}-{n}"
        journey = JourneyInput(
            automation_id=stack.automation_id,
            automation_version=1,
            definition=definition,
            subject_id=subject,
            cart_id=subject,
            customer_id=f"cus_{prefix}_{n}",
            context={**context, "cart": {**context["cart"], "id": subject}},
            quiet_actions=["send_email"],
        )

        async def start(_connection: Connection) -> int:
            await enroll(client, stack.settings.task_queue, journey)
            return 1

        return start

    jobs = [job(n) for n in range(journeys)]
    done = first_tasks_done(stack, prefix, journeys)
    return await _run(stack, "raw Temporal starts (client → server)", jobs, concurrency, done)


# -- the report ---------------------------------------------------------------------------


async def measure(stack: Stack, args: argparse.Namespace) -> None:
    c, batch = args.concurrency, args.batch
    # Warm up every process (imports, connection pools, the first workflow tasks).
    await cart_updates(stack, "warm", 200, batch, 2, "warm-up")
    await abandonments(stack, "warm-ab", 40, 1, c, "warm-up")
    await raw_starts(stack, "warm-raw", 40, c)

    updates = [
        await cart_updates(stack, "upd", args.updates, batch, args.batch_concurrency,
                           f"`cart_updated`, {batch} per request, new carts"),
        await cart_updates(stack, "upd", args.updates, batch, args.batch_concurrency,
                           f"`cart_updated`, {batch} per request, the same carts again"),
        await cart_updates(stack, "one", args.singles, 1, c,
                           "`cart_updated`, one event per request"),
    ]  # fmt: skip

    n = args.enrolments
    single = "`cart_abandoned` → journey, one event per request"
    batched = f"`cart_abandoned` → journeys, {args.enrol_batch} per request"
    raw: list[Timing] = []
    one: list[Timing] = []
    many: list[Timing] = []
    turns = ("raw", "one", "many", "many", "one", "raw")
    for turn, kind in enumerate(turns):
        prefix = f"{kind}{turn}"
        if kind == "raw":
            raw.append(await raw_starts(stack, prefix, n, c))
        elif kind == "one":
            one.append(await abandonments(stack, prefix, n, 1, c, single))
        else:
            many.append(
                await abandonments(
                    stack, prefix, n, args.enrol_batch, args.enrol_batch_concurrency, batched
                )
            )
    ordered = {"raw": iter(raw), "one": iter(one), "many": iter(many)}
    runs = [*updates, *(next(ordered[kind]) for kind in turns)]

    say(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{datetime.now(UTC):%Y-%m-%d}. Temporal dev server (SQLite, WAL), API (uvicorn, one "
        "process), worker and this client, all on this machine.\n"
    )
    say(
        "| run | events | requests | concurrency | time | rate | with first tasks run "
        "| median request | p95 |"
    )
    say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for timing in runs:
        say(timing.row())
    say("\nCPU milliseconds per event, by process (until the first tasks ran, for journeys):\n")
    say(f"| run | {' | '.join(PROCESSES)} | total |")
    say(f"| --- | {' | '.join('---:' for _ in PROCESSES)} | ---: |")
    for timing in runs:
        say(timing.cpu_row())

    def rate(timings: list[Timing]) -> float:
        return sum(t.events for t in timings) / sum(t.seconds for t in timings)

    def settled_rate(timings: list[Timing]) -> float:
        return sum(t.events for t in timings) / sum(t.settled or t.seconds for t in timings)

    raw_rate, raw_settled = rate(raw), settled_rate(raw)
    say(
        f"\nRaw Temporal starts: {raw_rate:,.0f}/s; {raw_settled:,.0f}/s with their first "
        "workflow tasks run (both turns). Enrolment through HTTP:"
    )
    for label, timings in ((single, one), (batched, many)):
        share = 100 * rate(timings) / raw_rate
        settled_share = 100 * settled_rate(timings) / raw_settled
        say(
            f"- {label}: {rate(timings):,.0f} journeys/s, **{share:.0f} %** of the raw rate; "
            f"{settled_rate(timings):,.0f}/s with first tasks, **{settled_share:.0f} %**"
        )
    best = max(t.rate for t in updates)
    say(f"\n`cart_updated`: up to **{best:,.0f} upserts/s**.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=10_000, help="carts per batched run")
    parser.add_argument("--batch", type=int, default=100, help="cart_updated per request")
    parser.add_argument("--batch-concurrency", type=int, default=4)
    parser.add_argument("--singles", type=int, default=2_000, help="one-event requests")
    parser.add_argument("--enrolments", type=int, default=1_000, help="journeys per turn")
    parser.add_argument("--enrol-batch", type=int, default=100, help="cart_abandoned per request")
    parser.add_argument("--enrol-batch-concurrency", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the data dir and logs")
    args = parser.parse_args(argv)
    with running_stack(args.keep) as stack:
        asyncio.run(measure(stack, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
