"""Finding the computer's time zone by name, from TZ, the /etc/localtime link or /etc/timezone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from deskstretch.system.timezone import local_tz, local_zone, zone_named


def fake_zoneinfo(tmp_path: Path, key: str) -> Path:
    """A link like /etc/localtime -> .../zoneinfo/<key> (the target only needs to exist)."""
    target = tmp_path / "usr" / "share" / "zoneinfo" / key
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"TZif")
    link = tmp_path / "localtime"
    link.symlink_to(target)
    return link


def nowhere(tmp_path: Path) -> dict[str, Path]:
    return {"localtime": tmp_path / "no-link", "timezone_file": tmp_path / "no-file"}


@pytest.mark.parametrize("value", ["Europe/Berlin", ":Europe/Berlin", " Europe/Berlin "])
def test_tz_variable_wins(tmp_path: Path, value: str) -> None:
    link = fake_zoneinfo(tmp_path, "Asia/Tokyo")
    assert local_zone({"TZ": value}, localtime=link) == ZoneInfo("Europe/Berlin")


def test_the_localtime_link_names_the_zone(tmp_path: Path) -> None:
    link = fake_zoneinfo(tmp_path, "America/New_York")
    assert local_zone({}, localtime=link, timezone_file=tmp_path / "none") == ZoneInfo(
        "America/New_York"
    )


def test_posix_and_right_prefixes_are_dropped(tmp_path: Path) -> None:
    link = fake_zoneinfo(tmp_path, "posix/Europe/Paris")
    assert local_zone({}, localtime=link, timezone_file=tmp_path / "none") == ZoneInfo(
        "Europe/Paris"
    )


def test_the_timezone_file_is_the_last_resort(tmp_path: Path) -> None:
    (tmp_path / "timezone").write_text("Europe/Vienna\n", encoding="utf-8")
    found = local_zone({}, localtime=tmp_path / "none", timezone_file=tmp_path / "timezone")
    assert found == ZoneInfo("Europe/Vienna")


def test_a_posix_tz_string_falls_through_to_the_files(tmp_path: Path) -> None:
    link = fake_zoneinfo(tmp_path, "Europe/Madrid")
    assert local_zone({"TZ": "CET-1CEST,M3.5.0,M10.5.0/3"}, localtime=link) == ZoneInfo(
        "Europe/Madrid"
    )


def test_nothing_known_gives_none(tmp_path: Path) -> None:
    assert local_zone({}, **nowhere(tmp_path)) is None
    (tmp_path / "empty").write_text("", encoding="utf-8")
    assert local_zone({}, localtime=tmp_path / "x", timezone_file=tmp_path / "empty") is None


@pytest.mark.parametrize("name", ["", "Mars/Olympus", "../../etc/passwd", "/etc/passwd", "UTC"])
def test_zone_named(name: str) -> None:
    found = zone_named(name)
    assert (found is not None) == (name == "UTC")


def test_local_tz_prefers_the_named_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    zone = local_tz()
    assert str(zone) == "Europe/Berlin"
    # A named zone gives summer and winter their own offsets (a fixed offset would not).
    summer = datetime(2026, 7, 1, 12, tzinfo=UTC).astimezone(zone).utcoffset()
    winter = datetime(2026, 1, 1, 12, tzinfo=UTC).astimezone(zone).utcoffset()
    assert (summer, winter) == (timedelta(hours=2), timedelta(hours=1))
