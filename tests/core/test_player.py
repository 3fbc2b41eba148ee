"""Player state machine, driven by a hand-advanced fake clock (plain float ``now`` values)."""

from __future__ import annotations

import pytest

from deskstretch.core.models import Dose, Side
from deskstretch.core.player import (
    BACK_RESTART_SECONDS,
    EventKind,
    Player,
    PlayerEvent,
    PlayerView,
    Status,
)
from deskstretch.core.timeline import SegmentKind, Timeline, build_timeline
from helpers.core_factories import make_routine, make_step

T0 = 1000.0
LATE = 0.7


def sample_timeline() -> Timeline:
    """Three steps; segment starts (offsets) in brackets.

    0 get ready [0-10], 1 hold both [10-40], 2 transition [40-50], 3 hold left [50-70],
    4 switch [70-75], 5 hold right [75-95], 6 transition [95-105], 7 reps 4 x 2.5 s [105-115].
    """
    routine = make_routine(
        make_step("a", Dose(reps=1, hold_seconds=30)),
        make_step("b", Dose(reps=1, hold_seconds=20), unilateral=True),
        make_step("c", Dose(reps=4, rep_seconds=2.5)),
    )
    return build_timeline(routine)


TOTAL = 115.0


def started(player: Player) -> Player:
    """A player on segment 0, started at T0."""
    events = player.advance(T0)
    assert [e.kind for e in events] == [EventKind.SEGMENT_STARTED]
    return player


def new_player() -> Player:
    return started(Player(sample_timeline(), T0))


def kinds(events: list[PlayerEvent]) -> list[EventKind]:
    return [e.kind for e in events]


def started_indices(events: list[PlayerEvent]) -> list[int]:
    return [
        e.segment.index
        for e in events
        if e.kind is EventKind.SEGMENT_STARTED and e.segment is not None
    ]


def test_sample_timeline_layout() -> None:
    timeline = sample_timeline()
    assert [s.start_seconds for s in timeline.segments] == [0, 10, 40, 50, 70, 75, 95, 105]
    assert timeline.total_seconds == TOTAL


# ----- advance and timing -------------------------------------------------------------------------


def test_advance_first_call_starts_segment_zero_scheduled_at_origin() -> None:
    player = Player(sample_timeline(), T0)
    events = player.advance(T0 + 0.25)
    assert len(events) == 1
    event = events[0]
    assert event.kind is EventKind.SEGMENT_STARTED
    assert event.segment is not None and event.segment.index == 0
    assert event.at == T0 + 0.25
    assert event.scheduled_at == T0
    assert player.advance(T0 + 0.5) == []


def test_advance_emits_each_boundary_with_exact_schedule() -> None:
    player = new_player()
    timeline = player.timeline
    for segment in timeline.segments[1:]:
        assert player.advance(T0 + segment.start_seconds - 0.001) == []
        events = player.advance(T0 + segment.start_seconds)
        assert kinds(events) == [EventKind.SEGMENT_STARTED]
        assert events[0].segment == segment
        assert events[0].at == events[0].scheduled_at == T0 + segment.start_seconds
        assert player.index == segment.index


def test_advance_finishes_exactly_at_total() -> None:
    player = new_player()
    player.advance(T0 + 105.0)
    assert player.advance(T0 + TOTAL - 0.001) == []
    assert player.view(T0 + TOTAL - 0.001).status is Status.PLAYING
    events = player.advance(T0 + TOTAL)
    assert kinds(events) == [EventKind.FINISHED]
    assert events[0].at == events[0].scheduled_at == T0 + TOTAL
    assert player.status is Status.FINISHED
    assert player.advance(T0 + TOTAL + 50) == []


def test_advance_late_never_drifts() -> None:
    player = Player(sample_timeline(), T0)
    events = player.advance(T0 + LATE)
    deadlines = []
    for _ in range(len(player.timeline.segments)):
        deadline = player.next_deadline()
        assert deadline is not None
        deadlines.append(deadline)
        events += player.advance(deadline + LATE)
    assert player.status is Status.FINISHED  # one advance per boundary, each a little late
    segments = player.timeline.segments
    assert deadlines == [T0 + s.end_seconds for s in segments]
    assert started_indices(events) == list(range(len(segments)))
    assert [e.scheduled_at for e in events] == [T0 + s.start_seconds for s in segments] + [
        T0 + TOTAL
    ]
    assert all(e.at == pytest.approx(e.scheduled_at + LATE) for e in events if e.scheduled_at)
    assert events[-1].kind is EventKind.FINISHED


