"""Short lessons in the browser (issue 11 item 3): the list with read marks, one lesson with its
key points and sources, marked read by its button (a POST with the CSRF token), never by opening
it; Today suggests the next unread lesson of the programme week."""

from __future__ import annotations

from pathlib import Path

from deskstretch.coach import Coach
from deskstretch.config import Settings
from helpers.web_client import PageScan, WebClient

PROGRAMME = "desk-back-6-weeks"


def read_ids() -> tuple[str, ...]:
    return Coach(Settings.from_env()).lessons_read()


def test_lessons_page_lists_every_lesson_with_its_read_mark(web: WebClient) -> None:
    lessons = Coach(Settings.from_env()).lessons()
    html = web.get("/lessons").text
    scan = PageScan.of(html)
    for lesson in lessons:
        assert lesson.title in scan.text
        assert f"/lessons/{lesson.id}" in scan.links()
    assert f"0 of {len(lessons)} read" in scan.text
    assert "Not read yet" in scan.text and "✓ Read" not in scan.text


def test_lesson_page_shows_the_lesson_and_is_marked_read_by_its_button(web: WebClient) -> None:
    lesson = Coach(Settings.from_env()).find_lesson("why-hamstrings")
    html = web.get(f"/lessons/{lesson.id}").text
    text = PageScan.of(html).text
    assert lesson.title in " ".join(PageScan.of(html).h1_text)
    assert lesson.paragraphs[0][:80] in text
    assert all(point in text for point in lesson.key_points)
    assert all(source.title in text for source in lesson.sources)
    assert read_ids() == ()  # opening it marks nothing

    refused = web.post_form(f"/lessons/{lesson.id}/read", {}, token=False)
    assert refused.status_code == 403
    assert read_ids() == ()

    done = web.post_form(f"/lessons/{lesson.id}/read", {}, follow=True)
    assert done.status_code == 200
    assert "Marked as read." in done.text
    assert "You have read this lesson." in PageScan.of(done.text).text
    assert read_ids() == (lesson.id,)
    again = web.post_form(f"/lessons/{lesson.id}/read", {}, follow=True)
    assert "Already read." in again.text
    assert read_ids() == (lesson.id,)
    listing = PageScan.of(web.get("/lessons").text).text
    assert "1 of " in listing and "✓ Read" in listing


def test_today_suggests_the_next_unread_lesson_of_the_week(web: WebClient, screened: Path) -> None:
    web.post_form(f"/programmes/{PROGRAMME}/start", {})
    today = Coach(Settings.from_env()).programme_today()
    assert today is not None and len(today.unread) >= 2
    first, second = today.unread[0], today.unread[1]
    links = PageScan.of(web.get("/").text).links()
    assert f"/lessons/{first.id}" in links and f"/lessons/{second.id}" not in links
    web.post_form(f"/lessons/{first.id}/read", {})
    links = PageScan.of(web.get("/").text).links()
    assert f"/lessons/{second.id}" in links and f"/lessons/{first.id}" not in links
    # The lesson page says which week of the programme offers it.
    assert "Your programme, week 1" in PageScan.of(web.get(f"/lessons/{second.id}").text).text


def test_unknown_lessons_give_the_not_found_page(web: WebClient) -> None:
    response = web.get("/lessons/why-hamstring")
    assert response.status_code == 404
    assert "why-hamstrings" in response.text  # the suggestion
    marked = web.post_form("/lessons/no-such-lesson/read", {})
    assert marked.status_code == 404
    assert read_ids() == ()


def test_lessons_sit_under_learn_in_the_navigation(web: WebClient) -> None:
    html = web.get("/lessons/why-hamstrings").text
    assert '<a href="/learn" aria-current="page">' in html
