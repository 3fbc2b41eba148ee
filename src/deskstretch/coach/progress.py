"""Everything the progress views show, computed once from plain core records.

No database and no clock: the caller passes the records, today's local date and the timezone.
Over 400 lines on purpose: the summary's types, its two kept parts (sessions, pain) and the one
function that joins them stay side by side, so every view's figures come from one place.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from deskstretch.coach.scores import (
    FlexibilitySeries,
    InstrumentSummary,
    PsfsActivitySummary,
    flexibility_series,
    questionnaire_summaries,
)
from deskstretch.core.outcomes import (
    NPRS_POINTS,
    NPRS_SHARE,
    ImportantChange,
    nprs_change,
)
from deskstretch.core.painrules import DailyPain, PainPlan, assess_pain, daily_pain
from deskstretch.core.records import (
    COMPLETE_SHARE,
    STALE_AFTER,
    CheckIn,
    Measurement,
    ProgrammeEvent,
    PsfsActivity,
    QuestionnaireResult,
    SessionRecord,
    SessionStatus,
    settled,
)
from deskstretch.core.streaks import (
    HAMSTRING_MINUTES_PER_LEG,
    WEEKLY_DAYS_GOAL,
    CalendarDay,
    WeekDays,
    WeekMinutes,
    adherence_calendar,
    days_per_week,
    is_real_session,
    pain_trend,
    rolling_mean,
    streak,
    week_start,
    weekly_minutes_by_group,
)

PAIN_DAYS = 30
PAIN_ROLLING_DAYS = 7
RECENT_WEEKS = 4
CHART_WEEKS = 12
CALENDAR_WEEKS = 8
LAST_SESSIONS = 5
RECENT_NOTES = 3
BASELINE_READINGS = 3
# The published rule exactly, with no extra guard (Farrar 2001; Ostelo 2008).
NPRS_RULE = f"≥ {NPRS_POINTS} points or ≥ {NPRS_SHARE:.0%} of the starting rating, up or down"
HAMSTRING_TARGET = HAMSTRING_MINUTES_PER_LEG
STATUS_WORDS = {
    SessionStatus.COMPLETED: "complete",
    SessionStatus.PARTIAL: "partial",
    SessionStatus.QUIT_EARLY: "partial",  # earlier versions' word; migration 0005 replaces it
    SessionStatus.INTERRUPTED: "interrupted",
    SessionStatus.IN_PROGRESS: "in progress",
}
# The rows of the session totals, in order; every status falls in exactly one.
TOTAL_ROWS = (
    SessionStatus.COMPLETED,
    SessionStatus.PARTIAL,
    SessionStatus.INTERRUPTED,
    SessionStatus.IN_PROGRESS,
)
_TOTAL_ROW = {status: status for status in TOTAL_ROWS} | {
    SessionStatus.QUIT_EARLY: SessionStatus.PARTIAL
}
COMPLETE_RULE = (
    f"complete when at least {COMPLETE_SHARE:.0%} of the planned hold and move time was done,"
    " otherwise partial; interrupted when left open"
    f" {STALE_AFTER.total_seconds() / 60:.0f} minutes or more"
)


@dataclass(frozen=True)
class ProgressInput:
    """The records to summarise (plain sequences; lists are fine) and where "today" is."""

    sessions: Sequence[SessionRecord]
    checkins: Sequence[CheckIn]
    measurements: Sequence[Measurement]
    results: Sequence[QuestionnaireResult]
    psfs_activities: Sequence[PsfsActivity]
    today: date
    tz: tzinfo
    now: datetime | None = None
    """When given, sessions left open for STALE_AFTER count as interrupted (records.settled)."""
    programme_events: Sequence[ProgrammeEvent] = ()
    """A pain pause lifted by the person, cauda equina questions due or answered."""
    daily: Sequence[DailyPain] | None = None
    """``daily_pain(checkins, tz)`` when the caller has it already (the Coach shares it with the
    pain plan: over a year of check-ins it is the costliest pass)."""


@dataclass(frozen=True)
class SitePain:
    """One body site ("back" or "leg"): a value per day of the window, and its change."""

    site: str
    values: tuple[int | None, ...]
    rolling: tuple[float | None, ...]
    change: ImportantChange | None
    basis: str
    """How ``change`` picked its before and after values, in words."""

    @property
    def readings(self) -> int:
        return sum(value is not None for value in self.values)

    @property
    def latest(self) -> int | None:
        return next((value for value in reversed(self.values) if value is not None), None)


@dataclass(frozen=True)
class PainSummary:
    days: tuple[date, ...]
    back: SitePain
    leg: SitePain
    back_since_start: ImportantChange | None
    leg_since_start: ImportantChange | None
    since_start_basis: str


@dataclass(frozen=True)
class SessionRow:
    started: datetime
    """Local time."""
    routine_name: str
    minutes: float
    status: SessionStatus
    too_much: bool

    @property
    def result(self) -> str:
        return STATUS_WORDS[self.status]


@dataclass(frozen=True)
class StatusTotal:
    """Sessions with one result, and their minutes of work (to 0.1, so the rows add up)."""

    status: SessionStatus
    sessions: int
    minutes: float

    @property
    def result(self) -> str:
        return STATUS_WORDS[self.status]


@dataclass(frozen=True)
class SessionTotals:
    recorded: int
    real: int
    completed: int
    partial: int
    interrupted: int
    too_much: int
    work_minutes: float
    """Every minute of work actually done, in every session (a skipped step adds nothing)."""
    too_much_days: tuple[date, ...]
    in_progress: int = 0
    by_status: tuple[StatusTotal, ...] = ()
    """One row per TOTAL_ROWS status: the sessions add up to ``recorded``."""
    real_minutes: float = 0.0
    """The minutes of work in the ``real`` (counted) sessions."""

    @property
    def listed_minutes(self) -> float:
        """The total of the rows' minutes as shown (0.1 each), so a printed table adds up."""
        return round(sum(row.minutes for row in self.by_status), 1)