def test_advance_late_position_is_from_origin() -> None:
    player = new_player()
    player.advance(T0 + 10 + LATE)
    view = player.view(T0 + 10 + LATE)
    assert view.segment is not None and view.segment.index == 1
    assert view.elapsed_in_segment == pytest.approx(LATE)
    assert view.remaining_in_segment == pytest.approx(30 - LATE)


def test_advance_crosses_many_boundaries_in_one_call() -> None:
    player = new_player()
    events = player.advance(T0 + 100.0)
    assert started_indices(events) == [1, 2, 3, 4, 5, 6]
    starts = [s.start_seconds for s in player.timeline.segments]
    assert [e.scheduled_at for e in events] == [T0 + starts[i] for i in range(1, 7)]
    assert all(e.at == T0 + 100.0 for e in events)
    assert player.index == 6
    events = player.advance(T0 + 1000.0)
    assert kinds(events) == [EventKind.SEGMENT_STARTED, EventKind.FINISHED]
    assert [e.scheduled_at for e in events] == [T0 + 105.0, T0 + TOTAL]


def test_advance_past_end_in_first_call_emits_everything_then_finished() -> None:
    player = Player(sample_timeline(), T0)
    events = player.advance(T0 + 10_000)
    assert started_indices(events) == list(range(8))
    assert events[-1].kind is EventKind.FINISHED
    assert events[-1].scheduled_at == T0 + TOTAL
    assert player.status is Status.FINISHED


def test_player_on_empty_timeline_is_finished() -> None:
    player = Player(build_timeline(make_routine()), T0)
    assert player.status is Status.FINISHED
    assert player.advance(T0 + 1) == []
    assert player.next_deadline() is None
    assert player.view(T0).progress == 1.0


# ----- pause, resume, toggle ----------------------------------------------------------------------


def test_pause_freezes_position() -> None:
    player = new_player()
    player.advance(T0 + 10)
    events = player.pause(T0 + 15)
    assert kinds(events) == [EventKind.PAUSED]
    assert events[0].at == T0 + 15
    assert events[0].segment is not None and events[0].segment.index == 1
    assert player.status is Status.PAUSED
    assert player.position(T0 + 15) == 15.0
    assert player.position(T0 + 500) == 15.0
    assert player.advance(T0 + 500) == []
    assert player.index == 1
    view = player.view(T0 + 500)
    assert view.status is Status.PAUSED
    assert (view.elapsed_in_segment, view.remaining_in_segment) == (5.0, 25.0)
    assert player.next_deadline() is None


def test_pause_first_catches_up_to_now() -> None:
    player = new_player()
    events = player.pause(T0 + 45)
    assert kinds(events) == [EventKind.SEGMENT_STARTED] * 2 + [EventKind.PAUSED]
    assert [e.scheduled_at for e in events[:2]] == [T0 + 10, T0 + 40]
    assert player.position(T0 + 99) == 45.0


def test_resume_shifts_everything_by_pause_length() -> None:
    player = new_player()
    player.advance(T0 + 10)
    player.pause(T0 + 15)
    events = player.resume(T0 + 115)
    assert kinds(events) == [EventKind.RESUMED]
    assert events[0].at == T0 + 115
    assert player.status is Status.PLAYING
    assert player.position(T0 + 115) == 15.0
    assert player.next_deadline() == T0 + 100 + 40
    assert player.advance(T0 + 139.9) == []
    events = player.advance(T0 + 140)
    assert started_indices(events) == [2]
    assert events[0].scheduled_at == T0 + 140
    events = player.advance(T0 + 10_000)
    assert events[-1].kind is EventKind.FINISHED
    assert events[-1].scheduled_at == T0 + 100 + TOTAL


def test_two_pauses_add_up() -> None:
    player = new_player()
    player.pause(T0 + 5)
    player.resume(T0 + 15)  # 10 s paused
    player.pause(T0 + 60)
    player.resume(T0 + 80)  # 20 s paused
    assert player.position(T0 + 80) == 50.0
    events = player.advance(T0 + 10_000)
    assert events[-1].scheduled_at == T0 + 30 + TOTAL


def test_resume_when_not_paused_does_nothing() -> None:
    player = new_player()
    assert player.resume(T0 + 5) == []
    assert player.next_deadline() == T0 + 10


