"""The first run in the browser: welcome, grouped safety steps, goal, plan."""

from __future__ import annotations

import random
from collections.abc import Mapping

import pytest

from deskstretch.coach import Coach
from deskstretch.config import Settings, load_state
from deskstretch.core.records import Instrument
from deskstretch.core.safety import RED_FLAG_QUESTIONS, SafetyStatus, assess
from deskstretch.core.safety.steps import ITEMS_BY_ID, STEPS, Answer
from helpers.support import Dirs
from helpers.web_client import PageScan, WebClient, safety_form


def hidden_fields(html: str) -> dict[str, str]:
    """The form's hidden inputs, as a browser would send them back (the CSRF token aside)."""
    return {
        attrs["name"]: attrs.get("value", "")
        for tag, attrs in PageScan.of(html).tags
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name") != "csrf_token"
    }


def walk(web: WebClient, answers: Mapping[str, Answer], clearance: bool = False) -> tuple[int, str]:
    """Answer the grouped steps like a person: tick the "yes" items, answer them in full.
    Returns the final status code and where it led (the redirect's location)."""
    page = web.get("/start/safety")
    assert page.status_code == 200
    for _ in range(2 * len(STEPS) + 2):
        fields = hidden_fields(page.text)
        step = next(s for s in STEPS if s.id == fields["step"])
        ticked = [i.id for i in step.items if answers.get(i.id, Answer.NO) is not Answer.NO]
        if fields.get("stage") == "detail":
            form = fields | {f"d-{key}": answers[key].value for key in ticked}
            if "clearance" in page.text and 'name="clearance"' in page.text:
                form["clearance"] = "yes" if clearance else "no"
        elif ticked:
            form = fields | {f"tick-{key}": "on" for key in ticked} | {"action": "ticked"}
        else:
            form = fields | {"action": "none"}
        page = web.post_form("/start/safety", form)
        if page.status_code != 200:
            return page.status_code, page.headers.get("location", "")
    raise AssertionError("the steps never ended")


def stored(dirs: Dirs) -> Coach:
    return Coach(Settings.from_env())


def test_welcome_says_what_it_is_and_how_long(web: WebClient) -> None:
    page = web.get("/start")
    assert page.status_code == 200
    text = PageScan.of(page.text).text
    assert "Not a diagnosis" in text and "stays on this computer" in text.replace("stay on", "")
    assert f"{len(STEPS)} short checklists" in text
    assert "/start/safety" in PageScan.of(page.text).links()


def test_all_none_leads_to_the_goal_and_stores_all_clear(web: WebClient, dirs: Dirs) -> None:
    status, where = walk(web, {})
    assert (status, where) == (303, "/start/goal")
    verdict = stored(dirs).verdict()
    assert verdict.status is SafetyStatus.OK and verdict.routines_allowed


def test_none_of_these_with_a_tick_is_refused_and_keeps_the_tick(web: WebClient) -> None:
    page = web.get("/start/safety")
    form = hidden_fields(page.text) | {"tick-ces-saddle": "on", "action": "none"}
    refused = web.post_form("/start/safety", form)
    assert refused.status_code == 400
    assert "You ticked 1 of these" in refused.text
    checked = [
        a["name"] for t, a in PageScan.of(refused.text).tags if t == "input" and "checked" in a
    ]
    assert checked == ["tick-ces-saddle"]


def test_continue_with_nothing_ticked_is_refused(web: WebClient) -> None:
    page = web.get("/start/safety")
    refused = web.post_form("/start/safety", hidden_fields(page.text) | {"action": "ticked"})
    assert refused.status_code == 400
    assert "Tick what applies to you, or press None of these." in refused.text


def test_a_ticked_item_without_its_answer_is_asked_again(web: WebClient, dirs: Dirs) -> None:
    page = web.get("/start/safety")
    detail = web.post_form(
        "/start/safety", hidden_fields(page.text) | {"tick-ces-bladder": "on", "action": "ticked"}
    )
    assert detail.status_code == 200
    assert RED_FLAG_QUESTIONS[0].text in detail.text  # asked in full
    again = web.post_form("/start/safety", hidden_fields(detail.text))
    assert again.status_code == 400
    assert "Choose one of the answers." in again.text
    assert stored(dirs).screening() is None  # nothing saved on the way


def test_an_emergency_stops_at_once_and_locks(web: WebClient, dirs: Dirs) -> None:
    status, where = walk(web, {"ces-control": Answer.YES})
    assert (status, where) == (303, "/safety/result")
    verdict = stored(dirs).verdict()
    assert verdict.status is SafetyStatus.RED_FLAG and not verdict.routines_allowed
    result = web.get("/safety/result")
    assert "emergency" in result.text.lower()
    assert web.get("/start/goal", follow_redirects=False).headers["location"] == "/safety/result"


def test_tampered_carried_answers_are_asked_again_not_taken_as_no(web: WebClient) -> None:
    """A later step posted without the earlier answers goes back to the first unanswered step."""
    page = web.post_form("/start/safety", {"step": STEPS[-1].id, "action": "none"})
    assert page.status_code == 200
    assert hidden_fields(page.text)["step"] == STEPS[0].id


