"""Where the speech synthesiser is: espeak-ng (or the older espeak), shared by terminal and web."""

from __future__ import annotations

import shutil


def find_speaker() -> str | None:
    """Path of espeak-ng (or espeak), or None when neither is installed."""
    return shutil.which("espeak-ng") or shutil.which("espeak")
