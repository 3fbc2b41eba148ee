"""Safety: red-flag and condition screening, the verdict, and adapting routines to conditions."""

from __future__ import annotations

import dataclasses

import pytest

from deskstretch.core.models import Dose, Exercise, Position, Routine, SideOrder, Step
from deskstretch.core.safety import (
    CAUDA_EQUINA_IDS,
    CONDITION_QUESTIONS,
    CONDITIONS_BY_ID,
    CONTRAINDICATION_TAGS,
    RED_FLAG_QUESTIONS,
    RED_FLAGS_BY_ID,
    SCREENING_VERSION,
    TAG_LABELS,
    TAG_REASONS,
    RedFlagGroup,
    RedFlagQuestion,
    SafetyStatus,
    Screening,
    Urgency,
    active_red_flags,
    adapt_routine,
    advice_for,
    assess,
    filter_exercises,
    is_allowed,
    most_urgent,
)
from helpers.core_factories import make_exercise, make_routine

SEATED, STANDING = Position.SEATED, Position.STANDING
HOLD_30 = Dose(reps=2, hold_seconds=30)
HOLD_20 = Dose(reps=1, hold_seconds=20)
REPS_10 = Dose(reps=10, rep_seconds=3.0)
PNF = Dose(reps=3, hold_seconds=20, contract_seconds=5)

EMERGENCY_ID = "ces-saddle"
SAME_DAY_ID = "neuro-foot-drop"
URGENT_ID = "infection-fever"
PROMPT_ID = "cancer-weight-loss"
ROUTINE_ID = "inflammatory-stiffness"


# ----- builders -----------------------------------------------------------------------------------


def exercise(
    exercise_id: str,
    *,
    group: str = "hamstrings",
    position: Position = SEATED,
    contraindications: tuple[str, ...] = (),
    easier: tuple[str, ...] = (),
    dose: Dose = HOLD_30,
    side_order: SideOrder = SideOrder.ALTERNATE,
    replaced_by: str = "",
    name: str = "",
) -> Exercise:
    return dataclasses.replace(
        make_exercise(exercise_id, dose=dose, side_order=side_order),
        name=name or f"Exercise {exercise_id}",
        muscle_group=group,
        position=position,
        contraindications=contraindications,
        easier=easier,
        replaced_by=replaced_by,
    )


def catalogue(*exercises: Exercise) -> dict[str, Exercise]:
    return {ex.id: ex for ex in exercises}


def step(ex: Exercise, dose: Dose | None = None, note: str = "") -> Step:
    return Step(exercise=ex, dose=dose or ex.dose, side_order=ex.side_order, note=note)


def routine(*steps: Step, position: Position | None = SEATED) -> Routine:
    return dataclasses.replace(make_routine(*steps), position=position)


def screening(
    *,
    yes_flags: tuple[str, ...] = (),
    yes_conditions: tuple[str, ...] = (),
    cleared: tuple[str, ...] = (),
    clearance_confirmed: bool = False,
    version: int = SCREENING_VERSION,
    unanswered: tuple[str, ...] = (),
) -> Screening:
    """A full screening answering "no" to everything except the ids given."""
    flags = {q.id: q.id in yes_flags for q in RED_FLAG_QUESTIONS if q.id not in unanswered}
    conditions = {
        q.id: q.id in yes_conditions for q in CONDITION_QUESTIONS if q.id not in unanswered
    }
    return Screening(
        red_flags=flags,
        red_flags_cleared=frozenset(cleared),
        conditions=conditions,
        clearance_confirmed=clearance_confirmed,
        completed_at="2026-03-01T09:00:00+00:00",
        version=version,
    )


# ----- urgency ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("more", "less"),
    [
        (Urgency.EMERGENCY, Urgency.SAME_DAY),
        (Urgency.SAME_DAY, Urgency.URGENT),
        (Urgency.URGENT, Urgency.PROMPT),
        (Urgency.PROMPT, Urgency.ROUTINE),
    ],
)
def test_urgency_rank_orders_most_urgent_first(more: Urgency, less: Urgency) -> None:
    assert more.rank < less.rank
    assert most_urgent([less, more]) is more


def test_urgency_most_urgent_of_nothing_is_none() -> None:
    assert most_urgent([]) is None


# ----- the questions ------------------------------------------------------------------------------


