"""Every page of the web app, audited with axe-core (WCAG 2 A and AA rules) in real Chromium.

The real app runs under uvicorn on a free loopback port, with its own folders: safety answered
all "no" through `deskstretch check --from FILE`, and two weeks of sessions, check-ins and a
flexibility test imported through `deskstretch import`, so Progress and the report have content.

Each page is opened on a laptop (1280x800) and a phone (390x844), in the light and the dark
colour scheme, and must have:
- zero axe violations (each one listed with its rule, impact, elements and help);
- no console errors or warnings, no uncaught errors, no Content-Security-Policy violations;
- no failed responses, and no request to any host other than 127.0.0.1.

axe-core comes from node_modules (`make node-deps`, pinned by package-lock.json). It is evaluated
in the page through the DevTools protocol rather than added as a <script> tag: the app's CSP
(script-src 'self') rightly refuses inline scripts, and bypassing the CSP would hide violations.
Besides the listed pages, every page linked from them (the navigation, exercise pages, other
routines) is crawled and audited too.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, FilePayload

from deskstretch.core.records import (
    CheckIn,
    CheckInContext,
    Measurement,
    MeasurementKind,
    SessionRecord,
    SessionStatus,
    StepRecord,
)
from deskstretch.store import exchange
from helpers.support import Dirs, answers_toml

pytestmark = pytest.mark.e2e

# The pages audited in every view; other pages found by crawling their links are audited too.
PAGES: dict[str, str] = {
    "today": "/",
    "library": "/library",
    "exercise": "/library/seated-hamstring-hinge",
    "exercise-with-desk": "/library/heel-on-chair-hamstring",
    "routines": "/routines",
    "learn": "/learn",
    "progress": "/progress",
    "assess": "/assess",
    "report": "/report",
    "safety": "/safety",
    "safety-result": "/safety/result",
    "safety-recheck": "/safety/recheck",
    "help": "/help",
    "settings": "/settings",
    "player": "/play/hamstring-2min",
    "routine-new": "/routines/new?exercise=seated-hamstring-hinge",
    "routine-copy": "/routines/hamstring-2min/edit",
    "routine-import": "/routines/import",
    "programmes": "/programmes",
    "programme": "/programmes/desk-back-6-weeks",
    "lessons": "/lessons",
    "lesson": "/lessons/why-hamstrings",
    "psfs": "/measure/psfs",
    "questionnaires": "/measure/questionnaires",
    "welcome": "/start",
    "safety-step": "/start/safety",
    "goal": "/start/goal",
}
NOT_FOUND = "/library/no-such-exercise"
PLAYER = "/play/hamstring-2min"

# The conftest's start_server(env, log_path): a context manager yielding the base URL.
ServerStarter = Callable[[dict[str, str], Path], AbstractContextManager[str]]


@dataclass(frozen=True)
class View:
    name: str
    width: int
    height: int
    scheme: Literal["light", "dark"]


SCHEMES: tuple[Literal["light", "dark"], ...] = ("light", "dark")
VIEWS = [
    View(f"{device}-{scheme}", width, height, scheme)
    for device, width, height in (("laptop", 1280, 800), ("phone", 390, 844))
    for scheme in SCHEMES
]
VIEW_IDS = [view.name for view in VIEWS]

# Runs before any page script: CSP violations are collected (the console shows them too).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""
AXE_RUN = """
() => axe.run(document, {
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]},
  resultTypes: ["violations"],
}).then((results) => results.violations.map((v) => ({
  id: v.id,
  impact: v.impact,
  help: v.help,
  helpUrl: v.helpUrl,
  nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary, html: n.html})),
})))
"""


# -- the server ---------------------------------------------------------------------------------


def _history(now: datetime) -> exchange.Bundle:
    """Two weeks of use: a session most days with check-ins before and after, two tests."""
    sessions: list[SessionRecord] = []
    checkins: list[CheckIn] = []
    measurements: list[Measurement] = []
    for days in range(14, 0, -1):
        if days % 4 == 0:
            continue
        at = (now - timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
        session_id = f"a11y-s{days}"
        steps = (
            StepRecord(0, "seated-pelvic-tilts", "low-back", 30, 30, 0, 0, 30, completed=True),
            StepRecord(1, "seated-hamstring-hinge", "hamstrings", 60, 60, 30, 30, completed=True),
        )
        status = SessionStatus.QUIT_EARLY if days == 5 else SessionStatus.COMPLETED
        sessions.append(
            SessionRecord(
                session_id,
                "hamstring-2min",
                "Hamstring micro-break",
                at,
                status,
                steps,
                at + timedelta(minutes=3),
                front_end="browser",
            )
        )
        back = 2 + days // 3
        checkins += [
            CheckIn(f"{session_id}-b", at, back, 1, CheckInContext.BEFORE_SESSION, session_id),
            CheckIn(
                f"{session_id}-a",
                at + timedelta(minutes=3),
                max(0, back - 1),
                0,
                CheckInContext.AFTER_SESSION,
                session_id,
            ),
        ]
    for days, reach in ((12, -6.0), (2, -3.5)):
        measurements.append(
            Measurement(
                f"a11y-m{days}",
                now - timedelta(days=days),
                MeasurementKind.CHAIR_SIT_AND_REACH,
                reach,
                "csr-senior-fitness-test",
                "left",
            )
        )
    return exchange.Bundle(sessions=sessions, checkins=checkins, measurements=measurements)


def _deskstretch(env: dict[str, str], *argv: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "deskstretch", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"deskstretch {' '.join(argv)}:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, start_server: ServerStarter) -> Iterator[str]:
    """The app with one person's folders: screened all "no", with two weeks of history."""
    root = tmp_path_factory.mktemp("a11y")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
    env.update(Dirs(root, root / "config", root / "data").env_vars())
    answers = root / "answers.toml"
    answers.write_text(answers_toml(), encoding="utf-8")
    _deskstretch(env, "check", "--from", str(answers))
    history = root / "history.json"
    history.write_text(json.dumps(exchange.dump(_history(datetime.now(UTC)))), encoding="utf-8")
    _deskstretch(env, "import", str(history))
    with start_server(env, root / "server.log") as url:
        yield url


