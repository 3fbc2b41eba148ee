"""The routine builder, import, export and delete, in-process: every button re-renders the form
with what the person typed, Save writes a routine file the loader reads back, saved routines
show up everywhere at once, and bad input gets a 4xx page that says what to fix, never a 500."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest

from deskstretch.catalogue.loader import load_catalogue, load_routine_file, package_folder
from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.timeline import build_timeline
from deskstretch.web.rendering import duration
from helpers.support import CliRunner, Dirs
from helpers.web_client import ORIGIN, PageScan, WebClient, jargon_in

# Pelvic tilts, 6 reps of 5 s, then one 30 s hamstring hold per leg: 10 + 30 + 10 + 30 + 5 + 30.
TWO_STEPS = {
    "name": "My morning reset",
    "id": "",
    "position": "seated",
    "summary": "Loosen up, then the hamstrings.",
    "get_ready_seconds": "10",
    "switch_seconds": "5",
    "transition_seconds": "10",
    "steps-0-exercise": "seated-pelvic-tilts",
    "steps-0-kind": "reps",
    "steps-0-reps": "6",
    "steps-0-rep_seconds": "5",
    "steps-0-note": "Small, slow rocks.",
    "steps-1-exercise": "seated-hamstring-hinge",
    "steps-1-kind": "hold",
    "steps-1-reps": "1",
    "steps-1-hold_seconds": "30",
    "steps-1-rest_seconds": "5",
    "steps-1-contract_seconds": "0",
    "steps-1-side_order": "alternate",
    "steps-1-note": "",
}
TWO_STEPS_SECONDS = 115
VALID_FILE = """\
id = "imported"
name = "Imported routine"

[[steps]]
exercise = "S10"
reps = 6
rep_seconds = 5
"""
BAD_FILE = """\
name = "Mine"

