"""Settings, preferences and the stored safety answers: the only reader of env and config files.

Folders come from platformdirs (overridable with DESKSTRETCH_CONFIG_DIR / DESKSTRETCH_DATA_DIR);
the database is a SQLite file in the data folder unless DESKSTRETCH_DATABASE_URL names another.
Every write is atomic (temp file, fsync, rename), so a crash mid-write never leaves half a file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deskstretch.core.errors import FileFormatError, WriteFailed

if TYPE_CHECKING:
    from deskstretch.core.safety import Screening

APP_NAME = "deskstretch"
CONFIG_FILE = "config.toml"
SCREENING_FILE = "screening.toml"
SCREENING_NOT_SAVED_FILE = "screening-not-saved.txt"
STATE_FILE = "state.toml"
DATABASE_FILE = "deskstretch.sqlite3"
ROUTINES_FOLDER = "routines"
PROGRAMMES_FOLDER = "programmes"
INSTRUMENTS_FOLDER = "instruments"


@dataclass(frozen=True)
class Settings:
    config_dir: Path
    data_dir: Path
    database_url: str = ""
    """SQLAlchemy URL of the store; empty means ``sqlite:///<data_dir>/deskstretch.sqlite3``."""

    def __post_init__(self) -> None:
        if not self.database_url:
            # Frozen dataclass: fill the derived default once, so readers always get a real URL.
            object.__setattr__(self, "database_url", f"sqlite:///{self.database_file}")

    @property
    def database_file(self) -> Path:
        """Where the default SQLite database lives (unused when database_url names another)."""
        return self.data_dir / DATABASE_FILE

    @property
    def state_file(self) -> Path:
        return self.config_dir / STATE_FILE

    @property
    def config_file(self) -> Path:
        return self.config_dir / CONFIG_FILE

    @property
    def screening_file(self) -> Path:
        return self.config_dir / SCREENING_FILE

    @property
    def screening_not_saved_file(self) -> Path:
        """The note left when answers could not be saved and the older ones not removed."""
        return self.data_dir / SCREENING_NOT_SAVED_FILE

    @property
    def routines_dir(self) -> Path:
        return self.config_dir / ROUTINES_FOLDER

    @property
    def programmes_dir(self) -> Path:
        """The person's own programme files, beside their routines folder."""
        return self.config_dir / PROGRAMMES_FOLDER

    @property
    def instruments_dir(self) -> Path:
        """The questionnaire wording the person supplied: one instrument pack per questionnaire,
        named after it (``odi.toml``, ``rmdq.toml``, ``startback.toml``; docs/measurements.md)."""
        return self.config_dir / INSTRUMENTS_FOLDER

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        config_dir = env.get("DESKSTRETCH_CONFIG_DIR")
        data_dir = env.get("DESKSTRETCH_DATA_DIR")
        if not config_dir or not data_dir:
            import platformdirs

            config_dir = config_dir or platformdirs.user_config_dir(APP_NAME, appauthor=False)
            data_dir = data_dir or platformdirs.user_data_dir(APP_NAME, appauthor=False)
        return cls(
            config_dir=Path(config_dir),
            data_dir=Path(data_dir),
            database_url=env.get("DESKSTRETCH_DATABASE_URL", "").strip(),
        )


@dataclass(frozen=True)
class Preferences:
    default_routine: str = "hamstring-2min"
    bell: bool = True
    # On for new people (issue #12): the browser speaks with its offline voice when
    # espeak-ng is missing; a config.toml that says `voice = false` keeps it off.
    voice: bool = True
    voice_name: str = "en-us"
    voice_words_per_minute: int = 150


def load_preferences(settings: Settings) -> Preferences:
    """Read config.toml; a missing file means defaults, a broken one is a clear error."""
    path = settings.config_file
    if not path.exists():
        return Preferences()
    from pydantic import BaseModel, ConfigDict, Field

    from deskstretch.catalogue.toml_errors import read_toml, validate

    class PreferencesFile(BaseModel):
        model_config = ConfigDict(extra="forbid")
        default_routine: str = Field(default="hamstring-2min", min_length=1)
        bell: bool = True
        voice: bool = True
        voice_name: str = Field(default="en-us", pattern=r"^[A-Za-z0-9_+\-]+$")
        voice_words_per_minute: int = Field(default=150, ge=80, le=450)

    data, text = read_toml(path)
    model = validate(PreferencesFile, data, path, text)
    return Preferences(**model.model_dump())


