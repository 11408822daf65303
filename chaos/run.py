"""One chaos run: start the stack, create the automations, send the shops' posts while
SIGKILLing processes, restart everything, wait for quiescence, check the invariants."""

import asyncio
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import col, func, select
from temporalio.client import Client

from chaos import checks
from chaos.automations import DEFINITIONS, create_all
from chaos.driver import Delivery, Kill, Killer, Shop
from chaos.observe import World, read_database, read_temporal
from chaos.plan import Planner
from chaos.progress import note
from chaos.stack import ChaosStack
from engine.service.temporal import connect
from engine.store.db import session_scope
from engine.store.models import Cart, Event

# Two looks this far apart that both find every journey at rest (finished, or waiting for
# a wake-up still to come) and no idle cart left for the abandonment schedule (every 10 s).
QUIET_LOOKS_APART = 12.0


@dataclass
class Options:
    journeys: int = 2000  # carts whose story the shop tells (each enrols in one automation)
    seed: int = 1
    database_url: str | None = None  # PostgreSQL; SQLite in the data dir when None
    workers: int = 1
    apis: int = 1
    kills: int = 5  # SIGKILLs of each kind of process (Temporal, worker, API)
    duration: float = 600.0  # seconds the posts and the kills go on
    quiet_timeout: float = 900.0  # how long the journeys may take to come to rest afterwards
    data_dir: Path | None = None  # kept when given; a temporary one otherwise


@dataclass
class Report:
    options: Options
    deliveries: list[Delivery]
    kills: list[Kill]
    exited_alone: list[str]
    world: World | None = None
    findings: checks.Findings = field(default_factory=checks.Findings)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.findings.violations

    def kills_by_kind(self) -> Counter[str]:
        return Counter(kill.kind for kill in self.kills)


def run(options: Options) -> Report:
    data_dir = options.data_dir or Path(tempfile.mkdtemp(prefix="boomerang-chaos-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    stack = ChaosStack(data_dir, options.database_url, options.workers, options.apis)
    began = time.monotonic()
    try:
        stack.migrate()
        stack.start_all()
        note(f"stack up in {data_dir}: {options.workers} worker(s), {options.apis} API(s)")
        automation_ids = create_all(stack.api_url(stack.live_apis()[0]), stack.secrets.admin_token)
        report = asyncio.run(_chaos(stack, options))
        report.seconds["chaos"] = time.monotonic() - began
        note("posts and kills done; every process restarted, the journeys left to settle")
        stack.restart_all()
        asyncio.run(_settle_and_check(stack, options, report, automation_ids))
        report.seconds["total"] = time.monotonic() - began
        return report
    finally:
        stack.stop_all()
        if options.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)


async def _chaos(stack: ChaosStack, options: Options) -> Report:
    """The posts, and the kills among them (within the first 80 % of the duration)."""
    began_at = datetime.now(UTC)
    began = began_at.timestamp()
    spread = options.duration / 2.5
    planner = Planner(options.seed, began_at, stack.secrets.admin_token, stack.secrets.shopify,
                      stack.secrets.woocommerce)  # fmt: skip
    posts = planner.plan(options.journeys, spread)
    note(f"{len(posts):,} posts over about {options.duration:.0f} s, "
         f"{options.kills} SIGKILLs of each kind")  # fmt: skip
    shop = Shop(stack, options.seed)
    client = await connect(stack.settings)

    async def census() -> dict[str, int]:
        """Running journeys resting at each wait step (the automations' waits)."""
        query = f"TaskQueue = '{stack.settings.task_queue}' AND ExecutionStatus = 'Running'"
        steps = sorted({s["id"] for d in DEFINITIONS for s in d["steps"] if s["type"] == "wait"})
        counts = [
            (await client.count_workflows(f"{query} AND JourneyStep = '{step}'")).count
            for step in steps
        ]
        return dict(zip(steps, counts, strict=True))

    killer = Killer(stack, options.seed + 1, options.kills, 0.8 * options.duration, census)
    async with asyncio.TaskGroup() as group:
        group.create_task(shop.send_all(posts, began))
        group.create_task(killer.run(began))
    await killer.restart_the_dead()
    return Report(options, shop.deliveries, killer.kills, killer.exited_alone)


async def _settle_and_check(stack: ChaosStack, options: Options, report: Report,
                            automation_ids: dict[str, str]) -> None:  # fmt: skip
    client = await connect(stack.settings)
    url = stack.settings.resolved_database_url
    settled = time.monotonic()
    world = await _quiet_world(client, url, options.quiet_timeout)
    report.seconds["settling"] = time.monotonic() - settled
    note(f"at rest after {report.seconds['settling']:.0f} s; checking {len(world.journeys):,} "
         "journeys")  # fmt: skip
    report.world = world
    found = report.findings
    checks.accepted_events_reflected(world, report.deliveries, found)
    post_purchase = automation_ids[DEFINITIONS[-1]["name"]]
    checks.journeys_not_lost_or_stuck(world, found, post_purchase)
    await checks.messages_once_per_step(world, client, report.deliveries, automation_ids, found)


async def _quiet_world(client: Client, url: str, timeout: float) -> World:
    """The world once two looks QUIET_LOOKS_APART apart find it at rest and the same in
    Temporal (or at the timeout: the checks then name what is still busy).

    Each look reads the database, then Temporal. A journey that moves between the two reads
    (a wake-up falls in between) would show its database rows from before and its state from
    after; when two looks find every journey in the same state, the second look's database
    read lies between two equal Temporal states, so the two agree."""
    deadline = time.monotonic() + timeout
    quiet_looks, seen_before = 0, None
    while True:
        world = read_database(url)
        await read_temporal(client, world)
        now = world.looked_at
        at_rest = all(
            j.status != "RUNNING" or (j.wake_at is not None and j.wake_at > now)
            for j in world.journeys.values()
        )
        seen = {
            j.workflow_id: (j.status, j.wake_at, len(j.steps) if j.status == "RUNNING" else 0)
            for j in world.journeys.values()
        }
        unchanged = seen == seen_before
        quiet = at_rest and _nothing_pending(url, now)
        quiet_looks = quiet_looks + 1 if quiet and (unchanged or not quiet_looks) else int(quiet)
        seen_before = seen
        if quiet_looks >= 2 or time.monotonic() > deadline:
            return world
        busy = sum(j.status == "RUNNING" and not (j.wake_at and j.wake_at > now)
                   for j in world.journeys.values())  # fmt: skip
        note(f"{len(world.journeys):,} journeys, {busy:,} of them busy; "
             f"{'at rest' if quiet else 'not at rest yet'}")  # fmt: skip
        await asyncio.sleep(QUIET_LOOKS_APART if quiet_looks else 3.0)


def _nothing_pending(url: str, now: datetime) -> bool:
    """No event waiting for its effects, no cart idle long enough for the schedule to take."""
    with session_scope(url) as session:
        unapplied = session.exec(select(func.count()).where(col(Event.applied_at).is_(None))).one()
        idle = session.exec(
            select(func.count()).where(
                Cart.status == "active", col(Cart.updated_at) < now - timedelta(seconds=20)
            )
        ).one()
    return unapplied == 0 and idle == 0
