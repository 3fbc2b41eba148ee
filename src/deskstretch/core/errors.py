"""Errors a person can act on. Every domain error carries one line of text for the user."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deskstretch.core.safety import SafetyVerdict, Screening


class DeskstretchError(Exception):
    """Base of every error deskstretch shows to a person instead of a traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(DeskstretchError):
    """A named exercise or routine does not exist; the message suggests the closest names."""

    def __init__(self, kind: str, name: str, suggestions: tuple[str, ...] = ()) -> None:
        hint = ""
        if suggestions:
            hint = " Did you mean " + " or ".join(f"'{s}'" for s in suggestions) + "?"
        super().__init__(f"No {kind} called '{name}'.{hint}")
        self.kind = kind
        self.name = name
        self.suggestions = suggestions


class FileFormatError(DeskstretchError):
    """A malformed content or config file: names the file, line, field and what was expected."""

    def __init__(self, path: str, line: int | None, field: str, expected: str) -> None:
        where = f"{path}:{line}" if line else path
        field_text = f" {field}:" if field else ""
        super().__init__(f"{where}:{field_text} {expected}")
        self.path = path
        self.line = line
        self.field = field
        self.expected = expected


class SafetyStop(DeskstretchError):
    """Routines are locked by the safety screen (red flag, missing clearance or no screening)."""


class QuestionsDue(SafetyStop):
    """The cauda equina questions were asked again and wait for an answer before any routine."""


class ProgrammePaused(SafetyStop):
    """Two worse days paused the programme; only the person's own say-so lifts it."""


class WriteFailed(DeskstretchError, OSError):
    """A file could not be saved (full disk, read-only folder, a folder in the way).

    Also an OSError, so code that already handles failed writes keeps doing so; ``strerror``
    holds the system's reason.
    """

    def __init__(self, path: str, reason: str, message: str = "") -> None:
        super().__init__(message or f"Could not save {path}: {reason}.")
        self.filename = path
        self.strerror = reason
        self.path = path
        self.reason = reason


class AnswersNotSaved(WriteFailed):
    """Safety answers that could not be saved. Routines stay locked (``verdict`` is the locked
    verdict, with the advice for any red flag answered), until the answers are saved."""

    def __init__(
        self,
        path: str,
        reason: str,
        screening: Screening,
        verdict: SafetyVerdict,
        note: str = "",
    ) -> None:
        super().__init__(
            path,
            reason,
            f"Could not save your answers to {path}: {reason}. Routines stay locked until they"
            " can be saved." + (f" {note}" if note else ""),
        )
        self.screening = screening
        self.verdict = verdict
