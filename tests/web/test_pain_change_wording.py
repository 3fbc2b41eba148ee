"""Issue #9 item 3: a 2-point pain change counts whatever the start, and a rise says "worse",
on every view that judges pain: the browser's progress page and `deskstretch progress`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.records import CheckIn, CheckInContext
from helpers.support import CliRunner, Dirs, flat
from helpers.web_client import WebClient


def add_back_pain(*ratings: int) -> None:
    """One check-in a day, oldest first, ending yesterday."""
    from deskstretch.store import repository as repo

    coach = Coach(Settings.from_env())
    now = datetime.now(UTC)
    for index, back in enumerate(ratings):
        at = now - timedelta(days=len(ratings) - index)
        repo.add_checkin(
            coach.store, CheckIn(f"c{index}", at, back, None, CheckInContext.ANYTIME, None, "")
        )


@pytest.mark.parametrize(
    ("ratings", "sentence"),
    [
        ((8, 10), "Back pain went from 8 to 10 (+2 points, 25%): a real change for the worse."),
        ((8, 6), "Back pain went from 8 to 6 (−2 points, 25%): a real change for the better."),
        ((5, 4), "Back pain went from 5 to 4 (−1 point, 20%): within normal variation."),
    ],
)
def test_progress_page_and_command_judge_pain_by_the_published_rule(
    web: WebClient,
    run_cli: CliRunner,
    screened: Path,
    dirs: Dirs,
    ratings: tuple[int, ...],
    sentence: str,
) -> None:
    add_back_pain(*ratings)
    page = web.get("/progress")
    assert page.status_code == 200, page.text
    assert sentence in flat(page.text)
    assert "≥ 2 points or ≥ 30% of the starting rating, up or down" in flat(page.text)
    result = run_cli("progress")
    assert result.exit_code == 0, result
    assert sentence in flat(result.stdout)
    assert "≥ 2 points or ≥ 30% of the starting rating, up or down" in flat(result.stdout)