@pytest.mark.parametrize("question", RED_FLAG_QUESTIONS, ids=lambda q: q.id)
def test_each_red_flag_matches_the_item_by_item_form(
    web: WebClient, dirs: Dirs, question: object
) -> None:
    from deskstretch.core.safety import RedFlagQuestion

    assert isinstance(question, RedFlagQuestion)
    coach = stored(dirs)
    choices = [Answer.YES, Answer.CLEARED] if question.clearable else [Answer.YES]
    for choice in choices:
        walk(web, {question.id: choice})
        grouped = coach.verdict()
        web.post_form("/safety", safety_form(**{f"rf-{question.id}": choice.value}))
        one_by_one = coach.verdict()
        assert grouped.status is one_by_one.status
        assert grouped.urgency == one_by_one.urgency
        assert grouped.routines_allowed is one_by_one.routines_allowed
        assert [q.id for q in grouped.flagged] == [q.id for q in one_by_one.flagged]


@pytest.mark.parametrize("seed", range(12))
def test_random_answers_match_the_item_by_item_form(web: WebClient, dirs: Dirs, seed: int) -> None:
    rng = random.Random(seed)
    answers = {
        key: rng.choice(item.answers[:-1])
        for key, item in ITEMS_BY_ID.items()
        if not item.stops and rng.random() < 0.15
    }
    clearance = rng.random() < 0.5
    coach = stored(dirs)
    walk(web, answers, clearance)
    grouped = coach.screening()
    form = safety_form(
        **{
            (f"rf-{k}" if k in {q.id for q in RED_FLAG_QUESTIONS} else f"cond-{k}"): a.value
            for k, a in answers.items()
        }
    )
    form["clearance"] = "yes" if clearance else "no"
    web.post_form("/safety", form)
    one_by_one = coach.screening()
    assert grouped is not None and one_by_one is not None
    assert grouped.red_flags == one_by_one.red_flags
    assert grouped.red_flags_cleared == one_by_one.red_flags_cleared
    assert grouped.conditions == one_by_one.conditions
    assert grouped.clearance_confirmed == one_by_one.clearance_confirmed
    assert assess(grouped) == assess(one_by_one)


def goal_form(**extra: str) -> dict[str, str]:
    return {
        "activity-1": "Putting on socks",
        "rating-1": "4",
        "activity-2": "Sitting through a meeting",
        "rating-2": "6",
        "back-pain": "5",
        "leg-pain": "0",
    } | extra


def test_goal_keeps_every_value_and_names_each_problem(web: WebClient, dirs: Dirs) -> None:
    walk(web, {})
    sent = goal_form(**{"rating-2": "", "back-pain": "", "reach-cm": "-4", "activity-3": "x" * 81})
    refused = web.post_form("/start/goal", sent)
    assert refused.status_code == 422
    scan = PageScan.of(refused.text)
    values = {
        a.get("name"): a.get("value")
        for t, a in scan.tags
        if t == "input" and a.get("type") == "text"
    }
    assert values["activity-1"] == "Putting on socks"
    assert values["reach-cm"] == "-4"
    text = scan.text
    assert "choose 0 to 10" in text  # rating 2
    assert "choose a number from 0 to 10" in text  # back pain
    assert "choose the left or the right leg" in text  # the leg of the sit-and-reach
    assert "keep it to 80 characters" in text
    checked = {a["name"]: a["value"] for t, a in scan.tags if t == "input" and "checked" in a}
    assert checked["rating-1"] == "4"
    coach = stored(dirs)
    assert coach.psfs_activities() == [] and coach.enrolment() is None  # nothing half-saved


def test_goal_refused_by_the_coach_comes_back_as_a_422_beside_the_field(
    web: WebClient, dirs: Dirs
) -> None:
    walk(web, {})
    sent = goal_form(**{"activity-2": "putting on  SOCKS"})  # the same activity twice
    refused = web.post_form("/start/goal", sent)
    assert refused.status_code == 422
    scan = PageScan.of(refused.text)
    assert "is named twice" in scan.text_of("activity-2-problem")
    kept = {a["name"]: a.get("value") for t, a in scan.tags if t == "input" and "name" in a}
    assert kept["activity-2"] == "putting on  SOCKS"
    coach = stored(dirs)
    assert coach.psfs_activities() == [] and coach.enrolment() is None


def test_goal_names_only_the_missing_rating_and_the_reach_range(web: WebClient) -> None:
    walk(web, {})
    sent = {"activity-1": "Putting on socks", "back-pain": "2", "leg-pain": "0", "reach-cm": "77"}
    scan = PageScan.of(web.post_form("/start/goal", sent).text)
    assert scan.text_of("rating-1-problem") == "Choose 0 to 10."
    assert scan.text_of("activity-1-problem") == ""  # it was named: no "name at least one"
    assert "name at least one activity" not in scan.text
    assert scan.text_of("reach-cm-problem") == (
        "Enter a number between −40 and 40 cm (you typed '77')."
    )


