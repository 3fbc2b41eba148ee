"""Outcome scoring (domain.md §4.2) and important-change rules, with the worked examples."""

from __future__ import annotations

from typing import Any

import pytest

from deskstretch.core.errors import DeskstretchError
from deskstretch.core.outcomes import (
    CHAIR_SIT_AND_REACH_ERROR_CM,
    FINGERTIP_TO_FLOOR_MDC_CM,
    ODI_SECTIONS,
    RMDQ_ITEMS,
    STARTBACK_ITEMS,
    Bothersomeness,
    Direction,
    NprsBand,
    OdiBand,
    ScoringError,
    StartBackRisk,
    measurement_change,
    nprs_band,
    nprs_change,
    odi_band,
    odi_change,
    psfs_change,
    rmdq_change,
    score_odi,
    score_psfs,
    score_rmdq,
    score_startback,
)
from deskstretch.core.records import MeasurementKind

# ----- builders -----------------------------------------------------------------------------------


def odi_answers(*scores: int | None, skip: tuple[str, ...] = ()) -> dict[str, int | None]:
    """ODI answers in section order; sections named in ``skip`` are left out of the mapping."""
    answers = dict(zip(ODI_SECTIONS, scores, strict=True))
    return {section: value for section, value in answers.items() if section not in skip}


def rmdq_answers(ticked: int) -> dict[str, bool]:
    """The first ``ticked`` items ticked, the rest explicitly unticked."""
    return {item: index < ticked for index, item in enumerate(RMDQ_ITEMS)}


def startback_answers(agree: tuple[int, ...], bothered: Bothersomeness) -> dict[str, int]:
    """Items 1-8 agreed where their number is in ``agree``, item 9 as given."""
    answers = {f"sbst{n}": int(n in agree) for n in range(1, 9)}
    answers["sbst9"] = bothered
    return answers


# ----- NPRS ---------------------------------------------------------------------------------------


def test_nprs_change_two_points_from_six_is_real() -> None:
    change = nprs_change(6, 4, "Back pain")
    assert change.delta == 2
    assert change.pct == pytest.approx(2 / 6)
    assert change.is_important and change.is_real_change
    assert change.direction is Direction.BETTER
    assert change.verdict == "a real change for the better"
    assert change.threshold == "≥ 2 points or 30% of the starting rating"
    assert change.sentence == (
        "Back pain went from 6 to 4 (−2 points, 33%): a real change for the better."
    )


def test_nprs_change_sentence_matches_the_house_example() -> None:
    sentence = nprs_change(6, 3, "Back pain").sentence
    assert sentence == "Back pain went from 6 to 3 (−3 points, 50%): a real change for the better."


def test_nprs_change_eight_to_six_is_important_better() -> None:
    # 2 points is enough on its own, whatever the starting value (Ostelo 2008; Farrar 2001).
    change = nprs_change(8, 6, "Back pain")
    assert change.pct == pytest.approx(0.25)
    assert change.is_important
    assert change.direction is Direction.BETTER
    assert change.sentence == (
        "Back pain went from 8 to 6 (−2 points, 25%): a real change for the better."
    )


def test_nprs_change_eight_to_ten_is_important_worse() -> None:
    change = nprs_change(8, 10, "Back pain")
    assert change.is_important
    assert change.direction is Direction.WORSE
    assert change.verdict == "a real change for the worse"
    assert change.sentence == (
        "Back pain went from 8 to 10 (+2 points, 25%): a real change for the worse."
    )


