"""The `deskstretch` command, run in-process: exit codes and the plain text people read.

Playback that would take minutes runs on a fake clock (``fake_clock``); the few real-time plays
use routines of a few seconds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deskstretch.catalogue.learn import load_learn
from deskstretch.catalogue.loader import load_catalogue, load_routines
from deskstretch.core.safety import CAUDA_EQUINA_IDS, RED_FLAGS_BY_ID
from deskstretch.core.timeline import build_timeline
from helpers.support import AnswersWriter, CliRunner, Dirs, FakeClock, Result, flat, write_file

ALL_CODES = {f"S{n:02d}" for n in range(1, 15)}
SEATED = {"S01", "S04", "S06", "S07", "S08", "S09", "S10", "S11", "S14"}
STANDING = {"S02", "S03", "S05", "S12", "S13"}
HAMSTRINGS = {"S01", "S02", "S03", "S04", "S05"}
DESK = {"S02", "S03", "S05", "S13"}
BUILT_IN_ROUTINES = ("hamstring-2min", "lower-back-desk-4", "seated-5min", "standing-5min")

# About 3 s of real time: 1 s get ready, then 2 reps of 1 s.
TINY_ROUTINE = """\
id = "tiny"
name = "Tiny test routine"
get_ready_seconds = 1
switch_seconds = 0
transition_seconds = 0

[[steps]]
exercise = "seated-pelvic-tilts"
reps = 2
rep_seconds = 1
"""

GOOD_ROUTINE = """\
name = "My desk break"
get_ready_seconds = 5
switch_seconds = 3
transition_seconds = 5

[[steps]]
exercise = "S10"
reps = 6
rep_seconds = 5

[[steps]]
exercise = "seated-hamstring-hinge"
reps = 2
hold_seconds = 30
"""

# ``hold_seconds = "thirty"`` is on line 11.
WRONG_TYPE_ROUTINE = """\
name = "Wrong type"

[[steps]]
exercise = "seated-pelvic-tilts"
reps = 4
rep_seconds = 5

