"""The grouped safety steps give the same verdict as the item-by-item screen."""

from __future__ import annotations

import random
from collections.abc import Mapping

import pytest

from deskstretch.core.safety import (
    CONDITION_QUESTIONS,
    RED_FLAG_QUESTIONS,
    SCREENING_VERSION,
    SafetyStatus,
    SafetyVerdict,
    Screening,
    advice_for,
    assess,
)
from deskstretch.core.safety.steps import (
    ITEMS_BY_ID,
    STEPS,
    Answer,
    StepError,
    needs_clearance,
    screening_from_answers,
    step_answers,
    stopping_answer,
    time_estimate,
)

NOW = "2026-12-05T10:00:00+00:00"
ALL_IDS = [q.id for q in RED_FLAG_QUESTIONS] + [q.id for q in CONDITION_QUESTIONS]


def item_by_item(answers: Mapping[str, Answer], clearance: bool) -> Screening:
    """What the item-by-item form stores for the same answers (every question answered)."""
    every = {key: answers.get(key, Answer.NO) for key in ALL_IDS}
    return Screening(
        red_flags={q.id: every[q.id] is not Answer.NO for q in RED_FLAG_QUESTIONS},
        red_flags_cleared=frozenset(k for k, a in every.items() if a is Answer.CLEARED),
        conditions={q.id: every[q.id] is Answer.YES for q in CONDITION_QUESTIONS},
        clearance_confirmed=clearance and needs_clearance(every),
        completed_at=NOW,
        version=SCREENING_VERSION,
    )


def grouped(answers: Mapping[str, Answer], clearance: bool, mistakes: bool = False) -> Screening:
    """Walk the steps as a person would: tick what is "yes" (and, with ``mistakes``, one extra
    item answered "no" in full), answer the ticked ones, stop after a step with a stopping
    answer."""
    rng = random.Random(len(answers))
    given: dict[str, Answer] = {}
    for step in STEPS:
        ticked = {
            item.id for item in step.items if answers.get(item.id, Answer.NO) is not Answer.NO
        }
        details = {key: answers[key].value for key in ticked}
        if mistakes:
            extra = rng.choice(step.items).id
            if extra not in ticked:
                ticked.add(extra)
                details[extra] = Answer.NO.value
        given |= step_answers(step, ticked, details)
        if stopping_answer(given):
            break
    return screening_from_answers(given, clearance, NOW)


def same_verdict(one: SafetyVerdict, other: SafetyVerdict) -> None:
    """``one`` (grouped) and ``other`` (item by item) agree: same status, urgency and lock; a red
    flag's advice for that urgency in both. After a stop, the grouped screen has not asked the
    later steps (as the terminal's item-by-item screen stops at once), so its flags are a subset
    of the ones the full form would list."""
    assert one.status is other.status
    assert one.urgency == other.urgency
    assert one.routines_allowed is other.routines_allowed
    if one.status is SafetyStatus.RED_FLAG and one.urgency is not None:
        for verdict in (one, other):
            pacing = [q for q in verdict.flagged if q.urgency is verdict.urgency]
            assert verdict.urgency is not None
            assert advice_for(verdict.urgency) in verdict.advice or all(q.advice for q in pacing)
        assert {q.id for q in one.flagged} <= {q.id for q in other.flagged}
    else:
        assert one == other


def test_every_question_is_in_exactly_one_step() -> None:
    listed = [item.id for step in STEPS for item in step.items]
    assert len(listed) == len(set(listed)) == len(RED_FLAG_QUESTIONS) + len(CONDITION_QUESTIONS)
    assert set(listed) == set(ALL_IDS)


def test_emergencies_come_first() -> None:
    """A stop after any step never leaves a more urgent stopping flag for a later step."""
    for number, step in enumerate(STEPS):
        stopping = [item for item in step.items if item.stops]
        later = [item for s in STEPS[number + 1 :] for item in s.items if item.stops]
        if stopping:
            worst_here = min(RED_FLAG_BY[i.id].urgency.rank for i in stopping)
            assert all(RED_FLAG_BY[i.id].urgency.rank >= worst_here for i in later)
    assert any(item.stops for item in STEPS[0].items)


