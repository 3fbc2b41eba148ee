"""Safety questions: the red-flag and condition questions, their urgency levels and tags.

Pure data: standard library only, no I/O, no clock reads. What we say back (advice, reasons)
is in advice.py; the rules that judge the answers are in verdict.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

# Bump whenever a question is added, removed or changes meaning: stored screenings with another
# version are OUTDATED and must be answered again. Reworded text with the same meaning keeps its id.
SCREENING_VERSION = 1


class Urgency(StrEnum):
    """How soon a person should get medical help, declared from most to least urgent.

    Compare with ``rank``, never with ``<``: these are strings and would sort alphabetically.
    """

    EMERGENCY = "emergency"  # go to an emergency department now
    SAME_DAY = "same_day"  # urgent medical assessment today
    URGENT = "urgent"  # see a doctor (or, after cancer, the cancer team) within 24 hours
    PROMPT = "prompt"  # see a GP/doctor within days
    ROUTINE = "routine"  # mention it at a routine GP appointment

    @property
    def rank(self) -> int:
        """0 for the most urgent level, rising as urgency falls."""
        return _URGENCY_ORDER.index(self)


_URGENCY_ORDER: tuple[Urgency, ...] = tuple(Urgency)


def most_urgent(urgencies: Iterable[Urgency]) -> Urgency | None:
    """The most urgent of ``urgencies``, or None when there are none."""
    return min(urgencies, key=lambda urgency: urgency.rank, default=None)


# -- Red flags (domain.md §3.1) --------------------------------------------------------------------


class RedFlagGroup(StrEnum):
    """Which §3.1 row a question belongs to. Internal vocabulary: never shown to the person."""

    CAUDA_EQUINA = "cauda-equina"
    NEURO_DEFICIT = "neuro-deficit"
    FRACTURE = "fracture"
    INFECTION = "infection"
    MALIGNANCY = "malignancy"
    INFLAMMATORY = "inflammatory"
    OTHER = "other"


@dataclass(frozen=True)
class RedFlagQuestion:
    """A yes/no question; "yes" means the person should get medical help at ``urgency``.

    ``clearable``: a clinician who has already assessed this can clear it for exercise. The
    cauda-equina and progressive-weakness questions are never clearable: a "yes" always stops.
    ``cleared_label``: a few words naming it once cleared ("Cleared by a clinician: <label>.").
    ``advice``: said after the urgency's own advice when this flag sets the verdict's urgency.
    """

    id: str
    text: str
    urgency: Urgency
    group: RedFlagGroup
    clearable: bool
    cleared_label: str = ""
    advice: str = ""


def _flags(
    group: RedFlagGroup,
    urgency: Urgency,
    clearable: bool,
    *items: tuple[str, str] | tuple[str, str, str],
) -> Iterator[RedFlagQuestion]:
    """Questions from (id, text) or, for clearable flags, (id, text, cleared_label)."""
    for question_id, text, *label in items:
        yield RedFlagQuestion(question_id, text, urgency, group, clearable, "".join(label))


# Declared most urgent first, so answers in question order are also in order of urgency.
RED_FLAG_QUESTIONS: tuple[RedFlagQuestion, ...] = (
    # Suspected cauda equina: emergency department at once (BMJ Best Practice; BASS 2018 via NHS
    # Cornwall). Urinary retention is a late sign, so trouble starting to pass urine already counts.
    *_flags(
        RedFlagGroup.CAUDA_EQUINA,
        Urgency.EMERGENCY,
        False,
        (
            "ces-bladder",
            "In the last two weeks, have you had new trouble starting to pass urine, or does"
            " passing urine feel different from usual?",
        ),
        (
            "ces-control",
            "Have you lost control of your bladder or bowels, or leaked urine or stool without"
            " meaning to?",
        ),
        (
            "ces-saddle",
            "Do you have numbness, tingling or pins and needles around your back passage, your"
            " genitals or the inside of your buttocks?",
        ),
        (
            "ces-sexual",
            "Have you noticed a new change in sexual function, such as less feeling in your"
            " genitals or new trouble with erections or orgasm?",
        ),
        (
            "ces-both-legs",
            "Do you have pain, tingling or numbness in both legs, or are your leg symptoms"
            " spreading or getting worse?",
        ),
        ("ces-weak-legs", "Do both of your legs feel weak?"),
    ),
    # Progressive neurological deficit: same-day assessment (NHS Lothian RefHelp, via domain §3.1).
    *_flags(
        RedFlagGroup.NEURO_DEFICIT,
        Urgency.SAME_DAY,
        False,
        ("neuro-weakness", "Is one of your legs or feet getting weaker?"),
        (
            "neuro-foot-drop",
            "When you walk, does one foot catch on the ground or slap down because you cannot lift"
            " the front of it?",
        ),
        ("neuro-numbness", "Is numbness in a leg or foot spreading to a bigger area?"),
        (
            "neuro-walking",
            "Have you recently started having trouble walking, or started to feel unsteady on your"
            " feet?",
        ),
    ),
    # Possible fracture: urgent assessment, no stretching (NICE CKS via NHS G-Care, domain §3.1).
    *_flags(
        RedFlagGroup.FRACTURE,
        Urgency.URGENT,
        True,
        (
            "fracture-major-injury",
            "Did your back pain start after a major fall or accident, such as a car crash or a fall"
            " from a height?",
            "pain after a major fall or accident",
        ),
        (
            "fracture-minor-injury",
            "Did your back pain start after a small fall or strain, and do you have thin bones"
            " (osteoporosis) or take steroid tablets long-term?",
            "pain after a small fall or strain, with thin bones or long-term steroids",
        ),
        (
            "fracture-sudden-pain",
            "Did you get sudden, severe pain in the middle of your back that eases when you lie"
            " down?",
            "sudden severe pain in the middle of the back",
        ),
        (
            "fracture-shape",
            "Have you or anyone else noticed a new change in the shape of your back, such as a new"
            " hump?",
            "a new change in the shape of the back",
        ),
    ),
    # Possible infection: urgent assessment (NICE CKS via NHS G-Care, domain §3.1).
    *_flags(
        RedFlagGroup.INFECTION,
        Urgency.URGENT,
        True,
        (
            "infection-fever",
            "Along with your back pain, do you have a fever, chills or shivering, or feel very"
            " unwell?",
            "fever, chills or feeling very unwell with back pain",
        ),
        (
            "infection-risk",
            "Is your immune system weakened (for example by medicines or treatment), do you inject"
            " drugs, or have you recently had a serious infection or a deep wound in your back?",
            "a weakened immune system, injecting drugs, or a recent serious infection or wound",
        ),
    ),
    # A history of cancer with back pain: contact within 24 hours (NICE NG234, 2023, on suspected
    # spinal metastases; IFOMPT, Finucane 2020: the flag warranting the highest suspicion). This
    # is newer and more specific than domain §3.1's "prompt GP review" for the malignancy row.
    RedFlagQuestion(
        "cancer-history",
        "Have you ever had cancer?",
        Urgency.URGENT,
        RedFlagGroup.MALIGNANCY,
        True,
        "having had cancer",
        "Please do not do the stretches for now. Because you have had cancer, back pain needs"
        " checking within 24 hours: contact your GP or your cancer team (for example your"
        " specialist nurse or the acute oncology service) and tell them about your back pain. If"
        " your legs become weak or numb, or your bladder or bowels change, go to an emergency"
        " department now.",
    ),
    # The other possible-malignancy signs: prompt GP review and pause the programme (NICE CKS;
    # domain §3.1). Unexplained weight loss on its own stays here.
    *_flags(
        RedFlagGroup.MALIGNANCY,
        Urgency.PROMPT,
        True,
        (
            "cancer-weight-loss",
            "Have you lost weight recently without trying to?",
            "weight loss without trying",
        ),
        (
            "cancer-night-pain",
            "Is your back pain constant, including at night, with no position that eases it?",
            "constant pain, at night too",
        ),
        (
            "cancer-age",
            "Is this kind of back pain new for you, and did it start when you were over 50 or under"
            " 20?",
            "new back pain that started over 50 or under 20",
        ),
        (
            "cancer-many-sites",
            "As well as your back, do you have pain in several other parts of your body that you"
            " cannot explain?",
            "unexplained pain in several places",
        ),
        (
            "cancer-not-improving",
            "Has your back pain gone on for about a month or more without getting any better?",
            "back pain not improving after about a month",
        ),
    ),
    # Other signs for a GP review (HEY neurosurgery list, domain §3.1). The domain gives no time
    # frame; thoracic pain, feeling unwell and widespread nerve symptoms are signs of possible
    # serious disease, so we ask for a GP within days, as for the malignancy signs.
    *_flags(
        RedFlagGroup.OTHER,
        Urgency.PROMPT,
        True,
        (
            "other-upper-back",
            "Is your pain mainly in your upper or middle back rather than your lower back?",
            "pain mainly in the upper or middle back",
        ),
        (
            "other-widespread",
            "Do you have numbness, tingling or weakness in many parts of your body, or feel"
            " generally unwell?",
            "numbness, tingling or weakness in many places, or feeling generally unwell",
        ),
    ),
    # Possible inflammatory disease (NICE NG59 rec 1.1.1); the wording of this row is the domain's
    # Recommendation (ours): routine GP review. Routines still lock until the re-check (issue #2).
    *_flags(
        RedFlagGroup.INFLAMMATORY,
        Urgency.ROUTINE,
        True,
        (
            "inflammatory-stiffness",
            "Is your back stiff for more than half an hour after you wake up, does the stiffness"
            " ease as you move about, and did it first start before you were 45?",
            "long morning stiffness",
        ),
    ),
)

RED_FLAGS_BY_ID: Mapping[str, RedFlagQuestion] = MappingProxyType(
    {question.id: question for question in RED_FLAG_QUESTIONS}
)

# Re-asked whenever leg symptoms or a pain jump of 3+ points are logged (domain §3.1, Recommendation
# (ours)). In question order.
CAUDA_EQUINA_IDS: tuple[str, ...] = tuple(
    question.id for question in RED_FLAG_QUESTIONS if question.group is RedFlagGroup.CAUDA_EQUINA
)


# -- Conditions (domain.md §3.4, plus the S12 question from §2.2) ----------------------------------

CONTRAINDICATION_TAGS: frozenset[str] = frozenset(
    {
        "osteoporosis",
        "hip-replacement-posterior",
        "hip-replacement-anterior",
        "extension-sensitive",
        "leg-symptoms",
        "balance",
        "pregnancy",
        "recent-hamstring-injury",
        "abdominal-surgery-or-hernia",
        "glaucoma",
        "recent-spinal-surgery",
    }
)


@dataclass(frozen=True)
class ConditionQuestion:
    """A yes/no question; "yes" turns on ``tags`` (and may need a clinician's okay first)."""

    id: str
    text: str
    tags: tuple[str, ...]
    needs_clearance: bool = False


CONDITION_QUESTIONS: tuple[ConditionQuestion, ...] = (
    ConditionQuestion(
        "osteoporosis",
        "Have you been told you have osteoporosis or low bone density, or have you ever broken a"
        " bone in your spine?",
        ("osteoporosis",),
    ),
    # Unsure of the approach counts as posterior: the stricter precautions (domain §3.4).
    ConditionQuestion(
        "hip-replacement-posterior",
        "Have you had a hip replacement done from the back of the hip (a posterior approach), or a"
        " hip replacement where you are not sure how it was done?",
        ("hip-replacement-posterior",),
    ),
    ConditionQuestion(
        "hip-replacement-anterior",
        "Have you had a hip replacement done from the front of the hip (an anterior approach)?",
        ("hip-replacement-anterior",),
    ),
    # The S12 screening question (domain §2.2, Recommendation (ours)).
    ConditionQuestion(
        "extension-sensitive",
        "Does leaning back, or standing for a long time, make your leg pain worse?",
        ("extension-sensitive",),
    ),
    ConditionQuestion(
        "leg-symptoms",
        "Do you have pain, tingling or numbness going down a leg at the moment?",
        ("leg-symptoms",),
    ),
    ConditionQuestion(
        "balance",
        "Do you have problems with your balance, or have you had a fall in the last year?",
        ("balance",),
    ),
    # Clearance before the programme: domain §3.4 and the S11 caution, Recommendation (ours).
    ConditionQuestion("pregnancy", "Are you pregnant?", ("pregnancy",), needs_clearance=True),
    ConditionQuestion(
        "recent-spinal-surgery",
        "Have you had an operation on your spine in the last 6 months, or are you still recovering"
        " from one?",
        ("recent-spinal-surgery",),
        needs_clearance=True,
    ),
    ConditionQuestion(
        "recent-hamstring-injury",
        "Have you strained or torn a hamstring (a muscle at the back of the thigh) in the last 6"
        " weeks?",
        ("recent-hamstring-injury",),
        needs_clearance=True,
    ),
    ConditionQuestion(
        "abdominal-surgery-or-hernia",
        "Have you had an operation on your belly recently, or do you have a hernia?",
        ("abdominal-surgery-or-hernia",),
        needs_clearance=True,
    ),
    ConditionQuestion(
        "glaucoma",
        "Do you have glaucoma (raised pressure inside the eye)?",
        ("glaucoma",),
    ),
)

CONDITIONS_BY_ID: Mapping[str, ConditionQuestion] = MappingProxyType(
    {question.id: question for question in CONDITION_QUESTIONS}
)