[[steps]]
exercise = "S01"
hold_seconds = 200
"""


def press(web: WebClient, action: str, form: dict[str, str], url: str = "/routines/new") -> str:
    response = web.post_form(url, {**form, "action": action})
    assert response.status_code == 200, response.text
    return response.text


def total_text(html: str) -> str:
    found = re.search(r'id="builder-total" data-total>([^<]*)<', html)
    assert found, "no total on the page"
    return found.group(1)


def field_values(html: str) -> dict[str, str]:
    """The builder form's fields as a browser would send them (the buttons left out)."""
    values: dict[str, str] = {}
    for tag, attrs in PageScan.of(html).tags:
        name = attrs.get("name", "")
        if tag == "input" and name and attrs.get("type") != "submit":
            values[name] = attrs.get("value", "")
    for name, body in re.findall(
        r'<textarea id="[^"]*" name="([^"]*)"[^>]*>([^<]*)</textarea>', html
    ):
        values[name] = body
    for name, options in re.findall(
        r'<select id="[^"]*" name="([^"]*)"[^>]*>(.*?)</select>', html, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        values[name] = chosen.group(1) if chosen else ""
    values.pop("csrf_token", None)
    return values


def problem_for(html: str, field: str) -> str:
    """The message shown next to ``field`` (and check the field points at it)."""
    scan = PageScan.of(html)
    element = next((a for t, a in scan.tags if a.get("id") == field), None)
    assert element is not None, f"no field {field}"
    assert f"{field}-problem" in element.get("aria-describedby", "").split()
    assert element.get("aria-invalid") == "true"
    found = re.search(rf'id="{re.escape(field)}-problem">([^<]*)<', html)
    assert found, f"no problem shown for {field}"
    return found.group(1).replace("&#39;", "'")


def saved(dirs: Dirs, routine_id: str) -> Path:
    return dirs.routines / f"{routine_id}.toml"


def upload(
    web: WebClient, text: str | bytes, name: str = "mine.toml", **fields: str
) -> httpx2.Response:
    content = text.encode("utf-8") if isinstance(text, str) else text
    return web.client.post(
        "/routines/import",
        data={"csrf_token": web.token(), **fields},
        files={"file": (name, content, "application/toml")},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )


def resend(web: WebClient, page: str, **fields: str) -> httpx2.Response:
    """Send the second step of an import (the text travels in the page's hidden field)."""
    b64 = re.search(r'name="toml_b64" value="([^"]*)"', page)
    name = re.search(r'name="filename" value="([^"]*)"', page)
    assert b64 and name, "the clash page lost the file"
    data = {"csrf_token": web.token(), "toml_b64": b64.group(1), "filename": name.group(1)}
    return web.client.post(
        "/routines/import",
        data=data | fields,
        files={"unused": ("", b"", "application/octet-stream")},  # multipart, like the browser
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )


# -- composing -------------------------------------------------------------------------------------


def test_builder_offers_every_exercise_grouped_by_position_with_its_dose(web: WebClient) -> None:
    page = web.get("/routines/new").text
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', page, re.S)
    assert [label for label, _ in groups] == ["Seated", "Standing"]
    options = re.findall(r'<option value="([a-z-]+)"[^>]*>([^<]*)</option>', page)
    assert {value for value, _ in options} >= set(load_catalogue().exercises)
    labels = dict(options)
    assert labels["seated-hamstring-hinge"] == (
        "S01 Seated hamstring hinge (hamstrings): 2 × 30 s hold per leg"
    )
    assert "8 reps of 5 s" in labels["seated-pelvic-tilts"]
    assert "No exercises yet" in page


def test_add_puts_the_exercise_with_its_usual_dose_and_times_it(web: WebClient) -> None:
    html = press(web, "add", {"name": "Typed name", "add_exercise": "seated-hamstring-hinge"})
    values = field_values(html)
    assert values["name"] == "Typed name"
    assert values["steps-0-exercise"] == "seated-hamstring-hinge"
    assert (values["steps-0-reps"], values["steps-0-hold_seconds"]) == ("2", "30")
    assert values["steps-0-side_order"] == "alternate"
    # Get ready 10, then L 30, switch 5, R 30, switch 5, L 30, switch 5, R 30.
    assert total_text(html) == "2 min 25 s"
    assert 'data-focus="steps-0-title"' in html


def test_the_length_comes_from_the_shared_timeline(web: WebClient, dirs: Dirs) -> None:
    form = {**TWO_STEPS, "steps-1-side_order": "blocked", "steps-1-reps": "2"}
    shown = total_text(press(web, "update", form))
    assert web.post_form("/routines/new", {**form, "action": "save"}).status_code == 303
    routine = load_routine_file(saved(dirs, "my-morning-reset"), load_catalogue()).routine
    assert shown == duration(build_timeline(routine).total_seconds)
    # 10 + 30 + 10, then blocked: L 30, rest 5, L 30, switch 5, R 30, rest 5, R 30.
    assert shown == "3 min 5 s"


@pytest.mark.parametrize(
    ("action", "order"),
    [
        ("up:1", ["seated-hamstring-hinge", "seated-pelvic-tilts"]),
        ("down:0", ["seated-hamstring-hinge", "seated-pelvic-tilts"]),
        ("up:0", ["seated-pelvic-tilts", "seated-hamstring-hinge"]),
        ("down:1", ["seated-pelvic-tilts", "seated-hamstring-hinge"]),
        ("remove:0", ["seated-hamstring-hinge"]),
        ("remove:1", ["seated-pelvic-tilts"]),
    ],
)
def test_move_and_remove_keep_what_was_typed(web: WebClient, action: str, order: list[str]) -> None:
    typed = {**TWO_STEPS, "steps-0-note": "my own words", "steps-1-hold_seconds": "45"}
    values = field_values(press(web, action, typed))
    steps = [values[f"steps-{i}-exercise"] for i in range(len(order))]
    assert steps == order
    assert f"steps-{len(order)}-exercise" not in values
    assert values["name"] == "My morning reset"
    assert values["summary"] == "Loosen up, then the hamstrings."
    notes = {values[f"steps-{i}-exercise"]: values[f"steps-{i}-note"] for i in range(len(order))}
    holds = [values.get(f"steps-{i}-hold_seconds") for i in range(len(order))]
    assert notes.get("seated-pelvic-tilts", "my own words") == "my own words"
    assert "45" in holds or "seated-hamstring-hinge" not in order


def test_move_buttons_disable_at_the_ends_and_name_their_step(web: WebClient) -> None:
    html = press(web, "update", TWO_STEPS)
    buttons = {a["value"]: a for t, a in PageScan.of(html).tags if t == "button" and "value" in a}
    assert "disabled" in buttons["up:0"] and "disabled" in buttons["down:1"]
    assert "disabled" not in buttons["down:0"] and "disabled" not in buttons["up:1"]
    assert "Move up: Seated hamstring hinge, step 2" in re.sub(r"<[^>]+>", "", html)


def test_enter_in_a_field_presses_update_not_a_move(web: WebClient) -> None:
    html = press(web, "update", TWO_STEPS)
    form = html[html.index('<form method="post" action="/routines/new"') :]
    first = re.search(r"<button[^>]*>", form)
    assert first and 'value="update"' in first.group(0)


def test_preview_gives_the_length_for_the_live_total(web: WebClient) -> None:
    response = web.post_form("/routines/preview", TWO_STEPS)
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == "1 min 55 s"
    assert body["in_range"] is False
    assert "under the 2 to 5 minutes" in body["note"]
    assert "my-morning-reset" in body["id_hint"]


@pytest.mark.parametrize(
    ("seconds", "note", "status"),
    [
        ("5", "Under a minute", 303),
        ("60", "Within the 2 to 5 minutes", 303),
        ("120", "Longer than the 2 to 5 minutes", 303),
    ],
)
def test_length_notes_follow_the_format(
    web: WebClient, dirs: Dirs, seconds: str, note: str, status: int
) -> None:
    form = {
        **TWO_STEPS,
        "steps-1-hold_seconds": seconds,
        "steps-1-reps": "1" if seconds != "120" else "3",
        "get_ready_seconds": "0",
        "transition_seconds": "0",
        "steps-0-reps": "1",
    }
    assert note in press(web, "update", form)
    assert web.post_form("/routines/new", {**form, "action": "save"}).status_code == status


def test_a_routine_over_fifteen_minutes_is_refused(web: WebClient, dirs: Dirs) -> None:
    form = {**TWO_STEPS}
    for index in range(2, 8):
        form |= {
            f"steps-{index}-exercise": "split-stance-hamstring-hinge",
            f"steps-{index}-kind": "hold",
            f"steps-{index}-reps": "3",
            f"steps-{index}-hold_seconds": "60",
            f"steps-{index}-rest_seconds": "10",
        }
    html = press(web, "update", form)
    assert "Longer than 15 minutes" in html
    response = web.post_form("/routines/new", {**form, "action": "save"})
    assert response.status_code == 422
    assert PageScan.of(response.text).text_of("steps-problem") == (
        "The routine lasts 41 min 25 s, longer than the 15 minutes a routine may last: remove a"
        " step or shorten one."
    )
    kept = field_values(response.text)
    assert {name: kept.get(name) for name in form} == form
    assert not dirs.routines.exists() or not list(dirs.routines.iterdir())


# -- saving and its checks ------------------------------------------------------------------------


HINGE = "Step 2 (Seated hamstring hinge), "
TILTS = "Step 1 (Seated pelvic tilts), "


@pytest.mark.parametrize(
    ("field", "value", "label", "message"),
    [
        ("steps-1-hold_seconds", "200", HINGE + "seconds per hold",
         "Hold for 5 to 120 seconds (you typed '200')."),
        ("steps-1-hold_seconds", "4", HINGE + "seconds per hold",
         "Hold for 5 to 120 seconds (you typed '4')."),
        ("steps-1-hold_seconds", "12.5", HINGE + "seconds per hold",
         "Hold for 5 to 120 seconds, in whole seconds (you typed '12.5')."),
        ("steps-1-reps", "thirty", HINGE + "number of holds",
         "Do 1 to 30 holds, as a whole number (you typed 'thirty')."),
        ("steps-1-reps", "2.5", HINGE + "number of holds",
         "Do 1 to 30 holds, as a whole number (you typed '2.5')."),
        ("steps-0-reps", "31", TILTS + "number of reps", "Do 1 to 30 reps (you typed '31')."),
        ("steps-0-rep_seconds", "0.5", TILTS + "seconds per rep",
         "Take 1 to 20 seconds per rep (you typed '0.5')."),
        ("steps-1-rest_seconds", "61", HINGE + "rest between holds",
         "Rest for 0 to 60 seconds between holds (you typed '61')."),
        ("steps-1-contract_seconds", "11", HINGE + "press before each hold",
         "Press for 0 to 10 seconds before each hold (you typed '11')."),
        ("steps-1-side_order", "sideways", HINGE + "order of the sides",
         "Choose one of the two orders of the sides."),
        ("steps-0-note", "n" * 301, TILTS + "note",
         "Keep the note to 300 characters (this has 301)."),
        ("switch_seconds", "31", "Change sides (seconds)",
         "Allow 0 to 30 seconds to change sides (you typed '31')."),
        ("get_ready_seconds", "ten", "Get ready (seconds)",
         "Allow 0 to 60 seconds to get ready, in whole seconds (you typed 'ten')."),
        ("name", "", "Name", "Give the routine a name."),
        ("name", "n" * 81, "Name", "Keep the name to 80 characters (this has 81)."),
        ("summary", "s" * 501, "Description",
         "Keep the description to 500 characters (this has 501)."),
        ("position", "lying", "Position", "Choose seated, standing, or seated and standing."),
        ("id", "Not A Slug", "Id", "Use only lowercase letters, digits and dashes, like"
         " my-morning-break (you typed 'Not A Slug')."),
        ("id", "hamstring-2min", "Id", "'hamstring-2min' is the id of a built-in routine,"
         " 'Quick hamstring stretch'; built-in routines are never replaced, so choose another"
         " id."),
    ],
)  # fmt: skip
def test_save_shows_each_problem_in_plain_words_next_to_its_field_and_keeps_the_input(
    web: WebClient, dirs: Dirs, field: str, value: str, label: str, message: str
) -> None:
    form = {**TWO_STEPS, "id": "my-id", field: value}  # an id: no name is then one problem
    response = web.post_form("/routines/new", {**form, "action": "save"})
    assert response.status_code == 422
    assert problem_for(response.text, field) == message
    summary = PageScan.of(response.text).text_of("problems")
    assert summary == f"Please fix this Nothing has been saved yet. {label}: {message}"
    assert f'href="#{field}"' in response.text  # the summary at the top links to the field
    assert jargon_in(summary) == [] and "expected" not in summary and ", got" not in summary
    kept = field_values(response.text)
    if field in ("steps-1-side_order", "position"):  # a list keeps its own choices
        kept[field] = value
    assert kept == {**form, "add_exercise": ""}
    assert not dirs.routines.exists() or not list(dirs.routines.iterdir())


def test_every_mistake_at_once_is_listed_in_the_forms_order_with_every_value_kept(
    web: WebClient, dirs: Dirs
) -> None:
    form = {
        **TWO_STEPS,
        "steps-0-note": "Rock gently.",
        "steps-0-rep_seconds": "25",
        "steps-1-hold_seconds": "200",
        "steps-1-side_order": "blocked",
        "steps-1-note": "Knee soft.",
        "id": "Bad Id",
        "name": "",
    }
    response = web.post_form("/routines/new", {**form, "action": "save"})
    assert response.status_code == 422
    scan = PageScan.of(response.text)
    assert scan.text_of("problems").startswith("Please fix these 4 things")
    items = re.findall(r'<li><a href="#([^"]+)">([^<]*)</a></li>', response.text)
    assert [href for href, _ in items] == [
        "name",
        "id",
        "steps-0-rep_seconds",
        "steps-1-hold_seconds",
    ]
    for href, _ in items:
        assert problem_for(response.text, href)  # each beside its own field, pointed at
        assert jargon_in(problem_for(response.text, href)) == []
    assert jargon_in(scan.text_of("problems")) == []
    assert field_values(response.text) == {**form, "add_exercise": ""}
    assert 'data-focus="problems"' in response.text  # the summary takes the focus
    assert not dirs.routines.exists() or not list(dirs.routines.iterdir())


def test_each_steps_fields_say_whose_they_are_to_a_screen_reader(web: WebClient) -> None:
    html = press(web, "update", TWO_STEPS)
    label = re.search(r'<label for="steps-1-hold_seconds">(.*?)</label>', html)
    assert label is not None
    text = re.sub(r"<[^>]+>", "", label.group(1))
    assert text == "Seconds per hold, step 2, Seated hamstring hinge"


def test_save_with_no_steps_or_an_unknown_exercise_says_what_to_do(
    web: WebClient, dirs: Dirs
) -> None:
    empty = {k: v for k, v in TWO_STEPS.items() if not k.startswith("steps-")}
    response = web.post_form("/routines/new", {**empty, "action": "save"})
    assert response.status_code == 422
    assert problem_for(response.text, "add_exercise") == "Add at least one exercise."
    assert field_values(response.text)["name"] == "My morning reset"
    unknown = {**TWO_STEPS, "steps-1-exercise": "no-such-move", "action": "save"}
    response = web.post_form("/routines/new", unknown)
    assert response.status_code == 422
    summary = PageScan.of(response.text).text_of("problems")
    assert "Step 2 (no-such-move), exercise: No exercise called 'no-such-move'." in summary
    assert PageScan.of(response.text).text_of("steps-1-exercise").startswith("No exercise called")
    assert not dirs.routines.exists() or not list(dirs.routines.iterdir())


def test_save_writes_the_documented_toml_atomically_into_the_routines_folder(
    web: WebClient, dirs: Dirs
) -> None:
    response = web.post_form("/routines/new", {**TWO_STEPS, "action": "save"})
    assert response.status_code == 303
    assert response.headers["location"] == "/routines#routine-my-morning-reset"
    path = saved(dirs, "my-morning-reset")
    assert [p.name for p in dirs.routines.iterdir()] == [path.name]  # no temporary file left
    text = path.read_text(encoding="utf-8")
    assert 'id = "my-morning-reset"' in text
    assert 'exercise = "seated-pelvic-tilts"  # S10 Seated pelvic tilts' in text
    loaded = load_routine_file(path, load_catalogue()).routine
    assert loaded.name == "My morning reset"
    assert loaded.summary == "Loosen up, then the hamstrings."
    assert [s.exercise.id for s in loaded.steps] == [
        "seated-pelvic-tilts",
        "seated-hamstring-hinge",
    ]
    assert loaded.steps[0].note == "Small, slow rocks."
    assert (loaded.steps[1].dose.reps, loaded.steps[1].dose.hold_seconds) == (1, 30)
    assert build_timeline(loaded).total_seconds == TWO_STEPS_SECONDS


def test_saved_routine_appears_everywhere_without_a_restart(
    web: WebClient, screened: Path, run_cli: CliRunner
) -> None:
    assert web.post_form("/routines/new", {**TWO_STEPS, "action": "save"}).status_code == 303
    routines = web.get("/routines", follow_redirects=True).text
    assert "My morning reset" in routines
    assert "/routines/my-morning-reset/edit" in routines
    assert 'value="my-morning-reset"' in web.get("/settings").text
    assert web.get("/play/my-morning-reset").status_code == 200
    assert "my-morning-reset" in {r["id"] for r in web.get("/api/routines").json()}
    settings = {"default_routine": "my-morning-reset", "voice": "off", "bell": "on"}
    assert web.post_form("/settings", settings).status_code == 303
    assert "/play/my-morning-reset" in PageScan.of(web.get("/").text).links()
    listed = run_cli("routine", "list")
    assert listed.exit_code == 0 and "my-morning-reset" in listed.stdout


def test_a_new_routine_cannot_take_an_id_already_in_use(web: WebClient, dirs: Dirs) -> None:
    assert web.post_form("/routines/new", {**TWO_STEPS, "action": "save"}).status_code == 303
    again = web.post_form("/routines/new", {**TWO_STEPS, "action": "save"})
    assert again.status_code == 422
    assert "already the id of your routine" in problem_for(again.text, "id")
    dirs.routines.joinpath("stray.toml").write_text("not = [valid", encoding="utf-8")
    stray = web.post_form("/routines/new", {**TWO_STEPS, "id": "stray", "action": "save"})
    assert stray.status_code == 422
    assert "already has a file called stray.toml" in problem_for(stray.text, "id")
    assert dirs.routines.joinpath("stray.toml").read_text(encoding="utf-8") == "not = [valid"


def test_unsuitable_exercise_is_flagged_for_this_person(
    web: WebClient, answer: Callable[..., None]
) -> None:
    answer(yes=("osteoporosis",))
    html = press(web, "add", {"name": "Twist", "add_exercise": "seated-spinal-twist"})
    assert "seated-spinal-twist" in field_values(html).values()
    assert "because you told us about osteoporosis" in html
    assert "– not suitable for you" in html
    safe = press(web, "add", {"name": "Tilts", "add_exercise": "seated-pelvic-tilts"})
    assert "because you told us about" not in safe


# -- copy and edit -------------------------------------------------------------------------------


def test_copy_and_edit_a_built_in_makes_a_new_routine(web: WebClient, dirs: Dirs) -> None:
    built_in = package_folder("routines") / "hamstring-2min.toml"
    before = built_in.read_bytes()
    html = web.get("/routines/hamstring-2min/edit").text
    assert 'action="/routines/new"' in html
    values = field_values(html)
    assert values["id"] == "hamstring-2min-copy"
    assert values["name"] == "Quick hamstring stretch (my copy)"
    assert values["steps-1-exercise"] == "seated-hamstring-hinge"
    response = web.post_form("/routines/new", {**values, "action": "save"})
    assert response.status_code == 303
    copy = load_routine_file(saved(dirs, "hamstring-2min-copy"), load_catalogue()).routine
    original = Coach(Settings.from_env()).routine_set.routines["hamstring-2min"]
    assert copy.steps == original.steps and copy.sources == original.sources
    assert built_in.read_bytes() == before
    assert field_values(web.get("/routines/hamstring-2min/edit").text)["id"] == (
        "hamstring-2min-copy-2"
    )


def test_a_built_in_routine_cannot_be_changed_in_place(web: WebClient) -> None:
    response = web.post_form("/routines/hamstring-2min/edit", {**TWO_STEPS, "action": "save"})
    assert response.status_code == 400
    assert "cannot be changed" in response.text


def test_editing_your_routine_can_rename_it(web: WebClient, dirs: Dirs) -> None:
    web.post_form("/routines/new", {**TWO_STEPS, "action": "save"})
    html = web.get("/routines/my-morning-reset/edit").text
    assert 'action="/routines/my-morning-reset/edit"' in html
    values = field_values(html)
    assert values["steps-0-note"] == "Small, slow rocks."
    same_id = web.post_form(
        "/routines/my-morning-reset/edit", {**values, "name": "Renamed", "action": "save"}
    )
    assert same_id.status_code == 303
    assert 'name = "Renamed"' in saved(dirs, "my-morning-reset").read_text(encoding="utf-8")
    new_id = web.post_form(
        "/routines/my-morning-reset/edit", {**values, "id": "evening", "action": "save"}
    )
    assert new_id.status_code == 303
    assert sorted(p.name for p in dirs.routines.iterdir()) == ["evening.toml"]


def test_unknown_routines_are_404(web: WebClient) -> None:
    assert web.get("/routines/nope/edit").status_code == 404
    assert web.post_form("/routines/nope/edit", TWO_STEPS).status_code == 404
    assert web.get("/routines/nope/delete").status_code == 404
    assert web.get("/routines/new?exercise=nope").status_code == 404


@pytest.mark.parametrize("action", ["fly", "up:9", "up:-1", "down:x", "save:1", "remove:"])
def test_unknown_buttons_are_a_400(web: WebClient, action: str) -> None:
    response = web.post_form("/routines/new", {**TWO_STEPS, "action": action})
    assert response.status_code == 400


def test_adding_nothing_or_too_many_steps_says_why(web: WebClient) -> None:
    response = web.post_form("/routines/new", {**TWO_STEPS, "action": "add", "add_exercise": ""})
    assert response.status_code == 422
    assert problem_for(response.text, "add_exercise") == "Choose an exercise first."
    form = {"name": "Long"}
    for index in range(20):
        form |= {f"steps-{index}-exercise": "seated-pelvic-tilts", f"steps-{index}-kind": "reps"}
    full = web.post_form("/routines/new", {**form, "action": "add", "add_exercise": "S01"})
    assert full.status_code == 422
    assert "at most 20 steps" in problem_for(full.text, "add_exercise")


# -- import, export, delete ----------------------------------------------------------------------


def test_import_a_valid_file(web: WebClient, dirs: Dirs) -> None:
    assert "Routine file (.toml)" in web.get("/routines/import").text
    response = upload(web, VALID_FILE)
    assert response.status_code == 303
    assert "Imported routine" in web.get("/routines").text
    loaded = load_routine_file(saved(dirs, "imported"), load_catalogue()).routine
    assert loaded.steps[0].exercise.id == "seated-pelvic-tilts"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BAD_FILE, "mine.toml:5: steps[0].hold_seconds: expected at most 120, got 200"),
        ("name = [oops", "mine.toml:1: not valid TOML"),
        (b'name = "caf\xe9"', "mine.toml: expected UTF-8 text"),
        ('name = "x"\n[[steps]]\nexercise = "S99"\n', "mine.toml:3: steps[0].exercise: No"),
    ],
)
def test_import_shows_the_loaders_message_next_to_the_file_field(
    web: WebClient, dirs: Dirs, content: str | bytes, message: str
) -> None:
    response = upload(web, content)
    assert response.status_code == 400
    assert problem_for(response.text, "file").startswith(message)
    assert not dirs.routines.exists() or not list(dirs.routines.iterdir())


