"""The browser's photo assessment (/assess) in-process, on real photos through the real pose model:
the guide and its figures, a measured photo and its result page, bad files and oversized uploads
sent back beside the field, the CSRF check, kept photos served and deleted from Settings, the
chart on Progress, and the page without the vision extra."""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import httpx2
import numpy as np
import pytest

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.web.assess_views import PHOTO_MAX_BYTES, rounded
from deskstretch.web.security import UPLOAD_BODY_BYTES
from helpers.web_client import ORIGIN, PageScan, WebClient, jargon_in

POSE = Path(__file__).parents[1] / "fixtures" / "pose"
BEND = "standing_forward_bend"


def plank_photo(rows: int = 225) -> bytes:
    """The top frame of pushups-side-view.jpg: one person side-on in a piked plank, knees
    straight (it counts as a standing forward bend seen side-on)."""
    image = cv2.imread(str(POSE / "pushups-side-view.jpg"))
    assert image is not None
    ok, encoded = cv2.imencode(".jpg", np.ascontiguousarray(image[:rows]))
    assert ok
    return encoded.tobytes()


def upload(
    web: WebClient,
    photos: list[tuple[str, bytes]],
    *,
    token: bool = True,
    origin: str = ORIGIN,
    **fields: str,
) -> httpx2.Response:
    """The upload form as a browser sends it (multipart, the CSRF token, this app's Origin)."""
    data = {"test": BEND, "bending_hurts": "no", **fields}
    if token:
        data["csrf_token"] = web.token()
    files = [("photos", (name, content, "image/jpeg")) for name, content in photos]
    if not files:  # no file chosen: a browser still sends the empty part
        files = [("photos", ("", b"", "application/octet-stream"))]
    return web.client.post(
        "/assess", data=data, files=files, headers={"Origin": origin}, follow_redirects=False
    )


def problem_beside(html: str, field: str) -> str:
    return PageScan.of(html).text_of(f"{field}-problem")


@pytest.fixture
def coach(screened: Path) -> Coach:
    return Coach(Settings.from_env())


def test_the_guide_shows_every_step_with_figures_and_the_upload_form(
    web: WebClient, coach: Coach
) -> None:
    from deskstretch.catalogue.guides import PHOTO_GUIDE

    response = web.get("/assess")

    assert response.status_code == 200
    scan = PageScan.of(response.text)
    for step in PHOTO_GUIDE.steps:
        assert step.title in scan.text
    figures = [
        attrs
        for tag, attrs in scan.tags
        if tag == "svg" and "assess-figure" in attrs.get("class", "")
    ]
    assert len(figures) == 5  # set-up, side view, median, and one photo per position
    assert all(attrs.get("role") == "img" and attrs.get("aria-labelledby") for attrs in figures)
    assert "never sent anywhere" in scan.text
    file_input = next(
        attrs for tag, attrs in scan.tags if tag == "input" and attrs.get("type") == "file"
    )
    assert "multiple" in file_input and file_input["accept"].startswith("image/")
    keep = next(attrs for tag, attrs in scan.tags if attrs.get("name") == "keep")
    assert "checked" not in keep  # photos are kept only on request
    form = next(
        attrs for tag, attrs in scan.tags if tag == "form" and attrs.get("action") == "/assess"
    )
    assert form["enctype"] == "multipart/form-data"
    assert scan.attribute_problems() == []
    assert 'aria-current="page"' in response.text and "/progress" in scan.links()
    assert "/assess" in PageScan.of(web.get("/progress").text).links()
    assert "/assess" in PageScan.of(web.get("/settings").text).links()


