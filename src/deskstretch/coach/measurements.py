"""Flexibility tests, PSFS activities and questionnaires: check, store, compare with the baseline.

Application layer over a Store, for every front end. ODI, RMDQ, STarT Back and instrument packs
live in ``questionnaires`` and are re-exported here, so callers need one module.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from deskstretch.coach.questionnaires import (
    AnswersFile,
    InstrumentPack,
    QuestionnaireError,
    QuestionnaireOutcome,
    load_answers,
    load_instrument_pack,
    record_questionnaire,
)
from deskstretch.coach.sessions import new_id, utc_now
from deskstretch.core.errors import DeskstretchError, NotFoundError
from deskstretch.core.outcomes import ImportantChange, PsfsChange, measurement_change, psfs_change
from deskstretch.core.records import (
    ACTIVITY_NAME_MAX_CHARS,
    MEASUREMENT_RANGES_CM,
    NOTE_MAX_CHARS,
    Instrument,
    Measurement,
    MeasurementKind,
    PsfsActivity,
    QuestionnaireResult,
)
from deskstretch.core.safety import TAG_LABELS
from deskstretch.store import Store
from deskstretch.store import repository as repo

__all__ = [
    "AnswersFile",
    "InstrumentPack",
    "MeasurementError",
    "MeasurementNotAdvised",
    "MeasurementResult",
    "PsfsRating",
    "QuestionnaireError",
    "QuestionnaireOutcome",
    "add_activity",
    "check_leg",
    "check_test_allowed",
    "check_value_cm",
    "find_activity",
    "load_answers",
    "load_instrument_pack",
    "rate_psfs",
    "record_measurement",
    "record_questionnaire",
    "retire_activity",
]


class MeasurementError(DeskstretchError):
    """A flexibility test result, PSFS activity or rating (or a questionnaire's answers) that
    cannot be recorded; the message says what was expected."""


class MeasurementNotAdvised(DeskstretchError):
    """The person's screening (or pain on bending forward) rules a flexibility test out (§3.4)."""


# -- Flexibility tests (domain.md §5.1) ------------------------------------------------------------

PROTOCOLS: Mapping[MeasurementKind, str] = {
    MeasurementKind.CHAIR_SIT_AND_REACH: "csr-senior-fitness-test",
    MeasurementKind.FINGERTIP_TO_FLOOR: "ftf-standing",
}
TEST_NAMES: Mapping[MeasurementKind, str] = {
    MeasurementKind.CHAIR_SIT_AND_REACH: "chair sit-and-reach",
    MeasurementKind.FINGERTIP_TO_FLOOR: "fingertip-to-floor test",
}
# Plausible ranges (in core.records: imports are held to the same limits).
VALUE_RANGES_CM: Mapping[MeasurementKind, tuple[float, float]] = MEASUREMENT_RANGES_CM
_RANGE_HINTS: Mapping[MeasurementKind, str] = {
    MeasurementKind.CHAIR_SIT_AND_REACH: "+ past your toes, − short of them, 0 touching",
    MeasurementKind.FINGERTIP_TO_FLOOR: "the gap between fingertips and floor, 0 touching",
}
LEGS = ("left", "right")


def check_test_allowed(
    kind: MeasurementKind, tags: Collection[str], bending_hurts: bool = False
) -> None:
    """Refuse a forward-bending test with osteoporosis or pain on bending forward (§3.4)."""
    name = TEST_NAMES[kind]
    if "osteoporosis" in tags:
        raise MeasurementNotAdvised(
            f"The {name} is not advised for you: you told us about {TAG_LABELS['osteoporosis']},"
            " and the test reaches as far forward as you can with a rounded back, which bone"
            " health guidance advises against. Track your progress with `deskstretch psfs`"
            " instead."
        )
    if bending_hurts:
        raise MeasurementNotAdvised(
            f"Skip the {name} while bending forward hurts: the test would measure your pain more"
            " than your flexibility, and it should not be done with pain on bending forward."
        )


def check_value_cm(kind: MeasurementKind, value_cm: float) -> float:
    """The value rounded to the nearest 0.5 cm, or MeasurementError when it is out of range."""
    low, high = VALUE_RANGES_CM[kind]
    if (
        isinstance(value_cm, bool)
        or not isinstance(value_cm, int | float)
        or not math.isfinite(value_cm)
        or not low <= value_cm <= high
    ):
        raise MeasurementError(
            f"{TEST_NAMES[kind].capitalize()}: expected {low:g} to {high:g} cm"
            f" ({_RANGE_HINTS[kind]}), got {value_cm!r}."
        )
    halves = (Decimal(str(value_cm)) * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return float(halves) / 2 + 0.0  # + 0.0 turns -0.0 into 0.0


def check_leg(kind: MeasurementKind, leg: str | None) -> str | None:
    """The chair sit-and-reach is one leg at a time and needs it named; the others take none."""
    if kind is not MeasurementKind.CHAIR_SIT_AND_REACH:
        if leg is not None:
            raise MeasurementError(f"The {TEST_NAMES[kind]} uses both legs: leave out the leg.")
        return None
    chosen = (leg or "").strip().lower()
    if chosen not in LEGS:
        raise MeasurementError(
            "The chair sit-and-reach is done one leg at a time: say which leg was straight"
            f" (left or right), got {leg!r}."
        )
    return chosen


@dataclass(frozen=True)
class MeasurementResult:
    """A stored measurement and how it compares with the first and the previous one like it.

    Only results of the same test, protocol and leg are compared (zero points differ, §5.1);
    ``since_previous`` is None when the previous result is the baseline itself.
    """

    measurement: Measurement
    baseline: Measurement | None
    since_baseline: ImportantChange | None
    since_previous: ImportantChange | None

    @property
    def sentences(self) -> tuple[str, ...]:
        if self.since_baseline is None:
            return (
                "This is your first result for this test: later ones will be compared with it.",
            )
        lines = [f"Since your first test: {self.since_baseline.sentence}"]
        if self.since_previous is not None:
            lines.append(f"Since last time: {self.since_previous.sentence}")
        return tuple(lines)


def record_measurement(
    store: Store,
    kind: MeasurementKind,
    value_cm: float,
    leg: str | None = None,
    protocol: str | None = None,
    note: str = "",
    now: datetime | None = None,
) -> MeasurementResult:
    """Check and store one flexibility result; compare it with the baseline and the last one."""
    value = check_value_cm(kind, value_cm)
    side = check_leg(kind, leg)
    protocol = protocol or PROTOCOLS[kind]
    note = note.strip()
    if len(note) > NOTE_MAX_CHARS:
        raise MeasurementError(f"The note is {len(note)} characters; keep it to {NOTE_MAX_CHARS}.")
    at = now or utc_now()
    earlier = [
        m
        for m in repo.list_measurements(store, kind=kind)
        if m.protocol == protocol and m.leg == side and m.at <= at
    ]
    measurement = Measurement(new_id(), at, kind, value, protocol, side, note)
    repo.add_measurement(store, measurement)
    if not earlier:
        return MeasurementResult(measurement, None, None, None)
    baseline, previous = earlier[0], earlier[-1]
    since_previous = None
    if previous is not baseline:
        since_previous = measurement_change(kind, previous.value_cm, value)
    return MeasurementResult(
        measurement, baseline, measurement_change(kind, baseline.value_cm, value), since_previous
    )


# -- PSFS activities and ratings (Stratford et al. 1995; §4.2) ----------------------------------

PSFS_VERSION = "psfs-0-10"
MAX_ACTIVE_ACTIVITIES = 5
# Stratford et al. (1995) ask for up to three activities and allow more; the first run asks for
# one to three. Fewer than three are judged by the stricter single-activity rule (outcomes.py).
MIN_RATED_ACTIVITIES = 1
_MIN_PREFIX = 4


def add_activity(store: Store, name: str, now: datetime | None = None) -> PsfsActivity:
    """Add an activity to re-rate over time: 1-80 characters, at most 5 active, no repeats."""
    clean = " ".join(name.split())
    if not 1 <= len(clean) <= ACTIVITY_NAME_MAX_CHARS:
        raise MeasurementError(
            f"An activity name needs 1 to {ACTIVITY_NAME_MAX_CHARS} characters, got {len(clean)}."
        )
    active = repo.list_psfs_activities(store)
    same = [a for a in active if a.name.casefold() == clean.casefold()]
    if same:
        raise MeasurementError(f"'{same[0].name}' is already on your list of activities.")
    if len(active) >= MAX_ACTIVE_ACTIVITIES:
        raise MeasurementError(
            f"You already have {MAX_ACTIVE_ACTIVITIES} activities, the most the scale uses:"
            " retire one first (`deskstretch psfs retire ID`)."
        )
    activity = PsfsActivity(new_id(), clean, now or utc_now())
    repo.add_psfs_activity(store, activity)
    return activity


def find_activity(activities: Sequence[PsfsActivity], ref: str) -> PsfsActivity:
    """An activity by its id, a unique start of its id (4+ characters) or its exact name."""
    wanted = ref.strip()
    exact = [a for a in activities if a.id == wanted or a.name.casefold() == wanted.casefold()]
    if exact:
        return exact[0]
    prefixed = [a for a in activities if len(wanted) >= _MIN_PREFIX and a.id.startswith(wanted)]
    if len(prefixed) == 1:
        return prefixed[0]
    if prefixed:
        raise MeasurementError(f"'{wanted}' matches more than one activity: give more of the id.")
    raise NotFoundError("PSFS activity", wanted)


def retire_activity(store: Store, ref: str, now: datetime | None = None) -> PsfsActivity:
    """Stop asking about an activity; its past ratings are kept."""
    activity = find_activity(repo.list_psfs_activities(store, include_retired=True), ref)
    return repo.retire_psfs_activity(store, activity.id, now or utc_now())


@dataclass(frozen=True)
class PsfsRating:
    result: QuestionnaireResult
    names: Mapping[str, str]
    change: PsfsChange | None
    note: str = ""


def rate_psfs(store: Store, ratings: Mapping[str, int], now: datetime | None = None) -> PsfsRating:
    """Store 0-10 ratings of 3-5 active activities (keys: ids, id starts or names)."""
    everything = repo.list_psfs_activities(store, include_retired=True)
    answers: dict[str, int | None] = {}
    for ref, value in ratings.items():
        activity = find_activity(everything, ref)
        if activity.retired_at is not None:
            raise MeasurementError(f"'{activity.name}' is retired: rate your current activities.")
        if activity.id in answers:
            raise MeasurementError(f"'{activity.name}' is rated twice.")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise MeasurementError(
                f"Rating for '{activity.name}': expected a whole number 0 to 10, got {value!r}."
            )
        answers[activity.id] = value
    if not MIN_RATED_ACTIVITIES <= len(answers) <= MAX_ACTIVE_ACTIVITIES:
        raise MeasurementError(
            f"Rate {MIN_RATED_ACTIVITIES} to {MAX_ACTIVE_ACTIVITIES} activities (got"
            f' {len(answers)}); add more with `deskstretch psfs add "ACTIVITY"`.'
        )
    earlier = repo.list_questionnaire_results(store, instrument=Instrument.PSFS)
    rated = {key: value for key, value in answers.items() if value is not None}
    mean = round(sum(rated.values()) / len(rated), 2)
    result = QuestionnaireResult(
        new_id(), now or utc_now(), Instrument.PSFS, PSFS_VERSION, answers, mean,
        extra={"rated": float(len(rated))},
    )  # fmt: skip
    repo.add_questionnaire_result(store, result)
    names = {a.id: a.name for a in everything}
    if not earlier:
        return PsfsRating(result, names, None, "This is your first rating: your baseline.")
    first = {key: value for key, value in earlier[0].answers.items() if value is not None}
    try:
        return PsfsRating(result, names, psfs_change(first, rated, names))
    except DeskstretchError:
        note = "None of these activities was in your first rating, so there is nothing to compare."
        return PsfsRating(result, names, None, note)
