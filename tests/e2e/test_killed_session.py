"""A routine killed mid-way (SIGKILL, as when a laptop dies) keeps what was done so far, and the
next session marks it interrupted."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpers.support import CliRunner, Dirs

ROUTINE = """\
name = "Kill test"
get_ready_seconds = 1
transition_seconds = 1

[[steps]]
exercise = "S10"
reps = 2
rep_seconds = 1

[[steps]]
exercise = "S06"
reps = 1
hold_seconds = 30
"""


def test_killed_routine_keeps_finished_steps(
    run_cli: CliRunner, screened: Path, dirs: Dirs, tmp_path: Path
) -> None:
    routine = tmp_path / "kill.toml"
    routine.write_text(ROUTINE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
    env.update(dirs.env_vars())
    child = subprocess.Popen(
        [sys.executable, "-m", "deskstretch", "start", "--file", str(routine), "--plain"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    deadline = time.monotonic() + 20
    for line in child.stdout:
        if "Hold - Seated forward fold" in line:  # the second step's hold has begun
            break
        assert time.monotonic() < deadline, "the routine did not reach the hold"
    time.sleep(0.5)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)

    database = dirs.data / "deskstretch.sqlite3"
    with sqlite3.connect(database) as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
        status = db.execute("select status from sessions").fetchall()
        steps = db.execute(
            "select step_index, completed, done_seconds from session_steps order by step_index"
        ).fetchall()
    assert status == [("in_progress",)]
    assert steps[0][:2] == (0, 1)  # the pelvic tilts were finished and saved
    assert steps[0][2] == 2.0

    # Later (the stale limit is 15 minutes), the next session tidies it up as interrupted.
    from deskstretch.store import open_store
    from deskstretch.store import repository as repo

    with open_store(f"sqlite:///{database}") as store:
        changed = repo.recover_interrupted(
            store, datetime.now(UTC) + timedelta(minutes=16), stale_after=timedelta(minutes=15)
        )
        assert [s.status.value for s in changed] == ["interrupted"]
        kept = repo.list_sessions(store)[0]
    assert kept.steps[0].completed and kept.work_seconds >= 2.0
