"""Recording what a person does: sessions as they play, check-ins and the pain rules on them.

Application layer between the Coach and the store: turns player summaries into session records,
writes them step by step (so a killed process loses at most the segment in progress), and runs
the pain rules of domain.md §3.3 on each check-in.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from deskstretch.core.models import Side
from deskstretch.core.painrules import session_was_too_much, should_reask_cauda_equina
from deskstretch.core.player import PlayerSummary
from deskstretch.core.records import (
    STALE_AFTER,
    CheckIn,
    CheckInContext,
    ProgrammeEvent,
    ProgrammeEventKind,
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
            repo.update_session_progress(
                self.store,
                self.session_id,
                step_records(self.timeline, summary),
                at=now or utc_now(),
            )
        except StoreError as error:
            self.problem = error.message

    def finish(self, summary: PlayerSummary, now: datetime | None = None) -> SessionRecord | None:
        if not self._started:
            return None
        steps = step_records(self.timeline, summary)
        try:
            return repo.finish_session(
                self.store, self.session_id, ended_status(steps), now or utc_now(), steps
            )
        except StoreError as error:
            self.problem = error.message
            return None


@dataclass(frozen=True)
class CheckInResult:
    checkin: CheckIn
    messages: tuple[str, ...]
    too_much: bool
    reask_cauda_equina: bool


def record_checkin(
    store: Store,
    back_pain: int | None,
    leg_pain: int | None,
    context: CheckInContext,
    session_id: str | None = None,
    note: str = "",
    last_reask: datetime | None = None,
    now: datetime | None = None,
) -> CheckInResult:
    """Save a check-in and apply the pain rules that look at it straight away.

    When the check-in calls for the cauda equina questions again, a QUESTIONS_DUE event is saved
    with it (one transaction): no routine plays until they are answered, in any front end.
    """
    at = now or utc_now()
    previous_list = repo.list_checkins(store, since=at - timedelta(days=60))
    previous = previous_list[-1] if previous_list else None
    checkin = CheckIn(new_id(), at, back_pain, leg_pain, context, session_id, note)
    reask = should_reask_cauda_equina(checkin, previous, last_reask, at)
    due = (ProgrammeEvent(new_id(), at, ProgrammeEventKind.QUESTIONS_DUE),) if reask else ()
    repo.add_checkin(store, checkin, due)
    messages: list[str] = []
    too_much = False
    if context is CheckInContext.AFTER_SESSION and session_id:
        before = next(
            (
                c
                for c in reversed(previous_list)
                if c.session_id == session_id and c.context is CheckInContext.BEFORE_SESSION
            ),
            None,
        )
        verdict = session_was_too_much(before, checkin)
        if verdict is not None:
            too_much = True
            repo.mark_too_much(store, session_id)
            messages.append(
                f"That looks like it was a bit much ({verdict.reason.rstrip('.')}). Next time "
                "deskstretch "
                "will offer easier versions. Rest today, and move gently."
            )
    return CheckInResult(checkin, tuple(messages), too_much, reask)
