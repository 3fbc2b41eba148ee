"""Safety answers that could not be saved: the verdict that holds meanwhile, and making sure
the older answers cannot unlock routines in another process (the Coach fails closed)."""

from __future__ import annotations

import contextlib

from deskstretch.config import Settings, mark_screening_not_saved
from deskstretch.core.errors import AnswersNotSaved, WriteFailed
from deskstretch.core.safety import SafetyStatus, SafetyVerdict, Screening, assess

ANSWERS_NOT_SAVED_ADVICE = (
    "Your last safety answers could not be saved, so the older ones no longer count: routines"
    " stay locked until you answer the safety questions again (`deskstretch check`)."
)


def not_saved(screening: Screening, failed: WriteFailed, note: str = "") -> AnswersNotSaved:
    """The error for answers that could not be saved, with the verdict that holds meanwhile:
    a red flag keeps its own verdict and advice (already locked); anything else is locked as
    answers still to be given."""
    verdict = assess(screening)
    error = AnswersNotSaved(failed.path, failed.reason, screening, verdict, note)
    if verdict.status is not SafetyStatus.RED_FLAG:
        error.verdict = SafetyVerdict(
            SafetyStatus.OUTDATED,
            None,
            (),
            error.message,
            False,
            verdict.needs_clearance_for,
        )
    return error


def forget_older_answers(settings: Settings) -> str:
    """After a failed save, make sure the older answers cannot unlock routines in another
    process: delete them, or if that fails (a read-only config folder), leave a note in the
    data folder that they no longer count. Returns what to add to the error if neither works.
    """
    path = settings.screening_file
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
    if not (path.exists() or path.is_symlink()):
        return ""
    try:
        mark_screening_not_saved(settings)
    except WriteFailed as failed:
        return (
            f"The older answers in {path} could not be removed, nor could"
            f" {failed.path} be written ({failed.reason}), so they may count again the next"
            f" time deskstretch starts: make {settings.config_dir} writable and answer"
            " again."
        )
    return ""
