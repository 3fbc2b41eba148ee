"""Every page in real Chromium against `deskstretch app`: no console errors, no CSP violations,
nothing wider than a 320 px phone, in light and dark; and the check-in saving in place.

(tests/e2e/test_accessibility.py audits the same pages with axe-core at 390 and 1280 px.)
Chromium runs in a thread of its own: the e2e tests keep a session-wide Playwright whose event
loop occupies this thread, and the sync API refuses to start inside a running loop.
Needs /usr/bin/chromium (installed by `make test`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

# playwright is a dev dependency (`make setup` installs it): a missing one must fail, not skip.
import playwright.sync_api as playwright_api
import pytest

from deskstretch.coach import Coach
from helpers.local_server import free_port
from helpers.support import Dirs

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
PAGES = (
    "/",
    "/library",
    "/library/seated-hamstring-hinge",
    "/routines",
    "/learn",
    "/progress",
    "/safety",
    "/safety/result",
    "/safety/recheck",
    "/help",
    "/settings",
    "/library/no-such-exercise",
)
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def server(history: Coach, dirs: Dirs) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
    env.update(dirs.env_vars())
    child = subprocess.Popen(
        [sys.executable, "-m", "deskstretch", "app", "--no-browser", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/help", timeout=2):
                break
        except OSError:
            if child.poll() is not None or time.monotonic() > deadline:
                child.kill()
                pytest.fail("deskstretch app did not start")
            time.sleep(0.1)
    try:
        yield url
    finally:
        child.send_signal(signal.SIGINT)
        child.wait(timeout=20)


def in_chromium(task: Callable[[Any], None]) -> None:
    """Run ``task(browser)`` with Debian's Chromium, in a thread with no event loop."""
    assert Path(CHROMIUM).exists(), "needs Debian's chromium: `make test` installs it"

    def run() -> None:
        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                task(browser)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run).result()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_are_clean_on_a_small_phone(server: str, scheme: str) -> None:
    problems: list[str] = []

    def visit(browser: Any) -> None:
        context = browser.new_context(viewport={"width": 320, "height": 640}, color_scheme=scheme)
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"console: {message.text}")
                if message.type == "error" and "404" not in message.text
                else None
            ),
        )
        for path in PAGES:
            page.goto(server + path)
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > 320:
                problems.append(f"{path}: {wide} px wide on a 320 px phone")
            problems.extend(f"{path}: CSP {v}" for v in page.evaluate("window.__csp"))
        context.close()

    in_chromium(visit)
    assert problems == []


def test_checkin_saves_in_place_with_the_script(server: str) -> None:
    """The progressive enhancement: tap two numbers, save, and read the answer without a reload.
    Nothing tapped is posted as the plain form: Today comes back with the problem beside it."""
    seen: dict[str, str] = {}

    def check_in(browser: Any) -> None:
        page = browser.new_page()
        page.goto(server + "/")
        with page.expect_navigation():
            page.click("text=Save check-in")
        seen["empty"] = page.inner_text("#back_pain-problem")
        seen["before"] = page.url
        page.locator('label:has(input[name="back_pain"][value="2"])').click()
        page.locator('label:has(input[name="leg_pain"][value="0"])').click()
        page.click("text=Save check-in")
        page.locator(".checkin-result", has_text="saved").wait_for()
        seen["saved"] = page.inner_text(".checkin-result")
        seen["url"] = page.url
        page.goto(server + "/progress")
        seen["progress"] = page.content()

    in_chromium(check_in)
    assert seen["empty"] == "Choose a number from 0 to 10 for your back, your leg or both."
    assert "Check-in saved: back 2/10, leg 0/10" in seen["saved"]
    assert seen["url"] == seen["before"]  # no reload
    assert "latest 2 out of 10" in seen["progress"]
