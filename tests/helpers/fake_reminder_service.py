"""The reminder service and "start with my computer" as the web tests see them, without a real
process or autostart entry: "running" is the service lock held by this test process (so
``BreakReminders.service_pid`` and Today's outlook read it as they read a real service), and the
autostart entry is a flag.

``FakeService.install(monkeypatch)`` replaces BreakReminders' start_service, stop_service,
autostart and set_autostart; ``calls`` records what the app asked for. stop_service never sends a
signal (the "service" is this test process).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from deskstretch.coach.breaks import BreakReminders
from deskstretch.reminders.autostart.host import AutostartStatus
from deskstretch.reminders.lock import ServiceLock


@dataclass
class FakeService:
    data_dir: Path
    installed: bool = False
    calls: list[str] = field(default_factory=list)
    _lock: ServiceLock | None = None

    @property
    def running(self) -> bool:
        return self._lock is not None

    def run(self) -> None:
        """The service is running now (this process holds its lock)."""
        if self._lock is None:
            lock = ServiceLock(self.data_dir)
            assert lock.acquire(), "another reminder service holds this test's lock"
            self._lock = lock

    def halt(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def install(self, monkeypatch: pytest.MonkeyPatch) -> FakeService:
        fake = self

        def start_service(reminders: BreakReminders) -> int | None:
            fake.calls.append("start")
            if reminders.setup().state != "on" or fake.running:
                return None
            fake.run()
            return reminders.service_pid()

        def stop_service(reminders: BreakReminders, pid: int | None = None) -> bool:
            fake.calls.append("stop")
            was = fake.running
            fake.halt()
            return was

        def autostart(reminders: BreakReminders, max_age_seconds: float = 0.0) -> AutostartStatus:
            detail = (
                "An autostart entry starts the service when you log in."
                if fake.installed
                else "Reminders do not start by themselves."
            )
            return AutostartStatus(fake.installed, "xdg-autostart", None, fake.running, detail)

        def set_autostart(reminders: BreakReminders, on: bool) -> str:
            fake.calls.append(f"autostart {'on' if on else 'off'}")
            fake.installed = on
            if on:
                fake.run()  # installing starts the service, as the real entry does
                return "Installed: reminders start when you log in."
            fake.halt()
            return "Removed the autostart entry: reminders no longer start with your session."

        monkeypatch.setattr(BreakReminders, "start_service", start_service)
        monkeypatch.setattr(BreakReminders, "stop_service", stop_service)
        monkeypatch.setattr(BreakReminders, "autostart", autostart)
        monkeypatch.setattr(BreakReminders, "set_autostart", set_autostart)
        return self
