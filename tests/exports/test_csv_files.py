"""CSV export: one file per kind of record (RECORD_KINDS), enrolments included."""

from __future__ import annotations

import csv
from pathlib import Path

from deskstretch.core.records import RECORD_KINDS
from deskstretch.exports.csv_files import export_csv
from deskstretch.store import open_store
from deskstretch.store import repository as repo
from helpers.store_factories import at, make_enrolment


def test_every_kind_gets_a_file_and_enrolments_keep_their_day_and_times(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'db.sqlite3'}") as store:
        repo.add_enrolment(store, make_enrolment("first", at(0)))
        repo.add_enrolment(store, make_enrolment("second", at(45), programme_id="maintenance"))
        data = repo.export_all(store)

    written = export_csv(data, tmp_path / "csv")

    assert sorted(p.name for p in written) == sorted(
        [f"{kind}.csv" for kind in RECORD_KINDS] + ["session_steps.csv"]
    )
    with (tmp_path / "csv" / "enrolments.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    assert rows == [
        ["id", "programme_id", "started_on", "at", "ended_at", "start_level"],
        ["first", "desk-back-6-weeks", "2025-03-05", at(0).isoformat(), at(45).isoformat(), "1"],
        ["second", "maintenance", "2025-03-05", at(45).isoformat(), "", "1"],  # active: no end
    ]


def test_the_lessons_read_get_their_own_file(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'db.sqlite3'}") as store:
        data = {**repo.export_all(store), "lessons_read": ["why-hamstrings", "when-to-worry"]}
    export_csv(data, tmp_path / "csv")
    lines = (tmp_path / "csv" / "lessons_read.csv").read_text(encoding="utf-8").splitlines()
    assert lines == ["lesson_id", "why-hamstrings", "when-to-worry"]
