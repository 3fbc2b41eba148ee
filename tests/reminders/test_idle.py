"""Idle time on each desktop, from recorded command outputs (the real D-Bus path is in
tests/e2e/test_dbus_notifications.py), and which monitor detect_idle_monitor() picks."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from deskstretch.reminders.desktop.idle import (
    NO_IDLE_REASON,
    LogindIdleMonitor,
    MacIdleMonitor,
    MutterIdleMonitor,
    NoIdleMonitor,
    ScreenSaverIdleMonitor,
    WindowsIdleMonitor,
    X11IdleMonitor,
    _windows_ticks,
    describe_idle_monitor,
    detect_idle_monitor,
    idle_candidates,
)

MUTTER_REPLY = (
    "method return time=1732435200.123456 sender=:1.23 -> destination=:1.99 serial=412"
    " reply_serial=2\n   uint64 65432\n"
)
SCREENSAVER_REPLY = (
    "method return time=1732435200.5 sender=:1.8 -> destination=:1.99 serial=77 reply_serial=2\n"
    "   uint32 42000\n"
)
# `ioreg -c IOHIDSystem` on macOS 14, shortened.
IOREG_OUTPUT = """\
+-o Root  <class IORegistryEntry, id 0x100000100, retain 25>
  +-o IOResources  <class IOResources, id 0x100000110, registered, matched, active, busy 0>
    +-o IOHIDSystem  <class IOHIDSystem, id 0x1000003c5, registered, matched, active>
        {
          "HIDIdleTimeDelta" = 4000023917
          "HIDParameters" = {"HIDClickTime"=500000000}
          "HIDIdleTime" = 12500000000
        }
