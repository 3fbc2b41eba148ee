"""Your everyday activities in the browser (issue 11 item 4): add, stop rating and rate the PSFS
activities at /measure/psfs through the Coach; the last rating beside each, the honest change by
the PSFS rule, and problems beside their fields with every typed value kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.outcomes import psfs_change
from helpers.web_client import PageScan, WebClient

PAGE = "/measure/psfs"
NAMES = ("Putting on socks", "Sitting through a meeting", "Carrying the shopping")


def coach() -> Coach:
    return Coach(Settings.from_env())


def add_all(web: WebClient, names: tuple[str, ...] = NAMES) -> list[str]:
    for name in names:
        added = web.post_form(f"{PAGE}/activities", {"activity_name": name})
        assert added.status_code == 303 and added.headers["location"] == PAGE
    return [a.id for a in coach().psfs_activities()]


def inputs(html: str) -> dict[str, dict[str, str]]:
    """The page's inputs by id."""
    return {a["id"]: a for tag, a in PageScan.of(html).tags if tag == "input" and "id" in a}


def problem_of(html: str, field: str) -> str:
    """The text of the problem shown beside ``field`` (its ``<field>-problem`` element), and that
    the field points to it."""
    field_attrs = inputs(html)[field]
    assert f"{field}-problem" in field_attrs.get("aria-describedby", "")
    assert field_attrs.get("aria-invalid") == "true"
    marker = f'id="{field}-problem">'
    start = html.index(marker) + len(marker)
    return html[start : html.index("</p>", start)]


def test_the_page_is_reachable_from_progress_and_starts_empty(web: WebClient) -> None:
    assert PAGE in PageScan.of(web.get("/progress").text).links()
    response = web.get(PAGE)
    assert response.status_code == 200
    text = PageScan.of(response.text).text
    assert "Your everyday activities" in text
    assert "No activities yet" in text
    assert "Save my ratings" not in text  # nothing to rate yet


def test_add_and_rate_then_rate_again_shows_the_last_rating_and_the_change(
    web: WebClient,
) -> None:
    ids = add_all(web)
    page = web.get(PAGE).text
    text = PageScan.of(page).text
    for name in NAMES:
        assert name in text
    assert "0 = unable to do it, 10 = able to do it as well as before your back problem" in text
    first = {f"rating-{i}": v for i, v in zip(ids, ("3", "4", "5"), strict=True)}
    saved = web.post_form(f"{PAGE}/ratings", first, follow=True)
    assert saved.status_code == 200
    text = PageScan.of(saved.text).text
    assert "Saved: your average is 4 out of 10." in text
    assert "This is your first rating" in text
    assert "Last time: 3 out of 10." in text and "Last time: 5 out of 10." in text
    second = {f"rating-{i}": v for i, v in zip(ids, ("8", "4", "6"), strict=True)}
    again = web.post_form(f"{PAGE}/ratings", second, follow=True)
    text = PageScan.of(again.text).text
    names = {a.id: a.name for a in coach().psfs_activities()}
    change = psfs_change(
        {ids[0]: 3, ids[1]: 4, ids[2]: 5}, {ids[0]: 8, ids[1]: 4, ids[2]: 6}, names
    )
    assert f"Since your first rating: {change.sentence}" in text  # the flash
    # What changed: the mean and each activity by the existing PSFS rule, word for word.
    assert change.mean.sentence in text
    for activity in change.activities:
        assert activity.sentence in text
    assert "Putting on socks went from 3 to 8 (+5 points): a real change for the better." in text
    assert "Last time: 8 out of 10." in text
    ratings = coach().psfs_ratings()
    assert [r.answers[ids[0]] for r in ratings] == [3, 8]


def test_the_change_compares_the_first_rating_with_the_latest(web: WebClient) -> None:
    ids = add_all(web)
    person = coach()
    start = datetime.now(UTC) - timedelta(days=30)
    person.rate_psfs(dict(zip(ids, (2, 2, 2), strict=True)), now=start)
    person.rate_psfs(dict(zip(ids, (5, 5, 5), strict=True)), now=start + timedelta(days=10))
    person.rate_psfs(dict(zip(ids, (3, 3, 3), strict=True)), now=start + timedelta(days=20))
    text = PageScan.of(web.get(PAGE).text).text
    assert "Your activity ratings went from 2 to 3 (+1 point): within normal variation." in text
    assert "went from 2 to 5" not in text  # the middle rating is not what is compared
    assert "Last time: 3 out of 10." in text


