"""Programme files (issue #11, item 2): the built-in six-week programme, and every rule of the
format giving its precise ``file:line: field: expected`` message, as routine files do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deskstretch.catalogue.loader import (
    Catalogue,
    RoutineSet,
    load_catalogue,
    load_routines,
    package_folder,
)
from deskstretch.catalogue.programmes import (
    load_programme_file,
    load_programmes,
)
from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.errors import FileFormatError, NotFoundError
from deskstretch.core.models import Routine
from deskstretch.core.programme import ProgressionRule
from helpers.support import Dirs, write_file

DOCS = Path(__file__).resolve().parents[2] / "docs" / "programme-format.md"

BASE = """\
id = "test-plan"
name = "Test plan"
weeks = 4
remeasure_weeks = [1, 4]

[progression]
window_days = 7
min_sessions = 3

[[levels]]
number = 1
name = "Start"
aim = "Begin gently."
routines = ["hamstring-2min"]
sessions_per_week = 3
micro_breaks_per_day = 6
min_weeks = 2

[[levels]]
number = 2
name = "Build"
aim = "More days."
routines = ["seated-5min", "standing-5min"]
sessions_per_week = 4
micro_breaks_per_day = 8

[[lessons]]
week = 2
lesson = "pacing-and-flare-ups"

[[sources]]
title = "ACSM 2021"
"""

MY_ROUTINE = """\
id = "my-routine"
name = "My routine"