[[steps]]
exercise = "seated-hamstring-hinge"
reps = 2
hold_seconds = "thirty"
"""


def table_codes(text: str) -> set[str]:
    """Exercise codes in the rows of the `list` table (not in the footer hint)."""
    return set(re.findall(r"^\s*(S\d\d)\s{2,}", text, flags=re.MULTILINE))


def mmss(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def assert_one_line_error(result: Result, code: int = 1) -> str:
    assert result.exit_code == code, result
    assert "Traceback" not in result.output, result
    assert len(result.stderr_lines) == 1, result
    return result.stderr_lines[0]


# ----- help and browsing -------------------------------------------------------------------------


def test_help_lists_every_command(run_cli: CliRunner) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0, result
    commands = re.findall(r"^\s{2}(\w+)\s{2,}", result.stdout, flags=re.MULTILINE)
    assert {"start", "list", "show", "learn", "check", "where", "routine"} <= set(commands)


def test_routine_help_lists_subcommands(run_cli: CliRunner) -> None:
    result = run_cli("routine", "--help")
    assert result.exit_code == 0, result
    commands = re.findall(r"^\s{2}(\w+)\s{2,}", result.stdout, flags=re.MULTILINE)
    assert {"list", "show", "validate"} <= set(commands)


def test_list_shows_all_fourteen_exercises(run_cli: CliRunner) -> None:
    result = run_cli("list")
    assert result.exit_code == 0, result
    assert table_codes(result.stdout) == ALL_CODES
    assert "seated-hamstring-hinge" in result.stdout
    assert "Seated sciatic nerve slider" in result.stdout


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--position", "seated", SEATED),
        ("--position", "STANDING", STANDING),
        ("-p", "standing", STANDING),
        ("--target", "hamstrings", HAMSTRINGS),
        ("--equipment", "desk", DESK),
    ],
)
def test_list_filters_narrow_the_list(
    run_cli: CliRunner, option: str, value: str, expected: set[str]
) -> None:
    result = run_cli("list", option, value)
    assert result.exit_code == 0, result
    shown = table_codes(result.stdout)
    assert shown == expected
    assert not shown & (ALL_CODES - expected)


def test_list_filters_combine(run_cli: CliRunner) -> None:
    result = run_cli("list", "--position", "standing", "--target", "hamstrings", "-e", "desk")
    assert result.exit_code == 0, result
    assert table_codes(result.stdout) == {"S02", "S03", "S05"}


def test_list_with_no_match_says_so(run_cli: CliRunner) -> None:
    result = run_cli("list", "--target", "earlobes")
    assert result.exit_code == 0, result
    assert table_codes(result.stdout) == set()
    assert "No exercises match" in result.stdout


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (("--position", "sitting"), "--position: expected seated or standing, got 'sitting'"),
        (("--equipment", "sofa"), "--equipment: expected one of chair, desk, step, none"),
    ],
)
def test_list_bad_filter_is_one_line_error(
    run_cli: CliRunner, argv: tuple[str, ...], needle: str
) -> None:
    line = assert_one_line_error(run_cli("list", *argv))
    assert needle in line
    assert line.startswith("deskstretch: ")


@pytest.mark.parametrize("name", ["S01", "s01", "seated-hamstring-hinge", "Seated hamstring hinge"])
def test_show_by_code_id_or_name(run_cli: CliRunner, name: str) -> None:
    exercise = load_catalogue().find("seated-hamstring-hinge")
    result = run_cli("show", name)
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert "S01 Seated hamstring hinge" in text
    assert "How to do it" in text
    for cue in exercise.cues:
        assert " ".join(cue.split()) in text
    assert "Take care" in text
    for caution in exercise.cautions:
        assert " ".join(caution.split()) in text
    assert "Sources" in text
    for source in exercise.sources:
        assert " ".join(source.title.split()) in text
    assert "Harder: Seated hamstring contract-relax" in text


def test_show_other_exercise_is_not_s01(run_cli: CliRunner) -> None:
    result = run_cli("show", "S12")
    assert result.exit_code == 0, result
    assert "Standing back extension" in result.stdout
    assert "Seated hamstring hinge" not in result.stdout


def test_show_misspelt_exercise_suggests(run_cli: CliRunner) -> None:
    result = run_cli("show", "hamstrng")
    line = assert_one_line_error(result)
    assert result.stdout == ""
    assert "No exercise called 'hamstrng'." in line
    assert "Did you mean" in line
    assert "seated-hamstring-hinge" in line


def test_learn_prints_evidence_table_and_sources(run_cli: CliRunner) -> None:
    content = load_learn()
    result = run_cli("learn")
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert content.title in text
    assert "What the research says" in text
    for heading in ("Claim", "Verdict", "In short"):
        assert heading in text
    for verdict in {row.verdict for row in content.evidence}:
        assert verdict in text
    sources_part = text[text.rindex("Sources") :]
    for source in content.sources:
        assert " ".join(source.title.split()) in sources_part


# ----- routines ----------------------------------------------------------------------------------


def test_routine_list_shows_built_ins_with_lengths(run_cli: CliRunner) -> None:
    routines = load_routines(load_catalogue()).routines
    result = run_cli("routine", "list")
    assert result.exit_code == 0, result
    assert result.stderr == ""
    for routine_id in BUILT_IN_ROUTINES:
        length = mmss(build_timeline(routines[routine_id]).total_seconds)
        rows = [line for line in result.stdout.splitlines() if f" {routine_id} " in line]
        assert len(rows) == 1, result
        assert re.search(rf"\b{length}\b", rows[0]), (routine_id, length, rows[0])
        assert "built-in" in rows[0]


def test_routine_show_lists_the_steps(run_cli: CliRunner) -> None:
    result = run_cli("routine", "show", "seated-5min")
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert "5-minute seated break" in text
    for name in (
        "Seated pelvic tilts (S10)",
        "Seated hamstring hinge (S01)",
        "Seated figure-four (S08)",
        "Seated spinal twist (S09)",
        "Seated brace and march (S11)",
    ):
        assert name in text
    assert "2 x 30 s per leg" in text
    assert "4 reps x 5 s" in text


def test_routine_show_unknown_routine_suggests(run_cli: CliRunner) -> None:
    line = assert_one_line_error(run_cli("routine", "show", "seated-5"))
    assert "No routine called 'seated-5'" in line
    assert "seated-5min" in line


def test_routine_validate_good_file(run_cli: CliRunner, tmp_path: Path) -> None:
    path = write_file(tmp_path / "mine.toml", GOOD_ROUTINE)
    result = run_cli("routine", "validate", path)
    assert result.exit_code == 0, result
    # 5 get ready + 6 x 5 s + 5 transition + 4 holds of 30 s + 3 switches of 3 s = 2:49
    assert f"{path}: OK - 'My desk break', 2 steps, 2:49" in result.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            'name = "Syntax"\n[[steps]]\nexercise = \n',
            r"^{file}:3: not valid TOML \(",
            id="toml-syntax",
        ),
        pytest.param(
            WRONG_TYPE_ROUTINE,
            r"^{file}:11: steps\[1\]\.hold_seconds: expected a whole number, got 'thirty'$",
            id="wrong-type",
        ),
        pytest.param(
            'name = "U"\n\n[[steps]]\nexercise = "seated-hamstrng-hinge"\n',
            r"^{file}:4: steps\[0\]\.exercise: No exercise called 'seated-hamstrng-hinge'\."
            r" Did you mean 'seated-hamstring-hinge'",
            id="unknown-exercise",
        ),
        pytest.param(
            'name = "U"\n[[steps]]\nexercise = "S01"\nhold_secs = 30\n',
            r"^{file}:4: steps\[0\]\.hold_secs: unknown field",
            id="unknown-field",
        ),
        pytest.param(
            'name = "U"\ncolour = "blue"\n[[steps]]\nexercise = "S01"\n',
            r"^{file}:2: colour: unknown field",
            id="unknown-top-level-field",
        ),
        pytest.param(
            'name = "Long"\n[[steps]]\nexercise = "S01"\nreps = 30\nhold_seconds = 120\n',
            r"^{file}: steps: routine lasts \d+:\d\d; expected at most 15:00",
            id="too-long",
        ),
        pytest.param(
            'name = "Short hold"\n[[steps]]\nexercise = "S01"\nhold_seconds = 2\n',
            r"^{file}:4: steps\[0\]\.hold_seconds: expected at least 5, got 2$",
            id="hold-too-short",
        ),
        pytest.param(
            '[[steps]]\nexercise = "S01"\n',
            r"^{file}: name: required field is missing$",
            id="missing-name",
        ),
    ],
)
def test_routine_validate_bad_file_is_one_line(
    run_cli: CliRunner, tmp_path: Path, text: str, expected: str
) -> None:
    path = write_file(tmp_path / "broken.toml", text)
    result = run_cli("routine", "validate", path)
    line = assert_one_line_error(result)
    assert result.stdout == ""
    assert line.startswith("deskstretch: error: "), line
    message = line.removeprefix("deskstretch: error: ")
    assert re.search(expected.format(file=re.escape(str(path))), message), message


def test_routine_validate_missing_file(run_cli: CliRunner, tmp_path: Path) -> None:
    line = assert_one_line_error(run_cli("routine", "validate", tmp_path / "nope.toml"))
    assert "nope.toml: file not found" in line


def test_user_routine_in_config_folder_is_listed(run_cli: CliRunner, dirs: Dirs) -> None:
    write_file(dirs.routines / "tiny.toml", TINY_ROUTINE)
    result = run_cli("routine", "list")
    assert result.exit_code == 0, result
    rows = [line for line in result.stdout.splitlines() if " tiny " in line]
    assert len(rows) == 1, result
    assert "Tiny test routine" in rows[0]
    assert "0:03" in rows[0]
    assert "yours" in rows[0]
    assert str(dirs.routines) in flat(result.stdout)


def test_broken_user_routine_is_skipped_not_fatal(run_cli: CliRunner, dirs: Dirs) -> None:
    broken = write_file(dirs.routines / "broken.toml", WRONG_TYPE_ROUTINE)
    write_file(dirs.routines / "tiny.toml", TINY_ROUTINE)
    result = run_cli("routine", "list")
    assert result.exit_code == 0, result
    for routine_id in (*BUILT_IN_ROUTINES, "tiny"):
        assert f" {routine_id} " in result.stdout
    assert result.stderr_lines == [
        f"skipped: {broken}:11: steps[1].hold_seconds: expected a whole number, got 'thirty'"
    ]


def test_user_routine_with_a_built_in_id_is_skipped(run_cli: CliRunner, dirs: Dirs) -> None:
    clash = write_file(dirs.routines / "clash.toml", 'id = "seated-5min"\n' + GOOD_ROUTINE)
    result = run_cli("routine", "list")
    assert result.exit_code == 0, result
    assert "My desk break" not in result.stdout
    assert "5-minute seated break" in result.stdout
    assert len(result.stderr_lines) == 1, result
    assert result.stderr_lines[0].startswith(f"skipped: {clash}: id 'seated-5min'")


def test_where_prints_the_isolated_folders(run_cli: CliRunner, dirs: Dirs) -> None:
    result = run_cli("where")
    assert result.exit_code == 0, result
    paths = dict(
        (label.strip(), value.strip())
        for label, value in (line.split(":", 1) for line in result.stdout.splitlines())
    )
    assert paths == {
        "config folder": str(dirs.config),
        "settings file": str(dirs.config / "config.toml"),
        "safety answers": str(dirs.screening),
        "your routines": str(dirs.routines),
        "your programmes": str(dirs.config / "programmes"),
        "questionnaires": str(dirs.config / "instruments"),
        "data folder": str(dirs.data),
    }


# ----- the safety screen -------------------------------------------------------------------------


def test_start_without_screening_and_no_terminal_asks_for_check(
    run_cli: CliRunner, dirs: Dirs, fake_clock: FakeClock
) -> None:
    result = run_cli("start", "--plain", "--no-voice")
    assert result.exit_code == 3, result
    assert "deskstretch check" in result.stderr
    assert result.played == []
    assert fake_clock.slept == 0
    assert not dirs.screening.exists()


def test_check_without_terminal_or_file_is_an_error(run_cli: CliRunner) -> None:
    line = assert_one_line_error(run_cli("check"))
    assert "check --from FILE" in line


def test_check_all_no_unlocks_routines(
    run_cli: CliRunner, dirs: Dirs, all_no_answers: Path
) -> None:
    result = run_cli("check", "--from", all_no_answers)
    assert result.exit_code == 0, result
    assert "You are all set" in result.stdout
    assert "no warning signs" in result.stdout
    assert dirs.screening.is_file()
    assert "ces-bladder = false" in dirs.screening.read_text(encoding="utf-8")


def test_check_with_missing_answers_is_rejected(
    run_cli: CliRunner, dirs: Dirs, tmp_path: Path
) -> None:
    path = write_file(tmp_path / "half.toml", '[red_flags]\n"ces-bladder" = false\n')
    line = assert_one_line_error(run_cli("check", "--from", path))
    assert "every question needs an answer; missing:" in line
    assert "ces-control" in line
    assert not dirs.screening.exists()


@pytest.mark.parametrize("key", ["made-up", '"made-up"', "'made-up'"])
def test_check_with_unknown_question_id_names_its_line(
    run_cli: CliRunner, all_no_answers: Path, key: str
) -> None:
    text = all_no_answers.read_text(encoding="utf-8") + f"{key} = true\nglaucoma_x = false\n"
    all_no_answers.write_text(text, encoding="utf-8")
    line_number = len(text.splitlines()) - 1
    line = assert_one_line_error(run_cli("check", "--from", all_no_answers))
    assert f"{all_no_answers}:{line_number}: conditions.made-up: unknown question id" in line


def test_red_flag_locks_routines_until_checked_again(
    run_cli: CliRunner, write_answers: AnswersWriter, fake_clock: FakeClock
) -> None:
    emergency = CAUDA_EQUINA_IDS[0]
    result = run_cli("check", "--from", write_answers(yes=[emergency]))
    assert result.exit_code == 3, result
    assert "Get help now" in result.stdout
    assert "emergency department" in flat(result.stdout)
    assert "Routines stay paused" in result.stderr

    for options in ([], ["--plain"], ["--plain", "--no-voice"], ["--no-bell", "seated-5min"]):
        locked = run_cli("start", *options)
        assert locked.exit_code == 3, (options, locked)
        assert "Routines are locked for your safety" in locked.stderr
        assert "emergency department" in flat(locked.stderr)
        assert locked.played == []
    assert fake_clock.slept == 0

    # There is no option that skips the screen: an invented one is a usage error.
    bypass = run_cli("start", "--yes-i-understand", "--plain")
    assert bypass.exit_code == 2, bypass
    assert "No such option" in bypass.stderr
    assert bypass.played == []
    assert fake_clock.slept == 0

    assert run_cli("check", "--from", write_answers()).exit_code == 0
    unlocked = run_cli("start", "--plain", "--no-voice")
    assert unlocked.exit_code == 0, unlocked
    assert unlocked.played[-1].endswith(" finished")
    assert "Routine complete" in unlocked.stdout


@pytest.mark.parametrize("flag", ["fracture-major-injury", "cancer-history", "infection-fever"])
def test_clearable_red_flag_cleared_by_a_doctor_allows_routines(
    run_cli: CliRunner, write_answers: AnswersWriter, fake_clock: FakeClock, flag: str
) -> None:
    assert RED_FLAGS_BY_ID[flag].clearable
    not_cleared = run_cli("check", "--from", write_answers(yes=[flag]))
    assert not_cleared.exit_code == 3, not_cleared
    assert run_cli("start", "--plain").exit_code == 3

    cleared = run_cli("check", "--from", write_answers(yes=[flag], cleared=[flag]))
    assert cleared.exit_code == 0, cleared
    started = run_cli("start", "hamstring-2min", "--plain", "--no-voice")
    assert started.exit_code == 0, started
    assert "Routine complete" in started.stdout


@pytest.mark.parametrize("flag", [CAUDA_EQUINA_IDS[0], "ces-weak-legs", "neuro-weakness"])
def test_non_clearable_red_flag_cannot_be_cleared(
    run_cli: CliRunner, write_answers: AnswersWriter, dirs: Dirs, flag: str
) -> None:
    assert not RED_FLAGS_BY_ID[flag].clearable
    line = assert_one_line_error(
        run_cli("check", "--from", write_answers(yes=[flag], cleared=[flag]))
    )
    assert f"'{flag}' cannot be cleared here (it always needs a doctor)" in line
    assert not dirs.screening.exists()


def test_condition_needing_clearance_locks_until_confirmed(
    run_cli: CliRunner, write_answers: AnswersWriter, fake_clock: FakeClock
) -> None:
    pending = run_cli("check", "--from", write_answers(yes=["pregnancy"]))
    assert pending.exit_code == 3, pending
    assert "midwife" in flat(pending.stdout)
    assert run_cli("start", "--plain").exit_code == 3

    confirmed = run_cli(
        "check", "--from", write_answers(yes=["pregnancy"], clearance_confirmed=True)
    )
    assert confirmed.exit_code == 0, confirmed
    assert "Seated forward fold (S06)" in confirmed.stdout  # listed as left out
    assert run_cli("start", "seated-5min", "--plain").exit_code == 0


def test_osteoporosis_swaps_the_forward_fold_and_says_why(
    run_cli: CliRunner, write_answers: AnswersWriter, fake_clock: FakeClock
) -> None:
    assert run_cli("check", "--from", write_answers(yes=["osteoporosis"])).exit_code == 0
    result = run_cli("start", "lower-back-desk-4", "--plain", "--no-voice")
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert "Adjusted for you" in text
    assert re.search(
        r"Seated forward fold is (left out|swapped for [\w -]+?) because you told us about "
        r"osteoporosis or fragile bones: this avoids deep forward bending",
        text,
    ), text
    assert result.played, result
    assert not [line for line in result.played if "Seated forward fold" in line]
    assert any("Seated hamstring hinge" in line for line in result.played)
    assert any("Standing back extension" in line for line in result.played)
    assert "Seated forward fold" not in result.stdout.split("Routine complete")[1]


def test_osteoporosis_show_marks_the_fold_as_left_out(
    run_cli: CliRunner, write_answers: AnswersWriter
) -> None:
    assert run_cli("check", "--from", write_answers(yes=["osteoporosis"])).exit_code == 0
    fold = flat(run_cli("show", "S06").stdout)
    assert "left out of your routines because of what you told us (osteoporosis)" in fold
    hinge = flat(run_cli("show", "S01").stdout)
    assert "left out of your routines" not in hinge


def test_corrupt_screening_file_locks_and_is_kept(
    run_cli: CliRunner, screened: Path, dirs: Dirs, fake_clock: FakeClock
) -> None:
    damaged = "version = 1\n[red_flags\nces-bladder = fal"
    dirs.screening.write_text(damaged, encoding="utf-8")
    result = run_cli("start", "--plain", "--no-voice")
    assert result.exit_code == 3, result
    assert "deskstretch check" in result.stderr
    assert "Traceback" not in result.output
    assert result.played == []
    assert fake_clock.slept == 0
    assert dirs.screening.read_text(encoding="utf-8") == damaged

    assert run_cli("check", "--from", screened).exit_code == 0
    assert run_cli("start", "--plain").exit_code == 0


def test_list_still_works_with_a_corrupt_screening_file(
    run_cli: CliRunner, screened: Path, dirs: Dirs
) -> None:
    dirs.screening.write_text("[red_flags\n", encoding="utf-8")
    result = run_cli("list")
    assert result.exit_code == 0, result
    assert table_codes(result.stdout) == ALL_CODES
    shown = run_cli("show", "S06")
    assert shown.exit_code == 0, shown
    assert "Seated forward fold" in shown.stdout
    assert dirs.screening.read_text(encoding="utf-8") == "[red_flags\n"


# ----- playing -----------------------------------------------------------------------------------


def test_start_file_plays_to_the_end_in_real_time(
    run_cli: CliRunner, screened: Path, tmp_path: Path
) -> None:
    path = write_file(tmp_path / "user.toml", TINY_ROUTINE)
    result = run_cli("start", "--file", path, "--plain", "--no-voice", "--no-bell")
    assert result.exit_code == 0, result
    played = result.played
    assert [re.sub(r"^\[[\d:.]+\] ", "", line).split(" (")[0] for line in played] == [
        "Get ready - Seated pelvic tilts",
        "Move - Seated pelvic tilts",
        "finished",
    ]
    stamps = [float(line[1:10].split(":")[1]) for line in played]
    # Never early (no timing precision is asserted here; bench/timing.py measures that).
    assert stamps[1] >= 0.99
    assert stamps[2] >= 2.99
    assert "Routine complete" in result.stdout
    assert "1 of 1 exercises, 0:02 of movement (planned 0:02)" in result.stdout
    assert "\a" not in result.stdout
    assert "routine lasts only 0:03" in result.stderr  # the short-routine note


def test_start_routine_and_file_together_is_a_usage_error(
    run_cli: CliRunner, screened: Path, tmp_path: Path, fake_clock: FakeClock
) -> None:
    path = write_file(tmp_path / "user.toml", TINY_ROUTINE)
    result = run_cli("start", "seated-5min", "--file", path, "--plain")
    assert result.exit_code == 2, result
    assert "not both" in result.stderr
    assert result.played == []


def test_start_user_routine_by_id(
    run_cli: CliRunner, screened: Path, dirs: Dirs, fake_clock: FakeClock
) -> None:
    write_file(dirs.routines / "tiny.toml", TINY_ROUTINE)
    result = run_cli("start", "tiny", "--plain", "--no-voice")
    assert result.exit_code == 0, result
    assert "Move - Seated pelvic tilts" in result.played[1]
    assert "Routine complete" in result.stdout


def test_start_unknown_routine_suggests(
    run_cli: CliRunner, screened: Path, fake_clock: FakeClock
) -> None:
    line = assert_one_line_error(run_cli("start", "hamstring-2", "--plain"))
    assert "No routine called 'hamstring-2'. Did you mean 'hamstring-2min'" in line


def test_start_broken_file_is_one_line(
    run_cli: CliRunner, screened: Path, tmp_path: Path, fake_clock: FakeClock
) -> None:
    path = write_file(tmp_path / "broken.toml", WRONG_TYPE_ROUTINE)
    line = assert_one_line_error(run_cli("start", "--file", path, "--plain"))
    assert f"{path}:11: steps[1].hold_seconds" in line
    assert fake_clock.slept == 0


def test_default_routine_plays_every_segment_in_order(
    run_cli: CliRunner, screened: Path, fake_clock: FakeClock
) -> None:
    routine = load_routines(load_catalogue()).routines["hamstring-2min"]
    timeline = build_timeline(routine)
    result = run_cli("start", "--plain", "--no-voice")
    assert result.exit_code == 0, result
    segments = result.played[:-1]
    assert len(segments) == len(timeline.segments)
    for line, segment in zip(segments, timeline.segments, strict=True):
        assert f"{segment.title} - {segment.exercise_name}" in line
    assert result.played[-1].endswith(" finished")
    assert fake_clock.slept == pytest.approx(timeline.total_seconds, abs=0.01)


# ----- end to end, in a child process ------------------------------------------------------------


def test_python_dash_m_help(run_subprocess: CliRunner) -> None:
    result = run_subprocess("--help")
    assert result.exit_code == 0, result
    assert "Usage: deskstretch" in result.stdout
    assert "routine" in result.stdout


def test_subprocess_check_then_piped_start_plays_plain(
    run_subprocess: CliRunner, all_no_answers: Path, tmp_path: Path
) -> None:
    assert run_subprocess("check", "--from", all_no_answers).exit_code == 0
    path = write_file(tmp_path / "user.toml", TINY_ROUTINE)
    # stdout is a pipe, so even without --plain the player prints timestamped lines.
    result = run_subprocess("start", "--file", path, "--no-bell", timeout=20)
    assert result.exit_code == 0, result
    assert result.played[0].startswith("[00:00.")
    assert "Get ready - Seated pelvic tilts" in result.played[0]
    assert result.played[-1].endswith(" finished")
    assert "Routine complete" in result.stdout


def test_subprocess_locked_start_exits_3(
    run_subprocess: CliRunner, write_answers: AnswersWriter
) -> None:
    result = run_subprocess("check", "--from", write_answers(yes=["ces-saddle"]))
    assert result.exit_code == 3, result
    locked = run_subprocess("start", "--plain")
    assert locked.exit_code == 3, locked
    assert "Traceback" not in locked.output
    assert locked.played == []


def test_where_names_the_note_of_answers_not_saved(run_cli: CliRunner, dirs: Dirs) -> None:
    from deskstretch.config import Settings, mark_screening_not_saved

    mark_screening_not_saved(Settings.from_env())
    result = run_cli("where")
    assert result.exit_code == 0, result
    note = dirs.data / "screening-not-saved.txt"
    assert note.exists()
    assert f"answers not saved: {note} (the older answers do not count" in result.stdout
