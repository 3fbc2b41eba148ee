"""core/ is pure: standard library only; front ends keep heavy imports out of start-up."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "src" / "deskstretch" / "core"


def _imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_module_imports_only_stdlib_and_core(path: Path) -> None:
    outside = [
        name
        for name in _imported_modules(path)
        if name.split(".")[0] not in sys.stdlib_module_names
        and not name.startswith("deskstretch.core")
        and name != "__future__"
    ]
    assert outside == [], f"{path.name} imports {outside}"


def test_purity_check_catches_a_third_party_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import rich\nfrom pydantic import BaseModel\nimport os\n")
    found = [n for n in _imported_modules(bad) if n.split(".")[0] not in sys.stdlib_module_names]
    assert found == ["rich", "pydantic"]


def test_core_has_no_clock_reads_or_sleeps() -> None:
    offenders = []
    for path in CORE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for forbidden in ("time.time(", "time.monotonic(", "sleep(", "datetime.now("):
            if forbidden in text:
                offenders.append(f"{path.name}: {forbidden}")
    assert offenders == []


def test_cli_import_is_light() -> None:
    """Importing the CLI builds nothing and pulls in neither Rich nor pydantic (fast --help)."""
    code = (
        "import sys, deskstretch.cli.main as m; app = m.build_app(); "
        "print(sorted(n for n in ('rich', 'pydantic', 'deskstretch.coach') if n in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


PACKAGE = CORE.parent
# design.md: front ends call the Coach and core, never each other's internals. The command line
# is the way in to the other two (`deskstretch app`, `deskstretch remind`), so it may start them.
FRONT_ENDS = {"cli": (), "web": ("cli", "reminders"), "reminders": ("cli", "web")}
SHARED_MODULES = sorted(
    path
    for path in PACKAGE.rglob("*.py")
    if path.relative_to(PACKAGE).parts[0] not in {"cli", "web", "reminders", "__main__.py"}
)


@pytest.mark.parametrize(
    ("path", "banned"),
    [
        (path, banned)
        for front_end, banned in FRONT_ENDS.items()
        if banned
        for path in sorted((PACKAGE / front_end).rglob("*.py"))
    ]
    + [(path, ("cli", "web", "reminders")) for path in SHARED_MODULES],
    ids=lambda value: str(value.relative_to(PACKAGE)) if isinstance(value, Path) else "",
)
def test_front_ends_do_not_import_each_other(path: Path, banned: tuple[str, ...]) -> None:
    reached = [
        name
        for name in _imported_modules(path)
        if any(name == f"deskstretch.{b}" or name.startswith(f"deskstretch.{b}.") for b in banned)
    ]
    assert reached == [], f"{path.relative_to(PACKAGE)} imports {reached}"