@pytest.mark.parametrize(
    ("baseline", "current", "real"),
    [
        (5, 4, False),  # 1 point, 20%
        (4, 3, False),  # 1 point, 25%
        (5, 3, True),  # 2 points
        (7, 5, True),  # 2 points, 29%
        (10, 8, True),  # 2 points, 20%
        (10, 9, False),  # 1 point, 10%
        (3, 2, True),  # 1 point, 33%: the 30% rule alone is enough
        (2, 1, True),  # 1 point, 50%
        (1, 0, True),  # 1 point, 100%
        (3, 4, True),  # a rise of 33%
        (4, 5, False),  # a rise of 25%
        (0, 1, False),  # from 0 there is no percentage: 1 point is not enough
        (0, 2, True),
        (6, 6, False),
    ],
)
def test_nprs_change_follows_two_points_or_thirty_percent(
    baseline: int, current: int, real: bool
) -> None:
    assert nprs_change(baseline, current).is_real_change is real


def test_nprs_change_three_to_two_is_important_with_no_extra_guard() -> None:
    change = nprs_change(3, 2, "Back pain")
    assert change.pct == pytest.approx(1 / 3)
    assert change.is_real_change
    assert change.sentence.endswith(": a real change for the better.")


def test_nprs_change_from_zero_has_no_percent_and_uses_points() -> None:
    change = nprs_change(0, 2)
    assert change.pct is None
    assert change.delta == -2
    assert change.direction is Direction.WORSE
    assert change.is_real_change
    assert "%" not in change.sentence
    assert change.sentence.endswith(": a real change for the worse.")
    one = nprs_change(0, 1)
    assert one.pct is None and not one.is_real_change
    assert one.sentence == "Pain went from 0 to 1 (+1 point): within normal variation."


@pytest.mark.parametrize(("baseline", "current", "real"), [(2, 4, True), (5, 6, False)])
def test_nprs_change_worsening_is_judged_the_same_way(
    baseline: int, current: int, real: bool
) -> None:
    change = nprs_change(baseline, current)
    assert change.direction is Direction.WORSE
    assert change.is_real_change is real


def test_nprs_change_same_value_is_same_and_not_real() -> None:
    change = nprs_change(4, 4, "Leg pain")
    assert change.direction is Direction.SAME
    assert not change.is_real_change
    assert change.sentence == "Leg pain stayed at 4 (no change): within normal variation."


@pytest.mark.parametrize("bad", [-1, 11, True, 2.5])
def test_nprs_change_rejects_values_off_the_scale(bad: object) -> None:
    with pytest.raises(ScoringError, match="0 to 10"):
        nprs_change(bad, 3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0, NprsBand.NONE),
        (1, NprsBand.MILD),
        (3, NprsBand.MILD),
        (4, NprsBand.MODERATE),
        (6, NprsBand.MODERATE),
        (7, NprsBand.SEVERE),
        (10, NprsBand.SEVERE),
    ],
)
def test_nprs_band_follows_physiotherapy_canada_bands(value: int, band: NprsBand) -> None:
    assert nprs_band(value) is band


# ----- ODI ----------------------------------------------------------------------------------------


def test_score_odi_all_sections_sum_twenty_is_forty() -> None:
    result = score_odi(odi_answers(2, 2, 2, 2, 2, 2, 2, 2, 2, 2))
    assert result.raw_sum == 20
    assert result.score == 40
    assert result.band is OdiBand.MODERATE
    assert result.is_valid
    assert result.missing == ()
    assert result.answered == 10


def test_score_odi_skipped_sex_life_shrinks_the_denominator() -> None:
    # 9 sections summing 18: round(100 * 18 / 45) = 40, not 18/50 = 36.
    answers = odi_answers(2, 2, 2, 2, 2, 2, 2, None, 2, 2)
    result = score_odi(answers)
    assert result.raw_sum == 18
    assert result.score == 40
    assert result.missing == ("sex_life",)


def test_score_odi_absent_section_counts_as_skipped() -> None:
    result = score_odi(odi_answers(3, 3, 3, 3, 3, 3, 3, 3, 3, 3, skip=("walking",)))
    assert result.missing == ("walking",)
    assert result.score == 60