def test_toggle_pause_pauses_then_resumes() -> None:
    player = new_player()
    assert kinds(player.toggle_pause(T0 + 2)) == [EventKind.PAUSED]
    assert player.view(T0 + 2).status is Status.PAUSED
    assert kinds(player.toggle_pause(T0 + 7)) == [EventKind.RESUMED]
    assert player.status is Status.PLAYING
    assert player.next_deadline() == T0 + 15


def test_pause_after_finish_does_nothing() -> None:
    player = new_player()
    player.advance(T0 + TOTAL)
    assert player.pause(T0 + TOTAL + 1) == []
    assert player.toggle_pause(T0 + TOTAL + 2) == []
    assert player.status is Status.FINISHED


# ----- skip ---------------------------------------------------------------------------------------


def test_skip_while_playing_starts_next_segment_now() -> None:
    player = new_player()
    events = player.skip(T0 + 3)
    assert started_indices(events) == [1]
    assert events[0].at == events[0].scheduled_at == T0 + 3
    assert player.index == 1
    assert player.position(T0 + 3) == 10.0
    assert player.next_deadline() == T0 + 33
    events = player.advance(T0 + 33)
    assert started_indices(events) == [2]
    assert events[0].scheduled_at == T0 + 33


def test_skip_first_catches_up_then_skips_current() -> None:
    player = new_player()
    events = player.skip(T0 + 12)
    assert started_indices(events) == [1, 2]
    assert [e.scheduled_at for e in events] == [T0 + 10, T0 + 12]


def test_skip_while_paused_stays_paused_at_next_start() -> None:
    player = new_player()
    player.pause(T0 + 20)
    events = player.skip(T0 + 30)
    assert started_indices(events) == [2]
    assert player.status is Status.PAUSED
    assert player.position(T0 + 60) == 40.0
    view = player.view(T0 + 60)
    assert (view.elapsed_in_segment, view.remaining_in_segment) == (0.0, 10.0)
    assert player.next_deadline() is None
    player.resume(T0 + 70)
    assert player.next_deadline() == T0 + 80
    events = player.advance(T0 + 80)
    assert started_indices(events) == [3]
    assert events[0].scheduled_at == T0 + 80


def test_skip_on_last_segment_finishes() -> None:
    player = new_player()
    player.advance(T0 + 105)
    events = player.skip(T0 + 107)
    assert kinds(events) == [EventKind.FINISHED]
    assert events[0].at == T0 + 107
    assert player.status is Status.FINISHED
    assert player.skip(T0 + 108) == []
    outcome = player.summary().steps[2]
    assert outcome.done_seconds == 2.0
    assert not outcome.completed


def test_skip_everything_leaves_every_step_skipped() -> None:
    player = new_player()
    for _ in range(len(player.timeline.segments)):
        player.skip(T0 + 1)
    assert player.status is Status.FINISHED
    summary = player.summary()
    assert [s.skipped for s in summary.steps] == [True, True, True]
    assert summary.steps_completed == 0
    assert summary.work_seconds_done == 0.0


# ----- back ---------------------------------------------------------------------------------------


def test_back_restarts_segment_when_well_into_it() -> None:
    player = new_player()
    player.advance(T0 + 10)
    events = player.back(T0 + 15)
    assert started_indices(events) == [1]
    assert events[0].at == events[0].scheduled_at == T0 + 15
    assert player.position(T0 + 15) == 10.0
    assert player.next_deadline() == T0 + 45


def test_back_goes_to_previous_segment_when_just_started() -> None:
    player = new_player()
    player.advance(T0 + 10)
    events = player.back(T0 + 12)
    assert started_indices(events) == [0]
    assert player.index == 0
    assert player.position(T0 + 12) == 0.0
    assert player.next_deadline() == T0 + 22


@pytest.mark.parametrize(
    ("seconds_in", "target"),
    [(BACK_RESTART_SECONDS - 0.1, 2), (BACK_RESTART_SECONDS + 0.1, 3)],
)
def test_back_threshold(seconds_in: float, target: int) -> None:
    player = new_player()
    player.advance(T0 + 50)
    events = player.back(T0 + 50 + seconds_in)
    assert started_indices(events) == [target]


def test_back_on_first_segment_restarts_it() -> None:
    player = new_player()
    events = player.back(T0 + 1)
    assert started_indices(events) == [0]
    assert player.position(T0 + 1) == 0.0
    assert player.next_deadline() == T0 + 11


