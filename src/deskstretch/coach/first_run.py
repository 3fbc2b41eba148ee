"""The first run's goal and plan, shared by the browser and the terminal so both store the same.

The goal is what the person wants back: one to three everyday activities their back makes hard
(rated 0-10, the PSFS), back and leg pain now, and optionally a chair sit-and-reach. Saving it
stores those as the baseline records, enrols the person in a programme and notes the first run
as done. The plan is what they get: the programme, this week's sessions and the break schedule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from deskstretch.core.errors import DeskstretchError, FileFormatError
from deskstretch.core.records import ACTIVITY_NAME_MAX_CHARS, CheckInContext, MeasurementKind

if TYPE_CHECKING:
    from deskstretch.coach import Coach
    from deskstretch.coach.plans import ProgrammeToday
    from deskstretch.core.records import Enrolment
    from deskstretch.core.safety import Screening
    from deskstretch.core.schedule import Policy

DEFAULT_PROGRAMME = "desk-back-6-weeks"
MAX_GOAL_ACTIVITIES = 3
"""The first run asks for up to three activities, as the PSFS form itself does (Stratford et
al. 1995); more can be added later, up to five."""
JUST_ANSWERED = timedelta(hours=1)
"""Leg pain given this soon after the safety answers does not ask the cauda equina questions
again: they were just answered in the same first run."""


class GoalError(DeskstretchError):
    """A goal that cannot be saved; ``field`` names the input ("activity-2", "back-pain" ...)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Goal:
    activities: tuple[tuple[str, int], ...]
    """(activity, rating 0-10): 1 to 3 everyday activities the back makes hard."""
    back_pain: int
    leg_pain: int
    sit_and_reach_cm: float | None = None
    sit_and_reach_leg: str | None = None
    programme_id: str = DEFAULT_PROGRAMME


def check_goal(goal: Goal) -> None:
    """Raise GoalError for the first thing wrong, naming its field (front ends check the same
    rules field by field first, so a person sees every problem at once)."""
    if not 1 <= len(goal.activities) <= MAX_GOAL_ACTIVITIES:
        raise GoalError("activity-1", "name at least one activity, and at most three")
    seen: set[str] = set()
    for number, (name, rating) in enumerate(goal.activities, start=1):
        clean = " ".join(name.split())
        if not 1 <= len(clean) <= ACTIVITY_NAME_MAX_CHARS:
            raise GoalError(
                f"activity-{number}", f"an activity needs 1 to {ACTIVITY_NAME_MAX_CHARS} characters"
            )
        if clean.casefold() in seen:
            raise GoalError(f"activity-{number}", f"'{clean}' is named twice")
        seen.add(clean.casefold())
        if isinstance(rating, bool) or not 0 <= rating <= 10:
            raise GoalError(f"rating-{number}", "a whole number from 0 to 10")
    for field, value in (("back-pain", goal.back_pain), ("leg-pain", goal.leg_pain)):
        if isinstance(value, bool) or not 0 <= value <= 10:
            raise GoalError(field, "a whole number from 0 to 10")


def first_run_done(coach: Coach) -> bool:
    from deskstretch.config import load_state

    return load_state(coach.settings).first_run_completed_at is not None


def save_goal(coach: Coach, goal: Goal, now: datetime | None = None) -> Enrolment:
    """Store the goal as baseline records and enrol the person; returns the enrolment.

    Activities already on the person's list are re-rated, not added twice. Routines must be
    allowed (the safety answers come first); the programme must exist. A sit-and-reach is
    refused (GoalError on its field) when the person's answers rule the test out.
    """
    from deskstretch.coach.measurements import (
        MeasurementError,
        MeasurementNotAdvised,
        check_leg,
        check_test_allowed,
        check_value_cm,
    )

    check_goal(goal)
    at = now or datetime.now(UTC)
    verdict = coach.verdict()
    if not verdict.routines_allowed:
        raise DeskstretchError(
            "Your safety answers come first: routines are locked, so there is no plan to make."
        )
    programme = coach.find_programme(goal.programme_id)  # NotFoundError names it
    kind = MeasurementKind.CHAIR_SIT_AND_REACH
    if goal.sit_and_reach_cm is not None:
        try:
            check_test_allowed(kind, coach.active_tags())
            check_value_cm(kind, goal.sit_and_reach_cm)
        except (MeasurementNotAdvised, MeasurementError) as refused:
            raise GoalError("reach-cm", refused.message) from None
        try:
            check_leg(kind, goal.sit_and_reach_leg)
        except MeasurementError as wrong:
            raise GoalError("reach-leg", wrong.message) from None
    from deskstretch.coach.measurements import MAX_ACTIVE_ACTIVITIES

    current = {a.name.casefold() for a in coach.psfs_activities()}
    new = [n for n, _ in goal.activities if " ".join(n.split()).casefold() not in current]
    if len(current) + len(new) > MAX_ACTIVE_ACTIVITIES:
        raise GoalError(
            "activity-1",
            f"you already rate {len(current)} activities and {MAX_ACTIVE_ACTIVITIES} is the most:"
            " use the names you have, or retire one first",
        )
    activities = _activity_ids(coach, goal.activities, at)
    coach.rate_psfs(dict(zip(activities, (r for _, r in goal.activities), strict=True)), at)
    result = coach.check_in(goal.back_pain, goal.leg_pain, CheckInContext.ANYTIME)
    screening = coach.screening()
    if result.reask_cauda_equina and screening is not None and _recent(screening, at):
        coach.note_questions_answered()  # answered minutes ago, in this first run
    if goal.sit_and_reach_cm is not None:
        coach.record_measurement(
            kind, goal.sit_and_reach_cm, goal.sit_and_reach_leg, "first run", now=at
        )
    enrolment = coach.enrolment()
    if enrolment is None or enrolment.programme_id != programme.id:
        enrolment = coach.start_programme(programme.id, now=at)
    mark_first_run_done(coach, at)
    return enrolment


