"""The Coach's enrolment in a programme over weeks: start, switch, stop, and what outlives it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.records import Enrolment

# 11:30 UTC on 2 March is already 3 March in Auckland (UTC+13 in March) and still 2 March in
# Los Angeles: the local day, not the UTC day, is week 1's first day.
NOW = datetime(2026, 3, 2, 11, 30, tzinfo=UTC)


@pytest.fixture
def coach(monkeypatch: pytest.MonkeyPatch) -> Coach:
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    return Coach(Settings.from_env())


def test_nobody_is_enrolled_at_first(coach: Coach) -> None:
    assert coach.enrolment() is None
    assert coach.stop_programme(now=NOW) is None
    assert coach.record_counts()["enrolments"] == 0


@pytest.mark.parametrize(
    ("zone", "local_day"),
    [("Pacific/Auckland", date(2026, 3, 3)), ("America/Los_Angeles", date(2026, 3, 2))],
)
def test_start_programme_begins_on_the_local_day(
    monkeypatch: pytest.MonkeyPatch, zone: str, local_day: date
) -> None:
    monkeypatch.setenv("TZ", zone)
    coach = Coach(Settings.from_env())

    started = coach.start_programme("desk-back-6-weeks", now=NOW)

    assert started == Enrolment(started.id, "desk-back-6-weeks", local_day, NOW)
    assert started.id  # a new id
    assert coach.enrolment() == started


def test_start_programme_takes_a_chosen_first_day(coach: Coach) -> None:
    """Starting next Monday: the enrolment is made now, week 1 begins on the day given."""
    monday = date(2026, 3, 9)
    started = coach.start_programme("desk-back-6-weeks", monday, now=NOW)
    assert started.started_on == monday and started.at == NOW
    assert coach.enrolment() == started


def test_start_programme_reads_the_clock_when_not_given_a_time(coach: Coach) -> None:
    before = datetime.now(UTC)
    started = coach.start_programme("desk-back-6-weeks")
    after = datetime.now(UTC)
    assert before <= started.at <= after and started.at.tzinfo is not None
    assert started.started_on == started.at.astimezone(coach.local_tz()).date()


def test_switching_programmes_ends_the_active_enrolment(coach: Coach) -> None:
    first = coach.start_programme("desk-back-6-weeks", now=NOW)
    later = NOW + timedelta(days=10)

    second = coach.start_programme("desk-back-maintenance", now=later)

    assert coach.enrolment() == second
    assert second.id != first.id
    export = coach.export_all()["enrolments"]
    assert [(e["id"], e["ended_at"]) for e in export] == [
        (first.id, later.isoformat()),
        (second.id, None),
    ]


def test_stop_programme_ends_the_enrolment_and_keeps_its_history(coach: Coach) -> None:
    started = coach.start_programme("desk-back-6-weeks", now=NOW)
    stopped_at = NOW + timedelta(days=20)

    stopped = coach.stop_programme(now=stopped_at)

    assert stopped == Enrolment(
        started.id, "desk-back-6-weeks", started.started_on, NOW, ended_at=stopped_at
    )
    assert coach.enrolment() is None
    assert coach.stop_programme(now=stopped_at + timedelta(days=1)) is None
    assert coach.record_counts()["enrolments"] == 1


def test_the_enrolment_outlives_a_restart(coach: Coach) -> None:
    started = coach.start_programme("desk-back-6-weeks", now=NOW)
    assert Coach(Settings.from_env()).enrolment() == started


def test_forget_everything_forgets_the_enrolment(coach: Coach) -> None:
    coach.start_programme("desk-back-6-weeks", now=NOW)
    coach.forget_everything()
    assert coach.enrolment() is None
    assert coach.record_counts()["enrolments"] == 0


def test_an_enrolment_survives_export_and_import(coach: Coach) -> None:
    started = coach.start_programme("desk-back-6-weeks", now=NOW)
    exported = coach.export_all()
    coach.forget_everything()

    summary = coach.import_records(exported)

    assert summary.imported["enrolments"] == 1
    assert coach.enrolment() == started
