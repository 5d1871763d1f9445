"""Tiltak og prosjekt: the stored registers (round trip, undo, refused stale saves, concurrent
writers), validation, formula-safe export, Stavanger's table row by row against the document,
Alver's milestones and overdue milestones by hand."""

from __future__ import annotations

import csv
import io
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from core import db
from core import tiltak as tk
from core import tiltak_charts as charts

DOCUMENTS = db.ROOT / "data" / "documents"  # copies of the public case documents
STAVANGER_DOC = DOCUMENTS / "stavanger-temaplan-tabell-1-prioriterte-tiltak.txt"
ALVER_DOC = DOCUMENTS / "alver-prosjektplan-leiing-kvalitetsforbetring-2021-2024.txt"


@pytest.fixture()
def user_db(tmp_path, monkeypatch) -> Path:
    """A fresh user database per test, never data/brukerdata.duckdb."""
    path = tmp_path / "bruker.duckdb"
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(path))
    return path


@pytest.fixture()
def ucon(user_db, store_con):
    """The store on both back ends: the DuckDB file (at user_db) and PostgreSQL (tests/conftest.py)."""
    return store_con


def m(text: str, **kw) -> tk.Measure:
    return tk.Measure(measure=text, row_id=kw.pop("row_id", text.lower().replace(" ", "-")), **kw)


# --- the store ------------------------------------------------------------------------------------

def test_round_trip_keeps_every_field(ucon):
    rows = [m("Rekruttere fastleger", priority=1, effect_goal="Sikre legetjenester", start_year=2024, end_year=2027,
              indicator_key="reserve_capacity", baseline=100.0, target=105.0, cost_min=10_000.0, cost_max=20_000.0,
              status="pågår", responsible="Helse og mestring", notes="Første\nlinje"),
            m("Nettside for unge", priority=2, cost_text="Liten kostnad")]
    first = tk.save(ucon, "0301", tk.MEASURES, 0, rows)
    assert first.ok and first.version == 1
    loaded = tk.load(ucon, "0301", tk.MEASURES)
    assert loaded.version == 1 and loaded.rows == tuple(rows) and loaded.removed == ()
    project = [tk.ProjectItem(kind="milestone", text="Årsrapport", deadline=date(2025, 1, 15), planned_kr=1.5e6,
                              row_id="a")]
    assert tk.save(ucon, "0301", tk.PROJECT, 0, project).ok
    assert tk.load(ucon, "0301", tk.PROJECT).rows == tuple(project)
    assert tk.load(ucon, "0301", tk.MEASURES).rows == tuple(rows)  # the registers are apart


def test_edit_bumps_row_and_register_version_and_logs_with_time(ucon):
    rows = [m("A", priority=1), m("B", priority=2)]
    tk.save(ucon, "0301", tk.MEASURES, 0, rows)
    result = tk.save(ucon, "0301", tk.MEASURES, 1, [replace(rows[0], status="ferdig"), rows[1]])
    assert result.ok and result.version == 2
    assert result.changes == ("endret «A» (Status: «ikke startet» → «ferdig»)",)
    loaded = tk.load(ucon, "0301", tk.MEASURES)
    assert [r.version for r in loaded.rows] == [2, 1]
    log = tk.change_log(ucon, "0301", tk.MEASURES)
    assert list(log["version"]) == [2, 1, 1, 1]  # created, added A, added B
    assert log["at"].notna().all()
    assert tk.save(ucon, "0301", tk.MEASURES, 2, loaded.rows).messages == ("Ingen endringer å lagre.",)


