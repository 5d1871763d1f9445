"""Saved scenarios: every lever of every page for one kommune, with a name, a description and the
data version it was made with, stored in the user database (core.db.connect_user).

A scenario's content is what each page keeps in its link: {page: {url key: value}}; opening a
scenario puts those values back, so it reproduces exactly what the links would. Deleting is soft
(`deleted_at`), so it can be undone. Every write is one transaction; writers from several
sessions at once each get their own rows, and a transaction conflict is retried.

Concurrency tells the truth (core.userdb migration 2):
- A name is unique per kommune among scenarios that are not deleted, decided by the database's unique
  index: of two sessions saving one name at once, one gets the scenario and the other a message
  (the check before the insert only gives the message early).
- Every scenario has a `version`, raised by every change. An update or rename given the version the
  user opened is refused (`StaleScenario`) if the row has changed since: the update is one
  `UPDATE … WHERE id = ? AND version = ?`, so it either applies to the version read or changes nothing.
- Updating, renaming or deleting a scenario that is gone (or deleted) is refused, not reported done.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from core import access, audit, db, userdb, usertext
from core.access import LOCAL_USER, Action, Principal
from core.i18n import t

MAX_NAME = 80
MAX_DESCRIPTION = 2000
MAX_CONTENT = 200_000  # characters of JSON: far more than every lever of every page


@dataclass(frozen=True)
class Scenario:
    """One saved scenario (content: page → URL key → value, all strings)."""

    id: str
    kommunenummer: str
    name: str
    description: str
    content: dict[str, dict[str, str]]
    data_version: str
    created_at: datetime
    updated_at: datetime
    version: int = 1


class ScenarioError(ValueError):
    """A scenario operation refused, with a Norwegian message for the user."""


class StaleScenario(ScenarioError):
    """An update refused because someone else changed the scenario after it was opened."""


def clean_name(raw: object) -> str:
    """A scenario name: trimmed, one line, at most MAX_NAME characters; refused if empty."""
    name = " ".join(usertext.clean(raw, multiline=False).split())[:MAX_NAME]
    if not name:
        raise ScenarioError(t("Scenarioet må ha et navn."))
    return name


def clean_content(content: Mapping[str, Mapping[str, object]]) -> dict[str, dict[str, str]]:
    """Page → key → value as strings; refused if it is not such a mapping or far too large."""
    if not isinstance(content, Mapping):
        raise ScenarioError(t("Innholdet i scenarioet er ikke gyldig."))
    out: dict[str, dict[str, str]] = {}
    for page, values in content.items():
        if not isinstance(values, Mapping):
            raise ScenarioError(t("Innholdet i scenarioet er ikke gyldig."))
        out[str(page)] = {str(k): str(v) for k, v in values.items()}
    if len(json.dumps(out)) > MAX_CONTENT:
        raise ScenarioError(t("Scenarioet er for stort til å lagres."))
    return out


def _ensure(con: duckdb.DuckDBPyConnection) -> None:
    userdb.ensure(con)  # the table `scenario` is defined in core.userdb


def _retry(action: Callable[[], object], attempts: int = 8) -> object:
    """Run a write; a DuckDB transaction conflict with another session is retried after a pause."""
    for i in range(attempts):
        try:
            return action()
        except db.ConflictError:
            if i == attempts - 1:
                raise
            time.sleep(0.01 * (i + 1))
    return None


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _name_taken(name: str) -> ScenarioError:
    return ScenarioError(t("Det finnes allerede et scenario som heter «{name}» for denne kommunen.", name=name))


def _gone() -> ScenarioError:
    return ScenarioError(t("Scenarioet finnes ikke lenger."))


def _stale() -> StaleScenario:
    return StaleScenario(t("Scenarioet er endret av noen andre siden du åpnet det."))


def _changed(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> int:
    """Run one write statement (its own transaction) and return how many rows it changed."""
    cur = con.cursor()
    try:
        row = cur.execute(sql, params).fetchone()
        return int(row[0]) if row else 0
    finally:
        cur.close()


def _update_row(con: duckdb.DuckDBPyConnection, scenario_id: str, sets: str, params: list[object],
                expected_version: int | None, name: str | None = None) -> int:
    """Change a live scenario (`sets`: «col = ?, …») and raise its version; returns the new version.

    With `expected_version`, only that version is changed; otherwise the current one. Refused if the
    scenario is gone or deleted, if it changed since `expected_version`, or (name given) if another
    live scenario has the name.
    """
    def attempt() -> int:
        current = _live_version(con, scenario_id)
        if current is None:
            raise _gone()
        if expected_version is not None and current != expected_version:
            raise _stale()
        try:
            n = _changed(con, f"UPDATE scenario SET {sets}, version = version + 1 "  # noqa: S608 - fixed text
                              "WHERE id = ? AND version = ? AND deleted_at IS NULL",
                         [*params, scenario_id, current])
        except db.ConstraintError:
            raise _name_taken(name or "") from None
        if n == 0:  # changed or deleted between the read and the write
            if _live_version(con, scenario_id) is None:
                raise _gone()
            raise _stale()
        return current + 1

    return int(_retry(attempt))  # type: ignore[arg-type]


def _live_version(con: duckdb.DuckDBPyConnection, scenario_id: str) -> int | None:
    rows = db.query(con, "SELECT version FROM scenario WHERE id = ? AND deleted_at IS NULL", [scenario_id])
    return int(rows["version"].iloc[0]) if len(rows) else None


def _taken(con: duckdb.DuckDBPyConnection, kommunenummer: str, name: str, except_id: str | None = None) -> bool:
    rows = db.query(con, "SELECT id FROM scenario WHERE kommunenummer = ? AND lower(name) = lower(?) "
                         "AND deleted_at IS NULL", [kommunenummer, name])
    return any(r != except_id for r in rows["id"])


def save(con: duckdb.DuckDBPyConnection, kommunenummer: str, name: str, description: str,
         content: Mapping[str, Mapping[str, object]], data_version: str, *, actor: Principal = LOCAL_USER) -> str:
    """Save a new scenario; returns its id. A name already used in the kommune is refused."""
    access.require(actor, Action.SCENARIO_SAVE, kommunenummer)
    _ensure(con)
    name = clean_name(name)
    body = json.dumps(clean_content(content), ensure_ascii=False, sort_keys=True)
    text = usertext.clean(description, max_len=MAX_DESCRIPTION)
    sid = uuid.uuid4().hex
    if _taken(con, kommunenummer, name):
        raise _name_taken(name)
    now = _now()
    try:
        _retry(lambda: db.write(con, [(
            "INSERT INTO scenario (id, kommunenummer, name, description, content, data_version, created_at, "
            "updated_at, deleted_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 1)",
            (sid, kommunenummer, name, text, body, data_version, now, now))]))
    except db.ConstraintError:  # another session saved the name between the check and the insert
        raise _name_taken(name) from None
    audit.scenario(con, actor, Action.SCENARIO_SAVE, None, get(con, sid))
    return sid


def _allow(con: duckdb.DuckDBPyConnection, actor: Principal, action: Action, scenario_id: str) -> Scenario | None:
    """The scenario before a write, once `actor` may do `action` in its kommune (access.AccessDenied if not);
    None if it is gone (the write then says so)."""
    before = get(con, scenario_id)
    if before is not None:
        access.require(actor, action, before.kommunenummer)
    return before


def _row_to_scenario(row: pd.Series) -> Scenario:
    return Scenario(str(row["id"]), str(row["kommunenummer"]), str(row["name"]), str(row["description"]),
                    json.loads(row["content"]), str(row["data_version"]),
                    row["created_at"].to_pydatetime(), row["updated_at"].to_pydatetime(), int(row["version"]))


def list_for(con: duckdb.DuckDBPyConnection, kommunenummer: str) -> list[Scenario]:
    """The kommune's scenarios that are not deleted, newest first."""
    _ensure(con)
    rows = db.query(con, "SELECT * FROM scenario WHERE kommunenummer = ? AND deleted_at IS NULL "
                         "ORDER BY updated_at DESC, name", [kommunenummer])
    return [_row_to_scenario(r) for _, r in rows.iterrows()]


