"""An imported 12005 year after the bundled latest (2025) becomes Oversikt's latest year once it covers every
kommune; a year imported for one kommune only does not (its national figures would be partial). A restore
brings 2025 back (LEGEPLAN_USER_DB: a fresh file per test)."""

from __future__ import annotations

from core import db
from core import import_store as store
from core import indicators as ind
from core import overlay as ov
from core import ssb_readers as ssb
from tests import apptest_util
from tests.apptest_util import BAD_SHOWN, metrics
from tests.test_overlay import CHANGES, LABEL, alver_12005

FILE = "12005_2026.csv"


def national_12005(con, year: int = 2026) -> bytes:
    """Every kommune's bundled 2025 values as an SSB 12005 export for `year`, Alver with CHANGES."""
    rows = db.query(con, """SELECT f.kommunenummer, k.display_name, f.metric, f.value FROM fastlege f
                            JOIN kommune k USING (kommunenummer) WHERE f.year = 2025 AND f.value IS NOT NULL
                            ORDER BY f.kommunenummer, f.metric""")
    lines = ['"12005: Fastlegelister og fastlegekonsultasjoner, etter region, statistikkvariabel og år"', "",
             '"region";"statistikkvariabel";"år";"Fastlegelister og fastlegekonsultasjoner"']
    for r in rows.itertuples():
        value = CHANGES.get(r.metric, r.value) if r.kommunenummer == "4631" else r.value
        lines.append(f'"{r.kommunenummer} {r.display_name}";"{LABEL[r.metric]}";"{year}";'
                     f'{f"{value:g}".replace(".", ",")}')
    return "\n".join(lines).encode("cp1252")


def apply(con, data: bytes, name: str) -> None:
    with db.connect_user() as user:
        parsed = store.parse_upload(data, name, db.query(con, "SELECT * FROM kommune"))
        assert parsed.ok, [p.text() for p in parsed.problems][:5]
        batch_id, errors = store.apply(user, parsed, name, f"SSB / {name}")
        assert batch_id is not None, errors


def test_newer_year_needs_the_coverage_of_the_bundled_year(con):
    bundled = ind.latest_year(con)
    coverage = ind.coverage(con, bundled)
    assert (bundled, coverage) == (2025, 351)  # 357 kommuner, 6 without list capacity
    apply(con, alver_12005(con, CHANGES, year=2026), "12005_alver_2026.csv")
    with db.connect_user() as user:
        imported = ov.fastlege_in_force(user)
    assert ov.newer_year(bundled, imported, "4631") == 2026
    assert ov.newer_year(bundled, imported, min_kommuner=coverage) == 2025
    apply(con, national_12005(con), FILE)
    with db.connect_user() as user:
        imported = ov.fastlege_in_force(user)
    assert ov.newer_year(bundled, imported, min_kommuner=coverage) == 2026
    assert ov.newer_year(bundled, None, min_kommuner=coverage) == 2025


def test_oversikt_shows_an_imported_newer_year_and_a_restore_brings_back_2025(con):
    at = apptest_util.open_app(kommune="4631")
    assert any(s.value == "Nøkkeltall 2025" for s in at.subheader)

    apply(con, alver_12005(con, CHANGES, year=2026), "12005_alver_2026.csv")
    at = apptest_util.open_app(kommune="4631")
    assert any(s.value == "Nøkkeltall 2025" for s in at.subheader)  # Alver alone: not the latest year

    apply(con, national_12005(con), FILE)
    at = apptest_util.open_app(kommune="4631")
    assert not at.exception
    assert any(s.value == "Nøkkeltall 2026" for s in at.subheader)
    assert any(s.value == "Utvikling 2015–2026" for s in at.subheader)
    shown = metrics(at)
    assert shown["Hjemler"] == "34" and shown["Ledige plasser"] == "974"
    tiles_caption = next(c.value for c in at.caption if "Landet =" in c.value)
    assert tiles_caption.startswith(f"Kilde: Innlastet fra {FILE}, ") and ", 2026 (per 31.12.)" in tiles_caption
    # no population for 1.1.2027 yet: expected consultations from 1.1.2026, without a change
    assert shown["Konsultasjoner per innbygger (forventet)"] == "3,01" and "1.1.2026." in tiles_caption
    assert not BAD_SHOWN.search(apptest_util.visible_text(at))
    other = metrics(apptest_util.open_app(kommune="1103"))
    assert other["Hjemler"] == "139"  # Stavanger 2026 = its 2025 values

    with db.connect_user() as user:
        assert store.restore_previous(user, ssb.FASTLEGE) is not None  # the national 2026 file
        assert store.restore_previous(user, ssb.FASTLEGE) is not None  # Alver's 2026 file
    at = apptest_util.open_app(kommune="4631")
    assert any(s.value == "Nøkkeltall 2025" for s in at.subheader)
    assert metrics(at)["Hjemler"] == "32" and "Innlastet fra" not in apptest_util.visible_text(at)
