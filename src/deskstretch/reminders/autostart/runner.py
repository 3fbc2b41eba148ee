"""The outside programs autostart drives (systemctl, launchctl, PowerShell) and the real way to
run, start and stop them. Tests pass a recording fake for ``Commands``."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class CommandResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def first_error_line(self) -> str:
        for text in (self.stderr, self.stdout):
            for line in text.splitlines():
                if line.strip():
                    return line.strip()
        return f"exit status {self.returncode}"


class Commands(Protocol):
    """The outside programs autostart drives; tests pass a recording fake."""

    def run(self, argv: Sequence[str]) -> CommandResult: ...

    def spawn(self, argv: Sequence[str], environ: Mapping[str, str]) -> int: ...

    def terminate(self, pid: int) -> None: ...


class SystemCommands:
    """Real commands: short subprocess runs, detached starts and SIGTERM."""

    timeout_seconds = 20.0

    def run(self, argv: Sequence[str]) -> CommandResult:
        try:
            done = subprocess.run(
                list(argv),
                capture_output=True,
                text=True,
                timeout=self.timeout_seconds,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except FileNotFoundError:
            return CommandResult(127, "", f"{argv[0]}: command not found")
        except subprocess.TimeoutExpired:
            return CommandResult(124, "", f"{argv[0]}: no answer in {self.timeout_seconds:g} s")
        return CommandResult(done.returncode, done.stdout, done.stderr)

    def spawn(self, argv: Sequence[str], environ: Mapping[str, str]) -> int:
        # Detached (Windows) or in its own session (elsewhere): closing the terminal that ran
        # `install` does not hang it up. Popen takes creationflags 0 on POSIX.
        flags = 0
        if sys.platform == "win32":
            flags = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
        child = subprocess.Popen(
            list(argv),
            env=dict(environ),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            creationflags=flags,
            start_new_session=sys.platform != "win32",
        )
        return child.pid

    stop_wait_seconds = 5.0

    def terminate(self, pid: int) -> None:
        """SIGTERM, then wait until it is gone (SIGKILL after a few seconds): a replacement
        started too early would find the old one still holding the single-instance lock."""
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + self.stop_wait_seconds
        while time.monotonic() < deadline:
            if not _is_alive(pid):
                return
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _is_alive(pid: int) -> bool:
    """Running, i.e. neither gone nor a zombie waiting for its parent (Linux shows that)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return True
    return stat[stat.rfind(")") + 2 :][:1] != "Z"
