"""privacy: retention settings and runs, the forgotten carts' figures, erased addresses'
hashes, the platforms' data requests, and the indexes retention visits rows by

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import engine.store.types

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString
When = engine.store.types.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("shopsettings") as table:
        table.add_column(sa.Column("erasure_salt", String(length=64), nullable=True))
        table.add_column(sa.Column("retention_abandoned_carts", sa.Integer(), nullable=True))
        table.add_column(sa.Column("retention_events", sa.Integer(), nullable=True))
        table.add_column(sa.Column("retention_messages", sa.Integer(), nullable=True))
    op.create_table(
        "retentionrun",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", When(timezone=True), nullable=False),
        sa.Column("finished_at", When(timezone=True), nullable=True),
        sa.Column("status", String(length=20), nullable=False),
        sa.Column("cutoffs", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.Column("error", String(length=2000), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_retentionrun_started_at", "retentionrun", ["started_at"])
    op.create_table(
        "forgottencarts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("scope", String(length=40), nullable=False),
        sa.Column("abandoned", sa.Integer(), nullable=False),
        sa.Column("contactable", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("created_abandoned", sa.Integer(), nullable=False),
        sa.Column("recovered", sa.Integer(), nullable=False),
        sa.Column("revenue", sa.JSON(), nullable=False),
        sa.Column("recovery_seconds", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day", "scope"),
    )
    op.create_index("ix_forgottencarts_day", "forgottencarts", ["day"])
    op.create_table(
        "erasedaddress",
        sa.Column("address_hash", String(length=64), nullable=False),
        sa.Column("erased_at", When(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("address_hash"),
    )
    op.create_table(
        "datarequest",
        sa.Column("id", String(), nullable=False),
        sa.Column("platform", String(length=20), nullable=False),
        sa.Column("request_id", String(length=200), nullable=True),
        sa.Column("email", String(length=320), nullable=False),
        sa.Column("orders", sa.JSON(), nullable=False),
        sa.Column("received_at", When(timezone=True), nullable=False),
        sa.Column("exported_at", When(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_datarequest_email", "datarequest", ["email"])
    op.create_index("ix_event_received_at_id", "event", ["received_at", "id"])
    op.create_index("ix_customer_created_at_id", "customer", ["created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_customer_created_at_id", table_name="customer")
    op.drop_index("ix_event_received_at_id", table_name="event")
    op.drop_index("ix_datarequest_email", table_name="datarequest")
    op.drop_table("datarequest")
    op.drop_table("erasedaddress")
    op.drop_index("ix_forgottencarts_day", table_name="forgottencarts")
    op.drop_table("forgottencarts")
    op.drop_index("ix_retentionrun_started_at", table_name="retentionrun")
    op.drop_table("retentionrun")
    with op.batch_alter_table("shopsettings") as table:
        table.drop_column("retention_messages")
        table.drop_column("retention_events")
        table.drop_column("retention_abandoned_carts")
        table.drop_column("erasure_salt")
