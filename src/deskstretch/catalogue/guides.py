"""How to do each flexibility test at home, in our own words (domain.md §5.1), shared by the
terminal (`deskstretch measure`) and the browser app's Progress page."""

from __future__ import annotations

from dataclasses import dataclass

from deskstretch.core.outcomes import CHAIR_SIT_AND_REACH_ERROR_CM, FINGERTIP_TO_FLOOR_MDC_CM
from deskstretch.core.records import MeasurementKind


@dataclass(frozen=True)
class Guide:
    """How to do one test, in our own words (domain.md §5.1), and how real change is judged."""

    kind: MeasurementKind
    command: str
    title: str
    steps: tuple[str, ...]
    rule: str


CAUTIONS = (
    "Move slowly and never bounce.",
    "A mild stretch is fine; stop at once with pain, tingling or numbness.",
    "Skip these tests if you have osteoporosis or if bending forward hurts.",
)
GUIDES = (
    Guide(
        MeasurementKind.CHAIR_SIT_AND_REACH,
        "deskstretch measure sit-and-reach --cm X --leg left|right",
        "Chair sit-and-reach (one leg at a time)",
        (
            "Push a steady chair (seat about 44 cm high) back against a wall.",
            "Sit near the front edge of the seat.",
            "Stretch one leg out straight, heel on the floor and toes pointing up; keep the other"
            " foot flat on the floor.",
            "Rest one hand on the other so the middle fingers line up.",
            "Breathe out and fold forward from the hips, sliding your hands down the straight leg"
            " towards the toes. Keep that knee straight and hold the furthest point for 2 seconds.",
            "Measure from your middle fingertips to the tip of your shoe, to the nearest cm:"
            " plus if you reach past the toes, minus if you stop short, 0 if you just touch.",
            "Do 2 practice reaches, then 2 measured ones, and record the better one.",
        ),
        f"≥ {CHAIR_SIT_AND_REACH_ERROR_CM:g} cm (our estimate of the measurement error);"
        " a longer reach is better",
    ),
    Guide(
        MeasurementKind.FINGERTIP_TO_FLOOR,
        "deskstretch measure toe-touch --cm X",
        "Fingertip-to-floor (standing toe-touch)",
        (
            "Stand on a firm floor with your feet together and your knees straight.",
            "Let your arms hang and bend forward slowly, reaching towards the floor as far as is"
            " comfortable. Keep your knees straight.",
            "Measure from the tip of your middle finger to the floor in cm (0 if you touch it).",
            "Come back up slowly.",
        ),
        f"≥ {FINGERTIP_TO_FLOOR_MDC_CM:g} cm (Ekedahl et al. 2012); a shorter distance is better",
    ),
)
GUIDE_BY_KIND = {guide.kind: guide for guide in GUIDES}
PSFS_QUESTION = (
    "How well can you do this today? 0 = unable, 10 = as well as before your back trouble"
)
