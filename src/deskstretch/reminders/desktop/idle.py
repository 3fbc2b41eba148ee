"""How long the person has been away from keyboard and mouse, on each desktop: GNOME's and KDE's
D-Bus idle interfaces, logind's idle hint, the X11 screensaver extension, macOS HIDIdleTime and
Windows GetLastInputInfo. Stdlib only (subprocess, lazy ctypes): the waiting service imports it.

Wayland: only the compositors' own D-Bus interfaces are used (GNOME's Mutter IdleMonitor, KDE's
org.freedesktop.ScreenSaver). The generic ext-idle-notify-v1 protocol needs a Wayland client
library that deskstretch does not ship, so on other Wayland compositors (sway, Hyprland ...)
idle time is known only when the compositor sets logind's IdleHint (e.g. swayidle with
``idlehint``); otherwise breaks follow the clock only.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

from deskstretch.reminders.desktop.probe import (
    Runner,
    dbus_call,
    parse_dbus_number,
    run_probe,
    session_bus_address,
)

if TYPE_CHECKING:
    import ctypes

NO_IDLE_REASON = "no idle detection available on this desktop: breaks follow the clock only"


class IdleMonitor(Protocol):
    """Where idle time comes from. ``idle_seconds()`` is None when it is unknown right now."""

    name: str

    def idle_seconds(self) -> float | None: ...


class NoIdleMonitor:
    """Nothing on this desktop reports idle time; ``reason`` says so in plain words."""

    name = "none"

    def __init__(self, reason: str = NO_IDLE_REASON) -> None:
        self.reason = reason

    def idle_seconds(self) -> float | None:
        return None


class MutterIdleMonitor:
    """GNOME Shell (Mutter), X11 and Wayland: org.gnome.Mutter.IdleMonitor.GetIdletime, in ms."""

    name = "gnome-mutter"

    def __init__(self, run: Runner = run_probe) -> None:
        self.run = run

    def idle_seconds(self) -> float | None:
        reply = dbus_call(
            self.run,
            "org.gnome.Mutter.IdleMonitor",
            "/org/gnome/Mutter/IdleMonitor/Core",
            "org.gnome.Mutter.IdleMonitor.GetIdletime",
        )
        milliseconds = parse_dbus_number(reply) if reply is not None else None
        return _non_negative(milliseconds, 1000)


class ScreenSaverIdleMonitor:
    """org.freedesktop.ScreenSaver.GetSessionIdleTime. KDE Plasma (X11 and Wayland) answers in
    milliseconds of input idleness. The old draft specification, and the screensavers that
    follow it (gnome-screensaver, xfce4-screensaver), answer in seconds since the session went
    idle, 0 before that, so on those desktops short idle spells read as 0."""

    name = "freedesktop-screensaver"

    def __init__(self, run: Runner = run_probe, *, milliseconds: bool = True) -> None:
        self.run = run
        self.milliseconds = milliseconds

    def idle_seconds(self) -> float | None:
        reply = dbus_call(
            self.run,
            "org.freedesktop.ScreenSaver",
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver.GetSessionIdleTime",
        )
        value = parse_dbus_number(reply) if reply is not None else None
        return _non_negative(value, 1000 if self.milliseconds else 1)


class LogindIdleMonitor:
    """systemd-logind: the session's IdleHint and IdleSinceHint (µs since the epoch, wall
    clock). The desktop sets IdleHint only after its own idle delay (GNOME: 5 minutes by
    default), so idle spells shorter than that read as 0. Graphical sessions only."""

    name = "logind"

    def __init__(
        self,
        run: Runner = run_probe,
        session: str = "auto",
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.run = run
        self.session = session
        self.wall_clock = wall_clock

    def idle_seconds(self) -> float | None:
        reply = self.run(
            [
                "loginctl",
                "show-session",
                self.session,
                "--property=Type",
                "--property=IdleHint",
                "--property=IdleSinceHint",
            ],
            3.0,
        )
        if reply is None:
            return None
        values = dict(line.split("=", 1) for line in reply.splitlines() if "=" in line)
        if values.get("Type") not in {"x11", "wayland", "mir"}:
            return None  # a text or remote session: nobody reports input there
        if values.get("IdleHint") != "yes":
            return 0.0 if values.get("IdleHint") == "no" else None
        try:
            since_us = int(values.get("IdleSinceHint", ""))
        except ValueError:
            return None
        if since_us <= 0:
            return None
        return max(0.0, self.wall_clock() - since_us / 1_000_000)


class X11IdleMonitor:
    """X11 sessions: XScreenSaverQueryInfo through ctypes (libX11 + libXss). The display is
    opened for each query and closed at once, so a restarted X server never leaves the service
    holding a dead connection. Not used on Wayland: XWayland sees only X clients' input."""

    name = "x11-screensaver"

    def __init__(self, display: str) -> None:
        self.display = display
        self._libraries: tuple[ctypes.CDLL, ctypes.CDLL] | None = None
        self._missing = False

    def idle_seconds(self) -> float | None:
        libraries = self._load()
        if libraries is None:
            return None
        return _query_x11_idle(*libraries, self.display)

    def _load(self) -> tuple[ctypes.CDLL, ctypes.CDLL] | None:
        if self._libraries is None and not self._missing:
            self._libraries = _load_x11_libraries()
            self._missing = self._libraries is None
        return self._libraries


