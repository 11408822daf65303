"""A chaos run's figures, as `make chaos` prints them."""

from collections import Counter

from chaos.run import Report
from chaos.stack import KINDS


def say(text: str = "") -> None:
    print(text, flush=True)  # noqa: T201 - a command reports on stdout


def figures(report: Report) -> dict[str, str]:
    """Name → value, in the order they are printed."""
    options, deliveries = report.options, report.deliveries
    kills = report.kills_by_kind()
    answers = Counter(attempt.answer for d in deliveries for attempt in d.attempts)
    world = report.world
    journeys = Counter(j.status for j in world.journeys.values()) if world else Counter()
    waiting = journeys.get("RUNNING", 0)
    database = "PostgreSQL" if options.database_url else "SQLite"
    rows = {
        "stack": f"{options.workers} worker(s), {options.apis} API(s), 1 Temporal, {database}",
        "seed": str(options.seed),
        "carts (stories)": f"{options.journeys:,}",
        "posts sent": f"{len(deliveries):,} ({sum(d.post.repeat for d in deliveries):,} "
        f"repeats of an earlier post's id)",
        "posts accepted (2xx)": f"{sum(d.accepted_at is not None for d in deliveries):,}",
        "attempts": f"{sum(answers.values()):,} (" + ", ".join(
            f"{answer}: {count:,}" for answer, count in answers.most_common()) + ")",
        "kills (SIGKILL)": ", ".join(f"{kind} {kills.get(kind, 0)}" for kind in KINDS),
        "down after a kill, until ready again": _downtime(report),
        "journeys resting at each wait when killed (median)": _resting(report),
        "processes that exited on their own": str(len(report.exited_alone)),
    }  # fmt: skip
    if world is not None:
        rows |= {
            "events stored": f"{len(world.events):,}",
            "journeys": f"{len(world.journeys):,} ({journeys.get('COMPLETED', 0):,} finished, "
            f"{waiting:,} waiting for a later wake-up)",
            "messages": f"{len(world.messages):,}",
            "discount codes": f"{len(world.codes):,}",
        }
    rows |= {
        "sends under way when a purchase or unsubscribe came (listed)": str(
            len(report.findings.exceptions)
        ),
        "noted (not violations, listed)": str(len(report.findings.notes)),
        "violations": str(len(report.findings.violations)),
        "time": ", ".join(f"{name} {seconds:,.0f} s" for name, seconds in report.seconds.items()),
    }
    return rows


def _downtime(report: Report) -> str:
    if not report.kills:
        return "-"
    down = sorted(kill.down_for for kill in report.kills)
    return f"median {down[len(down) // 2]:.1f} s, longest {down[-1]:.1f} s"


def _resting(report: Report) -> str:
    counted = [kill.resting for kill in report.kills if kill.resting]
    if not counted:
        return "-"
    steps = sorted({step for resting in counted for step in resting})
    medians = {s: sorted(r.get(s, 0) for r in counted)[len(counted) // 2] for s in steps}
    return ", ".join(f"{step} {count:,}" for step, count in medians.items())


def print_report(report: Report) -> None:
    say("\nChaos run")
    for name, value in figures(report).items():
        say(f"  {name:<62} {value}")
    for title, lines in (
        ("Listed sends", report.findings.exceptions),
        ("Noted", report.findings.notes),
        ("VIOLATIONS", report.findings.violations),
    ):
        if lines:
            say(f"\n{title}:")
            for line in lines:
                say(f"  - {line}")
    say("\n" + ("PASSED" if report.passed else "FAILED"))
