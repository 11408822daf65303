"""automation lifecycle: drafts, archived status, rollback sources, presets installed many times

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0001 left the unique constraint on `automation.preset` unnamed. PostgreSQL named it
# `automation_preset_key`; SQLite has no name for it, so batch mode (which recreates the
# table) gets one from this convention in order to leave it out.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
PRESET_UNIQUE = "automation_preset_key"


def _preset_unique_name() -> str:
    for constraint in sa.inspect(op.get_bind()).get_unique_constraints("automation"):
        if constraint["column_names"] == ["preset"]:
            return constraint["name"] or "uq_automation_preset"
    raise RuntimeError("automation.preset has no unique constraint to drop")


def upgrade() -> None:
    preset_unique = _preset_unique_name()
    with op.batch_alter_table("automation", schema=None, naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column("draft", sa.JSON(), nullable=True))
        # A preset may now be installed more than once; `preset` says where it came from.
        batch_op.drop_constraint(preset_unique, type_="unique")
        batch_op.create_index(batch_op.f("ix_automation_preset"), ["preset"], unique=False)

    with op.batch_alter_table("automationversion", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("automationversion", schema=None) as batch_op:
        batch_op.drop_column("source_version")

    # Only one automation per preset may keep its mark; archived ones become inactive.
    op.execute(
        "UPDATE automation SET preset = NULL WHERE preset IS NOT NULL AND id NOT IN"
        " (SELECT MIN(id) FROM automation WHERE preset IS NOT NULL GROUP BY preset)"
    )
    op.execute("UPDATE automation SET status = 'inactive' WHERE status = 'archived'")
    with op.batch_alter_table("automation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_automation_preset"))
        batch_op.create_unique_constraint(PRESET_UNIQUE, ["preset"])
        batch_op.drop_column("draft")
