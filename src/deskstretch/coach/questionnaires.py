"""ODI, RMDQ and STarT Back: score with the core engines, store, compare with the first result.

Also the two user-supplied TOML files: answers (item ids only) and instrument packs (licensed
wording). deskstretch ships no item wording (domain.md §4.3).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from deskstretch.catalogue.toml_errors import field_path, locate, read_toml, validate
from deskstretch.coach.sessions import new_id, utc_now
from deskstretch.core.errors import DeskstretchError, FileFormatError, NotFoundError
from deskstretch.core.outcomes import (
    ODI_SECTIONS,
    ODI_VERSION,
    RMDQ_ITEMS,
    STARTBACK_ITEMS,
    ImportantChange,
    ScoringError,
    odi_change,
    rmdq_change,
    score_odi,
    score_rmdq,
    score_startback,
)
from deskstretch.core.records import Instrument, QuestionnaireResult
from deskstretch.store import Store
from deskstretch.store import repository as repo


class QuestionnaireError(DeskstretchError):
    """Answers that cannot be scored as a whole (too few ODI sections, or the PSFS here)."""


# -- ODI, RMDQ and STarT Back (§4.2) ---------------------------------------------------------------

Answer = bool | int | Sequence[int] | None
DEFAULT_VERSIONS: Mapping[Instrument, str] = {
    Instrument.ODI: ODI_VERSION,
    Instrument.RMDQ: "rmdq-24",
    Instrument.STARTBACK: "sbst-9",
}
ITEM_IDS: Mapping[Instrument, tuple[str, ...]] = {
    Instrument.ODI: ODI_SECTIONS,
    Instrument.RMDQ: RMDQ_ITEMS,
    Instrument.STARTBACK: STARTBACK_ITEMS,
}
INSTRUMENT_LABELS: Mapping[Instrument, str] = {
    Instrument.ODI: "ODI",
    Instrument.RMDQ: "RMDQ",
    Instrument.STARTBACK: "STarT Back",
}


@dataclass(frozen=True)
class QuestionnaireOutcome:
    """A stored result, the first result it is compared with, and any message to show."""

    result: QuestionnaireResult
    baseline: QuestionnaireResult | None
    change: ImportantChange | None
    message: str = ""
    missing: tuple[str, ...] = ()


def _flat(instrument: Instrument, answers: Mapping[str, Answer]) -> dict[str, bool | int | None]:
    flat: dict[str, bool | int | None] = {}
    for item, value in answers.items():
        if isinstance(value, Sequence):
            raise ScoringError(INSTRUMENT_LABELS[instrument], item, "one answer", repr(value))
        flat[item] = value
    return flat


def score_answers(
    instrument: Instrument, answers: Mapping[str, Answer]
) -> tuple[float, str, dict[str, int | None], dict[str, float], str, tuple[str, ...]]:
    """Score with the core engine: (score, label, stored answers, extra, message, missing)."""
    if instrument is Instrument.ODI:
        odi = score_odi(answers)
        if odi.score is None or odi.band is None:
            raise QuestionnaireError(
                f"The ODI needs at least {odi.min_answered} of its {len(ODI_SECTIONS)} sections"
                f" answered to be scored; answered: {odi.answered} (left out:"
                f" {', '.join(odi.missing)}). Nothing was saved."
            )
        stored = {section: odi.section_scores.get(section) for section in ODI_SECTIONS}
        extra = {"answered": float(odi.answered)}
        return odi.score, odi.band.label, stored, extra, "", odi.missing
    if instrument is Instrument.RMDQ:
        rmdq = score_rmdq(_flat(instrument, answers))
        stored = {item: int(item in rmdq.ticked) for item in RMDQ_ITEMS}
        message = ""
        if rmdq.near_floor_or_ceiling:
            message = "Below 4 or above 20 this questionnaire shows change poorly."
        return rmdq.score, "", stored, {}, message, ()
    if instrument is Instrument.STARTBACK:
        flat = _flat(instrument, answers)
        sbst = score_startback(flat)
        stored = {item: int(bool(flat[item])) for item in STARTBACK_ITEMS[:-1]}
        stored["sbst9"] = int(flat["sbst9"] or 0)
        extra = {"distress": float(sbst.distress)}
        return sbst.total, sbst.risk.value, stored, extra, sbst.message, ()
    raise QuestionnaireError(f"Use `deskstretch psfs rate` for the {instrument.value.upper()}.")


def record_questionnaire(
    store: Store,
    instrument: Instrument,
    answers: Mapping[str, Answer],
    version: str | None = None,
    now: datetime | None = None,
) -> QuestionnaireOutcome:
    """Score and store an ODI, RMDQ or STarT Back; compare ODI and RMDQ with the first result."""
    score, label, stored, extra, message, missing = score_answers(instrument, answers)
    earlier = repo.list_questionnaire_results(store, instrument=instrument)
    result = QuestionnaireResult(
        new_id(), now or utc_now(), instrument, version or DEFAULT_VERSIONS[instrument],
        stored, float(score), label, extra,
    )  # fmt: skip
    repo.add_questionnaire_result(store, result)
    baseline = earlier[0] if earlier else None
    change: ImportantChange | None = None
    if baseline is not None and instrument is not Instrument.STARTBACK:
        compare = odi_change if instrument is Instrument.ODI else rmdq_change
        try:
            change = compare(round(baseline.score), round(score))
        except DeskstretchError:
            change = None  # an imported baseline out of range: shown without a comparison
    return QuestionnaireOutcome(result, baseline, change, message, missing)


# -- Answers files and instrument packs (user-supplied TOML) ---------------------------------------


@dataclass(frozen=True)
class AnswersFile:
    answers: dict[str, Answer]
    version: str | None


# The core's expectations, said in the answers file's own terms (TOML true/false).
_FILE_WORDS = {
    "agree (1) or disagree (0)": "true (agree) or false (disagree)",
    "ticked (true or 1) or not (false or 0)": "true (applies to you) or false",
}


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return f'"{value}"' if isinstance(value, str) else repr(value)


def load_answers(path: Path, instrument: Instrument) -> AnswersFile:
    """Read ``[answers] item_id = value``; every problem names the file, line and item."""
    data, text = read_toml(path)
    for key in data:
        if key not in ("answers", "version", "instrument"):
            raise FileFormatError(str(path), locate(text, (key,)), key, "unknown field")
    if data.get("instrument", instrument.value) != instrument.value:
        expected = f'expected "{instrument.value}", got {_toml_value(data["instrument"])}'
        raise FileFormatError(str(path), locate(text, ("instrument",)), "instrument", expected)
    version = data.get("version")
    if version is not None and (not isinstance(version, str) or not version.strip()):
        raise FileFormatError(str(path), locate(text, ("version",)), "version", "expected text")
    answers = data.get("answers")
    if not isinstance(answers, dict):
        expected = "expected an [answers] table of item_id = value lines"
        raise FileFormatError(str(path), locate(text, ("answers",)), "answers", expected)
    try:
        score_answers(instrument, answers)
    except ScoringError as error:
        wanted = _FILE_WORDS.get(error.expected, error.expected)
        if error.item not in ITEM_IDS[instrument]:
            expected = f"unknown item id (expected {wanted})"
        elif error.item in answers:
            expected = f"expected {wanted}, got {_toml_value(answers[error.item])}"
        else:
            expected = f"missing: every item needs an answer ({wanted})"
        where = locate(text, ("answers", error.item))
        raise FileFormatError(str(path), where, f"answers.{error.item}", expected) from None
    except QuestionnaireError as error:  # the answers as a whole (too few ODI sections)
        where = locate(text, ("answers",))
        raise FileFormatError(str(path), where, "answers", error.message) from None
    return AnswersFile(answers, version)


_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _OptionModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: StrictInt
    text: _Text


class _ItemModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: _Text
    text: _Text
    options: list[_OptionModel] | None = None


class _PackModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    instrument: Literal["odi", "rmdq", "startback"]
    version: _Text
    notice: _Text
    title: str = ""
    instructions: str = ""
    options: list[_OptionModel] | None = None
    items: list[_ItemModel] = Field(min_length=1)


@dataclass(frozen=True)
class PackQuestion:
    """One item: the pack's wording and its answers as (value, text); no options = tick if true."""

    id: str
    text: str
    options: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class InstrumentPack:
    """Licensed item wording a user supplied for one instrument, in the core's item order."""

    path: Path
    instrument: Instrument
    version: str
    notice: str
    title: str
    instructions: str
    questions: tuple[PackQuestion, ...]


