"""Break reminders as the browser app sees them: the settings in ``reminders.toml``, the next break
and why, pause and resume, "start with my computer", and starting or stopping the service.

No second scheduler: the next break comes from ``core.schedule`` over the same journal, store and
safety answers the service reads (``reminders.control``), and only the service (``python -m
deskstretch.reminders run``) shows reminders. The Coach uses the reminder package's standard-library
state modules (control, policy, lock, autostart), never the service's desktop or prompt code
(tests/core/test_purity.py holds that line).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from deskstretch.coach.break_form import ReminderFields, ReminderFormError, policy_from_fields
from deskstretch.core.errors import DeskstretchError
from deskstretch.core.reminder_policy import policy_to_toml
from deskstretch.core.schedule import EventKind, Policy
from deskstretch.core.wording import plural

if TYPE_CHECKING:
    from deskstretch.config import Settings
    from deskstretch.reminders.autostart.host import AutostartStatus
    from deskstretch.reminders.control import Reminders

ReminderState = Literal["unset", "on", "off"]
PAUSES = {"1h": "for an hour", "tomorrow": "until your next working day"}
OUTLOOK_HISTORY = timedelta(days=10)
# "micro break at 10:30: " in a Due's reason: the headline already says which break and when.
_REASON_HEAD = re.compile(r"\b(?:micro|stretch) break (?:due now|at [^:]*\d\d:\d\d): ")


@dataclass(frozen=True)
class ReminderSetup:
    """The settings in force, the file's problem if it has one, and the person's switch."""

    policy: Policy
    problem: str | None
    path: Path

    @property
    def state(self) -> ReminderState:
        """``unset`` until the person chooses (no ``enabled`` line): the app then asks."""
        if self.policy.enabled is None:
            return "unset"
        return "on" if self.policy.enabled else "off"


@dataclass(frozen=True)
class BreakOutlook:
    """What Today says about the reminders: the next break and why, or why none comes."""

    state: ReminderState
    running: bool
    headline: str
    """"Stretch break in 23 min", "Paused until 14:00", "No reminders: ...", ..."""
    why: str
    held_back: str
    """Why a due break waits ("the microphone is in use (a call?)"), else ''."""
    paused: bool
    problem: str | None
    safety_blocked: bool = False
    """No reminders while the safety answers hold routines back (``why`` says which)."""


class BreakReminders:
    """The reminder files of one person, for the app (Settings, Today, the first run)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._outlook: tuple[tuple[object, ...], BreakOutlook] | None = None
        self._setup: tuple[object, ReminderSetup] | None = None
        self._started: list[subprocess.Popen[bytes]] = []
        """Services this process started (the app stops them at exit unless autostart is on)."""
        self._reminders: Reminders | None = None
        self._autostart: tuple[float, AutostartStatus] | None = None

    def _control(self) -> Reminders:
        """One for the app's life: it reads each file again only when it changed (Today stays
        fast with a month of journal)."""
        if self._reminders is None:
            from deskstretch.reminders.control import Reminders

            self._reminders = Reminders(self.settings)
        return self._reminders

    # ----- the settings --------------------------------------------------------------------------

    def setup(self) -> ReminderSetup:
        """The settings file as it is now (read again only when it changed: Today asks often)."""
        control = self._control()
        mark = control.policy_mark()
        if self._setup is not None and self._setup[0] == mark:
            return self._setup[1]
        loaded = control.policy()
        path = loaded.path or self.settings.config_dir / "reminders.toml"
        setup = ReminderSetup(loaded.policy, loaded.problem, path)
        self._setup = (mark, setup)
        return setup

    def fields(self) -> ReminderFields:
        setup = self.setup()
        return ReminderFields.from_policy(setup.policy, setup.state != "off")

    def save(self, fields: ReminderFields) -> Policy:
        """Check every field, then write the whole file atomically; ReminderFormError names each
        mistake by field and nothing is written."""
        current = self.setup()
        base = current.policy if current.problem is None else Policy()
        policy = policy_from_fields(fields, base)
        self._write(policy)
        return policy

    def switch(self, on: bool) -> Policy:
        """Turn the reminders on or off and keep every other setting (the first run's offer)."""
        current = self.setup()
        if current.problem is not None:
            raise DeskstretchError(
                f"Your reminder settings have a mistake ({current.problem}); fix it in Settings,"
                " where saving the form replaces the file."
            )
        policy = replace(current.policy, enabled=on)
        self._write(policy)
        return policy

    def _write(self, policy: Policy) -> None:
        from deskstretch.config import write_atomic

        write_atomic(self.settings.config_dir / "reminders.toml", policy_to_toml(policy))

    # ----- the next break ------------------------------------------------------------------------

    def outlook(self, now: datetime, tz: tzinfo) -> BreakOutlook:
        """The next break and why, read as the service reads it (no scheduler of its own); kept
        while its inputs and the minute stay the same (a check-in changes neither)."""
        control = self._control()
        key = (control.inputs(now), int(now.timestamp() // 60), str(tz))
        if self._outlook is not None and self._outlook[0] == key:
            return self._outlook[1]
        outlook = self._work_out(control, now, tz)
        self._outlook = (key, outlook)
        return outlook

    def _work_out(self, control: Reminders, now: datetime, tz: tzinfo) -> BreakOutlook:
        # Ten days hold every timer, pause and snooze that can still count (a full journal
        # keeps 35 days, and next_due walks all it is given).
        status = control.status(now, tz, recent=OUTLOOK_HISTORY)
        state = ReminderSetup(status.loaded.policy, status.loaded.problem, control.journal.path)
        running = status.service_pid is not None
        held_back = ""
        paused = status.paused_until is not None
        blocked = state.state == "on" and not status.safety.allowed
        if state.state != "on":
            headline, why = "", ""
        elif blocked:
            # The reason names a terminal command in brackets; each front end says where to go.
            headline = "No reminders for now"
            why = _sentence(status.safety.reason.split(" (")[0])
        elif paused and status.paused_until is not None:
            headline = f"Paused until {_clock(status.paused_until, now, tz)}"
            why = "Resume whenever you like."
        elif status.due is None:
            headline, why = "No breaks to remind", "Both kinds of break are switched off."
        else:
            due = status.due
            kind = "Stretch break" if due.break_kind == "stretch" else "Micro-break"
            if due.at <= now and status.working_now:
                headline = f"{kind} due now"
                held_back = _held_back(control, due.at, now)
            else:
                headline = f"{kind} {_when(due.at, now, tz)}"
            why = _sentence(_REASON_HEAD.sub("", due.reason, count=1))
        return BreakOutlook(
            state.state, running, headline, why, held_back, paused, status.loaded.problem, blocked
        )

    def pause(self, length: str, now: datetime, tz: tzinfo) -> datetime:
        """``1h`` or ``tomorrow`` (and any length ``remind pause`` takes); returns the end."""
        return self._control().pause(length, now, tz)

    def resume(self, now: datetime) -> bool:
        return self._control().resume(now)

    # ----- the service and "start with my computer" ----------------------------------------------

    def service_pid(self) -> int | None:
        from deskstretch.reminders.lock import ServiceLock

        return ServiceLock(self.settings.data_dir).holder()

    def start_service(self) -> int | None:
        """Start the reminder service in the background when the reminders are on and none runs;
        returns the new process id, else None."""
        if self.setup().state != "on" or self.service_pid() is not None:
            return None
        self._reap()
        # The service finds its files through the environment (Settings.from_env): give it this
        # Coach's folders, which need not be the ones the environment names.
        env = os.environ.copy() | {
            "DESKSTRETCH_CONFIG_DIR": str(self.settings.config_dir),
            "DESKSTRETCH_DATA_DIR": str(self.settings.data_dir),
            "DESKSTRETCH_DATABASE_URL": self.settings.database_url,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "deskstretch.reminders", "run"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl+C in the app's terminal is not meant for it
            env=env,
        )
        self._started.append(process)
        return process.pid

    def _reap(self) -> None:
        self._started = [process for process in self._started if process.poll() is None]

    def stop_started(self) -> list[int]:
        """At the app's exit: stop the services it started, unless "start with my computer" is
        chosen (then the service keeps running, as it would after a login). Returns the pids
        stopped."""
        self._reap()
        if not self._started or self.autostart().installed:
            return []
        stopped = []
        for process in self._started:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            stopped.append(process.pid)
        self._started = []
        return stopped

    def stop_service(self, pid: int | None = None) -> bool:
        """Ask the running service (or ``pid``) to stop (SIGTERM); False when none runs."""
        target = pid if pid is not None else self.service_pid()
        if not target:
            return False
        try:
            os.kill(target, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            return False
        return True

    def autostart(self, max_age_seconds: float = 0.0) -> AutostartStatus:
        """Whether "start with my computer" is set up. Asking runs systemctl and reads /proc
        (about 10 ms): with ``max_age_seconds``, an answer that recent is used again (Settings
        shows it on every view); set_autostart forgets it."""
        from deskstretch.reminders.autostart import status

        cached = self._autostart
        if cached is not None and time.monotonic() - cached[0] <= max_age_seconds:
            return cached[1]
        found = status()
        self._autostart = (time.monotonic(), found)
        return found

    def set_autostart(self, on: bool) -> str:
        """Install or remove the autostart entry (the service starts with the session); returns
        what was done, in a sentence."""
        from deskstretch.reminders.autostart import install, uninstall

        self._autostart = None
        result = install(sys.executable) if on else uninstall()
        return result.detail


def offer_sentence(policy: Policy) -> str:
    """What turning the reminders on would bring, for the offer (browser and terminal), from the
    person's own settings: "A short stand-up every 30 minutes and a 3-minute stretch every
    hour, only in your working hours (Monday to Friday, 09:00 to 17:30)." """
    from deskstretch.coach.first_run import break_lines

    kinds = []
    if policy.micro_enabled:
        kinds.append(f"a short stand-up every {_every(policy.micro_interval_minutes)}")
    if policy.stretch_enabled:
        # The length the plan and the calendar export say too (stretch.minutes).
        every = _every(policy.stretch_interval_minutes)
        kinds.append(f"a {policy.stretch_minutes}-minute stretch every {every}")
    if not kinds:
        return "Both kinds of break are switched off in your reminder settings."
    what = " and ".join(kinds)
    # break_lines starts with one line per set of hours: name them when there is only one.
    one_set = len({tuple(periods) for periods in policy.working_hours.values()}) == 1
    when = f" ({break_lines(policy)[0].rstrip('.')})" if one_set else ""
    return f"{what[:1].upper()}{what[1:]}, only in your working hours{when}."


def _every(minutes: int) -> str:
    if minutes == 60:
        return "hour"
    if minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"


def _held_back(control: Reminders, due_at: datetime, now: datetime) -> str:
    """The reason the service gave for holding back the break that is due, if it did."""
    for event in reversed(control.events()):
        if event.at < due_at - timedelta(minutes=1):
            break
        if event.at <= now and event.kind is EventKind.DEFERRED and event.note:
            return event.note
    return ""


def _when(at: datetime, now: datetime, tz: tzinfo) -> str:
    """ "in 23 min", "in 1 h 5 min", or "at Mon 09:00" when it is not today."""
    minutes = max(1, round((at - now).total_seconds() / 60))
    if minutes < 60:
        return f"in {plural(minutes, 'minute')}"
    local, today = at.astimezone(tz), now.astimezone(tz).date()
    if local.date() == today:
        return f"at {local:%H:%M}"
    return f"on {local:%A} at {local:%H:%M}"


def _clock(at: datetime, now: datetime, tz: tzinfo) -> str:
    local = at.astimezone(tz)
    if local.date() == now.astimezone(tz).date():
        return f"{local:%H:%M}"
    return f"{local:%A} {local:%H:%M}"


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")) if text else ""


__all__ = [
    "PAUSES",
    "BreakOutlook",
    "BreakReminders",
    "ReminderFields",
    "ReminderFormError",
    "ReminderSetup",
    "offer_sentence",
    "policy_from_fields",
]
