"""Spoken cues through espeak-ng (or espeak), run in the background so timing never waits on it."""

from __future__ import annotations

import contextlib
import subprocess

from deskstretch.system.espeak import find_speaker

__all__ = ["INSTALL_HINT", "Voice", "find_speaker"]

INSTALL_HINT = (
    "Spoken cues need espeak-ng, which is not installed. Install it with "
    "`sudo apt install espeak-ng` (Debian/Ubuntu) or `brew install espeak-ng` (macOS). "
    "Carrying on without voice (`--no-voice`, or `voice = false` in the settings, stops this"
    " note)."
)


class Voice:
    """Speaks one cue at a time; a new cue cuts off the previous one so speech never lags."""

    def __init__(
        self, program: str, voice_name: str = "en-us", words_per_minute: int = 150
    ) -> None:
        self.program = program
        self.voice_name = voice_name
        self.words_per_minute = words_per_minute
        self._current: subprocess.Popen[bytes] | None = None

    def command(self, text: str) -> list[str]:
        return [self.program, "-v", self.voice_name, "-s", str(self.words_per_minute), "--", text]

    def say(self, text: str) -> None:
        self.stop()
        try:
            self._current = subprocess.Popen(
                self.command(text),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._current = None

    def finish(self, timeout_seconds: float = 6.0) -> None:
        """Let the cue being spoken end (the routine's last words), then stop whatever remains."""
        if self._current is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._current.wait(timeout=timeout_seconds)
        self.stop()

    def stop(self) -> None:
        if self._current is not None and self._current.poll() is None:
            self._current.terminate()
            try:
                self._current.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                self._current.kill()
        self._current = None
