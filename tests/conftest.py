"""Shared fixtures: isolated config and data folders, safety answer files, and CLI runners.

Every test runs with DESKSTRETCH_CONFIG_DIR and DESKSTRETCH_DATA_DIR pointing into its own tmp
folder (autouse), so no test can read or write the real config in the home folder.
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers.support import AnswersWriter, CliRunner, Dirs, FakeClock, Result, answers_toml


@pytest.fixture(autouse=True)
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Dirs:
    """Point deskstretch at tmp folders for every test; wide, colourless Rich output."""
    isolated = Dirs(tmp_path, tmp_path / "config", tmp_path / "data")
    for name in list(os.environ):
        if name.startswith("DESKSTRETCH_"):
            monkeypatch.delenv(name)
    for name, value in isolated.env_vars().items():
        monkeypatch.setenv(name, value)
    # Wide enough that tables and panels do not wrap the phrases the tests look for.
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    return isolated


@pytest.fixture
def write_answers(tmp_path: Path) -> AnswersWriter:
    """write_answers(yes=(...), cleared=(...), clearance_confirmed=False) -> answers file path."""
    counter = iter(range(1_000_000))

    def write(
        yes: Iterable[str] = (),
        cleared: Iterable[str] = (),
        clearance_confirmed: bool = False,
    ) -> Path:
        path = tmp_path / f"answers-{next(counter)}.toml"
        path.write_text(answers_toml(yes, cleared, clearance_confirmed), encoding="utf-8")
        return path

    return write


@pytest.fixture
def all_no_answers(write_answers: AnswersWriter) -> Path:
    return write_answers()


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """Run ``deskstretch.cli.main.main(argv)`` in-process; stdin is a string, not a terminal."""
    from deskstretch.cli.main import main

    def run(*argv: str | Path, stdin: str = "") -> Result:
        capsys.readouterr()  # drop anything printed before this command
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code: object = 0
        try:
            main([str(a) for a in argv])
        except SystemExit as done:
            code = 0 if done.code is None else done.code
        captured = capsys.readouterr()
        assert isinstance(code, int), f"exited with a non-integer status {code!r}"
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def run_subprocess(dirs: Dirs) -> CliRunner:
    """Run ``python -m deskstretch ARGS`` in a child process with this test's folders."""

    def run(*argv: str | Path, timeout: float = 30, stdin: str = "") -> Result:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
        env.update(dirs.env_vars())
        done = subprocess.run(
            [sys.executable, "-m", "deskstretch", *map(str, argv)],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def screened(run_cli: CliRunner, all_no_answers: Path) -> Path:
    """Safety questions already answered all "no" (through the CLI); returns the answers file."""
    result = run_cli("check", "--from", all_no_answers)
    assert result.exit_code == 0, result
    return all_no_answers


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Make `start --plain` play on a fake clock (the plain front end sleeps between ticks)."""
    from deskstretch.cli import play as session
    from deskstretch.cli.terminal import loop as playback
    from deskstretch.cli.terminal import screen

    clock = FakeClock()
    monkeypatch.setattr(session, "play", functools.partial(playback.play, clock=clock.monotonic))
    monkeypatch.setattr(
        screen, "time", SimpleNamespace(sleep=clock.sleep, monotonic=clock.monotonic)
    )
    return clock