def test_score_odi_too_few_answered_is_invalid_and_lists_missing() -> None:
    answers = odi_answers(1, 1, 1, None, 1, 1, 1, None, 1, 1)
    result = score_odi(answers, min_answered=9)
    assert not result.is_valid
    assert result.score is None
    assert result.band is None
    assert result.missing == ("walking", "sex_life")
    assert score_odi(answers, min_answered=8).score == 20


def test_score_odi_rounds_halves_up() -> None:
    # 8 sections summing 1: 100 * 1 / 40 = 2.5 -> 3 (Python's round() would give 2).
    answers = odi_answers(1, 0, 0, 0, 0, 0, 0, None, None, 0)
    assert score_odi(answers, min_answered=8).score == 3


def test_score_odi_two_ticks_in_a_section_takes_the_higher() -> None:
    answers: dict[str, int | list[int] | None] = dict(odi_answers(*[0] * 10))
    answers["lifting"] = [2, 4]
    result = score_odi(answers)
    assert result.section_scores["lifting"] == 4
    assert result.score == 8


@pytest.mark.parametrize(
    ("answers", "needle"),
    [
        ({"lifting": 6}, "'lifting': expected a whole number from 0 to 5, got 6"),
        ({"lifting": -1}, "'lifting'"),
        ({"walking": [1, 7]}, "'walking'"),
        ({"crippled": 2}, "'crippled': expected one of pain_intensity"),
    ],
)
def test_score_odi_names_the_bad_item_and_the_range(
    answers: dict[str, int | list[int]], needle: str
) -> None:
    with pytest.raises(ScoringError, match=needle) as raised:
        score_odi(answers)
    assert isinstance(raised.value, DeskstretchError)


def test_score_odi_rejects_an_impossible_minimum() -> None:
    with pytest.raises(ValueError, match="min_answered"):
        score_odi({}, min_answered=11)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, OdiBand.MINIMAL),
        (20, OdiBand.MINIMAL),
        (20.0001, OdiBand.MODERATE),
        (40, OdiBand.MODERATE),
        (40.5, OdiBand.SEVERE),
        (60, OdiBand.SEVERE),
        (61, OdiBand.VERY_SEVERE),
        (80, OdiBand.VERY_SEVERE),
        (81, OdiBand.EXTREME),
        (100, OdiBand.EXTREME),
    ],
)
def test_odi_band_uses_half_open_intervals(score: float, band: OdiBand) -> None:
    assert odi_band(score) is band


def test_odi_band_labels_are_neutral() -> None:
    labels = [band.label for band in OdiBand]
    assert labels == ["minimal", "moderate", "severe", "very severe", "extreme"]
    assert not any("crippl" in label or "bed" in label for label in labels)


@pytest.mark.parametrize("score", [-0.1, 100.5])
def test_odi_band_rejects_scores_off_the_scale(score: float) -> None:
    with pytest.raises(ScoringError, match="0 to 100"):
        odi_band(score)


@pytest.mark.parametrize(
    ("before", "after", "real"),
    [(40, 30, True), (40, 31, False), (20, 14, True), (20, 15, False), (30, 42, True)],
)
def test_odi_change_ten_points_or_thirty_percent(before: int, after: int, real: bool) -> None:
    change = odi_change(before, after)
    assert change.is_real_change is real
    assert change.threshold == "≥ 10 points or 30%"


# ----- RMDQ ---------------------------------------------------------------------------------------


def test_score_rmdq_counts_ticks() -> None:
    result = score_rmdq(rmdq_answers(7))
    assert result.score == 7
    assert result.ticked == RMDQ_ITEMS[:7]


def test_score_rmdq_accepts_zero_one_and_skips() -> None:
    result = score_rmdq({"rmdq01": 1, "rmdq02": 0, "rmdq03": None, "rmdq24": True})
    assert result.score == 2
    assert result.ticked == ("rmdq01", "rmdq24")