RED_FLAG_BY = {q.id: q for q in RED_FLAG_QUESTIONS}


def test_no_answers_is_all_clear_in_both() -> None:
    same_verdict(assess(grouped({}, False)), assess(item_by_item({}, False)))
    assert assess(grouped({}, False)).routines_allowed


@pytest.mark.parametrize("question", RED_FLAG_QUESTIONS, ids=lambda q: q.id)
def test_each_single_red_flag_gives_the_same_verdict(question: object) -> None:
    from deskstretch.core.safety import RedFlagQuestion

    assert isinstance(question, RedFlagQuestion)
    answers = {question.id: Answer.YES}
    same_verdict(assess(grouped(answers, False)), assess(item_by_item(answers, False)))
    assert not assess(grouped(answers, False)).routines_allowed
    if question.clearable:
        cleared = {question.id: Answer.CLEARED}
        verdict = assess(grouped(cleared, False))
        same_verdict(verdict, assess(item_by_item(cleared, False)))
        assert verdict.routines_allowed
        assert [q.id for q in verdict.cleared] == [question.id]


@pytest.mark.parametrize("question", CONDITION_QUESTIONS, ids=lambda q: q.id)
@pytest.mark.parametrize("clearance", [False, True])
def test_each_single_condition_gives_the_same_verdict(question: object, clearance: bool) -> None:
    from deskstretch.core.safety import ConditionQuestion

    assert isinstance(question, ConditionQuestion)
    answers = {question.id: Answer.YES}
    verdict = assess(grouped(answers, clearance))
    same_verdict(verdict, assess(item_by_item(answers, clearance)))
    assert verdict.routines_allowed is (not question.needs_clearance or clearance)


@pytest.mark.parametrize("seed", range(300))
def test_random_combinations_give_the_same_verdict(seed: int) -> None:
    rng = random.Random(seed)
    answers: dict[str, Answer] = {}
    for item_id, item in ITEMS_BY_ID.items():
        if rng.random() < 0.08:
            answers[item_id] = rng.choice(item.answers[:-1])  # yes, or cleared where offered
    clearance = rng.random() < 0.5
    mistakes = rng.random() < 0.5
    same_verdict(
        assess(grouped(answers, clearance, mistakes)), assess(item_by_item(answers, clearance))
    )


def test_a_tick_without_its_full_answer_is_refused() -> None:
    step = STEPS[0]
    with pytest.raises(StepError) as missing:
        step_answers(step, {step.items[1].id}, {})
    assert missing.value.field == step.items[1].id
    with pytest.raises(StepError):
        step_answers(step, {step.items[0].id}, {step.items[0].id: "cleared"})  # not clearable
    with pytest.raises(StepError):
        step_answers(step, {"glaucoma"}, {"glaucoma": "yes"})  # not on this checklist


def test_ticked_by_mistake_is_a_no() -> None:
    step = STEPS[0]
    answers = step_answers(step, {step.items[0].id}, {step.items[0].id: "no"})
    assert set(answers.values()) == {Answer.NO}
    assert stopping_answer(answers) is None


def test_a_stop_stores_the_red_flags_answered_and_no_conditions() -> None:
    answers = step_answers(STEPS[0], {"ces-saddle"}, {"ces-saddle": "yes"})
    assert stopping_answer(answers) == "ces-saddle"
    screening = screening_from_answers(answers, False, NOW)
    assert screening.conditions == {}
    assert screening.red_flags["ces-saddle"] is True
    verdict = assess(screening)
    assert verdict.status is SafetyStatus.RED_FLAG and not verdict.routines_allowed


def test_the_estimate_comes_from_the_steps() -> None:
    text = time_estimate()
    assert f"{len(STEPS)} short checklists" in text
    assert f"{len(ITEMS_BY_ID)} lines" in text
