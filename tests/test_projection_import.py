"""Imported SSB projections (tables 14746 / 14288, Data page): parsed, validated and applied all or nothing like
07459; where one covers a kommune, Befolkning and Fastlegekapasitet use it like SSB's own projection for Telemark
(core.demography.ssb_kommune_groups), the captions name the file, and a restore brings the previous state back.
The fixture tests/fixtures/14746_alver.csv is a statbank CSV export (title line, semicolons, Windows-1252) of
Alver, men and women, SSB's age groups, 2026–2050, alternatives MMMM and LLML (LEGEPLAN_USER_DB: a fresh file
per test)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from core import db, demography
from core import import_store as store
from core import overlay as ov
from core import ssb_readers as ssb
from tests import apptest_util
from tests.apptest_util import BAD_SHOWN, visible_text

FILE = "14746_alver.csv"
FIXTURE = Path(__file__).parent / "fixtures" / FILE
# From the fixture, main alternative (MMMM), men + women, 1 January 2040.
MAIN_2040 = {"0-5": 260 + 1400, "67-79": 4956, "80-89": 1711, "90+": 330}
OLD_2040 = {"main": (6997, 2041), "low": (6786, 1978)}
TOTAL_2040 = 30984


@pytest.fixture(scope="module")
def kommuner(con):
    return db.query(con, "SELECT * FROM kommune")


def parse(data: bytes, kommuner: pd.DataFrame, name: str = FILE) -> ssb.Parsed:
    return store.parse_upload(data, name, kommuner)


def messages(parsed: ssb.Parsed) -> list[str]:
    return [p.text() for p in parsed.problems]


def test_the_statbank_export_is_recognised_and_every_row_kept(kommuner):
    parsed = parse(FIXTURE.read_bytes(), kommuner)
    assert parsed.ok and parsed.dataset == ssb.PROJECTION, messages(parsed)
    assert parsed.file_format == "CSV (semikolon, Windows-1252)"
    assert len(parsed.frame) == 240  # 2 alternatives × 2 sexes × 10 age groups × 6 years
    assert set(parsed.frame["alternative"]) == {"MMMM", "LLML"}
    row = parsed.frame[(parsed.frame["year"] == 2040) & (parsed.frame["age"] == 90)
                       & (parsed.frame["alternative"] == "MMMM") & (parsed.frame["sex"] == "female")]
    assert row["age_to"].isna().all() and len(row) == 1  # «90 år eller eldre»: open group
    groups = ov.projection_groups(parsed.frame, "4631", "main")
    assert float(groups[groups["year"] == 2040]["persons"].sum()) == TOTAL_2040
    for alternative, (n67, n80) in OLD_2040.items():
        old = ov.projection_old_age(ov.projection_groups(parsed.frame, "4631", alternative))
        at = old[old["year"] == 2040].set_index("age_group")["persons"]
        assert (at["67+"], at["80+"]) == (n67, n80)
    assert ov.projection_groups(parsed.frame, "4631", "high") is None  # HHMH is not in the file
    assert ov.projection_groups(parsed.frame, "1103", "main") is None


def test_comma_utf8_without_title_and_single_ages_and_json_stat(kommuner):
    text = FIXTURE.read_bytes().decode("cp1252").splitlines()[2:]
    comma = "\n".join(line.replace(";", ",") for line in text).encode("utf-8")
    parsed = parse(comma, kommuner)
    assert parsed.ok and len(parsed.frame) == 240 and parsed.file_format == "CSV (komma, UTF-8)"
    single = ('region;kjønn;alder;år;statistikkvariabel;Framskrevet folkemengde\n'
              '"4631 Alver";"Kvinner";"45 år";"2030";"Hovedalternativet (MMMM)";210\n'
              '"4631 Alver";"Kvinner";"105 år eller eldre";"2030";"Hovedalternativet (MMMM)";..\n').encode()
    parsed = parse(single, kommuner)
    assert parsed.ok, messages(parsed)
    assert parsed.frame[["age", "population"]].values.tolist()[0] == [45, 210.0]
    assert parsed.frame["missing_reason"].iloc[1] == ssb.SSB_MARKERS[".."]
    doc = {"class": "dataset", "id": ["Region", "Kjonn", "Alder", "ContentsCode", "Tid"], "size": [1, 1, 2, 2, 1],
           "dimension": {
               "Region": {"category": {"index": {"4631": 0}, "label": {"4631": "Alver"}}},
               "Kjonn": {"category": {"index": {"2": 0}, "label": {"2": "Kvinner"}}},
               "Alder": {"category": {"index": {"067-079": 0, "080-089": 1},
                                      "label": {"067-079": "67-79 år", "080-089": "80-89 år"}}},
               "ContentsCode": {"category": {"index": {"Personer1": 0, "Personer2": 1},
                                             "label": {"Personer1": "Hovedalternativet (MMMM)",
                                                       "Personer2": "Lav nasjonal vekst (LLML)"}}},
               "Tid": {"category": {"index": {"2040": 0}, "label": {"2040": "2040"}}}},
           "value": [2600, 2500, 900, 880]}
    parsed = parse(json.dumps(doc).encode("utf-8"), kommuner, "14746.json")
    assert parsed.ok and parsed.file_format == "JSON-stat 2", messages(parsed)
    assert sorted(zip(parsed.frame["age"], parsed.frame["alternative"], parsed.frame["population"],
                      strict=True)) == [(67, "LLML", 2500.0), (67, "MMMM", 2600.0), (80, "LLML", 880.0),
                                        (80, "MMMM", 900.0)]


def test_problems_name_the_row_and_column(kommuner):
    head = '"region";"kjønn";"alder";"statistikkvariabel";"år";"Framskrevet folkemengde 1. januar"\n'
    rows = ['"9999 Ukjent";"Menn";"0 år";"Hovedalternativet (MMMM)";"2030";10',
            '"4631 Alver";"Menn";"0 år";"Hovedalternativet (MMMM)";"2019";10',
            '"4631 Alver";"Menn";"0 år";"Hovedalternativet (MMMM)";"2030";-5',
            '"4631 Alver";"Menn";"1-5 år";"Hovedalternativet (MMMM)";"2030";10',
            '"4631 Alver";"Menn";"1-5 år";"Hovedalternativet (MMMM)";"2030";11',
            '"4631 Alver";"Menn";"3-9 år";"Hovedalternativet (MMMM)";"2030";11',
            '"4631 Alver";"Menn";"gammel";"Hovedalternativet (MMMM)";"2030";11']
    parsed = parse((head + "\n".join(rows)).encode("utf-8"), kommuner)
    assert not parsed.ok and parsed.dataset == ssb.PROJECTION
    text = messages(parsed)
    assert text[0].startswith("Rad 2, kolonne «region»: 9999 Ukjent finnes ikke i 2024-inndelingen")
    assert text[1] == "Rad 3, kolonne «år»: «2019» er ikke et gyldig år (2020–2100)."
    assert text[2].startswith("Rad 4, kolonne «Framskrevet folkemengde") and text[2].endswith(
        "»: -5 er et negativt folketall.")
    assert text[3].startswith("Rad 6: Raden er en dublett av rad 5")
    assert text[4].startswith("Rad 8, kolonne «alder»: «gammel» er ikke en alder eller en aldersgruppe")
    assert text[5] == ("Rad 7: Aldersgruppen overlapper med rad 5 (samme kommune, år, kjønn og alternativ).")
    with db.connect_user() as user:
        assert store.apply(user, parsed, FILE, "x")[0] is None  # all or nothing
        assert store.batches(user, ssb.PROJECTION).empty


def test_the_capacity_demand_uses_the_import_like_telemark(con, kommuner):
    parsed = parse(FIXTURE.read_bytes(), kommuner)
    projection = demography.project_all(con)
    bundled = demography.ssb_kommune_groups(con, projection, "4631")
    assert bundled is None  # no SSB kommune projection for Alver in the database
    groups = demography.ssb_kommune_groups(con, projection, "4631",
                                           imported=ov.projection_groups(parsed.frame, "4631", "main"))
    at = groups.loc[2040]
    for label, n in MAIN_2040.items():
        assert at[label] == pytest.approx(n), label
    assert float(at.sum()) == pytest.approx(TOTAL_2040)
    assert float(groups.loc[2026].sum()) == pytest.approx(float(projection.kommune("4631")[0].sum()))


def tiles(at) -> dict[str, str]:
    return {m.label: apptest_util.squash(m.value) for m in at.metric}


def test_befolkning_and_kapasitet_use_the_import_and_a_restore_brings_back_the_previous_state(con, kommuner):
    before = apptest_util.open_page("pages/befolkning.py", kommune="4631")
    before_text = visible_text(before)
    cap_before = apptest_util.open_page("pages/kapasitet.py", kommune="4631")
    with db.connect_user() as user:
        batch, errors = store.apply(user, parse(FIXTURE.read_bytes(), kommuner), FILE, f"SSB / {FILE}")
        assert batch is not None, errors
    at = apptest_util.open_page("pages/befolkning.py", kommune="4631")
    shown = visible_text(at).replace("\u00a0", " ")
    assert "1.1.2040: 6 997 personer 67 år og eldre, 2 041 80 år og eldre." in shown
    assert any(FILE in c.value and "Prikket linje: SSBs framskriving for kommunen" in c.value for c in at.caption)
    assert tiles(at) == tiles(before)  # the tiles are Legeplan's projection, as for Telemark
    assert not BAD_SHOWN.search(visible_text(at))
    low = apptest_util.open_page("pages/befolkning.py", kommune="4631", alternative="low")
    assert "1.1.2040: 6 786 personer 67 år og eldre, 1 978 80 år og eldre." in visible_text(low).replace("\u00a0", " ")

    data = apptest_util.open_page("pages/data.py")
    overview = data.dataframe[0].value.astype(str).to_string()
    assert "Befolkningsframskriving for kommunen (SSB tabell 14746 eller 14288) – importert" in overview
    assert "import_projection (brukerdatabasen)" in overview and "2026–2050" in overview and FILE in overview
    listed = next(df.value for df in data.dataframe if "Status" in df.value.columns)
    assert FILE in listed.astype(str).to_string() and "240" in listed.astype(str).to_string()

    cap = apptest_util.open_page("pages/kapasitet.py", kommune="4631")
    assert any(FILE in c.value and "SSBs befolkningsframskriving for kommunen" in c.value for c in cap.caption)
    assert not BAD_SHOWN.search(visible_text(cap))

    with db.connect_user() as user:
        assert store.restore_previous(user, ssb.PROJECTION) == batch
    restored = apptest_util.open_page("pages/befolkning.py", kommune="4631")
    assert visible_text(restored) == before_text and FILE not in visible_text(restored)
    cap_restored = apptest_util.open_page("pages/kapasitet.py", kommune="4631")
    assert visible_text(cap_restored) == visible_text(cap_before)
