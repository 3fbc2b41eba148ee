"""Safety screening: red-flag and condition questions, the verdict on them, and routine adaptation.

Pure: standard library only, no I/O, no clock reads. Longer than 400 lines because about half is
question and advice text, which reads best next to the rules that use it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from deskstretch.core.models import Dose, Exercise, Routine, Step

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


def active_red_flags(
    answers: Mapping[str, bool], cleared: Iterable[str] = ()
) -> tuple[RedFlagQuestion, ...]:
    """Red-flag questions answered yes and not cleared, in question order (most urgent first).

    Non-clearable questions ignore ``cleared``; unknown ids in either argument are ignored.
    """
    cleared_ids = frozenset(cleared)
    return tuple(
        question
        for question in RED_FLAG_QUESTIONS
        if answers.get(question.id, False)
        and not (question.clearable and question.id in cleared_ids)
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

# What we say the person told us about: "... because you told us about <label>: ...".
TAG_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "osteoporosis": "osteoporosis or fragile bones",
        "hip-replacement-posterior": "your hip replacement",
        "hip-replacement-anterior": "your hip replacement from the front",
        "extension-sensitive": "leg pain that gets worse when you lean back or stand",
        "leg-symptoms": "pain or tingling going down a leg",
        "balance": "problems with balance or falls",
        "pregnancy": "your pregnancy",
        "recent-hamstring-injury": "a recent hamstring injury",
        "abdominal-surgery-or-hernia": "belly surgery or a hernia",
        "glaucoma": "glaucoma",
        "recent-spinal-surgery": "recent surgery on your spine",
    }
)

# Why a tagged exercise is left out or swapped: "... : this <reason>."
TAG_REASONS: Mapping[str, str] = MappingProxyType(
    {
        # Giangregorio et al. 2014 Table 5; Royal Osteoporosis Society (domain §3.4).
        "osteoporosis": "avoids deep forward bending and twisting of the spine",
        # Posterior hip precautions: no flexion past 90°, no crossing, no internal rotation (§3.4).
        "hip-replacement-posterior": (
            "avoids bending the hip past a right angle, crossing the legs and turning the leg"
            " inwards"
        ),
        # Anterior approach: avoid extension with external rotation (ageinplaceschool.com, §3.4).
        "hip-replacement-anterior": "avoids stretching the hip backwards while the leg turns out",
        # S12 caution: extension may provoke stenosis-type leg pain (domain §2.2, Recommendation).
        "extension-sensitive": "avoids leaning backwards",
        # Neural load from hamstring stretches and forward folds during flares (domain §3.2).
        "leg-symptoms": "avoids moves that can stretch an irritated nerve in the leg",
        # Balance caution on standing items S02, S03, S05, S12, S13 (domain §2.2).
        "balance": "avoids moves that are hard to do steadily on your feet",
        # S06 and S11 cautions; clearance required (domain §2.2, §3.4 Recommendation).
        "pregnancy": "avoids folding forward and bracing the belly hard",
        # S04 caution: recent hamstring strain (domain §2.2).
        "recent-hamstring-injury": "avoids stretching or pressing with the back of the thigh",
        # S11 caution: recent abdominal surgery or hernia (domain §2.2).
        "abdominal-surgery-or-hernia": "avoids tightening the belly muscles hard",
        # S06 head-down position; Recommendation (ours) in domain §2.2.
        "glaucoma": "avoids positions with your head hanging down",
        # Clearance required after spinal surgery (domain §3.4 Recommendation).
        "recent-spinal-surgery": "avoids moving your spine far while it heals",
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


# -- Screening and verdict -------------------------------------------------------------------------


@dataclass(frozen=True)
class Screening:
    """One person's answers. ``completed_at`` is an ISO timestamp supplied by the caller.

    ``red_flags_cleared``: ids of clearable red flags a clinician has already assessed and cleared.
    ``clearance_confirmed``: a clinician has okayed exercise for the conditions that need it.
    """

    red_flags: dict[str, bool]
    red_flags_cleared: frozenset[str]
    conditions: dict[str, bool]
    clearance_confirmed: bool
    completed_at: str
    version: int

    @property
    def unanswered_ids(self) -> tuple[str, ...]:
        """Ids of current questions (red flags first, then conditions) with no answer."""
        missing = [q.id for q in RED_FLAG_QUESTIONS if q.id not in self.red_flags]
        missing += [q.id for q in CONDITION_QUESTIONS if q.id not in self.conditions]
        return tuple(missing)

    @property
    def is_complete(self) -> bool:
        """Every current question answered, on the current version of the questions."""
        return self.version == SCREENING_VERSION and not self.unanswered_ids

    @property
    def active_tags(self) -> frozenset[str]:
        """Contraindication tags of the current conditions answered yes."""
        return frozenset(
            tag for q in CONDITION_QUESTIONS if self.conditions.get(q.id, False) for tag in q.tags
        )

    @property
    def pending_clearance(self) -> tuple[ConditionQuestion, ...]:
        """Conditions answered yes that need a clinician's okay that has not been confirmed."""
        if self.clearance_confirmed:
            return ()
        return tuple(
            q for q in CONDITION_QUESTIONS if q.needs_clearance and self.conditions.get(q.id, False)
        )


