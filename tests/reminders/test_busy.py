"""Bad moments for a reminder, each check on its own: fake /proc and /proc/asound trees in
tmp_path and recorded command outputs (the D-Bus do-not-disturb path runs for real in
tests/e2e/test_dbus_notifications.py)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from deskstretch.reminders.desktop.busy import (
    Busy,
    busy_checks,
    camera_in_use,
    detect_busy,
    dunst_paused,
    fullscreen_window,
    gnome_do_not_disturb,
    microphone_capturing,
    microphone_recording_streams,
    notifications_inhibited,
    xfce_do_not_disturb,
)

X11 = {"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}
GNOME = {"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}
BUS = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"}


class Recorded:
    """Answers from recorded outputs, keyed by a word of the command; records every call."""

    def __init__(self, outputs: Mapping[str, str | None] | None = None) -> None:
        self.outputs = dict(outputs or {})
        self.calls: list[list[str]] = []

    def __call__(self, argv: Sequence[str], timeout_seconds: float) -> str | None:
        assert timeout_seconds <= 5
        self.calls.append(list(argv))
        for key, output in self.outputs.items():
            if key in " ".join(argv):
                return output
        return None


def add_process(
    proc: Path, pid: int, comm: str, fds: Mapping[int, str], *, fd_dir: bool = True
) -> None:
    """A /proc/<pid> with a comm file and fd symlinks to ``fds`` (targets need not exist)."""
    pid_dir = proc / str(pid)
    pid_dir.mkdir(parents=True)
    (pid_dir / "comm").write_text(comm + "\n", encoding="utf-8")
    if fd_dir:
        (pid_dir / "fd").mkdir()
        for fd, target in fds.items():
            os.symlink(target, pid_dir / "fd" / str(fd))


def test_camera_open_in_another_program_is_busy(tmp_path: Path) -> None:
    add_process(tmp_path, 100, "bash", {0: "/dev/pts/1", 1: "/dev/pts/1"})
    add_process(tmp_path, 2345, "zoom", {0: "/dev/null", 37: "/dev/video0"})

    assert camera_in_use(tmp_path, own_pid=1) == Busy("the camera is in use by zoom (a meeting?)")


def test_no_camera_open_is_not_busy(tmp_path: Path) -> None:
    add_process(tmp_path, 100, "bash", {0: "/dev/pts/1", 3: "/home/me/video0.mp4"})
    (tmp_path / "self").mkdir()  # non-numeric entries are not processes
    (tmp_path / "meminfo").write_text("", encoding="utf-8")

    assert camera_in_use(tmp_path, own_pid=1) is None


def test_our_own_camera_use_does_not_count(tmp_path: Path) -> None:
    add_process(tmp_path, 4242, "python3", {5: "/dev/video2"})

    assert camera_in_use(tmp_path, own_pid=4242) is None


@pytest.mark.parametrize("watcher", ["pipewire", "wireplumber"])
def test_sound_servers_watching_cameras_do_not_count(tmp_path: Path, watcher: str) -> None:
    add_process(tmp_path, 900, watcher, {40: "/dev/video0", 41: "/dev/video1"})

    assert camera_in_use(tmp_path, own_pid=1) is None


def test_processes_we_may_not_inspect_are_skipped(tmp_path: Path) -> None:
    add_process(tmp_path, 1, "systemd", {}, fd_dir=False)  # another user's: no readable fd/
    add_process(tmp_path, 2, "kthreadd", {})
    (tmp_path / "2" / "fd" / "7").write_text("not a link", encoding="utf-8")  # readlink fails
    (tmp_path / "3").mkdir()  # exited between listing and reading: nothing inside
    add_process(tmp_path, 5, "cheese", {9: "/dev/video0"})

    assert camera_in_use(tmp_path, own_pid=99) == Busy(
        "the camera is in use by cheese (a meeting?)"
    )


def test_camera_check_without_proc_is_not_busy(tmp_path: Path) -> None:
    assert camera_in_use(tmp_path / "no-proc", own_pid=1) is None


def test_camera_in_use_by_a_process_without_a_name(tmp_path: Path) -> None:
    add_process(tmp_path, 77, "", {3: "/dev/video0"})
    (tmp_path / "77" / "comm").unlink()

    assert camera_in_use(tmp_path, own_pid=1) == Busy("the camera is in use (a meeting?)")


def add_pcm(asound: Path, name: str, state: str) -> None:
    status = asound / name / "sub0" / "status"
    status.parent.mkdir(parents=True)
    status.write_text(state, encoding="utf-8")


def test_running_capture_stream_means_the_microphone_is_in_use(tmp_path: Path) -> None:
    add_pcm(tmp_path, "card0/pcm0p", "state: RUNNING\nowner_pid   : 1200\n")
    add_pcm(tmp_path, "card1/pcm0c", "state: RUNNING\nowner_pid   : 1300\ntrigger_time: 1.0\n")

    assert microphone_capturing(tmp_path) == Busy("the microphone is in use (a call?)")


def test_playback_or_closed_capture_is_not_a_call(tmp_path: Path) -> None:
    add_pcm(tmp_path, "card0/pcm0p", "state: RUNNING\n")  # music playing
    add_pcm(tmp_path, "card0/pcm0c", "closed\n")
    add_pcm(tmp_path, "card1/pcm1c", "state: PREPARED\n")

    assert microphone_capturing(tmp_path) is None
    assert microphone_capturing(tmp_path / "no-sound-card") is None


SOURCES = (
    "52\talsa_output.pci-0000_00_1f.3.analog-stereo.monitor\tPipeWire\ts32le 2ch 48000Hz\tIDLE\n"
    "53\talsa_input.pci-0000_00_1f.3.analog-stereo\tPipeWire\ts32le 2ch 48000Hz\tRUNNING\n"
    "61\tbluez_input.AA_BB_CC_DD_EE_FF.0\tPipeWire\tfloat32le 1ch 16000Hz\tSUSPENDED\n"
)


@pytest.mark.parametrize(
    ("outputs", "expected"),
    [
        (
            "118\t53\t97\tPipeWire\tfloat32le 1ch 48000Hz\n",
            Busy("the microphone is in use (a call?)"),
        ),
        (
            "120\t61\t99\tPipeWire\tfloat32le 1ch 16000Hz\n",
            Busy("the microphone is in use (a call?)"),
        ),
        ("119\t52\t98\tPipeWire\tfloat32le 2ch 48000Hz\n", None),  # recording the speakers
        ("", None),
    ],
)
def test_sound_server_recording_streams(outputs: str, expected: Busy | None) -> None:
    run = Recorded({"list short sources": SOURCES, "list short source-outputs": outputs})

    assert microphone_recording_streams(run) == expected


def test_without_pactl_the_stream_check_is_not_busy() -> None:
    assert microphone_recording_streams(Recorded()) is None


ACTIVE = "_NET_ACTIVE_WINDOW(WINDOW): window id # 0x3a00007\n"
FULLSCREEN = "_NET_WM_STATE(ATOM) = _NET_WM_STATE_FULLSCREEN, _NET_WM_STATE_FOCUSED\n"


def test_full_screen_active_window_is_busy() -> None:
    run = Recorded({"-root": ACTIVE, "-id 0x3a00007": FULLSCREEN})

    assert fullscreen_window(X11, run) == Busy("a full-screen window is open (a presentation?)")
    assert run.calls == [
        ["xprop", "-display", ":0", "-root", "_NET_ACTIVE_WINDOW"],
        ["xprop", "-display", ":0", "-id", "0x3a00007", "_NET_WM_STATE"],
    ]


@pytest.mark.parametrize(
    ("active", "state"),
    [
        (ACTIVE, "_NET_WM_STATE(ATOM) = _NET_WM_STATE_MAXIMIZED_VERT, _NET_WM_STATE_FOCUSED\n"),
        (ACTIVE, "_NET_WM_STATE:  not found.\n"),
        (ACTIVE, None),
        ("_NET_ACTIVE_WINDOW(WINDOW): window id # 0x0\n", FULLSCREEN),
        ("_NET_ACTIVE_WINDOW:  not found.\n", FULLSCREEN),
        (None, FULLSCREEN),
    ],
)
def test_no_full_screen_window(active: str | None, state: str | None) -> None:
    run = Recorded({"-root": active, "-id": state})

    assert fullscreen_window(X11, run) is None


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"},
        {"DISPLAY": ":0", "WAYLAND_DISPLAY": "w"},
    ],
)
def test_full_screen_is_not_asked_without_x11(environ: dict[str, str]) -> None:
    run = Recorded({"-root": ACTIVE, "-id": FULLSCREEN})

    assert fullscreen_window(environ, run) is None
    assert run.calls == []


def test_gnome_do_not_disturb() -> None:
    run = Recorded({"show-banners": "false\n"})

    assert gnome_do_not_disturb(GNOME, run) == Busy("do-not-disturb is on")
    assert run.calls == [["gsettings", "get", "org.gnome.desktop.notifications", "show-banners"]]
    assert gnome_do_not_disturb(GNOME, Recorded({"show-banners": "true\n"})) is None
    assert gnome_do_not_disturb(GNOME, Recorded()) is None


def test_gnome_setting_is_not_asked_on_other_desktops() -> None:
    run = Recorded({"show-banners": "false\n"})

    assert gnome_do_not_disturb({"XDG_CURRENT_DESKTOP": "KDE"}, run) is None
    assert run.calls == []


def test_inhibited_notification_service_is_do_not_disturb() -> None:
    run = Recorded(
        {"NameHasOwner": "   boolean true\n", "Properties.Get": "   variant boolean true\n"}
    )

    assert notifications_inhibited(run) == Busy("do-not-disturb is on")
    assert "string:Inhibited" in run.calls[1]


def test_notification_service_that_is_not_inhibited() -> None:
    run = Recorded(
        {"NameHasOwner": "   boolean true\n", "Properties.Get": "   variant boolean false\n"}
    )

    assert notifications_inhibited(run) is None


def test_no_notification_service_is_never_started_by_asking() -> None:
    run = Recorded({"NameHasOwner": "   boolean false\n", "Properties.Get": "   boolean true\n"})

    assert notifications_inhibited(run) is None
    assert len(run.calls) == 1


def test_xfce_do_not_disturb() -> None:
    xfce = {"XDG_CURRENT_DESKTOP": "XFCE"}

    assert xfce_do_not_disturb(xfce, Recorded({"xfconf-query": "true\n"})) == Busy(
        "do-not-disturb is on"
    )
    assert xfce_do_not_disturb(xfce, Recorded({"xfconf-query": "false\n"})) is None
    assert xfce_do_not_disturb(GNOME, Recorded({"xfconf-query": "true\n"})) is None


def test_dunst_paused() -> None:
    assert dunst_paused(Recorded({"dunstctl": "true\n"})) == Busy("do-not-disturb is on")
    assert dunst_paused(Recorded({"dunstctl": "false\n"})) is None
    assert dunst_paused(Recorded()) is None


def test_detect_busy_reports_the_first_reason(tmp_path: Path) -> None:
    proc = tmp_path / "proc"
    add_process(proc, 10, "obs", {3: "/dev/video0"})
    asound = tmp_path / "asound"
    add_pcm(asound, "card0/pcm0c", "state: RUNNING\n")

    busy = detect_busy(
        X11, Recorded(), proc_root=proc, asound_root=asound, own_pid=1, platform="linux"
    )

    assert busy == Busy("the microphone is in use (a call?)")


def test_detect_busy_finds_the_camera_when_nothing_else_is_on(tmp_path: Path) -> None:
    add_process(tmp_path, 10, "obs", {3: "/dev/video0"})

    busy = detect_busy(
        {}, Recorded(), proc_root=tmp_path, asound_root=tmp_path / "x", own_pid=1, platform="linux"
    )

    assert busy == Busy("the camera is in use by obs (a meeting?)")


def test_detect_busy_on_a_quiet_desktop_is_none(tmp_path: Path) -> None:
    add_process(tmp_path, 10, "bash", {0: "/dev/pts/0"})
    run = Recorded({"show-banners": "true\n", "NameHasOwner": "   boolean false\n"})

    environ = {**X11, **GNOME, **BUS}

    busy = detect_busy(
        environ, run, proc_root=tmp_path, asound_root=tmp_path, own_pid=1, platform="linux"
    )

    assert busy is None
    asked = {call[0] for call in run.calls}
    assert {"gsettings", "dbus-send", "xprop", "pactl", "dunstctl"} <= asked


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_nothing_is_detectable_on_macos_and_windows(tmp_path: Path, platform: str) -> None:
    add_process(tmp_path, 10, "zoom", {3: "/dev/video0"})
    run = Recorded({"show-banners": "false\n"})

    assert busy_checks(GNOME, run, proc_root=tmp_path, platform=platform) == []
    assert detect_busy(GNOME, run, proc_root=tmp_path, own_pid=1, platform=platform) is None
    assert run.calls == []


def test_without_a_session_bus_dbus_is_not_asked(tmp_path: Path) -> None:
    run = Recorded({"NameHasOwner": "   boolean true\n", "Properties.Get": "   boolean true\n"})
    environ = {**X11, "XDG_RUNTIME_DIR": str(tmp_path)}

    busy = detect_busy(
        environ, run, proc_root=tmp_path, asound_root=tmp_path, own_pid=1, platform="linux"
    )

    assert busy is None
    assert not any(call[0] == "dbus-send" for call in run.calls)
