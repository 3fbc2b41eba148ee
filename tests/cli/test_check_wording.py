"""Issue #9 items 4 and 6 in the terminal: `deskstretch check` gives a history of cancer 24 hours
and names a flag cleared by a clinician instead of saying "no warning signs"."""

from __future__ import annotations

from helpers.support import AnswersWriter, CliRunner, flat


def test_check_cancer_history_says_gp_or_cancer_team_within_24_hours(
    run_cli: CliRunner, write_answers: AnswersWriter
) -> None:
    result = run_cli("check", "--from", write_answers(yes=["cancer-history"]))
    assert result.exit_code == 3, result
    text = flat(result.stdout)
    assert "See a doctor within 24 hours" in text
    assert "contact your GP or your cancer team" in text
    assert "say so" in text  # how routines open again once a clinician has seen it


def test_check_cleared_flag_says_what_was_cleared(
    run_cli: CliRunner, write_answers: AnswersWriter
) -> None:
    path = write_answers(yes=["fracture-shape"], cleared=["fracture-shape"])
    result = run_cli("check", "--from", path)
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert "no warning signs." not in text.lower().replace("no new warning signs.", "")
    assert "Cleared by a clinician: a new change in the shape of the back." in text
