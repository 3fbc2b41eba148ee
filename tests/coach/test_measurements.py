"""The measurements application layer on a temporary SQLite store: checks, storage and change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskstretch.coach.measurements import (
    MeasurementError,
    MeasurementNotAdvised,
    QuestionnaireError,
    add_activity,
    check_test_allowed,
    find_activity,
    load_answers,
    load_instrument_pack,
    rate_psfs,
    record_measurement,
    record_questionnaire,
    retire_activity,
)
from deskstretch.core.errors import FileFormatError, NotFoundError
from deskstretch.core.outcomes import Direction
from deskstretch.core.records import Instrument, MeasurementKind
from deskstretch.store import Store, open_store
from deskstretch.store import repository as repo
from helpers.support import write_file

CSR = MeasurementKind.CHAIR_SIT_AND_REACH
FTF = MeasurementKind.FINGERTIP_TO_FLOOR
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    yield opened
    opened.close()


# -- Flexibility tests ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [(3.26, 3.5), (3.24, 3.0), (3.25, 3.5), (-3.25, -3.5), (-0.2, 0.0), (40, 40.0), (-40, -40.0)],
)
def test_record_measurement_rounds_to_half_cm(store: Store, given: float, stored: float) -> None:
    result = record_measurement(store, CSR, given, "left", now=T0)
    assert result.measurement.value_cm == stored
    assert repo.list_measurements(store)[0].value_cm == stored


@pytest.mark.parametrize(
    ("kind", "value"),
    [(CSR, 40.5), (CSR, -40.5), (CSR, float("nan")), (CSR, float("inf")), (FTF, -0.5), (FTF, 81)],
)
def test_record_measurement_refuses_out_of_range(
    store: Store, kind: MeasurementKind, value: float
) -> None:
    leg = "left" if kind is CSR else None
    with pytest.raises(MeasurementError, match="expected"):
        record_measurement(store, kind, value, leg, now=T0)
    assert repo.list_measurements(store) == []


@pytest.mark.parametrize("leg", [None, "", "up", "both"])
def test_record_measurement_sit_and_reach_needs_a_leg(store: Store, leg: str | None) -> None:
    with pytest.raises(MeasurementError, match="one leg at a time"):
        record_measurement(store, CSR, 2, leg, now=T0)
    assert repo.list_measurements(store) == []


def test_record_measurement_normalises_leg_and_refuses_leg_for_toe_touch(store: Store) -> None:
    assert record_measurement(store, CSR, 2, " Right ", now=T0).measurement.leg == "right"
    with pytest.raises(MeasurementError, match="both legs"):
        record_measurement(store, FTF, 10, "left", now=T0)


def test_record_measurement_stores_protocol_and_note(store: Store) -> None:
    record_measurement(store, FTF, 12, note="  after lunch ", now=T0)
    record_measurement(store, CSR, 1, "left", now=T0)
    stored = {m.kind: m for m in repo.list_measurements(store)}
    assert stored[FTF].protocol == "ftf-standing"
    assert stored[FTF].note == "after lunch"
    assert stored[CSR].protocol == "csr-senior-fitness-test"


def test_record_measurement_compares_with_baseline_and_previous(store: Store) -> None:
    first = record_measurement(store, CSR, 0, "left", now=day(0))
    assert first.since_baseline is None
    assert "first result" in first.sentences[0]
    second = record_measurement(store, CSR, 3, "left", now=day(7))
    assert second.since_baseline is not None and second.since_previous is None
    assert not second.since_baseline.is_real_change
    third = record_measurement(store, CSR, 8, "left", now=day(14))
    assert third.since_baseline is not None and third.since_previous is not None
    assert third.since_baseline.is_real_change  # +8 cm against the 7 cm estimate
    assert not third.since_previous.is_real_change  # +5 cm
    assert third.sentences == (
        "Since your first test: Chair sit-and-reach went from 0 cm to 8 cm (+8 cm): a real change"
        " for the better.",
        "Since last time: Chair sit-and-reach went from 3 cm to 8 cm (+5 cm): within normal"
        " variation.",
    )


def test_record_measurement_compares_only_the_same_leg_and_protocol(store: Store) -> None:
    record_measurement(store, CSR, 0, "left", now=day(0))
    right = record_measurement(store, CSR, 10, "right", now=day(1))
    assert right.baseline is None
    other = record_measurement(store, CSR, 10, "left", protocol="csr-other", now=day(2))
    assert other.baseline is None
    left = record_measurement(store, CSR, 2, "left", now=day(3))
    assert left.baseline is not None and left.baseline.value_cm == 0


def test_record_measurement_toe_touch_smaller_is_better(store: Store) -> None:
    record_measurement(store, FTF, 20, now=day(0))
    result = record_measurement(store, FTF, 15, now=day(7))
    assert result.since_baseline is not None
    assert result.since_baseline.direction is Direction.BETTER
    assert result.since_baseline.is_real_change  # 5 cm against the 4.5 cm MDC


@pytest.mark.parametrize("kind", [CSR, FTF])
def test_check_test_allowed_refuses_with_osteoporosis(kind: MeasurementKind) -> None:
    with pytest.raises(MeasurementNotAdvised, match="osteoporosis"):
        check_test_allowed(kind, {"balance", "osteoporosis"})
    with pytest.raises(MeasurementNotAdvised, match="bending forward"):
        check_test_allowed(kind, (), bending_hurts=True)
    check_test_allowed(kind, {"balance", "glaucoma"})  # other conditions do not stop the test


# -- PSFS -----------------------------------------------------------------------------------------


def _three(store: Store) -> list[str]:
    return [add_activity(store, name, day(0)).id for name in ("Socks", "Gardening", "Driving")]


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_add_activity_checks_the_name_length(store: Store, name: str) -> None:
    with pytest.raises(MeasurementError, match="1 to 80"):
        add_activity(store, name)
    assert repo.list_psfs_activities(store) == []


def test_add_activity_refuses_duplicates_and_a_sixth(store: Store) -> None:
    assert add_activity(store, "  Putting   on socks ").name == "Putting on socks"
    with pytest.raises(MeasurementError, match="already on your list"):
        add_activity(store, "PUTTING ON SOCKS")
    for name in ("A", "B", "C", "D"):
        add_activity(store, name)
    with pytest.raises(MeasurementError, match="retire one first"):
        add_activity(store, "E")
    retire_activity(store, "a")
    assert add_activity(store, "E").name == "E"
    assert len(repo.list_psfs_activities(store)) == 5


def test_find_activity_by_id_start_or_name(store: Store) -> None:
    ids = _three(store)
    activities = repo.list_psfs_activities(store)
    assert find_activity(activities, ids[1][:6]).name == "Gardening"
    assert find_activity(activities, "driving").id == ids[2]
    with pytest.raises(NotFoundError):
        find_activity(activities, ids[0][:3])  # too short to count as an id start
    with pytest.raises(NotFoundError):
        find_activity(activities, "Cycling")


def test_rate_psfs_needs_one_to_five_known_active_activities(store: Store) -> None:
    ids = _three(store)
    with pytest.raises(MeasurementError, match="Rate 1 to 5"):
        rate_psfs(store, {}, day(1))
    with pytest.raises(NotFoundError):
        rate_psfs(store, {ids[0]: 5, ids[1]: 5, "nonexistent": 5}, day(1))
    with pytest.raises(MeasurementError, match="0 to 10"):
        rate_psfs(store, {ids[0]: 5, ids[1]: 5, ids[2]: 11}, day(1))
    with pytest.raises(MeasurementError, match="0 to 10"):
        rate_psfs(store, {ids[0]: 5, ids[1]: 5, ids[2]: True}, day(1))
    with pytest.raises(MeasurementError, match="rated twice"):
        rate_psfs(store, {ids[0]: 5, ids[1]: 5, "Socks": 4}, day(1))
    retire_activity(store, ids[2], day(1))
    with pytest.raises(MeasurementError, match="retired"):
        rate_psfs(store, {ids[0]: 5, ids[1]: 5, ids[2]: 5}, day(2))
    assert repo.list_questionnaire_results(store) == []


def test_rate_psfs_stores_the_mean_and_compares_with_the_first(store: Store) -> None:
    ids = _three(store)
    first = rate_psfs(store, {ids[0]: 2, ids[1]: 4, ids[2]: 6}, day(1))
    assert first.change is None and "baseline" in first.note
    assert first.result.score == 4.0
    assert first.result.instrument is Instrument.PSFS
    second = rate_psfs(store, {ids[0]: 6, "gardening": 4, ids[2]: 6}, day(8))
    assert second.result.answers == {ids[0]: 6, ids[1]: 4, ids[2]: 6}
    assert second.change is not None
    assert not second.change.mean.is_real_change  # 4 -> 5.3 is under 2 points
    assert second.change.is_real_change  # but Socks +4 on its own (≥ 3)
    assert "Socks went from 2 to 6" in second.change.sentence
    third = rate_psfs(store, {ids[0]: 6, ids[1]: 4, ids[2]: 6}, day(15))
    assert third.change is not None and third.change.mean.before == 4.0  # always the first


def test_rate_psfs_without_shared_activities_has_no_change(store: Store) -> None:
    ids = _three(store)
    rate_psfs(store, {ids[0]: 2, ids[1]: 4, ids[2]: 6}, day(1))
    for activity_id in ids:
        retire_activity(store, activity_id, day(2))
    new = [add_activity(store, name, day(2)).id for name in ("Walking", "Lifting", "Sitting")]
    rated = rate_psfs(store, dict.fromkeys(new, 5), day(3))
    assert rated.change is None
    assert "nothing to compare" in rated.note


# -- ODI, RMDQ, STarT Back through answers files --------------------------------------------------

ODI_SKIPPING_SEX_LIFE = """\
[answers]
pain_intensity = 3
personal_care = 2
lifting = 3
walking = 1
sitting = 3
standing = 2
sleeping = 1
# sex_life left out
social_life = 2
travelling = 2
"""
ODI_ALL = """\
version = "2.1a"
[answers]
pain_intensity = 1
personal_care = 0
lifting = 1
walking = 0
sitting = [1, 2]
standing = 1
sleeping = 0
sex_life = 0
social_life = 1
travelling = 1
"""
STARTBACK_HIGH = """\
[answers]
sbst1 = true
sbst2 = false
sbst3 = true
sbst4 = false
sbst5 = true
sbst6 = true
sbst7 = true
sbst8 = false
sbst9 = 3
"""


def test_odi_from_file_with_a_skipped_section(store: Store, tmp_path: Path) -> None:
    loaded = load_answers(write_file(tmp_path / "odi.toml", ODI_SKIPPING_SEX_LIFE), Instrument.ODI)
    outcome = record_questionnaire(store, Instrument.ODI, loaded.answers, loaded.version, day(0))
    assert outcome.result.score == 42  # 19 / (5 * 9) = 42.2%
    assert outcome.result.label == "severe"
    assert outcome.result.extra == {"answered": 9.0}
    assert outcome.result.answers["sex_life"] is None
    assert outcome.missing == ("sex_life",)
    assert outcome.result.version == "2.1a"
    assert outcome.baseline is None and outcome.change is None


def test_odi_change_against_the_first_result(store: Store, tmp_path: Path) -> None:
    first = load_answers(write_file(tmp_path / "a.toml", ODI_SKIPPING_SEX_LIFE), Instrument.ODI)
    record_questionnaire(store, Instrument.ODI, first.answers, None, day(0))
    later = load_answers(write_file(tmp_path / "b.toml", ODI_ALL), Instrument.ODI)
    outcome = record_questionnaire(store, Instrument.ODI, later.answers, later.version, day(14))
    assert outcome.result.answers["sitting"] == 2  # two statements ticked: the higher counts
    assert outcome.result.score == 14  # 7 / 50
    assert outcome.change is not None and outcome.change.is_real_change
    assert outcome.change.sentence == (
        "Your ODI score went from 42 to 14 (−28 points, 67%): a real change for the better."
    )


def test_rmdq_change_is_always_against_the_first_result(store: Store) -> None:
    for offset, ticked in enumerate((10, 6, 8)):
        answers = {f"rmdq{n:02d}": True for n in range(1, ticked + 1)}
        outcome = record_questionnaire(store, Instrument.RMDQ, answers, None, day(offset))
    assert outcome.baseline is not None and outcome.baseline.score == 10
    assert outcome.change is not None and outcome.change.before == 10


def test_odi_with_too_few_sections_is_not_saved(store: Store) -> None:
    answers = dict.fromkeys(("pain_intensity", "lifting", "walking"), 2)
    with pytest.raises(QuestionnaireError, match="at least 9"):
        record_questionnaire(store, Instrument.ODI, answers, None, day(0))
    assert repo.list_questionnaire_results(store) == []


def test_rmdq_counts_ticks_and_compares(store: Store) -> None:
    first = record_questionnaire(
        store, Instrument.RMDQ, {f"rmdq{n:02d}": True for n in range(1, 13)}, None, day(0)
    )
    assert first.result.score == 12
    assert sum(v or 0 for v in first.result.answers.values()) == 12
    later = record_questionnaire(
        store, Instrument.RMDQ, {"rmdq01": True, "rmdq02": False, "rmdq03": True}, None, day(9)
    )
    assert later.result.score == 2
    assert later.change is not None and later.change.is_real_change
    assert "Below 4" in later.message and first.message == ""


def test_startback_shows_risk_and_is_never_a_change(store: Store, tmp_path: Path) -> None:
    path = write_file(tmp_path / "sb.toml", STARTBACK_HIGH)
    for offset in (0, 7):
        loaded = load_answers(path, Instrument.STARTBACK)
        outcome = record_questionnaire(
            store, Instrument.STARTBACK, loaded.answers, None, day(offset)
        )
    assert outcome.result.score == 6
    assert outcome.result.answers["sbst9"] == 3  # stored as answered, so it can be rescored
    assert outcome.result.answers["sbst2"] == 0 and outcome.result.answers["sbst1"] == 1
    assert outcome.result.label == "high"
    assert outcome.result.extra == {"distress": 4.0}
    assert outcome.change is None
    assert "share with your clinician" in outcome.message


@pytest.mark.parametrize(
    ("instrument", "text", "expected"),
    [
        (Instrument.ODI, "[answers]\npain_intensity = 3\nlifting = 6\n", ":3: answers.lifting:"),
        (Instrument.ODI, "[answers]\n\npain = 3\n", ":3: answers.pain: unknown item id"),
        (Instrument.ODI, '[answers]\nwalking = "two"\n', ":2: answers.walking: expected a whole"),
        (Instrument.RMDQ, "[answers]\nrmdq01 = true\nrmdq25 = true\n", ":3: answers.rmdq25"),
        (Instrument.RMDQ, "[answers]\nrmdq01 = 2\n", "answers.rmdq01: expected true"),
        (Instrument.STARTBACK, "[answers]\nsbst1 = true\n", ":1: answers.sbst2: missing"),
        (Instrument.STARTBACK, STARTBACK_HIGH.replace("= 3", "= 5"), ":10: answers.sbst9:"),
        (Instrument.RMDQ, 'instrument = "odi"\n[answers]\n', ':1: instrument: expected "rmdq"'),
        (Instrument.RMDQ, "colour = 1\n[answers]\n", ":1: colour: unknown field"),
        (Instrument.RMDQ, "answers = 3\n", ":1: answers: expected an [answers] table"),
        (Instrument.RMDQ, "[answers\n", ":1: not valid TOML"),
    ],
)
def test_load_answers_errors_name_file_line_and_item(
    tmp_path: Path, instrument: Instrument, text: str, expected: str
) -> None:
    path = write_file(tmp_path / "answers.toml", text)
    with pytest.raises(FileFormatError) as raised:
        load_answers(path, instrument)
    assert raised.value.message.startswith(str(path))
    assert expected in raised.value.message


# -- Instrument packs -----------------------------------------------------------------------------


def rmdq_pack(notice: str | None = 'notice = "Made-up notice for tests."\n', skip: int = 0) -> str:
    """A full RMDQ-shaped pack with invented placeholder wording (never the real items)."""
    head = 'instrument = "rmdq"\nversion = "test-1"\n' + (notice or "")
    items = "".join(
        f'\n[[items]]\nid = "rmdq{n:02d}"\ntext = "Invented statement number {n}."\n'
        for n in range(1, 25)
        if n != skip
    )
    return head + items


def startback_pack(sbst9_values: range = range(5)) -> str:
    lines = [
        'instrument = "startback"',
        'version = "test-1"',
        'notice = "Made-up notice."',
        'options = [{ value = 1, text = "Yes" }, { value = 0, text = "No" }]',
    ]
    for n in range(1, 10):
        lines += ["", "[[items]]", f'id = "sbst{n}"', f'text = "Invented question {n}?"']
        if n == 9:
            lines.append(
                "options = ["
                + ", ".join(f'{{ value = {v}, text = "Level {v}" }}' for v in sbst9_values)
                + "]"
            )
    return "\n".join(lines) + "\n"


def test_load_instrument_pack_reads_a_valid_pack(tmp_path: Path) -> None:
    pack = load_instrument_pack(write_file(tmp_path / "rmdq.toml", rmdq_pack()))
    assert pack.instrument is Instrument.RMDQ
    assert pack.notice == "Made-up notice for tests."
    assert [q.id for q in pack.questions][:2] == ["rmdq01", "rmdq02"]
    assert pack.questions[0].options == ()  # tick-if-true list
    sb = load_instrument_pack(write_file(tmp_path / "sb.toml", startback_pack()))
    assert sb.questions[0].options == ((1, "Yes"), (0, "No"))
    assert len(sb.questions[8].options) == 5


def test_load_instrument_pack_needs_a_notice(tmp_path: Path) -> None:
    path = write_file(tmp_path / "pack.toml", rmdq_pack(notice=None))
    with pytest.raises(FileFormatError, match=r"pack\.toml: notice: required field is missing"):
        load_instrument_pack(path)
    blank = write_file(tmp_path / "blank.toml", rmdq_pack(notice='notice = "   "\n'))
    with pytest.raises(FileFormatError, match=r"blank\.toml:3: notice: must not be empty"):
        load_instrument_pack(blank)


def test_load_instrument_pack_refuses_unknown_duplicate_and_missing_ids(tmp_path: Path) -> None:
    text = rmdq_pack().replace('id = "rmdq02"', 'id = "rmdq99"')
    path = write_file(tmp_path / "bad.toml", text)
    with pytest.raises(FileFormatError, match=r"bad\.toml:10: items\[1\]\.id: expected one of"):
        load_instrument_pack(path)
    twice = write_file(tmp_path / "twice.toml", rmdq_pack().replace("rmdq03", "rmdq02"))
    with pytest.raises(FileFormatError, match=r"twice\.toml:14: items\[2\]\.id: 'rmdq02' appears"):
        load_instrument_pack(twice)
    missing = write_file(tmp_path / "missing.toml", rmdq_pack(skip=7))
    with pytest.raises(FileFormatError, match="missing rmdq07"):
        load_instrument_pack(missing)


def test_load_instrument_pack_checks_options(tmp_path: Path) -> None:
    short = write_file(tmp_path / "short.toml", startback_pack(range(4)))
    with pytest.raises(
        FileFormatError, match="'sbst9' needs options with the values 0, 1, 2, 3, 4,"
    ):
        load_instrument_pack(short)
    no_options = startback_pack().replace("options = [{ value = 1", "# options = [{ value = 1")
    path = write_file(tmp_path / "none.toml", no_options)
    with pytest.raises(FileFormatError, match=r"none\.toml:\d+: items\[0\]: needs options"):
        load_instrument_pack(path)
    wrong = write_file(tmp_path / "wrong.toml", rmdq_pack().replace('"rmdq"', '"psfs"', 1))
    with pytest.raises(FileFormatError, match=r"wrong\.toml:1: instrument: expected"):
        load_instrument_pack(wrong)


# -- Docs and licensing ----------------------------------------------------------------------------

DOCS = Path(__file__).parents[2] / "docs" / "measurements.md"


def _toml_blocks() -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    return [block.split("```")[0] for block in text.split("```toml\n")[1:]]


def test_docs_answers_example_scores(store: Store, tmp_path: Path) -> None:
    example = write_file(tmp_path / "my-odi.toml", _toml_blocks()[0])
    loaded = load_answers(example, Instrument.ODI)
    outcome = record_questionnaire(store, Instrument.ODI, loaded.answers, loaded.version, day(0))
    assert outcome.result.score == 40
    assert outcome.missing == ("sex_life",)


def test_docs_pack_example_has_the_pack_format(tmp_path: Path) -> None:
    """The imaginary example differs from a real pack only in its instrument and item ids."""
    example = _toml_blocks()[1].replace('"example"  ', '"startback"')
    path = write_file(tmp_path / "pack.toml", example)
    with pytest.raises(FileFormatError, match=r"items\[0\]\.id: expected one of the startback"):
        load_instrument_pack(path)


def test_package_ships_no_instrument_pack() -> None:
    package = Path(__file__).parents[2] / "src" / "deskstretch"
    for path in package.rglob("*"):
        if path.suffix in {".toml", ".json", ".txt", ".md"}:
            text = path.read_text(encoding="utf-8")
            for name in ("odi", "rmdq", "startback"):
                assert f'instrument = "{name}"' not in text, path
