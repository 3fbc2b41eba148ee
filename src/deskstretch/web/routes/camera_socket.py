"""``/ws/camera``: live camera coaching over a WebSocket. The player sends JPEG frames (binary)
and JSON control messages (which segment plays; save a measurement); every frame gets exactly
one JSON answer, so the page keeps at most one frame in flight.

SecurityMiddleware checks the handshake's Host and Origin (and the access token when the app is
open to the network) before this route runs. Frames are analysed in memory and dropped.
"""

from __future__ import annotations

import json
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from deskstretch.coach.camera import LiveReading, LiveSession
from deskstretch.core.errors import DeskstretchError
from deskstretch.web.api_schemas import (
    CameraAim,
    CameraAimed,
    CameraAngles,
    CameraFrame,
    CameraSave,
    CameraSaved,
)
from deskstretch.web.deps import CoachDep

router = APIRouter()

MAX_CONTROL_CHARS = 2_000


@router.websocket("/ws/camera")
async def camera_socket(websocket: WebSocket, coach: CoachDep) -> None:
    await websocket.accept()
    try:
        reason = coach.camera.unavailable_reason()
        if reason is not None:
            await websocket.send_json({"type": "unavailable", "message": reason})
            await websocket.close(code=1000)
            return
        try:
            session = await anyio.to_thread.run_sync(coach.camera.open)
        except DeskstretchError as error:
            await websocket.send_json({"type": "error", "message": error.message})
            await websocket.close(code=1000)
            return
        try:
            await websocket.send_json({"type": "ready"})
            await _serve(websocket, session)
        finally:
            session.close()
    except WebSocketDisconnect:
        pass  # the page closed the camera (turned off, tab hidden, routine over)


async def _serve(websocket: WebSocket, session: LiveSession) -> None:
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        frame = message.get("bytes")
        if frame is not None:
            await websocket.send_text(await _frame(session, frame))
            continue
        text = message.get("text")
        if text is not None:
            await websocket.send_text(_control(session, text))


async def _frame(session: LiveSession, jpeg: bytes) -> str:
    try:
        reading = await anyio.to_thread.run_sync(session.analyse, jpeg)
    except DeskstretchError as error:
        return CameraFrame(error=error.message).model_dump_json()
    return _reading_json(reading)


def _reading_json(reading: LiveReading) -> str:
    angles = reading.angles
    return CameraFrame(
        found=reading.found,
        angles=None
        if angles is None
        else CameraAngles(
            side=angles.side.value,
            forward_bend_deg=round(angles.forward_bend_deg, 1),
            knee_deficit_deg=round(angles.knee_deficit_deg, 1),
            trunk_inclination_deg=round(angles.trunk_inclination_deg, 1),
            visibility=round(angles.visibility, 2),
        ),
        in_position=reading.verdict.in_position,
        gated=reading.verdict.gated,
        cue=reading.verdict.cue,
    ).model_dump_json()


def _control(session: LiveSession, text: str) -> str:
    """Answer one JSON control message (aim or save); a bad one gets an error, never a close."""
    try:
        if len(text) > MAX_CONTROL_CHARS:
            raise ValueError("too long")
        data: Any = json.loads(text)
        kind = data.get("type") if isinstance(data, dict) else None
        if kind == "aim":
            aim = CameraAim.model_validate(data)
            target = session.aim(aim.exercise_id, aim.side, aim.kind)
            return CameraAimed(
                exercise_id=target.exercise_id,
                gated=target.gated,
                note=target.note,
                savable=session.savable is not None,
            ).model_dump_json()
        if kind == "save":
            save = CameraSave.model_validate(data)
            outcome = session.save(note=save.note)
            stored = outcome.assessment
            return CameraSaved(
                sentences=list(outcome.sentences),
                forward_bend_deg=stored.forward_bend_deg if stored else None,
                knee_deficit_deg=stored.knee_deficit_deg if stored else None,
                uncertainty_deg=stored.uncertainty_deg if stored else None,
            ).model_dump_json()
        raise ValueError(f"unknown type {kind!r}")
    except DeskstretchError as error:
        return json.dumps({"type": "error", "message": error.message})
    except (ValueError, ValidationError):
        return json.dumps(
            {
                "type": "error",
                "message": 'Expected a JSON control message: {"type": "aim", "exercise_id": ...,'
                ' "side": "left" | "right" | "both", "kind": ...} or {"type": "save"}.',
            }
        )
