"""Issue 12 item 5 on the pages: counts read right ("1 minute", not "1 minutes"; whole minutes) and
the muscle group stored as "low-back" is shown as "lower back" everywhere: one word, one place."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.records import SessionStatus
from deskstretch.store import repository as repo
from helpers.store_factories import make_session, make_step
from helpers.web_client import PageScan, WebClient

LOW_BACK = re.compile(r"\blow[ -]back\b(?! pain)", re.IGNORECASE)
"""The old label; "low back pain" (the condition, in source titles) is not a muscle group."""


def one_minute_of_lower_back() -> None:
    """One finished session today: 60 s of a lower-back stretch (stored as "low-back")."""
    coach = Coach(Settings.from_env())
    now = datetime.now(UTC)
    midnight = now.astimezone(coach.local_tz()).replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(now - timedelta(minutes=5), midnight)
    ended = min(start + timedelta(minutes=2), now)
    step = make_step(
        0,
        60.0,
        exercise_id="seated-pelvic-tilts",
        muscle_group="low-back",
        seconds_left=0.0,
        seconds_right=0.0,
        seconds_both=60.0,
    )
    record = make_session("one", start, SessionStatus.COMPLETED, (step,), ended_at=ended)
    repo.start_session(coach.store, record)
    repo.finish_session(coach.store, record.id, SessionStatus.COMPLETED, ended)
    coach.store.close()


def test_library_target_filter_offers_lower_back_once(web: WebClient) -> None:
    scan = PageScan.of(web.get("/library").text)
    html = web.get("/library").text
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', html)
    labels = [label for _, label in options]
    assert labels.count("Lower back") == 1
    assert not [label for label in labels if LOW_BACK.search(label)]
    assert not LOW_BACK.search(scan.text)


def test_library_lower_back_filter_finds_the_low_back_group(web: WebClient) -> None:
    lower = PageScan.of(web.get("/library?target=lower back").text).links()
    # An older link with the stored id still works and shows the same exercises.
    old = PageScan.of(web.get("/library?target=low-back").text).links()
    assert "/library/seated-pelvic-tilts" in lower  # muscle_group = "low-back"
    assert "/library/standing-back-extension" in lower
    assert lower == old


def test_builder_names_the_group_lower_back(web: WebClient, screened: Path) -> None:
    html = web.get("/routines/new").text
    assert "(lower back)" in html
    assert not LOW_BACK.search(PageScan.of(html).text)


def test_one_minute_reads_as_one_minute(web: WebClient, screened: Path) -> None:
    one_minute_of_lower_back()
    progress = PageScan.of(web.get("/progress").text).text
    assert "1 minute of stretching" in progress
    assert "1 minutes" not in progress
    assert "1 session" in progress and "1 sessions" not in progress
    today = PageScan.of(web.get("/").text).text
    assert "lower back 1 min" in today
    assert not LOW_BACK.search(today)
    assert not LOW_BACK.search(progress)


def test_latest_sessions_give_their_time_in_minutes_and_seconds(
    web: WebClient, screened: Path
) -> None:
    one_minute_of_lower_back()
    html = web.get("/progress").text
    times = re.findall(r'<td class="n">(\d+:\d\d)</td><td>', html)
    assert times == ["1:00"]  # not "1" or "1.0"
    assert "Time (min:s)" in PageScan.of(html).text
