"""The audit log: who changed what, when, in which kommune, with the values before and after.

Every allowed write in core (scenarios, the tiltak and prosjekt registers, office plans, imports and
restores, role changes) appends one row to `audit_log` (core.userdb migration 3): the person's id and
name, the time in UTC, the kommune (empty for a national statistics import, which every kommune sees),
the action (core.access.Action), the object's id and name, and the before and after values as JSON.
A refused write appends nothing (core.access.require runs before the write).

The log is append-only: this module only ever INSERTs into it, and no other module writes it
(tests/test_audit.py checks the source). Where the write is one `db.write` transaction the log row is
one more statement in it (`statement`); where the write is a single retried statement (core.scenarios)
the row is appended right after it (`record`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, is_dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from core import db, userdb, usertext
from core.access import ACTION_LABEL, Action, Principal, kommune_name
from core.i18n import N_, t
from core.ssb_readers import FASTLEGE, OWN, POPULATION, PROJECTION

COLUMNS = ("seq", "logged_at", "user_id", "user_name", "kommunenummer", "action", "object_id", "object_name",
           "before_json", "after_json")
INSERT = ("INSERT INTO audit_log (logged_at, user_id, user_name, kommunenummer, action, object_id, object_name, "
          "before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def now_utc() -> datetime:
    """The time now in UTC, without zone (as the log stores it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_json(value: object) -> str | None:
    """A before/after value as JSON (dataclasses as their fields; dates as ISO text); None stays None."""
    if value is None:
        return None
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def statement(actor: Principal, action: Action, kommunenummer: str | None, object_id: object = None,
              object_name: object = None, before: object = None, after: object = None,
              at: datetime | None = None) -> tuple[str, list[Any]]:
    """The INSERT of one log row, to run in the same transaction as the write it records."""
    return (INSERT, [at or now_utc(), actor.user_id, actor.display_name, kommunenummer, action.value,
                     None if object_id is None else str(object_id),
                     None if object_name is None else usertext.clean(object_name, multiline=False, max_len=200),
                     to_json(before), to_json(after)])


def record(con: duckdb.DuckDBPyConnection, actor: Principal, action: Action, kommunenummer: str | None,
           object_id: object = None, object_name: object = None, before: object = None,
           after: object = None) -> None:
    """Append one log row in its own transaction (right after a write that could not include it)."""
    userdb.ensure(con)
    db.write(con, [statement(actor, action, kommunenummer, object_id, object_name, before, after)])


# --- what a write's before and after are ------------------------------------------------------------

def scenario_state(scenario: object | None) -> dict[str, Any] | None:
    """A scenario (core.scenarios.Scenario) as logged: everything but the times, and whether it is deleted."""
    if scenario is None:
        return None
    data = asdict(scenario)  # type: ignore[call-overload]
    data.pop("created_at", None)
    data.pop("updated_at", None)
    return data


def scenario_deleted(con: duckdb.DuckDBPyConnection, scenario_id: str) -> bool:
    rows = db.query(con, "SELECT deleted_at FROM scenario WHERE id = ?", [scenario_id])
    return bool(len(rows)) and not pd.isna(rows["deleted_at"].iloc[0])


def scenario(con: duckdb.DuckDBPyConnection, actor: Principal, action: Action, before: object | None,
             after: object | None) -> None:
    """Log a scenario write (before/after: core.scenarios.Scenario, read around the write)."""
    target = after if after is not None else before
    if target is None:
        return
    states = []
    for s in (before, after):
        state = scenario_state(s)
        if state is not None and action in (Action.SCENARIO_DELETE, Action.SCENARIO_RESTORE):
            state["deleted"] = scenario_deleted(con, state["id"]) if s is after else action is Action.SCENARIO_RESTORE
        states.append(state)
    record(con, actor, action, target.kommunenummer, target.id, target.name, *states)  # type: ignore[attr-defined]


def register_change(before_rows: Iterable[object], changes: Sequence[tuple[str, str, object]],
                    version_before: int, version_after: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Before/after of a register save: the version, and each changed row as it was and as it is
    (a removed row's after is marked removed; an added row's before is absent)."""
    old = {r.row_id: r for r in before_rows}  # type: ignore[attr-defined]
    before: dict[str, Any] = {"versjon": version_before, "rader": {}}
    after: dict[str, Any] = {"versjon": version_after, "rader": {}, "endringer": []}
    for action, summary, row in changes:
        rid = row.row_id  # type: ignore[attr-defined]
        if rid in old:
            before["rader"][rid] = asdict(old[rid])  # type: ignore[call-overload]
        after["rader"][rid] = {**asdict(row), "fjernet": action == "fjernet"}  # type: ignore[call-overload]
        after["endringer"].append(summary)
    return before, after


def office_plan(con: duckdb.DuckDBPyConnection, kommunenummer: str, name: str) -> dict[str, Any] | None:
    """A saved office plan as logged (its offices and models), or None."""
    userdb.ensure(con)
    rows = db.query(con, "SELECT offices_json, models_json FROM office_plan WHERE kommunenummer = ? AND name = ?",
                    [kommunenummer, name])
    if rows.empty:
        return None
    return {"navn": name, "kontorer": json.loads(rows["offices_json"].iloc[0]),
            "modeller": json.loads(rows["models_json"].iloc[0])}


def import_action(dataset: str | None, restore: bool = False) -> Action:
    """The action an import (or restore) of a dataset is: the kommune's own figures, or national statistics."""
    if dataset == OWN:
        return Action.OWN_RESTORE if restore else Action.OWN_IMPORT
    return Action.NATIONAL_RESTORE if restore else Action.NATIONAL_IMPORT


def upload_kommuner(parsed: object) -> list[str]:
    """The kommuner an upload (core.ssb_readers.Parsed) has rows for."""
    frame = getattr(parsed, "frame", None)
    if frame is None or "kommunenummer" not in frame:
        return []
    return sorted({str(k) for k in frame["kommunenummer"].dropna()})


def one_kommune(kommuner: Sequence[str]) -> str | None:
    """The kommune of a log row: the one kommune a write touches, else none (shown under every kommune)."""
    return kommuner[0] if len(kommuner) == 1 else None


@dataclass(frozen=True)
class BatchScope:
    """An import batch: its dataset, the kommuner it has rows for, and how it is described."""

    batch_id: int
    dataset: str | None
    kommuner: tuple[str, ...]
    file_name: str | None
    active: bool | None


_ROW_TABLES = {FASTLEGE: "import_fastlege", POPULATION: "import_population", OWN: "import_own",
               PROJECTION: "import_projection"}  # as core.import_store.TABLES (which imports this module)


def batch_scope(con: duckdb.DuckDBPyConnection, batch_id: int) -> BatchScope:
    """What an import batch covers (an unknown batch: no dataset and no kommuner)."""
    userdb.ensure(con)
    head = db.query(con, "SELECT dataset, file_name, active FROM import_batch WHERE batch_id = ?", [batch_id])
    if head.empty:
        return BatchScope(batch_id, None, (), None, None)
    dataset = str(head["dataset"].iloc[0])
    table = _ROW_TABLES.get(dataset)
    knrs: list[str] = []
    if table is not None:
        rows = db.query(con, f"SELECT DISTINCT kommunenummer FROM {table} WHERE batch_id = ? "  # noqa: S608 - fixed
                             "ORDER BY kommunenummer", [batch_id])
        knrs = [str(k) for k in rows["kommunenummer"]]
    return BatchScope(batch_id, dataset, tuple(knrs), head["file_name"].iloc[0], bool(head["active"].iloc[0]))


def import_statement(actor: Principal, batch_id: int, parsed: object, file_name: str,
                     source_note: str) -> tuple[str, list[Any]]:
    """The log row of an import (in the import's transaction): the new batch, its file, rows and kommuner."""
    dataset = getattr(parsed, "dataset", None)
    kommuner = upload_kommuner(parsed)
    after = {"batch": batch_id, "datasett": dataset, "fil": usertext.clean(file_name, multiline=False, max_len=200),
             "rader": len(getattr(parsed, "frame", ())), "kilde": usertext.clean(source_note, max_len=500),
             "kommuner": kommuner, "aktiv": True}
    return statement(actor, import_action(dataset), one_kommune(kommuner), batch_id, after["fil"], None, after)


def batch_statement(actor: Principal, scope: BatchScope, active: bool) -> tuple[str, list[Any]]:
    """The log row of a batch put in or out of force (a restore), in the same transaction; nothing for an
    unknown batch (the update changes no row)."""
    if scope.dataset is None:
        return ("SELECT 1", [])
    base = {"batch": scope.batch_id, "datasett": scope.dataset, "kommuner": list(scope.kommuner)}
    return statement(actor, import_action(scope.dataset, restore=True), one_kommune(scope.kommuner), scope.batch_id,
                     scope.file_name, {**base, "aktiv": scope.active}, {**base, "aktiv": active})


# --- reading the log ------------------------------------------------------------------------------------

def entries(con: duckdb.DuckDBPyConnection, kommunenummer: str | None = None, user_id: str | None = None,
            limit: int | None = None) -> pd.DataFrame:
    """The log, newest first, optionally for one kommune (its rows and those for every kommune) and one person."""
    userdb.ensure(con)
    where, params = [], []
    if kommunenummer:
        where.append("(kommunenummer = ? OR kommunenummer IS NULL)")
        params.append(kommunenummer)
    if user_id:
        where.append("user_id = ?")
        params.append(user_id)
    sql = "SELECT * FROM audit_log" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY seq DESC"  # noqa: S608 - fixed text
    if limit:
        sql += f" LIMIT {int(limit)}"
    rows = db.query(con, sql, params)
    for col in ("kommunenummer", "object_id", "object_name", "before_json", "after_json"):
        rows[col] = rows[col].astype(object).where(rows[col].notna(), None)  # NULL as None, not NaN
    return rows


def people(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Everyone in the log: (user id, the newest name logged for them), by name."""
    userdb.ensure(con)
    rows = db.query(con, "SELECT user_id, arg_max(user_name, seq) AS user_name FROM audit_log GROUP BY user_id "
                         "ORDER BY 2, 1")
    return [(str(u), str(n)) for u, n in zip(rows["user_id"], rows["user_name"], strict=True)]


EXPORT_COLUMNS = (N_("Tid (UTC)"), N_("Person"), N_("Bruker-ID"), N_("Kommune"), N_("Handling"), N_("Objekt"),
                  N_("Objekt-ID"), N_("Før"), N_("Etter"))


def action_label(code: str) -> str:
    """An action code as a Norwegian label (an unknown code as it is)."""
    try:
        return t(ACTION_LABEL[Action(code)])
    except ValueError:
        return str(code)


def table(log: pd.DataFrame) -> pd.DataFrame:
    """The log as shown and exported: Norwegian column names, labels for actions and kommuner (values as stored;
    an export passes every text through core.usertext.for_cell)."""
    cols = [t(c) for c in EXPORT_COLUMNS]
    if log.empty:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame({
        cols[0]: pd.to_datetime(log["logged_at"]),
        cols[1]: log["user_name"].astype(str),
        cols[2]: log["user_id"].astype(str),
        cols[3]: [kommune_name(k) if isinstance(k, str) else t("alle kommuner") for k in log["kommunenummer"]],
        cols[4]: [action_label(a) for a in log["action"]],
        cols[5]: log["object_name"].fillna(""),
        cols[6]: log["object_id"].fillna(""),
        cols[7]: log["before_json"].fillna(""),
        cols[8]: log["after_json"].fillna(""),
    })
    return out.reset_index(drop=True)
