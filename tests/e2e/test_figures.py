"""The figures in real Chromium (issue 11 item 6): a contact sheet of every exercise's keyframes,
saved as a picture to look at; the exercise page's figure coming alive and pausing; the player's
figure as the centre of a phone screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from deskstretch.catalogue.illustrations import render_contact_sheet_svg
from deskstretch.catalogue.loader import load_catalogue

pytestmark = pytest.mark.e2e

PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def test_contact_sheet_shows_every_exercise_phase_by_phase(
    chromium: Browser, shots: Path, tmp_path: Path
) -> None:
    exercises = sorted(load_catalogue().exercises.values(), key=lambda e: e.code)
    context = chromium.new_context(viewport={"width": 800, "height": 600})
    page = context.new_page()
    page.set_content(f"<!doctype html><title>Figures</title>{render_contact_sheet_svg(exercises)}")
    rows = page.locator("g.sheet-row")
    assert rows.count() == len(exercises)
    for index, exercise in enumerate(exercises):
        row = rows.nth(index)
        assert row.get_attribute("data-exercise") == exercise.id
        expect(row.locator("text").first).to_have_text(f"{exercise.code}  {exercise.name}")
        panels = row.locator("svg[role=img]")
        assert panels.count() == len(exercise.keyframes)
        for k in range(panels.count()):
            # The figure itself is drawn, at a size a person can see, inside its panel.
            box = panels.nth(k).locator("g.figure").bounding_box()
            assert box is not None and box["width"] > 20 and box["height"] > 40, exercise.code
    picture = tmp_path / "figures.png"
    page.locator("svg").first.screenshot(path=str(picture))
    assert picture.stat().st_size > 20_000
    (shots / "figures.png").write_bytes(picture.read_bytes())  # to look at after the run
    context.close()


def test_exercise_figure_moves_and_pauses(server: str, page: Page) -> None:
    page.goto(f"{server}/library/heel-on-chair-hamstring")
    toggle = page.get_by_role("button", name="Pause the figure")
    expect(toggle).to_be_visible()  # the script took over the drawn pose
    stage = page.locator(".ex-stage-figure")
    box = stage.bounding_box()
    assert box is not None and box["width"] > 300  # large on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    head = stage.locator("circle.head")
    seen = set()
    for _ in range(6):
        seen.add(head.get_attribute("cx"))
        page.wait_for_timeout(400)
    assert len(seen) > 1, "the figure moves"
    toggle.press("Enter")
    expect(page.get_by_role("button", name="Play the figure")).to_be_focused()
    page.wait_for_timeout(100)
    still = head.get_attribute("cx")
    page.wait_for_timeout(800)
    assert head.get_attribute("cx") == still, "paused means still"


def test_reduced_motion_shows_the_held_pose_until_asked(server: str, chromium: Browser) -> None:
    context = chromium.new_context(viewport=PHONE, reduced_motion="reduce")
    page = context.new_page()
    page.goto(f"{server}/library/seated-hamstring-hinge")
    expect(page.get_by_role("button", name="Play the figure")).to_be_visible()
    head = page.locator(".ex-stage-figure circle.head")
    first = head.get_attribute("cx")
    page.wait_for_timeout(800)
    assert head.get_attribute("cx") == first
    context.close()


def test_player_figure_is_the_centre_of_a_phone_screen(server: str, page: Page) -> None:
    page.goto(f"{server}/play/hamstring-2min")
    page.get_by_role("button", name="Skip check-in and start").click()
    figure = page.locator("#figure")
    expect(figure.locator("svg")).to_be_visible()
    box, clock = figure.bounding_box(), page.locator(".pl-clock").bounding_box()
    assert box is not None and clock is not None
    assert box["width"] >= 0.85 * PHONE["width"] - 40
    assert clock["width"] < box["width"] / 2  # a small ring: in the bar above the figure on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
