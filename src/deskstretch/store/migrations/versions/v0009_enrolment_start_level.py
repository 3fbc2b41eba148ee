"""Enrolment start level: the level a person chose to start a programme at.

Revision ID: 0009
Revises: 0008

`programme start --level N` and the level choice on the browser's start form let a person who
already knows the early levels start higher (issue 11). The replay begins at that level, so it
must be stored with the enrolment. Existing enrolments started at level 1: the column defaults
to 1, and nothing else changes. A plain column: 0007's change-counter triggers already count
every write to the table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "enrolments",
        sa.Column("start_level", sa.Integer(), nullable=False, server_default=sa.text("1")),
    )


def downgrade() -> None:
    op.drop_column("enrolments", "start_level")
