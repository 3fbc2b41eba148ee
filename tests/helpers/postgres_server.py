"""A throwaway PostgreSQL server for the store tests: initdb + pg_ctl in a temporary folder.

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from helpers.local_server import free_port

INSTALL_HINT = (
    "the store tests need a real PostgreSQL server and none was found (initdb on PATH or in "
    "/usr/lib/postgresql/*/bin). `make test` installs it (make system-deps); or set "
    "DESKSTRETCH_TEST_POSTGRES_URL to a server where the user may CREATE DATABASE."
)
SUPERUSER = "deskstretch"


class PostgresUnavailable(Exception):
    """No PostgreSQL binaries, or the server would not start (the message says why)."""


def find_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl: PATH first, then the usual package locations."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    candidates = [
        *glob.glob("/usr/lib/postgresql/*/bin/initdb"),  # Debian, Ubuntu
        *glob.glob("/opt/homebrew/opt/postgresql@*/bin/initdb"),  # Homebrew, Apple silicon
        *glob.glob("/usr/local/opt/postgresql@*/bin/initdb"),  # Homebrew, Intel
    ]

    def version(path: str) -> int:
        found = re.search(r"(\d+)", path.rsplit("postgresql", maxsplit=1)[-1])
        return int(found.group(1)) if found else 0

    return Path(max(candidates, key=version)).parent if candidates else None


@dataclass
class LocalPostgres:
    bin_dir: Path
    root: Path
    port: int
    run_as: tuple[str, ...]

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.run_as, str(self.bin_dir / program), *args],
            cwd=self.root,  # the postgres user may not be allowed into the test's folder
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    @classmethod
    def start(cls) -> LocalPostgres:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise PostgresUnavailable(INSTALL_HINT)
        root = Path(tempfile.mkdtemp(prefix="deskstretch-pg-"))
        run_as: tuple[str, ...] = ()
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable(
                    "running as root, PostgreSQL needs a 'postgres' user to run as (the "
                    "Debian package creates it: `make system-deps`)"
                ) from None
            os.chown(root, owner.pw_uid, owner.pw_gid)
            if shutil.which("runuser"):
                run_as = ("runuser", "-u", "postgres", "--")
            else:
                run_as = ("setpriv", f"--reuid={owner.pw_uid}", f"--regid={owner.pw_gid}")
                run_as += ("--init-groups", "--")
        server = cls(bin_dir, root, free_port(), run_as)
        data = str(root / "data")
        done = server._run(
            "initdb", "-D", data, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync"
        )
        if done.returncode != 0:
            shutil.rmtree(root, ignore_errors=True)
            raise PostgresUnavailable(f"initdb failed: {done.stderr.strip()[-800:]}")
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={server.port} "
            f"-c unix_socket_directories={root} -c max_connections=60"
        )
        log = str(root / "server.log")
        done = server._run(
            "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start"
        )
        if done.returncode != 0:
            text = Path(log).read_text(errors="replace") if Path(log).exists() else done.stderr
            shutil.rmtree(root, ignore_errors=True)
            raise PostgresUnavailable(f"PostgreSQL did not start: {text.strip()[-800:]}")
        return server

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
