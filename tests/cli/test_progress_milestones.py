"""`deskstretch progress` ends with this week's recap and the milestones reached (issue 11 item
5): finished sessions only, and nothing at all before the first one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.records import SessionStatus
from deskstretch.store import repository as repo
from helpers.store_factories import make_session, make_step
from helpers.support import CliRunner, flat


def save_session(status: SessionStatus, days_ago: int) -> None:
    coach = Coach(Settings.from_env())
    start = datetime.now(UTC) - timedelta(days=days_ago, minutes=10)
    record = make_session(f"s{days_ago}-{status}", start, steps=(make_step(0, 120.0),))
    repo.start_session(coach.store, record)
    repo.finish_session(coach.store, record.id, status, start + timedelta(minutes=3))
    coach.store.close()


def test_no_milestones_before_a_finished_session(run_cli: CliRunner, screened: Path) -> None:
    save_session(SessionStatus.INTERRUPTED, 0)
    text = flat(run_cli("progress").stdout)
    assert "Milestones" not in text
    assert "First session" not in text


def test_progress_shows_the_recap_and_the_first_session(run_cli: CliRunner, screened: Path) -> None:
    save_session(SessionStatus.COMPLETED, 0)
    result = run_cli("progress")
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert "This week so far" in text
    assert "This week: 1 session done." in text
    assert "Milestones" in text
    assert "First session" in text
    assert "Next week:" in text
