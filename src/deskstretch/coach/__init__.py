"""Coach: the one application object every front end (the CLI, the web app) calls.

Front ends reach the store only through it. Over 400 lines because it is that one way in: each
method is a short entry point, and the work lives in the modules beside it (sessions, check-ins,
measurements, questionnaires, progress, pain, answers) and in ``core``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deskstretch.coach.pain import pain_window_start, windowed_pain_plan
from deskstretch.config import (
    Preferences,
    Settings,
    clear_screening_not_saved,
    load_preferences,
    load_screening,
    load_state,
    save_screening,
    save_state,
    screening_not_saved,
)
from deskstretch.core.errors import (
    AnswersNotSaved,
    DeskstretchError,
    ProgrammePaused,
    QuestionsDue,
    SafetyStop,
    WriteFailed,
)
from deskstretch.core.painrules import DailyPain, PainPlan, daily_pain, easier_routine, reduce_dose
from deskstretch.core.records import (
    CheckIn,
    CheckInContext,
    Enrolment,
    Instrument,
    ProgrammeEvent,
    ProgrammeEventKind,
    SessionRecord,
)
from deskstretch.store.db_errors import StoreError  # front ends catch it without the store

if TYPE_CHECKING:
    # Routines, the safety screen and the catalogue (which brings pydantic) are imported by the
    # methods that use them, so history commands such as `deskstretch progress` load faster.
    from collections.abc import Mapping

    from deskstretch.catalogue.lessons import Lesson
    from deskstretch.catalogue.loader import Catalogue, LoadedRoutine, RoutineSet
    from deskstretch.catalogue.programmes import LoadedProgramme, ProgrammeSet
    from deskstretch.coach.assessments import Assessments
    from deskstretch.coach.breaks import BreakReminders
    from deskstretch.coach.camera import CameraCoaching
    from deskstretch.coach.checkins import CheckInResult
    from deskstretch.coach.measurements import MeasurementResult, PsfsRating
    from deskstretch.coach.plans import ProgrammeToday
    from deskstretch.coach.progress import ProgressSummary, SummaryParts
    from deskstretch.coach.questionnaires import Answer, InstrumentPack, QuestionnaireOutcome
    from deskstretch.coach.sessions import SessionRecorder
    from deskstretch.core.milestones import Milestone, ProgrammeWeek, WeeklyRecap
    from deskstretch.core.models import Exercise, Position, Routine
    from deskstretch.core.programme import Programme
    from deskstretch.core.programme_review import Review
    from deskstretch.core.records import (
        MeasurementKind,
        PsfsActivity,
        QuestionnaireResult,
        StepRecord,
    )
    from deskstretch.core.remeasure import RemeasureCheck
    from deskstretch.core.safety import Adaptation, Change, SafetyVerdict, Screening
    from deskstretch.core.timeline import Timeline
    from deskstretch.store import Store
    from deskstretch.store.repository import History, ImportSummary, Versions


__all__ = ["Coach", "Plan", "Preview", "StoreError"]


@dataclass(frozen=True)
class Plan:
    """A routine ready to play: adapted to the person's screening and recent pain, with what
    changed and why."""

    routine: Routine
    timeline: Timeline
    changes: tuple[Change, ...]
    warnings: tuple[str, ...]
    pain_notes: tuple[str, ...] = ()

    @property
    def notes(self) -> tuple[str, ...]:
        """Every adjustment, as sentences for the person."""
        return tuple(change.reason for change in self.changes) + self.pain_notes


@dataclass(frozen=True)
class Preview:
    """A routine as it would play, and why it would not play now ('' when it would)."""

    plan: Plan
    locked: str = ""


class Coach:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._summary_cache: tuple[tuple[object, ...], ProgressSummary] | None = None
        self._summary_parts: SummaryParts | None = None
        self._pain_cache: tuple[tuple[object, ...], PainPlan] | None = None
        self._history: tuple[Versions, History] | None = None
        self._history_version: tuple[int, int] | None = None
        """Store.data_version() when _history was read (None: unknown, read again)."""
        self._daily: tuple[Sequence[CheckIn], tzinfo, tuple[DailyPain, ...]] | None = None
        """The check-ins' daily readings, kept while read_history keeps the same check-ins."""
        self._routine_cache: tuple[tuple[tuple[str, int, int, int], ...], RoutineSet] | None = None
        self._programme_cache: (
            tuple[RoutineSet, tuple[tuple[str, int, int, int], ...], ProgrammeSet] | None
        ) = None
        self._unsaved: AnswersNotSaved | None = None
        """Safety answers that could not be saved: they lock routines in this process."""
        self._answers_cache: tuple[object, Screening | None, SafetyVerdict] | None = None
        """The answers and their verdict, kept while the answers file and the note are unchanged
        (Today asks for them several times a request; each read parses the TOML file)."""
        self._followed_cache: tuple[tuple[object, ...], ProgrammeToday | None] | None = None
        """programme_today(), kept until what it reads changes (see there)."""
        self._recap_cache: (
            tuple[ProgressSummary, ProgrammeToday | None, tuple[tuple[Milestone, ...], WeeklyRecap]]
            | None
        ) = None
        """milestones_and_recap(), kept while the summary and the standing are the same."""
        self._milestones_cache: (
            tuple[object, tzinfo, tuple[ProgrammeWeek, ...], list[date], tuple[Milestone, ...]]
            | None
        ) = None
        """The milestones and finished days, kept while the sessions are the same records."""
        from deskstretch.system.filemodes import secure_tree

        # Health data is the person's alone: fix folders and files an older version (or a
        # permissive umask) left readable by other accounts.
        secure_tree((settings.config_dir, settings.data_dir))

    # ----- content -------------------------------------------------------------------------------

    @cached_property
    def catalogue(self) -> Catalogue:
        from deskstretch.catalogue.loader import load_catalogue

        return load_catalogue()

    @property
    def routine_set(self) -> RoutineSet:
        """Built-in routines plus the person's files, loaded again whenever the routines folder
        changes: a file added, edited or removed by hand shows up without a restart."""
        signature = _folder_signature(self.settings.routines_dir)
        cached = self._routine_cache
        if cached is None or cached[0] != signature:
            from deskstretch.catalogue.loader import load_routines

            cached = (signature, load_routines(self.catalogue, [self.settings.routines_dir]))
            self._routine_cache = cached
        return cached[1]

    @cached_property
    def reminders(self) -> BreakReminders:
        """The break reminders: settings, the next break, pause, the service (coach/breaks.py)."""
        from deskstretch.coach.breaks import BreakReminders

        return BreakReminders(self.settings)

    @cached_property
    def camera(self) -> CameraCoaching:
        """Live camera coaching: form targets, frames -> cues, saving on request (camera.py)."""
        from deskstretch.coach.camera import CameraCoaching

        return CameraCoaching(self)

    @cached_property
    def assessments(self) -> Assessments:
        """Photo and camera assessments: measure, store, compare, keep photos (assessments.py)."""
        from deskstretch.coach.assessments import Assessments

        return Assessments(self)

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
        from deskstretch.catalogue.loader import load_routine_file

        return load_routine_file(path, self.catalogue)

    def resolve_routine(self, name: str | None, file: Path | None) -> LoadedRoutine:
        if file is not None:
            return self.load_routine_file(file)
        from deskstretch.catalogue.loader import LoadedRoutine

        chosen = name or self.programme_routine_id() or self.preferences.default_routine
        return LoadedRoutine(self.routine_set.find(chosen), ())

    def programme_review(self, now: datetime | None = None) -> Review | None:
        """Once the programme's last week has begun: the first week against the last (pain,
        flexibility, activities) by the honest change rules, and the next step; else None."""
        from deskstretch.core.programme_review import review_programme

        today = self.programme_today(now)
        if today is None or today.standing.week < today.standing.weeks:
            return None
        history = self._history[1] if self._history is not None else None
        if history is None:
            return None
        standing = today.standing
        return review_programme(
            started=today.enrolment.started_on,
            weeks=standing.weeks,
            today=standing.today,
            tz=self.local_tz(),
            checkins=history.checkins,
            measurements=history.measurements,
            results=history.results,
            level_reached=standing.level.number,
            level_count=standing.level_count,
        )

    def milestones_and_recap(
        self, followed: ProgrammeToday | None, now: datetime | None = None
    ) -> tuple[tuple[Milestone, ...], WeeklyRecap]:
        """The milestones reached (finished sessions only, never pain) and this calendar week's
        recap. ``followed`` is ``programme_today()`` as the caller has it (None: no programme);
        the history and this week's minutes come from the progress summary, not another read."""
        from deskstretch.core.milestones import (
            completed_days,
            milestones,
            programme_weeks,
            weekly_recap,
        )

        summary = self.progress_summary(now)
        kept = self._recap_cache
        if kept is not None and kept[0] is summary and kept[1] is followed:
            return kept[2]  # the same summary and standing: nothing was written since
        _, _, tz = self._cache_key(now or datetime.now(UTC))
        history = self._history[1] if self._history is not None else None
        sessions = history.sessions if history is not None else ()
        daily = self._daily_readings(history.checkins, tz) if history is not None else ()
        weeks: tuple[ProgrammeWeek, ...] = ()
        planned = next_planned = None
        level = ""
        if followed is not None:
            standing, programme = followed.standing, followed.programme
            per_level = {lv.number: lv.sessions_per_week for lv in programme.levels}

            def planned_on(day: date) -> int:
                at = [c.level for c in standing.levels if c.starts_on <= day]
                return per_level.get(at[-1] if at else 1, standing.sessions_planned)

            weeks = programme_weeks(
                followed.enrolment.started_on, min(standing.week, standing.weeks), planned_on
            )
            if not standing.is_finished:
                planned = next_planned = standing.sessions_planned
                level = f"level {standing.level.number}"
        held = self._milestones_cache
        if held is not None and held[0] is sessions and (held[1], held[2]) == (tz, weeks):
            days, found = held[3], held[4]  # no session written: a check-in changes neither
        else:
            days = completed_days(sessions, tz)  # once for both
            found = milestones(sessions, tz, weeks, days=days)
            self._milestones_cache = (sessions, tz, weeks, days, found)
        recap = weekly_recap(
            sessions,
            daily,
            summary.today,
            tz,
            planned=planned,
            next_planned=next_planned,
            next_level=level,
            minutes=summary.minutes[-1] if summary.minutes else None,
            days=days,
        )
        self._recap_cache = (summary, followed, (found, recap))
        return found, recap

    def programme_routine_id(self) -> str | None:
        """Today's session of the person's programme, when they follow one that is running (not
        finished, not paused, its file still there); None otherwise."""
        try:
            today = self.programme_today()
        except DeskstretchError:
            return None
        if today is None or today.standing.is_finished or today.standing.paused:
            return None
        return today.standing.routine_id

    # ----- short lessons (catalogue/lessons.toml) and which ones the person has read -------------

    def lessons(self) -> tuple[Lesson, ...]:
        """The short lessons, in their suggested reading order."""
        from deskstretch.catalogue.lessons import load_lessons

        return load_lessons()

    def find_lesson(self, lesson_id: str) -> Lesson:
        """The lesson called ``lesson_id``; NotFoundError names the nearest ids."""
        from deskstretch.catalogue.lessons import find_lesson

        return find_lesson(self.lessons(), lesson_id)

    def lessons_read(self) -> tuple[str, ...]:
        """Ids of the lessons the person has read, in the order first read."""
        return load_state(self.settings).lessons_read

    def mark_lesson_read(self, lesson_id: str) -> bool:
        """Remember that the lesson was read (stored in state.toml); False if it already was."""
        lesson = self.find_lesson(lesson_id)
        state = load_state(self.settings)
        if lesson.id in state.lessons_read:
            return False
        save_state(self.settings, replace(state, lessons_read=(*state.lessons_read, lesson.id)))
        return True

    # ----- the person's own routines (the web routine builder) -----------------------------------

    def reload_routines(self) -> None:
        """Forget the loaded routines, so every front end sees the routine files as they are now."""
        self._routine_cache = None

    def save_routine(self, routine: Routine, replacing: str | None = None) -> Path:
        """Write ``routine`` as ``<id>.toml`` in the routines folder (atomically), then reload.

        ``replacing`` is the id of the person's routine it replaces (edited, or replaced by an
        import); its old file is removed if the id changed. Raises RoutineIdTaken for the id of a
        built-in routine or of another routine or file, and never writes a file the loader would
        refuse.
        """
        from deskstretch.catalogue.loader import load_routine_text
        from deskstretch.catalogue.user_routines import save_target
        from deskstretch.catalogue.writer import routine_toml
        from deskstretch.config import write_atomic

        folder = self.settings.routines_dir
        path, old = save_target(self.routine_set, folder, routine.id, replacing)
        text = routine_toml(routine)
        load_routine_text(text, path, self.catalogue, origin=str(path))
        write_atomic(path, text)
        self.reload_routines()
        if old is not None and old != path:
            try:
                old.unlink(missing_ok=True)
            except OSError as error:
                reason = error.strerror or str(error)
                raise WriteFailed(
                    str(old), reason, f"Saved {path}, but could not remove {old}: {reason}."
                ) from None
        return path

    def delete_routine(self, routine_id: str) -> Path:
        """Remove the file of the person's routine ``routine_id`` (never a built-in) and reload."""
        from deskstretch.catalogue.user_routines import own_routine_file

        path = own_routine_file(self.routine_set, routine_id)
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            reason = error.strerror or str(error)
            raise WriteFailed(str(path), reason, f"Could not delete {path}: {reason}.") from None
        self.reload_routines()
        return path

    # ----- programmes (docs/programme-format.md) ------------------------------------------------

    @property
    def programme_set(self) -> ProgrammeSet:
        """Built-in programmes plus the person's files, loaded again when either the programmes
        folder or the routines they name change."""
        routines = self.routine_set
        folder = self.settings.programmes_dir
        signature = _folder_signature(folder)
        cached = self._programme_cache
        if cached is None or cached[0] is not routines or cached[1] != signature:
            from deskstretch.catalogue.programmes import load_programmes

            cached = (routines, signature, load_programmes(routines, [folder]))
            self._programme_cache = cached
        return cached[2]

    def programmes(self) -> list[Programme]:
        """Built-in programmes first, then the person's, each by id."""
        found = self.programme_set
        return sorted(found.programmes.values(), key=lambda p: (not found.is_built_in(p.id), p.id))

    def find_programme(self, programme_id: str) -> Programme:
        return self.programme_set.find(programme_id)

    def load_programme_file(self, path: Path) -> LoadedProgramme:
        from deskstretch.catalogue.programmes import load_programme_file

        return load_programme_file(path, self.routine_set)

    # ----- safety --------------------------------------------------------------------------------

    def screening(self) -> Screening | None:
        """The person's answers: the ones that could not be saved, if any, else the stored ones."""
        if self._unsaved is not None:
            return self._unsaved.screening
        return self._answers()[0]

    def verdict(self) -> SafetyVerdict:
        if self._unsaved is not None:
            return self._unsaved.verdict
        try:
            return self._answers()[1]
        except DeskstretchError:
            from deskstretch.core.safety import assess

            return assess(None)  # damaged answers: see _answers

    def _answers(self) -> tuple[Screening | None, SafetyVerdict]:
        """The stored answers and their verdict, read again only when the answers file or the
        not-saved note changes (another process may write either; the verdict reads no clock)."""
        from deskstretch.coach.answers import ANSWERS_NOT_SAVED_ADVICE
        from deskstretch.core.safety import SafetyStatus, SafetyVerdict, assess

        settings = self.settings
        stamp = (
            _file_stamp(settings.screening_file),
            _file_stamp(settings.screening_not_saved_file),
        )
        cached = self._answers_cache
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        if screening_not_saved(settings.screening_file, settings.screening_not_saved_file):
            verdict = SafetyVerdict(
                SafetyStatus.OUTDATED, None, (), ANSWERS_NOT_SAVED_ADVICE, False
            )
            self._answers_cache = (stamp, None, verdict)
            return None, verdict
        # A damaged answers file raises here, for screening() (nothing is kept); verdict() treats
        # it as "not answered": routines stay locked until the person answers again, and the old
        # file is replaced only by a complete new one.
        screening = load_screening(settings)
        verdict = assess(screening)
        self._answers_cache = (stamp, screening, verdict)
        return screening, verdict

    def save_screening(self, screening: Screening) -> SafetyVerdict:
        """Store the answers and judge them. If they cannot be stored, fail closed: raise
        AnswersNotSaved (with the locked verdict, so the advice for any red flag is still shown),
        keep routines locked in this process, and remove the older answers so that they cannot
        unlock routines in the next one."""
        from deskstretch.coach.answers import forget_older_answers, not_saved
        from deskstretch.core.safety import assess

        try:
            save_screening(self.settings, screening)
        except WriteFailed as failed:
            self._unsaved = not_saved(screening, failed, forget_older_answers(self.settings))
            raise self._unsaved from None
        self._unsaved = None
        clear_screening_not_saved(self.settings)
        verdict = assess(screening)
        self._note_safety_lock(verdict)
        # The whole questionnaire asks the cauda equina questions too: it answers a re-ask.
        self.note_questions_answered()
        return verdict

    def _note_safety_lock(self, verdict: SafetyVerdict) -> None:
        """Record that saved answers locked the routines, or let them play again after a lock, so
        that a programme's replay knows the days its pause lasted (core.programme.pause_periods)."""
        from deskstretch.coach.plans import is_safety_pause
        from deskstretch.coach.sessions import new_id
        from deskstretch.store import repository as repo

        kinds = (ProgrammeEventKind.SAFETY_LOCKED, ProgrammeEventKind.SAFETY_CLEARED)
        last = [e.kind for e in repo.list_programme_events(self.store) if e.kind in kinds]
        locked = last[-1:] == [ProgrammeEventKind.SAFETY_LOCKED]
        if is_safety_pause(verdict) != locked:
            kind = kinds[0] if not locked else kinds[1]
            repo.add_programme_event(self.store, ProgrammeEvent(new_id(), datetime.now(UTC), kind))

    def note_questions_answered(self) -> None:
        """Record that re-asked cauda equina questions were answered (saved answers only)."""
        from deskstretch.coach.sessions import new_id
        from deskstretch.core.painrules import are_questions_due
        from deskstretch.store import repository as repo

        if are_questions_due(repo.list_programme_events(self.store)):
            repo.add_programme_event(
                self.store,
                ProgrammeEvent(new_id(), datetime.now(UTC), ProgrammeEventKind.QUESTIONS_ANSWERED),
            )

    def questions_due(self) -> bool:
        """Whether re-asked cauda equina questions wait for answers (no routine plays till then)."""
        from deskstretch.core.painrules import are_questions_due
        from deskstretch.store import repository as repo

        return are_questions_due(repo.list_programme_events(self.store))

    def resume_programme(self, kind: ProgrammeEventKind, now: datetime | None = None) -> bool:
        """Lift the pause after two worse days, on the person's word: they have seen a
        clinician, or feel back to their usual. False, and nothing saved, when not paused."""
        from deskstretch.coach.sessions import new_id
        from deskstretch.store import repository as repo

        if not kind.is_resume:
            raise ValueError(f"{kind} does not lift a pause")
        if not self.pain_plan(now).paused:
            return False
        at = now or datetime.now(UTC)
        repo.add_programme_event(self.store, ProgrammeEvent(new_id(), at, kind))
        return True

    def active_tags(self) -> frozenset[str]:
        try:
            screening = self.screening()
        except DeskstretchError:
            # Damaged answers count as "not answered", as in verdict(): routines stay locked, and
            # browsing (list, show, routine validate) keeps working.
            return frozenset()
        return screening.active_tags if screening else frozenset()

    def plan(self, loaded: LoadedRoutine, use_history: bool = True) -> Plan:
        """Adapt a routine to the person's screening and pain history.

        Raises SafetyStop when routines are locked (red flag, missing clearance, no screening),
        QuestionsDue while re-asked cauda equina questions wait for answers, and ProgrammePaused
        while two worse days pause the programme. Red flags are checked first: they win.
        """
        from deskstretch.core.timeline import build_timeline

        verdict = self.verdict()
        if not verdict.routines_allowed:
            raise SafetyStop(verdict.advice)
        tags = self.active_tags()
        adaptation = self.adapt(loaded.routine, tags)
        if not adaptation.routine.steps:
            raise SafetyStop(
                f"Every exercise in '{loaded.routine.name}' is unsuitable for the conditions you "
                "told us about. Please choose another routine."
            )
        routine = adaptation.routine
        pain_notes: list[str] = []
        if use_history:
            pain = self.pain_plan()
            if pain.questions_due:
                raise QuestionsDue(pain.messages[0])
            if pain.paused:
                raise ProgrammePaused(
                    " ".join((*pain.messages, pain.clinician_advice or "")).strip()
                )
            if pain.easier_next:
                easier = easier_routine(routine, self.catalogue.exercises, tags)
                routine = easier.routine
                pain_notes += [change.text for change in easier.changes]
            if pain.volume_step:
                routine = replace(
                    routine,
                    steps=tuple(
                        replace(step, dose=reduce_dose(step.dose, pain.volume_step))
                        for step in routine.steps
                    ),
                )
            pain_notes += [m for m in pain.messages if m not in pain_notes]
        return Plan(
            routine=routine,
            timeline=build_timeline(routine),
            changes=adaptation.changes,
            warnings=loaded.warnings,
            pain_notes=tuple(pain_notes),
        )

    # ----- history -------------------------------------------------------------------------------

    @cached_property
    def store(self) -> Store:
        from deskstretch.store import open_store

        return open_store(self.settings.database_url)

    def local_tz(self) -> tzinfo:
        from deskstretch.system.timezone import local_tz

        return local_tz()

    def _cache_key(self, now: datetime | None) -> tuple[tuple[object, ...] | None, date, tzinfo]:
        """(key, local date, zone). The summary and the pain plan depend only on the stored
        rows, the local date and the zone, so they are kept until one of those changes
        (Store.data_version sees commits from every process). The key is None where the store
        cannot tell (PostgreSQL): then nothing is kept."""
        tz = self.local_tz()
        today = (now or datetime.now(UTC)).astimezone(tz).date()
        version = self.store.data_version()
        return (None if version is None else (version, today, tz)), today, tz

    def pain_plan(self, now: datetime | None = None) -> PainPlan:
        """The pain rules over the last 14 days, kept (like the summary) until the data changes."""
        from deskstretch.store import repository as repo

        key, today, tz = self._cache_key(now)
        if key is not None and self._pain_cache is not None and self._pain_cache[0] == key:
            return self._pain_cache[1]
        since = pain_window_start(today, tz)
        plan = windowed_pain_plan(
            # Every check-in: a pause holds until the person lifts it, however long ago it began.
            repo.list_checkins(self.store),
            repo.list_sessions(self.store, since=since),
            repo.list_programme_events(self.store),
            today,
            tz,
        )
        if key is not None:
            self._pain_cache = (key, plan)
        return plan

    def progress_summary(self, now: datetime | None = None) -> ProgressSummary:
        """Everything the dashboard, charts and report show, from the whole history."""
        from deskstretch.coach.progress import ProgressInput, SummaryParts, summarise

        moment = now or datetime.now(UTC)
        key, today, tz = self._cache_key(moment)
        cached = self._summary_cache
        if key is not None and cached is not None and cached[0] == key:
            # A session left open turns interrupted with time alone, without any write.
            open_until = cached[1].open_until
            if open_until is None or moment < open_until:
                return cached[1]
        # What was read last time is kept (about 1 MiB for a year): after a write, only the
        # kinds of record that changed are read again.
        history = self._read_history()
        events = history.programme_events
        daily = self._daily_readings(history.checkins, tz)
        if self._summary_parts is None:
            self._summary_parts = SummaryParts()
        summary = summarise(
            ProgressInput(
                sessions=history.sessions,
                checkins=history.checkins,
                measurements=history.measurements,
                results=history.results,
                psfs_activities=history.psfs_activities,
                today=today,
                tz=tz,
                now=moment,
                programme_events=events,
                daily=daily,
            ),
            self._summary_parts,
        )
        if key is not None:
            self._summary_cache = (key, summary)
            # The pain plan's records are a slice of these: work it out now rather than read
            # them again (Today shows both after every check-in).
            self._pain_cache = (
                key,
                windowed_pain_plan(
                    history.checkins, history.sessions, events, today, tz, all_daily=daily
                ),
            )
        return summary

    def _read_history(self) -> History:
        """The whole history, read again (only the kinds of record that changed) unless nothing
        was written since the last read: Today reads it for the summary and the programme."""
        from deskstretch.store import repository as repo

        # The version is taken before the read: a write landing in between only costs a re-read.
        version = self.store.data_version()
        if version is None or self._history is None or version != self._history_version:
            self._history = repo.read_history(self.store, self._history)
            self._history_version = version
        return self._history[1]

    def _daily_readings(self, checkins: Sequence[CheckIn], tz: tzinfo) -> tuple[DailyPain, ...]:
        """``daily_pain`` for the summary and the pain plan alike, worked out again only when
        read_history read the check-ins again (after a session is written, they are the same
        list): over a year of check-ins it is the costliest pass. After a check-in only the days
        of the check-ins added, changed or removed are worked out again."""
        from deskstretch.coach.pain import updated_daily_pain

        kept = self._daily
        if kept is not None and kept[0] is checkins and kept[1] == tz:
            return kept[2]
        daily = None if kept is None or kept[1] != tz else updated_daily_pain(*kept, checkins)
        if daily is None:
            daily = daily_pain(checkins, tz)
        self._daily = (checkins, tz, daily)
        return daily

    def recorder(self, plan: Plan, front_end: str) -> SessionRecorder:
        from deskstretch.coach.sessions import SessionRecorder

        return SessionRecorder(self.store, plan.timeline, front_end)

    def check_in(
        self,
        back_pain: int | None,
        leg_pain: int | None,
        context: CheckInContext = CheckInContext.ANYTIME,
        session_id: str | None = None,
        note: str = "",
    ) -> CheckInResult:
        from deskstretch.coach.checkins import record_checkin

        return record_checkin(
            self.store,
            back_pain,
            leg_pain,
            context,
            session_id,
            note,
            last_reask=load_state(self.settings).cauda_equina_rechecked_at,
        )

    def session(self, session_id: str) -> SessionRecord:
        """A stored session; NotFoundError if there is none."""
        from deskstretch.store import repository as repo

        return repo.get_session(self.store, session_id)

    def update_session_progress(
        self, session_id: str, steps: Sequence[StepRecord], now: datetime | None = None
    ) -> None:
        """Save the steps of an open session so far (a browser session the page drives)."""
        from deskstretch.coach.sessions import save_progress

        save_progress(self.store, session_id, steps, now)

    def finish_session(
        self, session_id: str, steps: Sequence[StepRecord], now: datetime | None = None
    ) -> SessionRecord:
        """End a session with its final steps; completed or partial is the rule's, by the work."""
        from deskstretch.coach.sessions import finish_session

        return finish_session(self.store, session_id, steps, now)

    def recheck_cauda_equina(self, answers: dict[str, bool]) -> SafetyVerdict:
        """Store fresh answers to the cauda equina questions (asked again after leg symptoms)."""
        screening = self.screening()
        if screening is not None:
            screening = replace(screening, red_flags={**screening.red_flags, **answers})
            self.save_screening(screening)  # fails closed, as for the whole questionnaire
        save_state(
            self.settings,
            replace(load_state(self.settings), cauda_equina_rechecked_at=datetime.now(UTC)),
        )
        return self.verdict()

    def adapt(self, routine: Routine, tags: frozenset[str] | None = None) -> Adaptation:
        """The one safety adaptation: ``routine`` with every step that ``tags`` (by default the
        person's answered conditions) rule out swapped for a safe stand-in or dropped, and each
        change with its reason. plan() plays it; routine show, the builder and validate show it,
        so every front end shows the same steps."""
        from deskstretch.core.safety import adapt_routine

        chosen = self.active_tags() if tags is None else tags
        return adapt_routine(routine, self.catalogue.exercises, chosen)

    def preview(self, loaded: LoadedRoutine) -> Preview:
        """The routine as it would play for the person now: plan() when routines may play;
        otherwise the safety adaptation alone, with the reason it would not play."""
        from deskstretch.core.timeline import build_timeline

        try:
            return Preview(self.plan(loaded))
        except SafetyStop as stop:
            adaptation = self.adapt(loaded.routine)
            plan = Plan(
                routine=adaptation.routine,
                timeline=build_timeline(adaptation.routine),
                changes=adaptation.changes,
                warnings=loaded.warnings,
            )
            return Preview(plan, stop.message)

    def answers_not_saved(self) -> bool:
        """Whether the person's last answers could not be saved (here or in another process), so
        the stored ones no longer count."""
        return self._unsaved is not None or screening_not_saved(
            self.settings.screening_file, self.settings.screening_not_saved_file
        )

    def needs_screening(self) -> bool:
        from deskstretch.core.safety import SafetyStatus

        return self.verdict().status in (SafetyStatus.NOT_SCREENED, SafetyStatus.OUTDATED)

    # ----- measurements (flexibility tests), PSFS and questionnaires -----------------------------

    def record_measurement(
        self,
        kind: MeasurementKind,
        value_cm: float,
        leg: str | None = None,
        note: str = "",
        now: datetime | None = None,
    ) -> MeasurementResult:
        """Check and store a flexibility test result, compared with the first and the last."""
        from deskstretch.coach.measurements import record_measurement

        return record_measurement(self.store, kind, value_cm, leg, None, note, now)

    def record_questionnaire(
        self,
        instrument: Instrument,
        answers: Mapping[str, Answer],
        version: str | None = None,
        now: datetime | None = None,
    ) -> QuestionnaireOutcome:
        """Score and store an ODI, RMDQ or STarT Back, compared with the first result."""
        from deskstretch.coach.questionnaires import record_questionnaire

        return record_questionnaire(self.store, instrument, answers, version, now)

    def psfs_activities(self) -> list[PsfsActivity]:
        """The PSFS activities the person rates now (retired ones left out)."""
        from deskstretch.store import repository as repo

        return repo.list_psfs_activities(self.store)

    def psfs_ratings(self) -> list[QuestionnaireResult]:
        """Every PSFS rating, oldest first."""
        from deskstretch.store import repository as repo

        return repo.list_questionnaire_results(self.store, instrument=Instrument.PSFS)

    def add_psfs_activity(self, name: str, now: datetime | None = None) -> PsfsActivity:
        from deskstretch.coach.measurements import add_activity

        return add_activity(self.store, name, now)

    def retire_psfs_activity(self, ref: str, now: datetime | None = None) -> PsfsActivity:
        from deskstretch.coach.measurements import retire_activity

        return retire_activity(self.store, ref, now)

    def rate_psfs(self, ratings: Mapping[str, int], now: datetime | None = None) -> PsfsRating:
        from deskstretch.coach.measurements import rate_psfs

        return rate_psfs(self.store, ratings, now)

    def instrument_packs(self) -> dict[Instrument, Path]:
        """The questionnaire wording the person keeps in their instruments folder, by
        instrument (the files are not read)."""
        from deskstretch.coach.questionnaires import pack_files

        return pack_files(self.settings.instruments_dir)

    def instrument_pack(self, instrument: Instrument) -> InstrumentPack:
        """The kept pack for ``instrument``, checked (NotFoundError, FileFormatError)."""
        from deskstretch.coach.questionnaires import kept_pack

        return kept_pack(self.settings.instruments_dir, instrument)

    def remeasure_check(self, followed: ProgrammeToday) -> RemeasureCheck | None:
        """The programme's latest re-measure week and which of its measures are recorded in its
        window, from the history ``programme_today()`` has just read (see core/remeasure.py)."""
        from deskstretch.coach.measurements import MeasurementNotAdvised, check_test_allowed
        from deskstretch.core.records import MeasurementKind
        from deskstretch.core.remeasure import remeasure_check

        history = self._history[1] if self._history is not None else None
        standing = followed.standing
        try:
            check_test_allowed(MeasurementKind.CHAIR_SIT_AND_REACH, self.active_tags())
            reach = True
        except MeasurementNotAdvised:  # not with osteoporosis (§3.4): no reach asked
            reach = False
        return remeasure_check(
            followed.programme.remeasure_weeks,
            standing.weeks,
            followed.enrolment.started_on,
            standing.today,
            self.local_tz(),
            checkins=history.checkins if history else (),
            measurements=history.measurements if history else (),
            results=history.results if history else (),
            questionnaires=self.instrument_packs().keys(),
            reach=reach,
            assessments=history.assessments if history else (),
            # Optional, and offered only where it can be done: not with osteoporosis (as the
            # reach), nor without the vision extra.
            photo=reach and self.assessments.unavailable_reason() is None,
        )

    # ----- enrolment in a programme over weeks ---------------------------------------------------

    def start_programme(
        self,
        programme_id: str,
        today: date | None = None,
        *,
        now: datetime | None = None,
        level: int = 1,
    ) -> Enrolment:
        """Enrol the person in ``programme_id``, its week 1 beginning on ``today`` (by default
        their local date now), at ``level`` (a level number of the programme; DeskstretchError
        says which ones it has). An active enrolment ends first, in the same transaction. The id
        is stored as given: callers check it against the programmes."""
        from deskstretch.coach.sessions import new_id
        from deskstretch.store import repository as repo

        if level != 1:
            count = len(self.find_programme(programme_id).levels)
            if not 1 <= level <= count:
                raise DeskstretchError(f"expected a level from 1 to {count}, got {level}")
        at = now or datetime.now(UTC)
        started_on = today if today is not None else at.astimezone(self.local_tz()).date()
        enrolment = Enrolment(new_id(), programme_id, started_on, at, start_level=level)
        repo.add_enrolment(self.store, enrolment)
        return enrolment

    def stop_programme(self, now: datetime | None = None) -> Enrolment | None:
        """End the active enrolment; the one ended, or None when the person had none."""
        from deskstretch.store import repository as repo

        return repo.end_enrolment(self.store, now or datetime.now(UTC))

    def enrolment(self) -> Enrolment | None:
        """The programme the person follows now, or None."""
        from deskstretch.store import repository as repo

        return repo.current_enrolment(self.store)

    def programme_today(self, now: datetime | None = None) -> ProgrammeToday | None:
        """Where the person stands in their programme today (week, level, today's session,
        what changes next and why, the week's plan, lessons), or None when they follow none.
        A programme file that has gone away raises NotFoundError naming it."""
        from deskstretch.coach.plans import pause_reason, programme_today
        from deskstretch.store import repository as repo

        moment = now or datetime.now(UTC)
        key, today, tz = self._cache_key(moment)
        # Kept until a record, the local date, the zone, the programme files, the safety answers
        # or the lessons read change: Today, the review, the player's routine and the recap each
        # ask for it, and every write (here or in another process) moves the data version.
        followed_key = (
            None if key is None else (key, self.programme_set, self.verdict(), self.lessons_read())
        )
        kept = self._followed_cache
        if followed_key is not None and kept is not None and kept[0] == followed_key:
            return kept[1]
        history = self._read_history()  # with the enrolments: no read of its own
        enrolment = repo.active_enrolment(history.enrolments)
        if enrolment is None:
            if followed_key is not None:
                self._followed_cache = (followed_key, None)
            return None
        programme = self.find_programme(enrolment.programme_id)
        followed = programme_today(
            programme,
            enrolment,
            sessions=history.sessions,
            checkins=history.checkins,
            measurements=history.measurements,
            today=today,
            tz=tz,
            paused=pause_reason(self.verdict(), self.pain_plan(moment)),
            lessons=self.lessons(),
            lessons_read=self.lessons_read(),
            events=history.programme_events,
            daily=self._daily_readings(history.checkins, tz),
        )
        if followed_key is not None:
            self._followed_cache = (followed_key, followed)
        return followed

    # ----- the person's records as a whole: export, import, forget -------------------------------

    def export_all(self) -> dict[str, Any]:
        """Every record, as plain JSON-ready data (the shape of `deskstretch export`), and the
        lessons the person has read."""
        from deskstretch.store import repository as repo

        return {**repo.export_all(self.store), "lessons_read": list(self.lessons_read())}

    def import_records(self, data: Mapping[str, Any], replace: bool = False) -> ImportSummary:
        """Import an export, all or nothing; ``replace`` forgets everything stored first. The
        lessons it marks read (known ones) join those already read, or replace them."""
        from deskstretch.store import repository as repo

        summary = repo.import_records(self.store, data, replace=replace)  # checks lessons_read
        known = {lesson.id for lesson in self.lessons()}
        marks = [m for m in data.get("lessons_read", ()) if m in known]
        self._keep_lessons_read(marks, keep_older=not replace)
        return summary

    def record_counts(self) -> dict[str, int]:
        """How many records of each kind are stored (keys as in the export)."""
        from deskstretch.store import repository as repo

        return repo.counts(self.store)

    def forget_everything(self) -> None:
        """Delete every record and the lessons marked read (settings and safety answers stay),
        leaving no trace on disk."""
        from deskstretch.coach.assessments import PHOTOS_FOLDER, remove_kept_photos
        from deskstretch.store import repository as repo

        remove_kept_photos(self.settings.data_dir / PHOTOS_FOLDER)  # kept photos go too
        repo.forget_everything(self.store)
        self._keep_lessons_read([], keep_older=False)

    def _keep_lessons_read(self, marks: Sequence[str], *, keep_older: bool) -> None:
        state = load_state(self.settings)
        older = state.lessons_read if keep_older else ()
        read = tuple(dict.fromkeys((*older, *marks)))
        if read != state.lessons_read:
            save_state(self.settings, replace(state, lessons_read=read))


def _file_stamp(path: Path) -> tuple[int, int, int, int] | None:
    """Inode, size, modification and change time of ``path`` (None when it is missing): changes
    when the file is rewritten, atomically or in place."""
    try:
        info = path.stat()
    except OSError:
        try:
            info = path.lstat()  # a dangling link in its place is something, not nothing
        except OSError:
            return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _folder_signature(folder: Path) -> tuple[tuple[str, int, int, int], ...]:
    """Name, inode, size and modification time of each routine file: changes when any file does.

    The inode catches an atomic replace that keeps the size and lands within the same clock tick.
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return ()
    signature = []
    for entry in entries:
        if not entry.name.endswith(".toml"):
            continue
        try:
            info = entry.stat()
        except OSError:
            continue
        signature.append((entry.name, info.st_ino, info.st_size, info.st_mtime_ns))
    return tuple(sorted(signature))
