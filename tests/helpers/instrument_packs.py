"""Instrument packs for tests, with invented placeholder wording (never a real questionnaire's)."""

from __future__ import annotations

from pathlib import Path

from deskstretch.core.outcomes import ODI_SECTIONS


def rmdq_pack_text(notice: str = "Made-up notice for tests.") -> str:
    """An RMDQ-shaped pack: 24 invented statements to tick."""
    head = f'instrument = "rmdq"\nversion = "test-1"\nnotice = "{notice}"\n'
    return head + "".join(
        f'\n[[items]]\nid = "rmdq{n:02d}"\ntext = "Invented statement number {n}."\n'
        for n in range(1, 25)
    )


def odi_pack_text(notice: str = "Made-up ODI notice for tests.") -> str:
    """An ODI-shaped pack: 10 invented sections with six invented answers each (0-5)."""
    options = ", ".join(f'{{ value = {v}, text = "Invented answer {v}" }}' for v in range(6))
    head = (
        f'instrument = "odi"\nversion = "test-2"\nnotice = "{notice}"\n'
        f'instructions = "Invented instructions."\noptions = [{options}]\n'
    )
    return head + "".join(
        f'\n[[items]]\nid = "{section}"\ntext = "Invented section {n}."\n'
        for n, section in enumerate(ODI_SECTIONS, start=1)
    )


def keep_pack(config_dir: Path, name: str, text: str) -> Path:
    """Save ``text`` as the person's kept pack ``<config>/instruments/<name>.toml``."""
    folder = config_dir / "instruments"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path
