"""reminders/control.py kept by a long-lived caller (the app's Today): each file is read again
only when it changed, and a window of recent history gives the same next break as all of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskstretch.config import Settings
from deskstretch.core.schedule import BreakEvent, BreakKind, EventKind
from deskstretch.reminders.breaklog import BreakLog, event_to_line
from deskstretch.reminders.control import Reminders
from helpers.support import Dirs

NOW = datetime(2025, 3, 4, 11, 7, tzinfo=UTC)  # a Tuesday; default working hours


def full_journal(journal: BreakLog, days: int = 35) -> None:
    """What the service keeps: 16 answered reminders a working day (written in one go)."""
    events = []
    for day in range(days, 0, -1):
        start = (NOW - timedelta(days=day)).replace(hour=9, minute=30)
        if start.weekday() >= 5:
            continue
        for number in range(16):
            at = start + timedelta(minutes=30 * number)
            kind = BreakKind.STRETCH if number % 2 else BreakKind.MICRO
            events.append(BreakEvent(at, EventKind.PROMPTED, kind))
            events.append(BreakEvent(at + timedelta(minutes=1), EventKind.DONE, kind))
    journal.path.parent.mkdir(parents=True, exist_ok=True)
    journal.path.write_text("".join(map(event_to_line, events)), encoding="utf-8")


def test_the_journal_is_parsed_again_only_when_it_changed(
    dirs: Dirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    reminders = Reminders(Settings.from_env())
    assert reminders.events() == []
    journal = reminders.journal
    journal.append(BreakEvent(NOW - timedelta(hours=1), EventKind.DONE, BreakKind.MICRO))
    reads: list[Path] = []
    real_read = BreakLog.read

    def counted(log: BreakLog) -> list[BreakEvent]:
        reads.append(log.path)
        return real_read(log)

    monkeypatch.setattr(BreakLog, "read", counted)
    first = reminders.events()
    assert len(first) == 1 and len(reads) == 1
    first.clear()  # a caller's copy: the cache is not touched
    assert len(reminders.events()) == 1 and len(reads) == 1
    journal.append(BreakEvent(NOW, EventKind.SKIPPED, BreakKind.STRETCH))
    assert [e.kind for e in reminders.events()] == [EventKind.DONE, EventKind.SKIPPED]
    assert len(reads) == 2


def test_a_recent_window_gives_the_same_status_as_the_whole_journal(dirs: Dirs) -> None:
    reminders = Reminders(Settings.from_env())
    journal = reminders.journal
    full_journal(journal)
    # A pause set long ago that runs until later today stays in the window.
    journal.append(
        BreakEvent(NOW - timedelta(days=20), EventKind.PAUSED, until=NOW + timedelta(hours=2))
    )
    everything = reminders.status(NOW, UTC)
    recent = reminders.status(NOW, UTC, recent=timedelta(days=10))
    assert recent.paused_until == everything.paused_until == NOW + timedelta(hours=2)
    assert recent.due == everything.due and recent.due is not None
    assert recent.today == everything.today
    assert len(reminders.history(NOW, timedelta(days=10))) < len(reminders.history(NOW)) / 3
