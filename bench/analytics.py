"""`make bench`: the results overview's latency on a big shop (issue 14).

Generates, in a temporary SQLite database migrated like production's, a year of a big shop:
1,000,000 carts (30 % ordered without being abandoned, the rest abandoned; 12 % of those
recovered by an order, 20 % of carts without a customer), 300,000 customers (2 % suppressed),
one enrolment per contactable abandoned cart, 3,000,000 journey emails and their Brevo events
(delivered 95 %, opened 40 %, proxy-opened 10 %, clicked 8 %, bounced 3 %, unsubscribed
0.5 %), in USD and EUR. Rows go in through the DB-API's `executemany` in batches (the
strings SQLAlchemy would store), so generating takes a few minutes, not an hour.

Then asks `engine.service.analytics.overview` for the default period (the last 30 days: about
58,000 abandoned carts, 250,000 emails) `--calls` times in one session, as the API route does,
after one cold call, and prints p50/p95 in Markdown. Not a test: nothing is asserted.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from engine.service import analytics
from engine.store.db import get_engine, migrate, session_scope

CARTS = 1_000_000
CUSTOMERS = 300_000
MESSAGES = 3_000_000
DAYS = 365
BATCH = 50_000
STAMP = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy keeps a DateTime in SQLite


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)  # noqa: T201 - progress, apart from the report


def report(text: str) -> None:
    print(text, flush=True)  # noqa: T201 - a benchmark reports on stdout


def stamp(moment: datetime) -> str:
    return moment.strftime(STAMP)


def batches(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def generate(url: str, now: datetime, rng: random.Random, scale: float) -> dict[str, int]:
    """Fill the database; the number of rows written per table."""
    counts: dict[str, int] = {}
    n_carts, n_customers, n_messages = (round(n * scale) for n in (CARTS, CUSTOMERS, MESSAGES))
    engine = get_engine(url)
    raw = engine.raw_connection()
    cursor = raw.cursor()
    start = now - timedelta(days=DAYS)

    def insert(table: str, columns: str, rows: Iterator[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" for _ in columns.split(","))
        total = 0
        for batch in batches(rows):
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)
            total += len(batch)
        raw.commit()
        counts[table] = total
        say(f"  {table}: {total:,}")

    created = stamp(start)
    insert(
        "automation",
        "id, name, status, current_version, preset, created_at, updated_at",
        iter([("aut_bench", "Bench", "active", 1, None, created, created)]),
    )
    insert(
        "customer",
        "id, email, tags, created_at",
        ((f"cus_{n}", f"c{n}@example.com", "[]", created) for n in range(n_customers)),
    )
    insert(
        "suppression",
        "email, reason, created_at",
        ((f"c{n}@example.com", "unsubscribed", created) for n in range(n_customers) if n % 50 == 0),
    )

    contactable: list[tuple[str, datetime]] = []  # abandoned carts with a customer
    orders: list[tuple[Any, ...]] = []
    enrolments: list[tuple[Any, ...]] = []

    def carts() -> Iterator[tuple[Any, ...]]:
        for n in range(n_carts):
            made = start + timedelta(seconds=rng.uniform(0, DAYS * 86_400))
            customer = f"cus_{rng.randrange(n_customers)}" if rng.random() < 0.8 else None
            total = round(rng.uniform(10, 400), 2)
            currency = "EUR" if rng.random() < 0.2 else "USD"
            abandoned_at = recovered_at = order_id = None
            if rng.random() < 0.3:
                status = "ordered"
            else:
                abandoned = made + timedelta(minutes=30)
                abandoned_at = stamp(abandoned)
                draw = rng.random()
                status = "recovered" if draw < 0.12 else "lost" if draw < 0.7 else "abandoned"
                if status == "recovered":
                    back = abandoned + timedelta(seconds=rng.expovariate(1 / 20_000))
                    recovered_at = stamp(back)
                    order_id = f"ord_{n}"
                    orders.append(
                        (order_id, customer, f"cart_{n}", total, currency, "paid", recovered_at,
                         recovered_at)
                    )  # fmt: skip
                if customer is not None:
                    contactable.append((f"cart_{n}", abandoned))
                    enrolments.append(
                        ("aut_bench", 1, f"cart_{n}", f"cart_{n}", customer, abandoned_at)
                    )
            yield (
                f"cart_{n}", customer, status, "[]", total, 0, 0, total, currency,
                abandoned_at, recovered_at, order_id, stamp(made), stamp(made),
            )  # fmt: skip

    insert(
        "cart",
        "id, customer_id, status, items, subtotal, shipping, tax, total, currency, "
        "abandoned_at, recovered_at, order_id, created_at, updated_at",
        carts(),
    )
    insert(
        "shop_order",
        "id, customer_id, cart_id, total, currency, status, placed_at, updated_at",
        iter(orders),
    )
    insert(
        "enrolment",
        "automation_id, automation_version, subject_id, cart_id, customer_id, enrolled_at",
        iter(enrolments),
    )

    events: list[tuple[Any, ...]] = []

    def messages() -> Iterator[tuple[Any, ...]]:
        for n in range(1, n_messages + 1):
            cart_id, abandoned = contactable[rng.randrange(len(contactable))]
            sent = abandoned + timedelta(hours=rng.choice((1, 25, 73)), seconds=n % 600)
            yield (
                n, f"journey:aut_bench:{cart_id}:email-{n}", "aut_bench", cart_id, "email-1",
                "c@example.com", "Still there?", "", "", "{}", "brevo", "sent", stamp(sent),
                stamp(sent),
            )  # fmt: skip
            for kind, share, after in (
                ("delivered", 0.95, 60),
                ("opened", 0.40, 3_600),
                ("proxy_opened", 0.10, 120),
                ("clicked", 0.08, 4_000),
                ("soft_bounce", 0.03, 30),
                ("unsubscribed", 0.005, 5_000),
            ):
                if rng.random() < share:
                    at = stamp(sent + timedelta(seconds=after))
                    events.append((n, kind, "brevo", at, f"brevo:{n}:{kind}", "{}"))

    insert(
        "message",
        "id, idempotency_key, automation_id, cart_id, step_id, to_email, subject, html, text, "
        "headers, transport, status, created_at, sent_at",
        messages(),
    )
    insert(
        "messageevent",
        "message_id, event, source, occurred_at, dedupe_key, detail",
        iter(events),
    )
    cursor.execute("ANALYZE")
    raw.commit()
    raw.close()
    return counts


def measure(url: str, calls: int) -> tuple[float, list[float], analytics.Overview]:
    when = analytics.period(None, None)
    with session_scope(url) as session:
        began = time.perf_counter()
        result = analytics.overview(session, when)
        cold = time.perf_counter() - began
        timings = []
        for _ in range(calls):
            began = time.perf_counter()
            analytics.overview(session, when)
            timings.append(time.perf_counter() - began)
    return cold, timings, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--scale", type=float, default=1.0, help="a smaller shop: 0.01")
    parser.add_argument("--keep", type=Path, help="keep the database at this path")
    args = parser.parse_args()
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "bench.db"
        url = f"sqlite:///{path}"
        migrate(url)
        say(f"generating into {path}")
        began = time.perf_counter()
        counts = generate(url, datetime.now(UTC), rng, args.scale)
        generated = time.perf_counter() - began
        size = path.stat().st_size / 2**20
        cold, timings, result = measure(url, args.calls)
    quantiles = statistics.quantiles(timings, n=100)
    load = os.getloadavg()
    report("## Results overview on a big shop (issue 14) — `python -m bench.analytics`\n")
    report(f"- host: {platform.platform()}, {os.cpu_count()} cores, load {load[0]:.1f}")
    report(
        f"- data: {counts['cart']:,} carts, {counts['message']:,} messages, "
        f"{counts['messageevent']:,} message events, {counts['enrolment']:,} enrolments, "
        f"{counts['customer']:,} customers; generated in {generated:.0f} s; "
        f"database {size:,.0f} MiB"
    )
    report(
        f"- period: {result.from_} to {result.to}: {result.carts_abandoned:,} carts abandoned, "
        f"{result.carts_recovered:,} recovered, {result.emails.sent:,} emails sent"
    )
    report(
        f"- overview over {args.calls} calls: **p50 {1000 * statistics.median(timings):.0f} ms, "
        f"p95 {1000 * quantiles[94]:.0f} ms**, max {1000 * max(timings):.0f} ms; first (cold) "
        f"call {1000 * cold:.0f} ms"
    )
    report("\n```json\n" + json.dumps(result.model_dump(mode="json", by_alias=True,
          exclude={"daily"}), indent=1)[:1500] + "\n```")  # fmt: skip


if __name__ == "__main__":
    main()
