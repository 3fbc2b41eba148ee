"""Opening the database: checks that write nothing, engine set-up, and automatic migrations.

SQLite (one file in the data folder) is the default; PostgreSQL works through psycopg 3.
Every failure becomes a one-line StoreError; a damaged or newer database is left untouched.

SQLAlchemy is imported only when it is needed. Opening an up-to-date SQLite file and reading from
it (``Store.snapshot``) use the standard library's sqlite3 alone, so read-only commands such as
``deskstretch progress`` start fast; the engine is built the first time something writes.
Past 400 lines because the checks that open a file without writing to it (version, damage,
locks) must run before SQLAlchemy exists, and each names its own failure for the person.
"""

from __future__ import annotations

import gc
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from deskstretch.core import extras
from deskstretch.store import migrate
from deskstretch.store.db_errors import (
    StoreError,
    classify_postgresql,
    classify_sqlite,
    first_line,
)
from deskstretch.store.lite import connect_read_only, sqlite_database
from deskstretch.system.filemodes import create_private_file, make_private, make_private_dirs

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection, Engine
    from sqlalchemy.orm import Session

Backend = Literal["sqlite", "postgresql"]
DEFAULT_BUSY_TIMEOUT_MS = 5000
_BEGIN_OPTION = "deskstretch_sqlite_begin"

Rows: TypeAlias = Callable[[str, Mapping[str, Any]], Sequence[Sequence[Any]]]
"""Runs one SELECT (``:name`` parameters) in a snapshot and returns its rows as plain tuples."""


