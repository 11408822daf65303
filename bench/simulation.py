"""`make bench`: 10,000 past carts through the three-email preset (issue 15: under 10 s).

Generates, in a temporary SQLite database migrated and seeded like production's (the default
templates, the three-step preset installed), a month of a shop: `--carts` abandoned carts
(80 % with a customer, 3,000 customers per 10,000 carts, some with earlier orders; items with
images, in USD and EUR). Later events as a real shop has them: 12 % of carts ordered
(`order_placed`) at a random time in the three days after abandonment, 3 % recovered
(`cart_recovered`), 1 % of customers unsubscribed, 2 % of addresses suppressed before, and 5 %
of carts with a click. Also 12,000 emails of another automation (a weekly newsletter: about
four per customer in the month), which a frequency cap counts (none by default; one run sets
3 per 7 days).

Then times `engine.service.simulation.start` + `run` (what `POST /automations/{id}/simulate`
and its background job do: select the carts, load each batch, enter, simulate with every
email rendered, store each cart's timeline, add up the totals) for the preset's live version:
first in a fresh process (the server the batches' processes fork from starts and imports the
engine), then as the worker runs it (that server started with the worker), then compared
with itself (`compare_to`: every cart simulated twice). Peak memory: the peak RSS of this
process and of the largest batch process. Prints Markdown. Not a test: nothing is asserted.
"""

import argparse
import json
import os
import platform
import random
import resource
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.analytics import report, say, stamp
from engine.language.presets import THREE_STEP
from engine.language.simulations import CartSelection, SimulationRequest, SimulationStatus
from engine.runtime.settings import Settings
from engine.service import automations, shop_settings, simulation
from engine.service.bootstrap import prepare
from engine.store.db import get_engine, session_scope

DAYS = 30


