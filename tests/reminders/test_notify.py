"""Notifier backends without a desktop: the in-memory and terminal notifiers, the fallback, the
macOS dialog from recorded osascript answers, finding the session bus, and which notifier is
chosen where (desktop notifications over a real bus: tests/e2e/test_dbus_notifications.py)."""

from __future__ import annotations

import io
import logging
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from deskstretch.reminders.desktop.notify import (
    APP_ICON,
    Action,
    DesktopNotifierBackend,
    FallbackNotifier,
    MacDialogNotifier,
    MemoryNotifier,
    NotifierUnavailable,
    Reminder,
    TerminalNotifier,
    choose_notifier,
    default_notifier,
)
from deskstretch.reminders.desktop.probe import session_bus_address

STRETCH = Reminder(
    title="Time for a stretch break",
    message='A 3-minute routine: "neck and shoulders".',
    actions=(Action("start", "Start"), Action("snooze", "Snooze"), Action("skip", "Skip")),
    timeout_seconds=120,
)


def test_memory_notifier_records_and_answers_from_its_script() -> None:
    notifier = MemoryNotifier(["snooze", "start"])

    answers = [notifier.show(STRETCH) for _ in range(3)]

    assert answers == ["snooze", "start", "start"]
    assert notifier.shown == [STRETCH, STRETCH, STRETCH]


def test_memory_notifier_needs_an_answer() -> None:
    with pytest.raises(ValueError, match="at least one answer"):
        MemoryNotifier([])


def test_terminal_notifier_writes_one_line_and_times_out_at_once() -> None:
    stream = io.StringIO()

    assert TerminalNotifier(stream).show(STRETCH) == "timeout"
    assert stream.getvalue() == (
        'deskstretch: Time for a stretch break: A 3-minute routine: "neck and shoulders".\n'
    )


class Unavailable:
    def __init__(self) -> None:
        self.shown = 0

    def show(self, reminder: Reminder) -> str:
        self.shown += 1
        raise NotifierUnavailable("no notification service on the session bus")


def test_fallback_shows_the_reminder_another_way_when_the_desktop_cannot(
    caplog: pytest.LogCaptureFixture,
) -> None:
    primary, fallback = Unavailable(), MemoryNotifier(["timeout"])

    with caplog.at_level(logging.WARNING):
        answer = FallbackNotifier(primary, fallback).show(STRETCH)

    assert answer == "timeout"
    assert primary.shown == 1
    assert fallback.shown == [STRETCH]
    assert "no notification service on the session bus" in caplog.text


def test_fallback_is_not_used_when_the_desktop_answers() -> None:
    fallback = MemoryNotifier()

    assert FallbackNotifier(MemoryNotifier(["skip"]), fallback).show(STRETCH) == "skip"
    assert fallback.shown == []


class Osascript:
    def __init__(self, output: str | None) -> None:
        self.output = output
        self.calls: list[tuple[list[str], float]] = []

    def __call__(self, argv: Sequence[str], timeout_seconds: float) -> str | None:
        self.calls.append((list(argv), timeout_seconds))
        return self.output


def test_mac_dialog_has_the_buttons_and_gives_up_after_the_timeout() -> None:
    run = Osascript("button returned:Snooze, gave up:false\n")

    assert MacDialogNotifier(run).show(STRETCH) == "snooze"
    [(argv, timeout)] = run.calls
    assert argv[:2] == ["osascript", "-e"]
    assert argv[2] == (
        'display dialog "A 3-minute routine: \\"neck and shoulders\\"."'
        ' with title "Time for a stretch break"'
        ' buttons {"Start", "Snooze", "Skip"} default button "Start" giving up after 120'
    )
    assert timeout > 120


@pytest.mark.parametrize(
    ("output", "answer"),
    [
        ("button returned:, gave up:true\n", "timeout"),
        ("button returned:Skip, gave up:false\n", "skip"),
        (None, "dismissed"),  # cancelled, or no dialog possible
        ("something else\n", "dismissed"),
    ],
)
def test_mac_dialog_answers(output: str | None, answer: str) -> None:
    assert MacDialogNotifier(Osascript(output)).show(STRETCH) == answer


def test_mac_dialog_shows_at_most_three_buttons() -> None:
    run = Osascript("button returned:C, gave up:false\n")
    reminder = Reminder("t", "m", tuple(Action(x.lower(), x) for x in "ABCD"))

    assert MacDialogNotifier(run).show(reminder) == "c"
    assert 'buttons {"A", "B", "C"}' in run.calls[0][0][2]


