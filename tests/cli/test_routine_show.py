"""`deskstretch routine show`: the routine as it would play for this person (issue #9, item 1).

It shows the steps the Coach's one adaptation plays, and says what changed and why.
"""

from __future__ import annotations

import re

import pytest

from helpers.support import AnswersWriter, CliRunner, flat


def shown_codes(stdout: str) -> list[str]:
    """Exercise codes of the table rows, in order ("Seated hamstring hinge (S01)")."""
    return re.findall(r"\((S\d\d)\)", stdout)


@pytest.mark.parametrize(
    ("condition", "left_out"),
    [
        ("osteoporosis", {"S06"}),
        ("hip-replacement-posterior", {"S01", "S02", "S06"}),
    ],
)
def test_routine_show_plays_the_adapted_routine(
    run_cli: CliRunner, write_answers: AnswersWriter, condition: str, left_out: set[str]
) -> None:
    assert run_cli("check", "--from", write_answers(yes=[condition])).exit_code == 0
    result = run_cli("routine", "show", "lower-back-desk-4")
    assert result.exit_code == 0, result
    codes = shown_codes(result.stdout)
    assert codes, result
    assert not left_out & set(codes), codes
    text = flat(result.stdout)
    assert "as it would play for you" in text
    assert "Seated forward fold is swapped for" in text or "Seated forward fold is left out" in text


def test_routine_show_says_a_dropped_step_has_no_safe_stand_in(
    run_cli: CliRunner, write_answers: AnswersWriter
) -> None:
    answers = write_answers(yes=["hip-replacement-posterior"])
    assert run_cli("check", "--from", answers).exit_code == 0
    text = flat(run_cli("routine", "show", "lower-back-desk-4").stdout)
    assert re.search(
        r"Heel-on-chair hamstring stretch is left out because you told us about your hip"
        r" replacement: .*nothing takes its place",
        text,
    ), text


def test_routine_show_before_screening_says_routines_are_locked(run_cli: CliRunner) -> None:
    result = run_cli("routine", "show", "lower-back-desk-4")
    assert result.exit_code == 0, result
    assert shown_codes(result.stdout) == ["S01", "S06", "S02", "S12"]
    assert "Please answer the safety questions" in flat(result.stdout)
