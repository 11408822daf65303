"""Shared fixtures: real Temporal servers (time-skipping and dev), real databases."""

import os
import secrets
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from temporalio.testing import WorkflowEnvironment

from engine.runtime.settings import Settings
from engine.service.payload_codec import DATA_CONVERTER
from engine.service.temporal import register_search_attributes
from engine.store.db import get_engine
from engine.workflows.journey import SEARCH_ATTRIBUTES

BIN = Path(sys.executable).parent
POSTGRES_URL = os.environ.get("BOOMERANG_TEST_DATABASE_URL")
# One schema per test process, so parallel runs on one PostgreSQL never meet.
POSTGRES_SCHEMA = f"boomerang_test_{os.getpid()}"
ADMIN_TOKEN = "test-admin-" + secrets.token_hex(4)


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


def _postgres_url() -> str:
    assert POSTGRES_URL
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{POSTGRES_SCHEMA}"


def _fresh_postgres_schema(url: str) -> None:
    with get_engine(url).begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {POSTGRES_SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {POSTGRES_SCHEMA}"))


@pytest.fixture(scope="session", autouse=True)
def _drop_postgres_schema() -> Iterator[None]:
    yield
    if POSTGRES_URL:
        url = Settings(database_url=_postgres_url()).resolved_database_url
        with get_engine(url).begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {POSTGRES_SCHEMA} CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, and PostgreSQL when BOOMERANG_TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'boomerang.db'}"
    if not POSTGRES_URL:
        pytest.skip("set BOOMERANG_TEST_DATABASE_URL to run on PostgreSQL")
    url = Settings(database_url=_postgres_url()).resolved_database_url
    _fresh_postgres_schema(url)
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path,
        api_token=ADMIN_TOKEN,
        task_queue=f"test-{uuid.uuid4()}",
    )
