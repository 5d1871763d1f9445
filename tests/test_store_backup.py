"""The restore drill of docs/drift.md («Delt lager (PostgreSQL)») run for real: pg_dump of the store (custom
format), pg_restore into a new database, and Legeplan pointed at the copy finds every scenario, register row
and import; the copy is at the same schema version and takes new saves."""

from __future__ import annotations

import subprocess
import uuid

import psycopg
from psycopg.conninfo import conninfo_to_dict

from core import db, userdb
from core import scenarios as sc
from core import tiltak as tk
from tests.pg_server import bin_dir


def test_pg_dump_and_pg_restore_give_a_store_legeplan_can_use(pg_url, pg_server_url, monkeypatch, tmp_path):
    monkeypatch.setenv(db.USER_DB_URL, pg_url)
    with db.connect_user() as con:
        sid = sc.save(con, "4631", "Til utvalet", "Forslag", {"kapasitet": {"new_hjemler": "2"}}, "v")
        sc.update_content(con, sid, {"kapasitet": {"new_hjemler": "3"}}, "v", expected_version=1)
        assert tk.save(con, "0301", tk.MEASURES, 0, [tk.Measure(measure="Rekruttering", row_id="r1")]).ok
        before = {name: sorted(con.execute(f"SELECT * FROM {name}").fetchall(), key=repr)  # noqa: S608
                  for name in [*sorted(userdb.TABLES), "schema_version"]}
    schema = conninfo_to_dict(pg_url)["options"].split("=", 1)[1]
    dump = tmp_path / "legeplan.dump"
    bindir = bin_dir()
    assert bindir is not None
    done = subprocess.run([str(bindir / "pg_dump"), "--format=custom", f"--schema={schema}", f"--file={dump}",
                           f"--dbname={pg_server_url}"], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    drill = f"drill_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {drill}")
    try:
        drill_url = pg_server_url.replace("/legeplan?", f"/{drill}?")
        done = subprocess.run([str(bindir / "pg_restore"), "--no-owner", f"--dbname={drill_url}", str(dump)],
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        monkeypatch.setenv(db.USER_DB_URL, f"{drill_url}&options=-csearch_path%3D{schema}")
        with db.connect_user() as con:
            after = {name: sorted(con.execute(f"SELECT * FROM {name}").fetchall(), key=repr)  # noqa: S608
                     for name in before}
            assert after == before
            assert userdb.version(con) == userdb.LATEST
            assert [(s.name, s.version, s.content) for s in sc.list_for(con, "4631")] == \
                [("Til utvalet", 2, {"kapasitet": {"new_hjemler": "3"}})]
            assert [r.measure for r in tk.load(con, "0301", tk.MEASURES).rows] == ["Rekruttering"]
            sc.save(con, "4631", "Etter gjenoppretting", "", {"kapasitet": {}}, "v")
            assert len(sc.list_for(con, "4631")) == 2
    finally:
        from core import pgstore

        pgstore.close_pool()
        with psycopg.connect(pg_server_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {drill} WITH (FORCE)")
