"""The routine builder in real Chromium against a real server: build a two-step routine with the
keyboard and the mouse, watch the length follow the typing, reorder, save, find it on the
Routines page and play it; the same with JavaScript switched off; and screenshots of the builder
(phone and laptop, light and dark) for a person to look at.

A mistake comes back (422) on the same page: a summary at the top that links to each field, the
problem in plain words beside its field, every value kept, and no axe-core WCAG 2 A/AA violation.

No console errors and no Content-Security-Policy violations are allowed (but the logged 422 of a
form sent back with a problem, which some tests send on purpose).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from deskstretch.catalogue.loader import load_catalogue, load_routine_file
from deskstretch.core.timeline import build_timeline
from helpers.browser_checks import violations
from helpers.support import Dirs
from helpers.web_client import jargon_in

pytestmark = pytest.mark.e2e

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


class Browsing:
    """One browser context whose console errors, CSP violations and failed responses are kept."""

    def __init__(self, browser: Browser, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.context.add_init_script(WATCH_CSP)
        self.page: Page = self.context.new_page()
        self.problems: list[str] = []
        self.failures: list[tuple[int, str]] = []
        self.page.on(
            "console",
            lambda m: self.problems.append(m.text) if m.type in ("error", "warning") else None,
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on(
            "response",
            lambda r: (
                self.failures.append((r.status, urlsplit(r.url).path)) if r.status >= 400 else None
            ),
        )

    def assert_clean(self, allow: tuple[tuple[int, str], ...] = ()) -> None:
        if (
            self.context.pages
            and self.page.evaluate("typeof window.__cspViolations") != "undefined"
        ):
            assert self.page.evaluate("window.__cspViolations") == []
        assert [f for f in self.failures if f not in allow] == []
        loads = [p for p in self.problems if p.startswith("Failed to load resource")]
        assert len(loads) <= len(self.failures), self.problems
        assert [p for p in self.problems if p not in loads] == []

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def browsing(chromium: Browser) -> Iterator[Browsing]:
    session = Browsing(chromium, viewport={"width": 1280, "height": 800})
    yield session
    session.close()


def choose_and_add(page: Page, exercise_id: str) -> None:
    """Pick an exercise in the "Add an exercise" list with the keyboard, then press Add."""
    select = page.locator("#add_exercise")
    select.focus()
    select.select_option(exercise_id)
    page.get_by_role("button", name="Add to the routine").click()
    page.wait_for_load_state("load")


def test_build_save_and_play_a_two_step_routine(
    server: str, browsing: Browsing, dirs: Dirs
) -> None:
    page = browsing.page
    page.goto(f"{server}/routines")
    page.get_by_role("link", name="New routine").click()
    expect(page.locator("h1")).to_have_text("New routine")

    page.locator("#name").click()
    page.keyboard.type("Desk reset")
    choose_and_add(page, "seated-pelvic-tilts")
    expect(page.locator("#name")).to_have_value("Desk reset")  # kept across the re-render
    expect(page.locator("#steps-0-title")).to_be_focused()
    expect(page.locator("#builder-total")).to_have_text("50 s")  # 10 get ready + 8 x 5 s
    choose_and_add(page, "seated-hamstring-hinge")
    expect(page.locator("#steps-1-title")).to_be_focused()
    expect(page.locator("#add_exercise")).to_have_value("")
    # 50 + 10 between + four 30 s holds and three 5 s switches.
    expect(page.locator("#builder-total")).to_have_text("3 min 15 s")
    expect(page.locator("#id-hint")).to_contain_text("desk-reset")

    # The length follows the typing (the server's timeline, fetched by builder.js).
    expect(page.locator(".builder-update")).to_be_hidden()
    reps = page.locator("#steps-1-reps")
    reps.click()
    reps.press("Control+a")
    page.keyboard.type("1")
    expect(page.locator("#builder-total")).to_have_text("2 min 5 s")
    expect(page.locator("#builder-length-note")).to_have_text(
        "Within the 2 to 5 minutes we suggest."
    )
    page.locator("#steps-0-reps").fill("6")
    expect(page.locator("#builder-total")).to_have_text("1 min 55 s")
    expect(page.locator("#builder-length-note")).to_contain_text("under the 2 to 5 minutes")

    # Enter in the note field only updates the page (the first button is "update").
    page.locator("#steps-0-note").fill("Small, slow rocks.")
    page.locator("#steps-0-note").press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("#steps-0-title")).to_contain_text("Seated pelvic tilts")
    expect(page.locator("#steps-0-note")).to_have_value("Small, slow rocks.")

    # Move the hamstring hinge up with the keyboard; the focus stays on its button.
    page.locator("#steps-1-up").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("#steps-0-title")).to_contain_text("Seated hamstring hinge")
    expect(page.locator("#steps-1-note")).to_have_value("Small, slow rocks.")
    expect(page.locator("#steps-0-title")).to_be_focused()  # its "Move up" is now disabled
    page.locator("#steps-0-down").click()
    page.wait_for_load_state("load")
    expect(page.locator("#steps-1-down")).to_be_disabled()
    expect(page.locator("#steps-1-title")).to_contain_text("Seated hamstring hinge")

    page.get_by_role("button", name="Save routine").click()
    page.wait_for_url(f"{server}/routines#routine-desk-reset")
    card = page.locator("#routine-desk-reset")
    expect(card).to_contain_text("Desk reset")
    expect(card).to_contain_text("Seated hamstring hinge: 1 × 30 s hold per leg")
    expect(page.locator(".flash")).to_contain_text("Saved 'Desk reset' as desk-reset.toml.")

    saved = load_routine_file(dirs.routines / "desk-reset.toml", load_catalogue()).routine
    assert [s.exercise.id for s in saved.steps] == ["seated-pelvic-tilts", "seated-hamstring-hinge"]
    assert build_timeline(saved).total_seconds == 115

    card.get_by_role("link", name="Play Desk reset").click()
    expect(page.locator("h1")).to_have_text("Desk reset")
    page.get_by_role("button", name="Skip check-in and start").click()
    expect(page.locator("#stage-play")).to_be_visible()
    expect(page.locator("#caption")).to_contain_text("First: Seated pelvic tilts")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#seg-kind")).to_have_text("Move")
    browsing.assert_clean()


def test_the_builder_works_without_javascript(chromium: Browser, server: str, dirs: Dirs) -> None:
    session = Browsing(chromium, viewport={"width": 390, "height": 844}, java_script_enabled=False)
    try:
        page = session.page
        page.goto(f"{server}/routines/new?exercise=seated-pelvic-tilts")
        page.fill("#name", "No script")
        expect(page.locator(".builder-update")).to_be_visible()
        page.fill("#steps-0-reps", "4")
        page.get_by_role("button", name="Update the length").click()
        expect(page.locator("#builder-total")).to_have_text("30 s")
        page.fill("#steps-0-reps", "40")
        page.get_by_role("button", name="Save routine").click()
        expect(page.locator("#steps-0-reps-problem")).to_have_text(
            "Do 1 to 30 reps (you typed '40')."
        )
        expect(page.locator("#steps-0-reps")).to_have_value("40")
        page.fill("#steps-0-reps", "4")
        page.get_by_role("button", name="Save routine").click()
        page.wait_for_url(f"{server}/routines#routine-no-script")
        assert (dirs.routines / "no-script.toml").is_file()
        session.assert_clean(allow=((422, "/routines/new"),))
    finally:
        session.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_a_wrong_hold_is_said_plainly_beside_its_field_with_every_value_kept(
    chromium: Browser, server: str, axe_js: str, dirs: Dirs, width: int, height: int
) -> None:
    session = Browsing(chromium, viewport={"width": width, "height": height})
    try:
        page = session.page
        page.goto(f"{server}/routines/new?exercise=seated-pelvic-tilts")
        choose_and_add(page, "split-stance-hamstring-hinge")
        page.fill("#name", "Standing break")
        page.fill("#steps-0-note", "Slow rocks.")
        page.select_option("#steps-1-side_order", "blocked")
        page.fill("#steps-1-reps", "3")
        page.fill("#steps-1-hold_seconds", "200")
        with page.expect_navigation() as sent:
            page.get_by_role("button", name="Save routine").click()
        assert sent.value is not None and sent.value.status == 422

        summary = page.locator("#problems")
        expect(summary).to_be_focused()  # a screen reader hears it first
        expect(summary).to_contain_text("Nothing has been saved yet.")
        link = summary.get_by_role("link")
        expect(link).to_have_count(1)
        title = "Step 2 (Split-stance hamstring hinge), seconds per hold"
        expect(link).to_have_text(f"{title}: Hold for 5 to 120 seconds (you typed '200').")
        hold = page.locator("#steps-1-hold_seconds")
        expect(page.locator("#steps-1-hold_seconds-problem")).to_have_text(
            "Hold for 5 to 120 seconds (you typed '200')."
        )
        expect(hold).to_have_attribute("aria-invalid", "true")
        expect(hold).to_have_accessible_description("Hold for 5 to 120 seconds (you typed '200').")
        assert jargon_in(summary.inner_text()) == []

        # Every value kept: the steps in order, the side order, the holds, the note.
        expect(page.locator("#name")).to_have_value("Standing break")
        expect(page.locator("#steps-0-title")).to_contain_text("Seated pelvic tilts")
        expect(page.locator("#steps-1-title")).to_contain_text("Split-stance hamstring hinge")
        expect(page.locator("#steps-0-note")).to_have_value("Slow rocks.")
        expect(page.locator("#steps-1-side_order")).to_have_value("blocked")
        expect(page.locator("#steps-1-reps")).to_have_value("3")
        expect(hold).to_have_value("200")
        assert not list(dirs.routines.glob("*.toml"))  # nothing saved

        link.click()  # the summary leads to the field
        expect(hold).to_be_in_viewport()
        assert violations(page, axe_js) == []

        hold.fill("40")
        page.get_by_role("button", name="Save routine").click()
        page.wait_for_url(f"{server}/routines#routine-standing-break")
        saved = load_routine_file(dirs.routines / "standing-break.toml", load_catalogue()).routine
        assert (saved.steps[1].dose.hold_seconds, saved.steps[1].dose.reps) == (40, 3)
        assert saved.steps[1].side_order.value == "blocked"
        session.assert_clean(allow=((422, "/routines/new"),))
    finally:
        session.close()


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_builder(
    chromium: Browser, server: str, shots: Path, width: int, height: int, scheme: str
) -> None:
    """Pictures for a person to look at, in ``shots`` (they check nothing but that the pages
    render)."""
    session = Browsing(chromium, viewport={"width": width, "height": height}, color_scheme=scheme)
    try:
        page = session.page
        name = f"{width}x{height}-{scheme}"
        page.goto(f"{server}/routines/new?exercise=seated-pelvic-tilts")
        choose_and_add(page, "split-stance-hamstring-hinge")
        page.fill("#name", "Standing break")
        page.screenshot(path=str(shots / f"builder-{name}.png"), full_page=True)
        page.fill("#steps-1-hold_seconds", "200")
        page.get_by_role("button", name="Save routine").click()
        expect(page.locator("#problems")).to_be_visible()
        page.screenshot(path=str(shots / f"builder-problem-{name}.png"), full_page=True)
        page.goto(f"{server}/routines/import")
        page.screenshot(path=str(shots / f"import-{name}.png"), full_page=True)
        session.assert_clean(allow=((422, "/routines/new"),))
    finally:
        session.close()