@dataclass(frozen=True)
class ProgressSummary:
    today: date
    period: tuple[date, date] | None
    """The first and last local day with any record; None when there are none."""
    streak: int
    weeks: tuple[WeekDays, ...]
    """Days with a session per ISO week, the last CHART_WEEKS weeks, oldest first."""
    minutes: tuple[WeekMinutes, ...]
    """Minutes per muscle group per ISO week (hamstrings first), the last CHART_WEEKS weeks."""
    calendar: tuple[tuple[CalendarDay, ...], ...]
    pain: PainSummary
    flexibility: tuple[FlexibilitySeries, ...]
    questionnaires: tuple[InstrumentSummary, ...]
    psfs_activities: tuple[PsfsActivitySummary, ...]
    last_sessions: tuple[SessionRow, ...]
    totals: SessionTotals
    plan: PainPlan
    notes: tuple[tuple[date, str], ...]
    """The latest check-in notes that have text, newest first."""
    goal_days: int = WEEKLY_DAYS_GOAL
    hamstring_target: tuple[float, float] = HAMSTRING_TARGET
    open_until: datetime | None = None
    """When the first session still in progress would count as interrupted (None: none is)."""

    @property
    def has_data(self) -> bool:
        return self.period is not None

    @property
    def has_sessions(self) -> bool:
        return self.totals.recorded > 0

    @property
    def this_week(self) -> WeekDays:
        return self.weeks[-1]

    @property
    def recent_weeks(self) -> tuple[WeekDays, ...]:
        return self.weeks[-RECENT_WEEKS:]

    @property
    def recent_minutes(self) -> tuple[WeekMinutes, ...]:
        return self.minutes[-RECENT_WEEKS:]