def test_remove_and_undo(ucon):
    rows = [m("A", priority=1), m("B", priority=2), m("C", priority=3)]
    tk.save(ucon, "0301", tk.MEASURES, 0, rows)
    removed = tk.remove(ucon, "0301", tk.MEASURES, 1, "b")
    assert removed.ok and removed.changes == ("fjernet «B»",)  # C moving up is not a move
    after = tk.load(ucon, "0301", tk.MEASURES)
    assert [r.measure for r in after.rows] == ["A", "C"] and [r.measure for r in after.removed] == ["B"]
    undone = tk.undo_remove(ucon, "0301", tk.MEASURES, 2, "b")
    assert undone.ok and "gjenopprettet «B»" in undone.changes
    back = tk.load(ucon, "0301", tk.MEASURES)
    assert [r.measure for r in back.rows] == ["A", "B", "C"] and [r.priority for r in back.rows] == [1, 2, 3]
    assert back.removed == ()
    assert not tk.undo_remove(ucon, "0301", tk.MEASURES, 3, "b").ok


def test_reorder_logs_only_the_moved_row(ucon):
    rows = [m("A", priority=1), m("B", priority=2), m("C", priority=3), m("D", priority=4)]
    tk.save(ucon, "0301", tk.MEASURES, 0, rows)
    moved = tk.order([replace(rows[3], priority=1), rows[0], rows[1], rows[2]])
    result = tk.save(ucon, "0301", tk.MEASURES, 1, moved)
    assert result.changes == ("flyttet «D» fra plass 4 til 1",)
    assert [r.measure for r in tk.load(ucon, "0301", tk.MEASURES).rows] == ["D", "A", "B", "C"]


def test_second_writer_from_the_same_version_is_refused_with_what_changed(ucon):
    rows = [m("A", priority=1), m("B", priority=2)]
    tk.save(ucon, "0301", tk.MEASURES, 0, rows)
    alice = tk.save(ucon, "0301", tk.MEASURES, 1, [replace(rows[0], status="pågår"), rows[1]])
    bob = tk.save(ucon, "0301", tk.MEASURES, 1, [rows[0], replace(rows[1], notes="Bobs merknad")])
    assert alice.ok and not bob.ok and bob.version == 2
    message = bob.messages[0]
    assert "Ikke lagret: noen andre har lagret i mellomtiden" in message
    assert "versjon 1" in message and "versjon 2" in message
    assert "endret «A» (Status: «ikke startet» → «pågår»)" in message
    stored = tk.load(ucon, "0301", tk.MEASURES)
    assert stored.rows[0].status == "pågår" and stored.rows[1].notes == ""  # Alice kept, Bob not written


def test_first_save_races_cannot_both_create_the_register(ucon):
    assert tk.save(ucon, "0301", tk.MEASURES, 0, [m("A")]).ok
    late = tk.save(ucon, "0301", tk.MEASURES, 0, [m("B")])
    assert not late.ok and "la til «A»" in late.messages[0]
    assert [r.measure for r in tk.load(ucon, "0301", tk.MEASURES).rows] == ["A"]


def test_concurrent_writers_from_threads_lose_nothing(user_store, ucon):
    tk.save(ucon, "0301", tk.MEASURES, 0, [])
    writers, refused = 6, []
    start = threading.Barrier(writers)

    def writer(n: int) -> None:
        with user_store.connect() as con:
            start.wait()
            for _ in range(200):
                snap = tk.load(con, "0301", tk.MEASURES)
                mine = tk.Measure(measure=f"Tiltak fra skriver {n}", priority=len(snap.rows) + 1, row_id=f"w{n}")
                result = tk.save(con, "0301", tk.MEASURES, snap.version, [*snap.rows, mine])
                if result.ok:
                    return
                refused.append(result.messages[0])
            raise AssertionError(f"writer {n} never got through")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = tk.load(ucon, "0301", tk.MEASURES)
    assert sorted(r.row_id for r in final.rows) == [f"w{n}" for n in range(writers)]
    assert final.version == 1 + writers  # every save counted once, none overwrote another
    assert all("Ikke lagret" in msg for msg in refused)


