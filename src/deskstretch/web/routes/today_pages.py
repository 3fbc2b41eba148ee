"""Today (today's session or suggested routine, the programme the person follows or an offer of
one, streak, 5-second pain check-in) and Get help pages.

Thin over the Coach: each route reads or validates, calls the Coach, and renders a typed page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from deskstretch.coach import Coach, Plan
from deskstretch.coach.plans import (
    programme_outline,
)
from deskstretch.config import Preferences, load_preferences
from deskstretch.core.errors import (
    DeskstretchError,
    NotFoundError,
    ProgrammePaused,
    QuestionsDue,
    SafetyStop,
)
from deskstretch.core.milestones import Milestone, WeeklyRecap
from deskstretch.core.models import Routine
from deskstretch.core.programme import Programme
from deskstretch.core.records import CheckInContext, ProgrammeEventKind
from deskstretch.core.safety import SafetyVerdict, Urgency, advice_for
from deskstretch.web.deps import CoachDep
from deskstretch.web.forms import NOT_FILLED, Filled, Form, FormReader, local_path
from deskstretch.web.phrasing import (
    URGENCY_HEADINGS,
    is_urgent,
    step_text,
    verdict_heading,
)
from deskstretch.web.programme_card import ProgrammeCard, programme_card
from deskstretch.web.reminder_views import BreaksCard, breaks_card
from deskstretch.web.rendering import Flash, redirect, render

router = APIRouter()

SHOWN_MILESTONES = 3


# -- Today -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    routine: Routine
    seconds: float
    steps: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Blocked:
    """Why there is no Start button today, and where to go instead."""

    heading: str
    advice: str
    urgent: bool
    links: tuple[tuple[str, str], ...]
    resumable: bool = False
    """Paused by two worse days: offer the buttons that lift it (only the person can)."""


@dataclass(frozen=True)
class CalendarCell:
    day: date
    done: bool
    is_today: bool
    is_future: bool


@dataclass(frozen=True)
class ProgrammeOffer:
    programme: Programme
    outline: str
    lead: str
    """The summary's first sentence."""


@dataclass(frozen=True)
class TodayPage:
    date_text: str
    suggestion: Suggestion | None
    blocked: Blocked | None
    streak: int
    week_days: int
    goal_days: int
    calendar: tuple[tuple[CalendarCell, ...], ...]
    programme: ProgrammeCard | None = None
    offers: tuple[ProgrammeOffer, ...] = ()
    """Built-in programmes to start, when the person follows none."""
    programme_problem: str = ""
    """Why the programme the person follows cannot be shown (its file has gone)."""
    has_sessions: bool = True
    """False before any session at all: a welcome instead of an empty calendar."""
    milestones: tuple[Milestone, ...] = ()
    """The latest few milestones reached, newest first."""
    recap: WeeklyRecap | None = None
    first_run: str = ""
    """ "new" (nothing done yet) or "offer" (has history, no plan): the first run is offered."""
    checkin: Filled = NOT_FILLED
    """The check-in form as sent, when it comes back with a problem."""
    breaks: BreaksCard | None = None
    """The break reminders: the next break, or the offer to turn them on (None: not shown)."""

    @property
    def calendar_days(self) -> int:
        return sum(cell.done for week in self.calendar for cell in week)


def _blocked_by(verdict: SafetyVerdict) -> Blocked:
    heading = verdict_heading(verdict)
    if verdict.urgency is not None:
        links = (("/help", "Where to get help"), ("/safety", "Answer the safety questions again"))
        return Blocked(heading, verdict.advice, is_urgent(verdict), links)
    return Blocked(heading, verdict.advice, False, (("/safety", "Answer the safety questions"),))


