"""Schema versions and migrations (core/userdb.py) on both back ends of the user store: the DuckDB file and
PostgreSQL (LEGEPLAN_USER_DB_URL, started by the tests). The migration of a DuckDB file from before versions
(tests/fixtures/userdb_v1.duckdb) is in tests/test_userdb.py; here a fresh store, a store holding the tables
as they were before versions (with duplicate scenario names), a later migration, a failing one, a newer
store and sessions migrating at once — on each back end."""

from __future__ import annotations

import threading

import pytest

from core import db, userdb
from core import import_store as store
from core import offices as of
from core import scenarios as sc
from core import tiltak as tk

USER_TABLES = sorted(userdb.TABLES)

V3 = userdb.Migration(userdb.LATEST + 1, "scenario.tag", ("ALTER TABLE scenario ADD COLUMN tag VARCHAR",),
                      run=lambda cur: cur.execute("UPDATE scenario SET tag = 'fra før'"))


def columns(con) -> dict[str, list[tuple[str, str]]]:
    """Every table of the store (in its schema) with its columns and their types, as the store itself
    describes them (information_schema: the same query on both back ends)."""
    rows = con.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                       "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position").fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        out.setdefault(str(table), []).append((str(column), str(kind)))
    return out


def dump(con, names=(*USER_TABLES, "schema_version")) -> dict[str, list[tuple]]:
    return {name: sorted(con.execute(f"SELECT * FROM {name}").fetchall(), key=repr)  # noqa: S608 - fixed names
            for name in names}


def test_a_fresh_store_is_migrated_to_the_newest_version_once(store_con):
    assert userdb.version(store_con) == 0
    assert userdb.ensure(store_con) == userdb.LATEST
    assert [v for v, _, _ in userdb.history(store_con)] == list(range(1, userdb.LATEST + 1))
    assert sorted(columns(store_con)) == sorted([*USER_TABLES, "schema_version"])
    assert [c for c, _ in columns(store_con)["scenario"]][-1] == "version"
    first = (columns(store_con), dump(store_con))
    assert userdb.ensure(store_con) == userdb.LATEST
    assert userdb.migrate(store_con) == userdb.LATEST  # asked directly: nothing applied again
    assert (columns(store_con), dump(store_con)) == first


def test_every_user_table_takes_a_row_after_migration(store_con):
    """Each module that writes the store writes and reads back one thing (the migrated tables' types fit)."""
    sid = sc.save(store_con, "4631", "Plan", "", {"kapasitet": {"new_hjemler": "2"}}, "v")
    assert sc.get(store_con, sid).content == {"kapasitet": {"new_hjemler": "2"}}
    assert tk.save(store_con, "0301", tk.MEASURES, 0, [tk.Measure(measure="Rekruttering", row_id="r1")]).ok
    assert [r.measure for r in tk.load(store_con, "0301", tk.MEASURES).rows] == ["Rekruttering"]
    of.save_plan(store_con, "3440", "Plan A", of.table_from_json("[]"), (of.Model("Samlokalisert"),))
    assert of.plan_names(store_con, "3440") == ["Plan A"]
    assert of.load_plan(store_con, "3440", "Plan A")[1] == (of.Model("Samlokalisert"),)
    assert store.batches(store_con).empty


