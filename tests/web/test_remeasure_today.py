"""The re-measure check on Today (issue 11 item 4): at the start, week 3 and week 6 the programme
card links to the browser page of each measure it asks for, marks each one done once a record of
it falls in the check's window, offers the ODI or RMDQ only where the person keeps its wording,
and leaves once all is done and its week is over."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.outcomes import ODI_SECTIONS
from deskstretch.core.records import CheckIn, MeasurementKind
from deskstretch.store import repository as repo
from helpers.instrument_packs import keep_pack, odi_pack_text
from helpers.support import Dirs
from helpers.web_client import PageScan, WebClient

PROGRAMME = "desk-back-6-weeks"
PSFS = "/measure/psfs"
PAIN = "#checkin-heading"
REACH = "/progress#test-sit-and-reach"
ODI = "/measure/questionnaires/odi"
PHOTO = "/assess"  # optional: offered, never waited for (issue 13)
HOW_TO_ADD = "/measure/questionnaires"


def coach() -> Coach:
    return Coach(Settings.from_env())


def enrol(days_ago: int) -> date:
    person = coach()
    started = datetime.now(UTC).astimezone(person.local_tz()).date() - timedelta(days=days_ago)
    person.start_programme(PROGRAMME, today=started)
    return started


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), UTC)


def record_all(day: date) -> None:
    """PSFS, pain and a sit-and-reach, all on ``day``."""
    person = coach()
    if not person.psfs_activities():
        person.add_psfs_activity("Putting on socks", now=noon(day))
    person.rate_psfs({a.id: 5 for a in person.psfs_activities()}, now=noon(day))
    repo.add_checkin(person.store, CheckIn(f"c-{day}", noon(day), 4, 0))
    person.record_measurement(MeasurementKind.CHAIR_SIT_AND_REACH, -3.0, "left", now=noon(day))


def check_box(web: WebClient) -> tuple[str, dict[str, bool]]:
    """The check's heading and {link: done} for each measure it lists ('' and {} when absent)."""
    html = web.get("/").text
    found = re.search(r'<h3 id="remeasure-heading">(.*?)</h3>(.*?)</ul>', html, re.DOTALL)
    if found is None:
        return "", {}
    items = re.findall(r'<li[^>]*><a href="([^"]+)">[^<]*</a>(.*?)</li>', found.group(2))
    return found.group(1), {href: "Done" in rest for href, rest in items}


def test_week_one_links_to_each_page_and_says_briefly_that_questionnaires_can_be_added(
    web: WebClient, screened: Path
) -> None:
    enrol(0)
    heading, items = check_box(web)
    assert heading == "Week 1 check"
    assert items == {PSFS: False, PAIN: False, REACH: False, PHOTO: False}
    html = web.get("/").text
    assert HOW_TO_ADD in PageScan.of(html).links()
    assert "deskstretch psfs rate" not in html  # no terminal command in the browser


def test_each_measure_is_marked_done_once_recorded_in_the_browser(
    web: WebClient, screened: Path
) -> None:
    enrol(0)
    assert web.post_form(f"{PSFS}/activities", {"activity_name": "Socks"}).status_code == 303
    activity = coach().psfs_activities()[0]
    assert web.post_form(f"{PSFS}/ratings", {f"rating-{activity.id}": "6"}).status_code == 303
    assert check_box(web)[1] == {PSFS: True, PAIN: False, REACH: False, PHOTO: False}
    assert web.post_form("/checkin", {"back_pain": "3"}).status_code == 303
    assert check_box(web)[1] == {PSFS: True, PAIN: True, REACH: False, PHOTO: False}
    test = {"test": "sit-and-reach", "cm": "-2", "leg": "left", "bending_hurts": "no"}
    assert web.post_form("/progress/measurements", test).status_code == 303
    heading, items = check_box(web)
    assert heading == "Week 1 check" and items == {
        PSFS: True,
        PAIN: True,
        REACH: True,
        PHOTO: False,
    }
    text = PageScan.of(web.get("/").text).text
    assert "All done for this check" in text
    assert "You can add the ODI or RMDQ" not in text  # no offer once all is done


def test_week_one_counts_what_was_recorded_the_week_before_the_start(
    web: WebClient, screened: Path
) -> None:
    started = enrol(0)
    record_all(started - timedelta(days=3))
    assert check_box(web)[1] == {PSFS: True, PAIN: True, REACH: True, PHOTO: False}


def test_the_box_leaves_after_its_week_and_week_three_asks_again(
    web: WebClient, screened: Path
) -> None:
    started = enrol(9)  # week 2
    record_all(started)
    assert check_box(web) == ("", {})  # week 1 done, week 2 asks nothing
    coach().stop_programme()
    started = enrol(15)  # week 3: week 1's records do not count for it
    record_all(started)
    heading, items = check_box(web)
    assert heading == "Week 3 check"
    assert items == {PSFS: False, PAIN: False, REACH: False, PHOTO: False}


def test_an_unfinished_check_stays_until_the_next_check_week(
    web: WebClient, screened: Path
) -> None:
    enrol(9)  # week 2, nothing recorded in week 1
    heading, items = check_box(web)
    assert heading == "Week 1 check"
    assert items == {PSFS: False, PAIN: False, REACH: False, PHOTO: False}


def test_a_kept_odi_pack_is_asked_with_a_link_and_marked_done(
    web: WebClient, screened: Path, dirs: Dirs
) -> None:
    keep_pack(dirs.config, "odi", odi_pack_text())
    enrol(0)
    items = check_box(web)[1]
    assert items == {PSFS: False, PAIN: False, REACH: False, ODI: False, PHOTO: False}
    assert "You can add the ODI or RMDQ" not in PageScan.of(web.get("/").text).text
    answers = {f"item-{section}": "1" for section in ODI_SECTIONS}
    assert web.post_form(ODI, answers).status_code == 303
    assert check_box(web)[1][ODI] is True


def test_no_reach_is_asked_when_the_test_is_not_advised(
    web: WebClient, answer: Callable[..., None]
) -> None:
    answer(yes=("osteoporosis",))
    enrol(0)
    assert check_box(web)[1] == {PSFS: False, PAIN: False}


def test_the_photo_assessment_is_optional_and_marked_done_once_measured(
    web: WebClient, screened: Path
) -> None:
    from deskstretch.core.body_angles import BodyAngles, PhotoTest, Side

    started = enrol(0)
    record_all(started)
    assert check_box(web)[1] == {PSFS: True, PAIN: True, REACH: True, PHOTO: False}
    assert "All done for this check" in PageScan.of(web.get("/").text).text  # not waited for
    coach().assessments.record_angles(
        [BodyAngles(Side.LEFT, 80.0, 3.0, 60.0, 0.9)], PhotoTest.STANDING_FORWARD_BEND
    )
    assert check_box(web)[1] == {PSFS: True, PAIN: True, REACH: True, PHOTO: True}