def test_red_flag_questions_are_declared_most_urgent_first() -> None:
    ranks = [q.urgency.rank for q in RED_FLAG_QUESTIONS]
    assert ranks == sorted(ranks)
    assert RED_FLAG_QUESTIONS[0].urgency is Urgency.EMERGENCY


def test_question_ids_are_unique() -> None:
    assert len(RED_FLAGS_BY_ID) == len(RED_FLAG_QUESTIONS)
    assert len(CONDITIONS_BY_ID) == len(CONDITION_QUESTIONS)


@pytest.mark.parametrize(
    ("group", "urgency", "clearable"),
    [
        (RedFlagGroup.CAUDA_EQUINA, Urgency.EMERGENCY, False),
        (RedFlagGroup.NEURO_DEFICIT, Urgency.SAME_DAY, False),
        (RedFlagGroup.FRACTURE, Urgency.URGENT, True),
        (RedFlagGroup.INFECTION, Urgency.URGENT, True),
        (RedFlagGroup.INFLAMMATORY, Urgency.ROUTINE, True),
        # domain §3.1 gives "GP review" with no time: within days, not a routine appointment.
        (RedFlagGroup.OTHER, Urgency.PROMPT, True),
    ],
)
def test_red_flag_group_has_its_urgency_and_clearability(
    group: RedFlagGroup, urgency: Urgency, clearable: bool
) -> None:
    questions = [q for q in RED_FLAG_QUESTIONS if q.group is group]
    assert questions
    assert {(q.urgency, q.clearable) for q in questions} == {(urgency, clearable)}


def test_malignancy_flags_are_prompt_except_a_history_of_cancer() -> None:
    questions = {q.id: q for q in RED_FLAG_QUESTIONS if q.group is RedFlagGroup.MALIGNANCY}
    assert all(q.clearable for q in questions.values())
    assert questions.pop("cancer-history").urgency is Urgency.URGENT
    assert {q.urgency for q in questions.values()} == {Urgency.PROMPT}
    assert "cancer-weight-loss" in questions


def test_cancer_history_with_back_pain_means_gp_or_cancer_team_within_24_hours() -> None:
    # NICE NG234: someone with a history of cancer and spinal pain needs contact within 24 hours.
    verdict = assess(screening(yes_flags=("cancer-history",)))
    assert verdict.status is SafetyStatus.RED_FLAG
    assert verdict.urgency is Urgency.URGENT
    assert not verdict.routines_allowed
    assert "within 24 hours" in verdict.advice
    assert "cancer team" in verdict.advice
    assert "GP" in verdict.advice
    assert "few days" not in verdict.advice


def test_weight_loss_alone_stays_within_a_few_days() -> None:
    verdict = assess(screening(yes_flags=("cancer-weight-loss",)))
    assert verdict.urgency is Urgency.PROMPT
    assert "next few days" in verdict.advice
    assert "cancer team" not in verdict.advice


def test_cancer_history_with_weight_loss_takes_the_24_hour_advice() -> None:
    verdict = assess(screening(yes_flags=("cancer-weight-loss", "cancer-history")))
    assert verdict.urgency is Urgency.URGENT
    assert "within 24 hours" in verdict.advice and "cancer team" in verdict.advice
    assert advice_for(Urgency.URGENT) not in verdict.advice  # one clear instruction, not two


def test_cancer_history_with_a_fracture_sign_gives_both_24_hour_instructions() -> None:
    verdict = assess(screening(yes_flags=("cancer-history", "fracture-shape")))
    assert verdict.urgency is Urgency.URGENT
    assert verdict.advice.startswith(advice_for(Urgency.URGENT))
    assert "cancer team" in verdict.advice


def test_cauda_equina_ids_are_the_six_emergency_questions_in_order() -> None:
    assert CAUDA_EQUINA_IDS == (
        "ces-bladder",
        "ces-control",
        "ces-saddle",
        "ces-sexual",
        "ces-both-legs",
        "ces-weak-legs",
    )
    assert all(RED_FLAGS_BY_ID[i].urgency is Urgency.EMERGENCY for i in CAUDA_EQUINA_IDS)


@pytest.mark.parametrize(
    "text",
    [q.text for q in RED_FLAG_QUESTIONS] + [q.text for q in CONDITION_QUESTIONS],
)
def test_question_text_is_one_plain_yes_no_question(text: str) -> None:
    assert text.endswith("?")
    assert text.count("?") == 1
    assert text[0].isupper()
    lowered = text.lower()
    for jargon in ("cauda", "syndrome", "radiculopathy", "malignan", "spondyl", "metasta"):
        assert jargon not in lowered


