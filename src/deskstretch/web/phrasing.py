"""Words and numbers the pages show about exercises, routines and safety verdicts.

Built from ``core`` values only; the templates decide the layout.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from markupsafe import Markup, escape

from deskstretch.core.errors import DeskstretchError
from deskstretch.core.models import Dose, Exercise, Routine, Step
from deskstretch.core.programme_review import Review
from deskstretch.core.safety import (
    TAG_LABELS,
    SafetyStatus,
    SafetyVerdict,
    Urgency,
    blocking_tags,
)
from deskstretch.core.timeline import build_timeline
from deskstretch.core.wording import plural

URGENCY_HEADINGS: Mapping[Urgency, str] = MappingProxyType(
    {
        Urgency.EMERGENCY: "Get emergency help now",
        Urgency.SAME_DAY: "See a doctor today",
        Urgency.URGENT: "See a doctor within 24 hours",
        Urgency.PROMPT: "Book a GP appointment within a few days",
        Urgency.ROUTINE: "Mention this at a routine GP appointment",
    }
)
STATUS_HEADINGS: Mapping[SafetyStatus, str] = MappingProxyType(
    {
        SafetyStatus.NOT_SCREENED: "First, a few safety questions",
        SafetyStatus.OUTDATED: "Please answer the safety questions again",
        SafetyStatus.NEEDS_CLEARANCE: "Check with your clinician first",
        SafetyStatus.OK: "You are all set",
    }
)
_CODE = re.compile(r"`([^`]+)`")


def code_spans(text: str) -> Markup:
    """Escape ``text`` and show its `backticked` command names as <code>."""
    return Markup(_CODE.sub(r"<code>\1</code>", str(escape(text))))


def verdict_heading(verdict: SafetyVerdict) -> str:
    if verdict.urgency is not None:
        return URGENCY_HEADINGS[verdict.urgency]
    return STATUS_HEADINGS.get(verdict.status, "Routines are paused")


def is_urgent(verdict: SafetyVerdict) -> bool:
    """Red flags that need a doctor within 24 hours or sooner get the loudest styling."""
    return verdict.urgency is not None and verdict.urgency.rank <= Urgency.URGENT.rank


def dose_text(dose: Dose, exercise: Exercise) -> str:
    """E.g. '2 x 30 s hold per leg' (with a true times sign) or '6 reps of 5 s'."""
    per = f" per {exercise.side_noun}" if exercise.is_unilateral else ""
    if dose.is_timed_hold:
        press = f" after a {dose.contract_seconds} s press" if dose.contract_seconds else ""
        return f"{dose.reps} × {dose.hold_seconds} s hold{press}{per}"
    return f"{plural(dose.reps, 'rep')} of {dose.rep_seconds:g} s{per}"


def step_text(step: Step) -> str:
    return f"{step.exercise.name}: {dose_text(step.dose, step.exercise)}"


def routine_seconds(routine: Routine) -> float:
    return build_timeline(routine).total_seconds


@functools.cache
def exercise_seconds(exercise: Exercise) -> float:
    """How long the exercise takes at its own dose, on its own (no get-ready time)."""
    alone = Routine(
        id=exercise.id,
        name=exercise.name,
        summary="",
        steps=(Step(exercise, exercise.dose, exercise.side_order),),
        get_ready_seconds=0,
    )
    return routine_seconds(alone)


def left_out_reason(exercise: Exercise, tags: frozenset[str]) -> str:
    """Why this exercise is left out of the person's routines, or '' when it is not."""
    blocked = blocking_tags(exercise, tags)
    if not blocked:
        return ""
    labels = " and ".join(TAG_LABELS.get(tag, tag.replace("-", " ")) for tag in blocked)
    return f"Left out of your routines because you told us about {labels}."


@dataclass(frozen=True)
class Figure:
    svg: Markup
    label: str


def figures_for(exercise: Exercise, size: int = 320) -> tuple[Figure, ...]:
    """The exercise's key poses as inline SVG, each labelled with its phase ("hinge forward"), or
    none while their drawing module is missing."""
    try:
        figures = importlib.import_module("deskstretch.catalogue.illustrations")
    except ImportError:
        return ()
    try:
        count = int(figures.keyframe_count(exercise))
        held = exercise.hold_on % count if count else -1
        return tuple(
            Figure(
                Markup(
                    str(
                        figures.render_svg(
                            exercise,
                            index,
                            width=size,
                            height=size,
                            uid=f"ds-{exercise.id}-{index}",
                        )
                    )
                ),
                f"{index + 1}. {label[:1].upper()}{label[1:]}{' (hold)' if index == held else ''}",
            )
            for index, label in enumerate(exercise.keyframe_labels[:count])
        )
    except DeskstretchError:
        return ()


def figure_hero(exercise: Exercise, size: int = 480) -> Markup:
    """The held pose, large and decorative (the page names it), for the exercise page's animated
    figure to start from; empty without keyframes."""
    from deskstretch.catalogue.illustrations import render_svg

    if not exercise.keyframes:
        return Markup("")
    index = exercise.hold_on % len(exercise.keyframes)
    svg = render_svg(
        exercise, index, width=size, height=size, uid=f"ds-{exercise.id}-hero", decorative=True
    )
    return Markup(svg)


@functools.lru_cache(maxsize=256)
def _thumbnail(exercise: Exercise, size: int) -> Markup:
    from deskstretch.catalogue.illustrations import render_thumbnail_svg

    try:
        return Markup(render_thumbnail_svg(exercise, size=size))
    except DeskstretchError:
        return Markup("")


def figure_thumbnail(exercise: Exercise, size: int = 56) -> Markup:
    """The exercise's held pose as a small inline SVG (decorative: the name stands beside it);
    empty for an exercise without keyframes. Cached: built-in exercises never change."""
    return _thumbnail(exercise, size)


@dataclass(frozen=True)
class ReviewView:
    """The end-of-programme review as the pages show it (the words of `deskstretch programme
    status`): a heading, what changed or could not be compared, and the next step."""

    title: str
    lines: tuple[str, ...]
    next_step: str


def review_view(review: Review | None, *, finished: bool) -> ReviewView | None:
    """``review`` for a page: "Your review" once the programme is over, "Your review so far" in
    its last week; None before."""
    if review is None:
        return None
    title = "Your review" if finished else "Your review so far"
    return ReviewView(title, (*review.sentences, *review.missing), review.advice)
