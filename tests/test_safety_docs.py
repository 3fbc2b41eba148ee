"""docs/safety.md's table of red flags pins each flag's urgency, so docs and code cannot drift."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskstretch.core.safety import RED_FLAG_QUESTIONS, RED_FLAGS_BY_ID, Urgency
from deskstretch.web.phrasing import URGENCY_HEADINGS

SAFETY_MD = Path(__file__).resolve().parents[1] / "docs" / "safety.md"
TABLE_HEADING = "### How soon, flag by flag"


def urgency_table() -> list[list[str]]:
    """The rows of the flag-by-flag table, each a list of its cells without the outer bars."""
    text = SAFETY_MD.read_text(encoding="utf-8")
    assert TABLE_HEADING in text, f"{SAFETY_MD.name} has no '{TABLE_HEADING}' section"
    section = text.split(TABLE_HEADING, 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows]


def test_docs_table_lists_every_red_flag_once_in_question_order() -> None:
    ids = [row[0].strip("`") for row in urgency_table()]
    assert ids == [question.id for question in RED_FLAG_QUESTIONS]


@pytest.mark.parametrize("flag_id", list(RED_FLAGS_BY_ID))
def test_docs_table_row_matches_the_flag_in_code(flag_id: str) -> None:
    rows = [row for row in urgency_table() if row[0] == f"`{flag_id}`"]
    assert len(rows) == 1, f"{flag_id}: expected one row in the docs table, found {len(rows)}"
    _, urgency, tells_you, clearable, source = rows[0]
    question = RED_FLAGS_BY_ID[flag_id]
    assert Urgency(urgency.strip("`")) is question.urgency
    assert tells_you.startswith(URGENCY_HEADINGS[question.urgency]), tells_you
    assert clearable == ("yes" if question.clearable else "no")
    assert source, f"{flag_id} names no source"


def test_docs_table_gives_a_history_of_cancer_24_hours_with_nice_ng234() -> None:
    row = next(row for row in urgency_table() if row[0] == "`cancer-history`")
    assert row[1] == "`urgent`"
    assert "within 24 hours" in row[2] and "cancer team" in row[2]
    assert "NG234" in row[4]
