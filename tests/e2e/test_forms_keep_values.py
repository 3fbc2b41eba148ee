"""Forms keep what was typed (issue 12 item 5), in real Chromium: the check-in on Today and a
flexibility test on Progress sent with a wrong value come back on the same page, the problem
beside its field (and linked from a summary that takes the focus), every other value kept, and
axe-core finds no WCAG 2 A/AA violation; the same on a phone. The PSFS and questionnaire forms
with a problem, and the Routines page while routines are locked, pass axe at both sizes too.

Screenshots of each go to pytest's shots/ folder (see the ``shots`` fixture) for a person to look
at; the checks here do not depend on them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from helpers.browser_checks import WATCH_CSP, no_horizontal_scroll, violations
from helpers.instrument_packs import keep_pack, odi_pack_text
from helpers.support import AnswersWriter, CliRunner, Dirs

pytestmark = pytest.mark.e2e

SIZES = {"laptop": (1280, 800), "phone": (390, 844)}


@pytest.fixture(params=list(SIZES))
def page(request: pytest.FixtureRequest, chromium: Browser) -> Iterator[Page]:
    width, height = SIZES[request.param]
    context = chromium.new_context(viewport={"width": width, "height": height})
    context.add_init_script(WATCH_CSP)
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


def size_of(page: Page) -> str:
    viewport = page.viewport_size
    assert viewport is not None
    return "phone" if viewport["width"] < 600 else "laptop"


def shoot(page: Page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"forms-{name}-{size_of(page)}.png"), full_page=True)


def test_checkin_with_a_wrong_value_comes_back_beside_the_scale(
    page: Page, server: str, axe_js: str, shots: Path
) -> None:
    page.goto(server + "/")
    # Nothing tapped: the plain form post, and Today comes back with the problem.
    with page.expect_navigation():
        page.get_by_role("button", name="Save check-in").click()
    problem = page.locator("#back_pain-problem")
    expect(problem).to_have_text("Choose a number from 0 to 10 for your back, your leg or both.")
    expect(page.locator("#problems")).to_be_focused()
    report = violations(page, axe_js)

    # A value the scale does not offer (an old page, a bad client) beside one it does: the
    # script's JSON post is refused (422), and the plain post shows the problem in place.
    page.locator('label:has(input[name="leg_pain"][value="4"])').click()
    page.evaluate(
        """() => {
        const ten = document.querySelector('input[name="back_pain"][value="10"]');
        ten.value = "12";
        ten.checked = true;
    }"""
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save check-in").click()
    expect(problem).to_have_text("Enter a whole number from 0 to 10 (you typed '12').")
    expect(page.locator('input[name="leg_pain"][value="4"]')).to_be_checked()  # kept
    expect(page.locator('input[name="leg_pain"][aria-invalid="true"]')).to_have_count(0)
    described = page.locator('input[name="back_pain"][value="3"]').get_attribute("aria-describedby")
    assert described == "back_pain-problem"
    expect(page.locator("#problems a")).to_have_text(
        ["Back pain: enter a whole number from 0 to 10 (you typed '12')"]
    )
    assert no_horizontal_scroll(page)
    report += violations(page, axe_js)
    shoot(page, shots, "checkin")
    assert report == [], "\n".join(report)

    # Put right: saved in place, with the leg choice still there.
    page.locator('label:has(input[name="back_pain"][value="3"])').click()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.locator(".checkin-result")).to_contain_text("Check-in saved: back 3/10, leg 4/10")


def test_flexibility_test_with_a_wrong_value_comes_back_beside_the_field(
    page: Page, server: str, axe_js: str, shots: Path
) -> None:
    page.goto(server + "/progress")
    form = page.locator("form", has=page.locator("#cm-sit-and-reach"))
    form.locator("#cm-sit-and-reach").fill("99")
    form.get_by_label("Right").check()
    form.get_by_label("No", exact=True).check()
    form.locator("#note-sit-and-reach").fill("after lunch")
    with page.expect_navigation():
        form.get_by_role("button", name="Save result").click()

    problem = page.locator("#cm-sit-and-reach-problem")
    expect(problem).to_have_text("Enter a number between −40 and 40 cm (you typed '99').")
    expect(page.locator("#problems")).to_be_focused()
    field = page.locator("#cm-sit-and-reach")
    expect(field).to_have_value("99")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute(
        "aria-describedby", "cm-sit-and-reach-problem cm-hint-sit-and-reach"
    )
    expect(page.locator("#note-sit-and-reach")).to_have_value("after lunch")
    again = page.locator("form", has=page.locator("#cm-sit-and-reach"))
    expect(again.get_by_label("Right")).to_be_checked()
    expect(again.get_by_label("No", exact=True)).to_be_checked()
    expect(page.locator("#cm-toe-touch")).to_have_value("")  # the other test is untouched
    assert no_horizontal_scroll(page)
    report = violations(page, axe_js)
    shoot(page, shots, "flexibility-test")

    page.locator("#problems a").click()  # the summary's link leads to the field
    assert page.evaluate("location.hash") == "#q-cm-sit-and-reach"
    field.fill("−4,5")  # a true minus sign and a decimal comma, as people type them
    with page.expect_navigation():
        again.get_by_role("button", name="Save result").click()
    expect(page.get_by_text("Saved: -4.5 cm.")).to_be_visible()
    assert report == [], "\n".join(report)


def test_psfs_and_questionnaire_with_a_problem_pass_axe(
    page: Page, server: str, axe_js: str, shots: Path, dirs: Dirs
) -> None:
    keep_pack(dirs.config, "odi", odi_pack_text())
    page.goto(server + "/measure/psfs")
    page.locator("#activity_name").fill("Putting on socks")
    with page.expect_navigation():
        page.get_by_role("button", name="Add activity").click()
    rating = page.locator("input[name^='rating-']")
    rating.fill("eleven")
    with page.expect_navigation():
        page.get_by_role("button", name="Save my ratings").click()
    expect(page.locator("input[name^='rating-']")).to_have_value("eleven")
    expect(page.locator(".field-problem")).to_have_text(
        "Enter a whole number from 0 to 10 (you typed 'eleven')."
    )
    report = [f"psfs: {v}" for v in violations(page, axe_js)]
    assert no_horizontal_scroll(page)
    shoot(page, shots, "psfs")

    page.goto(server + "/measure/questionnaires/odi")
    page.locator("fieldset.question").first.get_by_label("Invented answer 2").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save my answers").click()
    expect(page.locator("#problems")).to_be_focused()
    expect(
        page.locator("fieldset.question").first.get_by_label("Invented answer 2")
    ).to_be_checked()
    report += [f"odi: {v}" for v in violations(page, axe_js)]
    assert no_horizontal_scroll(page)
    shoot(page, shots, "questionnaire")
    assert report == [], "\n".join(report)


def test_locked_routines_show_the_lock_not_play(
    page: Page,
    server: str,
    axe_js: str,
    shots: Path,
    run_cli: CliRunner,
    write_answers: AnswersWriter,
) -> None:
    result = run_cli("check", "--from", write_answers(yes=("cancer-history",)))
    assert "See a doctor within 24 hours" in result.stdout  # saved, and routines locked
    page.goto(server + "/routines")
    expect(page.locator("a[href^='/play/']")).to_have_count(0)
    lock = page.locator("#play-lock")
    expect(lock).to_contain_text("Routines cannot be played for now.")
    expect(lock.get_by_role("link", name="What to do")).to_have_attribute("href", "/safety/result")
    expect(page.locator(".button-locked").first).to_contain_text("Locked")
    assert no_horizontal_scroll(page)
    report = violations(page, axe_js)
    shoot(page, shots, "routines-locked")
    assert report == [], "\n".join(report)
