"""Assessments: forward-bend, knee and trunk angles measured from side-view photos or the camera.

Revision ID: 0010
Revises: 0009

A photo assessment (issue 13) stores the median angles of up to three photos that passed the
quality gates, how many photos that median is over, and the uncertainty of each angle, so a
later assessment can be compared honestly. The photos themselves are not stored in the
database: an annotated copy is kept as a file only when the person asks, and ``photo_file``
names it. Existing databases gain an empty table.

A new table, so it gets 0004's change-counter triggers (counter "assessments"), as in 0007.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLE = "assessments"
# As in 0004 (written out: a revision must not change meaning when later code changes).
_UPSERT = (
    "INSERT INTO change_counters (name, version) VALUES ('assessments', 1) "
    "ON CONFLICT (name) DO UPDATE SET version = change_counters.version + 1"
)


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("test", sa.String(64), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("side", sa.String(16), nullable=False),
        sa.Column("forward_bend_deg", sa.Float(), nullable=False),
        sa.Column("knee_deficit_deg", sa.Float(), nullable=False),
        sa.Column("trunk_inclination_deg", sa.Float(), nullable=False),
        sa.Column("photos", sa.Integer(), nullable=False),
        sa.Column("uncertainty_deg", sa.Float(), nullable=False),
        sa.Column("photo_file", sa.String(128), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    op.create_index(op.f("ix_assessments_at"), TABLE, ["at"])
    if op.get_bind().dialect.name == "postgresql":
        # The trigger function deskstretch_count_change() comes from 0004.
        op.execute(
            f"CREATE TRIGGER {TABLE}_changed AFTER INSERT OR UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION deskstretch_count_change('{TABLE}')"
        )
        return
    for event in ("INSERT", "UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_{event.lower()}_counted AFTER {event} ON {TABLE} "
            f"BEGIN {_UPSERT}; END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_changed ON {TABLE}")
    else:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{event}_counted")
    op.drop_index(op.f("ix_assessments_at"), table_name=TABLE)
    op.drop_table(TABLE)
