"""Export files opened and checked: the workbook read back, PNG/SVG, the PDF's pages and text."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from core import capacity as cap
from core import economy as eco
from core import export as ex
from core.params import levers, with_defaults_from
from ui import export_view, specs

pypdf = pytest.importorskip("pypdf")

LABELS = [label for label, _, _ in cap.AGE_GROUPS]


def _demography(start: int, end: int) -> pd.DataFrame:
    years = np.arange(start, end + 1)
    return pd.DataFrame({label: 1000.0 * 1.01 ** (years - start) for label in LABELS}, index=years)


@pytest.fixture(scope="module")
def report() -> ex.Report:
    base = cap.CapacityBase(label="Testby: SSB-statistikk 2025", kommunenummer="9999", year=2025, hjemler=10,
                            vacant_lists=1, list_capacity=9000.0, patients_with_gp=8800.0,
                            patients_without_gp=900.0, residents=9000.0, waiting_list=120.0,
                            source="SSB tabell 12005 (test)")
    defaults = with_defaults_from(cap.CapacityParams, base)
    params, _ = cap.fit_to_base(cap.with_changes(defaults, new_hjemler=2, horizon=2035,
                                                       growth_adjustment=0.005), base)
    demography = _demography(2025, 2050)
    result = cap.project(base, demography, params)
    before = cap.project(base, demography, cap.without_supply_changes(params, defaults))
    period = eco.PERIODS[eco.DEFAULT_PERIOD]
    eco_params = eco.defaults_for(eco.DEFAULT_PERIOD)
    priced = eco.price_scenario(before, result, eco_params, period)
    return export_view.build_report(
        kommune="Testby", base=base, params=params, defaults=defaults, result=result, priced=priced,
        eco_params=eco_params, period=period, chart_specs=_charts(result, params), name="To nye hjemler – Ærøy",
        description="=HYPERLINK(\"http://x\") og æøå i beskrivelsen", data_version="abc123def456",
        starting_point=base.label, capacity_source="testkilde", made=date(2026, 11, 25))


def _charts(result, params) -> dict:
    """The capacity page's charts (ui.specs.capacity_charts) for a result."""
    return {"capacity": specs.charts.capacity_spec(result),
            "coverage": specs.charts.coverage_spec(result, params.target_reserve),
            "reserve": specs.charts.reserve_spec(result, params.target_reserve),
            "without_gp": specs.charts.without_gp_spec(result)}


def test_neutralise_formula_text():
    assert ex.neutralise("=1+1") == "'=1+1"
    assert ex.neutralise("+47 123") == "'+47 123"
    assert ex.neutralise("-2") == "'-2"
    assert ex.neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert ex.neutralise("Alver") == "Alver"


