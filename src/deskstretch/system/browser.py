"""Whether this computer can show a web page in a graphical browser: asked by `deskstretch app`
(open the page or print the address) and by a reminder's Start button."""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Mapping


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
