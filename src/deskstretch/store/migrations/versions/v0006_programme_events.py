"""Programme events: the person lifting a pain pause, and cauda equina questions due or answered.

Revision ID: 0006
Revises: 0005

Two worse days pause the routines until the person says they have seen a clinician or feel back
to their usual; a sharp rise in pain or new leg pain asks the cauda equina questions again, and
no routine plays until they are answered (domain.md §3.1, §3.3 rule 4). Both facts must outlive a
restart and hold in every front end, so they are records here, not settings.

A new table, so it gets 0004's change-counter triggers (counter "programme_events").
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLE = "programme_events"
# As in 0004 (written out: a revision must not change meaning when later code changes).
_UPSERT = (
    "INSERT INTO change_counters (name, version) VALUES ('programme_events', 1) "
    "ON CONFLICT (name) DO UPDATE SET version = change_counters.version + 1"
)


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_events")),
    )
    op.create_index(op.f("ix_programme_events_at"), TABLE, ["at"])
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
    op.drop_index(op.f("ix_programme_events_at"), table_name=TABLE)
    op.drop_table(TABLE)
