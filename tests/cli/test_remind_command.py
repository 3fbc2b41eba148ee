"""``deskstretch remind``: status, pause, resume, skip, install/uninstall and the foreground run."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskstretch.core.safety import SCREENING_VERSION
from deskstretch.core.schedule import BreakEvent, BreakKind, EventKind
from deskstretch.reminders import autostart
from deskstretch.reminders.autostart import AutostartStatus
from deskstretch.reminders.breaklog import BreakLog
from deskstretch.reminders.control import parse_duration
from deskstretch.reminders.desktop import busy, idle
from deskstretch.reminders.desktop.busy import Busy
from deskstretch.reminders.desktop.idle import NoIdleMonitor
from deskstretch.reminders.lock import ServiceLock
from helpers.support import CliRunner, Dirs, answers_toml


@pytest.fixture(autouse=True)
def quiet_desktop(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No real desktop queries or autostart files: fakes that record what was asked."""
    calls: list[str] = []

    def fake_status(*args: object, **kwargs: object) -> AutostartStatus:
        calls.append("status")
        return AutostartStatus(False, "none", None, None, "Not set up to start by itself.")

    def fake_install(python: str, *args: object, **kwargs: object) -> AutostartStatus:
        calls.append(f"install {python}")
        unit = Path("/home/me/.config/systemd/user/deskstretch-reminders.service")
        return AutostartStatus(True, "systemd", unit, True, "Installed as a systemd user unit.")

    def fake_uninstall(*args: object, **kwargs: object) -> AutostartStatus:
        calls.append("uninstall")
        return AutostartStatus(False, "none", None, False, "Removed; reminders stopped.")

    monkeypatch.setattr(autostart, "status", fake_status)
    monkeypatch.setattr(autostart, "install", fake_install)
    monkeypatch.setattr(autostart, "uninstall", fake_uninstall)
    monkeypatch.setattr(idle, "detect_idle_monitor", lambda *a, **k: NoIdleMonitor())
    monkeypatch.setattr(busy, "detect_busy", lambda *a, **k: None)
    return calls


def journal(dirs: Dirs) -> BreakLog:
    return BreakLog.in_folder(dirs.data)


def screen(dirs: Dirs, yes: tuple[str, ...] = ()) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    header = f'version = {SCREENING_VERSION}\ncompleted_at = "2026-03-01T09:00:00+00:00"\n'
    dirs.screening.write_text(header + answers_toml(yes), encoding="utf-8")


def every_day(dirs: Dirs, extra: str = "") -> None:
    """Working hours all day every day, so "now" is always working time."""
    dirs.config.mkdir(parents=True, exist_ok=True)
    text = f'[working_hours]\nevery_day = "00:00-24:00"\n{extra}'
    (dirs.config / "reminders.toml").write_text(text, encoding="utf-8")


def test_remind_status_says_what_comes_next_and_why(run_cli: CliRunner, dirs: Dirs) -> None:
    screen(dirs)
    every_day(dirs)
    now = datetime.now(UTC)
    journal(dirs).append(BreakEvent(now - timedelta(minutes=5), EventKind.DONE, BreakKind.STRETCH))
    journal(dirs).append(BreakEvent(now - timedelta(minutes=4), EventKind.NATURAL))

    result = run_cli("remind", "status")

    assert result.exit_code == 0, result
    assert "Next reminder: micro break, " in result.stdout
    assert "Why: micro break at" in result.stdout
    assert "away from the keyboard" in result.stdout
    assert "1 done" in result.stdout and "1 natural" in result.stdout
    assert "Service: not running" in result.stdout
    assert "Autostart: Not set up to start by itself." in result.stdout
    assert "Idle detection: no idle detection available" in result.stdout
    assert "a fine moment for a break" in result.stdout
    assert f"Log: {dirs.data / 'logs' / 'reminders.log'}" in result.stdout
    assert "Reminders are off" not in result.stdout


