"""Store errors: one line a person can act on, translated from driver errors (never a traceback).

Messages never carry SQL, parameters or passwords; they name the file or the server instead.
"""

from __future__ import annotations

from deskstretch.core.errors import DeskstretchError


class StoreError(DeskstretchError):
    """The database could not be opened, read or written."""


class StoreBusyError(StoreError):
    """Another process held the write lock for longer than the busy timeout."""

    def __init__(self) -> None:
        super().__init__("database is busy (another deskstretch is writing?) — try again")


class StoreCorruptError(StoreError):
    """The SQLite file is not a database or is damaged; it is left exactly as it was."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(
            f"{path} is damaged ({detail}); deskstretch left it untouched — restore it from a "
            "backup, or move it aside to start a fresh database"
        )
        self.path = path


class StoreTooNewError(StoreError):
    """The database schema comes from a newer deskstretch; it is left untouched."""

    def __init__(self, revision: str) -> None:
        super().__init__(
            f"this database was written by a newer version of deskstretch (schema {revision}); "
            "please upgrade deskstretch"
        )
        self.revision = revision


class StoreUnreachableError(StoreError):
    """The PostgreSQL server could not be reached or refused the connection."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"cannot connect to the PostgreSQL server at {where}: {detail}")
        self.where = where


def first_line(error: BaseException) -> str:
    """The first non-empty line of an error's text, without a trailing full stop."""
    for line in str(error).splitlines():
        if line.strip():
            return line.strip().rstrip(".")
    return type(error).__name__


def classify_sqlite(path: str, error: BaseException) -> StoreError:
    """Map a sqlite3 error (or its message) to the StoreError a person can act on."""
    text = first_line(error)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return StoreBusyError()
    if "not a database" in lowered or "malformed" in lowered or "disk image" in lowered:
        return StoreCorruptError(path, text)
    if "unable to open" in lowered:
        return StoreError(
            f"cannot open the database {path}: check the folder exists and you may write to it"
        )
    if "readonly" in lowered or "read-only" in lowered:
        return StoreError(f"the database {path} is read-only: check its permissions")
    if "unique constraint" in lowered:
        return StoreError(f"a record with this id is already stored ({text})")
    if "check constraint" in lowered:
        return StoreError(f"a value is out of range ({text})")
    if "full" in lowered:
        return StoreError(f"the disk holding {path} is full: free some space and try again")
    return StoreError(f"database error in {path}: {text}")


def classify_postgresql(where: str, error: BaseException, secret: str | None) -> StoreError:
    """Map a psycopg error to a StoreError; ``secret`` (the password) is scrubbed from the text."""
    text = first_line(error)
    if secret:
        text = text.replace(secret, "***")
    sqlstate = getattr(error, "sqlstate", None)
    from_driver = type(error).__module__.startswith("psycopg")
    if (from_driver and sqlstate is None) or str(sqlstate)[:2] in {"08", "28", "3D"}:
        # No SQLSTATE: the failure happened before a server reply. 08 connection exception,
        # 28 authorization, 3D unknown database: all mean "could not connect" to a person.
        return StoreUnreachableError(where, text)
    if sqlstate in {"55P03", "40P01", "40001"}:  # lock not available, deadlock, serialization
        return StoreBusyError()
    if sqlstate == "23505":
        return StoreError(f"a record with this id is already stored ({text})")
    if sqlstate == "23514":
        return StoreError(f"a value is out of range ({text})")
    return StoreError(f"database error on {where}: {text}")
