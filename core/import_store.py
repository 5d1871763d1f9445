"""Imported statistics in the user database: versioned import batches, the data in force, the
difference a new file makes, all-or-nothing apply, and restoring the previous version.

Every import is a batch (id, dataset, file, loaded at, rows, source note, active) with its rows in
the dataset's table (import_fastlege, import_population, import_projection, import_own; defined in
core.userdb). The data in force for a *scope* (fastlege: kommune × year × måltall; population:
kommune × year × sex; projection: kommune; own data: kommune × type) is the newest active batch
that covers it, so deactivating a batch restores the previous version. The statistics database
(legeplan.duckdb) is rebuilt from committed sources and is never written. Uploads are parsed by
core.ssb_readers and core.own_figures; `parse_upload` sends any upload to the right one. Method in
docs/data.md.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from core import access, audit, db, upload_budget, userdb, usertext
from core.access import LOCAL_USER, Principal
from core.i18n import t
from core.own_figures import parse_own
from core.params import sanitize
from core.ssb_readers import (
    COLUMNS,
    FASTLEGE,
    KEYS,
    OWN,
    POPULATION,
    PROJECTION,
    VALUES,
    Parsed,
    Problem,
    empty_frame,
    is_excel,
    is_na,
    parse_ssb,
)

TABLES = {FASTLEGE: "import_fastlege", POPULATION: "import_population", OWN: "import_own",
          PROJECTION: "import_projection"}
SCOPE = {  # the unit a batch replaces: SQL over the row table, and the same in pandas
    FASTLEGE: ("kommunenummer", "year", "metric"),
    POPULATION: ("kommunenummer", "year", "sex"),
    OWN: ("kommunenummer", "kind"),
    PROJECTION: ("kommunenummer",),  # a new projection replaces the kommune's whole projection
}


def parse_upload(data: bytes, filename: str, kommuner: pd.DataFrame, dataset: str | None = None) -> Parsed:
    """Parse any upload: the own-figures template if its header says so, else an SSB export.

    Refused first when it breaks the upload budget (core.upload_budget: size, lines, cell length, a
    JSON-stat's declared cells, an .xlsx file's unpacked size and sheet extent)."""
    if (too_big := upload_budget.check_before(data)) is not None:
        return Parsed(dataset, empty_frame(dataset), (too_big,))
    if dataset == OWN:
        return parse_own(data, filename, kommuner)
    if dataset is None and data[:2000].lower().replace(b'"', b"").lstrip(b"\xef\xbb\xbf").startswith(b"type"):
        return parse_own(data, filename, kommuner)
    if dataset is None and is_excel(data):  # SSB's exports are CSV or JSON: a workbook is the template
        return parse_own(data, filename, kommuner)
    return parse_ssb(data, filename, kommuner, dataset)


def batches(con: duckdb.DuckDBPyConnection, dataset: str | None = None) -> pd.DataFrame:
    """Every import batch, newest first (batch_id, dataset, file_name, loaded_at, rows, source_note, active)."""
    userdb.ensure(con)
    where, params = ("WHERE dataset = ?", [dataset]) if dataset else ("", [])
    return db.query(con, f"SELECT * FROM import_batch {where} ORDER BY batch_id DESC", params)  # noqa: S608


def in_force(con: duckdb.DuckDBPyConnection, dataset: str, kommunenummer: str | None = None) -> pd.DataFrame:
    """The imported rows in force: per scope, the rows of the newest active batch that covers it."""
    userdb.ensure(con)
    table, scope = TABLES[dataset], ", ".join(f"r.{c}" for c in SCOPE[dataset])
    cols = ", ".join(c for c in (*COLUMNS[dataset], "batch_id"))
    where, params = ("AND r.kommunenummer = ?", [kommunenummer]) if kommunenummer else ("", [])
    sql = f"""SELECT {cols} FROM (
                SELECT r.*, max(r.batch_id) OVER (PARTITION BY {scope}) AS newest
                FROM {table} r JOIN import_batch b USING (batch_id) WHERE b.active {where}) latest
              WHERE batch_id = newest ORDER BY {', '.join(KEYS[dataset])}"""  # noqa: S608 - fixed names
    return db.query(con, sql, params)


def imported_fastlege(con_user: duckdb.DuckDBPyConnection, kommunenummer: str) -> pd.DataFrame:
    """Imported 12005 values in force for a kommune, shaped like the bundled `fastlege` table."""
    df = in_force(con_user, FASTLEGE, kommunenummer)
    df = df[df["value"].notna()]
    return df[["kommunenummer", "year", "metric", "ssb_code", "value"]].reset_index(drop=True)


def imported_population(con_user: duckdb.DuckDBPyConnection, kommunenummer: str) -> pd.DataFrame:
    """Imported 07459 population in force for a kommune (kommunenummer, year, sex, age, population)."""
    df = in_force(con_user, POPULATION, kommunenummer)
    df = df[df["population"].notna()]
    return df[["kommunenummer", "year", "sex", "age", "population"]].reset_index(drop=True)


def imported_own(con_user: duckdb.DuckDBPyConnection, kommunenummer: str, kind: str | None = None) -> pd.DataFrame:
    """The kommune's own figures in force (kind, year, office, list_id, list_cap, patients, count, note)."""
    df = in_force(con_user, OWN, kommunenummer)
    if kind:
        df = df[df["kind"] == kind]
    return df.drop(columns=["source_row", "batch_id"]).reset_index(drop=True)


