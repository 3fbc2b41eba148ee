"""Following a programme in the browser (issue 11 item 2): Today offers one, shows week N of 6,
today's session, what changes next and the week's plan, in the words of `deskstretch programme
status`; the programme pages list and print a programme; starting and stopping need the CSRF
token; a red flag or the pain pause never leaves a Start button."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskstretch.catalogue.loader import package_folder
from deskstretch.coach import Coach
from deskstretch.coach.plans import (
    PAIN_RULES,
    level_text,
    programme_outline,
    progression_text,
    this_week_text,
)
from deskstretch.config import Settings
from deskstretch.core.records import CheckIn, SessionStatus
from deskstretch.store import repository as repo
from helpers.store_factories import make_session, make_step
from helpers.support import CliRunner, FakeClock, answers_toml, flat
from helpers.web_client import PageScan, WebClient, start_links

PROGRAMME = "desk-back-6-weeks"
START = f"/programmes/{PROGRAMME}/start"
COMPLETED = SessionStatus.COMPLETED


def fresh_coach() -> Coach:
    return Coach(Settings.from_env())


def enrolled_in() -> str | None:
    coach = fresh_coach()
    enrolment = coach.enrolment()
    coach.store.close()
    return enrolment.programme_id if enrolment else None


def page_text(web: WebClient, path: str) -> str:
    response = web.get(path)
    assert response.status_code == 200, response.text
    return PageScan.of(response.text).text


def test_today_without_a_programme_offers_the_built_in_one(web: WebClient, screened: Path) -> None:
    coach = fresh_coach()
    programme = coach.find_programme(PROGRAMME)
    html = web.get("/").text
    scan = PageScan.of(html)
    assert "Follow a programme" in scan.text
    assert programme.name in scan.text
    assert programme_outline(programme) in scan.text
    assert f'action="{START}"' in html
    assert f"/programmes/{PROGRAMME}" in scan.links()
    assert "Week 1 of" not in scan.text


def test_starting_needs_the_csrf_token(web: WebClient, screened: Path) -> None:
    refused = web.post_form(START, {}, token=False)
    assert refused.status_code == 403
    assert enrolled_in() is None
    assert web.post_form("/programme/stop", {}, token=False).status_code == 403


def test_start_then_today_shows_week_session_next_change_plan_and_lesson(
    web: WebClient, screened: Path
) -> None:
    started = web.post_form(START, {})
    assert started.status_code == 303 and started.headers["location"] == "/"
    assert enrolled_in() == PROGRAMME

    html = web.get("/").text
    text = PageScan.of(html).text
    coach = fresh_coach()
    today = coach.programme_today()
    assert today is not None
    standing = today.standing
    assert "You are following Six weeks at the desk" in text  # the flash
    assert "Week 1 of 6" in text
    assert level_text(standing) in text and standing.level.aim in text
    session = coach.routine_set.find(standing.routine_id)
    assert start_links(html) == [f"/play/{standing.routine_id}"]
    assert f"Today's session {session.name}" in text
    assert this_week_text(standing) in text
    assert f"Next: {standing.next_change}" in text
    assert "Week 1 check" in text and "/progress#test-sit-and-reach" in html
    lesson = today.unread[0]
    assert f"/lessons/{lesson.id}" in PageScan.of(html).links()
    # The week's plan names each planned session, and today is marked.
    planned = {day.routine_id for day in today.plan.days if day.routine_id}
    names = {coach.routine_set.find(routine_id).name for routine_id in planned}
    assert len(names) == 2 and all(name in text for name in names)
    assert 'aria-current="date"' in html
    # Starting it again by mistake keeps the weeks done.
    again = web.post_form(START, {}, follow=True)
    assert "You are already following" in again.text
    assert fresh_coach().enrolment() == coach.enrolment()


def test_today_says_what_the_terminal_says(
    web: WebClient, screened: Path, run_cli: CliRunner, fake_clock: FakeClock
) -> None:
    assert run_cli("programme", "start", PROGRAMME).exit_code == 0
    # One session played in the terminal: the programme moves on to its next routine.
    assert run_cli("start", "--plain", "--no-voice", "--no-checkin").exit_code == 0
    terminal = flat(run_cli("programme", "status").stdout)
    html = web.get("/").text
    web_text = PageScan.of(html).text
    for line in ("Level 1 of 3: Gentle start.", "This week: 1 of 3 sessions done", "Next: You"):
        assert line in terminal
        start = terminal.index(line)
        sentence = terminal[start : terminal.index(".", start + len(line)) + 1]
        assert sentence in web_text, sentence
    session = terminal.split("Today: ", 1)[1].split(" (", 1)[0]
    assert f"Today's session {session}" in web_text
    routine = fresh_coach().routine_set.find(session)
    assert start_links(html) == [f"/play/{routine.id}"]
    assert routine.id != fresh_coach().preferences.default_routine  # not the default routine


def test_a_red_flag_leaves_no_start_button_on_the_programme(
    web: WebClient, answer: Callable[..., None]
) -> None:
    answer(yes=("ces-bladder",))
    assert web.post_form(START, {}).status_code == 303
    html = web.get("/").text
    text = PageScan.of(html).text
    assert "Week 1 of 6" in text
    assert start_links(html) == []
    assert "Paused: Your safety answers lock the routines" in text
    assert "Get emergency help now" in text
    assert "Week 1 check" not in text  # no measuring while paused
    assert "On hold while the programme is paused." in text


def test_the_pain_pause_leaves_no_start_button_and_offers_the_way_out(
    web: WebClient, screened: Path
) -> None:
    assert web.post_form(START, {}).status_code == 303
    coach = fresh_coach()
    now = datetime.now(UTC)
    for days, back in ((3, 2), (2, 3), (1, 5)):
        repo.add_checkin(coach.store, CheckIn(f"c{days}", now - timedelta(days=days), back, None))
    coach.store.close()
    html = web.get("/").text
    assert start_links(html) == []
    assert "Paused: Two worse days in a row paused the programme" in PageScan.of(html).text
    assert 'action="/programme/resume"' in html


def test_a_finished_programme_says_so_and_offers_to_start_again(
    web: WebClient, screened: Path
) -> None:
    coach = fresh_coach()
    coach.start_programme(PROGRAMME, today=datetime.now(UTC).date() - timedelta(weeks=7))
    coach.store.close()
    html = web.get("/").text
    text = PageScan.of(html).text
    assert "Finished (6 weeks)" in text
    assert "You finished at level 1 of 3." in text  # no sessions: still at level 1
    assert "This week's plan" not in text
    assert 'name="again" value="yes"' in html
    restarted = web.post_form(START, {"again": "yes"}, follow=True)
    assert "Week 1 of 6" in PageScan.of(restarted.text).text


def test_a_programme_file_that_has_gone_is_said_and_can_be_stopped(
    web: WebClient, screened: Path
) -> None:
    coach = fresh_coach()
    folder = coach.settings.programmes_dir
    folder.mkdir(parents=True, exist_ok=True)
    text = (package_folder("programmes") / f"{PROGRAMME}.toml").read_text(encoding="utf-8")
    mine = folder / "mine.toml"
    mine.write_text(text.replace(f'id = "{PROGRAMME}"', 'id = "mine"'), encoding="utf-8")
    coach.start_programme("mine")
    coach.store.close()
    assert "Week 1 of 6" in page_text(web, "/")
    mine.unlink()
    text_now = page_text(web, "/")
    assert "No programme called 'mine'" in text_now
    assert start_links(web.get("/").text)  # the default routine still plays
    stopped = web.post_form("/programme/stop", {}, follow=True)
    assert "Stopped mine." in stopped.text
    assert enrolled_in() is None


def test_stop_ends_it_and_today_offers_one_again(web: WebClient, screened: Path) -> None:
    web.post_form(START, {})
    stopped = web.post_form("/programme/stop", {}, follow=True)
    assert "Stopped Six weeks at the desk" in stopped.text
    assert enrolled_in() is None
    assert "Follow a programme" in page_text(web, "/")
    again = web.post_form("/programme/stop", {}, follow=True)
    assert "You are not following a programme." in again.text


def test_programmes_page_lists_them_and_marks_the_one_followed(
    web: WebClient, screened: Path
) -> None:
    coach = fresh_coach()
    text = page_text(web, "/programmes")
    for programme in coach.programmes():
        assert programme.name in text and programme_outline(programme) in text
    web.post_form(START, {})
    html = web.get("/programmes").text
    assert "You are following Six weeks at the desk for the lower back: week 1 of 6" in html
    assert "You follow this one" in html
    assert f'action="{START}"' not in html  # no restart button for the one followed


def test_programme_page_prints_levels_routines_rules_lessons_and_sources(web: WebClient) -> None:
    coach = fresh_coach()
    programme = coach.find_programme(PROGRAMME)
    html = web.get(f"/programmes/{PROGRAMME}").text
    scan = PageScan.of(html)
    text, links = scan.text, scan.links()
    assert programme.name in " ".join(scan.h1_text)
    for level in programme.levels:
        assert f"Level {level.number}: {level.name}" in text
        assert level.aim in text
        for routine_id in level.routines:
            routine = coach.routine_set.find(routine_id)
            assert f"/routines#routine-{routine_id}" in links
            assert all(f"/library/{step.exercise.id}" in links for step in routine.steps)
    assert "Weeks 1-2 if you move up as planned; at least 2 weeks." in text
    assert "3 sessions a week, 6 micro-breaks a day." in text
    assert "hamstrings 60 s per leg" in text  # the dose in words
    assert progression_text(programme.progression) in text
    assert PAIN_RULES in text
    assert "Re-measure at the start of weeks 1, 3 and 6" in text
    for week, lesson_id in programme.lessons:
        assert f"/lessons/{lesson_id}" in links
        assert f"Week {week}:" in text
    for source in programme.sources:
        assert source.title in text
    assert f"/programmes/{PROGRAMME}.toml" in links
    assert "@media print" in web.get("/static/css/app.css").text


def test_programme_file_downloads_as_toml(web: WebClient) -> None:
    response = web.get(f"/programmes/{PROGRAMME}.toml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/toml")
    assert f'id = "{PROGRAMME}"' in response.text


def test_another_spelling_redirects_to_the_programme(web: WebClient) -> None:
    response = web.get("/programmes/DESK-BACK-6-WEEKS", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == f"/programmes/{PROGRAMME}"


@pytest.mark.parametrize(
    "path", ["/programmes/desk-back-6-week", "/programmes/nothing-like-it.toml"]
)
def test_unknown_programmes_give_the_not_found_page(web: WebClient, path: str) -> None:
    response = web.get(path)
    assert response.status_code == 404
    assert "not found" in PageScan.of(response.text).text.lower()


def test_starting_an_unknown_programme_is_not_found_and_starts_nothing(
    web: WebClient, screened: Path
) -> None:
    response = web.post_form("/programmes/desk-back-6-week/start", {})
    assert response.status_code == 404
    assert PROGRAMME in response.text  # the suggestion
    assert enrolled_in() is None


def test_programme_pages_sit_under_routines_in_the_navigation(web: WebClient) -> None:
    html = web.get(f"/programmes/{PROGRAMME}").text
    assert '<a href="/routines" aria-current="page">' in html  # programmes sit under Routines
    assert "/programmes" in PageScan.of(web.get("/routines").text).links()


def test_the_start_form_offers_each_level_and_starts_at_the_one_chosen(
    web: WebClient, screened: Path
) -> None:
    html = web.get(f"/programmes/{PROGRAMME}").text
    assert 'name="level"' in html and '<option value="3"' in html
    started = web.post_form(START, {"level": "2"})
    assert started.status_code == 303
    enrolment = fresh_coach().enrolment()
    assert enrolment is not None and enrolment.start_level == 2
    assert "Level 2 of 3" in page_text(web, "/")


def test_a_level_the_programme_lacks_names_the_field_and_starts_nothing(
    web: WebClient, screened: Path
) -> None:
    refused = web.post_form(START, {"level": "7"}, follow=True)
    text = PageScan.of(refused.text).text
    assert "Start at level" in text and "enter a whole number from 1 to 3 (you typed '7')" in text
    assert enrolled_in() is None


def test_today_shows_each_change_on_the_next_visit(
    web: WebClient, screened: Path, run_cli: CliRunner, tmp_path: Path
) -> None:
    """The app keeps the programme's standing between visits; every write shows at once: a
    session, a check-in, a lesson marked read, new safety answers, the programme stopped."""
    assert web.post_form(START, {}).status_code == 303
    assert "This week: 0 of 3 sessions done" in page_text(web, "/")
    # A session finished in the terminal (another process).
    other = fresh_coach()
    at = datetime.now(UTC) - timedelta(minutes=10)
    repo.start_session(other.store, make_session("s1", at))
    repo.finish_session(other.store, "s1", COMPLETED, at + timedelta(minutes=2), [make_step(0)])
    other.store.close()
    assert "This week: 1 of 3 sessions done" in page_text(web, "/")
    # A lesson marked read in the browser: Today suggests the next one.
    first = fresh_coach().programme_today()
    assert first is not None
    lesson = first.unread[0]
    assert f"/lessons/{lesson.id}" in web.get("/").text
    assert web.post_form(f"/lessons/{lesson.id}/read", {}).status_code == 303
    assert f'href="/lessons/{lesson.id}"' not in web.get("/").text
    # Two worse days in a row, the second through the check-in form: the programme pauses.
    store = fresh_coach().store
    repo.add_checkin(store, CheckIn("c1", datetime.now(UTC) - timedelta(days=2), 1, None))
    repo.add_checkin(store, CheckIn("c2", datetime.now(UTC) - timedelta(days=1), 3, None))
    store.close()
    assert "paused" not in page_text(web, "/").lower()
    assert web.post_form("/checkin", {"back_pain": "5"}).status_code == 303
    assert "Paused: Two worse days in a row paused the programme" in page_text(web, "/")
    # Safety answers with a red flag, saved by `deskstretch check`: the safety pause wins.
    answers = tmp_path / "red.toml"
    answers.write_text(answers_toml(yes=("cancer-history",)), encoding="utf-8")
    run_cli("check", "--from", answers)
    assert "Your safety answers lock the routines" in page_text(web, "/")
    # Stopped in the terminal: Today offers programmes again.
    assert run_cli("programme", "stop").exit_code == 0
    text = page_text(web, "/")
    assert "Follow a programme" in text and "Week 1 of 6" not in text
