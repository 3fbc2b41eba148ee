"""Charts are really written: PNG bytes of the right size, SVG that parses with its text kept."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from deskstretch.cli.charts import write_charts
from deskstretch.coach.progress import summarise
from helpers.progress_records import empty_input, worked_input

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def matplotlib_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep matplotlib's font cache out of the real home folder (read at its first import)."""
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path_factory.getbasetemp() / "matplotlib"))


def png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk follows the magic
    return width, height


def svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    return " ".join(" ".join(element.itertext()) for element in root.iter() if element.text)


def test_write_charts_png_is_about_1000_by_800(tmp_path: Path) -> None:
    path = write_charts(summarise(worked_input()), tmp_path / "progress.png", "png")
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC)
    assert png_size(data) == (1000, 800)
    assert 20_000 < len(data) < 1_000_000


def test_write_charts_svg_keeps_titles_and_axis_text(tmp_path: Path) -> None:
    path = write_charts(summarise(worked_input()), tmp_path / "progress.svg", "svg")
    text = svg_text(path)
    for expected in (
        "deskstretch progress, 10 Jan 2026 – 11 Mar 2026",
        "Pain, last 30 days",
        "Pain (0–10)",
        "Flexibility tests (cm)",
        "Days with a session per week (goal 5)",
        "Hamstring minutes per leg per week",
        "target 5–10 min",
        "Chair sit-and-reach, left leg (csr-44cm)",
    ):
        assert expected in text, expected


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_write_charts_with_no_data_says_so(tmp_path: Path, fmt: str) -> None:
    path = write_charts(summarise(empty_input()), tmp_path / f"empty.{fmt}", fmt)  # type: ignore[arg-type]
    if fmt == "png":
        assert path.read_bytes().startswith(PNG_MAGIC)
    else:
        assert "No data yet" in svg_text(path)


def test_write_charts_refuses_other_formats(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="png, svg"):
        write_charts(summarise(empty_input()), tmp_path / "x.pdf", "pdf")  # type: ignore[arg-type]
    assert not (tmp_path / "x.pdf").exists()


def test_write_charts_works_when_home_cannot_be_written(tmp_path: Path) -> None:
    """With no MPLCONFIGDIR and a home folder that cannot exist, the cache goes to a temp folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "XDG_CACHE_HOME")}
    env["HOME"] = "/dev/null/home"  # not a directory, even for root
    env["TMPDIR"] = str(tmp_path)
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "from helpers.progress_records import empty_input\n"
        "from deskstretch.coach.progress import summarise\n"
        "from deskstretch.cli.charts import write_charts\n"
        "write_charts(summarise(empty_input()), Path(sys.argv[1]), 'png')\n"
        "print(os.environ['MPLCONFIGDIR'])\n"
    )
    out = tmp_path / "chart.png"
    done = subprocess.run(
        [sys.executable, "-c", script, str(out), str(Path(__file__).parents[1])],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(PNG_MAGIC)
    assert Path(done.stdout.strip()).parent == tmp_path
    assert "not a writable directory" not in done.stderr
