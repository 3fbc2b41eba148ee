"""Contract tests for the shipped catalogue and routines, and for the loader's error messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskstretch.catalogue.loader import (
    Catalogue,
    load_catalogue,
    load_routine_file,
    load_routines,
    package_folder,
)
from deskstretch.core.errors import FileFormatError, NotFoundError
from deskstretch.core.safety import CONTRAINDICATION_TAGS
from deskstretch.core.timeline import build_timeline

EXPECTED_CODES = [f"S{n:02d}" for n in range(1, 15)]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_catalogue_has_all_fourteen_moves(catalogue: Catalogue) -> None:
    assert sorted(e.code for e in catalogue.exercises.values()) == EXPECTED_CODES


def test_ids_are_unique_slugs_matching_file_names(catalogue: Catalogue) -> None:
    files = sorted(p.stem for p in package_folder("exercises").glob("*.toml"))
    assert sorted(catalogue.exercises) == files
    assert len(set(catalogue.exercises)) == len(files)


def test_variant_ids_resolve(catalogue: Catalogue) -> None:
    for exercise in catalogue.exercises.values():
        for variant in (*exercise.easier, *exercise.harder):
            assert variant in catalogue.exercises, f"{exercise.id} -> {variant}"
            assert variant != exercise.id


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_every_exercise_has_sources_cautions_and_cues(catalogue: Catalogue, code: str) -> None:
    exercise = catalogue.find(code)
    assert exercise.sources and all(s.title for s in exercise.sources)
    assert exercise.cautions and exercise.cues and exercise.mistakes
    assert exercise.setup.strip() and exercise.summary.strip()
    assert set(exercise.contraindications) <= CONTRAINDICATION_TAGS


def test_hamstring_moves_are_first_class(catalogue: Catalogue) -> None:
    hamstring = [e for e in catalogue.exercises.values() if e.muscle_group == "hamstrings"]
    assert {e.code for e in hamstring} >= {"S01", "S02", "S03", "S04"}


def test_find_by_id_code_and_name(catalogue: Catalogue) -> None:
    by_code = catalogue.find("s01")
    assert catalogue.find(by_code.id) is by_code
    assert catalogue.find(by_code.name.upper()) is by_code


def test_find_unknown_suggests_close_names(catalogue: Catalogue) -> None:
    with pytest.raises(NotFoundError) as caught:
        catalogue.find("seated-hamstring-hing")
    assert "seated-hamstring-hinge" in caught.value.suggestions
    assert "Did you mean" in caught.value.message


def test_builtin_routines_last_two_to_five_minutes(catalogue: Catalogue) -> None:
    routines = load_routines(catalogue).routines
    assert {"hamstring-2min", "seated-5min", "standing-5min", "lower-back-desk-4"} <= set(routines)
    for routine in routines.values():
        total = build_timeline(routine).total_seconds
        assert 120 <= total <= 300, f"{routine.id} lasts {total} s"


def test_lower_back_routine_is_centred_on_hamstrings(catalogue: Catalogue) -> None:
    routine = load_routines(catalogue).routines["lower-back-desk-4"]
    assert len(routine.steps) == 4
    groups = [step.exercise.muscle_group for step in routine.steps]
    assert groups.count("hamstrings") >= 2
    assert routine.steps[0].exercise.muscle_group == "hamstrings"


def _write(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
name = "Test routine"
get_ready_seconds = 5

[[steps]]
exercise = "S10"
reps = 4

[[steps]]
exercise = "seated-hamstring-hinge"
hold_seconds = {hold}
reps = 2
"""


def test_user_routine_overrides_dose(catalogue: Catalogue, tmp_path: Path) -> None:
    loaded = load_routine_file(_write(tmp_path, GOOD.format(hold=20)), catalogue)
    routine = loaded.routine
    assert routine.id == "mine"
    assert routine.steps[1].dose.hold_seconds == 20
    assert routine.steps[0].dose.reps == 4
    assert routine.steps[0].dose.rep_seconds == catalogue.find("S10").dose.rep_seconds


