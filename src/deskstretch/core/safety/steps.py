"""The safety questions in short grouped steps, for the first run (browser and terminal alike).

Each step is one checklist of short labels: "none of these", or tick what applies. Only ticked
items are then asked in full (the question's own wording), with the same answers as the
item-by-item screen: "yes", "yes, and a doctor has checked it" for a clearable red flag, or "no"
when an item was ticked by mistake. The steps hold every red-flag and condition question exactly
once, so the answers they give are the same answers, judged by the same ``assess``.

Pure data and rules: standard library only, no I/O, no clock reads.
"""

# ruff: noqa: E501  (the checklist lines read best one per line, as they are shown)

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from deskstretch.core.safety.questions import (
    CONDITION_QUESTIONS,
    CONDITIONS_BY_ID,
    RED_FLAG_QUESTIONS,
    RED_FLAGS_BY_ID,
    SCREENING_VERSION,
)
from deskstretch.core.safety.verdict import Screening


class Answer(StrEnum):
    """One question's answer, as the item-by-item screen stores it."""

    NO = "no"
    YES = "yes"
    CLEARED = "cleared"  # yes, and a clinician has checked it (clearable red flags only)


class ItemKind(StrEnum):
    RED_FLAG = "red-flag"
    CONDITION = "condition"


@dataclass(frozen=True)
class StepItem:
    """A question as a checklist line: ``label`` is short; ``text`` the full question."""

    id: str
    kind: ItemKind
    label: str

    @property
    def text(self) -> str:
        if self.kind is ItemKind.RED_FLAG:
            return RED_FLAGS_BY_ID[self.id].text
        return CONDITIONS_BY_ID[self.id].text

    @property
    def clearable(self) -> bool:
        return self.kind is ItemKind.RED_FLAG and RED_FLAGS_BY_ID[self.id].clearable

    @property
    def stops(self) -> bool:
        """A "yes" here stops the questions at once: its advice matters more than the rest."""
        return self.kind is ItemKind.RED_FLAG and not RED_FLAGS_BY_ID[self.id].clearable

    @property
    def answers(self) -> tuple[Answer, ...]:
        """The answers offered when the item is asked in full, in the order shown."""
        if self.clearable:
            return (Answer.YES, Answer.CLEARED, Answer.NO)
        return (Answer.YES, Answer.NO)


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    lead: str
    items: tuple[StepItem, ...]


def _flag(question_id: str, label: str) -> StepItem:
    return StepItem(question_id, ItemKind.RED_FLAG, label)


def _condition(question_id: str, label: str) -> StepItem:
    return StepItem(question_id, ItemKind.CONDITION, label)


_RECENT = "In the last few weeks, have you had any of these?"

# The labels are ours, each a short form of its question (questions.py holds the full wording
# and the sources). Most urgent first, so that an emergency is met on the first screen.
STEPS: tuple[Step, ...] = (
    Step(
        "bladder-bowel",
        "Bladder, bowels and the saddle area",
        _RECENT,
        (
            _flag("ces-bladder", "New trouble starting to pass urine, or it feels different"),
            _flag("ces-control", "Leaking urine or stool, or losing bladder or bowel control"),
            _flag("ces-saddle", "Numbness or tingling around your back passage, genitals or inner buttocks"),
            _flag("ces-sexual", "A new change in sexual function or in feeling in your genitals"),
        ),
    ),
    Step(
        "legs-nerves",
        "Legs and nerves",
        _RECENT,
        (
            _flag("ces-both-legs", "Pain, tingling or numbness in both legs, or leg symptoms spreading or getting worse"),
            _flag("ces-weak-legs", "Both legs feel weak"),
            _flag("neuro-weakness", "One leg or foot getting weaker"),
            _flag("neuro-foot-drop", "A foot that catches or slaps down when you walk"),
            _flag("neuro-numbness", "Numbness in a leg or foot spreading to a bigger area"),
            _flag("neuro-walking", "New trouble walking, or feeling unsteady on your feet"),
        ),
    ),
    Step(
        "injury-bones",
        "Injury and bones",
        "Do any of these describe your back pain?",
        (
            _flag("fracture-major-injury", "It started after a major fall or accident"),
            _flag("fracture-minor-injury", "It started after a small fall or strain, and you have thin bones or take steroid tablets long-term"),
            _flag("fracture-sudden-pain", "Sudden, severe pain in the middle of your back that eases when you lie down"),
            _flag("fracture-shape", "A new change in the shape of your back, such as a hump"),
        ),
    ),
    Step(
        "infection-health",
        "Infection and general health",
        "Do any of these apply to you now?",
        (
            _flag("infection-fever", "Fever, chills or shivering, or feeling very unwell, along with the back pain"),
            _flag("infection-risk", "A weakened immune system, injecting drugs, or a recent serious infection or deep wound in your back"),
            _flag("other-widespread", "Numbness, tingling or weakness in many parts of your body, or feeling generally unwell"),
        ),
    ),
    Step(
        "cancer",
        "Cancer",
        "Do any of these apply to you?",
        (
            _flag("cancer-history", "You have had cancer, at any time"),
            _flag("cancer-weight-loss", "You have lost weight recently without trying"),
            _flag("cancer-many-sites", "Pain you cannot explain in several other parts of your body"),
        ),
    ),
    Step(
        "pain-pattern",
        "The pattern of your pain",
        "Do any of these describe your back pain?",
        (
            _flag("cancer-night-pain", "Constant, at night too, with no position that eases it"),
            _flag("cancer-age", "New for you, and it began when you were over 50 or under 20"),
            _flag("cancer-not-improving", "It has gone on for about a month or more without getting any better"),
            _flag("other-upper-back", "It is mainly in your upper or middle back, not your lower back"),
            _flag("inflammatory-stiffness", "Stiff for over half an hour after waking, easing as you move, and it began before you were 45"),
        ),
    ),
    Step(
        "conditions",
        "Your health, to pick safe moves",
        "Do any of these apply to you? They change which moves you are offered.",
        (
            _condition("osteoporosis", "Osteoporosis or low bone density, or a broken bone in your spine"),
            _condition("hip-replacement-posterior", "A hip replacement from the back of the hip, or one where you are not sure how it was done"),
            _condition("hip-replacement-anterior", "A hip replacement from the front of the hip"),
            _condition("extension-sensitive", "Leg pain that gets worse when you lean back or stand for a long time"),
            _condition("leg-symptoms", "Pain, tingling or numbness going down a leg at the moment"),
            _condition("balance", "Balance problems, or a fall in the last year"),
            _condition("pregnancy", "You are pregnant"),
            _condition("recent-spinal-surgery", "An operation on your spine in the last 6 months, or still recovering from one"),
            _condition("recent-hamstring-injury", "A strained or torn hamstring in the last 6 weeks"),
            _condition("abdominal-surgery-or-hernia", "A recent operation on your belly, or a hernia"),
            _condition("glaucoma", "Glaucoma (raised pressure inside the eye)"),
        ),
    ),
)  # fmt: skip

