"""Reading submitted forms: every field checked, every problem named, all problems at once.

Routes take ``form: Form`` (the submitted fields as plain strings), read them through a
``FormReader`` and call ``check()``; a bad value becomes a 400 page listing each field with what
was expected and what arrived, never a 500.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends
from starlette.requests import Request

from deskstretch.core.errors import DeskstretchError

T = TypeVar("T")
MAX_FIELDS = 200
_SHOWN_CHARS = 40


@dataclass(frozen=True)
class Problem:
    field: str
    label: str
    message: str


class FormInvalid(DeskstretchError):
    """One or more fields were missing or wrong; ``back`` is the page the form lives on."""

    def __init__(self, problems: tuple[Problem, ...], back: str, title: str) -> None:
        super().__init__("; ".join(f"{p.label}: {p.message}" for p in problems))
        self.problems = problems
        self.back = back
        self.title = title


async def _read_form(request: Request) -> dict[str, str]:
    form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    await form.close()
    return values


Form = Annotated[dict[str, str], Depends(_read_form)]


def shown(value: str) -> str:
    """A submitted value quoted for an error message, cut short if long."""
    if len(value) > _SHOWN_CHARS:
        value = value[:_SHOWN_CHARS] + "…"
    return f"'{value}'"


class FormReader:
    def __init__(self, form: Mapping[str, str], back: str, title: str) -> None:
        self.form = form
        self.back = back
        self.title = title
        self.problems: list[Problem] = []

    def problem(self, name: str, label: str, message: str) -> None:
        self.problems.append(Problem(name, label, message))

    def _raw(self, name: str) -> str:
        return self.form.get(name, "").strip()

    def whole_number(
        self, name: str, label: str, low: int, high: int, *, required: bool = False
    ) -> int | None:
        raw = self._raw(name)
        if not raw:
            if required:
                self.problem(name, label, f"choose a number from {low} to {high}")
            return None
        if not raw.isascii() or not raw.lstrip("-").isdigit() or not low <= int(raw) <= high:
            self.problem(
                name, label, f"expected a whole number from {low} to {high}, got {shown(raw)}"
            )
            return None
        return int(raw)

    def decimal(self, name: str, label: str, *, required: bool = True) -> float | None:
        """A number as people type it: '3', '-2.5', or with a true minus sign or a decimal comma."""
        raw = self._raw(name).replace("−", "-").replace(",", ".")
        if not raw:
            if required:
                self.problem(name, label, "enter a number, like 3 or -2.5")
            return None
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or len(raw) > 12:
            self.problem(name, label, f"expected a number like 3 or -2.5, got {shown(raw)}")
            return None
        return value

    def choice(self, name: str, label: str, options: Mapping[str, T]) -> T | None:
        """One of ``options`` (by key); empty means not chosen (a problem)."""
        raw = self._raw(name)
        if raw in options:
            return options[raw]
        expected = " or ".join(f"'{key}'" for key in options)
        got = f", got {shown(raw)}" if raw else ""
        self.problem(name, label, f"choose one: {expected}{got}")
        return None

    def optional_choice(self, name: str, label: str, options: Mapping[str, T]) -> T | None:
        """Like ``choice``, but empty means "any" (None) rather than a problem."""
        return self.choice(name, label, options) if self._raw(name) else None

    def yes_no(self, name: str, label: str) -> bool | None:
        return self.choice(name, label, {"yes": True, "no": False})

    def text(self, name: str, label: str, max_chars: int) -> str:
        value = self._raw(name)
        if len(value) > max_chars:
            self.problem(name, label, f"keep it to {max_chars} characters (got {len(value)})")
            return ""
        return value

    def check(self) -> None:
        """Raise FormInvalid if any field had a problem."""
        if self.problems:
            raise FormInvalid(tuple(self.problems), self.back, self.title)


def local_path(value: str, default: str = "/") -> str:
    """``value`` if it is a path on this site (for "back to where you were"), else ``default``."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value if value.isascii() and value.isprintable() else default
    return default
