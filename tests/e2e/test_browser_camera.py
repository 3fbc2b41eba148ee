"""Camera coaching in real Chromium against the real server and model: Chromium's fake camera plays
walking.mp4 (as a .y4m made here), live angles and cues arrive on the player page, the hold clock
waits while the position is not right, and the camera is released when the tab hides and when
the routine ends. No console errors and no Content-Security-Policy violations (the socket is
same-origin: connect-src 'self' must cover ws: in Chromium).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from helpers.pose_photos import letterboxed_frames

pytestmark = pytest.mark.e2e

WALKING = Path(__file__).resolve().parents[1] / "fixtures" / "pose" / "walking.mp4"
WIDTH, HEIGHT = 640, 480

# 3 s get ready, then a 5 s hold per leg of the seated hamstring hinge, 2 s to switch legs.
ROUTINE = """\
name = "Camera test"
get_ready_seconds = 3
switch_seconds = 2

[[steps]]
exercise = "seated-hamstring-hinge"
reps = 1
hold_seconds = 5
"""
ROUTINE_ID = "camera-test"

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""
HIDE_TAB = """() => {
  Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
  Object.defineProperty(document, "hidden", { value: true, configurable: true });
  document.dispatchEvent(new Event("visibilitychange"));
}"""
SHOW_TAB = """() => {
  Object.defineProperty(document, "visibilityState", { value: "visible", configurable: true });
  Object.defineProperty(document, "hidden", { value: false, configurable: true });
  document.dispatchEvent(new Event("visibilitychange"));
}"""
TRACKS_ENDED = """() => {
  const tracks = window.deskstretchCamera.lastTracks;
  return tracks.length > 0 && tracks.every((t) => t.readyState === "ended");
}"""
TRACKS_LIVE = """() => window.deskstretchCamera.tracks.some((t) => t.readyState === "live")"""


def write_y4m(video: Path, out: Path) -> int:
    """``video`` letterboxed into 640x480 frames as a YUV4MPEG2 file (Chromium's fake camera
    format); returns the number of frames."""
    import cv2

    frames = letterboxed_frames(video, WIDTH, HEIGHT)
    with out.open("wb") as y4m:
        y4m.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F30:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for frame in frames:
            y4m.write(b"FRAME\n")
            y4m.write(cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420).tobytes())
    return len(frames)


@pytest.fixture
def routine_files() -> dict[str, str]:
    return {ROUTINE_ID: ROUTINE}


@pytest.fixture(scope="module")
def fake_camera(tmp_path_factory: pytest.TempPathFactory) -> Path:
    clip = tmp_path_factory.mktemp("camera") / "walking.y4m"
    assert write_y4m(WALKING, clip) == 102
    return clip


@pytest.fixture
def camera_browser(chromium: Browser, fake_camera: Path) -> Iterator[Browser]:
    """Chromium with a fake camera playing ``fake_camera`` and camera permission granted."""
    browser = chromium.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={fake_camera}",
        ],
    )
    yield browser
    browser.close()


def _open_player(browser: Browser, server: str) -> tuple[Page, list[str]]:
    context = browser.new_context()
    context.grant_permissions(["camera"], origin=server)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{server}/play/{ROUTINE_ID}")
    page.get_by_role("button", name="Skip check-in and start").click()
    expect(page.locator("#stage-play")).to_be_visible()
    return page, problems


def test_live_feedback_gates_the_hold_and_the_camera_is_released(
    camera_browser: Browser, server: str
) -> None:
    page, problems = _open_player(camera_browser, server)
    camera = page.locator("#btn-camera")
    camera.click()
    expect(camera).to_have_attribute("aria-pressed", "true")
    # Live angles and a cue arrive from the server (the walking person is not hinging).
    expect(page.locator("#camera-angles")).to_contain_text("°", timeout=15_000)
    expect(page.locator("#camera-angles")).to_contain_text("±6°")
    expect(page.locator("#camera-cue")).not_to_have_text("")
    page.wait_for_function(TRACKS_LIVE)

    # The hold starts but its clock waits: walking is not the hinge position.
    expect(page.locator("#seg-kind")).to_have_text("Hold", timeout=10_000)
    expect(page.locator("#player")).to_have_class(_has("is-held"))
    expect(page.locator("#camera-state")).to_have_text("The hold waits until you are in position.")
    before = page.locator("#countdown").text_content()
    time.sleep(1.5)
    assert page.locator("#countdown").text_content() == before == "5"
    expect(page.locator("#btn-camera-save")).to_be_visible()  # a savable hold (sit-and-reach)

    # The tab hides: the camera is released at once, and the clock counts again.
    page.evaluate(HIDE_TAB)
    page.wait_for_function(TRACKS_ENDED)
    expect(camera).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#camera-panel")).to_be_hidden()
    expect(page.locator("#player")).not_to_have_class(_has("is-held"))
    expect(page.locator("#camera-note")).to_contain_text("hidden")
    page.evaluate(SHOW_TAB)
    expect(page.locator("#countdown")).not_to_have_text("5", timeout=3_000)

    # On again, then the routine ends (Stop): released again.
    camera.click()
    page.wait_for_function(TRACKS_LIVE)
    expect(page.locator("#camera-angles")).to_contain_text("°", timeout=15_000)
    page.locator("#btn-stop").click()
    page.get_by_role("button", name="Stop and see summary").click()
    page.wait_for_function(TRACKS_ENDED)
    expect(camera).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("() => window.__cspViolations") == []
    assert problems == []
    page.context.close()


def _has(name: str) -> re.Pattern[str]:
    """A class attribute that includes ``name``."""
    return re.compile(rf"(^|\s){name}(\s|$)")
