"""Row revisions: each session and check-in says when it last changed, so a reader re-reads those.

Revision ID: 0008
Revises: 0007

Today and Progress keep the history they read and, after a write, read again only the kinds of
record that changed (0004). A year of sessions is about 1,000 sessions and 4,000 step rows, and
re-reading them all after each routine ended took most of the time of the page that follows
(docs/performance.md), and re-reading 2,000 check-ins after each check-in most of the rest.
Now every insert or update of a session, and every write to one of its steps, gives that
session the next number of the counter "session_revision", and deleting sessions raises the
counter "sessions_deleted"; check-ins likewise ("checkin_revision", "checkins_deleted"). A reader
that has seen revisions up to N reads only the rows above N, and reads everything again after a
delete. Triggers keep this right whoever writes (this program, another process, the sqlite3
shell), as in 0004. Existing rows start at revision 0: the first read after the upgrade reads
them all, as before.

On PostgreSQL the counter row stays locked until the writing transaction commits, so revisions
are handed out in commit order and a reader never skips a session committed late.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


# Written out, as in 0004: a revision must not change meaning when later code changes.
def _bump(name: str) -> str:
    return (
        f"INSERT INTO change_counters (name, version) VALUES ('{name}', 1) "
        "ON CONFLICT (name) DO UPDATE SET version = change_counters.version + 1"
    )


def _revise(table: str, counter: str, row_id: str) -> str:
    """SQLite: take the counter's next number and give it to the row ``row_id``."""
    current = f"(SELECT version FROM change_counters WHERE name = '{counter}')"
    return f"{_bump(counter)}; UPDATE {table} SET revision = {current} WHERE id = {row_id};"


# Table -> (its revision counter, its delete counter).
REVISED = {
    "sessions": ("session_revision", "sessions_deleted"),
    "checkins": ("checkin_revision", "checkins_deleted"),
}
_SQLITE_TRIGGERS = {
    "session_steps_insert_revised": (
        f"AFTER INSERT ON session_steps BEGIN"
        f" {_revise('sessions', 'session_revision', 'NEW.session_id')} END"
    ),
    "session_steps_update_revised": (
        f"AFTER UPDATE ON session_steps BEGIN"
        f" {_revise('sessions', 'session_revision', 'NEW.session_id')}"
        f" {_revise('sessions', 'session_revision', 'OLD.session_id')} END"
    ),
    "session_steps_delete_revised": (
        f"AFTER DELETE ON session_steps BEGIN"
        f" {_revise('sessions', 'session_revision', 'OLD.session_id')} END"
    ),
}
for _table, (_counter, _deleted) in REVISED.items():
    _SQLITE_TRIGGERS[f"{_table}_insert_revised"] = (
        f"AFTER INSERT ON {_table} BEGIN {_revise(_table, _counter, 'NEW.id')} END"
    )
    # The guard: the trigger's own UPDATE changes the revision, so it never revises twice.
    _SQLITE_TRIGGERS[f"{_table}_update_revised"] = (
        f"AFTER UPDATE ON {_table} WHEN NEW.revision = OLD.revision"
        f" BEGIN {_revise(_table, _counter, 'NEW.id')} END"
    )
    _SQLITE_TRIGGERS[f"{_table}_delete_revised"] = (
        f"AFTER DELETE ON {_table} BEGIN {_bump(_deleted)}; END"
    )

_POSTGRES = [
    # The revision counter is the trigger's argument; the row takes its next number.
    "CREATE FUNCTION deskstretch_revise_row() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "DECLARE next_revision BIGINT; BEGIN "
    + _bump("x").replace("'x'", "TG_ARGV[0]")
    + " RETURNING version INTO next_revision; NEW.revision := next_revision; RETURN NEW; END $$",
    # A step written: its session is updated, which the sessions trigger revises.
    "CREATE FUNCTION deskstretch_revise_session_of_step() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    "IF TG_OP <> 'INSERT' THEN UPDATE sessions SET revision = revision WHERE id = OLD.session_id;"
    " END IF; "
    "IF TG_OP <> 'DELETE' THEN UPDATE sessions SET revision = revision WHERE id = NEW.session_id;"
    " END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER session_steps_revised AFTER INSERT OR UPDATE OR DELETE ON session_steps "
    "FOR EACH ROW EXECUTE FUNCTION deskstretch_revise_session_of_step()",
]
for _table, (_counter, _deleted) in REVISED.items():
    _POSTGRES += [
        f"CREATE TRIGGER {_table}_revised BEFORE INSERT OR UPDATE ON {_table} "
        f"FOR EACH ROW EXECUTE FUNCTION deskstretch_revise_row('{_counter}')",
        # deskstretch_count_change() comes from 0004.
        f"CREATE TRIGGER {_table}_deleted AFTER DELETE ON {_table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION deskstretch_count_change('{_deleted}')",
    ]


def upgrade() -> None:
    for table in REVISED:
        op.add_column(
            table,
            sa.Column("revision", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        )
        op.create_index(op.f(f"ix_{table}_revision"), table, ["revision"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in _POSTGRES:
            op.execute(statement)
        return
    for name, body in _SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS session_steps_revised ON session_steps")
        for table in REVISED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_deleted ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_revised ON {table}")
        op.execute("DROP FUNCTION IF EXISTS deskstretch_revise_session_of_step()")
        op.execute("DROP FUNCTION IF EXISTS deskstretch_revise_row()")
    else:
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in REVISED:
        op.drop_index(op.f(f"ix_{table}_revision"), table_name=table)
        op.drop_column(table, "revision")