def current(con_stats: duckdb.DuckDBPyConnection | None, con_user: duckdb.DuckDBPyConnection | None,
            parsed: Parsed, imported: pd.DataFrame | None = None) -> pd.DataFrame:
    """What is loaded now for the scopes the upload covers: imported rows in force, else the bundled ones.

    `imported`: the dataset's rows in force (in_force), when already read; then con_user is not used
    (the command line reads them on a short connection and does the rest without the user database)."""
    dataset = parsed.dataset or ""
    scope_cols = list(SCOPE[dataset])
    scopes = parsed.frame[scope_cols].drop_duplicates()
    if imported is None:
        assert con_user is not None, "current() needs con_user or imported"
        imported = in_force(con_user, dataset)
    imported = imported.merge(scopes, on=scope_cols) if len(imported) else imported
    covered = imported[scope_cols].drop_duplicates() if len(imported) else scopes.iloc[0:0]
    bundled = _bundled(con_stats, dataset, scopes)
    if len(bundled) and len(covered):
        bundled = bundled.merge(covered, on=scope_cols, how="left", indicator=True)
        bundled = bundled[bundled["_merge"] == "left_only"].drop(columns="_merge")
    cols = [c for c in COLUMNS[dataset] if c != "source_row"]
    parts = [f[cols] for f in (imported.reindex(columns=cols), bundled.reindex(columns=cols)) if len(f)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)


def _bundled(con: duckdb.DuckDBPyConnection | None, dataset: str, scopes: pd.DataFrame) -> pd.DataFrame:
    if con is None or dataset in (OWN, PROJECTION) or scopes.empty:
        return pd.DataFrame()
    knrs = sorted(set(scopes["kommunenummer"]))
    if dataset == FASTLEGE:
        df = db.query(con, "SELECT kommunenummer, year, metric, ssb_code, value, NULL AS missing_reason "
                           "FROM fastlege WHERE list_contains(?, kommunenummer)", [knrs])
    else:
        df = db.query(con, "SELECT kommunenummer, year, sex, age, population, NULL AS missing_reason "
                           "FROM population_single_age WHERE list_contains(?, kommunenummer)", [knrs])
    return df.merge(scopes, on=list(SCOPE[dataset]))


