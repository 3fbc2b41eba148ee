"""Load ``learn.toml``: the mechanism explained plainly and the graded evidence, with sources."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from deskstretch.catalogue.loader import package_folder
from deskstretch.catalogue.schema import SourceFile
from deskstretch.catalogue.toml_errors import read_toml, validate


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LearnSection(_Strict):
    heading: str = Field(min_length=1)
    body: str = Field(min_length=1)


GradeName = Literal["strong", "moderate", "weak", "mixed", "not supported"]


class Grade(_Strict):
    """One evidence grade and what it means; every verdict must be a grade defined here."""

    name: GradeName
    meaning: str = Field(min_length=1)


class EvidenceRow(_Strict):
    claim: str = Field(min_length=1)
    verdict: GradeName
    summary: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1)


class LearnContent(_Strict):
    title: str
    sections: list[LearnSection] = Field(min_length=1)
    grading_rule: str = Field(min_length=1)
    grades: list[Grade] = Field(min_length=1)
    evidence: list[EvidenceRow] = Field(min_length=1)
    sources: list[SourceFile] = Field(min_length=1)

    @model_validator(mode="after")
    def _verdicts_are_defined_grades(self) -> LearnContent:
        defined = [grade.name for grade in self.grades]
        for row in self.evidence:
            if row.verdict not in defined:
                raise ValueError(
                    f"evidence '{row.claim}': verdict '{row.verdict}' is not one of the grades"
                    f" defined in [[grades]] ({', '.join(defined)})"
                )
        return self


def load_learn() -> LearnContent:
    path = package_folder("learn.toml")
    data, text = read_toml(path)
    return validate(LearnContent, data, path, text)
