"""Helpers shared by the CLI and terminal tests (fixtures live in conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from deskstretch.core.safety import CONDITION_QUESTIONS, RED_FLAG_QUESTIONS

# Timestamped lines of the plain front end: "[00:02.004] Hold - ...".
PLAYED_LINE = re.compile(r"^\[\d\d:\d\d\.\d{3}\] ")
_BOX = re.compile(r"[│┃║╭╮╰╯─━┏┓┗┛┡┩└┘┌┐├┤┬┴┼╇╈╋┳┻]")


@dataclass(frozen=True)
class Dirs:
    """This test's config and data folders (what DESKSTRETCH_*_DIR point at)."""

    root: Path
    config: Path
    data: Path

    @property
    def routines(self) -> Path:
        return self.config / "routines"

    @property
    def screening(self) -> Path:
        return self.config / "screening.toml"

    def env_vars(self) -> dict[str, str]:
        return {
            "DESKSTRETCH_CONFIG_DIR": str(self.config),
            "DESKSTRETCH_DATA_DIR": str(self.data),
        }


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def stderr_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    @property
    def played(self) -> list[str]:
        """The timestamped lines the plain player printed."""
        return [line for line in self.stdout.splitlines() if PLAYED_LINE.match(line)]

    def __str__(self) -> str:  # what pytest shows when an assertion on a Result fails
        return f"exit {self.exit_code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def answers_toml(
    yes: Iterable[str] = (), cleared: Iterable[str] = (), clearance_confirmed: bool = False
) -> str:
    """A complete answers file for `deskstretch check --from`: every question, "yes" for ``yes``."""
    chosen = set(yes)
    known = {q.id for q in RED_FLAG_QUESTIONS} | {q.id for q in CONDITION_QUESTIONS}
    assert chosen <= known, f"not question ids: {chosen - known}"
    lines = []
    cleared = list(cleared)
    if cleared:
        lines.append("red_flags_cleared = [" + ", ".join(f'"{c}"' for c in cleared) + "]")
    if clearance_confirmed:
        lines.append("clearance_confirmed = true")
    lines.append("[red_flags]")
    lines += [f"{q.id} = {str(q.id in chosen).lower()}" for q in RED_FLAG_QUESTIONS]
    lines.append("[conditions]")
    lines += [f"{q.id} = {str(q.id in chosen).lower()}" for q in CONDITION_QUESTIONS]
    return "\n".join(lines) + "\n"


class FakeClock:
    """Monotonic seconds that move only when the player sleeps: minutes play in milliseconds."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept = 0.0
        self.idle_wakes = 0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        # A player that keeps asking to sleep for nothing would spin forever on a fake clock
        # (and burn a CPU core on a real one): fail instead of hanging.
        self.idle_wakes = self.idle_wakes + 1 if seconds <= 0 else 0
        assert self.idle_wakes < 1000, "the player loop is spinning without waiting"
        self.now += max(0.0, seconds)
        self.slept += max(0.0, seconds)


def write_file(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def flat(text: str) -> str:
    """Rich output without box drawing and line breaks, so wrapped phrases can be searched."""
    return " ".join(_BOX.sub(" ", text).split())


def exercise_codes(text: str) -> set[str]:
    return set(re.findall(r"\bS\d\d\b", text))


CliRunner = Callable[..., Result]
AnswersWriter = Callable[..., Path]
