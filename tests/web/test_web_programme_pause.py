"""The pain pause and the re-asked cauda equina questions in the browser app (issue #9 item 5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.records import CheckIn, ProgrammeEventKind
from deskstretch.core.safety import CAUDA_EQUINA_IDS
from deskstretch.store import repository as repo
from helpers.web_client import PageScan, WebClient, start_links

PLAYER = "/play/hamstring-2min"
API_PLAY = "/api/play/hamstring-2min"


def pause_four_days_ago() -> None:
    """Two worse days in a row, the last four days ago; no check-in since."""
    coach = Coach(Settings.from_env())
    now = datetime.now(UTC)
    for days, back in ((6, 2), (5, 3), (4, 5)):
        repo.add_checkin(coach.store, CheckIn(f"c{days}", now - timedelta(days=days), back, None))
    coach.store.close()


def stored_events() -> list[ProgrammeEventKind]:
    coach = Coach(Settings.from_env())
    kinds = [event.kind for event in repo.list_programme_events(coach.store)]
    coach.store.close()
    return kinds


def test_pause_holds_on_today_and_the_player_after_days_without_check_ins(
    web: WebClient, screened: Path
) -> None:
    pause_four_days_ago()
    today = web.get("/")
    assert start_links(today.text) == []
    assert "Routines are paused" in today.text
    assert 'action="/programme/resume"' in today.text
    assert 'value="seen-clinician"' in today.text and 'value="back-to-usual"' in today.text
    player = web.get(PLAYER)
    assert player.status_code == 403
    assert 'action="/programme/resume"' in player.text
    assert web.get(API_PLAY).status_code == 403


def test_the_persons_choice_lifts_the_pause(web: WebClient, screened: Path) -> None:
    pause_four_days_ago()
    refused = web.post_form("/programme/resume", {"choice": "back-to-usual"}, token=False)
    assert refused.status_code == 403  # the CSRF token is required
    assert stored_events() == []
    bad = web.post_form("/programme/resume", {"choice": "tired-of-waiting"})
    assert bad.status_code == 400
    assert "seen-clinician" in bad.text
    assert stored_events() == []

    done = web.post_form("/programme/resume", {"choice": "seen-clinician"}, follow=True)
    assert done.status_code == 200
    assert "Noted: you have seen a clinician" in done.text
    assert start_links(done.text) == [PLAYER]
    assert stored_events() == [ProgrammeEventKind.RESUMED_SEEN_CLINICIAN]
    assert web.get(PLAYER).status_code == 200
    assert web.get(API_PLAY).status_code == 200


def test_questions_due_block_the_player_and_the_api_until_answered_no(
    web: WebClient, screened: Path
) -> None:
    web.post_form("/checkin", {"back_pain": "2", "leg_pain": "0"})
    web.post_form("/checkin", {"back_pain": "2", "leg_pain": "5"})  # new leg pain
    today = web.get("/")
    assert start_links(today.text) == []
    assert "/safety/recheck" in PageScan.of(today.text).links()
    player = web.get(PLAYER)
    assert player.status_code == 403
    assert "/safety/recheck" in PageScan.of(player.text).links()
    api = web.get(API_PLAY)
    assert api.status_code == 403
    assert "safety questions" in api.json()["detail"]
    assert web.post_json("/api/sessions", {"routine_id": "hamstring-2min"}).status_code == 403

    answers = {f"rf-{key}": "no" for key in CAUDA_EQUINA_IDS}
    web.post_form("/safety/recheck", answers, follow=True)
    assert stored_events()[-1] is ProgrammeEventKind.QUESTIONS_ANSWERED
    assert web.get(PLAYER).status_code == 200
    assert web.get(API_PLAY).status_code == 200
    assert start_links(web.get("/").text) == [PLAYER]


def test_a_yes_to_the_questions_locks_with_the_emergency_advice(
    web: WebClient, screened: Path
) -> None:
    web.post_form("/checkin", {"back_pain": "1"})
    web.post_form("/checkin", {"back_pain": "5"})  # up 4 points
    assert web.get(PLAYER).status_code == 403
    answers = {f"rf-{key}": "no" for key in CAUDA_EQUINA_IDS}
    answers[f"rf-{CAUDA_EQUINA_IDS[0]}"] = "yes"
    result = web.post_form("/safety/recheck", answers, follow=True)
    assert "Get emergency help now" in result.text
    player = web.get(PLAYER)
    assert player.status_code == 403
    assert "emergency department" in player.text
    assert start_links(web.get("/").text) == []
