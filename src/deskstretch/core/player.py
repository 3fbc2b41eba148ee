"""The player: a state machine that plays a timeline when advanced with ``now``.

Pure: it never reads a clock or sleeps. The caller owns the loop and passes monotonic seconds in.
Positions are computed from one origin (the wall time at which the routine's offset 0 would be),
so lateness of the caller never accumulates into drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from deskstretch.core.models import Side
from deskstretch.core.timeline import Segment, Timeline

# Pressing "back" more than this many seconds into a segment restarts it; earlier, it goes to the
# previous segment (the convention of music players, which people already know).
BACK_RESTART_SECONDS = 3.0


class Status(StrEnum):
    PLAYING = "playing"
    PAUSED = "paused"
    FINISHED = "finished"
    QUIT = "quit"


class EventKind(StrEnum):
    SEGMENT_STARTED = "segment_started"
    PAUSED = "paused"
    RESUMED = "resumed"
    FINISHED = "finished"
    QUIT = "quit"


@dataclass(frozen=True)
class PlayerEvent:
    kind: EventKind
    at: float
    segment: Segment | None = None
    scheduled_at: float | None = None
    """For SEGMENT_STARTED: the wall time the segment was due (equals ``at`` after skip/back)."""


@dataclass(frozen=True)
class PlayerView:
    """What a front end needs to draw one frame."""

    status: Status
    segment: Segment | None
    elapsed_in_segment: float
    remaining_in_segment: float
    position_seconds: float
    total_seconds: float
    rep: int
    next_segment: Segment | None

    @property
    def progress(self) -> float:
        if self.total_seconds <= 0:
            return 1.0
        return min(1.0, max(0.0, self.position_seconds / self.total_seconds))


@dataclass(frozen=True)
class StepOutcome:
    step_index: int
    exercise_id: str
    exercise_name: str
    planned_seconds: float
    done_seconds: float
    seconds_by_side: dict[Side, float]
    completed: bool
    skipped: bool


@dataclass(frozen=True)
class PlayerSummary:
    status: Status
    steps: tuple[StepOutcome, ...]
    position_seconds: float
    total_seconds: float

    @property
    def work_seconds_done(self) -> float:
        return sum(step.done_seconds for step in self.steps)

    @property
    def steps_completed(self) -> int:
        return sum(1 for step in self.steps if step.completed)


class Player:
    """Plays ``timeline`` from ``now``; the first advance emits SEGMENT_STARTED for segment 0."""

    def __init__(self, timeline: Timeline, now: float) -> None:
        self.timeline = timeline
        self.status = Status.PLAYING if timeline.segments else Status.FINISHED
        self._origin = now
        self._paused_at: float | None = None
        self._index = -1
        self._entered_offset = 0.0
        self._done: dict[int, float] = {}
        self._completed: set[int] = set()
        self._frozen_offset = 0.0

    # ----- reading -------------------------------------------------------------------------------

    @property
    def index(self) -> int:
        return max(self._index, 0)

    def position(self, now: float) -> float:
        """Seconds into the timeline at ``now`` (frozen while paused or once ended)."""
        if self.status is Status.PLAYING:
            return max(0.0, now - self._origin)
        if self.status is Status.PAUSED and self._paused_at is not None:
            return max(0.0, self._paused_at - self._origin)
        return self._frozen_offset

    def next_deadline(self) -> float | None:
        """Wall time of the next segment boundary, or None when nothing is scheduled."""
        if self.status is not Status.PLAYING or not self.timeline.segments:
            return None
        if self._index < 0:
            return self._origin
        return self._origin + self.timeline.segments[self._index].end_seconds

    def view(self, now: float) -> PlayerView:
        segments = self.timeline.segments
        offset = min(self.position(now), self.timeline.total_seconds)
        segment = segments[self.index] if segments and self.status is not Status.FINISHED else None
        if segment is None:
            return PlayerView(
                self.status, None, 0.0, 0.0, offset, self.timeline.total_seconds, 0, None
            )
        elapsed = min(max(0.0, offset - segment.start_seconds), segment.duration_seconds)
        following = segments[self.index + 1] if self.index + 1 < len(segments) else None
        return PlayerView(
            status=self.status,
            segment=segment,
            elapsed_in_segment=elapsed,
            remaining_in_segment=segment.duration_seconds - elapsed,
            position_seconds=offset,
            total_seconds=self.timeline.total_seconds,
            rep=segment.rep_at(elapsed),
            next_segment=following,
        )

    # ----- advancing -----------------------------------------------------------------------------

    def advance(self, now: float) -> list[PlayerEvent]:
        """Move to where the timeline is at ``now``; return the events that happened on the way."""
        if self.status is not Status.PLAYING:
            return []
        events: list[PlayerEvent] = []
        segments = self.timeline.segments
        offset = now - self._origin
        if self._index < 0:
            self._enter(0, 0.0)
            events.append(self._started(now, self._origin))
        while self._index < len(segments) and offset >= segments[self._index].end_seconds:
            current = segments[self._index]
            self._leave(current.end_seconds, natural=True)
            due = self._origin + current.end_seconds
            if self._index + 1 >= len(segments):
                self._finish(Status.FINISHED, current.end_seconds)
                events.append(PlayerEvent(EventKind.FINISHED, now, None, due))
                return events
            self._enter(self._index + 1, current.end_seconds)
            events.append(self._started(now, due))
        return events

    def pause(self, now: float) -> list[PlayerEvent]:
        events = self.advance(now)
        if self.status is not Status.PLAYING:
            return events
        self.status = Status.PAUSED
        self._paused_at = now
        return [*events, PlayerEvent(EventKind.PAUSED, now, self._current())]

    def resume(self, now: float) -> list[PlayerEvent]:
        if self.status is not Status.PAUSED or self._paused_at is None:
            return []
        self._origin += now - self._paused_at
        self._paused_at = None
        self.status = Status.PLAYING
        return [PlayerEvent(EventKind.RESUMED, now, self._current())]

    def toggle_pause(self, now: float) -> list[PlayerEvent]:
        if self.status is Status.PAUSED:
            return self.resume(now)
        return self.pause(now)

    def skip(self, now: float) -> list[PlayerEvent]:
        """Jump to the start of the next segment (or finish after the last)."""
        events = self.advance(now)
        if self.status not in (Status.PLAYING, Status.PAUSED):
            return events
        self._leave(self.position(now), natural=False)
        if self.index + 1 >= len(self.timeline.segments):
            self._finish(Status.FINISHED, self.timeline.total_seconds)
            return [*events, PlayerEvent(EventKind.FINISHED, now, None, now)]
        return [*events, self._jump(self.index + 1, now)]

    def back(self, now: float) -> list[PlayerEvent]:
        """Restart the current segment, or go to the previous one if it has only just begun."""
        events = self.advance(now)
        if self.status not in (Status.PLAYING, Status.PAUSED):
            return events
        offset = self.position(now)
        current = self.timeline.segments[self.index]
        self._leave(offset, natural=False)
        target = self.index
        if offset - current.start_seconds < BACK_RESTART_SECONDS and self.index > 0:
            target = self.index - 1
        return [*events, self._jump(target, now)]

    def quit(self, now: float) -> list[PlayerEvent]:
        events = self.advance(now)
        if self.status not in (Status.PLAYING, Status.PAUSED):
            return events
        offset = self.position(now)
        self._leave(offset, natural=False)
        self._finish(Status.QUIT, offset)
        return [*events, PlayerEvent(EventKind.QUIT, now, None)]

    # ----- summary -------------------------------------------------------------------------------

    def summary(self) -> PlayerSummary:
        outcomes: list[StepOutcome] = []
        for step_index, step in enumerate(self.timeline.steps):
            work = [
                s for s in self.timeline.segments if s.step_index == step_index and s.kind.is_work
            ]
            by_side: dict[Side, float] = {}
            for segment in work:
                done = self._done.get(segment.index, 0.0)
                by_side[segment.side] = by_side.get(segment.side, 0.0) + done
            done_total = sum(by_side.values())
            completed = bool(work) and all(s.index in self._completed for s in work)
            outcomes.append(
                StepOutcome(
                    step_index=step_index,
                    exercise_id=step.exercise.id,
                    exercise_name=step.exercise.name,
                    planned_seconds=sum(s.duration_seconds for s in work),
                    done_seconds=done_total,
                    seconds_by_side=by_side,
                    completed=completed,
                    skipped=done_total < 1.0,
                )
            )
        return PlayerSummary(
            status=self.status,
            steps=tuple(outcomes),
            position_seconds=self._frozen_offset
            if self.status in (Status.FINISHED, Status.QUIT)
            else 0.0,
            total_seconds=self.timeline.total_seconds,
        )

    # ----- internals -----------------------------------------------------------------------------

    def _current(self) -> Segment | None:
        if not self.timeline.segments:
            return None
        return self.timeline.segments[self.index]

    def _started(self, now: float, due: float) -> PlayerEvent:
        return PlayerEvent(EventKind.SEGMENT_STARTED, now, self._current(), due)

    def _enter(self, index: int, offset: float) -> None:
        self._index = index
        self._entered_offset = offset

    def _leave(self, offset: float, natural: bool) -> None:
        segment = self.timeline.segments[self.index]
        end = min(offset, segment.end_seconds)
        spent = max(0.0, end - max(self._entered_offset, segment.start_seconds))
        self._done[segment.index] = self._done.get(segment.index, 0.0) + spent
        if natural:
            self._completed.add(segment.index)

    def _jump(self, index: int, now: float) -> PlayerEvent:
        target = self.timeline.segments[index]
        self._enter(index, target.start_seconds)
        if self.status is Status.PAUSED:
            self._paused_at = now
        self._origin = now - target.start_seconds
        return PlayerEvent(EventKind.SEGMENT_STARTED, now, target, now)

    def _finish(self, status: Status, offset: float) -> None:
        self._frozen_offset = offset
        self.status = status
        self._paused_at = None
