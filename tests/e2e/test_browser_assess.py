"""Photo assessment in real Chromium against a real server: a side-view photo chosen in the file
field (as a person picks it), measured, and its result page with the annotated photo; a photo
over the size limit said beside the field before anything is sent; and the Progress chart.

No console errors and no Content-Security-Policy violations are allowed: the annotated photo is
an inline data: image, which the app's CSP allows for images only.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from playwright.sync_api import Browser, FilePayload, expect

from deskstretch.coach import Coach
from deskstretch.config import Settings
from helpers.support import Dirs

pytestmark = pytest.mark.e2e

POSE = Path(__file__).parents[1] / "fixtures" / "pose"
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def plank_photo() -> bytes:
    """The top frame of pushups-side-view.jpg: one person side-on, knees straight."""
    image = cv2.imread(str(POSE / "pushups-side-view.jpg"))
    assert image is not None
    ok, encoded = cv2.imencode(".jpg", np.ascontiguousarray(image[:225]))
    assert ok
    return encoded.tobytes()


def test_a_photo_chosen_in_the_form_is_measured_and_shown_annotated(
    chromium: Browser, server: str, dirs: Dirs
) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    try:
        page.goto(f"{server}/assess")
        expect(
            page.get_by_role("heading", name="Measure your forward bend", level=1)
        ).to_be_visible()
        expect(
            page.get_by_role("img", name="Phone at hip height, 2 to 3 metres away")
        ).to_be_visible()

        # Over the size limit: said beside the field at once, and nothing is sent.
        too_big = FilePayload(name="huge.jpg", mimeType="image/jpeg", buffer=b"\xff" * 15_000_001)
        page.set_input_files("#photos", files=[too_big])
        expect(page.locator("#photos-check")).to_contain_text("huge.jpg: the photo is 15.0 MB")
        page.get_by_role("button", name="Measure my photos").click()
        expect(page).to_have_url(f"{server}/assess")
        expect(page.locator("#photos")).to_be_focused()

        photo = FilePayload(name="me.jpg", mimeType="image/jpeg", buffer=plank_photo())
        page.set_input_files("#photos", files=[photo])
        expect(page.locator("#photos-check")).to_be_hidden()
        page.get_by_role("radio", name="Standing forward bend").check()
        page.get_by_role("group", name="Does bending forward hurt today?").get_by_label(
            "No"
        ).check()
        page.get_by_role("button", name="Measure my photos").click()

        expect(page.get_by_role("heading", name="Your forward bend", level=1)).to_be_visible()
        image = page.get_by_role("img", name="Photo 1 with the body's points and lines drawn")
        expect(image).to_be_visible()
        assert (image.get_attribute("src") or "").startswith("data:image/jpeg;base64,")
        assert (
            page.evaluate("() => document.querySelector('img.annotated').naturalWidth") > 100
        )  # decoded and drawn, not a broken image
        expect(page.get_by_text("± 6°").first).to_be_visible()
        expect(page.get_by_text("This is your first standing forward bend")).to_be_visible()

        page.get_by_role("link", name="See it on Progress").click()
        expect(page.locator("#bend svg.chart")).to_be_visible()
        assert page.evaluate("window.__cspViolations") == []
        assert problems == []
    finally:
        context.close()
    (saved,) = Coach(Settings.from_env()).assessments.history()
    assert saved.photos == 1 and saved.photo_file is None
