"""Real D-Bus: reminders shown by desktop-notifier in a child process reach a fake notification
server on a private session bus, and its answers (button, dismissal, silence) come back; the
idle and do-not-disturb queries go through the real dbus-send to the same fake desktop."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from deskstretch.reminders.desktop.busy import Busy, notifications_inhibited
from deskstretch.reminders.desktop.idle import (
    MutterIdleMonitor,
    ScreenSaverIdleMonitor,
    detect_idle_monitor,
    idle_candidates,
)
from helpers.fake_notification_server import DBusSession, FakeNotificationServer

StartServer = Callable[..., FakeNotificationServer]

SHOW = """
import json, sys
from deskstretch.reminders.desktop.notify import (
    Action, DesktopNotifierBackend, NotifierUnavailable, Reminder, default_notifier,
)
spec = json.loads(sys.argv[1])
reminder = Reminder(
    spec["title"], spec["message"], tuple(Action(*pair) for pair in spec["actions"]),
    timeout_seconds=spec["timeout"], click_action=spec["click"],
)
notifier = default_notifier() if spec["default"] else DesktopNotifierBackend()
try:
    print(notifier.show(reminder))
except NotifierUnavailable as error:
    print("unavailable: " + error.message)
"""

STRETCH_ACTIONS = (("start", "Start"), ("snooze", "Snooze"), ("skip", "Skip"))


def show_in_child(
    session: DBusSession,
    *,
    title: str = "Time for a stretch break",
    message: str = "A 3-minute routine: neck, shoulders and hips.",
    actions: Sequence[tuple[str, str]] = STRETCH_ACTIONS,
    timeout: float = 20.0,
    click: str | None = None,
    default: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run notify.py's show() in a fresh process on the test bus, as the prompt child does."""
    spec = {
        "title": title,
        "message": message,
        "actions": list(actions),
        "timeout": timeout,
        "click": click,
        "default": default,
    }
    return subprocess.run(
        [sys.executable, "-c", SHOW, json.dumps(spec)],
        env=session.env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def answer_of(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout.strip()


def labels(record: dict[str, Any]) -> list[str]:
    """Button labels of a Notify record (actions is a flat [key, label, key, label ...] list)."""
    pairs = zip(record["actions"][::2], record["actions"][1::2], strict=True)
    return [label for key, label in pairs if key != "default"]


def test_show_sends_one_notification_and_returns_the_pressed_action(
    dbus_session: DBusSession, notification_server: StartServer
) -> None:
    server = notification_server(respond=["invoke:snooze"])

    done = show_in_child(dbus_session)

    assert answer_of(done) == "snooze"
    [notification] = server.notifications()
    assert notification["app_name"] == "deskstretch"
    assert notification["summary"] == "Time for a stretch break"
    assert notification["body"] == "A 3-minute routine: neck, shoulders and hips."
    assert labels(notification) == ["Start", "Snooze", "Skip"]
    assert notification["actions"][notification["actions"].index("start") + 1] == "Start"
    assert notification["app_icon"].endswith("favicon.svg")
    assert notification["expire_timeout"] == 20_000


@pytest.mark.parametrize("button", ["start", "skip"])
def test_show_returns_whichever_button_is_pressed(
    dbus_session: DBusSession, notification_server: StartServer, button: str
) -> None:
    notification_server(respond=[f"invoke:{button}"])

    assert answer_of(show_in_child(dbus_session)) == button


def test_show_returns_dismissed_when_the_notification_is_closed(
    dbus_session: DBusSession, notification_server: StartServer
) -> None:
    server = notification_server(respond=["dismiss"])

    assert answer_of(show_in_child(dbus_session)) == "dismissed"
    assert len(server.notifications()) == 1


def test_show_times_out_and_withdraws_an_unanswered_notification(
    dbus_session: DBusSession, notification_server: StartServer
) -> None:
    server = notification_server(respond=["ignore"])

    assert answer_of(show_in_child(dbus_session, timeout=1.5)) == "timeout"
    [notification] = server.notifications()
    closes = [r for r in server.records() if r.get("method") == "CloseNotification"]
    assert closes == [{"method": "CloseNotification", "id": notification["id"]}]


def test_a_notification_expired_by_the_server_is_a_timeout_not_a_dismissal(
    dbus_session: DBusSession, notification_server: StartServer
) -> None:
    notification_server(respond=["expire"], respond_delay_seconds=0.1)

    assert answer_of(show_in_child(dbus_session, timeout=1.5)) == "timeout"


def test_a_click_on_the_body_means_the_click_action(
    dbus_session: DBusSession, notification_server: StartServer
) -> None:
    notification_server(respond=["click"])

    assert answer_of(show_in_child(dbus_session, click="start")) == "start"


def test_a_click_on_the_body_without_a_click_action_is_a_dismissal(
    dbus_session: DBusSession, notification_server: StartServer
) -> None:
    notification_server(respond=["click"])

    assert answer_of(show_in_child(dbus_session)) == "dismissed"


def test_micro_break_buttons(dbus_session: DBusSession, notification_server: StartServer) -> None:
    server = notification_server(respond=["invoke:done"])

    done = show_in_child(
        dbus_session,
        title="Micro-break",
        message="Stand up and roll your shoulders.",
        actions=(("done", "Done"), ("not_done", "Not now")),
    )

    assert answer_of(done) == "done"
    assert labels(server.notifications()[0]) == ["Done", "Not now"]


def test_without_a_notification_service_the_backend_says_it_is_unavailable(
    dbus_session: DBusSession, notification_server: StartServer
) -> None:
    notification_server(notifications=False, idle_ms=0)  # a bus with no notification service

    answer = answer_of(show_in_child(dbus_session))

    assert answer.startswith("unavailable: could not show a desktop notification")
    assert "org.freedesktop.Notifications" in answer


def test_default_notifier_falls_back_to_the_log_without_a_notification_service(
    dbus_session: DBusSession,
) -> None:
    done = show_in_child(dbus_session, default=True)

    assert answer_of(done) == "timeout"
    assert "deskstretch: Time for a stretch break: A 3-minute routine" in done.stderr


def test_default_notifier_uses_the_desktop_when_a_service_runs(
    dbus_session: DBusSession, notification_server: StartServer
) -> None:
    server = notification_server(respond=["invoke:skip"])

    assert answer_of(show_in_child(dbus_session, default=True)) == "skip"
    assert len(server.notifications()) == 1


# Idle time and do-not-disturb through the real dbus-send.


def on_bus(session: DBusSession) -> dict[str, str]:
    """The environment entry that tells idle detection a session bus exists."""
    return {"DBUS_SESSION_BUS_ADDRESS": session.address}


def test_gnome_idle_time_is_read_over_dbus(
    dbus_session: DBusSession, notification_server: StartServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = notification_server(idle_ms=123_456, notifications=False)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", dbus_session.address)

    monitor = detect_idle_monitor(
        {
            **on_bus(dbus_session),
            "XDG_CURRENT_DESKTOP": "ubuntu:GNOME",
            "XDG_SESSION_TYPE": "wayland",
        },
        platform="linux",
    )

    assert monitor.name == "gnome-mutter"
    assert monitor.idle_seconds() == pytest.approx(123.456)
    assert {"method": "GetIdletime"} in server.records()


def test_kde_idle_time_is_read_over_dbus_in_milliseconds(
    dbus_session: DBusSession, notification_server: StartServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    notification_server(screensaver_idle=90_000, notifications=False)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", dbus_session.address)

    monitor = detect_idle_monitor(
        {**on_bus(dbus_session), "XDG_CURRENT_DESKTOP": "KDE", "XDG_SESSION_TYPE": "wayland"},
        platform="linux",
    )

    assert monitor.name == "freedesktop-screensaver"
    assert monitor.idle_seconds() == pytest.approx(90.0)


def test_idle_monitors_answer_none_when_the_desktop_does_not_export_them(
    dbus_session: DBusSession, notification_server: StartServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    notification_server()  # notifications only
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", dbus_session.address)

    assert MutterIdleMonitor().idle_seconds() is None
    assert ScreenSaverIdleMonitor().idle_seconds() is None
    dbus_only = [
        m
        for m in idle_candidates(
            {**on_bus(dbus_session), "XDG_CURRENT_DESKTOP": "GNOME"}, platform="linux"
        )
        if m.name != "logind"  # logind is the machine's, not the test bus's
    ]
    assert [m.name for m in dbus_only] == ["gnome-mutter"]
    assert detect_idle_monitor({}, candidates=dbus_only).name == "none"


@pytest.mark.parametrize(
    ("inhibited", "expected"), [(True, Busy("do-not-disturb is on")), (False, None)]
)
def test_do_not_disturb_is_read_from_the_notification_service(
    dbus_session: DBusSession,
    notification_server: StartServer,
    monkeypatch: pytest.MonkeyPatch,
    inhibited: bool,
    expected: Busy | None,
) -> None:
    notification_server(inhibited=inhibited)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", dbus_session.address)

    assert notifications_inhibited() == expected


def test_do_not_disturb_check_without_a_notification_service(
    dbus_session: DBusSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", dbus_session.address)

    assert notifications_inhibited() is None
