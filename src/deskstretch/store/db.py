"""Opening the database: checks that write nothing, engine set-up, and automatic migrations.

SQLite (one file in the data folder) is the default; PostgreSQL works through psycopg 3.
Every failure becomes a one-line StoreError; a damaged or newer database is left untouched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from deskstretch.store import migrate
from deskstretch.store.errors import (
    StoreError,
    classify_postgresql,
    classify_sqlite,
    first_line,
)

Backend = Literal["sqlite", "postgresql"]
DEFAULT_BUSY_TIMEOUT_MS = 5000
_BEGIN_OPTION = "deskstretch_sqlite_begin"


class Store:
    """An open database: a shared engine plus short read and write transactions.

    Build one per process with :func:`open_store` and pass it down; close it when done.
    """

    def __init__(self, engine: Engine, backend: Backend, where: str, secret: str | None) -> None:
        self.engine = engine
        self.backend: Backend = backend
        self.where = where
        """The file path, or host:port/database for PostgreSQL (never the password)."""
        self._secret = secret
        # SQLite write transactions take the write lock at BEGIN (IMMEDIATE): waiting for it is
        # covered by busy_timeout, whereas upgrading a read lock mid-transaction fails at once.
        self._write_engine = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})

    @property
    def write_engine(self) -> Engine:
        return self._write_engine

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read transaction (one consistent snapshot), with errors translated."""
        with (
            self.guard(),
            Session(self.engine, autoflush=False, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction, committed when the block ends (and durable once it returns)."""
        with (
            self.guard(),
            Session(self._write_engine, autoflush=False, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Turn driver and SQLAlchemy errors raised inside the block into StoreError."""
        try:
            yield
        except StoreError:
            raise
        except (sa_exc.SQLAlchemyError, sqlite3.Error) as error:
            raise self.translate(error) from error

    def translate(self, error: BaseException) -> StoreError:
        if isinstance(error, sa_exc.DBAPIError):
            cause: BaseException = error if error.orig is None else error.orig
        elif isinstance(error, sa_exc.StatementError) and error.orig is not None:
            # Raised by our own code while preparing a statement (e.g. a naive timestamp).
            return StoreError(f"cannot store this: {first_line(error.orig)}")
        else:
            cause = error
        if self.backend == "sqlite":
            return classify_sqlite(self.where, cause)
        return classify_postgresql(self.where, cause, self._secret)

    def vacuum(self) -> None:
        """SQLite only: rewrite the file so deleted rows leave no trace on disk (nor in the WAL)."""
        if self.backend != "sqlite":
            return
        with self.guard(), self.engine.connect() as connection:
            driver = connection.connection.driver_connection
            if driver is None:
                raise StoreError(f"lost the connection to {self.where}")
            driver.execute("VACUUM")  # not allowed inside a transaction; none is open here
            driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_store(
    url: str, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS, revision: str = migrate.HEAD
) -> Store:
    """Open (creating or upgrading as needed) the database at ``url``.

    ``revision`` is for tests that build databases at an older schema; the program never sets it.
    """
    parsed = _parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        store, current = _open_sqlite(parsed, busy_timeout_ms)
    else:
        store, current = _open_postgresql(parsed)
    if current != revision:
        try:
            with store.guard():
                migrate.upgrade(store.write_engine, revision)
        except BaseException:
            store.close()
            raise
    return store


def _parse_url(url: str) -> URL:
    try:
        parsed = sa.make_url(url)
    except sa_exc.ArgumentError:
        raise StoreError(
            "the database URL is not valid (expected sqlite:///path/to/file.sqlite3 "
            "or postgresql://user@host/database)"
        ) from None
    backend = parsed.drivername.split("+")[0]
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+pysqlite")
    if backend in {"postgresql", "postgres"}:
        return parsed.set(drivername="postgresql+psycopg")
    raise StoreError(f"deskstretch stores data in SQLite or PostgreSQL, not '{backend}'")


def _open_sqlite(url: URL, busy_timeout_ms: int) -> tuple[Store, str | None]:
    database = url.database or ""
    memory = database in {"", ":memory:"}
    current: str | None = None
    if memory:
        where = ":memory:"
    else:
        path = Path(database).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create the folder {path.parent}: {error.strerror}") from None
        where = str(path)
        url = url.set(database=where)
        # Look before anything can write: a damaged, foreign or newer file stays as it is.
        current = _sqlite_file_revision(path, busy_timeout_ms)
        migrate.check_revision(current)
    engine = sa.create_engine(
        url,
        hide_parameters=True,
        poolclass=StaticPool if memory else None,
        connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We emit BEGIN ourselves (below): sqlite3's own transaction handling skips BEGIN for
        # reads and DDL, which breaks snapshots and transactional migrations.
        dbapi_connection.isolation_level = None
        dbapi_connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        dbapi_connection.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: a committed transaction
        # survives the process being killed (kill -9, crash) because it is already in the WAL
        # file in the OS cache. A power cut or OS crash may lose the last few commits (never
        # corrupt the file). Losing seconds of a stretch session is acceptable; FULL would cost
        # an fsync per progress update.
        dbapi_connection.execute("PRAGMA synchronous = NORMAL")
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN")

    return Store(engine, "sqlite", where, None), current


def _sqlite_file_revision(path: Path, busy_timeout_ms: int) -> str | None:
    """The schema revision of an existing file, read through a read-only connection."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return None
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror}") from None
    # Without a WAL file no other connection is open, so 'immutable' reads the file as it is
    # and creates no side files; with one, 'mode=ro' reads committed WAL content as well.
    option = "mode=ro" if Path(f"{path}-wal").exists() else "immutable=1"
    uri = f"{path.resolve().as_uri()}?{option}"
    where = str(path)
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=busy_timeout_ms / 1000)
    except sqlite3.Error as error:
        raise classify_sqlite(where, error) from None
    try:
        connection.execute("PRAGMA page_count").fetchone()  # reads and checks the header
        tables = {
            str(row[0])
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if "alembic_version" not in tables:
            _refuse_foreign_tables(where, tables - {"sqlite_sequence"})
            return None
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error as error:
        raise classify_sqlite(where, error) from None
    finally:
        connection.close()
    return ",".join(str(row[0]) for row in rows) or None


def _open_postgresql(url: URL) -> tuple[Store, str | None]:
    host = url.host or str(url.query.get("host", "") or "the local socket")
    where = f"{host}:{url.port or 5432}/{url.database or ''}"
    engine = sa.create_engine(
        url, hide_parameters=True, pool_pre_ping=True, connect_args={"connect_timeout": 10}
    )
    store = Store(engine, "postgresql", where, url.password)
    try:
        with store.guard(), engine.connect() as connection:
            tables = set(sa.inspect(connection).get_table_names())
            current: str | None = None
            if "alembic_version" in tables:
                versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
                current = ",".join(str(v) for v in versions.scalars()) or None
            else:
                _refuse_foreign_tables(where, tables)
        migrate.check_revision(current)
    except BaseException:
        store.close()
        raise
    return store, current


def _refuse_foreign_tables(where: str, tables: set[str]) -> None:
    if tables:
        shown = ", ".join(sorted(tables)[:3])
        raise StoreError(
            f"{where} already holds tables that are not deskstretch's ({shown}); "
            "point deskstretch at a new database"
        )