"""


class Recorded:
    """A command runner that answers from recorded outputs, keyed by a word of the command
    (e.g. the D-Bus method or program name); everything else fails like a missing program."""

    def __init__(self, outputs: Mapping[str, str | None]) -> None:
        self.outputs = dict(outputs)
        self.calls: list[list[str]] = []

    def __call__(self, argv: Sequence[str], timeout_seconds: float) -> str | None:
        assert timeout_seconds <= 5, "a desktop query must not be able to stall the service"
        self.calls.append(list(argv))
        for key, output in self.outputs.items():
            if any(key in word for word in argv):
                return output
        return None


# A session bus address: D-Bus monitors are only tried when there is one.
BUS = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"}


def logind(*lines: str) -> Recorded:
    return Recorded({"loginctl": "\n".join(lines) + "\n"})


def test_mutter_idle_time_is_milliseconds() -> None:
    run = Recorded({"GetIdletime": MUTTER_REPLY})

    assert MutterIdleMonitor(run).idle_seconds() == pytest.approx(65.432)
    [argv] = run.calls
    assert argv[:2] == ["dbus-send", "--session"]
    assert "--dest=org.gnome.Mutter.IdleMonitor" in argv
    assert "/org/gnome/Mutter/IdleMonitor/Core" in argv


@pytest.mark.parametrize(
    "reply",
    [
        None,  # no such service, no dbus-send, or it hung
        "method return time=1.0 sender=:1.2 -> destination=:1.3 serial=4 reply_serial=2\n",
        "Error org.freedesktop.DBus.Error.ServiceUnknown: nothing here\n",
        "   int64 -5\n",
    ],
)
def test_mutter_without_a_usable_answer_is_unknown(reply: str | None) -> None:
    assert MutterIdleMonitor(Recorded({"GetIdletime": reply})).idle_seconds() is None


def test_gdbus_style_replies_are_understood_too() -> None:
    assert MutterIdleMonitor(Recorded({"GetIdletime": "(uint64 1500,)\n"})).idle_seconds() == 1.5


@pytest.mark.parametrize(("milliseconds", "seconds"), [(True, 42.0), (False, 42000.0)])
def test_screensaver_unit_depends_on_the_desktop(milliseconds: bool, seconds: float) -> None:
    run = Recorded({"GetSessionIdleTime": SCREENSAVER_REPLY})

    monitor = ScreenSaverIdleMonitor(run, milliseconds=milliseconds)

    assert monitor.idle_seconds() == seconds
    assert "--dest=org.freedesktop.ScreenSaver" in run.calls[0]


def test_logind_idle_since_hint_is_turned_into_seconds_with_the_wall_clock() -> None:
    run = logind("Type=wayland", "IdleHint=yes", "IdleSinceHint=1700000000000000")

    monitor = LogindIdleMonitor(run, session="c2", wall_clock=lambda: 1_700_000_420.5)

    assert monitor.idle_seconds() == pytest.approx(420.5)
    assert run.calls[0][:3] == ["loginctl", "show-session", "c2"]


def test_logind_not_idle_is_zero() -> None:
    run = logind("Type=x11", "IdleHint=no", "IdleSinceHint=0")

    assert LogindIdleMonitor(run, wall_clock=lambda: 1e9).idle_seconds() == 0.0


def test_logind_never_reads_a_clock_behind_the_hint_as_negative() -> None:
    run = logind("Type=x11", "IdleHint=yes", "IdleSinceHint=1700000000000000")

    assert LogindIdleMonitor(run, wall_clock=lambda: 1_699_999_000.0).idle_seconds() == 0.0


@pytest.mark.parametrize(
    "lines",
    [
        ("Type=tty", "IdleHint=yes", "IdleSinceHint=1700000000000000"),  # not graphical
        ("Type=x11", "IdleHint=yes", "IdleSinceHint=0"),
        ("Type=x11", "IdleHint=yes", "IdleSinceHint=soon"),
        ("Type=x11",),
    ],
)
def test_logind_without_a_usable_hint_is_unknown(lines: tuple[str, ...]) -> None:
    assert LogindIdleMonitor(logind(*lines), wall_clock=lambda: 2e9).idle_seconds() is None


def test_logind_failure_is_unknown() -> None:
    assert LogindIdleMonitor(Recorded({})).idle_seconds() is None


def test_macos_hid_idle_time_is_nanoseconds() -> None:
    run = Recorded({"ioreg": IOREG_OUTPUT})

    assert MacIdleMonitor(run).idle_seconds() == 12.5


def test_macos_without_hid_idle_time_is_unknown() -> None:
    assert MacIdleMonitor(Recorded({"ioreg": "+-o Root\n"})).idle_seconds() is None
    assert MacIdleMonitor(Recorded({})).idle_seconds() is None


def test_windows_idle_time_survives_the_tick_counter_wrapping() -> None:
    assert WindowsIdleMonitor(lambda: (90_000, 30_000)).idle_seconds() == 60.0
    # Last input just before the 32-bit tick count wrapped, now just after it.
    assert WindowsIdleMonitor(lambda: (2_000, 2**32 - 3_000)).idle_seconds() == 5.0
    assert WindowsIdleMonitor(lambda: None).idle_seconds() is None


def test_windows_monitor_elsewhere_is_unknown() -> None:
    assert _windows_ticks("linux") is None
    assert _windows_ticks("darwin") is None
    assert WindowsIdleMonitor(lambda: _windows_ticks("linux")).idle_seconds() is None


def test_x11_monitor_without_a_display_server_is_unknown() -> None:
    # Nothing listens on display 97 here: XOpenDisplay fails and the query says "unknown".
    assert X11IdleMonitor(":97").idle_seconds() is None


def names(monitors: Sequence[object]) -> list[str]:
    return [str(getattr(m, "name", "")) for m in monitors]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {"XDG_CURRENT_DESKTOP": "ubuntu:GNOME", "XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"},
            ["gnome-mutter", "logind"],
        ),
        (
            {"XDG_CURRENT_DESKTOP": "GNOME", "XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"},
            ["gnome-mutter", "x11-screensaver", "logind"],
        ),
        (
            {"XDG_CURRENT_DESKTOP": "KDE", "XDG_SESSION_TYPE": "wayland", "DISPLAY": ":1"},
            ["freedesktop-screensaver", "logind"],
        ),
        (
            {"XDG_CURRENT_DESKTOP": "XFCE", "XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"},
            ["gnome-mutter", "x11-screensaver", "freedesktop-screensaver", "logind"],
        ),
        (
            {"XDG_CURRENT_DESKTOP": "sway", "WAYLAND_DISPLAY": "wayland-1", "DISPLAY": ":0"},
            ["gnome-mutter", "freedesktop-screensaver", "logind"],
        ),
        ({}, ["gnome-mutter", "freedesktop-screensaver", "logind"]),
    ],
)
def test_candidates_follow_the_desktop(environ: dict[str, str], expected: list[str]) -> None:
    candidates = idle_candidates({**BUS, **environ}, Recorded({}), platform="linux")

    assert names(candidates) == expected


@pytest.mark.parametrize("desktop", ["GNOME", "KDE", "XFCE"])
def test_without_a_session_bus_no_dbus_monitor_is_tried(tmp_path: Path, desktop: str) -> None:
    environ = {"XDG_CURRENT_DESKTOP": desktop, "XDG_RUNTIME_DIR": str(tmp_path), "DISPLAY": ":0"}

    assert names(idle_candidates(environ, Recorded({}), platform="linux")) == [
        "x11-screensaver",
        "logind",
    ]


def test_kde_screensaver_is_read_in_milliseconds_and_others_in_seconds() -> None:
    kde = idle_candidates({**BUS, "XDG_CURRENT_DESKTOP": "KDE"}, Recorded({}), platform="linux")[0]
    xfce = idle_candidates({**BUS, "XDG_CURRENT_DESKTOP": "XFCE"}, Recorded({}), platform="linux")

    assert isinstance(kde, ScreenSaverIdleMonitor)
    assert kde.milliseconds
    [draft] = [m for m in xfce if isinstance(m, ScreenSaverIdleMonitor)]
    assert not draft.milliseconds


def test_logind_asks_about_this_session_when_it_is_known() -> None:
    [*_, monitor] = idle_candidates({"XDG_SESSION_ID": "7"}, Recorded({}), platform="linux")

    assert isinstance(monitor, LogindIdleMonitor)
    assert monitor.session == "7"


@pytest.mark.parametrize(("platform", "expected"), [("darwin", "macos-hid"), ("win32", "windows")])
def test_candidates_on_other_systems(platform: str, expected: str) -> None:
    assert names(idle_candidates({}, Recorded({}), platform=platform)) == [expected]


def test_detect_picks_the_first_monitor_that_answers() -> None:
    run = Recorded(
        {"GetIdletime": None, "loginctl": "Type=wayland\nIdleHint=no\nIdleSinceHint=0\n"}
    )

    monitor = detect_idle_monitor({**BUS, "XDG_CURRENT_DESKTOP": "GNOME"}, run, platform="linux")

    assert monitor.name == "logind"
    assert any("GetIdletime" in " ".join(call) for call in run.calls)
    assert monitor.idle_seconds() == 0.0


def test_detect_prefers_gnome_when_it_answers() -> None:
    run = Recorded({"GetIdletime": MUTTER_REPLY, "loginctl": "Type=wayland\nIdleHint=no\n"})

    monitor = detect_idle_monitor({**BUS, "XDG_CURRENT_DESKTOP": "GNOME"}, run, platform="linux")

    assert monitor.name == "gnome-mutter"
    assert not any(call[0] == "loginctl" for call in run.calls)


def test_detect_falls_back_to_no_idle_detection_with_a_reason() -> None:
    monitor = detect_idle_monitor({"XDG_CURRENT_DESKTOP": "sway"}, Recorded({}), platform="linux")

    assert isinstance(monitor, NoIdleMonitor)
    assert monitor.name == "none"
    assert monitor.idle_seconds() is None
    assert monitor.reason == NO_IDLE_REASON
    assert describe_idle_monitor(monitor) == NO_IDLE_REASON


def test_describe_names_the_source() -> None:
    assert describe_idle_monitor(MutterIdleMonitor(Recorded({}))) == (
        "idle time from GNOME's idle monitor (D-Bus)"
    )


def test_idle_detection_stays_out_of_heavy_imports() -> None:
    # The waiting service imports this module; it must stay small (see the reminders contract).
    code = (
        "import sys, deskstretch.reminders.desktop.idle, deskstretch.reminders.desktop.busy;"
        "print(sorted(m for m in ('asyncio', 'ctypes', 'dbus_fast', 'desktop_notifier',"
        " 'pydantic', 'typer', 'rich') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert done.stdout.strip() == "[]"
