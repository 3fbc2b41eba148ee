"""coach.plans: the records left out before the programme's history is replayed change nothing
(the standing is the same with all of them), over random histories, time zones and enrolment
days, including sparse check-ins and records from long before the enrolment."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest

from deskstretch.catalogue.loader import load_catalogue, load_routines
from deskstretch.catalogue.programmes import load_programmes
from deskstretch.coach.plans import checkins_read_by_standing, sessions_since
from deskstretch.core.programme import Programme, standing
from deskstretch.core.records import CheckIn, SessionRecord, SessionStatus

ZONES: tuple[tzinfo, ...] = (
    UTC,
    timezone(timedelta(hours=14)),
    timezone(timedelta(hours=-12)),
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("America/Sao_Paulo"),
)


@pytest.fixture(scope="module")
def programme() -> Programme:
    routines = load_routines(load_catalogue(), [])
    return load_programmes(routines).find("desk-back-6-weeks")


def history(
    rng: random.Random, started: date, today: date, sparse: bool
) -> tuple[list[SessionRecord], list[CheckIn]]:
    """Sessions and check-ins from a year before the enrolment to today, sorted by time as the
    store reads them; ``sparse``: a check-in every few weeks only."""
    sessions: list[SessionRecord] = []
    checkins: list[CheckIn] = []
    first = started - timedelta(days=365)
    for offset in range((today - first).days + 1):
        day = datetime.combine(first + timedelta(days=offset), datetime.min.time(), UTC)
        if rng.random() < 0.5:
            at = day + timedelta(minutes=rng.randrange(24 * 60))
            status = rng.choice(list(SessionStatus))
            sessions.append(
                SessionRecord(
                    f"s{offset}", "hamstring-2min", "x", at, status, (), None, rng.random() < 0.15
                )
            )
        for number in range(rng.choice((0, 1, 1, 2, 3)) if not sparse or offset % 23 == 0 else 0):
            at = day + timedelta(minutes=rng.randrange(24 * 60))
            back = rng.choice((None, *range(11)))
            leg = rng.choice((None, None, *range(4)))
            checkins.append(CheckIn(f"c{offset}-{number}", at, back, leg))
    sessions.sort(key=lambda s: s.started_at)
    checkins.sort(key=lambda c: c.at)
    return sessions, checkins


@pytest.mark.parametrize("seed", range(40))
def test_leaving_out_unread_records_keeps_the_standing(programme: Programme, seed: int) -> None:
    rng = random.Random(seed)
    tz = ZONES[seed % len(ZONES)]
    started = date(2026, 1, 1) + timedelta(days=rng.randrange(300))
    today = started + timedelta(days=rng.randrange(50))
    sessions, checkins = history(rng, started, today, sparse=seed % 4 == 0)
    full = standing(programme, started, sessions, checkins, today, tz)
    window = timedelta(days=programme.progression.window_days)
    kept_sessions = sessions_since(sessions, started)
    kept_checkins = checkins_read_by_standing(checkins, started - window, tz)
    trimmed = standing(programme, started, kept_sessions, kept_checkins, today, tz)
    assert trimmed == full
    if seed % 4:  # daily check-ins: most of the year is left out
        assert len(kept_checkins) < len(checkins) / 3
        assert len(kept_sessions) < len(sessions) / 3


def test_a_flare_just_before_the_window_is_still_seen(programme: Programme) -> None:
    """Two worse days in a row that end on the window's first day compare with days before it."""
    tz = UTC
    started = date(2026, 3, 2)
    first = started - timedelta(days=programme.progression.window_days)
    noon = datetime.combine(first, datetime.min.time(), UTC) + timedelta(hours=12)
    # Readings months before, then 2 and 3 days before the window, then a worse first day.
    checkins = [CheckIn(f"old{n}", noon - timedelta(days=200 + n), 1, None) for n in range(30)]
    checkins += [
        CheckIn("a", noon - timedelta(days=3), 2, None),
        CheckIn("b", noon - timedelta(days=2), 4, None),
        CheckIn("c", noon, 6, None),
    ]
    kept = checkins_read_by_standing(checkins, first, tz)
    assert [c.id for c in kept] == ["a", "b", "c"]
    today = started + timedelta(days=8)
    assert standing(programme, started, [], kept, today, tz) == standing(
        programme, started, [], checkins, today, tz
    )