def get(con: duckdb.DuckDBPyConnection, scenario_id: str) -> Scenario | None:
    """One scenario (also a deleted one, so that undo can show it), or None."""
    _ensure(con)
    rows = db.query(con, "SELECT * FROM scenario WHERE id = ?", [scenario_id])
    return _row_to_scenario(rows.iloc[0]) if len(rows) else None


def rename(con: duckdb.DuckDBPyConnection, scenario_id: str, name: str, description: str | None = None,
           expected_version: int | None = None, *, actor: Principal = LOCAL_USER) -> int:
    """Give a scenario a new name (and description, if given); returns its new version.

    Refused if it is gone or deleted, if the name is taken, or if it changed since `expected_version`."""
    current = _allow(con, actor, Action.SCENARIO_RENAME, scenario_id)
    if current is None or _live_version(con, scenario_id) is None:
        raise _gone()
    name = clean_name(name)
    if _taken(con, current.kommunenummer, name, except_id=scenario_id):
        raise _name_taken(name)
    if description is None:
        new = _update_row(con, scenario_id, "name = ?, updated_at = ?", [name, _now()], expected_version, name)
    else:
        text = usertext.clean(description, max_len=MAX_DESCRIPTION)
        new = _update_row(con, scenario_id, "name = ?, description = ?, updated_at = ?", [name, text, _now()],
                          expected_version, name)
    audit.scenario(con, actor, Action.SCENARIO_RENAME, current, get(con, scenario_id))
    return new


