"""Errors a person can act on. Every domain error carries one line of text for the user."""

from __future__ import annotations


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
