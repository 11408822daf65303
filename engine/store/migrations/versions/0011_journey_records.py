"""journey records: each journey's steps kept in the database, past Temporal's retention

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 10:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import engine.store.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "journeyrecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workflow_id", String(length=400), nullable=False),
        sa.Column("automation_id", String(length=40), nullable=False),
        sa.Column("automation_version", sa.Integer(), nullable=False),
        sa.Column("subject_id", String(length=200), nullable=False),
        sa.Column("cart_id", String(length=200), nullable=True),
        sa.Column("customer_id", String(length=40), nullable=True),
        sa.Column("order_id", String(length=200), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("step_id", String(length=200), nullable=False),
        sa.Column("type", String(length=40), nullable=False),
        sa.Column("at", engine.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workflow_id", "seq"),
    )
    for column in ("automation_id", "cart_id", "customer_id", "at"):
        op.create_index(f"ix_journeyrecord_{column}", "journeyrecord", [column], unique=False)


def downgrade() -> None:
    for column in ("at", "customer_id", "cart_id", "automation_id"):
        op.drop_index(f"ix_journeyrecord_{column}", table_name="journeyrecord")
    op.drop_table("journeyrecord")
