"""reminders.inputs: the service's reader of finished routines, through store.lite."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskstretch.core.records import SessionStatus
from deskstretch.core.schedule import EventKind
from deskstretch.reminders.inputs import SessionReader
from deskstretch.store import open_store
from deskstretch.store import repository as repo
from helpers.store_factories import make_session

NOW = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)


def test_finished_routines_are_done_events_and_an_open_one_is_playing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ds.sqlite3'}"
    with open_store(url) as store:
        repo.start_session(store, make_session("done", NOW - timedelta(hours=1)))
        repo.finish_session(store, "done", SessionStatus.COMPLETED, NOW - timedelta(minutes=50))
        repo.start_session(
            store, make_session("open", NOW - timedelta(minutes=3), routine_name="Neck")
        )
    facts = SessionReader(url).read(NOW)
    assert [(event.kind, event.at) for event in facts.done] == [
        (EventKind.DONE, NOW - timedelta(minutes=50))
    ]
    assert facts.done[0].note.startswith("finished the routine ")
    assert facts.playing == "Neck"
    assert SessionReader(url).read(NOW + timedelta(minutes=30)).playing is None  # gone stale


def test_a_store_without_sessions_is_logged_as_info_and_reads_as_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "ds.sqlite3"
    sqlite3.connect(path).close()
    with caplog.at_level(logging.INFO, logger="deskstretch.reminders.inputs"):
        facts = SessionReader(f"sqlite:///{path}").read(NOW)
    assert facts.done == () and facts.playing is None
    assert [(r.levelno, r.getMessage().split(":")[0]) for r in caplog.records] == [
        (logging.INFO, f"cannot read finished routines from {path}")
    ]


def test_a_store_that_cannot_be_opened_is_logged_as_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "ds.sqlite3"
    path.mkdir()
    with caplog.at_level(logging.INFO, logger="deskstretch.reminders.inputs"):
        facts = SessionReader(f"sqlite:///{path}").read(NOW)
    assert facts.done == ()
    assert [r.levelno for r in caplog.records] == [logging.WARNING]


def test_other_databases_are_not_read(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="deskstretch.reminders.inputs"):
        reader = SessionReader("postgresql+psycopg://me@localhost/ds")
    assert reader.path is None
    assert reader.read(NOW).done == ()
    assert "only SQLite files are" in caplog.text
