"""Back questionnaires in the browser (issue 11 item 4): asked only with the wording the person
keeps as an instrument pack in their instruments folder, its notice first; without one, a short
note on how to add it. (The packs here hold invented placeholder wording.)"""

from __future__ import annotations

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.outcomes import ODI_SECTIONS, odi_change
from deskstretch.core.records import Instrument
from helpers.instrument_packs import keep_pack, odi_pack_text, rmdq_pack_text
from helpers.support import Dirs
from helpers.web_client import PageScan, WebClient

OVERVIEW = "/measure/questionnaires"


def results(instrument: Instrument) -> list[float]:
    from deskstretch.store import repository as repo

    coach = Coach(Settings.from_env())
    return [r.score for r in repo.list_questionnaire_results(coach.store, instrument=instrument)]


def test_without_wording_the_pages_say_how_to_add_it_and_ask_nothing(
    web: WebClient, dirs: Dirs
) -> None:
    assert OVERVIEW in PageScan.of(web.get("/progress").text).links()
    overview = web.get(OVERVIEW)
    assert overview.status_code == 200
    text = PageScan.of(overview.text).text
    assert "it does not include their questions" in text
    assert str(dirs.config / "instruments" / "odi.toml") in text
    assert f"{OVERVIEW}/odi" not in PageScan.of(overview.text).links()
    missing = web.get(f"{OVERVIEW}/odi")
    assert missing.status_code == 404
    assert "does not include the questions of the ODI" in PageScan.of(missing.text).text
    assert 'type="radio"' not in missing.text
    assert web.get(f"{OVERVIEW}/psfs").status_code == 404  # not a questionnaire of this page


def test_a_kept_pack_is_asked_after_its_notice_and_the_result_saved(
    web: WebClient, dirs: Dirs
) -> None:
    keep_pack(dirs.config, "odi", odi_pack_text())
    overview = PageScan.of(web.get(OVERVIEW).text)
    assert f"{OVERVIEW}/odi" in overview.links()
    page = web.get(f"{OVERVIEW}/odi")
    assert page.status_code == 200
    text = PageScan.of(page.text).text
    assert text.index("Made-up ODI notice for tests.") < text.index("Invented section 1.")
    assert "Invented instructions." in text
    assert page.text.count('type="radio"') == 6 * len(ODI_SECTIONS)
    answers = {f"item-{section}": "2" for section in ODI_SECTIONS}
    answers.pop("item-sex_life")  # a section may be left out
    saved = web.post_form(f"{OVERVIEW}/odi", answers, follow=True)
    assert saved.status_code == 200
    text = PageScan.of(saved.text).text
    assert "Saved: ODI 40 out of 100 (moderate)." in text
    assert "This is your first result" in text
    assert "Your latest result: 40 (moderate)" in text
    again = web.post_form(f"{OVERVIEW}/odi", {f"item-{s}": "1" for s in ODI_SECTIONS}, follow=True)
    assert f"Since your first result: {odi_change(40, 20).sentence}" in PageScan.of(again.text).text
    assert results(Instrument.ODI) == [40, 20]


def test_a_bad_answer_comes_back_beside_its_question_with_the_others_kept(
    web: WebClient, dirs: Dirs
) -> None:
    keep_pack(dirs.config, "odi", odi_pack_text())
    answers = {f"item-{section}": "3" for section in ODI_SECTIONS}
    answers["item-lifting"] = "9"
    response = web.post_form(f"{OVERVIEW}/odi", answers)
    assert response.status_code == 422
    html = response.text
    assert 'id="item-lifting-problem">Choose one of the answers shown.</p>' in html
    assert 'href="#q-item-lifting"' in html  # the summary links to the question
    checked = [
        attrs["name"]
        for tag, attrs in PageScan.of(html).tags
        if tag == "input" and "checked" in attrs and attrs.get("value") == "3"
    ]
    assert len(checked) == len(ODI_SECTIONS) - 1 and "item-lifting" not in checked
    assert results(Instrument.ODI) == []
    too_few = web.post_form(f"{OVERVIEW}/odi", {"item-walking": "1"})
    assert too_few.status_code == 422
    scan = PageScan.of(too_few.text)
    assert scan.text_of("item-walking-problem") == ""  # the one answered
    assert scan.text_of("item-lifting-problem") == (
        "Answer this section too: the ODI needs at least 9 of its 10 sections answered"
        " (1 section may be left out)."
    )
    assert "personal_care" not in scan.text  # sections by their number, never by their id
    assert "#q-item-lifting" in scan.links()
    assert results(Instrument.ODI) == []


def test_rmdq_statements_are_ticked(web: WebClient, dirs: Dirs) -> None:
    keep_pack(dirs.config, "rmdq", rmdq_pack_text())
    page = web.get(f"{OVERVIEW}/rmdq")
    assert page.text.count('type="checkbox"') == 24
    assert "Tick each statement that describes you today" in PageScan.of(page.text).text
    ticked = {"item-rmdq01": "1", "item-rmdq02": "1", "item-rmdq10": "1", "item-rmdq24": "1"}
    saved = web.post_form(f"{OVERVIEW}/rmdq", ticked, follow=True)
    assert "Saved: RMDQ 4 out of 24." in PageScan.of(saved.text).text
    assert results(Instrument.RMDQ) == [4]


def test_a_pack_that_cannot_be_used_is_named_with_its_line_and_field(
    web: WebClient, dirs: Dirs
) -> None:
    path = keep_pack(dirs.config, "rmdq", rmdq_pack_text().replace('id = "rmdq02"', 'id = "x"'))
    page = web.get(f"{OVERVIEW}/rmdq")
    assert page.status_code == 200
    text = PageScan.of(page.text).text
    assert f"{path}:10: items[1].id: expected one of the rmdq item ids" in text
    assert 'type="checkbox"' not in page.text
    assert web.post_form(f"{OVERVIEW}/rmdq", {"item-rmdq01": "1"}).status_code == 400
    odi_in_rmdq = keep_pack(dirs.config, "rmdq", odi_pack_text())
    wrong = PageScan.of(web.get(f"{OVERVIEW}/rmdq").text).text
    assert f'{odi_in_rmdq}:1: instrument: expected "rmdq" (the file\'s name), got "odi"' in wrong
    assert results(Instrument.RMDQ) == []
