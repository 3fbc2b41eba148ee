"""Turn pydantic validation errors in TOML files into ``file:line: field: expected`` messages.

Reading, parsing and line finding live in the stdlib-only ``catalogue.toml_lines`` (the reminder
service uses them without pydantic); they are re-exported here for the catalogue's callers.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from deskstretch.catalogue.toml_lines import field_path, locate, parse_toml, read_toml
from deskstretch.core.errors import FileFormatError

__all__ = [
    "close_ids",
    "describe",
    "field_path",
    "load_file",
    "load_text",
    "locate",
    "parse_toml",
    "problems_of",
    "read_toml",
    "validate",
]

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
Load = Callable[[dict[str, Any], str, Path], T]
"""Turns a file's parsed data, its text (to find lines) and its path into a value."""


def load_file(path: Path, load: Load[T]) -> T:
    """``load`` the TOML file at ``path`` (read with line numbers and input limits)."""
    data, text = read_toml(path)
    return load(data, text, path)


def load_text(text: str, path: Path, load: Load[T]) -> T:
    """``load`` TOML ``text`` that came from ``path`` (an upload's file name, say)."""
    return load(parse_toml(text, path), text, path)


def close_ids(word: str, known: Iterable[str]) -> tuple[str, ...]:
    """The ids that look like ``word``, for a NotFoundError's suggestions: the near misses if
    any, else the looser matches."""
    names = list(known)
    close = difflib.get_close_matches(word, names, n=3, cutoff=0.7)
    return tuple(close or difflib.get_close_matches(word, names, n=3, cutoff=0.5))


def _bound(value: object) -> object:
    """A limit as written in the docs: 1, not 1.0 (pydantic gives float fields float limits)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def describe(error: Any) -> str:
    """One pydantic error as the words after the field name ("expected at most 120, got 200")."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    got = (
        f", got {_short(value)}" if kind not in ("missing",) and not isinstance(value, dict) else ""
    )
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see docs/routine-format.md)"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number{got}"
    if kind in ("float_parsing", "float_type"):
        return f"expected a number{got}"
    if kind in ("string_type",):
        return f"expected text in quotes{got}"
    if kind in ("list_type",):
        return f'expected a list like ["a", "b"]{got}'
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false{got}"
    if kind == "greater_than_equal":
        return f"expected at least {_bound(ctx.get('ge'))}{got}"
    if kind == "less_than_equal":
        return f"expected at most {_bound(ctx.get('le'))}{got}"
    if kind in ("enum", "literal_error"):
        return f"expected {ctx.get('expected')}{got}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"expected at most {ctx.get('max_length')} characters, got {len(str(value))}"
    if kind == "finite_number":
        return f"expected a finite number{got}"
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length')} item(s)"
    if kind == "string_pattern_mismatch":
        return f"expected lowercase letters, digits and dashes{got}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg']}{got}"


def _short(value: object) -> str:
    """``repr(value)``, cut to a readable length (an error message stays one short line)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate(model: type[M], data: dict[str, Any], path: Path, text: str) -> M:
    """Validate ``data`` as ``model``; the first problem becomes a FileFormatError with its line."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        loc, message = problems_of(exc)[0]
        raise FileFormatError(
            str(path), locate(text, loc) if loc else None, field_path(loc), message
        ) from None


def problems_of(exc: ValidationError) -> list[tuple[tuple[str | int, ...], str]]:
    """Every problem in ``exc`` as (field location, what was expected), in pydantic's order."""
    found = []
    for error in exc.errors():
        loc = tuple(p for p in error["loc"] if isinstance(p, str | int))
        found.append((_strip_model_validator(loc), describe(error)))
    return found


def _strip_model_validator(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))
