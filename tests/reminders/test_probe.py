"""Running desktop query commands: output on success, None for every kind of failure; reading
numbers and booleans out of dbus-send and gdbus replies."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import pytest

from deskstretch.reminders.desktop.probe import (
    dbus_call,
    has_bus_owner,
    parse_dbus_bool,
    parse_dbus_number,
    run_probe,
)


def test_run_probe_returns_the_output_of_a_successful_command() -> None:
    assert run_probe([sys.executable, "-c", "print('uint64 5')"]) == "uint64 5\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["deskstretch-no-such-program-anywhere"],
        [sys.executable, "-c", "import sys; print('half'); sys.exit(3)"],
    ],
)
def test_run_probe_failures_are_none(argv: list[str]) -> None:
    assert run_probe(argv) is None


def test_run_probe_gives_up_on_a_hung_command() -> None:
    assert run_probe([sys.executable, "-c", "import time; time.sleep(30)"], 0.3) is None


@pytest.mark.parametrize(
    ("reply", "number"),
    [
        (
            "method return time=1.5 sender=:1.2 -> destination=:1.3 serial=9 reply_serial=2\n"
            "   uint64 1234\n",
            1234.0,
        ),
        ("   variant       uint32 5\n", 5.0),
        ("(uint64 98765,)\n", 98765.0),
        ("(7,)\n", 7.0),
        ("   double 2.5\n", 2.5),
        ("method return time=1.5 sender=:1.2 -> destination=:1.3 serial=9 reply_serial=2\n", None),
        ('   string "7"\n', None),
        ("", None),
    ],
)
def test_parse_dbus_number(reply: str, number: float | None) -> None:
    assert parse_dbus_number(reply) == number


@pytest.mark.parametrize(
    ("reply", "value"),
    [
        ("   variant       boolean true\n", True),
        ("   boolean false\n", False),
        ("(true,)\n", True),
        ("(<false>,)\n", None),  # gdbus wraps variants in <>; we never ask gdbus for those
        ('   string "true-ish"\n', None),
    ],
)
def test_parse_dbus_bool(reply: str, value: bool | None) -> None:
    assert parse_dbus_bool(reply) is value


def test_dbus_call_uses_dbus_send_on_the_session_bus_with_a_reply_timeout() -> None:
    calls: list[tuple[list[str], float]] = []

    def run(argv: Sequence[str], timeout_seconds: float) -> str | None:
        calls.append((list(argv), timeout_seconds))
        return "ok"

    assert (
        dbus_call(run, "org.example.Service", "/org/example", "org.example.Api.Get", "string:x")
        == "ok"
    )
    [(argv, timeout)] = calls
    assert argv == [
        "dbus-send",
        "--session",
        "--print-reply",
        "--reply-timeout=2000",
        "--dest=org.example.Service",
        "/org/example",
        "org.example.Api.Get",
        "string:x",
    ]
    assert timeout == 3.0


@pytest.mark.parametrize(
    ("reply", "owned"), [("   boolean true\n", True), ("   boolean false\n", False), (None, False)]
)
def test_has_bus_owner(reply: str | None, owned: bool) -> None:
    def run(argv: Sequence[str], timeout_seconds: float) -> str | None:
        assert "org.freedesktop.DBus.NameHasOwner" in argv
        assert "string:org.freedesktop.Notifications" in argv
        return reply

    assert has_bus_owner(run, "org.freedesktop.Notifications") is owned
