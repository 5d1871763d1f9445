"""The user database on PostgreSQL: a connection that speaks the part of DuckDB's API the store uses.

With `LEGEPLAN_USER_DB_URL=postgresql://…` set, core.db.connect_user() returns a `PgConnection`
instead of a DuckDB connection, so that several Streamlit processes (and the command-line importer)
share one store. The modules that read and write user tables (core.scenarios, core.tiltak,
core.offices, core.import_store, core.userdb) are not changed for it: they use

- `con.execute(sql, params)` and `con.cursor().execute(sql, params)` followed by `.fetchone()`,
  `.fetchall()` or `.df()`, `BEGIN TRANSACTION` / `COMMIT` / `ROLLBACK` as statements,
  `.executemany(...)`, `.close()` and `with … as con:`;
- `?` placeholders (sent to PostgreSQL as psycopg's `%s`) and DuckDB's type name DOUBLE (sent as
  DOUBLE PRECISION);
- a write statement's `.fetchone()` being its row count, as DuckDB gives it;
- DuckDB's exception classes: a unique violation is raised as core.db.ConstraintError, a
  serialization failure or deadlock as core.db.ConflictError, a missing table as
  core.db.MissingTableError, every other database error as core.db.Error — the same classes the
  DuckDB back end raises, so one `except` serves both.

As in DuckDB, every cursor is its own session with its own transaction (here: its own PostgreSQL
connection, taken from a small per-process pool and given back on close), and a statement outside
BEGIN … COMMIT is a transaction of its own (autocommit).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import psycopg
from psycopg import errors as pgerrors

# --- the exceptions both back ends raise (DuckDB's own classes, so DuckDB needs no wrapper) ----------


class PgError(duckdb.Error):
    """An error from PostgreSQL, raised as DuckDB's base class (core.db.Error)."""


class PgConstraintError(duckdb.ConstraintException):
    """A unique, primary-key, not-null or check violation on PostgreSQL (core.db.ConstraintError)."""


class PgConflictError(duckdb.TransactionException):
    """A serialization failure or deadlock on PostgreSQL: retry the transaction (core.db.ConflictError)."""


class PgMissingTableError(duckdb.CatalogException):
    """A table or function that does not exist on PostgreSQL (core.db.MissingTableError)."""


def _translate(exc: psycopg.Error) -> duckdb.Error:
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, pgerrors.IntegrityError):
        return PgConstraintError(text)
    if isinstance(exc, pgerrors.SerializationFailure | pgerrors.DeadlockDetected | pgerrors.LockNotAvailable):
        return PgConflictError(text)
    if isinstance(exc, pgerrors.UndefinedTable | pgerrors.UndefinedFunction):
        return PgMissingTableError(text)
    return PgError(text)


# --- SQL: DuckDB's dialect as the store writes it → PostgreSQL's ------------------------------------------

_DOUBLE = re.compile(r"\bDOUBLE\b(?!\s+PRECISION)", re.IGNORECASE)


@lru_cache(maxsize=512)
def to_postgres(sql: str) -> str:
    """`?` → `%s` and `%` → `%%` (psycopg's placeholders), DOUBLE → DOUBLE PRECISION, outside quotes
    for the placeholders and types (a `%` is doubled everywhere: psycopg reads the whole text)."""
    out: list[str] = []
    plain: list[str] = []
    quote = ""

    def flush() -> None:
        if plain:
            out.append(_DOUBLE.sub("DOUBLE PRECISION", "".join(plain)))
            plain.clear()

    for ch in sql:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = ""
            continue
        if ch in ("'", '"'):
            flush()
            quote = ch
            out.append(ch)
        elif ch == "?":
            plain.append("%s")
        elif ch == "%":
            plain.append("%%")
        else:
            plain.append(ch)
    flush()
    return "".join(out)


def _value(v: Any) -> Any:
    """A parameter psycopg can send: numpy and pandas scalars as Python's, lists element by element
    (a list of ints and floats all as floats: PostgreSQL's arrays have one type)."""
    if isinstance(v, list | tuple):
        items = [_value(x) for x in v]
        if any(isinstance(x, float) for x in items):
            items = [float(x) if isinstance(x, int) and not isinstance(x, bool) else x for x in items]
        return items
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.to_pydatetime()
    if isinstance(v, np.generic):
        return v.item()
    return v


def _params(params: Sequence[Any] | None) -> list[Any]:
    return [_value(p) for p in (params or ())]


# --- results as DuckDB gives them: .df() with the same dtypes ---------------------------------------------

_INTS = {21: "int32", 23: "int32", 20: "int64"}  # int2, int4, int8
_FLOATS = {700, 701, 1700}  # float4, float8, numeric
_BOOL = 16
_TIMESTAMPS = {1114, 1184, 1082}  # timestamp, timestamptz, date


def _column(values: list[Any], type_code: int) -> pd.Series:
    has_null = any(v is None for v in values)
    if type_code in _INTS:
        dtype = _INTS[type_code]
        return pd.Series(values, dtype=dtype.capitalize() if has_null else dtype)
    if type_code in _FLOATS:
        return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
    if type_code == _BOOL:
        return pd.Series(values, dtype="boolean" if has_null else "bool")
    if type_code in _TIMESTAMPS:
        stamps = [None if v is None else (v if isinstance(v, datetime) else datetime.combine(v, datetime.min.time()))
                  for v in values]
        return pd.Series(pd.to_datetime(stamps), dtype="datetime64[us]") if values else pd.Series(
            [], dtype="datetime64[us]")
    if not values:
        return pd.Series([], dtype=object)
    if any(isinstance(v, Decimal | date) for v in values):
        return pd.Series(values, dtype=object)
    return pd.Series(values)


