"""Lessons read are kept in state.toml: they survive a round trip, an older state file without
them loads as none read, and marking one keeps the other facts in the file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from deskstretch.coach import Coach
from deskstretch.config import Settings, State, load_state, save_state
from deskstretch.core.errors import NotFoundError

RECHECKED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def settings() -> Settings:
    return Settings.from_env()


def test_state_round_trips_lessons_read_in_order(settings: Settings) -> None:
    state = State(cauda_equina_rechecked_at=RECHECKED, lessons_read=("when-to-worry", "b-lesson"))
    save_state(settings, state)
    assert load_state(settings) == state


def test_an_older_state_file_without_lessons_loads_as_none_read(settings: Settings) -> None:
    settings.state_file.parent.mkdir(parents=True, exist_ok=True)
    settings.state_file.write_text("cauda_equina_rechecked_at = 2026-03-02T09:30:00Z\n")
    assert load_state(settings) == State(cauda_equina_rechecked_at=RECHECKED, lessons_read=())


def test_a_damaged_lessons_list_keeps_only_its_ids(settings: Settings) -> None:
    settings.state_file.parent.mkdir(parents=True, exist_ok=True)
    settings.state_file.write_text('lessons_read = ["a", 3, "b", "a"]\n')
    assert load_state(settings).lessons_read == ("a", "b")
    settings.state_file.write_text('lessons_read = "a"\n')
    assert load_state(settings).lessons_read == ()


def test_coach_marks_a_lesson_read_once_and_keeps_the_rest_of_the_state(
    settings: Settings,
) -> None:
    save_state(settings, State(cauda_equina_rechecked_at=RECHECKED))
    coach = Coach(settings)
    first, second = coach.lessons()[1].id, coach.lessons()[0].id
    assert coach.lessons_read() == ()
    assert coach.mark_lesson_read(first) is True
    assert coach.mark_lesson_read(second.upper()) is True
    assert coach.mark_lesson_read(first) is False
    assert coach.lessons_read() == (first, second)
    # A new Coach (a new run, or the other front end) sees the same marks.
    assert Coach(settings).lessons_read() == (first, second)
    assert load_state(settings).cauda_equina_rechecked_at == RECHECKED


def test_coach_refuses_to_mark_an_unknown_lesson(settings: Settings) -> None:
    coach = Coach(settings)
    with pytest.raises(NotFoundError, match="No lesson called 'nope'"):
        coach.mark_lesson_read("nope")
    assert not settings.state_file.exists()
    assert coach.find_lesson("keeping-going").title == "Keeping going after the programme"
