"""The person's own routine files: where a routine is saved, and which ids and files are taken.

Built-in routines are never overwritten or deleted; a user routine lives in ``<id>.toml``.
No writing here: the Coach writes (atomically) and removes the files.
"""

from __future__ import annotations

from pathlib import Path

from deskstretch.catalogue.loader import RoutineSet
from deskstretch.core.errors import DeskstretchError, NotFoundError


class RoutineIdTaken(DeskstretchError):
    """The id is a built-in routine's, another of the person's routines' or another file's."""

    def __init__(self, routine_id: str, message: str, *, built_in: bool) -> None:
        super().__init__(message)
        self.routine_id = routine_id
        self.built_in = built_in


def save_target(
    routines: RoutineSet, folder: Path, routine_id: str, replacing: str | None = None
) -> tuple[Path, Path | None]:
    """The file a routine with ``routine_id`` goes to, and the file it replaces (if any).

    ``replacing`` is the id of the person's routine being edited or replaced: its id may be
    kept, and its old file is returned so that the caller can remove it after a rename.
    """
    old = own_routine_file(routines, replacing) if replacing else None
    path = folder / f"{routine_id}.toml"
    taken = routines.routines.get(routine_id)
    if taken is not None and taken.origin == "built-in":
        raise RoutineIdTaken(
            routine_id,
            f"'{routine_id}' is the id of a built-in routine, '{taken.name}'; built-in routines"
            " are never replaced, so choose another id",
            built_in=True,
        )
    if taken is not None and routine_id != replacing:
        raise RoutineIdTaken(
            routine_id,
            f"'{routine_id}' is already the id of your routine '{taken.name}'; choose another id",
            built_in=False,
        )
    if path.exists() and path != old:
        raise RoutineIdTaken(
            routine_id,
            f"your routines folder already has a file called {path.name} (one deskstretch could"
            " not load; see the Routines page); choose another id",
            built_in=False,
        )
    return path, old


def own_routine_file(routines: RoutineSet, routine_id: str) -> Path:
    """The file of the person's routine ``routine_id``; built-in routines have none to change."""
    routine = routines.routines.get(routine_id)
    if routine is None:
        raise NotFoundError("routine", routine_id)
    if routine.origin == "built-in":
        raise DeskstretchError(
            f"'{routine.name}' is a built-in routine: it cannot be changed or deleted, but you"
            " can copy it and change the copy."
        )
    return Path(routine.origin)
