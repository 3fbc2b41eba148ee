"""Following a programme from the terminal: `programme start|status|stop`, and `deskstretch
start` playing today's session of the programme."""

from __future__ import annotations

from pathlib import Path

from helpers.support import CliRunner, FakeClock, flat


def test_status_without_a_programme_says_how_to_start_one(
    run_cli: CliRunner, screened: Path
) -> None:
    result = run_cli("programme", "status")
    assert result.exit_code == 0, result
    assert "not following a programme yet" in flat(result.stdout)
    assert "deskstretch programme start desk-back-6-weeks" in flat(result.stdout)


def test_start_shows_week_level_today_next_and_the_weeks_plan(
    run_cli: CliRunner, screened: Path
) -> None:
    result = run_cli("programme", "start", "desk-back-6-weeks")
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert "week 1 of 6" in text
    assert "Level 1 of 3: Gentle start." in text
    assert "Today: Quick hamstring stretch" in text
    assert "This week: 0 of 3 sessions done, and 6 short breaks a working day." in text
    assert "Next: You stay at level 1 next week: this level lasts at least 2 weeks." in text
    # Week 1 asks for the starting measures and offers its first lesson.
    assert "Week 1 check:" in text
    assert "deskstretch lesson why-hamstrings" in text
    # The plan spreads three sessions over the week, one a day at most.
    plan_rows = [line for line in result.stdout.splitlines() if "Quick hamstring" in line]
    assert len(plan_rows) >= 2


def test_an_unknown_programme_is_a_clear_error_and_nothing_is_started(
    run_cli: CliRunner, screened: Path
) -> None:
    result = run_cli("programme", "start", "desk-back-6-week")
    assert result.exit_code == 1
    assert "desk-back-6-weeks" in result.stderr  # the suggestion
    assert "not following a programme yet" in flat(run_cli("programme", "status").stdout)


def test_stop_ends_it_and_status_says_so(run_cli: CliRunner, screened: Path) -> None:
    assert run_cli("programme", "start", "desk-back-6-weeks").exit_code == 0
    stopped = run_cli("programme", "stop")
    assert stopped.exit_code == 0, stopped
    assert "Stopped 'desk-back-6-weeks'" in stopped.stdout
    assert "not following a programme yet" in flat(run_cli("programme", "status").stdout)
    again = run_cli("programme", "stop")
    assert "You are not following a programme." in again.stdout


def test_start_without_a_routine_plays_todays_session_of_the_programme(
    run_cli: CliRunner, screened: Path, fake_clock: FakeClock
) -> None:
    # Without a programme, the default routine plays; with one, today's session does.
    assert run_cli("programme", "start", "desk-back-6-weeks").exit_code == 0
    played = run_cli("start", "--plain", "--no-voice", "--no-checkin")
    assert played.exit_code == 0, played
    assert "Today's session in your programme: Quick hamstring stretch." in played.stdout
    status = flat(run_cli("programme", "status").stdout)
    assert "This week: 1 of 3 sessions done" in status
    # Level 1 plays its routines in turn: the next session is the other one.
    assert "Today: 5-minute seated break" in status


def test_after_the_last_week_status_gives_the_review_and_the_next_step(
    run_cli: CliRunner, screened: Path
) -> None:
    from datetime import UTC, datetime, timedelta

    from deskstretch.coach import Coach
    from deskstretch.config import Settings
    from deskstretch.core.records import CheckIn
    from deskstretch.store import repository as repo

    coach = Coach(Settings.from_env())
    started = datetime.now(UTC).astimezone(coach.local_tz()).date() - timedelta(days=42)
    coach.start_programme("desk-back-6-weeks", today=started)
    noon = datetime(started.year, started.month, started.day, 12, tzinfo=UTC)
    for day, back in ((0, 6), (1, 6), (2, 7), (38, 3), (39, 3), (40, 4)):
        at = noon + timedelta(days=day)
        repo.add_checkin(coach.store, CheckIn(id=f"c{day}", at=at, back_pain=back, leg_pain=0))
    result = run_cli("programme", "status")
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert "finished (6 weeks)" in text
    assert "Your review" in text
    assert "a real change for the better" in text
    # Better, but never moved past level 1 without sessions: repeat from the level reached.
    assert "Next step: Something changed for the better. You finished at level 1" in text
    assert "This week" not in text  # a finished programme has no week plan


def test_start_at_a_chosen_level(run_cli: CliRunner, screened: Path) -> None:
    result = run_cli("programme", "start", "desk-back-6-weeks", "--level", "2")
    assert result.exit_code == 0, result
    assert "Level 2 of 3" in flat(result.stdout)
    assert "Level 2 of 3" in flat(run_cli("programme", "status").stdout)


def test_a_level_the_programme_lacks_is_a_clear_error_and_nothing_is_started(
    run_cli: CliRunner, screened: Path
) -> None:
    result = run_cli("programme", "start", "desk-back-6-weeks", "--level", "4")
    assert result.exit_code == 1
    assert "--level: expected a level from 1 to 3" in flat(result.stderr)
    assert "got 4" in flat(result.stderr)
    assert "not following a programme yet" in flat(run_cli("programme", "status").stdout)
    zero = run_cli("programme", "start", "desk-back-6-weeks", "--level", "0")
    assert zero.exit_code != 0 and "--level" in flat(zero.stderr)
