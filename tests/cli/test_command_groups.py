"""build_app() wires the command groups of cli/commands/: every module registered, each light at
import, and ``deskstretch --help`` listing the commands in their familiar order."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
import typer

from deskstretch.cli.main import COMMAND_GROUPS, build_app

COMMANDS = Path(__file__).resolve().parents[2] / "src" / "deskstretch" / "cli" / "commands"
COMMAND_MODULES = sorted(path for path in COMMANDS.glob("*.py") if path.name != "__init__.py")
# What a commands module may import when it loads: the rest waits inside the command functions.
LIGHT = ("typer", "deskstretch.cli.commands", "deskstretch.core")


def top_level_imports(source: str) -> list[str]:
    """Modules imported when ``source`` loads (not inside functions, not for type checking)."""
    names: list[str] = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def is_light(name: str) -> bool:
    return (
        name == "__future__"
        or name.split(".", maxsplit=1)[0] in sys.stdlib_module_names
        or any(name == light or name.startswith(light + ".") for light in LIGHT)
    )


def test_every_commands_module_is_registered_once() -> None:
    registered = [register.__module__.rsplit(".", 1)[-1] for register in COMMAND_GROUPS]
    assert sorted(registered) == [path.stem for path in COMMAND_MODULES]


@pytest.mark.parametrize("path", COMMAND_MODULES, ids=lambda p: p.name)
def test_commands_module_is_named_for_its_group(path: Path) -> None:
    # cli/measure.py does the work, cli/commands/measure_commands.py the wiring: no two files
    # share a name.
    assert path.stem.endswith("_commands")


@pytest.mark.parametrize("path", COMMAND_MODULES, ids=lambda p: p.name)
def test_commands_module_imports_only_typer_and_stdlib_at_load(path: Path) -> None:
    heavy = [n for n in top_level_imports(path.read_text(encoding="utf-8")) if not is_light(n)]
    assert heavy == [], f"{path.name} imports {heavy} at load: import them inside the command"


def test_the_light_import_check_catches_a_heavy_import() -> None:
    source = (
        "from __future__ import annotations\nimport os\nimport typer\nimport rich\n"
        "from deskstretch.cli import render\nfrom deskstretch.core.errors import X\n"
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from deskstretch.coach import C\n"
        "def f():\n    from deskstretch.cli.play import run_start\n"
    )
    heavy = [n for n in top_level_imports(source) if not is_light(n)]
    assert heavy == ["rich", "deskstretch.cli"]


def test_help_lists_the_commands_then_the_groups_in_order() -> None:
    app = typer.main.get_command(build_app())
    assert isinstance(app, typer.core.TyperGroup)
    listed = app.list_commands(typer.Context(app))
    assert listed == [
        *("start", "list", "show", "learn", "lesson"),
        *("check", "welcome", "checkin", "resume-programme"),
        *("progress", "report", "export", "import", "forget"),
        *("app", "where", "score", "assess", "schedule"),
        *("routine", "programme", "measure", "psfs", "remind"),
    ]
