"""carts list: indexes for its filters and sorts, and the bulk message runs

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-09 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import engine.store.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString
INDEXES = [
    ("cart", "status"),
    ("cart", "abandoned_at"),
    ("cart", "updated_at"),
    ("cart", "total"),
    ("enrolment", "cart_id"),
]


def upgrade() -> None:
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)
    op.create_table(
        "bulkmessagerun",
        sa.Column("id", String(), nullable=False),
        sa.Column("filter", sa.JSON(), nullable=False),
        sa.Column("template", String(length=64), nullable=False),
        sa.Column("subject", String(length=300), nullable=True),
        sa.Column("status", String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.Column("started_at", engine.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", engine.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("bulkmessagerun")
    for table, column in reversed(INDEXES):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
