"""The spoken-cue cache keeps the newest WAV files and survives another request pruning at the
same time (a file listed but gone before its time is read)."""

from __future__ import annotations

import os
from pathlib import Path

from deskstretch.web.routes.speech import prune


def _wav(folder: Path, name: str, mtime: float) -> Path:
    path = folder / name
    path.write_bytes(b"RIFF")
    os.utime(path, (mtime, mtime))
    return path


def test_prune_keeps_the_newest_files(tmp_path: Path) -> None:
    old = _wav(tmp_path, "old.wav", 1_000)
    middle = _wav(tmp_path, "middle.wav", 2_000)
    new = _wav(tmp_path, "new.wav", 3_000)
    prune(tmp_path, 2)
    assert not old.exists()
    assert middle.exists() and new.exists()


def test_prune_passes_over_a_file_gone_meanwhile(tmp_path: Path) -> None:
    """A dangling link is listed by glob but cannot be stat()ed: as a file deleted by a prune
    running alongside, between listing and reading its time."""
    (tmp_path / "gone.wav").symlink_to(tmp_path / "nowhere.wav")
    old = _wav(tmp_path, "old.wav", 1_000)
    new = _wav(tmp_path, "new.wav", 3_000)
    prune(tmp_path, 1)
    assert new.exists()
    assert not old.exists()