class SafetyStatus(StrEnum):
    NOT_SCREENED = "not_screened"
    OUTDATED = "outdated"
    RED_FLAG = "red_flag"
    NEEDS_CLEARANCE = "needs_clearance"
    OK = "ok"


@dataclass(frozen=True)
class SafetyVerdict:
    status: SafetyStatus
    urgency: Urgency | None
    flagged: tuple[RedFlagQuestion, ...]
    advice: str
    routines_allowed: bool
    needs_clearance_for: tuple[ConditionQuestion, ...] = ()
    cleared: tuple[RedFlagQuestion, ...] = ()
    """Red flags answered yes that a clinician has cleared: named, never hidden as "no signs"."""


# Our own words throughout; no diagnosis, only where to go and how soon (domain §3.1, §7).
_URGENCY_ADVICE: Mapping[Urgency, str] = MappingProxyType(
    {
        Urgency.EMERGENCY: (
            "Stop the exercises. Go to an emergency department now, or call your local emergency"
            " number (for example 999 in the UK, 911 in the US, 112 in the EU). Do not wait to see"
            " if it settles."
        ),
        Urgency.SAME_DAY: (
            "Stop the exercises. These symptoms need a doctor today: ask your doctor's practice for"
            " an urgent appointment today, or go to an urgent care centre. If you cannot be seen"
            " today, go to an emergency department. If you lose control of your bladder or bowels,"
            " or go numb between your legs, go to an emergency department now."
        ),
        Urgency.URGENT: (
            "Please do not do the stretches for now. These answers need a doctor within 24 hours:"
            " contact your doctor's practice or an urgent care service today. If you get worse,"
            " get help straight away."
        ),
        Urgency.PROMPT: (
            "Please pause the programme and book an appointment with your GP or doctor within the"
            " next few days, and tell them about these answers. It is not an emergency, but it"
            " should be checked. If new weakness, numbness or bladder or bowel changes appear, get"
            " help straight away."
        ),
        Urgency.ROUTINE: (
            "Please mention these answers to your GP at a routine appointment before you carry on"
            " with the programme. It is not urgent, but it is worth checking first."
        ),
    }
)

_RECHECK_ADVICE = (
    "Once a doctor has looked at this, answer the safety questions again and say so (Safety in the"
    " browser app, or `deskstretch check`); your routines open again then."
)
_NOT_SCREENED_ADVICE = "Please answer the safety questions before your first routine."
_OUTDATED_ADVICE = (
    "The safety questions have changed or some are unanswered. Please answer them before your next"
    " routine."
)
_CLEARANCE_ADVICE = (
    "Because you told us about {labels}, please check with your doctor, physiotherapist or midwife"
    " that these exercises are fine for you. Once they have said yes, confirm it here to start."
)
_NO_SIGNS = "Your answers raised no warning signs."
# Said instead of _NO_SIGNS when a yes was cleared: the person should see what was cleared.
_CLEARED = "No new warning signs. Cleared by a clinician: {labels}."
# Stretch to a mild pull, never pain; stop if symptoms spread down a leg (domain §3.2, §3.3).
_OK_ADVICE = (
    "Stretch only to a mild pull, never to pain, and stop if pain or tingling spreads down a leg."
)


