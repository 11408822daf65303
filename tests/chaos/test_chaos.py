"""The chaos run (`make chaos`) at a small size: Temporal, the workers and the APIs are
SIGKILLed at random moments while shops keep posting; afterwards nothing accepted is lost,
no journey is lost or stuck, every step that ran sent one message (one code), and nothing
went out after a purchase or an unsubscribe (chaos.checks)."""

import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from chaos.report import figures
from chaos.run import Options, Report, run
from engine.runtime.settings import Settings
from engine.store.db import get_engine
from tests.conftest import POSTGRES_URL

KILLS = 2  # of each kind: Temporal, a worker, an API
# Events for 50 s, the kills within its first 40 s; then the journeys (waits of seconds to a
# minute) come to rest. Minutes of margin before the run gives up on quiescence.
SMALL = Options(journeys=100, seed=17, kills=KILLS, duration=50, quiet_timeout=600)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A schema of its own on BOOMERANG_TEST_DATABASE_URL, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("set BOOMERANG_TEST_DATABASE_URL to run the scale-out variant on PostgreSQL")
    schema = f"chaos_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    separator = "&" if "?" in POSTGRES_URL else "?"
    url = Settings(
        database_url=f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    ).resolved_database_url
    with get_engine(url).begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    yield url
    with get_engine(url).begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))


def assert_survived(report: Report) -> None:
    findings = report.findings
    shown = "\n".join(
        [f"{name}: {value}" for name, value in figures(report).items()]
        + [f"- {line}" for line in findings.violations + findings.exceptions + findings.notes]
    )
    assert report.findings.violations == [], shown
    assert report.kills_by_kind() == {"temporal": KILLS, "worker": KILLS, "api": KILLS}, shown
    # The kills were felt: some posts had to be sent again; yet every one was accepted.
    assert any(len(delivery.attempts) > 1 for delivery in report.deliveries), shown
    assert all(delivery.accepted_at is not None for delivery in report.deliveries), shown
    world = report.world
    assert world is not None
    assert len(world.journeys) >= report.options.journeys // 2, shown
    assert world.messages and world.codes, shown


def test_journeys_survive_sigkills_of_temporal_the_worker_and_the_api(tmp_path: Path) -> None:
    report = run(replace(SMALL, data_dir=tmp_path))

    assert_survived(report)


def test_two_workers_and_two_apis_on_postgresql_survive_the_same_chaos(
    tmp_path: Path, postgres_url: str
) -> None:
    options = replace(SMALL, data_dir=tmp_path, database_url=postgres_url, workers=2, apis=2)

    report = run(options)

    assert_survived(report)
