"""Coach: the one application object every front end (CLI now, web and reminders later) calls."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from deskstretch.catalogue.loader import (
    Catalogue,
    LoadedRoutine,
    RoutineSet,
    load_catalogue,
    load_routine_file,
    load_routines,
)
from deskstretch.config import (
    Preferences,
    Settings,
    load_preferences,
    load_screening,
    save_screening,
)
from deskstretch.core.errors import DeskstretchError, SafetyStop
from deskstretch.core.models import Exercise, Position, Routine
from deskstretch.core.safety import (
    Change,
    SafetyStatus,
    SafetyVerdict,
    Screening,
    adapt_routine,
    assess,
)
from deskstretch.core.timeline import Timeline, build_timeline


@dataclass(frozen=True)
class Plan:
    """A routine ready to play: adapted to the person's screening, with what changed and why."""

    routine: Routine
    timeline: Timeline
    changes: tuple[Change, ...]
    warnings: tuple[str, ...]


class Coach:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    # ----- content -------------------------------------------------------------------------------

    @cached_property
    def catalogue(self) -> Catalogue:
        return load_catalogue()

    @cached_property
    def routine_set(self) -> RoutineSet:
        return load_routines(self.catalogue, [self.settings.routines_dir])

    @cached_property
    def preferences(self) -> Preferences:
        return load_preferences(self.settings)

    def find_exercise(self, name: str) -> Exercise:
        return self.catalogue.find(name)

    def exercises(
        self,
        position: Position | None = None,
        target: str | None = None,
        equipment: str | None = None,
    ) -> list[Exercise]:
        return self.catalogue.filter(position, target, equipment)

    def routines(self) -> list[Routine]:
        return sorted(
            self.routine_set.routines.values(), key=lambda r: (r.origin != "built-in", r.id)
        )

    def load_routine_file(self, path: Path) -> LoadedRoutine:
        return load_routine_file(path, self.catalogue)

    def resolve_routine(self, name: str | None, file: Path | None) -> LoadedRoutine:
        if file is not None:
            return self.load_routine_file(file)
        chosen = name or self.preferences.default_routine
        return LoadedRoutine(self.routine_set.find(chosen), ())

    # ----- safety --------------------------------------------------------------------------------

    def screening(self) -> Screening | None:
        return load_screening(self.settings)

    def verdict(self) -> SafetyVerdict:
        try:
            return assess(self.screening())
        except DeskstretchError:
            # A damaged answers file is treated as "not answered": routines stay locked until the
            # person answers again, and the old file is replaced only by a complete new one.
            return assess(None)

    def save_screening(self, screening: Screening) -> SafetyVerdict:
        save_screening(self.settings, screening)
        return assess(screening)

    def active_tags(self) -> frozenset[str]:
        try:
            screening = self.screening()
        except DeskstretchError:
            # Damaged answers count as "not answered", as in verdict(): routines stay locked, and
            # browsing (list, show, routine validate) keeps working.
            return frozenset()
        return screening.active_tags if screening else frozenset()

    def plan(self, loaded: LoadedRoutine) -> Plan:
        """Adapt a routine to the person's screening; raise SafetyStop when routines are locked."""
        verdict = self.verdict()
        if not verdict.routines_allowed:
            raise SafetyStop(verdict.advice)
        adaptation = adapt_routine(loaded.routine, self.catalogue.exercises, self.active_tags())
        if not adaptation.routine.steps:
            raise SafetyStop(
                f"Every exercise in '{loaded.routine.name}' is unsuitable for the conditions you "
                "told us about. Try another routine (`deskstretch routine list`)."
            )
        return Plan(
            routine=adaptation.routine,
            timeline=build_timeline(adaptation.routine),
            changes=adaptation.changes,
            warnings=loaded.warnings,
        )

    def plan_changes_preview(self, loaded: LoadedRoutine) -> tuple[Change, ...]:
        """What the safety screen would change in a routine, without requiring screening."""
        return adapt_routine(loaded.routine, self.catalogue.exercises, self.active_tags()).changes

    def needs_screening(self) -> bool:
        return self.verdict().status in (SafetyStatus.NOT_SCREENED, SafetyStatus.OUTDATED)