[[steps]]
exercise = "S01"
reps = 2
hold_seconds = 30
"""


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def routines(catalogue: Catalogue) -> RoutineSet:
    return load_routines(catalogue)


def _edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def _error(tmp_path: Path, routines: RoutineSet, text: str) -> tuple[Path, str]:
    path = write_file(tmp_path / "plan.toml", text)
    with pytest.raises(FileFormatError) as caught:
        load_programme_file(path, routines)
    return path, caught.value.message


def _expect(tmp_path: Path, routines: RoutineSet, text: str, line: int, rest: str) -> None:
    path, message = _error(tmp_path, routines, text)
    assert message == f"{path}:{line}: {rest}"


def _hamstring_seconds_per_leg(routine: Routine) -> float:
    return sum(
        step.dose.work_seconds_per_side()
        for step in routine.steps
        if step.exercise.muscle_group == "hamstrings"
    )


def _core_seconds(routine: Routine) -> float:
    return sum(
        step.dose.work_seconds_per_side()
        for step in routine.steps
        if step.exercise.muscle_group == "core"
    )


# -- the built-in programme --------------------------------------------------------------------


def test_the_built_in_six_week_programme_loads_as_stated(routines: RoutineSet) -> None:
    found = load_programmes(routines)
    programme = found.find("desk-back-6-weeks")
    assert found.is_built_in(programme.id)
    assert found.problems == ()
    assert programme.weeks == 6
    assert [level.number for level in programme.levels] == [1, 2, 3]
    assert sum(level.min_weeks for level in programme.levels) <= programme.weeks
    assert programme.remeasure_weeks == (1, 3, 6)
    assert programme.progression == ProgressionRule(7, 3, 0, 0.0)
    assert programme.sources


def test_the_built_in_programme_gives_each_leg_a_minute_of_hamstrings_every_session(
    routines: RoutineSet,
) -> None:
    """ACSM: about 60 s per muscle per session, on at least 2-3 days a week (domain §1)."""
    programme = load_programmes(routines).find("desk-back-6-weeks")
    for level in programme.levels:
        assert 2 <= level.sessions_per_week <= 7, level
        assert 0 < level.micro_breaks_per_day <= 16, level
        for routine_id in level.routines:
            routine = routines.routines[routine_id]
            assert routine.origin == "built-in"
            assert _hamstring_seconds_per_leg(routine) >= 60, routine_id
            for step in routine.steps:
                if step.dose.is_timed_hold and step.exercise.type.value == "static":
                    assert 10 <= step.dose.hold_seconds <= 30, (routine_id, step.exercise.id)


def test_the_built_in_programme_grows_toward_trunk_work(routines: RoutineSet) -> None:
    """Domain §0: trunk-muscle endurance and control beat stretching alone, so the last level
    does more core work a week than the first, and more sessions."""
    programme = load_programmes(routines).find("desk-back-6-weeks")
    first, last = programme.levels[0], programme.levels[-1]

    def core_per_week(level_routines: tuple[str, ...], sessions: int) -> float:
        per_session = [_core_seconds(routines.routines[r]) for r in level_routines]
        return sum(per_session) / len(per_session) * sessions

    assert core_per_week(last.routines, last.sessions_per_week) > 2 * core_per_week(
        first.routines, first.sessions_per_week
    )
    sessions = [level.sessions_per_week for level in programme.levels]
    assert sessions == sorted(sessions) and sessions[-1] > sessions[0]


def test_the_new_core_routine_works_the_trunk_and_the_hamstrings(routines: RoutineSet) -> None:
    routine = routines.routines["core-and-hamstrings"]
    codes = [step.exercise.code for step in routine.steps]
    assert {"S11", "S12", "S01"} <= set(codes)
    assert _core_seconds(routine) >= 40
    assert _hamstring_seconds_per_leg(routine) >= 60


def test_built_in_text_promises_no_cure() -> None:
    for path in package_folder("programmes").glob("*.toml"):
        text = path.read_text(encoding="utf-8").lower()
        for claim in re.findall(r"[^.]*\b(?:cure|cures|fix|fixes|heal|heals)\b[^.]*", text):
            assert re.search(r"\bnot\b|\bcannot\b|\bnever\b", claim), claim


# -- a file that is right ----------------------------------------------------------------------


def test_a_programme_file_loads_into_core_values(tmp_path: Path, routines: RoutineSet) -> None:
    loaded = load_programme_file(write_file(tmp_path / "plan.toml", BASE), routines)
    programme = loaded.programme
    assert loaded.warnings == ()
    assert programme.id == "test-plan"
    assert [level.routines for level in programme.levels] == [
        ("hamstring-2min",),
        ("seated-5min", "standing-5min"),
    ]
    assert programme.levels[0].min_weeks == 2
    assert programme.levels[1].min_weeks == 1
    assert programme.progression == ProgressionRule(window_days=7, min_sessions=3)
    assert programme.lessons == ((2, "pacing-and-flare-ups"),)
    assert programme.remeasure_weeks == (1, 4)


def test_defaults_id_from_file_name_and_remeasure_first_and_last_week(
    tmp_path: Path, routines: RoutineSet
) -> None:
    text = _edit('id = "test-plan"\n', "", _edit("remeasure_weeks = [1, 4]\n", ""))
    programme = load_programme_file(write_file(tmp_path / "Later.toml", text), routines).programme
    assert programme.id == "later"
    assert programme.remeasure_weeks == (1, 4)


def test_remeasure_weeks_are_kept_in_order(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit("remeasure_weeks = [1, 4]", "remeasure_weeks = [4, 2, 1]")
    programme = load_programme_file(write_file(tmp_path / "p.toml", text), routines).programme
    assert programme.remeasure_weeks == (1, 2, 4)


def test_one_session_a_week_loads_with_a_warning(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit("sessions_per_week = 3", "sessions_per_week = 1")
    loaded = load_programme_file(write_file(tmp_path / "plan.toml", text), routines)
    assert len(loaded.warnings) == 1
    assert loaded.warnings[0].startswith("plan.toml: level 1 plans 1 session a week")


def test_a_level_may_name_the_persons_own_routine(
    tmp_path: Path, catalogue: Catalogue, routines: RoutineSet
) -> None:
    own = load_routines(catalogue, [write_file(tmp_path / "r" / "mine.toml", MY_ROUTINE).parent])
    text = _edit('routines = ["hamstring-2min"]', 'routines = ["my-routine"]')
    path = write_file(tmp_path / "plan.toml", text)
    assert load_programme_file(path, own).programme.levels[0].routines == ("my-routine",)
    with pytest.raises(FileFormatError):  # without the person's routines it does not exist
        load_programme_file(path, routines)


# -- one test per rule -------------------------------------------------------------------------


def test_unknown_top_level_key_is_refused(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit("weeks = 4\n", "weeks = 4\nweek = 4\n")
    _expect(
        tmp_path,
        routines,
        text,
        4,
        "week: unknown field (check the spelling; see docs/programme-format.md)",
    )


def test_unknown_level_key_is_refused(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit("sessions_per_week = 4", "session_per_week = 4")
    _expect(
        tmp_path,
        routines,
        text,
        _line_of(text, "session_per_week"),
        "levels[1].session_per_week: unknown field (check the spelling; see"
        " docs/programme-format.md)",
    )


def test_unknown_progression_key_is_refused(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit("min_sessions = 3", "min_session = 3")
    _expect(
        tmp_path,
        routines,
        text,
        8,
        "progression.min_session: unknown field (check the spelling; see docs/programme-format.md)",
    )


def test_id_must_be_a_slug(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit('id = "test-plan"', 'id = "Test Plan"')
    _expect(
        tmp_path,
        routines,
        text,
        1,
        "id: expected lowercase letters, digits and dashes, got 'Test Plan'",
    )


def test_id_has_at_most_64_characters(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit('id = "test-plan"', f'id = "{"a" * 65}"')
    _expect(tmp_path, routines, text, 1, "id: expected at most 64 characters, got 65")


def test_name_is_required(tmp_path: Path, routines: RoutineSet) -> None:
    path, message = _error(tmp_path, routines, _edit('name = "Test plan"\n', ""))
    assert message == f"{path}: name: required field is missing"


def test_weeks_must_be_a_whole_number(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit("weeks = 4", 'weeks = "four"')
    _expect(tmp_path, routines, text, 3, "weeks: expected a whole number, got 'four'")


def test_a_level_routine_must_exist(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit('["seated-5min", "standing-5min"]', '["seated-5min", "standing-5mins"]')
    _expect(
        tmp_path,
        routines,
        text,
        23,
        "levels[1].routines[1]: No routine called 'standing-5mins'. Did you mean 'standing-5min'?",
    )


def test_a_level_routine_is_an_id(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit('["hamstring-2min"]', '["Quick hamstring stretch"]')
    _expect(
        tmp_path,
        routines,
        text,
        14,
        "levels[0].routines[0]: expected lowercase letters, digits and dashes, got"
        " 'Quick hamstring stretch'",
    )


def test_a_level_has_at_least_one_routine(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit('["hamstring-2min"]', "[]")
    _expect(tmp_path, routines, text, 14, "levels[0].routines: expected at least 1 item(s)")


def test_there_is_at_least_one_level(tmp_path: Path, routines: RoutineSet) -> None:
    without = re.sub(r"\[\[levels\]\]\n(?:.+\n)+\n", "", BASE)
    assert "[[levels]]" not in without
    text = _edit("weeks = 4\n", "weeks = 4\nlevels = []\n", without)
    _expect(
        tmp_path, routines, text, _line_of(text, "levels ="), "levels: expected at least 1 item(s)"
    )


def test_levels_are_numbered_in_order(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit("number = 2", "number = 3")
    _expect(
        tmp_path,
        routines,
        text,
        20,
        "levels[1].number: expected 2, got 3 (levels are numbered from 1 in the order they are"
        " written)",
    )


@pytest.mark.parametrize(("value", "expected"), [(0, "at least 1"), (8, "at most 7")])
def test_sessions_per_week_is_1_to_7(
    tmp_path: Path, routines: RoutineSet, value: int, expected: str
) -> None:
    text = _edit("sessions_per_week = 3", f"sessions_per_week = {value}")
    _expect(
        tmp_path,
        routines,
        text,
        15,
        f"levels[0].sessions_per_week: expected {expected}, got {value}",
    )


@pytest.mark.parametrize(("value", "expected"), [(-1, "at least 0"), (17, "at most 16")])
def test_micro_breaks_per_day_is_0_to_16(
    tmp_path: Path, routines: RoutineSet, value: int, expected: str
) -> None:
    text = _edit("micro_breaks_per_day = 8", f"micro_breaks_per_day = {value}")
    _expect(
        tmp_path,
        routines,
        text,
        25,
        f"levels[1].micro_breaks_per_day: expected {expected}, got {value}",
    )


def test_min_weeks_is_at_least_one(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit("min_weeks = 2", "min_weeks = 0")
    _expect(tmp_path, routines, text, 17, "levels[0].min_weeks: expected at least 1, got 0")


def test_min_weeks_add_up_to_no_more_than_weeks(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit("micro_breaks_per_day = 8\n", "micro_breaks_per_day = 8\nmin_weeks = 3\n")
    _expect(
        tmp_path,
        routines,
        text,
        3,
        "weeks: expected at least 5, got 4 (the levels' min_weeks add up to 5)",
    )


def test_remeasure_weeks_are_within_the_programme(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit("remeasure_weeks = [1, 4]", "remeasure_weeks = [1, 5]")
    _expect(
        tmp_path,
        routines,
        text,
        4,
        "remeasure_weeks[1]: expected a week from 1 to 4 (the programme lasts 4 weeks), got 5",
    )


def test_remeasure_weeks_start_at_week_one(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit("remeasure_weeks = [1, 4]", "remeasure_weeks = [0, 4]")
    _expect(tmp_path, routines, text, 4, "remeasure_weeks[0]: expected at least 1, got 0")


def test_a_remeasure_week_is_listed_once(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit("remeasure_weeks = [1, 4]", "remeasure_weeks = [1, 4, 4]")
    _expect(tmp_path, routines, text, 4, "remeasure_weeks[2]: week 4 is listed twice")


def test_lesson_weeks_are_within_the_programme(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit("week = 2", "week = 6")
    _expect(
        tmp_path,
        routines,
        text,
        28,
        "lessons[0].week: expected a week from 1 to 4 (the programme lasts 4 weeks), got 6",
    )


def test_lesson_ids_are_slugs(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit('lesson = "pacing-and-flare-ups"', 'lesson = "Pacing!"')
    _expect(
        tmp_path,
        routines,
        text,
        29,
        "lessons[0].lesson: expected lowercase letters, digits and dashes, got 'Pacing!'",
    )


def test_sources_are_required(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit('[[sources]]\ntitle = "ACSM 2021"\n', "")
    path, message = _error(tmp_path, routines, text)
    assert message == f"{path}: sources: required field is missing"


def test_sources_may_not_be_empty(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit(
        '[[sources]]\ntitle = "ACSM 2021"\n', "", _edit("weeks = 4\n", "weeks = 4\nsources = []\n")
    )
    _expect(tmp_path, routines, text, 4, "sources: expected at least 1 item(s)")


def test_a_source_link_is_a_web_address(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit('title = "ACSM 2021"', 'title = "ACSM 2021"\nurl = "javascript:alert(1)"')
    _expect(
        tmp_path,
        routines,
        text,
        33,
        "sources[0].url: expected a web address starting https:// or http://, got"
        " 'javascript:alert(1)'",
    )


def test_progression_window_is_1_to_28_days(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit("window_days = 7", "window_days = 0")
    _expect(tmp_path, routines, text, 7, "progression.window_days: expected at least 1, got 0")


def test_progression_pain_margin_is_a_finite_number(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit("min_sessions = 3", "min_sessions = 3\npain_margin = nan")
    _expect(
        tmp_path, routines, text, 9, "progression.pain_margin: expected a finite number, got nan"
    )


def test_the_first_problem_in_the_file_is_reported(tmp_path: Path, routines: RoutineSet) -> None:
    """Two mistakes (a level out of order on line 20, a re-measure week past the end on line
    4): the one nearer the top is named, as a person reads the file."""
    text = _edit("number = 2", "number = 3", _edit("[1, 4]", "[1, 9]"))
    path, message = _error(tmp_path, routines, text)
    assert message.startswith(f"{path}:4: remeasure_weeks[1]:")


def test_malformed_toml_names_its_line(tmp_path: Path, routines: RoutineSet) -> None:
    path, message = _error(tmp_path, routines, _edit("weeks = 4", "weeks = = 4"))
    assert message.startswith(f"{path}:3:")
    assert "not valid TOML" in message


def test_lesson_ids_must_be_lessons_deskstretch_has(tmp_path: Path, routines: RoutineSet) -> None:
    text = _edit('lesson = "pacing-and-flare-ups"', 'lesson = "pacing-and-flareups"')
    _expect(
        tmp_path,
        routines,
        text,
        _line_of(text, "pacing-and-flareups"),
        "lessons[0].lesson: No lesson called 'pacing-and-flareups'."
        " Did you mean 'pacing-and-flare-ups'?",
    )


# -- the person's own programmes ---------------------------------------------------------------


def test_a_users_programme_loads_beside_the_built_in_one(
    tmp_path: Path, routines: RoutineSet
) -> None:
    path = write_file(tmp_path / "programmes" / "plan.toml", BASE)
    found = load_programmes(routines, [path.parent, tmp_path / "missing"])
    assert set(found.programmes) == {"desk-back-6-weeks", "test-plan"}
    assert found.origins["test-plan"] == str(path)
    assert not found.is_built_in("test-plan")
    assert found.problems == ()


def test_a_users_programme_with_a_built_in_id_is_skipped(
    tmp_path: Path, routines: RoutineSet
) -> None:
    folder = tmp_path / "programmes"
    write_file(folder / "clash.toml", _edit('id = "test-plan"', 'id = "desk-back-6-weeks"'))
    write_file(folder / "plan.toml", BASE)
    found = load_programmes(routines, [folder])
    assert found.origins["desk-back-6-weeks"] == "built-in"
    assert "test-plan" in found.programmes
    assert found.problems == (
        f"{folder / 'clash.toml'}: id 'desk-back-6-weeks' is already used by a built-in"
        " programme; this file was skipped (give it another id)",
    )


def test_two_users_programmes_with_one_id_keep_the_first(
    tmp_path: Path, routines: RoutineSet
) -> None:
    folder = tmp_path / "programmes"
    write_file(folder / "a.toml", BASE)
    write_file(folder / "b.toml", BASE)
    found = load_programmes(routines, [folder])
    assert found.origins["test-plan"] == str(folder / "a.toml")
    assert len(found.problems) == 1
    assert "b.toml: id 'test-plan' is already used by another programme" in found.problems[0]


def test_a_broken_users_programme_is_skipped_with_its_error(
    tmp_path: Path, routines: RoutineSet
) -> None:
    folder = tmp_path / "programmes"
    write_file(folder / "broken.toml", _edit("sessions_per_week = 3", "sessions_per_week = 9"))
    write_file(folder / "good.toml", _edit('id = "test-plan"', 'id = "good"'))
    found = load_programmes(routines, [folder])
    assert "good" in found.programmes
    assert found.problems == (
        f"{folder / 'broken.toml'}:15: levels[0].sessions_per_week: expected at most 7, got 9",
    )


def test_find_suggests_close_ids(routines: RoutineSet) -> None:
    with pytest.raises(NotFoundError) as caught:
        load_programmes(routines).find("desk-back-6-week")
    assert caught.value.suggestions == ("desk-back-6-weeks",)


def test_the_coach_sees_a_programme_file_added_by_hand(dirs: Dirs) -> None:
    coach = Coach(Settings.from_env())
    assert [p.id for p in coach.programmes()] == ["desk-back-6-weeks"]
    write_file(coach.settings.programmes_dir / "plan.toml", BASE)
    assert [p.id for p in coach.programmes()] == ["desk-back-6-weeks", "test-plan"]
    assert coach.find_programme("test-plan").name == "Test plan"
    assert coach.programme_set.origins["test-plan"].endswith("plan.toml")


def test_the_coach_reloads_programmes_when_a_routine_they_need_appears(dirs: Dirs) -> None:
    coach = Coach(Settings.from_env())
    plan = _edit('["hamstring-2min"]', '["my-routine"]')
    write_file(coach.settings.programmes_dir / "plan.toml", plan)
    assert "test-plan" not in coach.programme_set.programmes
    assert "No routine called 'my-routine'" in coach.programme_set.problems[0]
    write_file(coach.settings.routines_dir / "mine.toml", MY_ROUTINE)
    assert "test-plan" in coach.programme_set.programmes
    loaded = coach.load_programme_file(coach.settings.programmes_dir / "plan.toml")
    assert loaded.programme.levels[0].routines == ("my-routine",)


# -- the documentation -------------------------------------------------------------------------


def _doc_example() -> str:
    page = DOCS.read_text(encoding="utf-8")
    blocks: list[str] = re.findall(r"```toml\n(.*?)```", page, re.DOTALL)
    return next(block for block in blocks if block.startswith("# my-back-plan.toml"))


def test_the_documented_example_is_valid(tmp_path: Path, routines: RoutineSet) -> None:
    path = write_file(tmp_path / "my-back-plan.toml", _doc_example())
    loaded = load_programme_file(path, routines)
    assert loaded.programme.id == "my-back-plan"
    assert f"my-back-plan.toml: OK - '{loaded.programme.name}', 4 weeks, 2 levels" in (
        DOCS.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("number = 2", "number = 3"),
        ('["seated-5min", "standing-5min"', '["seated-5mins", "standing-5min"'),
        ("micro_breaks_per_day = 8\n", "micro_breaks_per_day = 8\nmin_weeks = 3\n"),
        ("remeasure_weeks = [1, 4]", "remeasure_weeks = [1, 6]"),
        ("micro_breaks_per_day = 8", "micro_breaks_per_day = 20"),
        ("sessions_per_week = 3", "session_per_week = 3"),
    ],
)
def test_the_documented_errors_are_what_the_loader_says(
    tmp_path: Path, routines: RoutineSet, old: str, new: str
) -> None:
    path = write_file(tmp_path / "my-back-plan.toml", _edit(old, new, _doc_example()))
    with pytest.raises(FileFormatError) as caught:
        load_programme_file(path, routines)
    shown = caught.value.message.replace(str(path), "my-back-plan.toml")
    assert f"deskstretch: error: {shown}\n" in DOCS.read_text(encoding="utf-8")


def test_the_documented_limits_match_the_schema() -> None:
    from deskstretch.catalogue import programme_schema as schema

    page = DOCS.read_text(encoding="utf-8")
    assert f"`sessions_per_week` | yes | 1 to {schema.MAX_SESSIONS_PER_WEEK} |" in page
    assert f"`micro_breaks_per_day` | yes | 0 to {schema.MAX_MICRO_BREAKS_PER_DAY} |" in page
    assert f"`weeks` | yes | 1 to {schema.MAX_WEEKS}," in page
    assert f"`window_days` | 1 to {schema.MAX_WINDOW_DAYS} |" in page