def _load_x11_libraries() -> tuple[ctypes.CDLL, ctypes.CDLL] | None:
    import ctypes
    import ctypes.util

    loaded: list[ctypes.CDLL] = []
    for soname, short in (("libX11.so.6", "X11"), ("libXss.so.1", "Xss")):
        candidates = [soname, ctypes.util.find_library(short)]
        library = None
        for candidate in candidates:
            if candidate is None:
                continue
            try:
                library = ctypes.CDLL(candidate)
                break
            except OSError:
                continue
        if library is None:
            return None
        loaded.append(library)
    x11, xss = loaded
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    x11.XFree.argtypes = [ctypes.c_void_p]
    xss.XScreenSaverQueryExtension.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.POINTER(ctypes.c_int),
    ]
    xss.XScreenSaverAllocInfo.restype = ctypes.c_void_p
    xss.XScreenSaverQueryInfo.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_void_p]
    return x11, xss


def _query_x11_idle(x11: ctypes.CDLL, xss: ctypes.CDLL, display_name: str) -> float | None:
    import ctypes

    class XScreenSaverInfo(ctypes.Structure):
        _fields_ = (
            ("window", ctypes.c_ulong),
            ("state", ctypes.c_int),
            ("kind", ctypes.c_int),
            ("til_or_since", ctypes.c_ulong),
            ("idle", ctypes.c_ulong),  # milliseconds since the last input event
            ("event_mask", ctypes.c_ulong),
        )

    # A busy server now and then refuses a connection (seen with Xvfb under load): one retry.
    display = x11.XOpenDisplay(display_name.encode()) or x11.XOpenDisplay(display_name.encode())
    if not display:
        return None
    try:
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(
            display, ctypes.byref(event_base), ctypes.byref(error_base)
        ):
            return None
        info = xss.XScreenSaverAllocInfo()
        if not info:
            return None
        try:
            if not xss.XScreenSaverQueryInfo(display, x11.XDefaultRootWindow(display), info):
                return None
            idle_ms = ctypes.cast(info, ctypes.POINTER(XScreenSaverInfo)).contents.idle
            return float(idle_ms) / 1000
        finally:
            x11.XFree(info)
    finally:
        x11.XCloseDisplay(display)


HID_IDLE = re.compile(r'"HIDIdleTime"\s*=\s*(\d+)')


class MacIdleMonitor:
    """macOS: HIDIdleTime (nanoseconds) of IOHIDSystem, read with ``ioreg``."""

    name = "macos-hid"

    def __init__(self, run: Runner = run_probe) -> None:
        self.run = run

    def idle_seconds(self) -> float | None:
        reply = self.run(["ioreg", "-c", "IOHIDSystem"], 3.0)
        match = HID_IDLE.search(reply) if reply is not None else None
        return int(match.group(1)) / 1e9 if match else None


class WindowsIdleMonitor:
    """Windows: GetLastInputInfo against GetTickCount. Both are 32-bit millisecond tick counts,
    so the difference is taken modulo 2**32 (correct across the 49.7-day wrap)."""

    name = "windows"

    def __init__(self, ticks: Callable[[], tuple[int, int] | None] | None = None) -> None:
        self.ticks = ticks if ticks is not None else _windows_ticks

    def idle_seconds(self) -> float | None:
        ticks = self.ticks()
        if ticks is None:
            return None
        now_ms, last_input_ms = ticks
        return ((now_ms - last_input_ms) & 0xFFFFFFFF) / 1000


