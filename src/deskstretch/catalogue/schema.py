"""Pydantic models of the exercise and routine TOML files (the documented, hand-writable format).

These only check the shape of one file; cross-file checks (ids unique, variants resolve) live in
``deskstretch.catalogue.loader``.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from deskstretch.core.models import ExerciseType, Laterality, Position, SideOrder
from deskstretch.core.pose import JOINT_LIMITS
from deskstretch.core.safety import CONTRAINDICATION_TAGS

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_ID_CHARS = 64
WEB_SCHEMES = ("http", "https")
MuscleGroup = Literal["hamstrings", "hips", "glutes", "low-back", "trunk", "core", "nerve"]
Equipment = Literal["chair", "desk", "step", "none"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceFile(_Strict):
    title: str = Field(min_length=1, max_length=300)
    url: str = Field(default="", max_length=2000)
    note: str = Field(default="", max_length=500)

    @field_validator("url")
    @classmethod
    def _web_address(cls, url: str) -> str:
        """Only http(s) links: a page shows them as links, and javascript: or file: must not be."""
        if not url:
            return url
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in WEB_SCHEMES or not parts.netloc:
            shown = url if len(url) <= 40 else url[:37] + "..."
            raise ValueError(f"expected a web address starting https:// or http://, got {shown!r}")
        return url.strip()


class DoseFile(_Strict):
    reps: int = Field(ge=1, le=30)
    hold_seconds: int = Field(default=0, ge=0, le=120)
    rep_seconds: float = Field(default=0.0, ge=0, le=20)
    rest_seconds: int = Field(default=0, ge=0, le=60)
    contract_seconds: int = Field(default=0, ge=0, le=10)

    @model_validator(mode="after")
    def _timed_or_reps(self) -> DoseFile:
        if self.hold_seconds == 0 and self.rep_seconds == 0:
            raise ValueError("expected hold_seconds (for holds) or rep_seconds (for reps)")
        return self


def _deg(name: str) -> Any:
    """An optional joint angle limited to its anatomical range (``core.figure.JOINT_LIMITS``)."""
    low, high = JOINT_LIMITS[name]
    return Field(default=None, ge=low, le=high)


class KeyframeFile(_Strict):
    """One figure keyframe: a phase label and the joint angles (degrees) that differ from the
    position's default pose (seated: sitting tall; standing: standing tall)."""

    label: str = Field(min_length=1, max_length=30)
    pelvis_tilt_deg: float | None = _deg("pelvis_tilt_deg")
    lumbar_flex_deg: float | None = _deg("lumbar_flex_deg")
    thoracic_flex_deg: float | None = _deg("thoracic_flex_deg")
    neck_flex_deg: float | None = _deg("neck_flex_deg")
    trunk_rotation_deg: float | None = _deg("trunk_rotation_deg")
    shoulder_flex_deg: float | None = _deg("shoulder_flex_deg")
    elbow_flex_deg: float | None = _deg("elbow_flex_deg")
    far_shoulder_flex_deg: float | None = _deg("far_shoulder_flex_deg")
    far_elbow_flex_deg: float | None = _deg("far_elbow_flex_deg")
    hip_flex_deg: float | None = _deg("hip_flex_deg")
    hip_abduct_deg: float | None = _deg("hip_abduct_deg")
    hip_ext_rot_deg: float | None = _deg("hip_ext_rot_deg")
    knee_flex_deg: float | None = _deg("knee_flex_deg")
    ankle_dorsi_deg: float | None = _deg("ankle_dorsi_deg")
    far_hip_flex_deg: float | None = _deg("far_hip_flex_deg")
    far_hip_abduct_deg: float | None = _deg("far_hip_abduct_deg")
    far_hip_ext_rot_deg: float | None = _deg("far_hip_ext_rot_deg")
    far_knee_flex_deg: float | None = _deg("far_knee_flex_deg")
    far_ankle_dorsi_deg: float | None = _deg("far_ankle_dorsi_deg")

    def angles(self) -> dict[str, float]:
        """The angles given in the file (the rest come from the default pose)."""
        return {k: v for k, v in self.model_dump(exclude={"label"}).items() if v is not None}


class ExerciseFile(_Strict):
    id: str = Field(max_length=MAX_ID_CHARS, pattern=SLUG)
    code: str = Field(pattern=r"^S\d\d$")
    name: str = Field(min_length=1, max_length=60)
    summary: str = Field(min_length=1)
    targets: list[str] = Field(min_length=1)
    muscle_group: MuscleGroup
    position: Position
    laterality: Laterality
    side_noun: Literal["leg", "side"] = "side"
    equipment: list[Equipment] = Field(min_length=1)
    type: ExerciseType
    side_order: SideOrder = SideOrder.ALTERNATE
    setup: str = Field(min_length=1)
    cues: list[str] = Field(min_length=1)
    mistakes: list[str] = Field(min_length=1)
    cautions: list[str] = Field(min_length=1)
    contraindications: list[str] = []
    easier: list[str] = []
    harder: list[str] = []
    variant_notes: list[str] = []
    replaced_by: str = ""
    dose: DoseFile
    sources: list[SourceFile] = Field(min_length=1)
    keyframes: list[KeyframeFile] = Field(min_length=2)
    # After keyframes so that its validator can see them; default: the last keyframe.
    hold_on: int | None = Field(default=None, ge=0)

    @field_validator("hold_on")
    @classmethod
    def _hold_on_exists(cls, hold_on: int | None, info: ValidationInfo) -> int | None:
        keyframes = info.data.get("keyframes")
        if hold_on is not None and keyframes is not None and hold_on >= len(keyframes):
            raise ValueError(f"expected a keyframe index from 0 to {len(keyframes) - 1}")
        return hold_on

    @field_validator("contraindications")
    @classmethod
    def _known_tags(cls, tags: list[str]) -> list[str]:
        unknown = sorted(set(tags) - CONTRAINDICATION_TAGS)
        if unknown:
            known = ", ".join(sorted(CONTRAINDICATION_TAGS))
            raise ValueError(f"unknown tag {unknown[0]!r}; expected one of: {known}")
        return tags


class StepFile(_Strict):
    exercise: str = Field(min_length=1, max_length=MAX_ID_CHARS)
    reps: int | None = Field(default=None, ge=1, le=30)
    hold_seconds: int | None = Field(default=None, ge=5, le=120)
    rep_seconds: float | None = Field(default=None, ge=1, le=20)
    rest_seconds: int | None = Field(default=None, ge=0, le=60)
    contract_seconds: int | None = Field(default=None, ge=0, le=10)
    side_order: SideOrder | None = None
    note: str = Field(default="", max_length=300)


class RoutineFile(_Strict):
    id: str | None = Field(default=None, max_length=MAX_ID_CHARS, pattern=SLUG)
    name: str = Field(min_length=1, max_length=80)
    summary: str = Field(default="", max_length=500)
    position: Literal["seated", "standing", "mixed"] = "mixed"
    get_ready_seconds: int = Field(default=10, ge=0, le=60)
    switch_seconds: int = Field(default=5, ge=0, le=30)
    transition_seconds: int = Field(default=10, ge=0, le=60)
    steps: list[StepFile] = Field(min_length=1)
    sources: list[SourceFile] = []
