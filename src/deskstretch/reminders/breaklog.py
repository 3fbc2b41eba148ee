"""The break journal: every reminder event, one JSON line each, in ``breaks.jsonl``.

Standard library only (the waiting service imports it). Appends use O_APPEND and fsync, so a
crash loses at most the line being written; a torn or damaged line is skipped on read. The
service compacts the file atomically at start, keeping the last 35 days.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from deskstretch.config import write_atomic
from deskstretch.core.schedule import BreakEvent, BreakKind, EventKind
from deskstretch.system.filemodes import make_private_dirs

JOURNAL_FILE = "breaks.jsonl"
LOCK_SUFFIX = ".lock"
KEEP_DAYS = 35

log = logging.getLogger(__name__)


def event_to_line(event: BreakEvent) -> str:
    """One event as a JSON line (with its newline). Timestamps are ISO 8601 in UTC."""
    document: dict[str, Any] = {"at": _iso(event.at), "kind": event.kind.value}
    if event.break_kind is not None:
        document["break_kind"] = event.break_kind.value
    if event.until is not None:
        document["until"] = _iso(event.until)
    if event.note:
        document["note"] = event.note
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def event_from_line(line: str) -> BreakEvent | None:
    """The event on one JSON line, or None when the line is not a valid event."""
    try:
        document = json.loads(line)
        if not isinstance(document, dict):
            return None
        break_kind = document.get("break_kind")
        until = document.get("until")
        note = document.get("note", "")
        return BreakEvent(
            at=_parse_time(document["at"]),
            kind=EventKind(document["kind"]),
            break_kind=None if break_kind is None else BreakKind(break_kind),
            until=None if until is None else _parse_time(until),
            note=note if isinstance(note, str) else "",
        )
    except (ValueError, KeyError, TypeError):
        return None


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"journal times must be timezone-aware (got {moment.isoformat()})")
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_time(value: object) -> datetime:
    if not isinstance(value, str):
        raise TypeError("expected an ISO timestamp")
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("expected a timezone-aware timestamp")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class FileSignature:
    """What changes when someone appends to (or replaces) the journal."""

    mtime_ns: int
    size: int
    inode: int


class BreakLog:
    """The append-only event file shared by the service and the ``remind`` commands."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def in_folder(cls, data_dir: Path) -> BreakLog:
        return cls(data_dir / JOURNAL_FILE)

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + LOCK_SUFFIX)

    def append(self, event: BreakEvent) -> None:
        """Add one event durably. A torn line left by a crash is closed off first, so the new
        event is never glued onto it."""
        data = event_to_line(event).encode("utf-8")
        make_private_dirs(self.path.parent)
        with self._locked():
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
            handle = os.open(self.path, flags, 0o600)
            try:
                if not _ends_with_newline(self.path):
                    data = b"\n" + data
                os.write(handle, data)
                os.fsync(handle)
            finally:
                os.close(handle)

    def read(self) -> list[BreakEvent]:
        """Every readable event in file order. A last line without its newline (a write cut
        short) and damaged lines are skipped."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        events, damaged, _torn = _parse(raw)
        if damaged:
            log.warning("%s: skipped %d damaged line(s)", self.path, damaged)
        return events

    def signature(self) -> FileSignature | None:
        """Changes whenever the file is appended to or replaced; None when there is no file."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return FileSignature(stat.st_mtime_ns, stat.st_size, stat.st_ino)

    def compact(self, now: datetime, keep_days: int = KEEP_DAYS) -> int:
        """Drop events older than ``keep_days`` (keeping pauses and snoozes still running) and
        damaged lines; replace the file atomically. Returns how many lines were dropped."""
        horizon = now - timedelta(days=keep_days)
        with self._locked():
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                return 0
            events, damaged, torn = _parse(raw)
            kept = [e for e in events if e.at >= horizon or (e.until and e.until > now)]
            dropped = len(events) - len(kept) + damaged + torn
            if dropped:
                write_atomic(self.path, "".join(event_to_line(e) for e in kept))
        return dropped

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Appends and compaction exclude each other, so no append lands in a file that is
        about to be replaced. Advisory; on Windows the single service makes it unnecessary."""
        if sys.platform == "win32":
            yield
            return
        import fcntl

        make_private_dirs(self.lock_path.parent)
        handle = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)  # closing releases the lock


def _parse(raw: bytes) -> tuple[list[BreakEvent], int, int]:
    """(events, damaged complete lines, 1 if the last line is torn else 0)."""
    lines = raw.split(b"\n")
    complete, tail = lines[:-1], lines[-1]
    torn = 1 if tail.strip() else 0  # a write cut short (or still in progress): not an error
    events: list[BreakEvent] = []
    damaged = 0
    for line in complete:
        if not line.strip():
            continue
        event = event_from_line(line.decode("utf-8", errors="replace"))
        if event is None:
            damaged += 1
        else:
            events.append(event)
    return events, damaged, torn


def _ends_with_newline(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            file.seek(0, os.SEEK_END)
            if file.tell() == 0:
                return True
            file.seek(-1, os.SEEK_END)
            return file.read(1) == b"\n"
    except FileNotFoundError:
        return True
