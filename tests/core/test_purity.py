"""core/ is pure: standard library only; front ends keep heavy imports out of start-up."""

from __future__ import annotations

import ast
import re
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


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
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
    for path in CORE.rglob("*.py"):
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
    allowed = COACH_MAY_USE if path.relative_to(PACKAGE).parts[0] == "coach" else ()
    reached = [
        name
        for name in _imported_modules(path)
        if any(name == f"deskstretch.{b}" or name.startswith(f"deskstretch.{b}.") for b in banned)
        and not any(name == ok or name.startswith(f"{ok}.") for ok in allowed)
    ]
    assert reached == [], f"{path.relative_to(PACKAGE)} imports {reached}"


# ----- One way in (issue 10): front ends reach the store only through the Coach -------------------

# The waiting reminder service reads finished routines itself, through the stdlib-only reader, so
# that it stays small (it must not load SQLAlchemy or the Coach).
STORE_ALLOWED = {"cli": (), "web": (), "reminders": ("deskstretch.store.lite",)}


def _absolute_imports(path: Path, package: Path = PACKAGE) -> list[str]:
    """Every module (and ``module.name`` of a from-import) the file imports, relative imports
    resolved against ``package`` (the folder of ``deskstretch``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    try:
        parts = ["deskstretch", *path.relative_to(package).parent.parts]
    except ValueError:
        parts = ["deskstretch"]
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                prefix = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{prefix}.{base}" if base else prefix
            names += [f"{base}.{alias.name}" for alias in node.names]
    return names


def _store_reaches(path: Path, allowed: tuple[str, ...]) -> list[str]:
    """Imports of deskstretch.store other than ``allowed``, and reads of an attribute named
    ``store`` (a Coach's store), in the file at ``path``."""
    reached = [
        name
        for name in _absolute_imports(path)
        if (name == "deskstretch.store" or name.startswith("deskstretch.store."))
        and not any(name == ok or name.startswith(f"{ok}.") for ok in allowed)
    ]
    reads: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "store":
            reads.append((node.lineno, f"line {node.lineno}: .store"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "getattr"
            and any(isinstance(a, ast.Constant) and a.value == "store" for a in node.args)
        ):
            reads.append((node.lineno, f"line {node.lineno}: getattr(..., 'store')"))
    return reached + [text for _line, text in sorted(reads)]


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (path, allowed)
        for front_end, allowed in STORE_ALLOWED.items()
        for path in sorted((PACKAGE / front_end).rglob("*.py"))
    ],
    ids=lambda value: str(value.relative_to(PACKAGE)) if isinstance(value, Path) else "",
)
def test_front_ends_reach_the_store_only_through_the_coach(
    path: Path, allowed: tuple[str, ...]
) -> None:
    reached = _store_reaches(path, allowed)
    assert reached == [], f"{path.relative_to(PACKAGE)} reaches the store: {reached}"


def test_store_rule_catches_imports_and_a_coachs_store(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from deskstretch.store import repository as repo\n"
        "import deskstretch.store.db\n"
        "from deskstretch import store\n"
        "from deskstretch.store.lite import sqlite_file\n"
        "rows = repo.export_all(coach.store)\n"
        "other = getattr(coach, 'store')\n"
    )
    assert _store_reaches(bad, ("deskstretch.store.lite",)) == [
        "deskstretch.store.repository",
        "deskstretch.store.db",
        "deskstretch.store",
        "line 5: .store",
        "line 6: getattr(..., 'store')",
    ]
    assert "deskstretch.store.lite.sqlite_file" in _store_reaches(bad, ())


def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    web = tmp_path / "web" / "routes"
    web.mkdir(parents=True)
    bad = web / "bad.py"
    bad.write_text("from ...store import repository\nfrom . import speech\n")
    assert _absolute_imports(bad, tmp_path) == [
        "deskstretch.store.repository",
        "deskstretch.web.routes.speech",
    ]


# ----- SQL lives in store/ only -----------------------------------------------------------------

SQL = re.compile(
    r"\bSELECT\b[\s\S]*?\bFROM\b|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b"
    r"|\bDELETE\s+FROM\b|\b(?:CREATE|DROP|ALTER)\s+(?:TEMP\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\b"
    r"|\bPRAGMA\s+\w+|\bVACUUM\b|\bBEGIN\s+(?:IMMEDIATE|EXCLUSIVE|DEFERRED)\b"
)