def test_seeding_happens_once_and_only_for_the_reference_kommuner(ucon, con):
    first = tk.open_register(ucon, con, "1103", tk.MEASURES)
    again = tk.open_register(ucon, con, "1103", tk.MEASURES)
    assert first.version == again.version == 1 and len(first.rows) == 17
    assert tk.open_register(ucon, con, "4631", tk.PROJECT).version == 1
    assert tk.open_register(ucon, con, "0301", tk.MEASURES).version == 0
    assert tk.open_register(ucon, con, "1103", tk.PROJECT).rows == ()
    log = tk.change_log(ucon, "1103", tk.MEASURES)
    assert len(log) == 1 and log["summary"].iloc[0].startswith("opprettet fra Stavanger kommune")


# --- validation -------------------------------------------------------------------------------------

def test_parse_gives_norwegian_messages_and_never_raises():
    frame = pd.DataFrame([
        {"row_id": None, "measure": "Gyldig", "start_year": 2024, "end_year": 2025, "status": "pågår", "priority": 2},
        {"row_id": None, "measure": "", "effect_goal": "Bare mål"},
        {"row_id": None, "measure": "Feil år", "start_year": 2026, "end_year": 2024},
        {"row_id": None, "measure": "Feil status", "status": "kanskje"},
        {"row_id": None, "measure": "Feil tall", "cost_min": "mye", "cost_max": -5},
        {"row_id": None, "measure": "Andel", "indicator_key": "share_without_gp", "target": 5},
        {"row_id": None, "measure": None},
        {"row_id": None, "measure": "Uten prioritet"},
    ])
    rows, problems = tk.parse(tk.MEASURES, frame)
    assert [(r.measure, r.priority) for r in rows] == [("Gyldig", 1), ("Uten prioritet", 2)]
    assert problems == [
        "Rad 2: «Tiltak» må fylles ut.",
        "Rad 3: slutt (2024) er før start (2026).",
        "Rad 4, «Status»: «kanskje» er ikke en status. Velg en av: ikke startet, pågår, ferdig, utsatt, stoppet.",
        "Rad 5, «Kostnad fra (kr)»: «mye» er ikke et tall.",
        "Rad 5, «Kostnad til (kr)»: kan ikke være negativ (-5).",
        "Rad 6: «Mål» er en andel og skrives som desimaltall mellom 0 og 1 (5 % = 0,05), ikke 5.",
    ]
    odd = pd.DataFrame([{"kind": "Milepæl", "text": "Frist", "deadline": "32.13.2024"},
                        {"kind": "Noe annet", "text": "x"}, {"kind": "Gevinst", "text": "Spart", "planned_kr": "1 000,5"}])
    items, problems = tk.parse(tk.PROJECT, odd)
    assert [i.planned_kr for i in items] == [1000.5]
    assert problems[0] == "Rad 1, «Frist»: «32.13.2024» er ikke en dato (dd.mm.åååå)."
    assert problems[1].startswith("Rad 2, «Type»: velg en type")


def test_editor_in_nynorsk_shows_nynorsk_and_saves_the_stored_bokmaal_codes(con):
    """In nynorsk the editor shows «ikkje starta», «Milepæl», nynorsk indicator names; parse() reads them
    back to the stored (bokmål) values, so a register edited in either målform stays the same."""
    from core.i18n import in_maalform

    measures = (replace(tk.stavanger_measures(tk.reference_rows(con, tk.MEASURES))[0], status="utsatt"),)
    project = tk.alver_project(tk.reference_rows(con, tk.PROJECT))
    with in_maalform("nn"):
        frame = tk.to_frame(tk.MEASURES, measures)
        assert frame.loc[0, "status"] == "utsett"
        assert frame.loc[0, "indicator_key"] == "Reservekapasitet (indeks, 100 = balanse)"
        assert tk.parse(tk.MEASURES, frame, measures) == (measures, [])
        assert tk.parse(tk.PROJECT, tk.to_frame(tk.PROJECT, project), project) == (project, [])
        bad = pd.DataFrame([{"row_id": None, "measure": "X", "status": "kanskje"}])
        assert tk.parse(tk.MEASURES, bad)[1] == [
            "Rad 1, «Status»: «kanskje» er ikkje ein status. Vel ein av: ikkje starta, pågår, ferdig, utsett, stoppa."]
        assert tk.summary_lines(measures, (), date(2025, 6, 1))[0] == (
            "**Tiltak:** 1 i alt – 0 ikkje starta, 0 pågår, 0 ferdig, 1 utsett, 0 stoppa.")

