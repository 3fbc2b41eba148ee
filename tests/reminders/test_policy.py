"""Reminder settings files: real files in a tmp folder, the defaults, and one precise message per
mistake (file, line, field, what was expected)."""

from __future__ import annotations

import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest

from deskstretch.core.errors import FileFormatError
from deskstretch.core.reminder_policy import EXAMPLE
from deskstretch.core.schedule import END_OF_DAY, Policy, TimeRange, default_policy
from deskstretch.reminders.policy import POLICY_FILE, LoadedPolicy, load_policy, read_policy

NINE_TO_HALF_FIVE = (TimeRange(time(9), time(17, 30)),)


def write(folder: Path, text: str) -> Path:
    path = folder / POLICY_FILE
    path.write_text(text, encoding="utf-8")
    return path


def problem_of(folder: Path, text: str) -> str:
    write(folder, text)
    loaded = load_policy(folder)
    assert loaded.policy == default_policy(), "a broken file must fall back to the defaults"
    assert loaded.problem is not None
    return loaded.problem


def test_missing_file_means_the_defaults_and_no_problem(tmp_path: Path) -> None:
    loaded = load_policy(tmp_path)
    assert loaded == LoadedPolicy(default_policy(), None, tmp_path / POLICY_FILE)


def test_missing_config_folder_is_fine(tmp_path: Path) -> None:
    assert load_policy(tmp_path / "nowhere").problem is None


def test_empty_file_means_the_defaults(tmp_path: Path) -> None:
    write(tmp_path, "# nothing yet\n")
    assert load_policy(tmp_path) == LoadedPolicy(default_policy(), None, tmp_path / POLICY_FILE)


def test_documented_example_reads_as_documented(tmp_path: Path) -> None:
    write(tmp_path, EXAMPLE)
    loaded = load_policy(tmp_path)
    assert loaded.problem is None
    policy = loaded.policy
    monday = (TimeRange(time(9), time(12, 30)), TimeRange(time(13, 30), time(17, 30)))
    assert policy.working_hours == {
        0: monday,
        1: NINE_TO_HALF_FIVE,
        2: NINE_TO_HALF_FIVE,
        3: NINE_TO_HALF_FIVE,
        4: NINE_TO_HALF_FIVE,
    }
    assert (policy.micro_interval_minutes, policy.micro_seconds) == (30, 40)
    assert (policy.stretch_interval_minutes, policy.stretch_minutes) == (60, 3)
    assert (policy.daily_cap, policy.retry_minutes, policy.natural_break_minutes) == (16, 10, 5)
    assert (policy.snooze_minutes, policy.default_snooze_minutes) == ((5, 10, 15), 10)
    assert policy.start_action == "browser"


def test_docs_show_the_same_example() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "reminders.md"
    assert EXAMPLE.strip() in docs.read_text(encoding="utf-8")


def test_every_setting_is_read(tmp_path: Path) -> None:
    write(
        tmp_path,
        """\
start_in = "terminal"
daily_cap = 8
natural_break_minutes = 3
retry_minutes = 20
snooze_minutes = [15, 5]
default_snooze_minutes = 15

[working_hours]
every_day = "off"
tuesday = "8:00 - 12:00, 12:00-16:00"
weekend = ["10:00–12:00"]
sunday = "20:00-24:00"

[micro]
enabled = false
every_minutes = 90
seconds = 20

[stretch]
every_minutes = 45
minutes = 5
""",
    )
    policy = read_policy(tmp_path / POLICY_FILE)
    assert policy == Policy(
        working_hours={
            1: (TimeRange(time(8), time(12)), TimeRange(time(12), time(16))),
            5: (TimeRange(time(10), time(12)),),
            6: (TimeRange(time(20), END_OF_DAY),),
        },
        micro_enabled=False,
        micro_interval_minutes=90,
        micro_seconds=20,
        stretch_interval_minutes=45,
        stretch_minutes=5,
        natural_break_minutes=3,
        daily_cap=8,
        snooze_minutes=(5, 15),
        default_snooze_minutes=15,
        retry_minutes=20,
        start_action="terminal",
    )


def test_a_day_written_out_wins_over_weekdays_whatever_the_order(tmp_path: Path) -> None:
    write(tmp_path, '[working_hours]\nfriday = "09:00-13:00"\nweekdays = "08:00-16:00"\n')
    hours = read_policy(tmp_path / POLICY_FILE).working_hours
    assert hours[4] == (TimeRange(time(9), time(13)),)
    assert hours[0] == (TimeRange(time(8), time(16)),)
    assert 5 not in hours


def test_default_snooze_follows_a_changed_list(tmp_path: Path) -> None:
    write(tmp_path, "snooze_minutes = [2, 20, 30]\n")
    assert read_policy(tmp_path / POLICY_FILE).default_snooze_minutes == 20


