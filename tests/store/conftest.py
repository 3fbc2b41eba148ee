"""Store fixtures: every store test runs on SQLite (temp file) and on a real PostgreSQL server.

The server is started once per test session (or DESKSTRETCH_TEST_POSTGRES_URL is used) and
every test gets a fresh database on it. Missing PostgreSQL fails the tests, never skips them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from deskstretch.store import Store, open_store
from helpers.postgres_server import LocalPostgres, PostgresUnavailable
from helpers.store_factories import Backend

# Read at import: the autouse `dirs` fixture clears DESKSTRETCH_* variables for every test.
EXTERNAL_POSTGRES_URL = os.environ.get("DESKSTRETCH_TEST_POSTGRES_URL", "").strip()


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """URL of a database on the test server from which per-test databases are created."""
    if EXTERNAL_POSTGRES_URL:
        yield str(sa.make_url(EXTERNAL_POSTGRES_URL).set(drivername="postgresql+psycopg"))
        return
    try:
        server = LocalPostgres.start()
    except PostgresUnavailable as problem:
        pytest.fail(str(problem), pytrace=False)
    try:
        yield server.admin_url
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A fresh, empty database on the test server; dropped after the test."""
    name = f"deskstretch_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield (
            sa.make_url(postgres_admin_url).set(database=name).render_as_string(hide_password=False)
        )
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store' / 'deskstretch.sqlite3'}"


# The PostgreSQL half starts a real server: part of the slow layer that `make check` leaves out.
@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.e2e)])
def backend(request: pytest.FixtureRequest) -> Backend:
    name: Backend = request.param
    return name


@pytest.fixture
def db_url(backend: Backend, request: pytest.FixtureRequest) -> str:
    """The URL of an empty database on the backend under test."""
    fixture = "sqlite_url" if backend == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(db_url)
    try:
        yield opened
    finally:
        opened.close()
