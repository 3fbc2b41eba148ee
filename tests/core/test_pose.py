"""The posable figure: forward kinematics, the §5.2 angle helpers, props and pose blending."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pytest

from deskstretch.core.pose import (
    ANGLE_NAMES,
    JOINT_LIMITS,
    SEAT_HEIGHT_CM,
    SEATED_POSE,
    SHANK_CM,
    SOLE_CM,
    STANDING_POSE,
    THIGH_CM,
    Desk,
    Pose,
    Root,
    angle,
    back_bend,
    back_points,
    default_pose,
    floor_clearance,
    knee_extension_deficit,
    lerp_pose,
    lerp_skeleton,
    pose_from_angles,
    seat_chair,
    solve,
    trunk_inclination,
    trunk_thigh_flexion,
)


def _dist(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


@pytest.mark.parametrize(
    ("a", "b", "c", "expected"),
    [
        ((1, 0), (0, 0), (0, 1), 90.0),
        ((1, 0), (0, 0), (-1, 0), 180.0),
        ((1, 0), (0, 0), (2, 0), 0.0),
        ((1, 0), (0, 0), (1, 1), 45.0),
        ((3, 4), (1, 1), (1, -5), 180.0 - math.degrees(math.atan2(2, 3))),
    ],
)
def test_angle_follows_the_domain_formula(
    a: tuple[float, float], b: tuple[float, float], c: tuple[float, float], expected: float
) -> None:
    assert angle(a, b, c) == pytest.approx(expected)
    assert angle(c, b, a) == pytest.approx(expected)  # symmetric, always 0..180


def test_straight_leg_has_no_knee_extension_deficit() -> None:
    assert knee_extension_deficit(solve(STANDING_POSE)) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("knee", [10.0, 45.0, 90.0])
def test_knee_extension_deficit_equals_knee_flexion_in_the_picture_plane(knee: float) -> None:
    pose = replace(SEATED_POSE, knee_flex_deg=knee, far_knee_flex_deg=knee)
    skeleton = solve(pose)
    assert knee_extension_deficit(skeleton) == pytest.approx(knee)
    assert knee_extension_deficit(skeleton, far=True) == pytest.approx(knee)


def test_seated_default_hip_is_about_a_right_angle() -> None:
    skeleton = solve(SEATED_POSE)
    assert angle(skeleton.shoulder, skeleton.hip, skeleton.knee) == pytest.approx(90.0, abs=5.0)
    assert trunk_inclination(skeleton) < 5.0


def test_standing_default_is_upright_with_straight_legs() -> None:
    skeleton = solve(STANDING_POSE)
    assert trunk_thigh_flexion(skeleton) == pytest.approx(0.0, abs=5.0)
    assert skeleton.head[1] < skeleton.neck_base[1] < skeleton.hip[1] < skeleton.knee[1]
    assert skeleton.knee[1] < skeleton.ankle[1] < 0.0  # y grows down; the floor is y = 0


def test_forward_bend_raises_trunk_thigh_flexion() -> None:
    upright = solve(SEATED_POSE)
    hinged = solve(replace(SEATED_POSE, pelvis_tilt_deg=30.0, hip_flex_deg=120.0))
    assert trunk_thigh_flexion(hinged) == pytest.approx(trunk_thigh_flexion(upright) + 30, abs=1)
    # A hip hinge moves the trunk, not the thigh.
    assert hinged.knee == pytest.approx(upright.knee)


def test_rounding_the_back_tips_the_shoulders_further_forward() -> None:
    neutral = solve(replace(SEATED_POSE, pelvis_tilt_deg=20.0, hip_flex_deg=110.0))
    rounded = solve(
        replace(SEATED_POSE, pelvis_tilt_deg=20.0, hip_flex_deg=110.0, lumbar_flex_deg=40.0)
    )
    assert rounded.shoulder[0] > neutral.shoulder[0]
    assert trunk_thigh_flexion(rounded) > trunk_thigh_flexion(neutral)


def test_segments_keep_their_lengths_in_the_picture_plane() -> None:
    skeleton = solve(replace(STANDING_POSE, hip_flex_deg=40.0, knee_flex_deg=60.0))
    leg = skeleton.near_leg
    assert _dist(leg.root, leg.middle) == pytest.approx(THIGH_CM)
    assert _dist(leg.middle, leg.end) == pytest.approx(SHANK_CM)


def test_a_leg_turned_out_of_the_picture_looks_shorter() -> None:
    flat = solve(SEATED_POSE)
    crossed = solve(replace(SEATED_POSE, hip_abduct_deg=40.0))
    assert _dist(crossed.hip, crossed.knee) == pytest.approx(THIGH_CM * math.cos(math.radians(40)))
    assert _dist(flat.hip, flat.knee) == pytest.approx(THIGH_CM)


def test_seated_hip_stays_on_the_seat_whatever_the_angles() -> None:
    for pose in (SEATED_POSE, replace(SEATED_POSE, pelvis_tilt_deg=35.0, lumbar_flex_deg=50.0)):
        hip_x, hip_y = solve(pose).hip
        assert -hip_y - SEAT_HEIGHT_CM == pytest.approx(5.0)
        assert hip_x == pytest.approx(0.0)


@pytest.mark.parametrize(
    "pose",
    [
        STANDING_POSE,
        replace(
            STANDING_POSE,
            far_knee_flex_deg=30.0,
            far_hip_flex_deg=30.0,
            knee_flex_deg=30.0,
            hip_flex_deg=30.0,
        ),
        replace(STANDING_POSE, pelvis_tilt_deg=-10.0, lumbar_flex_deg=-25.0),
        replace(STANDING_POSE, hip_flex_deg=60.0),
    ],
)
def test_standing_figure_rests_its_stance_foot_on_the_floor(pose: Pose) -> None:
    skeleton = solve(pose)
    foot = skeleton.far_foot
    assert max(foot.heel[1], foot.toe[1]) == pytest.approx(-SOLE_CM)
    assert skeleton.far_leg.end[0] == pytest.approx(0.0)
    assert floor_clearance(skeleton) >= -1e-9


def test_feet_through_the_floor_are_measurable() -> None:
    swing = replace(STANDING_POSE, hip_flex_deg=30.0)
    assert floor_clearance(solve(swing)) == pytest.approx(0.0, abs=1e-9)  # the stance foot
    lifted = replace(SEATED_POSE, knee_flex_deg=60.0, far_knee_flex_deg=60.0)  # shins forward
    assert floor_clearance(solve(lifted)) > 0  # both feet off the floor
    too_long = replace(SEATED_POSE, hip_flex_deg=70.0)  # thigh tilted down: heel below floor
    assert floor_clearance(solve(too_long)) < 0


def test_trunk_rotation_turns_the_shoulders_apart() -> None:
    square = solve(SEATED_POSE)
    turned = solve(replace(SEATED_POSE, trunk_rotation_deg=40.0))
    assert square.near_arm.root == pytest.approx(square.far_arm.root)
    assert turned.near_arm.root[0] < square.near_arm.root[0] < turned.far_arm.root[0]


def test_neck_flexion_drops_the_gaze() -> None:
    down = solve(replace(SEATED_POSE, neck_flex_deg=30.0))
    up = solve(replace(SEATED_POSE, neck_flex_deg=-30.0))
    assert down.nose[1] - down.head[1] > up.nose[1] - up.head[1]


def test_lerp_pose_hits_both_ends_and_the_middle() -> None:
    a = SEATED_POSE
    b = replace(SEATED_POSE, pelvis_tilt_deg=30.0, knee_flex_deg=10.0)
    assert lerp_pose(a, b, 0.0) == a
    assert lerp_pose(a, b, 1.0) == b
    middle = lerp_pose(a, b, 0.5)
    assert middle.pelvis_tilt_deg == pytest.approx(15.0)
    assert middle.knee_flex_deg == pytest.approx(50.0)
    assert middle.root is Root.SEATED


def test_lerp_pose_refuses_to_blend_sitting_and_standing() -> None:
    with pytest.raises(ValueError, match="cannot blend"):
        lerp_pose(SEATED_POSE, STANDING_POSE, 0.5)


def test_pose_from_angles_starts_from_the_position_default() -> None:
    pose = pose_from_angles("seated", {"pelvis_tilt_deg": 20})
    assert pose == replace(SEATED_POSE, pelvis_tilt_deg=20.0)
    assert default_pose("standing") is STANDING_POSE
    with pytest.raises(ValueError, match="unknown joint angle 'pelvis_deg'"):
        pose_from_angles("seated", {"pelvis_deg": 20})


def test_every_angle_has_limits_and_the_defaults_respect_them() -> None:
    assert set(JOINT_LIMITS) == set(ANGLE_NAMES)
    for pose in (SEATED_POSE, STANDING_POSE):
        for name in ANGLE_NAMES:
            low, high = JOINT_LIMITS[name]
            assert low <= getattr(pose, name) <= high, name


def test_seat_ends_where_a_straight_leg_leaves_it() -> None:
    bent = seat_chair([SEATED_POSE])
    straight = seat_chair([SEATED_POSE, replace(SEATED_POSE, hip_flex_deg=60.0, knee_flex_deg=0)])
    assert straight.front_x < bent.front_x
    assert straight.front_x > 0.0  # the seat still reaches past the hip joint
    back_leg, seat = straight.outline()
    assert seat[0][1] == seat[1][1] == -SEAT_HEIGHT_CM
    assert back_leg[0][1] == seat[2][1] == 0.0  # both chair legs stand on the floor


def test_a_neutral_back_is_drawn_nearly_straight_whatever_the_lean() -> None:
    """The back muscles keep the outline of a neutral back nearly flat: tipped into a hip hinge it
    stays one line (the dowel test), and its joints sit where the bones put them."""
    for tilt in (0.0, 20.0, 40.0):
        skeleton = solve(replace(SEATED_POSE, pelvis_tilt_deg=tilt, hip_flex_deg=90.0 + tilt))
        assert back_bend(skeleton) < 5.0, tilt
        assert trunk_inclination(skeleton) == pytest.approx(tilt, abs=5.0)


@pytest.mark.parametrize(
    ("change", "at_least"),
    [
        ({"lumbar_flex_deg": 40.0}, 10.0),  # a rounded lower back
        ({"thoracic_flex_deg": 40.0}, 10.0),  # a rounded upper back
        ({"lumbar_flex_deg": -30.0}, 10.0),  # an arched back
        ({"neck_flex_deg": 30.0}, 10.0),  # the head dropped
        ({"neck_flex_deg": -30.0}, 10.0),  # the chin poked up
    ],
)
def test_back_bend_measures_rounding_arching_and_the_head(
    change: dict[str, Any], at_least: float
) -> None:
    hinge = replace(SEATED_POSE, pelvis_tilt_deg=30.0, hip_flex_deg=120.0)
    assert back_bend(solve(replace(hinge, **change))) > at_least
    assert back_bend(solve(hinge)) < 5.0


def test_back_points_run_from_the_sacrum_through_c7_to_the_head() -> None:
    skeleton = solve(SEATED_POSE)
    points = back_points(skeleton, per_curve=4)
    assert len(points) == 1 + 2 * 4 + 1
    assert points[0] == skeleton.sacrum
    assert points[4] == pytest.approx(skeleton.thoracolumbar)
    assert points[8] == pytest.approx(skeleton.neck_base)
    assert points[-1] == skeleton.head


def test_lerp_skeleton_moves_every_point_in_a_straight_line() -> None:
    a = solve(SEATED_POSE)
    b = solve(replace(SEATED_POSE, neck_flex_deg=30.0, knee_flex_deg=10.0))
    assert lerp_skeleton(a, b, 0.0) == a
    assert lerp_skeleton(a, b, 1.0) == b
    middle = lerp_skeleton(a, b, 0.5)
    assert middle.head == pytest.approx(((a.head[0] + b.head[0]) / 2, (a.head[1] + b.head[1]) / 2))
    assert middle.near_leg.end[0] == pytest.approx((a.near_leg.end[0] + b.near_leg.end[0]) / 2)
    assert middle.far_foot.toe == pytest.approx(a.far_foot.toe)  # the far leg did not move


def test_desk_outline_is_its_top_and_two_legs() -> None:
    desk = Desk(x0=-50.0, x1=70.0)
    top, *legs = desk.outline()
    assert top == desk.top() == ((-50.0, -74.0), (70.0, -74.0))
    assert tuple(legs) == desk.legs()
    assert [leg[0][0] for leg in legs] == [-50.0 + Desk.LEG_INSET_CM, 70.0 - Desk.LEG_INSET_CM]
    assert all(leg[1][1] == 0.0 for leg in legs)  # on the floor
