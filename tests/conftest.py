"""Shared fixtures: real Temporal servers (time-skipping and dev), real databases."""

import gc
import os
import secrets
import shutil
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel
from temporalio.testing import WorkflowEnvironment

import engine.store.models  # noqa: F401 - registers the tables on SQLModel.metadata
from engine.runtime.settings import Settings
from engine.service.payload_codec import DATA_CONVERTER
from engine.service.temporal import register_search_attributes
from engine.store.db import get_engine, migrate
from engine.workflows.journey import SEARCH_ATTRIBUTES

BIN = Path(sys.executable).parent
POSTGRES_URL = os.environ.get("BOOMERANG_TEST_DATABASE_URL")
# One schema per test process, so parallel runs on one PostgreSQL never meet.
POSTGRES_SCHEMA = f"boomerang_test_{os.getpid()}"
EMPTY_POSTGRES_SCHEMA = f"{POSTGRES_SCHEMA}_empty"
ADMIN_TOKEN = "test-admin-" + secrets.token_hex(4)


def pytest_collection_finish(session: pytest.Session) -> None:  # noqa: ARG001 - pytest's
    """Freeze what the imports and collection made: a full GC then skips it. A workflow
    activation that meets a GC must yield within 2 s (Temporal's deadlock check), and a full
    collection of every test module's objects on a busy 2-core host once took longer."""
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session")
async def time_skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server: for workflow tests, one journey at a time."""
    async with await WorkflowEnvironment.start_time_skipping(
        data_converter=DATA_CONVERTER,
        test_server_existing_path=str(BIN / "temporal-test-server"),
    ) as env:
        await register_search_attributes(env.client)
        yield env


@pytest.fixture(scope="session")
async def dev_server_env() -> AsyncIterator[WorkflowEnvironment]:
    """A real Temporal dev server with our search attributes (visibility works)."""
    async with await WorkflowEnvironment.start_local(
        data_converter=DATA_CONVERTER,
        dev_server_existing_path=str(BIN / "temporal"),
        search_attributes=SEARCH_ATTRIBUTES,
        dev_server_log_level="error",
    ) as env:
        yield env


def _postgres_url(schema: str) -> str:
    assert POSTGRES_URL
    separator = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    return Settings(database_url=url).resolved_database_url


def _fresh_postgres_schema(url: str, schema: str) -> None:
    with get_engine(url).begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))


@pytest.fixture(scope="session", autouse=True)
def _drop_postgres_schemas() -> Iterator[None]:
    yield
    if POSTGRES_URL:
        for schema in (POSTGRES_SCHEMA, EMPTY_POSTGRES_SCHEMA):
            with get_engine(_postgres_url(schema)).begin() as connection:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))


# Migrating a database (16 migrations) took most of an API test's setup; the tests
# below start from one migrated once per process instead. `empty_database_url` is for the
# tests of the migrations themselves.


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "boomerang.db"
    url = f"sqlite:///{path}"
    migrate(url)
    engine = get_engine(url)
    with engine.connect() as connection:  # everything into the file, which alone is copied
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def _emptying_postgres() -> str:
    """This process's schema, migrated once, and the SQL that deletes every row from it and
    restarts its sequences (DELETE: ~15 ms where TRUNCATE took ~200 and migrating ~500)."""
    url = _postgres_url(POSTGRES_SCHEMA)
    _fresh_postgres_schema(url, POSTGRES_SCHEMA)
    migrate(url)
    with get_engine(url).connect() as connection:
        sequences = connection.execute(
            text("SELECT sequencename FROM pg_sequences WHERE schemaname = :schema"),
            {"schema": POSTGRES_SCHEMA},
        ).scalars()
        restarts = [f'ALTER SEQUENCE "{sequence}" RESTART' for sequence in sequences]
    # Referring rows before the rows they refer to.
    deletes = [f'DELETE FROM "{table.name}"' for table in reversed(SQLModel.metadata.sorted_tables)]
    return "; ".join(deletes + restarts)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database at the newest schema with no rows: a SQLite file, and PostgreSQL when
    BOOMERANG_TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_migrated_sqlite_template")
        shutil.copyfile(template, tmp_path / "boomerang.db")
        return f"sqlite:///{tmp_path / 'boomerang.db'}"
    if not POSTGRES_URL:
        pytest.skip("set BOOMERANG_TEST_DATABASE_URL to run on PostgreSQL")
    emptying: str = request.getfixturevalue("_emptying_postgres")
    url = _postgres_url(POSTGRES_SCHEMA)
    with get_engine(url).begin() as connection:
        connection.execute(text(emptying))
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database without a single table, for the migrations to build."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    if not POSTGRES_URL:
        pytest.skip("set BOOMERANG_TEST_DATABASE_URL to run on PostgreSQL")
    url = _postgres_url(EMPTY_POSTGRES_SCHEMA)
    _fresh_postgres_schema(url, EMPTY_POSTGRES_SCHEMA)
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path,
        api_token=ADMIN_TOKEN,
        task_queue=f"test-{uuid.uuid4()}",
    )