# -- crawling -----------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _crawl(base: str, start: list[str], limit: int = 80) -> list[str]:
    """Every same-site HTML page reachable by links from ``start`` (paths, in order found)."""
    found: list[str] = []
    queue = list(start)
    seen = set(queue)
    while queue and len(found) < limit:
        path = queue.pop(0)
        with urllib.request.urlopen(base + path, timeout=10) as response:
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            found.append(path)
            links = _Links()
            links.feed(response.read().decode("utf-8"))
        for href in links.hrefs:
            parts = urlsplit(urljoin(base + path, href))
            if f"{parts.scheme}://{parts.netloc}" != base or parts.path.startswith("/static/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return found


@pytest.fixture(scope="module")
def linked_pages(site: str) -> list[str]:
    return _crawl(site, ["/"])


# -- auditing -----------------------------------------------------------------------------------


class Audit:
    """One browser context in one view, recording everything a page must not do."""

    def __init__(self, browser: Browser, base: str, view: View, axe_js: str) -> None:
        self.base = base
        self.view = view
        self.axe_js = axe_js
        self.context = browser.new_context(
            viewport={"width": view.width, "height": view.height},
            color_scheme=view.scheme,
            device_scale_factor=1,
        )
        self.context.add_init_script(WATCH_CSP)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.expected_failures: set[str] = set()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.problems.append(f"uncaught error: {e}"))
        self.page.on("request", self._request)
        self.page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type not in ("error", "warning"):
            return
        text: str = message.text
        if text.startswith("Failed to load resource") and any(
            message.location.get("url", "").endswith(path) for path in self.expected_failures
        ):
            return
        self.problems.append(f"console {message.type}: {text}")

    def _request(self, request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob"):
            return
        if parts.scheme not in ("http", "https") or parts.hostname != "127.0.0.1":
            self.problems.append(f"request to another host: {request.method} {request.url}")

    def _response(self, response: Any) -> None:
        path = urlsplit(response.url).path
        if response.status >= 400 and path not in self.expected_failures:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def open(self, path: str, status: int = 200) -> None:
        if status >= 400:
            self.expected_failures.add(path)
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None and response.status == status, (path, response)
        if path.startswith("/play/"):
            self.page.wait_for_load_state("networkidle")  # the player fetches its figures
        dark = self.page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        assert dark == (self.view.scheme == "dark"), "the colour scheme was not emulated"

    def violations(self) -> list[dict[str, Any]]:
        if not self.page.evaluate("typeof window.axe === 'object'"):
            self.page.evaluate(self.axe_js)
        found: list[dict[str, Any]] = self.page.evaluate(AXE_RUN)
        return found

    def check(self, what: str) -> list[str]:
        """Everything wrong with the page as it is now (empty when it passes)."""
        report = [_describe(v) for v in self.violations()]
        csp = self.page.evaluate("window.__cspViolations || []")
        report += [f"CSP violation: {entry}" for entry in csp]
        report += self.problems
        self.problems = []
        self.page.evaluate("window.__cspViolations = []")
        return [f"{what} [{self.view.name}]: {line}" for line in report]

    def close(self) -> None:
        self.context.close()


def _describe(violation: dict[str, Any]) -> str:
    nodes = violation["nodes"]
    lines = [
        f"axe {violation['id']} ({violation['impact']}): {violation['help']}"
        f" - {violation['helpUrl']} - {len(nodes)} element(s):"
    ]
    for node in nodes[:8]:
        summary = re.sub(r"\s+", " ", node["summary"] or "").strip()
        html = re.sub(r"\s+", " ", node["html"])[:160]
        lines.append(f"    {node['target']} {html}\n      {summary}")
    if len(nodes) > 8:
        lines.append(f"    ... and {len(nodes) - 8} more")
    return "\n".join(lines)


def _fail_on(report: list[str]) -> None:
    if report:
        pytest.fail(f"{len(report)} accessibility problem(s):\n" + "\n".join(report), pytrace=False)


@pytest.fixture
def audit(
    request: pytest.FixtureRequest, chromium: Browser, site: str, axe_js: str
) -> Iterator[Audit]:
    view: View = request.param
    checker = Audit(chromium, site, view, axe_js)
    yield checker
    checker.close()


# -- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("audit", VIEWS, ids=VIEW_IDS, indirect=True)
@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_page_has_no_accessibility_violations(audit: Audit, path: str) -> None:
    audit.open(path)
    _fail_on(audit.check(path))


@pytest.mark.parametrize("audit", VIEWS, ids=VIEW_IDS, indirect=True)
def test_not_found_page(audit: Audit) -> None:
    audit.open(NOT_FOUND, status=404)
    _fail_on(audit.check(NOT_FOUND))


@pytest.mark.parametrize("audit", VIEWS, ids=VIEW_IDS, indirect=True)
def test_player_in_every_stage(audit: Audit) -> None:
    """Before, playing (paused on a hold), the stop dialog, the check-in after, the summary."""
    from playwright.sync_api import expect

    page = audit.page
    audit.open(PLAYER)
    report = audit.check(f"{PLAYER} before")
    page.get_by_role("button", name="Skip check-in and start").click()
    expect(page.locator("#stage-play")).to_be_visible()
    for _ in range(4):
        page.keyboard.press("ArrowRight")  # past get ready and the pelvic tilts
    expect(page.locator("#seg-kind")).to_have_text("Hold")
    page.keyboard.press("Space")
    expect(page.locator("#btn-pause")).to_have_attribute("aria-pressed", "true")
    report += audit.check(f"{PLAYER} playing (paused)")
    page.keyboard.press("Space")
    page.keyboard.press("Escape")
    dialog = page.get_by_role("dialog", name="Stop the routine?")
    expect(dialog).to_be_visible()
    report += audit.check(f"{PLAYER} stop dialog")
    dialog.get_by_role("button", name="Stop and see summary").click()
    expect(page.locator("#stage-after")).to_be_visible()
    report += audit.check(f"{PLAYER} check-in after")
    page.locator("#after-form").get_by_role("button", name="Skip", exact=True).click()
    expect(page.locator("#stage-summary")).to_be_visible()
    page.wait_for_load_state("networkidle")
    report += audit.check(f"{PLAYER} summary")
    _fail_on(report)


@pytest.mark.parametrize("audit", VIEWS, ids=VIEW_IDS, indirect=True)
def test_routine_builder_import_and_delete_in_every_state(audit: Audit) -> None:
    """The builder with a problem shown, an import that needs a new id, and the delete page."""
    from playwright.sync_api import expect

    page = audit.page
    routine_id = f"a11y-{audit.view.name}"
    audit.open("/routines/new?exercise=seated-pelvic-tilts")
    page.select_option("#add_exercise", "split-stance-hamstring-hinge")
    page.get_by_role("button", name="Add to the routine").click()
    page.fill("#name", "Accessible")
    page.fill("#id", routine_id)
    page.fill("#steps-1-hold_seconds", "200")
    audit.expected_failures.add("/routines/new")
    page.get_by_role("button", name="Save routine").click()
    expect(page.locator("#problems")).to_be_focused()
    report = audit.check("/routines/new with a problem")
    page.fill("#steps-1-hold_seconds", "30")
    page.get_by_role("button", name="Save routine").click()
    expect(page.locator(f"#routine-{routine_id}")).to_be_visible()
    report += audit.check("/routines after saving")
    audit.open(f"/routines/{routine_id}/edit")
    report += audit.check("/routines/ID/edit")
    audit.open("/routines/import")
    text = f'id = "{routine_id}"\nname = "Again"\n\n[[steps]]\nexercise = "S10"\n'
    upload = FilePayload(name="again.toml", mimeType="text/plain", buffer=text.encode())
    page.set_input_files("#file", files=[upload])
    audit.expected_failures.add("/routines/import")
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("button", name="Replace my routine")).to_be_visible()
    report += audit.check("/routines/import with a clash")
    audit.open(f"/routines/{routine_id}/delete")
    report += audit.check("/routines/ID/delete")
    page.get_by_role("button", name="Delete the routine").click()  # leave the site as it was
    expect(page.locator(f"#routine-{routine_id}")).to_have_count(0)
    _fail_on(report)