@pytest.mark.parametrize(("score", "edge"), [(3, True), (4, False), (20, False), (21, True)])
def test_score_rmdq_flags_floor_and_ceiling(score: int, edge: bool) -> None:
    assert score_rmdq(rmdq_answers(score)).near_floor_or_ceiling is edge


@pytest.mark.parametrize(
    ("answers", "needle"), [({"rmdq25": True}, "'rmdq25'"), ({"rmdq01": 2}, "'rmdq01'")]
)
def test_score_rmdq_rejects_unknown_items_and_values(answers: dict[str, int], needle: str) -> None:
    with pytest.raises(ScoringError, match=needle):
        score_rmdq(answers)


@pytest.mark.parametrize(
    ("before", "after", "real"),
    [(20, 15, True), (20, 16, False), (6, 4, True), (6, 5, False), (8, 13, True)],
)
def test_rmdq_change_five_points_or_thirty_percent(before: int, after: int, real: bool) -> None:
    assert rmdq_change(before, after).is_real_change is real


# ----- PSFS ---------------------------------------------------------------------------------------


def test_score_psfs_is_the_mean() -> None:
    result = score_psfs({"walking": 3, "sitting": 5, "lifting": 7})
    assert result.mean == pytest.approx(5.0)
    assert dict(result.ratings) == {"walking": 3, "sitting": 5, "lifting": 7}


@pytest.mark.parametrize(
    "ratings",
    [{}, {f"x{n}": 5 for n in range(6)}, {"a": 3, "b": 4, "c": 11}, {"a": -1}],
)
def test_score_psfs_needs_one_to_five_activities_rated_zero_to_ten(
    ratings: dict[str, int],
) -> None:
    with pytest.raises(ScoringError):
        score_psfs(ratings)


def test_psfs_change_mean_rise_of_two_is_meaningful() -> None:
    change = psfs_change({"a": 3, "b": 4, "c": 5}, {"a": 5, "b": 6, "c": 7})
    assert change.mean.delta == pytest.approx(2.0)
    assert change.mean.is_real_change
    assert change.is_real_change
    assert change.mean.direction is Direction.BETTER


def test_psfs_change_single_activity_of_three_is_meaningful() -> None:
    change = psfs_change(
        {"walk": 3, "sit": 4, "lift": 5}, {"walk": 6, "sit": 4, "lift": 5}, {"walk": "Walking"}
    )
    assert not change.mean.is_real_change  # mean moved by 1 point
    assert change.is_real_change
    assert "Walking went from 3 to 6 (+3 points): a real change for the better." in change.sentence


def test_psfs_change_small_moves_are_within_variation() -> None:
    change = psfs_change({"a": 3, "b": 4, "c": 5}, {"a": 5, "b": 5, "c": 5})
    assert not change.is_real_change


def test_psfs_change_compares_only_activities_rated_both_times() -> None:
    before = {"walk": 2, "sit": 4, "lift": 6}
    after = {"walk": 4, "sit": 6, "garden": 0}
    change = psfs_change(before, after)
    assert change.compared == ("walk", "sit")
    assert change.not_compared == ("lift", "garden")
    assert change.mean.before == pytest.approx(3.0)
    assert change.mean.after == pytest.approx(5.0)
    # Two activities compared: the mean needs the single-activity 3 points, not 2.
    assert not change.mean.is_real_change
    assert "≥ 3 points on average" in change.mean.threshold


@pytest.mark.parametrize(
    ("before", "after", "real"),
    [
        ({"a": 2, "b": 2, "c": 2}, {"a": 4, "b": 4, "c": 4}, True),  # three: 2 points is real
        ({"a": 2, "b": 2}, {"a": 4, "b": 4}, False),  # two: 2 points is not
        ({"a": 2, "b": 2}, {"a": 5, "b": 5}, True),  # two: 3 points is
        ({"a": 2}, {"a": 4}, False),  # one activity: its own rule, 3 points
    ],
)
def test_psfs_mean_rule_depends_on_how_many_activities_are_compared(
    before: dict[str, int], after: dict[str, int], real: bool
) -> None:
    assert psfs_change(before, after).mean.is_real_change is real