def advice_for(urgency: Urgency) -> str:
    """Where to get help and how soon, for a red flag of this urgency."""
    return _URGENCY_ADVICE[urgency]


def _join_words(words: Iterable[str]) -> str:
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _clearance_advice(conditions: Iterable[ConditionQuestion]) -> str:
    tags = [tag for condition in conditions for tag in condition.tags]
    return _CLEARANCE_ADVICE.format(labels=_join_words(_tag_label(tag) for tag in tags))


def cleared_red_flags(screening: Screening) -> tuple[RedFlagQuestion, ...]:
    """Clearable red flags answered yes that a clinician has cleared, in question order."""
    return tuple(
        question
        for question in RED_FLAG_QUESTIONS
        if question.clearable
        and screening.red_flags.get(question.id, False)
        and question.id in screening.red_flags_cleared
    )


def _ok_advice(cleared: tuple[RedFlagQuestion, ...]) -> str:
    if not cleared:
        return f"{_NO_SIGNS} {_OK_ADVICE}"
    # Labels may hold commas, so a semicolon separates them.
    labels = "; ".join(question.cleared_label or question.id for question in cleared)
    return f"{_CLEARED.format(labels=labels)} {_OK_ADVICE}"


def assess(screening: Screening | None) -> SafetyVerdict:
    """Judge a screening. Red flags win over everything, even over an outdated screening.

    A known "yes" to a current red-flag question is never hidden behind "please answer again"
    (domain §3.3 rule 5: any red-flag answer overrides everything).
    """
    if screening is None:
        return SafetyVerdict(SafetyStatus.NOT_SCREENED, None, (), _NOT_SCREENED_ADVICE, False)
    pending = screening.pending_clearance
    flagged = active_red_flags(screening.red_flags, screening.red_flags_cleared)
    cleared = cleared_red_flags(screening)
    if flagged:
        urgency = min((question.urgency for question in flagged), key=lambda u: u.rank)
        # Flag-specific advice (where to go, e.g. the cancer team) for the flags setting the pace;
        # the urgency's general advice too unless every one of those flags has its own.
        pacing = [question for question in flagged if question.urgency is urgency]
        advice = [question.advice for question in pacing if question.advice]
        if len(advice) < len(pacing):
            advice.insert(0, advice_for(urgency))
        # Any active red flag locks routines, whatever its urgency (issue #2: "any red flag stops
        # everything"). Clearable flags unlock once the person confirms, at a re-check, that a
        # clinician has assessed them; the advice says so whenever every active flag is clearable.
        if all(question.clearable for question in flagged):
            advice.append(_RECHECK_ADVICE)
        if pending:
            advice.append(_clearance_advice(pending))
        return SafetyVerdict(
            SafetyStatus.RED_FLAG, urgency, flagged, " ".join(advice), False, pending, cleared
        )
    if not screening.is_complete:
        return SafetyVerdict(SafetyStatus.OUTDATED, None, (), _OUTDATED_ADVICE, False, pending)
    if pending:
        return SafetyVerdict(
            SafetyStatus.NEEDS_CLEARANCE, None, (), _clearance_advice(pending), False, pending
        )
    return SafetyVerdict(SafetyStatus.OK, None, (), _ok_advice(cleared), True, (), cleared)


# -- Routine adaptation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One exercise left out (``replacement`` None) or swapped, with a sentence saying why."""

    exercise: Exercise
    replacement: Exercise | None
    tags: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Adaptation:
    routine: Routine
    changes: tuple[Change, ...]


def blocking_tags(exercise: Exercise, tags: frozenset[str]) -> tuple[str, ...]:
    """The exercise's contraindication tags that are in ``tags``, in the exercise's order."""
    return tuple(tag for tag in exercise.contraindications if tag in tags)