def test_a_side_view_photo_is_measured_shown_and_charted(web: WebClient, coach: Coach) -> None:
    response = upload(web, [("me.jpg", plank_photo())], note="after a walk")

    assert response.status_code == 303
    result_url = response.headers["location"]
    assert result_url.startswith("/assess/result/")
    (saved,) = coach.assessments.history()
    assert saved.note == "after a walk" and saved.photo_file is None
    page = web.get(result_url)
    assert page.status_code == 200
    scan = PageScan.of(page.text)
    bend = rounded(saved.forward_bend_deg)
    assert f"{bend}° ± 6°" in scan.text  # rounded to 5°, with its uncertainty
    assert f"{rounded(saved.knee_deficit_deg)}° ± 6°" in scan.text
    images = [attrs for tag, attrs in scan.tags if tag == "img"]
    assert len(images) == 1 and images[0]["src"].startswith("data:image/jpeg;base64,/9j/")
    assert images[0]["alt"]
    assert "This is your first standing forward bend measured from photos" in scan.text
    assert "What next" in scan.text and "No photo was kept" in scan.text
    assert web.get(result_url).status_code == 200  # shown again: nothing measured twice
    assert len(coach.assessments.history()) == 1

    progress = PageScan.of(web.get("/progress").text)
    chart = progress.text_of("bend-standing_forward_bend-desc")
    assert f"{bend}°" in chart and "±6°" in chart
    assert "whisker" in web.get("/progress").text  # the ± bars
    assert "This is your first standing forward bend" in progress.text_of("bend")


def test_a_result_page_that_has_gone_says_so(web: WebClient, coach: Coach) -> None:
    response = web.get("/assess/result/no-such-result")
    assert response.status_code == 404
    assert "the photos are held in memory" in PageScan.of(response.text).text


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes.txt", b"just some words\n" * 20, "notes.txt"),
        ("walk.mp4", (POSE / "walking.mp4").read_bytes(), "is a video"),
        ("cut.jpg", plank_photo()[:4000], "cut short"),
    ],
    ids=["not-an-image", "a-video", "corrupt"],
)
def test_a_bad_file_sends_the_form_back_with_the_message_beside_the_field(
    web: WebClient, coach: Coach, name: str, content: bytes, expected: str
) -> None:
    response = upload(web, [("me.jpg", plank_photo()), (name, content)], note="kept as typed")

    assert response.status_code == 422
    said = problem_beside(response.text, "photos")
    assert expected in said and said.endswith(".")
    assert jargon_in(said) == []
    scan = PageScan.of(response.text)
    assert scan.text_of("problems")  # the summary at the top links to the field
    assert 'href="#q-photos"' in response.text
    assert 'value="kept as typed"' in response.text
    assert coach.assessments.history() == []


def test_photos_with_no_single_person_come_back_with_what_each_showed(
    web: WebClient, coach: Coach
) -> None:
    crowd = (POSE / "pushups-side-view.jpg").read_bytes()  # two people, one above the other

    response = upload(web, [("crowd.jpg", crowd)])

    assert response.status_code == 422
    assert problem_beside(response.text, "photos").startswith(
        "The photo could not be measured, so nothing was saved"
    )
    scan = PageScan.of(response.text)
    shown = scan.text_of("shown")
    assert "More than one person" in shown and "crowd.jpg" in shown
    assert any(tag == "img" and a["src"].startswith("data:image/jpeg") for tag, a in scan.tags)
    assert coach.assessments.history() == []


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "choose 1 to 3"), (4, "at most 3 photos (you chose 4)")]
)
def test_too_few_or_too_many_photos(
    web: WebClient, coach: Coach, count: int, expected: str
) -> None:
    response = upload(web, [(f"p{i}.jpg", plank_photo()) for i in range(count)])
    assert response.status_code == 422
    assert expected in problem_beside(response.text, "photos").lower()
    assert coach.assessments.history() == []


def test_a_photo_over_its_limit_is_refused_with_413_on_the_form(
    web: WebClient, coach: Coach
) -> None:
    huge = plank_photo() + b"\0" * (PHOTO_MAX_BYTES + 1)

    response = upload(web, [("huge.jpg", huge)], note="still here")

    assert response.status_code == 413
    said = problem_beside(response.text, "photos")
    assert said.startswith("Huge.jpg: the photo is larger than 15 MB") or "huge.jpg" in said
    assert 'value="still here"' in response.text
    assert coach.assessments.history() == []


