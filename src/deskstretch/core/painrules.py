"""Pain rules (domain.md §3.3): too-much sessions, the day-to-day trend, lighter routines, re-asks.

Pure: standard library only, no I/O, no clock reads; ``today``, ``now`` and the timezone come in.
Red flags (core.safety) override everything here (§3.3 rule 5): check them first.
Past 400 lines because the five rules of §3.3 read each other's results (a flare changes the
trend, the trend changes the dose); kept in one place so the order they apply in is visible.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, NamedTuple

from deskstretch.core.records import (
    CheckIn,
    CheckInContext,
    ProgrammeEvent,
    ProgrammeEventKind,
    SessionRecord,
    SessionStatus,
)
from deskstretch.core.wording import plural

if TYPE_CHECKING:
    # Imported where used: the rules on records alone (all `deskstretch progress` needs) then load
    # without the exercise models and the safety screen.
    from deskstretch.core.models import Dose, Exercise, Routine, Step

# §3.3 rule 3: a rise of 2+ points vs before the session, or any value above 5 ("unacceptable" in
# the pain-monitoring model, Silbernagel 2007; "red" from 6 in the traffic-light variant).
RISE_POINTS = 2
HIGHEST_ACCEPTABLE = 5
# §3.3 rule 4: a day is worse when its reading is higher than the previous day's.
WORSE_POINTS = 1


# -- After a session (§3.3 rule 3) -----------------------------------------------------------------


@dataclass(frozen=True)
class TooMuch:
    """Why a session counts as too much: one sentence per body site."""

    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)


def _sites(checkin: CheckIn | None) -> tuple[tuple[str, int | None], ...]:
    if checkin is None:
        return (("back", None), ("leg", None))
    return (("back", checkin.back_pain), ("leg", checkin.leg_pain))


def session_was_too_much(before: CheckIn | None, after: CheckIn | None) -> TooMuch | None:
    """Too much if back or leg pain rose 2+ points from before the session, or is above 5 after."""
    reasons: list[str] = []
    for (site, was), (_, now) in zip(_sites(before), _sites(after), strict=True):
        if now is None:
            continue
        if was is not None and now - was >= RISE_POINTS:
            reasons.append(f"Your {site} pain went up from {was} to {now} after the session.")
        elif now > HIGHEST_ACCEPTABLE:
            reasons.append(
                f"Your {site} pain was {now} out of 10 after the session, which is more than"
                f" {HIGHEST_ACCEPTABLE}."
            )
    return TooMuch(tuple(reasons)) if reasons else None


# -- Day to day (§3.3 rule 4) ----------------------------------------------------------------------


@dataclass(frozen=True)
class DailyPain:
    """One local day's reading: the first back and the first leg answer given that day."""

    day: date
    back_pain: int | None
    leg_pain: int | None


def daily_pain(checkins: Iterable[CheckIn], tz: tzinfo) -> tuple[DailyPain, ...]:
    """Each local day's reading, oldest first; days with no answered rating are left out.

    §3.3 compares mornings; people check in at different times, so the first rating of the local
    day stands in for the morning one. One pass, then a sort of the distinct days.
    """
    back: dict[date, tuple[datetime, int]] = {}
    leg: dict[date, tuple[datetime, int]] = {}
    for checkin in checkins:
        back_pain, leg_pain, at = checkin.back_pain, checkin.leg_pain, checkin.at
        if back_pain is None and leg_pain is None:
            continue
        day = checkin.local_day(tz)
        if back_pain is not None:
            seen = back.get(day)
            if seen is None or at < seen[0]:
                back[day] = (at, back_pain)
        if leg_pain is not None:
            seen = leg.get(day)
            if seen is None or at < seen[0]:
                leg[day] = (at, leg_pain)
    days = sorted(back.keys() | leg.keys())
    return tuple(
        DailyPain(
            day,
            back[day][1] if day in back else None,
            leg[day][1] if day in leg else None,
        )
        for day in days
    )


def is_worse_day(day: DailyPain, previous: DailyPain) -> bool:
    """Back or leg is at least a point higher than on the previous recorded day."""
    pairs = ((day.back_pain, previous.back_pain), (day.leg_pain, previous.leg_pain))
    return any(
        now is not None and was is not None and now - was >= WORSE_POINTS for now, was in pairs
    )


