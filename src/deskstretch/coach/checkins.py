"""Check-ins: pain right now, saved with the pain rules of domain.md §3.3 that look at it at once.

Application layer between the Coach and the store: a check-in after a session that was too much
marks the session, and leg symptoms that call for the cauda equina questions again lock routines
(in every front end) until they are answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from deskstretch.coach.sessions import new_id, utc_now
from deskstretch.core.painrules import session_was_too_much, should_reask_cauda_equina
from deskstretch.core.records import CheckIn, CheckInContext, ProgrammeEvent, ProgrammeEventKind
from deskstretch.store import Store
from deskstretch.store import repository as repo


@dataclass(frozen=True)
class CheckInResult:
    checkin: CheckIn
    messages: tuple[str, ...]
    too_much: bool
    reask_cauda_equina: bool


def record_checkin(
    store: Store,
    back_pain: int | None,
    leg_pain: int | None,
    context: CheckInContext,
    session_id: str | None = None,
    note: str = "",
    last_reask: datetime | None = None,
    now: datetime | None = None,
) -> CheckInResult:
    """Save a check-in and apply the pain rules that look at it straight away.

    When the check-in calls for the cauda equina questions again, a QUESTIONS_DUE event is saved
    with it (one transaction): no routine plays until they are answered, in any front end.
    """
    at = now or utc_now()
    previous_list = repo.list_checkins(store, since=at - timedelta(days=60))
    previous = previous_list[-1] if previous_list else None
    checkin = CheckIn(new_id(), at, back_pain, leg_pain, context, session_id, note)
    reask = should_reask_cauda_equina(checkin, previous, last_reask, at)
    due = (ProgrammeEvent(new_id(), at, ProgrammeEventKind.QUESTIONS_DUE),) if reask else ()
    repo.add_checkin(store, checkin, due)
    messages: list[str] = []
    too_much = False
    if context is CheckInContext.AFTER_SESSION and session_id:
        before = next(
            (
                c
                for c in reversed(previous_list)
                if c.session_id == session_id and c.context is CheckInContext.BEFORE_SESSION
            ),
            None,
        )
        verdict = session_was_too_much(before, checkin)
        if verdict is not None:
            too_much = True
            repo.mark_too_much(store, session_id)
            messages.append(
                f"That looks like it was a bit much ({verdict.reason.rstrip('.')}). Next time "
                "deskstretch "
                "will offer easier versions. Rest today, and move gently."
            )
    return CheckInResult(checkin, tuple(messages), too_much, reask)