def test_bad_ratings_come_back_beside_their_fields_with_every_value_kept(web: WebClient) -> None:
    ids = add_all(web)
    typed = {f"rating-{ids[0]}": "11", f"rating-{ids[1]}": "", f"rating-{ids[2]}": "7"}
    response = web.post_form(f"{PAGE}/ratings", typed)
    assert response.status_code == 422
    html = response.text
    assert problem_of(html, f"rating-{ids[0]}") == (
        "Enter a whole number from 0 to 10 (you typed &#39;11&#39;)."
    )
    assert problem_of(html, f"rating-{ids[1]}") == "Enter a whole number from 0 to 10."
    fields = inputs(html)
    assert fields[f"rating-{ids[0]}"]["value"] == "11"
    assert fields[f"rating-{ids[2]}"]["value"] == "7"
    assert f"rating-{ids[2]}-problem" not in html
    text = PageScan.of(html).text
    assert "Please fix these 2 things" in text and "Nothing has been saved yet." in text
    assert f'href="#rating-{ids[0]}"' in html  # the summary links to the field
    assert coach().psfs_ratings() == []


def test_a_bad_activity_name_is_kept_and_explained(web: WebClient) -> None:
    add_all(web, NAMES[:1])
    long_name = "x" * 81
    response = web.post_form(f"{PAGE}/activities", {"activity_name": long_name})
    assert response.status_code == 422
    assert inputs(response.text)["activity_name"]["value"] == long_name
    assert "Keep it to 80 characters (this has 81)." in problem_of(response.text, "activity_name")
    twice = web.post_form(f"{PAGE}/activities", {"activity_name": " putting ON socks "})
    assert twice.status_code == 422
    assert "is already on your list of activities" in problem_of(twice.text, "activity_name")
    empty = web.post_form(f"{PAGE}/activities", {"activity_name": "  "})
    assert empty.status_code == 422
    assert "Type the activity" in problem_of(empty.text, "activity_name")
    assert [a.name for a in coach().psfs_activities()] == [NAMES[0]]


def test_at_most_five_activities_and_the_add_form_goes(web: WebClient) -> None:
    add_all(web, ("One", "Two", "Three", "Four", "Five"))
    html = web.get(PAGE).text
    assert "activity_name" not in inputs(html)
    assert "the most the scale uses" in PageScan.of(html).text
    sixth = web.post_form(f"{PAGE}/activities", {"activity_name": "Six"})
    assert sixth.status_code == 422
    assert "the most the scale uses: stop rating one first." in PageScan.of(sixth.text).text
    assert "deskstretch psfs retire" not in sixth.text  # no terminal command in the browser
    assert len(coach().psfs_activities()) == 5


def test_stop_rating_an_activity_keeps_its_past_ratings(web: WebClient) -> None:
    ids = add_all(web)
    rated = web.post_form(f"{PAGE}/ratings", {f"rating-{i}": "5" for i in ids})
    assert rated.status_code == 303
    gone = web.post_form(f"{PAGE}/retire", {"activity": ids[1]}, follow=True)
    assert gone.status_code == 200
    text = PageScan.of(gone.text).text
    assert f"You no longer rate '{NAMES[1]}'. Its past ratings are kept." in text
    assert f"rating-{ids[1]}" not in inputs(gone.text)
    assert [a.id for a in coach().psfs_activities()] == [ids[0], ids[2]]
    assert coach().psfs_ratings()[0].answers[ids[1]] == 5
    again = web.post_form(f"{PAGE}/retire", {"activity": ids[1]})
    assert again.status_code == 422
    assert "That activity is not on your list any more." in PageScan.of(again.text).text


def test_forms_need_the_csrf_token(web: WebClient) -> None:
    refused = web.post_form(f"{PAGE}/activities", {"activity_name": "Socks"}, token=False)
    assert refused.status_code == 403
    assert coach().psfs_activities() == []
