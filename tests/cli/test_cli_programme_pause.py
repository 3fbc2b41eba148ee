"""The pain pause and the re-asked cauda equina questions, from the command line (issue #9 item 5).

Two worse days pause routines until the person says they have seen a clinician or feel back to
their usual (`deskstretch resume-programme`); re-asked cauda equina questions block `start`
until they are answered. Both are stored, so they hold in every new process.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.records import CheckIn, ProgrammeEventKind
from deskstretch.core.safety import CAUDA_EQUINA_IDS
from deskstretch.store import repository as repo
from helpers.support import CliRunner, FakeClock, flat

START = ("start", "hamstring-2min", "--plain", "--no-voice")


def add_back_pain(*readings: tuple[int, int]) -> None:
    """(days ago, back pain) check-ins, stored as another process would."""
    coach = Coach(Settings.from_env())
    now = datetime.now(UTC)
    for days, back in readings:
        repo.add_checkin(coach.store, CheckIn(f"c{days}", now - timedelta(days=days), back, None))
    coach.store.close()


def events() -> list[ProgrammeEventKind]:
    coach = Coach(Settings.from_env())
    kinds = [event.kind for event in repo.list_programme_events(coach.store)]
    coach.store.close()
    return kinds


@pytest.mark.parametrize("quiet_days", [3, 5, 20])
def test_pause_holds_after_days_without_a_check_in(
    run_cli: CliRunner, screened: Path, fake_clock: FakeClock, quiet_days: int
) -> None:
    add_back_pain((quiet_days + 2, 2), (quiet_days + 1, 3), (quiet_days, 5))
    result = run_cli(*START)
    assert result.exit_code == 3, result
    assert "paused" in result.stderr
    assert "deskstretch resume-programme --seen-clinician" in flat(result.stderr)
    assert result.played == []
    assert fake_clock.slept == 0


@pytest.mark.parametrize(
    ("option", "kind"),
    [
        ("--seen-clinician", ProgrammeEventKind.RESUMED_SEEN_CLINICIAN),
        ("--back-to-usual", ProgrammeEventKind.RESUMED_BACK_TO_USUAL),
    ],
)
def test_only_the_persons_choice_lifts_the_pause(
    run_cli: CliRunner, screened: Path, fake_clock: FakeClock, option: str, kind: str
) -> None:
    add_back_pain((6, 2), (5, 3), (4, 5), (1, 1))  # a better day since: still paused
    assert run_cli(*START).exit_code == 3
    lifted = run_cli("resume-programme", option)
    assert lifted.exit_code == 0, lifted
    assert "Routines are back" in lifted.stdout
    assert events() == [kind]
    started = run_cli(*START)
    assert started.exit_code == 0, started
    assert started.played[-1].endswith(" finished")


def test_resume_programme_needs_one_choice_and_a_pause(run_cli: CliRunner, screened: Path) -> None:
    neither = run_cli("resume-programme")
    assert neither.exit_code == 2, neither
    assert "--seen-clinician or --back-to-usual" in neither.stderr
    both = run_cli("resume-programme", "--seen-clinician", "--back-to-usual")
    assert both.exit_code == 2, both
    not_paused = run_cli("resume-programme", "--back-to-usual")
    assert not_paused.exit_code == 0, not_paused
    assert "not paused" in not_paused.stdout
    assert events() == []


def test_a_later_run_of_two_worse_days_pauses_again(
    run_cli: CliRunner, screened: Path, fake_clock: FakeClock
) -> None:
    add_back_pain((8, 2), (7, 3), (6, 5))
    assert run_cli("resume-programme", "--back-to-usual").exit_code == 0
    add_back_pain((0, 1))
    assert run_cli(*START).exit_code == 0
    assert run_cli("checkin", "--back", "2").exit_code == 0  # same day: not a new day
    coach = Coach(Settings.from_env())
    now = datetime.now(UTC)
    # Two new worse days after the resume (written with their own dates).
    repo.add_checkin(coach.store, CheckIn("tomorrow", now + timedelta(days=1), 3, None))
    repo.add_checkin(coach.store, CheckIn("after", now + timedelta(days=2), 4, None))
    assert coach.pain_plan(now + timedelta(days=2)).paused
    assert not coach.pain_plan(now + timedelta(days=1)).paused


# ----- the cauda equina questions asked again -------------------------------------------------


def make_questions_due(run_cli: CliRunner) -> None:
    assert run_cli("checkin", "--back", "2").exit_code == 0
    jump = run_cli("checkin", "--back", "6")  # up 4 points: the questions are asked again
    assert jump.exit_code == 0, jump
    assert "safety questions" in jump.stdout


def test_questions_due_block_start_until_answered(
    run_cli: CliRunner, screened: Path, fake_clock: FakeClock
) -> None:
    make_questions_due(run_cli)
    for _ in range(2):  # every new process sees it
        blocked = run_cli(*START)
        assert blocked.exit_code == 3, blocked
        assert "safety questions" in blocked.stderr
        assert "deskstretch check" in blocked.stderr
        assert blocked.played == []
    assert fake_clock.slept == 0
    # The whole questionnaire asks them too: all "no" answers them.
    assert run_cli("check", "--from", screened).exit_code == 0
    started = run_cli(*START)
    assert started.exit_code == 0, started
    assert started.played[-1].endswith(" finished")


def test_start_in_a_terminal_asks_the_questions_first_and_no_unlocks(
    run_cli: CliRunner, screened: Path, fake_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deskstretch.cli import play as session

    make_questions_due(run_cli)
    monkeypatch.setattr(session, "stdin_is_terminal", lambda: True)
    answers = "n\n" * len(CAUDA_EQUINA_IDS)
    started = run_cli(*START, stdin=answers)
    assert started.exit_code == 0, started
    assert "a few quick safety questions again" in started.stdout
    assert started.played[-1].endswith(" finished")
    assert events()[-1] is ProgrammeEventKind.QUESTIONS_ANSWERED
    assert run_cli(*START).exit_code == 0  # answered: not asked again


def test_a_yes_to_the_questions_locks_with_the_emergency_advice(
    run_cli: CliRunner, screened: Path, fake_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deskstretch.cli import play as session

    make_questions_due(run_cli)
    monkeypatch.setattr(session, "stdin_is_terminal", lambda: True)
    locked = run_cli(*START, stdin="y\n")
    assert locked.exit_code == 3, locked
    assert "emergency department" in flat(locked.output)
    assert locked.played == []
    again = run_cli(*START)
    assert again.exit_code == 3
    assert "Routines are locked for your safety" in again.stderr
    assert "emergency department" in flat(again.stderr)
    assert fake_clock.slept == 0