def _suggest(coach: Coach, session: str | None = None) -> tuple[Suggestion | None, Blocked | None]:
    """Today's routine: the programme's ``session`` when given, else the default routine."""
    verdict = coach.verdict()
    if not verdict.routines_allowed:
        return None, _blocked_by(verdict)
    try:
        name = session or load_preferences(coach.settings).default_routine
    except DeskstretchError:
        name = Preferences().default_routine  # a broken config.toml: Settings says so and fixes it
    try:
        plan: Plan = coach.plan(coach.resolve_routine(name, None))
    except QuestionsDue as due:
        links = (("/safety/recheck", "Answer the questions"), ("/help", "When to get help"))
        return None, Blocked("A few safety questions first", due.message, False, links)
    except ProgrammePaused as paused:
        links = (("/help", "When to get help"), ("/progress", "Your progress"))
        return None, Blocked("Routines are paused", paused.message, False, links, resumable=True)
    except SafetyStop as stop:
        links = (("/help", "When to get help"), ("/progress", "Your progress"))
        return None, Blocked("A pause for now", stop.message, False, links)
    except NotFoundError as missing:
        links = (("/settings", "Choose another default routine"), ("/routines", "All routines"))
        return None, Blocked("Your default routine is missing", missing.message, False, links)
    seconds = plan.timeline.total_seconds
    steps = tuple(step_text(step) for step in plan.routine.steps)
    notes = (*plan.notes, *plan.warnings)
    return Suggestion(plan.routine, seconds, steps, notes), None


def _first_run(coach: Coach, has_sessions: bool) -> str:
    """Offered, never forced: to a newcomer as the way in, to others once, until "not now"."""
    from deskstretch.coach.first_run import offer_first_run

    if not offer_first_run(coach):
        return ""
    return "offer" if has_sessions or not coach.needs_screening() else "new"


def _offers(coach: Coach) -> tuple[ProgrammeOffer, ...]:
    found = coach.programme_set
    return tuple(
        ProgrammeOffer(p, programme_outline(p), p.summary.split(". ")[0].rstrip(".") + ".")
        for p in coach.programmes()
        if found.is_built_in(p.id)
    )


@router.get("/", response_class=HTMLResponse)
def today(request: Request, coach: CoachDep) -> HTMLResponse:
    return render(request, "today.html", title="Today", page=_today_page(coach))


def _today_page(coach: Coach, checkin: Filled = NOT_FILLED) -> TodayPage:
    summary = coach.progress_summary()  # first: it also prepares the pain plan _suggest needs
    card: ProgrammeCard | None = None
    offers: tuple[ProgrammeOffer, ...] = ()
    problem = ""
    try:
        followed = coach.programme_today()  # reads the history the summary has just read
    except DeskstretchError as error:  # the programme's file has gone: say so, offer a stop
        followed, problem = None, error.message
    if followed is not None:
        card = programme_card(coach, followed)
    elif not problem:
        offers = _offers(coach)
    suggestion, blocked = _suggest(
        coach, card.routine_id if card is not None and card.is_running else None
    )
    if card is not None and card.paused and suggestion is not None:
        # Never a Start button while the programme is paused, whatever the routine's own gates say.
        links = (("/safety", "Safety questions"), ("/help", "When to get help"))
        suggestion, blocked = None, Blocked("Your programme is paused", card.paused, False, links)
    first_run = _first_run(coach, summary.has_sessions) if followed is None and not problem else ""
    if first_run == "new":
        # A newcomer has one way in: the first run asks the same questions in short steps and
        # ends in the programme, so neither the long form nor a second offer stands beside it.
        offers = ()
        if blocked is not None:
            blocked = replace(blocked, links=(("/start/safety", "Start the safety check"),))
    # From the history the summary and programme_today have read: no store read of its own.
    reached, recap = coach.milestones_and_recap(followed)
    today = summary.today
    calendar = tuple(
        tuple(CalendarCell(d.day, d.session_count > 0, d.day == today, d.day > today) for d in week)
        for week in summary.calendar
    )
    page = TodayPage(
        f"{today:%A} {today.day} {today:%B}",
        suggestion,
        blocked,
        summary.streak,
        summary.this_week.days,
        summary.goal_days,
        calendar,
        card,
        offers,
        problem,
        summary.has_sessions,
        tuple(reversed(reached[-SHOWN_MILESTONES:])),
        recap,
        first_run,
        checkin,
        breaks=_breaks(coach, first_run),
    )
    return page


def _breaks(coach: Coach, first_run: str) -> BreaksCard | None:
    """The Breaks card; a newcomer is offered the reminders at the end of the first run (Your
    plan), not beside its one way in."""
    card = breaks_card(coach)
    return None if card.kind == "offer" and first_run == "new" else card


