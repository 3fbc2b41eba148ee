"""Fixtures for the web tests: the app on this test's own folders, a browser-like client, and
people in different states (not screened, screened, with a red flag, with some history)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.records import CheckIn, CheckInContext, MeasurementKind
from deskstretch.web.app import create_app
from helpers.support import AnswersWriter, CliRunner, Dirs
from helpers.web_client import BASE, WebClient


@pytest.fixture
def app(dirs: Dirs) -> FastAPI:
    return create_app(Settings.from_env())


@pytest.fixture
def web(app: FastAPI) -> Iterator[WebClient]:
    # raise_server_exceptions: an unexpected error fails the test instead of becoming a 500 page.
    with TestClient(app, base_url=BASE, raise_server_exceptions=True) as client:
        yield WebClient(client)


@pytest.fixture
def answer(run_cli: CliRunner, write_answers: AnswersWriter) -> Callable[..., None]:
    """answer(yes=(...), clearance_confirmed=False): store safety answers as `check --from`."""

    def save(yes: tuple[str, ...] = (), clearance_confirmed: bool = False) -> None:
        path = write_answers(yes=yes, clearance_confirmed=clearance_confirmed)
        run_cli("check", "--from", path)

    return save


@pytest.fixture
def history(screened: Path, dirs: Dirs) -> Coach:
    """Screened all "no", with two weeks of check-ins and a flexibility test."""
    from deskstretch.coach.measurements import record_measurement
    from deskstretch.store import repository as repo

    coach = Coach(Settings.from_env())
    now = datetime.now(UTC)
    for days, back in ((14, 6), (10, 5), (6, 4), (3, 4), (1, 3)):
        at = now - timedelta(days=days)
        repo.add_checkin(
            coach.store, CheckIn(f"c{days}", at, back, 1, CheckInContext.ANYTIME, None, "")
        )
    record_measurement(
        coach.store, MeasurementKind.CHAIR_SIT_AND_REACH, -4.0, "left", now=now - timedelta(days=9)
    )
    return coach