def save_preferences(settings: Settings, preferences: Preferences) -> None:
    """Write every preference to config.toml atomically (the whole file: it holds nothing else)."""
    import dataclasses

    import tomli_w

    header = (
        "# deskstretch settings. Edit here, or in the browser app's Settings page.\n"
        "# default_routine: a routine id (`deskstretch routine list`).\n"
    )
    write_atomic(settings.config_file, header + tomli_w.dumps(dataclasses.asdict(preferences)))


def write_atomic(path: Path, content: str | bytes) -> None:
    """Replace ``path`` with ``content`` so that readers see the old or the new file, never half.

    Text is written as UTF-8 exactly as given (no newline translation: an ICS file keeps its
    CRLF on Windows too); bytes as they are. The file is created 0600 (mkstemp's mode, whatever
    the umask) and a missing folder 0700. A failure (full disk, read-only or missing folder, a
    folder in the way) raises WriteFailed naming the file and the reason; the old file is kept.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        _replace_file(path, data)
    except OSError as error:
        if isinstance(error, WriteFailed):
            raise
        raise WriteFailed(str(path), error.strerror or str(error)) from None


def _replace_file(path: Path, data: bytes) -> None:
    from deskstretch.system.filemodes import make_private_dirs

    make_private_dirs(path.parent)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


@dataclass(frozen=True)
class State:
    """Small facts deskstretch keeps between runs (not preferences, not health records)."""

    cauda_equina_rechecked_at: datetime | None = None
    lessons_read: tuple[str, ...] = ()
    """Ids of the short lessons the person has read, in the order first read."""
    first_run_completed_at: datetime | None = None
    """When the first run ended in a plan (Today then stops offering it)."""
    first_run_dismissed_at: datetime | None = None
    """When the person said "not now" to the first run on Today."""


def load_state(settings: Settings) -> State:
    """Read state.toml; a missing or damaged file means a fresh state (it holds nothing vital)."""
    path = settings.state_file
    from deskstretch.catalogue.toml_lines import read_toml

    try:
        data, _text = read_toml(path)  # a pipe or a device in its place is refused, not read
    except FileFormatError:
        return State()
    value = data.get("cauda_equina_rechecked_at")
    completed = data.get("first_run_completed_at")
    dismissed = data.get("first_run_dismissed_at")
    # A file from before lessons (or a damaged list) means none read: nothing vital is lost.
    read = data.get("lessons_read")
    read_ids = read if isinstance(read, list) else []
    return State(
        cauda_equina_rechecked_at=value if isinstance(value, datetime) else None,
        lessons_read=tuple(dict.fromkeys(i for i in read_ids if isinstance(i, str))),
        first_run_completed_at=completed if isinstance(completed, datetime) else None,
        first_run_dismissed_at=dismissed if isinstance(dismissed, datetime) else None,
    )


def save_state(settings: Settings, state: State) -> None:
    import tomli_w

    document: dict[str, Any] = {}
    if state.cauda_equina_rechecked_at is not None:
        document["cauda_equina_rechecked_at"] = state.cauda_equina_rechecked_at
    if state.lessons_read:
        document["lessons_read"] = list(state.lessons_read)
    if state.first_run_completed_at is not None:
        document["first_run_completed_at"] = state.first_run_completed_at
    if state.first_run_dismissed_at is not None:
        document["first_run_dismissed_at"] = state.first_run_dismissed_at
    write_atomic(settings.state_file, tomli_w.dumps(document))


def load_screening(settings: Settings) -> Screening | None:
    """The stored safety answers, or None if the person has not answered yet.

    A damaged file raises FileFormatError (the caller keeps routines locked and asks again).
    """
    path = settings.screening_file
    if not path.exists() or screening_not_saved(path, settings.screening_not_saved_file):
        return None
    from deskstretch.catalogue.toml_errors import read_toml

    data, _text = read_toml(path)
    return screening_from_mapping(data, str(path))


def screening_from_mapping(data: Mapping[str, Any], where: str) -> Screening:
    from deskstretch.core.safety import Screening

    def answers(name: str) -> dict[str, bool]:
        table = data.get(name, {})
        if not isinstance(table, dict) or not all(isinstance(v, bool) for v in table.values()):
            raise FileFormatError(where, None, name, "expected a table of true/false answers")
        return {str(k): bool(v) for k, v in table.items()}

    cleared = data.get("red_flags_cleared", [])
    if not isinstance(cleared, list) or not all(isinstance(c, str) for c in cleared):
        raise FileFormatError(where, None, "red_flags_cleared", "expected a list of question ids")
    version = data.get("version", 0)
    if not isinstance(version, int):
        raise FileFormatError(where, None, "version", "expected a whole number")
    clearance = data.get("clearance_confirmed", False)
    if not isinstance(clearance, bool):
        raise FileFormatError(where, None, "clearance_confirmed", "expected true or false")
    return Screening(
        red_flags=answers("red_flags"),
        red_flags_cleared=frozenset(cleared),
        conditions=answers("conditions"),
        clearance_confirmed=clearance,
        completed_at=str(data.get("completed_at", "")),
        version=version,
    )


def save_screening(settings: Settings, screening: Screening) -> None:
    import tomli_w

    from deskstretch.core.safety import SCREENING_VERSION

    document = {
        "version": screening.version or SCREENING_VERSION,
        "completed_at": screening.completed_at,
        "clearance_confirmed": screening.clearance_confirmed,
        "red_flags_cleared": sorted(screening.red_flags_cleared),
        "red_flags": dict(sorted(screening.red_flags.items())),
        "conditions": dict(sorted(screening.conditions.items())),
    }
    header = (
        "# Your deskstretch safety answers. Change them with `deskstretch check`.\n"
        "# Stored only on this computer.\n"
    )
    write_atomic(settings.screening_file, header + tomli_w.dumps(document))


# ----- answers that could not be saved ----------------------------------------------------------
# When new answers cannot be saved and the older file cannot be removed either (a read-only
# config folder), a note in the data folder names the older file by its SHA-256: while the file
# still holds exactly those bytes, every reader treats it as "not answered" (routines and
# reminders locked). Answers saved later differ, so they count even if the note could not be
# removed; a note that cannot be read keeps everything locked. Standard library only: the
# reminder service reads it too.

_NOT_SAVED_KEY = "stale_sha256"
_MAX_SCREENING_BYTES = 1_000_000


def _file_sha256(path: Path) -> str | None:
    """The SHA-256 of a small regular file, or None if it is missing, odd or unreadable."""
    import hashlib
    import stat

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_SCREENING_BYTES:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def mark_screening_not_saved(settings: Settings) -> None:
    """Leave the note that the answers in screening.toml are older than the person's last ones.

    Raises WriteFailed if the data folder cannot be written either.
    """
    digest = _file_sha256(settings.screening_file) or "unreadable"
    write_atomic(
        settings.screening_not_saved_file,
        "# deskstretch: your last safety answers could not be saved, and the older ones in\n"
        f"# {settings.screening_file} could not be removed. They no longer count: routines and\n"
        "# reminders stay locked until you answer again (`deskstretch check`).\n"
        f'{_NOT_SAVED_KEY} = "{digest}"\n',
    )


def screening_not_saved(screening_file: Path, note: Path) -> bool:
    """Whether ``screening_file`` holds answers that a later, unsaved answer replaced."""
    try:
        if not note.is_file():
            return note.exists() or note.is_symlink()  # something odd in its place: locked
        text = note.read_text(encoding="utf-8", errors="replace")[:4096]
    except OSError:
        return True
    digest = ""
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == _NOT_SAVED_KEY:
            digest = value.strip().strip('"')
    if len(digest) != 64:
        return True  # damaged: fail closed
    current = _file_sha256(screening_file)
    return current is None or current == digest


def clear_screening_not_saved(settings: Settings) -> None:
    """Remove the note after a successful save (best effort: the saved answers differ anyway)."""
    import contextlib

    with contextlib.suppress(OSError):
        settings.screening_not_saved_file.unlink(missing_ok=True)
