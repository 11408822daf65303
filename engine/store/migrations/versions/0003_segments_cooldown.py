"""segments and re-entry cooldown: orders, enrolments, the customer's time zone

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 13:09:36.395265
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import engine.store.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("automation_id", sa.String(), nullable=False),
        sa.Column("automation_version", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("cart_id", sa.String(length=200), nullable=True),
        sa.Column("customer_id", sa.String(), nullable=True),
        sa.Column("enrolled_at", engine.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["automation_id"], ["automation.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("automation_id", "subject_id"),
    )
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enrolment_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "shop_order",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("customer_id", sa.String(), nullable=True),
        sa.Column("cart_id", sa.String(length=200), nullable=True),
        sa.Column("total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("placed_at", engine.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", engine.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shop_order_cart_id"), ["cart_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_shop_order_customer_id"), ["customer_id"], unique=False
        )

    # Nullable: customers from before the column have no time zone (the shop's applies).
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_column("timezone")

    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shop_order_customer_id"))
        batch_op.drop_index(batch_op.f("ix_shop_order_cart_id"))

    op.drop_table("shop_order")
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrolment_customer_id"))

    op.drop_table("enrolment")
