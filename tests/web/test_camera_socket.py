"""/ws/camera: the live camera's WebSocket on the real app and the real model (walking.mp4 frames),
its handshake guarded like every other request, and the player page's camera permission."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from helpers.web_client import BASE, ORIGIN, WebClient

WALKING = Path(__file__).resolve().parents[1] / "fixtures" / "pose" / "walking.mp4"


@cache
def _frames() -> tuple[bytes, ...]:
    """Every 10th frame of walking.mp4, letterboxed to 640x480 and encoded as the page does."""
    import cv2

    capture = cv2.VideoCapture(str(WALKING))
    frames: list[bytes] = []
    index = 0
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        if index % 10 == 0:
            square = cv2.resize(frame, (480, 480))
            padded = cv2.copyMakeBorder(square, 0, 0, 80, 80, cv2.BORDER_CONSTANT)
            frames.append(cv2.imencode(".jpg", padded, [cv2.IMWRITE_JPEG_QUALITY, 70])[1].tobytes())
        index += 1
    capture.release()
    assert len(frames) >= 10
    return tuple(frames)


def _connect(app: FastAPI, **headers: str) -> Any:
    client = TestClient(app, base_url=BASE)
    sent = {"origin": ORIGIN, **headers}
    return client.websocket_connect(BASE.replace("http", "ws") + "/ws/camera", headers=sent)


def test_frames_get_angles_and_a_verdict_for_the_segment_playing(app: FastAPI) -> None:
    with _connect(app) as socket:
        assert socket.receive_json() == {"type": "ready"}
        socket.send_text(
            json.dumps(
                {"type": "aim", "exercise_id": "split-stance-hamstring-hinge", "side": "left"}
            )
        )
        aimed = socket.receive_json()
        assert aimed == {
            "type": "aim",
            "exercise_id": "split-stance-hamstring-hinge",
            "gated": True,
            "note": "",
            "savable": False,
        }
        answers = []
        for frame in _frames():
            socket.send_bytes(frame)
            answers.append(socket.receive_json())
    assert all(a["type"] == "frame" and a["error"] is None for a in answers)
    assert all(a["found"] for a in answers)
    # Walking upright is not a hip hinge: never in position, and a cue says what to change.
    assert not any(a["in_position"] for a in answers)
    assert all(a["cue"] for a in answers)
    first = answers[0]["angles"]
    assert first["side"] == "left"
    assert 0 <= first["trunk_inclination_deg"] < 25  # walking tall
    assert set(first) == {
        "side",
        "forward_bend_deg",
        "knee_deficit_deg",
        "trunk_inclination_deg",
        "visibility",
    }


def test_a_part_that_is_not_a_judged_hold_has_no_gate(app: FastAPI) -> None:
    with _connect(app) as socket:
        socket.receive_json()
        socket.send_text(
            json.dumps({"type": "aim", "exercise_id": "desk-leg-swings", "kind": "reps"})
        )
        aimed = socket.receive_json()
        assert not aimed["gated"] and "moving" in aimed["note"]
        socket.send_bytes(_frames()[0])
        answer = socket.receive_json()
    assert answer["found"] and answer["in_position"] and answer["cue"] is None


def test_bad_frames_and_messages_get_an_answer_not_a_crash(app: FastAPI) -> None:
    with _connect(app) as socket:
        socket.receive_json()
        socket.send_bytes(_frames()[0])  # before saying which exercise
        assert "which exercise" in socket.receive_json()["error"]
        socket.send_text(json.dumps({"type": "aim", "exercise_id": "seated-hamstring-hinge"}))
        assert socket.receive_json()["savable"] is True
        socket.send_bytes(b"GIF89a not a jpeg")
        assert "not a JPEG" in socket.receive_json()["error"]
        socket.send_text("{not json")
        assert socket.receive_json()["type"] == "error"
        socket.send_text(json.dumps({"type": "aim", "exercise_id": "no-such-exercise"}))
        assert socket.receive_json()["type"] == "error"
        socket.send_text(json.dumps({"type": "save"}))
        refused = socket.receive_json()
        assert refused["type"] == "error" and "Hold the position" in refused["message"]
        socket.send_bytes(_frames()[1])  # still working after all that
        assert socket.receive_json()["found"] is True


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"origin": ""},
        {"host": "evil.example:8767"},
    ],
)
def test_the_handshake_needs_this_apps_host_and_origin(
    app: FastAPI, headers: dict[str, str]
) -> None:
    with pytest.raises(WebSocketDisconnect) as refused, _connect(app, **headers) as socket:
        socket.receive_json()
    assert refused.value.code == 1008


def test_the_player_page_allows_only_this_apps_camera(web: WebClient, screened: Path) -> None:
    player = web.get("/play/hamstring-2min")
    assert player.status_code == 200
    assert "camera=(self)" in player.headers["permissions-policy"]
    assert "microphone=()" in player.headers["permissions-policy"]
    other = web.get("/")
    assert "camera=()" in other.headers["permissions-policy"]