@router.get("/checkin")
def checkin_page() -> RedirectResponse:
    """Today sent back with a problem has /checkin as its address: reloading it goes to Today."""
    return RedirectResponse("/", status_code=303)


@router.post("/checkin", response_model=None)
def checkin(request: Request, coach: CoachDep, form: Form) -> Response:
    """Save a check-in; a problem sends Today back (422), beside the scale, the choices kept."""
    reader = FormReader(form, "/", "Check-in not saved")
    back = reader.whole_number("back_pain", "Back pain", 0, 10)
    leg = reader.whole_number("leg_pain", "Leg pain", 0, 10)
    if back is None and leg is None and not reader.problems:
        reader.problem(
            "back_pain", "Back pain", "choose a number from 0 to 10 for your back, your leg or both"
        )
    if reader.problems:
        page = _today_page(coach, reader.filled())
        return render(request, "today.html", title="Check-in not saved", page=page, status_code=422)
    result = coach.check_in(back, leg, CheckInContext.ANYTIME)
    parts = [
        f"{site} {value}/10" for site, value in (("back", back), ("leg", leg)) if value is not None
    ]
    flashes = [Flash(f"Check-in saved: {', '.join(parts)}. Thank you.")]
    flashes += [Flash(message, "warning") for message in result.messages]
    if result.reask_cauda_equina:
        flashes.append(
            Flash(
                "Because of this change, please answer a few safety questions again.",
                "warning",
                "/safety/recheck",
                "Answer them now",
            )
        )
    return redirect(request, local_path(form.get("next", "/")), *flashes)


_RESUME_CHOICES = {
    "seen-clinician": ProgrammeEventKind.RESUMED_SEEN_CLINICIAN,
    "back-to-usual": ProgrammeEventKind.RESUMED_BACK_TO_USUAL,
}


@router.post("/programme/resume")
def resume_programme(request: Request, coach: CoachDep, form: Form) -> RedirectResponse:
    """Lift the pause after two worse days, on the person's word (the CLI's resume-programme)."""
    reader = FormReader(form, "/", "Routines not resumed")
    kind = reader.choice("choice", "Why routines can start again", _RESUME_CHOICES)
    reader.check()
    assert kind is not None
    if not coach.resume_programme(kind):
        return redirect(request, "/", Flash("Routines are not paused: nothing to lift."))
    done = (
        "Noted: you have seen a clinician. Routines are back; follow any advice they gave you."
        if kind is ProgrammeEventKind.RESUMED_SEEN_CLINICIAN
        else "Noted: your back feels as it usually does. Routines are back; start gently."
    )
    return redirect(request, "/", Flash(done))


# -- Get help --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HelpLevel:
    heading: str
    signs: str
    advice: str
    urgent: bool


HELP_SIGNS: tuple[tuple[Urgency, str], ...] = (
    (
        Urgency.EMERGENCY,
        "New trouble passing urine, loss of bladder or bowel control, numbness around the"
        " genitals, back passage or inner buttocks, or pain, numbness or weakness in both legs.",
    ),
    (
        Urgency.SAME_DAY,
        "A leg or foot getting weaker, a foot that catches or slaps down, numbness that is"
        " spreading, or new trouble walking.",
    ),
    (
        Urgency.URGENT,
        "Back pain after a major fall or accident (or a small one with thin bones), sudden severe"
        " pain in the middle of the back, a fever or feeling very unwell with back pain, or back"
        " pain when you have had cancer (your GP or your cancer team).",
    ),
    (
        Urgency.PROMPT,
        "Weight loss without trying, constant pain that is there at night too, pain that has not"
        " improved after about a month, or pain mainly in the upper or middle back.",
    ),
    (
        Urgency.ROUTINE,
        "Morning stiffness of more than half an hour that eases as you move.",
    ),
)


@dataclass(frozen=True)
class HelpPage:
    levels: tuple[HelpLevel, ...]


@router.get("/help", response_class=HTMLResponse)
def get_help(request: Request) -> HTMLResponse:
    levels = tuple(
        HelpLevel(URGENCY_HEADINGS[urgency], signs, advice_for(urgency), index < 2)
        for index, (urgency, signs) in enumerate(HELP_SIGNS)
    )
    return render(request, "help.html", title="Get help", page=HelpPage(levels))
