"""A private D-Bus session bus and a fake desktop: an org.freedesktop.Notifications server that
records what it receives, plus (optionally) GNOME's idle monitor and the freedesktop
ScreenSaver with a scripted idle time.

Run as a script, it is the fake server (it needs dbus-fast, which desktop-notifier brings):

    python fake_notification_server.py --log calls.jsonl [--respond invoke:snooze] ...

It prints "ready" once it owns its bus names, then writes one JSON object per line to --log:
``{"method": "Notify", "id": 1, "app_name": ..., "summary": ..., "body": ..., "actions": [...],
"expire_timeout": ...}``, ``{"method": "CloseNotification", "id": 1}`` and the signals it emits
(``{"signal": "ActionInvoked", "id": 1, "action": "snooze"}``, ``{"signal":
"NotificationClosed", "id": 1, "reason": 2}``).

``--respond`` (repeatable; notification N gets the Nth answer, the last one repeats) says what
the "person" does after --respond-delay seconds: ``ignore`` (nothing), ``invoke:<action key>``
(press a button: ActionInvoked, then NotificationClosed reason 2, as real servers do),
``click`` (invoke:default), ``dismiss`` (NotificationClosed reason 2) or ``expire`` (reason 1).

Imported, it gives the test side: start_session_bus() and start_fake_server() (the pytest
fixtures ``dbus_session`` and ``notification_server`` in tests/e2e/conftest.py wrap them).
"""

# No `from __future__ import annotations` here: dbus-fast reads the D-Bus signatures from the
# annotations of the services defined inside serve(), which must therefore be real objects.

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Annotated, Any

HERE = Path(__file__).resolve()
START_TIMEOUT_SECONDS = 15.0

# A session bus that activates nothing: no <servicedir>, so a call to a missing service fails
# at once instead of starting whatever notification daemon this machine has installed.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir={socket_dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class MissingTool(Exception):
    """A program the D-Bus tests need is not installed (the message says what to install)."""


# ---------------------------------------------------------------------------------------------
# Test side: start a bus and the server, read what the server received.


@dataclass
class DBusSession:
    """A private session bus (dbus-daemon) for this test; env() is what child processes need."""

    address: str
    process: subprocess.Popen[str]
    socket_dir: Path

    def env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """``base`` (default: this process's environment) pointed at this bus only."""
        env = dict(os.environ if base is None else base)
        env["DBUS_SESSION_BUS_ADDRESS"] = self.address
        # No X11 autolaunch fallback and no desktop hints leaking in from the machine.
        for name in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP", "XDG_SESSION_TYPE"):
            env.pop(name, None)
        return env

    def stop(self) -> None:
        _stop(self.process)
        shutil.rmtree(self.socket_dir, ignore_errors=True)


def start_session_bus(workdir: Path) -> DBusSession:
    """dbus-daemon on a private socket (what dbus-run-session does), config in ``workdir``."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        raise MissingTool(
            "dbus-daemon is missing: install the 'dbus' package (Debian/Ubuntu:"
            " apt-get install -y dbus), or run `make test`"
        )
    # Unix socket paths are limited to ~100 bytes, and pytest's tmp_path can be longer.
    socket_dir = Path(tempfile.mkdtemp(prefix="ds-bus-", dir="/tmp"))
    config = workdir / "session-bus.conf"
    config.write_text(BUS_CONFIG.format(socket_dir=socket_dir), encoding="utf-8")
    process = subprocess.Popen(
        [daemon, f"--config-file={config}", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    address = _read_line(process, process.stdout, "dbus-daemon")
    return DBusSession(address=address, process=process, socket_dir=socket_dir)


@dataclass
class FakeNotificationServer:
    """The running fake server; records() re-reads its log each time."""

    log_path: Path
    process: subprocess.Popen[str]
    stderr_path: Path

    def records(self) -> list[dict[str, Any]]:
        if not self.log_path.exists():
            return []
        lines = self.log_path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def notifications(self) -> list[dict[str, Any]]:
        """The Notify calls received, in order."""
        return [r for r in self.records() if r.get("method") == "Notify"]

    def wait_for(
        self,
        predicate: Callable[[list[dict[str, Any]]], bool],
        timeout_seconds: float = 10.0,
    ) -> list[dict[str, Any]]:
        """Poll records() until ``predicate(records)`` holds; the records either way."""
        deadline = time.monotonic() + timeout_seconds
        while True:
            records = self.records()
            if predicate(records) or time.monotonic() > deadline:
                return records
            time.sleep(0.05)

    def errors(self) -> str:
        """What the server wrote to stderr (a traceback here is a bug in the server or test)."""
        return self.stderr_path.read_text(encoding="utf-8") if self.stderr_path.exists() else ""

    def stop(self) -> None:
        _stop(self.process)


def start_fake_server(
    session: DBusSession,
    workdir: Path,
    *,
    respond: Sequence[str] = (),
    respond_delay_seconds: float = 0.2,
    idle_ms: int | None = None,
    screensaver_idle: int | None = None,
    inhibited: bool = False,
    notifications: bool = True,
) -> FakeNotificationServer:
    """Start the fake server on ``session``'s bus; returns once it owns its names."""
    log_path = workdir / "notification-server.jsonl"
    stderr_path = workdir / "notification-server.stderr"
    argv = [sys.executable, str(HERE), "--log", str(log_path)]
    argv += [f"--respond={answer}" for answer in respond]
    argv += [f"--respond-delay={respond_delay_seconds}"]
    if idle_ms is not None:
        argv += [f"--idle-ms={idle_ms}"]
    if screensaver_idle is not None:
        argv += [f"--screensaver-idle={screensaver_idle}"]
    if inhibited:
        argv += ["--inhibited"]
    if not notifications:
        argv += ["--no-notifications"]
    with stderr_path.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            argv, env=session.env(), stdout=subprocess.PIPE, stderr=stderr, text=True
        )
    assert process.stdout is not None
    line = _read_line(process, process.stdout, "the fake notification server", stderr_path)
    if line != "ready":
        _stop(process)
        raise RuntimeError(f"the fake notification server said {line!r}, not 'ready'")
    return FakeNotificationServer(log_path=log_path, process=process, stderr_path=stderr_path)


