"""The browser player's own voice, and the reminder's autostart, in real Chromium against a real
server that has no espeak-ng (its PATH holds neither espeak-ng nor espeak).

The speech engine is stubbed at the edge only: an init script replaces ``window.speechSynthesis``
(and the utterance constructor, whose ``voice`` accepts only the engine's own voice objects) with
a fake whose voices load late, as real ones often do, and which records what the page asks it to
say and in which voice. Everything else (the page, its modules, the server) is the real thing.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from helpers.support import Dirs

pytestmark = pytest.mark.e2e

# 5 s get ready, 2 reps of 2 s, 2 s to the next exercise, a 5 s hold per leg: time to look.
ROUTINE = """\
name = "Speech test"
get_ready_seconds = 5
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
ROUTINE_ID = "speech-test"

NETWORK_VOICE = {"name": "Cloud English", "lang": "en-US", "localService": False, "default": True}
LOCAL_VOICE = {"name": "Offline Kate", "lang": "en-GB", "localService": True, "default": False}

# Runs before any page script. The voices arrive 300 ms after the page asks, with a
# "voiceschanged" event, as in Chrome; calls are logged in order: ["cancel"] or
# ["speak", text, voice name, lang].
FAKE_SPEECH = """
(() => {
  const VOICES = %s;
  let loaded = false;
  const listeners = [];
  window.__speech = [];
  const synth = {
    speaking: false, pending: false, paused: false, onvoiceschanged: null,
    getVoices() {
      if (!loaded && !synth.timer) {
        synth.timer = setTimeout(() => {
          loaded = true;
          const event = new Event("voiceschanged");
          for (const listener of listeners) listener(event);
          if (synth.onvoiceschanged) synth.onvoiceschanged(event);
        }, 300);
      }
      return loaded ? VOICES.map((v) => ({ ...v, voiceURI: v.name })) : [];
    },
    speak(utterance) {
      const voice = utterance.voice ? utterance.voice.name : null;
      window.__speech.push(["speak", utterance.text, voice, utterance.lang]);
    },
    cancel() { window.__speech.push(["cancel"]); },
    pause() {}, resume() {},
    addEventListener(type, listener) { if (type === "voiceschanged") listeners.push(listener); },
    removeEventListener() {},
  };
  class FakeUtterance {
    constructor(text) { this.text = text; this.voice = null; this.lang = ""; }
  }
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  Object.defineProperty(window, "SpeechSynthesisUtterance",
    { value: FakeUtterance, configurable: true, writable: true });
})();
"""


@pytest.fixture
def server_without_espeak(
    screened: Path, dirs: Dirs, tmp_path: Path, start_server: Any
) -> Iterator[str]:
    """The app (safety answered all "no", the test routine in place) on a PATH with no espeak."""
    dirs.routines.mkdir(parents=True, exist_ok=True)
    (dirs.routines / f"{ROUTINE_ID}.toml").write_text(ROUTINE, encoding="utf-8")
    empty = tmp_path / "bin-without-espeak"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
    env.update(dirs.env_vars())
    env["PATH"] = str(empty)
    with start_server(env, tmp_path / "server.log") as url:
        yield url