@pytest.mark.parametrize("audit", VIEWS, ids=VIEW_IDS, indirect=True)
def test_following_a_programme(audit: Audit) -> None:
    """Today with a programme (week, today's session, the week's plan, a lesson), the programme
    page while it is followed, a lesson marked read; then the programme is stopped again, to
    leave the site as it was for the other tests."""
    from playwright.sync_api import expect

    from deskstretch.catalogue.lessons import load_lessons

    page = audit.page
    # A lesson of its own per view: a lesson once read stays read.
    lesson = load_lessons()[1 + VIEWS.index(audit.view)].id
    audit.open("/")
    page.get_by_role("button", name="Start this programme").click()
    try:
        expect(page.get_by_role("heading", name="Week 1 of 6")).to_be_visible()
        report = audit.check("/ following a programme")
        audit.open(f"/lessons/{lesson}")
        page.get_by_role("button", name="Mark as read").click()
        expect(page.get_by_text("You have read this lesson.")).to_be_visible()
        report += audit.check("/lessons/ID marked read")
        audit.open("/programmes/desk-back-6-weeks")
        report += audit.check("/programmes/ID followed")
    finally:
        audit.open("/programmes/desk-back-6-weeks")
        page.get_by_role("button", name="Stop following it").click()
    expect(page.get_by_text("Your sessions and check-ins stay in your history.")).to_be_visible()
    report += audit.check("/programmes after stopping")
    _fail_on(report)


