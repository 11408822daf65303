"""languages and currencies: template versions' content per locale, each message's language,
the shop's currency rates

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 09:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("templateversion") as table:
        # Every version saved so far was written in English (the only defaults there were).
        table.add_column(
            sa.Column("locale", String(length=35), nullable=False, server_default="en")
        )
        table.add_column(sa.Column("translations", sa.JSON(), nullable=True))
    with op.batch_alter_table("message") as table:
        table.add_column(sa.Column("locale", String(length=35), nullable=True))
    with op.batch_alter_table("shopsettings") as table:
        table.add_column(sa.Column("currency_rates", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shopsettings") as table:
        table.drop_column("currency_rates")
    with op.batch_alter_table("message") as table:
        table.drop_column("locale")
    with op.batch_alter_table("templateversion") as table:
        table.drop_column("translations")
        table.drop_column("locale")
