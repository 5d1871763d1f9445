"""Write tests/fixtures/userdb_v1.duckdb: a small user database with something of every kind users save.

    python -m tools.make_userdb_fixture [output path]

It saves, through the modules' public functions only: three scenarios for two kommuner and three
pages (one of them deleted), a tiltak register saved twice (rows, a changed row, a removed row and
its log) and a project register, an office plan, and an import batch of each kind (SSB 12005,
07459, 14746 and the kommune's own figures; the first 12005 batch replaced by a second one and that
one deactivated again). tests/test_userdb.py migrates a copy and reads every one of them back,
compared with the values below.

The committed fixture was written by this script at commit b3035da, before the user database had a
schema version (no table `schema_version`): it stands for the databases users have from then. Do not
overwrite it: run at a later commit, the script writes a database that is already versioned. To
write the pre-version database again, run the script from a checkout of b3035da (where the readers and
the store were one module, core.importers: use it for own_figures and import_store).
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

from core import db
from core import import_store as store
from core import offices as of
from core import scenarios as sc
from core import tiltak as tk

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "userdb_v1.duckdb"
DATA_VERSION = "fixture-v1"

# (kommune, name, description, content) in the order saved; the last one is deleted afterwards.
SCENARIOS = (
    ("4631", "To nye hjemler", "Alver med to nye hjemler fra 2027.\nAndre linje.",
     {"kapasitet": {"new_hjemler": "2", "new_from_year": "2027", "exits_per_year": "1.5"},
      "okonomi": {"referanse": "alver", "list_length": "1100"}}),
    ("4631", "Lavere listetak", "",
     {"kapasitet": {"cap_change_places": "-50", "keep_workload": "1"}, "legeoppgaver": {"legecase": "alver"}}),
    ("3440", "Øyer slettet", "Slettet, men kan angres.", {"kapasitet": {"horizon": "2035"}}),
)
DELETED = "Øyer slettet"

TILTAK_KOMMUNE = "0301"
MEASURES_FIRST = (
    tk.Measure(measure="Rekruttere fastleger", priority=1, effect_goal="Sikre legetjenester", start_year=2024,
               end_year=2027, indicator_key="reserve_capacity", baseline=100.0, target=105.0, cost_min=10_000.0,
               cost_max=20_000.0, status="pågår", responsible="Helse og mestring", notes="Første\nlinje",
               row_id="rekruttere"),
    tk.Measure(measure="Nettside for unge", priority=2, cost_text="Liten kostnad", row_id="nettside"),
    tk.Measure(measure="Felles legevakt", priority=3, row_id="legevakt"),
)
# The second save: the first measure changed, the third removed.
MEASURES_SECOND = (
    tk.Measure(measure="Rekruttere fastleger", priority=1, effect_goal="Sikre legetjenester", start_year=2024,
               end_year=2028, indicator_key="reserve_capacity", baseline=100.0, target=110.0, cost_min=10_000.0,
               cost_max=25_000.0, status="pågår", responsible="Helse og mestring", notes="Første\nlinje",
               row_id="rekruttere"),
    tk.Measure(measure="Nettside for unge", priority=2, cost_text="Liten kostnad", row_id="nettside"),
)
TILTAK_AT = (datetime(2025, 11, 3, 9, 15), datetime(2025, 11, 4, 14, 30))
PROJECT_KOMMUNE = "4631"
PROJECT_ROWS = (
    tk.ProjectItem(kind="milestone", text="Årsrapport", deadline=date(2026, 1, 15), planned_kr=1.5e6, row_id="a"),
    tk.ProjectItem(kind="goal_main", text="Stabil fastlegeteneste", group="Mål", row_id="b"),
)
PROJECT_AT = datetime(2025, 11, 5, 8, 0)

PLAN_KOMMUNE, PLAN_NAME = "3440", "Plan 1"
PLAN_OFFICES_JSON = (
    '[{"name": "Tretten", "gps": 3, "gp_fte": 2.6, "lis1": 1, "secretary_fte": 2.5, "list_patients": 3200,'
    ' "consultations": 9800, "personnel_cost": 3100000, "running_cost": null, "rent_cost": 420000,'
    ' "equipment_cost": 90000},'
    ' {"name": "Øyer", "gps": 5, "gp_fte": null, "lis1": 0, "secretary_fte": 4, "list_patients": 5100,'
    ' "consultations": 15400, "personnel_cost": 5200000, "running_cost": 50000, "rent_cost": 610000,'
    ' "equipment_cost": 120000}]')
PLAN_MODELS = (of.Model(name="Ett kontor", mergers=(of.Merger(members=("Tretten", "Øyer"), name="Øyer legesenter",
                                                                rent_saving=200_000.0, equipment_once=True,
                                                                secretary_fte_saved=1.0),)),)

# Imports: (file name, source note, file text, loaded at). The expected rows in force are below.
FASTLEGE_OLD = (
    "12005_gammel.csv", "SSB 12005, første uttrekk",
    '"region";"statistikkvariabel";"år";"Fastlegelister og fastlegekonsultasjoner"\n'
    '"4631 Alver";"Antall fastlegeavtaler";"2024";30\n'
    '"4631 Alver";"Fastlegelister uten lege";"2024";1\n',
    datetime(2025, 10, 1, 10, 0))
FASTLEGE_NEW = (
    "12005_ny.csv", "SSB 12005, rettet uttrekk",
    '"region";"statistikkvariabel";"år";"Fastlegelister og fastlegekonsultasjoner"\n'
    '"4631 Alver";"Antall fastlegeavtaler";"2024";31\n'
    '"4631 Alver";"Fastlegelister uten lege";"2024";..\n',
    datetime(2025, 10, 2, 10, 0))
POPULATION = (
    "07459_alver.csv", "SSB 07459",
    '"region";"kjønn";"alder";"år";"Personer"\n'
    '"4631 Alver";"Menn";"040 40 år";"2025";210\n'
    '"4631 Alver";"Kvinner";"040 40 år";"2025";205\n'
    '"4631 Alver";"Menn";"041 41 år";"2025";198\n',
    datetime(2025, 10, 3, 10, 0))
PROJECTION = (
    "14746_alver.csv", "SSB 14746",
    '"region";"kjønn";"alder";"statistikkvariabel";"år";"Framskrevet folkemengde 1. januar"\n'
    '"4631 Alver";"Menn";"0 år";"Hovedalternativet (MMMM)";"2030";132\n'
    '"4631 Alver";"Kvinner";"0 år";"Hovedalternativet (MMMM)";"2030";127\n'
    '"4631 Alver";"Menn";"90 år eller eldre";"Hovedalternativet (MMMM)";"2030";88\n',
    datetime(2025, 10, 4, 10, 0))
OWN = (
    "egne_tall_alver.csv", "Alver kommune",
    "type;kommunenummer;år;kontor;liste;listetak;pasienter;antall;merknad\n"
    "kontor;4631;2025;Knarvik legesenter;;;;2;\n"
    "liste;4631;2025;Knarvik legesenter;Kna-1;1000;980;;\n"
    "liste;4631;2025;Knarvik legesenter;Kna-2;950;;;ny liste\n"
    "venteliste;4631;2025;;;;;412;per 1.12.2025\n"
    "planlagt_hjemmel;4631;2027;;;;;2;vedtatt i budsjett\n",
    datetime(2025, 10, 5, 10, 0))
IMPORTS = (FASTLEGE_OLD, FASTLEGE_NEW, POPULATION, PROJECTION, OWN)
RESTORED = "12005_ny.csv"  # deactivated after it was loaded: the old 12005 batch is in force again

# What is in force after all of it, per dataset: key columns → value(s).
EXPECTED_FASTLEGE = {("4631", 2024, "gp_agreements"): 30.0, ("4631", 2024, "lists_without_gp"): 1.0}
EXPECTED_POPULATION = {("4631", 2025, "male", 40): 210.0, ("4631", 2025, "female", 40): 205.0,
                       ("4631", 2025, "male", 41): 198.0}
EXPECTED_PROJECTION = {("4631", 2030, "male", 0, 0, "MMMM"): 132.0, ("4631", 2030, "female", 0, 0, "MMMM"): 127.0,
                       ("4631", 2030, "male", 90, None, "MMMM"): 88.0}
EXPECTED_OWN = {("kontor", 2025, "Knarvik legesenter", ""): (None, None, 2.0, ""),
                ("liste", 2025, "Knarvik legesenter", "Kna-1"): (1000.0, 980.0, None, ""),
                ("liste", 2025, "Knarvik legesenter", "Kna-2"): (950.0, None, None, "ny liste"),
                ("venteliste", 2025, "", ""): (None, None, 412.0, "per 1.12.2025"),
                ("planlagt_hjemmel", 2027, "", ""): (None, None, 2.0, "vedtatt i budsjett")}


def write(path: Path) -> None:
    """Write the fixture database at `path` (which must not exist)."""
    if path.exists():
        raise SystemExit(f"{path} finnes allerede; slett den først")
    stats = db.connect()
    kommuner = db.query(stats, "SELECT * FROM kommune")
    con = db.connect_user(path)
    try:
        ids = {name: sc.save(con, knr, name, text, content, DATA_VERSION) for knr, name, text, content in SCENARIOS}
        sc.delete(con, ids[DELETED])

        first = tk.save(con, TILTAK_KOMMUNE, tk.MEASURES, 0, MEASURES_FIRST, at=TILTAK_AT[0])
        second = tk.save(con, TILTAK_KOMMUNE, tk.MEASURES, first.version, MEASURES_SECOND, at=TILTAK_AT[1])
        assert first.ok and second.ok, (first, second)
        assert tk.save(con, PROJECT_KOMMUNE, tk.PROJECT, 0, PROJECT_ROWS, at=PROJECT_AT).ok

        of.save_plan(con, PLAN_KOMMUNE, PLAN_NAME, of.table_from_json(PLAN_OFFICES_JSON), PLAN_MODELS)

        for name, note, text, at in IMPORTS:
            parsed = store.parse_upload(text.encode("utf-8"), name, kommuner)
            assert parsed.ok, [p.text() for p in parsed.problems]
            batch_id, problems = store.apply(con, parsed, name, note, now=at)
            assert batch_id is not None, problems
            if name == RESTORED:
                store.set_active(con, batch_id, False)
    finally:
        con.close()
        stats.close()


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"skrev {sys.argv[1] if len(sys.argv) > 1 else OUT}")
