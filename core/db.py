"""The one place that opens the statistics database and runs (parameterised) queries."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DB = DATA_DIR / "legeplan.duckdb"


def db_path() -> Path:
    """Path of the statistics database (env LEGEPLAN_DB overrides the default)."""
    return Path(os.environ.get("LEGEPLAN_DB", DEFAULT_DB))


def ensure_built(path: Path | None = None) -> Path:
    """Build the database from data/ sources if it is missing or stale; return its path."""
    from data import build  # local import: importing core.db does no work

    target = path or db_path()
    if build.needs_build(target):
        build.build(target)
    return target


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the statistics database, building it first if needed."""
    target = ensure_built(path)
    return duckdb.connect(str(target), read_only=True)


def query(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    """Run parameterised SQL on its own cursor (safe across threads) and return a DataFrame."""
    cur = con.cursor()
    try:
        return cur.execute(sql, list(params)).df()
    finally:
        cur.close()


# --- what users save (not the statistics: the statistics database is rebuilt from sources) ----

DEFAULT_USER_DB = DATA_DIR / "brukerdata.duckdb"


def user_db_path() -> Path:
    """Path of the database of what users save (env LEGEPLAN_USER_DB overrides the default)."""
    return Path(os.environ.get("LEGEPLAN_USER_DB", DEFAULT_USER_DB))


USER_DB_URL = "LEGEPLAN_USER_DB_URL"


def user_db_url() -> str | None:
    """The PostgreSQL store shared by several processes (env LEGEPLAN_USER_DB_URL=postgresql://…), or
    None for the DuckDB file (the default)."""
    url = os.environ.get(USER_DB_URL, "").strip()
    return url or None


# The errors both back ends of the user database raise (core.pgstore raises subclasses of these for
# PostgreSQL), so that one `except` serves both:
Error = duckdb.Error  # any database error
ConstraintError = duckdb.ConstraintException  # a unique (or other) constraint refused the write
ConflictError = duckdb.TransactionException  # another session's transaction conflicted: try again
MissingTableError = duckdb.CatalogException  # the table does not exist (yet)


def is_postgres(con: object) -> bool:
    """Whether `con` is a connection (or cursor) to the PostgreSQL store."""
    from core import pgstore

    return isinstance(con, pgstore.PgCursor)


_CONNECT_ATTEMPTS = 40
LOCK_WAIT = 3.0  # seconds a connection waits for another process (the command-line importer) to let go


class UserDbBusy(duckdb.IOException):
    """Another process (the command-line importer, say) holds the user database; it still did after
    LOCK_WAIT seconds of trying again. The UI says «En import pågår – prøv igjen om litt»."""


def _locked(exc: duckdb.Error) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def connect_user(path: Path | None = None, lock_wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the user database, created if missing (close it after use).

    Without `path` and with LEGEPLAN_USER_DB_URL set, a connection to the PostgreSQL store that
    offers the part of DuckDB's API the store uses (core.pgstore); a `path` is always a DuckDB file.

    Sessions of one server open and close connections from several threads at once; DuckDB then
    sometimes refuses a connection made while another thread's last one is closing ("Unique file
    handle conflict"). That is momentary, so the connection is tried again after a short pause.
    Another process that has the file open (the command-line importer writes for a second or two)
    is waited for up to `lock_wait` seconds (LOCK_WAIT); after that UserDbBusy is raised.
    """
    url = user_db_url() if path is None else None
    if url is not None:
        from core import pgstore  # psycopg is imported only when the store is PostgreSQL

        return pgstore.PgConnection(url)  # type: ignore[return-value]
    target = path or user_db_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + (LOCK_WAIT if lock_wait is None else lock_wait)
    attempt = 0
    while True:
        try:
            return duckdb.connect(str(target))
        except duckdb.ResourceInUseException:
            attempt += 1
            if attempt >= _CONNECT_ATTEMPTS:
                raise
            time.sleep(0.005 * attempt)
        except duckdb.IOException as exc:
            if not _locked(exc):
                raise
            if time.monotonic() >= deadline:
                raise UserDbBusy(str(exc)) from exc
            time.sleep(0.05)


def write(con: duckdb.DuckDBPyConnection, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
    """Run parameterised statements in one transaction: all of them or none."""
    cur = con.cursor()
    try:
        cur.execute("BEGIN TRANSACTION")
        try:
            for sql, params in statements:
                cur.execute(sql, list(params))
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")
    finally:
        cur.close()
