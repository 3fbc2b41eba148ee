"""coach.pain.updated_daily_pain: after a few check-ins are added, changed or removed, working out
only their days gives exactly daily_pain over all of them, in any time zone."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest

from deskstretch.coach.pain import CHANGED_AT_MOST, updated_daily_pain
from deskstretch.core.painrules import daily_pain
from deskstretch.core.records import CheckIn

ZONES: tuple[tzinfo, ...] = (UTC, timezone(timedelta(hours=-11)), ZoneInfo("Europe/Berlin"))
START = datetime(2026, 1, 1, tzinfo=UTC)


def history(rng: random.Random) -> list[CheckIn]:
    found = [
        CheckIn(
            f"c{n}",
            START + timedelta(minutes=rng.randrange(60 * 24 * 60)),
            rng.choice((None, *range(11))),
            rng.choice((None, None, *range(5))),
        )
        for n in range(300)
    ]
    return sorted(found, key=lambda c: (c.at, c.id))


@pytest.mark.parametrize("seed", range(30))
def test_only_the_changed_days_are_worked_out_again_and_agree(seed: int) -> None:
    rng = random.Random(seed)
    tz = ZONES[seed % len(ZONES)]
    before = history(rng)
    daily = daily_pain(before, tz)
    after = list(before)
    for _ in range(rng.randrange(1, 6)):
        what = rng.choice(("add", "change", "move", "remove"))
        index = rng.randrange(len(after))
        if what == "add":
            at = START + timedelta(minutes=rng.randrange(60 * 24 * 60))
            after.append(CheckIn(f"new{rng.random()}", at, rng.randrange(11), None))
        elif what == "change":
            after[index] = replace(after[index], back_pain=rng.randrange(11))
        elif what == "move":
            after[index] = replace(after[index], at=after[index].at + timedelta(hours=30))
        else:
            del after[index]
    after.sort(key=lambda c: (c.at, c.id))
    assert updated_daily_pain(before, tz, daily, after) == daily_pain(after, tz)


def test_many_changes_mean_a_whole_pass() -> None:
    before = history(random.Random(1))
    copies = [replace(checkin) for checkin in before]  # equal, but none the same record
    assert len(copies) > CHANGED_AT_MOST
    assert updated_daily_pain(before, UTC, daily_pain(before, UTC), copies) is None
