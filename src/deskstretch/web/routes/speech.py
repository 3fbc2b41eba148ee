"""Spoken cues for the browser: WAV files made by espeak-ng on this computer, cached on disk.

Browsers may have no offline speech voice (Chromium on Linux has none without a system speech
service), so where espeak-ng is installed the server speaks: ``POST /api/speech`` with
``{"text": ...}`` and the CSRF token, like every POST (rendering is real work, so no other page
may start it), answers audio/wav, or 503 when espeak-ng is missing. Without espeak-ng the player
speaks through the browser's Web Speech API with a local voice only (player/media.js), or shows
its captions alone.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse, Response

from deskstretch.config import Settings
from deskstretch.system.espeak import find_speaker
from deskstretch.web.api_schemas import SpeechRequest
from deskstretch.web.deps import CoachDep

router = APIRouter()

CACHE_FOLDER = ("cache", "speech")
# Enough for every cue of every routine many times over; the oldest files go first.
CACHE_MAX_FILES = 600
RENDER_TIMEOUT_SECONDS = 20
NOT_INSTALLED = "espeak-ng is not installed"


class SpeechError(Exception):
    """espeak-ng failed or wrote something that is not a WAV file."""


def is_plain_text(text: str) -> bool:
    """Printable characters only (no control characters, no line breaks)."""
    return all(char.isprintable() for char in text)


def cache_dir(settings: Settings) -> Path:
    return settings.data_dir.joinpath(*CACHE_FOLDER)


def cache_key(text: str, voice_name: str, words_per_minute: int, program: str) -> str:
    identity = "\0".join((Path(program).name, voice_name, str(words_per_minute), text))
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def render_wav(
    program: str, text: str, voice_name: str, words_per_minute: int, folder: Path
) -> Path:
    """The WAV file speaking ``text``: from the cache, else rendered now (atomically)."""
    path = folder / f"{cache_key(text, voice_name, words_per_minute, program)}.wav"
    if path.is_file():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".render-", suffix=".wav", dir=folder)
    os.close(handle)
    temp = Path(temp_name)
    # -w writes a complete WAV (with its real length; --stdout leaves a placeholder length).
    command = [program, "-v", voice_name, "-s", str(words_per_minute), "-w", temp_name]
    try:
        subprocess.run(
            [*command, "--", text],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=RENDER_TIMEOUT_SECONDS,
            check=True,
        )
        with temp.open("rb") as audio:
            header = audio.read(12)
        if header[:4] != b"RIFF" or header[8:12] != b"WAVE":
            raise SpeechError("espeak-ng did not write a WAV file")
        os.replace(temp, path)
    except (OSError, subprocess.SubprocessError) as error:
        raise SpeechError(f"espeak-ng failed: {error}") from None
    finally:
        temp.unlink(missing_ok=True)
    prune(folder, CACHE_MAX_FILES)
    return path


def prune(folder: Path, keep: int) -> None:
    """Delete the least recently written WAV files beyond ``keep``. Another request may prune
    alongside: a file gone between listing and reading its time is simply passed over."""
    written: list[tuple[float, Path]] = []
    for wav in folder.glob("*.wav"):
        try:
            written.append((wav.stat().st_mtime, wav))
        except FileNotFoundError:
            continue
    written.sort(reverse=True)
    for _, old in written[keep:]:
        old.unlink(missing_ok=True)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message, "detail": message}, status_code=status)


@router.post("/api/speech", response_class=FileResponse, responses={503: {}, 400: {}})
def speech(coach: CoachDep, body: SpeechRequest) -> Response:
    """One cue spoken as audio/wav, in the voice and speed from the preferences."""
    text = body.text
    if not is_plain_text(text):
        return _error(400, "text: only plain, printable characters can be spoken")
    program = find_speaker()
    if program is None:
        return _error(503, NOT_INSTALLED)
    prefs = coach.preferences
    try:
        path = render_wav(
            program, text, prefs.voice_name, prefs.voice_words_per_minute, cache_dir(coach.settings)
        )
    except SpeechError as error:
        return _error(503, str(error))
    return FileResponse(path, media_type="audio/wav")