def test_import_refuses_a_file_over_64_kb(web: WebClient) -> None:
    response = upload(web, VALID_FILE + "#" * (64 * 1024))
    assert response.status_code == 413
    assert "larger than 64 KB" in response.text


def test_import_with_no_file_is_a_400(web: WebClient) -> None:
    response = web.client.post(
        "/routines/import",
        data={"csrf_token": web.token()},
        files={"file": ("", b"", "application/toml")},
        headers={"Origin": ORIGIN},
    )
    assert response.status_code == 400
    assert "choose a routine file" in response.text


def test_import_over_a_built_in_offers_only_another_id(web: WebClient, dirs: Dirs) -> None:
    response = upload(web, VALID_FILE.replace('"imported"', '"hamstring-2min"'))
    assert response.status_code == 409
    assert 'value="replace"' not in response.text
    assert "never replaced" in response.text
    forced = resend(web, response.text, choice="replace")
    assert forced.status_code == 400
    assert not dirs.routines.exists() or not list(dirs.routines.iterdir())
    bad = resend(web, response.text, choice="rename", new_id="Bad Id")
    assert bad.status_code == 400
    assert problem_for(bad.text, "new_id") == (
        "Use only lowercase letters, digits and dashes, like my-routine (you typed 'Bad Id')."
    )
    renamed = resend(web, response.text, choice="rename", new_id="my-hamstrings")
    assert renamed.status_code == 303
    assert load_routine_file(saved(dirs, "my-hamstrings"), load_catalogue()).routine.name == (
        "Imported routine"
    )


