"""Enrolments: which programme over weeks the person follows, from which local day.

Revision ID: 0007
Revises: 0006

A programme (issue 11) runs for weeks; the person's choice of one, and the local day its week 1
begins, must outlive a restart and be the same in every front end. Levels are not stored: they
are replayed from the sessions and check-ins. Stopping or switching sets ``ended_at``; at most
one enrolment is active at a time (the repository ends the active one before adding another).
Existing databases gain an empty table: nobody is enrolled until they choose a programme.

A new table, so it gets 0004's change-counter triggers (counter "enrolments").
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLE = "enrolments"
# As in 0004 (written out: a revision must not change meaning when later code changes).
_UPSERT = (
    "INSERT INTO change_counters (name, version) VALUES ('enrolments', 1) "
    "ON CONFLICT (name) DO UPDATE SET version = change_counters.version + 1"
)


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("programme_id", sa.String(128), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolments")),
    )
    op.create_index(op.f("ix_enrolments_at"), TABLE, ["at"])
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
    op.drop_index(op.f("ix_enrolments_at"), table_name=TABLE)
    op.drop_table(TABLE)
