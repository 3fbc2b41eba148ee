"""Full-screen terminal front end of the player (Rich), and the plain-lines front end for pipes.

The screen adapts to the terminal size: big digits when there is room, a compact layout in small
terminals (SSH sessions, split panes), one line at the very smallest.
"""

from __future__ import annotations

import math
import os
import select
import sys
import time
from collections.abc import Callable
from typing import IO

from rich.align import Align
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from deskstretch.cli.terminal.loop import Command
from deskstretch.cli.terminal.voice import Voice
from deskstretch.core.models import Side
from deskstretch.core.player import EventKind, PlayerEvent, PlayerView, Status
from deskstretch.core.timeline import Segment, SegmentKind, Timeline

KIND_STYLES: dict[SegmentKind, str] = {
    SegmentKind.GET_READY: "bold yellow",
    SegmentKind.CONTRACT: "bold magenta",
    SegmentKind.HOLD: "bold green",
    SegmentKind.REPS: "bold green",
    SegmentKind.REST: "bold blue",
    SegmentKind.SWITCH_SIDE: "bold cyan",
    SegmentKind.TRANSITION: "bold cyan",
}

# A 5-row block font for the countdown; each glyph is 3 cells wide.
_DIGITS = {
    "0": ["███", "█ █", "█ █", "█ █", "███"],
    "1": [" ██", "  █", "  █", "  █", "  █"],
    "2": ["███", "  █", "███", "█  ", "███"],
    "3": ["███", "  █", "███", "  █", "███"],
    "4": ["█ █", "█ █", "███", "  █", "  █"],
    "5": ["███", "█  ", "███", "  █", "███"],
    "6": ["███", "█  ", "███", "█ █", "███"],
    "7": ["███", "  █", "  █", "  █", "  █"],
    "8": ["███", "█ █", "███", "█ █", "███"],
    "9": ["███", "█ █", "███", "  █", "███"],
    ":": ["   ", " █ ", "   ", " █ ", "   "],
}

KEYS_HELP = "space pause/resume · → or n skip · ← or p back · q quit"


def format_clock(seconds: float) -> str:
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}" if whole >= 60 else str(whole)


