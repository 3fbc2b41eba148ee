"""The real-time loop that plays a timeline: wakes at each segment boundary and display tick.

The player is pure; this loop owns the clock (time.monotonic). Positions come from the player's
single origin, so being woken a little late never accumulates into drift.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import IO, Protocol

from deskstretch.core.player import EventKind, Player, PlayerEvent, PlayerSummary, PlayerView
from deskstretch.core.timeline import Timeline


class Command:
    TOGGLE = "toggle"
    SKIP = "skip"
    BACK = "back"
    QUIT = "quit"


class Frontend(Protocol):
    def on_events(self, events: list[PlayerEvent], view: PlayerView) -> None: ...

    def draw(self, view: PlayerView) -> None: ...

    def wait(self, timeout: float | None) -> list[str]:
        """Block up to ``timeout`` seconds (None = until input); return the commands typed."""
        ...


def next_wake(player: Player, view: PlayerView, now: float) -> float | None:
    """The earlier of the next segment boundary and the moment the shown whole second changes."""
    deadline = player.next_deadline()
    if deadline is None:
        return None
    remaining = view.remaining_in_segment
    tick = remaining - math.floor(remaining) if remaining > 0 else 0.0
    if tick <= 1e-6:
        tick = 1.0
    return min(deadline, now + tick)


class TimingLog:
    """Writes one line per segment start: index, scheduled and actual seconds since the start.

    Used by bench/timing.py (set DESKSTRETCH_TIMING_LOG=FILE) to measure how exactly the loop
    keeps to the timeline; it never changes what the person sees.
    """

    def __init__(self, out: IO[str], origin: float, clock: Callable[[], float]) -> None:
        self.out = out
        self.origin = origin
        self.clock = clock

    def record(self, events: list[PlayerEvent]) -> None:
        for event in events:
            if event.kind is EventKind.SEGMENT_STARTED and event.segment is not None:
                due = (event.scheduled_at or event.at) - self.origin
                actual = self.clock() - self.origin
                self.out.write(f"{event.segment.index}\t{due:.6f}\t{actual:.6f}\n")
        self.out.flush()


def play(
    timeline: Timeline,
    frontend: Frontend,
    clock: Callable[[], float] = time.monotonic,
    timing_out: IO[str] | None = None,
    on_progress: Callable[[PlayerSummary], None] | None = None,
) -> PlayerSummary:
    """Play ``timeline`` in real time; ``on_progress`` gets the summary at every segment start
    (the session recorder saves it, so a killed process loses at most one segment)."""
    start = clock()
    player = Player(timeline, start)
    log = TimingLog(timing_out, start, clock) if timing_out else None
    while True:
        now = clock()
        events = player.advance(now)
        view = player.view(now)
        if events:
            frontend.on_events(events, view)
            if log:
                log.record(events)
            if on_progress and any(e.kind is EventKind.SEGMENT_STARTED for e in events):
                on_progress(player.summary())
        if any(e.kind in (EventKind.FINISHED, EventKind.QUIT) for e in events):
            break
        frontend.draw(view)
        wake = next_wake(player, view, now)
        timeout = None if wake is None else max(0.0, wake - clock())
        for command in frontend.wait(timeout):
            now = clock()
            handled = _apply(player, command, now)
            if handled:
                frontend.on_events(handled, player.view(now))
                if log:
                    log.record(handled)
                if on_progress:
                    on_progress(player.summary())
            if player.status.value in ("finished", "quit"):
                return player.summary()
    return player.summary()


def _apply(player: Player, command: str, now: float) -> list[PlayerEvent]:
    if command == Command.TOGGLE:
        return player.toggle_pause(now)
    if command == Command.SKIP:
        return player.skip(now)
    if command == Command.BACK:
        return player.back(now)
    if command == Command.QUIT:
        return player.quit(now)
    return []
