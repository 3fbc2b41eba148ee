"""`deskstretch measure`, `psfs` and `score` in-process: exit codes and the text people read."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskstretch.config import Settings
from deskstretch.core.records import Measurement, QuestionnaireResult
from deskstretch.store import open_store
from deskstretch.store import repository as repo
from helpers.support import AnswersWriter, CliRunner, Result, flat, write_file

ODI_SKIPPING_SEX_LIFE = """\
[answers]
pain_intensity = 3
personal_care = 2
lifting = 3
walking = 1
sitting = 3
standing = 2
sleeping = 1
social_life = 2
travelling = 2
"""
STARTBACK_LOW = "[answers]\n" + "".join(f"sbst{n} = false\n" for n in range(1, 9)) + "sbst9 = 1\n"


def measurements() -> list[Measurement]:
    store = open_store(Settings.from_env().database_url)
    try:
        return repo.list_measurements(store)
    finally:
        store.close()


def results() -> list[QuestionnaireResult]:
    store = open_store(Settings.from_env().database_url)
    try:
        return repo.list_questionnaire_results(store)
    finally:
        store.close()


def one_line_error(result: Result, code: int = 1) -> str:
    """The single stderr line of a user error, after checking there is no traceback."""
    assert result.exit_code == code, result
    assert "Traceback" not in result.output
    assert len(result.stderr_lines) == 1, result
    return result.stderr_lines[0]


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend stdin is a terminal, so the commands ask instead of failing."""
    monkeypatch.setattr("deskstretch.cli.measure.is_terminal", lambda: True)


def test_build_app_has_the_measurement_commands(run_cli: CliRunner) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0, result
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")}
    assert {"measure", "psfs", "score"} <= listed, "build_app() must call measure_commands.register"


# -- measure ---------------------------------------------------------------------------------------


def test_measure_lists_tests_instructions_and_cautions(run_cli: CliRunner) -> None:
    result = run_cli("measure")
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    for phrase in (
        "Chair sit-and-reach",
        "Fingertip-to-floor",
        "against a wall",
        "2 practice reaches, then 2 measured ones",
        "hold the furthest point for 2 seconds",
        "never bounce",
        "measure sit-and-reach --cm X --leg left|right",
        "measure toe-touch --cm X",
        "≥ 7 cm",
        "≥ 4.5 cm",
    ):
        assert phrase in text, phrase
    assert "not advised for you" not in text


def test_measure_needs_the_safety_questions_first(run_cli: CliRunner) -> None:
    result = run_cli("measure", "toe-touch", "--cm", "10")
    assert "deskstretch check" in one_line_error(result, code=3)
    assert measurements() == []


def test_measure_sit_and_reach_records_and_compares(run_cli: CliRunner, screened: Path) -> None:
    first = run_cli("measure", "sit-and-reach", "--cm", "-2", "--leg", "left")
    assert first.exit_code == 0, first
    assert "Saved: Chair sit-and-reach, left leg: −2 cm." in first.stdout
    assert "first result" in first.stdout
    second = run_cli("measure", "sit-and-reach", "--cm=6.2", "--leg", "left", "--note", "warm")
    assert second.exit_code == 0, second
    text = flat(second.stdout)
    assert "+6 cm" in text
    assert "went from −2 cm to 6 cm (+8 cm): a real change for the better." in text
    stored = measurements()
    assert [(m.value_cm, m.leg, m.protocol) for m in stored] == [
        (-2.0, "left", "csr-senior-fitness-test"),
        (6.0, "left", "csr-senior-fitness-test"),
    ]
    assert stored[1].note == "warm"


def test_measure_toe_touch_records_protocol(run_cli: CliRunner, screened: Path) -> None:
    run_cli("measure", "toe-touch", "--cm", "22")
    result = run_cli("measure", "toe-touch", "--cm", "20")
    assert "within normal variation" in flat(result.stdout)
    assert {m.protocol for m in measurements()} == {"ftf-standing"}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("sit-and-reach", "--cm", "3"), "--leg left or --leg right"),
        (("sit-and-reach", "--leg", "left"), "--cm"),
        (("toe-touch",), "--cm"),
        (("sit-and-reach", "--cm", "45", "--leg", "left"), "expected -40 to 40 cm"),
        (("toe-touch", "--cm", "-1"), "expected 0 to 80 cm"),
    ],
)
def test_measure_user_errors_are_one_line(
    run_cli: CliRunner, screened: Path, argv: tuple[str, ...], expected: str
) -> None:
    assert expected in one_line_error(run_cli("measure", *argv))
    assert measurements() == []