def test_goal_stores_the_baseline_and_enrols(web: WebClient, dirs: Dirs) -> None:
    walk(web, {})
    done = web.post_form("/start/goal", goal_form(**{"reach-cm": "-3,5", "reach-leg": "right"}))
    assert (done.status_code, done.headers["location"]) == (303, "/start/plan")
    coach = stored(dirs)
    assert [a.name for a in coach.psfs_activities()] == [
        "Putting on socks",
        "Sitting through a meeting",
    ]
    (rating,) = coach.psfs_ratings()
    assert rating.instrument is Instrument.PSFS and rating.score == 5.0
    summary = coach.progress_summary()
    assert summary.has_sessions is False
    history = coach.export_all()
    assert [c["back_pain"] for c in history["checkins"]] == [5]
    assert [m["value_cm"] for m in history["measurements"]] == [-3.5]
    enrolment = coach.enrolment()
    assert enrolment is not None and enrolment.programme_id == "desk-back-6-weeks"
    assert load_state(coach.settings).first_run_completed_at is not None


def test_leg_pain_in_the_first_run_does_not_reask_the_questions_just_answered(
    web: WebClient, dirs: Dirs
) -> None:
    walk(web, {})
    web.post_form("/start/goal", goal_form(**{"leg-pain": "4"}))
    coach = stored(dirs)
    assert not coach.questions_due()
    assert coach.verdict().routines_allowed


def test_plan_shows_the_programme_week_breaks_and_one_start(web: WebClient, dirs: Dirs) -> None:
    assert web.get("/start/plan", follow_redirects=False).headers["location"] == "/start/goal"
    walk(web, {})
    web.post_form("/start/goal", goal_form())
    plan = web.get("/start/plan")
    assert plan.status_code == 200
    scan = PageScan.of(plan.text)
    starts = [href for href in scan.links() if href.startswith("/play/")]
    assert len(starts) == 1
    text = scan.text
    assert "Week 1 of 6" in text and "Level 1 of 3" in text
    assert "Monday to Friday, 09:00 to 17:30." in text
    assert "micro-break" in text and "every 30 minutes" in text
    assert "In weeks 3 and 6 we ask again" in text
    routine = starts[0].removeprefix("/play/")
    assert stored(dirs).programme_routine_id() == routine
    session = stored(dirs).routine_set.routines[routine]
    shown = [h for h in scan.links() if h.startswith("/library/")]
    assert shown == [f"/library/{step.exercise.id}" for step in session.steps]
    assert plan.text.count('class="thumb"') == len(session.steps)


def test_plan_uses_the_persons_reminder_settings(web: WebClient, dirs: Dirs) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    (dirs.config / "reminders.toml").write_text(
        "[working_hours]\nmonday = '08:00-12:00'\ntuesday = '08:00-12:00'\n"
        "[micro]\nenabled = false\n",
        encoding="utf-8",
    )
    walk(web, {})
    web.post_form("/start/goal", goal_form())
    text = PageScan.of(web.get("/start/plan").text).text
    assert "Monday, Tuesday, 08:00 to 12:00." in text
    assert "micro-break" not in text


def test_today_offers_the_first_run_until_done_or_dismissed(web: WebClient, dirs: Dirs) -> None:
    newcomer = web.get("/").text
    assert {"/start", "/start/safety"} <= set(PageScan.of(newcomer).links())
    assert "/programmes/desk-back-6-weeks/start" not in newcomer  # one way in, not two
    web.post_form("/start/dismiss", {})
    after = web.get("/").text
    assert "/start" not in PageScan.of(after).links()
    assert "/programmes/desk-back-6-weeks/start" in after
    assert web.get("/start").status_code == 200  # still there when wanted


def test_a_condition_that_needs_clearance_asks_for_it_and_keeps_the_answers(
    web: WebClient, dirs: Dirs
) -> None:
    page = web.get("/start/safety")
    for _ in STEPS[:-1]:
        page = web.post_form("/start/safety", hidden_fields(page.text) | {"action": "none"})
    detail = web.post_form(
        "/start/safety", hidden_fields(page.text) | {"tick-pregnancy": "on", "action": "ticked"}
    )
    assert 'name="clearance"' in detail.text
    refused = web.post_form("/start/safety", hidden_fields(detail.text) | {"d-pregnancy": "yes"})
    assert refused.status_code == 400
    assert "Choose yes or no." in refused.text
    checked = {a["name"]: a["value"] for t, a in PageScan.of(refused.text).tags if "checked" in a}
    assert checked == {"d-pregnancy": "yes"}
    assert stored(dirs).screening() is None
    done = web.post_form(
        "/start/safety", hidden_fields(refused.text) | {"d-pregnancy": "yes", "clearance": "no"}
    )
    assert done.headers["location"] == "/safety/result"  # locked until a clinician's okay
    assert stored(dirs).verdict().status is SafetyStatus.NEEDS_CLEARANCE
