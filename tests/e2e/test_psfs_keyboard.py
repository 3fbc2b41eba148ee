"""Your everyday activities (/measure/psfs) in real Chromium with the keyboard alone: add three
activities, rate them with one mistake (sent back beside its field, the other values kept), put
it right, stop rating one; axe-core finds no WCAG 2 A/AA violation at any step. Also the
questionnaire forms a kept instrument pack renders.

The axe call (WCAG 2 A and AA rules) and Tab-until-focused come from helpers/browser_checks.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from helpers.browser_checks import WATCH_CSP, tab_to, violations
from helpers.instrument_packs import keep_pack, odi_pack_text, rmdq_pack_text
from helpers.support import Dirs

pytestmark = pytest.mark.e2e

PAGE = "/measure/psfs"
NAMES = ("Putting on socks", "Sitting through a meeting", "Carrying the shopping")


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(WATCH_CSP)
    yield context.new_page()
    context.close()


def focused(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(
        "() => ({id: document.activeElement.id, value: document.activeElement.value || ''})"
    )
    return found


def test_psfs_page_with_the_keyboard_alone(page: Page, server: str, axe_js: str) -> None:
    page.goto(server + PAGE)
    expect(page.get_by_role("heading", name="Your everyday activities", level=1)).to_be_visible()
    report = violations(page, axe_js)

    for name in NAMES:
        tab_to(page, "#activity_name")
        page.keyboard.type(name)
        with page.expect_navigation():
            page.keyboard.press("Enter")  # the form's own button, by implicit submission
        expect(page.get_by_text(f"Added '{name}'.")).to_be_visible()
    report += violations(page, axe_js)

    fields = page.locator("input[name^='rating-']")
    expect(fields).to_have_count(3)
    ids = [fields.nth(i).get_attribute("id") for i in range(3)]
    for field_id, value in zip(ids, ("3", "eleven", "5"), strict=True):
        tab_to(page, f"#{field_id}")
        page.keyboard.type(value)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator("#problems")
    expect(summary).to_be_focused()  # the summary takes the focus: heard first
    expect(page.locator(f"#{ids[1]}-problem")).to_have_text(
        "Enter a whole number from 0 to 10 (you typed 'eleven')."
    )
    expect(page.locator(f"#{ids[0]}")).to_have_value("3")
    expect(page.locator(f"#{ids[1]}")).to_have_value("eleven")
    expect(page.locator(f"#{ids[2]}")).to_have_value("5")
    report += violations(page, axe_js)

    tab_to(page, f"#{ids[1]}")
    assert focused(page) == {"id": ids[1], "value": "eleven"}
    page.keyboard.press("Control+A")
    page.keyboard.type("7")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Saved: your average is 5 out of 10.")).to_be_visible()
    expect(page.get_by_text("Last time: 7 out of 10.")).to_be_visible()
    report += violations(page, axe_js)

    tab_to(page, "button.button-quiet")  # the first "Stop rating" button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text(f"You no longer rate '{NAMES[0]}'.")).to_be_visible()
    expect(page.locator("input[name^='rating-']")).to_have_count(2)
    report += violations(page, axe_js)
    assert report == [], "\n".join(report)


def test_questionnaire_forms_from_kept_packs_pass_axe(
    page: Page, server: str, axe_js: str, dirs: Dirs
) -> None:
    """The ODI and RMDQ forms as a kept pack (invented wording) renders them, and a problem."""
    keep_pack(dirs.config, "odi", odi_pack_text())
    keep_pack(dirs.config, "rmdq", rmdq_pack_text())
    report: list[str] = []
    for slug in ("odi", "rmdq"):
        page.goto(f"{server}/measure/questionnaires/{slug}")
        expect(page.get_by_role("heading", name="Notice")).to_be_visible()
        report += [f"{slug}: {v}" for v in violations(page, axe_js)]
    page.goto(f"{server}/measure/questionnaires/odi")
    tab_to(page, "button[type=submit].button-big")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # nothing answered: too few sections to score
    expect(page.locator("#problems")).to_be_focused()
    report += [f"odi problem: {v}" for v in violations(page, axe_js)]
    assert report == [], "\n".join(report)