def _recent(screening: Screening, at: datetime) -> bool:
    try:
        answered = datetime.fromisoformat(screening.completed_at)
    except ValueError:
        return False
    if answered.tzinfo is None:
        answered = answered.replace(tzinfo=UTC)
    return timedelta(0) <= at - answered <= JUST_ANSWERED


def _activity_ids(
    coach: Coach, activities: Sequence[tuple[str, int]], at: datetime
) -> tuple[str, ...]:
    """The ids of the goal's activities: existing ones by name, new ones added."""
    current = {a.name.casefold(): a.id for a in coach.psfs_activities()}
    ids: list[str] = []
    for order, (name, _rating) in enumerate(activities):
        clean = " ".join(name.split())
        known = current.get(clean.casefold())
        if known is None:  # a microsecond apart, so they list in the order given
            known = coach.add_psfs_activity(clean, at + timedelta(microseconds=order)).id
        ids.append(known)
    return tuple(ids)


def mark_first_run_done(coach: Coach, at: datetime) -> None:
    from dataclasses import replace

    from deskstretch.config import load_state, save_state

    state = load_state(coach.settings)
    save_state(coach.settings, replace(state, first_run_completed_at=at))


def dismiss_first_run(coach: Coach, at: datetime | None = None) -> None:
    """ "Not now": stop offering the first run on Today (it stays at /start)."""
    from dataclasses import replace

    from deskstretch.config import load_state, save_state

    state = load_state(coach.settings)
    save_state(coach.settings, replace(state, first_run_dismissed_at=at or datetime.now(UTC)))


def offer_first_run(coach: Coach) -> bool:
    """Whether Today offers the first run: not done, not dismissed, no programme followed."""
    from deskstretch.config import load_state

    state = load_state(coach.settings)
    if state.first_run_completed_at is not None or state.first_run_dismissed_at is not None:
        return False
    return coach.enrolment() is None


# -- the plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    today: ProgrammeToday
    breaks: tuple[str, ...]
    """The break schedule in a few plain lines."""
    breaks_problem: str
    """Why the schedule shown is the default one (reminders.toml has a mistake), or ''."""


def first_plan(coach: Coach) -> Plan | None:
    """The person's plan: their programme now and their breaks; None without a programme."""
    today = coach.programme_today()
    if today is None:
        return None
    policy, problem = reminder_policy(coach)
    return Plan(today, break_lines(policy), problem)


def reminder_policy(coach: Coach) -> tuple[Policy, str]:
    """The break schedule in reminders.toml (the defaults when there is none), and the problem
    when the file cannot be used (the reminder service then uses the defaults too)."""
    from deskstretch.catalogue.toml_lines import read_toml
    from deskstretch.core.schedule import default_policy, policy_from_mapping

    path = coach.settings.config_dir / "reminders.toml"
    if not path.exists():
        return default_policy(), ""
    try:
        data, _text = read_toml(path)
        return policy_from_mapping(data, str(path)), ""
    except FileFormatError as error:
        return default_policy(), error.message


def remeasure_sentence(weeks: Sequence[int], week: int) -> str:
    """ "Your starting point is saved. In weeks 3 and 6 we ask again ..." """
    later = [w for w in weeks if w > week]
    if not later:
        return "Your starting point is saved."
    named = " and ".join(
        [", ".join(str(w) for w in later[:-1]), str(later[-1])]
        if len(later) > 1
        else [str(later[0])]
    )
    plural = "s" if len(later) > 1 else ""
    return (
        f"Your starting point is saved. In week{plural} {named} we ask again about your"
        " activities, your pain and (if you like) the sit-and-reach, and say honestly what changed."
    )


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _minutes(count: int) -> str:
    if count % 60 == 0:
        hours = count // 60
        return "hour" if hours == 1 else f"{hours} hours"
    return f"{count} minutes"


def break_lines(policy: Policy) -> tuple[str, ...]:
    """ "Monday to Friday, 09:00-17:30." and one line per kind of break."""
    days: dict[str, list[int]] = {}
    for day in range(7):
        ranges = policy.working_hours.get(day, ())
        if ranges:
            days.setdefault(", ".join(str(r) for r in ranges), []).append(day)
    lines = []
    for hours, numbers in days.items():
        if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 2:
            names = f"{_DAY_NAMES[numbers[0]]} to {_DAY_NAMES[numbers[-1]]}"
        else:
            names = ", ".join(_DAY_NAMES[n] for n in numbers)
        lines.append(f"{names}, {hours.replace('-', ' to ')}.")
    if policy.micro_enabled:
        lines.append(
            f"A {policy.micro_seconds}-second micro-break (stand up, move) every"
            f" {_minutes(policy.micro_interval_minutes)}."
        )
    if policy.stretch_enabled:
        lines.append(
            f"A {policy.stretch_minutes}-minute stretch break every"
            f" {_minutes(policy.stretch_interval_minutes)}, at most {policy.daily_cap} reminders"
            " a day."
        )
    if not policy.micro_enabled and not policy.stretch_enabled:
        lines.append("Both kinds of break are switched off in your reminder settings.")
    return tuple(lines)
