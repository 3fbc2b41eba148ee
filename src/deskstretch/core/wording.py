"""Counts and labels as people read them: '1 minute', '3 minutes', 'lower back'.

One home for plurals and for the muscle-group labels, so every front end (web pages, the terminal,
reminders, exports) says the same words. Standard library only. Ids stored in records (such as
``low-back``) never change; only the label shown for them does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

GROUP_LABELS: Mapping[str, str] = MappingProxyType({"low-back": "lower back"})
"""Muscle-group ids whose label is not just the id with spaces."""


def group_label(group: str) -> str:
    """The words for a muscle-group id: 'low-back' -> 'lower back', 'hamstrings' unchanged."""
    return GROUP_LABELS.get(group, group.replace("-", " "))


def noun(count: float, one: str, many: str = "") -> str:
    """``one`` for a count of exactly 1, else ``many`` (default ``one`` + 's')."""
    return one if count == 1 else (many or one + "s")


def plural(count: float, one: str, many: str = "") -> str:
    """'1 minute', '0 minutes', '2 sessions'; ``many`` for irregular nouns."""
    shown = int(count) if float(count).is_integer() else count
    return f"{shown} {noun(count, one, many)}"


def whole_minutes(minutes: float) -> int:
    """Minutes rounded half up to a whole number (0.5 -> 1, 2.4 -> 2)."""
    return math.floor(minutes + 0.5)


def clock_minutes(minutes: float) -> str:
    """A session's length as minutes and seconds, 'm:ss', to the nearest second: 2.5 -> '2:30',
    1 -> '1:00', 0.33 -> '0:20'. One way for every list of sessions (web, report, terminal)."""
    seconds = math.floor(max(minutes, 0.0) * 60 + 0.5)
    return f"{seconds // 60}:{seconds % 60:02d}"


def minutes_text(minutes: float) -> str:
    """Whole minutes in words: '1 minute', '12 minutes'."""
    return plural(whole_minutes(minutes), "minute")