def test_editor_frame_round_trips_through_parse(con):
    measures = tk.stavanger_measures(tk.reference_rows(con, tk.MEASURES))
    assert tk.parse(tk.MEASURES, tk.to_frame(tk.MEASURES, measures), measures) == (measures, [])
    project = tk.alver_project(tk.reference_rows(con, tk.PROJECT))
    assert tk.parse(tk.PROJECT, tk.to_frame(tk.PROJECT, project), project) == (project, [])
    exact = (tk.Measure("Desimaler", 1, indicator_key="list_length", baseline=1023.456, target=0.05,
                        cost_min=1_234_567.5, row_id="d"),)
    frame = tk.to_frame(tk.MEASURES, exact)
    assert frame.loc[0, "cost_min"] == "1\u00a0234\u00a0567,5" and frame.loc[0, "target"] == "0,05"
    assert frame.loc[0, "start_year"] == "" and frame.loc[0, "indicator_key"] == "Gjennomsnittlig listelengde"
    assert tk.parse(tk.MEASURES, frame, exact) == (exact, [])


# --- export -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["=SUM(A1:A2)", "+47 999", "-1+1", "@cmd", "=HYPERLINK(\"http://x\")"])
def test_formula_text_is_neutralised(text):
    assert tk.neutralise(text) == "'" + text


def test_harmless_values_are_left_alone():
    assert tk.neutralise("Ingen kostnad") == "Ingen kostnad"
    assert tk.neutralise(" =1") == " =1"
    assert tk.neutralise(-5.0) == -5.0


def test_csv_and_excel_never_carry_a_formula():
    rows = [tk.Measure(measure="=1+1", notes="@SUM(A1)", cost_text="-10 kr", effect_goal="+Mål", cost_min=1500.5,
                       row_id="x")]
    frame = tk.export_frame(tk.MEASURES, rows)
    text = tk.to_csv(frame).decode("utf-8-sig")
    cells = next(r for i, r in enumerate(csv.reader(io.StringIO(text), delimiter=";")) if i == 1)
    header = next(csv.reader(io.StringIO(text), delimiter=";"))
    row = dict(zip(header, cells, strict=True))
    assert row["Tiltak"] == "'=1+1" and row["Merknader"] == "'@SUM(A1)" and row["Økonomi"] == "'-10 kr"
    assert row["Effektmål"] == "'+Mål" and row["Kostnad fra (kr)"] == "1\u00a0500,5"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(tk.to_excel({"Tiltak": frame, "Prosjekt": tk.export_frame(tk.PROJECT, [])})))
    assert book.sheetnames == ["Tiltak", "Prosjekt"]
    sheet = book["Tiltak"]
    values = {sheet.cell(1, c).value: sheet.cell(2, c) for c in range(1, sheet.max_column + 1)}
    assert values["Tiltak"].value == "'=1+1" and values["Tiltak"].data_type == "s"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert values["Kostnad fra (kr)"].value == 1500.5


# --- the reference registers against the documents ----------------------------------------------------

def _document_rows() -> list[list[str]]:
    """Every row of Stavanger's Table 1, cell by cell, straight from the document text."""
    rows = []
    for line in STAVANGER_DOC.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 8 and cells[0].replace(" ", "") != "EFFEKTMÅL":
            rows.append(cells)
    return rows