def update_content(con: duckdb.DuckDBPyConnection, scenario_id: str,
                   content: Mapping[str, Mapping[str, object]], data_version: str,
                   expected_version: int | None = None, *, actor: Principal = LOCAL_USER) -> int:
    """Overwrite a scenario's levers with the current ones (and the current data version); returns
    its new version. Refused (StaleScenario) if it changed since `expected_version`, the version the
    user opened; refused if it is gone or deleted."""
    before = _allow(con, actor, Action.SCENARIO_UPDATE, scenario_id)
    body = json.dumps(clean_content(content), ensure_ascii=False, sort_keys=True)
    new = _update_row(con, scenario_id, "content = ?, data_version = ?, updated_at = ?",
                      [body, data_version, _now()], expected_version)
    audit.scenario(con, actor, Action.SCENARIO_UPDATE, before, get(con, scenario_id))
    return new


update = update_content


def duplicate(con: duckdb.DuckDBPyConnection, scenario_id: str, *, actor: Principal = LOCAL_USER) -> str:
    """A copy named «… (kopi)», «… (kopi 2)» …; returns the new id."""
    source = _allow(con, actor, Action.SCENARIO_SAVE, scenario_id)
    if source is None:
        raise ScenarioError(t("Scenarioet finnes ikke lenger."))
    name = copy_name(con, source.kommunenummer, source.name)
    return save(con, source.kommunenummer, name, source.description, source.content, source.data_version,
                actor=actor)


def copy_name(con: duckdb.DuckDBPyConnection, kommunenummer: str, name: str) -> str:
    """The first free name of «… (kopi)», «… (kopi 2)» … in the kommune (saving it may still be refused if
    another session takes it first)."""
    _ensure(con)
    n, candidate = 1, t("{name} (kopi)", name=name)
    while _taken(con, kommunenummer, candidate):
        n += 1
        candidate = t("{name} (kopi {n})", name=name, n=n)
    return candidate


def delete(con: duckdb.DuckDBPyConnection, scenario_id: str, *, actor: Principal = LOCAL_USER) -> None:
    """Delete a scenario (it can be brought back with `undelete`); refused if it is gone or deleted."""
    before = _allow(con, actor, Action.SCENARIO_DELETE, scenario_id)
    n = _retry(lambda: _changed(con, "UPDATE scenario SET deleted_at = ?, version = version + 1 "
                                     "WHERE id = ? AND deleted_at IS NULL", [_now(), scenario_id]))
    if not n:
        raise _gone()
    audit.scenario(con, actor, Action.SCENARIO_DELETE, before, get(con, scenario_id))


def undelete(con: duckdb.DuckDBPyConnection, scenario_id: str, *, actor: Principal = LOCAL_USER) -> None:
    """Bring a deleted scenario back; refused if its name has been taken since."""
    current = _allow(con, actor, Action.SCENARIO_RESTORE, scenario_id)
    if current is None:
        raise ScenarioError(t("Scenarioet finnes ikke lenger."))
    taken = ScenarioError(t("Et annet scenario heter nå «{name}»; gi det nytt navn først.", name=current.name))
    if _taken(con, current.kommunenummer, current.name, except_id=scenario_id):
        raise taken
    try:
        _retry(lambda: _changed(con, "UPDATE scenario SET deleted_at = NULL, version = version + 1 WHERE id = ?",
                                [scenario_id]))
    except db.ConstraintError:  # the name was taken between the check and the write
        raise taken from None
    audit.scenario(con, actor, Action.SCENARIO_RESTORE, current, get(con, scenario_id))


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """The statistics' version: the start of the hash of the sources the database was built from."""
    rows = db.query(con, "SELECT value FROM meta WHERE key = 'source_hash'")
    return str(rows["value"].iloc[0])[:12] if len(rows) else t("ukjent")
