"""The one place that opens the statistics database and runs (parameterised) queries."""

from __future__ import annotations

import os
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