class SpeechPage:
    """A Chromium page with the fake speech engine offering ``voices``; console errors,
    uncaught errors and Content-Security-Policy violations are collected."""

    def __init__(self, browser: Browser, voices: list[dict[str, Any]], **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.context.add_init_script(FAKE_SPEECH % json.dumps(voices))
        self.page: Page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

    def calls(self) -> list[list[Any]]:
        calls: list[list[Any]] = self.page.evaluate("window.__speech")
        return calls

    def spoken(self) -> list[list[Any]]:
        return [call for call in self.calls() if call[0] == "speak"]


@pytest.fixture
def speech_page(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[SpeechPage]:
    voices = getattr(request, "param", [NETWORK_VOICE, LOCAL_VOICE])
    page = SpeechPage(chromium, voices, viewport={"width": 1280, "height": 800})
    yield page
    page.context.close()


def test_cues_are_spoken_by_the_local_browser_voice(
    server_without_espeak: str, speech_page: SpeechPage
) -> None:
    page = speech_page.page
    page.goto(f"{server_without_espeak}/play/{ROUTINE_ID}")
    player = page.locator("#player")
    expect(player).to_have_attribute("data-speech", "false")
    expect(player).to_have_attribute("data-voice", "true")  # on for a new person
    page.get_by_role("button", name="Skip check-in and start").click()
    expect(page.locator("#stage-play")).to_be_visible()

    # The voices came late; the page then named the offline one and turned its button on.
    note = page.locator("#voice-note")
    expect(note).to_have_text("Voice: Offline Kate (your browser, offline)")
    voice = page.locator("#btn-voice")
    expect(voice).to_be_enabled()
    expect(voice).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#stage-play")).not_to_contain_text("Cloud English")

    # The next cue is said, word for word, in the local voice.
    expect(page.locator("#seg-kind")).to_have_text("Move", timeout=8000)
    caption = page.locator("#caption").inner_text()
    page.wait_for_function(
        "text => window.__speech.some(c => c[0] === 'speak' && c[1] === text)", arg=caption
    )
    spoken = speech_page.spoken()
    assert ["speak", caption, "Offline Kate", "en-GB"] in spoken
    assert {call[2] for call in spoken} == {"Offline Kate"}  # never the network voice

    # A new cue cancels the one before: skip to the next exercise.
    page.keyboard.press("ArrowRight")
    expect(page.locator("#seg-kind")).to_have_text("Next exercise")
    next_caption = page.locator("#caption").inner_text()
    page.wait_for_function(
        "text => window.__speech.some(c => c[0] === 'speak' && c[1] === text)", arg=next_caption
    )
    calls = speech_page.calls()
    said = calls.index(["speak", next_caption, "Offline Kate", "en-GB"])
    assert calls[said - 1] == ["cancel"], calls

    # Pausing stops the voice; with the voice off, the next cue is shown but not said.
    page.keyboard.press("Space")
    expect(page.locator("#btn-pause")).to_have_attribute("aria-pressed", "true")
    assert speech_page.calls()[-1] == ["cancel"]
    page.keyboard.press("Space")
    voice.click()
    expect(voice).to_have_attribute("aria-pressed", "false")
    count = len(speech_page.spoken())
    page.keyboard.press("ArrowRight")
    expect(page.locator("#seg-kind")).to_have_text("Hold")
    page.wait_for_timeout(300)
    assert len(speech_page.spoken()) == count
    assert speech_page.problems == []


# axe-core's WCAG 2 A and AA rules over the playing stage (tests/e2e/test_accessibility.py audits
# every page; this is the state only a machine without any offline voice shows).
AXE_RUN = """
() => axe.run("#stage-play", {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}})
  .then((results) => results.violations.map((v) => v.id + ": " + v.help))
"""


@pytest.mark.parametrize("speech_page", [[NETWORK_VOICE]], indirect=True)
def test_only_a_network_voice_means_no_voice_and_a_note(
    server_without_espeak: str, speech_page: SpeechPage, axe_js: str
) -> None:
    page = speech_page.page
    page.goto(f"{server_without_espeak}/play/{ROUTINE_ID}")
    page.get_by_role("button", name="Skip check-in and start").click()
    expect(page.locator("#stage-play")).to_be_visible()
    # Give the late voices time to arrive: the page must still refuse the network one.
    page.wait_for_function("() => window.speechSynthesis.getVoices().length === 1")
    page.wait_for_timeout(200)
    voice = page.locator("#btn-voice")
    expect(voice).to_be_disabled()
    expect(voice).to_have_attribute("aria-pressed", "false")
    note = page.locator("#voice-note")
    expect(note).to_contain_text("the captions show every cue")
    expect(note).to_contain_text("sudo apt install espeak-ng")
    expect(note).to_contain_text("Online voices are never used")
    expect(note).not_to_contain_text("Cloud English")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#seg-kind")).to_have_text("Move")
    expect(page.locator("#caption")).not_to_be_empty()
    page.wait_for_timeout(300)
    assert speech_page.spoken() == []
    page.keyboard.press("Space")  # paused, so the page stands still for axe
    page.evaluate(axe_js)
    assert page.evaluate(AXE_RUN) == []
    assert speech_page.problems == []


def _seconds_left(page: Page) -> int:
    """The routine's time left ("0:17 left") in seconds."""
    text = page.locator("#time-left").inner_text()
    found = re.fullmatch(r"(\d+):(\d\d) left", text)
    assert found, text
    return int(found.group(1)) * 60 + int(found.group(2))


def test_start_1_plays_the_get_ready_countdown_without_a_click(
    server_without_espeak: str, speech_page: SpeechPage
) -> None:
    page = speech_page.page
    page.goto(f"{server_without_espeak}/play/{ROUTINE_ID}?start=1")
    expect(page.locator("#stage-play")).to_be_visible()
    expect(page.locator("#stage-before")).to_be_hidden()
    expect(page.locator("#seg-kind")).to_have_text("Get ready")
    first = _seconds_left(page)
    countdown = int(page.locator("#countdown").inner_text())
    page.wait_for_timeout(1600)
    assert _seconds_left(page) < first
    assert int(page.locator("#countdown").inner_text()) < countdown
    expect(page.locator("#seg-kind")).to_have_text("Get ready")
    # The address lost ``start``: a reload shows the check-in and waits for a click.
    assert page.url == f"{server_without_espeak}/play/{ROUTINE_ID}"
    page.reload()
    expect(page.locator("#stage-before")).to_be_visible()
    expect(page.locator("#stage-play")).to_be_hidden()
    page.wait_for_timeout(500)
    expect(page.locator("#stage-play")).to_be_hidden()
    # No audio was forced before a gesture: no autoplay warning, no error.
    assert speech_page.problems == []
