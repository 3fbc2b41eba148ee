"""The built package, installed as a user would: `uv build` gives a wheel and an sdist holding every
file of the package (TOML, templates, static files, migrations); the wheel installs into a new
virtual environment without the checkout and without extras, where the commands, the player and
the app work and each extra's feature says what to install; and installing it over the previous
release (its wheel built from git history) keeps settings, safety answers, routines and the
database, migrated.

Building and installing use uv (`make` installs it) and its cache; nothing is fetched beyond the
package registries (hatchling, and the base dependencies when the cache lacks them).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from helpers.local_server import free_port, get_when_ready
from helpers.packaging import PREVIOUS_RELEASE, REPO, build, find_uv, has_commit, source_at
from helpers.support import answers_toml

pytestmark = pytest.mark.e2e

TWO_STEP_ROUTINE = """\
id = "two-step"
name = "Two-step test routine"
get_ready_seconds = 1
switch_seconds = 0
transition_seconds = 0

[[steps]]
exercise = "seated-pelvic-tilts"
reps = 2
rep_seconds = 1

[[steps]]
exercise = "S10"
reps = 1
rep_seconds = 1
"""


def _uv() -> str:
    uv = find_uv()
    if uv is None:
        pytest.fail("uv is needed to build the wheel: run `make setup` (it installs uv in .tools/)")
    return uv


def _version() -> str:
    text = (REPO / "src/deskstretch/__init__.py").read_text()
    found = re.search(r'^__version__ = "([^"]+)"$', text, flags=re.MULTILINE)
    assert found, "src/deskstretch/__init__.py must set __version__"
    return found.group(1)


def _run(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=600, cwd=cwd, env=env
    )
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result


@dataclass
class Install:
    """A new virtual environment outside the checkout, with its own data folders."""

    root: Path

    @property
    def python(self) -> Path:
        return self.root / "venv" / "bin" / "python"

    @property
    def config(self) -> Path:
        return self.root / "home" / "config"

    @property
    def data(self) -> Path:
        return self.root / "home" / "data"

    def create(self) -> None:
        _run([_uv(), "venv", "--quiet", "--python", sys.executable, str(self.root / "venv")])

    def install(self, wheel: Path, *, reinstall: bool = False) -> None:
        command = [_uv(), "pip", "install", "--quiet", "--python", str(self.python), str(wheel)]
        _run(command + (["--reinstall-package", "deskstretch"] if reinstall else []))

    def env(self, **extra: str) -> dict[str, str]:
        keep = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DESKSTRETCH_", "PYTHON", "VIRTUAL_ENV"))
        }
        keep.pop("DISPLAY", None)
        keep.pop("WAYLAND_DISPLAY", None)
        return {
            **keep,
            "DESKSTRETCH_CONFIG_DIR": str(self.config),
            "DESKSTRETCH_DATA_DIR": str(self.data),
            "COLUMNS": "200",
            **extra,
        }

    def deskstretch(
        self, *args: str, check: bool = True, **env: str
    ) -> subprocess.CompletedProcess[str]:
        command = [str(self.root / "venv" / "bin" / "deskstretch"), *args]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
            cwd=self.root,  # not the checkout
            env=self.env(**env),
        )
        if check:
            assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
        return result

    def site_packages_bytes(self) -> int:
        return sum(p.stat().st_size for p in (self.root / "venv" / "lib").rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build(_uv(), REPO, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def base_install(built: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Install:
    install = Install(tmp_path_factory.mktemp("base"))
    install.create()
    started = time.monotonic()
    install.install(built[0])
    print(  # shown with -s; the figures in docs/performance.md come from bench/install_size.py
        f"\nbase install: {install.site_packages_bytes() / 1e6:.0f} MB in"
        f" {time.monotonic() - started:.1f} s (from uv's cache)"
    )
    return install


def _package_files() -> list[str]:
    """Every file of the package that git tracks, relative to src/."""
    listed = _run(["git", "ls-files", "src/deskstretch"], cwd=REPO).stdout.split()
    return sorted(str(Path(p).relative_to("src")) for p in listed if "__pycache__" not in p)


def test_the_wheel_and_sdist_hold_every_file_of_the_package(built: tuple[Path, Path]) -> None:
    wheel, sdist = built
    expected = _package_files()
    assert any(p.endswith(".toml") for p in expected)
    assert any("/migrations/versions/" in p for p in expected)
    assert any("/templates/" in p for p in expected)
    assert any("/static/" in p for p in expected)
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    assert [p for p in expected if p not in in_wheel] == []
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert [p for p in expected if f"src/{p}" not in in_sdist] == []
    assert {"pyproject.toml", "README.md", "LICENSE"} <= in_sdist
    assert wheel.name.startswith(f"deskstretch-{_version()}-")


def test_the_version_comes_from_one_place(base_install: Install) -> None:
    result = base_install.deskstretch("--version")
    assert result.stdout.strip() == f"deskstretch {_version()}"
    metadata = _run(
        [
            str(base_install.python),
            "-c",
            "import importlib.metadata as m; print(m.version('deskstretch'))",
        ]
    )
    assert metadata.stdout.strip() == _version()


def test_the_base_install_runs_without_the_checkout_or_extras(base_install: Install) -> None:
    where = _run(
        [str(base_install.python), "-c", "import deskstretch, sys; print(deskstretch.__file__)"],
        cwd=base_install.root,
        env=base_install.env(),
    ).stdout.strip()
    assert str(base_install.root / "venv") in where and str(REPO) not in where
    missing = _run(
        [
            str(base_install.python),
            "-c",
            "import importlib.util as u\n"
            "print([m for m in ('psycopg', 'matplotlib', 'numpy', 'cv2', 'mediapipe')"
            " if u.find_spec(m)])",
        ]
    )
    assert missing.stdout.strip() == "[]", "the base install must carry no extra"
    assert "Usage: deskstretch" in base_install.deskstretch("--help").stdout
    listed = base_install.deskstretch("list").stdout
    assert "S01" in listed and "S14" in listed


def test_a_two_step_routine_plays_in_the_base_install(base_install: Install) -> None:
    answers = base_install.root / "answers.toml"
    answers.write_text(answers_toml())
    base_install.deskstretch("check", "--from", str(answers))
    routine = base_install.root / "two-step.toml"
    routine.write_text(TWO_STEP_ROUTINE)
    played = base_install.deskstretch(
        "start", "--plain", "--no-voice", "--no-bell", "--no-checkin", "--file", str(routine)
    )
    assert "Get ready - Seated pelvic tilts" in played.stdout
    assert "2 of 2 exercises" in played.stdout
    assert "Saved as complete" in played.stdout
    assert "Two-step test routine" in base_install.deskstretch("progress").stdout


def test_the_app_serves_today_and_a_player_page(base_install: Install) -> None:
    answers = base_install.root / "answers.toml"
    answers.write_text(answers_toml())
    base_install.deskstretch("check", "--from", str(answers))  # else the player is locked (403)
    port = free_port()
    server = subprocess.Popen(
        [
            str(base_install.root / "venv/bin/deskstretch"),
            "app",
            "--no-browser",
            "--port",
            str(port),
        ],
        cwd=base_install.root,
        env=base_install.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        today = get_when_ready(base + "/")
        assert today.status_code == 200
        assert "deskstretch" in today.text
        player = httpx.get(base + "/play/hamstring-2min", timeout=10)
        assert player.status_code == 200
        assert "/static/js/player/page.js" in player.text
        script = httpx.get(base + "/static/js/player/page.js", timeout=10)
        assert script.status_code == 200 and "import" in script.text
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)


def test_each_extra_says_what_to_install_in_the_base_install(base_install: Install) -> None:
    chart = base_install.deskstretch("progress", "--svg", "chart.svg", check=False)
    assert chart.returncode == 1
    assert "pip install 'deskstretch[charts]'" in chart.stderr
    assert not (base_install.root / "chart.svg").exists()
    postgres = base_install.deskstretch(
        "progress", check=False, DESKSTRETCH_DATABASE_URL="postgresql://nobody@127.0.0.1:1/none"
    )
    assert postgres.returncode == 1
    assert "pip install 'deskstretch[postgres]'" in postgres.stderr
    photo = base_install.deskstretch("assess", "a.jpg", "--test", "forward-bend", check=False)
    assert photo.returncode == 1
    assert "pip install 'deskstretch[vision]'" in photo.stderr
    for result in (chart, postgres, photo):
        assert "Traceback" not in result.stderr


# ----- upgrading over the previous release ---------------------------------------------------


@pytest.fixture(scope="module")
def previous_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The previous release's wheel, built from its commit (a full clone has it)."""
    if not has_commit(PREVIOUS_RELEASE):
        pytest.fail(
            f"commit {PREVIOUS_RELEASE[:12]} (the previous release) is not in this clone;"
            " fetch the full history (git fetch --unshallow)"
        )
    source = source_at(PREVIOUS_RELEASE, tmp_path_factory.mktemp("previous-source"))
    wheel, _ = build(_uv(), source, tmp_path_factory.mktemp("previous-dist"))
    return wheel


