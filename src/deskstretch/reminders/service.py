"""The waiting reminder service: one loop that sleeps until the next break and shows it.

Standard library and ``deskstretch.core`` only, so it stays small while it waits (no asyncio, no
web stack: see tests/e2e/test_reminder_service.py). Each reminder is shown by a short-lived child
process (``prompt.py``) whose one-line JSON answer is recorded here in the break journal.
Everything that touches the outside world (clock, idle time, busy checks, the child process,
the journal) is passed in, so tests drive the loop with fakes and a hand-advanced clock.
Past 400 lines because the loop and its wake/sleep/suspend handling are one state machine; the
edges it touches already live in their own modules.
"""

from __future__ import annotations

import logging
import math
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import FrameType
from typing import TYPE_CHECKING

from deskstretch.core.schedule import (
    BreakEvent,
    BreakKind,
    Due,
    EventKind,
    Policy,
    is_working_time,
    next_due,
)
from deskstretch.reminders.breaklog import BreakLog
from deskstretch.reminders.clock import Clock
from deskstretch.reminders.inputs import SafetyReader, SessionFacts, SessionReader
from deskstretch.reminders.launcher import PromptHandle, PromptLauncher, PromptOutcome
from deskstretch.reminders.policy import LoadedPolicy, load_policy

if TYPE_CHECKING:
    from deskstretch.config import Settings
    from deskstretch.reminders.desktop.busy import Busy
    from deskstretch.reminders.desktop.idle import IdleMonitor

log = logging.getLogger("deskstretch.reminders")

TICK_SECONDS = 60.0
"""The longest the service sleeps: at most one wake-up a minute while it waits."""
IDLE_RECHECK = timedelta(minutes=5)
"""How often to look for idle detection again while there is none."""
IDLE_UNKNOWN_TICKS = 5
"""Unanswered idle checks in a row after which another monitor is looked for."""
GAP_SECONDS = 2 * TICK_SECONDS
"""A tick this late (suspend, a stopped process) or a clock jump this big means RESUMED."""
PROMPT_LIMIT_SECONDS = 300.0 + TICK_SECONDS
"""A reminder left unanswered closes itself after 300 s; a child still running later is stuck."""
MAX_SNOOZE_MINUTES = 120


@dataclass
class _ActivePrompt:
    handle: PromptHandle
    kind: BreakKind
    started: float  # monotonic


class _StopNow(Exception):
    """Raised by the signal handler to cut a sleep short."""


# What each prompt answer means for the schedule (None: nothing to record).
_RECORDED: dict[str, EventKind | None] = {
    "done": EventKind.DONE,
    "skip": EventKind.SKIPPED,
    "rest": EventKind.SKIPPED,  # the pain rules suggest resting: ask again in an interval
    "snooze": EventKind.SNOOZED,
    "start": EventKind.SNOOZED,  # the routine itself counts once finished (see _record)
    "not_done": EventKind.NOT_DONE,
    "dismissed": EventKind.NOT_DONE,
    "timeout": EventKind.NOT_DONE,
    "failed": EventKind.NOT_DONE,
    "blocked": None,
}