@dataclass(frozen=True)
class PainPlan:
    """What the pain rules say about the next routine.

    ``volume_step``: 0 = normal dose, 1 = one step lighter (see ``reduce_dose``).
    ``paused``: stop the programme and suggest a clinician (``clinician_advice``) until the
    person says they have seen one or feel back to their usual; ``paused_by`` are the two worse
    days that paused it.
    ``questions_due``: the cauda equina questions were asked again and are not yet answered; no
    routine plays until they are.
    """

    easier_next: bool
    volume_step: int
    paused: bool
    messages: tuple[str, ...]
    clinician_advice: str | None = None
    too_much: TooMuch | None = None
    worse_days: tuple[date, ...] = ()
    paused_by: tuple[date, ...] = ()
    questions_due: bool = False


_EASIER_MESSAGE = (
    "Your pain went up after your last session, so the next routine offers easier versions of its"
    " moves."
)
_LIGHTER_MESSAGE = (
    "Your pain {when} was higher than on the last day you checked in, so the next routine is a"
    " little lighter: fewer repeats and shorter holds."
)
_PAUSED_MESSAGE = (
    "Your pain was higher two days in a row ({first} and {second}), so the stretching routines"
    " are paused. Keep moving gently in your day as far as it feels comfortable. They stay paused"
    " until you tell us that you have seen a doctor or physiotherapist, or that your back feels"
    " as it usually does."
)
_QUESTIONS_MESSAGE = (
    "Because of a change in your pain, a few safety questions about your bladder, bowels and legs"
    " need answering again before the next routine."
)
_CLINICIAN_ADVICE = (
    "Please talk to a doctor or physiotherapist about your back before you start the routines"
    " again. If you notice new numbness, weakness, or changes in your bladder or bowels, get help"
    " straight away."
)


def _last_finished(sessions: Iterable[SessionRecord]) -> SessionRecord | None:
    latest: SessionRecord | None = None
    for session in sessions:
        if session.status is SessionStatus.IN_PROGRESS:
            continue
        if latest is None or session.started_at > latest.started_at:
            latest = session
    return latest


def _session_checkins(
    checkins: Iterable[CheckIn], session_id: str
) -> tuple[CheckIn | None, CheckIn | None]:
    """The earliest before- and after-session check-ins linked to the session."""
    before: CheckIn | None = None
    after: CheckIn | None = None
    for checkin in checkins:
        if checkin.session_id != session_id:
            continue
        if checkin.context is CheckInContext.BEFORE_SESSION:
            if before is None or checkin.at < before.at:
                before = checkin
        elif checkin.context is CheckInContext.AFTER_SESSION and (
            after is None or checkin.at < after.at
        ):
            after = checkin
    return before, after


def last_resume(events: Iterable[ProgrammeEvent]) -> ProgrammeEvent | None:
    """The latest time the person lifted a pain pause (seen a clinician, or back to usual)."""
    latest: ProgrammeEvent | None = None
    for event in events:
        if event.kind.is_resume and (latest is None or event.at >= latest.at):
            latest = event
    return latest


def find_pause(
    daily: Sequence[DailyPain], events: Iterable[ProgrammeEvent], today: date, tz: tzinfo
) -> tuple[date, date] | None:
    """The two worse days in a row that pause the programme now, or None.

    §3.3 rule 4 pauses after two consecutive worse days and suggests a clinician. Our reading:
    only the person lifts the pause, by saying they have seen a clinician or feel back to their
    usual, never the mere passing of days without a check-in (nor a better day, which may be a
    painkiller's doing). After that, it takes two new worse days, both after the day of the
    resume, to pause again. ``daily`` should reach back past the pause (the whole history).
    """
    resumed = last_resume(events)
    resumed_on = resumed.at.astimezone(tz).date() if resumed is not None else None
    days = [reading for reading in daily if reading.day <= today]
    for index in range(len(days) - 1, 1, -1):
        if resumed_on is not None and days[index - 1].day <= resumed_on:
            break
        if is_worse_day(days[index], days[index - 1]) and is_worse_day(
            days[index - 1], days[index - 2]
        ):
            return days[index - 1].day, days[index].day
    return None


def are_questions_due(events: Iterable[ProgrammeEvent]) -> bool:
    """Whether the cauda equina questions were asked again after their latest answers."""
    due: datetime | None = None
    answered: datetime | None = None
    for event in events:
        if event.kind is ProgrammeEventKind.QUESTIONS_DUE and (due is None or event.at > due):
            due = event.at
        elif event.kind is ProgrammeEventKind.QUESTIONS_ANSWERED and (
            answered is None or event.at > answered
        ):
            answered = event.at
    return due is not None and (answered is None or due > answered)


def _day_text(day: date, today: date) -> str:
    """'1 December', with the year when it is not this year's (a pause can be that old)."""
    return f"{day.day} {day:%B}" if day.year == today.year else f"{day.day} {day:%B} {day.year}"


