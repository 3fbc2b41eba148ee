"""Opening the store: settings, SQLite pragmas, and clear errors that never damage the file."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from pathlib import Path

import pytest

from deskstretch.config import Settings
from deskstretch.store import (
    StoreBusyError,
    StoreCorruptError,
    StoreError,
    StoreUnreachableError,
    open_store,
)
from deskstretch.store import repository as repo
from helpers.local_server import free_port
from helpers.store_factories import make_checkin, make_session


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_settings_default_to_a_sqlite_file_in_the_data_folder(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"DESKSTRETCH_CONFIG_DIR": str(tmp_path / "c"), "DESKSTRETCH_DATA_DIR": str(tmp_path)}
    )
    assert settings.database_url == f"sqlite:///{tmp_path / 'deskstretch.sqlite3'}"

    chosen = Settings.from_env(
        {
            "DESKSTRETCH_CONFIG_DIR": str(tmp_path / "c"),
            "DESKSTRETCH_DATA_DIR": str(tmp_path),
            "DESKSTRETCH_DATABASE_URL": "postgresql://me@db.example/deskstretch",
        }
    )
    assert chosen.database_url == "postgresql://me@db.example/deskstretch"


def test_sqlite_store_creates_its_folder_and_sets_its_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "deskstretch.sqlite3"
    with open_store(f"sqlite:///{path}", busy_timeout_ms=1234) as store:
        assert path.exists()
        with store.engine.connect() as connection:
            pragmas = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
            }
    assert pragmas == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": 1,  # NORMAL
        "busy_timeout": 1234,
    }


def test_in_memory_sqlite_works_for_quick_experiments() -> None:
    with open_store("sqlite://") as store:
        repo.add_checkin(store, make_checkin())
        assert repo.list_checkins(store) == [make_checkin()]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "not valid"),
        ("mysql://u@h/db", "SQLite or PostgreSQL, not 'mysql'"),
    ],
)
def test_unusable_urls_are_clear_errors(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        open_store(url)


def test_random_bytes_are_reported_as_damaged_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "deskstretch.sqlite3"
    path.write_bytes(os.urandom(8192))
    before = _sha256(path)

    with pytest.raises(StoreCorruptError) as caught:
        open_store(f"sqlite:///{path}")

    message = caught.value.message
    assert str(path) in message and "not a database" in message
    assert "backup" in message and "move it aside" in message
    assert _sha256(path) == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_truncated_database_is_reported_as_damaged_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "deskstretch.sqlite3"
    with open_store(f"sqlite:///{path}") as store:
        for number in range(300):
            repo.add_checkin(store, make_checkin(f"c{number}", note="x" * 200))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = _sha256(path)

    with pytest.raises(StoreCorruptError, match="malformed"):
        open_store(f"sqlite:///{path}")

    assert _sha256(path) == before


def test_a_write_lock_held_too_long_is_a_busy_error(tmp_path: Path) -> None:
    path = tmp_path / "deskstretch.sqlite3"
    with open_store(f"sqlite:///{path}", busy_timeout_ms=200) as store:
        repo.add_checkin(store, make_checkin())
        other = sqlite3.connect(path, isolation_level=None)
        try:
            other.execute("BEGIN EXCLUSIVE")
            other.execute("DELETE FROM checkins")
            began = time.monotonic()
            with pytest.raises(StoreBusyError, match=r"database is busy \(another deskstretch"):
                repo.start_session(store, make_session())
            waited = time.monotonic() - began
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert 0.15 <= waited < 3.0
        assert repo.list_checkins(store) == [make_checkin()]  # reads never waited
        repo.start_session(store, make_session())  # and writing works once the lock is gone
        assert repo.counts(store)["sessions"] == 1


def test_unreachable_postgresql_names_the_host_but_not_the_password() -> None:
    port = free_port()  # nothing listens there
    url = f"postgresql://deskstretch:s3cret-pw@127.0.0.1:{port}/deskstretch"

    with pytest.raises(StoreUnreachableError) as caught:
        open_store(url)

    message = caught.value.message
    assert f"127.0.0.1:{port}/deskstretch" in message
    assert "s3cret-pw" not in message and "s3cret-pw" not in repr(caught.value.args)


def test_errors_after_opening_are_store_errors_too(tmp_path: Path) -> None:
    path = tmp_path / "deskstretch.sqlite3"
    with open_store(f"sqlite:///{path}") as store:
        repo.add_checkin(store, make_checkin())
        store.engine.dispose()  # close pooled connections, then damage the file under us
        path.write_bytes(b"\0" * 100 + path.read_bytes()[100:])
        for side in tmp_path.glob("deskstretch.sqlite3-*"):
            side.unlink()
        with pytest.raises(StoreError, match=str(path)):
            repo.list_checkins(store)
