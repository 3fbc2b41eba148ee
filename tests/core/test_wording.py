"""The one plural helper and the muscle-group labels (issue 12 item 5)."""

from __future__ import annotations

import pytest

from deskstretch.core.wording import (
    clock_minutes,
    group_label,
    minutes_text,
    noun,
    plural,
    whole_minutes,
)


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 minutes"), (1, "1 minute"), (2, "2 minutes"), (1.0, "1 minute"), (1.5, "1.5 minutes")],
)
def test_plural_minutes(count: float, expected: str) -> None:
    assert plural(count, "minute") == expected


def test_plural_takes_an_irregular_form() -> None:
    assert plural(2, "activity", "activities") == "2 activities"
    assert plural(1, "activity", "activities") == "1 activity"
    assert noun(3, "rep") == "reps"
    assert noun(1, "rep") == "rep"


@pytest.mark.parametrize(
    ("minutes", "whole", "text"),
    [(0.4, 0, "0 minutes"), (0.5, 1, "1 minute"), (1.49, 1, "1 minute"), (2.5, 3, "3 minutes")],
)
def test_whole_minutes_round_half_up(minutes: float, whole: int, text: str) -> None:
    assert whole_minutes(minutes) == whole
    assert minutes_text(minutes) == text


def test_group_labels_say_lower_back_and_keep_other_ids() -> None:
    assert group_label("low-back") == "lower back"
    assert group_label("hamstrings") == "hamstrings"
    assert group_label("some-new-group") == "some new group"


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0, "0:00"), (1 / 3, "0:20"), (1, "1:00"), (2.5, "2:30"), (4.999, "5:00"), (61.25, "61:15")],
)
def test_clock_minutes_are_minutes_and_seconds(minutes: float, text: str) -> None:
    assert clock_minutes(minutes) == text
