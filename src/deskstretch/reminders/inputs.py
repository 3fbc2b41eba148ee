"""What the waiting service reads besides its journal: finished routines and the safety answers.

Standard library only (plus ``deskstretch.core``, the stdlib-only parts of ``config`` and
``store.lite``): the store is read through ``store.lite``'s read-only connection, the answers
with tomllib. Both are re-read only when their files change, so a tick that changes nothing
costs two ``stat`` calls.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from deskstretch.core.errors import DeskstretchError
from deskstretch.core.schedule import BreakEvent, BreakKind, EventKind
from deskstretch.store.lite import LiteReadError, SessionRow, recent_sessions, sqlite_file

if TYPE_CHECKING:
    from deskstretch.config import Settings

log = logging.getLogger(__name__)

# The player writes at every segment boundary, at most ~2 minutes apart; a session silent for
# longer than this was killed or abandoned (the same limit as coach.sessions.STALE_AFTER).
PLAYING_STALE_AFTER = timedelta(minutes=15)

Signature = tuple[tuple[int, int], ...]


def _signature(*paths: Path) -> Signature:
    marks: list[tuple[int, int]] = []
    for path in paths:
        try:
            stat = path.stat()
            marks.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            marks.append((0, -1))
    return tuple(marks)


@dataclass(frozen=True)
class SessionFacts:
    """Finished routines as DONE stretch events, and the routine playing right now, if any."""

    done: tuple[BreakEvent, ...]
    playing: str | None


class SessionReader:
    """Reads the sessions table of the SQLite store, read-only, only when the file changed.

    Other databases (PostgreSQL) are not read here: a routine done there still counts once the
    person confirms a break, and the log says so once.
    """

    def __init__(self, database_url: str, keep: timedelta = timedelta(days=2)) -> None:
        self.path = sqlite_file(database_url)
        self.keep = keep
        self._signature: Signature | None = None
        self._rows: tuple[SessionRow, ...] = ()
        self._since: datetime | None = None
        if self.path is None:
            log.info("finished routines are not read from %s (only SQLite files are)", database_url)

    def read(self, now: datetime) -> SessionFacts:
        if self.path is not None:
            signature = _signature(self.path, Path(f"{self.path}-wal"))
            since = now - self.keep
            # Re-read on a change, and at least daily so the window moves on.
            stale = self._since is None or since - self._since > timedelta(days=1)
            if signature != self._signature or stale:
                self._rows = self._query(self.path, since)
                self._signature = signature
                self._since = since
        done = tuple(
            BreakEvent(
                at=row.ended_at,
                kind=EventKind.DONE,
                break_kind=BreakKind.STRETCH,
                note=f"finished the routine {row.routine_name}",
            )
            for row in self._rows
            if row.status == "completed" and row.ended_at is not None
        )
        playing = next(
            (
                row.routine_name
                for row in self._rows
                if row.status == "in_progress"
                and row.updated_at is not None
                and timedelta(0) <= now - row.updated_at <= PLAYING_STALE_AFTER
            ),
            None,
        )
        return SessionFacts(done, playing)

    @staticmethod
    def _query(path: Path, since: datetime) -> tuple[SessionRow, ...]:
        try:
            return recent_sessions(path, since, timeout_seconds=2)
        except LiteReadError as error:
            # Not created yet (no routine played), locked for long, or damaged: try again later.
            if error.opened:
                log.info("cannot read finished routines from %s: %s", path, error)
            else:
                log.warning("cannot read finished routines from %s: %s", path, error)
            return ()


@dataclass(frozen=True)
class SafetyGate:
    """Whether reminders may be shown, and if not, why (a sentence for the log and status)."""

    allowed: bool
    reason: str
    red_flag: bool = False


class SafetyReader:
    """The safety answers (screening.toml) judged by core.safety, re-read when the file changes.

    A damaged answers file counts as "not answered", as in the Coach: no prompts until the
    person answers again. So do older answers that a later, unsaved answer replaced (the note
    ``not_saved`` in the data folder, see config.screening_not_saved).
    """

    def __init__(self, screening_file: Path, not_saved: Path | None = None) -> None:
        self.path = screening_file
        self.not_saved = not_saved
        self._signature: Signature | None = None
        self._gate = SafetyGate(False, "not read yet")

    @classmethod
    def for_settings(cls, settings: Settings) -> SafetyReader:
        return cls(settings.screening_file, settings.screening_not_saved_file)

    def read(self) -> SafetyGate:
        signature = _signature(self.path, *([self.not_saved] if self.not_saved else []))
        if signature != self._signature:
            self._gate = self._judge()
            self._signature = signature
        return self._gate

    def _judge(self) -> SafetyGate:
        from deskstretch.catalogue.toml_lines import read_toml
        from deskstretch.config import screening_from_mapping, screening_not_saved
        from deskstretch.core.safety import SafetyStatus, Screening, assess

        if self.not_saved is not None and screening_not_saved(self.path, self.not_saved):
            return SafetyGate(
                False,
                "no reminders: your last safety answers could not be saved, so the older ones"
                " no longer count (answer again with `deskstretch check`)",
            )
        screening: Screening | None = None
        if self.path.exists():
            try:
                data, _text = read_toml(self.path)  # never blocks on a pipe in its place
                screening = screening_from_mapping(data, str(self.path))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, DeskstretchError) as err:
                log.warning("the safety answers cannot be read (%s); treated as not answered", err)
        verdict = assess(screening)
        if verdict.status is SafetyStatus.OK:
            return SafetyGate(True, "")
        if verdict.status is SafetyStatus.RED_FLAG:
            return SafetyGate(
                False,
                "no reminders while a safety answer needs a doctor's attention "
                "(see `deskstretch check`)",
                red_flag=True,
            )
        if verdict.status is SafetyStatus.NEEDS_CLEARANCE:
            return SafetyGate(
                False,
                "no reminders until you confirm a clinician's okay (run `deskstretch check`)",
            )
        return SafetyGate(
            False, "no reminders until you answer the safety questions (run `deskstretch check`)"
        )