@pytest.mark.parametrize("audit", VIEWS, ids=VIEW_IDS, indirect=True)
def test_photo_assessment_in_every_state(audit: Audit) -> None:
    """The upload sent back with a bad file (422), a measured photo's result page with its
    annotated image, and Progress with the forward-bend chart."""
    import cv2
    from playwright.sync_api import expect

    from helpers.pose_photos import PUSHUPS

    picture = cv2.imread(str(PUSHUPS))
    assert picture is not None
    top_frame = picture[:225]  # one person side-on, knees straight
    page = audit.page
    audit.open("/assess")
    audit.expected_failures.add("/assess")
    page.set_input_files(
        "#photos", files=[FilePayload(name="notes.txt", mimeType="text/plain", buffer=b"words")]
    )
    page.get_by_role("group", name="Does bending forward hurt today?").get_by_label("No").check()
    page.get_by_role("button", name="Measure my photos").click()
    expect(page.locator("#problems")).to_be_visible()
    report = audit.check("/assess with a problem")
    jpeg = cv2.imencode(".jpg", top_frame.copy())[1].tobytes()
    photo = FilePayload(name="me.jpg", mimeType="image/jpeg", buffer=jpeg)
    page.set_input_files("#photos", files=[photo])
    page.get_by_role("radio", name="Standing forward bend").check()
    page.get_by_role("group", name="Does bending forward hurt today?").get_by_label("No").check()
    page.get_by_role("button", name="Measure my photos").click()
    expect(page.get_by_role("heading", name="Your forward bend", level=1)).to_be_visible()
    report += audit.check("/assess/result/TOKEN")
    audit.open("/progress#bend")
    expect(page.locator("#bend svg.chart")).to_be_visible()
    report += audit.check("/progress with a forward-bend chart")
    _fail_on(report)


