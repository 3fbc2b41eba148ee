"""Recording sessions as they play (check-ins are in ``coach.checkins``).

Application layer between the Coach and the store: turns player summaries into session records
and writes them step by step, so a killed process loses at most the segment in progress.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from deskstretch.core.models import Side
from deskstretch.core.player import PlayerSummary
from deskstretch.core.records import (
    STALE_AFTER,
    SessionRecord,
    SessionStatus,
    StepRecord,
    ended_status,
)
from deskstretch.core.timeline import Timeline
from deskstretch.store import Store, StoreError
from deskstretch.store import repository as repo


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


def step_records(timeline: Timeline, summary: PlayerSummary) -> tuple[StepRecord, ...]:
    """Every step of the timeline as done so far, the planned work taken from the timeline; a
    step the summary leaves out is recorded as not done (so the stored plan is always whole)."""
    outcomes = {outcome.step_index: outcome for outcome in summary.steps}
    records = []
    for index, step in enumerate(timeline.steps):
        outcome = outcomes.get(index)
        if outcome is None:
            records.append(
                StepRecord(
                    step_index=index,
                    exercise_id=step.exercise.id,
                    muscle_group=step.exercise.muscle_group,
                    planned_seconds=round(timeline.work_seconds(index), 3),
                    done_seconds=0.0,
                    skipped=True,
                )
            )
            continue
        sides = outcome.seconds_by_side
        records.append(
            StepRecord(
                step_index=outcome.step_index,
                exercise_id=outcome.exercise_id,
                muscle_group=step.exercise.muscle_group,
                planned_seconds=round(outcome.planned_seconds, 3),
                done_seconds=round(outcome.done_seconds, 3),
                seconds_left=round(sides.get(Side.LEFT, 0.0), 3),
                seconds_right=round(sides.get(Side.RIGHT, 0.0), 3),
                seconds_both=round(sides.get(Side.BOTH, 0.0), 3),
                completed=outcome.completed,
                skipped=outcome.skipped,
            )
        )
    return tuple(records)


class SessionRecorder:
    """Keeps the stored session in step with the player. Store errors never stop a routine:
    they are remembered and reported once at the end."""

    def __init__(self, store: Store, timeline: Timeline, front_end: str) -> None:
        self.store = store
        self.timeline = timeline
        self.front_end = front_end
        self.session_id = new_id()
        self.problem: str | None = None
        self._started = False

    def start(self, now: datetime | None = None) -> SessionRecord | None:
        record = SessionRecord(
            id=self.session_id,
            routine_id=self.timeline.routine_id,
            routine_name=self.timeline.routine_name,
            started_at=now or utc_now(),
            status=SessionStatus.IN_PROGRESS,
            front_end=self.front_end,
        )
        try:
            repo.recover_interrupted(self.store, record.started_at, stale_after=STALE_AFTER)
            stored = repo.start_session(self.store, record)
        except StoreError as error:
            self.problem = error.message
            return None
        self._started = True
        return stored

    def progress(self, summary: PlayerSummary, now: datetime | None = None) -> None:
        if not self._started:
            return
        try:
            save_progress(self.store, self.session_id, step_records(self.timeline, summary), now)
        except StoreError as error:
            self.problem = error.message

    def finish(self, summary: PlayerSummary, now: datetime | None = None) -> SessionRecord | None:
        if not self._started:
            return None
        steps = step_records(self.timeline, summary)
        try:
            return finish_session(self.store, self.session_id, steps, now)
        except StoreError as error:
            self.problem = error.message
            return None


def save_progress(
    store: Store, session_id: str, steps: Sequence[StepRecord], now: datetime | None = None
) -> None:
    """Save the steps of an open session so far, ``now`` its last sign of life."""
    repo.update_session_progress(store, session_id, steps, at=now or utc_now())


def finish_session(
    store: Store, session_id: str, steps: Sequence[StepRecord], now: datetime | None = None
) -> SessionRecord:
    """Record how a session ended, with its final steps: completed or partial by the rule
    (core.records.ended_status) over the work done."""
    return repo.finish_session(store, session_id, ended_status(steps), now or utc_now(), steps)