@pytest.mark.skipif(not STAVANGER_DOC.exists(), reason="data/documents is missing")
def test_stavanger_register_is_the_document_row_by_row(con):
    document = _document_rows()
    measures = tk.stavanger_measures(tk.reference_rows(con, tk.MEASURES))
    assert len(document) == len(measures) == 17
    for n, (cells, measure) in enumerate(zip(document, measures, strict=True), start=1):
        effect, result, what, gain, time, indicator, cost, rationale = cells
        assert measure.priority == n
        assert (measure.effect_goal, measure.result_goal, measure.measure, measure.gain) == (effect, result, what, gain)
        assert (measure.indicator, measure.cost_text, measure.rationale) == (indicator, cost, rationale)
        years = [int(y) for y in time.replace("-", " ").split()]
        assert (measure.start_year, measure.end_year) == (years[0], years[-1])
        assert measure.source == tk.STAVANGER_SOURCE and measure.status == "ikke startet"
    assert measures[0].measure.startswith("Nåværende tiltak 2023: Oppstartstilskudd")
    assert measures[-1].measure == "Kartlegge private legetjenester i vår kommune"
    assert (measures[1].cost_min, measures[1].cost_max) == (10_000.0, 20_000.0)  # «10-20.000 kroner», see note
    assert "tolkning" in measures[1].notes


@pytest.mark.skipif(not ALVER_DOC.exists(), reason="data/documents is missing")
def test_alver_project_is_in_the_document(con):
    text = " ".join(ALVER_DOC.read_text(encoding="utf-8").split())
    items = tk.alver_project(tk.reference_rows(con, tk.PROJECT))
    for item in items:
        assert " ".join(item.text.split()) in text, item.text
    milestones = [i for i in items if i.kind == "milestone"]
    reports = [i.deadline for i in milestones if i.text.startswith("År") and i.deadline]  # «Årsapport» as written
    assert reports == [date(2022, 1, 15), date(2023, 1, 15), date(2024, 1, 15)]  # 15.01 each year
    assert any(i.text == "Sluttrapport" and i.deadline is None for i in milestones)
    assert [i.text for i in items if i.kind == "risk"] == [
        "Pandemi", "Motstand mot endring i ulike prosjektfaser og frå ulike aktørar",
        "Økonomiske rammer – krav til innsparing i ulike prosjektfaser",
        "Mogleg endra framdrift for anna forbetringsarbeid"]
    assert sum(i.kind == "goal_result" for i in items) == 16 and sum(i.kind == "goal_effect" for i in items) == 4


# --- milestones and the status summary -----------------------------------------------------------------

def test_overdue_milestones_by_hand():
    items = [
        tk.ProjectItem(kind="milestone", text="Passert, ikke startet", deadline=date(2024, 1, 15), row_id="1"),
        tk.ProjectItem(kind="milestone", text="Passert, pågår", deadline=date(2024, 6, 1), status="pågår", row_id="2"),
        tk.ProjectItem(kind="milestone", text="Passert, ferdig", deadline=date(2024, 1, 1), status="ferdig", row_id="3"),
        tk.ProjectItem(kind="milestone", text="Passert, stoppet", deadline=date(2023, 1, 1), status="stoppet",
                       row_id="4"),
        tk.ProjectItem(kind="milestone", text="Frist i dag", deadline=date(2024, 6, 2), row_id="5"),
        tk.ProjectItem(kind="milestone", text="Uten frist", row_id="6"),
        tk.ProjectItem(kind="risk", text="Ikke en milepæl", deadline=date(2020, 1, 1), row_id="7"),
    ]
    assert [i.text for i in tk.overdue(items, date(2024, 6, 2))] == ["Passert, ikke startet", "Passert, pågår"]
    assert [i.text for i in tk.overdue(items, date(2024, 6, 3))] == ["Passert, ikke startet", "Passert, pågår",
                                                                      "Frist i dag"]
    assert tk.overdue(items, date(2023, 12, 31)) == ()


