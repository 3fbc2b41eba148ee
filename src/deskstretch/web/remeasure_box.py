"""The re-measure check as Today shows it: each measure the check week asks for, the browser page
that records it, and whether it is done (core/remeasure.py decides what is asked and done)."""

from __future__ import annotations

from dataclasses import dataclass

from deskstretch.coach import Coach
from deskstretch.coach.plans import ProgrammeToday
from deskstretch.core.remeasure import Measure


@dataclass(frozen=True)
class RemeasureLink:
    """One measure the re-measure check asks for: where to record it, and whether it is done."""

    label: str
    href: str
    done: bool
    optional: bool = False
    """Offered, never waited for (the photo assessment: not everyone has a camera)."""


@dataclass(frozen=True)
class RemeasureBox:
    week: int
    items: tuple[RemeasureLink, ...]
    offer_questionnaires: bool
    """No ODI or RMDQ wording kept: one line saying they can be added (never a reminder)."""

    @property
    def is_complete(self) -> bool:
        return all(item.done for item in self.items if not item.optional)


REMEASURE_LINKS: dict[Measure, str] = {
    Measure.ACTIVITIES: "/measure/psfs",
    Measure.PAIN: "#checkin-heading",
    Measure.REACH: "/progress#test-sit-and-reach",
    Measure.ODI: "/measure/questionnaires/odi",
    Measure.RMDQ: "/measure/questionnaires/rmdq",
    Measure.PHOTO: "/assess",
}


def remeasure_box(coach: Coach, now: ProgrammeToday) -> RemeasureBox | None:
    """The check while it has something to ask, and through its own week once all is done; None
    before the first check week, after the programme, and while it is paused (a red flag, a
    flare): no measuring then, the check waits."""
    if now.standing.is_finished or now.standing.paused:
        return None
    check = coach.remeasure_check(now)
    if check is None or (check.is_complete and now.standing.week != check.week):
        return None
    items = tuple(
        RemeasureLink(item.label, REMEASURE_LINKS[item.measure], item.done, item.optional)
        for item in check.items
    )
    asked = {item.measure for item in check.items}
    return RemeasureBox(check.week, items, not (asked & {Measure.ODI, Measure.RMDQ}))
