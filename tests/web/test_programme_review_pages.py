"""The end-of-programme review in the browser (issue 11 item 4): from the programme's last week
on, Today's programme card and the followed programme's page show the first week against the last
in the words of `deskstretch programme status`, with the next step; never before the last week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.records import CheckIn
from deskstretch.store import repository as repo
from helpers.support import CliRunner, flat
from helpers.web_client import PageScan, WebClient

PROGRAMME = "desk-back-6-weeks"


def enrol_days_ago(days: int, pains: tuple[tuple[int, int], ...]) -> Coach:
    """Start the programme ``days`` ago and save back-pain check-ins on the given days of it."""
    coach = Coach(Settings.from_env())
    started = datetime.now(UTC).astimezone(coach.local_tz()).date() - timedelta(days=days)
    coach.start_programme(PROGRAMME, today=started)
    noon = datetime(started.year, started.month, started.day, 12, tzinfo=UTC)
    for day, back in pains:
        at = noon + timedelta(days=day)
        repo.add_checkin(coach.store, CheckIn(id=f"c{day}", at=at, back_pain=back, leg_pain=0))
    return coach


def text_of(web: WebClient, path: str) -> str:
    response = web.get(path)
    assert response.status_code == 200, response.text
    return PageScan.of(response.text).text


@pytest.mark.parametrize("path", ["/", f"/programmes/{PROGRAMME}"])
def test_a_finished_programme_shows_the_review_and_the_next_step(
    web: WebClient, screened: Path, path: str
) -> None:
    coach = enrol_days_ago(42, ((0, 6), (1, 6), (2, 7), (38, 3), (39, 3), (40, 4)))
    review = coach.programme_review()
    assert review is not None
    text = text_of(web, path)
    assert "Your review" in text
    assert "Your review so far" not in text
    for sentence in (*review.sentences, *review.missing):
        assert sentence in text  # the terminal's sentences, word for word
    assert "a real change for the better" in text
    assert f"Next step: {review.advice}" in text
    assert "You finished at level 1" in text


def test_in_the_last_week_today_shows_the_review_so_far(web: WebClient, screened: Path) -> None:
    coach = enrol_days_ago(36, ((0, 5), (1, 5), (35, 5)))
    review = coach.programme_review()
    assert review is not None
    text = text_of(web, "/")
    assert "Week 6 of 6" in text
    assert "Your review so far" in text
    for sentence in (*review.sentences, *review.missing):
        assert sentence in text
    assert f"Next step: {review.advice}" in text


@pytest.mark.parametrize("path", ["/", f"/programmes/{PROGRAMME}"])
def test_before_the_last_week_there_is_no_review(web: WebClient, screened: Path, path: str) -> None:
    coach = enrol_days_ago(20, ((0, 6), (19, 3)))
    assert coach.programme_review() is None
    text = text_of(web, path)
    assert "Your review" not in text
    assert "Next step:" not in text


def test_the_review_compares_activities_and_questionnaires_in_the_browser_and_terminal(
    web: WebClient, screened: Path, run_cli: CliRunner
) -> None:
    from deskstretch.core.outcomes import odi_change
    from deskstretch.core.records import Instrument, QuestionnaireResult

    coach = enrol_days_ago(40, ((0, 5), (39, 5)))
    started = coach.enrolment()
    assert started is not None
    first = datetime.combine(started.started_on, datetime.min.time(), UTC) + timedelta(hours=12)
    for days, score in ((0, 44.0), (39, 24.0)):
        repo.add_questionnaire_result(
            coach.store,
            QuestionnaireResult(
                f"odi{days}", first + timedelta(days=days), Instrument.ODI, "t", {}, score
            ),
        )
    socks = coach.add_psfs_activity("Putting on socks", now=first)
    coach.rate_psfs({socks.id: 2}, now=first)
    coach.rate_psfs({socks.id: 6}, now=first + timedelta(days=39))
    review = coach.programme_review()
    assert review is not None
    expected = odi_change(44, 24).sentence
    assert expected in review.sentences
    assert review.psfs is not None and review.psfs.sentence in review.sentences
    web_text = text_of(web, "/")
    terminal = flat(run_cli("programme", "status").stdout)
    for sentence in (expected, review.psfs.sentence):
        assert sentence in web_text
        assert sentence in terminal
