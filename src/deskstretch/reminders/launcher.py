"""The prompt process as the service sees it: start ``python -m deskstretch.reminders prompt``,
wait for it without blocking the loop for long, and read its one-line JSON answer.

Standard library only (the waiting service imports it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class PromptOutcome:
    """The prompt child's answer: its one JSON line on stdout."""

    outcome: str
    minutes: float | None = None
    routine: str = ""
    detail: str = ""

    @classmethod
    def parse(cls, stdout: str) -> PromptOutcome:
        """The last JSON line of ``stdout``; a crash or garbage becomes outcome "failed"."""
        for line in reversed(stdout.strip().splitlines()):
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if isinstance(data, dict) and isinstance(data.get("outcome"), str):
                minutes = data.get("minutes")
                return cls(
                    outcome=data["outcome"],
                    minutes=float(minutes) if isinstance(minutes, int | float) else None,
                    routine=str(data.get("routine", "")),
                    detail=str(data.get("detail", "")),
                )
        return NO_ANSWER


NO_ANSWER = PromptOutcome("failed", detail="the reminder process gave no answer")


class PromptHandle(Protocol):
    """A running prompt child."""

    def wait(self, timeout_seconds: float) -> PromptOutcome | None:
        """Block up to ``timeout_seconds``; the outcome once the child has exited, else None."""

    def kill(self) -> None: ...


class PromptLauncher(Protocol):
    def launch(self, kind: str, message: str = "") -> PromptHandle: ...


class ChildPrompt:
    """``python -m deskstretch.reminders prompt --kind ...`` as a child process."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self._outcome: PromptOutcome | None = None

    def wait(self, timeout_seconds: float) -> PromptOutcome | None:
        if self._outcome is not None:
            return self._outcome
        try:
            self.process.wait(timeout=max(timeout_seconds, 0.0))
        except subprocess.TimeoutExpired:
            return None
        # The answer is one short line: it fits in the pipe, so reading after exit is safe.
        stdout = self.process.stdout.read() if self.process.stdout else ""
        if self.process.stdout:
            self.process.stdout.close()
        outcome = PromptOutcome.parse(stdout)
        if outcome == NO_ANSWER:  # a "failed" the child reported keeps its own reason
            outcome = PromptOutcome(
                "failed", detail=f"the reminder process ended with status {self.process.returncode}"
            )
        self._outcome = outcome
        return outcome

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


class SubprocessLauncher:
    def __init__(self, python: str = sys.executable) -> None:
        self.python = python

    def launch(self, kind: str, message: str = "") -> PromptHandle:
        argv = [self.python, "-m", "deskstretch.reminders", "prompt", "--kind", kind]
        if message:
            argv += ["--message", message]
        # stderr is inherited: the child's complaints land where ours do (log, terminal, journal)
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )
        return ChildPrompt(process)
