"""Shared fixtures: one read-only connection to the statistics database built from data/."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pytest

from core import db


@pytest.fixture(scope="session")
def con():
    """Read-only connection to data/legeplan.duckdb (built from the committed sources if needed)."""
    connection = db.connect()
    yield connection
    connection.close()


def round_half_up(x: float, decimals: int = 0) -> float:
    """Round as SSB publishes (half up), not Python's banker's rounding."""
    return float(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


@pytest.fixture(autouse=True, scope="session")
def _no_forward_message_cache():
    """AppTest cannot resolve Streamlit's cached-message references: send every element whole."""
    from streamlit import config

    config.set_option("global.minCachedMessageSize", 1e12)
    yield


@pytest.fixture(autouse=True)
def _own_user_database(tmp_path, monkeypatch):
    """What a test saves goes to its own database, never to data/brukerdata.duckdb (and parallel
    workers never share a file)."""
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(tmp_path / "brukerdata.duckdb"))
    monkeypatch.delenv(db.USER_DB_URL, raising=False)  # the DuckDB file unless a test asks for PostgreSQL


# --- the user store on both back ends: the DuckDB file and PostgreSQL (tests/pg_server.py) ------------------

@pytest.fixture(scope="session")
def pg_server_url():
    """A PostgreSQL server of Debian's package, started for this test session (per xdist worker) in a
    temporary directory and stopped after it. If it cannot be started the tests that need it FAIL;
    LEGEPLAN_TEST_SKIP_POSTGRES=1 skips them instead (on a machine without the package, locally)."""
    import subprocess

    from tests.pg_server import SKIP_ENV, PgServer

    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{SKIP_ENV}=1: PostgreSQL tests skipped")
    server = PgServer()
    try:
        url = server.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        server.stop()
        pytest.fail(f"PostgreSQL could not be started for the store tests (make test installs it: "
                    f"apt-get install -y postgresql); set {SKIP_ENV}=1 to skip them locally. {exc}")
    yield url
    from core import pgstore

    pgstore.close_pool()
    server.stop()


@pytest.fixture
def pg_url(pg_server_url):
    """The URL of a fresh, empty schema of the test server (dropped after the test)."""
    import psycopg

    from core import pgstore

    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    yield f"{pg_server_url}&options=-csearch_path%3D{schema}"
    pgstore.close_pool()
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        admin.execute("SET lock_timeout = '10s'")  # a connection left in a transaction must not hang the run
        try:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")
        except psycopg.errors.LockNotAvailable:
            pass  # the schema stays until the server is stopped at the end of the session


@dataclass(frozen=True)
class Store:
    """A user store for one test: `kind` is "duckdb" or "postgres"; `connect()` opens a new connection to
    it (as core.db.connect_user() does in the app: for "postgres" LEGEPLAN_USER_DB_URL is set)."""

    kind: str
    connect: Callable[[], object]


@pytest.fixture(params=["duckdb", "postgres"])
def user_store(request, tmp_path, monkeypatch):
    """The same store test on both back ends."""
    if request.param == "postgres":
        monkeypatch.setenv(db.USER_DB_URL, request.getfixturevalue("pg_url"))
        return Store("postgres", lambda: db.connect_user())
    path = tmp_path / "bruker.duckdb"
    return Store("duckdb", lambda: db.connect_user(path))


@pytest.fixture
def store_con(user_store):
    """A connection to the test's user store, on the DuckDB file and on PostgreSQL."""
    con = user_store.connect()
    yield con
    con.close()
