"""Timeline engine: routine + dose -> ordered, contiguous, timed segments with cue texts."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from deskstretch.core.models import Dose, Routine, Side, SideOrder, Step
from deskstretch.core.timeline import Segment, SegmentKind, Timeline, build_timeline
from helpers.core_factories import make_routine, make_step

K = SegmentKind
L, R, B = Side.LEFT, Side.RIGHT, Side.BOTH


def shape(timeline: Timeline) -> list[tuple[SegmentKind, Side, float]]:
    return [(s.kind, s.side, s.duration_seconds) for s in timeline.segments]


def work(timeline: Timeline) -> list[Segment]:
    return [s for s in timeline.segments if s.kind.is_work]


# ----- routines used by several tests -------------------------------------------------------------


def bilateral_three_holds() -> Routine:
    return make_routine(make_step("back", Dose(reps=3, hold_seconds=30, rest_seconds=10)))


def alternate_two_holds() -> Routine:
    step = make_step(
        "figure4",
        Dose(reps=2, hold_seconds=30, rest_seconds=10),
        unilateral=True,
        side_order=SideOrder.ALTERNATE,
        side_noun="leg",
    )
    return make_routine(step)


def blocked_two_holds() -> Routine:
    step = make_step(
        "twist",
        Dose(reps=2, hold_seconds=20, rest_seconds=10),
        unilateral=True,
        side_order=SideOrder.BLOCKED,
    )
    return make_routine(step)


def blocked_reps() -> Routine:
    step = make_step(
        "slider",
        Dose(reps=10, rep_seconds=2.5),
        unilateral=True,
        side_order=SideOrder.BLOCKED,
        side_noun="leg",
        cues=("Slide, do not stretch.",),
    )
    return make_routine(step)


def pnf_alternate() -> Routine:
    step = make_step(
        "hamstring-cr",
        Dose(reps=3, hold_seconds=20, contract_seconds=5),
        unilateral=True,
        side_order=SideOrder.ALTERNATE,
        side_noun="leg",
    )
    return make_routine(step)


def three_step_routine() -> Routine:
    return make_routine(
        make_step("a", Dose(reps=1, hold_seconds=30)),
        make_step("b", Dose(reps=1, hold_seconds=20), unilateral=True, side_noun="leg"),
        make_step("c", Dose(reps=8, rep_seconds=3.0)),
    )


# ----- order and sides ----------------------------------------------------------------------------


def test_build_timeline_single_bilateral_hold() -> None:
    timeline = build_timeline(make_routine(make_step("a", Dose(reps=1, hold_seconds=30))))
    assert shape(timeline) == [(K.GET_READY, B, 10.0), (K.HOLD, B, 30.0)]
    assert timeline.total_seconds == 40.0


def test_build_timeline_bilateral_holds_have_rests_between() -> None:
    timeline = build_timeline(bilateral_three_holds())
    assert shape(timeline) == [
        (K.GET_READY, B, 10.0),
        (K.HOLD, B, 30.0),
        (K.REST, B, 10.0),
        (K.HOLD, B, 30.0),
        (K.REST, B, 10.0),
        (K.HOLD, B, 30.0),
    ]
    holds = [s for s in timeline.segments if s.kind is K.HOLD]
    assert [(s.set_number, s.sets_total) for s in holds] == [(1, 3), (2, 3), (3, 3)]


def test_build_timeline_unilateral_alternate_is_left_right_left_right_with_switches() -> None:
    timeline = build_timeline(alternate_two_holds())
    assert shape(timeline) == [
        (K.GET_READY, L, 10.0),
        (K.HOLD, L, 30.0),
        (K.SWITCH_SIDE, R, 5.0),
        (K.HOLD, R, 30.0),
        (K.SWITCH_SIDE, L, 5.0),
        (K.HOLD, L, 30.0),
        (K.SWITCH_SIDE, R, 5.0),
        (K.HOLD, R, 30.0),
    ]
    holds = [s for s in timeline.segments if s.kind is K.HOLD]
    assert [(s.side, s.set_number) for s in holds] == [(L, 1), (R, 1), (L, 2), (R, 2)]
    # Alternating sides never rests on the same side, so rest_seconds goes unused.
    assert all(s.kind is not K.REST for s in timeline.segments)


def test_build_timeline_unilateral_blocked_rests_between_same_side_holds() -> None:
    timeline = build_timeline(blocked_two_holds())
    assert shape(timeline) == [
        (K.GET_READY, L, 10.0),
        (K.HOLD, L, 20.0),
        (K.REST, L, 10.0),
        (K.HOLD, L, 20.0),
        (K.SWITCH_SIDE, R, 5.0),
        (K.HOLD, R, 20.0),
        (K.REST, R, 10.0),
        (K.HOLD, R, 20.0),
    ]
    holds = [s for s in timeline.segments if s.kind is K.HOLD]
    assert [(s.side, s.set_number) for s in holds] == [(L, 1), (L, 2), (R, 1), (R, 2)]


def test_build_timeline_uses_step_side_order_not_exercise_default() -> None:
    blocked = make_step(
        "x", Dose(reps=2, hold_seconds=20), unilateral=True, side_order=SideOrder.BLOCKED
    )
    # Same exercise (default blocked), but the routine asks for alternate.
    step = Step(exercise=blocked.exercise, dose=blocked.dose, side_order=SideOrder.ALTERNATE)
    timeline = build_timeline(make_routine(step))
    assert [s.side for s in timeline.segments if s.kind is K.HOLD] == [L, R, L, R]


# ----- reps with tempo ----------------------------------------------------------------------------


def test_build_timeline_blocked_reps_one_segment_per_side() -> None:
    timeline = build_timeline(blocked_reps())
    assert shape(timeline) == [
        (K.GET_READY, L, 10.0),
        (K.REPS, L, 25.0),
        (K.SWITCH_SIDE, R, 5.0),
        (K.REPS, R, 25.0),
    ]
    for segment in work(timeline):
        assert segment.reps == 10
        assert segment.rep_seconds == 2.5
        assert segment.duration_seconds == segment.reps * segment.rep_seconds


def test_build_timeline_bilateral_reps_duration_is_reps_times_tempo() -> None:
    timeline = build_timeline(make_routine(make_step("m", Dose(reps=8, rep_seconds=3.0))))
    assert shape(timeline) == [(K.GET_READY, B, 10.0), (K.REPS, B, 24.0)]


def test_build_timeline_hold_segments_carry_no_rep_fields() -> None:
    timeline = build_timeline(bilateral_three_holds())
    assert {(s.reps, s.rep_seconds) for s in timeline.segments} == {(0, 0.0)}


@pytest.mark.parametrize(
    ("elapsed", "rep"),
    [(0.0, 1), (2.4, 1), (2.5, 2), (5.0, 3), (24.9, 10), (25.0, 10), (100.0, 10)],
)
def test_segment_rep_at_counts_from_one_and_clamps(elapsed: float, rep: int) -> None:
    reps_segment = work(build_timeline(blocked_reps()))[0]
    assert reps_segment.rep_at(elapsed) == rep


@pytest.mark.parametrize("kind", [K.HOLD, K.REST, K.GET_READY])
def test_segment_rep_at_is_zero_outside_reps(kind: SegmentKind) -> None:
    segment = next(s for s in build_timeline(bilateral_three_holds()).segments if s.kind is kind)
    assert segment.rep_at(0.0) == 0
    assert segment.rep_at(12.0) == 0


# ----- contract-relax (PNF) -----------------------------------------------------------------------


def test_build_timeline_contract_precedes_every_hold() -> None:
    timeline = build_timeline(pnf_alternate())
    segments = timeline.segments
    pairs = [(s.kind, s.side, s.duration_seconds) for s in segments[1:]]
    expected: list[tuple[SegmentKind, Side, float]] = []
    for n, side in enumerate([L, R, L, R, L, R]):
        if n:
            expected.append((K.SWITCH_SIDE, side, 5.0))
        expected += [(K.CONTRACT, side, 5.0), (K.HOLD, side, 20.0)]
    assert pairs == expected
    for contract, hold in itertools.pairwise(segments):
        if contract.kind is K.CONTRACT:
            assert hold.kind is K.HOLD
            assert (hold.side, hold.set_number) == (contract.side, contract.set_number)


def test_build_timeline_bilateral_pnf_rest_comes_before_next_contract() -> None:
    routine = make_routine(
        make_step("p", Dose(reps=2, hold_seconds=15, contract_seconds=6, rest_seconds=10))
    )
    assert shape(build_timeline(routine)) == [
        (K.GET_READY, B, 10.0),
        (K.CONTRACT, B, 6.0),
        (K.HOLD, B, 15.0),
        (K.REST, B, 10.0),
        (K.CONTRACT, B, 6.0),
        (K.HOLD, B, 15.0),
    ]


# ----- lead-ins between steps ---------------------------------------------------------------------


def test_build_timeline_get_ready_first_then_transition_before_each_later_step() -> None:
    timeline = build_timeline(three_step_routine())
    assert shape(timeline) == [
        (K.GET_READY, B, 10.0),
        (K.HOLD, B, 30.0),
        (K.TRANSITION, L, 10.0),
        (K.HOLD, L, 20.0),
        (K.SWITCH_SIDE, R, 5.0),
        (K.HOLD, R, 20.0),
        (K.TRANSITION, B, 10.0),
        (K.REPS, B, 24.0),
    ]
    assert [s.step_index for s in timeline.segments] == [0, 0, 1, 1, 1, 1, 2, 2]
    assert [s.exercise_id for s in timeline.segments] == ["a", "a", "b", "b", "b", "b", "c", "c"]
    assert sum(s.kind is K.GET_READY for s in timeline.segments) == 1


def test_build_timeline_copies_routine_identity_and_steps() -> None:
    routine = three_step_routine()
    timeline = build_timeline(routine)
    assert timeline.routine_id == "test-routine"
    assert timeline.routine_name == "Test routine"
    assert timeline.steps == routine.steps
    assert timeline.segments[3].exercise_name == "Exercise b"


# ----- totals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("routine", "total"),
    [
        # 10 get ready + 3 x 30 hold + 2 x 10 rest
        (bilateral_three_holds(), 120.0),
        # 10 + 4 x 30 hold + 3 x 5 switch
        (alternate_two_holds(), 145.0),
        # 10 + 4 x 20 hold + 2 x 10 rest + 1 x 5 switch
        (blocked_two_holds(), 115.0),
        # 10 + 2 x (10 reps x 2.5 s) + 5 switch
        (blocked_reps(), 65.0),
        # 10 + 6 x (5 contract + 20 hold) + 5 x 5 switch
        (pnf_alternate(), 185.0),
        # 10 + 30 | 10 + 20 + 5 + 20 | 10 + 8 x 3
        (three_step_routine(), 129.0),
    ],
    ids=["bilateral", "alternate", "blocked", "reps", "pnf", "three-steps"],
)
def test_timeline_total_seconds_matches_hand_count(routine: Routine, total: float) -> None:
    timeline = build_timeline(routine)
    assert timeline.total_seconds == total
    assert sum(s.duration_seconds for s in timeline.segments) == total


def test_timeline_total_seconds_respects_routine_lead_in_settings() -> None:
    routine = make_routine(
        make_step("a", Dose(reps=1, hold_seconds=30)),
        make_step("b", Dose(reps=2, hold_seconds=20), unilateral=True),
        get_ready_seconds=7,
        switch_seconds=3,
        transition_seconds=12,
    )
    # 7 + 30 | 12 + 4 x 20 + 3 x 3
    assert build_timeline(routine).total_seconds == 138.0


def test_timeline_of_empty_routine_is_empty() -> None:
    timeline = build_timeline(make_routine())
    assert timeline.segments == ()
    assert timeline.total_seconds == 0.0
    assert timeline.work_seconds() == 0.0
    assert timeline.index_at(0.0) == 0
    assert timeline.next_step_after(0) is None


# ----- contiguity ---------------------------------------------------------------------------------

ALL_ROUTINES = [
    bilateral_three_holds,
    alternate_two_holds,
    blocked_two_holds,
    blocked_reps,
    pnf_alternate,
    three_step_routine,
]


@pytest.mark.parametrize("factory", ALL_ROUTINES, ids=lambda f: f.__name__)
def test_timeline_segments_are_contiguous_and_indexed(factory: Callable[[], Routine]) -> None:
    timeline = build_timeline(factory())
    segments = timeline.segments
    assert segments[0].start_seconds == 0.0
    assert [s.index for s in segments] == list(range(len(segments)))
    for previous, current in itertools.pairwise(segments):
        assert current.start_seconds == previous.end_seconds
    assert all(s.duration_seconds > 0 for s in segments)
    assert timeline.total_seconds == segments[-1].end_seconds


# ----- zero-duration pieces -----------------------------------------------------------------------


def test_build_timeline_leaves_out_zero_rest() -> None:
    routine = make_routine(make_step("a", Dose(reps=3, hold_seconds=30, rest_seconds=0)))
    timeline = build_timeline(routine)
    assert shape(timeline) == [
        (K.GET_READY, B, 10.0),
        (K.HOLD, B, 30.0),
        (K.HOLD, B, 30.0),
        (K.HOLD, B, 30.0),
    ]
    assert [s.start_seconds for s in timeline.segments] == [0.0, 10.0, 40.0, 70.0]


def test_build_timeline_leaves_out_zero_lead_ins_and_switches() -> None:
    routine = make_routine(
        make_step("a", Dose(reps=1, hold_seconds=30)),
        make_step("b", Dose(reps=1, hold_seconds=20), unilateral=True),
        get_ready_seconds=0,
        switch_seconds=0,
        transition_seconds=0,
    )
    timeline = build_timeline(routine)
    assert shape(timeline) == [(K.HOLD, B, 30.0), (K.HOLD, L, 20.0), (K.HOLD, R, 20.0)]
    assert [s.index for s in timeline.segments] == [0, 1, 2]
    assert [s.start_seconds for s in timeline.segments] == [0.0, 30.0, 50.0]


def test_build_timeline_without_contract_has_no_contract_segments() -> None:
    timeline = build_timeline(alternate_two_holds())
    assert all(s.kind is not K.CONTRACT for s in timeline.segments)


# ----- cues ---------------------------------------------------------------------------------------


def test_cue_hold_names_side_noun_set_count_and_seconds() -> None:
    holds = [s for s in build_timeline(alternate_two_holds()).segments if s.kind is K.HOLD]
    assert holds[0].cue.startswith("Hold on the left leg (1 of 2) for 30 seconds.")
    assert holds[1].cue.startswith("Hold on the right leg (1 of 2) for 30 seconds.")
    assert holds[3].cue.startswith("Hold on the right leg (2 of 2) for 30 seconds.")


def test_cue_hold_single_bilateral_has_no_side_or_count() -> None:
    hold = build_timeline(make_routine(make_step("a"))).segments[1]
    assert hold.cue.startswith("Hold for 30 seconds.")
    for word in ("left", "right", " of "):
        assert word not in hold.cue


def test_cue_reps_names_count_side_tempo_and_first_cue() -> None:
    reps = work(build_timeline(blocked_reps()))
    assert reps[0].cue == (
        "10 slow reps on the left leg, about 2.5 seconds each. Slide, do not stretch."
    )
    assert reps[1].cue.startswith("10 slow reps on the right leg, about 2.5 seconds each.")


def test_cue_reps_without_exercise_cues_has_no_trailing_space() -> None:
    routine = make_routine(make_step("m", Dose(reps=8, rep_seconds=3.0), cues=()))
    assert work(build_timeline(routine))[0].cue == "8 slow reps, about 3 seconds each."


def test_cue_contract_names_side_and_seconds() -> None:
    contract = build_timeline(pnf_alternate()).segments[1]
    assert contract.kind is K.CONTRACT
    assert contract.cue.startswith("Press gently on the left leg for 5 seconds")


def test_cue_switch_names_new_side() -> None:
    routine = make_routine(
        make_step("x", Dose(reps=2, hold_seconds=20), unilateral=True, side_noun="arm")
    )
    switches = [s for s in build_timeline(routine).segments if s.kind is K.SWITCH_SIDE]
    assert [s.cue.startswith("Switch to the right arm") for s in switches] == [True, False, True]
    assert switches[1].cue.startswith("Switch to the left arm")


def test_cue_rest_names_next_hold() -> None:
    rests = [s for s in build_timeline(bilateral_three_holds()).segments if s.kind is K.REST]
    assert "Next: hold 2 of 3." in rests[0].cue
    assert "Next: hold 3 of 3." in rests[1].cue


def test_cue_lead_ins_name_exercise_and_starting_side() -> None:
    segments = build_timeline(three_step_routine()).segments
    get_ready, transition_b, transition_c = (
        s for s in segments if s.kind in (K.GET_READY, K.TRANSITION)
    )
    assert get_ready.cue == "First: Exercise a. Sit tall."
    assert transition_b.cue == "Next: Exercise b. Sit tall. Start with the left leg."
    assert transition_c.cue == "Next: Exercise c. Sit tall."


def test_segment_title_follows_kind() -> None:
    titles = {s.kind: s.title for s in build_timeline(pnf_alternate()).segments}
    assert titles == {
        K.GET_READY: "Get ready",
        K.CONTRACT: "Press gently",
        K.HOLD: "Hold",
        K.SWITCH_SIDE: "Switch sides",
    }


# ----- index_at -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "index"),
    [
        (-5.0, 0),
        (0.0, 0),
        (9.999, 0),
        (10.0, 1),  # a boundary belongs to the segment that starts there
        (39.5, 1),
        (40.0, 2),
        (50.0, 3),
        (119.999, 5),
        (120.0, 6),  # finished: len(segments)
        (500.0, 6),
    ],
)
def test_timeline_index_at_boundaries(offset: float, index: int) -> None:
    timeline = build_timeline(bilateral_three_holds())
    assert len(timeline.segments) == 6
    assert timeline.index_at(offset) == index


def test_timeline_index_at_every_segment_start_and_midpoint() -> None:
    timeline = build_timeline(three_step_routine())
    for segment in timeline.segments:
        assert timeline.index_at(segment.start_seconds) == segment.index
        midpoint = segment.start_seconds + segment.duration_seconds / 2
        assert timeline.index_at(midpoint) == segment.index


# ----- work seconds and next step -----------------------------------------------------------------


def test_timeline_work_seconds_counts_only_work_segments() -> None:
    timeline = build_timeline(three_step_routine())
    assert timeline.work_seconds() == 30.0 + 40.0 + 24.0
    assert timeline.work_seconds(0) == 30.0
    assert timeline.work_seconds(1) == 40.0
    assert timeline.work_seconds(2) == 24.0


def test_timeline_work_seconds_includes_contractions() -> None:
    timeline = build_timeline(pnf_alternate())
    assert timeline.work_seconds() == 150.0
    dose = timeline.steps[0].dose
    assert timeline.work_seconds(0) == 2 * dose.work_seconds_per_side()


def test_timeline_work_seconds_excludes_rests() -> None:
    timeline = build_timeline(blocked_two_holds())
    assert timeline.work_seconds() == 80.0
    assert timeline.work_seconds() < timeline.total_seconds


def test_timeline_next_step_after() -> None:
    timeline = build_timeline(three_step_routine())
    steps = timeline.steps
    by_step = {0: steps[1], 1: steps[2], 2: None}
    for segment in timeline.segments:
        assert timeline.next_step_after(segment.index) == by_step[segment.step_index]
    assert timeline.next_step_after(len(timeline.segments)) is None
    assert timeline.next_step_after(0) is steps[1]