def test_an_upload_over_the_route_limit_gets_the_form_back_with_413(
    web: WebClient, coach: Coach
) -> None:
    part = b"\0" * (UPLOAD_BODY_BYTES["/assess"] // 3 + 1)

    response = upload(web, [(f"big{i}.jpg", part) for i in range(3)])

    assert response.status_code == 413
    said = problem_beside(response.text, "photos")
    assert "larger than 48 MB" in said and "up to 3 photos of up to 15 MB each" in said
    assert PageScan.of(response.text).count("form") >= 1  # the person stays on the form
    assert coach.assessments.history() == []


def test_an_upload_without_the_csrf_token_or_from_another_site_is_refused(
    web: WebClient, coach: Coach
) -> None:
    assert upload(web, [("me.jpg", plank_photo())], token=False).status_code == 403
    assert (
        upload(web, [("me.jpg", plank_photo())], origin="https://evil.example").status_code == 403
    )
    big = [("big.jpg", b"\0" * (UPLOAD_BODY_BYTES["/assess"] + 1))]
    assert upload(web, big, origin="https://evil.example").status_code == 403
    assert coach.assessments.history() == []


def test_bending_that_hurts_is_refused_beside_its_question(web: WebClient, coach: Coach) -> None:
    response = upload(web, [("me.jpg", plank_photo())], bending_hurts="yes")

    assert response.status_code == 422
    assert "bending forward hurts" in problem_beside(response.text, "bending_hurts")
    assert coach.assessments.history() == []


def test_without_safety_answers_the_test_is_not_offered(web: WebClient, dirs: object) -> None:
    page = web.get("/assess")
    assert page.status_code == 200
    scan = PageScan.of(page.text)
    assert "safety questions" in scan.text
    assert not any(tag == "input" and a.get("type") == "file" for tag, a in scan.tags)
    assert upload(web, [("me.jpg", plank_photo())]).status_code == 403


def test_a_kept_photo_is_served_then_deleted_from_settings(web: WebClient, coach: Coach) -> None:
    response = upload(web, [("me.jpg", plank_photo())], keep="yes")
    page = web.get(response.headers["location"])
    (saved,) = coach.assessments.history()
    assert f'href="/assess/photo/{saved.id}"' in page.text

    photo = web.get(f"/assess/photo/{saved.id}")
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/jpeg"
    assert photo.headers["cache-control"] == "no-store"
    assert photo.content[:2] == b"\xff\xd8"
    assert web.get("/assess/photo/someone-else").status_code == 404
    assert web.get("/assess/photo/..%2Fconfig").status_code == 404
    settings = PageScan.of(web.get("/settings").text)
    assert "1 kept photo." in settings.text_of("kept-count")
    assert "Delete all kept photos (1)" in settings.text

    confirm = web.get("/settings/photos/delete")
    assert confirm.status_code == 200 and "Delete 1 photo" in PageScan.of(confirm.text).text
    assert coach.assessments.kept_photo_count() == 1  # opening the page deletes nothing
    refused = web.post_form("/settings/photos/delete", {}, token=False)
    assert refused.status_code == 403 and coach.assessments.kept_photo_count() == 1
    done = web.post_form("/settings/photos/delete", {}, follow=True)

    assert done.status_code == 200
    scan = PageScan.of(done.text)
    assert "Deleted 1 kept photo." in scan.text
    assert "0 kept photos." in scan.text_of("kept-count")
    assert "Delete all kept photos" not in scan.text
    assert web.get(f"/assess/photo/{saved.id}").status_code == 404
    assert coach.assessments.history()[0].forward_bend_deg == saved.forward_bend_deg


def test_without_the_vision_extra_the_page_says_what_to_install(
    web: WebClient, coach: Coach, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "mediapipe", None)  # as if it were not installed

    page = web.get("/assess")

    scan = PageScan.of(page.text)
    assert "pip install 'deskstretch[vision]'" in scan.text_of("vision-missing")
    assert not any(tag == "input" and a.get("type") == "file" for tag, a in scan.tags)
    assert "Put the camera at hip height" in scan.text  # the guide is still there
    sent = upload(web, [("me.jpg", plank_photo())])
    assert sent.status_code == 503
    assert "pip install 'deskstretch[vision]'" in PageScan.of(sent.text).text
    assert coach.assessments.history() == []
