"""Lessons marked read travel with an export, come back with an import, and go with `forget`."""

from __future__ import annotations

import json

import pytest

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.store.exchange import ExchangeError


def _coach() -> Coach:
    return Coach(Settings.from_env())


def test_marks_are_exported_and_imported_into_another_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    coach = _coach()
    coach.mark_lesson_read("when-to-worry")
    coach.mark_lesson_read("why-hamstrings")
    exported = json.loads(json.dumps(coach.export_all()))
    assert exported["lessons_read"] == ["when-to-worry", "why-hamstrings"]

    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.setenv("DESKSTRETCH_CONFIG_DIR", str(elsewhere / "config"))
    monkeypatch.setenv("DESKSTRETCH_DATA_DIR", str(elsewhere / "data"))
    other = _coach()
    other.mark_lesson_read("keeping-going")
    other.import_records(exported)
    assert other.lessons_read() == ("keeping-going", "when-to-worry", "why-hamstrings")
    other.import_records({**exported, "lessons_read": ["why-hamstrings"]}, replace=True)
    assert other.lessons_read() == ("why-hamstrings",)


def test_unknown_lessons_are_left_out_and_bad_ids_refused() -> None:
    coach = _coach()
    exported = coach.export_all()
    coach.import_records({**exported, "lessons_read": ["a-lesson-from-later", "keeping-going"]})
    assert coach.lessons_read() == ("keeping-going",)
    with pytest.raises(ExchangeError, match=r"lessons_read\[1\]"):
        coach.import_records({**exported, "lessons_read": ["keeping-going", "Not An Id!"]})
    assert coach.lessons_read() == ("keeping-going",)


def test_forget_removes_the_marks() -> None:
    coach = _coach()
    coach.mark_lesson_read("when-to-worry")
    coach.forget_everything()
    assert coach.lessons_read() == ()
    assert _coach().export_all()["lessons_read"] == []
