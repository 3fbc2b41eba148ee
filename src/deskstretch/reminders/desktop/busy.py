"""Is this a bad moment for a break prompt? A camera or microphone in use by another program (a
call), a full-screen window, or do-not-disturb. Stdlib only: the waiting service asks just
before it would show a reminder. Each check can be run on its own with injected roots and
command runners; each answer is a plain sentence for the log and `remind status`.

Not detectable (detect_busy() then answers None): full-screen windows on Wayland (no protocol
for it), and on macOS and Windows camera, microphone, full-screen and Focus / Focus assist.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from deskstretch.reminders.desktop.idle import desktop_names, is_wayland
from deskstretch.reminders.desktop.probe import (
    Runner,
    dbus_call,
    has_bus_owner,
    parse_dbus_bool,
    run_probe,
    session_bus_address,
)


@dataclass(frozen=True)
class Busy:
    """Why a reminder should wait, e.g. "the camera is in use by zoom (a meeting?)"."""

    reason: str


# Programs that keep /dev/video* open to watch for cameras without streaming from them.
CAMERA_WATCHERS = frozenset({"pipewire", "wireplumber", "pipewire-media-session", "v4l2-relayd"})


def camera_in_use(proc_root: Path = Path("/proc"), own_pid: int | None = None) -> Busy | None:
    """A process other than this one (and other than the sound servers that only watch for
    cameras) has a /dev/video* device open. Processes we may not inspect are skipped."""
    own = os.getpid() if own_pid is None else own_pid
    for pid_dir in _pid_dirs(proc_root):
        if int(pid_dir.name) == own:
            continue
        program = _program_name(pid_dir)
        if program in CAMERA_WATCHERS:
            continue
        if any(target.startswith("/dev/video") for target in _open_files(pid_dir)):
            by = f" by {program}" if program else ""
            return Busy(f"the camera is in use{by} (a meeting?)")
    return None


def _pid_dirs(proc_root: Path) -> Iterable[Path]:
    try:
        entries = list(proc_root.iterdir())
    except OSError:
        return []
    return (entry for entry in entries if entry.name.isdigit())


def _program_name(pid_dir: Path) -> str:
    try:
        return (pid_dir / "comm").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _open_files(pid_dir: Path) -> Iterable[str]:
    """Targets of /proc/<pid>/fd/* (gone processes and other users' processes yield nothing)."""
    try:
        fds = list((pid_dir / "fd").iterdir())
    except OSError:
        return
    for fd in fds:
        try:
            yield os.readlink(fd)
        except OSError:
            continue


def microphone_capturing(asound_root: Path = Path("/proc/asound")) -> Busy | None:
    """An ALSA capture stream is running (/proc/asound/card*/pcm*c/sub*/status says
    "state: RUNNING"). PipeWire and PulseAudio suspend idle capture devices, so a running one
    means a program is recording."""
    for status in sorted(asound_root.glob("card*/pcm*c/sub*/status")):
        try:
            text = status.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "state: RUNNING" in text:
            return Busy("the microphone is in use (a call?)")
    return None


def microphone_recording_streams(run: Runner = run_probe) -> Busy | None:
    """PulseAudio / PipeWire: a program records from a real source (not a ".monitor" of an
    output, which is screen or desktop audio recording). Catches Bluetooth headsets, which
    are not ALSA devices."""
    sources_text = run(["pactl", "list", "short", "sources"], 3.0)
    outputs_text = run(["pactl", "list", "short", "source-outputs"], 3.0)
    if sources_text is None or outputs_text is None:
        return None
    monitors = set()
    for line in sources_text.splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and fields[1].endswith(".monitor"):
            monitors.add(fields[0])
    for line in outputs_text.splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and fields[1] not in monitors:
            return Busy("the microphone is in use (a call?)")
    return None


def fullscreen_window(environ: Mapping[str, str], run: Runner = run_probe) -> Busy | None:
    """X11: the active window's _NET_WM_STATE includes _NET_WM_STATE_FULLSCREEN (a
    presentation, a video, a game). Asked with xprop."""
    if not environ.get("DISPLAY") or is_wayland(environ):
        return None
    display = ["-display", environ["DISPLAY"]]
    active = run(["xprop", *display, "-root", "_NET_ACTIVE_WINDOW"], 2.0)
    if active is None or "#" not in active:
        return None
    window = active.rsplit("#", 1)[1].split(",")[0].strip()
    try:
        if int(window, 16) == 0:
            return None
    except ValueError:
        return None
    state = run(["xprop", *display, "-id", window, "_NET_WM_STATE"], 2.0)
    if state is not None and "_NET_WM_STATE_FULLSCREEN" in state:
        return Busy("a full-screen window is open (a presentation?)")
    return None


DND_REASON = "do-not-disturb is on"


def gnome_do_not_disturb(environ: Mapping[str, str], run: Runner = run_probe) -> Busy | None:
    """GNOME: Settings → Notifications → Do Not Disturb sets show-banners to false."""
    if not desktop_names(environ) & {"gnome", "unity", "budgie", "pantheon"}:
        return None
    value = run(["gsettings", "get", "org.gnome.desktop.notifications", "show-banners"], 2.0)
    if value is not None and value.strip() == "false":
        return Busy(DND_REASON)
    return None


def notifications_inhibited(run: Runner = run_probe) -> Busy | None:
    """The running notification service says it is holding notifications back (the
    ``Inhibited`` property of org.freedesktop.Notifications; KDE Plasma's do-not-disturb).
    Only asked when a service runs, so the question never starts one."""
    if not has_bus_owner(run, "org.freedesktop.Notifications"):
        return None
    reply = dbus_call(
        run,
        "org.freedesktop.Notifications",
        "/org/freedesktop/Notifications",
        "org.freedesktop.DBus.Properties.Get",
        "string:org.freedesktop.Notifications",
        "string:Inhibited",
    )
    if reply is not None and parse_dbus_bool(reply) is True:
        return Busy(DND_REASON)
    return None


def xfce_do_not_disturb(environ: Mapping[str, str], run: Runner = run_probe) -> Busy | None:
    """Xfce: the notification daemon's do-not-disturb switch."""
    if "xfce" not in desktop_names(environ):
        return None
    value = run(["xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb"], 2.0)
    if value is not None and value.strip() == "true":
        return Busy(DND_REASON)
    return None


def dunst_paused(run: Runner = run_probe) -> Busy | None:
    """dunst (common with tiling window managers): notifications paused."""
    value = run(["dunstctl", "is-paused"], 2.0)
    if value is not None and value.strip() == "true":
        return Busy(DND_REASON)
    return None


BusyCheck = Callable[[], "Busy | None"]


def busy_checks(
    environ: Mapping[str, str],
    run: Runner = run_probe,
    *,
    proc_root: Path = Path("/proc"),
    asound_root: Path = Path("/proc/asound"),
    own_pid: int | None = None,
    platform: str | None = None,
) -> list[BusyCheck]:
    """The checks that mean something on this platform, cheapest first."""
    system = sys.platform if platform is None else platform
    if not system.startswith("linux"):
        return []
    checks: list[BusyCheck] = [
        lambda: gnome_do_not_disturb(environ, run),
        lambda: xfce_do_not_disturb(environ, run),
    ]
    if session_bus_address(environ) is not None:  # dbus-send must not autolaunch a bus
        checks.append(lambda: notifications_inhibited(run))
    return [
        *checks,
        lambda: dunst_paused(run),
        lambda: fullscreen_window(environ, run),
        lambda: microphone_capturing(asound_root),
        lambda: microphone_recording_streams(run),
        lambda: camera_in_use(proc_root, own_pid),
    ]


def detect_busy(
    environ: Mapping[str, str] | None = None,
    run: Runner = run_probe,
    *,
    proc_root: Path = Path("/proc"),
    asound_root: Path = Path("/proc/asound"),
    own_pid: int | None = None,
    platform: str | None = None,
) -> Busy | None:
    """The first reason this is a bad moment for a reminder, or None (also where nothing can be
    detected: macOS, Windows)."""
    env = os.environ if environ is None else environ
    checks = busy_checks(
        env, run, proc_root=proc_root, asound_root=asound_root, own_pid=own_pid, platform=platform
    )
    for check in checks:
        busy = check()
        if busy is not None:
            return busy
    return None
