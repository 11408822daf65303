"""Alembic environment: runs Boomerang's migrations on the configured database."""

from alembic import context
from sqlmodel import SQLModel

import engine.store.models  # noqa: F401 - registers the tables on SQLModel.metadata
from engine.store.db import get_engine

config = context.config


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set"
    with get_engine(url).connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=SQLModel.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