ITEMS_BY_ID: Mapping[str, StepItem] = {item.id: item for step in STEPS for item in step.items}
STEPS_BY_ID: Mapping[str, Step] = {step.id: step for step in STEPS}
CLEARANCE_QUESTION = (
    "Has your doctor, physiotherapist or midwife said gentle stretching is fine for you?"
)


def _check_complete() -> None:
    """Every question exactly once: otherwise the grouped screen would ask something else."""
    listed = [item.id for step in STEPS for item in step.items]
    expected = [q.id for q in RED_FLAG_QUESTIONS] + [q.id for q in CONDITION_QUESTIONS]
    if sorted(listed) != sorted(expected) or len(set(listed)) != len(listed):
        raise AssertionError("safety steps must hold every question exactly once")


_check_complete()


READING_WORDS_PER_MINUTE = 200  # a careful reading pace, below the ~238 of adults (Brysbaert 2019)
SECONDS_PER_STEP = 8  # to take in the heading and press a button


def time_estimate() -> str:
    """An honest estimate from the steps themselves: every word read at a careful pace, plus
    a few seconds a step; each ticked item adds its full question."""
    lines = sum(len(step.items) for step in STEPS)
    words = sum(len(f"{step.title} {step.lead}".split()) for step in STEPS) + sum(
        len(item.label.split()) for step in STEPS for item in step.items
    )
    seconds = words * 60 / READING_WORDS_PER_MINUTE + SECONDS_PER_STEP * len(STEPS)
    low = max(1, math.floor(seconds / 60))
    return (
        f"{len(STEPS)} short checklists, {lines} lines in all: about {low} to {low + 1} minutes"
        " if none apply, a little longer for each one you tick."
    )


class StepError(ValueError):
    """A step's answers are incomplete or not ones it offers; ``field`` names the item."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def step_answers(
    step: Step, ticked: Collection[str], details: Mapping[str, str]
) -> dict[str, Answer]:
    """Every item of ``step`` answered: an unticked item is "no"; a ticked one takes its full
    answer from ``details`` (item id to answer). Raises StepError naming the first problem."""
    unknown = sorted(set(ticked) - {item.id for item in step.items})
    if unknown:
        raise StepError(unknown[0], f"'{unknown[0]}' is not on this checklist")
    answers: dict[str, Answer] = {}
    for item in step.items:
        if item.id not in ticked:
            answers[item.id] = Answer.NO
            continue
        raw = details.get(item.id, "")
        chosen = next((a for a in item.answers if a.value == raw), None)
        if chosen is None:
            raise StepError(item.id, "choose one of the answers")
        answers[item.id] = chosen
    return answers


def stopping_answer(answers: Mapping[str, Answer]) -> str | None:
    """The first item answered "yes" whose advice stops the questions at once, or None."""
    return next(
        (key for key, answer in answers.items() if answer is Answer.YES and ITEMS_BY_ID[key].stops),
        None,
    )


def needs_clearance(answers: Mapping[str, Answer]) -> bool:
    """Whether a "yes" to a condition needs a clinician's okay before the programme."""
    return any(answers.get(q.id) is Answer.YES for q in CONDITION_QUESTIONS if q.needs_clearance)


def screening_from_answers(
    answers: Mapping[str, Answer], clearance: bool, completed_at: str
) -> Screening:
    """The Screening the item-by-item screen would store for the same answers.

    After a stopping answer the rest may be missing, as when the terminal stops at once: the
    red flags answered so far are stored and no conditions.
    """
    red_flags = {
        q.id: answers[q.id] is not Answer.NO for q in RED_FLAG_QUESTIONS if q.id in answers
    }
    cleared = frozenset(key for key, answer in answers.items() if answer is Answer.CLEARED)
    complete = all(q.id in answers for q in CONDITION_QUESTIONS)
    conditions = (
        {q.id: answers[q.id] is Answer.YES for q in CONDITION_QUESTIONS} if complete else {}
    )
    return Screening(
        red_flags=red_flags,
        red_flags_cleared=cleared,
        conditions=conditions,
        clearance_confirmed=clearance and needs_clearance(answers),
        completed_at=completed_at,
        version=SCREENING_VERSION,
    )
