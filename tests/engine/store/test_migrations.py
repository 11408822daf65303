"""The migrations build exactly the tables the models declare, on SQLite and PostgreSQL."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

import engine.store.models  # noqa: F401 - registers the tables on SQLModel.metadata
from engine.store.db import alembic_config, get_engine, migrate


def test_the_migrated_schema_matches_the_models(database_url: str) -> None:
    migrate(database_url)

    with get_engine(database_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)

    assert differences == [], (
        "a model changed without a migration (alembic revision --autogenerate)"
    )


def test_segments_and_cooldown_migrate_down_and_up_keeping_customers(database_url: str) -> None:
    config = alembic_config(database_url)
    command.upgrade(config, "0002")
    with get_engine(database_url).begin() as connection:
        connection.execute(
            text(
                "INSERT INTO customer (id, email, tags, created_at)"
                " VALUES ('cus_1', 'jane@example.com', '[]', CURRENT_TIMESTAMP)"
            )
        )

    command.upgrade(config, "0003")
    with get_engine(database_url).connect() as connection:
        kept = connection.execute(text("SELECT email, timezone FROM customer")).all()
    assert [tuple(row) for row in kept] == [("jane@example.com", None)]
    command.downgrade(config, "0002")
    command.upgrade(config, "head")

    with get_engine(database_url).connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
