"""The pain rules over the last 14 days, for the Coach: which records fall in the window.

The rules themselves are in ``core.painrules``; this only picks the window (from local midnight,
so it and the Coach's cache key stay the same all day) and the records in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from deskstretch.core.painrules import DailyPain, PainPlan, assess_pain, daily_pain
from deskstretch.core.records import CheckIn, ProgrammeEvent, SessionRecord

WINDOW_DAYS = 14


def pain_window_start(today: date, tz: tzinfo) -> datetime:
    """The pain rules look at the last 14 days, from local midnight: the window (like the cache
    key) is the same all day."""
    return datetime.combine(today - timedelta(days=WINDOW_DAYS), datetime.min.time(), tz)


def windowed_pain_plan(
    checkins: Sequence[CheckIn],
    sessions: Sequence[SessionRecord],
    events: Sequence[ProgrammeEvent],
    today: date,
    tz: tzinfo,
    all_daily: Sequence[DailyPain] | None = None,
) -> PainPlan:
    """The pain rules over the records of the window (any records outside it are left out),
    except the pause, which looks at every check-in given: only the person lifts it.
    ``all_daily``: ``daily_pain(checkins, tz)`` when the caller has it already."""
    since = pain_window_start(today, tz)
    if all_daily is None:
        all_daily = daily_pain(checkins, tz)
    # The window starts at local midnight, so its days are exactly the later days of all_daily.
    first_day = since.date()
    return assess_pain(
        [checkin for checkin in checkins if checkin.at >= since],
        [session for session in sessions if session.started_at >= since],
        today,
        tz,
        daily=tuple(reading for reading in all_daily if reading.day >= first_day),
        events=events,
        pause_daily=all_daily,
    )