def test_contraindication_tags_are_exactly_the_agreed_vocabulary() -> None:
    assert (
        frozenset(
            {
                "osteoporosis",
                "hip-replacement-posterior",
                "hip-replacement-anterior",
                "extension-sensitive",
                "leg-symptoms",
                "balance",
                "pregnancy",
                "recent-hamstring-injury",
                "abdominal-surgery-or-hernia",
                "glaucoma",
                "recent-spinal-surgery",
            }
        )
        == CONTRAINDICATION_TAGS
    )


def test_every_tag_has_a_question_a_label_and_a_reason() -> None:
    asked = {tag for q in CONDITION_QUESTIONS for tag in q.tags}
    assert asked == CONTRAINDICATION_TAGS
    assert set(TAG_LABELS) == CONTRAINDICATION_TAGS
    assert set(TAG_REASONS) == CONTRAINDICATION_TAGS
    assert all(reason.startswith("avoids ") for reason in TAG_REASONS.values())


def test_conditions_needing_clearance_are_pregnancy_surgery_and_injuries() -> None:
    needing = {tag for q in CONDITION_QUESTIONS if q.needs_clearance for tag in q.tags}
    assert needing == {
        "pregnancy",
        "recent-spinal-surgery",
        "recent-hamstring-injury",
        "abdominal-surgery-or-hernia",
    }


# ----- screening ----------------------------------------------------------------------------------


def test_screening_all_answered_on_current_version_is_complete() -> None:
    done = screening()
    assert done.is_complete
    assert done.unanswered_ids == ()


@pytest.mark.parametrize("missing", [EMERGENCY_ID, ROUTINE_ID, "glaucoma", "pregnancy"])
def test_screening_with_an_unanswered_question_is_incomplete(missing: str) -> None:
    partial = screening(unanswered=(missing,))
    assert not partial.is_complete
    assert partial.unanswered_ids == (missing,)


@pytest.mark.parametrize("version", [SCREENING_VERSION - 1, SCREENING_VERSION + 1])
def test_screening_on_another_version_is_incomplete(version: int) -> None:
    assert not screening(version=version).is_complete


def test_screening_active_tags_are_the_conditions_answered_yes() -> None:
    answers = screening(yes_conditions=("osteoporosis", "hip-replacement-posterior"))
    assert answers.active_tags == {"osteoporosis", "hip-replacement-posterior"}


def test_screening_active_tags_ignore_unknown_condition_ids() -> None:
    answers = dataclasses.replace(screening(), conditions={"retired-question": True})
    assert answers.active_tags == frozenset()


# ----- assess: statuses and precedence ------------------------------------------------------------


def test_assess_without_screening_is_not_screened_and_blocks_routines() -> None:
    verdict = assess(None)
    assert verdict.status is SafetyStatus.NOT_SCREENED
    assert not verdict.routines_allowed
    assert verdict.advice


def test_assess_all_no_is_ok() -> None:
    verdict = assess(screening())
    assert verdict.status is SafetyStatus.OK
    assert verdict.routines_allowed
    assert verdict.urgency is None
    assert verdict.flagged == ()


@pytest.mark.parametrize("q", RED_FLAG_QUESTIONS, ids=lambda q: q.id)
def test_assess_any_red_flag_yes_is_a_red_flag_with_its_advice(q: RedFlagQuestion) -> None:
    verdict = assess(screening(yes_flags=(q.id,)))
    assert verdict.status is SafetyStatus.RED_FLAG
    assert verdict.urgency is q.urgency
    assert verdict.flagged == (q,)
    assert verdict.advice.startswith(q.advice or advice_for(q.urgency))
    # Any red flag locks routines, whatever its urgency (issue #2).
    assert verdict.routines_allowed is False
    # A clearable flag says how to open routines again once a clinician has seen it; a
    # non-clearable one never suggests that a doctor's visit is enough.
    assert ("say so" in verdict.advice) is q.clearable


def test_assess_red_flag_beats_needs_clearance() -> None:
    verdict = assess(screening(yes_flags=(PROMPT_ID,), yes_conditions=("pregnancy",)))
    assert verdict.status is SafetyStatus.RED_FLAG
    assert verdict.urgency is Urgency.PROMPT
    assert not verdict.routines_allowed


