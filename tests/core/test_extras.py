"""The optional parts (core/extras.py): each feature that needs a missing extra says exactly what to
install, with nothing else shown or written; with the extra installed, the check lets it through.

The missing cases run in a child Python where the extra's packages are unimportable (as on a base
install); tests/e2e/test_wheel.py checks the same messages from a real base install of the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from deskstretch.core import extras
from helpers.support import answers_toml


def _blocked(modules: tuple[str, ...]) -> str:
    return "import sys\n" + "".join(
        f"sys.modules[{name!r}] = None  # as if not installed\n" for name in modules
    )


def run_cli_without(
    modules: tuple[str, ...], args: list[str], home: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    code = _blocked(modules) + "from deskstretch.cli.main import main\nmain(sys.argv[1:])\n"
    environment = {
        **os.environ,
        "DESKSTRETCH_CONFIG_DIR": str(home / "config"),
        "DESKSTRETCH_DATA_DIR": str(home / "data"),
        "COLUMNS": "200",
        **env,
    }
    environment.pop("DESKSTRETCH_DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("extra", extras.EXTRAS, ids=lambda e: e.name)
def test_each_extra_is_found_when_installed(extra: extras.Extra) -> None:
    """The development environment has every extra (`make` installs `all`)."""
    assert extras.missing_packages(extra) == ()
    extras.require(extra)


def test_a_missing_extra_names_the_packages_and_the_install_line() -> None:
    code = _blocked(("psycopg",)) + (
        "from deskstretch.core import extras\n"
        "try:\n"
        "    extras.require(extras.POSTGRES)\n"
        "except extras.ExtraMissing as error:\n"
        "    print(error.message)\n"
        "    print(error.missing)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    message, missing = result.stdout.splitlines()
    assert message.startswith("Storing your data in PostgreSQL")
    assert "needs the optional 'postgres' part of deskstretch, and psycopg is not installed" in (
        message
    )
    assert "pip install 'deskstretch[postgres]'" in message
    assert "uv sync --extra postgres" in message
    assert missing == "('psycopg',)"


def test_progress_charts_without_matplotlib_say_what_to_install(tmp_path: Path) -> None:
    svg = tmp_path / "chart.svg"
    result = run_cli_without(("matplotlib",), ["progress", "--svg", str(svg)], tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("deskstretch: error: Saving chart files (progress --png or")
    assert "pip install 'deskstretch[charts]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""  # said before the dashboard, not after it
    assert not svg.exists()


def test_progress_without_chart_files_needs_no_matplotlib(tmp_path: Path) -> None:
    result = run_cli_without(("matplotlib",), ["progress"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "deskstretch[charts]" not in result.stdout + result.stderr


def test_a_postgres_url_without_psycopg_says_what_to_install(tmp_path: Path) -> None:
    (tmp_path / "answers.toml").write_text(answers_toml())
    result = run_cli_without(
        ("psycopg",),
        ["checkin", "--back", "3", "--leg", "0"],
        tmp_path,
        DESKSTRETCH_DATABASE_URL="postgresql://someone@localhost/deskstretch",
    )
    assert result.returncode == 1
    assert "needs the optional 'postgres' part of deskstretch" in result.stderr
    assert "pip install 'deskstretch[postgres]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_base_commands_run_with_every_extra_missing(tmp_path: Path) -> None:
    """No extra is imported by the commands a base install offers."""
    heavy = ("psycopg", "matplotlib", "numpy", "cv2", "mediapipe")
    (tmp_path / "answers.toml").write_text(answers_toml())
    for args in (
        ["list"],
        ["check", "--from", str(tmp_path / "answers.toml")],
        ["checkin", "--back", "2", "--leg", "0"],
        ["progress"],
        ["routine", "show", "hamstring-2min"],
    ):
        result = run_cli_without(heavy, args, tmp_path)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assessed = run_cli_without(heavy, ["assess", "x.jpg", "--test", "forward-bend"], tmp_path)
    assert assessed.returncode == 1
    assert "pip install 'deskstretch[vision]'" in assessed.stderr
