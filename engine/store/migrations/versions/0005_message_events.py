"""message events: delivery reports and clicks; why a send failed

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 13:42:12.177893
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import engine.store.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "messageevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("event", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("occurred_at", engine.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("dedupe_key", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["message.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    with op.batch_alter_table("messageevent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_messageevent_event"), ["event"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_messageevent_message_id"), ["message_id"], unique=False
        )

    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_message_provider_message_id"), ["provider_message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_provider_message_id"))
        batch_op.drop_column("error")

    with op.batch_alter_table("messageevent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_messageevent_message_id"))
        batch_op.drop_index(batch_op.f("ix_messageevent_event"))

    op.drop_table("messageevent")
