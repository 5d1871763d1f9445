"""The PostgreSQL server the store tests start (tests/pg_server.py): started from Debian's package in a
temporary directory, answering on its socket and on 127.0.0.1, and gone after stop()."""

from __future__ import annotations

import os
import socket

import psycopg
import pytest

from tests.pg_server import SKIP_ENV, PgServer, bin_dir


def test_a_server_starts_in_a_temporary_directory_and_is_gone_after_stop():
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{SKIP_ENV}=1")
    assert bin_dir() is not None, "PostgreSQL is not installed: make test installs it (apt-get install postgresql)"
    server = PgServer()
    try:
        url = server.start()
        with psycopg.connect(url) as con:
            assert con.execute("SELECT current_database()").fetchone() == ("legeplan",)
        with psycopg.connect(f"postgresql://legeplan@127.0.0.1:{server.port}/legeplan") as con:
            assert con.execute("SELECT 1 + 1").fetchone() == (2,)
        assert (server.data / "PG_VERSION").exists()
    finally:
        server.stop()
    assert not server.root.exists()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", server.port)) != 0
