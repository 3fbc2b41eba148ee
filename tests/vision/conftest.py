"""One pose model per vision test module, so the suite pays the model's start-up once a module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from deskstretch.vision import PoseModel, open_pose_model


@pytest.fixture(scope="module")
def pose_model() -> Iterator[PoseModel]:
    with open_pose_model(static=True) as model:
        yield model