def test_assess_red_flag_beats_confirmed_clearance() -> None:
    verdict = assess(
        screening(yes_flags=(URGENT_ID,), yes_conditions=("pregnancy",), clearance_confirmed=True)
    )
    assert verdict.status is SafetyStatus.RED_FLAG
    assert not verdict.routines_allowed


def test_assess_routine_red_flag_with_pending_clearance_blocks_and_asks_for_clearance() -> None:
    verdict = assess(screening(yes_flags=(ROUTINE_ID,), yes_conditions=("pregnancy",)))
    assert verdict.status is SafetyStatus.RED_FLAG
    assert not verdict.routines_allowed
    assert verdict.advice.startswith(advice_for(Urgency.ROUTINE))
    assert "your pregnancy" in verdict.advice


def test_assess_red_flag_beats_an_outdated_screening() -> None:
    verdict = assess(screening(yes_flags=(EMERGENCY_ID,), version=SCREENING_VERSION - 1))
    assert verdict.status is SafetyStatus.RED_FLAG
    assert verdict.urgency is Urgency.EMERGENCY


def test_assess_routine_red_flag_on_outdated_screening_blocks_routines() -> None:
    verdict = assess(screening(yes_flags=(ROUTINE_ID,), unanswered=("glaucoma",)))
    assert verdict.status is SafetyStatus.RED_FLAG
    assert not verdict.routines_allowed


@pytest.mark.parametrize("flag_id", (*CAUDA_EQUINA_IDS, SAME_DAY_ID, "neuro-weakness"))
def test_assess_non_clearable_flag_cannot_be_cleared(flag_id: str) -> None:
    verdict = assess(screening(yes_flags=(flag_id,), cleared=(flag_id,)))
    assert verdict.status is SafetyStatus.RED_FLAG
    assert [q.id for q in verdict.flagged] == [flag_id]
    assert not verdict.routines_allowed


@pytest.mark.parametrize("flag_id", [URGENT_ID, "fracture-major-injury", PROMPT_ID, ROUTINE_ID])
def test_assess_cleared_clearable_flag_no_longer_counts(flag_id: str) -> None:
    verdict = assess(screening(yes_flags=(flag_id,), cleared=(flag_id,)))
    assert verdict.status is SafetyStatus.OK
    assert verdict.routines_allowed


@pytest.mark.parametrize(
    ("flag_id", "label"),
    [
        ("cancer-history", "having had cancer"),
        ("fracture-major-injury", "pain after a major fall or accident"),
        ("inflammatory-stiffness", "long morning stiffness"),
    ],
)
def test_assess_cleared_flag_says_what_was_cleared(flag_id: str, label: str) -> None:
    verdict = assess(screening(yes_flags=(flag_id,), cleared=(flag_id,)))
    assert verdict.status is SafetyStatus.OK
    assert "raised no warning signs" not in verdict.advice
    assert verdict.advice.startswith(f"No new warning signs. Cleared by a clinician: {label}.")
    assert verdict.cleared == (RED_FLAGS_BY_ID[flag_id],)


def test_assess_all_no_says_no_warning_signs_and_nothing_cleared() -> None:
    verdict = assess(screening(cleared=("cancer-history",)))  # cleared but answered no
    assert verdict.advice.startswith("Your answers raised no warning signs.")
    assert verdict.cleared == ()


def test_every_clearable_flag_has_a_label_for_what_was_cleared() -> None:
    for question in RED_FLAG_QUESTIONS:
        verdict = assess(screening(yes_flags=(question.id,), cleared=(question.id,)))
        if question.clearable:
            assert verdict.cleared == (question,)
            assert question.cleared_label and question.cleared_label in verdict.advice
        else:
            assert verdict.status is SafetyStatus.RED_FLAG


def test_assess_clearing_one_flag_leaves_the_others() -> None:
    verdict = assess(screening(yes_flags=(PROMPT_ID, URGENT_ID), cleared=(URGENT_ID,)))
    assert verdict.urgency is Urgency.PROMPT
    assert [q.id for q in verdict.flagged] == [PROMPT_ID]


def test_assess_most_urgent_flag_chooses_the_advice() -> None:
    verdict = assess(screening(yes_flags=(ROUTINE_ID, PROMPT_ID, EMERGENCY_ID, SAME_DAY_ID)))
    assert verdict.urgency is Urgency.EMERGENCY
    assert verdict.advice == advice_for(Urgency.EMERGENCY)
    assert [q.id for q in verdict.flagged] == [EMERGENCY_ID, SAME_DAY_ID, PROMPT_ID, ROUTINE_ID]


