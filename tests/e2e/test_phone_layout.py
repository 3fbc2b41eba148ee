"""Phones (390x844) in real Chromium: no page of the app scrolls sideways, and the player keeps
the phase, the side and the seconds left in view wherever the page is scrolled, without covering
its controls.

The app runs with one person's folders made to stretch a narrow screen: long folder paths (shown
in <code> on several pages), a broken routine file and a broken programme file (their problems
are listed), a routine with a long name, a programme followed, an everyday activity with a long
name, and three weeks of sessions, check-ins and flexibility tests (the tables of Progress and
of the report). Besides the pages the accessibility audit names, every page linked from Today is
opened too, as are the first-run pages of a newcomer.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

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
from e2e.test_accessibility import PAGES
from helpers.browser_checks import no_horizontal_scroll
from helpers.support import Dirs, answers_toml

pytestmark = pytest.mark.e2e

PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1280, "height": 800}
PLAYER = "/play/hamstring-2min"
# A home folder as deep as some people's are: one unbroken "word" far wider than a phone.
LONG_FOLDER = "a-rather-long-folder-name-someone-might-have/another_deeply_nested_folder_name"
LONG_ROUTINE_ID = "supercalifragilistic-hamstring-and-lower-back-routine"
NEWCOMER_PAGES = ["/", "/start", "/start/safety", "/start/goal", "/start/plan"]

ServerStarter = Callable[[dict[str, str], Path], AbstractContextManager[str]]

# The widest elements sticking out past the right edge: what a failure names.
WIDEST = """
() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .map((e) => [e, e.getBoundingClientRect()])
    .filter(([e, r]) => r.width > 0 && r.right > width + 0.5)
    .sort((a, b) => b[1].right - a[1].right)
    .slice(0, 4)
    .map(([e, r]) => `<${e.tagName.toLowerCase()} class="${e.className}">`
      + ` to ${Math.round(r.right)}px`);
}
"""
# Where an element is, and whether a tap at its centre lands on it (nothing covers it).
PLACE = """
(selector) => {
  const element = document.querySelector(selector);
  const r = element.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {
    top: r.top, bottom: r.bottom, height: window.innerHeight,
    reached: hit !== null && (hit === element || element.contains(hit)),
    hit: hit ? hit.outerHTML.slice(0, 100) : "nothing",
  };
}
"""


def _history(now: datetime) -> exchange.Bundle:
    """Three weeks of sessions most days, a check-in before each, and two flexibility tests."""
    sessions: list[SessionRecord] = []
    checkins: list[CheckIn] = []
    for days in range(21, 0, -1):
        if days % 3 == 0:
            continue
        at = (now - timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
        session_id = f"phone-s{days}"
        step = StepRecord(0, "seated-hamstring-hinge", "hamstrings", 60, 60, 30, 30, completed=True)
        sessions.append(
            SessionRecord(
                session_id,
                "hamstring-2min",
                "Quick hamstring stretch",
                at,
                SessionStatus.COMPLETED,
                (step,),
                at + timedelta(minutes=3),
                front_end="browser",
            )
        )
        checkins.append(
            CheckIn(
                f"{session_id}-b", at, 2 + days // 4, 1, CheckInContext.BEFORE_SESSION, session_id
            )
        )
    measurements = [
        Measurement(
            f"phone-m{days}",
            now - timedelta(days=days),
            MeasurementKind.CHAIR_SIT_AND_REACH,
            reach_cm,
            "csr-senior-fitness-test",
            "left",
        )
        for days, reach_cm in ((18, -6.0), (2, -3.5))
    ]
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
def phone_site(
    tmp_path_factory: pytest.TempPathFactory, start_server: ServerStarter
) -> Iterator[str]:
    """The app with one person's folders, filled with what makes a phone screen too narrow."""
    root = tmp_path_factory.mktemp("phone")
    dirs = Dirs(root, root / LONG_FOLDER / "config", root / LONG_FOLDER / "data")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
    env.update(dirs.env_vars())
    answers = root / "answers.toml"
    answers.write_text(answers_toml(), encoding="utf-8")
    _deskstretch(env, "check", "--from", str(answers))
    history = root / "history.json"
    history.write_text(json.dumps(exchange.dump(_history(datetime.now(UTC)))), encoding="utf-8")
    _deskstretch(env, "import", str(history))
    _deskstretch(env, "programme", "start", "desk-back-6-weeks")
    _deskstretch(env, "psfs", "add", "Sitting through a whole-afternoon-planning-meeting-at-work")
    dirs.routines.mkdir(parents=True, exist_ok=True)
    (dirs.routines / f"{LONG_ROUTINE_ID}.toml").write_text(
        'name = "Supercalifragilistic hamstring-and-lower-back routine for long days"\n\n'
        '[[steps]]\nexercise = "seated-pelvic-tilts"\nreps = 2\nrep_seconds = 2\n',
        encoding="utf-8",
    )
    (dirs.routines / "a-broken-routine-file-with-a-rather-long-name.toml").write_text(
        'name = "Broken"\n\n[[steps]]\nexercise = "no-such-exercise-with-a-long-made-up-name"\n',
        encoding="utf-8",
    )
    programmes = dirs.config / "programmes"
    programmes.mkdir(parents=True, exist_ok=True)
    (programmes / "a-broken-programme-file-with-a-rather-long-name.toml").write_text(
        "name = ", encoding="utf-8"
    )
    with start_server(env, root / "server.log") as url:
        yield url


