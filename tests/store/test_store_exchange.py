"""Export, forget and import: lossless round trips, no duplicates, and all-or-nothing imports."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from deskstretch.core.records import (
    Instrument,
    MeasurementKind,
    ProgrammeEvent,
    ProgrammeEventKind,
    SessionStatus,
)
from deskstretch.store import Store
from deskstretch.store import repository as repo
from deskstretch.store.exchange import ExchangeError
from deskstretch.store.tables import QuestionnaireResultRow
from helpers.store_factories import (
    BERLIN_WINTER,
    T0,
    at,
    make_activity,
    make_assessment,
    make_checkin,
    make_enrolment,
    make_measurement,
    make_result,
    make_session,
    make_step,
)


def fill(store: Store) -> None:
    """One of everything, plus a session still in progress and a retired activity."""
    repo.start_session(store, make_session("done", T0.astimezone(BERLIN_WINTER), too_much=True))
    repo.finish_session(
        store, "done", SessionStatus.PARTIAL, at(4), [make_step(0), make_step(1, 7.25)]
    )
    repo.start_session(store, make_session("open", at(30), front_end="web"))
    repo.add_checkin(store, make_checkin())
    repo.add_checkin(store, make_checkin("checkin-2", at(5), back_pain=None, leg_pain=3))
    repo.add_measurement(store, make_measurement())
    repo.add_measurement(
        store,
        make_measurement(
            "m-2", at(6), kind=MeasurementKind.FINGERTIP_TO_FLOOR, leg=None, value_cm=12.5
        ),
    )
    repo.add_psfs_activity(store, make_activity())
    repo.add_psfs_activity(store, make_activity("activity-2", at(1)))
    repo.retire_psfs_activity(store, "activity-2", at(90))
    repo.add_questionnaire_result(store, make_result())
    repo.add_questionnaire_result(
        store, make_result("psfs-1", at(2), instrument=Instrument.PSFS, answers={"activity-1": 4})
    )
    repo.add_programme_event(
        store, ProgrammeEvent("event-1", at(7), ProgrammeEventKind.QUESTIONS_DUE)
    )
    repo.add_programme_event(
        store, ProgrammeEvent("event-2", at(8), ProgrammeEventKind.QUESTIONS_ANSWERED)
    )
    repo.add_enrolment(store, make_enrolment("enrolment-1", at(9).astimezone(BERLIN_WINTER)))
    # Switching programmes ends the first enrolment: one ended, one active.
    repo.add_enrolment(
        store,
        make_enrolment("enrolment-2", at(95), programme_id="desk-back-maintenance", start_level=2),
    )
    repo.add_assessment(store, make_assessment(when=at(10).astimezone(BERLIN_WINTER)))
    repo.add_assessment(store, make_assessment("assessment-2", at(11), photo_file=None))


def everything(store: Store) -> tuple[list[Any], ...]:
    return (
        repo.list_sessions(store),
        repo.list_checkins(store),
        repo.list_measurements(store),
        repo.list_psfs_activities(store, include_retired=True),
        repo.list_questionnaire_results(store),
        repo.list_programme_events(store),
        repo.list_enrolments(store),
        repo.list_assessments(store),
    )


def test_export_forget_import_round_trips_losslessly(store: Store) -> None:
    fill(store)
    before = everything(store)
    exported = json.loads(json.dumps(repo.export_all(store)))  # really JSON, through text

    repo.forget_everything(store)
    assert set(repo.counts(store).values()) == {0}
    imported = repo.import_all(store, exported)

    assert everything(store) == before
    assert (
        imported
        == repo.counts(store)
        == {
            "sessions": 2,
            "checkins": 2,
            "measurements": 2,
            "psfs_activities": 2,
            "questionnaire_results": 2,
            "programme_events": 2,
            "enrolments": 2,
            "assessments": 2,
        }
    )
    assert exported["enrolments"] == [
        {
            "id": "enrolment-1",
            "programme_id": "desk-back-6-weeks",
            "started_on": "2025-03-05",
            "at": at(9).isoformat(),
            "ended_at": at(95).isoformat(),
            "start_level": 1,
        },
        {
            "id": "enrolment-2",
            "programme_id": "desk-back-maintenance",
            "started_on": "2025-03-05",
            "at": at(95).isoformat(),
            "ended_at": None,
            "start_level": 2,
        },
    ]
    assert repo.current_enrolment(store) == make_enrolment(
        "enrolment-2", at(95), programme_id="desk-back-maintenance", start_level=2
    )
    assert exported["programme_events"] == [
        {"id": "event-1", "at": at(7).isoformat(), "kind": "questions_due"},
        {"id": "event-2", "at": at(8).isoformat(), "kind": "questions_answered"},
    ]
    assert exported["schema_version"] == 1
    assert repo.export_all(store) == exported


def test_import_applies_the_completeness_rule_to_older_files(store: Store) -> None:
    """Files from earlier versions call a session skipped to the end "completed" and a stopped
    one "quit_early": imported, each is complete only with 80 % of its planned work done."""
    exported = json.loads(json.dumps(repo.export_all(store)))
    old = {"routine_id": "r", "routine_name": "R", "started_at": T0.isoformat()}
    exported["sessions"] = [
        {**old, "id": "skipped", "status": "completed", "steps": [step(0, 0.0), step(1, 0.5)]},
        {**old, "id": "most", "status": "quit_early", "steps": [step(0, 30.0), step(1, 20.0)]},
        {**old, "id": "open", "status": "in_progress", "steps": [step(0, 3.0)]},
    ]
    repo.import_all(store, exported)
    assert {s.id: s.status for s in repo.list_sessions(store)} == {
        "skipped": SessionStatus.PARTIAL,
        "most": SessionStatus.COMPLETED,
        "open": SessionStatus.IN_PROGRESS,
    }


def step(index: int, done: float) -> dict[str, Any]:
    return {
        "step_index": index,
        "exercise_id": "e",
        "muscle_group": "hamstrings",
        "planned_seconds": 30.0,
        "done_seconds": done,
        "seconds_both": done,
    }


def test_importing_the_same_export_twice_adds_nothing(store: Store) -> None:
    fill(store)
    exported = repo.export_all(store)
    before = everything(store)

    repo.import_all(store, exported)
    repo.import_all(store, exported)

    assert everything(store) == before


def test_import_replaces_records_with_the_same_id_and_keeps_the_rest(store: Store) -> None:
    fill(store)
    exported = repo.export_all(store)
    exported["checkins"] = [{**exported["checkins"][0], "back_pain": 9}]
    exported["sessions"] = []
    repo.add_checkin(store, make_checkin("only-here", at(50)))

    repo.import_all(store, exported)

    back = {c.id: c for c in repo.list_checkins(store)}
    assert back["checkin-1"].back_pain == 9
    assert set(back) == {"checkin-1", "checkin-2", "only-here"}
    assert repo.counts(store)["sessions"] == 2


def test_import_with_replace_forgets_what_the_file_lacks(store: Store) -> None:
    fill(store)
    exported = repo.export_all(store)
    repo.add_checkin(store, make_checkin("only-here", at(50)))

    repo.import_all(store, exported, replace=True)

    assert "only-here" not in {c.id for c in repo.list_checkins(store)}
    assert repo.export_all(store) == exported


def _broken(exported: dict[str, Any], change: str) -> dict[str, Any]:
    data = copy.deepcopy(exported)
    if change == "negative seconds":
        data["sessions"][0]["steps"][1]["done_seconds"] = -1
    elif change == "pain above 10":
        data["checkins"][1]["back_pain"] = 11
    elif change == "naive timestamp":
        data["measurements"][1]["at"] = "2025-03-04T08:30:00"
    elif change == "unknown field":
        data["questionnaire_results"][0]["colour"] = "blue"
    elif change == "duplicate id":
        data["checkins"][1]["id"] = data["checkins"][0]["id"]
    elif change == "not an export":
        del data["format"]
    elif change == "newer format":
        data["schema_version"] = 2
    # The same limits as live input (issue #9 item 11):
    elif change == "sit-and-reach out of range":
        data["measurements"][0]["value_cm"] = 200
    elif change == "huge number":
        data["measurements"][1]["value_cm"] = 1e308
    elif change == "note too long":
        data["checkins"][0]["note"] = "x" * 501
    elif change == "date before 2000":
        data["checkins"][0]["at"] = "1900-01-01T00:00:00+00:00"
    elif change == "ended before it started":
        data["sessions"][0]["ended_at"] = "2024-01-01T00:00:00+00:00"
    elif change == "id too long":
        data["measurements"][0]["id"] = "m" * 65
    elif change == "activity name too long":
        data["psfs_activities"][0]["name"] = "x" * 81
    elif change == "answer out of range":
        data["questionnaire_results"][0]["answers"] = {"pain_intensity": 99}
    elif change == "score out of range":
        data["questionnaire_results"][0]["score"] = 1e308
    elif change == "one-leg test without a leg":
        data["measurements"][0]["leg"] = None
    elif change == "unknown programme event":
        data["programme_events"][0]["kind"] = "paused_forever"
    elif change == "programme event after 2100":
        data["programme_events"][1]["at"] = "2300-01-01T00:00:00+00:00"
    elif change == "programme event id twice":
        data["programme_events"][1]["id"] = "event-1"
    elif change == "enrolment ended before it was chosen":
        data["enrolments"][0]["ended_at"] = "2024-01-01T00:00:00+00:00"
    elif change == "enrolment day not a date":
        data["enrolments"][1]["started_on"] = 1741132800
    elif change == "enrolment day with a time":
        data["enrolments"][1]["started_on"] = "2025-03-05T10:00:00"
    elif change == "enrolment day after 2100":
        data["enrolments"][0]["started_on"] = "2200-01-01"
    elif change == "enrolment without a programme":
        data["enrolments"][0]["programme_id"] = ""
    elif change == "enrolment id twice":
        data["enrolments"][1]["id"] = "enrolment-1"
    elif change == "enrolment start level 0":
        data["enrolments"][1]["start_level"] = 0
    elif change == "kept photo outside the photos folder":
        data["assessments"][0]["photo_file"] = "../../.ssh/id_rsa.jpg"
    elif change == "unknown photo test":
        data["assessments"][1]["test"] = "headstand"
    elif change == "angle out of range":
        data["assessments"][0]["forward_bend_deg"] = 400.0
    elif change == "no photos":
        data["assessments"][1]["photos"] = 0
    elif change == "assessment source unknown":
        data["assessments"][0]["source"] = "x-ray"
    return data


BAD_IMPORTS = {
    "negative seconds": r"sessions\[0\]\.steps\[1\]\.done_seconds: .*greater than or equal",
    "pain above 10": r"checkins\[1\]\.back_pain: .*less than or equal to 10",
    "naive timestamp": r"measurements\[1\]\.at: .*timezone",
    "unknown field": r"questionnaire_results\[0\]\.colour: Extra inputs",
    "duplicate id": r"checkins\[1\]\.id: 'checkin-1' is also used by checkins\[0\]",
    "not an export": r"import file: format: Field required",
    "newer format": r"schema_version 2 was written by a newer deskstretch",
    "sit-and-reach out of range": r"measurements\[0\]\.value_cm: expected -40 to 40 cm, got 200",
    "huge number": r"measurements\[1\]\.value_cm: expected 0 to 80 cm",
    "note too long": r"checkins\[0\]\.note: .*at most 500 characters",
    "date before 2000": r"checkins\[0\]\.at: expected a date from 2000 to 2100",
    "ended before it started": r"sessions\[0\]\.ended_at: expected a time after started_at",
    "id too long": r"measurements\[0\]\.id: .*at most 64 characters",
    "activity name too long": r"psfs_activities\[0\]\.name: .*at most 80 characters",
    "answer out of range": r"questionnaire_results\[0\]\.answers: .*0 to 10",
    "score out of range": r"questionnaire_results\[0\]\.score: .*less than or equal to 100",
    "one-leg test without a leg": r"measurements\[0\]\.leg: expected \"left\" or \"right\"",
    "unknown programme event": r"programme_events\[0\]\.kind: Input should be 'resumed_seen",
    "programme event after 2100": r"programme_events\[1\]\.at: expected a date from 2000 to 2100",
    "programme event id twice": r"programme_events\[1\]\.id: 'event-1' is also used by",
    "enrolment ended before it was chosen": r"enrolments\[0\]\.ended_at: expected a time after at",
    "enrolment day not a date": r"enrolments\[1\]\.started_on: expected a date as YYYY-MM-DD",
    "enrolment day with a time": r"enrolments\[1\]\.started_on: .*zero time",
    "enrolment day after 2100": r"enrolments\[0\]\.started_on: expected a date from 2000 to 2100",
    "enrolment without a programme": r"enrolments\[0\]\.programme_id: .*at least 1 character",
    "enrolment id twice": r"enrolments\[1\]\.id: 'enrolment-1' is also used by enrolments\[0\]",
    "enrolment start level 0": r"enrolments\[1\]\.start_level: .*greater than or equal to 1",
    "kept photo outside the photos folder": r"assessments\[0\]\.photo_file: .*pattern",
    "unknown photo test": r"assessments\[1\]\.test: Input should be 'chair_sit_and_reach'",
    "angle out of range": r"assessments\[0\]\.forward_bend_deg: .*less than or equal to 180",
    "no photos": r"assessments\[1\]\.photos: .*greater than or equal to 1",
    "assessment source unknown": r"assessments\[0\]\.source: Input should be 'photo' or",
}


@pytest.mark.parametrize("change", list(BAD_IMPORTS))
def test_bad_import_names_the_json_path_and_changes_nothing(store: Store, change: str) -> None:
    fill(store)
    exported = repo.export_all(store)
    repo.forget_everything(store, vacuum=False)
    repo.add_checkin(store, make_checkin("survivor"))
    before = repo.export_all(store)

    with pytest.raises(ExchangeError, match=BAD_IMPORTS[change]):
        repo.import_all(store, _broken(exported, change), replace=True)

    assert repo.export_all(store) == before


def test_import_is_all_or_nothing_when_writing_fails_midway(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store)
    exported = repo.export_all(store)
    exported["checkins"][0]["note"] = "changed by the import"
    before = everything(store)

    def explode(*_args: object) -> None:
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(QuestionnaireResultRow, "from_record", explode)
    with pytest.raises(RuntimeError, match="disk pulled out"):
        repo.import_all(store, exported)

    assert everything(store) == before


def test_forget_everything_empties_every_table(store: Store) -> None:
    fill(store)
    repo.forget_everything(store)
    assert repo.counts(store) == dict.fromkeys(repo.counts(store), 0)
    assert everything(store) == ([], [], [], [], [], [], [], [])


def test_forget_everything_leaves_no_trace_in_the_sqlite_files(sqlite_url: str) -> None:
    from deskstretch.store import open_store

    marker = "MARKER-b6f0c1-private-note"
    with open_store(sqlite_url) as store:
        repo.add_checkin(store, make_checkin(note=marker))
        path = Path(store.where)
        repo.forget_everything(store)
        files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
        assert files, "expected the database file"
        assert all(marker.encode() not in p.read_bytes() for p in files)
        assert repo.counts(store)["checkins"] == 0


# ----- newest wins (issue #9 item 11) -----------------------------------------------------------


def test_reimporting_an_older_export_keeps_the_newer_records(store: Store) -> None:
    """Today a completed session went back to "in progress": an older copy never wins."""
    repo.start_session(store, make_session("s", at(0)))
    repo.add_psfs_activity(store, make_activity("a", at(0)))
    older = json.loads(json.dumps(repo.export_all(store)))
    repo.finish_session(store, "s", SessionStatus.COMPLETED, at(4), [make_step(0), make_step(1)])
    repo.retire_psfs_activity(store, "a", at(10))
    newer = everything(store)

    summary = repo.import_records(store, older)

    assert everything(store) == newer
    assert repo.get_session(store, "s").status is SessionStatus.COMPLETED
    assert summary.kept_newer == {"sessions": 1, "psfs_activities": 1}
    assert summary.imported["sessions"] == 0


def test_importing_a_newer_export_updates_the_older_record(store: Store) -> None:
    repo.start_session(store, make_session("s", at(0)))
    repo.finish_session(store, "s", SessionStatus.COMPLETED, at(4), [make_step(0), make_step(1)])
    newer = json.loads(json.dumps(repo.export_all(store)))
    repo.forget_everything(store, vacuum=False)
    repo.start_session(store, make_session("s", at(0)))

    summary = repo.import_records(store, newer)

    assert repo.get_session(store, "s").status is SessionStatus.COMPLETED
    assert summary.kept_newer == {}
    assert summary.imported["sessions"] == 1


# ----- programme events (a pause lifted, cauda equina questions due or answered) -----------------


def test_an_export_without_programme_events_still_imports(store: Store) -> None:
    """Files from before programme events were exported have no such key."""
    fill(store)
    exported = json.loads(json.dumps(repo.export_all(store)))
    del exported["programme_events"]
    repo.forget_everything(store, vacuum=False)

    summary = repo.import_records(store, exported)

    assert summary.imported["programme_events"] == 0
    assert summary.imported["checkins"] == 2
    assert repo.list_programme_events(store) == []


def test_a_stored_programme_event_is_kept_when_the_file_has_the_same_id(store: Store) -> None:
    """Events never change once written: a stored id keeps its own time and kind."""
    stored = ProgrammeEvent("event-1", at(7), ProgrammeEventKind.QUESTIONS_DUE)
    repo.add_programme_event(store, stored)
    exported = json.loads(json.dumps(repo.export_all(store)))
    exported["programme_events"] = [
        {"id": "event-1", "at": at(9).isoformat(), "kind": "questions_answered"},
        {"id": "event-3", "at": at(10).isoformat(), "kind": "resumed_back_to_usual"},
    ]

    summary = repo.import_records(store, exported)
    repo.import_records(store, exported)  # twice: nothing doubled

    assert repo.list_programme_events(store) == [
        stored,
        ProgrammeEvent("event-3", at(10), ProgrammeEventKind.RESUMED_BACK_TO_USUAL),
    ]
    assert summary.imported["programme_events"] == 1


# ----- enrolments (the programme over weeks the person follows) ---------------------------------


def test_an_export_without_enrolments_imports_as_none(store: Store) -> None:
    """Files from before schema revision 0007 have no such key: nobody is enrolled by them."""
    fill(store)
    exported = json.loads(json.dumps(repo.export_all(store)))
    del exported["enrolments"]
    repo.forget_everything(store, vacuum=False)

    summary = repo.import_records(store, exported)

    assert summary.imported["enrolments"] == 0
    assert summary.imported["sessions"] == 2
    assert repo.list_enrolments(store) == []
    assert repo.current_enrolment(store) is None


def test_an_enrolment_without_a_start_level_starts_at_level_1(store: Store) -> None:
    """Files from before schema revision 0009 name no start level: level 1, as then."""
    fill(store)
    exported = json.loads(json.dumps(repo.export_all(store)))
    for enrolment in exported["enrolments"]:
        del enrolment["start_level"]
    repo.forget_everything(store, vacuum=False)
    repo.import_records(store, exported)
    assert [e.start_level for e in repo.list_enrolments(store)] == [1, 1]


def test_importing_enrolments_twice_adds_nothing(store: Store) -> None:
    fill(store)
    exported = json.loads(json.dumps(repo.export_all(store)))
    before = repo.list_enrolments(store)
    repo.forget_everything(store, vacuum=False)

    first = repo.import_records(store, exported)
    second = repo.import_records(store, exported)

    assert first.imported["enrolments"] == second.imported["enrolments"] == 2
    assert repo.list_enrolments(store) == before
    assert repo.counts(store)["enrolments"] == 2


def test_an_enrolment_once_ended_stays_ended_when_an_older_export_comes_back(
    store: Store,
) -> None:
    repo.add_enrolment(store, make_enrolment("e", at(0)))
    older = json.loads(json.dumps(repo.export_all(store)))  # still active in this file
    repo.end_enrolment(store, at(30))

    summary = repo.import_records(store, older)

    assert repo.list_enrolments(store) == [make_enrolment("e", at(0), ended_at=at(30))]
    assert repo.current_enrolment(store) is None
    assert summary.kept_newer == {"enrolments": 1}
    assert summary.imported["enrolments"] == 0


def test_an_export_where_the_enrolment_ended_ends_the_stored_copy(store: Store) -> None:
    repo.add_enrolment(store, make_enrolment("e", at(0)))
    repo.end_enrolment(store, at(30))
    newer = json.loads(json.dumps(repo.export_all(store)))
    repo.forget_everything(store, vacuum=False)
    repo.add_enrolment(store, make_enrolment("e", at(0)))  # the copy from before it ended

    summary = repo.import_records(store, newer)

    assert repo.list_enrolments(store) == [make_enrolment("e", at(0), ended_at=at(30))]
    assert summary.kept_newer == {}
    assert summary.imported["enrolments"] == 1


def test_an_import_leaves_only_the_newest_enrolment_active(store: Store) -> None:
    """Two computers, each with its own active programme: after merging, the newer choice holds
    and the other ends when it was made, as if the person had switched here."""
    here = make_enrolment("here", at(0))
    repo.add_enrolment(store, here)
    exported = json.loads(json.dumps(repo.export_all(store)))
    exported["enrolments"] = [
        {
            "id": "elsewhere",
            "programme_id": "desk-back-maintenance",
            "started_on": "2025-03-10",
            "at": at(60).isoformat(),
            "ended_at": None,
        }
    ]

    repo.import_records(store, exported)

    elsewhere = make_enrolment(
        "elsewhere", at(60), programme_id="desk-back-maintenance", started_on=date(2025, 3, 10)
    )
    assert repo.list_enrolments(store) == [
        make_enrolment("here", at(0), ended_at=at(60)),
        elsewhere,
    ]
    assert repo.current_enrolment(store) == elsewhere


def test_an_import_of_an_older_choice_does_not_replace_the_newer_one(store: Store) -> None:
    newer = make_enrolment("newer", at(60))
    repo.add_enrolment(store, newer)
    exported = json.loads(json.dumps(repo.export_all(store)))
    exported["enrolments"] = [{**exported["enrolments"][0], "id": "older", "at": at(0).isoformat()}]

    repo.import_records(store, exported)

    assert repo.current_enrolment(store) == newer
    assert repo.list_enrolments(store) == [make_enrolment("older", at(0), ended_at=at(60)), newer]


def test_an_import_never_brings_back_a_kept_photo_deleted_since(store: Store) -> None:
    fill(store)
    exported = repo.export_all(store)
    assert exported["assessments"][0]["photo_file"] == "assessment-1.jpg"
    repo.clear_photo_files(store)

    repo.import_all(store, exported)

    assert [a.photo_file for a in repo.list_assessments(store)] == [None, None]
