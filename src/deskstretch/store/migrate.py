"""Schema revisions: the ones this deskstretch knows, and upgrading a database to the newest.

Alembic is imported only when a database actually needs upgrading, so an up-to-date open is fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from deskstretch.store.db_errors import StoreError, StoreTooNewError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine

KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010")
"""Every revision in migrations/versions, oldest first (a test checks this against Alembic)."""
HEAD = KNOWN_REVISIONS[-1]
MIGRATIONS_DIR = Path(__file__).with_name("migrations")

# Any constant will do: it only has to be the same in every deskstretch process.
_POSTGRES_MIGRATION_LOCK = 0x6465736B


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config built in code (no alembic.ini), pointing at the packaged migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def check_revision(revision: str | None) -> None:
    """Refuse a database written by a newer deskstretch (a revision this one does not know)."""
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise StoreTooNewError(revision)


def upgrade(engine: Engine, target: str = HEAD) -> None:
    """Upgrade the database to ``target`` in one transaction: all revisions apply, or none do.

    ``engine`` is a store write engine (SQLite transactions begin IMMEDIATE, so two processes
    opening an old database upgrade it one after the other, and the second finds nothing to do).
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    if target not in KNOWN_REVISIONS:
        raise ValueError(f"unknown schema revision {target!r}")
    is_sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if is_sqlite:
            # SQLite's documented procedure for schema changes: foreign keys off *outside* the
            # transaction (the pragma is ignored inside one), so a revision that rebuilds a
            # table cannot cascade-delete child rows; foreign_key_check runs before commit.
            _raw_sqlite(connection, "PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                if not is_sqlite:
                    connection.exec_driver_sql(
                        f"SELECT pg_advisory_xact_lock({_POSTGRES_MIGRATION_LOCK})"
                    )
                current = MigrationContext.configure(connection).get_current_revision()
                check_revision(current)
                if current != target:
                    command.upgrade(alembic_config(connection), target)
                if is_sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StoreError(
                            f"upgrading the database schema to {target} would break "
                            f"{len(broken)} links between rows; nothing was changed"
                        )
        finally:
            if is_sqlite and not connection.invalidated:
                _raw_sqlite(connection, "PRAGMA foreign_keys = ON")


def _raw_sqlite(connection: Connection, sql: str) -> None:
    """Run a pragma on the driver connection, outside any SQLAlchemy transaction."""
    driver = connection.connection.driver_connection
    if driver is None:
        raise RuntimeError("the connection is closed")
    driver.execute(sql)