def test_import_over_your_own_routine_offers_replace_or_rename(web: WebClient, dirs: Dirs) -> None:
    assert upload(web, VALID_FILE).status_code == 303
    changed = VALID_FILE.replace("reps = 6", "reps = 9")
    clash = upload(web, changed)
    assert clash.status_code == 409
    assert 'value="replace"' in clash.text and 'value="rename"' in clash.text
    assert 'value="imported-copy"' in clash.text  # a free id is suggested
    replaced = resend(web, clash.text, choice="replace")
    assert replaced.status_code == 303
    assert [p.name for p in dirs.routines.iterdir()] == ["imported.toml"]
    routine = load_routine_file(saved(dirs, "imported"), load_catalogue()).routine
    assert routine.steps[0].dose.reps == 9


def test_import_takes_the_id_from_the_file_name(web: WebClient, dirs: Dirs) -> None:
    no_id = VALID_FILE.replace('id = "imported"\n', "")
    assert upload(web, no_id, name="from-name.toml").status_code == 303
    assert saved(dirs, "from-name").is_file()
    spaced = upload(web, no_id, name="My Routine.toml")
    assert spaced.status_code == 409
    assert 'value="my-routine"' in spaced.text


def test_export_then_import_gives_the_identical_routine(web: WebClient, dirs: Dirs) -> None:
    web.post_form("/routines/new", {**TWO_STEPS, "action": "save"})
    before = Coach(Settings.from_env()).routine_set.routines["my-morning-reset"]
    exported = web.get("/routines/my-morning-reset.toml")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/toml")
    assert web.post_form("/routines/my-morning-reset/delete", {}).status_code == 303
    assert upload(web, exported.text, name="my-morning-reset.toml").status_code == 303
    after = Coach(Settings.from_env()).routine_set.routines["my-morning-reset"]
    assert after == before


