"""``deskstretch welcome``: the first run in the terminal, the same steps as the browser's.

Welcome → the safety questions as short checklists (type the numbers that apply, or Enter for
none; ticked items are then asked in full) → a goal (one to three activities rated 0-10, back and
leg pain, an optional chair sit-and-reach) → your plan, and the first session if you like.
The answers are judged by ``core.safety.steps`` and stored by ``coach.first_run``, as in the
browser. Line-based input: it works in any terminal and reads from a pipe as well.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from deskstretch.cli.screening import save_and_show
from deskstretch.coach import Coach
from deskstretch.coach.first_run import (
    MAX_GOAL_ACTIVITIES,
    Goal,
    GoalError,
    first_plan,
    remeasure_sentence,
    save_goal,
)
from deskstretch.coach.plans import level_text, programme_outline, week_text
from deskstretch.core.errors import SafetyStop
from deskstretch.core.records import ACTIVITY_NAME_MAX_CHARS
from deskstretch.core.safety.steps import (
    CLEARANCE_QUESTION,
    STEPS,
    Answer,
    Step,
    needs_clearance,
    screening_from_answers,
    step_answers,
    stopping_answer,
    time_estimate,
)

T = TypeVar("T")

WELCOME = (
    "Short, guided stretch and movement breaks at your desk, for a lower back that feels better."
    " Three short parts: a safety check, your goal, and your plan.\n\n"
    "It is not a diagnosis or a treatment: stretching makes the hamstrings more flexible, and"
    " whether that eases back pain is still debated, so we never promise a cure. If an answer"
    " points to a doctor, we say so plainly and hold the routines back.\n\n"
    "Your answers stay on this computer."
)
STOPPED = "Stopped before the end; nothing was saved."
KEYS: dict[Answer, tuple[str, str]] = {
    Answer.YES: ("y", "yes"),
    Answer.CLEARED: ("c", "yes, and a doctor has checked it and said gentle exercise is fine"),
    Answer.NO: ("n", "no, I ticked this by mistake"),
}


def _line(console: Console, prompt: str, stopped: str = STOPPED) -> str:
    console.print(Text(prompt, style="bold"), end=" ")
    try:
        return input().strip()
    except EOFError:
        raise SafetyStop(stopped) from None


def _until(
    console: Console, prompt: str, read: Callable[[str], T | None], hint: str, stopped: str
) -> T:
    """Ask until ``read`` understands the reply (it returns None when it does not)."""
    while True:
        value = read(_line(console, prompt, stopped))
        if value is not None:
            return value
        console.print(hint, style="yellow", markup=False)


def _ticks(reply: str, count: int) -> frozenset[int] | None:
    """ "1 3" or "1,3" → {1, 3}; "" → none; anything else → None (not understood)."""
    parts = reply.replace(",", " ").split()
    if not all(part.isdigit() and 1 <= int(part) <= count for part in parts):
        return None
    return frozenset(int(part) for part in parts)


def _ask_step(console: Console, step: Step, number: int) -> dict[str, Answer]:
    console.print()
    console.print(Text(f"Step {number} of {len(STEPS)}: {step.title}", style="bold cyan"))
    console.print(step.lead, markup=False)
    for index, item in enumerate(step.items, start=1):
        console.print(f"  {index}. {item.label}", markup=False)
    count = len(step.items)
    chosen = _until(
        console,
        "Type the numbers that apply (like 1 3), or press Enter for none of these:",
        lambda reply: _ticks(reply, count),
        f"Please type numbers from 1 to {count}, separated by spaces, or press Enter for none.",
        STOPPED,
    )
    ticked = {step.items[n - 1].id for n in chosen}
    details: dict[str, str] = {}
    for item in (i for i in step.items if i.id in ticked):
        console.print()
        console.print(item.text, style="bold", markup=False)
        options = {KEYS[a][0]: a for a in item.answers}
        for answer in item.answers:
            console.print(f"  [{KEYS[answer][0]}] {KEYS[answer][1]}", markup=False)
        keys = "/".join(options)
        details[item.id] = _until(
            console,
            f"[{keys}]",
            lambda reply, options=options: options.get(reply.lower()[:1]),  # type: ignore[misc]
            f"Please type one of {keys}.",
            STOPPED,
        ).value
    return step_answers(step, ticked, details)


def _yes_no(reply: str) -> bool | None:
    return {"y": True, "yes": True, "n": False, "no": False}.get(reply.lower())


def ask_safety(coach: Coach, console: Console) -> bool:
    """The grouped safety steps, saved; True when routines may play afterwards."""
    console.print(Text(time_estimate(), style="dim"))
    answers: dict[str, Answer] = {}
    clearance = False
    for number, step in enumerate(STEPS, start=1):
        answers |= _ask_step(console, step, number)
        if stopping_answer(answers):
            break
    else:
        if needs_clearance(answers):
            console.print()
            clearance = _until(
                console,
                f"{CLEARANCE_QUESTION} [y/n]",
                _yes_no,
                "Please type y for yes or n for no.",
                STOPPED,
            )
    now = datetime.now(UTC).isoformat(timespec="seconds")
    verdict = save_and_show(coach, console, screening_from_answers(answers, clearance, now))
    return verdict.routines_allowed


def _score(reply: str) -> int | None:
    return int(reply) if reply.isdigit() and 0 <= int(reply) <= 10 else None


def _cm(reply: str) -> float | None:
    try:
        return float(reply.replace("−", "-").replace(",", "."))
    except ValueError:
        return None


def ask_goal(coach: Coach, console: Console) -> Goal:
    stopped = (
        "Stopped before your goal was saved; your safety answers are kept."
        " Run `deskstretch welcome` to go on."
    )
    console.print()
    console.print(Text("Your goal", style="bold cyan"))
    console.print(
        "Up to three everyday activities your back makes hard, for example putting on socks or"
        " sitting through a long meeting. Rate each from 0 (I cannot do it) to 10 (as well as"
        " before my back trouble).",
        markup=False,
    )
    activities: list[tuple[str, int]] = []
    while len(activities) < MAX_GOAL_ACTIVITIES:
        number = len(activities) + 1
        prompt = f"Activity {number}" + (":" if number == 1 else " (Enter when you have no more):")
        name = " ".join(_line(console, prompt, stopped).split())
        if not name:
            if activities:
                break
            console.print("Please name at least one activity.", style="yellow")
            continue
        if len(name) > ACTIVITY_NAME_MAX_CHARS:
            console.print(
                f"Please keep it to {ACTIVITY_NAME_MAX_CHARS} characters.", style="yellow"
            )
            continue
        if name.casefold() in (n.casefold() for n, _ in activities):
            console.print("You have named that one already.", style="yellow")
            continue
        rating = _until(
            console,
            "  How well can you do it now, 0 to 10?",
            _score,
            "Please type a whole number from 0 to 10.",
            stopped,
        )
        activities.append((name, rating))
    back = _until(
        console,
        "Back pain right now, 0 (none) to 10?",
        _score,
        "Please type a whole number from 0 to 10.",
        stopped,
    )
    leg = _until(
        console,
        "Leg pain right now, 0 (none) to 10?",
        _score,
        "Please type a whole number from 0 to 10.",
        stopped,
    )
    reach, leg_used = _ask_reach(coach, console, stopped)
    return Goal(tuple(activities), back, leg, reach, leg_used)


def _ask_reach(coach: Coach, console: Console, stopped: str) -> tuple[float | None, str | None]:
    from deskstretch.coach.measurements import (
        MeasurementError,
        MeasurementNotAdvised,
        check_test_allowed,
        check_value_cm,
    )
    from deskstretch.core.records import MeasurementKind

    kind = MeasurementKind.CHAIR_SIT_AND_REACH
    try:
        check_test_allowed(kind, coach.active_tags())
    except MeasurementNotAdvised:
        console.print(
            "The chair sit-and-reach is left out for you (it reaches forward with a rounded back)."
        )
        return None, None
    console.print()
    console.print(
        "Optional: a chair sit-and-reach. Sit on the front edge of a chair, one leg straight with"
        " the heel down, and reach slowly toward its toes to a mild pull. Plus cm past the toes,"
        " minus cm short of them.",
        markup=False,
    )
    while True:
        reply = _line(console, "Distance in cm (Enter to skip):", stopped)
        if not reply:
            return None, None
        value = _cm(reply)
        if value is not None:
            try:
                check_value_cm(kind, value)
                break
            except MeasurementError as wrong:
                console.print(wrong.message, style="yellow", markup=False)
                continue
        console.print(
            "Please type a number like -4 or 2.5, or press Enter to skip.", style="yellow"
        )
    leg = _until(
        console,
        "Which leg was straight? [left/right]",
        lambda reply: {"l": "left", "left": "left", "r": "right", "right": "right"}.get(
            reply.lower()
        ),
        "Please type left or right.",
        stopped,
    )
    return value, leg


def show_plan(coach: Coach, console: Console) -> str | None:
    """Print the plan; the id of today's session, or None without one."""
    plan = first_plan(coach)
    if plan is None:
        return None
    now, standing = plan.today, plan.today.standing
    names = coach.routine_set.routines

    def name(routine_id: str) -> str:
        return names[routine_id].name if routine_id in names else routine_id

    where = week_text(standing)
    lines = [
        Text(f"{now.programme.name}: {programme_outline(now.programme)}.", style="bold"),
        Text(f"{where[:1].upper()}{where[1:]}. {level_text(standing)} {standing.level.aim}"),
        Text("\nThis week:", style="bold"),
    ]
    for day in now.plan.days:
        if day.day < standing.today:
            continue
        label = "Today" if day.day == standing.today else f"{day.day:%A} {day.day.day} {day.day:%B}"
        lines.append(
            Text(
                f"  {label}: {name(day.routine_id) if day.routine_id else 'rest, or a gentle walk'}"
            )
        )
    lines.append(Text(f"\n{remeasure_sentence(now.programme.remeasure_weeks, standing.week)}"))
    lines.append(Text("\nBreaks through your working day:", style="bold"))
    lines += [Text(f"  {line}") for line in plan.breaks]
    lines.append(
        Text(
            "  If your reminders are not running yet: `deskstretch remind` runs them now,"
            " `deskstretch remind install` starts them with your computer."
        )
    )
    from rich.console import Group

    console.print()
    console.print(Panel(Group(*lines), title="Your plan", title_align="left", border_style="green"))
    return standing.routine_id if not standing.paused else None


