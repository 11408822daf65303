"""simulations: what was asked and answered, and each cart's timeline (kept a day)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import engine.store.types

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString
When = engine.store.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "simulation",
        sa.Column("id", String(), nullable=False),
        sa.Column("automation_id", String(length=40), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("tried", sa.JSON(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("compared_with", sa.JSON(), nullable=True),
        sa.Column("compared_definition", sa.JSON(), nullable=True),
        sa.Column("status", String(length=20), nullable=False),
        sa.Column("carts", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("totals", sa.JSON(), nullable=True),
        sa.Column("compared", sa.JSON(), nullable=True),
        sa.Column("difference", sa.JSON(), nullable=True),
        sa.Column("error", String(length=2000), nullable=True),
        sa.Column("created_at", When(timezone=True), nullable=False),
        sa.Column("finished_at", When(timezone=True), nullable=True),
        sa.Column("expires_at", When(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_simulation_automation_id", "simulation", ["automation_id"])
    op.create_index("ix_simulation_expires_at", "simulation", ["expires_at"])
    op.create_table(
        "simulatedcart",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("simulation_id", String(length=40), nullable=False),
        sa.Column("cart_id", String(length=200), nullable=False),
        sa.Column("abandoned_at", When(timezone=True), nullable=False),
        sa.Column("outcome", String(length=40), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("timeline", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_simulatedcart_listing", "simulatedcart", ["simulation_id", "abandoned_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_simulatedcart_listing", table_name="simulatedcart")
    op.drop_table("simulatedcart")
    op.drop_index("ix_simulation_expires_at", table_name="simulation")
    op.drop_index("ix_simulation_automation_id", table_name="simulation")
    op.drop_table("simulation")