def _read_line(
    process: subprocess.Popen[str], stream: IO[str], what: str, stderr: Path | None = None
) -> str:
    import selectors

    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        ready = selector.select(START_TIMEOUT_SECONDS)
    line = stream.readline().strip() if ready else ""
    if not line:
        _stop(process)
        detail = stderr.read_text(encoding="utf-8") if stderr and stderr.exists() else ""
        raise RuntimeError(f"{what} did not start:\n{detail}")
    return line


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    if process.stdout is not None:
        process.stdout.close()


# ---------------------------------------------------------------------------------------------
# Server side (run as a script): dbus-fast services.


@dataclass
class ServerOptions:
    log: Path
    respond: list[str] = field(default_factory=list)
    respond_delay_seconds: float = 0.2
    idle_ms: int | None = None
    screensaver_idle: int | None = None
    inhibited: bool = False
    notifications: bool = True


def parse_options(argv: Sequence[str]) -> ServerOptions:
    parser = argparse.ArgumentParser(description="fake desktop services on the session bus")
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--respond", action="append", default=[])
    parser.add_argument("--respond-delay", type=float, default=0.2)
    parser.add_argument("--idle-ms", type=int)
    parser.add_argument("--screensaver-idle", type=int)
    parser.add_argument("--inhibited", action="store_true")
    parser.add_argument("--no-notifications", action="store_true")
    args = parser.parse_args(argv)
    return ServerOptions(
        log=args.log,
        respond=list(args.respond),
        respond_delay_seconds=args.respond_delay,
        idle_ms=args.idle_ms,
        screensaver_idle=args.screensaver_idle,
        inhibited=args.inhibited,
        notifications=not args.no_notifications,
    )


