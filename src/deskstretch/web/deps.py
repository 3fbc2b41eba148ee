"""What routes take from a request, defined once: the Coach, a session id, the equipment filter.

``coach: CoachDep`` in a route's signature gives it ``app.state.coach``, the one application
object ``create_app`` built; tests and other apps replace it there, not here.
"""

from __future__ import annotations

from typing import Annotated, get_args

from fastapi import Depends, Path, Query
from starlette.requests import HTTPConnection

from deskstretch.catalogue.schema import Equipment
from deskstretch.coach import Coach

SESSION_ID = r"^[0-9a-f]{32}$"
EQUIPMENT: tuple[str, ...] = get_args(Equipment)
"""The equipment words a filter accepts: the routine file format's own list."""


def get_coach(connection: HTTPConnection) -> Coach:
    """The app's Coach (``app.state.coach``), for a request or a WebSocket alike."""
    coach: Coach = connection.app.state.coach
    return coach


CoachDep = Annotated[Coach, Depends(get_coach)]
SessionId = Annotated[str, Path(pattern=SESSION_ID)]
EquipmentQuery = Annotated[str | None, Query(pattern="^(" + "|".join(EQUIPMENT) + ")$")]