def ask_reminders(coach: Coach, console: Console) -> None:
    """One y/n question, asked only while the person has not chosen (the browser asks the same)."""
    from deskstretch.coach.breaks import offer_sentence

    reminders = coach.reminders
    setup = reminders.setup()
    if setup.state != "unset" or setup.problem is not None:
        return
    console.print()
    console.print(
        f"{offer_sentence(setup.policy)} They come as desktop notifications, and you can pause"
        " them whenever you like.",
        markup=False,
    )
    on = _until(
        console,
        "Turn on break reminders? [y/n]",
        _yes_no,
        "Please type y for yes or n for no.",
        "Your plan is saved; break reminders stay off until you turn them on"
        " (Settings in `deskstretch app`).",
    )
    reminders.switch(on)
    if on:
        console.print(
            "Break reminders are on. `deskstretch app` starts them with the app, and"
            " `deskstretch remind install` starts them with your computer from now on.",
            markup=False,
        )
    else:
        console.print(
            "No break reminders. Turn them on any time in Settings (`deskstretch app`).",
            markup=False,
        )


def run_welcome(coach: Coach, play: Callable[[], None]) -> None:
    """The whole first run; ``play`` starts today's session when the person says yes."""
    console = Console(highlight=False)
    console.print(
        Panel(WELCOME, title="Welcome to deskstretch", title_align="left", border_style="cyan")
    )
    if not ask_safety(coach, console):
        raise SafetyStop("Routines stay paused for now (see the advice above).")
    while True:
        goal = ask_goal(coach, console)
        try:
            save_goal(coach, goal)
            break
        except GoalError as error:
            console.print(
                f"That was not saved: {error.message}. Please try again.",
                style="yellow",
                markup=False,
            )
    routine = show_plan(coach, console)
    ask_reminders(coach, console)
    if routine is None:
        return
    start = _until(
        console,
        "Start your first session now? [y/n]",
        _yes_no,
        "Please type y for yes or n for no.",
        "Your plan is saved. Start a session any time with `deskstretch start`.",
    )
    if start:
        play()
    else:
        console.print("Your plan is saved. Start a session any time with `deskstretch start`.")
