"""Kill test: a writer SIGKILLed at random moments never loses an acknowledged commit.

A child process records sessions in a loop and writes "ACK <id> <state>" to stdout (one write
per line) after each commit returns. The test kills it 50-400 ms after it is ready, then checks
the database is intact and holds every acknowledged state. To keep rounds fast, children are
forked from a helper Python process that has already imported deskstretch (a fresh interpreter
costs most of a second here).
"""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_factories import Backend

from deskstretch.core.records import SessionStatus
from deskstretch.store import open_store
from deskstretch.store import repository as repo

STEPS = 4
ROUNDS: dict[Backend, int] = {"sqlite": 30, "postgresql": 10}

SPAWNER = r"""
import os, sys, traceback
from datetime import UTC, datetime, timedelta

import psycopg  # noqa: F401  (warm imports, so each forked child starts in milliseconds)
import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401
from deskstretch.core.records import SessionRecord, SessionStatus, StepRecord
from deskstretch.store import open_store
from deskstretch.store.repository import finish_session, start_session, update_session_progress

STEPS = int(sys.argv[1])


def say(line):
    # One write(2) of a short line to a pipe is atomic: a kill cannot leave half a line
    # (print() may issue the text and the newline as separate writes).
    os.write(1, (line + "\n").encode())


def record_forever(url, prefix, base):
    store = open_store(url)
    say(f"READY {os.getpid()}")
    number = 0
    while True:
        session_id = f"{prefix}-{number}"
        started = base + timedelta(minutes=number)
        start_session(store, SessionRecord(session_id, "kill-test", "Kill test", started,
                                           SessionStatus.IN_PROGRESS))
        say(f"ACK {session_id} started")
        for step in range(STEPS):
            done = StepRecord(step, f"exercise-{step}", "hamstrings", 30.0, 30.0, completed=True)
            update_session_progress(store, session_id, [done],
                                    at=started + timedelta(seconds=step + 1))
            say(f"ACK {session_id} step {step}")
        finish_session(store, session_id, SessionStatus.COMPLETED,
                       started + timedelta(seconds=STEPS + 1))
        say(f"ACK {session_id} finished")
        number += 1


for line in sys.stdin:
    url, prefix, base = line.rstrip("\n").split("\t")
    pid = os.fork()
    if pid == 0:
        try:
            record_forever(url, prefix, datetime.fromisoformat(base))
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(70)
    _, status = os.waitpid(pid, 0)
    say(f"DEAD {pid} {status}")
"""


class Spawner:
    """The helper process: one line in starts a child; its output comes back line by line."""

    def __init__(self, stderr_path: Path) -> None:
        self.stderr = stderr_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-c", SPAWNER, str(STEPS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.endswith("\n"):  # a child killed mid-line leaves no complete line
                self.lines.put(line.rstrip("\n"))

    def next_line(self, waiting_for: str) -> str:
        # Generous: on a loaded machine a cold start of the helper can stall for many seconds.
        try:
            return self.lines.get(timeout=120)
        except queue.Empty:
            raise AssertionError(
                f"the writer printed nothing while waiting for {waiting_for}; "
                f"stderr: {self.errors()}"
            ) from None

    def errors(self) -> str:
        self.stderr.flush()
        return Path(self.stderr.name).read_text()[-2000:]

    def run_round(self, url: str, prefix: str, base: datetime, rng: random.Random) -> list[str]:
        """Start a writer, SIGKILL it 50-400 ms after it is ready; returns its ACK lines."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"{url}\t{prefix}\t{base.isoformat()}\n")
        self.process.stdin.flush()
        first = self.next_line("READY")
        assert first.startswith("READY "), f"{first}; stderr: {self.errors()}"
        pid = int(first.split()[1])
        threading.Event().wait(rng.uniform(0.05, 0.4))
        os.kill(pid, signal.SIGKILL)
        acks = []
        while not (line := self.next_line("DEAD")).startswith("DEAD "):
            acks.append(line)
        assert line == f"DEAD {pid} {int(signal.SIGKILL)}", f"{line}; stderr: {self.errors()}"
        return acks

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.stderr.close()


def check_acknowledged(url: str, base: datetime, acks: list[str]) -> None:
    """Every acknowledged state is stored (or a later one, committed before the kill)."""
    last: dict[str, str] = {}
    for line in acks:
        word, session_id, *words = line.split()
        assert word == "ACK", line
        last[session_id] = " ".join(words)
    with open_store(url) as store:
        stored = {s.id: s for s in repo.list_sessions(store, since=base)}
        # At most one session more than acknowledged: committed, but killed before printing.
        assert set(last) <= set(stored) and len(stored) - len(last) in (0, 1)
        for session_id, state in last.items():
            session = stored[session_id]
            if state == "finished":
                assert session.status is SessionStatus.COMPLETED, session
                assert session.ended_at == session.started_at + timedelta(seconds=STEPS + 1)
                assert [s.step_index for s in session.steps] == list(range(STEPS))
            elif state.startswith("step "):
                assert session.status in {SessionStatus.IN_PROGRESS, SessionStatus.COMPLETED}
                done = int(state.split()[1])
                assert [s.step_index for s in session.steps][: done + 1] == list(range(done + 1))
                assert all(s.done_seconds == 30.0 and s.completed for s in session.steps)
        unfinished = [s for s in stored.values() if s.status is SessionStatus.IN_PROGRESS]
        assert len(unfinished) <= 1
        recovered = repo.recover_interrupted(store, now=base + timedelta(days=1))
        assert [s.id for s in recovered] == [s.id for s in unfinished]


def sqlite_integrity(url: str) -> str:
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as raw:
        result = raw.execute("PRAGMA integrity_check").fetchone()[0]
    raw.close()
    return str(result)


@pytest.mark.parametrize("kill_backend", ["sqlite", "postgresql"])
def test_killed_writer_loses_no_acknowledged_commit(
    kill_backend: Backend, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url: str = request.getfixturevalue("sqlite_url" if kill_backend == "sqlite" else "postgres_url")
    open_store(url).close()  # create the schema up front; rounds then start in milliseconds
    rng = random.Random(int.from_bytes(os.urandom(4)))
    spawner = Spawner(tmp_path / "writer-stderr.txt")
    total = 0
    try:
        for number in range(ROUNDS[kill_backend]):
            base = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=number)
            acks = spawner.run_round(url, f"round{number}", base, rng)
            if kill_backend == "sqlite":
                assert sqlite_integrity(url) == "ok", f"round {number}"
            check_acknowledged(url, base, acks)
            total += len(acks)
    finally:
        spawner.close()
    assert total >= ROUNDS[kill_backend], "the writer acknowledged almost nothing"
