"""results: count a period's emails per event without DISTINCT (`messageevent.previous_at`,
kept by a trigger), the contactable carts per suppressed customer, recoveries from indexes

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import engine.store.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECOVERY = ["recovered_at", "status", "abandoned_at", "total", "currency", "order_id", "id"]
# The report of the same event on the same message just before `NEW` (by occurred_at, then
# id), and the one just after it.
BEFORE = """
    SELECT p.occurred_at FROM messageevent AS p
    WHERE p.message_id = NEW.message_id AND p.event = NEW.event
      AND (p.occurred_at < NEW.occurred_at OR (p.occurred_at = NEW.occurred_at AND p.id < NEW.id))
    ORDER BY p.occurred_at DESC, p.id DESC LIMIT 1
"""
AFTER = """
    SELECT s.id FROM messageevent AS s
    WHERE s.message_id = NEW.message_id AND s.event = NEW.event
      AND (s.occurred_at > NEW.occurred_at OR (s.occurred_at = NEW.occurred_at AND s.id > NEW.id))
    ORDER BY s.occurred_at, s.id LIMIT 1
"""
# A report may arrive after a later one (webhooks are not ordered): it takes its place in
# the chain, and the next report now follows it.
KEEP = f"""
    UPDATE messageevent SET previous_at = ({BEFORE}) WHERE id = NEW.id;
    UPDATE messageevent SET previous_at = NEW.occurred_at WHERE id = ({AFTER});
"""
# A later migration that rebuilds `messageevent` on SQLite (batch "recreate") drops this
# trigger with the old table: it must create it again (tests/engine/store checks the counts).
SQLITE_TRIGGER = f"""
CREATE TRIGGER messageevent_previous_at AFTER INSERT ON messageevent
WHEN NEW.message_id IS NOT NULL
BEGIN {KEEP} END
"""
POSTGRESQL_FUNCTION = f"""
CREATE FUNCTION messageevent_previous_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.message_id IS NOT NULL THEN {KEEP} END IF;
    RETURN NULL;
END $$
"""
POSTGRESQL_TRIGGER = """
CREATE TRIGGER messageevent_previous_at AFTER INSERT ON messageevent
FOR EACH ROW EXECUTE FUNCTION messageevent_previous_at()
"""
BACKFILL = """
UPDATE messageevent SET previous_at = (
    SELECT p.occurred_at FROM messageevent AS p
    WHERE p.message_id = messageevent.message_id AND p.event = messageevent.event
      AND (p.occurred_at < messageevent.occurred_at
           OR (p.occurred_at = messageevent.occurred_at AND p.id < messageevent.id))
    ORDER BY p.occurred_at DESC, p.id DESC LIMIT 1
) WHERE message_id IS NOT NULL
"""


def upgrade() -> None:
    # The overview counts the carts of suppressed (or address-less) customers abandoned in a
    # period: a range on this index per such customer, not a join per abandoned cart.
    op.create_index(
        "ix_cart_customer_id_abandoned_at", "cart", ["customer_id", "abandoned_at"], unique=False
    )
    # A period's recoveries (and their orders' totals) from the indexes alone.
    op.drop_index("ix_cart_recovered_at", table_name="cart")
    op.create_index("ix_cart_recovered_at_status_cover", "cart", RECOVERY, unique=False)
    op.create_index(
        "ix_shop_order_id_total_currency", "shop_order", ["id", "total", "currency"], unique=False
    )
    with op.batch_alter_table("messageevent") as batch:
        batch.add_column(sa.Column("previous_at", engine.store.types.UTCDateTime(), nullable=True))
    op.create_index(
        "ix_messageevent_message_id_event_occurred_at",
        "messageevent",
        ["message_id", "event", "occurred_at"],
        unique=False,
    )
    op.execute(BACKFILL)
    op.drop_index("ix_messageevent_event_occurred_at", table_name="messageevent")
    op.create_index(
        "ix_messageevent_event_occurred_at_previous_at",
        "messageevent",
        ["event", "occurred_at", "previous_at", "message_id"],
        unique=False,
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(POSTGRESQL_TRIGGER)
    else:
        op.execute(SQLITE_TRIGGER)


def downgrade() -> None:
    op.execute(
        "DROP TRIGGER messageevent_previous_at"
        + (" ON messageevent" if op.get_bind().dialect.name == "postgresql" else "")
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION messageevent_previous_at()")
    op.drop_index("ix_messageevent_event_occurred_at_previous_at", table_name="messageevent")
    op.create_index(
        "ix_messageevent_event_occurred_at",
        "messageevent",
        ["event", "occurred_at", "message_id"],
        unique=False,
    )
    op.drop_index("ix_messageevent_message_id_event_occurred_at", table_name="messageevent")
    with op.batch_alter_table("messageevent") as batch:
        batch.drop_column("previous_at")
    op.drop_index("ix_shop_order_id_total_currency", table_name="shop_order")
    op.drop_index("ix_cart_recovered_at_status_cover", table_name="cart")
    op.create_index("ix_cart_recovered_at", "cart", ["recovered_at"], unique=False)
    op.drop_index("ix_cart_customer_id_abandoned_at", table_name="cart")
