"""Whether this computer can show a web page in a graphical browser: asked by `deskstretch app`
(open the page or print the address) and by a reminder's Start button."""

from __future__ import annotations

import contextlib
import os
import sys
import webbrowser
from collections.abc import Mapping
from pathlib import Path


def can_open_browser(
    environ: Mapping[str, str] | None = None, platform: str = sys.platform
) -> bool:
    """Whether a graphical browser can show a page: always on macOS and Windows; on Linux and
    the BSDs only with a display (otherwise webbrowser might start a text browser in this
    terminal, or nothing at all)."""
    env = os.environ if environ is None else environ
    if platform == "darwin" or platform.startswith("win"):
        return True
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return False
    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


APP_ADDRESS_FILE = "app-address"
"""In the data folder while ``deskstretch app`` runs: its address, so a reminder's Start opens the
app where it really listens (``--port``), not only at the default address."""


def app_address(data_dir: Path) -> str | None:
    """The address a running app wrote, when it is a loopback one; else None."""
    try:
        text = (data_dir / APP_ADDRESS_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    loopback = ("http://127.0.0.1:", "http://localhost:", "http://[::1]:")
    if not text.startswith(loopback) or not text.split(":")[-1].isdigit():
        return None
    return text


def remember_app_address(data_dir: Path, url: str) -> None:
    """Write the app's address (best effort: reminders then fall back to the default one)."""
    path = data_dir / APP_ADDRESS_FILE
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{APP_ADDRESS_FILE}.{os.getpid()}")
        partial.write_text(url + "\n", encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass


def forget_app_address(data_dir: Path, url: str) -> None:
    """Remove the address at the app's exit, unless another app wrote its own since."""
    if app_address(data_dir) == url:
        with contextlib.suppress(OSError):
            (data_dir / APP_ADDRESS_FILE).unlink()
