"""Saved safety answers that lock the routines, and answers that let them play again, are stored
as programme events, so a programme's replay knows the days its pause lasted."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.records import ProgrammeEventKind
from deskstretch.store import repository as repo

LOCKED, CLEARED = ProgrammeEventKind.SAFETY_LOCKED, ProgrammeEventKind.SAFETY_CLEARED


def _kinds(coach: Coach) -> list[ProgrammeEventKind]:
    return [e.kind for e in repo.list_programme_events(coach.store) if e.kind in (LOCKED, CLEARED)]


def test_a_lock_and_its_lifting_are_stored_once_each(screened: Path) -> None:
    coach = Coach(Settings.from_env())
    clear = coach.screening()
    assert clear is not None
    red_flag = replace(clear, red_flags={**clear.red_flags, "cancer-history": True})
    coach.save_screening(clear)
    assert _kinds(coach) == []  # answers that never locked anything leave no event
    coach.save_screening(red_flag)
    coach.save_screening(red_flag)  # still locked: no second event
    assert _kinds(coach) == [LOCKED]
    coach.save_screening(clear)
    coach.save_screening(clear)
    assert _kinds(coach) == [LOCKED, CLEARED]
    exported = coach.export_all()["programme_events"]
    assert [e["kind"] for e in exported] == ["safety_locked", "safety_cleared"]
