"""How to do each flexibility test at home, in our own words (domain.md §5.1), and the guided
photo self-test (§5.2), shared by the terminal (`deskstretch measure`, `deskstretch assess`) and
the browser app."""

from __future__ import annotations

from dataclasses import dataclass

from deskstretch.core.body_angles import PhotoTest
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


# -- Measuring from side-view photos (domain.md §5.2-5.3) ------------------------------------------


@dataclass(frozen=True)
class PhotoStep:
    """One step of the photo self-test: a short title and what to do, in our own words."""

    title: str
    text: str


@dataclass(frozen=True)
class PhotoPosition:
    """The position a photo is taken in: the test, its name on the command line, its steps."""

    test: PhotoTest
    option: str
    title: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class PhotoGuide:
    """The guided photo self-test (domain.md §5.2 capture protocol), shared by the terminal
    (`deskstretch assess`) and the browser app."""

    title: str
    intro: str
    steps: tuple[PhotoStep, ...]
    positions: tuple[PhotoPosition, ...]
    measures: tuple[str, ...]
    rule: str
    privacy: str
    cautions: tuple[str, ...]


PHOTO_GUIDE = PhotoGuide(
    title="Measure your forward bend from side-view photos",
    intro=(
        "Three photos of you from the side, at the furthest point of a chair sit-and-reach or a"
        " standing forward bend, give your forward-bend angle. Done the same way each time, it"
        " shows whether your flexibility changes over the weeks."
    ),
    steps=(
        PhotoStep(
            "Choose the position",
            "The chair sit-and-reach (seated, the gentler choice) or the standing forward bend."
            " Use the same one every time you measure: their angles are not comparable.",
        ),
        PhotoStep(
            "Wear fitted clothes",
            "Leggings or shorts and a close-fitting top, so the camera can see where your hip and"
            " knee are. A loose skirt, coat or hoodie hides them.",
        ),
        PhotoStep(
            "Find a plain background and good light",
            "A plain wall behind you, even light from the front or above (not a bright window"
            " behind you), and nobody else in the picture.",
        ),
        PhotoStep(
            "Put the camera at hip height",
            "Prop the phone on a shelf, a stack of books or a tripod so the lens is level with"
            " your hip, not looking down from above or up from the floor.",
        ),
        PhotoStep(
            "Stand the camera 2 to 3 metres away",
            "Far enough that your whole body, head to feet, fits in the picture in your furthest"
            " position, with a little space around it. Do not zoom in.",
        ),
        PhotoStep(
            "Turn side-on",
            "Set yourself up at right angles to the camera, so it sees a true side view: your far"
            " shoulder and hip should be hidden behind the near ones. The side facing the camera"
            " is the one measured; in the sit-and-reach, straighten the leg nearer the camera.",
        ),
        PhotoStep(
            "Keep the phone upright and level",
            "Portrait, not tilted forwards, backwards or sideways (a spirit-level app helps: within"
            " about 5°). A tilted phone tilts every angle with it.",
        ),
        PhotoStep(
            "Take three photos",
            "Use the self-timer or ask someone to press the button. Move slowly into position,"
            " hold your furthest comfortable point for about 2 seconds while the photo is taken,"
            " then come back up and rest. Do it three times, the same side to the camera.",
        ),
        PhotoStep(
            "Measure them",
            "Give all three photos to deskstretch at once: each is checked, and the median of"
            " those that pass is saved. A photo that cannot be measured says what to change.",
        ),
    ),
    positions=(
        PhotoPosition(
            PhotoTest.CHAIR_SIT_AND_REACH,
            "sit-and-reach",
            "Chair sit-and-reach",
            (
                "Push a steady chair back against a wall, side-on to the camera, and sit near the"
                " front edge of the seat.",
                "Stretch the leg nearer the camera out straight, heel on the floor and toes up;"
                " keep the other foot flat on the floor.",
                "Rest one hand on the other, breathe out and fold forward from the hips, reaching"
                " along the straight leg. Keep that knee straight.",
                "Hold the furthest point for about 2 seconds for the photo.",
            ),
        ),
        PhotoPosition(
            PhotoTest.STANDING_FORWARD_BEND,
            "forward-bend",
            "Standing forward bend",
            (
                "Stand side-on to the camera with your feet together on a firm floor.",
                "Let your arms hang and bend forward slowly as far as is comfortable, knees"
                " straight.",
                "Hold the furthest point for about 2 seconds for the photo, then come back up"
                " slowly.",
            ),
        ),
    ),
    measures=(
        "Forward-bend angle: how far your trunk folds towards your thigh (0° upright). It is hip,"
        " pelvis and spine together, not the hip joint alone.",
        "Knee bend: how far the measured knee is from straight. Above 10° the photo does not count,"
        " because a bent knee lets you fold further without stretching the back of the thigh.",
        "Trunk lean: the angle of your trunk from upright.",
    ),
    rule=(
        "Angles are shown to the nearest 5° and each is uncertain by about ±6°. A change under 10°"
        " between single photos (under 6° when both are the median of 3) can be measurement error,"
        " so it is reported as no detectable change."
    ),
    privacy=(
        "Photos are measured on this computer and never sent anywhere. They are not kept unless"
        " you ask, and kept photos can be deleted at any time."
    ),
    cautions=(
        "Move slowly and never bounce; a mild stretch is fine.",
        "Stop at once with pain, tingling or numbness.",
        "Skip this test if you have osteoporosis or if bending forward hurts.",
    ),
)
PHOTO_POSITION_BY_TEST = {position.test: position for position in PHOTO_GUIDE.positions}
