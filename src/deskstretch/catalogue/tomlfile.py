"""Read a TOML file and turn validation errors into ``file:line: field: expected`` messages.

tomllib does not report where a key was written, so a small scan of the text maps a field path
such as ``steps[1].hold_seconds`` back to its line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from deskstretch.core.errors import FileFormatError

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
# A bare key, or a "quoted" / 'literal' one (the quotes are not part of the key).
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_\-]+))\s*=""")
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")

M = TypeVar("M", bound=BaseModel)


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Parse ``path``; raise FileFormatError naming the line for unreadable or malformed files."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileFormatError(str(path), None, "", "file not found") from None
    except IsADirectoryError:
        raise FileFormatError(str(path), None, "", "expected a TOML file, found a folder") from None
    except UnicodeDecodeError:
        raise FileFormatError(str(path), None, "", "expected UTF-8 text") from None
    except OSError as error:
        raise FileFormatError(str(path), None, "", f"cannot read file ({error.strerror})") from None
    return parse_toml(text, path), text


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """Parse ``text`` (read from, or uploaded as, ``path``); errors name the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match else None
        reason = _TOML_POSITION.sub("", message).strip()
        raise FileFormatError(str(path), line, "", f"not valid TOML ({reason})") from None


def locate(text: str, loc: Sequence[str | int]) -> int | None:
    """Best line number for a pydantic error location like ("steps", 1, "hold_seconds")."""
    tables: dict[str, int] = {}
    counts: dict[str, int] = {}
    current = ""
    best: int | None = None
    wanted_table, wanted_key = _split(loc)
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            name = header.group(2).replace('"', "").replace(" ", "")
            if header.group(1) == "[[":
                index = counts.get(name, 0)
                counts[name] = index + 1
                current = f"{name}[{index}]"
            else:
                current = name
            tables.setdefault(current, number)
            if current == wanted_table and wanted_key is None:
                return number
            continue
        key = _KEY.match(line)
        name = next((g for g in key.groups() if g is not None), None) if key else None
        if name is not None and current == wanted_table and name == wanted_key:
            return number
    if wanted_table in tables:
        best = tables[wanted_table]
    return best


def _split(loc: Sequence[str | int]) -> tuple[str, str | None]:
    """("steps", 1, "reps") -> ("steps[1]", "reps"); ("name",) -> ("", "name")."""
    parts = list(loc)
    table = ""
    key: str | None = None
    while parts:
        part = parts.pop(0)
        if isinstance(part, int):
            table = f"{table}[{part}]"
        elif (parts and isinstance(parts[0], int)) or parts:
            table = f"{table}.{part}" if table else part
        else:
            key = part
    return table, key


def field_path(loc: Sequence[str | int]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def describe(error: Any) -> str:
    """One pydantic error as the words after the field name ("expected at most 120, got 200")."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    got = f", got {value!r}" if kind not in ("missing",) and not isinstance(value, dict) else ""
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
        return f"expected at least {ctx.get('ge')}{got}"
    if kind == "less_than_equal":
        return f"expected at most {ctx.get('le')}{got}"
    if kind in ("enum", "literal_error"):
        return f"expected {ctx.get('expected')}{got}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length')} item(s)"
    if kind == "string_pattern_mismatch":
        return f"expected lowercase letters, digits and dashes{got}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg']}{got}"


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