def test_psfs_change_needs_a_shared_activity() -> None:
    with pytest.raises(ScoringError, match="both times"):
        psfs_change({"a": 1, "b": 1, "c": 1}, {"d": 1, "e": 1, "f": 1})


# ----- STarT Back ---------------------------------------------------------------------------------


def test_score_startback_total_three_is_low() -> None:
    result = score_startback(startback_answers((5, 6, 7), Bothersomeness.NOT_AT_ALL))
    assert (result.total, result.distress) == (3, 3)
    assert result.risk is StartBackRisk.LOW


def test_score_startback_total_four_with_distress_three_is_medium() -> None:
    result = score_startback(startback_answers((1, 5, 6, 7), Bothersomeness.SLIGHTLY))
    assert (result.total, result.distress) == (4, 3)
    assert result.risk is StartBackRisk.MEDIUM


def test_score_startback_total_four_with_distress_four_is_high() -> None:
    result = score_startback(startback_answers((5, 6, 7, 8), Bothersomeness.MODERATELY))
    assert (result.total, result.distress) == (4, 4)
    assert result.risk is StartBackRisk.HIGH


@pytest.mark.parametrize(
    ("answer", "point"),
    [
        (Bothersomeness.NOT_AT_ALL, 0),
        (Bothersomeness.SLIGHTLY, 0),
        (Bothersomeness.MODERATELY, 0),
        (Bothersomeness.VERY_MUCH, 1),
        (Bothersomeness.EXTREMELY, 1),
    ],
)
def test_score_startback_item_nine_scores_only_the_top_two_answers(
    answer: Bothersomeness, point: int
) -> None:
    result = score_startback(startback_answers((), answer))
    assert (result.total, result.distress) == (point, point)


def test_score_startback_item_nine_tips_total_and_distress() -> None:
    # Items 5-8 agreed (distress 4 with item 9): "very much" makes it high, "moderately" low.
    agreed = (5, 6, 7)
    assert score_startback(startback_answers(agreed, Bothersomeness.MODERATELY)).total == 3
    very = score_startback(startback_answers((*agreed, 1), Bothersomeness.VERY_MUCH))
    assert (very.total, very.distress, very.risk) == (5, 4, StartBackRisk.HIGH)


@pytest.mark.parametrize("risk", list(StartBackRisk))
def test_score_startback_message_is_for_the_clinician(risk: StartBackRisk) -> None:
    agree = {StartBackRisk.LOW: (), StartBackRisk.MEDIUM: (1, 2, 3, 4), StartBackRisk.HIGH: ()}
    bothered = Bothersomeness.EXTREMELY if risk is StartBackRisk.HIGH else Bothersomeness.SLIGHTLY
    answers = startback_answers(agree[risk], bothered)
    if risk is StartBackRisk.HIGH:
        answers.update(sbst5=1, sbst6=1, sbst7=1)
    result = score_startback(answers)
    assert result.risk is risk
    assert "information to share with your clinician" in result.message


def test_score_startback_high_risk_suggests_professional_support() -> None:
    answers = startback_answers((5, 6, 7, 8), Bothersomeness.EXTREMELY)
    assert "doctor or physiotherapist" in score_startback(answers).message


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"sbst3": 2}, "'sbst3'"),
        ({"sbst9": 5}, "'sbst9'"),
        ({"sbst10": 1}, "'sbst10'"),
        ({"sbst4": None}, "'sbst4'"),
    ],
)
def test_score_startback_rejects_bad_or_missing_answers(
    change: dict[str, int | None], needle: str
) -> None:
    answers: dict[str, int | None] = {item: 0 for item in STARTBACK_ITEMS}
    answers.update(change)
    with pytest.raises(ScoringError, match=needle):
        score_startback(answers)