def test_wrong_type_names_line_and_field(catalogue: Catalogue, tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.format(hold='"thirty"'))
    with pytest.raises(FileFormatError) as caught:
        load_routine_file(path, catalogue)
    assert caught.value.line == 10
    assert caught.value.field == "steps[1].hold_seconds"
    assert caught.value.message.startswith(f"{path}:10: steps[1].hold_seconds: expected a whole")


def test_out_of_range_value_says_the_limit(catalogue: Catalogue, tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.format(hold=500))
    with pytest.raises(FileFormatError, match=r"at most 120, got 500"):
        load_routine_file(path, catalogue)


def test_toml_syntax_error_names_line(catalogue: Catalogue, tmp_path: Path) -> None:
    path = _write(tmp_path, 'name = "x"\n\n[[steps]\nexercise = "S01"\n')
    with pytest.raises(FileFormatError) as caught:
        load_routine_file(path, catalogue)
    assert caught.value.line == 3
    assert "not valid TOML" in caught.value.message


def test_unknown_exercise_in_routine_suggests(catalogue: Catalogue, tmp_path: Path) -> None:
    path = _write(tmp_path, 'name = "x"\n[[steps]]\nexercise = "seated-figure-for"\n')
    with pytest.raises(FileFormatError) as caught:
        load_routine_file(path, catalogue)
    assert caught.value.line == 3
    assert "seated-figure-four" in caught.value.message


def test_unknown_field_is_named(catalogue: Catalogue, tmp_path: Path) -> None:
    path = _write(tmp_path, 'name = "x"\n[[steps]]\nexercise = "S01"\nhold_secs = 20\n')
    with pytest.raises(FileFormatError) as caught:
        load_routine_file(path, catalogue)
    assert caught.value.field == "steps[0].hold_secs"
    assert caught.value.line == 4


def test_missing_steps_is_reported(catalogue: Catalogue, tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="steps: required field is missing"):
        load_routine_file(_write(tmp_path, 'name = "x"\n'), catalogue)


def test_overlong_routine_is_rejected(catalogue: Catalogue, tmp_path: Path) -> None:
    text = 'name = "long"\n' + '[[steps]]\nexercise = "S01"\nreps = 30\nhold_seconds = 120\n'
    with pytest.raises(FileFormatError, match="at most 15:00"):
        load_routine_file(_write(tmp_path, text), catalogue)


def test_broken_exercise_file_names_file_line_and_field(tmp_path: Path) -> None:
    source = package_folder("exercises") / "seated-hamstring-hinge.toml"
    text = source.read_text(encoding="utf-8").replace('position = "seated"', 'position = "lying"')
    folder = tmp_path / "exercises"
    folder.mkdir()
    broken = _write(folder, text, "seated-hamstring-hinge.toml")
    line = text.splitlines().index('position = "lying"') + 1
    with pytest.raises(FileFormatError) as caught:
        load_catalogue(folder)
    assert caught.value.path == str(broken)
    assert caught.value.line == line
    assert caught.value.field == "position"
    assert "'seated' or 'standing'" in caught.value.message


def test_unresolved_variant_is_reported(tmp_path: Path) -> None:
    source = package_folder("exercises") / "seated-hamstring-contract-relax.toml"
    text = source.read_text(encoding="utf-8")
    folder = tmp_path / "exercises"
    folder.mkdir()
    _write(folder, text, source.name)
    with pytest.raises(FileFormatError, match=r"easier\[0\]: no exercise with id"):
        load_catalogue(folder)


def test_user_folder_problems_are_collected_not_fatal(catalogue: Catalogue, tmp_path: Path) -> None:
    _write(tmp_path, GOOD.format(hold=25), "good-one.toml")
    _write(tmp_path, 'name = "bad"\n[[steps]]\nexercise = 5\n', "bad-one.toml")
    routines = load_routines(catalogue, [tmp_path])
    assert "good-one" in routines.routines
    assert "seated-5min" in routines.routines
    assert len(routines.problems) == 1
    assert "bad-one.toml:3" in routines.problems[0]
