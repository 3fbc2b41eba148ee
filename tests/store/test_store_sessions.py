"""A session's life in the store: start, progress updates, finish, and recovery after a crash."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deskstretch.core.errors import NotFoundError
from deskstretch.core.records import SessionStatus
from deskstretch.store import Store, StoreError
from deskstretch.store import repository as repo
from helpers.store_factories import T0, at, make_session, make_step


def test_start_session_is_saved_in_progress_at_once(store: Store, db_url: str) -> None:
    from deskstretch.store import open_store

    started = repo.start_session(store, make_session(status=SessionStatus.COMPLETED))

    assert started.status is SessionStatus.IN_PROGRESS and started.ended_at is None
    with open_store(db_url) as other_process_view:  # committed, so visible to another engine
        assert repo.get_session(other_process_view, started.id) == started


def test_progress_upserts_steps_and_keeps_the_others(store: Store) -> None:
    repo.start_session(store, make_session())
    repo.update_session_progress(store, "session-1", [make_step(0, 10.0)], at=at(1))
    repo.update_session_progress(store, "session-1", [make_step(1, 5.0)], at=at(2))
    repo.update_session_progress(store, "session-1", [make_step(0, 30.0)], at=at(3))

    session = repo.get_session(store, "session-1")
    assert session.steps == (make_step(0, 30.0), make_step(1, 5.0))
    assert session.status is SessionStatus.IN_PROGRESS


def test_finish_records_status_end_and_last_steps(store: Store) -> None:
    repo.start_session(store, make_session())
    repo.update_session_progress(store, "session-1", [make_step(0)], at=at(1))

    finished = repo.finish_session(
        store, "session-1", SessionStatus.COMPLETED, at(2), [make_step(1), make_step(2, 15.0)]
    )

    assert finished == make_session(
        status=SessionStatus.COMPLETED,
        ended_at=at(2),
        steps=(make_step(0), make_step(1), make_step(2, 15.0)),
    )
    assert repo.list_sessions(store) == [finished]


def test_mark_too_much_sets_the_flag(store: Store) -> None:
    repo.start_session(store, make_session())
    repo.finish_session(store, "session-1", SessionStatus.COMPLETED, at(2))

    repo.mark_too_much(store, "session-1")

    assert repo.get_session(store, "session-1").too_much is True


def test_unknown_sessions_raise_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match="nope"):
        repo.update_session_progress(store, "nope", [make_step(0)], at=at(1))
    with pytest.raises(NotFoundError):
        repo.finish_session(store, "nope", SessionStatus.COMPLETED, at(1))
    with pytest.raises(NotFoundError):
        repo.mark_too_much(store, "nope")
    with pytest.raises(NotFoundError):
        repo.get_session(store, "nope")
    assert repo.counts(store)["sessions"] == 0


def test_progress_after_finish_is_refused_and_changes_nothing(store: Store) -> None:
    repo.start_session(store, make_session())
    done = repo.finish_session(store, "session-1", SessionStatus.COMPLETED, at(2), [make_step(0)])

    with pytest.raises(StoreError, match="already finished"):
        repo.update_session_progress(store, "session-1", [make_step(0, 1.0)], at=at(3))
    assert repo.get_session(store, "session-1") == done


def test_finish_needs_a_final_status(store: Store) -> None:
    repo.start_session(store, make_session())
    with pytest.raises(ValueError, match="final status"):
        repo.finish_session(store, "session-1", SessionStatus.IN_PROGRESS, at(1))


def test_recover_interrupted_ends_open_sessions_at_their_last_update(store: Store) -> None:
    repo.start_session(store, make_session("crashed", T0))
    repo.update_session_progress(store, "crashed", [make_step(0)], at=at(1))
    repo.start_session(store, make_session("never-updated", at(10)))
    repo.start_session(store, make_session("finished", at(20)))
    repo.finish_session(store, "finished", SessionStatus.COMPLETED, at(22))

    recovered = repo.recover_interrupted(store, now=at(60))

    assert [(s.id, s.status, s.ended_at) for s in recovered] == [
        ("crashed", SessionStatus.INTERRUPTED, at(1)),
        ("never-updated", SessionStatus.INTERRUPTED, at(10)),
    ]
    assert recovered[0].steps == (make_step(0),)
    assert {s.id: s.status for s in repo.list_sessions(store)} == {
        "crashed": SessionStatus.INTERRUPTED,
        "never-updated": SessionStatus.INTERRUPTED,
        "finished": SessionStatus.COMPLETED,
    }
    assert repo.recover_interrupted(store, now=at(61)) == []


def test_recover_interrupted_leaves_recently_updated_sessions_alone(store: Store) -> None:
    repo.start_session(store, make_session("live", T0))
    repo.update_session_progress(store, "live", [make_step(0)], at=at(9))

    assert repo.recover_interrupted(store, now=at(10), stale_after=timedelta(minutes=5)) == []
    assert repo.get_session(store, "live").status is SessionStatus.IN_PROGRESS


def test_progress_revives_a_session_wrongly_marked_interrupted(store: Store) -> None:
    repo.start_session(store, make_session("live", T0))
    repo.recover_interrupted(store, now=at(1))  # e.g. another deskstretch started meanwhile

    repo.update_session_progress(store, "live", [make_step(0)], at=at(2))

    revived = repo.get_session(store, "live")
    assert revived.status is SessionStatus.IN_PROGRESS and revived.ended_at is None