def test_crawl_finds_every_page_in_the_navigation(linked_pages: list[str]) -> None:
    nav = ["/", "/library", "/routines", "/learn", "/progress", "/safety", "/settings", "/help"]
    missing = [path for path in nav if path not in linked_pages]
    assert not missing, f"not reached by following links from Today: {missing}"


@pytest.mark.parametrize("audit", VIEWS, ids=VIEW_IDS, indirect=True)
def test_every_other_linked_page(audit: Audit, linked_pages: list[str]) -> None:
    """Pages reached by links that the list above does not name (other exercises and routines,
    anything added later)."""
    others = [path for path in linked_pages if path not in PAGES.values()]
    report: list[str] = []
    for path in others:
        audit.open(path)
        report += audit.check(path)
    _fail_on(report)


def test_axe_finds_violations(chromium: Browser, site: str, axe_js: str) -> None:
    """The harness itself: a page with known problems must fail the audit."""
    checker = Audit(chromium, site, VIEWS[0], axe_js)
    try:
        checker.open("/help")
        checker.page.evaluate(
            """() => {
              document.documentElement.removeAttribute("lang");
              const img = document.createElement("img");
              img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
              document.querySelector("main").append(img);
            }"""
        )
        ids = {v["id"] for v in checker.violations()}
        assert {"html-has-lang", "image-alt"} <= ids, ids
    finally:
        checker.close()


def test_axe_core_is_the_pinned_version(axe_js: str) -> None:
    root = Path(__file__).resolve().parents[2]
    lock = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/axe-core"]["version"]
    installed = json.loads(
        (root / "node_modules" / "axe-core" / "package.json").read_text(encoding="utf-8")
    )["version"]
    assert installed == pinned, f"axe-core {installed} installed, {pinned} pinned: run make test"