def answer_values(instrument: Instrument, item: str) -> tuple[int, ...]:
    """The answer values the core scores for an item (the option counts are ours to ship)."""
    if instrument is Instrument.ODI:
        return tuple(range(6))
    if item == "sbst9":
        return tuple(range(5))
    return (0, 1)


def load_instrument_pack(path: Path) -> InstrumentPack:
    """Read and check a pack: the notice is required and item ids must match the core's exactly."""
    data, text = read_toml(path)
    model = validate(_PackModel, data, path, text)
    instrument = Instrument(model.instrument)
    known = ITEM_IDS[instrument]
    by_id: dict[str, PackQuestion] = {}
    for index, item in enumerate(model.items):
        where = locate(text, ("items", index, "id"))
        field = f"items[{index}].id"
        if item.id not in known:
            expected = f"one of the {instrument.value} item ids ({known[0]} … {known[-1]})"
            raise FileFormatError(str(path), where, field, f"expected {expected}, got '{item.id}'")
        if item.id in by_id:
            raise FileFormatError(str(path), where, field, f"'{item.id}' appears twice")
        options = item.options if item.options is not None else model.options
        source = ("items", index, "options") if item.options is not None else ("options",)
        values = answer_values(instrument, item.id)
        if options is None and instrument is not Instrument.RMDQ:
            expected = "needs options: its own, or a shared [[options]] list"
            raise FileFormatError(str(path), where, f"items[{index}]", expected)
        pairs = tuple((o.value, o.text) for o in options or ())
        if pairs and sorted(value for value, _ in pairs) != list(values):
            wanted = ", ".join(map(str, values))
            raise FileFormatError(
                str(path), locate(text, source), field_path(source),
                f"'{item.id}' needs options with the values {wanted}, each once",
            )  # fmt: skip
        by_id[item.id] = PackQuestion(item.id, item.text, pairs)
    missing = [item for item in known if item not in by_id]
    if missing:
        expected = f"every {instrument.value} item needs its wording; missing {', '.join(missing)}"
        raise FileFormatError(str(path), None, "items", expected)
    questions = tuple(by_id[item] for item in known)
    return InstrumentPack(
        path, instrument, model.version, model.notice, model.title.strip(),
        model.instructions.strip(), questions,
    )  # fmt: skip


