"""The store read without SQLAlchemy: a SQLite URL's file, read-only connections, a few reads.

Standard library only, and importing it loads nothing else of the store, so the waiting reminder
service can read finished routines and stay small. ``store.db`` shares the URL parsing and the
read-only connection; everything that writes or needs the schema stays there.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

_SQLITE_PREFIXES = ("sqlite:///", "sqlite+pysqlite:///")


class LiteReadError(Exception):
    """sqlite3 could not open the file (``opened`` False) or read from it (``opened`` True).

    The message is sqlite3's own; it never carries SQL or parameters.
    """

    def __init__(self, error: sqlite3.Error, opened: bool) -> None:
        super().__init__(str(error))
        self.opened = opened


def sqlite_database(database_url: str) -> str | None:
    """The file of a ``sqlite:///path`` URL with nothing else in it, exactly as written.

    Anything else (in-memory, query options, %-escapes, other databases) returns None: only
    SQLAlchemy's URL parser reads those, and it would give the same path for the URLs accepted
    here.
    """
    for prefix in _SQLITE_PREFIXES:
        if database_url.startswith(prefix):
            database = database_url[len(prefix) :]
            if database in {"", ":memory:"} or any(c in database for c in "?%"):
                return None
            return database
    return None


def sqlite_file(database_url: str) -> Path | None:
    """The file of a plain ``sqlite:///path`` URL (``~`` expanded), or None for any other."""
    database = sqlite_database(database_url)
    return None if database is None else Path(database).expanduser()


def connect_read_only(
    path: Path | str, timeout_seconds: float, *, check_same_thread: bool = True
) -> sqlite3.Connection:
    """A connection that can never write, nor create the file: it reads committed WAL content
    too. Raises sqlite3.Error as sqlite3 does."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    return sqlite3.connect(
        uri, uri=True, timeout=timeout_seconds, check_same_thread=check_same_thread
    )


def stored_utc(value: object) -> datetime | None:
    """A stored timestamp as an aware UTC datetime: SQLAlchemy keeps naive UTC text in SQLite."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class SessionRow:
    """What the reminder service needs of a stored session."""

    routine_name: str
    status: str
    updated_at: datetime | None
    ended_at: datetime | None


def recent_sessions(
    path: Path, since: datetime, timeout_seconds: float = 2.0
) -> tuple[SessionRow, ...]:
    """Sessions completed at or after ``since``, and every session still in progress, from the
    SQLite file at ``path`` (none if there is no file yet). Raises LiteReadError when the file
    cannot be opened or read (not created yet, locked for long, or damaged)."""
    if not path.exists():
        return ()
    since_text = since.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    try:
        connection = connect_read_only(path, timeout_seconds)
    except sqlite3.Error as error:
        raise LiteReadError(error, opened=False) from None
    try:
        rows = connection.execute(
            "SELECT routine_name, status, updated_at, ended_at FROM sessions"
            " WHERE (status = 'completed' AND ended_at >= ?) OR status = 'in_progress'",
            (since_text,),
        ).fetchall()
    except sqlite3.Error as error:
        raise LiteReadError(error, opened=True) from None
    finally:
        connection.close()
    return tuple(
        SessionRow(str(name), str(status), stored_utc(updated), stored_utc(ended))
        for name, status, updated, ended in rows
    )
