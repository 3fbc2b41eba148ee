"""`learn` content (issue #9 item 6): one stated grading rule that every evidence grade follows,
shown wherever the grades are, and safety text that matches how routines really lock."""

from __future__ import annotations

from typing import get_args

import pytest

from deskstretch.catalogue.learn import EvidenceRow, load_learn
from deskstretch.core.safety import RED_FLAG_QUESTIONS, Screening, Urgency, assess
from helpers.support import CliRunner, flat


def test_every_evidence_grade_is_one_of_the_defined_grades() -> None:
    content = load_learn()
    defined = [grade.name for grade in content.grades]
    assert defined == list(get_args(EvidenceRow.model_fields["verdict"].annotation))
    assert all(grade.meaning for grade in content.grades)
    assert content.grading_rule
    for row in content.evidence:
        assert row.verdict in defined, row.claim


def test_grade_of_stretching_for_back_pain_follows_the_rule() -> None:
    # The best evidence (89 trials) found stretching no better than no treatment: by the stated
    # rule that is "not supported", not "weak" (which is for a single study or association).
    rows = {row.claim: row for row in load_learn().evidence}
    assert rows["Stretching reduces lower back pain"].verdict == "not supported"
    assert rows["The stomach muscles matter for the lower back"].verdict == "weak"


def test_learn_rejects_a_grade_that_is_not_defined() -> None:
    from pydantic import ValidationError

    from deskstretch.catalogue.learn import LearnContent

    data = load_learn().model_dump()
    data["grades"] = [g for g in data["grades"] if g["name"] != "mixed"]
    with pytest.raises(ValidationError, match="mixed"):
        LearnContent.model_validate(data)


def screening_with(flag_id: str) -> Screening:
    flags = {q.id: q.id == flag_id for q in RED_FLAG_QUESTIONS}
    from deskstretch.core.safety import CONDITION_QUESTIONS, SCREENING_VERSION

    conditions = {q.id: False for q in CONDITION_QUESTIONS}
    return Screening(
        flags, frozenset(), conditions, False, "2026-03-01T09:00:00+00:00", SCREENING_VERSION
    )


def test_learn_describes_locking_as_it_really_happens() -> None:
    # What the code does: every red flag locks, even one that can wait for a routine appointment.
    routine_flag = next(q for q in RED_FLAG_QUESTIONS if q.urgency is Urgency.ROUTINE)
    assert not assess(screening_with(routine_flag.id)).routines_allowed
    text = " ".join(section.body for section in load_learn().sections)
    text = " ".join(text.split())
    assert "unless it can wait for a routine appointment" not in text
    assert "locks every routine until you answer the questions again, whatever the urgency" in text
    assert "a clinician has seen" in text


def test_learn_command_and_page_show_the_grading_rule(run_cli: CliRunner) -> None:
    content = load_learn()
    result = run_cli("learn")
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert " ".join(content.grading_rule.split()) in text
    for grade in content.grades:
        assert " ".join(grade.meaning.split()) in text