def diff(parsed: Parsed, loaded: pd.DataFrame) -> pd.DataFrame:
    """Row by row: the key, «ny», «endret», «fjernet» or «uendret», the loaded and the new value(s)."""
    dataset = parsed.dataset or ""
    keys, values = list(KEYS[dataset]), list(VALUES[dataset])
    new = parsed.frame[keys + values].copy()
    old = loaded.reindex(columns=keys + values).copy()
    for frame in (new, old):
        for k in keys:
            frame[k] = frame[k].astype(object).where(frame[k].notna(), None)
            if k in ("year", "age", "age_to"):
                frame[k] = frame[k].map(lambda v: None if v is None else int(v))
    merged = old.merge(new, on=keys, how="outer", suffixes=("_før", "_ny"), indicator=True)

    def same(a: object, b: object) -> bool:
        if is_na(a) and is_na(b):
            return True
        if is_na(a) or is_na(b):
            return False
        if isinstance(a, float | int) and isinstance(b, float | int):
            return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
        return str(a) == str(b)

    def status(r: pd.Series) -> str:
        if r["_merge"] == "right_only":
            return "ny"
        if r["_merge"] == "left_only":
            return "fjernet"
        return "uendret" if all(same(r[f"{v}_før"], r[f"{v}_ny"]) for v in values) else "endret"

    merged["endring"] = merged.apply(status, axis=1) if len(merged) else pd.Series(dtype=str)
    return merged.drop(columns="_merge").sort_values(keys).reset_index(drop=True)


def summarize(changes: pd.DataFrame) -> dict[str, int]:
    """Rows per kind of change: {'ny': n, 'endret': n, 'fjernet': n, 'uendret': n}."""
    counts = changes["endring"].value_counts() if len(changes) else pd.Series(dtype=int)
    return {k: int(counts.get(k, 0)) for k in ("ny", "endret", "fjernet", "uendret")}


@dataclass(frozen=True)
class Prepared:
    """A validated upload made ready to store, before the user database is opened: its batch row
    (everything but the id) and its rows as a frame with the table's column types."""

    dataset: str
    batch: tuple[Any, ...]  # dataset, file name, loaded at, rows, source note, file format
    rows: pd.DataFrame
    log: Callable[[int], tuple[str, list[Any]]]  # batch id → the audit log row, written in the same transaction


def _type(dataset: str, col: str) -> str:
    if col in ("year", "age", "age_to", "source_row"):
        return "INTEGER"
    if col in ("value", "population", "list_cap", "patients", "count"):
        return "DOUBLE"
    return "VARCHAR"


_PANDAS = {"INTEGER": "Int64", "DOUBLE": "Float64", "VARCHAR": "object"}


def _column(series: pd.Series, sql_type: str) -> pd.Series:
    if sql_type == "VARCHAR":
        return series.astype(object).where(series.notna(), None).map(lambda v: None if v is None else str(v))
    return pd.to_numeric(series, errors="raise").astype(_PANDAS[sql_type])


def prepare(parsed: Parsed, file_name: str, source_note: str, now: datetime | None = None, *,
            actor: Principal = LOCAL_USER) -> Prepared:
    """Everything `store` needs, done without the user database: text cleaned, columns typed.
    Refused (access.AccessDenied) unless `actor` may import the dataset for every kommune in it."""
    access.require_all(actor, audit.import_action(parsed.dataset), audit.upload_kommuner(parsed))
    dataset = parsed.dataset or ""
    cols = list(COLUMNS[dataset])
    rows = pd.DataFrame({c: _column(parsed.frame[c], _type(dataset, c)) for c in cols})
    loaded_at = (now or datetime.now()).replace(microsecond=0)
    batch = (dataset, usertext.clean(file_name, multiline=False, max_len=200), loaded_at, len(rows),
             usertext.clean(source_note, max_len=500), parsed.file_format)
    return Prepared(dataset, batch, rows,
                    lambda batch_id: audit.import_statement(actor, batch_id, parsed, file_name, source_note))


_FRAME = "_legeplan_rows"  # the prepared rows, registered as a view in DuckDB


def _row_statements(batch_id: int, prepared: Prepared) -> list[tuple[str, Sequence[Any]]]:
    """The rows' INSERT … SELECT from the prepared frame (registered as _legeplan_rows)."""
    table, cols = TABLES[prepared.dataset], list(COLUMNS[prepared.dataset])
    select = ", ".join(f"CAST(\"{c}\" AS {_type(prepared.dataset, c)})" for c in cols)
    return [(f"INSERT INTO {table} (batch_id, {', '.join(cols)}) "  # noqa: S608 - fixed names
             f"SELECT ?, {select} FROM _legeplan_rows", [batch_id])]