def assess_pain(
    checkins: Iterable[CheckIn],
    sessions: Iterable[SessionRecord],
    today: date,
    tz: tzinfo,
    *,
    daily: Sequence[DailyPain] | None = None,
    events: Sequence[ProgrammeEvent] = (),
    pause_daily: Sequence[DailyPain] | None = None,
) -> PainPlan:
    """Apply §3.3 rules 3 and 4 to the history.

    - ``easier_next`` when the most recent finished session was too much (its stored flag, or its
      linked before/after check-ins).
    - ``volume_step`` 1 when the latest recorded day is worse than the one before it. Only a
      latest reading from today or yesterday counts (an old bad day says nothing about now), and
      a day that is not worse lifts it again.
    - ``paused`` by two worse days in a row, until the person lifts it (``find_pause``).
    - ``questions_due`` while re-asked cauda equina questions wait for an answer.
    ``daily``: ``daily_pain(checkins, tz)`` when the caller has it already (it is not recomputed).
    ``pause_daily``: the readings the pause looks at, when they reach further back than
    ``checkins`` (by default the same readings as ``daily``). ``events``: ProgrammeEvents.
    """
    checkins = tuple(checkins)
    too_much: TooMuch | None = None
    last = _last_finished(sessions)
    if last is not None:
        too_much = session_was_too_much(*_session_checkins(checkins, last.id))
        if too_much is None and last.too_much:
            too_much = TooMuch(("Your pain went up after your last session.",))

    if daily is None:
        daily = daily_pain(checkins, tz)
    days = [reading for reading in daily if reading.day <= today]
    is_recent = bool(days) and days[-1].day >= today - timedelta(days=1)
    worse_days: list[date] = []
    if is_recent and len(days) >= 2 and is_worse_day(days[-1], days[-2]):
        worse_days.append(days[-1].day)
        if len(days) >= 3 and is_worse_day(days[-2], days[-3]):
            worse_days.insert(0, days[-2].day)
    pause = find_pause(daily if pause_daily is None else pause_daily, events, today, tz)
    paused = pause is not None
    questions_due = are_questions_due(events)

    messages: list[str] = []
    if questions_due:
        messages.append(_QUESTIONS_MESSAGE)
    if too_much is not None:
        messages.append(_EASIER_MESSAGE)
    if pause is not None:
        first, second = pause
        messages.append(
            _PAUSED_MESSAGE.format(first=_day_text(first, today), second=_day_text(second, today))
        )
    elif worse_days:
        when = "today" if worse_days[-1] == today else "yesterday"
        messages.append(_LIGHTER_MESSAGE.format(when=when))
    return PainPlan(
        easier_next=too_much is not None,
        volume_step=1 if worse_days else 0,
        paused=paused,
        messages=tuple(messages),
        clinician_advice=_CLINICIAN_ADVICE if paused else None,
        too_much=too_much,
        worse_days=tuple(worse_days),
        paused_by=pause or (),
        questions_due=questions_due,
    )


# -- Lighter doses and easier routines -------------------------------------------------------------

MIN_HOLD_SECONDS = 10  # the bottom of ACSM's 10-30 s hold range (§1.1)
MIN_MOVING_REPS = 3
DOSE_FACTOR = 0.75


def _round_half_down(value: float, step: int = 1) -> int:
    # Ties go to the smaller value: this is a step down, so 22.5 s becomes 20 s, not 25 s.
    return step * math.ceil(value / step - 0.5)


def reduce_dose(dose: Dose, steps: int) -> Dose:
    """The dose ``steps`` steps lighter; never heavier than ``dose``.

    Holds: one rep fewer (at least 1) and holds x0.75 to the nearest 5 s (at least 10 s).
    Moving reps: reps x0.75, rounded (at least 3). Rests, tempo and contractions stay.
    """
    if steps < 0:
        raise ValueError(f"steps must be 0 or more, got {steps}")
    for _ in range(steps):
        if dose.is_timed_hold:
            hold = max(MIN_HOLD_SECONDS, _round_half_down(dose.hold_seconds * DOSE_FACTOR, 5))
            dose = dataclasses.replace(
                dose,
                reps=min(dose.reps, max(1, dose.reps - 1)),
                hold_seconds=min(dose.hold_seconds, hold),
            )
        else:
            reps = max(MIN_MOVING_REPS, _round_half_down(dose.reps * DOSE_FACTOR))
            dose = dataclasses.replace(dose, reps=min(dose.reps, reps))
    return dose


BECAUSE_PAIN_ROSE = "because your pain went up after last time"