def generate(url: str, n_carts: int, now: datetime, rng: random.Random) -> None:
    """Fill the database with the carts and what happened to them."""
    raw = get_engine(url).raw_connection()
    cursor = raw.cursor()

    def insert(table: str, columns: str, rows: Iterator[tuple[Any, ...]] | list[Any]) -> None:
        marks = ", ".join("?" for _ in columns.split(","))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(rows))

    start = now - timedelta(days=DAYS)
    n_customers = max(1, n_carts * 3 // 10)
    zones = ["Europe/Berlin", "America/New_York", "Asia/Seoul", None]
    insert(
        "customer",
        "id, email, first_name, tags, timezone, accepts_marketing, created_at",
        (
            (f"cus_{n}", f"c{n}@example.com", f"Ann{n}", "[]", zones[n % 4], 1, stamp(start))
            for n in range(n_customers)
        ),
    )
    insert(
        "suppression",
        "email, reason, created_at",
        ((f"c{n}@example.com", "hard_bounce", stamp(start)) for n in range(0, n_customers, 50)),
    )
    carts: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    orders: list[tuple[Any, ...]] = []
    messages: list[tuple[Any, ...]] = []
    clicks: list[tuple[str, datetime]] = []
    item = {"id": "p1", "name": "Premium Headphones", "price": "199.99", "quantity": 1,
            "image_url": "https://cdn.example.com/headphones.jpg", "variant": "Black"}  # fmt: skip
    for n in range(n_carts):
        abandoned = start + timedelta(seconds=rng.uniform(0, DAYS * 86_400))
        customer = f"cus_{rng.randrange(n_customers)}" if rng.random() < 0.8 else None
        total = round(rng.uniform(10, 400), 2)
        currency = "EUR" if rng.random() < 0.2 else "USD"
        items = json.dumps([{**item, "price": str(total)}])
        carts.append((f"cart_{n}", customer, "abandoned", items, total, 0, 0, total, currency,
                      "https://shop.example.com/cart", stamp(abandoned), stamp(abandoned),
                      stamp(abandoned)))  # fmt: skip
        later = abandoned + timedelta(seconds=rng.uniform(0, 3 * 86_400))
        draw = rng.random()
        if draw < 0.12:
            events.append((f"evt_o{n}", "order_placed", stamp(later), stamp(later), f"cart_{n}",
                           "{}", "[]", stamp(later)))  # fmt: skip
            orders.append((f"ord_{n}", customer, f"cart_{n}", total, currency, "placed",
                           stamp(later), stamp(later)))  # fmt: skip
        elif draw < 0.15:
            events.append((f"evt_r{n}", "cart_recovered", stamp(later), stamp(later),
                           f"cart_{n}", "{}", "[]", stamp(later)))  # fmt: skip
        if customer is not None and rng.random() < 0.01:
            data = json.dumps({"customer_email": f"c{customer[4:]}@example.com"})
            events.append((f"evt_u{n}", "unsubscribed", stamp(later), stamp(later), None, data,
                           "[]", stamp(later)))  # fmt: skip
        if customer is not None and rng.random() < 0.05:
            clicks.append((f"cart_{n}", abandoned + timedelta(hours=2)))
    for n in range(12_000 * n_carts // 10_000):
        sent = start + timedelta(seconds=rng.uniform(0, DAYS * 86_400))
        to = f"c{n % n_customers}@example.com"
        messages.append((f"other:{n}", "aut_other", None, "x", to, "Hello", "", "", "{}",
                         "outbox", "sent", stamp(sent), stamp(sent)))  # fmt: skip
    for index, (cart_id, at) in enumerate(clicks):
        messages.append((f"clicked:{index}", "aut_other", cart_id, "x", "c0@example.com", "Hi",
                         "", "", "{}", "outbox", "sent", stamp(at), stamp(at)))  # fmt: skip
    insert(
        "cart",
        "id, customer_id, status, items, subtotal, shipping, tax, total, currency, recovery_url, "
        "abandoned_at, created_at, updated_at",
        carts,
    )
    insert(
        "event",
        "id, type, occurred_at, received_at, cart_id, data, effects, applied_at",
        events,
    )
    insert(
        "shop_order",
        "id, customer_id, cart_id, total, currency, status, placed_at, updated_at",
        orders,
    )
    insert(
        "message",
        "idempotency_key, automation_id, cart_id, step_id, to_email, subject, html, text, "
        "headers, transport, status, created_at, sent_at",
        messages,
    )
    cursor.execute("SELECT id, idempotency_key FROM message WHERE idempotency_key LIKE 'clicked:%'")
    insert(
        "messageevent",
        "message_id, event, source, occurred_at, dedupe_key, detail",
        [(row[0], "clicked", "link", stamp(clicks[int(row[1].split(":")[1])][1] +
          timedelta(minutes=5)), f"click:{row[0]}", "{}") for row in cursor.fetchall()],
    )  # fmt: skip
    cursor.execute("ANALYZE")
    raw.commit()
    raw.close()


def measure(
    url: str, settings: Settings, automation_id: str, n_carts: int, compare: bool
) -> tuple[float, SimulationStatus]:
    """Seconds from asking to the stored totals, and the answer."""
    asked = SimulationRequest(
        carts=CartSelection(last=n_carts), compare_to="live" if compare else None
    )
    began = time.perf_counter()
    with session_scope(url) as session:
        started = simulation.start(session, automation_id, asked)
        answer = simulation.status(simulation.run(session, settings, started.id))
    return time.perf_counter() - began, answer


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class BatchProcessPeak:
    """The largest peak RSS (VmHWM) of the batch processes, watched while a run goes on (they
    are children of the fork server, not of this process, so getrusage cannot see them)."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> "BatchProcessPeak":
        self._watcher.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._watcher.join()

    def _watch(self) -> None:
        while not self._stop.wait(1.0):
            for status in Path("/proc").glob("[0-9]*/status"):
                try:
                    text = status.read_text()
                    command = (status.parent / "cmdline").read_bytes()
                except OSError:
                    continue  # gone meanwhile
                if b"forkserver" in command and "VmHWM:" in text:
                    kb = int(text.split("VmHWM:")[1].split()[0])
                    self.peak_kb = max(self.peak_kb, kb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--carts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="boomerang-bench-sim-") as folder:
        data = Path(folder)
        settings = Settings(database_url=f"sqlite:///{data / 'bench.db'}", data_dir=data)
        url = settings.resolved_database_url
        prepare(settings)
        with session_scope(url) as session:
            automation, _ = automations.install_preset(session, THREE_STEP.key)
            automation_id = automation.id
        say(f"generating {args.carts:,} carts ...")
        began = time.perf_counter()
        generate(url, args.carts, datetime.now(UTC), random.Random(args.seed))
        say(f"  done in {time.perf_counter() - began:.1f} s")
        rss_before = peak_rss_mb()
        runs = []
        answers = []
        # First as a fresh process meets it (the batches' process server starts), then as the
        # worker does (it starts that server when it starts), with the shop's defaults (no
        # frequency cap); then with a cap, which the newsletter's emails count; then compared
        # with live.
        for name, cap, compare in (
            ("cold: a fresh process, its process server starting", "", False),
            *(
                (f"**the worker (process server started with it)**, run {n}", "", False)
                for n in (1, 2, 3)
            ),
            ("the worker, with a frequency cap of 3 per 7 days", "3/7d", False),
            ("the worker, compared with live (each cart twice)", "", True),
        ):
            say(f"simulating: {name} ...")
            with session_scope(url) as session:
                shop_settings.update(session, shop_settings.ShopSettingsChange(frequency_cap=cap))
            with BatchProcessPeak() as batch_peak:
                took, answer = measure(url, settings, automation_id, args.carts, compare)
            runs.append((name, took, batch_peak.peak_kb / 1024))
            answers.append(answer)
    totals, capped = answers[1].totals, answers[4].totals
    assert totals is not None and capped is not None
    report(f"## Simulation: {args.carts:,} carts through the three-email preset\n")
    report(f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
           f"load {os.getloadavg()[0]:.1f}, Python {platform.python_version()}, SQLite, "
           f"{simulation.PROCESSES} batch processes")  # fmt: skip
    report(f"- carts entering {totals.entered:,}, emails {totals.emails:,} (each rendered), "
           f"codes {totals.codes:,}, outcomes {totals.outcomes}, late sends {totals.late_sends}, "
           f"failures {totals.failures}; with the cap: emails {capped.emails:,}, deferred "
           f"{sum(s.deferred for s in capped.steps.values()):,} times\n")  # fmt: skip
    report("| run | seconds | carts/s | peak RSS of a batch process |")
    report("| --- | ---: | ---: | ---: |")
    for name, seconds, batch_mb in runs:
        report(f"| {name} | {seconds:.2f} | {args.carts / seconds:,.0f} | {batch_mb:.0f} MB |")
    warm = sorted(seconds for name, seconds, _ in runs if name.startswith("**"))
    report(f"\nThe worker, three runs: median **{warm[1]:.2f} s**, {warm[0]:.2f}–{warm[2]:.2f} s.")
    report(f"Peak RSS of this process (which asks and adds up): {peak_rss_mb():.0f} MB "
           f"({rss_before:.0f} MB before the runs).")  # fmt: skip


if __name__ == "__main__":
    main()