@pytest.mark.parametrize("version", [SCREENING_VERSION - 1, SCREENING_VERSION + 1])
def test_assess_other_version_is_outdated(version: int) -> None:
    verdict = assess(screening(version=version))
    assert verdict.status is SafetyStatus.OUTDATED
    assert not verdict.routines_allowed


@pytest.mark.parametrize("missing", [EMERGENCY_ID, "balance"])
def test_assess_unanswered_question_is_outdated(missing: str) -> None:
    verdict = assess(screening(unanswered=(missing,)))
    assert verdict.status is SafetyStatus.OUTDATED
    assert not verdict.routines_allowed


def test_assess_outdated_beats_needs_clearance() -> None:
    verdict = assess(screening(yes_conditions=("pregnancy",), unanswered=("glaucoma",)))
    assert verdict.status is SafetyStatus.OUTDATED


@pytest.mark.parametrize(
    ("condition", "label"),
    [
        ("pregnancy", "your pregnancy"),
        ("recent-spinal-surgery", "recent surgery on your spine"),
        ("recent-hamstring-injury", "a recent hamstring injury"),
        ("abdominal-surgery-or-hernia", "belly surgery or a hernia"),
    ],
)
def test_assess_condition_needing_clearance_blocks_until_confirmed(
    condition: str, label: str
) -> None:
    waiting = assess(screening(yes_conditions=(condition,)))
    assert waiting.status is SafetyStatus.NEEDS_CLEARANCE
    assert not waiting.routines_allowed
    assert label in waiting.advice
    assert [q.id for q in waiting.needs_clearance_for] == [condition]
    cleared = assess(screening(yes_conditions=(condition,), clearance_confirmed=True))
    assert cleared.status is SafetyStatus.OK
    assert cleared.routines_allowed


def test_assess_condition_without_clearance_need_is_ok() -> None:
    verdict = assess(screening(yes_conditions=("osteoporosis", "balance")))
    assert verdict.status is SafetyStatus.OK


def test_active_red_flags_ignore_no_answers_and_unknown_ids() -> None:
    answers = {EMERGENCY_ID: False, "made-up": True, PROMPT_ID: True}
    assert [q.id for q in active_red_flags(answers, cleared=("made-up",))] == [PROMPT_ID]


# ----- advice text --------------------------------------------------------------------------------


def test_advice_differs_for_every_urgency() -> None:
    assert len({advice_for(u) for u in Urgency}) == len(Urgency)


@pytest.mark.parametrize(
    ("urgency", "must_say"),
    [
        (Urgency.EMERGENCY, ("emergency department now", "999", "911", "112", "Do not wait")),
        (Urgency.SAME_DAY, ("doctor today",)),
        (Urgency.URGENT, ("within 24 hours",)),
        (Urgency.PROMPT, ("next few days",)),
        (Urgency.ROUTINE, ("routine appointment",)),
    ],
)
def test_advice_says_where_and_how_soon(urgency: Urgency, must_say: tuple[str, ...]) -> None:
    advice = advice_for(urgency)
    for phrase in must_say:
        assert phrase in advice


@pytest.mark.parametrize("urgency", list(Urgency))
def test_advice_never_names_a_diagnosis(urgency: Urgency) -> None:
    lowered = advice_for(urgency).lower()
    for word in ("you have", "cauda", "syndrome", "cancer", "fracture", "infection"):
        assert word not in lowered


# ----- adapting routines --------------------------------------------------------------------------


def test_is_allowed_and_filter_exercises_use_contraindication_tags() -> None:
    fold = exercise("fold", contraindications=("osteoporosis", "glaucoma"))
    tilt = exercise("tilt")
    assert not is_allowed(fold, frozenset({"glaucoma"}))
    assert is_allowed(fold, frozenset({"balance"}))
    assert list(filter_exercises(catalogue(fold, tilt), frozenset({"osteoporosis"}))) == ["tilt"]


def test_adapt_routine_without_conflicts_changes_nothing() -> None:
    fold = exercise("fold", contraindications=("osteoporosis",))
    original = routine(step(fold))
    adaptation = adapt_routine(original, catalogue(fold), frozenset({"balance"}))
    assert adaptation.changes == ()
    assert adaptation.routine == original


