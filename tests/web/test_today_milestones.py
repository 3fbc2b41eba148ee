"""Today's streak card (issue 11 item 5): a newcomer sees a short welcome, not an empty
eight-week grid; someone with sessions sees this week's recap and the milestones reached."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.records import SessionStatus
from deskstretch.store import repository as repo
from helpers.store_factories import make_session, make_step
from helpers.web_client import PageScan, WebClient


def finished_sessions(*days_ago: int) -> None:
    coach = Coach(Settings.from_env())
    now = datetime.now(UTC)
    # Never across local midnight: a session "today" stays on today's date (and in this week)
    # whenever the test runs, even a minute after Monday began.
    midnight = now.astimezone(coach.local_tz()).replace(hour=0, minute=0, second=0, microsecond=0)
    for n in days_ago:
        start = max(now - timedelta(minutes=10), midnight) - timedelta(days=n)
        ended = min(start + timedelta(minutes=3), now - timedelta(days=n))
        record = make_session(
            f"s{n}",
            start,
            SessionStatus.COMPLETED,
            (make_step(0, 120.0),),
            ended_at=ended,
        )
        repo.start_session(coach.store, record)
        repo.finish_session(coach.store, record.id, SessionStatus.COMPLETED, ended)
    coach.store.close()


def test_a_newcomer_gets_a_welcome_not_an_empty_grid(web: WebClient, screened: Path) -> None:
    html = web.get("/").text
    text = PageScan.of(html).text
    assert "Nothing to count yet" in text
    assert 'class="calendar"' not in html
    assert "Milestones" not in text


def test_with_sessions_today_shows_the_recap_and_milestones(web: WebClient, screened: Path) -> None:
    finished_sessions(0)
    html = web.get("/").text
    text = PageScan.of(html).text
    assert "Nothing to count yet" not in text
    assert 'class="calendar"' in html
    assert "This week so far" in text
    assert "This week: 1 session done." in text
    assert "Milestones" in text
    assert "First session" in text
    assert "10 sessions" not in text
    assert "Next week:" in text
