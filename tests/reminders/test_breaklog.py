"""The break journal: JSON lines in UTC, durable appends, torn lines skipped, atomic compaction."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from deskstretch.core.schedule import BreakEvent, BreakKind, EventKind
from deskstretch.reminders.breaklog import (
    JOURNAL_FILE,
    KEEP_DAYS,
    BreakLog,
    event_from_line,
    event_to_line,
)

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def test_event_to_line_writes_utc_iso_and_only_set_fields() -> None:
    local = timezone(timedelta(hours=2))
    event = BreakEvent(
        datetime(2026, 3, 10, 16, 0, tzinfo=local),
        EventKind.SNOOZED,
        BreakKind.STRETCH,
        until=datetime(2026, 3, 10, 16, 10, tzinfo=local),
    )

    line = event_to_line(event)

    assert line.endswith("\n")
    assert json.loads(line) == {
        "at": "2026-03-10T14:00:00Z",
        "kind": "snoozed",
        "break_kind": "stretch",
        "until": "2026-03-10T14:10:00Z",
    }


@pytest.mark.parametrize(
    "event",
    [
        BreakEvent(NOW, EventKind.PROMPTED, BreakKind.MICRO),
        BreakEvent(NOW, EventKind.NATURAL, note="away 7 min"),
        BreakEvent(NOW, EventKind.PAUSED, until=NOW + timedelta(hours=1)),
        BreakEvent(NOW, EventKind.DEFERRED, BreakKind.STRETCH, note="the camera is in use — ä"),
    ],
)
def test_event_round_trips_through_a_line(event: BreakEvent) -> None:
    assert event_from_line(event_to_line(event)) == event


@pytest.mark.parametrize(
    "line",
    [
        "not json",
        "[1, 2]",
        '{"kind": "done"}',
        '{"at": "2026-03-10T14:00:00Z", "kind": "exploded"}',
        '{"at": "2026-03-10T14:00:00", "kind": "done"}',  # no time zone
        '{"at": 5, "kind": "done"}',
        '{"at": "2026-03-10T14:00:00Z", "kind": "done", "break_kind": "nap"}',
    ],
)
def test_event_from_line_rejects_what_is_not_an_event(line: str) -> None:
    assert event_from_line(line) is None


def test_event_to_line_refuses_naive_times() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        event_to_line(BreakEvent(datetime(2026, 3, 10, 14, 0), EventKind.DONE))


def test_journal_appends_and_reads_back_in_order(tmp_path: Path) -> None:
    journal = BreakLog.in_folder(tmp_path / "data")
    events = [
        BreakEvent(NOW, EventKind.PROMPTED, BreakKind.STRETCH),
        BreakEvent(NOW + timedelta(minutes=1), EventKind.DONE, BreakKind.STRETCH),
    ]

    for event in events:
        journal.append(event)

    assert journal.path == tmp_path / "data" / JOURNAL_FILE
    assert journal.read() == events
    assert len(journal.path.read_text(encoding="utf-8").splitlines()) == 2


def test_journal_read_of_a_missing_file_is_empty(tmp_path: Path) -> None:
    journal = BreakLog(tmp_path / "none.jsonl")
    assert journal.read() == []
    assert journal.signature() is None


def test_journal_skips_a_torn_last_line_and_damaged_lines(tmp_path: Path) -> None:
    journal = BreakLog(tmp_path / JOURNAL_FILE)
    good = BreakEvent(NOW, EventKind.SKIPPED, BreakKind.MICRO)
    journal.path.write_text(
        event_to_line(good) + "garbage\n" + '{"at": "2026-03-10T14:05:00Z", "ki', encoding="utf-8"
    )

    assert journal.read() == [good]


def test_journal_append_after_a_torn_line_keeps_the_new_event_whole(tmp_path: Path) -> None:
    journal = BreakLog(tmp_path / JOURNAL_FILE)
    journal.path.write_text('{"at": "2026-03-10T13:00:00Z", "kind": "do', encoding="utf-8")
    event = BreakEvent(NOW, EventKind.DONE, BreakKind.STRETCH)

    journal.append(event)

    assert journal.read() == [event]


def test_journal_signature_changes_on_append(tmp_path: Path) -> None:
    journal = BreakLog(tmp_path / JOURNAL_FILE)
    journal.append(BreakEvent(NOW, EventKind.RESUMED))
    before = journal.signature()

    journal.append(BreakEvent(NOW, EventKind.UNPAUSED))

    assert journal.signature() != before


def test_journal_compact_keeps_35_days_and_running_pauses(tmp_path: Path) -> None:
    journal = BreakLog(tmp_path / JOURNAL_FILE)
    old = BreakEvent(NOW - timedelta(days=KEEP_DAYS + 1), EventKind.DONE, BreakKind.MICRO)
    # Written long ago but still in force: dropping it would end the pause early.
    long_pause = BreakEvent(
        NOW - timedelta(days=KEEP_DAYS + 1), EventKind.PAUSED, until=NOW + timedelta(hours=1)
    )
    recent = BreakEvent(NOW - timedelta(days=KEEP_DAYS - 1), EventKind.SKIPPED, BreakKind.MICRO)
    for event in (old, long_pause, recent):
        journal.append(event)
    with journal.path.open("a", encoding="utf-8") as file:
        file.write("damaged\n")

    dropped = journal.compact(NOW)

    assert dropped == 2
    assert journal.read() == [long_pause, recent]
    assert not list(tmp_path.glob(".breaks.jsonl.*")), "the temporary file was left behind"


def test_journal_compact_with_nothing_to_drop_leaves_the_file_alone(tmp_path: Path) -> None:
    journal = BreakLog(tmp_path / JOURNAL_FILE)
    journal.append(BreakEvent(NOW, EventKind.DONE, BreakKind.STRETCH))
    before = journal.signature()

    assert journal.compact(NOW) == 0
    assert journal.signature() == before
    assert BreakLog(tmp_path / "missing.jsonl").compact(NOW) == 0