def test_remind_status_reports_locks_problems_busy_and_a_running_service(
    run_cli: CliRunner, dirs: Dirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen(dirs, ("ces-bladder",))
    (dirs.config / "reminders.toml").write_text("daily_cap = 0\n", encoding="utf-8")
    monkeypatch.setattr(busy, "detect_busy", lambda *a, **k: Busy("the camera is in use"))
    lock = ServiceLock(dirs.data)
    assert lock.acquire()
    try:
        result = run_cli("remind", "status")
    finally:
        lock.release()

    assert result.exit_code == 0, result
    assert "Reminders are off: no reminders while a safety answer needs a doctor" in result.stdout
    assert "Settings problem (the defaults are used):" in result.stdout
    assert "reminders.toml:1: daily_cap:" in result.stdout
    assert "Right now: busy, the camera is in use." in result.stdout
    assert f"Service: running (pid {os.getpid()})" in result.stdout


def test_remind_pause_writes_a_pause_and_status_shows_it(run_cli: CliRunner, dirs: Dirs) -> None:
    screen(dirs)
    before = datetime.now(UTC)

    result = run_cli("remind", "pause", "30m")

    assert result.exit_code == 0, result
    assert result.stdout.startswith("Reminders paused until ")
    [event] = journal(dirs).read()
    assert event.kind is EventKind.PAUSED
    assert event.until is not None
    assert abs((event.until - before - timedelta(minutes=30)).total_seconds()) < 60
    assert "Paused until" in run_cli("remind", "status").stdout


def test_remind_pause_defaults_to_an_hour(run_cli: CliRunner, dirs: Dirs) -> None:
    before = datetime.now(UTC)

    assert run_cli("remind", "pause").exit_code == 0

    [event] = journal(dirs).read()
    assert event.until is not None
    assert abs((event.until - before - timedelta(hours=1)).total_seconds()) < 60


def test_remind_pause_tomorrow_lasts_until_the_next_working_day(
    run_cli: CliRunner, dirs: Dirs
) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    (dirs.config / "reminders.toml").write_text(
        '[working_hours]\nevery_day = "08:15-17:00"\n', encoding="utf-8"
    )

    result = run_cli("remind", "pause", "tomorrow")

    assert result.exit_code == 0, result
    [event] = journal(dirs).read()
    assert event.until is not None
    local = event.until.astimezone()
    assert (local.hour, local.minute) == (8, 15)
    assert local.date() == (datetime.now().astimezone() + timedelta(days=1)).date()
    assert "08:15" in result.stdout


@pytest.mark.parametrize("length", ["soon", "0m", "25h", "-1h", "1x"])
def test_remind_pause_with_a_bad_length_is_one_clear_line(
    run_cli: CliRunner, dirs: Dirs, length: str
) -> None:
    result = run_cli("remind", "pause", "--", length)

    assert result.exit_code == 1, result
    assert result.stderr_lines == [result.stderr_lines[0]]
    assert "pause: expected" in result.stderr
    assert "Traceback" not in result.output
    assert journal(dirs).read() == []


@pytest.mark.parametrize(
    ("text", "minutes"), [("1h", 60), ("30m", 30), ("45min", 45), ("1h30m", 90), (" 2H ", 120)]
)
def test_parse_duration(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


def test_remind_resume_ends_a_pause(run_cli: CliRunner, dirs: Dirs) -> None:
    assert run_cli("remind", "resume").stdout == "Reminders were not paused.\n"
    run_cli("remind", "pause", "1h")

    result = run_cli("remind", "resume")

    assert result.stdout == "Reminders resumed.\n"
    assert [e.kind for e in journal(dirs).read()] == [EventKind.PAUSED, EventKind.UNPAUSED]
    assert "Paused until" not in run_cli("remind", "status").stdout


def test_remind_skip_skips_the_next_break(run_cli: CliRunner, dirs: Dirs) -> None:
    every_day(dirs)
    # A stretch break 40 minutes ago: the micro break is due, the stretch one in 20 minutes.
    journal(dirs).append(
        BreakEvent(datetime.now(UTC) - timedelta(minutes=40), EventKind.DONE, BreakKind.STRETCH)
    )

    result = run_cli("remind", "skip")

    assert result.exit_code == 0, result
    assert result.stdout.startswith("Skipped the micro break.\nNext: stretch break at ")
    assert [(e.kind, e.break_kind) for e in journal(dirs).read()][-1] == (
        EventKind.SKIPPED,
        BreakKind.MICRO,
    )


def test_remind_skip_with_every_break_off(run_cli: CliRunner, dirs: Dirs) -> None:
    every_day(dirs, "[micro]\nenabled = false\n[stretch]\nenabled = false\n")

    result = run_cli("remind", "skip")

    assert result.exit_code == 0, result
    assert "nothing to skip" in result.stdout
    assert journal(dirs).read() == []


def test_remind_install_and_uninstall_say_what_was_done(
    run_cli: CliRunner, quiet_desktop: list[str]
) -> None:
    installed = run_cli("remind", "install")
    removed = run_cli("remind", "uninstall")

    assert installed.exit_code == removed.exit_code == 0
    assert quiet_desktop == [f"install {sys.executable}", "uninstall"]
    assert "Installed as a systemd user unit." in installed.stdout
    assert "Written: /home/me/.config/systemd/user/deskstretch-reminders.service" in (
        installed.stdout
    )
    assert "Undo with `deskstretch remind uninstall`." in installed.stdout
    assert removed.stdout == "Removed; reminders stopped.\n"


@pytest.mark.parametrize(("args", "verbose"), [((), []), (("--verbose",), ["--verbose"])])
def test_bare_remind_replaces_itself_with_the_service(
    run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], verbose: list[str]
) -> None:
    calls: list[tuple[str, list[str]]] = []

    def fake_execv(path: str, argv: list[str]) -> None:
        calls.append((path, argv))
        raise SystemExit(0)  # execv never returns

    monkeypatch.setattr(os, "execv", fake_execv)

    result = run_cli("remind", *args)

    assert result.exit_code == 0, result
    assert calls == [
        (sys.executable, [sys.executable, "-m", "deskstretch.reminders", "run", *verbose])
    ]


def test_remind_runs_the_service_as_its_own_process(run_subprocess: CliRunner, dirs: Dirs) -> None:
    # The real thing, one round: a second instance would say "already running".
    lock = ServiceLock(dirs.data)
    assert lock.acquire()
    try:
        result = run_subprocess("remind", timeout=60)
    finally:
        lock.release()

    assert result.exit_code == 0, result
    assert result.stdout == f"deskstretch reminders are already running (pid {os.getpid()}).\n"


def test_remind_pause_where_the_journal_cannot_be_written_is_one_line(
    run_cli: CliRunner, dirs: Dirs
) -> None:
    dirs.data.mkdir(parents=True, exist_ok=True)
    (dirs.data / "breaks.jsonl").mkdir()  # a folder where the journal file should be

    result = run_cli("remind", "pause")

    assert result.exit_code == 1, result
    assert result.stderr.startswith("deskstretch: error: cannot write ")
    assert "breaks.jsonl" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("enabled = false\n", "Reminders are switched off in Settings"),
        ("", "Reminders are not set up in the app yet"),
        ("enabled = true\n", None),
    ],
)
def test_remind_status_says_how_the_app_switch_stands(
    run_cli: CliRunner, dirs: Dirs, text: str, said: str | None
) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    (dirs.config / "reminders.toml").write_text(text, encoding="utf-8")
    output = run_cli("remind", "status").stdout
    for sentence in ("Reminders are switched off in Settings", "not set up in the app yet"):
        assert (sentence in output) == (said is not None and sentence in said)