def test_adapt_routine_prefers_the_easier_variant() -> None:
    other = exercise("other")  # same group and position, but not named as easier
    easy = exercise("easy")
    hard = exercise("hard", contraindications=("osteoporosis",), easier=("easy",))
    adaptation = adapt_routine(
        routine(step(hard)), catalogue(other, easy, hard), frozenset({"osteoporosis"})
    )
    assert adaptation.routine.exercise_ids == ("easy",)
    (change,) = adaptation.changes
    assert (change.exercise, change.replacement, change.tags) == (hard, easy, ("osteoporosis",))


def test_adapt_routine_skips_contraindicated_easier_then_prefers_same_position() -> None:
    easy = exercise("easy", contraindications=("osteoporosis",))
    standing = exercise("standing", position=STANDING)
    seated = exercise("seated")
    elsewhere = exercise("elsewhere", group="hips")
    hard = exercise("hard", contraindications=("osteoporosis",), easier=("easy",))
    exercises = catalogue(elsewhere, standing, easy, seated, hard)
    adaptation = adapt_routine(routine(step(hard)), exercises, frozenset({"osteoporosis"}))
    assert adaptation.routine.exercise_ids == ("seated",)
    assert adaptation.routine.position is SEATED


def test_adapt_routine_falls_back_to_same_group_any_position() -> None:
    standing = exercise("standing", position=STANDING)
    elsewhere = exercise("elsewhere", group="hips")
    fold = exercise("fold", contraindications=("glaucoma",))
    adaptation = adapt_routine(
        routine(step(fold)), catalogue(elsewhere, fold, standing), frozenset({"glaucoma"})
    )
    assert adaptation.routine.exercise_ids == ("standing",)
    assert adaptation.routine.position is None  # now a mixed routine, no longer "seated"


def test_adapt_routine_never_adds_an_exercise_already_in_the_routine() -> None:
    tilt = exercise("tilt")
    easy = exercise("easy")
    fold = exercise("fold", contraindications=("glaucoma",), easier=("tilt", "easy"))
    original = routine(step(tilt), step(fold))
    adaptation = adapt_routine(original, catalogue(tilt, easy, fold), frozenset({"glaucoma"}))
    assert adaptation.routine.exercise_ids == ("tilt", "easy")


def test_adapt_routine_two_swaps_do_not_pick_the_same_stand_in() -> None:
    easy = exercise("easy")
    spare = exercise("spare")
    one = exercise("one", contraindications=("balance",), easier=("easy",))
    two = exercise("two", contraindications=("balance",), easier=("easy",))
    adaptation = adapt_routine(
        routine(step(one), step(two)), catalogue(easy, spare, one, two), frozenset({"balance"})
    )
    assert adaptation.routine.exercise_ids == ("easy", "spare")


def test_adapt_routine_repeated_exercise_gets_one_stand_in_and_one_change() -> None:
    easy = exercise("easy")
    hinge = exercise("hinge", contraindications=("hip-replacement-posterior",), easier=("easy",))
    original = routine(step(hinge), step(hinge, note="second round"))
    adaptation = adapt_routine(
        original, catalogue(easy, hinge), frozenset({"hip-replacement-posterior"})
    )
    assert adaptation.routine.exercise_ids == ("easy", "easy")
    assert len(adaptation.changes) == 1


def test_adapt_routine_skips_retired_candidates() -> None:
    old = exercise("old", replaced_by="new")
    fold = exercise("fold", contraindications=("glaucoma",), easier=("old",))
    adaptation = adapt_routine(routine(step(fold)), catalogue(old, fold), frozenset({"glaucoma"}))
    assert adaptation.routine.exercise_ids == ()
    assert adaptation.changes[0].replacement is None


def test_adapt_routine_drops_the_step_when_nothing_fits() -> None:
    tilt = exercise("tilt", group="back")
    fold = exercise("fold", contraindications=("osteoporosis",), name="Seated forward fold")
    alike = exercise("alike", contraindications=("osteoporosis",))
    adaptation = adapt_routine(
        routine(step(tilt), step(fold)), catalogue(tilt, fold, alike), frozenset({"osteoporosis"})
    )
    assert adaptation.routine.exercise_ids == ("tilt",)
    (change,) = adaptation.changes
    assert change.replacement is None
    assert change.reason == (
        "Seated forward fold is left out because you told us about osteoporosis or fragile bones:"
        " this avoids deep forward bending and twisting of the spine. No other move is safe for"
        " everything you told us about, so nothing takes its place."
    )


