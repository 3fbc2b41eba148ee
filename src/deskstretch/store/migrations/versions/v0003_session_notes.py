"""Session notes: whether a session was "too much", and which front end ran it.

Revision ID: 0003
Revises: 0002
Existing sessions get too_much = false and front_end = 'terminal' (the only front end before).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(
            sa.Column("too_much", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(
            sa.Column("front_end", sa.String(32), server_default="terminal", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("front_end")
        batch.drop_column("too_much")
