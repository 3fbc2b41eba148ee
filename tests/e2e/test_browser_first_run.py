"""The whole first run in real Chromium, with the keyboard alone, at desktop and phone sizes:
welcome → seven safety checklists (one item ticked and answered in full, one mistake refused)
→ the goal (a problem shown beside its field, values kept) → Your plan → the first session.
axe-core finds no WCAG 2 A/AA violation on any page; nothing scrolls sideways.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.safety.steps import STEPS
from helpers.browser_checks import WATCH_CSP, no_horizontal_scroll, tab_to, violations
from helpers.support import Dirs

pytestmark = pytest.mark.e2e

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def press_on(page: Page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector)
    page.keyboard.press(key)


def rate(page: Page, name: str, score: int) -> None:
    """A 0-10 radio scale: Tab into it, Space picks 0, each → one more."""
    tab_to(page, f"input[name='{name}']")
    page.keyboard.press("Space")
    for _ in range(score):
        page.keyboard.press("ArrowRight")
    expect(page.locator(f"input[name='{name}'][value='{score}']")).to_be_checked()


@pytest.mark.parametrize("size", list(SIZES))
def test_first_run_with_the_keyboard_alone(
    chromium: Browser, newcomer_server: str, axe_js: str, dirs: Dirs, size: str
) -> None:
    width, height = SIZES[size]
    context = chromium.new_context(viewport={"width": width, "height": height})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    report: list[str] = []

    def check(what: str) -> None:
        report.extend(f"{what}: {problem}" for problem in violations(page, axe_js))
        if not no_horizontal_scroll(page):
            report.append(f"{what}: the page scrolls sideways at {width}px")

    page.goto(newcomer_server + "/")
    expect(page.get_by_role("heading", name="New here? Let's make your plan")).to_be_visible()
    check("Today for a newcomer")
    with page.expect_navigation():
        press_on(page, "a[href='/start']")
    expect(page.get_by_role("heading", name="Welcome to deskstretch", level=1)).to_be_visible()
    check("welcome")
    with page.expect_navigation():
        press_on(page, "a[href='/start/safety']")

    for number, step in enumerate(STEPS, start=1):
        expect(page.get_by_role("heading", name=step.title, level=1)).to_be_visible()
        expect(page.locator(".step-count")).to_have_text(f"Safety check: step {number} of 7")
        if number == 1:
            check("safety step 1")
            # "Continue" with nothing ticked: refused on the same page, focus-free of surprises.
            with page.expect_navigation():
                press_on(page, "button[value='ticked']")
            expect(page.get_by_role("alert")).to_contain_text("Tick what applies to you")
            check("safety step 1 refused")
        if step.id == "conditions":
            press_on(page, "input[name='tick-balance']", "Space")
            with page.expect_navigation():
                press_on(page, "button[value='ticked']")
            expect(
                page.get_by_role("group", name="Do you have problems with your balance")
            ).to_be_visible()
            check("the ticked item asked in full")
            tab_to(page, "input[name='d-balance']")
            page.keyboard.press("Space")  # the first answer: yes
            expect(page.locator("input[name='d-balance'][value='yes']")).to_be_checked()
            with page.expect_navigation():
                press_on(page, "button[type='submit']")
        else:
            with page.expect_navigation():
                press_on(page, "button[value='none']")

    expect(page.get_by_role("heading", name="Your goal", level=1)).to_be_visible()
    check("goal")
    tab_to(page, "#activity-1")
    page.keyboard.type("Putting on socks")
    rate(page, "rating-1", 4)
    rate(page, "back-pain", 5)
    # Leg pain left out: refused beside its field (422), the rest kept.
    with page.expect_navigation() as refused:
        press_on(page, "button[type='submit']")
    assert refused.value is not None and refused.value.status == 422
    expect(page.locator("#leg-pain-problem")).to_have_text("Choose a number from 0 to 10.")
    expect(page.locator("#activity-1")).to_have_value("Putting on socks")
    expect(page.locator("input[name='rating-1'][value='4']")).to_be_checked()
    check("goal with a problem")
    rate(page, "leg-pain", 0)
    with page.expect_navigation():
        press_on(page, "button[type='submit']")

    expect(page.get_by_role("heading", name="Your plan", level=1)).to_be_visible()
    expect(page.get_by_text("Week 1 of 6.")).to_be_visible()
    check("plan")
    start = page.get_by_role("link", name="Start your first session")
    expect(start).to_have_count(1)
    with page.expect_navigation():
        press_on(page, "a.button-big")
    assert "/play/" in page.url
    page.wait_for_load_state("networkidle")
    check("the first session's player")
    context.close()

    coach = Coach(Settings.from_env())
    assert "balance" in coach.active_tags()
    assert [a.name for a in coach.psfs_activities()] == ["Putting on socks"]
    assert coach.enrolment() is not None
    assert report == []
