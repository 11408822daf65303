"""results: indexes for counting a period on a big shop; the attribution shop settings

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_cart_abandoned_at_customer_id", "cart", ["abandoned_at", "customer_id"]),
    ("ix_cart_created_at_status", "cart", ["created_at", "status"]),
    ("ix_cart_recovered_at", "cart", ["recovered_at"]),
    ("ix_message_sent_at_status", "message", ["sent_at", "status", "automation_id"]),
    ("ix_messageevent_event_occurred_at", "messageevent", ["event", "occurred_at", "message_id"]),
    ("ix_enrolment_enrolled_at_cart_id", "enrolment", ["enrolled_at", "cart_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    with op.batch_alter_table("shopsettings") as batch:
        batch.add_column(sa.Column("attribution_click_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("attribution_delivery_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shopsettings") as batch:
        batch.drop_column("attribution_delivery_days")
        batch.drop_column("attribution_click_days")
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