@pytest.mark.parametrize(
    ("text", "line", "field", "expected"),
    [
        # impossible times and periods
        ('[working_hours]\nmonday = "09:00-25:00"\n', 2, "working_hours.monday", '"25:00"'),
        ('[working_hours]\nmonday = "9.00-17:00"\n', 2, "working_hours.monday", 'got "9.00"'),
        ('[working_hours]\nmonday = "9 to 5"\n', 2, "working_hours.monday", "period like"),
        ('[working_hours]\nmonday = "09:60-17:00"\n', 2, "working_hours.monday", "00:00 to 23:59"),
        ('[working_hours]\nmonday = "24:00-24:00"\n', 2, "working_hours.monday", "23:59"),
        ('[working_hours]\n\nfriday = "17:00-09:00"\n', 3, "working_hours.friday", "end after"),
        ('[working_hours]\nmonday = "22:00-02:00"\n', 2, "working_hours.monday", "midnight"),
        ('[working_hours]\nmonday = "09:00-09:00"\n', 2, "working_hours.monday", "end after"),
        (
            '[working_hours]\ntuesday = ["09:00-12:30", "12:00-17:00"]\n',
            2,
            "working_hours.tuesday",
            'do not overlap, got "09:00-12:30" and "12:00-17:00"',
        ),
        ("[working_hours]\nmonday = 9\n", 2, "working_hours.monday", "got 9"),
        ('[working_hours]\nmonday = [9, "10:00-11:00"]\n', 2, "working_hours.monday", "list"),
        ('[working_hours]\nmondya = "09:00-17:00"\n', 2, "working_hours.mondya", "unknown key"),
        ('[working_hours]\nweekdays = "off"\n', 1, "working_hours", "at least one"),
        ('working_hours = "09:00-17:00"\n', 1, "working_hours", "[working_hours]"),
        # durations and intervals
        ("[micro]\nseconds = 90\n", 2, "micro.seconds", "from 20 to 60, got 90"),
        ("[micro]\nseconds = 10\n", 2, "micro.seconds", "from 20 to 60, got 10"),
        ("[micro]\nevery_minutes = 2\n", 2, "micro.every_minutes", "from 5 to 480"),
        ("[stretch]\nevery_minutes = 600\n", 2, "stretch.every_minutes", "from 5 to 480"),
        ("[stretch]\nevery_minutes = 30\n", 2, "stretch.every_minutes", "more than micro"),
        ("[micro]\nevery_minutes = 60\n", 2, "micro.every_minutes", "less than stretch"),
        ("[stretch]\nminutes = 0\n", 2, "stretch.minutes", "from 1 to 15"),
        (
            '[working_hours]\nweekdays = "09:00-10:00"\n',
            1,
            "working_hours",
            "longer than the stretch break interval (60 minutes; [stretch] every_minutes), "
            "the longest is 60 minutes",
        ),
        (
            '[working_hours]\nweekdays = "09:00-12:00"\n[stretch]\nevery_minutes = 180\n',
            4,
            "stretch.every_minutes",
            "less than your longest working period (180 minutes)",
        ),
        ("daily_cap = 0\n", 1, "daily_cap", "from 1 to 100, got 0"),
        ("\n\nnatural_break_minutes = 0\n", 3, "natural_break_minutes", "from 1 to 60"),
        ("retry_minutes = 1000\n", 1, "retry_minutes", "from 1 to 120"),
        ("snooze_minutes = []\n", 1, "snooze_minutes", "list of 1 to 5"),
        ("snooze_minutes = [5, 5]\n", 1, "snooze_minutes", "each choice once"),
        ("snooze_minutes = [5, 0]\n", 1, "snooze_minutes", "got 0 in the list"),
        ("snooze_minutes = 10\n", 1, "snooze_minutes", "like [5, 10, 15]"),
        ("default_snooze_minutes = 7\n", 1, "default_snooze_minutes", "one of snooze_minutes"),
        # wrong types
        ('daily_cap = "16"\n', 1, "daily_cap", "whole number from 1 to 100, got '16'"),
        ("daily_cap = 16.5\n", 1, "daily_cap", "whole number"),
        ("daily_cap = true\n", 1, "daily_cap", "got True"),
        ('[micro]\nenabled = "yes"\n', 2, "micro.enabled", "true or false, got 'yes'"),
        ('micro = "on"\n', 1, "micro", "[micro]"),
        ('start_in = "window"\n', 1, "start_in", '"browser" or "terminal"'),
        # unknown keys
        ("dialy_cap = 3\n", 1, "dialy_cap", "unknown key (expected one of: start_in"),
        ("[micro]\nevery = 30\n", 2, "micro.every", "unknown key"),
        ("[macro]\nseconds = 30\n", 1, "macro", "unknown key"),
    ],
)
def test_mistakes_name_the_line_field_and_what_was_expected(
    tmp_path: Path, text: str, line: int, field: str, expected: str
) -> None:
    problem = problem_of(tmp_path, text)
    assert problem.startswith(f"{tmp_path / POLICY_FILE}:{line}: {field}: "), problem
    assert expected in problem
    assert "\n" not in problem


def test_read_policy_raises_the_error_with_its_parts(tmp_path: Path) -> None:
    path = write(tmp_path, "[micro]\nenabled = true\nseconds = 61\n")
    with pytest.raises(FileFormatError) as caught:
        read_policy(path)
    assert (caught.value.path, caught.value.line, caught.value.field) == (
        str(path),
        3,
        "micro.seconds",
    )


def test_not_toml_names_the_line(tmp_path: Path) -> None:
    problem = problem_of(tmp_path, "daily_cap = 12\n[micro\nseconds = 30\n")
    assert problem.startswith(f"{tmp_path / POLICY_FILE}:2: not valid TOML")


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / POLICY_FILE).write_bytes(b"daily_cap = 12 # \xff\n")
    assert load_policy(tmp_path).problem == f"{tmp_path / POLICY_FILE}: expected UTF-8 text"


def test_a_folder_in_the_way(tmp_path: Path) -> None:
    (tmp_path / POLICY_FILE).mkdir()
    loaded = load_policy(tmp_path)
    assert loaded.policy == default_policy()
    assert loaded.problem is not None and "found a folder" in loaded.problem


def test_loading_stays_in_the_standard_library() -> None:
    """The waiting service reads the policy, so this must not pull in pydantic or the like."""
    code = (
        "import sys, pathlib; from deskstretch.reminders.policy import load_policy; "
        "load_policy(pathlib.Path(sys.argv[1])); "
        "print(sorted(n for n in sys.modules if n.split('.')[0] not in sys.stdlib_module_names "
        "and not n.startswith('deskstretch') and n != '__main__'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "/nonexistent"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