def format_duration(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def big_text(text: str) -> str:
    rows = ["", "", "", "", ""]
    for char in text:
        glyph = _DIGITS.get(char)
        if glyph is None:
            continue
        for row in range(5):
            rows[row] += glyph[row] + " "
    return "\n".join(row.rstrip() for row in rows)


def side_label(segment: Segment, timeline: Timeline) -> str:
    if segment.side is Side.BOTH:
        return ""
    noun = timeline.steps[segment.step_index].exercise.side_noun
    return f"{segment.side.value} {noun}"


def headline(segment: Segment, timeline: Timeline) -> str:
    parts = [segment.title.upper()]
    side = side_label(segment, timeline)
    if side and segment.kind.is_work:
        parts.append(side.upper())
    if segment.kind.is_work and segment.sets_total > 1:
        parts.append(f"{segment.set_number} of {segment.sets_total}")
    return " · ".join(parts)


def describe_next(view: PlayerView, timeline: Timeline) -> str:
    following = view.next_segment
    if following is None:
        return "Next: finished, well done"
    if following.kind is SegmentKind.TRANSITION:
        return f"Next: {following.exercise_name}"
    side = side_label(following, timeline)
    if following.kind.is_work:
        where = f" ({side})" if side else ""
        return (
            f"Next: {following.title.lower()}{where}, {format_duration(following.duration_seconds)}"
        )
    return f"Next: {following.title.lower()}"


def guidance_lines(segment: Segment, timeline: Timeline) -> list[str]:
    exercise = timeline.steps[segment.step_index].exercise
    if not segment.kind.is_work:
        return []
    # A rep segment's cue already says the first instruction; do not print it twice.
    return [cue for cue in exercise.cues if cue not in segment.cue]


def render_view(view: PlayerView, timeline: Timeline, width: int, height: int) -> RenderableType:
    segment = view.segment
    if segment is None:
        return Text("Finished.")
    step_text = f"step {segment.step_index + 1} of {len(timeline.steps)}"
    style = KIND_STYLES[segment.kind]
    clock = format_clock(view.remaining_in_segment)
    progress_line = Table.grid(expand=True)
    progress_line.add_column(ratio=1)
    progress_line.add_column(justify="right", no_wrap=True)
    progress_line.add_row(
        ProgressBar(total=max(view.total_seconds, 1.0), completed=view.position_seconds),
        f" {format_duration(view.position_seconds)} / {format_duration(view.total_seconds)}",
    )
    paused = view.status is Status.PAUSED
    rep_text = f"rep {view.rep} of {segment.reps}" if segment.kind is SegmentKind.REPS else ""

    if height < 9 or width < 30:
        line = Text.assemble(
            (headline(segment, timeline), style),
            " ",
            (clock + "s", "bold"),
            " ",
            segment.exercise_name,
            (" PAUSED" if paused else "", "bold red"),
        )
        return Group(line, progress_line)

    header = Table.grid(expand=True)
    header.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    header.add_column(justify="right", no_wrap=True)
    header.add_row(Text(timeline.routine_name, style="bold"), Text(step_text, style="dim"))

    if height < 16:
        # Small panes (SSH, split windows): one line each, nothing wraps, all of it fits.
        def one_line(text: Text) -> Text:
            text.no_wrap = True
            text.overflow = "ellipsis"
            return text

        status = Text.assemble((f"{clock} s", style), "  ", (rep_text, "bold"))
        if paused:
            status.append("  PAUSED", style="bold red")
        return Panel(
            Group(
                header,
                one_line(
                    Text.assemble(
                        (headline(segment, timeline), style), "  ", (segment.exercise_name, "bold")
                    )
                ),
                one_line(status),
                one_line(Text(segment.cue)),
                one_line(Text(describe_next(view, timeline), style="italic")),
                progress_line,
            ),
            border_style=style.replace("bold ", ""),
            subtitle="space · n · p · q",
        )

    body: list[RenderableType] = [header, Text("")]
    body.append(Align.center(Text(headline(segment, timeline), style=style)))
    body.append(Align.center(Text(segment.exercise_name, style="bold")))
    roomy = height >= 24 and width >= 40
    if roomy:
        body.append(Text(""))
        body.append(Align.center(Text(big_text(clock), style=style)))
    else:
        body.append(Align.center(Text(f"{clock} s", style=style)))
    if rep_text:
        body.append(Align.center(Text(rep_text, style="bold")))
    if paused:
        body.append(Align.center(Text("PAUSED: press space to carry on", style="bold red")))
    body.append(Text(""))
    body.append(Align.center(Text(segment.cue), width=min(width - 4, 90)))
    if roomy:
        cues = guidance_lines(segment, timeline)
        budget = height - 24
        if cues and budget > 0:
            steps = Table.grid(padding=(0, 1))
            steps.add_column(justify="right", style="dim")
            steps.add_column(style="dim")
            for number, cue in enumerate(cues[:budget], start=1):
                steps.add_row(f"{number}.", cue)
            body += [Text(""), steps]
    body.append(Text(""))
    body.append(Text(describe_next(view, timeline), style="italic"))
    body.append(progress_line)
    return Panel(
        Group(*body),
        title="deskstretch",
        subtitle=KEYS_HELP if width >= 64 else "space · n · p · q",
        border_style=style.replace("bold ", ""),
    )


def decode_keys(data: str) -> list[str]:
    commands: list[str] = []
    index = 0
    while index < len(data):
        chunk = data[index:]
        if chunk.startswith(("\x1b[C", "\x1bOC")):
            commands.append(Command.SKIP)
            index += 3
            continue
        if chunk.startswith(("\x1b[D", "\x1bOD")):
            commands.append(Command.BACK)
            index += 3
            continue
        char = chunk[0]
        index += 1
        if char == " ":
            commands.append(Command.TOGGLE)
        elif char in "nN":
            commands.append(Command.SKIP)
        elif char in "pPbB":
            commands.append(Command.BACK)
        elif char in "qQ\x03":
            commands.append(Command.QUIT)
    return commands


class Feedback:
    """Bell and voice at each change; shared by both front ends."""

    def __init__(self, out: IO[str], bell: bool, voice: Voice | None) -> None:
        self.out = out
        self.bell = bell
        self.voice = voice

    def announce(self, events: list[PlayerEvent]) -> None:
        for event in events:
            if event.kind is EventKind.SEGMENT_STARTED and event.segment is not None:
                self._ring()
                if self.voice:
                    self.voice.say(spoken_cue(event.segment))
            elif event.kind is EventKind.FINISHED:
                self._ring()
                if self.voice:
                    self.voice.say("Routine complete. Well done.")

    def _ring(self) -> None:
        if self.bell:
            self.out.write("\a")
            self.out.flush()


def spoken_cue(segment: Segment) -> str:
    return segment.cue


class ScreenFrontend:
    """Rich full-screen player reading single keys from a terminal in cbreak mode."""

    def __init__(self, console: Console, timeline: Timeline, feedback: Feedback, fd: int) -> None:
        from rich.live import Live

        self.console = console
        self.timeline = timeline
        self.feedback = feedback
        self.fd = fd
        self.live = Live(console=console, screen=True, auto_refresh=False, transient=True)

    def __enter__(self) -> ScreenFrontend:
        self.live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.live.__exit__(None, None, None)

    def on_events(self, events: list[PlayerEvent], view: PlayerView) -> None:
        self.feedback.announce(events)
        if view.segment is not None:
            self.draw(view)

    def draw(self, view: PlayerView) -> None:
        size = self.console.size
        self.live.update(render_view(view, self.timeline, size.width, size.height), refresh=True)

    def wait(self, timeout: float | None) -> list[str]:
        try:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                return []
            data = os.read(self.fd, 64)
        except KeyboardInterrupt:
            return [Command.QUIT]
        except InterruptedError:  # SIGWINCH: redraw at the new size
            return []
        if not data:
            return [Command.QUIT]
        return decode_keys(data.decode("utf-8", errors="ignore"))


class PlainFrontend:
    """Prints one timestamped line per segment; for pipes, logs and screen readers."""

    def __init__(
        self,
        out: IO[str],
        timeline: Timeline,
        feedback: Feedback,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.out = out
        self.timeline = timeline
        self.feedback = feedback
        self.clock = clock
        self.started = clock()

    def on_events(self, events: list[PlayerEvent], view: PlayerView) -> None:
        for event in events:
            stamp = self._stamp()
            if event.kind is EventKind.SEGMENT_STARTED and event.segment is not None:
                segment = event.segment
                side = side_label(segment, self.timeline)
                where = f" [{side}]" if side else ""
                self.out.write(
                    f"{stamp} {segment.title} - {segment.exercise_name}{where} "
                    f"({format_duration(segment.duration_seconds)}): {segment.cue}\n"
                )
            elif event.kind is EventKind.PAUSED:
                self.out.write(f"{stamp} paused\n")
            elif event.kind is EventKind.RESUMED:
                self.out.write(f"{stamp} resumed\n")
            elif event.kind is EventKind.FINISHED:
                self.out.write(f"{stamp} finished\n")
            elif event.kind is EventKind.QUIT:
                self.out.write(f"{stamp} stopped early\n")
        self.out.flush()
        self.feedback.announce(events)

    def draw(self, view: PlayerView) -> None:
        return None

    def wait(self, timeout: float | None) -> list[str]:
        try:
            time.sleep(timeout if timeout is not None else 1.0)
        except KeyboardInterrupt:
            return [Command.QUIT]
        return []

    def _stamp(self) -> str:
        elapsed = self.clock() - self.started
        minutes, seconds = divmod(elapsed, 60)
        return f"[{int(minutes):02d}:{seconds:06.3f}]"


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False