@pytest.mark.parametrize("routine_id", ["hamstring-2min", "standing-5min"])
def test_a_built_in_exports_and_imports_as_the_same_routine(
    web: WebClient, routine_id: str
) -> None:
    exported = web.get(f"/routines/{routine_id}.toml").text
    clash = upload(web, exported, name=f"{routine_id}.toml")
    assert clash.status_code == 409
    assert resend(web, clash.text, choice="rename", new_id="mine").status_code == 303
    routines = Coach(Settings.from_env()).routine_set.routines
    original, mine = routines[routine_id], routines["mine"]
    assert (mine.name, mine.steps, mine.sources) == (
        original.name,
        original.steps,
        original.sources,
    )
    assert build_timeline(mine).total_seconds == build_timeline(original).total_seconds


def test_delete_asks_first_then_removes_the_file(web: WebClient, dirs: Dirs) -> None:
    web.post_form("/routines/new", {**TWO_STEPS, "action": "save"})
    routines = web.get("/routines").text
    assert "/routines/my-morning-reset/delete" in routines
    confirm = web.get("/routines/my-morning-reset/delete")
    assert confirm.status_code == 200
    assert 'action="/routines/my-morning-reset/delete"' in confirm.text
    assert saved(dirs, "my-morning-reset").is_file()  # asking changes nothing
    done = web.post_form("/routines/my-morning-reset/delete", {}, follow=True)
    assert done.status_code == 200
    assert "Deleted &#39;My morning reset&#39;" in done.text
    assert not saved(dirs, "my-morning-reset").exists()
    assert "/play/my-morning-reset" not in done.text
    assert web.get("/play/my-morning-reset").status_code == 404


