"""Find the computer's time zone by name (``Europe/Berlin``): standard library only.

A named zone knows its DST rules, so working hours tomorrow and next week land on the right wall
clock; ``datetime.now().astimezone().tzinfo`` is only today's fixed offset. Looked up in the usual
places: ``TZ``, the ``/etc/localtime`` link, ``/etc/timezone``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_named(name: str) -> ZoneInfo | None:
    """``ZoneInfo(name)``, or None when there is no such zone (or the name is not a zone name)."""
    name = name.strip().removeprefix(":")
    if not name or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def local_zone(
    environ: Mapping[str, str] | None = None,
    *,
    localtime: Path = Path("/etc/localtime"),
    timezone_file: Path = Path("/etc/timezone"),
) -> ZoneInfo | None:
    """The local zone by name, or None when it cannot be told (e.g. Windows without ``TZ``)."""
    env = os.environ if environ is None else environ
    if env.get("TZ"):
        zone = zone_named(env["TZ"])
        if zone is not None:
            return zone
    try:
        target = str(localtime.resolve(strict=True))
    except (OSError, RuntimeError):
        target = ""
    marker = "/zoneinfo/"
    if marker in target:
        key = target.split(marker, 1)[1]
        for prefix in ("posix/", "right/"):
            key = key.removeprefix(prefix)
        zone = zone_named(key)
        if zone is not None:
            return zone
    try:
        return zone_named(timezone_file.read_text(encoding="utf-8").splitlines()[0])
    except (OSError, UnicodeDecodeError, IndexError):
        return None


def local_tz() -> tzinfo:
    """The zone to show and group times in: the named local zone (it knows its DST rules, so
    last summer's evenings and next week's working hours land on the right wall clock), else
    today's fixed UTC offset (e.g. Windows without ``TZ``), else UTC."""
    return local_zone() or datetime.now().astimezone().tzinfo or UTC