@pytest.fixture
def short_dir() -> Iterator[Path]:
    # Unix socket paths are limited to ~100 bytes; pytest's tmp_path can be longer.
    with tempfile.TemporaryDirectory(prefix="ds-", dir="/tmp") as name:
        yield Path(name)


def listen(path: Path) -> socket.socket:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    return server


def test_session_bus_from_the_environment() -> None:
    environ = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"}

    assert session_bus_address(environ) == "unix:path=/run/user/1000/bus"


def test_session_bus_from_the_runtime_dir_socket(short_dir: Path) -> None:
    with listen(short_dir / "bus"):
        address = session_bus_address({"XDG_RUNTIME_DIR": str(short_dir)})

    assert address == f"unix:path={short_dir / 'bus'}"


def test_no_session_bus(short_dir: Path) -> None:
    (short_dir / "bus").write_text("not a socket", encoding="utf-8")

    assert session_bus_address({"XDG_RUNTIME_DIR": str(short_dir)}) is None
    assert session_bus_address({"DBUS_SESSION_BUS_ADDRESS": "  "}, uid=2**31 - 1) is None


def test_linux_without_a_bus_reminds_in_the_log(short_dir: Path) -> None:
    choice = choose_notifier({"XDG_RUNTIME_DIR": str(short_dir)}, "linux")

    assert isinstance(choice.notifier, TerminalNotifier)
    assert not choice.desktop
    assert "no D-Bus session bus" in choice.detail


def test_linux_with_a_bus_uses_desktop_notifications_with_a_fallback(short_dir: Path) -> None:
    with listen(short_dir / "bus"):
        choice = choose_notifier({"XDG_RUNTIME_DIR": str(short_dir)}, "linux")

    assert choice.desktop
    assert isinstance(choice.notifier, FallbackNotifier)
    assert isinstance(choice.notifier.primary, DesktopNotifierBackend)
    assert choice.notifier.primary.bus_address == f"unix:path={short_dir / 'bus'}"
    assert choice.notifier.primary.app_name == "deskstretch"
    assert isinstance(choice.notifier.fallback, TerminalNotifier)


def test_windows_uses_desktop_notifications() -> None:
    choice = choose_notifier({}, "win32")

    assert isinstance(choice.notifier, FallbackNotifier)
    assert isinstance(choice.notifier.primary, DesktopNotifierBackend)


@pytest.mark.parametrize(("bundle", "kind"), [(True, FallbackNotifier), (False, MacDialogNotifier)])
def test_macos_uses_the_notification_centre_only_inside_an_app_bundle(
    bundle: bool, kind: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")

    choice = choose_notifier({}, "darwin", is_macos_bundle=lambda: bundle)

    assert isinstance(choice.notifier, kind)
    assert choice.desktop


def test_default_notifier_returns_a_notifier(short_dir: Path) -> None:
    notifier = default_notifier({"XDG_RUNTIME_DIR": str(short_dir)})

    assert isinstance(notifier, TerminalNotifier)


def test_the_app_icon_ships_with_the_package() -> None:
    assert APP_ICON.is_file()
    assert DesktopNotifierBackend().icon_path == APP_ICON
    assert DesktopNotifierBackend(icon_path=Path("/nonexistent/icon.svg")).icon_path is None


def test_desktop_backend_without_any_bus_is_unavailable_and_quiet() -> None:
    # Run in a child: no session bus at all, and desktop-notifier's own traceback must not show.
    code = (
        "from deskstretch.reminders.desktop.notify import *\n"
        "try:\n"
        "    DesktopNotifierBackend().show(Reminder('t', 'm', (Action('ok', 'OK'),), 5))\n"
        "except NotifierUnavailable as error:\n"
        "    print(error.message)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}

    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("could not show a desktop notification (Notification failed:")
    assert "DBUS_SESSION_BUS_ADDRESS" in done.stdout
    assert done.stderr == ""


def test_importing_notify_does_not_import_the_notification_library() -> None:
    code = (
        "import sys, deskstretch.reminders.desktop.notify;"
        "print(sorted(m for m in ('asyncio', 'desktop_notifier', 'dbus_fast') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert done.stdout.strip() == "[]"