def _sql_found(path: Path) -> list[str]:
    """``sqlite3`` imports and SQL in string literals of the file at ``path``."""
    found = [
        name for name in _absolute_imports(path) if name == "sqlite3" or name.startswith("sqlite3.")
    ]
    strings: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = SQL.search(node.value)
            if match:
                strings.append((node.lineno, f"line {node.lineno}: {match.group(0)[:40]!r}"))
    return found + [text for _line, text in sorted(strings)]


@pytest.mark.parametrize(
    "path",
    sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] != "store"),
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_sql_and_sqlite3_live_in_the_store_only(path: Path) -> None:
    assert _sql_found(path) == [], f"{path.relative_to(PACKAGE)} has SQL outside store/"


def test_sql_rule_catches_sqlite3_and_sql_strings(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import sqlite3\n"
        "from sqlite3 import connect\n"
        "Q = 'SELECT name,\\n status FROM sessions'\n"
        "W = f'DELETE FROM {table}'\n"
        "P = 'PRAGMA data_version'\n"
        "OK = 'Select a routine from the list, then update your settings.'\n"
    )
    assert _sql_found(bad) == [
        "sqlite3",
        "sqlite3.connect",
        "line 3: 'SELECT name,\\n status FROM'",
        "line 4: 'DELETE FROM'",
        "line 5: 'PRAGMA data_version'",
    ]


# ----- The folders are the architecture -----------------------------------------------------------

ROOT_FILES = {"__init__.py", "__main__.py", "config.py"}


def _root_strays(package: Path) -> list[str]:
    """Files at the package root other than ROOT_FILES, and folders that are not packages."""
    strays = []
    for entry in sorted(package.iterdir()):
        if entry.name == "__pycache__":
            continue
        if entry.is_dir():
            if not (entry / "__init__.py").is_file():
                strays.append(f"{entry.name}/ (no __init__.py)")
        elif entry.name not in ROOT_FILES:
            strays.append(entry.name)
    return strays


def test_nothing_at_the_package_root_but_config_and_packages() -> None:
    assert _root_strays(PACKAGE) == []


def test_root_rule_catches_a_loose_module_and_a_namespace_folder(tmp_path: Path) -> None:
    for name in ("__init__.py", "config.py", "journal.py"):
        (tmp_path / name).write_text("")
    (tmp_path / "coach").mkdir()
    (tmp_path / "coach" / "__init__.py").write_text("")
    (tmp_path / "web").mkdir()
    assert _root_strays(tmp_path) == ["journal.py", "web/ (no __init__.py)"]


# The reminder service's state on disk (its settings file, journal, lock and autostart entry) is
# read and written through these standard-library modules; the Coach may use them so that the
# app's Settings and Today go through it (issue 12). The service's loop, prompt and desktop code
# stay out of reach.
COACH_MAY_USE = (
    "deskstretch.reminders.control",
    "deskstretch.reminders.lock",
    "deskstretch.reminders.autostart",
)


def _front_end_imports(path: Path) -> list[str]:
    return [
        name
        for name in _absolute_imports(path)
        if any(
            name == f"deskstretch.{end}" or name.startswith(f"deskstretch.{end}.")
            for end in FRONT_ENDS
        )
        and not any(name == ok or name.startswith(f"{ok}.") for ok in COACH_MAY_USE)
    ]


@pytest.mark.parametrize("path", sorted((PACKAGE / "coach").rglob("*.py")), ids=lambda p: p.name)
def test_coach_imports_no_front_end(path: Path) -> None:
    assert _front_end_imports(path) == [], f"coach/{path.name} imports a front end"


def test_coach_rule_catches_a_front_end_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from deskstretch.cli.render import show\nimport deskstretch.web.app\n"
        "from deskstretch import reminders\nfrom deskstretch.core import records\n"
        "from deskstretch.reminders.service import ReminderService\n"
        "from deskstretch.reminders.lock import ServiceLock\n"
    )
    assert _front_end_imports(bad) == [
        "deskstretch.cli.render.show",
        "deskstretch.web.app",
        "deskstretch.reminders",
        "deskstretch.reminders.service.ReminderService",
    ]


