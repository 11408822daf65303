"""The migrations build exactly the tables the models declare, on SQLite and PostgreSQL, from
an empty database (the other tests start from a copy of one migrated once per process)."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

import engine.store.models  # noqa: F401 - registers the tables on SQLModel.metadata
from engine.store.db import alembic_config, get_engine, migrate


def test_the_migrated_schema_matches_the_models(empty_database_url: str) -> None:
    migrate(empty_database_url)

    with get_engine(empty_database_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)

    assert differences == [], (
        "a model changed without a migration (alembic revision --autogenerate)"
    )


def test_segments_and_cooldown_migrate_down_and_up_keeping_customers(
    empty_database_url: str,
) -> None:
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0002")
    with get_engine(empty_database_url).begin() as connection:
        connection.execute(
            text(
                "INSERT INTO customer (id, email, tags, created_at)"
                " VALUES ('cus_1', 'jane@example.com', '[]', CURRENT_TIMESTAMP)"
            )
        )

    command.upgrade(config, "0003")
    with get_engine(empty_database_url).connect() as connection:
        kept = connection.execute(text("SELECT email, timezone FROM customer")).all()
    assert [tuple(row) for row in kept] == [("jane@example.com", None)]
    command.downgrade(config, "0002")
    command.upgrade(config, "head")

    with get_engine(empty_database_url).connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []


def test_presets_installed_twice_survive_the_lifecycle_migration_down_and_up(
    empty_database_url: str,
) -> None:
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0007")
    insert = (
        "INSERT INTO automation (id, name, status, current_version, preset, created_at,"
        " updated_at) VALUES ('{id}', 'Reminder', '{status}', 1, {preset}, CURRENT_TIMESTAMP,"
        " CURRENT_TIMESTAMP)"
    )
    with get_engine(empty_database_url).begin() as connection:
        connection.execute(text(insert.format(id="aut_1", status="active", preset="'single'")))

    command.upgrade(config, "0008")
    with get_engine(empty_database_url).begin() as connection:
        for automation_id in ("aut_2", "aut_3"):  # the same preset again, archived
            connection.execute(
                text(insert.format(id=automation_id, status="archived", preset="'single'"))
            )
        connection.execute(
            text("UPDATE automation SET draft = '{\"steps\": []}' WHERE id = 'aut_1'")
        )
    command.downgrade(config, "0007")

    with get_engine(empty_database_url).connect() as connection:
        rows = connection.execute(
            text("SELECT id, status, preset FROM automation ORDER BY id")
        ).all()
    assert [tuple(row) for row in rows] == [
        ("aut_1", "active", "single"),
        ("aut_2", "inactive", None),
        ("aut_3", "inactive", None),
    ]
    command.upgrade(config, "head")
    with get_engine(empty_database_url).connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
