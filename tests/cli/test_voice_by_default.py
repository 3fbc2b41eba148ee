"""Voice on by default in the terminal too: a new person without espeak-ng is told once per run
how to install it (not at every cue), and `voice = false` in config.toml keeps the terminal quiet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deskstretch.cli.terminal.voice import INSTALL_HINT
from helpers.support import CliRunner, Dirs

# Three segments (get ready, the reps, the end): three chances to nag.
TINY = """\
name = "Voice default test"
get_ready_seconds = 1
transition_seconds = 1

[[steps]]
exercise = "S10"
reps = 2
rep_seconds = 1
"""
HINT_START = INSTALL_HINT.split(".")[0]


@pytest.fixture
def no_speaker(monkeypatch: pytest.MonkeyPatch) -> None:
    # As on a machine without espeak-ng or espeak on its PATH.
    monkeypatch.setattr("deskstretch.system.espeak.shutil.which", lambda name: None)


def test_new_person_without_espeak_is_told_once(
    run_cli: CliRunner, screened: Path, tmp_path: Path, dirs: Dirs, no_speaker: None
) -> None:
    assert not (dirs.config / "config.toml").exists()  # nothing chosen: the defaults
    routine = tmp_path / "tiny.toml"
    routine.write_text(TINY, encoding="utf-8")
    result = run_cli("start", "--file", routine, "--plain", "--no-bell")
    assert result.exit_code == 0, result
    assert " ".join(result.stderr.split()).count(HINT_START) == 1, result.stderr
    assert "sudo apt install espeak-ng" in " ".join(result.stderr.split())
    assert "finished" in result.stdout


def test_voice_false_in_config_keeps_the_terminal_quiet(
    run_cli: CliRunner, screened: Path, tmp_path: Path, dirs: Dirs, no_speaker: None
) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    (dirs.config / "config.toml").write_text("voice = false\n", encoding="utf-8")
    routine = tmp_path / "tiny.toml"
    routine.write_text(TINY, encoding="utf-8")
    result = run_cli("start", "--file", routine, "--plain", "--no-bell")
    assert result.exit_code == 0, result
    assert HINT_START not in " ".join(result.stderr.split())