def test_built_in_routines_cannot_be_deleted(web: WebClient) -> None:
    assert web.get("/routines/hamstring-2min/delete").status_code == 400
    assert web.post_form("/routines/hamstring-2min/delete", {}).status_code == 400
    assert (package_folder("routines") / "hamstring-2min.toml").is_file()
    routines = web.get("/routines").text
    assert "/routines/hamstring-2min/delete" not in routines
    assert "/routines/hamstring-2min/edit" in routines  # "Copy and edit"


# -- security --------------------------------------------------------------------------------------

POSTS = [
    "/routines/new",
    "/routines/preview",
    "/routines/my-morning-reset/edit",
    "/routines/my-morning-reset/delete",
    "/routines/import",
]


@pytest.mark.parametrize("url", POSTS)
@pytest.mark.parametrize("missing", ["token", "origin"])
def test_every_post_needs_the_csrf_token_and_origin(
    web: WebClient, dirs: Dirs, url: str, missing: str
) -> None:
    web.post_form("/routines/new", {**TWO_STEPS, "action": "save"})
    before = {p.name: p.read_bytes() for p in dirs.routines.iterdir()}
    form = {**TWO_STEPS, "id": "other", "action": "save"}
    if missing == "token":
        response = web.post_form(url, form, token=False)
    else:
        response = web.post_form(url, form, origin="http://evil.example")
    assert response.status_code == 403
    assert {p.name: p.read_bytes() for p in dirs.routines.iterdir()} == before


