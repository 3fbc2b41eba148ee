"""`deskstretch programme status` names the re-measure check (issue 11 item 4): each measure the
check week asks for, with the command that records it or "done", as Today does in the browser;
and `deskstretch score` asks with the wording the person keeps in their instruments folder."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.records import CheckIn
from deskstretch.store import repository as repo
from helpers.instrument_packs import keep_pack, rmdq_pack_text
from helpers.support import CliRunner, Dirs, flat

PROGRAMME = "desk-back-6-weeks"


def enrol(days_ago: int) -> Coach:
    coach = Coach(Settings.from_env())
    started = datetime.now(UTC).astimezone(coach.local_tz()).date() - timedelta(days=days_ago)
    coach.start_programme(PROGRAMME, today=started)
    repo.add_checkin(coach.store, CheckIn("c0", datetime.combine(started, time(12), UTC), 4, 0))
    return coach


def status(run_cli: CliRunner) -> str:
    result = run_cli("programme", "status")
    assert result.exit_code == 0, result
    return flat(result.stdout)


def test_status_lists_each_measure_with_its_command_or_done(
    run_cli: CliRunner, screened: Path
) -> None:
    enrol(0)
    text = status(run_cli)
    assert "Week 1 check:" in text
    assert "Rate your everyday activities: deskstretch psfs rate" in text
    assert "Rate your back and leg pain: done" in text
    assert "Measure your reach (the chair sit-and-reach): deskstretch measure sit-and-reach" in text
    assert "deskstretch score" not in text  # no questionnaire without the person's wording


def test_status_asks_for_a_kept_questionnaire_and_says_nothing_once_all_is_done(
    run_cli: CliRunner, screened: Path, dirs: Dirs
) -> None:
    keep_pack(dirs.config, "rmdq", rmdq_pack_text())
    coach = enrol(0)
    assert "Fill in the RMDQ questionnaire: deskstretch score rmdq" in status(run_cli)
    activity = coach.add_psfs_activity("Socks")
    coach.rate_psfs({activity.id: 4})
    assert run_cli("measure", "sit-and-reach", "--cm", "-2", "--leg", "left").exit_code == 0
    assert "Week 1 check:" in status(run_cli)  # the RMDQ is still to do
    answers = dirs.root / "rmdq-answers.toml"
    answers.write_text("[answers]\nrmdq01 = true\n", encoding="utf-8")
    assert run_cli("score", "rmdq", "--answers", answers).exit_code == 0
    assert "Week 1 check" not in status(run_cli)


def test_score_asks_with_the_kept_pack_or_says_where_to_keep_one(
    run_cli: CliRunner, dirs: Dirs
) -> None:
    without = run_cli("score", "rmdq")
    assert without.exit_code == 1
    assert str(dirs.config / "instruments" / "rmdq.toml") in flat(without.stdout)
    keep_pack(dirs.config, "rmdq", rmdq_pack_text())
    kept = run_cli("score", "rmdq")
    assert kept.exit_code == 1
    assert "Made-up notice for tests." in flat(kept.stdout)  # the kept pack's notice, first
    assert "Asking the questions needs a terminal" in kept.stderr
