"""shop settings: sender, frequency cap, inactivity threshold and default quiet hours

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 16:08:01.224785
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import engine.store.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shopsettings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.Column("sender_name", sqlmodel.sql.sqltypes.AutoString(length=70), nullable=True),
        sa.Column("frequency_cap", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("inactivity_threshold_seconds", sa.Integer(), nullable=True),
        sa.Column("default_quiet_hours", sa.JSON(), nullable=True),
        sa.Column("updated_at", engine.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("id = 1", name="ck_shopsettings_one_row"),
    )


def downgrade() -> None:
    op.drop_table("shopsettings")