@pytest.mark.parametrize(
    "url",
    [
        "/routines/new",
        "/routines/hamstring-2min/edit",
        "/routines/import",
        "/routines/my-morning-reset/delete",
    ],
)
def test_builder_pages_need_no_inline_script(web: WebClient, url: str) -> None:
    web.post_form("/routines/new", {**TWO_STEPS, "action": "save"})
    scan = PageScan.of(web.get(url).text)
    assert scan.inline_scripts == 0
    assert scan.attribute_problems() == []
    forms = [a for t, a in scan.tags if t == "form" and a.get("method") == "post"]
    assert forms
    assert scan.count("input") >= 1 and 'name="csrf_token"' in web.get(url).text


def test_routine_files_changed_by_hand_show_up_without_a_restart(
    web: WebClient, dirs: Dirs
) -> None:
    text = (package_folder("routines") / "hamstring-2min.toml").read_text(encoding="utf-8")
    assert "by-hand" not in web.get("/routines").text
    dirs.routines.mkdir(parents=True, exist_ok=True)
    mine = dirs.routines / "by-hand.toml"
    mine.write_text(
        text.replace('id = "hamstring-2min"', 'id = "by-hand"').replace(
            'name = "Quick hamstring stretch"', 'name = "Written by hand"'
        ),
        encoding="utf-8",
    )
    assert "Written by hand" in web.get("/routines").text
    mine.write_text(mine.read_text(encoding="utf-8").replace("by hand", "in an editor"))
    page = web.get("/routines").text
    assert "Written in an editor" in page
    assert "Written by hand" not in page
    mine.unlink()
    assert "Written in an editor" not in web.get("/routines").text