def test_measure_bad_leg_is_a_usage_error(run_cli: CliRunner, screened: Path) -> None:
    result = run_cli("measure", "sit-and-reach", "--cm", "3", "--leg", "both")
    assert result.exit_code == 2, result
    assert "Traceback" not in result.output


@pytest.mark.parametrize("test", ["sit-and-reach", "toe-touch"])
def test_measure_refused_with_osteoporosis(
    run_cli: CliRunner, write_answers: AnswersWriter, test: str
) -> None:
    assert run_cli("check", "--from", write_answers(yes=["osteoporosis"])).exit_code == 0
    leg = ["--leg", "left"] if test == "sit-and-reach" else []
    line = one_line_error(run_cli("measure", test, "--cm", "3", *leg))
    assert "not advised for you" in line
    assert "osteoporosis" in line
    assert measurements() == []
    assert "not advised for you" in flat(run_cli("measure").stdout)


def test_measure_asks_in_a_terminal_and_re_asks(
    run_cli: CliRunner, screened: Path, terminal: None
) -> None:
    result = run_cli("measure", "sit-and-reach", stdin="n\nboth\nright\nfar\n55\n4.2\n")
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert "2 practice reaches" in text  # the instructions come first
    assert "expected -40 to 40 cm" in text  # 55 was refused and asked again
    assert "Please type a number" in text
    assert [(m.value_cm, m.leg) for m in measurements()] == [(4.0, "right")]


def test_measure_in_a_terminal_stops_when_bending_hurts(
    run_cli: CliRunner, screened: Path, terminal: None
) -> None:
    line = one_line_error(run_cli("measure", "toe-touch", stdin="y\n"))
    assert "bending forward hurts" in line
    assert measurements() == []


# -- psfs ------------------------------------------------------------------------------------------


def _add_three(run_cli: CliRunner) -> list[str]:
    for name in ("Putting on socks", "Gardening", "Sitting through a meeting"):
        assert run_cli("psfs", "add", name).exit_code == 0
    listed = run_cli("psfs", "list").stdout.splitlines()[1:]
    return [line.split()[0] for line in listed]


def test_psfs_add_list_rate_retire(run_cli: CliRunner) -> None:
    assert "No activities yet" in run_cli("psfs", "list").stdout
    ids = _add_three(run_cli)
    assert len(ids) == 3
    assert "already on your list" in one_line_error(run_cli("psfs", "add", "GARDENING"))
    first = run_cli("psfs", "rate", "--rating", f"{ids[0]}=2", "--rating", f"{ids[1]}=4",
                    "--rating", "Sitting through a meeting=6")  # fmt: skip
    assert first.exit_code == 0, first
    assert "Average today: 4 out of 10." in first.stdout
    second = run_cli("psfs", "rate", "--rating", f"{ids[0]}=7", "--rating", f"{ids[1]}=4",
                     "--rating", f"{ids[2]}=6")  # fmt: skip
    text = flat(second.stdout)
    assert "Putting on socks went from 2 to 7 (+5 points): a real change for the better." in text
    assert "≥ 2 points on average, or ≥ 3 on one activity" in text
    assert "7/10" in run_cli("psfs", "list").stdout
    retired = run_cli("psfs", "retire", "Gardening")
    assert "Retired 'Gardening'" in retired.stdout
    assert "Gardening" not in run_cli("psfs", "list").stdout
    assert [r.score for r in results()] == [4.0, round(17 / 3, 2)]


def test_psfs_rate_errors(run_cli: CliRunner) -> None:
    ids = _add_three(run_cli)
    assert run_cli("psfs", "rate", "--rating", "oops").exit_code == 2
    assert "--rating" in one_line_error(run_cli("psfs", "rate"))
    assert "already on your list" in one_line_error(run_cli("psfs", "add", "gardening"))
    too_high = run_cli("psfs", "rate", *[f"--rating={i}=11" for i in ids])
    assert "0 to 10" in one_line_error(too_high)
    assert "No PSFS activity called 'nope'" in one_line_error(run_cli("psfs", "retire", "nope"))
    assert results() == []


def test_psfs_rate_asks_each_activity_in_a_terminal(run_cli: CliRunner, terminal: None) -> None:
    _add_three(run_cli)
    result = run_cli("psfs", "rate", stdin="3\n12\n5\n7\n")
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert "0 = unable, 10 = as well as before your back trouble" in text
    assert "Please type a whole number from 0 to 10." in text
    assert sorted(v or 0 for v in results()[0].answers.values()) == [3, 5, 7]