@pytest.fixture
def phone(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport=PHONE, device_scale_factor=1)
    yield context.new_page()
    context.close()


def _linked_pages(page: Page, base: str, start: list[str], limit: int = 120) -> list[str]:
    """``start`` and every same-site page reachable by links from it (paths, in order found)."""
    found: list[str] = []
    queue = list(start)
    seen = set(queue)
    while queue and len(found) < limit:
        path = queue.pop(0)
        response = page.goto(base + path)
        assert response is not None and response.status < 400, (path, response)
        found.append(path)
        hrefs: list[str] = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != base or parts.path.startswith("/static/"):
                continue
            if "." in parts.path.rsplit("/", 1)[-1]:
                continue  # a download (routine.toml, export.csv ...), not a page
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return found


def _sideways(page: Page, what: str) -> list[str]:
    """[] when the page fits the screen's width, else what sticks out."""
    if no_horizontal_scroll(page):
        return []
    width = page.evaluate("document.documentElement.scrollWidth")
    return [f"{what}: {width}px wide on a {PHONE['width']}px screen: {page.evaluate(WIDEST)}"]


def _open(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 400, (url, response)


def test_no_page_scrolls_sideways_on_a_phone(phone: Page, phone_site: str) -> None:
    extra = [
        "/start/plan",
        f"/routines/{LONG_ROUTINE_ID}/edit",
        f"/routines/{LONG_ROUTINE_ID}/delete",
    ]
    paths = _linked_pages(phone, phone_site, ["/", *PAGES.values(), *extra])
    assert set(PAGES.values()) <= set(paths)
    problems: list[str] = []
    for path in paths:
        _open(phone, phone_site + path)
        problems += _sideways(phone, path)
    assert problems == [], "\n".join(problems)


def test_no_first_run_page_scrolls_sideways_on_a_phone(
    phone: Page, tmp_path: Path, start_server: ServerStarter
) -> None:
    dirs = Dirs(tmp_path, tmp_path / LONG_FOLDER / "config", tmp_path / LONG_FOLDER / "data")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
    env.update(dirs.env_vars())
    problems: list[str] = []
    with start_server(env, tmp_path / "server.log") as url:
        for path in NEWCOMER_PAGES:
            _open(phone, url + path)
            problems += _sideways(phone, f"a newcomer's {path}")
    assert problems == [], "\n".join(problems)


def test_the_check_finds_a_page_that_scrolls_sideways(phone: Page, phone_site: str) -> None:
    """The harness itself: one unbreakable line wider than the screen must be caught."""
    _open(phone, phone_site + "/help")
    assert _sideways(phone, "/help") == []
    phone.evaluate(
        """() => { const p = document.createElement("p");
                   p.textContent = "x".repeat(200); p.style.whiteSpace = "nowrap";
                   document.querySelector("main").append(p); }"""
    )
    assert _sideways(phone, "/help with a wide line") != []


def _start_playing(page: Page, base: str) -> None:
    page.goto(base + PLAYER)
    page.get_by_role("button", name="Skip check-in and start").click()
    expect(page.locator("#stage-play")).to_be_visible()
    expect(page.locator("#seg-kind")).to_have_text("Get ready")


def _to_a_hold_with_a_side(page: Page) -> None:
    for _ in range(4):
        page.keyboard.press("ArrowRight")  # past get ready and the pelvic tilts
    expect(page.locator("#seg-kind")).to_have_text("Hold")
    expect(page.locator("#seg-side")).to_be_visible()
    expect(page.locator("#seg-side")).to_have_text(re.compile(r"(left|right) leg", re.I))


def _place(page: Page, selector: str) -> dict[str, Any]:
    place: dict[str, Any] = page.evaluate(PLACE, selector)
    return place


def _scroll(page: Page, where: str) -> None:
    top = "document.documentElement.scrollHeight" if where == "bottom" else "0"
    # "instant": the page scrolls smoothly otherwise, and would still be moving when measured.
    page.evaluate(f"window.scrollTo({{top: {top}, behavior: 'instant'}})")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done(null)))")


