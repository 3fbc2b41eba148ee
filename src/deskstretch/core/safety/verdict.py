"""The safety verdict: a person's screening answers judged into a status and advice.

Red flags win over everything. Pure: standard library only, no I/O, no clock reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from deskstretch.core.safety.advice import (
    CLEARANCE_ADVICE,
    CLEARED,
    NO_SIGNS,
    NOT_SCREENED_ADVICE,
    OK_ADVICE,
    OUTDATED_ADVICE,
    RECHECK_ADVICE,
    advice_for,
    join_words,
    tag_label,
)
from deskstretch.core.safety.questions import (
    CONDITION_QUESTIONS,
    RED_FLAG_QUESTIONS,
    SCREENING_VERSION,
    ConditionQuestion,
    RedFlagQuestion,
    Urgency,
)


def active_red_flags(
    answers: Mapping[str, bool], cleared: Iterable[str] = ()
) -> tuple[RedFlagQuestion, ...]:
    """Red-flag questions answered yes and not cleared, in question order (most urgent first).

    Non-clearable questions ignore ``cleared``; unknown ids in either argument are ignored.
    """
    cleared_ids = frozenset(cleared)
    return tuple(
        question
        for question in RED_FLAG_QUESTIONS
        if answers.get(question.id, False)
        and not (question.clearable and question.id in cleared_ids)
    )


@dataclass(frozen=True)
class Screening:
    """One person's answers. ``completed_at`` is an ISO timestamp supplied by the caller.

    ``red_flags_cleared``: ids of clearable red flags a clinician has already assessed and cleared.
    ``clearance_confirmed``: a clinician has okayed exercise for the conditions that need it.
    """

    red_flags: dict[str, bool]
    red_flags_cleared: frozenset[str]
    conditions: dict[str, bool]
    clearance_confirmed: bool
    completed_at: str
    version: int

    @property
    def unanswered_ids(self) -> tuple[str, ...]:
        """Ids of current questions (red flags first, then conditions) with no answer."""
        missing = [q.id for q in RED_FLAG_QUESTIONS if q.id not in self.red_flags]
        missing += [q.id for q in CONDITION_QUESTIONS if q.id not in self.conditions]
        return tuple(missing)

    @property
    def is_complete(self) -> bool:
        """Every current question answered, on the current version of the questions."""
        return self.version == SCREENING_VERSION and not self.unanswered_ids

    @property
    def active_tags(self) -> frozenset[str]:
        """Contraindication tags of the current conditions answered yes."""
        return frozenset(
            tag for q in CONDITION_QUESTIONS if self.conditions.get(q.id, False) for tag in q.tags
        )

    @property
    def pending_clearance(self) -> tuple[ConditionQuestion, ...]:
        """Conditions answered yes that need a clinician's okay that has not been confirmed."""
        if self.clearance_confirmed:
            return ()
        return tuple(
            q for q in CONDITION_QUESTIONS if q.needs_clearance and self.conditions.get(q.id, False)
        )


class SafetyStatus(StrEnum):
    NOT_SCREENED = "not_screened"
    OUTDATED = "outdated"
    RED_FLAG = "red_flag"
    NEEDS_CLEARANCE = "needs_clearance"
    OK = "ok"


@dataclass(frozen=True)
class SafetyVerdict:
    status: SafetyStatus
    urgency: Urgency | None
    flagged: tuple[RedFlagQuestion, ...]
    advice: str
    routines_allowed: bool
    needs_clearance_for: tuple[ConditionQuestion, ...] = ()
    cleared: tuple[RedFlagQuestion, ...] = ()
    """Red flags answered yes that a clinician has cleared: named, never hidden as "no signs"."""


def _clearance_advice(conditions: Iterable[ConditionQuestion]) -> str:
    tags = [tag for condition in conditions for tag in condition.tags]
    return CLEARANCE_ADVICE.format(labels=join_words(tag_label(tag) for tag in tags))


def cleared_red_flags(screening: Screening) -> tuple[RedFlagQuestion, ...]:
    """Clearable red flags answered yes that a clinician has cleared, in question order."""
    return tuple(
        question
        for question in RED_FLAG_QUESTIONS
        if question.clearable
        and screening.red_flags.get(question.id, False)
        and question.id in screening.red_flags_cleared
    )


def _ok_advice(cleared: tuple[RedFlagQuestion, ...]) -> str:
    if not cleared:
        return f"{NO_SIGNS} {OK_ADVICE}"
    # Labels may hold commas, so a semicolon separates them.
    labels = "; ".join(question.cleared_label or question.id for question in cleared)
    return f"{CLEARED.format(labels=labels)} {OK_ADVICE}"


def assess(screening: Screening | None) -> SafetyVerdict:
    """Judge a screening. Red flags win over everything, even over an outdated screening.

    A known "yes" to a current red-flag question is never hidden behind "please answer again"
    (domain §3.3 rule 5: any red-flag answer overrides everything).
    """
    if screening is None:
        return SafetyVerdict(SafetyStatus.NOT_SCREENED, None, (), NOT_SCREENED_ADVICE, False)
    pending = screening.pending_clearance
    flagged = active_red_flags(screening.red_flags, screening.red_flags_cleared)
    cleared = cleared_red_flags(screening)
    if flagged:
        urgency = min((question.urgency for question in flagged), key=lambda u: u.rank)
        # Flag-specific advice (where to go, e.g. the cancer team) for the flags setting the pace;
        # the urgency's general advice too unless every one of those flags has its own.
        pacing = [question for question in flagged if question.urgency is urgency]
        advice = [question.advice for question in pacing if question.advice]
        if len(advice) < len(pacing):
            advice.insert(0, advice_for(urgency))
        # Any active red flag locks routines, whatever its urgency (issue #2: "any red flag stops
        # everything"). Clearable flags unlock once the person confirms, at a re-check, that a
        # clinician has assessed them; the advice says so whenever every active flag is clearable.
        if all(question.clearable for question in flagged):
            advice.append(RECHECK_ADVICE)
        if pending:
            advice.append(_clearance_advice(pending))
        return SafetyVerdict(
            SafetyStatus.RED_FLAG, urgency, flagged, " ".join(advice), False, pending, cleared
        )
    if not screening.is_complete:
        return SafetyVerdict(SafetyStatus.OUTDATED, None, (), OUTDATED_ADVICE, False, pending)
    if pending:
        return SafetyVerdict(
            SafetyStatus.NEEDS_CLEARANCE, None, (), _clearance_advice(pending), False, pending
        )
    return SafetyVerdict(SafetyStatus.OK, None, (), _ok_advice(cleared), True, (), cleared)
