"""Run one short desktop query command (dbus-send, xprop, gsettings, ioreg ...) and return its
output, or None when the program is missing, fails or hangs. Stdlib only: the waiting reminder
service uses it. Idle and busy checks take a Runner so tests can feed recorded outputs.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# run(argv, timeout_seconds) -> standard output of a successful run, else None.
Runner = Callable[[Sequence[str], float], "str | None"]

# Desktop services answer in milliseconds; a hung one must not stall the service.
DEFAULT_TIMEOUT_SECONDS = 2.0


def run_probe(argv: Sequence[str], timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> str | None:
    """Standard output of ``argv`` when it exits 0 within ``timeout_seconds``, else None."""
    try:
        done = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout_seconds,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def dbus_call(
    run: Runner,
    destination: str,
    path: str,
    method: str,
    *args: str,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
) -> str | None:
    """Call a method on the session bus with dbus-send; ``method`` is "interface.Member" and
    ``args`` are dbus-send arguments ("string:..."). The reply as dbus-send prints it."""
    argv = [
        "dbus-send",
        "--session",
        "--print-reply",
        f"--reply-timeout={round(timeout_seconds * 1000)}",
        f"--dest={destination}",
        path,
        method,
        *args,
    ]
    return run(argv, timeout_seconds + 1)


def has_bus_owner(run: Runner, name: str) -> bool:
    """Whether ``name`` is owned on the session bus right now. Asked before calling a service
    that may be D-Bus-activatable, so a query never starts one (e.g. a notification daemon)."""
    reply = dbus_call(
        run,
        "org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus.NameHasOwner",
        f"string:{name}",
    )
    return reply is not None and parse_dbus_bool(reply) is True


def parse_dbus_number(reply: str) -> float | None:
    """The last number in a dbus-send reply ("   uint64 1234", "variant   uint32 5") or a gdbus
    one ("(uint64 1234,)"); None when there is none."""
    number: float | None = None
    for line in reply.splitlines():
        words = line.replace("(", " ").replace(")", " ").replace(",", " ").split()
        for word in words:
            try:
                number = float(word)
            except ValueError:
                continue
    return number


def parse_dbus_bool(reply: str) -> bool | None:
    """The last boolean in a dbus-send or gdbus reply; None when there is none."""
    value: bool | None = None
    for word in reply.replace("(", " ").replace(")", " ").replace(",", " ").split():
        if word == "true":
            value = True
        elif word == "false":
            value = False
    return value


def session_bus_address(
    environ: Mapping[str, str] | None = None, uid: int | None = None
) -> str | None:
    """The D-Bus session bus address: $DBUS_SESSION_BUS_ADDRESS, else the per-user socket that
    systemd and dbus-broker create ($XDG_RUNTIME_DIR/bus, /run/user/UID/bus), else None."""
    env = os.environ if environ is None else environ
    address = env.get("DBUS_SESSION_BUS_ADDRESS", "").strip()
    if address:
        return address
    if uid is None:
        uid = os.getuid() if hasattr(os, "getuid") else -1
    runtime_dir = env.get("XDG_RUNTIME_DIR") or f"/run/user/{uid}"
    socket_path = Path(runtime_dir) / "bus"
    if socket_path.is_socket():
        return f"unix:path={socket_path}"
    return None
