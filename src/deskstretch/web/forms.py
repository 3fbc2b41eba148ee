"""Reading submitted forms: every field checked, every problem named, all problems at once.

Routes take ``form: Form`` (the submitted fields as plain strings) and read them through a
``FormReader``. A form that lives on a page of its own sends that page back (status 422) with
``reader.filled()``: every typed value kept and each problem beside its field, drawn by the field
macros in ``macros.html``. Other routes call ``check()``: a bad value becomes a 400 page listing
each field with what was expected and what arrived, never a 500. Messages are plain words
("a whole number from 0 to 10"), never a parser's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
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


@dataclass(frozen=True)
class Filled:
    """A form sent back to its page: what was typed, and the problems to show beside the fields.

    The field macros in ``macros.html`` read it: ``value(name)``, ``problem(name)``.
    """

    values: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    problems: tuple[Problem, ...] = ()

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def problem(self, name: str) -> str:
        """The first problem with ``name``, as a sentence ('' when it is fine)."""
        found = next((p.message for p in self.problems if p.field == name), "")
        return sentence(found)


NOT_FILLED = Filled()
"""A form shown for the first time: nothing typed, no problems."""


def sentence(message: str) -> str:
    """A problem as a sentence of its own: a capital first letter and one full stop."""
    message = message.strip().rstrip(".")
    return f"{message[:1].upper()}{message[1:]}." if message else ""


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
                name, label, f"enter a whole number from {low} to {high} (you typed {shown(raw)})"
            )
            return None
        return int(raw)

    def decimal(
        self,
        name: str,
        label: str,
        *,
        required: bool = True,
        within: tuple[float, float] | None = None,
        unit: str = "",
    ) -> float | None:
        """A number as people type it: '3', '-2.5', or with a true minus sign or a decimal comma;
        ``within`` (low, high) in ``unit`` when given, and the message says so."""
        raw = self._raw(name).replace("−", "-").replace(",", ".")
        expected = "a number, like 3 or −2.5"
        if within is not None:
            low, high = (f"{bound:g}".replace("-", "−") for bound in within)
            expected = f"a number between {low} and {high}{' ' + unit if unit else ''}"
        if not raw:
            if required:
                self.problem(name, label, f"enter {expected}")
            return None
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        fits = within is None or within[0] <= value <= within[1]
        if not math.isfinite(value) or len(raw) > 12 or not fits:
            self.problem(name, label, f"enter {expected} (you typed {shown(self._raw(name))})")
            return None
        return value

    def choice(
        self, name: str, label: str, options: Mapping[str, T], *, expected: str = ""
    ) -> T | None:
        """One of ``options`` (by key); empty means not chosen (a problem). ``expected`` says
        what to choose in words ("choose left or right"), in place of the keys."""
        raw = self._raw(name)
        if raw in options:
            return options[raw]
        if expected:
            got = f" (not {shown(raw)})" if raw else ""
        else:
            expected = "choose one: " + " or ".join(f"'{key}'" for key in options)
            got = f", got {shown(raw)}" if raw else ""
        self.problem(name, label, expected + got)
        return None

    def optional_choice(self, name: str, label: str, options: Mapping[str, T]) -> T | None:
        """Like ``choice``, but empty means "any" (None) rather than a problem."""
        return self.choice(name, label, options) if self._raw(name) else None

    def yes_no(self, name: str, label: str) -> bool | None:
        return self.choice(name, label, {"yes": True, "no": False})

    def text(self, name: str, label: str, max_chars: int) -> str:
        value = self._raw(name)
        if len(value) > max_chars:
            self.problem(name, label, f"keep it to {max_chars} characters (this has {len(value)})")
            return ""
        return value

    def filled(self) -> Filled:
        """The form as typed, with its problems: for sending the page back (status 422)."""
        return Filled(MappingProxyType(dict(self.form)), tuple(self.problems))

    def check(self) -> None:
        """Raise FormInvalid if any field had a problem."""
        if self.problems:
            raise FormInvalid(tuple(self.problems), self.back, self.title)


def local_path(value: str, default: str = "/") -> str:
    """``value`` if it is a path on this site (for "back to where you were"), else ``default``."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value if value.isascii() and value.isprintable() else default
    return default
