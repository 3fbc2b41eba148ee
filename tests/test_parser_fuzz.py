"""Property-based fuzzing of every parser of a person's files (issue #9 item 11).

Routine files, safety answers, questionnaire answers, reminders.toml and the JSON import get
generated documents (well-formed ones with our own field names and hostile values, and raw
text): whatever comes in, the only exception that may come out is DeskstretchError, the one a
person sees as a one-line message. Bounded: a fixed number of examples, a few seconds in all.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskstretch.catalogue.loader import Catalogue, load_catalogue, load_routine_file
from deskstretch.cli.screening import screening_from_file
from deskstretch.coach.questionnaires import load_answers
from deskstretch.core.errors import DeskstretchError
from deskstretch.core.records import Instrument
from deskstretch.reminders.policy import read_policy
from deskstretch.store import open_store
from deskstretch.store import repository as repo

FUZZ = settings(
    max_examples=60,
    deadline=None,  # no timing in tests: a loaded machine must not fail this
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples every run: a failure replays exactly
)
KEYS = (
    # routine files
    "id", "name", "summary", "position", "steps", "exercise", "reps", "hold_seconds",
    "rep_seconds", "rest_seconds", "note", "sources", "title", "url", "get_ready_seconds",
    # safety and questionnaire answers
    "red_flags", "conditions", "red_flags_cleared", "clearance_confirmed", "version",
    "answers", "instrument", "pain_intensity", "rmdq01", "sbst1", "osteoporosis",
    # reminders.toml
    "working_hours", "weekdays", "monday", "micro", "stretch", "enabled", "every_minutes",
    "seconds", "minutes", "snooze_minutes", "default_snooze_minutes", "daily_cap", "start_in",
)  # fmt: skip
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 0.0, 30, 5, 120]),
)
TEXTS = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "javascript:alert(1)",
            "https://example.org/",
            "a" * 65,
            "S01",
            "hamstring-2min",
            "09:00-17:30",
            "off",
            "\ufeff",
        ]
    ),
)
SCALARS = st.one_of(NUMBERS, TEXTS, st.booleans())


def _values(leaves: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5),
        ),
        max_leaves=25,
    )


TOML_DOCUMENTS = st.dictionaries(st.sampled_from(KEYS), _values(SCALARS), max_size=8)
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXTS,
    st.sampled_from(["2025-03-04T08:30:00+00:00", "0001-01-01T00:00:00+05:00", "in_progress"]),
)


def _toml_text(document: dict[str, Any]) -> str:
    try:
        return tomli_w.dumps(document)
    except (ValueError, TypeError):  # tomli_w cannot write every shape (mixed arrays of tables)
        return json.dumps(document, default=str)


def _parsers(catalogue: Catalogue) -> list[Callable[[Path], object]]:
    return [
        lambda path: load_routine_file(path, catalogue),
        screening_from_file,
        lambda path: load_answers(path, Instrument.ODI),
        lambda path: load_answers(path, Instrument.RMDQ),
        lambda path: load_answers(path, Instrument.STARTBACK),
        read_policy,
    ]


CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the examples are written: under pytest's temporary folder, cleaned up like it."""
    return tmp_path_factory.mktemp("fuzz")


def _every_parser_fails_cleanly_on(folder: Path, text: str | bytes) -> None:
    path = folder / "fuzz.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    for parse in _parsers(CATALOGUE):
        try:
            parse(path)
        except DeskstretchError as error:
            assert "\n" not in error.message.strip(), error.message
            assert str(path) in error.message or "ODI" in error.message, error.message


@FUZZ
@given(TOML_DOCUMENTS)
def test_toml_parsers_never_crash_on_documents(folder: Path, document: dict[str, Any]) -> None:
    _every_parser_fails_cleanly_on(folder, _toml_text(document))


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=200),
        st.text(alphabet=st.sampled_from('[]{}="\\\n .,#=1aé\ufeff'), max_size=300),
        st.integers(min_value=1, max_value=3000).map(lambda depth: "a = " + "[" * depth),
    )
)
def test_toml_parsers_never_crash_on_raw_text(folder: Path, text: str | bytes) -> None:
    _every_parser_fails_cleanly_on(folder, text)


