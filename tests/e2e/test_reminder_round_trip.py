"""The work day end to end, every part real: reminders turned on in Settings (Chromium) start the
real reminder service from the real app (`deskstretch app`); a due break gives exactly one
notification on a private D-Bus session (the fake notification server answers "Start"); Start
opens the browser player at today's programme session, the get-ready countdown already running.

Only the edges are stood in for: the desktop's notification service (the fake server on a real
bus) and the browser that Start opens (``BROWSER``, a script that writes the address down; the
test's Chromium then opens it).
"""

from __future__ import annotations

import os
import signal
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.schedule import BreakEvent, BreakKind, EventKind
from deskstretch.reminders.breaklog import BreakLog
from deskstretch.reminders.lock import ServiceLock
from helpers.fake_notification_server import DBusSession
from helpers.local_server import free_port, get_when_ready, start_server, stop
from helpers.support import Dirs

pytestmark = pytest.mark.e2e

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _wait_for(what: str, probe: Any, seconds: float = 60, why: Any = None) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"waited {seconds:.0f} s for {what}" + (f"\n{why()}" if why else ""))


def _service_story(dirs: Dirs) -> str:
    log = dirs.data / "logs" / "reminders.log"
    journal = dirs.data / "breaks.jsonl"
    return "\n".join(path.read_text(encoding="utf-8") for path in (log, journal) if path.exists())


def test_settings_to_a_notification_to_the_player_at_todays_session(
    chromium: Browser,
    screened: Path,
    dirs: Dirs,
    tmp_path: Path,
    dbus_session: DBusSession,
    notification_server: Any,
) -> None:
    settings = Settings(config_dir=dirs.config, data_dir=dirs.data)
    coach = Coach(settings)
    coach.start_programme("desk-back-6-weeks")
    session_id = coach.programme_routine_id()
    assert session_id, "the programme has no session today"

    # A stretch break that a snooze put off until now: due the moment the service starts (the
    # snooze 30 s ago also tells it that it was running a moment ago: no fresh start of timers).
    now = datetime.now(UTC)
    BreakLog.in_folder(dirs.data).append(
        BreakEvent(now - timedelta(seconds=30), EventKind.SNOOZED, BreakKind.STRETCH, until=now)
    )
    server = notification_server(respond=["invoke:start"])
    opened = tmp_path / "opened.txt"
    browser_script = tmp_path / "browser.sh"
    browser_script.write_text(f'#!/bin/sh\necho "$1" >> "{opened}"\n', encoding="utf-8")
    browser_script.chmod(browser_script.stat().st_mode | stat.S_IEXEC)
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    env = dbus_session.env(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "BROWSER": str(browser_script),
        }
    )
    env["DISPLAY"] = ":99"  # a desktop to open a browser on (BROWSER stands in for it)
    port = free_port()
    app, _first = start_server(dirs, "--no-browser", "--port", str(port), extra_env=env)
    base = f"http://127.0.0.1:{port}"
    service_pid = None
    try:
        get_when_ready(base + "/")
        assert ServiceLock(dirs.data).holder() is None  # not set up: the app started nothing

        page = chromium.new_page(viewport={"width": 1280, "height": 800})
        page.goto(base + "/settings")
        form = page.locator("form[action='/settings/reminders']")
        form.locator("input[name='enabled'][value='on']").check()
        for day in DAYS:
            form.locator(f"input[name='hours_{day}']").fill("00:00-24:00")
        with page.expect_navigation():
            form.locator("button[type='submit']").click()
        assert "enabled = true" in (dirs.config / "reminders.toml").read_text(encoding="utf-8")

        service_pid = _wait_for("the service", lambda: ServiceLock(dirs.data).holder())
        [notification] = _wait_for("a notification", server.notifications)
        assert notification["summary"] == "Time for a stretch break"
        url = _wait_for(
            "Start to open the player",
            lambda: opened.exists() and opened.read_text(encoding="utf-8").strip(),
            why=lambda: _service_story(dirs),
        )
        assert url == f"{base}/play/{session_id}?start=1"

        page.goto(url)
        expect(page.locator("#seg-kind")).to_have_text("Get ready")
        first = page.locator("#time-left").inner_text()
        expect(page.locator("#time-left")).not_to_have_text(first, timeout=5000)
        assert "start=1" not in page.url  # a reload does not start it again

        time.sleep(1.5)
        assert len(server.notifications()) == 1, "more than one notification for one break"
        page.close()
    finally:
        output = stop(app)
        if service_pid and ServiceLock(dirs.data).holder() == service_pid:
            os.kill(service_pid, signal.SIGTERM)
    assert "Traceback" not in output, output
    # Reminders on but not "start with my computer": the service went with the app.
    assert _wait_for("the service to stop", lambda: ServiceLock(dirs.data).holder() is None, 15)
