"""What ``deskstretch remind status`` reports and what ``pause``/``resume``/``skip`` write.

Reads the same files the service reads (policy, journal, store, safety answers, lock), so the
status is true whether or not the service is running. Standard library only, like the service.
One ``Reminders`` kept by a long-lived caller (the app's Today) reads each file again only when
it changed: the journal, the store's recent sessions and the safety answers are cached by the
file's signature.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from deskstretch.core.errors import DeskstretchError
from deskstretch.core.schedule import (
    BreakEvent,
    BreakKind,
    Due,
    EventKind,
    is_working_time,
    next_due,
    next_working_day_start,
    paused_until,
)
from deskstretch.reminders.breaklog import BreakLog, FileSignature
from deskstretch.reminders.inputs import SafetyGate, SafetyReader, SessionReader
from deskstretch.reminders.lock import ServiceLock
from deskstretch.reminders.policy import POLICY_FILE, LoadedPolicy, load_policy

if TYPE_CHECKING:
    from deskstretch.config import Settings

_DURATION = re.compile(r"^(?:(?P<hours>\d+)\s*h)?\s*(?:(?P<minutes>\d+)\s*m(?:in)?)?$")
MAX_PAUSE = timedelta(hours=24)


@dataclass(frozen=True)
class ReminderStatus:
    """Everything ``remind status`` shows that does not need a desktop query."""

    due: Due | None
    working_now: bool
    loaded: LoadedPolicy
    safety: SafetyGate
    paused_until: datetime | None
    today: Counter[str]
    """Events of the local day by kind; ``routines`` counts finished routines from the store."""
    service_pid: int | None
    journal_path: Path


@dataclass
class Reminders:
    """The reminder files of one person (config and data folders)."""

    settings: Settings
    _journal_read: tuple[FileSignature, list[BreakEvent]] | None = field(
        default=None, init=False, repr=False
    )

    @property
    def journal(self) -> BreakLog:
        return BreakLog.in_folder(self.settings.data_dir)

    @cached_property
    def _sessions(self) -> SessionReader:
        return SessionReader(self.settings.database_url)

    @cached_property
    def _safety(self) -> SafetyReader:
        return SafetyReader.for_settings(self.settings)

    def policy(self) -> LoadedPolicy:
        return load_policy(self.settings.config_dir)

    def events(self) -> list[BreakEvent]:
        """The journal's events, parsed again only when the file changed (it grows all day)."""
        journal = self.journal
        signature = journal.signature()  # before reading: a later append changes it again
        cached = self._journal_read
        if signature is None:
            return []
        if cached is None or cached[0] != signature:
            cached = (signature, journal.read())
            self._journal_read = cached
        return list(cached[1])

    def policy_mark(self) -> object:
        """Changes whenever ``reminders.toml`` is written or replaced; None without the file."""
        try:
            stat = (self.settings.config_dir / POLICY_FILE).stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size, stat.st_ino)

    def inputs(self, now: datetime) -> tuple[object, ...]:
        """What the next break depends on besides the clock: the journal, the finished routines,
        the settings file, the safety answers and the running service. Equal inputs within the
        same minute give the same status, so a page may keep what it worked out."""
        return (
            self.journal.signature(),
            tuple(event.at for event in self._sessions.read(now).done),
            self.policy_mark(),
            self._safety.read(),
            ServiceLock(self.settings.data_dir).holder(),
        )

    def history(self, now: datetime, recent: timedelta | None = None) -> list[BreakEvent]:
        """The journal and the finished routines, in time order; with ``recent``, only the
        events of that last stretch of time (and any pause or snooze still running after it)."""
        facts = self._sessions.read(now)
        events = [*self.events(), *facts.done]
        if recent is not None:
            since = now - recent
            events = [e for e in events if e.at >= since or (e.until and e.until >= since)]
        return sorted(events, key=lambda e: e.at)

    def status(self, now: datetime, tz: tzinfo, recent: timedelta | None = None) -> ReminderStatus:
        """What `remind status` shows. ``recent`` (see ``history``) keeps it quick over a long
        journal: the timers start again with every working period, so a window longer than
        the time between two of them gives the same next break."""
        loaded = self.policy()
        history = self.history(now, recent)
        today = now.astimezone(tz).date()
        counts: Counter[str] = Counter()
        for event in history:
            if event.at <= now and event.at.astimezone(tz).date() == today:
                counts[event.kind.value] += 1
                if event.kind is EventKind.DONE and event.note.startswith("finished the routine"):
                    counts["routines"] += 1
        return ReminderStatus(
            due=next_due(history, loaded.policy, now, tz),
            working_now=is_working_time(loaded.policy, now, tz),
            loaded=loaded,
            safety=self._safety.read(),
            paused_until=paused_until(history, now),
            today=counts,
            service_pid=ServiceLock(self.settings.data_dir).holder(),
            journal_path=self.journal.path,
        )

    def pause(self, length: str, now: datetime, tz: tzinfo) -> datetime:
        """Pause for ``length`` ("1h", "30m", "1h30m" or "tomorrow"); returns the end."""
        if length.strip().lower() == "tomorrow":
            until = next_working_day_start(self.policy().policy, now, tz)
        else:
            until = now + parse_duration(length)
        self._append(BreakEvent(now, EventKind.PAUSED, until=until, note=length))
        return until

    def resume(self, now: datetime) -> bool:
        """End a pause early; False when there was none."""
        if paused_until(self.history(now), now) is None:
            return False
        self._append(BreakEvent(now, EventKind.UNPAUSED))
        return True

    def skip(self, now: datetime, tz: tzinfo) -> BreakKind | None:
        """Skip the next break (its timer restarts now); None when every break is off."""
        due = next_due(self.history(now), self.policy().policy, now, tz)
        if due is None:
            return None
        self._append(BreakEvent(now, EventKind.SKIPPED, due.break_kind, note="remind skip"))
        return due.break_kind

    def _append(self, event: BreakEvent) -> None:
        journal = self.journal
        try:
            journal.append(event)
        except OSError as error:
            raise DeskstretchError(
                f"cannot write {journal.path}: {error.strerror or error}"
            ) from None


def parse_duration(text: str) -> timedelta:
    """``"1h"``, ``"30m"``, ``"45min"``, ``"1h30m"`` -> a timedelta of 1 minute to 24 hours."""
    match = _DURATION.match(text.strip().lower())
    if not text.strip() or match is None or not any(match.groups()):
        raise DeskstretchError(
            f"pause: expected a length like 1h, 30m or 1h30m, or 'tomorrow' (got '{text}')"
        )
    length = timedelta(hours=int(match["hours"] or 0), minutes=int(match["minutes"] or 0))
    if not timedelta(minutes=1) <= length <= MAX_PAUSE:
        raise DeskstretchError(
            f"pause: expected 1 minute to 24 hours (got '{text}'); for longer, use"
            " `deskstretch remind pause tomorrow` or stop the service"
        )
    return length
