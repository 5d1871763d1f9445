"""The PostgreSQL connection (core/pgstore.py) answers as DuckDB does for what the store uses: placeholders and
types translated, a write's row count, .df() with DuckDB's dtypes, a cursor as its own transaction, and the
same exception classes (core.db.ConstraintError, ConflictError, MissingTableError, Error) on both back ends."""

from __future__ import annotations

import pandas as pd
import pytest

from core import db, pgstore

TABLE = ("CREATE TABLE t (i INTEGER PRIMARY KEY, n INTEGER, d DOUBLE, b BOOLEAN, nb BOOLEAN, ts TIMESTAMP, "
         "v VARCHAR)")
ROWS = [(1, None, 1.5, True, None, "2025-01-01 10:00:00", "x"), (2, 3, None, False, True, "2025-01-02 00:00:00", None)]


def test_placeholders_and_types_are_translated_outside_quotes_only():
    assert pgstore.to_postgres("SELECT ? WHERE a = ? AND b LIKE 'x?%'") == "SELECT %s WHERE a = %s AND b LIKE 'x?%%'"
    assert pgstore.to_postgres("CREATE TABLE t (x DOUBLE, y DOUBLE PRECISION, z double)") == \
        "CREATE TABLE t (x DOUBLE PRECISION, y DOUBLE PRECISION, z DOUBLE PRECISION)"
    assert pgstore.to_postgres("SELECT unnest(?::DOUBLE[]), 'DOUBLE', \"DOUBLE\"") == \
        "SELECT unnest(%s::DOUBLE PRECISION[]), 'DOUBLE', \"DOUBLE\""
    assert pgstore.to_postgres("SELECT 5 % 2") == "SELECT 5 %% 2"


def test_the_password_never_shows_in_the_connection_name():
    url = "postgresql://legeplan:hemmelig@db.kommune.no:5432/legeplan"
    assert "hemmelig" not in pgstore.redact(url) and pgstore.redact(url).startswith("postgresql://legeplan:***@")


@pytest.fixture
def both(tmp_path, pg_url, monkeypatch):
    """A DuckDB file and a PostgreSQL schema, each with the same table and rows."""
    monkeypatch.setenv(db.USER_DB_URL, pg_url)
    cons = {"duckdb": db.connect_user(tmp_path / "a.duckdb"), "postgres": db.connect_user()}
    for con in cons.values():
        con.execute(TABLE)
        for row in ROWS:
            con.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", list(row))
    yield cons
    for con in cons.values():
        con.close()


def test_connect_user_gives_postgres_only_with_the_url_and_no_path(both, tmp_path):
    assert db.is_postgres(both["postgres"]) and not db.is_postgres(both["duckdb"])
    with db.connect_user(tmp_path / "b.duckdb") as con:  # a path is a DuckDB file, URL or not
        assert not db.is_postgres(con)


def test_results_are_the_same_on_both(both):
    frames = {k: c.execute("SELECT * FROM t ORDER BY i").df() for k, c in both.items()}
    pd.testing.assert_frame_equal(frames["postgres"], frames["duckdb"])
    empty = {k: c.execute("SELECT i, d, b, ts FROM t WHERE i < 0").df() for k, c in both.items()}
    pd.testing.assert_frame_equal(empty["postgres"], empty["duckdb"])
    for con in both.values():
        assert con.execute("SELECT i, v FROM t ORDER BY i").fetchall() == [(1, "x"), (2, None)]
        assert con.execute("SELECT count(*) FROM t WHERE b").fetchone() == (1,)
        assert con.execute("UPDATE t SET n = n WHERE i > ?", [0]).fetchone() == (2,)  # a write: its row count
        assert con.cursor().execute("DELETE FROM t WHERE i = ?", [99]).fetchall() == [(0,)]


def test_the_same_errors_on_both(both):
    for kind, con in both.items():
        with pytest.raises(db.ConstraintError):
            con.execute("INSERT INTO t (i) VALUES (?)", [1])
        with pytest.raises(db.MissingTableError):
            con.execute("SELECT * FROM finnes_ikke")
        with pytest.raises(db.Error):
            con.execute("SELECT * FROM t WHERE")
        assert con.execute("SELECT count(*) FROM t").fetchone() == (2,), kind  # the connection is usable after


def test_a_cursor_is_its_own_transaction_and_write_is_all_or_nothing(both):
    for kind, con in both.items():
        cur = con.cursor()
        cur.execute("BEGIN TRANSACTION")
        cur.execute("INSERT INTO t (i) VALUES (10)")
        assert con.execute("SELECT count(*) FROM t").fetchone() == (2,), kind  # not seen before COMMIT
        cur.execute("COMMIT")
        cur.close()
        assert con.execute("SELECT count(*) FROM t").fetchone() == (3,), kind
        with pytest.raises(db.ConstraintError):
            db.write(con, [("INSERT INTO t (i) VALUES (?)", [11]), ("INSERT INTO t (i) VALUES (?)", [11])])
        assert con.execute("SELECT count(*) FROM t WHERE i = 11").fetchone() == (0,), kind


def test_mixed_lists_are_sent_as_one_type(both):
    """DuckDB takes a list of ints and floats as DOUBLE[]; PostgreSQL's arrays have one type, so the ints go
    as floats (and numpy scalars as Python's)."""
    import numpy as np

    assert pgstore._value([np.int64(1), 2.5, None, True]) == [1.0, 2.5, None, True]
    assert pgstore._value((np.float64(2.0), pd.Timestamp("2025-01-01"))) == [2.0, pd.Timestamp("2025-01-01")]
    for con in both.values():
        con.execute("CREATE TABLE u (x DOUBLE)")
        con.execute("INSERT INTO u SELECT unnest(?::DOUBLE[])", [[1, 2.5, None]])
        assert sorted(con.execute("SELECT x FROM u").fetchall(), key=repr) == [(1.0,), (2.5,), (None,)]


def test_connections_the_server_closed_are_replaced_outside_a_transaction(pg_url, monkeypatch):
    """After a database restart the pooled connections are dead: the next statement outside a transaction runs
    on a fresh connection instead of failing; inside a transaction the error is raised (work would be lost)."""
    import psycopg

    monkeypatch.setenv(db.USER_DB_URL, pg_url)
    cursors = [db.connect_user() for _ in range(3)]
    for cur in cursors:
        assert cur.execute("SELECT 1").fetchone() == (1,)
    in_transaction = db.connect_user()
    in_transaction.execute("BEGIN TRANSACTION")
    for cur in cursors:
        cur.close()  # back to the pool
    with psycopg.connect(pg_url, autocommit=True) as admin:  # the server drops every other connection
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE pid <> pg_backend_pid() AND datname = current_database()")
    with db.connect_user() as con:
        assert con.execute("SELECT 2").fetchone() == (2,)
        assert db.query(con, "SELECT 3 AS x")["x"].tolist() == [3]
    with pytest.raises(db.Error):
        in_transaction.execute("SELECT 4")
    in_transaction.close()