def _shared_names(package: Path) -> dict[str, list[str]]:
    """Module file names used more than once under ``package`` (``__init__``, ``__main__`` and
    the numbered migrations aside), with where each lives."""
    seen: dict[str, list[str]] = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if path.name in {"__init__.py", "__main__.py"} or relative.parts[:2] == (
            "store",
            "migrations",
        ):
            continue
        seen.setdefault(path.name, []).append(str(relative))
    return {name: places for name, places in seen.items() if len(places) > 1}


def test_no_two_modules_share_a_name() -> None:
    assert _shared_names(PACKAGE) == {}


def test_name_rule_catches_a_clash(tmp_path: Path) -> None:
    for relative in (
        "journal.py",
        "reminders/journal.py",
        "cli/__init__.py",
        "web/__init__.py",
        "store/migrations/versions/0001_start.py",
        "other/migrations/versions/0001_start.py",
        "store/migrations/env.py",
        "reminders/env.py",
    ):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("")
    assert _shared_names(tmp_path) == {"journal.py": ["journal.py", "reminders/journal.py"]}


def test_the_reminder_service_reads_the_store_only_through_lite() -> None:
    """Importing the service (and ``remind status``) loads no store module but the stdlib-only
    reader, and no third-party package at all: it waits in the background all day."""
    code = (
        "import sys, deskstretch.reminders.service, deskstretch.reminders.control; "
        "print(sorted(n for n in sys.modules if n.startswith('deskstretch.store') or "
        "(n.split('.')[0] not in sys.stdlib_module_names and n.split('.')[0] != 'deskstretch' "
        "and n != '__main__')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    # The package itself loads nothing on import (store/__init__.py is lazy).
    assert result.stdout.strip() == "['deskstretch.store', 'deskstretch.store.lite']"


# ----- The vision extra (issue 13): optional, reached only through the Coach ----------------------

VISION_PACKAGES = ("numpy", "cv2", "mediapipe")


def _vision_reaches(path: Path) -> list[str]:
    """Imports of deskstretch.vision and of the extra's packages in the file at ``path``."""
    return [
        name
        for name in _absolute_imports(path)
        if name == "deskstretch.vision"
        or name.startswith("deskstretch.vision.")
        or name.split(".")[0] in VISION_PACKAGES
    ]


@pytest.mark.parametrize(
    "path",
    sorted(p for end in ("cli", "web", "reminders") for p in (PACKAGE / end).rglob("*.py")),
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_front_ends_reach_vision_only_through_the_coach(path: Path) -> None:
    assert _vision_reaches(path) == [], f"{path.relative_to(PACKAGE)} reaches vision directly"


def test_vision_rule_catches_the_package_and_its_libraries(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from deskstretch.vision import load_photo\nimport cv2\nimport numpy as np\n"
        "from deskstretch.coach import Coach\nfrom mediapipe.python import solutions\n"
    )
    assert _vision_reaches(bad) == [
        "deskstretch.vision.load_photo",
        "cv2",
        "numpy",
        "mediapipe.python.solutions",
    ]


@pytest.mark.parametrize("path", sorted((PACKAGE / "vision").rglob("*.py")), ids=lambda p: p.name)
def test_vision_keeps_out_of_the_store_and_the_front_ends(path: Path) -> None:
    reached = [
        name
        for name in _absolute_imports(path)
        if name.split(".")[:2]
        in (
            ["deskstretch", "store"],
            ["deskstretch", "cli"],
            ["deskstretch", "web"],
            ["deskstretch", "coach"],
        )
    ]
    assert reached == [], f"vision/{path.name} imports {reached}"


def test_the_base_package_imports_without_the_vision_extra() -> None:
    """With numpy, OpenCV and mediapipe unimportable, the CLI, the app and the vision package
    itself still import, and saying what to install is the only thing vision can do."""
    code = (
        "import sys\n"
        "for name in ('numpy', 'cv2', 'mediapipe'): sys.modules[name] = None\n"
        "import deskstretch.cli.main, deskstretch.web.app, deskstretch.coach, deskstretch.vision\n"
        "from deskstretch.vision import VisionUnavailable, require_vision\n"
        "try:\n"
        "    require_vision()\n"
        "except VisionUnavailable as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "deskstretch[vision]" in result.stdout
