"""Safety screening: red-flag and condition questions, the verdict on them, and routine adaptation.

Pure: standard library only, no I/O, no clock reads. questions.py holds the questions, advice.py
what we say back, verdict.py the rules that judge the answers, adapt.py the routine adaptation.
Callers import from here.
"""

from __future__ import annotations

from deskstretch.core.safety.adapt import (
    Adaptation,
    Change,
    adapt_routine,
    blocking_tags,
    filter_exercises,
    is_allowed,
)
from deskstretch.core.safety.advice import TAG_LABELS, TAG_REASONS, advice_for
from deskstretch.core.safety.questions import (
    CAUDA_EQUINA_IDS,
    CONDITION_QUESTIONS,
    CONDITIONS_BY_ID,
    CONTRAINDICATION_TAGS,
    RED_FLAG_QUESTIONS,
    RED_FLAGS_BY_ID,
    SCREENING_VERSION,
    ConditionQuestion,
    RedFlagGroup,
    RedFlagQuestion,
    Urgency,
    most_urgent,
)
from deskstretch.core.safety.verdict import (
    SafetyStatus,
    SafetyVerdict,
    Screening,
    active_red_flags,
    assess,
    cleared_red_flags,
)

__all__ = [
    "CAUDA_EQUINA_IDS",
    "CONDITIONS_BY_ID",
    "CONDITION_QUESTIONS",
    "CONTRAINDICATION_TAGS",
    "RED_FLAGS_BY_ID",
    "RED_FLAG_QUESTIONS",
    "SCREENING_VERSION",
    "TAG_LABELS",
    "TAG_REASONS",
    "Adaptation",
    "Change",
    "ConditionQuestion",
    "RedFlagGroup",
    "RedFlagQuestion",
    "SafetyStatus",
    "SafetyVerdict",
    "Screening",
    "Urgency",
    "active_red_flags",
    "adapt_routine",
    "advice_for",
    "assess",
    "blocking_tags",
    "cleared_red_flags",
    "filter_exercises",
    "is_allowed",
    "most_urgent",
]