def _valid_export() -> dict[str, Any]:
    at = "2025-03-04T08:30:00+00:00"
    return {
        "format": "deskstretch-export",
        "schema_version": 1,
        "sessions": [
            {
                "id": "s1",
                "routine_id": "hamstring-2min",
                "routine_name": "Hamstrings",
                "started_at": at,
                "status": "completed",
                "steps": [{"step_index": 0, "exercise_id": "x", "muscle_group": "hips",
                           "planned_seconds": 30.0, "done_seconds": 30.0}],
            }
        ],
        "checkins": [{"id": "c1", "at": at, "back_pain": 3, "leg_pain": None}],
        "measurements": [
            {"id": "m1", "at": at, "kind": "chair_sit_and_reach", "value_cm": 2.5,
             "protocol": "p", "leg": "left"}
        ],
        "psfs_activities": [{"id": "a1", "name": "Sitting", "created_at": at}],
        "questionnaire_results": [
            {"id": "q1", "at": at, "instrument": "odi", "version": "2.1a",
             "answers": {"pain_intensity": 2}, "score": 20.0}
        ],
        "programme_events": [{"id": "e1", "at": at, "kind": "questions_due"}],
        "enrolments": [{"id": "n1", "programme_id": "desk-back-6-weeks",
                        "started_on": "2025-01-02", "at": at, "ended_at": None}],
    }  # fmt: skip


def _mutate(document: Any, path: list[str | int], value: Any) -> Any:
    """``document`` with the item at ``path`` (as far as it exists) replaced by ``value``."""
    if not path:
        return value
    key, rest = path[0], path[1:]
    if isinstance(document, dict) and isinstance(key, str) and key in document:
        return {**document, key: _mutate(document[key], rest, value)}
    if isinstance(document, list) and isinstance(key, int) and document:
        index = key % len(document)
        return [*document[:index], _mutate(document[index], rest, value), *document[index + 1 :]]
    return value


EXPORT_KEYS = st.sampled_from(
    ["sessions", "checkins", "measurements", "psfs_activities", "questionnaire_results",
     "programme_events", "enrolments", "kind", "steps", "at", "started_at", "ended_at",
     "started_on", "programme_id", "value_cm", "answers", "score", "id", "note", "back_pain",
     "status", "done_seconds", "leg", "name", "extra", "schema_version"]
)  # fmt: skip
MUTATIONS = st.tuples(
    st.lists(st.one_of(EXPORT_KEYS, st.integers(min_value=0, max_value=3)), max_size=4),
    _values(JSON_SCALARS),
)


@FUZZ
@given(st.lists(MUTATIONS, min_size=1, max_size=4))
def test_import_never_crashes_and_keeps_limits(
    folder: Path, mutations: list[tuple[list[Any], Any]]
) -> None:
    document: Any = _valid_export()
    for path, value in mutations:
        document = _mutate(document, path, value)
    store = open_store(f"sqlite:///{folder / 'fuzz.sqlite3'}")
    try:
        try:
            repo.import_records(store, json.loads(json.dumps(document)), replace=True)
        except DeskstretchError as error:
            assert error.message.startswith("import file:"), error.message
            return
        # Whatever was accepted keeps the limits of live input.
        for checkin in repo.list_checkins(store):
            for pain in (checkin.back_pain, checkin.leg_pain):
                assert pain is None or 0 <= pain <= 10
        for measurement in repo.list_measurements(store):
            assert math.isfinite(measurement.value_cm) and -40 <= measurement.value_cm <= 80
        for session in repo.list_sessions(store):
            assert session.ended_at is None or session.ended_at >= session.started_at
        for event in repo.list_programme_events(store):  # a known kind, or reading would fail
            assert 2000 <= event.at.year <= 2100
        for enrolment in repo.list_enrolments(store):
            assert 2000 <= enrolment.started_on.year <= 2100
            assert enrolment.ended_at is None or enrolment.ended_at >= enrolment.at
    finally:
        store.close()