@dataclass(frozen=True)
class EasierChange:
    """One step made easier: swapped for ``replacement`` or, when None, given a lighter dose."""

    step_index: int
    exercise: Exercise
    replacement: Exercise | None
    old_dose: Dose
    new_dose: Dose
    text: str


class EasierRoutine(NamedTuple):
    routine: Routine
    changes: tuple[EasierChange, ...]


def _describe(dose: Dose) -> str:
    if dose.is_timed_hold:
        return f"{dose.reps} × {dose.hold_seconds} s"
    return plural(dose.reps, "rep")


def _same_kind(a: Dose, b: Dose) -> bool:
    # Same rule as safety.adapt_routine: keep the step's dose only if it means the same thing
    # for the new exercise (timed hold vs reps, with or without contractions).
    return (a.is_timed_hold, a.contract_seconds > 0) == (b.is_timed_hold, b.contract_seconds > 0)


def _easier_variant(
    exercise: Exercise,
    exercises: Mapping[str, Exercise],
    tags: frozenset[str],
    taken: set[str],
) -> Exercise | None:
    from deskstretch.core.safety import is_allowed

    for variant_id in exercise.easier:
        variant = exercises.get(variant_id)
        if (
            variant is not None
            and is_allowed(variant, tags)
            and not variant.replaced_by
            and variant.id not in taken
        ):
            return variant
    return None


def easier_routine(
    routine: Routine, exercises: Mapping[str, Exercise], tags: frozenset[str]
) -> EasierRoutine:
    """Make every step easier after a session that was too much (§3.3 rule 3).

    Each step becomes its first ``easier`` variant that ``tags`` allow, is not retired and is
    not already in the routine; a step without one keeps its exercise at a dose one step lighter.
    """
    from deskstretch.core.models import Step

    taken = set(routine.exercise_ids)
    decided: dict[str, Exercise | None] = {}
    steps: list[Step] = []
    changes: list[EasierChange] = []
    for index, step in enumerate(routine.steps):
        exercise = step.exercise
        if exercise.id not in decided:
            variant = _easier_variant(exercise, exercises, tags, taken)
            decided[exercise.id] = variant
            if variant is not None:
                taken.add(variant.id)
        variant = decided[exercise.id]
        if variant is not None:
            dose = step.dose if _same_kind(step.dose, variant.dose) else variant.dose
            steps.append(Step(exercise=variant, dose=dose, side_order=variant.side_order))
            text = f"{variant.name} instead of {exercise.name}, {BECAUSE_PAIN_ROSE}."
            changes.append(EasierChange(index, exercise, variant, step.dose, dose, text))
            continue
        dose = reduce_dose(step.dose, 1)
        steps.append(dataclasses.replace(step, dose=dose))
        if dose != step.dose:
            text = (
                f"{exercise.name} is a little lighter ({_describe(step.dose)} becomes"
                f" {_describe(dose)}), {BECAUSE_PAIN_ROSE}."
            )
            changes.append(EasierChange(index, exercise, None, step.dose, dose, text))
    position = routine.position
    if position is not None and any(s.exercise.position is not position for s in steps):
        position = None  # a variant in the other position makes the routine mixed
    easier = dataclasses.replace(routine, steps=tuple(steps), position=position)
    return EasierRoutine(easier, tuple(changes))


# -- Re-asking the cauda equina questions (§3.1) ---------------------------------------------------

CES_BACK_JUMP_POINTS = 3
CES_LEG_RISE_POINTS = 2
CES_REASK_INTERVAL = timedelta(days=7)


def should_reask_cauda_equina(
    latest: CheckIn, previous: CheckIn | None, last_reask: datetime | None, now: datetime
) -> bool:
    """Whether to ask the cauda equina questions (safety.CAUDA_EQUINA_IDS) again now.

    §3.1 (Recommendation (ours)) says re-ask whenever leg symptoms are logged or pain jumps 3+
    points. We re-ask at once for a back jump of 3+, new leg pain, or leg pain up 2+ points; but
    the same steady leg pain only re-asks once every 7 days, so people with lasting sciatica are
    not put through six questions at every check-in (which would also teach them to click through).
    """
    back, leg = latest.back_pain, latest.leg_pain or 0
    was_back = previous.back_pain if previous is not None else None
    was_leg = previous.leg_pain if previous is not None else None
    if back is not None and was_back is not None and back - was_back >= CES_BACK_JUMP_POINTS:
        return True
    if leg <= 0:
        return False
    if not was_leg or leg - was_leg >= CES_LEG_RISE_POINTS:
        return True
    return last_reask is None or now - last_reask >= CES_REASK_INTERVAL
