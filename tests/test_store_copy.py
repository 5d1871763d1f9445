"""Moving to the shared store: tools/userdb_copy.py copies a DuckDB user database (the fixture from before
schema versions, tests/fixtures/userdb_v1.duckdb) into an empty PostgreSQL store, every row of every user
table, all or none; a store that already has rows is refused; the command line says what it did in Norwegian."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core import db, userdb
from core import scenarios as sc
from core import tiltak as tk
from tools import userdb_copy

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "userdb_v1.duckdb"


@pytest.fixture
def source(tmp_path) -> Path:
    path = tmp_path / "userdb_v1.duckdb"
    shutil.copyfile(FIXTURE, path)
    return path


def rows(con) -> dict[str, list[tuple]]:
    return {name: sorted(con.execute(f"SELECT * FROM {name}").fetchall(), key=repr)  # noqa: S608 - fixed names
            for name in sorted(userdb.TABLES)}


def test_every_row_is_copied_and_a_second_copy_is_refused(source, pg_url, monkeypatch):
    monkeypatch.setenv(db.USER_DB_URL, pg_url)
    with db.connect_user(source) as duck, db.connect_user() as pg:
        counts = userdb_copy.copy(duck, pg)
        assert rows(pg) == rows(duck)
        assert sum(counts.values()) > 0 and counts["scenario"] == len(rows(duck)["scenario"])
        for knr in {s[1] for s in rows(duck)["scenario"]}:
            assert sc.list_for(pg, knr) == sc.list_for(duck, knr)
        for knr, register in {(r[0], r[1]) for r in rows(duck)["tiltak_register"]}:
            assert tk.load(pg, knr, register) == tk.load(duck, knr, register)
        with pytest.raises(userdb_copy.CopyRefused, match="allerede data"):
            userdb_copy.copy(duck, pg)
        assert rows(pg) == rows(duck)  # nothing doubled


def test_the_command_line(source, pg_url, monkeypatch, capsys):
    monkeypatch.delenv(db.USER_DB_URL, raising=False)
    assert userdb_copy.main(["--fra", str(source)]) == 2
    assert "Sett LEGEPLAN_USER_DB_URL" in capsys.readouterr().err
    monkeypatch.setenv(db.USER_DB_URL, pg_url)
    assert userdb_copy.main(["--fra", str(source.with_name("finnes-ikke.duckdb"))]) == 2
    assert "Finner ikke filen" in capsys.readouterr().err
    assert userdb_copy.main(["--fra", str(source)]) == 0
    assert "Kopiert: " in capsys.readouterr().out
    assert userdb_copy.main(["--fra", str(source)]) == 1
    assert "ingenting er kopiert" in capsys.readouterr().err
