"""`python -m chaos` (`make chaos`): the chaos run at full size, its figures on stdout; exits
1 on any violation."""

import argparse
import sys
from pathlib import Path

from chaos.report import print_report
from chaos.run import Options, run


def parse(argv: list[str] | None = None) -> Options:
    defaults = Options()
    parser = argparse.ArgumentParser(
        prog="python -m chaos",
        description="SIGKILL Temporal, the workers and the APIs while shops keep posting; "
        "then check from the database and Temporal that nothing was lost, stuck, sent twice "
        "or sent after a purchase or an unsubscribe.",
    )
    parser.add_argument(
        "--journeys",
        type=int,
        default=defaults.journeys,
        help="carts abandoned (each enrols in one automation)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=defaults.seed,
        help="draws the stories, the repeats and the kills",
    )
    parser.add_argument(
        "--database-url", default=None, help="PostgreSQL URL (SQLite in the data dir when left out)"
    )
    parser.add_argument(
        "--workers", type=int, default=defaults.workers, help="`boomerang worker` processes"
    )
    parser.add_argument(
        "--apis",
        type=int,
        default=defaults.apis,
        help="`boomerang api` processes, each on its own port",
    )
    parser.add_argument(
        "--kills",
        type=int,
        default=defaults.kills,
        help="SIGKILLs of each kind of process (Temporal, worker, API)",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=defaults.duration,
        help="seconds the posts and the kills go on",
    )
    parser.add_argument(
        "--quiet-timeout",
        type=float,
        default=defaults.quiet_timeout,
        help="seconds the journeys may take to come to rest afterwards",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="keep the databases and the processes' logs here",
    )
    arguments = parser.parse_args(argv)
    return Options(
        journeys=arguments.journeys, seed=arguments.seed, database_url=arguments.database_url,
        workers=arguments.workers, apis=arguments.apis, kills=arguments.kills,
        duration=arguments.duration, quiet_timeout=arguments.quiet_timeout,
        data_dir=arguments.data_dir,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    report = run(parse(argv))
    print_report(report)
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
