"""Change counters: one number per kind of record, raised by a trigger on every write.

Revision ID: 0004
Revises: 0003

The browser app keeps what it read from the history and, after a write, reads again only the
kinds of record that changed (a check-in does not make it read a year of sessions again).
Triggers keep the counters right whoever writes: this deskstretch, another process, an older
copy of the program or a person with the sqlite3 shell. The counter is upserted, so it survives
its row being deleted. Step rows count as a change to their session.

Note for later revisions: on SQLite, ``batch_alter_table`` rebuilds a table and drops its
triggers; such a revision must create the triggers of that table again (a test writes to every
table at HEAD and checks its counter moves).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Table -> the counter its writes raise.
COUNTED = {
    "sessions": "sessions",
    "session_steps": "sessions",
    "checkins": "checkins",
    "measurements": "measurements",
    "psfs_activities": "psfs_activities",
    "questionnaire_results": "questionnaire_results",
}
_UPSERT = (
    "INSERT INTO change_counters (name, version) VALUES ('{name}', 1) "
    "ON CONFLICT (name) DO UPDATE SET version = change_counters.version + 1"
)


def upgrade() -> None:
    op.create_table(
        "change_counters",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_change_counters")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION deskstretch_count_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN " + _UPSERT.replace("'{name}'", "TG_ARGV[0]") + "; RETURN NULL; END $$"
        )
        for table, name in COUNTED.items():
            op.execute(
                f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION deskstretch_count_change('{name}')"
            )
        return
    for table, name in COUNTED.items():
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_{event.lower()}_counted AFTER {event} ON {table} "
                f"BEGIN {_UPSERT.format(name=name)}; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in COUNTED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}")
        op.execute("DROP FUNCTION IF EXISTS deskstretch_count_change()")
    else:
        for table in COUNTED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{event}_counted")
    op.drop_table("change_counters")