def test_adapt_routine_checks_a_stand_in_against_every_active_tag() -> None:
    fold = exercise("fold", contraindications=("osteoporosis",), easier=("knee",))
    knee = exercise("knee", contraindications=("pregnancy",))
    tilt = exercise("tilt")
    exercises = catalogue(fold, knee, tilt)
    only_bones = adapt_routine(routine(step(fold)), exercises, frozenset({"osteoporosis"}))
    assert only_bones.routine.exercise_ids == ("knee",)
    both = adapt_routine(routine(step(fold)), exercises, frozenset({"osteoporosis", "pregnancy"}))
    assert both.routine.exercise_ids == ("tilt",)


def test_adapt_routine_may_return_an_empty_routine() -> None:
    fold = exercise("fold", contraindications=("glaucoma",))
    original = routine(step(fold))
    adaptation = adapt_routine(original, catalogue(fold), frozenset({"glaucoma"}))
    assert adaptation.routine.steps == ()
    assert (adaptation.routine.id, adaptation.routine.name) == (original.id, original.name)


@pytest.mark.parametrize(
    ("step_dose", "candidate_dose", "expected"),
    [
        (HOLD_20, HOLD_30, HOLD_20),  # both timed holds: the routine's dose stays
        (REPS_10, Dose(reps=8, rep_seconds=4.0), REPS_10),  # both rep-based: stays
        (HOLD_20, REPS_10, REPS_10),  # hold -> reps: the stand-in's own dose
        (REPS_10, HOLD_30, HOLD_30),  # reps -> hold: the stand-in's own dose
        (PNF, HOLD_30, HOLD_30),  # contract-relax -> plain hold: no stray contractions
        (HOLD_20, PNF, PNF),  # plain hold -> contract-relax: keep the contractions
    ],
)
def test_adapt_routine_keeps_the_dose_only_when_its_kind_matches(
    step_dose: Dose, candidate_dose: Dose, expected: Dose
) -> None:
    easy = exercise("easy", dose=candidate_dose, side_order=SideOrder.BLOCKED)
    hard = exercise("hard", contraindications=("balance",), easier=("easy",), dose=step_dose)
    adaptation = adapt_routine(
        routine(step(hard, step_dose, note="old note")),
        catalogue(easy, hard),
        frozenset({"balance"}),
    )
    (swapped,) = adaptation.routine.steps
    assert swapped.dose == expected
    assert swapped.side_order is SideOrder.BLOCKED
    assert swapped.note == ""


def test_adapt_routine_swap_reason_names_both_exercises_and_the_condition() -> None:
    tilt = exercise("tilt", name="Seated pelvic tilts")
    fold = exercise(
        "fold", contraindications=("osteoporosis",), easier=("tilt",), name="Seated forward fold"
    )
    adaptation = adapt_routine(
        routine(step(fold)), catalogue(tilt, fold), frozenset({"osteoporosis"})
    )
    assert adaptation.changes[0].reason == (
        "Seated forward fold is swapped for Seated pelvic tilts because you told us about"
        " osteoporosis or fragile bones: this avoids deep forward bending and twisting of the"
        " spine."
    )


@pytest.mark.parametrize("tag", sorted(CONTRAINDICATION_TAGS))
def test_adapt_routine_reason_explains_each_tag(tag: str) -> None:
    move = exercise("move", contraindications=(tag,), name="Test move")
    (change,) = adapt_routine(routine(step(move)), catalogue(move), frozenset({tag})).changes
    assert change.reason.startswith("Test move is left out because you told us about ")
    assert TAG_LABELS[tag] in change.reason
    assert TAG_REASONS[tag] in change.reason
    assert change.reason.endswith(".")


def test_adapt_routine_reason_lists_every_matching_tag() -> None:
    fold = exercise("fold", contraindications=("osteoporosis", "pregnancy", "glaucoma"))
    (change,) = adapt_routine(
        routine(step(fold)), catalogue(fold), frozenset({"osteoporosis", "glaucoma"})
    ).changes
    assert change.tags == ("osteoporosis", "glaucoma")
    assert "osteoporosis or fragile bones and glaucoma:" in change.reason
    assert TAG_REASONS["pregnancy"] not in change.reason
    assert TAG_REASONS["glaucoma"] in change.reason
