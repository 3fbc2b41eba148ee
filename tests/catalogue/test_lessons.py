"""The short lessons (issue #11 item 3): every lesson loads, is a 1-2 minute read with sources
for its figures, "when to worry" matches the safety screen's urgencies, and a broken lessons file
is reported by file, line and field."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from deskstretch.catalogue.lessons import (
    WORDS_PER_MINUTE,
    Lesson,
    find_lesson,
    load_lessons,
    reading_minutes,
)
from deskstretch.core.errors import FileFormatError, NotFoundError
from deskstretch.core.safety import RED_FLAG_QUESTIONS, Urgency

LESSONS = load_lessons()
TOPICS = (
    "why-hamstrings",
    "how-much-stretching",
    "pacing-and-flare-ups",
    "sitting-and-moving",
    "when-to-worry",
    "keeping-going",
)


def text_of(lesson: Lesson) -> str:
    return " ".join(lesson.paragraphs)


def test_lessons_cover_every_topic_with_unique_ids() -> None:
    ids = [lesson.id for lesson in LESSONS]
    assert len(ids) == len(set(ids))
    assert set(TOPICS) <= set(ids)
    assert len(ids) >= 6


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_lesson_is_a_one_to_two_minute_read(lesson: Lesson) -> None:
    words = len(text_of(lesson).split())
    assert 150 <= words <= 300, f"{lesson.id}: {words} words"
    assert lesson.words == words
    # At about 200 words a minute, rounded up: what the lesson says is what it takes.
    assert lesson.minutes == math.ceil(words / WORDS_PER_MINUTE)
    assert lesson.minutes in (1, 2)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_lesson_has_sources_key_points_and_paragraphs(lesson: Lesson) -> None:
    assert lesson.sources
    assert all(source.title for source in lesson.sources)
    assert 2 <= len(lesson.key_points) <= 3
    assert len(lesson.paragraphs) >= 2
    assert all("\n" not in paragraph for paragraph in lesson.paragraphs)


# "Medeiros et al. 2016", "Li, McClure and Pratt 1996", "ACSM 2021": a name, then a year.
CITATION = re.compile(r"([A-Z][A-Za-z-]+)(?: et al\.)? ((?:19|20)\d\d)\b")


def uncited(lesson: Lesson) -> list[str]:
    """Citations in the text that no source of the lesson names with the same year."""
    titles = [source.title for source in lesson.sources]
    return [
        f"{name} {year}"
        for name, year in CITATION.findall(text_of(lesson))
        if not any(name in title and year in title for title in titles)
    ]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_citation_in_a_lesson_is_among_its_sources(lesson: Lesson) -> None:
    assert CITATION.findall(text_of(lesson)), "a lesson with no citation at all"
    assert uncited(lesson) == []


# A number in a paragraph comes with a parenthesised source: a year, a NICE guideline number, or
# "our ..." for our own product decisions.
SOURCED = re.compile(r"\([^()]*(?:(?:19|20)\d\d|NG\d+|\bour [a-z]+)[^()]*\)")


def unsourced_paragraphs(lesson: Lesson) -> list[str]:
    return [p[:60] for p in lesson.paragraphs if re.search(r"\d", p) and not SOURCED.search(p)]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_paragraph_with_a_figure_names_its_source(lesson: Lesson) -> None:
    assert unsourced_paragraphs(lesson) == []


def test_source_checks_catch_a_figure_without_a_source() -> None:
    lesson = Lesson(
        "x",
        "X",
        1,
        ("Stretching adds 12 degrees (Smith et al. 2020).", "Holds of 30 seconds work best."),
        ("a", "b"),
        (),
    )
    assert uncited(lesson) == ["Smith 2020"]
    assert unsourced_paragraphs(lesson) == ["Holds of 30 seconds work best."]


# How the safety screen's urgencies read in words (docs/safety.md, "How soon, flag by flag").
URGENCY_WORDS = {
    Urgency.EMERGENCY: "emergency department now",
    Urgency.SAME_DAY: "See a doctor today",
    Urgency.URGENT: "within 24 hours",
    Urgency.PROMPT: "within a few days",
    Urgency.ROUTINE: "routine GP appointment",
}


def test_when_to_worry_names_how_soon_for_every_urgency_the_screen_uses() -> None:
    text = text_of(find_lesson(LESSONS, "when-to-worry"))
    for urgency in {question.urgency for question in RED_FLAG_QUESTIONS}:
        assert URGENCY_WORDS[urgency] in text, urgency


def test_reading_minutes_round_up_at_200_words_a_minute() -> None:
    assert [reading_minutes(n) for n in (0, 150, 200, 201, 400, 401)] == [1, 1, 1, 2, 2, 3]


def test_find_lesson_ignores_case_and_suggests_the_nearest_id() -> None:
    assert find_lesson(LESSONS, " When-To-Worry ").id == "when-to-worry"
    with pytest.raises(NotFoundError, match="Did you mean 'why-hamstrings'"):
        find_lesson(LESSONS, "why-hamstring")


# --- a broken lessons file: the error names the file, the line and the field ----------------------

BODY = " ".join(["word"] * 160)


def lesson_toml(
    lesson_id: str = "first",
    minutes: str = "1",
    body: str = BODY,
    url: str = "https://example.org/a",
    sources: int = 2,
) -> str:
    lines = [
        "[[lessons]]",
        f'id = "{lesson_id}"',
        'title = "A lesson"',
        f"minutes = {minutes}",
        f'body = """\n{body}"""',
        'key_points = ["one", "two"]',
    ]
    for number in range(sources):
        lines += ["", "[[lessons.sources]]", f'title = "Source {number}"', f'url = "{url}"']
    return "\n".join(lines) + "\n\n"


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    numbers = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return numbers[occurrence - 1]


def load_error(tmp_path: Path, text: str) -> FileFormatError:
    path = tmp_path / "lessons.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        load_lessons(path)
    return caught.value


def test_a_valid_file_of_my_own_loads(tmp_path: Path) -> None:
    path = tmp_path / "lessons.toml"
    path.write_text(lesson_toml() + lesson_toml("second"), encoding="utf-8")
    assert [lesson.id for lesson in load_lessons(path)] == ["first", "second"]


def test_error_names_the_line_of_a_bad_minutes(tmp_path: Path) -> None:
    text = lesson_toml() + lesson_toml("second", minutes="3")
    error = load_error(tmp_path, text)
    assert error.line == line_of(text, "minutes = 3")
    assert error.field == "lessons[1].minutes"
    assert str(error).startswith(f"{tmp_path / 'lessons.toml'}:{error.line}: lessons[1].minutes:")
    assert "expected at most 2, got 3" in str(error)


def test_error_names_a_bad_url_in_the_right_lessons_source(tmp_path: Path) -> None:
    # The second source of the second lesson: [[lessons.sources]] tables count within a lesson.
    text = lesson_toml() + lesson_toml("second") + lesson_toml("third")
    text = text.replace('url = "https://example.org/a"', 'url = "javascript:alert(1)"')
    text = text.replace('url = "javascript:alert(1)"', 'url = "https://example.org/a"', 3)
    error = load_error(tmp_path, text)
    assert error.field == "lessons[1].sources[1].url"
    assert error.line == line_of(text, "javascript:")
    assert "expected a web address" in str(error)


def test_error_names_a_lesson_without_sources(tmp_path: Path) -> None:
    text = lesson_toml() + lesson_toml("second", sources=0)
    error = load_error(tmp_path, text)
    assert error.field == "lessons[1].sources"
    assert error.line == line_of(text, "[[lessons]]", occurrence=2)
    assert "required field is missing" in str(error)


def test_error_names_a_duplicate_id(tmp_path: Path) -> None:
    text = lesson_toml() + lesson_toml()
    error = load_error(tmp_path, text)
    assert error.field == "lessons[1].id"
    assert error.line == line_of(text, 'id = "first"', occurrence=2)
    assert "'first' is used twice" in str(error)


def test_error_when_minutes_do_not_match_the_words(tmp_path: Path) -> None:
    text = lesson_toml(minutes="2")  # 160 words: a 1-minute read
    error = load_error(tmp_path, text)
    assert error.field == "lessons[0].minutes"
    assert error.line == line_of(text, "minutes = 2")
    assert "expected 1 for 160 words" in str(error)


def test_error_when_a_lesson_is_longer_than_two_minutes(tmp_path: Path) -> None:
    text = lesson_toml(minutes="2", body=" ".join(["word"] * 450))
    error = load_error(tmp_path, text)
    assert error.field == "lessons[0].body"
    assert error.line == line_of(text, "body =")
    assert "450 words is about 3 minutes" in str(error)


def test_error_names_a_bad_id(tmp_path: Path) -> None:
    text = lesson_toml("Not A Slug")
    error = load_error(tmp_path, text)
    assert (error.field, error.line) == ("lessons[0].id", line_of(text, "id ="))