async def serve(options: ServerOptions) -> None:
    import asyncio

    from dbus_fast import BusType, RequestNameReply
    from dbus_fast.aio import MessageBus
    from dbus_fast.annotations import (
        DBusBool,
        DBusDict,
        DBusInt32,
        DBusSignature,
        DBusStr,
        DBusUInt32,
        DBusUInt64,
    )
    from dbus_fast.constants import PropertyAccess
    from dbus_fast.service import (
        ServiceInterface,
        dbus_method,
        dbus_property,
        dbus_signal,
    )

    log = options.log.open("a", encoding="utf-8")

    def record(entry: dict[str, Any]) -> None:
        log.write(json.dumps(entry) + "\n")
        log.flush()

    loop = asyncio.get_running_loop()
    answers = list(options.respond) or ["ignore"]

    class Notifications(ServiceInterface):
        def __init__(self) -> None:
            super().__init__("org.freedesktop.Notifications")
            self.next_id = 0
            self.open: set[int] = set()

        @dbus_method(name="GetCapabilities")
        def get_capabilities(self) -> Annotated[list[str], DBusSignature("as")]:
            return ["actions", "body", "icon-static"]

        @dbus_method(name="GetServerInformation")
        def get_server_information(
            self,
        ) -> Annotated[tuple[str, str, str, str], DBusSignature("ssss")]:
            return ["deskstretch-fake", "deskstretch tests", "1.0", "1.2"]  # type: ignore[return-value]

        @dbus_method(name="Notify")
        def notify(
            self,
            app_name: DBusStr,
            replaces_id: DBusUInt32,
            app_icon: DBusStr,
            summary: DBusStr,
            body: DBusStr,
            actions: Annotated[list[str], DBusSignature("as")],
            hints: DBusDict,
            expire_timeout: DBusInt32,
        ) -> DBusUInt32:
            self.next_id += 1
            nid = self.next_id
            self.open.add(nid)
            record(
                {
                    "method": "Notify",
                    "id": nid,
                    "app_name": app_name,
                    "replaces_id": replaces_id,
                    "app_icon": app_icon,
                    "summary": summary,
                    "body": body,
                    "actions": list(actions),
                    "hints": sorted(hints),
                    "expire_timeout": expire_timeout,
                }
            )
            answer = answers[min(nid, len(answers)) - 1]
            loop.call_later(options.respond_delay_seconds, self.respond, nid, answer)
            return nid

        @dbus_method(name="CloseNotification")
        def close_notification(self, nid: DBusUInt32) -> None:
            record({"method": "CloseNotification", "id": nid})
            if nid in self.open:
                self.close(nid, 3)  # closed by a call to CloseNotification

        @dbus_property(access=PropertyAccess.READ, name="Inhibited")
        def inhibited(self) -> DBusBool:
            return options.inhibited

        @dbus_signal(name="ActionInvoked")
        def action_invoked(
            self, nid: int, key: str
        ) -> Annotated[tuple[int, str], DBusSignature("us")]:
            return [nid, key]  # type: ignore[return-value]

        @dbus_signal(name="NotificationClosed")
        def notification_closed(
            self, nid: int, reason: int
        ) -> Annotated[tuple[int, int], DBusSignature("uu")]:
            return [nid, reason]  # type: ignore[return-value]

        def close(self, nid: int, reason: int) -> None:
            self.open.discard(nid)
            record({"signal": "NotificationClosed", "id": nid, "reason": reason})
            self.notification_closed(nid, reason)

        def respond(self, nid: int, answer: str) -> None:
            if nid not in self.open or answer == "ignore":
                return
            if answer == "click":
                answer = "invoke:default"
            if answer.startswith("invoke:"):
                key = answer.removeprefix("invoke:")
                record({"signal": "ActionInvoked", "id": nid, "action": key})
                self.action_invoked(nid, key)
                self.close(nid, 2)
            elif answer == "dismiss":
                self.close(nid, 2)
            elif answer == "expire":
                self.close(nid, 1)
            else:
                raise ValueError(f"unknown --respond value {answer!r}")

    class MutterIdleMonitor(ServiceInterface):
        def __init__(self, idle_ms: int) -> None:
            super().__init__("org.gnome.Mutter.IdleMonitor")
            self.idle_ms = idle_ms

        @dbus_method(name="GetIdletime")
        def get_idletime(self) -> DBusUInt64:
            record({"method": "GetIdletime"})
            return self.idle_ms

    class ScreenSaver(ServiceInterface):
        def __init__(self, idle: int) -> None:
            super().__init__("org.freedesktop.ScreenSaver")
            self.idle = idle

        @dbus_method(name="GetSessionIdleTime")
        def get_session_idle_time(self) -> DBusUInt32:
            record({"method": "GetSessionIdleTime"})
            return self.idle

    bus = await MessageBus(bus_type=BusType.SESSION).connect()
    services: list[tuple[str, str, ServiceInterface]] = []
    if options.notifications:
        services.append(
            ("org.freedesktop.Notifications", "/org/freedesktop/Notifications", Notifications())
        )
    if options.idle_ms is not None:
        services.append(
            (
                "org.gnome.Mutter.IdleMonitor",
                "/org/gnome/Mutter/IdleMonitor/Core",
                MutterIdleMonitor(options.idle_ms),
            )
        )
    if options.screensaver_idle is not None:
        services.append(
            (
                "org.freedesktop.ScreenSaver",
                "/org/freedesktop/ScreenSaver",
                ScreenSaver(options.screensaver_idle),
            )
        )
    for name, path, interface in services:
        bus.export(path, interface)
        reply = await bus.request_name(name)
        if reply is not RequestNameReply.PRIMARY_OWNER:
            raise RuntimeError(f"could not own {name} on the test bus ({reply})")
    print("ready", flush=True)
    await bus.wait_for_disconnect()  # type: ignore[no-untyped-call]


def main(argv: Sequence[str] | None = None) -> None:
    import asyncio
    import signal

    options = parse_options(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    asyncio.run(serve(options))


if __name__ == "__main__":
    main()