def _revision_of(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(revision)


def _head_revision() -> str:
    newest = sorted((REPO / "src/deskstretch/store/migrations/versions").glob("v*.py"))[-1]
    found = re.search(r'^revision[^=]*=\s*"([^"]+)"', newest.read_text(), flags=re.MULTILINE)
    assert found, newest
    return found.group(1)


def test_installing_over_the_previous_release_keeps_everything(
    previous_wheel: Path, built: tuple[Path, Path], tmp_path: Path
) -> None:
    install = Install(tmp_path)
    install.create()
    install.install(previous_wheel)
    old_version = install.deskstretch("--version", check=False)
    assert old_version.returncode != 0 or _version() not in old_version.stdout  # really older

    # A person's life with the previous release: safety answers, a setting, an own routine, a
    # session, a check-in and a sit-and-reach.
    answers = tmp_path / "answers.toml"
    answers.write_text(answers_toml())
    install.deskstretch("check", "--from", str(answers))
    install.config.mkdir(parents=True, exist_ok=True)
    settings = install.config / "config.toml"
    settings.write_text("voice = false\n")
    routines = install.config / "routines"
    routines.mkdir(exist_ok=True)
    (routines / "two-step.toml").write_text(TWO_STEP_ROUTINE)
    install.deskstretch("start", "two-step", "--plain", "--no-bell", "--no-checkin")
    install.deskstretch("checkin", "--back", "3", "--leg", "0")
    install.deskstretch("measure", "sit-and-reach", "--cm", "-6", "--leg", "left")
    before = json.loads(install.deskstretch("export").stdout)
    screening_before = (install.config / "screening.toml").read_text()
    databases = sorted(install.data.glob("*.sqlite3"))
    assert len(databases) == 1, list(install.data.iterdir())
    old_revision = _revision_of(databases[0])
    assert old_revision != _head_revision()

    install.install(built[0], reinstall=True)

    assert install.deskstretch("--version").stdout.strip() == f"deskstretch {_version()}"
    after = json.loads(install.deskstretch("export").stdout)
    assert _revision_of(databases[0]) == _head_revision()  # migrated in place
    for kind in ("sessions", "checkins", "measurements"):
        assert len(before[kind]) >= 1, kind
        assert after[kind] == before[kind], kind
    assert settings.read_text() == "voice = false\n"
    assert (install.config / "screening.toml").read_text() == screening_before
    assert "two-step" in install.deskstretch("routine", "list").stdout
    # The safety answers still unlock routines: the kept routine plays again.
    install.deskstretch("start", "two-step", "--plain", "--no-bell", "--no-checkin")
    assert len(json.loads(install.deskstretch("export").stdout)["sessions"]) == 2