def test_workbook_sheets_headers_numbers(report):
    wb = load_workbook(io.BytesIO(ex.workbook(report)))
    assert wb.sheetnames == ["Forutsetninger", "År for år", "Statistikk", "Om"]

    ws = wb["Forutsetninger"]
    assert [c.value for c in ws[1]] == ["Del", "Gruppe", "Forutsetning", "Verdi", "Standard", "Enhet",
                                        "Kilde for standardverdien"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    n_levers = len(levers(cap.CapacityParams)) + len(levers(eco.EconomyParams))
    assert len(rows) == n_levers
    by_label = {r[2]: r for r in rows if r[0] == "Fastlegekapasitet"}
    assert by_label["Nye hjemler"][3:5] == (2, 0)
    assert by_label["Planhorisont"][3] == 2035
    assert all(r[6] for r in rows), "every lever has a source"
    horizon_cell = next(c for c in ws["D"] if c.row > 1 and ws.cell(c.row, 3).value == "Planhorisont")
    assert horizon_cell.number_format == "0"  # a year, without thousands grouping
    growth = next(r for r in ws.iter_rows(min_row=2) if r[2].value == "Justering av befolkningsveksten")
    assert growth[3].number_format == ex.PERCENT and growth[3].value == pytest.approx(0.005)
    assert any(r[0] == "Økonomi (kostnadslinjen)" and isinstance(r[3], (int, float)) for r in rows)

    ws = wb["År for år"]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["År", "Innbyggere", "Listepasienter"]
    assert "Merkostnad fastlønn (kr)" in headers and "Reservekapasitet (SSB)" in headers
    assert headers.index("Dekning") < headers.index("Reservekapasitet (SSB)")
    years = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert years == list(range(2025, 2036))
    residents = ws.cell(row=2, column=2)
    assert residents.value == 9000 and residents.data_type == "n" and residents.number_format == "#,##0"
    reserve = ws.cell(row=2, column=headers.index("Reservekapasitet (SSB)") + 1)
    assert reserve.number_format == "#,##0.0"
    assert ws.cell(row=2, column=headers.index("Dekning") + 1).number_format == "#,##0.0"
    cost = [r[headers.index("Merkostnad fastlønn (kr)")] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert all(isinstance(v, (int, float)) for v in cost) and max(cost) > 0

    ws = wb["Statistikk"]
    stats = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert stats["Hjemler (fastlegelister)"][1:4] == (10, "lister", 2025)
    assert stats["Venteliste"][1] == 120 and stats["Venteliste"][4] == "SSB tabell 12005 (test)"
    assert "LIS1-plasser" not in stats  # not in this starting point: left out, not shown as empty

    about = {r[0]: r[1] for r in wb["Om"].iter_rows(values_only=True)}
    assert about["Kommune"] == "Testby (9999)"
    assert about["Scenario"] == "To nye hjemler – Ærøy"
    assert about["Beskrivelse"].startswith("'=HYPERLINK")  # inert text, not a formula
    assert about["Dato"] == "25.11.2026" and about["Datagrunnlag (versjon)"] == "abc123def456"
    assert about["Kilde"].startswith("Fastlegekapasitet: testkilde")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_png_and_svg_for_a_slide(report):
    spec = report.charts[0].spec
    png = ex.chart_png(spec, "Kapasitet og listepasienter")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == ex.SLIDE_WIDTH and 500 <= height <= 1000
    svg = ex.chart_svg(spec, "Kapasitet og listepasienter").decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "</svg>" in svg
    assert "Kapasitet og listepasienter" in svg and "Sum listetak" in svg


def test_pdf_pages_and_text(report, tmp_path):
    data = ex.pdf(report)
    assert data[:5] == b"%PDF-"
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) == 6  # front page, 2 chart pages (4 charts), year table, assumptions (2 pages)
    front = pages[0]
    for text in ("Vedlegg til saksframlegg", "Fastlegekapasitet – Testby: To nye hjemler – Ærøy",
                 "æøå i beskrivelsen", "25.11.2026", "Nøkkeltall", "Dekning 2035", "Pasienter uten fastlege 2035",
                 "Reservekapasitet (SSB) 2035", "Hovedpunkter", "Merkostnad for kommunen 2035, fastlønn"):
        assert text in front, text
    assert "Side 1 av 6" in front
    assert front.index("Dekning 2035") < front.index("Pasienter uten fastlege 2035") < front.index(
        "Reservekapasitet (SSB) 2035")
    assert "Figurer" in pages[1] and len(reader.pages[1].images) == 2
    assert len(reader.pages[2].images) == 2
    assert "År for år" in pages[3] and "2035" in pages[3] and "Dekning" in pages[3]
    rest = "\n".join(pages[4:])
    for text in ("Forutsetninger", "Nye hjemler (hjemler) *", "Økonomi (kostnadslinjen)", "Kilder",
                 "Kilde for standardverdien"):
        assert text in rest, text

    if shutil.which("pdftoppm") is None:
        return
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(_write(tmp_path, data)),
                    str(tmp_path / "side")], check=True)
    rendered = sorted(tmp_path.glob("side-*.png"))
    assert len(rendered) == 2 and all(p.stat().st_size > 5_000 for p in rendered)


