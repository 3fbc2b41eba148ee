"""Kill test: a writer SIGKILLed at random moments never loses an acknowledged commit.

A child process records sessions in a loop and writes "ACK <id> <state>" to stdout (one write
per line) after each commit returns. Each round draws from a seeded generator how many writes
must be acknowledged before the kill (at least one, so a slow start-up can never make a round
prove nothing) and a short extra delay, so the kill lands at a random point inside the writes.
The test then checks the database is intact and holds every acknowledged state. The seed is
printed and named in every failure; set DESKSTRETCH_KILL_SEED to replay a run. To keep rounds
fast, children are forked from a helper Python process that has already imported deskstretch (a
fresh interpreter costs most of a second here).
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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskstretch.core.records import SessionStatus
from deskstretch.store import open_store
from deskstretch.store import repository as repo
from helpers.store_factories import Backend

pytestmark = pytest.mark.e2e

STEPS = 4
ROUNDS: dict[Backend, int] = {"sqlite": 30, "postgresql": 10}
WRITES_PER_SESSION = STEPS + 2  # started, each step, finished
# Read at import: the autouse `dirs` fixture clears DESKSTRETCH_* variables for every test.
SEED_VARIABLE = "DESKSTRETCH_KILL_SEED"
SEED_FROM_ENV = os.environ.get(SEED_VARIABLE, "").strip()
# The first round's writer waits this long before its first write, as a slow start-up does.
SLOW_START_SECONDS = 0.5

SPAWNER = r"""
import os, sys, time, traceback
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


def record_forever(url, prefix, base, start_delay):
    store = open_store(url)
    say(f"READY {os.getpid()}")
    time.sleep(start_delay)
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
    url, prefix, base, start_delay = line.rstrip("\n").split("\t")
    pid = os.fork()
    if pid == 0:
        try:
            record_forever(url, prefix, datetime.fromisoformat(base), float(start_delay))
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

    def run_round(
        self,
        url: str,
        prefix: str,
        base: datetime,
        kill: Kill,
        where: str,
        start_delay: float = 0.0,
    ) -> list[str]:
        """Start a writer; SIGKILL it ``kill.extra_seconds`` after its ``kill.after_acks``-th
        acknowledged write. Returns all its ACK lines (some may come after the one waited for).
        """
        assert self.process.stdin is not None
        self.process.stdin.write(f"{url}\t{prefix}\t{base.isoformat()}\t{start_delay}\n")
        self.process.stdin.flush()
        first = self.next_line("READY")
        assert first.startswith("READY "), f"{where}: {first}; stderr: {self.errors()}"
        pid = int(first.split()[1])
        acks: list[str] = []
        while len(acks) < kill.after_acks:
            line = self.next_line(f"acknowledged write {len(acks) + 1}")
            assert line.startswith("ACK "), f"{where}: {line}; stderr: {self.errors()}"
            acks.append(line)
        threading.Event().wait(kill.extra_seconds)
        os.kill(pid, signal.SIGKILL)
        while not (line := self.next_line("DEAD")).startswith("DEAD "):
            acks.append(line)
        expected = f"DEAD {pid} {int(signal.SIGKILL)}"
        assert line == expected, f"{where}: {line}; stderr: {self.errors()}"
        return acks

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.stderr.close()


def check_acknowledged(url: str, base: datetime, acks: list[str], where: str) -> None:
    """Every acknowledged state is stored (or a later one, committed before the kill)."""
    last: dict[str, str] = {}
    for line in acks:
        word, session_id, *words = line.split()
        assert word == "ACK", f"{where}: {line}"
        last[session_id] = " ".join(words)
    with open_store(url) as store:
        stored = {s.id: s for s in repo.list_sessions(store, since=base)}
        # At most one session more than acknowledged: committed, but killed before printing.
        assert set(last) <= set(stored), f"{where}: lost {sorted(set(last) - set(stored))}"
        assert len(stored) - len(last) in (0, 1), f"{where}: {sorted(stored)} vs {sorted(last)}"
        for session_id, state in last.items():
            session = stored[session_id]
            if state == "finished":
                assert session.status is SessionStatus.COMPLETED, f"{where}: {session}"
                ended = session.started_at + timedelta(seconds=STEPS + 1)
                assert session.ended_at == ended, f"{where}: {session}"
                assert [s.step_index for s in session.steps] == list(range(STEPS)), where
            elif state.startswith("step "):
                finished = {SessionStatus.IN_PROGRESS, SessionStatus.COMPLETED}
                assert session.status in finished, f"{where}: {session}"
                done = int(state.split()[1])
                indexes = [s.step_index for s in session.steps][: done + 1]
                assert indexes == list(range(done + 1)), f"{where}: {session}"
                assert all(s.done_seconds == 30.0 and s.completed for s in session.steps), where
        unfinished = [s for s in stored.values() if s.status is SessionStatus.IN_PROGRESS]
        assert len(unfinished) <= 1, f"{where}: {unfinished}"
        recovered = repo.recover_interrupted(store, now=base + timedelta(days=1))
        assert [s.id for s in recovered] == [s.id for s in unfinished], where


def sqlite_integrity(url: str) -> str:
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as raw:
        result = raw.execute("PRAGMA integrity_check").fetchone()[0]
    raw.close()
    return str(result)


@dataclass(frozen=True)
class Kill:
    """When a round's writer dies: after this many acknowledged writes, plus a short delay."""

    after_acks: int
    extra_seconds: float

    @classmethod
    def draw(cls, rng: random.Random) -> Kill:
        # Up to two whole sessions in: kills land in the first write, between steps, at the
        # finish and in the next session; the extra delay moves them inside a commit.
        return cls(rng.randint(1, 2 * WRITES_PER_SESSION), rng.uniform(0.0, 0.02))


def kill_seed() -> int:
    """DESKSTRETCH_KILL_SEED when set (to replay a failure), else a fresh random seed."""
    if SEED_FROM_ENV:
        return int(SEED_FROM_ENV)
    return int.from_bytes(os.urandom(4))


@pytest.mark.parametrize("kill_backend", ["sqlite", "postgresql"])
def test_killed_writer_loses_no_acknowledged_commit(
    kill_backend: Backend, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url: str = request.getfixturevalue("sqlite_url" if kill_backend == "sqlite" else "postgres_url")
    open_store(url).close()  # create the schema up front; rounds then start in milliseconds
    seed = kill_seed()
    print(f"kill test seed {seed} (replay: {SEED_VARIABLE}={seed})")  # shown when it fails
    rng = random.Random(seed)
    spawner = Spawner(tmp_path / "writer-stderr.txt")
    try:
        for number in range(ROUNDS[kill_backend]):
            base = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=number)
            kill = Kill.draw(rng)
            where = f"{kill_backend} seed {seed} ({SEED_VARIABLE}) round {number} {kill}"
            # Round 0 starts slowly: the kill must still wait for an acknowledged write.
            delay = SLOW_START_SECONDS if number == 0 else 0.0
            acks = spawner.run_round(url, f"round{number}", base, kill, where, delay)
            assert len(acks) >= kill.after_acks, f"{where}: only {len(acks)} acknowledged"
            if kill_backend == "sqlite":
                assert sqlite_integrity(url) == "ok", where
            check_acknowledged(url, base, acks, where)
    finally:
        spawner.close()
