"""The user database's schema (core/userdb.py): a database written before the schema had a version
(tests/fixtures/userdb_v1.duckdb, written by tools/make_userdb_fixture.py) is recognised as version 1 and
keeps every scenario, tiltak row, office plan and import; migrating twice changes nothing; a failing
migration leaves the database as it was; a newer database is refused; no other module creates a user table."""

from __future__ import annotations

import shutil
import threading
from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from core import db, userdb
from core import import_store as store
from core import offices as of
from core import scenarios as sc
from core import ssb_readers as ssb
from core import tiltak as tk
from tools import make_userdb_fixture as fx

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "userdb_v1.duckdb"
USER_TABLES = sorted(userdb.TABLES)
V1_TABLES = sorted(set(USER_TABLES) - {"audit_log", "user_role"})  # what a database from before versions has


@pytest.fixture()
def copy(tmp_path) -> Path:
    """A copy of the fixture (the committed file is never opened for writing)."""
    path = tmp_path / "userdb_v1.duckdb"
    shutil.copyfile(FIXTURE, path)
    return path


@pytest.fixture()
def ucon(copy):
    con = db.connect_user(copy)
    yield con
    con.close()


def tables(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every table in the database with the SQL that creates it."""
    return dict(con.execute("SELECT table_name, sql FROM duckdb_tables() WHERE database_name = current_database() "
                            "ORDER BY table_name").fetchall())


def dump(con: duckdb.DuckDBPyConnection, names=None) -> dict[str, list[tuple]]:
    """Every row of the user tables (those the database has, unless named), sorted (the whole content a user
    has saved)."""
    names = [n for n in USER_TABLES if n in tables(con)] if names is None else names
    return {name: sorted(con.execute(f"SELECT * FROM {name}").fetchall(), key=repr)  # noqa: S608 - fixed names
            for name in names}


# --- the fixture is what today's users have -----------------------------------------------------------

def test_the_fixture_is_a_database_from_before_versions():
    with duckdb.connect(str(FIXTURE), read_only=True) as con:
        assert sorted(tables(con)) == V1_TABLES  # every user table of then, and no schema_version
        assert userdb.version(con) == 0


def test_version_1_creates_the_tables_exactly_as_before(tmp_path, copy):
    """The tables a fresh database gets are the ones today's code created, word for word."""
    with duckdb.connect(str(FIXTURE), read_only=True) as old:
        before = tables(old)
    fresh = db.connect_user(tmp_path / "ny.duckdb")
    assert userdb.ensure(fresh, userdb.MIGRATIONS[:1]) == 1
    created = tables(fresh)
    fresh.close()
    assert created.pop("schema_version").startswith("CREATE TABLE schema_version")
    assert created == before


# --- migrating the fixture -------------------------------------------------------------------------------

def test_migrating_keeps_every_row_and_records_version_1(ucon):
    before = dump(ucon)
    assert userdb.ensure(ucon, userdb.MIGRATIONS[:1]) == 1
    assert userdb.version(ucon) == 1
    history = userdb.history(ucon)
    assert [(v, d) for v, _, d in history] == [(1, userdb.MIGRATIONS[0].description)]
    assert dump(ucon) == before


def test_every_scenario_is_found_after_migration(ucon):
    userdb.ensure(ucon)
    saved = {s.name: s for s in sc.list_for(ucon, "4631")}
    expected = {name: (knr, text, content) for knr, name, text, content in fx.SCENARIOS if name != fx.DELETED}
    assert set(saved) == set(expected)
    for name, (knr, text, content) in expected.items():
        s = saved[name]
        assert (s.kommunenummer, s.description, s.content, s.data_version) == (knr, text, content, fx.DATA_VERSION)
        assert s.created_at == s.updated_at
    assert sc.list_for(ucon, "3440") == []  # the deleted one stays deleted …
    (deleted_id,) = ucon.execute("SELECT id FROM scenario WHERE deleted_at IS NOT NULL").fetchone()
    sc.undelete(ucon, deleted_id)  # … and can still be brought back
    assert [(s.name, s.content) for s in sc.list_for(ucon, "3440")] == [(fx.DELETED, fx.SCENARIOS[2][3])]


def test_every_tiltak_row_and_log_line_is_found_after_migration(ucon):
    raw_log = sorted(ucon.execute("SELECT version, action, row_id, summary FROM tiltak_log "
                                  "WHERE register = ?", [tk.MEASURES]).fetchall(), key=repr)
    userdb.ensure(ucon)
    measures = tk.load(ucon, fx.TILTAK_KOMMUNE, tk.MEASURES)
    assert measures.version == 2
    assert [replace(r, version=1) for r in measures.rows] == list(fx.MEASURES_SECOND)
    assert [r.version for r in measures.rows] == [2, 1]  # the changed row moved on, the other did not
    assert [r.row_id for r in measures.removed] == ["legevakt"]
    assert measures.updated_at == fx.TILTAK_AT[1]
    log = tk.change_log(ucon, fx.TILTAK_KOMMUNE, tk.MEASURES).astype(object)
    log = log.where(log.notna(), None)
    assert sorted(zip(log["version"], log["action"], log["row_id"], log["summary"], strict=True), key=repr) == raw_log
    assert sorted(log["action"]) == ["endret", "fjernet", "lagt til", "lagt til", "lagt til", "opprettet"]
    assert list(log["version"]) == [2, 2, 1, 1, 1, 1]
    project = tk.load(ucon, fx.PROJECT_KOMMUNE, tk.PROJECT)
    assert (project.version, project.rows) == (1, fx.PROJECT_ROWS)
    undone = tk.undo_remove(ucon, fx.TILTAK_KOMMUNE, tk.MEASURES, 2, "legevakt")  # saving goes on from v2
    assert undone.ok and undone.version == 3


def test_the_office_plan_is_found_after_migration(ucon):
    userdb.ensure(ucon)
    assert of.plan_names(ucon, fx.PLAN_KOMMUNE) == [fx.PLAN_NAME]
    table, models = of.load_plan(ucon, fx.PLAN_KOMMUNE, fx.PLAN_NAME)
    pd.testing.assert_frame_equal(table, of.table_from_json(fx.PLAN_OFFICES_JSON))
    assert models == fx.PLAN_MODELS


def test_every_import_is_found_after_migration(ucon):
    userdb.ensure(ucon)
    batches = store.batches(ucon)
    assert list(batches["file_name"]) == [name for name, *_ in reversed(fx.IMPORTS)]
    assert list(batches["source_note"]) == [note for _, note, *_ in reversed(fx.IMPORTS)]
    assert [ts.to_pydatetime() for ts in batches["loaded_at"]] == [at for *_, at in reversed(fx.IMPORTS)]
    assert dict(zip(batches["file_name"], batches["active"], strict=True)) == {
        name: name != fx.RESTORED for name, *_ in fx.IMPORTS}

    def in_force(dataset: str, keys: list[str], value_columns: list[str]) -> dict:
        frame = store.in_force(ucon, dataset, "4631").astype(object)
        frame = frame.where(frame.notna(), None)
        return {tuple(r[k] for k in keys): (tuple(r[v] for v in value_columns) if len(value_columns) > 1
                                            else r[value_columns[0]]) for r in frame.to_dict("records")}

    assert in_force(ssb.FASTLEGE, ["kommunenummer", "year", "metric"], ["value"]) == fx.EXPECTED_FASTLEGE
    assert in_force(ssb.POPULATION, ["kommunenummer", "year", "sex", "age"], ["population"]) == fx.EXPECTED_POPULATION
    assert in_force(ssb.PROJECTION, ["kommunenummer", "year", "sex", "age", "age_to", "alternative"],
                    ["population"]) == fx.EXPECTED_PROJECTION
    assert in_force(ssb.OWN, ["kind", "year", "office", "list_id"],
                    ["list_cap", "patients", "count", "note"]) == fx.EXPECTED_OWN
    store.set_active(ucon, 2, True)  # the newer 12005 batch can be put back in force
    assert in_force(ssb.FASTLEGE, ["kommunenummer", "year", "metric"], ["value"]) == {
        ("4631", 2024, "gp_agreements"): 31.0, ("4631", 2024, "lists_without_gp"): None}


def test_migrating_twice_changes_nothing(ucon):
    userdb.ensure(ucon)
    first = (tables(ucon), dump(ucon, [*USER_TABLES, "schema_version"]))
    assert userdb.ensure(ucon) == userdb.LATEST
    assert userdb.migrate(ucon) == userdb.LATEST  # even when asked directly: nothing is applied again
    assert (tables(ucon), dump(ucon, [*USER_TABLES, "schema_version"])) == first


def test_an_existing_table_with_rows_is_kept_when_the_others_are_created(tmp_path):
    """A database from before versions that only ever saved a scenario has only that table."""
    con = db.connect_user(tmp_path / "bare_scenario.duckdb")
    con.execute(userdb.SCENARIO)
    con.execute("INSERT INTO scenario VALUES ('a', '4631', 'Gammel', '', '{\"kapasitet\": {}}', 'v', "
                "TIMESTAMP '2025-01-01', TIMESTAMP '2025-01-01', NULL)")
    userdb.ensure(con)
    assert sorted(t for t in tables(con) if t != "schema_version") == USER_TABLES
    assert [s.name for s in sc.list_for(con, "4631")] == ["Gammel"]
    con.close()


# --- version 2: unique live scenario names, a version per scenario ------------------------------------

def test_version_2_renames_duplicate_names_keeps_the_oldest_and_is_idempotent():
    rows = [("a", "1", "Plan"), ("b", "1", "plan"), ("c", "1", "Plan (2)"), ("d", "2", "Plan"), ("e", "1", "PLAN")]
    assert userdb.dedupe_names(rows) == {"b": "plan (3)", "e": "PLAN (4)"}
    after = [(i, k, userdb.dedupe_names(rows).get(i, n)) for i, k, n in rows]
    assert userdb.dedupe_names(after) == {}  # a second run changes nothing
    long = "x" * 80
    assert userdb.dedupe_names([("a", "1", long), ("b", "1", long)]) == {"b": "x" * 76 + " (2)"}


def test_version_2_on_the_fixture_with_duplicates_keeps_every_row(ucon):
    """The fixture's scenarios get a twin each (same name in capitals, a day newer, one deleted): the
    fixture's own keep their names, the live twins are renamed, the deleted twin keeps its name."""
    userdb.ensure(ucon, userdb.MIGRATIONS[:1])
    ucon.execute("INSERT INTO scenario SELECT id || '-tvilling', kommunenummer, upper(name), description, content, "
                 "data_version, created_at + INTERVAL 1 DAY, updated_at, deleted_at FROM scenario")
    before = ucon.execute("SELECT * FROM scenario ORDER BY id").fetchall()
    assert userdb.ensure(ucon) == userdb.LATEST
    after = ucon.execute("SELECT * EXCLUDE (version) FROM scenario ORDER BY id").fetchall()
    renamed = {b[0]: (b[2], a[2]) for b, a in zip(before, after, strict=True) if b[2] != a[2]}
    assert renamed == {"".join(r[0]): (r[2], r[2] + " (2)") for r in before
                       if r[0].endswith("-tvilling") and r[8] is None}
    assert len(renamed) == 2
    assert [tuple(x for i, x in enumerate(b) if i != 2) for b in before] == \
        [tuple(x for i, x in enumerate(a) if i != 2) for a in after]  # nothing else changed
    assert {r[0] for r in ucon.execute("SELECT version FROM scenario").fetchall()} == {1}
    with pytest.raises(duckdb.ConstraintException):  # the database itself refuses a second live name now
        ucon.execute("INSERT INTO scenario VALUES ('ny', '4631', 'to nye HJEMLER', '', '{}', 'v', "
                     "TIMESTAMP '2025-01-01', TIMESTAMP '2025-01-01', NULL, 1)")
    ucon.execute("INSERT INTO scenario VALUES ('ny', '4631', 'to nye HJEMLER', '', '{}', 'v', "
                 "TIMESTAMP '2025-01-01', TIMESTAMP '2025-01-01', TIMESTAMP '2025-01-02', 1)")  # a deleted one may


# --- later migrations, failures, newer databases --------------------------------------------------------

V2 = userdb.Migration(userdb.LATEST + 1, "scenario.tag", ("ALTER TABLE scenario ADD COLUMN tag VARCHAR",),
                      run=lambda cur: cur.execute("UPDATE scenario SET tag = 'fra v1'"))


def test_a_later_migration_is_applied_once_on_top_of_version_1(ucon):
    steps = (*userdb.MIGRATIONS, V2)
    assert userdb.ensure(ucon, steps) == V2.version
    assert [v for v, _, _ in userdb.history(ucon)] == list(range(1, V2.version + 1))
    assert {r[0] for r in ucon.execute("SELECT tag FROM scenario").fetchall()} == {"fra v1"}
    assert ucon.execute("SELECT count(*) FROM scenario").fetchone() == (3,)
    assert userdb.ensure(ucon, steps) == V2.version and len(userdb.history(ucon)) == V2.version


@pytest.mark.parametrize("migrated_first", [False, True], ids=["from-before-versions", "from-v1"])
def test_a_failing_migration_leaves_the_database_unchanged(ucon, migrated_first):
    if migrated_first:
        userdb.ensure(ucon)
    before = (tables(ucon), dump(ucon), userdb.history(ucon))

    def crash(cur) -> None:
        cur.execute("DELETE FROM tiltak_row")
        raise RuntimeError("midt i migreringen")

    broken = (*userdb.MIGRATIONS, V2, userdb.Migration(V2.version + 1, "krasj", ("CREATE TABLE ny_tabell (x INTEGER)",), crash))
    with pytest.raises(RuntimeError, match="midt i migreringen"):
        userdb.ensure(ucon, broken)
    assert (tables(ucon), dump(ucon), userdb.history(ucon)) == before  # not v1, not v2, no new table or column
    assert userdb.version(ucon) == (userdb.LATEST if migrated_first else 0)
    with pytest.raises(duckdb.Error):  # a failing statement is rolled back the same way
        userdb.ensure(ucon, (*userdb.MIGRATIONS, userdb.Migration(V2.version, "feil", ("ALTER TABLE finnes_ikke ADD x INT",))))
    assert (tables(ucon), dump(ucon), userdb.history(ucon)) == before


def test_a_database_from_a_newer_legeplan_is_refused(ucon):
    userdb.ensure(ucon, (*userdb.MIGRATIONS, V2))
    with pytest.raises(userdb.SchemaError, match="nyere versjon"):
        userdb.ensure(ucon)
    with pytest.raises(userdb.SchemaError):  # and so by every module, before it reads or writes
        sc.list_for(ucon, "4631")


def test_migrations_must_be_numbered_in_order(ucon):
    with pytest.raises(ValueError, match="numbered"):
        userdb.migrate(ucon, (userdb.MIGRATIONS[0], replace(V2, version=3)))  # 1, 3: no 2


def test_sessions_opening_a_new_database_at_once_migrate_it_once(tmp_path):
    path = tmp_path / "samtidig.duckdb"
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def open_and_save(i: int) -> None:
        try:
            con = db.connect_user(path)
            barrier.wait()
            userdb.ensure(con)
            sc.save(con, "4631", f"Økt {i}", "", {"kapasitet": {"new_hjemler": str(i)}}, "v")
            con.close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_and_save, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    con = userdb.connect(path)
    assert [v for v, _, _ in userdb.history(con)] == list(range(1, userdb.LATEST + 1))
    assert len(sc.list_for(con, "4631")) == 6
    con.close()


def test_connect_gives_a_current_database(tmp_path):
    con = userdb.connect(tmp_path / "tom.duckdb")
    assert userdb.version(con) == userdb.LATEST and sorted(tables(con)) == sorted([*USER_TABLES, "schema_version"])
    con.close()


# --- one owner -------------------------------------------------------------------------------------------

def test_no_other_module_creates_or_alters_a_user_table():
    root = Path(__file__).resolve().parent.parent
    offenders = []
    for folder in ("core", "ui", "pages", "tools", "bench"):
        for path in (root / folder).rglob("*.py"):
            if path.name == "userdb.py":
                continue
            text = path.read_text(encoding="utf-8")
            for name in [*USER_TABLES, "schema_version"]:
                for verb in ("CREATE TABLE IF NOT EXISTS", "CREATE TABLE", "ALTER TABLE", "DROP TABLE"):
                    if f"{verb} {name} " in text or f"{verb} {name}(" in text or f"{verb} {name}\n" in text:
                        offenders.append(f"{path.relative_to(root)}: {verb} {name}")
    assert offenders == []
    assert set(userdb.TABLES.values()) <= {"core.scenarios", "core.offices", "core.tiltak", "core.import_store",
                                         "core.audit", "core.roles"}