# -- Packs the person keeps in their instruments folder (config dir / instruments) -----------------

PACK_INSTRUMENTS: tuple[Instrument, ...] = (Instrument.ODI, Instrument.RMDQ, Instrument.STARTBACK)


def pack_path(folder: Path, instrument: Instrument) -> Path:
    """Where the pack for ``instrument`` is kept: ``<folder>/<instrument>.toml``."""
    return folder / f"{instrument.value}.toml"


def pack_files(folder: Path) -> dict[Instrument, Path]:
    """The pack files present in ``folder``, by instrument; not read (a look at the folder only,
    cheap enough for every Today page)."""
    found: dict[Instrument, Path] = {}
    for instrument in PACK_INSTRUMENTS:
        path = pack_path(folder, instrument)
        if path.is_file():
            found[instrument] = path
    return found


def kept_pack(folder: Path, instrument: Instrument) -> InstrumentPack:
    """The pack kept for ``instrument``, checked; NotFoundError when there is none, and
    FileFormatError naming the file, line and field when it cannot be used."""
    path = pack_path(folder, instrument)
    if not path.is_file():
        raise NotFoundError("instrument pack", str(path))
    pack = load_instrument_pack(path)
    if pack.instrument is not instrument:
        where = locate(read_toml(path)[1], ("instrument",))
        expected = (
            f'expected "{instrument.value}" (the file\'s name), got "{pack.instrument.value}"'
        )
        raise FileFormatError(str(path), where, "instrument", expected)
    return pack
