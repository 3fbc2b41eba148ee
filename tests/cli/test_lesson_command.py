"""`deskstretch lesson`: the lessons listed with read marks, one lesson shown and marked read,
`--no-mark` to only look, and a clear error for an unknown id."""

from __future__ import annotations

import re

from deskstretch.catalogue.lessons import load_lessons
from deskstretch.coach import Coach
from deskstretch.config import Settings
from helpers.support import CliRunner, flat

LESSONS = load_lessons()


def read_ids() -> tuple[str, ...]:
    return Coach(Settings.from_env()).lessons_read()


def mark_of(stdout: str, lesson_id: str) -> str:
    """The read mark on ``lesson_id``'s row of the list."""
    row = next(line for line in stdout.splitlines() if f" {lesson_id} " in line)
    found = re.search(r"✓ read|· not yet", row)
    assert found, row
    return found.group(0)


def test_lesson_lists_every_lesson_unread_with_its_minutes(run_cli: CliRunner) -> None:
    result = run_cli("lesson")
    assert result.exit_code == 0, result
    for lesson in LESSONS:
        assert mark_of(result.stdout, lesson.id) == "· not yet"
        row = next(line for line in result.stdout.splitlines() if f" {lesson.id} " in line)
        assert f"{lesson.minutes} min" in row
    assert f"0 of {len(LESSONS)} read. Next: deskstretch lesson {LESSONS[0].id}" in result.stdout


def test_lesson_id_shows_the_lesson_and_marks_it_read(run_cli: CliRunner) -> None:
    lesson = LESSONS[1]
    result = run_cli("lesson", lesson.id)
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert lesson.title in text
    for paragraph in lesson.paragraphs:
        assert paragraph in text
    for source in lesson.sources:
        assert source.title in text
    assert "Marked as read." in text
    assert read_ids() == (lesson.id,)

    listed = run_cli("lesson")
    assert mark_of(listed.stdout, lesson.id) == "✓ read"
    assert mark_of(listed.stdout, LESSONS[0].id) == "· not yet"
    assert f"1 of {len(LESSONS)} read." in listed.stdout


def test_reading_a_lesson_again_keeps_one_mark(run_cli: CliRunner) -> None:
    lesson = LESSONS[0]
    assert run_cli("lesson", lesson.id).exit_code == 0
    again = run_cli("lesson", lesson.id.upper())
    assert again.exit_code == 0, again
    assert "Already read." in again.stdout
    assert read_ids() == (lesson.id,)


def test_no_mark_shows_the_lesson_without_marking_it(run_cli: CliRunner) -> None:
    lesson = LESSONS[-1]
    result = run_cli("lesson", lesson.id, "--no-mark")
    assert result.exit_code == 0, result
    assert lesson.title in flat(result.stdout)
    assert "Not marked as read" in result.stdout
    assert read_ids() == ()


def test_unknown_lesson_is_a_clear_error_with_exit_1(run_cli: CliRunner) -> None:
    result = run_cli("lesson", "when-to-wory")
    assert result.exit_code == 1, result
    assert result.stderr_lines == [
        "deskstretch: No lesson called 'when-to-wory'. Did you mean 'when-to-worry'?"
    ]
    assert result.stdout == ""
    assert read_ids() == ()


def test_after_every_lesson_the_list_says_all_are_read(run_cli: CliRunner) -> None:
    for lesson in LESSONS:
        assert run_cli("lesson", lesson.id).exit_code == 0
    assert read_ids() == tuple(lesson.id for lesson in LESSONS)
    listed = run_cli("lesson")
    assert all(mark_of(listed.stdout, lesson.id) == "✓ read" for lesson in LESSONS)
    assert f"{len(LESSONS)} of {len(LESSONS)} read." in listed.stdout
