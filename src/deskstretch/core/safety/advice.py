"""What the safety screening says back: advice per urgency, verdict sentences, tag wording.

Our own words, kept apart from the rules (verdict.py, adapt.py) that choose between them.
Pure: standard library only, no I/O, no clock reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from deskstretch.core.safety.questions import Urgency

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

RECHECK_ADVICE = (
    "Once a doctor has looked at this, answer the safety questions again and say so (Safety in the"
    " browser app, or `deskstretch check`); your routines open again then."
)
NOT_SCREENED_ADVICE = "Please answer the safety questions before your first routine."
OUTDATED_ADVICE = (
    "The safety questions have changed or some are unanswered. Please answer them before your next"
    " routine."
)
CLEARANCE_ADVICE = (
    "Because you told us about {labels}, please check with your doctor, physiotherapist or midwife"
    " that these exercises are fine for you. Once they have said yes, confirm it here to start."
)
NO_SIGNS = "Your answers raised no warning signs."
# Said instead of NO_SIGNS when a yes was cleared: the person should see what was cleared.
CLEARED = "No new warning signs. Cleared by a clinician: {labels}."
# Stretch to a mild pull, never pain; stop if symptoms spread down a leg (domain §3.2, §3.3).
OK_ADVICE = (
    "Stretch only to a mild pull, never to pain, and stop if pain or tingling spreads down a leg."
)


def advice_for(urgency: Urgency) -> str:
    """Where to get help and how soon, for a red flag of this urgency."""
    return _URGENCY_ADVICE[urgency]


def join_words(words: Iterable[str]) -> str:
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def tag_label(tag: str) -> str:
    return TAG_LABELS.get(tag, tag.replace("-", " "))


# Said when a step is dropped: every possible stand-in was unsafe for one of the active tags.
NO_STAND_IN = " No other move is safe for everything you told us about, so nothing takes its place."
