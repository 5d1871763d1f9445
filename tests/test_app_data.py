"""AppTest: the Data page – the dataset table, provenance, and the upload → preview → confirm → restore
path (the upload is put in session state: AppTest cannot drive st.file_uploader)."""

from __future__ import annotations

import pandas as pd
import pytest

from core import db
from core import import_store as store
from core import ssb_readers as ssb
from tests import apptest_util
from tests.apptest_util import BAD_SHOWN, visible_text
from ui import data_view

PAGE = "pages/data.py"


@pytest.fixture(autouse=True)
def user_db(tmp_path, monkeypatch):
    """Imports go to a fresh database per test, never to data/brukerdata.duckdb."""
    path = tmp_path / "bruker.duckdb"
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(path))
    return path


def _alver_upload(con) -> bytes:
    """A real-shaped SSB 12005 CSV for Alver 2025 from the bundled values, one value changed."""
    rows = db.query(con, "SELECT metric, value FROM fastlege WHERE kommunenummer = '4631' AND year = 2025 "
                         "ORDER BY metric")
    labels = {m: label for m, _, label, _ in ssb.FASTLEGE_METRICS}
    lines = ['"12005: Fastlegelister og fastlegekonsultasjoner, etter region, statistikkvariabel og år"', "",
             '"region";"statistikkvariabel";"år";"Fastlegelister og fastlegekonsultasjoner"']
    for r in rows.itertuples():
        value = r.value + 1 if r.metric == "gp_agreements" else r.value
        lines.append(f'"4631 Alver";"{labels[r.metric]}";"2025";{str(value).replace(".", ",")}')
    return "\n".join(lines).encode("cp1252")


def test_page_lists_every_bundled_table_without_nan(con):
    at = apptest_util.open_page(PAGE, kommune="4631")
    table = at.dataframe[0].value
    bundled = set(db.query(con, "SELECT name FROM dataset")["name"])
    assert bundled <= set(table["Tabell"])
    assert not BAD_SHOWN.search(visible_text(at))
    assert not BAD_SHOWN.search(table.to_string())
    assert "Ingen innlastinger ennå" in visible_text(at)


def test_upload_preview_confirm_and_restore(con, user_db):
    at = apptest_util.open_page(PAGE, kommune="4631")
    at.session_state[data_view.PENDING] = ("12005_alver.csv", _alver_upload(con))
    at.run()
    assert not at.exception
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Endrede"] == "1" and tiles["Nye rader"] == "0" and tiles["Uendrede"] == "13"
    assert not at.error
    preview = next(df.value for df in at.dataframe if "Endring" in df.value.columns)
    assert preview.iloc[0]["Endring"] == "endret" and preview.iloc[0]["Måltall"] == "gp_agreements"
    assert not BAD_SHOWN.search(preview.to_string())
    next(b for b in at.button if b.label == "Bekreft og last inn").click()
    at.run()
    assert not at.exception
    assert any("som innlasting 1" in s.value for s in at.success)
    with db.connect_user(user_db) as ucon:
        stored = store.imported_fastlege(ucon, "4631")
    bundled = db.query(con, "SELECT value FROM fastlege WHERE kommunenummer='4631' AND year=2025 "
                            "AND metric='gp_agreements'")["value"].iloc[0]
    assert stored.set_index("metric").loc["gp_agreements", "value"] == bundled + 1
    assert len(stored) == 14
    batches_shown = next(df.value for df in at.dataframe if "Status" in df.value.columns)
    assert list(batches_shown["Status"]) == ["i bruk"]
    assert not BAD_SHOWN.search(visible_text(at))

    next(b for b in at.button if b.label.startswith("Gjenopprett forrige versjon")).click()
    at.run()
    assert not at.exception
    with db.connect_user(user_db) as ucon:
        assert store.imported_fastlege(ucon, "4631").empty
        assert list(store.batches(ucon)["active"]) == [False]


def test_bad_upload_shows_row_and_column_and_stores_nothing(user_db):
    at = apptest_util.open_page(PAGE, kommune="4631")
    bad = "region;statistikkvariabel;år;value\n4631 Alver;Antall fastlegeavtaler;2025;-3\n9999;Antall fastlegeavtaler;2025;4\n"
    at.session_state[data_view.PENDING] = ("feil.csv", bad.encode())
    at.run()
    assert not at.exception
    assert at.error and "2 feil" in at.error[0].value
    problems = next(df.value for df in at.dataframe if "Melding" in df.value.columns)
    assert set(problems["Rad"]) == {"2", "3"}
    assert not any(b.label == "Bekreft og last inn" for b in at.button)
    with db.connect_user(user_db) as ucon:
        assert isinstance(store.batches(ucon), pd.DataFrame) and store.batches(ucon).empty
