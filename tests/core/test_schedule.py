"""The reminder schedule: next_due over fake histories and fake ``now`` values.

All times are Europe/Berlin wall-clock unless a test says otherwise. 2025-06-02 is a Monday;
2025-03-30 (spring forward, 02:00 -> 03:00) and 2025-10-26 (fall back, 03:00 -> 02:00) are Sundays.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from deskstretch.core.schedule import (
    END_OF_DAY,
    BreakEvent,
    BreakKind,
    Due,
    EventKind,
    Policy,
    TimeRange,
    default_policy,
    is_working_time,
    next_due,
    next_working_day_start,
    paused_until,
    planned_breaks,
    prompts_on_day,
)

BERLIN = ZoneInfo("Europe/Berlin")
MICRO, STRETCH = BreakKind.MICRO, BreakKind.STRETCH
MONDAY = date(2025, 6, 2)


def at(clock: str, day: date = MONDAY, tz: ZoneInfo = BERLIN, fold: int = 0) -> datetime:
    """``at("10:30")`` -> Monday 2 June 2025 10:30 Berlin time."""
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=tz).replace(fold=fold)


def day_after(n: int) -> date:
    return MONDAY + timedelta(days=n)


def event(
    kind: EventKind, clock: str | datetime, break_kind: BreakKind | None = None, **kw: datetime
) -> BreakEvent:
    when = at(clock) if isinstance(clock, str) else clock
    return BreakEvent(when, kind, break_kind, kw.get("until"))


def due(history: Iterable[BreakEvent], now: str | datetime, policy: Policy | None = None) -> Due:
    when = at(now) if isinstance(now, str) else now
    result = next_due(list(history), policy or default_policy(), when, BERLIN)
    assert result is not None
    return result


def hours(*periods: str, days: Iterable[int] = range(5)) -> dict[int, tuple[TimeRange, ...]]:
    ranges = []
    for text in periods:
        start, end = text.split("-")
        h1, m1 = map(int, start.split(":"))
        h2, m2 = map(int, end.split(":"))
        ranges.append(TimeRange(time(h1, m1), END_OF_DAY if h2 == 24 else time(h2, m2)))
    return {day: tuple(ranges) for day in days}


def local(value: datetime) -> str:
    return value.astimezone(BERLIN).strftime("%a %H:%M")


# --- the plain working day ------------------------------------------------------------------


def test_default_policy_matches_the_documented_defaults() -> None:
    policy = default_policy()
    assert policy.working_hours == {d: (TimeRange(time(9), time(17, 30)),) for d in range(5)}
    assert (policy.micro_interval_minutes, policy.micro_seconds) == (30, 40)
    assert policy.stretch_interval_minutes == 60
    assert (policy.daily_cap, policy.snooze_minutes, policy.retry_minutes) == (16, (5, 10, 15), 10)
    assert policy.start_action == "browser"


@pytest.mark.parametrize(
    ("now", "expected_at", "kind"),
    [
        ("07:00", "09:30", MICRO),  # before work: 30 minutes after work starts
        ("09:00", "09:30", MICRO),
        ("09:29", "09:30", MICRO),
        ("09:45", "09:30", MICRO),  # nothing recorded: due now, no backlog
        ("11:59", "09:30", MICRO),
    ],
)
def test_next_due_with_empty_history(now: str, expected_at: str, kind: BreakKind) -> None:
    result = due([], now)
    assert (result.at, result.break_kind) == (at(expected_at), kind)


def test_due_at_is_in_the_local_zone() -> None:
    result = due([], "07:00")
    assert result.at.tzinfo is BERLIN


def test_reason_explains_the_next_break_in_plain_words() -> None:
    history = [event(EventKind.DONE, "09:30", STRETCH)]
    result = due(history, "09:40", Policy(micro_enabled=False))
    assert result.reason == "stretch break at 10:30: 60 minutes since your last break at 09:30"


def test_due_now_is_said_plainly() -> None:
    assert due([], "09:45").reason.startswith("micro break due now: 30 minutes since work started")


def test_micro_done_resets_only_the_micro_timer() -> None:
    history = [event(EventKind.DONE, "09:30", MICRO)]
    result = due(history, "09:31")
    # micro would be 10:00, stretch is also 10:00 -> the stretch break replaces the micro one
    assert (result.at, result.break_kind) == (at("10:00"), STRETCH)
    assert "replaces the micro break" in result.reason


def test_stretch_done_also_resets_the_micro_timer() -> None:
    history = [event(EventKind.DONE, "10:03", STRETCH)]
    result = due(history, "10:04")
    assert (result.at, result.break_kind) == (at("10:33"), MICRO)


def test_stretch_due_within_the_merge_window_replaces_the_micro_break() -> None:
    # micro done 09:35 -> micro due 10:05; stretch due 10:00 (earlier) -> stretch at 10:00
    assert due([event(EventKind.DONE, "09:35", MICRO)], "09:36").break_kind is STRETCH
    # micro done 09:25 -> micro due 09:55; stretch due 10:00 is 5 min later (window 10) -> stretch
    result = due([event(EventKind.DONE, "09:25", MICRO)], "09:26")
    assert (result.at, result.break_kind) == (at("10:00"), STRETCH)
    # micro done 09:15 -> micro due 09:45; stretch 15 min later is outside the window -> micro
    result = due([event(EventKind.DONE, "09:15", MICRO)], "09:16")
    assert (result.at, result.break_kind) == (at("09:45"), MICRO)


@pytest.mark.parametrize("micro_minutes", [5, 10, 20, 30, 45])
def test_merge_window_is_at_most_ten_minutes_and_half_the_micro_interval(
    micro_minutes: int,
) -> None:
    policy = Policy(micro_interval_minutes=micro_minutes, stretch_interval_minutes=60)
    assert policy.merge_window == timedelta(minutes=min(10, micro_minutes // 2))


def test_ideal_day_alternates_micro_and_stretch_breaks() -> None:
    plan = planned_breaks(default_policy(), MONDAY, 1, BERLIN)
    assert [(b.at.strftime("%H:%M"), b.break_kind.value) for b in plan[:4]] == [
        ("09:30", "micro"),
        ("10:00", "stretch"),
        ("10:30", "micro"),
        ("11:00", "stretch"),
    ]
    assert len(plan) == 16  # 09:30 ... 17:00: exactly Hedge's ~16 a day
    assert plan[-1].at == at("17:00")


def test_only_one_kind_enabled() -> None:
    stretch_only = Policy(micro_enabled=False)
    assert due([], "09:05", stretch_only).break_kind is STRETCH
    micro_only = Policy(stretch_enabled=False)
    plan = planned_breaks(micro_only, MONDAY, 1, BERLIN)
    assert {b.break_kind for b in plan} == {MICRO}
    assert len(plan) == 16  # 09:30, 10:00 ... 17:00


def test_every_kind_disabled_means_nothing_is_due() -> None:
    policy = Policy(micro_enabled=False, stretch_enabled=False)
    assert next_due([], policy, at("10:00"), BERLIN) is None
    assert planned_breaks(policy, MONDAY, 7, BERLIN) == []


# --- answers to a reminder ------------------------------------------------------------------


def test_skip_restarts_the_timer_from_now() -> None:
    history = [event(EventKind.PROMPTED, "09:30", MICRO), event(EventKind.SKIPPED, "09:31", MICRO)]
    result = due(history, "09:32")
    assert (result.at, result.break_kind) == (at("10:00"), STRETCH)
    history = [
        event(EventKind.PROMPTED, "10:00", STRETCH),
        event(EventKind.SKIPPED, "10:01", STRETCH),
    ]
    result = due(history, "10:02")  # skipping the stretch break also restarts the micro timer
    assert (result.at, result.break_kind) == (at("10:31"), MICRO)
    assert "since you skipped one at 10:01" in result.reason


def test_snooze_makes_the_break_due_at_until() -> None:
    history = [
        event(EventKind.PROMPTED, "10:00", STRETCH),
        event(EventKind.SNOOZED, "10:01", STRETCH, until=at("10:16")),
    ]
    result = due(history, "10:02")
    assert (result.at, result.break_kind) == (at("10:16"), STRETCH)
    assert result.reason.startswith("stretch break at 10:16: snoozed")
    assert due(history, "10:20").at == at("10:16")  # past until: due now, same break


def test_snoozed_stretch_break_holds_back_the_micro_break() -> None:
    history = [
        event(EventKind.DONE, "09:30", MICRO),
        event(EventKind.PROMPTED, "10:00", STRETCH),
        event(EventKind.SNOOZED, "10:00", STRETCH, until=at("10:45")),
    ]
    # the micro timer (09:30) would be due at 10:00, but the stretch break is outstanding
    result = due(history, "10:05")
    assert (result.at, result.break_kind) == (at("10:45"), STRETCH)


def test_snoozed_micro_break() -> None:
    history = [
        event(EventKind.PROMPTED, "09:30", MICRO),
        event(EventKind.SNOOZED, "09:30", MICRO, until=at("09:35")),
    ]
    assert (due(history, "09:31").at, due(history, "09:31").break_kind) == (at("09:35"), MICRO)


def test_snooze_past_the_end_of_work_starts_fresh_next_working_day() -> None:
    history = [
        event(EventKind.PROMPTED, "17:00", STRETCH),
        event(EventKind.SNOOZED, "17:00", STRETCH, until=at("17:45")),
    ]
    result = due(history, "17:01")
    assert result.at == at("09:30", day_after(1))
    assert result.break_kind is MICRO


@pytest.mark.parametrize("answer", [EventKind.NOT_DONE, None])
def test_not_done_or_no_answer_asks_again_after_retry_minutes(answer: EventKind | None) -> None:
    history = [event(EventKind.PROMPTED, "10:00", STRETCH)]
    if answer is not None:
        history.append(event(answer, "10:02", STRETCH))
    result = due(history, "10:03")
    expected = "10:12" if answer else "10:10"
    assert (result.at, result.break_kind) == (at(expected), STRETCH)
    assert ("not done" in result.reason) == (answer is not None)
    assert ("got no answer" in result.reason) == (answer is None)


def test_not_done_does_not_reset_the_timer() -> None:
    policy = Policy(retry_minutes=45, micro_enabled=False)
    history = [
        event(EventKind.PROMPTED, "10:00", STRETCH),
        event(EventKind.NOT_DONE, "10:00", STRETCH),
    ]
    assert due(history, "10:01", policy).at == at("10:45")


def test_unanswered_micro_prompt_is_asked_again() -> None:
    history = [event(EventKind.PROMPTED, "09:30", MICRO)]
    result = due(history, "09:31")
    # micro again at 09:40; the stretch break at 10:00 is 20 minutes later: the micro comes first
    assert (result.at, result.break_kind) == (at("09:40"), MICRO)


def test_done_after_a_prompt_clears_the_retry() -> None:
    history = [event(EventKind.PROMPTED, "09:30", MICRO), event(EventKind.DONE, "09:31", MICRO)]
    assert due(history, "09:32").at == at("10:00")


def test_deferred_keeps_the_break_due() -> None:
    history = [event(EventKind.DEFERRED, "09:30", MICRO), event(EventKind.DEFERRED, "09:31", MICRO)]
    result = due(history, "09:32")
    assert (result.at, result.break_kind) == (at("09:30"), MICRO)


# --- natural breaks, suspend, clock changes -------------------------------------------------


def test_natural_break_resets_both_timers_at_the_end_of_the_idle_spell() -> None:
    history = [event(EventKind.NATURAL, "09:50")]
    result = due(history, "09:55")
    assert (result.at, result.break_kind) == (at("10:20"), MICRO)
    assert "away from the keyboard until 09:50" in result.reason


def test_resume_after_suspend_leaves_no_backlog() -> None:
    # Asleep from 09:10 to 13:00: nothing from the morning is owed.
    history = [event(EventKind.DONE, "09:00", STRETCH), event(EventKind.RESUMED, "13:00")]
    result = due(history, "13:00")
    assert (result.at, result.break_kind) == (at("13:30"), MICRO)
    assert "resumed at 13:00" in result.reason


def test_events_after_now_are_ignored_when_the_clock_went_back() -> None:
    # Recorded at 11:00; then the clock was set back to 10:00.
    history = [event(EventKind.DONE, "09:00", STRETCH), event(EventKind.DONE, "11:00", STRETCH)]
    result = due(history, "10:00")
    assert result.at == at("09:30")  # as if 11:00 had not happened yet
    assert result.at >= at("09:00")


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_due([], default_policy(), datetime(2025, 6, 2, 10, 0), BERLIN)


# --- pauses ---------------------------------------------------------------------------------


def test_pause_holds_every_reminder_until_it_ends() -> None:
    history = [event(EventKind.PAUSED, "10:10", until=at("14:00"))]
    result = due(history, "10:15")
    assert (result.at, result.break_kind) == (at("14:30"), MICRO)
    assert result.reason.startswith("paused until 14:00; micro break at 14:30")
    assert paused_until(history, at("10:15")) == at("14:00")


def test_unpause_ends_the_pause_early_and_restarts_the_timers() -> None:
    history = [
        event(EventKind.PAUSED, "10:10", until=at("14:00")),
        event(EventKind.UNPAUSED, "11:00"),
    ]
    result = due(history, "11:05")
    assert (result.at, result.break_kind) == (at("11:30"), MICRO)
    assert paused_until(history, at("11:05")) is None


def test_an_expired_pause_counts_as_a_break() -> None:
    history = [event(EventKind.PAUSED, "10:10", until=at("11:00"))]
    assert due(history, "11:20").at == at("11:30")
    assert paused_until(history, at("11:20")) is None


def test_pause_until_tomorrow() -> None:
    until = next_working_day_start(default_policy(), at("10:00"), BERLIN)
    assert until == at("09:00", day_after(1))
    history = [event(EventKind.PAUSED, "10:00", until=until)]
    result = due(history, "16:00")
    assert result.at == at("09:30", day_after(1))
    assert result.reason.startswith("paused until Tue 09:00")


def test_pause_until_tomorrow_on_a_friday_means_monday() -> None:
    friday = day_after(4)
    assert next_working_day_start(default_policy(), at("10:00", friday), BERLIN) == at(
        "09:00", day_after(7)
    )


def test_pause_without_an_until_is_ignored() -> None:
    history = [BreakEvent(at("09:00"), EventKind.PAUSED)]
    assert due(history, "09:10").at == at("09:30")


# --- working hours --------------------------------------------------------------------------


LUNCH = Policy(working_hours=hours("09:00-12:30", "13:30-17:30"))


def test_timer_does_not_carry_over_lunch() -> None:
    history = [event(EventKind.DONE, "12:15", STRETCH)]
    # 12:45 would be in the lunch gap; the timers restart when the afternoon starts
    result = due(history, "12:20", LUNCH)
    assert (result.at, result.break_kind) == (at("14:00"), MICRO)
    assert result.reason.endswith("30 minutes after work starts at 13:30")


def test_nothing_is_due_during_lunch() -> None:
    result = due([event(EventKind.DONE, "11:00", STRETCH)], "12:45", LUNCH)
    assert result.at == at("14:00")
    assert result.reason.startswith("outside working hours; next working period starts 13:30")


def test_touching_periods_count_as_one() -> None:
    policy = Policy(working_hours=hours("09:00-12:00", "12:00-17:30"))
    result = due([event(EventKind.DONE, "11:45", STRETCH)], "11:50", policy)
    assert result.at == at("12:15")


def test_retry_that_falls_into_lunch_starts_fresh_after_lunch() -> None:
    history = [
        event(EventKind.DONE, "11:55", STRETCH),
        event(EventKind.PROMPTED, "12:25", MICRO),
        event(EventKind.NOT_DONE, "12:25", MICRO),
    ]
    result = due(history, "12:26", LUNCH)
    assert (result.at, result.break_kind) == (at("14:00"), MICRO)


def test_a_break_is_never_due_at_the_end_of_a_period() -> None:
    # stretch done 16:30: micro would be 17:00, stretch 17:30 = the end of work -> not today
    history = [event(EventKind.DONE, "16:30", STRETCH)]
    result = due(history, "16:31")
    assert (result.at, result.break_kind) == (at("17:00"), MICRO)
    history.append(event(EventKind.DONE, "17:00", MICRO))
    result = due(history, "17:01")
    assert result.at == at("09:30", day_after(1))


def test_friday_evening_looks_to_monday() -> None:
    friday = day_after(4)
    result = due([], at("18:00", friday))
    assert result.at == at("09:30", day_after(7))
    assert result.reason.startswith("outside working hours; next working period starts Mon 09:00")


def test_a_period_shorter_than_the_interval_gets_no_break() -> None:
    policy = Policy(
        working_hours={0: (TimeRange(time(9), time(9, 20)), TimeRange(time(10), time(12)))},
        micro_enabled=False,
    )
    assert due([], at("09:00"), policy).at == at("11:00")


def test_working_time_edges() -> None:
    policy = default_policy()
    assert is_working_time(policy, at("09:00"), BERLIN)
    assert is_working_time(policy, at("17:29"), BERLIN)
    assert not is_working_time(policy, at("17:30"), BERLIN)
    assert not is_working_time(policy, at("08:59"), BERLIN)
    assert not is_working_time(policy, at("10:00", day_after(5)), BERLIN)  # Saturday
    assert is_working_time(policy, at("10:00").astimezone(UTC), BERLIN)  # any zone for now


def test_weekend_days_and_midnight_periods() -> None:
    always = Policy(working_hours=hours("00:00-24:00", days=range(7)))
    assert is_working_time(always, at("23:59", day_after(5)), BERLIN)
    # a timer runs across midnight when the periods touch
    result = due([event(EventKind.DONE, "23:50", STRETCH)], "23:55", always)
    assert result.at == at("00:20", day_after(1))


# --- daily cap ------------------------------------------------------------------------------


def _prompted(times: Iterable[str]) -> list[BreakEvent]:
    history = []
    for clock in times:
        history += [event(EventKind.PROMPTED, clock, MICRO), event(EventKind.DONE, clock, MICRO)]
    return history


def test_daily_cap_moves_the_next_break_to_the_next_working_day() -> None:
    policy = Policy(daily_cap=3)
    history = _prompted(["09:30", "10:00", "10:30"])
    result = due(history, "10:31", policy)
    assert result.at == at("09:30", day_after(1))
    assert result.reason.startswith("daily limit of 3 reminders reached")
    assert prompts_on_day(history, at("10:31"), BERLIN) == 3


def test_daily_cap_counts_only_the_local_day() -> None:
    policy = Policy(daily_cap=3)
    history = _prompted(["15:30", "16:00", "16:30"])
    result = due(history, at("09:05", day_after(1)), policy)
    assert result.at == at("09:30", day_after(1))
    assert not result.reason.startswith("daily limit")


def test_under_the_cap_nothing_changes() -> None:
    history = _prompted(["09:30", "10:00"])
    assert due(history, "10:05", Policy(daily_cap=3, stretch_enabled=False)).at == at("10:30")


def test_planned_day_stops_at_the_cap() -> None:
    plan = planned_breaks(Policy(daily_cap=5), MONDAY, 2, BERLIN)
    assert [local(b.at) for b in plan] == [
        "Mon 09:30",
        "Mon 10:00",
        "Mon 10:30",
        "Mon 11:00",
        "Mon 11:30",
        "Tue 09:30",
        "Tue 10:00",
        "Tue 10:30",
        "Tue 11:00",
        "Tue 11:30",
    ]


# --- DST ------------------------------------------------------------------------------------

SPRING = date(2025, 3, 30)  # 02:00 -> 03:00
AUTUMN = date(2025, 10, 26)  # 03:00 -> 02:00
ALWAYS = Policy(
    working_hours=hours("00:00-24:00", days=range(7)), micro_enabled=False, daily_cap=100
)


def test_intervals_are_real_minutes_across_spring_forward() -> None:
    history = [event(EventKind.DONE, at("01:30", SPRING), STRETCH)]
    result = due(history, at("01:31", SPRING), ALWAYS)
    assert result.at.astimezone(UTC) - at("01:30", SPRING).astimezone(UTC) == timedelta(hours=1)
    assert result.at.strftime("%H:%M %Z") == "03:30 CEST"


def test_intervals_are_real_minutes_across_fall_back() -> None:
    history = [event(EventKind.DONE, at("02:30", AUTUMN), STRETCH)]  # first 02:30 (CEST)
    result = due(history, at("02:31", AUTUMN), ALWAYS)
    assert result.at.astimezone(UTC) - at("02:30", AUTUMN).astimezone(UTC) == timedelta(hours=1)
    assert result.at.strftime("%H:%M %Z") == "02:30 CET"  # the second 02:30


def test_working_hours_stay_wall_clock_on_dst_days() -> None:
    weekend = Policy(working_hours=hours("09:00-17:30", days=[6]))
    for day in (SPRING, AUTUMN):
        plan = planned_breaks(weekend, day, 1, BERLIN)
        assert [b.at.strftime("%H:%M") for b in plan][:2] == ["09:30", "10:00"]
        assert plan[-1].at.strftime("%H:%M") == "17:00"
        assert len(plan) == 16


def test_planned_day_has_23_and_25_hours_on_dst_days() -> None:
    spring = planned_breaks(ALWAYS, SPRING, 1, BERLIN)
    autumn = planned_breaks(ALWAYS, AUTUMN, 1, BERLIN)
    assert (len(spring), len(autumn)) == (22, 24)  # hourly, not at the midnight that ends the day
    # aware datetimes in the same zone subtract as wall clock: compare in UTC
    steps = {b.at.astimezone(UTC) - a.at.astimezone(UTC) for a, b in pairwise(autumn)}
    assert steps == {timedelta(hours=1)}


def test_a_period_starting_in_the_skipped_hour_starts_when_the_clock_jumps() -> None:
    policy = Policy(working_hours=hours("02:30-06:00", days=[6]), micro_enabled=False)
    result = due([], at("00:00", SPRING), policy)
    # 02:30 does not exist that night; the period begins at 03:00 CEST (01:00 UTC) ... 02:30 CET
    # would be 01:30 UTC, which is 03:30 CEST: Python reads the missing time with the old offset.
    assert result.at.astimezone(UTC) == datetime(2025, 3, 30, 2, 30, tzinfo=UTC)


# --- properties over many random histories --------------------------------------------------


def _random_history(rng: random.Random, start: datetime, count: int) -> list[BreakEvent]:
    history = []
    moment = start
    for _ in range(count):
        moment += timedelta(minutes=rng.randint(0, 240))
        kind = rng.choice(list(EventKind))
        break_kind = rng.choice([MICRO, STRETCH, None])
        until = moment + timedelta(minutes=rng.randint(-30, 600)) if rng.random() < 0.8 else None
        history.append(BreakEvent(moment, kind, break_kind, until))
    rng.shuffle(history)
    return history


POLICIES = [
    default_policy(),
    LUNCH,
    Policy(daily_cap=4),
    Policy(micro_enabled=False),
    Policy(working_hours=hours("07:00-11:00", "11:00-15:00", days=[0, 2, 5])),
    Policy(working_hours=hours("00:00-24:00", days=range(7))),
]


@pytest.mark.parametrize("seed", range(40))
def test_next_due_is_always_in_working_time_and_never_a_backlog(seed: int) -> None:
    rng = random.Random(seed)
    policy = POLICIES[seed % len(POLICIES)]
    start = at("06:00", date(2025, 3, 24)) + timedelta(days=rng.randint(0, 250))
    history = _random_history(rng, start, rng.randint(0, 40))
    for _ in range(10):
        now = start + timedelta(minutes=rng.randint(0, 7 * 24 * 60))
        result = next_due(history, policy, now, BERLIN)
        assert result is not None
        assert is_working_time(policy, result.at, BERLIN), (now, result)
        past = [e for e in history if e.at <= now]
        if result.at <= now:
            # due now only while working, and never before the last reset
            assert is_working_time(policy, now, BERLIN), (now, result)
            resets = [e.at for e in past if e.kind in (EventKind.RESUMED, EventKind.NATURAL)]
            assert not resets or result.at >= max(resets), (now, result)
        else:
            assert result.at - now <= timedelta(days=9), (now, result)
        assert result.reason


@pytest.mark.parametrize("days", [1, 7, 31])
def test_planned_breaks_are_in_order_in_working_time_and_within_the_days(days: int) -> None:
    for policy in POLICIES:
        first = SPRING - timedelta(days=6)  # a Monday; 7 and 31 days include the DST change
        plan = planned_breaks(policy, first, days, BERLIN)
        assert plan, policy
        assert all(is_working_time(policy, b.at, BERLIN) for b in plan)
        assert all(a.at < b.at for a, b in pairwise(plan))
        assert plan[0].at.date() >= first
        assert plan[-1].at.date() < first + timedelta(days=days)
        per_day: dict[date, int] = {}
        for b in plan:
            per_day[b.at.date()] = per_day.get(b.at.date(), 0) + 1
        assert max(per_day.values()) <= policy.daily_cap


def test_planned_break_lengths() -> None:
    plan = planned_breaks(Policy(micro_seconds=30, stretch_minutes=4), MONDAY, 1, BERLIN)
    assert {(b.break_kind, b.minutes) for b in plan} == {(MICRO, 0.5), (STRETCH, 4)}


# --- Policy invariants ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"working_hours": {}}, "at least one working period"),
        ({"working_hours": {7: (TimeRange(time(9), time(10)),)}}, "weekday"),
        (
            {"working_hours": hours("09:00-12:00", "11:00-13:00")},
            "overlap",
        ),
        ({"micro_interval_minutes": 0}, "micro_interval_minutes"),
        ({"daily_cap": 0}, "daily_cap"),
    ],
)
def test_policy_refuses_impossible_values(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Policy(**kwargs)  # type: ignore[arg-type]


def test_time_range_must_end_after_it_starts() -> None:
    with pytest.raises(ValueError, match="end after"):
        TimeRange(time(17), time(9))
    assert str(TimeRange(time(9, 5), END_OF_DAY)) == "09:05-24:00"


# --- across weekends and zones --------------------------------------------------------------


def test_daily_cap_on_a_friday_moves_to_monday() -> None:
    friday = day_after(4)
    history = [event(EventKind.PROMPTED, at(clock, friday), MICRO) for clock in ("09:30", "10:00")]
    result = due(history, at("10:05", friday), Policy(daily_cap=2))
    assert result.at == at("09:30", day_after(7))
    assert result.reason.startswith("daily limit of 2 reminders reached; micro break at Mon 09:30")


def test_over_a_weekend_with_a_dst_change() -> None:
    friday = date(2025, 3, 28)
    result = due([], at("18:00", friday))
    assert result.at == at("09:30", date(2025, 3, 31))
    assert result.at.utcoffset() == timedelta(hours=2)  # summer time by Monday


def test_a_fixed_offset_zone_works_too() -> None:
    plus_two = timezone(timedelta(hours=2))
    now = datetime(2025, 6, 2, 10, 5, tzinfo=plus_two)
    history = [BreakEvent(datetime(2025, 6, 2, 10, 0, tzinfo=plus_two), EventKind.DONE, STRETCH)]
    result = next_due(history, default_policy(), now, plus_two)
    assert result is not None
    assert result.at == datetime(2025, 6, 2, 10, 30, tzinfo=plus_two)
    assert is_working_time(default_policy(), now, plus_two)


def test_history_order_does_not_matter_for_different_times() -> None:
    history = [
        event(EventKind.DONE, "10:00", STRETCH),
        event(EventKind.PROMPTED, "09:30", MICRO),
        event(EventKind.SNOOZED, "09:31", MICRO, until=at("09:41")),
    ]
    assert due(history, "10:05") == due(sorted(history, key=lambda e: e.at), "10:05")
    assert due(history, "10:05").at == at("10:30")


def test_reasons_name_what_reset_the_timer() -> None:
    cases = {
        EventKind.DONE: "since your last break at 10:00",
        EventKind.SKIPPED: "since you skipped one at 10:00",
        EventKind.NATURAL: "since you were away from the keyboard until 10:00",
        EventKind.RESUMED: "since deskstretch resumed at 10:00",
    }
    for kind, words in cases.items():
        result = due([event(kind, "10:00", STRETCH)], "10:05")
        assert result.reason == f"micro break at 10:30: 30 minutes {words}"
