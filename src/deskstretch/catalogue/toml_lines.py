"""Read a TOML file and find the line a field was written on: standard library only.

tomllib does not report where a key was written, so a small scan of the text maps a field path
such as ``steps[1].hold_seconds`` back to its line. Kept free of pydantic so that the reminder
service (which must stay small) can use it; ``catalogue.toml_errors`` builds model validation on it.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from deskstretch.core.errors import FileFormatError

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
# A bare key, or a "quoted" / 'literal' one (the quotes are not part of the key).
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_\-]+))\s*=""")
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


MAX_FILE_BYTES = 1024 * 1024
"""No file deskstretch reads from a person is anywhere near this big (a routine is a few KB)."""
MAX_NESTING = 20
"""Deepest nesting of tables and lists any of our formats needs is 3; this leaves room."""
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_text_file(path: Path, kind: str = "TOML", limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of the regular file ``path`` (a leading byte order mark is dropped).

    Checks what ``path`` is before reading it, so a named pipe or a device never blocks or
    streams forever, and reads at most ``limit`` bytes. Every problem is a FileFormatError.
    """

    def fail(expected: str) -> FileFormatError:
        return FileFormatError(str(path), None, "", expected)

    try:
        # O_NONBLOCK: opening a named pipe swapped in after a check must not wait for a writer.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise fail("file not found") from None
    except IsADirectoryError:
        raise fail(f"expected a {kind} file, found a folder") from None
    except OSError as error:
        raise fail(f"cannot read file ({error.strerror})") from None
    try:
        mode = os.fstat(handle).st_mode
        for test, name in _KINDS:
            if test(mode):
                raise fail(f"expected a {kind} file, found {name}")
        with os.fdopen(handle, "rb", closefd=False) as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise fail(f"cannot read file ({error.strerror})") from None
    finally:
        os.close(handle)
    if len(data) > limit:
        size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"
        raise fail(f"the file is larger than {size}; expected a small {kind} file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fail("expected UTF-8 text") from None


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Parse ``path``; raise FileFormatError naming the line for unreadable or malformed files."""
    text = read_text_file(path)
    return parse_toml(text, path), text


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """Parse ``text`` (read from, or uploaded as, ``path``); errors name the line."""
    text = text.removeprefix("\ufeff")  # a byte order mark some editors write
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match else None
        reason = _TOML_POSITION.sub("", message).strip()
        raise FileFormatError(str(path), line, "", f"not valid TOML ({reason})") from None
    except RecursionError:
        data = None
    if data is None or nesting_depth(data) > MAX_NESTING:
        expected = f"expected lists and tables nested at most {MAX_NESTING} deep"
        raise FileFormatError(str(path), None, "", expected)
    return data


def nesting_depth(value: object, limit: int = MAX_NESTING) -> int:
    """How deeply lists and tables nest in ``value`` (stops counting past ``limit``)."""
    depth = 0
    level = [value]
    while level and depth <= limit:
        children: list[object] = []
        for item in level:
            if isinstance(item, dict):
                children.extend(item.values())
            elif isinstance(item, list | tuple):
                children.extend(item)
        if not children:
            break
        depth += 1
        level = children
    return depth


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
