"""One safety adaptation for every front end, and a played step is always safe (issue #9, 1-2).

The contract: for every condition (each alone, every pair and triple, and all at once), every
built-in routine and every exercise on its own, no step the Coach's adaptation plays carries an
active contraindication tag, and each step it changed is named with a reason. The catalogue data
is checked against its own cautions: a caution telling someone with a condition to skip a move,
or to use another one instead, needs the matching tag, or the adaptation cannot act on it.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from deskstretch.catalogue.loader import LoadedRoutine
from deskstretch.coach import Coach
from deskstretch.config import Settings, save_screening
from deskstretch.core.models import Routine, Step
from deskstretch.core.painrules import easier_routine
from deskstretch.core.safety import (
    CONDITION_QUESTIONS,
    CONTRAINDICATION_TAGS,
    RED_FLAG_QUESTIONS,
    SCREENING_VERSION,
    Change,
    Screening,
    blocking_tags,
)
from helpers.support import Dirs

CONDITION_IDS = tuple(q.id for q in CONDITION_QUESTIONS)
TAGS_BY_CONDITION = {q.id: frozenset(q.tags) for q in CONDITION_QUESTIONS}


def _coach() -> Coach:
    return Coach(Settings.from_env())


def _screen(conditions: tuple[str, ...]) -> Coach:
    """A Coach for someone who answered yes to ``conditions`` (with clearance confirmed)."""
    settings = Settings.from_env()
    save_screening(
        settings,
        Screening(
            red_flags={q.id: False for q in RED_FLAG_QUESTIONS},
            red_flags_cleared=frozenset(),
            conditions={q.id: q.id in conditions for q in CONDITION_QUESTIONS},
            clearance_confirmed=True,
            completed_at="2026-01-05T09:00:00+00:00",
            version=SCREENING_VERSION,
        ),
    )
    return Coach(settings)


def _one_step(coach: Coach, exercise_id: str) -> Routine:
    exercise = coach.catalogue.exercises[exercise_id]
    step = Step(exercise=exercise, dose=exercise.dose, side_order=exercise.side_order)
    return Routine(id=f"only-{exercise_id}", name=exercise.name, summary="", steps=(step,))


def _all_routines(coach: Coach) -> list[Routine]:
    built_in = [r for r in coach.routines() if r.origin == "built-in"]
    assert len(built_in) >= 4
    return built_in + [_one_step(coach, ex_id) for ex_id in coach.catalogue.exercises]


def _tags(conditions: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(TAGS_BY_CONDITION[c] for c in conditions))


def _assert_safe(
    routine: Routine, played: Routine, changes: tuple[Change, ...], tags: frozenset[str]
) -> None:
    for step in played.steps:
        assert not blocking_tags(step.exercise, tags), (routine.id, step.exercise.id, sorted(tags))
        assert not step.exercise.replaced_by, (routine.id, step.exercise.id)
    changed = {change.exercise.id for change in changes}
    for step in routine.steps:
        if blocking_tags(step.exercise, tags):
            assert step.exercise.id in changed, (routine.id, step.exercise.id, sorted(tags))


def _combinations() -> list[tuple[str, ...]]:
    chosen: list[tuple[str, ...]] = []
    for size in (1, 2, 3):
        chosen += list(itertools.combinations(CONDITION_IDS, size))
    return [*chosen, CONDITION_IDS]


def test_conditions_cover_every_contraindication_tag() -> None:
    assert frozenset().union(*TAGS_BY_CONDITION.values()) == CONTRAINDICATION_TAGS


def test_no_adapted_step_carries_an_active_contraindication(dirs: Dirs) -> None:
    """Every combination of up to three conditions, and all of them, over every routine and
    every exercise; also after the pain rules make the routine easier (what plan() plays then)."""
    coach = _coach()
    routines = _all_routines(coach)
    for conditions in _combinations():
        tags = _tags(conditions)
        for routine in routines:
            adaptation = coach.adapt(routine, tags)
            _assert_safe(routine, adaptation.routine, adaptation.changes, tags)
            easier = easier_routine(adaptation.routine, coach.catalogue.exercises, tags)
            for step in easier.routine.steps:
                assert not blocking_tags(step.exercise, tags), (routine.id, step.exercise.id)


@pytest.mark.parametrize(
    "conditions", [(c,) for c in CONDITION_IDS] + [CONDITION_IDS], ids=[*CONDITION_IDS, "all"]
)
def test_played_plan_follows_the_screening_answers(dirs: Dirs, conditions: tuple[str, ...]) -> None:
    """Through the stored answers, as start, the player and routine show see them."""
    coach = _screen(conditions)
    tags = _tags(conditions)
    assert coach.active_tags() == tags
    for routine in _all_routines(coach):
        preview = coach.preview(LoadedRoutine(routine, ()))
        _assert_safe(routine, preview.plan.routine, preview.plan.changes, tags)
        if preview.plan.routine.steps:
            plan = coach.plan(LoadedRoutine(routine, ()))
            assert plan.routine == preview.plan.routine
            assert not preview.locked


def _played_ids(coach: Coach, routine_id: str, tags: frozenset[str]) -> list[str]:
    routine = coach.routine_set.routines[routine_id]
    return [step.exercise.code for step in coach.adapt(routine, tags).routine.steps]


def test_balance_problems_leave_out_the_heel_on_chair_stretch(dirs: Dirs) -> None:
    coach = _coach()
    for routine_id in ("lower-back-desk-4", "standing-5min"):
        played = _played_ids(coach, routine_id, frozenset({"balance"}))
        assert "S02" not in played and "S05" not in played, (routine_id, played)


def test_posterior_hip_replacement_gets_no_leg_crossing_twist_or_deep_hinge(dirs: Dirs) -> None:
    coach = _coach()
    tags = frozenset({"hip-replacement-posterior"})
    for routine_id in coach.routine_set.routines:
        played = _played_ids(coach, routine_id, tags)
        # Domain §3.4: no hip flexion past 90°, no leg crossing, no turning the leg in.
        assert not {"S01", "S02", "S03", "S06", "S07", "S08", "S09"} & set(played), played
    twist = coach.catalogue.exercises["seated-spinal-twist"]
    assert "hip-replacement-posterior" in twist.contraindications


@pytest.mark.parametrize("condition", ["pregnancy", "recent-spinal-surgery"])
def test_knee_to_chest_is_not_offered_in_pregnancy_or_after_spinal_surgery(
    dirs: Dirs, condition: str
) -> None:
    coach = _coach()
    played = _played_ids(coach, "lower-back-desk-4", TAGS_BY_CONDITION[condition])
    assert "S06" not in played and "S07" not in played, played


def test_a_step_with_no_safe_stand_in_is_dropped_and_said(dirs: Dirs) -> None:
    coach = _coach()
    routine = coach.routine_set.routines["lower-back-desk-4"]
    adaptation = coach.adapt(routine, frozenset({"hip-replacement-posterior"}))
    dropped = [c for c in adaptation.changes if c.replacement is None]
    assert [c.exercise.code for c in dropped] == ["S02"], adaptation.changes
    assert "nothing takes its place" in dropped[0].reason
    assert "because you told us about your hip replacement" in dropped[0].reason


# A caution that tells a person with a condition to skip a move (or to use another one) is a
# contraindication in words; the tag makes the adaptation act on it.
_CAUTION_CONDITIONS = {
    "osteoporosis": r"osteoporosis",
    "hip-replacement-posterior": r"back of the hip|posterior",
    "hip-replacement-anterior": r"front of the hip|anterior",
    "balance": r"balance",
    "pregnancy": r"pregnan",
    "recent-spinal-surgery": r"spinal surgery",
    "recent-hamstring-injury": r"strained a hamstring",
    "abdominal-surgery-or-hernia": r"hernia|abdominal surgery",
    "glaucoma": r"glaucoma",
}
_LEAVE_OUT = re.compile(r"\bskip\b|\bdo not do\b|\binstead\b|leave this one out", re.IGNORECASE)


def test_cautions_that_say_skip_have_the_matching_tag(dirs: Dirs) -> None:
    coach = _coach()
    missing = []
    for exercise in coach.catalogue.exercises.values():
        for caution in exercise.cautions:
            if not _LEAVE_OUT.search(caution):
                continue
            for tag, pattern in _CAUTION_CONDITIONS.items():
                if (
                    re.search(pattern, caution, re.IGNORECASE)
                    and tag not in exercise.contraindications
                ):
                    missing.append((exercise.code, tag, caution))
    assert not missing, missing


def test_setup_and_cues_never_cross_the_legs_for_a_posterior_hip(dirs: Dirs) -> None:
    coach = _coach()
    for exercise in coach.catalogue.exercises.values():
        text = " ".join((exercise.setup, *exercise.cues))
        if re.search(r"\bcross", text, re.IGNORECASE):
            assert "hip-replacement-posterior" in exercise.contraindications, exercise.code


def test_safety_doc_lists_the_moves_each_condition_hides(dirs: Dirs) -> None:
    """docs/safety.md's condition table says exactly which moves each tag hides."""
    doc = (Path(__file__).parents[1] / "docs" / "safety.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\|[^|]*\(`([a-z-]+)`\) \| ([S\d, ]+) \|", doc, re.MULTILINE))
    coach = _coach()
    for tag in sorted(CONTRAINDICATION_TAGS):
        hidden = {
            ex.code for ex in coach.catalogue.exercises.values() if tag in ex.contraindications
        }
        assert tag in rows, tag
        assert set(rows[tag].replace(" ", "").split(",")) == hidden, (tag, rows[tag], hidden)