def test_a_store_from_before_versions_keeps_its_rows_and_names_are_made_unique(store_con):
    """The tables as created before versions (migration 1's statements), two live scenarios with one name
    and a deleted third: migration 2 renames the newer live one, keeps the rest, adds `version` = 1."""
    for sql in userdb.MIGRATIONS[0].statements:
        store_con.execute(sql)
    insert = ("INSERT INTO scenario VALUES (?, '4631', ?, '', '{\"kapasitet\": {}}', 'v', ?, ?, ?)")
    store_con.execute(insert, ["a", "Plan", "2025-01-01 10:00:00", "2025-01-01 10:00:00", None])
    store_con.execute(insert, ["b", "PLAN", "2025-01-02 10:00:00", "2025-01-02 10:00:00", None])
    store_con.execute(insert, ["c", "plan", "2025-01-03 10:00:00", "2025-01-03 10:00:00", "2025-01-04 10:00:00"])
    assert userdb.version(store_con) == 0
    assert userdb.ensure(store_con) == userdb.LATEST
    rows = store_con.execute("SELECT id, name, version, deleted_at IS NULL FROM scenario ORDER BY id").fetchall()
    assert rows == [("a", "Plan", 1, True), ("b", "PLAN (2)", 1, True), ("c", "plan", 1, False)]
    assert sorted(s.name for s in sc.list_for(store_con, "4631")) == ["PLAN (2)", "Plan"]
    with pytest.raises(db.ConstraintError):  # the store itself refuses a second live name now
        store_con.execute(insert.replace("?, ?, ?)", "?, ?, ?, 1)"),
                          ["d", "plan", "2025-01-05 10:00:00", "2025-01-05 10:00:00", None])


def test_a_later_migration_is_applied_once(store_con):
    userdb.ensure(store_con)
    sc.save(store_con, "4631", "Plan", "", {"kapasitet": {}}, "v")
    steps = (*userdb.MIGRATIONS, V3)
    assert userdb.ensure(store_con, steps) == V3.version
    assert [v for v, _, _ in userdb.history(store_con)] == list(range(1, V3.version + 1))
    assert store_con.execute("SELECT tag FROM scenario").fetchall() == [("fra før",)]
    assert userdb.ensure(store_con, steps) == V3.version and len(userdb.history(store_con)) == V3.version


@pytest.mark.parametrize("migrated_first", [False, True], ids=["fresh", "current"])
def test_a_failing_migration_leaves_the_store_unchanged(store_con, migrated_first):
    if migrated_first:
        userdb.ensure(store_con)
        sc.save(store_con, "4631", "Plan", "", {"kapasitet": {}}, "v")
    before = (columns(store_con), userdb.history(store_con),
              dump(store_con) if migrated_first else None)

    def crash(cur) -> None:
        cur.execute("DELETE FROM scenario")
        raise RuntimeError("midt i migreringen")

    broken = (*userdb.MIGRATIONS, V3,
              userdb.Migration(V3.version + 1, "krasj", ("CREATE TABLE ny_tabell (x INTEGER)",), crash))
    with pytest.raises(RuntimeError, match="midt i migreringen"):
        userdb.ensure(store_con, broken)
    after = (columns(store_con), userdb.history(store_con), dump(store_con) if migrated_first else None)
    assert after == before  # no version, no table, no column, no row changed
    with pytest.raises(db.Error):  # a failing statement is rolled back the same way
        userdb.ensure(store_con, (*userdb.MIGRATIONS,
                                  userdb.Migration(V3.version, "feil", ("ALTER TABLE finnes_ikke ADD x INT",))))
    assert (columns(store_con), userdb.history(store_con), dump(store_con) if migrated_first else None) == before


def test_a_store_from_a_newer_legeplan_is_refused(store_con):
    userdb.ensure(store_con, (*userdb.MIGRATIONS, V3))
    with pytest.raises(userdb.SchemaError, match="nyere versjon"):
        userdb.ensure(store_con)
    with pytest.raises(userdb.SchemaError):
        sc.list_for(store_con, "4631")


def test_sessions_opening_a_new_store_at_once_migrate_it_once(user_store):
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def open_and_save(i: int) -> None:
        try:
            con = user_store.connect()
            barrier.wait()
            userdb.ensure(con)
            sc.save(con, "4631", f"Økt {i}", "", {"kapasitet": {"new_hjemler": str(i)}}, "v")
            con.close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_and_save, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    con = user_store.connect()
    assert [v for v, _, _ in userdb.history(con)] == list(range(1, userdb.LATEST + 1))
    assert sorted(s.name for s in sc.list_for(con, "4631")) == sorted(f"Økt {i}" for i in range(8))
    con.close()
