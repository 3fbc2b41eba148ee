"""Break reminders in real Chromium: Settings' reminder form sent with mistakes comes back with
each problem beside its field and every value kept; turned on, it starts the real reminder
service, and turned off, it stops it; Today's Breaks card in each state. axe-core finds no WCAG 2
A/AA violation, at desktop and phone sizes, light and dark; nothing scrolls sideways.

The app runs with a temporary HOME, XDG_CONFIG_HOME and XDG_RUNTIME_DIR, and without a session
bus, so "start with my computer" can only ever look at (never touch) a test folder; any service a
test started is stopped afterwards.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from deskstretch.core.reminder_policy import DAYS
from deskstretch.core.schedule import BreakEvent, BreakKind, EventKind
from deskstretch.reminders.breaklog import BreakLog
from deskstretch.reminders.lock import ServiceLock
from helpers.browser_checks import WATCH_CSP, no_horizontal_scroll, violations
from helpers.support import Dirs

pytestmark = pytest.mark.e2e

# The conftest's start_server(env, log_path): a context manager yielding the base URL.
ServerStarter = Callable[[dict[str, str], Path], AbstractContextManager[str]]

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
ALL_DAY = 'enabled = true\n[working_hours]\nevery_day = "00:00-24:00"\n'


def wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.1)


def stop_any_service(data_dir: Path) -> None:
    """Never leave a reminder service running: stop whichever holds this test's lock."""
    pid = ServiceLock(data_dir).holder()
    if pid and pid != os.getpid():
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while ServiceLock(data_dir).holder() and time.monotonic() < deadline:
            time.sleep(0.1)
        if ServiceLock(data_dir).holder():
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def site(screened: Path, dirs: Dirs, tmp_path: Path, start_server: ServerStarter) -> Iterator[str]:
    """The app for a screened person, in a home of its own (autostart looks only there)."""
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (tmp_path / "runtime").mkdir(mode=0o700)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DESKSTRETCH_") and k != "DBUS_SESSION_BUS_ADDRESS"
    }
    env |= dirs.env_vars() | {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    try:
        with start_server(env, tmp_path / "server.log") as url:
            yield url
    finally:
        stop_any_service(dirs.data)
    assert not (home / ".config" / "autostart").exists()


def open_page(chromium: Browser, size: str, scheme: str = "light") -> Page:
    width, height = SIZES[size]
    context = chromium.new_context(
        viewport={"width": width, "height": height},
        color_scheme="dark" if scheme == "dark" else "light",
    )
    context.add_init_script(WATCH_CSP)
    return context.new_page()


def problems(page: Page, axe_js: str, what: str) -> list[str]:
    found = [f"{what}: {v}" for v in violations(page, axe_js)]
    if not no_horizontal_scroll(page):
        found.append(f"{what}: the page scrolls sideways")
    return found


@pytest.mark.parametrize("size", list(SIZES))
def test_a_mistake_in_the_reminder_form_keeps_every_value(
    chromium: Browser, site: str, axe_js: str, dirs: Dirs, size: str
) -> None:
    page = open_page(chromium, size)
    page.goto(site + "/settings")
    report = problems(page, axe_js, "Settings")
    page.fill("#hours_monday", "9 to 5")
    page.fill("#hours_saturday", "10:00-12:00")
    page.fill("#daily_cap", "200")
    page.fill("#micro_every", "25")
    page.uncheck("input[name='stretch_enabled']")
    page.check("input[name='start_in'][value='terminal']")
    with page.expect_navigation():
        page.get_by_role("button", name="Save reminder settings").click()
    summary = page.locator("#problems")
    expect(summary).to_be_focused()  # the summary takes the focus: what to fix comes first
    expect(summary).to_contain_text("Your reminder settings were not saved")
    expect(page.locator("#hours_monday-problem")).to_contain_text('Write a period like "09:00')
    expect(page.locator("#daily_cap-problem")).to_have_text(
        "Enter a whole number of reminders from 1 to 100."
    )
    expect(page.locator("#hours_monday")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#micro_every")).not_to_have_attribute("aria-invalid", "true")
    # Every value as typed.
    expect(page.locator("#hours_monday")).to_have_value("9 to 5")
    expect(page.locator("#hours_saturday")).to_have_value("10:00-12:00")
    expect(page.locator("#daily_cap")).to_have_value("200")
    expect(page.locator("#micro_every")).to_have_value("25")
    expect(page.locator("input[name='stretch_enabled']")).not_to_be_checked()
    expect(page.locator("input[name='start_in'][value='terminal']")).to_be_checked()
    report += problems(page, axe_js, "Settings with mistakes")
    summary.get_by_role("link", name="Monday").click()
    expect(page).to_have_url(re.compile(r"#hours_monday$"))
    expect(page.locator("#hours_monday")).to_be_in_viewport()
    assert not (dirs.config / "reminders.toml").exists()  # nothing written
    assert report == []
    page.context.close()


def test_on_in_settings_starts_the_real_service_and_off_stops_it(
    chromium: Browser, site: str, axe_js: str, dirs: Dirs
) -> None:
    page = open_page(chromium, "desktop")
    page.goto(site + "/settings")
    # Work only on a day three days from now: no break falls due while the test runs.
    work_day = DAYS[(datetime.now().weekday() + 3) % 7]
    for day in DAYS:
        page.fill(f"#hours_{day}", "09:00-17:30" if day == work_day else "off")
    page.check("input[name='enabled'][value='on']")
    with page.expect_navigation():
        page.get_by_role("button", name="Save reminder settings").click()
    expect(page.locator(".flash").first).to_contain_text(
        f"Reminders on: the next break is a micro-break on {work_day.capitalize()} at 09:30"
    )
    wait_until(lambda: ServiceLock(dirs.data).holder() is not None, 20, "the service to start")
    pid = ServiceLock(dirs.data).holder()
    page.goto(site + "/")
    card = page.locator(".breaks-card")
    expect(card).to_contain_text(f"Micro-break on {work_day.capitalize()} at 09:30")
    expect(card).not_to_contain_text("not running")
    report = problems(page, axe_js, "Today, reminders on")
    page.goto(site + "/settings")
    page.check("input[name='enabled'][value='off']")
    with page.expect_navigation():
        page.get_by_role("button", name="Save reminder settings").click()
    expect(page.locator(".flash").first).to_have_text("Reminders off.")
    wait_until(lambda: ServiceLock(dirs.data).holder() is None, 20, f"service {pid} to stop")
    page.goto(site + "/")
    expect(page.locator(".breaks-card")).to_contain_text("Break reminders are off.")
    assert report == []
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", list(SIZES))
def test_todays_breaks_card_in_each_state(
    chromium: Browser, site: str, axe_js: str, dirs: Dirs, size: str, scheme: str
) -> None:
    page = open_page(chromium, size, scheme)
    card = page.locator(".breaks-card")
    page.goto(site + "/")
    expect(card).to_contain_text("Break reminders through your work day?")
    report = problems(page, axe_js, "the offer")
    # On, not running, a break held back by a call.
    (dirs.config / "reminders.toml").write_text(ALL_DAY, encoding="utf-8")
    now = datetime.now(UTC)
    journal = BreakLog.in_folder(dirs.data)
    journal.append(BreakEvent(now - timedelta(minutes=35), EventKind.DONE, BreakKind.STRETCH))
    journal.append(
        BreakEvent(
            now - timedelta(minutes=4),
            EventKind.DEFERRED,
            BreakKind.MICRO,
            note="the microphone is in use (a call?)",
        )
    )
    page.goto(site + "/")
    expect(card).to_contain_text("Held back: the microphone is in use (a call?)")
    expect(card).to_contain_text("The reminder service is not running")
    report += problems(page, axe_js, "on, held back, not running")
    with page.expect_navigation():
        card.get_by_role("button", name="Pause 1 hour").click()
    expect(page.locator(".flash").first).to_contain_text("Reminders paused until")
    expect(card).to_contain_text("Paused until")
    report += problems(page, axe_js, "paused")
    with page.expect_navigation():
        card.get_by_role("button", name="Resume").click()
    expect(card.get_by_role("button", name="Pause until tomorrow")).to_be_visible()
    (dirs.config / "reminders.toml").write_text("enabled = false\n", encoding="utf-8")
    page.goto(site + "/")
    expect(card).to_contain_text("Break reminders are off.")
    report += problems(page, axe_js, "off")
    assert ServiceLock(dirs.data).holder() is None  # nothing here starts the service
    assert report == []
    page.context.close()
