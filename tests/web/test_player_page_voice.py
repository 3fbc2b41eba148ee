"""The player page's voice and autostart, as the server renders them: voice on by default (a
config.toml saying `voice = false` keeps it off), which voice speaks or how to get one, and
``?start=1`` (a reminder's Start) marking the page to start at once, never on a locked page.

In-process (TestClient); tests/e2e/test_browser_speech.py plays the same page in Chromium.
"""

from __future__ import annotations

import html
import re
import stat
from pathlib import Path

import pytest

from deskstretch.config import Preferences, Settings, load_preferences
from helpers.support import Dirs
from helpers.web_client import WebClient

ROUTINE = "hamstring-2min"


def player_tag(page: str) -> str:
    """The opening tag of the player section (where the data-* settings are)."""
    found = re.search(r'<section id="player"[^>]*>', page)
    assert found, page
    return found.group(0)


def voice_note(page: str) -> str:
    found = re.search(r'<span class="pl-muted" id="voice-note">(.*?)</span>', page, re.S)
    assert found, page
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def voice_button(page: str) -> str:
    found = re.search(r'<button [^>]*id="btn-voice"[^>]*>', page)
    assert found, page
    return found.group(0)


@pytest.fixture
def no_espeak(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A PATH with neither espeak-ng nor espeak on it."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


@pytest.fixture
def fake_espeak(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An espeak-ng on PATH (the page only asks whether there is one)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "espeak-ng"
    program.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(folder))


def write_config(dirs: Dirs, text: str) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    (dirs.config / "config.toml").write_text(text, encoding="utf-8")


# ----- voice on by default -----------------------------------------------------------------------


def test_voice_is_on_for_a_new_person(dirs: Dirs) -> None:
    assert Preferences().voice is True
    assert load_preferences(Settings.from_env()).voice is True  # no config.toml
    write_config(dirs, 'default_routine = "seated-5min"\n')  # a file that does not say
    assert load_preferences(Settings.from_env()).voice is True


def test_voice_false_in_config_is_kept(dirs: Dirs) -> None:
    write_config(dirs, "voice = false\n")
    assert load_preferences(Settings.from_env()).voice is False


def test_page_plays_with_voice_on_by_default(screened: Path, web: WebClient) -> None:
    tag = player_tag(web.get(f"/play/{ROUTINE}").text)
    assert 'data-voice="true"' in tag


def test_page_keeps_voice_off_when_config_says_so(
    screened: Path, web: WebClient, dirs: Dirs
) -> None:
    write_config(dirs, "voice = false\n")
    tag = player_tag(web.get(f"/play/{ROUTINE}").text)
    assert 'data-voice="false"' in tag


# ----- which voice -------------------------------------------------------------------------------


def test_page_names_espeak_when_the_server_can_speak(
    screened: Path, web: WebClient, fake_espeak: None
) -> None:
    page = web.get(f"/play/{ROUTINE}").text
    assert 'data-speech="true"' in player_tag(page)
    assert voice_note(page) == "Voice: espeak-ng on this computer"
    button = voice_button(page)
    assert "disabled" not in button
    assert 'aria-describedby="voice-note"' in button


def test_page_without_espeak_leaves_the_voice_to_the_browser(
    screened: Path, web: WebClient, no_espeak: None
) -> None:
    page = web.get(f"/play/{ROUTINE}").text
    tag = player_tag(page)
    # The preference stays on: the page looks for an offline browser voice (page.js).
    assert 'data-speech="false"' in tag and 'data-voice="true"' in tag
    # Until one is found the button is off, and the note says what to do.
    button = voice_button(page)
    assert "disabled" in button and 'aria-describedby="voice-note"' in button
    note = voice_note(page)
    assert "captions show every cue" in note
    assert "sudo apt install espeak-ng" in note and "brew install espeak-ng" in note
    assert "offline voice" in note
    assert "espeak-ng on this computer" not in page


# ----- autostart ---------------------------------------------------------------------------------


def test_start_1_marks_the_page_to_start_at_once(screened: Path, web: WebClient) -> None:
    response = web.get(f"/play/{ROUTINE}?start=1")
    assert response.status_code == 200
    tag = player_tag(response.text)
    assert 'data-autostart="true"' in tag
    assert f'data-routine-id="{ROUTINE}"' in tag
    assert "js/player/page.js" in response.text


@pytest.mark.parametrize("query", ["", "?start=0", "?start=yes", "?start="])
def test_page_waits_for_a_click_without_start_1(screened: Path, web: WebClient, query: str) -> None:
    response = web.get(f"/play/{ROUTINE}{query}")
    assert response.status_code == 200
    assert "data-autostart" not in player_tag(response.text)


def test_locked_page_ignores_start(web: WebClient) -> None:
    # Safety questions not answered: the page is the advice, with nothing to start.
    response = web.get(f"/play/{ROUTINE}?start=1")
    assert response.status_code == 403
    assert "Please answer the safety questions" in response.text
    assert "data-autostart" not in response.text
    assert 'id="player"' not in response.text and "js/player/" not in response.text
