"""The player in real Chromium against a real server: a short routine played in real time with the
keyboard, check-ins before and after, the summary, and the session on the progress page; the
page's JS player gives the same events and summary as core/player.py for the same commands; and
screenshots of the playing screen (phone and laptop, light and dark) for a person to look at.

No console errors and no Content-Security-Policy violations are allowed anywhere.
"""

from __future__ import annotations

import math
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, expect

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.models import Side
from deskstretch.core.player import Player
from deskstretch.core.safety import CAUDA_EQUINA_IDS
from helpers.support import Dirs

pytestmark = pytest.mark.e2e

# 3 s get ready, 2 reps of 2 s, 2 s to the next exercise, then a 5 s hold per leg (5 s is the
# shortest hold a routine file may ask for) with 2 s to switch legs: 23 s in all.
ROUTINE = """\
name = "Browser test"
get_ready_seconds = 3
transition_seconds = 2
switch_seconds = 2

[[steps]]
exercise = "seated-pelvic-tilts"
reps = 2
rep_seconds = 2

[[steps]]
exercise = "seated-hamstring-hinge"
reps = 1
hold_seconds = 5
"""
ROUTINE_ID = "browser-test"

# Runs before any page script: CSP violations are collected (the console shows them too).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def routine_files() -> dict[str, str]:
    """The test routine, put in place by the ``server`` fixture (tests/e2e/conftest.py)."""
    return {ROUTINE_ID: ROUTINE}