# --- a pool of PostgreSQL connections per URL, in this process ------------------------------------------

_POOL_LOCK = threading.Lock()
_POOL: dict[str, list[psycopg.Connection]] = {}
_POOL_PID = [os.getpid()]
POOL_KEEP = 8  # idle connections kept per URL


def _acquire(url: str) -> psycopg.Connection:
    with _POOL_LOCK:
        if _POOL_PID[0] != os.getpid():  # a forked child must not use its parent's sockets
            _POOL.clear()
            _POOL_PID[0] = os.getpid()
        free = _POOL.get(url, [])
        while free:
            conn = free.pop()
            if not conn.closed:
                return conn
    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.Error as exc:
        raise _translate(exc) from exc


def _release(url: str, conn: psycopg.Connection) -> None:
    if conn.closed or os.getpid() != _POOL_PID[0]:
        return
    try:
        if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            conn.rollback()
    except psycopg.Error:
        conn.close()
        return
    with _POOL_LOCK:
        free = _POOL.setdefault(url, [])
        if len(free) < POOL_KEEP:
            free.append(conn)
            return
    conn.close()


def close_pool() -> None:
    """Close this process's idle PostgreSQL connections (tests call it before stopping the server)."""
    with _POOL_LOCK:
        conns = [c for free in _POOL.values() for c in free]
        _POOL.clear()
    for c in conns:
        c.close()


# --- the DuckDB-like connection and cursor --------------------------------------------------------------


class PgCursor:
    """One session on the store (a pooled PostgreSQL connection) with DuckDB's result methods."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._conn: psycopg.Connection | None = _acquire(url)
        self._cur: psycopg.Cursor | None = None
        self._count: int | None = None

    def _live(self) -> psycopg.Connection:
        if self._conn is None:
            raise PgError("connection closed")
        return self._conn

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        query, values = to_postgres(sql), _params(params)
        for attempt in range(POOL_KEEP + 2):
            conn = self._live()
            idle = conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
            if self._cur is None:
                self._cur = conn.cursor()
            try:
                self._cur.execute(query, values)  # type: ignore[arg-type]
                break
            except psycopg.OperationalError as exc:
                # A pooled connection the server has closed (restarted, or idle too long): outside a
                # transaction nothing is lost, so the statement goes again on a fresh connection.
                if not (conn.broken and idle) or attempt == POOL_KEEP + 1:
                    raise _translate(exc) from exc
                self._cur = None
                conn.close()
                self._conn = _acquire(self._url)
            except psycopg.Error as exc:
                raise _translate(exc) from exc
        assert self._cur is not None
        self._count = None if self._cur.description is not None else max(self._cur.rowcount, 0)
        return self

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        conn = self._live()
        if self._cur is None:
            self._cur = conn.cursor()
        try:
            self._cur.executemany(to_postgres(sql), [_params(p) for p in seq])  # type: ignore[arg-type]
        except psycopg.Error as exc:
            raise _translate(exc) from exc
        self._count = max(self._cur.rowcount, 0)
        return self

    def fetchall(self) -> list[tuple[Any, ...]]:
        if self._count is not None:  # a write: DuckDB answers with its row count
            count, self._count = self._count, None
            return [(count,)]
        if self._cur is None or self._cur.description is None:
            return []
        try:
            return list(self._cur.fetchall())
        except psycopg.Error as exc:
            raise _translate(exc) from exc

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._count is not None:
            count, self._count = self._count, None
            return (count,)
        if self._cur is None or self._cur.description is None:
            return None
        try:
            return self._cur.fetchone()
        except psycopg.Error as exc:
            raise _translate(exc) from exc

    def df(self) -> pd.DataFrame:
        description = self._cur.description if self._cur is not None else None
        if description is None:
            return pd.DataFrame({"Count": [self._count or 0]})
        rows = self.fetchall()
        columns = [_column([r[i] for r in rows], d.type_code) for i, d in enumerate(description)]
        frame = pd.DataFrame({i: c for i, c in enumerate(columns)})
        frame.columns = [d.name for d in description]
        return frame

    fetchdf = df

    def begin(self) -> PgCursor:
        return self.execute("BEGIN TRANSACTION")

    def commit(self) -> PgCursor:
        return self.execute("COMMIT")

    def rollback(self) -> PgCursor:
        return self.execute("ROLLBACK")

    def cursor(self) -> PgCursor:
        return PgCursor(self._url)

    def close(self) -> None:
        if self._cur is not None:
            self._cur.close()
            self._cur = None
        if self._conn is not None:
            conn, self._conn = self._conn, None
            _release(self._url, conn)

    def __enter__(self) -> PgCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class PgConnection(PgCursor):
    """What core.db.connect_user() returns with LEGEPLAN_USER_DB_URL set: `execute` runs on the
    connection's own session, `cursor()` opens another one (its own transaction), as in DuckDB."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url

    def __repr__(self) -> str:
        return f"PgConnection({redact(self.url)})"


def redact(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
