"""Imported statistics in force laid over the bundled ones (core/overlay.py): the Oversikt key figures,
trend, comparison and the capacity starting point follow an import, and go back on restore."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from core import db
from core import import_store as store
from core import indicators as ind
from core import overlay as ov
from core import ssb_readers as ssb
from core import starting_points as sp

LABEL = {m: label for m, _, label, _ in ssb.FASTLEGE_METRICS}
LOADED = datetime(2026, 11, 25, 9, 30)
# Alver 2025 as bundled (SSB): 32 lists, sum list caps 27 935, 27 961 patients on lists with a GP.
CHANGES = {"gp_agreements_total_incl_without_gp": 34, "list_capacity": 28_935, "reserve_capacity_index": 103}


def alver_12005(con, changes: dict[str, float], year: int = 2025) -> bytes:
    """An SSB 12005 CSV export (title line, semicolons, Windows-1252) of Alver's bundled values for
    `year`, with `changes` (metric → new value) applied."""
    rows = db.query(con, "SELECT metric, value FROM fastlege WHERE kommunenummer = '4631' AND year = 2025 "
                         "ORDER BY metric")
    lines = ['"12005: Fastlegelister og fastlegekonsultasjoner, etter region, statistikkvariabel og år"', "",
             '"region";"statistikkvariabel";"år";"Fastlegelister og fastlegekonsultasjoner"']
    for r in rows.itertuples():
        value = changes.get(r.metric, r.value)
        lines.append(f'"4631 Alver";"{LABEL[r.metric]}";"{year}";{f"{value:g}".replace(".", ",")}')
    return "\n".join(lines).encode("cp1252")


def alver_07459(con, extra_at_age_40: int, year: int = 2026) -> bytes:
    """An SSB 07459 CSV export of Alver's bundled residents on 1 January `year`, every single age for men
    and women, with `extra_at_age_40` more men aged 40."""
    rows = db.query(con, "SELECT sex, age, population FROM population_single_age WHERE kommunenummer = '4631' "
                         "AND year = ? ORDER BY sex, age", [year])
    sex = {"male": "Menn", "female": "Kvinner"}
    lines = ['"07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år"', "",
             '"region";"kjønn";"alder";"statistikkvariabel";"år";"Befolkning"']
    for r in rows.itertuples():
        age = "105 år eller eldre" if r.age == 105 else f"{r.age} år"
        value = int(r.population) + (extra_at_age_40 if (r.sex, r.age) == ("male", 40) else 0)
        lines.append(f'"4631 Alver";"{sex[r.sex]}";"{age}";"Personer";"{year}";{value}')
    return "\n".join(lines).encode("cp1252")


def load(user, data: bytes, name: str, kommuner: pd.DataFrame) -> int:
    parsed = store.parse_upload(data, name, kommuner)
    assert parsed.ok, [p.text() for p in parsed.problems]
    batch_id, errors = store.apply(user, parsed, name, f"SSB / {name}", now=LOADED)
    assert batch_id is not None, errors
    return batch_id


@pytest.fixture(scope="module")
def kommuner(con):
    return ind.kommuner(con)


@pytest.fixture
def user():
    with db.connect_user() as con:  # LEGEPLAN_USER_DB: a fresh file per test (tests/conftest.py)
        yield con


def tiles(figures: list[ind.Figure]) -> dict[str, float | None]:
    """The 12005 tiles (the consultations tile comes from 07459 and DuckDB's float sum is not bit-stable)."""
    return {f.indicator.name: f.value for f in figures if f.indicator.name != "consultations_per_resident"}


def test_overlay_replaces_matching_keys_and_adds_new_ones():
    bundled = pd.DataFrame({"year": [2024, 2025, 2025], "metric": ["a", "a", "b"], "value": [1.0, 2.0, 3.0]})
    imported = pd.DataFrame({"kommunenummer": ["4631", "4631"], "year": [2025, 2026], "metric": ["a", "a"],
                             "value": [20.0, 30.0]})
    out = ov.fastlege(bundled, imported)
    assert list(out.itertuples(index=False, name=None)) == [(2024, "a", 1.0), (2025, "a", 20.0),
                                                             (2026, "a", 30.0), (2025, "b", 3.0)]
    assert ov.fastlege(bundled, None) is bundled
    assert ov.fastlege(bundled, imported.iloc[0:0]) is bundled


def test_imported_12005_changes_key_figures_and_capacity_base_and_restore_brings_back_bundled(con, kommuner, user):
    bundled_tiles = tiles(ind.key_figures(con, "4631", 2025))
    bundled_base = sp.from_statistics(con, "4631")
    assert (bundled_tiles["lists_total"], bundled_tiles["free_capacity"]) == (32, -26)
    assert (bundled_base.hjemler, bundled_base.list_capacity) == (32, 27_935)
    assert ov.fastlege_in_force(user).empty

    load(user, alver_12005(con, CHANGES), "12005_alver.csv", kommuner)
    imported = ov.fastlege_in_force(user)
    assert len(imported) == 14 and set(imported["file_name"]) == {"12005_alver.csv"}

    now = tiles(ind.key_figures(con, "4631", 2025, imported))
    assert now["lists_total"] == 34
    assert now["free_capacity"] == 28_935 - 27_961 == 974
    assert now["reserve_capacity"] == pytest.approx(28_935 / 27_961 * 100)
    assert now["list_patients"] == bundled_tiles["list_patients"]  # not changed in the file
    base = sp.from_statistics(con, "4631", imported=imported)
    assert (base.hjemler, base.list_capacity, base.patients_with_gp) == (34, 28_935, 27_961)
    assert base.residents == bundled_base.residents  # no 07459 import
    assert base.source.startswith("Innlastet fra 12005_alver.csv, 25.11.2026; ellers SSB")
    assert "(medfølgende)" in base.source and base.label.endswith("med innlastede tall")
    trend = ind.trend(con, "4631", imported).set_index(["metric", "year"])["value"]
    assert trend[("reserve_capacity_index", 2025)] == 103
    assert trend[("reserve_capacity_index", 2024)] == ind.trend(con, "4631").set_index(
        ["metric", "year"])["value"][("reserve_capacity_index", 2024)]
    # the county, KOSTRA group and nation are sums over the kommuner with the values in force
    before = ind.comparison(con, "4631", 2025).set_index("level")["list_capacity"]
    after = ind.comparison(con, "4631", 2025, imported).set_index("level")["list_capacity"]
    assert (after - before).to_dict() == {"kommune": 1000, "fylke": 1000, "kostra": 1000, "land": 1000}
    # another kommune is untouched
    assert sp.from_statistics(con, "1103", imported=imported) == sp.from_statistics(con, "1103")

    assert store.restore_previous(user, ssb.FASTLEGE) == 1
    restored = ov.fastlege_in_force(user)
    assert restored.empty
    assert tiles(ind.key_figures(con, "4631", 2025, restored)) == bundled_tiles
    assert sp.from_statistics(con, "4631", imported=restored) == bundled_base


def test_the_newest_active_import_is_in_force(con, kommuner, user):
    load(user, alver_12005(con, {"list_capacity": 28_935}), "first.csv", kommuner)
    load(user, alver_12005(con, {"list_capacity": 30_000}), "second.csv", kommuner)
    assert sp.from_statistics(con, "4631", imported=ov.fastlege_in_force(user)).list_capacity == 30_000
    store.restore_previous(user, ssb.FASTLEGE)
    base = sp.from_statistics(con, "4631", imported=ov.fastlege_in_force(user))
    assert base.list_capacity == 28_935 and base.source.startswith("Innlastet fra first.csv")


def test_missing_values_in_the_import_keep_the_bundled_value(con, kommuner, user):
    data = alver_12005(con, {}).decode("cp1252").replace(';"2025";27935', ';"2025";..').encode("cp1252")
    load(user, data, "prikket.csv", kommuner)
    imported = ov.fastlege_in_force(user)
    assert "list_capacity" not in set(imported["metric"])
    assert sp.from_statistics(con, "4631", imported=imported).list_capacity == 27_935


def test_imported_population_sets_the_base_year_residents(con, kommuner, user):
    bundled = sp.from_statistics(con, "4631")
    load(user, alver_07459(con, extra_at_age_40=500), "07459_alver.csv", kommuner)
    population = ov.population_in_force(user)
    assert ov.residents(population, "4631", 2026) == bundled.residents + 500
    assert ov.residents(population, "4631", 2025) is None  # not imported: the bundled figure stays
    base = sp.from_statistics(con, "4631", imported_population=population)
    assert base.residents == bundled.residents + 500
    assert base.source.startswith("Innlastet fra 07459_alver.csv, 25.11.2026; ellers SSB")
    store.restore_previous(user, ssb.POPULATION)
    assert ov.population_in_force(user).empty


def test_a_year_with_only_some_ages_is_not_used(con, kommuner, user):
    data = b'"region";"kj\xf8nn";"alder";"statistikkvariabel";"\xe5r";"Befolkning"\n' \
           b'"4631 Alver";"Menn";"40 \xe5r";"Personer";"2026";999\n'
    load(user, data, "delvis.csv", kommuner)
    assert ov.residents(ov.population_in_force(user), "4631", 2026) is None


def test_note_names_every_file_used_and_file_names_are_made_safe():
    rows = pd.DataFrame({"batch_id": [2, 1], "file_name": ["b.csv", "[lenke](x) *a*.csv"],
                         "loaded_at": [LOADED, datetime(2026, 1, 2)]})
    assert ov.note(rows) == ("Innlastet fra lenke(x) a.csv, 02.01.2026, b.csv, 25.11.2026; ellers SSB, "
                             "statistikkbanktabell 12005 «Fastlegelister og fastlegekonsultasjoner (K)» (medfølgende)")
    assert ov.note(None, rows.iloc[0:0]) is None