class Watched:
    """A page whose console errors, uncaught errors, CSP violations and failed responses are
    collected, so a test can assert there were none."""

    def __init__(self, browser: Browser, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.context.add_init_script(WATCH_CSP)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.responses: list[tuple[int, str]] = []
        self.page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("response", lambda r: self.responses.append((r.status, r.url)))

    def assert_clean(self, allow: list[tuple[int, str]] | None = None) -> None:
        """No CSP violations, console errors or failed responses (but ``allow``ed ones: status
        and path, e.g. the 403 of a page locked for safety, which a browser logs too)."""
        allowed = allow or []
        violations = self.page.evaluate("window.__cspViolations")
        assert violations == [], violations
        failures = [(s, urlsplit(u).path) for s, u in self.responses if s >= 400]
        assert [f for f in failures if f not in allowed] == [], failures
        # Chromium logs every failed load as a console error: only the allowed ones may be there.
        load_errors = [p for p in self.problems if "Failed to load resource" in p]
        assert len(load_errors) <= len(failures), self.problems
        problems = [p for p in self.problems if p not in load_errors]
        assert problems == [], problems

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(chromium: Browser) -> Iterator[Watched]:
    page = Watched(chromium, viewport={"width": 1280, "height": 800})
    yield page
    page.close()


def countdown(page: Any) -> str:
    text: str = page.locator("#countdown").inner_text()
    return text


def test_routine_plays_in_real_time_with_keyboard_and_checkins(
    server: str, watched: Watched, dirs: Dirs
) -> None:
    page = watched.page
    page.goto(f"{server}/play/{ROUTINE_ID}")
    expect(page.locator("h1")).to_have_text("Browser test")

    # Check-in before: back 2, leg 0, then start.
    before = page.locator("#before-form")
    before.locator('input[name="back_pain"][value="2"]').check()
    before.locator('input[name="leg_pain"][value="0"]').check()
    before.get_by_role("button", name="Start routine").click()
    expect(page.locator("#stage-play")).to_be_visible()
    expect(page.locator("#seg-kind")).to_have_text("Get ready")
    expect(page.locator("#caption")).to_contain_text("First: Seated pelvic tilts")
    expect(page.locator("#figure svg")).to_be_attached()

    # Space pauses: the countdown and the progress bar stand still.
    page.keyboard.press("Space")
    expect(page.locator("#btn-pause")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#btn-pause-label")).to_have_text("Resume")
    # The icon shows what the button will do: a play triangle while paused.
    playing_icon = "M7 5h4v14H7zM13 5h4v14h-4z"
    expect(page.locator("#btn-pause-icon")).not_to_have_attribute("d", playing_icon)
    frozen = countdown(page)
    progress = page.locator("#routine-progress").get_attribute("aria-valuenow")
    page.wait_for_timeout(1500)
    assert countdown(page) == frozen
    assert page.locator("#routine-progress").get_attribute("aria-valuenow") == progress
    expect(page.locator("#seg-kind")).to_have_text("Get ready")
    page.keyboard.press("Space")
    expect(page.locator("#btn-pause")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#btn-pause-icon")).to_have_attribute("d", playing_icon)

    # The voice is on by default, through espeak-ng here; the toggle turns it off and on again.
    # The next cue is fetched as speech (the caption shows it anyway).
    expect(page.locator("#voice-note")).to_have_text("Voice: espeak-ng on this computer")
    expect(page.locator("#btn-voice")).to_have_attribute("aria-pressed", "true")
    page.locator("#btn-voice").click()
    expect(page.locator("#btn-voice")).to_have_attribute("aria-pressed", "false")
    page.locator("#btn-voice").click()
    expect(page.locator("#btn-voice")).to_have_attribute("aria-pressed", "true")

    # Get ready ends by itself; the pelvic tilts (reps) begin.
    with page.expect_response(lambda r: "/api/speech" in r.url, timeout=8000) as spoken:
        expect(page.locator("#seg-kind")).to_have_text("Move", timeout=6000)
    # A POST with the page's CSRF token (a GET is refused: speaking is costly work).
    assert spoken.value.request.method == "POST"
    assert spoken.value.status == 200
    assert spoken.value.header_value("content-type") == "audio/wav"
    expect(page.locator("#seg-rep")).to_have_text("Rep 1 of 2")
    # The figure moves with the reps: its trunk is redrawn between animation frames.
    trunk = page.locator("#figure svg .trunk")
    first_pose = trunk.get_attribute("d")
    page.wait_for_timeout(300)
    assert trunk.get_attribute("d") != first_pose
    expect(page.locator("#next-line")).to_have_text("Next: Seated hamstring hinge")

    # ArrowRight skips to the next segment, ArrowLeft (under 3 s in) goes back to the reps.
    page.keyboard.press("ArrowRight")
    expect(page.locator("#seg-kind")).to_have_text("Next exercise")
    expect(page.locator("#seg-exercise")).to_have_text("Seated hamstring hinge")
    page.keyboard.press("ArrowLeft")
    back_at = time.monotonic()
    expect(page.locator("#seg-kind")).to_have_text("Move")
    expect(page.locator("#countdown")).to_have_text("4")
    expect(page.locator("#seg-exercise")).to_have_text("Seated pelvic tilts")

    # From here it plays by itself: reps 4 s, next 2 s, hold left 5 s, switch 2 s, hold right 5 s.
    expect(page.locator("#seg-kind")).to_have_text("Hold", timeout=10_000)
    expect(page.locator("#seg-side")).to_have_text("left leg")
    expect(page.locator("#figure")).not_to_have_class("pl-figure is-mirrored")
    expect(page.locator("#seg-side")).to_have_text("right leg", timeout=10_000)
    expect(page.locator("#figure")).to_have_class("pl-figure is-mirrored")
    expect(page.locator("#stage-after")).to_be_visible(timeout=10_000)
    played = time.monotonic() - back_at
    # 18 s of timeline after going back; the page's clock is the origin, not its timers.
    assert 17.0 < played < 20.5, played

    # Check-in after, then the summary.
    after = page.locator("#after-form")
    after.locator('input[name="back_pain"][value="3"]').check()
    after.get_by_role("button", name="Save and see summary").click()
    expect(page.locator("#summary-title")).to_have_text("Routine complete. Well done.")
    rows = page.locator("#summary-rows tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Seated pelvic tilts")
    expect(rows.nth(1)).to_contain_text("left 0:05, right 0:05")
    expect(page.locator("#summary-totals")).to_contain_text("2 of 2 exercises")
    summary_links = page.locator("#stage-summary")
    expect(summary_links.get_by_role("link", name="Today")).to_be_visible()
    expect(summary_links.get_by_role("link", name="Progress")).to_be_visible()

    with sqlite3.connect(dirs.data / "deskstretch.sqlite3") as db:
        sessions = db.execute("select id, status, front_end, routine_id from sessions").fetchall()
        steps = db.execute(
            "select step_index, completed, skipped, seconds_left, seconds_right "
            "from session_steps order by step_index"
        ).fetchall()
        checkins = db.execute(
            "select context, back_pain, leg_pain, session_id from checkins order by at"
        ).fetchall()
    assert [s[1:] for s in sessions] == [("completed", "browser", ROUTINE_ID)]
    session_id = sessions[0][0]
    assert steps[0][:3] == (0, 1, 0)
    assert steps[1] == (1, 1, 0, 5.0, 5.0)
    assert checkins == [
        ("before_session", 2, 0, session_id),
        ("after_session", 3, None, session_id),
    ]

    # The progress page counts the session and shows the pain ratings.
    summary_links.get_by_role("link", name="Progress").click()
    expect(page.locator("h1")).to_have_text("Progress")
    sessions_stat = page.locator(".stat", has_text="session")
    expect(sessions_stat.locator(".stat-value")).to_have_text("1")
    expect(page.locator("#pain")).not_to_contain_text("No pain ratings yet")
    watched.assert_clean()


def test_stop_with_escape_asks_then_ends_early(server: str, watched: Watched, dirs: Dirs) -> None:
    page = watched.page
    page.goto(f"{server}/play/{ROUTINE_ID}")
    page.get_by_role("button", name="Skip check-in and start").click()
    expect(page.locator("#stage-play")).to_be_visible()
    page.keyboard.press("ArrowRight")  # into the reps
    expect(page.locator("#seg-kind")).to_have_text("Move")
    page.keyboard.press("Escape")
    dialog = page.get_by_role("dialog", name="Stop the routine?")
    expect(dialog).to_be_visible()
    expect(page.locator("#btn-pause")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Escape")  # Escape again keeps going
    expect(dialog).to_be_hidden()
    expect(page.locator("#btn-pause")).to_have_attribute("aria-pressed", "false")
    # Space on a focused button pauses; it does not also press that button.
    page.locator("#btn-skip").focus()
    page.keyboard.press("Space")
    expect(page.locator("#btn-pause")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#seg-kind")).to_have_text("Move")
    page.keyboard.press("Space")
    expect(page.locator("#btn-pause")).to_have_attribute("aria-pressed", "false")
    page.wait_for_timeout(1200)
    page.locator("#btn-stop").click()
    dialog.get_by_role("button", name="Stop and see summary").click()
    expect(page.locator("#stage-after")).to_be_visible()
    page.locator("#after-form").get_by_role("button", name="Skip", exact=True).click()
    expect(page.locator("#summary-title")).to_have_text("Stopped early. That still counts.")
    expect(page.locator("#summary-rows tr").nth(1)).to_contain_text("skipped")
    expect(page.locator("#summary-totals")).to_contain_text(
        re.compile(
            r"Saved as partial: \d{1,2}% of the planned holds and moves done; complete needs 80%\."
        )
    )
    with sqlite3.connect(dirs.data / "deskstretch.sqlite3") as db:
        assert db.execute("select status from sessions").fetchall() == [("partial",)]
        assert db.execute("select count(*) from checkins").fetchall() == [(0,)]
    watched.assert_clean()


def test_leg_pain_asks_cauda_equina_again_and_a_yes_stops(
    server: str, watched: Watched, dirs: Dirs
) -> None:
    page = watched.page
    page.goto(f"{server}/play/{ROUTINE_ID}")
    before = page.locator("#before-form")
    before.locator('input[name="leg_pain"][value="4"]').check()  # new leg pain
    before.get_by_role("button", name="Start routine").click()
    questions = page.locator("#cauda-form fieldset[data-question]")
    expect(questions).to_have_count(len(CAUDA_EQUINA_IDS))
    expect(page.locator("#cauda-title")).to_be_focused()
    page.get_by_role("button", name="Send answers").click()
    expect(page.locator("#cauda-error")).to_have_text("Please answer every question (yes or no).")
    for index in range(len(CAUDA_EQUINA_IDS)):
        answer = "yes" if index == 2 else "no"
        questions.nth(index).locator(f'input[value="{answer}"]').check()
    page.get_by_role("button", name="Send answers").click()
    expect(page.locator("#stage-stopped")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="emergency")).to_be_visible()
    expect(page.locator("#stage-play")).to_be_hidden()
    page.wait_for_timeout(500)
    expect(page.locator("#stage-play")).to_be_hidden()
    with sqlite3.connect(dirs.data / "deskstretch.sqlite3") as db:
        # The check-in is kept; no session was started.
        assert db.execute("select leg_pain from checkins").fetchall() == [(4,)]
        assert db.execute("select count(*) from sessions").fetchall() == [(0,)]
    page.goto(f"{server}/play/{ROUTINE_ID}")
    expect(page.locator("h1")).to_contain_text("paused for your safety")
    watched.assert_clean(allow=[(403, f"/play/{ROUTINE_ID}")])


def test_frozen_tab_catches_up_from_the_origin(server: str, watched: Watched) -> None:
    """A backgrounded tab's timers are throttled or frozen; the position comes from the origin,
    so on waking the page is exactly where the timeline says, past any boundaries missed."""
    page = watched.page
    page.goto(f"{server}/play/{ROUTINE_ID}")
    page.get_by_role("button", name="Skip check-in and start").click()
    expect(page.locator("#stage-play")).to_be_visible()
    started = time.monotonic()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setWebLifecycleState", {"state": "frozen"})
    time.sleep(4.2)
    cdp.send("Page.setWebLifecycleState", {"state": "active"})
    # 3 s of get ready passed while frozen: the reps (4 s) are about 1.2 s in.
    expect(page.locator("#seg-kind")).to_have_text("Move", timeout=1000)
    elapsed = time.monotonic() - started
    expected = str(math.ceil(3 + 4 - elapsed))
    assert countdown(page) in {expected, str(int(expected) - 1)}
    watched.assert_clean()


def test_reduced_motion_shows_whole_poses_only(server: str, chromium: Browser) -> None:
    watched = Watched(chromium, viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    page = watched.page
    try:
        page.goto(f"{server}/play/{ROUTINE_ID}")
        keyframes = page.evaluate(
            """async () => {
              const out = [];
              for (const k of [0, 1]) {
                const text = await (await fetch(`/figures/seated-pelvic-tilts/${k}.svg`)).text();
                const svg = new DOMParser().parseFromString(text, "image/svg+xml");
                out.push(svg.querySelector(".trunk").getAttribute("d"));
              }
              return out;
            }"""
        )
        assert keyframes[0] != keyframes[1]
        page.get_by_role("button", name="Skip check-in and start").click()
        expect(page.locator("#stage-play")).to_be_visible()
        page.keyboard.press("ArrowRight")  # into the reps (2 s each)
        expect(page.locator("#seg-kind")).to_have_text("Move")
        seen = set()
        for _ in range(12):
            seen.add(page.locator("#figure svg .trunk").get_attribute("d"))
            page.wait_for_timeout(150)
        # Start and end poses only, switched each half rep: no in-between frames.
        assert seen == set(keyframes), seen
        watched.assert_clean()
    finally:
        watched.close()


# The same commands at the same times, through core/player.py and through the page's
# static/js/player/core.js.
SCRIPT: list[tuple[float, str]] = [
    (0.0, "advance"),
    (1.0, "pause"),
    (2.5, "resume"),
    (3.0, "advance"),
    (4.6, "advance"),
    (5.0, "skip"),
    (5.5, "back"),
    (6.0, "back"),
    (9.7, "back"),
    (10.0, "togglePause"),
    (11.0, "togglePause"),
    (14.0, "skip"),
    (19.0, "advance"),
    (21.2, "advance"),
    (26.0, "skip"),
    (40.0, "advance"),
]
JS_RUN = """
([plan, script, origin]) => {
  const player = new window.deskstretchPlayer(
    plan.segments, plan.steps, origin, plan.back_restart_seconds);
  const log = [];
  for (const [at, command] of script) {
    const now = origin + at;
    for (const e of player[command](now)) {
      log.push([e.kind, e.segment ? e.segment.index : null]);
    }
    const view = player.view(now);
    log.push(["view", view.segment ? view.segment.index : null,
              Math.round(view.remaining * 1000), view.rep, player.status]);
  }
  return {log, summary: player.summary()};
}
"""


def _python_run(coach: Coach, origin: float) -> dict[str, Any]:
    plan = coach.plan(coach.resolve_routine(ROUTINE_ID, None))
    player = Player(plan.timeline, origin)
    names = {"togglePause": "toggle_pause"}
    log: list[list[Any]] = []
    for at, command in SCRIPT:
        now = origin + at
        for event in getattr(player, names.get(command, command))(now):
            log.append([event.kind.value, event.segment.index if event.segment else None])
        view = player.view(now)
        log.append(
            [
                "view",
                view.segment.index if view.segment else None,
                round(view.remaining_in_segment * 1000),
                view.rep,
                player.status.value,
            ]
        )
    summary = [
        {
            "step_index": s.step_index,
            "done_seconds": round(s.done_seconds, 3),
            "seconds_left": round(s.seconds_by_side.get(Side.LEFT, 0.0), 3),
            "seconds_right": round(s.seconds_by_side.get(Side.RIGHT, 0.0), 3),
            "seconds_both": round(s.seconds_by_side.get(Side.BOTH, 0.0), 3),
            "completed": s.completed,
            "skipped": s.skipped,
        }
        for s in player.summary().steps
    ]
    return {"log": log, "summary": summary}


def test_js_player_matches_core_player(server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server}/play/{ROUTINE_ID}")
    plan = page.evaluate("fetch('/api/play/" + ROUTINE_ID + "').then((r) => r.json())")
    origin = 1234.5
    in_browser = page.evaluate(JS_RUN, [plan, SCRIPT, origin])
    in_python = _python_run(Coach(Settings.from_env()), origin)
    assert in_browser["log"] == in_python["log"]
    assert in_browser["summary"] == in_python["summary"]
    kinds = {entry[0] for entry in in_python["log"]}
    assert {"segment_started", "paused", "resumed", "finished"} <= kinds
    watched.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_playing_screen_screenshots(
    server: str, chromium: Browser, shots: Path, scheme: str
) -> None:
    """Phone and laptop sizes while a hold plays; saved in ``shots`` for a person to look at."""
    for name, size in (("phone", (390, 844)), ("laptop", (1280, 800))):
        watched = Watched(
            chromium,
            viewport={"width": size[0], "height": size[1]},
            color_scheme=scheme,
            device_scale_factor=1,
        )
        page = watched.page
        try:
            page.goto(f"{server}/play/hamstring-2min")
            page.screenshot(path=str(shots / f"{name}-{scheme}-before.png"), full_page=True)
            page.get_by_role("button", name="Skip check-in and start").click()
            expect(page.locator("#stage-play")).to_be_visible()
            page.keyboard.press("ArrowRight")  # into the pelvic tilts
            expect(page.locator("#seg-kind")).to_have_text("Move")
            page.wait_for_timeout(1200)
            page.screenshot(path=str(shots / f"{name}-{scheme}-reps.png"))
            for _ in range(3):
                page.keyboard.press("ArrowRight")  # to the first hold of the hinge
            expect(page.locator("#seg-kind")).to_have_text("Hold")
            page.wait_for_timeout(2500)  # eased into the held pose
            page.screenshot(path=str(shots / f"{name}-{scheme}-hold.png"))
            page.keyboard.press("Escape")
            page.get_by_role("button", name="Stop and see summary").click()
            page.locator("#after-form").get_by_role("button", name="Skip", exact=True).click()
            expect(page.locator("#stage-summary")).to_be_visible()
            page.screenshot(path=str(shots / f"{name}-{scheme}-summary.png"), full_page=True)
            watched.assert_clean()
        finally:
            watched.close()
