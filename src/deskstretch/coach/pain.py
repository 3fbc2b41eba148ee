"""The pain rules over the last 14 days, for the Coach: which records fall in the window.

The rules themselves are in ``core.painrules``; this only picks the window (from local midnight,
so it and the Coach's cache key stay the same all day) and the records in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo

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
    since = since.astimezone(UTC)  # as the records are: no offset lookup per comparison
    return assess_pain(
        [checkin for checkin in checkins if checkin.at >= since],
        [session for session in sessions if session.started_at >= since],
        today,
        tz,
        daily=tuple(reading for reading in all_daily if reading.day >= first_day),
        events=events,
        pause_daily=all_daily,
    )


CHANGED_AT_MOST = 64
"""More changed check-ins than this and a whole pass is as quick (an import, say)."""


def updated_daily_pain(
    before: Sequence[CheckIn], tz: tzinfo, daily: Sequence[DailyPain], checkins: Sequence[CheckIn]
) -> tuple[DailyPain, ...] | None:
    """``daily_pain(checkins, tz)``, from ``daily`` (the readings of ``before``) when most check-ins
    are the very same records (the history reader keeps the unchanged ones): only the days of
    the check-ins added, changed or removed are worked out again. None when too many changed."""
    kept = {id(checkin) for checkin in before}
    now = {id(checkin) for checkin in checkins}
    changed = [c for c in checkins if id(c) not in kept] + [c for c in before if id(c) not in now]
    if len(changed) > CHANGED_AT_MOST:
        return None
    days = {checkin.local_day(tz) for checkin in changed}
    if not days:
        return tuple(daily)
    # Compare times first (in UTC, as the records are), with a day's margin for any offset: only
    # the few check-ins near the changed days need their local day worked out.
    low = datetime.combine(min(days) - timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
    high = datetime.combine(max(days) + timedelta(days=2), time(), tzinfo=tz).astimezone(UTC)
    near = (c for c in checkins if low <= c.at < high)
    again = daily_pain((c for c in near if c.local_day(tz) in days), tz)
    by_day = {reading.day: reading for reading in daily if reading.day not in days}
    by_day.update((reading.day, reading) for reading in again)
    return tuple(by_day[day] for day in sorted(by_day))