def is_allowed(exercise: Exercise, tags: frozenset[str]) -> bool:
    return not blocking_tags(exercise, tags)


def filter_exercises(
    exercises: Mapping[str, Exercise], tags: frozenset[str]
) -> dict[str, Exercise]:
    """The exercises not contraindicated by ``tags``, keeping the mapping's order."""
    return {key: ex for key, ex in exercises.items() if is_allowed(ex, tags)}


def _tag_label(tag: str) -> str:
    return TAG_LABELS.get(tag, tag.replace("-", " "))


def _reason(exercise: Exercise, replacement: Exercise | None, tags: tuple[str, ...]) -> str:
    action = "is left out" if replacement is None else f"is swapped for {replacement.name}"
    why = ", and ".join(TAG_REASONS[tag] for tag in tags if tag in TAG_REASONS)
    sentence = f"{exercise.name} {action} because you told us about "
    sentence += _join_words(_tag_label(tag) for tag in tags)
    sentence = f"{sentence}: this {why}." if why else f"{sentence}."
    if replacement is None:
        sentence += _NO_STAND_IN
    return sentence


# Said when a step is dropped: every possible stand-in was unsafe for one of the active tags.
_NO_STAND_IN = (
    " No other move is safe for everything you told us about, so nothing takes its place."
)


def _candidates(exercise: Exercise, exercises: Mapping[str, Exercise]) -> Iterator[Exercise]:
    """Possible stand-ins, best first: easier variants, then same muscle group and position,
    then same muscle group in any position (each in the mapping's order)."""
    for easier_id in exercise.easier:
        if easier_id in exercises:
            yield exercises[easier_id]
    same_group = [ex for ex in exercises.values() if ex.muscle_group == exercise.muscle_group]
    yield from (ex for ex in same_group if ex.position is exercise.position)
    yield from same_group


def _dose_kind(dose: Dose) -> tuple[bool, bool]:
    # A contract-relax hold is its own kind: keeping it on a plain stretch would cue contractions
    # the new exercise does not have (and dropping them from a PNF stand-in would lose its point).
    return (dose.is_timed_hold, dose.contract_seconds > 0)


def _swap_step(step: Step, replacement: Exercise) -> Step:
    kept = _dose_kind(step.dose) == _dose_kind(replacement.dose)
    dose = step.dose if kept else replacement.dose
    # The note belonged to the old exercise, so it does not carry over.
    return Step(exercise=replacement, dose=dose, side_order=replacement.side_order)


def adapt_routine(
    routine: Routine, exercises: Mapping[str, Exercise], tags: frozenset[str]
) -> Adaptation:
    """Swap or leave out every step whose exercise is contraindicated by ``tags``.

    A stand-in must be allowed, not retired (``replaced_by``) and not already in the routine.
    A routine that repeats an exercise gets the same stand-in each time, and one Change for it.
    The result may have no steps; the caller decides how to tell the person.
    """
    in_routine = set(routine.exercise_ids)
    decided: dict[str, Exercise | None] = {}
    changes: list[Change] = []
    steps: list[Step] = []
    for step in routine.steps:
        exercise = step.exercise
        blocked = blocking_tags(exercise, tags)
        if not blocked:
            steps.append(step)
            continue
        if exercise.id not in decided:
            replacement = next(
                (
                    candidate
                    for candidate in _candidates(exercise, exercises)
                    if is_allowed(candidate, tags)
                    and not candidate.replaced_by
                    and candidate.id not in in_routine
                ),
                None,
            )
            decided[exercise.id] = replacement
            if replacement is not None:
                in_routine.add(replacement.id)
            changes.append(
                Change(exercise, replacement, blocked, _reason(exercise, replacement, blocked))
            )
        chosen = decided[exercise.id]
        if chosen is not None:
            steps.append(_swap_step(step, chosen))
    position = routine.position
    if position is not None and any(step.exercise.position is not position for step in steps):
        position = None  # a swap brought in the other position: the routine is now mixed
    adapted = dataclasses.replace(routine, steps=tuple(steps), position=position)
    return Adaptation(adapted, tuple(changes))