def _insert_rows(cur: Any, batch_id: int, prepared: Prepared) -> None:
    """The rows as parameters of one executemany (back ends without DuckDB's frame registration)."""
    table, cols = TABLES[prepared.dataset], list(COLUMNS[prepared.dataset])
    marks = ", ".join("?" for _ in range(len(cols) + 1))
    frame = prepared.rows.astype(object).where(prepared.rows.notna(), None)
    cur.executemany(f"INSERT INTO {table} (batch_id, {', '.join(cols)}) VALUES ({marks})",  # noqa: S608
                    [[batch_id, *row] for row in frame.itertuples(index=False, name=None)])


def store(con: duckdb.DuckDBPyConnection, prepared: Prepared, attempts: int = 5) -> int:
    """Write a prepared upload as a new active batch in one short transaction; returns its id.

    The rows go in as one INSERT … SELECT from the prepared frame (a million rows: about a second),
    so the user database is held only that long. The id is taken inside the transaction; two imports
    at once conflict in DuckDB and the loser tries again.
    """
    userdb.ensure(con)
    for attempt in range(attempts):
        cur = con.cursor()
        try:
            if hasattr(cur, "register"):
                cur.register(_FRAME, prepared.rows)
            cur.execute("BEGIN TRANSACTION")
            try:
                row = cur.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM import_batch").fetchone()
                batch_id = int(row[0]) if row else 1
                cur.execute("INSERT INTO import_batch VALUES (?, ?, ?, ?, ?, ?, ?, TRUE)", [batch_id, *prepared.batch])
                for sql, params in _row_statements(batch_id, prepared):
                    if _FRAME in sql and not hasattr(cur, "register"):
                        _insert_rows(cur, batch_id, prepared)  # PostgreSQL (core.pgstore): one executemany
                    else:  # DuckDB: one INSERT … SELECT from the registered frame
                        cur.execute(sql, list(params))
                sql, params = prepared.log(batch_id)
                cur.execute(sql, list(params))
                cur.execute("COMMIT")
                return batch_id
            except BaseException:
                with contextlib.suppress(duckdb.Error):  # a failed COMMIT has already rolled back
                    cur.execute("ROLLBACK")
                raise
        except (duckdb.TransactionException, duckdb.ConstraintException):
            if attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
        finally:
            cur.close()
    raise AssertionError("unreachable")  # pragma: no cover


def apply(con: duckdb.DuckDBPyConnection, parsed: Parsed, file_name: str, source_note: str,
          now: datetime | None = None, *, actor: Principal = LOCAL_USER) -> tuple[int | None, list[Problem]]:
    """Store a validated upload as a new active batch, all or nothing: (batch id, []) or (None, problems).
    Refused (access.AccessDenied) unless `actor` may import the dataset for every kommune in it."""
    access.require_all(actor, audit.import_action(parsed.dataset), audit.upload_kommuner(parsed))
    if not parsed.ok:
        return None, parsed.errors or [Problem(None, None, t("Det er ingen gyldige rader å laste inn."))]
    try:
        return store(con, prepare(parsed, file_name, source_note, now, actor=actor)), []
    except duckdb.Error as exc:
        return None, [Problem(None, None, t("Innlastingen ble avbrutt og ingenting ble lagret ({error}).",
                                            error=sanitize(str(exc).splitlines()[0][:200])))]


def set_active(con: duckdb.DuckDBPyConnection, batch_id: int, active: bool, *,
               actor: Principal = LOCAL_USER) -> None:
    """Mark one batch active or inactive (in one transaction)."""
    scope = audit.batch_scope(con, batch_id)
    access.require_all(actor, audit.import_action(scope.dataset, restore=True), scope.kommuner)
    db.write(con, [("UPDATE import_batch SET active = ? WHERE batch_id = ?", [active, batch_id]),
                   audit.batch_statement(actor, scope, active)])


def restore_previous(con: duckdb.DuckDBPyConnection, dataset: str, *, actor: Principal = LOCAL_USER) -> int | None:
    """Deactivate the newest active batch of a dataset, so the version before it is in force again.

    Returns the id of the deactivated batch, or None when there was no active batch.
    """
    b = batches(con, dataset)
    active = b[b["active"]]
    if active.empty:
        return None
    newest = int(active["batch_id"].iloc[0])
    set_active(con, newest, False, actor=actor)
    return newest
