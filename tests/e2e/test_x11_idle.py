"""The X11 idle monitor against a real X server (Xvfb): the ctypes XScreenSaver query answers,
closes its display every time, is what an X11 desktop without GNOME or KDE gets, and says
"unknown" (instead of ending the process) once the server is gone."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pytest

from deskstretch.reminders.desktop.idle import X11IdleMonitor, detect_idle_monitor


@dataclass
class XServer:
    display: str  # ":N"
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def x_server() -> Iterator[XServer]:
    """A private Xvfb on a free display number."""
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is missing: install the 'xvfb' package (apt-get install -y xvfb)")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0", "640x480x24"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as displayfd:
        number = displayfd.readline().strip()  # Xvfb writes it once it accepts clients
    if not number:
        server.kill()
        server.wait()
        pytest.fail("Xvfb did not start")
    started = XServer(f":{number}", server)
    try:
        yield started
    finally:
        started.stop()


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def nothing(argv: Sequence[str], timeout_seconds: float) -> str | None:
    return None  # no D-Bus desktop services, no logind


def test_x11_idle_time_comes_from_the_x_server(x_server: XServer) -> None:
    idle = X11IdleMonitor(x_server.display).idle_seconds()

    assert idle is not None
    assert 0.0 <= idle < 600


def test_x11_monitor_closes_its_display_after_each_query(x_server: XServer) -> None:
    monitor = X11IdleMonitor(x_server.display)
    monitor.idle_seconds()  # loads the libraries
    gc.collect()  # files left by earlier tests in this worker close now, not mid-count
    before = open_fds()

    answers = [monitor.idle_seconds() for _ in range(100)]

    assert None not in answers
    # A display left open per query would add 100; a file of another test closing may take one.
    assert open_fds() <= before


def test_an_x11_desktop_without_gnome_or_kde_uses_the_x_server(x_server: XServer) -> None:
    environ = {
        "DISPLAY": x_server.display,
        "XDG_SESSION_TYPE": "x11",
        "XDG_CURRENT_DESKTOP": "XFCE",
    }

    monitor = detect_idle_monitor(environ, nothing, platform="linux")

    assert monitor.name == "x11-screensaver"


def test_a_wayland_session_does_not_trust_xwayland(x_server: XServer) -> None:
    environ = {
        "DISPLAY": x_server.display,
        "XDG_SESSION_TYPE": "wayland",
        "XDG_CURRENT_DESKTOP": "sway",
    }

    assert detect_idle_monitor(environ, nothing, platform="linux").name == "none"


def test_x11_monitor_after_the_server_has_gone(x_server: XServer) -> None:
    monitor = X11IdleMonitor(x_server.display)
    assert monitor.idle_seconds() is not None

    x_server.stop()

    assert monitor.idle_seconds() is None
