"""The routine writer: its text loads back (through the same loader as any file) into an equal
routine, for every built-in routine and for doses and text chosen to be awkward."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from deskstretch.catalogue.loader import (
    Catalogue,
    check_routine_data,
    load_catalogue,
    load_routine_text,
    load_routines,
)
from deskstretch.catalogue.writer import routine_toml, toml_string
from deskstretch.core.errors import FileFormatError
from deskstretch.core.models import Dose, Position, Routine, SideOrder, Source, Step

BUILT_IN = sorted(load_routines(load_catalogue()).routines)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _round_trip(routine: Routine, catalogue: Catalogue) -> Routine:
    text = routine_toml(routine)
    loaded = load_routine_text(text, Path(f"{routine.id}.toml"), catalogue, origin=routine.origin)
    return loaded.routine


@pytest.mark.parametrize("routine_id", BUILT_IN)
def test_routine_toml_round_trips_every_built_in_routine(
    catalogue: Catalogue, routine_id: str
) -> None:
    routine = load_routines(catalogue).routines[routine_id]
    assert _round_trip(routine, catalogue) == routine


def test_built_in_routines_are_all_tested() -> None:
    assert len(BUILT_IN) >= 4


def _one_step(
    catalogue: Catalogue,
    exercise_id: str,
    dose: Dose,
    side_order: SideOrder | None = None,
    note: str = "",
) -> Routine:
    exercise = catalogue.exercises[exercise_id]
    chosen = Step(exercise, dose, side_order or exercise.side_order, note)
    return Routine(id="awkward", name="Awkward", summary="", steps=(chosen,), origin="test")


DOSES = {
    "hold, no rest, no press": ("seated-hamstring-hinge", Dose(reps=3, hold_seconds=45)),
    "hold with a press": (
        "seated-hamstring-hinge",
        Dose(reps=2, hold_seconds=20, rest_seconds=5, contract_seconds=6),
    ),
    "contract-relax without its press": (
        "seated-hamstring-contract-relax",
        Dose(reps=3, hold_seconds=20, rest_seconds=5, contract_seconds=0),
    ),
    "reps at a decimal tempo": ("desk-leg-swings", Dose(reps=12, rep_seconds=2.5)),
    "reps with a rest": ("seated-pelvic-tilts", Dose(reps=8, rep_seconds=5.0, rest_seconds=9)),
    "a rep-based move held": ("seated-pelvic-tilts", Dose(reps=2, hold_seconds=10)),
    "a hold done as reps": ("seated-hamstring-hinge", Dose(reps=5, rep_seconds=3.0)),
    "the exercise's own dose": (
        "seated-hamstring-contract-relax",
        Dose(reps=3, hold_seconds=20, rest_seconds=5, contract_seconds=5),
    ),
}


@pytest.mark.parametrize("case", list(DOSES))
def test_routine_toml_round_trips_doses(catalogue: Catalogue, case: str) -> None:
    exercise_id, dose = DOSES[case]
    routine = _one_step(catalogue, exercise_id, dose)
    assert _round_trip(routine, catalogue).steps[0].dose == dose


@pytest.mark.parametrize("order", list(SideOrder))
def test_routine_toml_keeps_the_side_order(catalogue: Catalogue, order: SideOrder) -> None:
    routine = _one_step(
        catalogue, "split-stance-hamstring-hinge", Dose(2, 30, rest_seconds=5), side_order=order
    )
    assert _round_trip(routine, catalogue).steps[0].side_order is order


AWKWARD_TEXT = (
    'Say "hello"',
    "back\\slash and C:\\path",
    "two\nlines\tand a tab",
    "bell \x07 and delete \x7f",
    "émoji 🧘 and ünïcode",
    "# not a comment = not a key",
    "'''triple''' and \"\"\"more\"\"\"",
)


@pytest.mark.parametrize("text", AWKWARD_TEXT)
def test_toml_string_reads_back_as_the_same_text(text: str) -> None:
    assert tomllib.loads(f"value = {toml_string(text)}")["value"] == text


@pytest.mark.parametrize("text", AWKWARD_TEXT)
def test_routine_toml_round_trips_awkward_text(catalogue: Catalogue, text: str) -> None:
    base = _one_step(catalogue, "seated-pelvic-tilts", Dose(6, rep_seconds=5.0), note=text)
    routine = replace(
        base,
        name=text[:80],
        summary=text,
        position=Position.STANDING,
        get_ready_seconds=0,
        switch_seconds=30,
        transition_seconds=60,
        sources=(Source(text, 'https://example.org/a?b=1&c="d"', text), Source("Plain")),
    )
    assert _round_trip(routine, catalogue) == routine


def test_routine_toml_is_the_documented_layout(catalogue: Catalogue) -> None:
    routine = load_routines(catalogue).routines["hamstring-2min"]
    text = routine_toml(routine)
    assert text.startswith("# A deskstretch routine.")
    data = tomllib.loads(text)
    assert list(data) == [
        "id",
        "name",
        "summary",
        "position",
        "get_ready_seconds",
        "switch_seconds",
        "transition_seconds",
        "steps",
        "sources",
    ]
    assert data["steps"][0] == {
        "exercise": "seated-pelvic-tilts",
        "reps": 6,
        "rep_seconds": 5,
        "note": routine.steps[0].note,
    }
    assert 'exercise = "seated-hamstring-hinge"  # S01 ' in text


def test_routine_toml_leaves_out_what_the_loader_would_default(catalogue: Catalogue) -> None:
    routine = _one_step(
        catalogue, "seated-hamstring-hinge", catalogue.exercises["seated-hamstring-hinge"].dose
    )
    step = tomllib.loads(routine_toml(routine))["steps"][0]
    assert set(step) == {"exercise", "reps", "hold_seconds"}


def test_routine_toml_refuses_a_dose_the_format_cannot_say(catalogue: Catalogue) -> None:
    routine = _one_step(catalogue, "seated-hamstring-hinge", Dose(2, 30, rep_seconds=3.0))
    with pytest.raises(ValueError, match="both a hold and a tempo"):
        routine_toml(routine)


def test_load_routine_text_names_the_upload_and_line(catalogue: Catalogue) -> None:
    text = 'name = "Mine"\n\n[[steps]]\nexercise = "S01"\nhold_seconds = 200\n'
    with pytest.raises(FileFormatError) as caught:
        load_routine_text(text, Path("mine.toml"), catalogue)
    assert caught.value.message == (
        "mine.toml:5: steps[0].hold_seconds: expected at most 120, got 200"
    )


def test_check_routine_data_reports_every_problem(catalogue: Catalogue) -> None:
    data = {
        "name": "",
        "steps": [
            {"exercise": "S01", "hold_seconds": "thirty"},
            {"exercise": "S10", "reps": 0},
        ],
    }
    check = check_routine_data(data, catalogue, "x")
    assert check.loaded is None
    assert [(p.field, p.message) for p in check.problems] == [
        ("name", "must not be empty"),
        ("steps[0].hold_seconds", "expected a whole number, got 'thirty'"),
        ("steps[1].reps", "expected at least 1, got 0"),
    ]


def test_check_routine_data_names_unknown_exercises_by_step(catalogue: Catalogue) -> None:
    data = {"name": "A", "steps": [{"exercise": "S01"}, {"exercise": "no-such-move"}]}
    check = check_routine_data(data, catalogue, "x")
    assert [p.field for p in check.problems] == ["steps[1].exercise"]
    assert "No exercise called 'no-such-move'" in check.problems[0].message