def _write(tmp_path, data: bytes):
    path = tmp_path / "vedlegg.pdf"
    path.write_bytes(data)
    return path


def test_slug_is_ascii_and_safe():
    assert export_view.slug("Tønsberg – to nye hjemler!") == "tonsberg-to-nye-hjemler"
    assert export_view.slug("Ærøy/../æ") == "aeroy-ae"
    assert export_view.slug("***") == "scenario"


# --- a collapse: the Alver reference case with 2 new hjemler, 3 GPs leaving and 2 lists filled a year ------

@pytest.fixture(scope="module")
def collapse(con):
    """The report of the Alver 2021 collapse, and the model's result."""
    from core import demography, starting_points

    base = starting_points.from_reference(con, "alver_2021")
    defaults = with_defaults_from(cap.CapacityParams, base)
    params, _ = cap.fit_to_base(cap.with_changes(defaults, new_hjemler=2, exits_per_year=3.0,
                                                 recruits_per_year=2.0), base)
    path = demography.population_path(demography.registered_groups(con, "4631"),
                                      demography.project_groups(con).for_kommune("4631"))
    result = cap.project(base, path, params)
    before = cap.project(base, path, cap.without_supply_changes(params, defaults))
    period, eco_params = eco.PERIODS["2021"], eco.defaults_for("2021")
    report = export_view.build_report(
        kommune="Alver", base=base, params=params, defaults=defaults, result=result,
        priced=eco.price_scenario(before, result, eco_params, period), eco_params=eco_params, period=period,
        chart_specs=_charts(result, params), name="Kollaps", description="", data_version="v1",
        starting_point=base.label, capacity_source="testkilde", made=date(2026, 12, 4))
    return report, result


def test_collapse_key_figures_lead_with_coverage_and_never_say_better(collapse):
    report, result = collapse
    first, last = result.iloc[0], result.iloc[-1]
    assert last["reserve_index"] > 100  # SSB's index still looks fine: the figures must not follow it
    rows = list(report.key_figures)
    assert rows[0] == ("Dekning 2040", "32,8 (-67,2 mot målet 100)")
    assert rows[1] == ("Pasienter uten fastlege 2040", "20\u00a0990 (+20\u00a0990 fra 2021)")
    assert rows[2] == ("Sammenlignet med 2021", "Verre for pasientene")
    labels = [label for label, _ in rows]
    assert labels.index("Reservekapasitet (SSB) 2040") > 2
    need = dict(rows)["Hjemler som mangler 2040"]
    vacant = int(last["vacant_lists"])
    assert need == f"{int(last['extra_hjemler_needed'])} (+{int(last['extra_hjemler_needed'])} fra 2021, " \
                   f"inkl. {vacant} ledige lister)" and vacant == 19
    assert not [row for row in rows if "bedre" in " ".join(row).lower()]
    assert "verre for pasientene" in report.key_points[0]  # the narrative opens with the patients too
    assert first["coverage_index"] == pytest.approx(29400 / 28983 * 100)


def test_collapse_year_sheet_has_exact_coverage(collapse):
    report, result = collapse
    wb = load_workbook(io.BytesIO(ex.workbook(report)))
    ws = wb["År for år"]
    headers = [c.value for c in ws[1]]
    coverage = [r[headers.index("Dekning")] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert coverage == pytest.approx(result["coverage_index"].tolist(), abs=1e-9)
    assert coverage[0] == pytest.approx(101.4387744, abs=1e-6) and coverage[-1] == pytest.approx(32.7597556, abs=1e-6)
    without = [r[headers.index("Pasienter uten fastlege")] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert without[0] == 0 and round(without[-1]) == 20990
    front = _pages(report)[0]
    assert "Verre for pasientene" in front and "Bedre" not in front


def _pages(report) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(ex.pdf(report))).pages]