class ReminderService:
    """The loop. ``run()`` until SIGTERM/SIGINT; ``tick()`` does one round and says how long to
    wait before the next."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock,
        idle: IdleMonitor,
        busy: Callable[[], Busy | None],
        launcher: PromptLauncher,
        journal: BreakLog,
        heartbeat: Callable[[], None] = lambda: None,
        last_alive: datetime | None = None,
        find_idle: Callable[[], IdleMonitor] | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.idle = idle
        self.find_idle = find_idle
        """Looks for an idle monitor again (see _refresh_idle); None keeps ``idle`` for good."""
        self._idle_checked_at: datetime | None = None
        self._idle_unknown = 0
        self.busy = busy
        self.launcher = launcher
        self.journal = journal
        self.heartbeat = heartbeat
        self.last_alive = last_alive
        self.state = "starting"
        self.due: Due | None = None
        self._sessions = SessionReader(settings.database_url)
        self._safety = SafetyReader.for_settings(settings)
        self._policy_mark: object = None
        self._loaded = LoadedPolicy(Policy(), None)
        self._history_mark: object = None
        self._history: list[BreakEvent] = []
        self._last_clocks: tuple[datetime, float] | None = None
        self._away_since: datetime | None = None
        self._last_idle: float | None = None
        self._busy_reason: str | None = None
        self._prompt: _ActivePrompt | None = None
        self._notes: list[PromptHandle] = []
        self._hold_until: datetime | None = None
        self._reported: set[str] = set()
        self._finished: PromptOutcome | None = None
        self._failures = 0
        self._stop_requested = False
        self._stopped_by = ""
        self._sleeping = False

    # ----- the loop ------------------------------------------------------------------------------

    def run(self, *, once: bool = False) -> int:
        """Start, then tick until stopped (``once``: until one round, prompt included, is over)."""
        with self._signals_handled():
            try:
                self.start()
                while not self._stop_requested:
                    wait = self._safe_tick()
                    if once and self._prompt is None:
                        break
                    self._wait(wait)
            except _StopNow:  # a signal just before or after a sleep
                pass
            finally:
                self._sleeping = False
                self._shut_down()
        return 0

    def start(self) -> None:
        now = self.clock.now()
        dropped = self.journal.compact(now)
        if dropped:
            log.info("journal: removed %d old or damaged line(s)", dropped)
        events = [e for e in self.journal.read() if e.at <= now]
        marks = [e.at for e in events] + ([self.last_alive] if self.last_alive else [])
        alive = max(marks, default=None)
        if alive is None:
            self._append(BreakEvent(now, EventKind.RESUMED, note="reminders started"))
        elif abs((now - alive).total_seconds()) > GAP_SECONDS:
            since = alive.astimezone(self.clock.local_tz()).strftime("%a %H:%M")
            self._append(BreakEvent(now, EventKind.RESUMED, note=f"not running since {since}"))
        self._last_clocks = (now, self.clock.monotonic())
        from deskstretch.reminders.desktop.idle import describe_idle_monitor

        log.info("reminder service started; %s", describe_idle_monitor(self.idle))

    def _safe_tick(self) -> float:
        """A tick whose unexpected failure is logged, never the end of reminders."""
        try:
            wait = self.tick()
        except Exception:
            self._failures += 1
            if self._failures <= 3 or self._failures % 60 == 0:
                log.exception("reminder check failed (%d so far); trying again", self._failures)
            return TICK_SECONDS
        self._failures = 0
        return wait

    def request_stop(self) -> None:
        self._stop_requested = True

    def tick(self) -> float:
        """One round: notice gaps and idle spells, collect a finished prompt, prompt if due."""
        now, tz = self.clock.now(), self.clock.local_tz()
        self.heartbeat()
        self._notice_gap(now)
        self._reap_notes()
        loaded = self._read_policy()
        policy = loaded.policy
        if policy.enabled is False:  # switched off in Settings: stop; autostart does not restart
            log.info("reminders are switched off in reminders.toml (enabled = false); stopping")
            self.request_stop()
            return 0.0
        facts = self._sessions.read(now)
        if self._prompt is not None:
            self._collect_prompt(now, policy)
        working = is_working_time(policy, now, tz)
        wait = TICK_SECONDS
        if working or self._away_since is not None:
            wait = min(wait, self._watch_idle(now, policy))
        if self._prompt is not None:
            return wait
        due = self.due = next_due(self._read_history(facts), policy, now, tz)
        if due is None or due.at > now or not working:
            self._busy_reason = None  # a busy spell counts only while a break waits on it
        if due is None:
            return self._set_state("every kind of break is switched off", wait)
        if due.at > now:
            seconds = (due.at - now).total_seconds()
            return self._set_state(f"waiting: {due.reason}", min(wait, max(1.0, seconds)))
        if not working:
            return self._set_state("outside working hours", wait)
        held = self._held_because(now, facts)
        if held:
            if self._hold_until is not None and now < self._hold_until:
                wait = min(wait, (self._hold_until - now).total_seconds())
            return self._set_state(f"holding back: {held}", wait)
        busy = self._check_busy()
        if busy is not None:
            if self._busy_reason is None:
                self._append(BreakEvent(now, EventKind.DEFERRED, due.break_kind, note=busy.reason))
                log.info("%s break held back: %s", due.break_kind, busy.reason)
            self._busy_reason = busy.reason
            return self._set_state(f"holding back: {busy.reason}", wait)
        self._busy_reason = None
        self._prompt_now(now, due.break_kind)
        return TICK_SECONDS

    def _wait(self, seconds: float) -> None:
        try:
            self._sleeping = True
            if self._stop_requested:
                return
            if self._prompt is not None:
                outcome = self._prompt.handle.wait(seconds)
                if outcome is not None:
                    self._finished = outcome
            else:
                self.clock.sleep(seconds)
        except _StopNow:
            pass
        finally:
            self._sleeping = False

    @contextmanager
    def _signals_handled(self) -> Iterator[None]:
        def on_signal(signum: int, _frame: FrameType | None) -> None:
            # Logged later, outside the handler: the handler may interrupt a log call.
            self._stopped_by = signal.Signals(signum).name
            self._stop_requested = True
            if self._sleeping:
                raise _StopNow

        wanted = [signal.SIGINT, signal.SIGTERM]
        previous = {number: signal.signal(number, on_signal) for number in wanted}
        try:
            yield
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _shut_down(self) -> None:
        if self._stopped_by:
            log.info("stopping (%s)", self._stopped_by)
        if self._prompt is not None:
            self._prompt.handle.kill()
            self._prompt = None
            log.info("closed the reminder on screen")
        for note in self._notes:
            note.kill()
        self._notes = []
        if self._stop_requested:
            log.info("reminder service stopped")

    def _set_state(self, state: str, wait: float) -> float:
        if state != self.state:
            log.debug("%s", state)
        self.state = state
        return wait

    # ----- what the service reads ----------------------------------------------------------------

    def _read_policy(self) -> LoadedPolicy:
        path = self.settings.config_dir / "reminders.toml"
        try:
            stat = path.stat()
            mark: object = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except OSError:
            mark = "missing"
        if mark != self._policy_mark:
            self._loaded = load_policy(self.settings.config_dir)
            self._policy_mark = mark
            problem = self._loaded.problem
            if problem:
                log.warning("reminder settings: %s (using the defaults)", problem)
                self._note_once(
                    f"policy:{problem}",
                    f"Your reminder settings have a problem, so the defaults are used: {problem}",
                )
        return self._loaded

    def _read_history(self, facts: SessionFacts) -> list[BreakEvent]:
        mark = (self.journal.signature(), facts.done)
        if mark != self._history_mark:
            events = self.journal.read() + list(facts.done)
            self._history = sorted(events, key=lambda e: e.at)
            self._history_mark = mark
        return self._history

    def _held_because(self, now: datetime, facts: SessionFacts) -> str:
        """Why no reminder may be shown right now, or "" when one may."""
        gate = self._safety.read()
        if not gate.allowed:
            if not gate.red_flag:
                self._note_once(f"safety:{gate.reason}", f"deskstretch: {gate.reason}.")
            return gate.reason
        if self._away_since is not None:
            return "you are away from the keyboard (that counts as a break)"
        if facts.playing:
            return f"you are doing the routine {facts.playing}"
        if self._hold_until is not None and now < self._hold_until:
            return "the last reminder could not be shown"
        return ""

    def _check_busy(self) -> Busy | None:
        try:
            return self.busy()
        except Exception:  # a broken check must not stop reminders
            log.exception("busy check failed; assuming a good moment")
            return None

    # ----- events --------------------------------------------------------------------------------

    def _append(self, event: BreakEvent) -> None:
        self.journal.append(event)

    def _notice_gap(self, now: datetime) -> None:
        monotonic = self.clock.monotonic()
        if self._last_clocks is not None:
            last_now, last_monotonic = self._last_clocks
            wall = (now - last_now).total_seconds()
            elapsed = monotonic - last_monotonic
            if abs(wall) > GAP_SECONDS or elapsed > GAP_SECONDS:
                what = "the clock went back" if wall < 0 else "suspend or a clock change"
                note = f"{what}: {_minutes(abs(wall))} between checks"
                log.info("resumed after %s", note)
                self._append(BreakEvent(now, EventKind.RESUMED, note=note))
                # An idle spell across a suspend is not measured: start afresh.
                self._away_since = self._last_idle = None
        self._last_clocks = (now, monotonic)

    def _watch_idle(self, now: datetime, policy: Policy) -> float:
        """Record a NATURAL break when an idle spell long enough ends. Returns how soon to look
        again: just after the spell would become long enough, so it is not missed by a minute."""
        self._refresh_idle(now)
        try:
            idle = self.idle.idle_seconds()
        except Exception:  # a broken monitor must not stop reminders
            log.exception("idle check failed")
            idle = None
        self._idle_unknown = self._idle_unknown + 1 if idle is None else 0
        threshold = policy.natural_break_minutes * 60.0
        previous, self._last_idle = self._last_idle, idle
        if idle is None:
            return TICK_SECONDS
        if idle >= threshold:
            if self._away_since is None:
                self._away_since = now - timedelta(seconds=idle)
                log.info("away from the keyboard since %s", self._away_since.isoformat())
            return TICK_SECONDS
        if self._away_since is not None and (previous is None or idle < previous):
            back = now - timedelta(seconds=idle)
            away = (back - self._away_since).total_seconds()
            self._append(BreakEvent(back, EventKind.NATURAL, note=f"away {_minutes(away)}"))
            log.info("natural break: away from the keyboard for %s", _minutes(away))
            self._away_since = None
        if idle > 0 and threshold - idle < TICK_SECONDS:
            return max(1.0, threshold - idle + 1.0)
        return TICK_SECONDS

    def _refresh_idle(self, now: datetime) -> None:
        """Look for an idle monitor again every few minutes while there is none, or while the one
        found keeps not answering: started at login, the service may run before the desktop's
        idle interface is up (or the desktop may restart)."""
        if self.find_idle is None:
            return
        lost = self.idle.name == "none" or self._idle_unknown >= IDLE_UNKNOWN_TICKS
        checked = self._idle_checked_at
        if not lost or (checked is not None and now - checked < IDLE_RECHECK):
            return
        self._idle_checked_at = now
        found = self.find_idle()
        if found.name != self.idle.name:
            from deskstretch.reminders.desktop.idle import describe_idle_monitor

            log.info("idle detection changed: %s", describe_idle_monitor(found))
            self.idle, self._idle_unknown = found, 0

    # ----- prompts -------------------------------------------------------------------------------

    def _prompt_now(self, now: datetime, kind: BreakKind) -> None:
        self._append(BreakEvent(now, EventKind.PROMPTED, kind))
        log.info("showing a %s break reminder", kind)
        self.state = f"showing a {kind} break reminder"
        self._finished = None
        try:
            handle = self.launcher.launch(kind.value)
        except OSError as error:
            failed = PromptOutcome("failed", detail=f"cannot start the reminder process: {error}")
            self._record(now, kind, failed, self._loaded.policy)
            return
        self._prompt = _ActivePrompt(handle, kind, self.clock.monotonic())

    def _collect_prompt(self, now: datetime, policy: Policy) -> None:
        active = self._prompt
        assert active is not None
        outcome, self._finished = self._finished, None
        if outcome is None:
            outcome = active.handle.wait(0)
        if outcome is None:
            if self.clock.monotonic() - active.started < PROMPT_LIMIT_SECONDS:
                return
            active.handle.kill()
            outcome = PromptOutcome("failed", detail="the reminder did not close by itself")
        self._prompt = None
        self._record(now, active.kind, outcome, policy)

    def _record(
        self, now: datetime, kind: BreakKind, outcome: PromptOutcome, policy: Policy
    ) -> None:
        event_kind = _RECORDED.get(outcome.outcome, EventKind.NOT_DONE)
        log.info(
            "%s break reminder: %s%s",
            kind,
            outcome.outcome,
            f" ({outcome.detail})" if outcome.detail else "",
        )
        if event_kind is None:  # blocked: the child found routines locked; ask again later
            self._hold_until = now + timedelta(minutes=policy.retry_minutes)
            return
        until = None
        note = outcome.detail if outcome.outcome in ("failed", "rest") else outcome.outcome
        if outcome.outcome == "snooze":
            minutes = outcome.minutes or policy.default_snooze_minutes
            until = now + timedelta(minutes=min(max(minutes, 1), MAX_SNOOZE_MINUTES))
            note = ""
        elif outcome.outcome == "start":
            # The routine counts as a break once it is finished (the store says so); until then
            # hold the next reminder for the routine's length plus the retry time.
            minutes = (outcome.minutes or 0) + policy.retry_minutes
            until = now + timedelta(minutes=math.ceil(minutes))
            note = f"started {outcome.routine}".strip()
        self._append(BreakEvent(now, event_kind, kind, until=until, note=note))

    def _note_once(self, key: str, message: str) -> None:
        """Show a problem once per run, as a notification with no buttons."""
        if key in self._reported:
            return
        self._reported.add(key)
        try:
            self._notes.append(self.launcher.launch("problem", message))
        except OSError as error:
            log.warning("cannot show a notification: %s", error)

    def _reap_notes(self) -> None:
        self._notes = [note for note in self._notes if note.wait(0) is None]


def _minutes(seconds: float) -> str:
    minutes = seconds / 60
    if minutes < 90:
        return f"{minutes:.0f} min"
    return f"{minutes / 60:.1f} h"
