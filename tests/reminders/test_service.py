"""The waiting service on a hand-advanced clock, with fake idle, busy and prompt processes.

Each test runs the real loop (``ReminderService.run``) over minutes or hours of fake time and
checks what it launched and what it wrote to the journal.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

import pytest

from deskstretch.config import Settings
from deskstretch.core.records import SessionRecord, SessionStatus
from deskstretch.core.safety import SCREENING_VERSION
from deskstretch.core.schedule import BreakEvent, BreakKind, EventKind
from deskstretch.reminders.breaklog import BreakLog
from deskstretch.reminders.desktop.busy import Busy
from deskstretch.reminders.launcher import PromptOutcome
from deskstretch.reminders.lock import ServiceLock
from deskstretch.reminders.policy import LoadedPolicy, load_policy
from deskstretch.reminders.service import GAP_SECONDS, TICK_SECONDS, ReminderService
from helpers.support import Dirs, answers_toml

# A Tuesday: the default working hours (Mon-Fri 09:00-17:30) apply.
MORNING = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return MORNING.replace(hour=hour, minute=minute, second=second)


class FakeClock:
    """Wall and monotonic time that move only when the service waits (or a test says so)."""

    def __init__(self, start: datetime, tz: tzinfo = UTC) -> None:
        self.wall = start
        self.mono = 5000.0
        self.tz = tz
        self.sleeps: list[float] = []
        self.on_advance: Callable[[], None] = lambda: None
        self.at_times: dict[datetime, Callable[[], None]] = {}
        self.advances = 0

    def now(self) -> datetime:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def local_tz(self) -> tzinfo:
        return self.tz

    def sleep(self, seconds: float) -> None:
        assert 0 < seconds <= TICK_SECONDS, f"slept {seconds} s"
        self.sleeps.append(seconds)
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.advances += 1
        assert self.advances < 100_000, "the service loop is spinning"
        before = self.wall
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds
        for moment, action in sorted(self.at_times.items()):
            if before < moment <= self.wall:
                del self.at_times[moment]  # once: the wall clock may pass here again
                action()
        self.on_advance()


class FakeIdle:
    name = "fake"

    def __init__(self) -> None:
        self.away: list[tuple[datetime, datetime]] = []
        self.clock: FakeClock | None = None

    def idle_seconds(self) -> float | None:
        assert self.clock is not None
        now = self.clock.wall
        for start, end in self.away:
            if start <= now < end:
                return (now - start).total_seconds()
        return 3.0  # typing


class FakeBusy:
    def __init__(self) -> None:
        self.spells: list[tuple[datetime, datetime, str]] = []
        self.clock: FakeClock | None = None
        self.calls = 0

    def __call__(self) -> Busy | None:
        assert self.clock is not None
        self.calls += 1
        for start, end, reason in self.spells:
            if start <= self.clock.wall < end:
                return Busy(reason)
        return None


@dataclass
class FakeHandle:
    clock: FakeClock
    outcome: PromptOutcome
    ready_at: float
    killed: bool = False

    def wait(self, timeout_seconds: float) -> PromptOutcome | None:
        assert timeout_seconds <= TICK_SECONDS
        remaining = self.ready_at - self.clock.mono
        if remaining <= timeout_seconds:
            if remaining > 0:
                self.clock.advance(remaining)
            return self.outcome
        self.clock.advance(timeout_seconds)
        return None

    def kill(self) -> None:
        self.killed = True


@dataclass
class FakeLauncher:
    """Answers each prompt with the next scripted outcome after ``answer_after`` seconds."""

    clock: FakeClock
    answers: list[PromptOutcome] = field(default_factory=lambda: [PromptOutcome("done")])
    answer_after: float = 20.0
    launched: list[tuple[datetime, str, str]] = field(default_factory=list)
    handles: list[FakeHandle] = field(default_factory=list)
    fail: bool = False

    def launch(self, kind: str, message: str = "") -> FakeHandle:
        if self.fail:
            raise OSError("no such program")
        self.launched.append((self.clock.wall, kind, message))
        answer = self.answers[min(len(self.handles), len(self.answers) - 1)]
        handle = FakeHandle(self.clock, answer, self.clock.mono + self.answer_after)
        self.handles.append(handle)
        return handle

    def prompts(self) -> list[tuple[datetime, str]]:
        return [(moment, kind) for moment, kind, _ in self.launched if kind != "problem"]

    def notes(self) -> list[str]:
        return [message for _, kind, message in self.launched if kind == "problem"]


@dataclass
class World:
    settings: Settings
    clock: FakeClock
    idle: FakeIdle
    busy: FakeBusy
    launcher: FakeLauncher
    journal: BreakLog

    def service(self, last_alive: datetime | None = None) -> ReminderService:
        return ReminderService(
            self.settings,
            clock=self.clock,
            idle=self.idle,
            busy=self.busy,
            launcher=self.launcher,
            journal=self.journal,
            last_alive=last_alive,
        )

    def run_until(self, end: datetime, service: ReminderService | None = None) -> ReminderService:
        service = service or self.service()

        def stop_at_end() -> None:
            if self.clock.wall >= end:
                service.request_stop()

        self.clock.on_advance = stop_at_end
        assert service.run() == 0
        return service

    def events(self, *kinds: EventKind) -> list[BreakEvent]:
        return [e for e in self.journal.read() if not kinds or e.kind in kinds]


def write_screening(dirs: Dirs, yes: tuple[str, ...] = ()) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    header = f'version = {SCREENING_VERSION}\ncompleted_at = "2026-03-01T09:00:00+00:00"\n'
    dirs.screening.write_text(header + answers_toml(yes), encoding="utf-8")


@pytest.fixture
def world(dirs: Dirs) -> World:
    """Safety questions answered all "no", default policy, Tuesday 09:00 UTC."""
    write_screening(dirs)
    clock = FakeClock(MORNING)
    idle, busy = FakeIdle(), FakeBusy()
    idle.clock = busy.clock = clock
    settings = Settings(config_dir=dirs.config, data_dir=dirs.data)
    return World(settings, clock, idle, busy, FakeLauncher(clock), BreakLog.in_folder(dirs.data))


def test_service_shows_exactly_one_prompt_when_a_break_is_due(world: World) -> None:
    world.run_until(at(9, 45))

    assert world.launcher.prompts() == [(at(9, 30), "micro")]
    kinds = [(e.at, e.kind, e.break_kind) for e in world.events()]
    assert kinds == [
        (at(9, 0), EventKind.RESUMED, None),
        (at(9, 30), EventKind.PROMPTED, BreakKind.MICRO),
        (at(9, 30, 20), EventKind.DONE, BreakKind.MICRO),
    ]


def test_service_wakes_at_most_once_a_minute_while_waiting(world: World) -> None:
    world.run_until(at(9, 29))

    assert world.clock.sleeps, "the service never slept"
    assert max(world.clock.sleeps) <= TICK_SECONDS
    # 29 minutes of waiting: one wake-up a minute, not more.
    assert len(world.clock.sleeps) <= 30
    assert world.launcher.prompts() == []


def test_service_defers_while_busy_and_prompts_once_free(world: World) -> None:
    world.busy.spells.append((at(9, 25), at(9, 41, 30), "the camera is in use (a meeting?)"))

    world.run_until(at(9, 50))

    deferred = world.events(EventKind.DEFERRED)
    assert [(e.at, e.break_kind, e.note) for e in deferred] == [
        (at(9, 30), BreakKind.MICRO, "the camera is in use (a meeting?)")
    ]
    # Checked again each minute, shown at the first check after the meeting.
    assert world.launcher.prompts() == [(at(9, 42), "micro")]


def test_service_records_a_natural_break_when_an_idle_spell_ends(world: World) -> None:
    world.idle.away.append((at(9, 15), at(9, 22, 30)))

    world.run_until(at(9, 40))

    natural = world.events(EventKind.NATURAL)
    assert len(natural) == 1
    # The end of the spell as far as the idle time tells it (the last input before the tick
    # that noticed it), within a tick of the real end.
    assert at(9, 22, 30) <= natural[0].at <= at(9, 23, 30)
    assert natural[0].note == "away 8 min"
    assert world.launcher.prompts() == [], "the micro timer should have restarted at 09:22"


def test_service_counts_an_idle_spell_that_ends_just_after_the_threshold(world: World) -> None:
    # 5 min 10 s away (threshold 5 min): a once-a-minute look could miss it; the service looks
    # again right when the spell becomes long enough.
    world.idle.away.append((at(9, 10, 25), at(9, 15, 35)))

    world.run_until(at(9, 20))

    assert len(world.events(EventKind.NATURAL)) == 1


def test_service_shows_no_reminder_while_away(world: World) -> None:
    world.idle.away.append((at(9, 1), at(10, 30)))

    world.run_until(at(10, 20))

    assert world.launcher.prompts() == []


def test_service_after_suspend_resumes_without_a_backlog(world: World) -> None:
    def suspend() -> None:  # the laptop lid closes for three hours: monotonic time stands still
        world.clock.wall += timedelta(hours=3)

    world.clock.at_times[at(9, 10)] = suspend

    world.run_until(at(12, 50))

    resumed = world.events(EventKind.RESUMED)
    assert len(resumed) == 2  # start, then the wake-up
    assert at(12, 10) <= resumed[1].at <= at(12, 12)
    assert "suspend" in resumed[1].note
    # Nothing on waking (no stale reminders), then one micro break 30 minutes later.
    prompts = world.launcher.prompts()
    assert len(prompts) == 1
    assert prompts[0][0] >= resumed[1].at + timedelta(minutes=30)


def test_service_after_the_clock_goes_back_shows_one_prompt_on_time(world: World) -> None:
    def clock_back() -> None:
        world.clock.wall -= timedelta(hours=2)

    world.clock.at_times[at(9, 20)] = clock_back

    world.run_until(at(9, 45))  # the wall clock passes 07:20 ... 09:45 again

    resumed = world.events(EventKind.RESUMED)
    assert any("went back" in e.note for e in resumed)
    assert world.launcher.prompts() == [(at(9, 30), "micro")]


def test_service_start_after_a_gap_resets_timers(world: World) -> None:
    world.journal.append(BreakEvent(at(6, 0), EventKind.DONE, BreakKind.STRETCH))

    world.run_until(at(9, 20))

    assert [e.note for e in world.events(EventKind.RESUMED)] == ["not running since Tue 06:00"]


def test_service_restarted_at_once_keeps_its_timers(world: World) -> None:
    # The previous service was alive a minute ago: a restart is no reason to reset the timers.
    world.journal.append(BreakEvent(at(9, 3), EventKind.PROMPTED, BreakKind.MICRO))
    world.journal.append(BreakEvent(at(9, 3, 30), EventKind.NOT_DONE, BreakKind.MICRO))
    world.clock.wall = at(9, 14)

    world.run_until(at(9, 20), world.service(last_alive=at(9, 13)))

    assert world.events(EventKind.RESUMED) == []
    assert world.launcher.prompts() == [(at(9, 14), "micro")]  # the retry was due at 09:13:30


def test_service_snooze_brings_the_break_back_after_the_snooze(world: World) -> None:
    world.launcher.answers = [PromptOutcome("snooze", minutes=5), PromptOutcome("done")]

    world.run_until(at(9, 45))

    snoozed = world.events(EventKind.SNOOZED)
    assert [(e.until, e.break_kind) for e in snoozed] == [(at(9, 35, 20), BreakKind.MICRO)]
    assert world.launcher.prompts() == [(at(9, 30), "micro"), (at(9, 35, 20), "micro")]


@pytest.mark.parametrize("answer", ["not_done", "dismissed", "timeout", "failed"])
def test_service_asks_again_after_an_unanswered_reminder(world: World, answer: str) -> None:
    world.launcher.answers = [PromptOutcome(answer), PromptOutcome("done")]

    world.run_until(at(9, 45))

    assert [e.note for e in world.events(EventKind.NOT_DONE)] in (
        [answer],
        [""],  # "failed" keeps its (empty) detail
    )
    assert world.launcher.prompts() == [(at(9, 30), "micro"), (at(9, 40, 20), "micro")]


def test_service_records_skip(world: World) -> None:
    world.launcher.answers = [PromptOutcome("skip")]

    world.run_until(at(9, 45))

    assert [e.break_kind for e in world.events(EventKind.SKIPPED)] == [BreakKind.MICRO]
    assert world.launcher.prompts() == [(at(9, 30), "micro")]


def test_service_start_holds_reminders_and_a_finished_routine_counts(
    world: World, dirs: Dirs
) -> None:
    from deskstretch.store import open_store
    from deskstretch.store import repository as repo

    world.launcher.answers = [
        PromptOutcome("done"),
        PromptOutcome("start", minutes=2.5, routine="hamstring-2min"),
        PromptOutcome("done"),
    ]

    def finish_routine() -> None:
        store = open_store(world.settings.database_url)
        try:
            record = SessionRecord(
                id="s1",
                routine_id="hamstring-2min",
                routine_name="Hamstring micro-break",
                started_at=at(10, 1),
                status=SessionStatus.IN_PROGRESS,
            )
            repo.start_session(store, record)
            repo.finish_session(store, "s1", SessionStatus.COMPLETED, at(10, 4))
        finally:
            store.close()

    world.clock.at_times[at(10, 4)] = finish_routine

    world.run_until(at(11, 5))

    started = world.events(EventKind.SNOOZED)
    assert [(e.note, e.until) for e in started] == [("started hamstring-2min", at(10, 13, 20))]
    # 09:30 micro, 10:00 stretch (Start); the routine finished at 10:04 resets both timers.
    assert world.launcher.prompts() == [
        (at(9, 30), "micro"),
        (at(10, 0), "stretch"),
        (at(10, 34), "micro"),
        (at(11, 4), "stretch"),
    ]


def test_service_holds_back_while_a_routine_is_playing(world: World) -> None:
    from deskstretch.store import open_store
    from deskstretch.store import repository as repo

    store = open_store(world.settings.database_url)
    try:
        repo.start_session(
            store,
            SessionRecord(
                id="s2",
                routine_id="hamstring-2min",
                routine_name="Hamstring micro-break",
                started_at=at(9, 29),
                status=SessionStatus.IN_PROGRESS,
            ),
        )
    finally:
        store.close()

    service = world.run_until(at(9, 40))

    assert world.launcher.prompts() == []
    assert "Hamstring micro-break" in service.state


@pytest.mark.parametrize(
    ("yes", "red_flag"), [(("ces-bladder",), True), ((), False)], ids=["red-flag", "unscreened"]
)
def test_service_shows_no_reminders_while_routines_are_locked(
    world: World, dirs: Dirs, yes: tuple[str, ...], red_flag: bool
) -> None:
    if red_flag:
        write_screening(dirs, yes)
    else:
        dirs.screening.unlink()

    service = world.run_until(at(11, 0))

    assert world.launcher.prompts() == []
    assert "check" in service.state
    # Unscreened: one note saying what to do; a red flag: nothing at all on screen.
    notes = world.launcher.notes()
    assert len(notes) == (0 if red_flag else 1)
    if not red_flag:
        assert "answer the safety questions" in notes[0]


def test_service_with_a_broken_policy_uses_defaults_and_says_so(
    world: World, dirs: Dirs, caplog: pytest.LogCaptureFixture
) -> None:
    (dirs.config / "reminders.toml").write_text("daily_cap = -3\n", encoding="utf-8")

    with caplog.at_level(logging.WARNING):
        world.run_until(at(9, 45))

    assert world.launcher.prompts() == [(at(9, 30), "micro")]  # the defaults
    notes = world.launcher.notes()
    assert len(notes) == 1
    assert "reminders.toml" in notes[0]
    assert "daily_cap" in notes[0]
    assert "reminders.toml" in caplog.text


def test_service_blocked_prompt_waits_before_asking_again(world: World) -> None:
    world.launcher.answers = [PromptOutcome("blocked", detail="locked"), PromptOutcome("done")]

    world.run_until(at(9, 45))

    assert world.launcher.prompts() == [(at(9, 30), "micro"), (at(9, 40, 20), "micro")]
    assert world.events(EventKind.DONE)[-1].at == at(9, 40, 40)


def test_service_records_a_failure_to_start_the_prompt(world: World) -> None:
    world.launcher.fail = True

    world.run_until(at(9, 45))

    not_done = world.events(EventKind.NOT_DONE)
    assert len(not_done) == 2  # 09:30 and the retry at 09:40
    assert "cannot start" in not_done[0].note


def test_service_kills_a_prompt_that_never_answers(world: World) -> None:
    world.launcher.answer_after = 3600

    world.run_until(at(9, 45))

    assert world.launcher.handles[0].killed
    assert "did not close" in world.events(EventKind.NOT_DONE)[0].note


def test_service_stops_cleanly_on_sigterm(world: World, caplog: pytest.LogCaptureFixture) -> None:
    world.launcher.answer_after = 200
    world.clock.at_times[at(9, 31)] = lambda: os.kill(os.getpid(), signal.SIGTERM)
    previous = signal.getsignal(signal.SIGTERM)

    with caplog.at_level(logging.INFO):
        world.run_until(at(12, 0))  # stopped by the signal long before

    assert world.clock.wall < at(9, 33)
    assert world.launcher.handles[0].killed, "the reminder on screen was left behind"
    assert "stopping (SIGTERM)" in caplog.text
    assert signal.getsignal(signal.SIGTERM) is previous


def test_gap_threshold_is_two_ticks() -> None:
    assert GAP_SECONDS == 2 * TICK_SECONDS


@pytest.mark.parametrize(
    ("stdout", "expected"),
    [
        ('{"outcome": "snooze", "minutes": 10}\n', PromptOutcome("snooze", minutes=10.0)),
        (
            'log line\n{"outcome": "start", "routine": "r", "minutes": 2.5}\n',
            PromptOutcome("start", minutes=2.5, routine="r"),
        ),
        ("", PromptOutcome("failed", detail="the reminder process gave no answer")),
        ('{"no": 1}', PromptOutcome("failed", detail="the reminder process gave no answer")),
    ],
)
def test_prompt_outcome_parse(stdout: str, expected: PromptOutcome) -> None:
    assert PromptOutcome.parse(stdout) == expected


def test_service_lock_allows_one_service(tmp_path: Path) -> None:
    first, second = ServiceLock(tmp_path), ServiceLock(tmp_path)
    assert first.holder() is None

    assert first.acquire()
    try:
        assert not second.acquire()
        assert second.holder() == os.getpid()
    finally:
        first.release()
    assert second.holder() is None
    assert second.heartbeat() is not None


def test_service_reads_the_settings_again_only_when_they_change(
    world: World, dirs: Dirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deskstretch.reminders import service as service_module

    reads: list[datetime] = []
    real_load = load_policy  # what the service calls, until patched below

    def counting_load(config_dir: Path) -> LoadedPolicy:
        reads.append(world.clock.wall)
        return real_load(config_dir)

    monkeypatch.setattr(service_module, "load_policy", counting_load)

    def switch_micro_breaks_off() -> None:
        (dirs.config / "reminders.toml").write_text("[micro]\nenabled = false\n", "utf-8")

    world.clock.at_times[at(9, 20)] = switch_micro_breaks_off

    world.run_until(at(9, 50))

    assert reads[0] == at(9, 0)
    assert len(reads) == 2, "read once at start and once after the change"
    assert world.launcher.prompts() == []  # the 09:30 micro break was switched off in time


class UnknownIdle:
    """What detection finds before the desktop's idle interface is up."""

    name = "none"

    def idle_seconds(self) -> float | None:
        return None


