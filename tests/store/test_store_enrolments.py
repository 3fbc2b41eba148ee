"""Enrolments in a programme over weeks, on SQLite and on PostgreSQL: stored, ended, at most one
active, counted and forgotten."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from deskstretch.store import Store, StoreError
from deskstretch.store import repository as repo
from helpers.store_factories import BERLIN_WINTER, T0, at, make_enrolment


def test_an_enrolment_round_trips_with_its_local_day_and_utc_times(store: Store) -> None:
    chosen = make_enrolment(when=T0.astimezone(BERLIN_WINTER))
    repo.add_enrolment(store, chosen)

    [back] = repo.list_enrolments(store)
    assert back == make_enrolment(when=T0)
    assert back.started_on == date(2025, 3, 5) and type(back.started_on) is date
    assert back.at.tzinfo is UTC
    assert back.ended_at is None and back.is_active
    assert repo.current_enrolment(store) == back


def test_nobody_is_enrolled_until_they_choose(store: Store) -> None:
    assert repo.current_enrolment(store) is None
    assert repo.list_enrolments(store) == []
    assert repo.end_enrolment(store, at(1)) is None
    assert repo.list_enrolments(store) == []


def test_ending_the_enrolment_keeps_it_in_the_history(store: Store) -> None:
    repo.add_enrolment(store, make_enrolment())

    ended = repo.end_enrolment(store, at(60))

    assert ended == make_enrolment(ended_at=at(60))
    assert not ended.is_active
    assert repo.current_enrolment(store) is None
    assert repo.list_enrolments(store) == [ended]
    assert repo.end_enrolment(store, at(90)) is None  # ending twice keeps the first time
    assert repo.list_enrolments(store) == [ended]


def test_an_enrolment_never_ends_before_it_began(store: Store) -> None:
    """A clock set back between choosing and stopping must not give a negative enrolment."""
    repo.add_enrolment(store, make_enrolment(when=at(30)))
    ended = repo.end_enrolment(store, at(10))
    assert ended is not None and ended.ended_at == at(30)


def test_a_new_enrolment_ends_the_active_one_in_the_same_write(store: Store) -> None:
    first = make_enrolment("first", at(0))
    repo.add_enrolment(store, first)
    second = make_enrolment("second", at(45), programme_id="desk-back-maintenance")

    ended = repo.add_enrolment(store, second)

    assert ended == [make_enrolment("first", at(0), ended_at=at(45))]
    assert repo.list_enrolments(store) == [ended[0], second]
    assert repo.current_enrolment(store) == second
    assert [e.id for e in repo.list_enrolments(store) if e.is_active] == ["second"]


def test_adding_an_ended_enrolment_leaves_the_active_one_alone(store: Store) -> None:
    active = make_enrolment("active", at(0))
    repo.add_enrolment(store, active)
    past = make_enrolment("past", at(-600), ended_at=at(-100))

    assert repo.add_enrolment(store, past) == []
    assert repo.list_enrolments(store) == [past, active]
    assert repo.current_enrolment(store) == active


def test_a_failed_new_enrolment_leaves_the_active_one_active(store: Store) -> None:
    repo.add_enrolment(store, make_enrolment("first", at(0)))
    with pytest.raises(StoreError, match="already stored"):
        repo.add_enrolment(store, make_enrolment("first", at(10)))
    assert repo.current_enrolment(store) == make_enrolment("first", at(0))


def test_naive_times_are_refused_and_nothing_changes(store: Store) -> None:
    repo.add_enrolment(store, make_enrolment())
    with pytest.raises(StoreError, match="timezone-aware"):
        repo.end_enrolment(store, datetime(2025, 3, 4, 9, 0))
    with pytest.raises(StoreError, match="timezone-aware"):
        repo.add_enrolment(store, make_enrolment("naive", datetime(2025, 3, 4, 9, 0)))
    assert repo.list_enrolments(store) == [make_enrolment()]


def test_enrolments_are_counted_and_forgotten(store: Store) -> None:
    repo.add_enrolment(store, make_enrolment("first", at(0)))
    repo.add_enrolment(store, make_enrolment("second", at(5)))
    assert repo.counts(store)["enrolments"] == 2

    repo.forget_everything(store, vacuum=False)

    assert repo.counts(store)["enrolments"] == 0
    assert repo.list_enrolments(store) == []
    assert repo.current_enrolment(store) is None


def test_the_history_names_the_same_active_enrolment_as_the_query() -> None:
    """active_enrolment (over the enrolments read with the history) picks what
    current_enrolment's SQL picks: the newest active one, ties broken by id."""
    same_time = [
        make_enrolment("b", at(5)),
        make_enrolment("a", at(5)),
        make_enrolment("old", at(1)),
        make_enrolment("ended", at(9), ended_at=at(10)),
    ]
    assert repo.active_enrolment(same_time) == make_enrolment("b", at(5))
    assert repo.active_enrolment([make_enrolment("x", at(1), ended_at=at(2))]) is None


def test_read_history_carries_the_enrolments(store: Store) -> None:
    repo.add_enrolment(store, make_enrolment("first", at(1)))
    repo.add_enrolment(store, make_enrolment("second", at(2)))
    history = repo.read_history(store)[1]
    assert history.enrolments == repo.list_enrolments(store)
    assert repo.active_enrolment(history.enrolments) == repo.current_enrolment(store)
