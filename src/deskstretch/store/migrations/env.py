"""Alembic environment: runs the revisions on the connection (and transaction) the store hands in.

There is no alembic.ini: ``store.migrate`` builds the Config in code and passes the connection
in ``config.attributes["connection"]``; the caller owns the transaction and commits it.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from deskstretch.store.tables import metadata


def run_migrations() -> None:
    if context.is_offline_mode():
        raise RuntimeError("deskstretch migrations run online only (on a live connection)")
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("store.migrate must pass an open connection to Alembic")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite can only ALTER by copying tables; batch mode does that
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
