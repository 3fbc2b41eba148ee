"""The real reminder service on a real (private) D-Bus session with the fake notification server:
a due break gives exactly one notification, the "person" presses Snooze, the journal says so.
And the promise that makes the service small: it never imports the heavy modules.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskstretch.core.safety import SCREENING_VERSION
from deskstretch.core.schedule import BreakEvent, BreakKind, EventKind
from deskstretch.reminders.breaklog import BreakLog
from helpers.fake_notification_server import DBusSession, FakeNotificationServer
from helpers.support import Dirs, answers_toml

pytestmark = pytest.mark.e2e

StartServer = Callable[..., FakeNotificationServer]
SERVICE = [sys.executable, "-m", "deskstretch.reminders", "run"]
# What the waiting service must never carry (the contract of issue #5: idle RSS <= 25 MB).
BANNED = {
    "asyncio",
    "typer",
    "rich",
    "pydantic",
    "sqlalchemy",
    "fastapi",
    "jinja2",
    "matplotlib",
    "desktop_notifier",
    "dbus_fast",
    "icalendar",
}


def due_now(dirs: Dirs, kind: BreakKind = BreakKind.STRETCH) -> BreakLog:
    """Screened, working all day, and a snooze that ended a moment ago: a break is due now.

    The snooze was set 30 s ago, so the service sees it was running just now (no RESUMED reset).
    """
    dirs.config.mkdir(parents=True, exist_ok=True)
    header = f'version = {SCREENING_VERSION}\ncompleted_at = "2026-03-01T09:00:00+00:00"\n'
    dirs.screening.write_text(header + answers_toml(), encoding="utf-8")
    (dirs.config / "reminders.toml").write_text(
        '[working_hours]\nevery_day = "00:00-24:00"\n', encoding="utf-8"
    )
    journal = BreakLog.in_folder(dirs.data)
    now = datetime.now(UTC)
    if kind is BreakKind.MICRO:  # a stretch break 40 minutes ago: the next stretch is not due
        journal.append(BreakEvent(now - timedelta(minutes=40), EventKind.DONE, BreakKind.STRETCH))
    journal.append(BreakEvent(now - timedelta(seconds=30), EventKind.SNOOZED, kind, until=now))
    return journal


def service_env(dirs: Dirs, dbus_session: DBusSession) -> dict[str, str]:
    """This test's folders, and the private bus as the only desktop there is."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
    env.update(dirs.env_vars())
    return dbus_session.env(env)


def pairs(actions: list[str]) -> list[tuple[str, str]]:
    return list(zip(actions[::2], actions[1::2], strict=True))


def test_due_break_shows_one_notification_and_snooze_is_recorded(
    dirs: Dirs,
    tmp_path: Path,
    dbus_session: DBusSession,
    notification_server: StartServer,
) -> None:
    journal = due_now(dirs)
    server = notification_server(respond=["invoke:snooze"])
    log_path = tmp_path / "service.out"
    with log_path.open("w", encoding="utf-8") as output:
        service = subprocess.Popen(
            SERVICE, env=service_env(dirs, dbus_session), stdout=output, stderr=output
        )
    started = datetime.now(UTC)
    try:
        # The first SNOOZED is the one due_now wrote; wait for the service's own.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if len([e for e in journal.read() if e.kind is EventKind.SNOOZED]) == 2:
                break
            assert service.poll() is None, log_path.read_text(encoding="utf-8")
            time.sleep(0.1)
        events = journal.read()
        kinds = [(e.kind, e.break_kind) for e in events]
        assert kinds == [
            (EventKind.SNOOZED, BreakKind.STRETCH),
            (EventKind.PROMPTED, BreakKind.STRETCH),
            (EventKind.SNOOZED, BreakKind.STRETCH),
        ], log_path.read_text(encoding="utf-8")
        until = events[-1].until
        assert until is not None
        assert abs((until - started - timedelta(minutes=10)).total_seconds()) < 60

        [notification] = server.notifications()
        assert notification["app_name"] == "deskstretch"
        assert notification["summary"] == "Time for a stretch break"
        assert "minutes" in notification["body"]
        assert [p for p in pairs(notification["actions"]) if p[0] != "default"] == [
            ("start", "Start"),
            ("snooze", "Snooze 10 min"),
            ("skip", "Skip"),
        ]
        records = server.records()
        assert {"signal": "ActionInvoked", "id": notification["id"], "action": "snooze"} in [
            {k: r.get(k) for k in ("signal", "id", "action")} for r in records
        ]

        # A second service for the same person does not start.
        second = subprocess.run(
            SERVICE,
            env=service_env(dirs, dbus_session),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 0
        assert second.stdout == f"deskstretch reminders are already running (pid {service.pid}).\n"

        time.sleep(1.5)  # nothing else is due for 10 minutes: no second notification
        assert len(server.notifications()) == 1
    finally:
        service.send_signal(signal.SIGTERM)
        code = service.wait(timeout=15)
    assert code == 0
    log = (dirs.data / "logs" / "reminders.log").read_text(encoding="utf-8")
    assert "stretch break reminder: snooze" in log
    assert "reminder service stopped" in log
    assert "Traceback" not in log + log_path.read_text(encoding="utf-8")


def test_service_process_never_imports_heavy_modules(
    dirs: Dirs, dbus_session: DBusSession, notification_server: StartServer
) -> None:
    # One full round, a real reminder included (answered "Done"), then the report of what the
    # service process imported: the notification and the Coach live in the prompt child only.
    journal = due_now(dirs, BreakKind.MICRO)
    server = notification_server(respond=["invoke:done"])

    done = subprocess.run(
        [*SERVICE, "--once"],
        env=service_env(dirs, dbus_session),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert len(server.notifications()) == 1
    assert server.notifications()[0]["summary"] == "Time to change position"
    assert [e.kind for e in journal.read()][-2:] == [EventKind.PROMPTED, EventKind.DONE]
    modules = set(report["modules"])
    loaded = {name for name in modules if name.split(".")[0] in BANNED}
    assert not loaded, f"the waiting service imported {sorted(loaded)}"
    # The report is about this process, really: its own modules are there.
    assert {"deskstretch.reminders.service", "deskstretch.core.schedule"} <= modules


def test_service_stops_on_sigint_with_status_zero(dirs: Dirs, dbus_session: DBusSession) -> None:
    dirs.data.mkdir(parents=True, exist_ok=True)
    service = subprocess.Popen(
        SERVICE, env=service_env(dirs, dbus_session), stdout=subprocess.PIPE, text=True
    )
    log_path = dirs.data / "logs" / "reminders.log"
    deadline = time.monotonic() + 30
    while "reminder service started" not in (
        log_path.read_text(encoding="utf-8") if log_path.exists() else ""
    ):
        assert time.monotonic() < deadline, "the service did not start"
        time.sleep(0.1)

    os.kill(service.pid, signal.SIGINT)

    assert service.wait(timeout=15) == 0
    assert "stopping (SIGINT)" in log_path.read_text(encoding="utf-8")
    assert service.stdout is not None
    service.stdout.close()
