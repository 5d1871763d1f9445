"""AppTest: imported statistics in force reach Oversikt and Fastlegekapasitet, the captions name the
file, and a restore on the Data page brings the bundled figures back (LEGEPLAN_USER_DB: a fresh file
per test, tests/conftest.py)."""

from __future__ import annotations

from core import db
from core import import_store as store
from core import starting_points as sp
from tests import apptest_util
from tests.apptest_util import BAD_SHOWN, metrics, visible_text
from tests.test_overlay import CHANGES, alver_07459, alver_12005

NOTE = "Innlastet fra 12005_alver.csv, "


def apply(con, data: bytes, name: str) -> None:
    with db.connect_user() as user:
        parsed = store.parse_upload(data, name, db.query(con, "SELECT * FROM kommune"))
        batch_id, errors = store.apply(user, parsed, name, f"SSB / {name}")
        assert batch_id is not None, errors


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_oversikt_shows_the_imported_figure_and_a_restore_brings_back_the_bundled_one(con):
    at = apptest_util.open_app(kommune="4631")
    assert metrics(at)["Hjemler"] == "32" and metrics(at)["Ledige plasser"] == "-26"
    assert "Innlastet fra" not in visible_text(at)

    apply(con, alver_12005(con, CHANGES), "12005_alver.csv")
    at = apptest_util.open_app(kommune="4631")
    assert not at.exception
    shown = metrics(at)
    assert shown["Hjemler"] == "34" and shown["Ledige plasser"] == "974"
    assert shown["Listepasienter"] == "29302"  # not changed in the file
    tiles_caption = next(c.value for c in at.caption if c.value.startswith("Kilde:") and "Landet =" in c.value)
    assert tiles_caption.startswith(f"Kilde: {NOTE}") and "(medfølgende)" in tiles_caption
    # trend (Dekning and SSB's three), comparison, peers and map name the import too: the tiles' caption + 7 charts
    assert captions(at).count(NOTE) == 8, captions(at)
    assert not BAD_SHOWN.search(visible_text(at))
    # another kommune has no imported values: its captions say the bundled source only where its own
    # values are shown (tiles and trend); the comparisons include Alver's import in their sums
    other = apptest_util.open_app(kommune="1103")
    assert metrics(other)["Hjemler"] == "139"
    assert not next(c.value for c in other.caption if "Landet =" in c.value).startswith(f"Kilde: {NOTE}")

    data = apptest_util.open_page("pages/data.py", kommune="4631")
    next(b for b in data.button if b.label.startswith("Gjenopprett forrige versjon")).click()
    data.run()
    assert not data.exception
    assert any("Innlasting 1 er deaktivert" in s.value for s in data.success)

    at = apptest_util.open_app(kommune="4631")
    assert metrics(at)["Hjemler"] == "32" and metrics(at)["Ledige plasser"] == "-26"
    assert "Innlastet fra" not in visible_text(at)


def test_kapasitet_starts_from_the_imported_figures_and_residents(con):
    bundled = sp.from_statistics(con, "4631")
    apply(con, alver_12005(con, CHANGES), "12005_alver.csv")
    apply(con, alver_07459(con, extra_at_age_40=500), "07459_alver.csv")
    at = apptest_util.open_page("pages/kapasitet.py", kommune="4631")
    shown = metrics(at)
    assert shown["Hjemler 2025"] == "34" and shown["Sum listetak 2025"] == "28935"
    assert shown["Ledige plasser 2025"] == "974"
    first = at.dataframe[0].value.iloc[0]
    assert first["År"] == "2025"
    assert apptest_util.squash(first["Innbyggere"]) == f"{bundled.residents + 500:.0f}"
    assert apptest_util.squash(first["Sum listetak"]) == "28935"
    assert any(c.value.startswith("Kilde: Innlastet fra 12005_alver.csv, ") and "07459_alver.csv" in c.value
               for c in at.caption), captions(at)
    assert any("med innlastede tall" in m.value for m in at.markdown)
    assert not BAD_SHOWN.search(visible_text(at))
