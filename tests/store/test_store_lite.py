"""store.lite: the standard-library reader the reminder service uses, on a real SQLite store."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskstretch.core.records import SessionStatus
from deskstretch.store import lite, open_store
from deskstretch.store import repository as repo
from helpers.store_factories import T0, make_session


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////data/deskstretch.sqlite3", "/data/deskstretch.sqlite3"),
        ("sqlite+pysqlite:///relative.sqlite3", "relative.sqlite3"),
        ("sqlite:///~/ds.sqlite3", "~/ds.sqlite3"),
        ("sqlite:///", None),
        ("sqlite:///:memory:", None),
        ("sqlite:////data/ds.sqlite3?timeout=3", None),
        ("sqlite:////data/my%20ds.sqlite3", None),
        ("postgresql+psycopg://me@localhost/ds", None),
    ],
)
def test_sqlite_database_takes_plain_file_urls_only(url: str, expected: str | None) -> None:
    assert lite.sqlite_database(url) == expected


def test_sqlite_file_expands_the_home_folder() -> None:
    assert lite.sqlite_file("sqlite:///~/ds.sqlite3") == Path.home() / "ds.sqlite3"
    assert lite.sqlite_file("sqlite:///:memory:") is None


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2025-03-04 08:30:15.123456", datetime(2025, 3, 4, 8, 30, 15, 123456, tzinfo=UTC)),
        ("2025-03-04T09:30:15+01:00", datetime(2025, 3, 4, 8, 30, 15, tzinfo=UTC)),
        ("", None),
        ("yesterday", None),
        (None, None),
        (20250304, None),
    ],
)
def test_stored_utc_reads_sqlalchemys_naive_utc_text(
    stored: object, expected: datetime | None
) -> None:
    assert lite.stored_utc(stored) == expected


def test_recent_sessions_reads_completed_ones_in_the_window_and_open_ones(
    sqlite_url: str,
) -> None:
    with open_store(sqlite_url) as store:
        for session_id, started, status in (
            ("old", T0 - timedelta(days=3), SessionStatus.COMPLETED),
            ("recent", T0 - timedelta(hours=2), SessionStatus.COMPLETED),
            ("quit", T0 - timedelta(hours=1), SessionStatus.PARTIAL),
            ("open", T0 - timedelta(minutes=5), SessionStatus.IN_PROGRESS),
        ):
            repo.start_session(store, make_session(session_id, started, routine_name=session_id))
            if status is not SessionStatus.IN_PROGRESS:
                repo.finish_session(store, session_id, status, started + timedelta(minutes=2))
    path = lite.sqlite_file(sqlite_url)
    assert path is not None
    rows = lite.recent_sessions(path, T0 - timedelta(days=1))
    by_name = {row.routine_name: row for row in rows}
    assert sorted(by_name) == ["open", "recent"]
    assert by_name["recent"].status == "completed"
    assert by_name["recent"].ended_at == T0 - timedelta(hours=2) + timedelta(minutes=2)
    assert by_name["open"].status == "in_progress"
    assert by_name["open"].updated_at == T0 - timedelta(minutes=5)
    assert by_name["open"].ended_at is None


def test_recent_sessions_of_no_file_is_empty(tmp_path: Path) -> None:
    assert lite.recent_sessions(tmp_path / "none.sqlite3", T0) == ()
    assert not (tmp_path / "none.sqlite3").exists()


def test_recent_sessions_says_whether_the_file_opened(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()  # a database without the sessions table
    with pytest.raises(lite.LiteReadError, match="no such table") as read:
        lite.recent_sessions(empty, T0)
    assert read.value.opened is True
    folder = tmp_path / "folder.sqlite3"
    folder.mkdir()
    with pytest.raises(lite.LiteReadError) as opening:
        lite.recent_sessions(folder, T0)
    assert opening.value.opened is False


def test_connect_read_only_cannot_write_nor_create(tmp_path: Path) -> None:
    path = tmp_path / "ds.sqlite3"
    with sqlite3.connect(path) as writer:
        writer.execute("CREATE TABLE t (x INTEGER)")
    writer.close()
    connection = lite.connect_read_only(path, 1.0)
    try:
        assert connection.execute("SELECT count(*) FROM t").fetchone() == (0,)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            connection.execute("INSERT INTO t VALUES (1)")
    finally:
        connection.close()
    with pytest.raises(sqlite3.OperationalError):
        lite.connect_read_only(tmp_path / "missing.sqlite3", 1.0)
    assert not (tmp_path / "missing.sqlite3").exists()


def test_importing_lite_loads_only_the_standard_library() -> None:
    """What keeps the waiting reminder service small: no SQLAlchemy, nothing else of the store."""
    code = (
        "import sys, deskstretch.store.lite\n"
        "assert 'sqlalchemy' not in sys.modules\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] not in sys.stdlib_module_names"
        " and n != '__main__'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['deskstretch', 'deskstretch.store', 'deskstretch.store.lite']"


def test_the_store_package_loads_its_names_on_first_use() -> None:
    import deskstretch.store as store_package
    from deskstretch.store.db import Store
    from deskstretch.store.db_errors import StoreError

    assert store_package.Store is Store
    assert store_package.StoreError is StoreError
    with pytest.raises(AttributeError, match="no attribute 'Stor'"):
        _ = store_package.Stor