def test_back_while_paused_stays_paused() -> None:
    player = new_player()
    player.pause(T0 + 20)
    events = player.back(T0 + 25)
    assert started_indices(events) == [1]
    assert player.status is Status.PAUSED
    assert player.position(T0 + 90) == 10.0
    player.resume(T0 + 100)
    assert player.next_deadline() == T0 + 130


# ----- quit and summary ---------------------------------------------------------------------------


def test_quit_freezes_everything() -> None:
    player = new_player()
    events = player.quit(T0 + 25)
    assert kinds(events) == [EventKind.SEGMENT_STARTED, EventKind.QUIT]
    assert events[-1].at == T0 + 25
    assert player.status is Status.QUIT
    for action in (player.advance, player.pause, player.resume, player.skip, player.back):
        assert action(T0 + 1000) == []
    assert player.quit(T0 + 1000) == []
    assert player.status is Status.QUIT
    assert player.position(T0 + 1000) == 25.0
    assert player.next_deadline() is None
    view = player.view(T0 + 1000)
    assert view.status is Status.QUIT
    assert view.position_seconds == 25.0


def test_quit_summary_reports_partial_step() -> None:
    player = new_player()
    player.quit(T0 + 25)
    summary = player.summary()
    assert summary.status is Status.QUIT
    assert summary.position_seconds == 25.0
    assert summary.total_seconds == TOTAL
    first, second, third = summary.steps
    assert (first.exercise_id, first.planned_seconds, first.done_seconds) == ("a", 30.0, 15.0)
    assert first.seconds_by_side == {Side.BOTH: 15.0}
    assert not first.completed
    assert not first.skipped
    assert second.done_seconds == third.done_seconds == 0.0
    assert second.skipped and third.skipped
    assert summary.steps_completed == 0
    assert summary.work_seconds_done == 15.0


def test_quit_summary_splits_seconds_by_side() -> None:
    player = new_player()
    player.advance(T0 + 80)
    player.quit(T0 + 85)  # 20 s left done, 10 s into the right hold
    first, second, third = player.summary().steps
    assert first.completed and not first.skipped
    assert first.done_seconds == first.planned_seconds == 30.0
    assert second.seconds_by_side == {Side.LEFT: 20.0, Side.RIGHT: 10.0}
    assert (second.done_seconds, second.planned_seconds) == (30.0, 40.0)
    assert not second.completed and not second.skipped
    assert third.skipped and not third.completed
    assert player.summary().steps_completed == 1


def test_quit_while_paused_uses_paused_position() -> None:
    player = new_player()
    player.pause(T0 + 20)
    player.quit(T0 + 300)
    summary = player.summary()
    assert summary.position_seconds == 20.0
    assert summary.steps[0].done_seconds == 10.0


def test_skipping_one_side_leaves_step_incomplete() -> None:
    player = new_player()
    player.advance(T0 + 50)
    player.skip(T0 + 50)  # skip the left hold at once
    player.advance(T0 + 10_000)
    second = player.summary().steps[1]
    assert second.seconds_by_side == {Side.LEFT: 0.0, Side.RIGHT: 20.0}
    assert not second.completed
    assert not second.skipped
    assert player.summary().steps_completed == 2


def test_skipping_lead_ins_still_completes_work() -> None:
    player = new_player()
    player.skip(T0 + 1)  # get ready
    deadline = player.next_deadline()
    assert deadline is not None
    player.advance(deadline)  # transition
    player.skip(deadline + 1)
    player.advance(T0 + 10_000)
    summary = player.summary()
    assert summary.status is Status.FINISHED
    assert summary.steps_completed == 3


def _play_to_end(player: Player, step: float) -> None:
    now = T0
    while player.status is Status.PLAYING:
        now += step
        player.advance(now)


@pytest.mark.parametrize("step", [0.1, 1.0, LATE, 7.3, 1000.0])
def test_full_routine_completes_every_step(step: float) -> None:
    player = new_player()
    _play_to_end(player, step)
    summary = player.summary()
    timeline = player.timeline
    assert summary.status is Status.FINISHED
    assert summary.steps_completed == 3
    for outcome in summary.steps:
        assert outcome.completed and not outcome.skipped
        assert outcome.done_seconds == outcome.planned_seconds
        assert outcome.planned_seconds == timeline.work_seconds(outcome.step_index)
    assert summary.steps[1].seconds_by_side == {Side.LEFT: 20.0, Side.RIGHT: 20.0}
    assert summary.work_seconds_done == timeline.work_seconds() == 80.0
    assert summary.position_seconds == TOTAL


