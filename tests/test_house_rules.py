"""The floor plan stays readable: long modules say why, the architecture page names every package,
and the commit hook runs the same linters as `make lint`."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "deskstretch"
LIMIT = 400


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _long_without_reason(paths: list[Path]) -> list[str]:
    offenders = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= LIMIT:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if not re.search(r"\b400\s+lines\b", " ".join(docstring.split())):
            offenders.append(f"{path.name}: {text.count(chr(10))} lines")
    return offenders


def test_every_module_over_400_lines_says_why_in_its_docstring() -> None:
    assert _long_without_reason(_modules()) == []


def test_the_size_rule_catches_a_long_module_without_a_reason(tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.py"
    quiet.write_text('"""A module."""\n' + "x = 1\n" * 420)
    told = tmp_path / "told.py"
    told.write_text('"""A module.\n\nPast 400\nlines because it must."""\n' + "x = 1\n" * 420)
    short = tmp_path / "short.py"
    short.write_text('"""A module."""\n' + "x = 1\n" * 10)
    assert _long_without_reason([quiet, told, short]) == ["quiet.py: 421 lines"]


def _packages() -> list[str]:
    """Every package under src/deskstretch, as a path like ``web/routes``."""
    return sorted(
        str(init.parent.relative_to(PACKAGE))
        for init in PACKAGE.rglob("__init__.py")
        if init.parent != PACKAGE and "migrations" not in init.parts
    )


def test_the_architecture_page_names_every_package_and_hides_nothing() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    tree = page.split("```", 2)[1]
    # The tree shows each package by its folder name, indented under its parent.
    missing = [name for name in _packages() if f" {name.rsplit('/', 1)[-1]}/" not in tree]
    assert missing == []
    assert "..." not in page
    assert "…" not in page


def _named_as(path: Path) -> str:
    """How the tree names a module: ``name.py``; the command and route modules, listed by the
    dozen, by their bare names."""
    if path.parent.name in {"commands", "routes"}:
        return rf"(?<![\w]){re.escape(path.stem)}\b"
    return rf"(?<![\w/]){re.escape(path.name)}\b"


def test_the_architecture_page_names_every_module_in_its_tree() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    tree = page.split("```", 2)[1]
    unnamed = [
        str(path.relative_to(PACKAGE))
        for path in _modules()
        if path.name not in {"__init__.py", "__main__.py"}
        and "migrations" not in path.parts
        and not re.search(_named_as(path), tree)
    ]
    assert unnamed == []


def test_the_commit_hook_config_is_valid_and_runs_ruff_and_eslint() -> None:
    config = ROOT / ".pre-commit-config.yaml"
    text = config.read_text(encoding="utf-8")
    for hook in ("ruff check", "ruff format", "eslint"):
        assert hook in text
    pre_commit = ROOT / ".venv" / "bin" / "pre-commit"
    program = str(pre_commit) if pre_commit.exists() else shutil.which("pre-commit")
    if program is None:
        pytest.fail("pre-commit is not installed: `make setup` installs it with the dev extra")
    result = subprocess.run(
        [program, "validate-config", str(config)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_contributing_explains_each_kind_of_change() -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for heading in (
        "## Set up",
        "## Where things live",
        "## How to add an exercise",
        "## How to add a routine",
        "## How to add a page",
        "## How to add a command",
        "## How to add a migration",
    ):
        assert heading in guide
    named = re.findall(r"`(src/deskstretch/[\w/.]+|tests/[\w/.]+|docs/[\w/.-]+)`", guide)
    assert named, "the guide names no files"
    assert [path for path in named if not (ROOT / path.rstrip("/")).exists()] == []


def _unmirrored(tests: Path, package: Path) -> list[str]:
    """Test folders with no package of the same name (helpers, e2e and js are layers, not code;
    fixtures holds data files with their licences)."""
    return sorted(
        folder.name
        for folder in tests.iterdir()
        if folder.is_dir()
        and folder.name not in {"helpers", "e2e", "js", "fixtures", "__pycache__"}
        and not (package / folder.name / "__init__.py").exists()
    )


def test_test_folders_mirror_the_packages() -> None:
    assert _unmirrored(ROOT / "tests", PACKAGE) == []


def test_the_mirror_rule_catches_a_folder_with_no_package(tmp_path: Path) -> None:
    tests, package = tmp_path / "tests", tmp_path / "pkg"
    for name in ("core", "progress", "e2e"):
        (tests / name).mkdir(parents=True)
    (package / "core").mkdir(parents=True)
    (package / "core" / "__init__.py").write_text("")
    assert _unmirrored(tests, package) == ["progress"]
