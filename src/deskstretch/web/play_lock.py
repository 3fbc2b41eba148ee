"""Whether routines may be played now, for the pages that list them: the lock a list shows in
place of its Play buttons (a short reason and where to go), or None when routines play.

The same gates as ``Coach.plan`` (which the player and Today go through), read once per page:
the safety verdict (a red flag, unanswered or out-of-date questions, a clearance to confirm),
then the pain rules (cauda equina questions asked again, a pause after two worse days).
"""

from __future__ import annotations

from dataclasses import dataclass

from deskstretch.coach import Coach
from deskstretch.core.safety import SafetyStatus
from deskstretch.web.phrasing import is_urgent, verdict_heading


@dataclass(frozen=True)
class PlayLock:
    heading: str
    """The reason, short: 'See a doctor today', 'Routines are paused'."""
    href: str
    link: str
    """Where to go instead, and the words of the link."""
    urgent: bool = False


def play_lock(coach: Coach) -> PlayLock | None:
    """The lock on every routine now, or None when routines may be played."""
    verdict = coach.verdict()
    if not verdict.routines_allowed:
        heading = verdict_heading(verdict)
        if verdict.urgency is not None or verdict.status is SafetyStatus.NEEDS_CLEARANCE:
            return PlayLock(heading, "/safety/result", "What to do", is_urgent(verdict))
        return PlayLock(heading, "/safety", "Answer the safety questions")
    pain = coach.pain_plan()
    if pain.questions_due:
        return PlayLock("A few safety questions first", "/safety/recheck", "Answer the questions")
    if pain.paused:
        return PlayLock("Routines are paused", "/", "See why on Today")
    return None