def _windows_ticks(platform: str = sys.platform) -> tuple[int, int] | None:
    """(GetTickCount(), LASTINPUTINFO.dwTime), or None when Windows will not say (or this is
    not Windows)."""
    if platform != "win32":
        return None
    if sys.platform != "win32":  # the Windows API below exists only there (mypy knows this form)
        return None
    import ctypes
    from ctypes import wintypes

    class LastInputInfo(ctypes.Structure):
        _fields_ = (("cbSize", wintypes.UINT), ("dwTime", wintypes.DWORD))

    info = LastInputInfo(cbSize=ctypes.sizeof(LastInputInfo))
    if not ctypes.windll.user32.GetLastInputInfo(ctypes.byref(info)):
        return None
    now: int = ctypes.windll.kernel32.GetTickCount()
    return now, int(info.dwTime)


def _non_negative(value: float | None, per_second: float) -> float | None:
    if value is None or value < 0:
        return None
    return value / per_second


def desktop_names(environ: Mapping[str, str]) -> set[str]:
    """XDG_CURRENT_DESKTOP ("ubuntu:GNOME", "KDE") as lower-case names."""
    raw = environ.get("XDG_CURRENT_DESKTOP", "") or environ.get("DESKTOP_SESSION", "")
    return {part.strip().lower() for part in raw.split(":") if part.strip()}


def is_wayland(environ: Mapping[str, str]) -> bool:
    return environ.get("XDG_SESSION_TYPE", "").lower() == "wayland" or bool(
        environ.get("WAYLAND_DISPLAY")
    )


# Desktops whose window manager is Mutter or built on it (Budgie 10 and Pantheon's Gala).
MUTTER_DESKTOPS = {"gnome", "gnome-classic", "gnome-flashback", "unity", "budgie", "pantheon"}


def idle_candidates(
    environ: Mapping[str, str],
    run: Runner = run_probe,
    *,
    platform: str | None = None,
    wall_clock: Callable[[], float] = time.time,
) -> list[IdleMonitor]:
    """The monitors worth asking on this desktop, best first (none of them asked yet)."""
    system = sys.platform if platform is None else platform
    if system.startswith("win"):
        return [WindowsIdleMonitor()]
    if system == "darwin":
        return [MacIdleMonitor(run)]
    desktops = desktop_names(environ)
    display = environ.get("DISPLAY", "")
    x11 = [X11IdleMonitor(display)] if display and not is_wayland(environ) else []
    logind = LogindIdleMonitor(run, environ.get("XDG_SESSION_ID") or "auto", wall_clock)
    # Without a session bus, dbus-send would fail (or, with DISPLAY set, autolaunch a bus).
    has_bus = session_bus_address(environ) is not None
    mutter: list[IdleMonitor] = [MutterIdleMonitor(run)] if has_bus else []
    if "kde" in desktops:
        kde = [ScreenSaverIdleMonitor(run, milliseconds=True)] if has_bus else []
        return [*kde, *x11, logind]
    if desktops & MUTTER_DESKTOPS:
        return [*mutter, *x11, logind]
    # Anything else: Mutter may still be there; the X11 extension is exact; a ScreenSaver
    # service here follows the draft specification (seconds, 0 until the session is idle).
    draft = [ScreenSaverIdleMonitor(run, milliseconds=False)] if has_bus else []
    return [*mutter, *x11, *draft, logind]


def detect_idle_monitor(
    environ: Mapping[str, str] | None = None,
    run: Runner = run_probe,
    *,
    platform: str | None = None,
    wall_clock: Callable[[], float] = time.time,
    candidates: list[IdleMonitor] | None = None,
) -> IdleMonitor:
    """The first idle monitor that answers on this desktop, else NoIdleMonitor with a reason."""
    env = os.environ if environ is None else environ
    if candidates is None:
        candidates = idle_candidates(env, run, platform=platform, wall_clock=wall_clock)
    for monitor in candidates:
        if monitor.idle_seconds() is not None:
            return monitor
    return NoIdleMonitor()


IDLE_SOURCES = {
    MutterIdleMonitor.name: "GNOME's idle monitor (D-Bus)",
    ScreenSaverIdleMonitor.name: "the desktop's screensaver service (D-Bus)",
    LogindIdleMonitor.name: "systemd-logind's idle hint",
    X11IdleMonitor.name: "the X11 screensaver extension",
    MacIdleMonitor.name: "macOS input idle time",
    WindowsIdleMonitor.name: "Windows last-input time",
}


def describe_idle_monitor(monitor: IdleMonitor) -> str:
    """One line for `remind status` and the log: where idle time comes from, or why it does not."""
    if isinstance(monitor, NoIdleMonitor):
        return monitor.reason
    return f"idle time from {IDLE_SOURCES.get(monitor.name, monitor.name)}"
