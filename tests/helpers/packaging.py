"""Building deskstretch as a user gets it: uv, the wheel and sdist of a source tree, and the source
of the previous release from git history (tests/e2e/test_wheel.py, bench/install_size.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PREVIOUS_RELEASE = "6ec069fdfa81baa2aec88991ceeaf89e04201ed8"
"""The release before this one (issue #12 landed; database revision 0009, version 0.1.0, psycopg
and matplotlib still in the base install)."""


def find_uv() -> str | None:
    """uv on PATH, or the one `make setup` installs in .tools/ (None when neither is there)."""
    for candidate in (os.environ.get("UV"), shutil.which("uv"), str(REPO / ".tools/bin/uv")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def build(uv: str, source: Path, out: Path) -> tuple[Path, Path]:
    """`uv build` of the project at ``source`` into ``out``: its wheel and its sdist."""
    subprocess.run(
        [uv, "build", "--quiet", "--out-dir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise RuntimeError(f"expected one wheel and one sdist in {out}: {list(out.iterdir())}")
    return wheels[0], sdists[0]


def has_commit(commit: str) -> bool:
    found = subprocess.run(["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=REPO, check=False)
    return found.returncode == 0


def source_at(commit: str, into: Path) -> Path:
    """The tree of ``commit`` written out to ``into`` (git archive), ready to build."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit], cwd=REPO, capture_output=True, check=True
    )
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into
