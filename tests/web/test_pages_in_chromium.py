"""Every page in real Chromium against `deskstretch app`: no console errors, no CSP violations,
nothing wider than a 320 px phone, and no axe-core WCAG 2 A/AA violations in light or dark.

Needs /usr/bin/chromium and node_modules/axe-core (both installed by `make test`).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deskstretch.coach import Coach
from support import Dirs

playwright_api = pytest.importorskip("playwright.sync_api", reason="`make setup` installs it")
# (importorskip only guards a broken install: playwright is a dev dependency, always present.)

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


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


@pytest.fixture
def chromium() -> Iterator[Any]:
    assert Path(CHROMIUM).exists(), "needs Debian's chromium: `make test` installs it"
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_are_clean_and_accessible_in_chromium(
    server: str, chromium: Any, scheme: str
) -> None:
    assert AXE.exists(), "needs axe-core: `make node-deps` (part of `make test`) installs it"
    axe = AXE.read_text(encoding="utf-8") + "\n;undefined"
    context = chromium.new_context(viewport={"width": 320, "height": 640}, color_scheme=scheme)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    problems: list[str] = []
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
        problems += [f"{path}: CSP {v}" for v in page.evaluate("window.__csp")]
        # evaluate() is not subject to the page's CSP, which (rightly) refuses injected scripts.
        page.evaluate(axe)
        result = page.evaluate(
            "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']})"
        )
        problems += [
            f"{path}: axe {v['id']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
    context.close()
    assert problems == []


def test_checkin_saves_in_place_with_the_script(server: str, chromium: Any) -> None:
    """The progressive enhancement: tap two numbers, save, and read the answer without a reload."""
    page = chromium.new_page()
    page.goto(server + "/")
    page.click("text=Save check-in")
    assert "Tap a number" in page.inner_text(".checkin-result")
    page.locator('label:has(input[name="back_pain"][value="2"])').click()
    page.locator('label:has(input[name="leg_pain"][value="0"])').click()
    page.click("text=Save check-in")
    page.locator(".checkin-result", has_text="saved").wait_for()
    assert "Check-in saved: back 2/10, leg 0/10" in page.inner_text(".checkin-result")
    assert page.url == server + "/"  # no reload
    page.goto(server + "/progress")
    assert "latest 2 out of 10" in page.content()