def test_full_routine_with_pause_counts_no_paused_time() -> None:
    player = new_player()
    player.pause(T0 + 20)
    player.resume(T0 + 70)
    player.advance(T0 + 10_000)
    summary = player.summary()
    assert summary.steps_completed == 3
    assert [s.done_seconds for s in summary.steps] == [30.0, 40.0, 10.0]


def test_summary_while_playing_has_no_position() -> None:
    player = new_player()
    player.advance(T0 + 20)
    summary = player.summary()
    assert summary.status is Status.PLAYING
    assert summary.position_seconds == 0.0
    assert summary.steps[0].done_seconds == 0.0


# ----- view ---------------------------------------------------------------------------------------


def test_view_before_first_advance_shows_segment_zero() -> None:
    player = Player(sample_timeline(), T0)
    view = player.view(T0)
    assert view.status is Status.PLAYING
    assert view.segment is not None and view.segment.index == 0
    assert (view.elapsed_in_segment, view.remaining_in_segment) == (0.0, 10.0)
    assert view.progress == 0.0


def test_position_before_origin_is_zero() -> None:
    player = Player(sample_timeline(), T0)
    assert player.position(T0 - 5) == 0.0
    assert player.view(T0 - 5).progress == 0.0


def test_view_in_hold() -> None:
    player = new_player()
    player.advance(T0 + 25)
    view = player.view(T0 + 25)
    assert view.segment is not None and view.segment.kind is SegmentKind.HOLD
    assert view.elapsed_in_segment == 15.0
    assert view.remaining_in_segment == 15.0
    assert view.position_seconds == 25.0
    assert view.total_seconds == TOTAL
    assert view.rep == 0
    assert view.next_segment is not None and view.next_segment.index == 2
    assert view.progress == pytest.approx(25.0 / TOTAL)


@pytest.mark.parametrize(("seconds_in", "rep"), [(0.0, 1), (2.4, 1), (2.5, 2), (6.0, 3), (9.9, 4)])
def test_view_rep_number_in_reps_segment(seconds_in: float, rep: int) -> None:
    player = new_player()
    player.advance(T0 + 105 + seconds_in)
    view = player.view(T0 + 105 + seconds_in)
    assert view.segment is not None and view.segment.kind is SegmentKind.REPS
    assert view.rep == rep
    assert view.remaining_in_segment == pytest.approx(10.0 - seconds_in)
    assert view.next_segment is None


def test_view_clamps_when_caller_has_not_advanced() -> None:
    player = new_player()
    view = player.view(T0 + 14)  # past segment 0's end, not advanced yet
    assert view.segment is not None and view.segment.index == 0
    assert (view.elapsed_in_segment, view.remaining_in_segment) == (10.0, 0.0)


def test_view_after_finish() -> None:
    player = new_player()
    player.advance(T0 + TOTAL)
    view = player.view(T0 + TOTAL + 60)
    assert view.status is Status.FINISHED
    assert view.segment is None
    assert view.next_segment is None
    assert view.remaining_in_segment == 0.0
    assert view.position_seconds == TOTAL
    assert view.progress == 1.0


@pytest.mark.parametrize(
    ("position", "total", "progress"),
    [(0.0, 100.0, 0.0), (50.0, 100.0, 0.5), (150.0, 100.0, 1.0), (-1.0, 100.0, 0.0), (0, 0, 1.0)],
)
def test_view_progress_is_clamped(position: float, total: float, progress: float) -> None:
    view = PlayerView(Status.PLAYING, None, 0.0, 0.0, position, total, 0, None)
    assert view.progress == progress


# ----- next_deadline ------------------------------------------------------------------------------


def test_next_deadline_follows_segment_ends() -> None:
    player = Player(sample_timeline(), T0 + 3)
    assert player.next_deadline() == T0 + 3  # segment 0 is due at once
    player.advance(T0 + 3)
    assert player.next_deadline() == T0 + 13
    player.advance(T0 + 50)  # offset 47: the transition, ends at offset 50
    assert player.next_deadline() == T0 + 53
    player.advance(T0 + 55)  # offset 52: the left hold, ends at offset 70
    assert player.next_deadline() == T0 + 73
    player.pause(T0 + 60)
    assert player.next_deadline() is None
    player.resume(T0 + 65)
    assert player.next_deadline() == T0 + 78
    player.advance(T0 + 1000)
    assert player.next_deadline() is None
