"""`deskstretch schedule`: list the break slots or export them.

Bad input is one line and an exit status, never a traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from helpers.support import CliRunner, Dirs

BERLIN = ("--tz", "Europe/Berlin", "--from", "2025-06-02")


def vevents(text: str) -> list[object]:
    return [c for c in Calendar.from_ical(text).walk() if c.name == "VEVENT"]


def test_export_writes_a_calendar_file(run_cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "breaks.ics"
    result = run_cli("schedule", "--ics", out, *BERLIN)
    assert result.exit_code == 0, result
    assert "Saved 16 repeating breaks for 14 days from Mon 02 Jun 2025" in result.stdout
    assert str(out) in result.stdout
    assert len(vevents(out.read_text(encoding="utf-8"))) == 16
    assert result.stderr == ""


def test_export_to_standard_output(run_cli: CliRunner) -> None:
    result = run_cli("schedule", "--ics", "-", "--days", "1", *BERLIN)
    assert result.exit_code == 0, result
    assert result.stdout.startswith("BEGIN:VCALENDAR")
    assert len(vevents(result.stdout)) == 16


def test_export_replaces_an_older_file(run_cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "breaks.ics"
    out.write_text("old", encoding="utf-8")
    assert run_cli("schedule", "--ics", out, *BERLIN).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


def test_without_a_file_it_lists_the_slots(run_cli: CliRunner) -> None:
    result = run_cli("schedule", *BERLIN)
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[0] == "Your breaks each week (Europe/Berlin):"
    assert lines[1].split() == ["09:30", "micro", "40", "s", "Mon-Fri"]
    assert lines[2].split() == ["10:00", "stretch", "3", "min", "Mon-Fri"]
    assert "deskstretch schedule --ics" in lines[-1]


def test_your_settings_are_used(run_cli: CliRunner, dirs: Dirs, tmp_path: Path) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    (dirs.config / "reminders.toml").write_text(
        '[working_hours]\nsaturday = "10:00-12:00"\n[micro]\nenabled = false\n', encoding="utf-8"
    )
    result = run_cli("schedule", *BERLIN)
    assert result.exit_code == 0, result
    assert [line.split()[0] for line in result.stdout.splitlines()[1:-1]] == ["11:00"]
    assert "Sat" in result.stdout


def test_a_broken_settings_file_warns_and_uses_the_defaults(
    run_cli: CliRunner, dirs: Dirs, tmp_path: Path
) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    (dirs.config / "reminders.toml").write_text("[micro]\nseconds = 5\n", encoding="utf-8")
    out = tmp_path / "breaks.ics"
    result = run_cli("schedule", "--ics", out, *BERLIN)
    assert result.exit_code == 0, result
    assert result.stderr_lines == [
        f"deskstretch: warning: {dirs.config / 'reminders.toml'}:2: micro.seconds: expected a "
        "whole number from 20 to 60, got 5 (using the default schedule)"
    ]
    assert len(vevents(out.read_text(encoding="utf-8"))) == 16


def test_nothing_to_export(run_cli: CliRunner, dirs: Dirs, tmp_path: Path) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    (dirs.config / "reminders.toml").write_text(
        "[micro]\nenabled = false\n[stretch]\nenabled = false\n", encoding="utf-8"
    )
    result = run_cli("schedule", "--ics", tmp_path / "x.ics", *BERLIN)
    assert result.exit_code == 1
    assert result.stderr_lines == [
        "deskstretch: error: no breaks to export: both break kinds are switched off in "
        "reminders.toml"
    ]
    assert not (tmp_path / "x.ics").exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--from", "2025-13-01"), "expected a date like 2025-06-02, got '2025-13-01'"),
        (("--from", "tomorrow"), "expected a date like"),
        (("--tz", "Mars/Olympus"), "no time zone called 'Mars/Olympus'"),
        (("--tz", "../../etc/passwd"), "no time zone called"),
        (("--days", "0"), "--days"),
        (("--days", "367"), "--days"),
        (("--days", "two"), "--days"),
    ],
)
def test_bad_options_are_usage_errors(
    run_cli: CliRunner, tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    result = run_cli("schedule", "--ics", tmp_path / "x.ics", *args)
    assert result.exit_code == 2, result
    assert words in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.ics").exists()


@pytest.mark.parametrize(
    ("where", "words"),
    [
        ("missing/breaks.ics", "no such folder"),
        (".", "is a folder; give a file name"),
    ],
)
def test_paths_that_cannot_be_written(
    run_cli: CliRunner, tmp_path: Path, where: str, words: str
) -> None:
    result = run_cli("schedule", "--ics", tmp_path / where, *BERLIN)
    assert result.exit_code == 1, result
    assert len(result.stderr_lines) == 1
    assert result.stderr_lines[0].startswith("deskstretch: error: ")
    assert words in result.stderr


def test_a_folder_that_refuses_writes(run_cli: CliRunner) -> None:
    # /proc refuses new files even for root, unlike a chmod-ed folder.
    result = run_cli("schedule", "--ics", "/proc/breaks.ics", *BERLIN)
    assert result.exit_code == 1, result
    assert len(result.stderr_lines) == 1
    assert result.stderr_lines[0].startswith(
        "deskstretch: error: /proc/breaks.ics: cannot write it"
    )


def test_the_zone_comes_from_the_computer_by_default(
    run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    result = run_cli("schedule", "--from", "2025-06-02")
    assert result.exit_code == 0, result
    assert "(America/New_York)" in result.stdout.splitlines()[0]


def test_an_unknown_computer_zone_asks_for_tz(
    run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deskstretch.system import timezone as localzone

    monkeypatch.setattr(localzone, "local_zone", lambda: None)
    result = run_cli("schedule", "--from", "2025-06-02")
    assert result.exit_code == 1
    assert result.stderr_lines == [
        "deskstretch: error: cannot tell your time zone; give it with --tz, e.g. --tz Europe/Berlin"
    ]


def test_registering_the_command_imports_nothing_heavy() -> None:
    code = (
        "import sys, deskstretch.cli.main as m; m.build_app(); "
        "print(sorted(n for n in ('icalendar', 'deskstretch.exports.ics') "
        "if n in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_command_is_listed_in_help(run_cli: CliRunner) -> None:
    result = run_cli("--help")
    assert "schedule" in result.stdout
