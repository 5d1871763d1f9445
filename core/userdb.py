"""The user database's schema: every table users' work is saved in, its version and its migrations.

The user database (core.db.connect_user, data/brukerdata.duckdb) holds what users make: saved
scenarios (core.scenarios), office plans (core.offices), the tiltak and project registers
(core.tiltak) and imported statistics (core.import_store). The statistics database is rebuilt from
sources and never written; the user database is not, so its tables are created and changed here
only, by numbered migrations:

- `schema_version` has one row per migration applied (version, when, what); the database's
  version is the highest.
- Version 1 is the schema as it was before the database had a version: the same CREATE TABLE IF
  NOT EXISTS statements, word for word. A database from before (no `schema_version`, some or all
  of the tables) is brought to version 1 by creating what is missing, so nothing saved is touched.
- A later change to a table is a new `Migration` appended to MIGRATIONS (never an edit of an
  earlier one): its statements, and if needed a function that rewrites rows.
- Version 3: `audit_log` (core.audit: every write, who, when, before/after; only ever appended to) and
  `user_role` (core.roles: the role table an administrator edits).
- Version 2 (scenario names unique, scenario versions): see `_scenario_v2`. The table `scenario`
  has a unique index since then; DuckDB refuses some ALTER TABLEs on an indexed table and an index
  made in a transaction that has changed rows, so a later change to `scenario` rebuilds it the same way.

`ensure(con)` brings any user database (empty, from before versions, or versioned) to the newest
version in one transaction: every missing migration and its `schema_version` row, or none of them.
Every module that reads or writes a user table calls it first; on a database that is current it is
one small read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from core import db
from core.i18n import t

# --- version 1: the tables as they were created before the schema had a version (do not edit) ----

SCENARIO = """CREATE TABLE IF NOT EXISTS scenario (
    id VARCHAR PRIMARY KEY,
    kommunenummer VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    content VARCHAR NOT NULL,
    data_version VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
)"""

OFFICE_PLAN = """CREATE TABLE IF NOT EXISTS office_plan (
    kommunenummer VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    offices_json VARCHAR NOT NULL,
    models_json VARCHAR NOT NULL,
    saved_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (kommunenummer, name))"""

TILTAK = (
    """CREATE TABLE IF NOT EXISTS tiltak_register (
        kommunenummer VARCHAR NOT NULL, register VARCHAR NOT NULL, version INTEGER NOT NULL,
        token VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL, PRIMARY KEY (kommunenummer, register))""",
    """CREATE TABLE IF NOT EXISTS tiltak_row (
        kommunenummer VARCHAR NOT NULL, register VARCHAR NOT NULL, row_id VARCHAR NOT NULL,
        position INTEGER NOT NULL, version INTEGER NOT NULL, removed BOOLEAN NOT NULL,
        changed_at TIMESTAMP NOT NULL, data_json VARCHAR NOT NULL,
        PRIMARY KEY (kommunenummer, register, row_id))""",
    """CREATE TABLE IF NOT EXISTS tiltak_log (
        kommunenummer VARCHAR NOT NULL, register VARCHAR NOT NULL, version INTEGER NOT NULL,
        logged_at TIMESTAMP NOT NULL, action VARCHAR NOT NULL, row_id VARCHAR, summary VARCHAR NOT NULL)""",
)

IMPORTS = (
    """CREATE TABLE IF NOT EXISTS import_batch (batch_id INTEGER PRIMARY KEY, dataset VARCHAR NOT NULL,
       file_name VARCHAR, loaded_at TIMESTAMP NOT NULL, rows INTEGER NOT NULL, source_note VARCHAR,
       file_format VARCHAR, active BOOLEAN NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS import_fastlege (batch_id INTEGER NOT NULL, kommunenummer VARCHAR NOT NULL,
       year INTEGER NOT NULL, metric VARCHAR NOT NULL, ssb_code VARCHAR, value DOUBLE, missing_reason VARCHAR,
       source_row INTEGER)""",
    """CREATE TABLE IF NOT EXISTS import_population (batch_id INTEGER NOT NULL, kommunenummer VARCHAR NOT NULL,
       year INTEGER NOT NULL, sex VARCHAR NOT NULL, age INTEGER, population DOUBLE, missing_reason VARCHAR,
       source_row INTEGER)""",
    """CREATE TABLE IF NOT EXISTS import_projection (batch_id INTEGER NOT NULL, kommunenummer VARCHAR NOT NULL,
       year INTEGER NOT NULL, sex VARCHAR NOT NULL, age INTEGER NOT NULL, age_to INTEGER, alternative VARCHAR NOT NULL,
       population DOUBLE, missing_reason VARCHAR, source_row INTEGER)""",
    """CREATE TABLE IF NOT EXISTS import_own (batch_id INTEGER NOT NULL, kind VARCHAR NOT NULL,
       kommunenummer VARCHAR NOT NULL, year INTEGER NOT NULL, office VARCHAR, list_id VARCHAR, list_cap DOUBLE,
       patients DOUBLE, count DOUBLE, note VARCHAR, source_row INTEGER)""",
)

# The user tables and the module that reads and writes each (docs/arkitektur.md lists them too).
TABLES: dict[str, str] = {
    "scenario": "core.scenarios", "office_plan": "core.offices", "tiltak_register": "core.tiltak",
    "tiltak_row": "core.tiltak", "tiltak_log": "core.tiltak", "import_batch": "core.import_store",
    "import_fastlege": "core.import_store", "import_population": "core.import_store",
    "import_projection": "core.import_store", "import_own": "core.import_store",
    "audit_log": "core.audit", "user_role": "core.roles",
}

VERSION_DDL = """CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    applied_at TIMESTAMP NOT NULL,
    description VARCHAR NOT NULL)"""


@dataclass(frozen=True)
class Migration:
    """One step of the schema: its version, what it does (a line for people), its SQL statements in
    order, and optionally a function run after them in the same transaction (to rewrite rows)."""

    version: int
    description: str
    statements: tuple[str, ...] = ()
    run: Callable[[duckdb.DuckDBPyConnection], None] | None = None


# --- version 2: one live scenario per name and kommune, and a version per scenario ---------------------

SCENARIO_V2 = """CREATE TABLE scenario_v2 (
    id VARCHAR PRIMARY KEY,
    kommunenummer VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    content VARCHAR NOT NULL,
    data_version VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1
)"""

# DuckDB has no partial index: the key is the name (without case) of a scenario that is not deleted and
# NULL for a deleted one, and NULLs never collide. So deleting frees the name, and bringing a deleted
# scenario back whose name has been taken since is refused by the database.
SCENARIO_NAME_KEY = "(CASE WHEN deleted_at IS NULL THEN lower(name) END)"
SCENARIO_UNIQUE = f"CREATE UNIQUE INDEX scenario_live_name ON scenario (kommunenummer, {SCENARIO_NAME_KEY})"
NAME_LIMIT = 80  # core.scenarios.MAX_NAME (core.scenarios imports this module, not the other way)


def dedupe_names(rows: Sequence[tuple[str, str, str]]) -> dict[str, str]:
    """New names for scenarios that share a name (without case) with an older one in their kommune.

    `rows` are the live scenarios as (id, kommunenummer, name), oldest first. The oldest keeps its
    name; later ones get «name (2)», «name (3)» …, the first free number. Returns id → new name
    (empty when every name is already unique, so running it again changes nothing).
    """
    taken = {(knr, name.lower()) for _, knr, name in rows}
    seen: set[tuple[str, str]] = set()
    renamed: dict[str, str] = {}
    for sid, knr, name in rows:
        if (knr, name.lower()) not in seen:
            seen.add((knr, name.lower()))
            continue
        n = 2
        while True:
            suffix = f" ({n})"
            candidate = name[:NAME_LIMIT - len(suffix)].rstrip() + suffix
            if (knr, candidate.lower()) not in taken:
                break
            n += 1
        taken.add((knr, candidate.lower()))
        seen.add((knr, candidate.lower()))
        renamed[sid] = candidate
    return renamed


def _scenario_v2(cur: duckdb.DuckDBPyConnection) -> None:
    """Rename duplicate live names (oldest keeps it), add `version`, add the unique index.

    DuckDB cannot add an index in a transaction that has updated the table, so the table is rebuilt
    (same columns and rows, plus `version` = 1) inside the migration's transaction: all of it or none.
    """
    rows = cur.execute("SELECT id, kommunenummer, name FROM scenario WHERE deleted_at IS NULL "
                       "ORDER BY kommunenummer, created_at, id").fetchall()
    renamed = dedupe_names([(str(i), str(k), str(n)) for i, k, n in rows])
    cur.execute(SCENARIO_V2)
    cur.execute("INSERT INTO scenario_v2 SELECT id, kommunenummer, name, description, content, data_version, "
                "created_at, updated_at, deleted_at, 1 FROM scenario")
    for sid, name in sorted(renamed.items()):
        cur.execute("UPDATE scenario_v2 SET name = ? WHERE id = ?", [name, sid])
    cur.execute("DROP TABLE scenario")
    cur.execute("ALTER TABLE scenario_v2 RENAME TO scenario")
    cur.execute(SCENARIO_UNIQUE)


# --- version 3: the audit log (append-only: core.audit only inserts) and the role table (core.roles) --------

AUDIT = (
    "CREATE SEQUENCE audit_seq START 1",
    """CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
    logged_at TIMESTAMP NOT NULL,
    user_id VARCHAR NOT NULL,
    user_name VARCHAR NOT NULL,
    kommunenummer VARCHAR,
    action VARCHAR NOT NULL,
    object_id VARCHAR,
    object_name VARCHAR,
    before_json VARCHAR,
    after_json VARCHAR
)""",
    """CREATE TABLE user_role (
    user_id VARCHAR NOT NULL,
    kommunenummer VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    granted_by VARCHAR NOT NULL,
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, kommunenummer, role)
)""",
)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "the tables as created before the schema had a version: scenario, office_plan, tiltak_register, "
                 "tiltak_row, tiltak_log, import_batch, import_fastlege, import_population, import_projection, "
                 "import_own", (SCENARIO, OFFICE_PLAN, *TILTAK, *IMPORTS)),
    Migration(2, "scenario: duplicate live names in a kommune renamed «… (2)», «… (3)» (the oldest keeps its "
                 "name); a version per scenario; unique index on kommune and name of live scenarios",
              run=_scenario_v2),
    Migration(3, "audit_log: who changed what, when (UTC), in which kommune, with before/after values (append-only); "
                 "user_role: roles per person and kommune, edited by an administrator", AUDIT),
)
LATEST = MIGRATIONS[-1].version


# On PostgreSQL (core.pgstore) the same migrations run, in one transaction (PostgreSQL's DDL is
# transactional too), under an advisory lock so that processes starting at once migrate one at a time;
# DuckDB's error(text), which core.tiltak's version guard calls, is created as a function.
PG_MIGRATION_LOCK = 46312023  # any fixed number: the key of the lock
PG_ERROR_FUNCTION = """CREATE OR REPLACE FUNCTION error(message VARCHAR) RETURNS INTEGER
    LANGUAGE plpgsql AS $fn$ BEGIN RAISE EXCEPTION '%', message; END $fn$"""


class SchemaError(RuntimeError):
    """The user database cannot be used by this version of Legeplan (it was made by a newer one)."""


def version(con: duckdb.DuckDBPyConnection) -> int:
    """The user database's schema version: 0 before any migration (empty, or from before versions)."""
    cur = con.cursor()
    try:
        row = cur.execute("SELECT max(version) FROM schema_version").fetchone()
    except db.MissingTableError:
        return 0
    finally:
        cur.close()
    return int(row[0]) if row and row[0] is not None else 0


