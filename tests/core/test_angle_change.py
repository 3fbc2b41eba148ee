"""The §5.3 rule for angles from photos: under 10° (one photo) or 6° (median of 3 both times)
is no detectable change; angles are shown to the nearest 5° with their ±6°."""

from __future__ import annotations

import pytest

from deskstretch.core.body_angles import rounded_angle
from deskstretch.core.outcomes import (
    ANGLE_CHANGE_MEDIAN_DEG,
    ANGLE_CHANGE_SINGLE_DEG,
    angle_change_threshold,
    forward_bend_change,
)


@pytest.mark.parametrize(
    ("before", "after", "threshold"),
    [(1, 1, 10.0), (3, 1, 10.0), (2, 3, 10.0), (3, 3, 6.0), (40, 3, 6.0)],
)
def test_the_threshold_is_6_only_when_both_are_medians_of_3(
    before: int, after: int, threshold: float
) -> None:
    assert angle_change_threshold(before, after) == threshold


def test_the_thresholds_are_the_domain_numbers() -> None:
    assert (ANGLE_CHANGE_SINGLE_DEG, ANGLE_CHANGE_MEDIAN_DEG) == (10.0, 6.0)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.0, 0), (2.4, 0), (2.5, 5), (47.4, 45), (47.5, 50), (52.0, 50), (-7.6, -10), (180, 180)],
)
def test_angles_are_shown_to_the_nearest_5_degrees(value: float, shown: int) -> None:
    assert rounded_angle(value) == shown


def test_a_single_photo_change_under_10_degrees_is_not_detectable() -> None:
    change = forward_bend_change(45.0, 52.0, photos_before=1, photos_after=1)
    assert not change.detectable and change.delta_deg == 7.0 and change.threshold_deg == 10.0
    assert change.sentence == (
        "Forward-bend angle 45° → 50° (±6° each, a change of +7°): no detectable change"
        " (changes under 10° can be measurement error)."
    )


def test_exactly_the_threshold_is_detectable_and_says_which_way() -> None:
    further = forward_bend_change(45.0, 55.0, photos_before=1, photos_after=3)
    assert further.detectable
    assert further.sentence == (
        "Forward-bend angle 45° → 55° (±6° each, a change of +10°): a detectable change, you"
        " fold further forward (changes of 10° or more are beyond measurement error)."
    )
    less = forward_bend_change(60.0, 54.0, photos_before=3, photos_after=3)
    assert less.detectable and less.delta_deg == -6.0
    assert "a change of −6°): a detectable change, you fold less far forward (with 3 photos" in (
        less.sentence
    )


def test_medians_of_3_narrow_the_rule_but_not_below_6_degrees() -> None:
    change = forward_bend_change(45.0, 50.9, photos_before=3, photos_after=3)
    assert not change.detectable
    # Rounded, +5.9 would read "+6°" beside "under 6°": it is shown to a tenth instead.
    assert (
        "a change of +5.9°): no detectable change (with 3 photos each time, changes under 6°"
        in (change.sentence)
    )


def test_values_that_round_apart_still_show_the_measured_change() -> None:
    change = forward_bend_change(47.4, 52.6, photos_before=1, photos_after=1)
    assert change.sentence.startswith("Forward-bend angle 45° → 55° (±6° each, a change of +5°)")
    assert not change.detectable


def test_no_change_at_all_reads_zero() -> None:
    change = forward_bend_change(80.0, 80.2, photos_before=1, photos_after=1)
    assert "a change of 0°): no detectable change" in change.sentence