def test_service_looks_for_idle_detection_again_until_it_finds_one(world: World) -> None:
    found_at: list[datetime] = []

    def find_idle() -> FakeIdle | UnknownIdle:
        # The desktop's idle interface comes up at 09:08.
        found_at.append(world.clock.wall)
        return world.idle if world.clock.wall >= at(9, 8) else UnknownIdle()

    world.idle.away.append((at(9, 15), at(9, 22, 30)))
    service = ReminderService(
        world.settings,
        clock=world.clock,
        idle=UnknownIdle(),
        busy=world.busy,
        launcher=world.launcher,
        journal=world.journal,
        find_idle=find_idle,
    )
    world.run_until(at(9, 40), service)

    assert service.idle is world.idle
    # Looked again every 5 minutes while there was none, then stopped looking.
    assert found_at == [at(9, 0), at(9, 5), at(9, 10)]
    assert len(world.events(EventKind.NATURAL)) == 1


def test_service_without_a_finder_keeps_the_monitor_it_was_given(world: World) -> None:
    service = ReminderService(
        world.settings,
        clock=world.clock,
        idle=UnknownIdle(),
        busy=world.busy,
        launcher=world.launcher,
        journal=world.journal,
    )
    world.run_until(at(9, 20), service)
    assert isinstance(service.idle, UnknownIdle)


def test_service_stops_when_settings_switch_the_reminders_off(
    world: World, dirs: Dirs, caplog: pytest.LogCaptureFixture
) -> None:
    """Settings' "off" (enabled = false) stops the service at its next check, a prompt on
    screen included; an autostart entry does not restart a clean exit."""
    world.launcher.answer_after = 600  # the 09:30 reminder is still on screen at 09:31
    path = dirs.config / "reminders.toml"

    def switch_off() -> None:
        path.write_text("enabled = false\n", "utf-8")

    world.clock.at_times[at(9, 31)] = switch_off

    with caplog.at_level(logging.INFO):
        world.run_until(at(12, 0))

    assert world.clock.wall < at(9, 34), "the service kept running after being switched off"
    assert world.launcher.prompts() == [(at(9, 30), "micro")]
    assert world.launcher.handles[0].killed, "the reminder on screen was left behind"
    assert "switched off" in caplog.text


def test_service_runs_as_before_when_the_switch_is_on_or_not_written(
    world: World, dirs: Dirs
) -> None:
    (dirs.config / "reminders.toml").write_text("enabled = true\n", encoding="utf-8")

    world.run_until(at(9, 45))

    assert world.launcher.prompts() == [(at(9, 30), "micro")]
