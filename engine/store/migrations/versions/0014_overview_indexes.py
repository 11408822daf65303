"""results: an index for counting the contactable carts of a period by their customer

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 11:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The overview counts the carts of suppressed (or address-less) customers abandoned in a
    # period: a range on this index per such customer, not a join per abandoned cart.
    op.create_index(
        "ix_cart_customer_id_abandoned_at", "cart", ["customer_id", "abandoned_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_cart_customer_id_abandoned_at", table_name="cart")