def test_player_keeps_phase_side_and_seconds_in_view_on_a_phone(
    chromium: Browser, phone_site: str, shots: Path
) -> None:
    context = chromium.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    try:
        _start_playing(page, phone_site)
        page.screenshot(path=str(shots / "phone-layout-get-ready.png"))
        _to_a_hold_with_a_side(page)
        page.screenshot(path=str(shots / "phone-layout-hold.png"))
        assert page.evaluate("document.documentElement.scrollHeight") > PHONE["height"] + 200, (
            "the playing screen fits a phone without scrolling: nothing here is tested"
        )
        pause = page.locator("#btn-pause")
        for where in ("bottom", "top", "bottom"):
            _scroll(page, where)
            if where == "bottom":
                assert page.evaluate("window.scrollY") > 200
                page.screenshot(path=str(shots / "phone-layout-hold-scrolled.png"))
            else:
                assert page.evaluate("window.scrollY") == 0
                pause.scroll_into_view_if_needed()  # as a person scrolls to the controls
            for selector in ("#seg-kind", "#seg-side", "#countdown", "#btn-pause"):
                place = _place(page, selector)
                assert place["top"] >= 0 and place["bottom"] <= place["height"], (
                    f"{selector} is out of view after scrolling to the {where}: {place}"
                )
                assert place["reached"], f"{selector} is covered by {place['hit']} ({where})"
        pause.click()  # a real tap: Playwright refuses it if anything covers the button
        expect(pause).to_have_attribute("aria-pressed", "true")
        expect(page.locator(".pl-paused-badge")).to_be_visible()
        assert _place(page, "#seg-side")["reached"]
        pause.click()
        expect(pause).to_have_attribute("aria-pressed", "false")
        assert _sideways(page, "the player during a hold") == []
    finally:
        context.close()


def test_player_on_a_laptop_keeps_the_clock_in_the_figure(
    chromium: Browser, phone_site: str, shots: Path
) -> None:
    """The phone's bar is for one column only: side by side, the clock stays in the figure's
    corner and nothing sticks."""
    context = chromium.new_context(viewport=LAPTOP, device_scale_factor=1)
    page = context.new_page()
    try:
        _start_playing(page, phone_site)
        _to_a_hold_with_a_side(page)
        page.screenshot(path=str(shots / "laptop-layout-hold.png"))
        figure = page.locator("#figure").bounding_box()
        clock = page.locator(".pl-clock").bounding_box()
        assert figure is not None and clock is not None
        right = figure["x"] + figure["width"]
        assert figure["x"] <= clock["x"] and clock["x"] + clock["width"] <= right
        assert figure["y"] <= clock["y"] < figure["y"] + figure["height"] / 2
        position = page.evaluate("getComputedStyle(document.querySelector('.pl-bar')).position")
        assert position == "static"
    finally:
        context.close()


def test_phone_bar_sticks_and_holds_the_clock(chromium: Browser, phone_site: str) -> None:
    """On a phone the clock rides in the bar above the figure, beside the phase and the side."""
    context = chromium.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    try:
        _start_playing(page, phone_site)
        _to_a_hold_with_a_side(page)
        bar = page.locator(".pl-bar").bounding_box()
        clock = page.locator(".pl-clock").bounding_box()
        figure = page.locator("#figure").bounding_box()
        assert bar is not None and clock is not None and figure is not None
        assert clock["y"] + clock["height"] <= figure["y"], "the clock is above the figure"
        assert abs(clock["y"] - bar["y"]) < 2, "the clock shares the bar's row"
        assert page.evaluate("getComputedStyle(document.querySelector('.pl-bar')).position") == (
            "sticky"
        )
    finally:
        context.close()