class Store:
    """An open database: a shared engine plus short read and write transactions.

    Build one per process with :func:`open_store` and pass it down; close it when done.
    """

    def __init__(
        self,
        make_engine: Callable[[], Engine],
        backend: Backend,
        where: str,
        secret: str | None,
        *,
        sqlite_file: str | None = None,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ) -> None:
        self.backend: Backend = backend
        self.where = where
        """The file path, or host:port/database for PostgreSQL (never the password)."""
        self._secret = secret
        self._make_engine = make_engine
        self._engine: Engine | None = None
        self._write_engine: Engine | None = None
        self._lock = threading.Lock()
        self._sqlite_file = sqlite_file
        """Set for a plain SQLite file: snapshots then read it with sqlite3, without SQLAlchemy."""
        self._busy_timeout_ms = busy_timeout_ms
        self._writes = 0
        """Write transactions committed through this Store (part of data_version)."""
        self._version_connection: sqlite3.Connection | None = None

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, built (and SQLAlchemy imported) on first use."""
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = self._make_engine()
                engine = self._engine
        return engine

    @property
    def write_engine(self) -> Engine:
        # SQLite write transactions take the write lock at BEGIN (IMMEDIATE): waiting for it is
        # covered by busy_timeout, whereas upgrading a read lock mid-transaction fails at once.
        write_engine = self._write_engine
        if write_engine is None:
            write_engine = self.engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
            self._write_engine = write_engine
        return write_engine

    @contextmanager
    def snapshot(self) -> Iterator[Rows]:
        """A read transaction (one consistent snapshot) that returns plain rows, no ORM.

        On a SQLite file this is a short-lived sqlite3 connection, set up like the engine's; on
        PostgreSQL (and in-memory SQLite) a connection from the engine. The cyclic garbage
        collector waits while the block runs (see _collector_paused).
        """
        with _collector_paused(), self.guard():
            if self._sqlite_file is not None:
                with _sqlite_snapshot(self._sqlite_file, self._busy_timeout_ms) as rows:
                    yield rows
                return
            import sqlalchemy as sa

            with self.engine.connect() as connection, connection.begin():

                def rows(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
                    return connection.execute(sa.text(sql), params).all()

                yield rows

    def data_version(self) -> tuple[int, int] | None:
        """A token that changes whenever anyone commits to the database, or None if unknown.

        For a SQLite file this is SQLite's ``PRAGMA data_version`` on one long-lived read-only
        connection: it changes when any other connection, in this process or another (the CLI,
        the reminder service), commits. Writes through this Store are counted too. Callers cache
        derived results under this token; None (PostgreSQL, in-memory SQLite) means "do not cache".
        """
        if self._sqlite_file is None:
            return None
        with self._lock, self.guard():
            if self._version_connection is None:
                self._version_connection = connect_read_only(
                    self._sqlite_file, self._busy_timeout_ms / 1000, check_same_thread=False
                )
            row = self._version_connection.execute("PRAGMA data_version").fetchone()
            return (self._writes, int(row[0]))

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read transaction (one consistent snapshot) as an ORM session, errors translated."""
        from sqlalchemy.orm import Session

        with (
            self.guard(),
            Session(self.engine, autoflush=False, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction, committed when the block ends (and durable once it returns)."""
        from sqlalchemy.orm import Session

        with (
            self.guard(),
            Session(self.write_engine, autoflush=False, expire_on_commit=False) as session,
        ):
            try:
                with session.begin():
                    yield session
            finally:
                # Counted even when the commit fails: a spurious change only costs a cache miss.
                self._writes += 1

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Turn driver and SQLAlchemy errors raised inside the block into StoreError."""
        try:
            yield
        except StoreError:
            raise
        except sqlite3.Error as error:
            raise self.translate(error) from error
        except Exception as error:
            sa_exc = _sqlalchemy_exc()
            if sa_exc is not None and isinstance(error, sa_exc.SQLAlchemyError):
                raise self.translate(error) from error
            raise

    def translate(self, error: BaseException) -> StoreError:
        cause: BaseException = error
        sa_exc = _sqlalchemy_exc()
        if sa_exc is not None and isinstance(error, sa_exc.DBAPIError):
            cause = error if error.orig is None else error.orig
        elif (
            sa_exc is not None
            and isinstance(error, sa_exc.StatementError)
            and error.orig is not None
        ):
            # Raised by our own code while preparing a statement (e.g. a naive timestamp).
            return StoreError(f"cannot store this: {first_line(error.orig)}")
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
        if self._engine is not None:
            self._engine.dispose()
        with self._lock:
            if self._version_connection is not None:
                self._version_connection.close()
                self._version_connection = None

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
    database = sqlite_database(url)
    if database is not None:
        store, current = _open_sqlite(database, None, busy_timeout_ms)
    else:
        parsed = _parse_url(url)
        if parsed.get_backend_name() == "sqlite":
            store, current = _open_sqlite(parsed.database or "", parsed, busy_timeout_ms)
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
    import sqlalchemy as sa
    from sqlalchemy import exc as sa_exc

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
        extras.require(extras.POSTGRES)  # psycopg is the optional 'postgres' part
        return parsed.set(drivername="postgresql+psycopg")
    raise StoreError(f"deskstretch stores data in SQLite or PostgreSQL, not '{backend}'")


def _configure_sqlite(dbapi_connection: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """Settings for every SQLite connection, the engine's and the snapshots' alike."""
    # We emit BEGIN ourselves: sqlite3's own transaction handling skips BEGIN for reads and DDL,
    # which breaks snapshots and transactional migrations.
    dbapi_connection.isolation_level = None
    dbapi_connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    dbapi_connection.execute("PRAGMA journal_mode = WAL")
    # In WAL mode NORMAL syncs at checkpoints, not at every commit: a committed transaction
    # survives the process being killed (kill -9, crash) because it is already in the WAL file in
    # the OS cache. A power cut or OS crash may lose the last few commits (never corrupt the
    # file). Losing seconds of a stretch session is acceptable; FULL would cost an fsync per
    # progress update.
    dbapi_connection.execute("PRAGMA synchronous = NORMAL")
    dbapi_connection.execute("PRAGMA foreign_keys = ON")


@contextmanager
def _sqlite_snapshot(path: str, busy_timeout_ms: int) -> Iterator[Rows]:
    """A read transaction on its own sqlite3 connection, closed at the end of the block."""
    connection = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, check_same_thread=False)
    try:
        _configure_sqlite(connection, busy_timeout_ms)
        connection.execute("BEGIN")

        def rows(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
            return connection.execute(sql, params).fetchall()

        yield rows
        connection.execute("COMMIT")
    finally:
        connection.close()  # an unfinished transaction is rolled back


def _open_sqlite(database: str, url: URL | None, busy_timeout_ms: int) -> tuple[Store, str | None]:
    """``url`` is None for a plain file URL (see lite.sqlite_database): nothing imports SQLAlchemy
    until the engine is first needed."""
    memory = database in {"", ":memory:"}
    current: str | None = None
    if memory:
        where = ":memory:"
    else:
        path = Path(database).expanduser()
        try:
            make_private_dirs(path.parent)
        except OSError as error:
            raise StoreError(f"cannot create the folder {path.parent}: {error.strerror}") from None
        _make_private_database(path)
        where = str(path)
        # Look before anything can write: a damaged, foreign or newer file stays as it is.
        current = _sqlite_file_revision(path, busy_timeout_ms)
        migrate.check_revision(current)

    def make_engine() -> Engine:
        import sqlalchemy as sa
        from sqlalchemy import event
        from sqlalchemy.pool import StaticPool

        if url is None:
            engine_url = sa.URL.create("sqlite+pysqlite", database=where)
        else:
            engine_url = url if memory else url.set(database=where)
        engine = sa.create_engine(
            engine_url,
            hide_parameters=True,
            poolclass=StaticPool if memory else None,
            connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            _configure_sqlite(dbapi_connection, busy_timeout_ms)

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
            connection.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN")

        return engine

    # Snapshots read the file directly unless the URL carried connection options.
    plain_file = not memory and (url is None or not url.query)
    store = Store(
        make_engine,
        "sqlite",
        where,
        None,
        sqlite_file=where if plain_file else None,
        busy_timeout_ms=busy_timeout_ms,
    )
    return store, current


def _make_private_database(path: Path) -> None:
    """Create the file 0600 before SQLite does (it would use 0644), and take group and other
    access off an existing one and its side files. SQLite gives the -wal, -shm and -journal
    files it creates the database file's own mode, so they are private too."""
    try:
        create_private_file(path)
    except OSError as error:
        raise StoreError(f"cannot create {path}: {error.strerror}") from None
    for suffix in ("", "-wal", "-shm", "-journal"):
        make_private(path.with_name(path.name + suffix))


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
    import sqlalchemy as sa

    host = url.host or str(url.query.get("host", "") or "the local socket")
    where = f"{host}:{url.port or 5432}/{url.database or ''}"
    engine = sa.create_engine(
        url, hide_parameters=True, pool_pre_ping=True, connect_args={"connect_timeout": 10}
    )
    store = Store(lambda: engine, "postgresql", where, url.password)
    try:
        with store.guard(), store.engine.connect() as connection:
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


class _CollectorPause:
    """Keeps the cyclic garbage collector off while blocks turn many rows into records.

    Records hold no reference cycles, so reference counting frees them; but every few hundred
    new objects start a collection, and the full ones walk every object in the process again and
    again while the lists grow (a third of the time of reading years of history, more in a large
    process such as a server). Nested and concurrent blocks are counted: the last one out turns
    the collector back on, if it was on before the first one came in.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._was_enabled = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._was_enabled:
                    gc.enable()


_collector_paused = _CollectorPause()


def _sqlalchemy_exc() -> Any:
    """``sqlalchemy.exc`` if SQLAlchemy is loaded: only SQLAlchemy raises its own errors."""
    return sys.modules.get("sqlalchemy.exc")


def _refuse_foreign_tables(where: str, tables: set[str]) -> None:
    if tables:
        shown = ", ".join(sorted(tables)[:3])
        raise StoreError(
            f"{where} already holds tables that are not deskstretch's ({shown}); "
            "point deskstretch at a new database"
        )
