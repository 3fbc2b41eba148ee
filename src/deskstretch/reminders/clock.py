"""Time as the reminder service sees it: a Clock protocol and the real clocks behind it.

Loops take a Clock (design.md: no hidden clocks), so tests advance time by hand.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, tzinfo
from typing import Protocol


class Clock(Protocol):
    """Time as the service sees it. ``now`` is timezone-aware UTC."""

    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...

    def local_tz(self) -> tzinfo: ...


class SystemClock:
    """The real clocks. The local zone is read afresh each time, so a DST change or a new
    system time zone is picked up at the next tick."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def local_tz(self) -> tzinfo:
        if hasattr(time, "tzset"):
            time.tzset()  # re-read /etc/localtime (or TZ): the person may have travelled
        from deskstretch.system.timezone import local_tz

        return local_tz()
