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
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import col, func, select

from bench.http_load import Connection, Job, Probe, Timing, run_jobs
from bench.measured_stack import DEFINITION, PROCESSES, Stack, running_stack, say
from engine.language.contracts import JourneyInput
from engine.language.definition import Automation
from engine.runtime.settings import Settings
from engine.service.journeys import enroll
from engine.service.temporal import connect
from engine.store.db import session_scope
from engine.store.models import Enrolment
from engine.store.models import Event as StoredEvent


def first_tasks_done(stack: Stack, prefix: str, journeys: int, step: str = "wait-1") -> Probe:
    """Whether each of the run's journeys had its first workflow task: it then shows its
    current step (`JourneyStep`), its first wait."""
    query = (
        f"AutomationId = '{stack.automation_id}' AND JourneyStep = '{step}' "
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
    return await run_jobs(stack, label, _batches(events, batch), concurrency)


def abandoned_batches(prefix: str, carts: int, batch: int) -> list[Job]:
    """`carts` carts of as many customers abandoned, `batch` per request."""
    at = datetime.now(UTC)
    events = [cart_event("cart_abandoned", f"{prefix}-{n}", n, at) for n in range(carts)]
    return _batches(events, batch)


async def abandonments(
    stack: Stack,
    prefix: str,
    carts: int,
    batch: int,
    concurrency: int,
    label: str,
    progress: Callable[[int], None] | None = None,
) -> Timing:
    """`carts` carts of as many customers abandoned (`customer{n}@example.com` for cart
    `{prefix}-{n}`); each enrols in the one automation. `progress` hears the events posted
    so far."""
    done = first_tasks_done(stack, prefix, carts)
    jobs = abandoned_batches(prefix, carts, batch)
    timing = await run_jobs(stack, label, jobs, concurrency, done, progress)
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
                     "lifetime_spend": {}},
        "shop": {"timezone": "UTC", "currency": "USD"},
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
    return await run_jobs(stack, "raw Temporal starts (client → server)", jobs, concurrency, done)


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
        f"{datetime.now(UTC):%Y-%m-%d}. Temporal dev server (SQLite, WAL), API (uvicorn, "
        f"{_processes(stack.settings.api_workers)}), worker and this client, all on this "
        "machine.\n"
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


def _processes(count: int) -> str:
    return "one process" if count == 1 else f"{count} processes: BOOMERANG_API_WORKERS"


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
    parser.add_argument(
        "--api-workers", type=int, help="API processes (BOOMERANG_API_WORKERS; default: its own)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data dir and logs")
    args = parser.parse_args(argv)
    env = {"BOOMERANG_API_WORKERS": str(args.api_workers)} if args.api_workers else {}
    with running_stack(args.keep, env=env) as stack:
        asyncio.run(measure(stack, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