def test_alver_milestones_overdue_on_a_given_day(con):
    items = tk.alver_project(tk.reference_rows(con, tk.PROJECT))
    assert [i.deadline for i in tk.overdue(items, date(2022, 1, 16))] == [
        date(2021, 4, 1), date(2021, 6, 1), date(2021, 6, 8), date(2022, 1, 15)]
    done = [replace(i, status="ferdig") if i.deadline == date(2022, 1, 15) else i for i in items]
    assert len(tk.overdue(done, date(2022, 1, 16))) == 3


def test_summary_counts_and_deadlines():
    measures = [tk.Measure("A", 1, status="pågår", start_year=2024, end_year=2025),
                tk.Measure("B", 2, status="ferdig", start_year=2024, end_year=2024),
                tk.Measure("C", 3, start_year=2024, end_year=2024)]
    project = [tk.ProjectItem("milestone", "Årsrapport", deadline=date(2025, 1, 15)),
               tk.ProjectItem("milestone", "Sluttrapport", deadline=date(2026, 1, 15)),
               tk.ProjectItem("benefit", "Spart", planned_kr=200_000.0, realised_kr=50_000.0)]
    lines = tk.summary_lines(measures, project, date(2025, 6, 1))
    assert lines[0] == "**Tiltak:** 3 i alt – 1 ikke startet, 1 pågår, 1 ferdig, 0 utsatt, 0 stoppet."
    assert "**Skulle vært ferdig:** 1 tiltak har sluttår før 2025" in lines[2] and "(nr. 3)" in lines[2]
    assert "2 i alt, 0 ferdige, 1 forfalt per 01.06.2025" in lines[3]
    assert lines[5] == "**Neste frist:** Sluttrapport (15.01.2026)."
    assert lines[6] == "**Gevinst:** planlagt 200\u00a0000 kr, realisert 50\u00a0000 kr."


# --- indicator link and charts ------------------------------------------------------------------------------

def test_indicator_view_derives_the_baseline_from_the_year_before_start(con):
    series = tk.indicator_series(con, "1103", "reserve_capacity")
    assert series["year"].min() == 2015 and series["year"].is_monotonic_increasing
    measure = tk.Measure("Rekruttere", start_year=2024, end_year=2027, indicator_key="reserve_capacity", target=105.0)
    view = tk.indicator_view(measure, series)
    assert view.baseline == float(series.loc[series["year"] == 2023, "value"].iloc[0])
    assert "faktisk verdi 2023" in view.baseline_note and view.target == 105.0
    given = tk.indicator_view(replace(measure, baseline=99.0), series)
    assert given.baseline == 99.0 and given.baseline_note == "utgangsverdi skrevet inn i registeret"
    share = tk.indicator_series(con, "1103", "share_without_gp")
    pct = con.execute("""SELECT value FROM fastlege WHERE kommunenummer = '1103' AND year = 2025
                         AND metric = 'share_patients_on_lists_without_gp_pct'""").fetchone()[0]
    assert share.loc[share["year"] == 2025, "value"].iloc[0] == pytest.approx(pct / 100)


def test_charts_build_with_the_status_colours(con):
    measures = tk.stavanger_measures(tk.reference_rows(con, tk.MEASURES))
    spec = charts.timeline_chart(measures, 2026).to_dict()
    data = charts.timeline_frame(measures)
    assert len(data) == 17 and (data["end"] > data["start"]).all()
    assert data.loc[0, "start"] == 2024 and data.loc[0, "end"] == 2028  # 2024–2027 covers four whole years
    color = spec["layer"][0]["encoding"]["color"]["scale"]
    assert color["domain"] == list(tk.STATUSES) and len(set(color["range"])) == 5
    view = tk.indicator_view(replace(measures[0], target=105.0), tk.indicator_series(con, "1103", "reserve_capacity"))
    assert len(charts.indicator_chart(view).to_dict()["layer"]) == 5  # line, baseline and target with labels