def test_score_startback_requires_every_item() -> None:
    answers = {item: 0 for item in STARTBACK_ITEMS[:-1]}
    with pytest.raises(ScoringError, match="'sbst9'"):
        score_startback(answers)


# ----- flexibility --------------------------------------------------------------------------------


FTF = MeasurementKind.FINGERTIP_TO_FLOOR
CSR = MeasurementKind.CHAIR_SIT_AND_REACH


def test_thresholds_are_the_documented_values() -> None:
    assert FINGERTIP_TO_FLOOR_MDC_CM == 4.5
    assert CHAIR_SIT_AND_REACH_ERROR_CM == 7.0


@pytest.mark.parametrize(
    ("before", "after", "real", "direction"),
    [
        (20.0, 15.5, True, Direction.BETTER),  # exactly the MDC, smaller distance = better
        (10.3, 5.8, True, Direction.BETTER),  # float noise must not drop it below 4.5
        (20.0, 16.0, False, Direction.BETTER),
        (15.0, 20.0, True, Direction.WORSE),
    ],
)
def test_measurement_change_fingertip_to_floor(
    before: float, after: float, real: bool, direction: Direction
) -> None:
    change = measurement_change(FTF, before, after)
    assert change.is_real_change is real
    assert change.direction is direction
    assert change.threshold == "≥ 4.5 cm"
    assert change.pct is None


@pytest.mark.parametrize(
    ("before", "after", "real", "direction"),
    [
        (-2.0, 5.0, True, Direction.BETTER),  # larger reach = better; exactly the threshold
        (-2.0, 4.5, False, Direction.BETTER),
        (3.0, -4.0, True, Direction.WORSE),
        (1.0, 1.0, False, Direction.SAME),
    ],
)
def test_measurement_change_chair_sit_and_reach(
    before: float, after: float, real: bool, direction: Direction
) -> None:
    change = measurement_change(CSR, before, after)
    assert change.is_real_change is real
    assert change.direction is direction
    assert change.threshold == "≥ 7 cm"


def test_measurement_change_sentence_shows_centimetres() -> None:
    sentence = measurement_change(CSR, -2.0, 5.5).sentence
    assert sentence == (
        "Chair sit-and-reach went from −2 cm to 5.5 cm (+7.5 cm): a real change for the better."
    )


def test_measurement_change_rejects_non_numbers() -> None:
    with pytest.raises(ScoringError, match="after_cm"):
        measurement_change(CSR, 1.0, float("nan"))


# ----- every measure names the direction of a real change -----------------------------------------


@pytest.mark.parametrize(
    ("change", "ending"),
    [
        (lambda: odi_change(30, 42), "(+12 points, 40%): a real change for the worse."),
        (lambda: odi_change(42, 30), "(−12 points, 29%): a real change for the better."),
        (lambda: rmdq_change(8, 14), "(+6 points, 75%): a real change for the worse."),
        (lambda: rmdq_change(14, 8), "(−6 points, 43%): a real change for the better."),
        (
            lambda: measurement_change(CSR, 5.0, -3.0),
            "(−8 cm): a real change for the worse.",
        ),
        (
            lambda: measurement_change(MeasurementKind.FINGERTIP_TO_FLOOR, 10.0, 16.0),
            "(+6 cm): a real change for the worse.",
        ),
        (
            lambda: psfs_change({"a": 8, "b": 8, "c": 8}, {"a": 4, "b": 8, "c": 8}).activities[0],
            "(−4 points): a real change for the worse.",
        ),
    ],
)
def test_every_measure_says_worse_for_a_real_worsening(change: Any, ending: str) -> None:
    result = change()
    assert result.sentence.endswith(ending)
    assert result.verdict == ending.rsplit(": ", 1)[-1].rstrip(".")
