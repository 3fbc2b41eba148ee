"""Spoken cues: the real espeak-ng renders our cue text with the options we pass, and the player
speaks each segment's cue as it starts (observed through a recording stand-in for the speaker,
because this machine has no sound card to listen with)."""

from __future__ import annotations

import os
import stat
import subprocess
import wave
from pathlib import Path

import pytest

from deskstretch.cli.terminal.voice import INSTALL_HINT, Voice, find_speaker
from helpers.support import CliRunner

TINY = """\
name = "Voice test"
get_ready_seconds = 1
transition_seconds = 1

[[steps]]
exercise = "S10"
reps = 1
rep_seconds = 1
"""


@pytest.mark.e2e
def test_real_espeak_renders_our_cue_with_our_options(tmp_path: Path) -> None:
    program = find_speaker()
    if program is None:
        pytest.fail("espeak-ng is not installed: `make test` installs it (apt install espeak-ng)")
    voice = Voice(program, "en-us", 160)
    out = tmp_path / "cue.wav"
    command = voice.command("Hold on the left leg for thirty seconds.")
    # Same options as a live cue, writing to a file instead of the (absent) sound card.
    subprocess.run([command[0], "-w", str(out), *command[1:]], check=True, timeout=20)
    with wave.open(str(out)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    assert 1.0 < seconds < 10.0


def _recording_speaker(folder: Path, log: Path) -> Path:
    folder.mkdir()
    script = folder / "espeak-ng"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return folder


def test_player_speaks_each_cue(
    run_cli: CliRunner, screened: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "spoken.txt"
    folder = _recording_speaker(tmp_path / "bin", log)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    routine = tmp_path / "voice.toml"
    routine.write_text(TINY, encoding="utf-8")
    result = run_cli("start", "--file", routine, "--plain", "--voice")
    assert result.exit_code == 0, result
    spoken = log.read_text(encoding="utf-8").splitlines()
    assert spoken[0].startswith("-v en-us -s 150 -- First: Seated pelvic tilts.")
    assert any("1 slow rep, about 1 second each" in line for line in spoken)
    assert spoken[-1].endswith("Routine complete. Well done.")


def test_missing_speaker_gives_a_clear_message_and_plays_on(
    run_cli: CliRunner, screened: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on a machine without espeak-ng or espeak on its PATH.
    monkeypatch.setattr("deskstretch.system.espeak.shutil.which", lambda name: None)
    routine = tmp_path / "voice.toml"
    routine.write_text(TINY, encoding="utf-8")
    result = run_cli("start", "--file", routine, "--plain", "--voice")
    assert result.exit_code == 0
    assert "espeak-ng" in result.stderr
    assert INSTALL_HINT.split(".")[0] in " ".join(result.stderr.split())
    assert "finished" in result.stdout


def _slow_speaker(folder: Path, log: Path) -> str:
    folder.mkdir()
    script = folder / "slow-speaker"
    script.write_text(f'#!/bin/sh\nsleep 0.5\nprintf "%s\\n" "$*" >> "{log}"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_voice_finish_lets_the_last_cue_end(tmp_path: Path) -> None:
    log = tmp_path / "spoken.txt"
    voice = Voice(_slow_speaker(tmp_path / "bin", log))
    voice.say("Routine complete. Well done.")
    voice.finish()
    assert log.read_text(encoding="utf-8").strip().endswith("Routine complete. Well done.")


def test_voice_stop_cuts_the_cue_off(tmp_path: Path) -> None:
    log = tmp_path / "spoken.txt"
    voice = Voice(_slow_speaker(tmp_path / "bin", log))
    voice.say("This is cut off.")
    voice.stop()
    assert not log.exists()
