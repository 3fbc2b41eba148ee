"""Read a TOML file and find the line a field was written on: standard library only.

tomllib does not report where a key was written, so a small scan of the text maps a field path
such as ``steps[1].hold_seconds`` back to its line. Kept free of pydantic so that the reminder
service (which must stay small) can use it; ``catalogue.tomlfile`` builds model validation on it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from deskstretch.core.errors import FileFormatError

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
# A bare key, or a "quoted" / 'literal' one (the quotes are not part of the key).
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_\-]+))\s*=""")
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


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
    """Best line number for a field location like ("steps", 1, "hold_seconds").

    The key's own line when it is written in its table; else the table's header line.
    """
    key_line, tables = _scan(text, loc)
    if key_line is not None:
        return key_line
    return tables.get(_split(loc)[0])


def locate_field(text: str, field: str) -> int | None:
    """Line of a dotted field such as ``working_hours.monday``: the key, or its table's header.

    Falls back to the nearest enclosing key or table that is written (``micro`` for
    ``micro.seconds`` when the file has ``[micro]`` but no ``seconds``).
    """
    parts = field.split(".") if field else []
    for count in range(len(parts), 0, -1):
        key_line, tables = _scan(text, parts[:count])
        header = tables.get(".".join(parts[:count]))
        if key_line is not None or header is not None:
            return key_line if key_line is not None else header
    return None


def _scan(text: str, loc: Sequence[str | int]) -> tuple[int | None, dict[str, int]]:
    """(line of the key ``loc`` names, or None; first line of every table header seen)."""
    tables: dict[str, int] = {}
    counts: dict[str, int] = {}
    current = ""
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
                return number, tables
            continue
        key = _KEY.match(line)
        name = next((g for g in key.groups() if g is not None), None) if key else None
        if name is not None and current == wanted_table and name == wanted_key:
            return number, tables
    return None, tables


def _split(loc: Sequence[str | int]) -> tuple[str, str | None]:
    """("steps", 1, "reps") -> ("steps[1]", "reps"); ("name",) -> ("", "name")."""
    parts = list(loc)
    table = ""
    key: str | None = None
    while parts:
        part = parts.pop(0)
        if isinstance(part, int):
            table = f"{table}[{part}]"
        elif parts:
            table = f"{table}.{part}" if table else part
        else:
            key = part
    return table, key


def field_path(loc: Sequence[str | int]) -> str:
    """("steps", 1, "reps") -> "steps[1].reps"."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
