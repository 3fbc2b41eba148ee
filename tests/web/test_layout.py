"""web/ keeps its floor plan: route modules share code through deps, api_schemas and helper
modules under web/, never by importing each other, and hold no pydantic models of their own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "src" / "deskstretch" / "web"
ROUTES = WEB / "routes"
ROUTES_PACKAGE = "deskstretch.web.routes"
ROUTE_MODULES = sorted(path for path in ROUTES.glob("*.py") if path.name != "__init__.py")


def route_imports(source: str) -> list[str]:
    """The route modules that ``source`` (a module inside web/routes/) imports."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith(ROUTES_PACKAGE + ".")]
        elif isinstance(node, ast.ImportFrom) and node.level <= 1:  # `..` leaves routes/
            base = ROUTES_PACKAGE if node.level == 1 else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            if module == ROUTES_PACKAGE:  # from deskstretch.web.routes import speech
                found += [f"{ROUTES_PACKAGE}.{a.name}" for a in node.names]
            elif module.startswith(ROUTES_PACKAGE + "."):
                found.append(module)
    return found


def pydantic_models(source: str) -> list[str]:
    """Classes in ``source`` that derive from a pydantic ``BaseModel``."""
    return [
        node.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ClassDef)
        and any(ast.unparse(base) in ("BaseModel", "pydantic.BaseModel") for base in node.bases)
    ]


def test_routes_folder_has_route_modules() -> None:
    assert len(ROUTE_MODULES) >= 5, f"expected the route modules in {ROUTES}"


@pytest.mark.parametrize("path", ROUTE_MODULES, ids=lambda p: p.name)
def test_route_module_imports_no_other_route_module(path: Path) -> None:
    imported = route_imports(path.read_text(encoding="utf-8"))
    assert imported == [], (
        f"{path.name} imports {imported}: move what they share into web/deps.py, "
        "web/api_schemas.py or a helper module under web/"
    )


@pytest.mark.parametrize("path", ROUTE_MODULES, ids=lambda p: p.name)
def test_route_module_defines_no_pydantic_models(path: Path) -> None:
    models = pydantic_models(path.read_text(encoding="utf-8"))
    assert models == [], f"{path.name} defines {models}: request/response models go in api_schemas"


@pytest.mark.parametrize("path", ROUTE_MODULES, ids=lambda p: p.name)
def test_route_module_takes_the_coach_from_deps(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "app.state.coach" not in text, f"{path.name}: take `coach: CoachDep` from web.deps"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from deskstretch.web.routes.today_pages import CoachDep", ["today_pages"]),
        ("from deskstretch.web.routes import speech, api", ["speech", "api"]),
        ("import deskstretch.web.routes.library_pages", ["library_pages"]),
        ("from .builder_pages import copy_id", ["builder_pages"]),
        ("from . import speech", ["speech"]),
        ("from deskstretch.web.deps import CoachDep\nfrom ..forms import Form", []),
        ("from deskstretch.web.routes_extra import x", []),
    ],
)
def test_route_imports_finds_every_spelling(source: str, expected: list[str]) -> None:
    assert route_imports(source) == [f"{ROUTES_PACKAGE}.{name}" for name in expected]


def test_pydantic_models_finds_a_schema_in_a_route() -> None:
    source = "from pydantic import BaseModel\nclass A(BaseModel): ...\nclass B: ...\n"
    assert pydantic_models(source) == ["A"]
