"""Every stored record as CSV files, one per kind (what `deskstretch export --format csv` and the
browser app's export give), from the export data of ``repository.export_all``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from deskstretch.config import write_atomic
from deskstretch.core.errors import WriteFailed
from deskstretch.core.records import RECORD_KINDS
from deskstretch.system.filemodes import make_private_dirs


def _flatten(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    if value is None:
        return ""
    return str(value)


def export_csv(data: dict[str, Any], folder: Path) -> list[Path]:
    """One CSV per kind of record, plus session_steps.csv (and lessons_read.csv when the
    data has the lessons read); nested values as JSON text.

    A new folder is made 0700 and each file 0600 (health records); a folder or file that cannot
    be made raises WriteFailed."""
    try:
        make_private_dirs(folder)
    except OSError as error:
        raise WriteFailed(str(folder), error.strerror or str(error)) from None
    written = []
    tables: dict[str, list[dict[str, Any]]] = {name: data[name] for name in RECORD_KINDS}
    tables["session_steps"] = [
        {"session_id": session["id"], **step}
        for session in data["sessions"]
        for step in session.get("steps", [])
    ]
    tables["sessions"] = [
        {k: v for k, v in session.items() if k != "steps"} for session in data["sessions"]
    ]
    if "lessons_read" in data:  # the Coach's export adds them (they live in state.toml)
        tables["lessons_read"] = [{"lesson_id": lesson} for lesson in data["lessons_read"]]
    for name, rows in tables.items():
        columns: list[str] = ["lesson_id"] if name == "lessons_read" else []
        for row in rows:
            columns += [key for key in row if key not in columns]
        path = folder / f"{name}.csv"
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_flatten(row.get(column)) for column in columns])
        write_atomic(path, buffer.getvalue())
        written.append(path)
    return written
