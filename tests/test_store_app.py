"""The app on the PostgreSQL store (LEGEPLAN_USER_DB_URL): the sidebar saves scenarios there, sees scenarios
another process saved (no listing kept per process), and imports made by another process reach the pages."""

from __future__ import annotations

from datetime import datetime

import pytest

from core import db, userdb
from core import scenarios as sc
from core import ssb_readers as ssb
from tests import apptest_util
from tests.test_app_scenario import KAP, pick_and_open, save


@pytest.fixture
def pg(pg_url, monkeypatch):
    monkeypatch.setenv(db.USER_DB_URL, pg_url)
    from ui import cache

    cache.imports_changed()
    yield pg_url
    cache.imports_changed()


def test_the_sidebar_saves_to_postgres_and_lists_what_another_process_saved(pg):
    at = apptest_util.open_page(KAP, kommune="4631")
    apptest_util.lever(at, "new_hjemler").set_value(2)
    at.run()
    save(at, "To nye hjemler")
    assert any("Lagret «To nye hjemler»" in s.value for s in at.success)
    with db.connect_user() as con:
        assert db.is_postgres(con)
        assert [s.name for s in sc.list_for(con, "4631")] == ["To nye hjemler"]
        # another process (here: another connection) saves one; this process has written nothing since
        sc.save(con, "4631", "Fra en annen prosess", "", {"kapasitet": {"new_hjemler": "4"}}, "v")
    fresh = apptest_util.open_page(KAP, kommune="4631")
    assert "Fra en annen prosess" in fresh.selectbox(key="scenario_valg").options
    pick_and_open(fresh, "Fra en annen prosess")
    assert apptest_util.lever(fresh, "new_hjemler").value == 4


def test_an_import_by_another_process_reaches_the_imports_version(pg, monkeypatch):
    from ui import cache

    monkeypatch.setattr(cache, "IMPORTS_TTL_SHARED", 0.0)  # no wait in the test
    assert cache.imports_version() == ""
    with db.connect_user() as con:
        userdb.ensure(con)
        con.execute("INSERT INTO import_batch VALUES (?, ?, ?, ?, ?, ?, ?, TRUE)",
                    [7, ssb.FASTLEGE, "fil.csv", datetime(2026, 1, 1), 0, "SSB", "csv"])
    assert cache.imports_version().endswith("#7")
    with db.connect_user() as con:
        con.execute("UPDATE import_batch SET active = FALSE WHERE batch_id = 7")
    assert cache.imports_version() == ""
