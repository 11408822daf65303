"""shop integrations: customer facts from the shop, platform deliveries, codes issued in the
shop, fulfilment tracking, consent and storefront origins

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 10:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import engine.store.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString
When = engine.store.types.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_name", String(length=200), nullable=True))
        batch_op.add_column(sa.Column("locale", String(length=35), nullable=True))
        batch_op.add_column(sa.Column("accepts_marketing", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("registered", sa.Boolean(), nullable=True))

    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tracking_number", String(length=200), nullable=True))
        batch_op.add_column(sa.Column("tracking_company", String(length=200), nullable=True))
        batch_op.add_column(sa.Column("tracking_url", String(length=2000), nullable=True))

    with op.batch_alter_table("discountcode", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("provider", String(length=20), nullable=False, server_default="builtin")
        )
        batch_op.add_column(
            sa.Column("status", String(length=20), nullable=False, server_default="created")
        )
        batch_op.add_column(sa.Column("provider_id", String(length=200), nullable=True))
        batch_op.add_column(sa.Column("error", String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("used_at", When(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("order_id", String(length=200), nullable=True))

    with op.batch_alter_table("shopsettings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("require_marketing_consent", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("storefront_origins", sa.JSON(), nullable=True))

    op.create_table(
        "platformdelivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", String(length=20), nullable=False),
        sa.Column("delivery_id", String(length=200), nullable=False),
        sa.Column("topic", String(length=100), nullable=False),
        sa.Column("result", String(length=20), nullable=False),
        sa.Column("detail", String(length=500), nullable=False),
        sa.Column("times_received", sa.Integer(), nullable=False),
        sa.Column("received_at", When(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "delivery_id"),
    )


def downgrade() -> None:
    op.drop_table("platformdelivery")
    with op.batch_alter_table("shopsettings", schema=None) as batch_op:
        batch_op.drop_column("storefront_origins")
        batch_op.drop_column("require_marketing_consent")
    with op.batch_alter_table("discountcode", schema=None) as batch_op:
        for column in ("order_id", "used_at", "error", "provider_id", "status", "provider"):
            batch_op.drop_column(column)
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        for column in ("tracking_url", "tracking_company", "tracking_number"):
            batch_op.drop_column(column)
    with op.batch_alter_table("customer", schema=None) as batch_op:
        for column in ("registered", "accepts_marketing", "locale", "last_name"):
            batch_op.drop_column(column)