def compare_pain(values: Sequence[int], measure: str) -> tuple[ImportantChange | None, str]:
    """Before vs after for daily ratings, oldest first.

    With 6+ ratings: the median of the first 3 vs the median of the last 3. One day's rating is
    noisy (the NPRS MDC is 2 points), and the median keeps one odd day from deciding the result
    while staying a whole number, which the NPRS rule is defined on (a mean of 3 would need
    rounding). With 2-5 ratings: the first vs the latest. Fewer: no comparison.
    """
    count = len(values)
    if count < 2:
        return None, "needs ratings on at least 2 days"
    if count >= 2 * BASELINE_READINGS:
        before = sorted(values[:BASELINE_READINGS])[BASELINE_READINGS // 2]
        after = sorted(values[-BASELINE_READINGS:])[BASELINE_READINGS // 2]
        basis = (
            f"medians of the first {BASELINE_READINGS} and the last {BASELINE_READINGS} rated days"
        )
    else:
        before, after = values[0], values[-1]
        basis = "first rated day vs latest"
    return nprs_change(before, after, measure), basis


def _site(site: str, values: tuple[int | None, ...]) -> SitePain:
    rated = [value for value in values if value is not None]
    change, basis = compare_pain(rated, f"{site.capitalize()} pain")
    rolling = rolling_mean(values, PAIN_ROLLING_DAYS)
    return SitePain(site, values, rolling, change, basis)


def _pain(
    checkins: Sequence[CheckIn], daily: Sequence[DailyPain], today: date, tz: tzinfo
) -> PainSummary:
    """``daily``: the check-ins' ``daily_pain``, computed once for this and the pain rules."""
    first = today - timedelta(days=PAIN_DAYS - 1)
    # Only the window's check-ins go to pain_trend; a day of margin covers any UTC offset.
    # In UTC, as the records are: comparing times of one zone skips an offset lookup per record.
    since = datetime.combine(first - timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
    window = pain_trend([c for c in checkins if c.at >= since], tz, PAIN_DAYS, today)
    every_day = [reading for reading in daily if reading.day <= today]
    back_all = [d.back_pain for d in every_day if d.back_pain is not None]
    leg_all = [d.leg_pain for d in every_day if d.leg_pain is not None]
    back_since, basis = compare_pain(back_all, "Back pain")
    leg_since, _ = compare_pain(leg_all, "Leg pain")
    return PainSummary(
        tuple(d.day for d in window),
        _site("back", tuple(d.back_pain for d in window)),
        _site("leg", tuple(d.leg_pain for d in window)),
        back_since,
        leg_since,
        basis,
    )


@dataclass(frozen=True)
class _SessionFigures:
    """What the summary draws from the sessions alone: kept while the sessions are the same."""

    days: tuple[date, ...]
    totals: SessionTotals
    seen: tuple[date, ...]
    streak: int
    weeks: tuple[WeekDays, ...]
    minutes: tuple[WeekMinutes, ...]
    calendar: tuple[tuple[CalendarDay, ...], ...]
    last_sessions: tuple[SessionRow, ...]
    sessions: Sequence[SessionRecord]
    """The sessions as judged now (open ones settled)."""
    open_until: datetime | None


@dataclass
class SummaryParts:
    """The parts of the last summary, each kept with what it was worked out from, so that after
    a check-in the sessions are not gone through again, and after a session the pain is not."""

    sessions: tuple[object, tzinfo, date, _SessionFigures] | None = None
    pain: (
        tuple[object, object, tzinfo, date, PainSummary, tuple[date, ...], list[CheckIn]] | None
    ) = None


def _session_figures(
    sessions: Sequence[SessionRecord], tz: tzinfo, today: date, now: datetime | None
) -> _SessionFigures:
    chart_start = week_start(today) - timedelta(weeks=CHART_WEEKS - 1)
    days: list[date] = []
    recent: list[SessionRecord] = []
    counts = dict.fromkeys(TOTAL_ROWS, 0)
    seconds = dict.fromkeys(TOTAL_ROWS, 0.0)
    too_much_days: list[date] = []
    work_seconds = real_seconds = 0.0
    open_until: datetime | None = None
    seen: list[date] = []
    if now is not None:
        sessions = [
            settled(s, now) if s.status is SessionStatus.IN_PROGRESS else s for s in sessions
        ]
    # One pass over the sessions: local days of real sessions, totals and the recent ones.
    for session in sessions:
        day = session.local_day(tz)
        row = _TOTAL_ROW[session.status]
        done = session.work_seconds
        counts[row] += 1
        seconds[row] += done
        if row is SessionStatus.IN_PROGRESS:
            stale_at = (session.updated_at or session.started_at) + STALE_AFTER
            open_until = stale_at if open_until is None else min(open_until, stale_at)
        work_seconds += done
        if is_real_session(session):
            days.append(day)
            real_seconds += done
        if session.too_much:
            too_much_days.append(day)
        if day >= chart_start:
            recent.append(session)
    if sessions:
        starts = [s.started_at for s in sessions]
        seen += (min(starts).astimezone(tz).date(), max(starts).astimezone(tz).date())
    latest = heapq.nlargest(LAST_SESSIONS, sessions, key=lambda s: s.started_at)
    totals = SessionTotals(
        recorded=len(sessions),
        real=len(days),
        completed=counts[SessionStatus.COMPLETED],
        partial=counts[SessionStatus.PARTIAL],
        interrupted=counts[SessionStatus.INTERRUPTED],
        too_much=len(too_much_days),
        work_minutes=work_seconds / 60,
        too_much_days=tuple(sorted(too_much_days)),
        in_progress=counts[SessionStatus.IN_PROGRESS],
        by_status=tuple(
            StatusTotal(status, counts[status], round(seconds[status] / 60, 1))
            for status in TOTAL_ROWS
        ),
        real_minutes=real_seconds / 60,
    )
    return _SessionFigures(
        tuple(days),
        totals,
        tuple(seen),
        streak(days, today),
        tuple(days_per_week(days, today, CHART_WEEKS)),
        tuple(weekly_minutes_by_group(recent, tz, CHART_WEEKS, today)),
        tuple(tuple(week) for week in adherence_calendar(days, today, CALENDAR_WEEKS)),
        tuple(
            SessionRow(
                s.started_at.astimezone(tz),
                s.routine_name,
                s.work_seconds / 60,
                s.status,
                s.too_much,
            )
            for s in latest
        ),
        sessions,
        open_until,
    )


def summarise(data: ProgressInput, parts: SummaryParts | None = None) -> ProgressSummary:
    """Compute every figure the dashboard, charts and report show, in a few passes.

    With ``parts`` (the Coach keeps one), a part whose records are the very same objects as last
    time, for the same day and zone, is reused: a record list is replaced whenever it is read
    again, so "the same object" means "nothing of that kind was written"."""
    tz, today, now = data.tz, data.today, data.now
    kept = parts.sessions if parts is not None else None
    if kept is not None and kept[0] is data.sessions and kept[1] == tz and kept[2] == today:
        figures = kept[3]
        if figures.open_until is not None and (now is None or now >= figures.open_until):
            figures = _session_figures(data.sessions, tz, today, now)
    else:
        figures = _session_figures(data.sessions, tz, today, now)
    if parts is not None and figures.open_until is None:
        parts.sessions = (data.sessions, tz, today, figures)
    sessions = figures.sessions
    seen = list(figures.seen)
    daily = daily_pain(data.checkins, tz) if data.daily is None else data.daily
    held = parts.pain if parts is not None else None
    if (
        held is not None
        and held[0] is data.checkins
        and held[1] is daily
        and (held[2], held[3]) == (tz, today)
    ):
        pain, checkin_seen, noted = held[4], held[5], held[6]
    else:
        pain = _pain(data.checkins, daily, today, tz)
        noted = heapq.nlargest(
            RECENT_NOTES, (c for c in data.checkins if c.note.strip()), key=lambda c: c.at
        )
        checkin_seen = (
            (
                min(c.at for c in data.checkins).astimezone(tz).date(),
                max(c.at for c in data.checkins).astimezone(tz).date(),
            )
            if data.checkins
            else ()
        )
        if parts is not None:
            parts.pain = (data.checkins, daily, tz, today, pain, checkin_seen, noted)
    seen += checkin_seen
    seen += (m.at.astimezone(tz).date() for m in data.measurements)
    seen += (r.at.astimezone(tz).date() for r in data.results)
    questionnaires, psfs_rows = questionnaire_summaries(data.results, data.psfs_activities, tz)
    return ProgressSummary(
        today=today,
        period=(min(seen), max(seen)) if seen else None,
        streak=figures.streak,
        weeks=figures.weeks,
        minutes=figures.minutes,
        calendar=figures.calendar,
        pain=pain,
        flexibility=flexibility_series(data.measurements, tz),
        questionnaires=questionnaires,
        psfs_activities=psfs_rows,
        last_sessions=figures.last_sessions,
        totals=figures.totals,
        plan=assess_pain(
            data.checkins, sessions, today, tz, daily=daily, events=data.programme_events
        ),
        notes=tuple((c.at.astimezone(tz).date(), c.note.strip()) for c in noted),
        open_until=figures.open_until if now is not None else None,
    )