# -- score -----------------------------------------------------------------------------------------


def test_score_odi_from_answers_file(run_cli: CliRunner, tmp_path: Path) -> None:
    path = write_file(tmp_path / "odi.toml", ODI_SKIPPING_SEX_LIFE)
    first = run_cli("score", "odi", "--answers", path)
    assert first.exit_code == 0, first
    text = flat(first.stdout)
    assert "ODI: 42 out of 100 (severe); 9 of 10 sections (left out: sex_life)." in text
    assert "≥ 10 points or 30% of your first score" in text
    later = write_file(tmp_path / "later.toml", ODI_SKIPPING_SEX_LIFE.replace("= 3", "= 1"))
    second = flat(run_cli("score", "odi", "--answers", later).stdout)
    assert (
        "Your ODI score went from 42 to 29 (−13 points, 31%): a real change for the better."
        in second
    )


def test_score_startback_is_information_for_a_clinician(run_cli: CliRunner, tmp_path: Path) -> None:
    result = run_cli(
        "score", "startback", "--answers", write_file(tmp_path / "s.toml", STARTBACK_LOW)
    )
    text = flat(result.stdout)
    assert "STarT Back: 0 out of 9 (distress 0 of 5): low risk group." in text
    assert "information to share with your clinician" in text
    assert "went from" not in text


def test_score_bad_answers_name_file_and_line(run_cli: CliRunner, tmp_path: Path) -> None:
    path = write_file(tmp_path / "bad.toml", "[answers]\nrmdq01 = true\nrmdq31 = true\n")
    line = one_line_error(run_cli("score", "rmdq", "--answers", path))
    assert f"{path}:3: answers.rmdq31: unknown item id" in line
    assert results() == []


def test_score_odi_with_too_few_sections_names_the_answers_file(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    eight = ODI_SKIPPING_SEX_LIFE.replace("travelling = 2\n", "")
    path = write_file(tmp_path / "odi-eight.toml", eight)
    line = one_line_error(run_cli("score", "odi", "--answers", path))
    assert line == (
        f"deskstretch: error: {path}: answers: The ODI needs at least 9 of its 10 sections"
        " answered to be scored; answered: 8 (left out: sex_life, travelling). Nothing was saved."
    )
    assert results() == []


@pytest.mark.parametrize("as_terminal", [False, True])
def test_score_without_answers_or_pack_explains_licensing(
    run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch, as_terminal: bool
) -> None:
    monkeypatch.setattr("deskstretch.cli.measure.is_terminal", lambda: as_terminal)
    result = run_cli("score", "rmdq")
    assert "--answers FILE" in one_line_error(result)
    text = flat(result.stdout)
    assert "does not include the questions" in text
    assert "instrument pack" in text


def test_score_psfs_is_not_a_score_instrument(run_cli: CliRunner) -> None:
    assert run_cli("score", "psfs").exit_code == 2


PACK = """\
instrument = "rmdq"
version = "made-up-1"
notice = "Invented notice shown before use."
""" + "".join(
    f'\n[[items]]\nid = "rmdq{n:02d}"\ntext = "Invented statement {n}."\n' for n in range(1, 25)
)


def test_score_with_a_pack_shows_notice_and_asks(
    run_cli: CliRunner, tmp_path: Path, terminal: None
) -> None:
    pack = write_file(tmp_path / "pack.toml", PACK)
    result = run_cli("score", "rmdq", "--pack", pack, stdin="y\n\ny\n" + "\n" * 21)
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert text.index("Invented notice shown before use.") < text.index("Invented statement 1.")
    assert "Invented statement 24." in text
    assert "RMDQ: 2 out of 24." in text
    assert results()[0].version == "made-up-1"


def test_score_with_a_pack_needs_a_terminal_or_answers(run_cli: CliRunner, tmp_path: Path) -> None:
    pack = write_file(tmp_path / "pack.toml", PACK)
    assert "needs a terminal" in one_line_error(run_cli("score", "rmdq", "--pack", pack))


def test_score_pack_errors(run_cli: CliRunner, tmp_path: Path) -> None:
    pack = write_file(tmp_path / "pack.toml", PACK)
    wrong = one_line_error(run_cli("score", "odi", "--pack", pack))
    assert f"{pack}: instrument: this pack is for rmdq, not odi" in wrong
    no_notice = write_file(tmp_path / "nonotice.toml", PACK.replace("notice =", "# notice ="))
    line = one_line_error(run_cli("score", "rmdq", "--pack", no_notice))
    assert f"{no_notice}: notice: required field is missing" in line
