"""Store.data_version: the token that lets the Coach keep a summary until the data changes.

It must change for every commit, whichever process or connection made it, and the Coach's
cached progress summary must never show stale data after one.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from store_factories import make_checkin, make_session

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.records import CheckIn, SessionStatus
from deskstretch.store import open_store
from deskstretch.store import repository as repo


def test_data_version_is_unknown_for_postgresql_and_memory(postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        assert store.data_version() is None
    with open_store("sqlite://") as store:
        assert store.data_version() is None


def test_data_version_stays_while_nothing_is_written(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        repo.add_checkin(store, make_checkin("a", session_id=None))
        first = store.data_version()
        repo.list_checkins(store)
        assert first is not None
        assert store.data_version() == first


def test_data_version_changes_on_a_write_through_this_store(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        before = store.data_version()
        repo.add_checkin(store, make_checkin("a", session_id=None))
        assert store.data_version() != before


def test_data_version_changes_on_a_commit_from_another_process(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        repo.add_checkin(store, make_checkin("a", session_id=None))
        before = store.data_version()
        path = sqlite_url.removeprefix("sqlite:///")
        script = (
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('UPDATE checkins SET note = ? ', ('changed elsewhere',)); c.commit()"
        )
        subprocess.run([sys.executable, "-c", script, path], check=True)
        assert store.data_version() != before
        assert repo.list_checkins(store)[0].note == "changed elsewhere"


def _settings(tmp_path: Path) -> Settings:
    return Settings(config_dir=tmp_path / "config", data_dir=tmp_path / "data")


def test_coach_summary_sees_a_checkin_written_by_another_store(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    coach = Coach(settings)
    now = datetime.now(UTC)
    assert coach.progress_summary(now).pain.back.latest is None
    # Another process (the CLI, say) writes through its own Store.
    with open_store(settings.database_url) as other:
        repo.add_checkin(other, CheckIn("elsewhere", now - timedelta(minutes=1), 4, None))
    assert coach.progress_summary(now).pain.back.latest == 4


def test_coach_summary_is_reused_until_something_changes(tmp_path: Path) -> None:
    coach = Coach(_settings(tmp_path))
    now = datetime.now(UTC)
    first = coach.progress_summary(now)
    assert coach.progress_summary(now) is first
    coach.check_in(3, None)
    assert coach.progress_summary(now) is not first
    assert coach.progress_summary(now).pain.back.latest == 3


def test_coach_summary_follows_the_local_date(tmp_path: Path) -> None:
    coach = Coach(_settings(tmp_path))
    now = datetime.now(UTC)
    today = coach.progress_summary(now)
    tomorrow = coach.progress_summary(now + timedelta(days=1))
    assert tomorrow is not today
    assert tomorrow.today == today.today + timedelta(days=1)


def test_coach_pain_plan_sees_a_worse_day_written_elsewhere(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    coach = Coach(settings)
    now = datetime.now(UTC)
    assert coach.pain_plan().volume_step == 0
    with open_store(settings.database_url) as other:
        repo.add_checkin(other, CheckIn("day-before", now - timedelta(days=2), 2, None))
        repo.add_checkin(other, CheckIn("yesterday", now - timedelta(days=1), 2, None))
        repo.add_checkin(other, CheckIn("today", now, 6, None))
    assert coach.pain_plan().volume_step == 1


def test_pain_plan_from_the_summary_read_equals_the_windowed_read(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    now = datetime.now(UTC)
    with open_store(settings.database_url) as store:
        # Old readings (outside the 14-day window) that would change the answer if counted.
        for days, back in ((40, 9), (30, 1), (3, 2), (2, 2), (1, 4), (0, 7)):
            repo.add_checkin(store, CheckIn(f"c{days}", now - timedelta(days=days), back, None))
        # A session that was too much, a month ago: outside the window, so no "easier" now.
        old_start = now - timedelta(days=30)
        repo.start_session(store, make_session("old", old_start))
        repo.finish_session(store, "old", SessionStatus.COMPLETED, old_start + timedelta(minutes=3))
        repo.mark_too_much(store, "old")
    direct = Coach(settings).pain_plan()
    via_summary = Coach(settings)
    via_summary.progress_summary()
    assert via_summary.pain_plan() == direct
    assert direct.paused  # two worse days in a row
    assert not direct.easier_next  # the old session is outside the window
    everything = Coach(settings)
    assert everything.progress_summary().plan.easier_next  # ...but not outside the summary's
