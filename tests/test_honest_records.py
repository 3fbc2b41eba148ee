"""Honest session records: what was really held and moved, complete only with most of the plan
done, sessions left open counted as interrupted, and the summaries and report crediting only that.

Real parts throughout: the catalogue routine, the pure player driven with plain numbers, the
session recorder writing to a real SQLite file, and the Coach reading it back.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from deskstretch.cli import render
from deskstretch.coach import Coach, Plan
from deskstretch.coach.sessions import SessionRecorder
from deskstretch.config import Settings
from deskstretch.core.player import Player, PlayerSummary, Status
from deskstretch.core.records import COMPLETE_SHARE, STALE_AFTER, SessionStatus
from deskstretch.exports.report import render_report
from deskstretch.reminders.inputs import SessionReader
from deskstretch.store import repository as repo

ROUTINE = "hamstring-2min"  # 30 s of pelvic tilts, then 4 x 30 s hamstring holds: 150 s of work
T0 = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)  # a Wednesday


@pytest.fixture
def coach(screened: Path) -> Coach:
    return Coach(Settings.from_env())


def plan_of(coach: Coach) -> Plan:
    return coach.plan(coach.resolve_routine(ROUTINE, None))


def play(
    recorder: SessionRecorder, plan: Plan, work_share: float, started: datetime, quit_at: int = -1
) -> PlayerSummary:
    """Play the routine with the player: each work segment for ``work_share`` of its time, then
    skip on (1.0 plays it through, 0.0 skips it at once); waiting segments are skipped at once.
    ``quit_at`` quits when that segment begins. Progress is saved at every segment start."""
    timeline = plan.timeline
    player = Player(timeline, 0.0)
    now = 0.0
    player.advance(now)
    recorder.start(now=started)
    while player.status is Status.PLAYING:
        segment = timeline.segments[player.index]
        recorder.progress(player.summary(), now=started + timedelta(seconds=now))
        if segment.index == quit_at:
            player.quit(now)
            break
        if segment.kind.is_work and work_share >= 1.0:
            now += segment.duration_seconds
            player.advance(now)
        else:
            now += segment.duration_seconds * work_share if segment.kind.is_work else 0.0
            player.skip(now)
    recorder.progress(player.summary(), now=started + timedelta(seconds=now))
    return player.summary()


def record_session(
    coach: Coach, work_share: float, started: datetime = T0, finish: bool = True
) -> SessionRecorder:
    plan = plan_of(coach)
    recorder = coach.recorder(plan, "terminal")
    summary = play(recorder, plan, work_share, started)
    if finish:
        recorder.finish(summary, now=started + timedelta(minutes=4))
    assert recorder.problem is None
    return recorder


# ----- the rule, through the player and the recorder --------------------------------------------


def test_skipping_through_every_step_is_partial_with_no_work_credited(coach: Coach) -> None:
    recorder = record_session(coach, 0.0)
    stored = repo.get_session(coach.store, recorder.session_id)
    assert stored.status is SessionStatus.PARTIAL
    assert stored.work_seconds == 0.0
    assert [step.skipped for step in stored.steps] == [True, True]
    assert stored.planned_seconds == pytest.approx(150.0)

    summary = coach.progress_summary(now=T0 + timedelta(hours=1))
    assert summary.streak == 0
    assert summary.this_week.days == 0
    assert summary.totals.real == 0
    assert summary.totals.completed == 0 and summary.totals.partial == 1
    hamstrings = summary.minutes[-1].groups[0]
    assert (hamstrings.minutes, hamstrings.per_leg_minutes) == (0.0, 0.0)
    assert summary.last_sessions[0].result == "partial"


def test_half_the_work_done_is_partial_with_only_that_half_credited(coach: Coach) -> None:
    recorder = record_session(coach, 0.5)
    stored = repo.get_session(coach.store, recorder.session_id)
    assert stored.status is SessionStatus.PARTIAL
    assert stored.done_share == pytest.approx(0.5)
    assert stored.work_seconds == pytest.approx(75.0)  # not the 150 s planned

    week = coach.progress_summary(now=T0 + timedelta(hours=1)).minutes[-1]
    assert week.groups[0].minutes == pytest.approx(1.0)  # 60 of the 120 s of hamstring holds
    assert week.group("low-back") is not None
    assert week.group("low-back").minutes == pytest.approx(0.25)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("work_share", "status"),
    [
        (1.0, SessionStatus.COMPLETED),
        (0.85, SessionStatus.COMPLETED),
        (COMPLETE_SHARE, SessionStatus.COMPLETED),
        (0.75, SessionStatus.PARTIAL),
    ],
)
def test_complete_needs_the_stated_share_of_the_planned_work(
    coach: Coach, work_share: float, status: SessionStatus
) -> None:
    recorder = record_session(coach, work_share)
    assert repo.get_session(coach.store, recorder.session_id).status is status


def test_quitting_early_is_partial_and_keeps_the_work_done(coach: Coach) -> None:
    plan = plan_of(coach)
    recorder = coach.recorder(plan, "terminal")
    first_hold = next(s.index for s in plan.timeline.segments if s.step_index == 1)
    summary = play(recorder, plan, 1.0, T0, quit_at=first_hold)
    recorder.finish(summary, now=T0 + timedelta(minutes=1))
    stored = repo.get_session(coach.store, recorder.session_id)
    assert stored.status is SessionStatus.PARTIAL
    assert stored.work_seconds == pytest.approx(30.0)  # the pelvic tilts only


def test_session_summary_says_what_was_saved_and_the_rule(coach: Coach) -> None:
    plan = plan_of(coach)
    console = Console(record=True, width=200)
    summary = play(coach.recorder(plan, "terminal"), plan, 0.0, T0)
    render.session_summary(console, plan, summary)
    text = console.export_text()
    assert "Routine complete" not in text
    assert "Routine finished, partly done." in text
    assert "Saved as partial: 0% of the planned holds and moves done; complete needs 80%." in text

    console = Console(record=True, width=200)
    summary = play(coach.recorder(plan, "terminal"), plan, 1.0, T0 + timedelta(hours=1))
    render.session_summary(console, plan, summary)
    text = console.export_text()
    assert "Routine complete. Well done." in text
    assert "Saved as complete: 100%" in text


# ----- sessions left open -------------------------------------------------------------------------


def test_a_session_left_open_becomes_interrupted_with_its_work_so_far(coach: Coach) -> None:
    plan = plan_of(coach)
    recorder = coach.recorder(plan, "browser")
    first_hold = next(s.index for s in plan.timeline.segments if s.step_index == 1)
    play(recorder, plan, 1.0, T0, quit_at=first_hold)  # the tab closes: no finish is sent
    # The last progress was saved as the hold began, after 30 s of pelvic tilts (waits skipped).
    last_sign = T0 + timedelta(seconds=plan.timeline.work_seconds(0))

    soon = coach.progress_summary(now=last_sign + STALE_AFTER - timedelta(seconds=1))
    assert soon.last_sessions[0].result == "in progress"
    assert soon.totals.in_progress == 1

    # Later, with no write in between: the same Coach (and its cache) sees it interrupted.
    later = coach.progress_summary(now=last_sign + STALE_AFTER)
    assert later.last_sessions[0].result == "interrupted"
    assert later.last_sessions[0].minutes == pytest.approx(0.5)  # the pelvic tilts
    assert (later.totals.interrupted, later.totals.in_progress) == (1, 0)
    assert later.totals.work_minutes == pytest.approx(0.5)
    assert later.totals.real == 0  # 30 s of work: under a minute, so no streak day


def test_reminders_count_only_complete_sessions_as_a_stretch_break(coach: Coach) -> None:
    skipped = record_session(coach, 0.0, started=T0)
    done = record_session(coach, 1.0, started=T0 + timedelta(hours=2))
    facts = SessionReader(coach.settings.database_url).read(T0 + timedelta(hours=3))
    assert [event.at for event in facts.done] == [T0 + timedelta(hours=2, minutes=4)]
    statuses = {s.id: s.status for s in repo.list_sessions(coach.store)}
    assert statuses == {
        skipped.session_id: SessionStatus.PARTIAL,
        done.session_id: SessionStatus.COMPLETED,
    }


# ----- the clinician report -----------------------------------------------------------------------


def _cells(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S)
    assert table is not None, f"no table {table_id}"
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def _number(text: str) -> float:
    return float(text.replace("−", "-"))


def test_report_session_totals_add_up(coach: Coach) -> None:
    record_session(coach, 1.0, started=T0)  # complete, 2.5 min
    record_session(coach, 0.0, started=T0 + timedelta(hours=1))  # partial, nothing done
    record_session(coach, 0.5, started=T0 + timedelta(hours=2))  # partial, 1.25 min
    record_session(coach, 1.0, started=T0 + timedelta(hours=3), finish=False)  # left open
    now = T0 + timedelta(hours=4)
    record_session(coach, 0.5, started=now - timedelta(minutes=3), finish=False)  # playing
    summary = coach.progress_summary(now=now)
    html = render_report(summary, now)

    header, *rows, total = _cells(html, "session-totals")
    assert header[1:] == ["Sessions", "Minutes of work done"]
    assert {row[0]: (int(row[1]), _number(row[2])) for row in rows} == {
        "complete": (1, 2.5),
        "partial": (2, 1.2),  # 1.25 shown to 0.1
        "interrupted": (1, 2.5),
        "in progress": (1, 1.2),
    }
    assert total[0] == "All recorded"
    assert int(total[1]) == sum(int(row[1]) for row in rows) == summary.totals.recorded == 5
    assert _number(total[2]) == pytest.approx(sum(_number(row[2]) for row in rows))
    assert summary.totals.work_minutes == pytest.approx(2.5 + 1.25 + 2.5 + 1.25)
    # Counted: every session with a minute of work or more (all but the one skipped through).
    assert summary.totals.real == 4
    assert "4 sessions counted (8 minutes of stretching work in them)" in re.sub(r"\s+", " ", html)
    assert "complete when at least 80% of the planned hold and move time was done" in html