def history(con: duckdb.DuckDBPyConnection) -> list[tuple[int, datetime, str]]:
    """The migrations applied to the database: (version, applied at, description), oldest first."""
    if version(con) == 0:
        return []
    cur = con.cursor()
    try:
        rows = cur.execute("SELECT version, applied_at, description FROM schema_version ORDER BY version")
        return [(int(v), a, str(d)) for v, a, d in rows.fetchall()]
    finally:
        cur.close()


def _check(migrations: Sequence[Migration]) -> None:
    numbers = [m.version for m in migrations]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"migrations must be numbered 1, 2, 3 … in order, not {numbers}")


def migrate(con: duckdb.DuckDBPyConnection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the migrations the database has not had, in one transaction; returns the version now.

    All of them or none: if a statement fails, everything this call did is rolled back and the error
    is raised; the database is as before. A database newer than `migrations` is refused (SchemaError).
    """
    _check(migrations)
    latest = migrations[-1].version if migrations else 0
    cur = con.cursor()
    try:
        cur.execute("BEGIN TRANSACTION")
        try:
            if db.is_postgres(cur):  # one migrating session at a time; the others wait, then find it done
                cur.execute("SELECT pg_advisory_xact_lock(?)", [PG_MIGRATION_LOCK])
                cur.execute(PG_ERROR_FUNCTION)
            cur.execute(VERSION_DDL)
            row = cur.execute("SELECT max(version) FROM schema_version").fetchone()
            current = int(row[0]) if row and row[0] is not None else 0
            if current > latest:
                raise SchemaError(t("Brukerdatabasen er laget av en nyere versjon av Legeplan (skjemaversjon "
                                    "{found}, denne versjonen kjenner til {latest}). Oppdater Legeplan.",
                                    found=current, latest=latest))
            for step in migrations[current:]:
                for sql in step.statements:
                    cur.execute(sql)
                if step.run is not None:
                    step.run(cur)
                cur.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                            [step.version, datetime.now().replace(microsecond=0), step.description])
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")
        return max(current, latest)
    finally:
        cur.close()


def ensure(con: duckdb.DuckDBPyConnection, migrations: Sequence[Migration] = MIGRATIONS,
           attempts: int = 8) -> int:
    """Bring the user database to the newest schema version (see `migrate`); returns the version.

    On a current database this is one read. Two sessions migrating at once conflict in DuckDB; the
    loser waits and looks again (by then the other has usually done the work).
    """
    latest = migrations[-1].version if migrations else 0
    for i in range(attempts):
        if version(con) == latest:
            return latest
        try:
            return migrate(con, migrations)
        except db.ConflictError:
            if i == attempts - 1:
                raise
            time.sleep(0.01 * (i + 1))
    return version(con)  # pragma: no cover - the loop returns or raises


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the user database at the newest schema version (close it after use)."""
    con = db.connect_user(path)
    try:
        ensure(con)
    except BaseException:
        con.close()
        raise
    return con
