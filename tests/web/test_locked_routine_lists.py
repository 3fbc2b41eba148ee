"""Locked routines show the lock, not Play buttons (issue 12 item 5): while the safety answers or
the pain rules lock the routines, every page that lists routines (Routines, an exercise's "In
routines", your plan) shows a short reason and where to go instead of any /play/ link, as Today
does; when nothing locks them, the Play links are there."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.records import CheckIn, ProgrammeEvent, ProgrammeEventKind
from deskstretch.store import repository as repo
from helpers.web_client import PageScan, WebClient, safety_form, start_links

LISTS = ("/routines", "/library/seated-hamstring-hinge")


def pause_by_two_worse_days() -> None:
    coach = Coach(Settings.from_env())
    now = datetime.now(UTC)
    for days, back in ((3, 2), (2, 3), (1, 5)):
        repo.add_checkin(coach.store, CheckIn(f"c{days}", now - timedelta(days=days), back, None))
    coach.store.close()


def questions_due() -> None:
    coach = Coach(Settings.from_env())
    event = ProgrammeEvent("q1", datetime.now(UTC), ProgrammeEventKind.QUESTIONS_DUE)
    repo.add_programme_event(coach.store, event)
    coach.store.close()


def lock_of(html: str) -> tuple[str, list[str]]:
    """The lock notice's text and links on a page ('' and [] when there is none)."""
    found = re.search(r'id="play-lock".*?</div>', html, re.DOTALL)
    if found is None:
        return "", []
    return PageScan.of(html).text_of("play-lock"), PageScan.of(found.group(0)).links()


def test_routines_play_when_nothing_locks_them(web: WebClient, screened: Path) -> None:
    for path in LISTS:
        html = web.get(path).text
        assert "/play/hamstring-2min" in start_links(html), path
        assert lock_of(html) == ("", []), path
    assert "Locked" not in PageScan.of(web.get("/routines").text).text


@pytest.mark.parametrize(
    ("state", "reason", "href"),
    [
        ("not answered", "First, a few safety questions", "/safety"),
        ("red flag", "See a doctor within 24 hours", "/safety/result"),
        ("needs clearance", "Check with your clinician first", "/safety/result"),
        ("pain pause", "Routines are paused", "/"),
        ("questions due", "A few safety questions first", "/safety/recheck"),
    ],
)
def test_locked_routines_show_the_lock_not_play(
    web: WebClient,
    answer: Callable[..., None],
    state: str,
    reason: str,
    href: str,
) -> None:
    if state == "red flag":
        answer(yes=("cancer-history",))
    elif state == "needs clearance":
        web.post_form("/safety", safety_form(**{"cond-pregnancy": "yes", "clearance": "no"}))
    elif state in ("pain pause", "questions due"):
        answer()
        (pause_by_two_worse_days if state == "pain pause" else questions_due)()
    assert start_links(web.get("/").text) == []  # Today agrees: no Start button
    for path in LISTS:
        html = web.get(path).text
        assert start_links(html) == [], path
        text, links = lock_of(html)
        assert text.startswith(f"{reason}. Routines cannot be played for now."), (path, text)
        assert links == [href], path
    scan = PageScan.of(web.get("/routines").text)
    locked = [a for tag, a in scan.tags if tag == "a" and "button-locked" in a.get("class", "")]
    assert len(locked) >= 5 and {a["href"] for a in locked} == {href}
    assert f": Quick hamstring stretch. {reason}" in scan.text  # said per routine


def test_a_saved_routine_offers_play_only_when_routines_may_play(
    web: WebClient, answer: Callable[..., None]
) -> None:
    answer()
    form = {
        "name": "Mine",
        "id": "",
        "position": "seated",
        "summary": "",
        "get_ready_seconds": "10",
        "switch_seconds": "5",
        "transition_seconds": "10",
        "steps-0-exercise": "seated-pelvic-tilts",
        "steps-0-kind": "reps",
        "steps-0-reps": "6",
        "steps-0-rep_seconds": "5",
        "steps-0-note": "",
        "action": "save",
    }
    saved = web.post_form("/routines/new", form, follow=True)
    assert "Saved 'Mine'" in PageScan.of(saved.text).text
    assert "/play/mine" in start_links(saved.text)  # the message's "Play it"
    answer(yes=("cancer-history",))
    locked = web.post_form("/routines/new", form | {"name": "Mine two"}, follow=True)
    assert "Saved 'Mine two'" in PageScan.of(locked.text).text
    assert start_links(locked.text) == []


def test_your_plan_shows_the_lock_instead_of_its_start_button(
    web: WebClient, answer: Callable[..., None]
) -> None:
    answer()
    web.post_form(
        "/start/goal",
        {"activity-1": "Putting on socks", "rating-1": "4", "back-pain": "3", "leg-pain": "0"},
    )
    assert len(start_links(web.get("/start/plan").text)) == 1
    pause_by_two_worse_days()
    html = web.get("/start/plan").text
    assert start_links(html) == []
    text, links = lock_of(html)
    assert text.startswith("Routines are paused.") and links == ["/"]
