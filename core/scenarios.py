"""Saved scenarios: every lever of every page for one kommune, with a name, a description and the
data version it was made with, stored in the user database (core.db.connect_user).

A scenario's content is what each page keeps in its link: {page: {url key: value}}; opening a
scenario puts those values back, so it reproduces exactly what the links would. Deleting is soft
(`deleted_at`), so it can be undone. Every write is one transaction; writers from several
sessions at once each get their own rows, and a transaction conflict is retried.
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

from core import db, userdb, usertext
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


class ScenarioError(ValueError):
    """A scenario operation refused, with a Norwegian message for the user."""


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
        except duckdb.TransactionException:
            if i == attempts - 1:
                raise
            time.sleep(0.01 * (i + 1))
    return None


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _taken(con: duckdb.DuckDBPyConnection, kommunenummer: str, name: str, except_id: str | None = None) -> bool:
    rows = db.query(con, "SELECT id FROM scenario WHERE kommunenummer = ? AND lower(name) = lower(?) "
                         "AND deleted_at IS NULL", [kommunenummer, name])
    return any(r != except_id for r in rows["id"])


def save(con: duckdb.DuckDBPyConnection, kommunenummer: str, name: str, description: str,
         content: Mapping[str, Mapping[str, object]], data_version: str) -> str:
    """Save a new scenario; returns its id. A name already used in the kommune is refused."""
    _ensure(con)
    name = clean_name(name)
    body = json.dumps(clean_content(content), ensure_ascii=False, sort_keys=True)
    text = usertext.clean(description, max_len=MAX_DESCRIPTION)
    sid = uuid.uuid4().hex
    if _taken(con, kommunenummer, name):
        raise ScenarioError(t("Det finnes allerede et scenario som heter «{name}» for denne kommunen.", name=name))
    now = _now()
    _retry(lambda: db.write(con, [(
        "INSERT INTO scenario VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        (sid, kommunenummer, name, text, body, data_version, now, now))]))
    return sid


def _row_to_scenario(row: pd.Series) -> Scenario:
    return Scenario(str(row["id"]), str(row["kommunenummer"]), str(row["name"]), str(row["description"]),
                    json.loads(row["content"]), str(row["data_version"]),
                    row["created_at"].to_pydatetime(), row["updated_at"].to_pydatetime())


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


def rename(con: duckdb.DuckDBPyConnection, scenario_id: str, name: str, description: str | None = None) -> None:
    """Give a scenario a new name (and description, if given)."""
    current = get(con, scenario_id)
    if current is None:
        raise ScenarioError(t("Scenarioet finnes ikke lenger."))
    name = clean_name(name)
    if _taken(con, current.kommunenummer, name, except_id=scenario_id):
        raise ScenarioError(t("Det finnes allerede et scenario som heter «{name}» for denne kommunen.", name=name))
    text = current.description if description is None else usertext.clean(description, max_len=MAX_DESCRIPTION)
    _retry(lambda: db.write(con, [("UPDATE scenario SET name = ?, description = ?, updated_at = ? WHERE id = ?",
                                   (name, text, _now(), scenario_id))]))


def update_content(con: duckdb.DuckDBPyConnection, scenario_id: str,
                   content: Mapping[str, Mapping[str, object]], data_version: str) -> None:
    """Overwrite a scenario's levers with the current ones (and the current data version)."""
    if get(con, scenario_id) is None:
        raise ScenarioError(t("Scenarioet finnes ikke lenger."))
    body = json.dumps(clean_content(content), ensure_ascii=False, sort_keys=True)
    _retry(lambda: db.write(con, [(
        "UPDATE scenario SET content = ?, data_version = ?, updated_at = ? WHERE id = ?",
        (body, data_version, _now(), scenario_id))]))


def duplicate(con: duckdb.DuckDBPyConnection, scenario_id: str) -> str:
    """A copy named «… (kopi)», «… (kopi 2)» …; returns the new id."""
    source = get(con, scenario_id)
    if source is None:
        raise ScenarioError(t("Scenarioet finnes ikke lenger."))
    n, name = 1, t("{name} (kopi)", name=source.name)
    while _taken(con, source.kommunenummer, name):
        n += 1
        name = t("{name} (kopi {n})", name=source.name, n=n)
    return save(con, source.kommunenummer, name, source.description, source.content, source.data_version)


def delete(con: duckdb.DuckDBPyConnection, scenario_id: str) -> None:
    """Delete a scenario (it can be brought back with `undelete`)."""
    _retry(lambda: db.write(con, [("UPDATE scenario SET deleted_at = ? WHERE id = ?", (_now(), scenario_id))]))


def undelete(con: duckdb.DuckDBPyConnection, scenario_id: str) -> None:
    """Bring a deleted scenario back; refused if its name has been taken since."""
    current = get(con, scenario_id)
    if current is None:
        raise ScenarioError(t("Scenarioet finnes ikke lenger."))
    if _taken(con, current.kommunenummer, current.name, except_id=scenario_id):
        raise ScenarioError(t("Et annet scenario heter nå «{name}»; gi det nytt navn først.", name=current.name))
    _retry(lambda: db.write(con, [("UPDATE scenario SET deleted_at = NULL WHERE id = ?", (scenario_id,))]))


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """The statistics' version: the start of the hash of the sources the database was built from."""
    rows = db.query(con, "SELECT value FROM meta WHERE key = 'source_hash'")
    return str(rows["value"].iloc[0])[:12] if len(rows) else t("ukjent")
