"""Export files opened and checked: the workbook read back, PNG/SVG, the PDF's pages and text."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from core import capacity as cap
from core import economy as eco
from core import export as ex
from core.params import levers, with_defaults_from
from ui import capacity_export, export_view, specs

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
    return capacity_export.build_report(
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


HEAD, FIRST = ex.HEADER_ROW, ex.HEADER_ROW + 1  # row 1: page, kommune, scenario; row 2: what the sheet holds


def test_workbook_sheets_headers_numbers(report):
    wb = load_workbook(io.BytesIO(ex.workbook(report)))
    assert wb.sheetnames == ["Forutsetninger", "År for år", "Statistikk", "Om"]

    ws = wb["Forutsetninger"]
    assert ws["A1"].value == "Fastlegekapasitet – Testby · Scenario: To nye hjemler – Ærøy"  # first sheet, top
    assert ws["A2"].value.startswith("Forutsetninger i Fastlegekapasitet for Testby: hver spak med verdien i "
                                     "scenarioet «To nye hjemler – Ærøy»")
    assert [c.value for c in ws[HEAD]] == ["Del", "Gruppe", "Forutsetning", "Verdi", "Standard", "Enhet",
                                           "Kilde for standardverdien"]
    rows = list(ws.iter_rows(min_row=FIRST, values_only=True))
    n_levers = len(levers(cap.CapacityParams)) + len(levers(eco.EconomyParams))
    assert len(rows) == n_levers
    by_label = {r[2]: r for r in rows if r[0] == "Fastlegekapasitet"}
    assert by_label["Nye hjemler"][3:5] == (2, 0)
    assert by_label["Planhorisont"][3] == 2035
    assert all(r[6] for r in rows), "every lever has a source"
    horizon_cell = next(c for c in ws["D"] if c.row > HEAD and ws.cell(c.row, 3).value == "Planhorisont")
    assert horizon_cell.number_format == "0"  # a year, without thousands grouping
    growth = next(r for r in ws.iter_rows(min_row=FIRST) if r[2].value == "Justering av befolkningsveksten")
    assert growth[3].number_format == ex.PERCENT and growth[3].value == pytest.approx(0.005)
    assert any(r[0] == "Økonomi (kostnadslinjen)" and isinstance(r[3], (int, float)) for r in rows)

    ws = wb["År for år"]
    assert ws["A1"].value == "Fastlegekapasitet – Testby · Scenario: To nye hjemler – Ærøy"
    assert ws["A2"].value.startswith("Fastlegekapasitet år for år for Testby, scenario «To nye hjemler – Ærøy»: "
                                     "innbyggere, listepasienter, hjemler, ")
    assert ", 2025–2035. Kilde: testkilde; kostnadene: Legeplans økonomimodell" in ws["A2"].value
    headers = [c.value for c in ws[HEAD]]
    assert headers[:3] == ["År", "Innbyggere", "Listepasienter"]
    assert "Merkostnad fastlønn (kr)" in headers and "Reservekapasitet (SSB)" in headers
    assert headers.index("Dekning") < headers.index("Reservekapasitet (SSB)")
    years = [r[0] for r in ws.iter_rows(min_row=FIRST, values_only=True)]
    assert years == list(range(2025, 2036))
    residents = ws.cell(row=FIRST, column=2)
    assert residents.value == 9000 and residents.data_type == "n" and residents.number_format == "#,##0"
    reserve = ws.cell(row=FIRST, column=headers.index("Reservekapasitet (SSB)") + 1)
    assert reserve.number_format == "#,##0.0"
    assert ws.cell(row=FIRST, column=headers.index("Dekning") + 1).number_format == "#,##0.0"
    cost = [r[headers.index("Merkostnad fastlønn (kr)")] for r in ws.iter_rows(min_row=FIRST + 1, values_only=True)]
    assert all(isinstance(v, (int, float)) for v in cost) and max(cost) > 0

    ws = wb["Statistikk"]
    stats = {r[0]: r for r in ws.iter_rows(min_row=FIRST, values_only=True)}
    assert stats["Hjemler (fastlegelister)"][1:4] == (10, "lister", 2025)
    assert stats["Venteliste"][1] == 120 and stats["Venteliste"][4] == "SSB tabell 12005 (test)"
    assert "LIS1-plasser" not in stats  # not in this starting point: left out, not shown as empty

    about = {r[0]: r[1] for r in wb["Om"].iter_rows(values_only=True)}
    assert about["Kommune"] == "Testby (9999)"
    assert about["Scenario"] == "To nye hjemler – Ærøy"
    assert about["Beskrivelse"].startswith("'=HYPERLINK")  # inert text, not a formula
    assert about["Dato"] == datetime(2026, 11, 25) and wb["Om"]["B5"].number_format == "dd.mm.yyyy"
    assert about["Datagrunnlag (versjon)"] == "abc123def456"
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
    assert len(pages) == 7  # front page, 2 chart pages (4 charts), year table, assumptions and sources (3 pages)
    front = pages[0]
    for text in ("Vedlegg til saksframlegg", "Fastlegekapasitet – Testby: To nye hjemler – Ærøy",
                 "æøå i beskrivelsen", "25.11.2026", "Nøkkeltall", "Dekning 2035", "Pasienter uten fastlege 2035",
                 "Reservekapasitet (SSB) 2035", "Hovedpunkter", "Merkostnad for kommunen 2035, fastlønn"):
        assert text in front, text
    for n, text in enumerate(pages, start=1):  # the scenario's name on every page, as extractable text
        assert f"Testby · To nye hjemler – Ærøy · Side {n} av 7" in text, n
    assert front.index("Dekning 2035") < front.index("Pasienter uten fastlege 2035") < front.index(
        "Reservekapasitet (SSB) 2035")
    assert "Figurer" in pages[1] and len(reader.pages[1].images) == 2
    assert len(reader.pages[2].images) == 2
    assert "År for år" in pages[3] and "2035" in pages[3] and "Dekning" in pages[3]
    rest = "\n".join(pages[4:]).replace("\u00a0", " ")
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
    long = "To nye hjemler fra 2027 og lavere listetak i hele kommunen fra 2030 og videre"
    assert export_view.slug(long) == "to-nye-hjemler-fra-2027-og-lavere-listetak-i-hele-kommunen"  # 58: cut at a word
    assert export_view.slug("Gjeldende valg (endret etter lagring)") == "gjeldende-valg-endret-etter-lagring"
    assert export_view.slug("a" * 70) == "a" * 60  # one word longer than the limit: nothing else fits


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
    report = capacity_export.build_report(
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
    need = dict(rows)["Hjemler som mangler for målet 2040"]
    vacant = int(last["vacant_lists"])
    assert need == f"{int(last['extra_hjemler_needed'])} (+{int(last['extra_hjemler_needed'])} fra 2021, " \
                   f"inkl. {vacant} lister uten lege)" and vacant == 19
    assert not [row for row in rows if "bedre" in " ".join(row).lower()]
    assert "verre for pasientene" in report.key_points[0]  # the narrative opens with the patients too
    assert first["coverage_index"] == pytest.approx(29400 / 28983 * 100)


def test_collapse_year_sheet_has_exact_coverage(collapse):
    report, result = collapse
    wb = load_workbook(io.BytesIO(ex.workbook(report)))
    ws = wb["År for år"]
    headers = [c.value for c in ws[HEAD]]
    coverage = [r[headers.index("Dekning")] for r in ws.iter_rows(min_row=FIRST, values_only=True)]
    assert coverage == pytest.approx(result["coverage_index"].tolist(), abs=1e-9)
    assert coverage[0] == pytest.approx(101.4387744, abs=1e-6) and coverage[-1] == pytest.approx(32.7597556, abs=1e-6)
    without = [r[headers.index("Pasienter uten fastlege")] for r in ws.iter_rows(min_row=FIRST, values_only=True)]
    assert without[0] == 0 and without[-1] == 20990  # people are whole: stored rounded, as the page shows them
    front = _pages(report)[0]
    assert "Verre for pasientene" in front and "Bedre" not in front


def _pages(report) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(ex.pdf(report))).pages]


# --- export polish (issue 19): whole numbers, numeric cells, names cut at a word, no broken word ---------

def test_whole_numbers_are_stored_and_printed_without_decimals(report):
    """Counts and kroner: whole numbers in «#,##0» in Excel and without decimals in the PDF; kroner to the krone."""
    wb = load_workbook(io.BytesIO(ex.workbook(report)))
    ws = wb["År for år"]
    headers = [c.value for c in ws[HEAD]]
    by_header = {c.header: c for c in report.years}
    for header in ("Innbyggere", "Listepasienter", "Hjemler", "Sum listetak", "Pasienter uten fastlege",
                   "Merkostnad næringsdrift (kr)", "Merkostnad fastlønn (kr)"):
        column = by_header[header]
        for r, cell in enumerate(ws.iter_cols(min_col=headers.index(header) + 1, max_col=headers.index(header) + 1,
                                              min_row=FIRST).__next__()):
            assert cell.data_type == "n" and cell.number_format == "#,##0", (header, cell.coordinate)
            assert cell.value == round(column.values[r]) and isinstance(cell.value, int), (header, r)
    fastlonn = by_header["Merkostnad fastlønn (kr)"].values
    assert ex.number_text(fastlonn[-1], "#,##0") == f"{round(fastlonn[-1]):,}".replace(",", "\u00a0")
    assert ex.number_text(17483233.98, ex.INT) == "17\u00a0483\u00a0234"  # the committee's «17 483 233,98 kr»
    assert ex.number_text(32.0, ex.INT) == "32"  # and «Heimlar 32,00»
    assert ex.number_text(101.43877, "#,##0.0") == "101,4" and ex.number_text(0.141, ex.PERCENT) == "14,1\u00a0%"
    assert ex.number_text(2040, ex.YEAR) == "2040" and ex.number_text(-100, ex.INT) == "−100"
    year_page = next(p for p in _pages(report) if "År for år" in p)
    assert not re.search(r"\d,00(?!\d)", year_page)  # no «,00» anywhere in the year table


def test_lever_and_year_sheets_hold_numbers_with_formats(report):
    """Every numeric lever value is a number cell (never «'-100» text) with the lever's own format."""
    wb = load_workbook(io.BytesIO(ex.workbook(report)))
    ws = wb["Forutsetninger"]
    registry = {lv.label: lv for cls in (cap.CapacityParams, eco.EconomyParams) for lv in levers(cls)}
    seen = {}
    for row in ws.iter_rows(min_row=FIRST):
        label, value, default = row[2].value, row[3], row[4]
        lv = registry[label]
        if lv.kind in ("bool", "choice"):
            assert value.data_type == "s" and value.value in ("på", "av", "hovedalternativet"), label
            continue
        for cell in (value, default):
            assert cell.data_type == "n" and isinstance(cell.value, (int, float)), (label, cell.value)
            assert cell.number_format == ex.lever_format(lv), label
        seen[label] = (value.value, value.number_format)
    assert seen["Nye hjemler"] == (2, "#,##0")
    assert seen["Planhorisont"] == (2035, "0")
    assert seen["Justering av befolkningsveksten"] == (pytest.approx(0.005), "0.0 %")  # a fraction shown in percent
    assert seen["Leger som slutter per år"][1] == "#,##0.00"  # steps of 0,05
    assert seen["0–5 år"] == (pytest.approx(1.9), "#,##0.0")  # steps of 0,1
    assert seen["Årslønn for fastlønnet fastlege"] == (1300000, "#,##0")
    assert seen["Arbeidsgiveravgift"] == (pytest.approx(0.141), "0.0 %")
    for ws in wb.worksheets:  # no number written as text anywhere
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert not re.fullmatch(r"'?[-−+]?\d[\d\s.,]*", cell.value), (ws.title, cell.coordinate, cell.value)
    pdf_text = "\n".join(_pages(report)).replace("\u00a0", " ")  # pypdf reads a no-break space as a space
    assert "0,5 %" in pdf_text and "1 300 000" in pdf_text  # the PDF reads the same formats


def test_sheet_names_are_cut_at_a_word_and_unique():
    assert ex.sheet_title("Legeårsverk på sykehjem etter normen") == "Legeårsverk på sykehjem etter"
    assert ex.sheet_title("Legeårsverk på sykehjem etter normen (Legeplans tilbakeregning)") == \
        "Legeårsverk på sykehjem etter"
    assert ex.sheet_title("Kostnad av gapet (kr per år) i hvert scenario") == "Kostnad av gapet (kr per år) i"
    assert ex.sheet_title("Merkostnad næringsdrift (kr)") == "Merkostnad næringsdrift (kr)"  # 28: kept whole
    assert ex.sheet_title("Spakene som skiller scenarioene") == "Spakene som skiller scenarioene"  # exactly 31
    assert ex.sheet_title("Hjemler som mangler for målet: 2040") == "Hjemler som mangler for målet"
    assert ex.sheet_title("Befolkning, 67 år og eldre, etter alder") == "Befolkning, 67 år og eldre"
    taken = ["Legeårsverk på sykehjem etter"]
    assert ex.sheet_title("Legeårsverk på sykehjem etter normen, vekst", taken) == "Legeårsverk på sykehjem (2)"
    assert ex.sheet_title("legeårsverk på sykehjem etter", [*taken, "Legeårsverk på sykehjem (2)"]) == \
        "legeårsverk på sykehjem (3)"  # Excel compares names without case
    assert ex.sheet_title("Ett/to: [tre]?") == "Ett to   tre".replace("   ", " ")
    for text in ("Legeårsverk på sykehjem etter normen (Legeplans tilbakeregning i «Tre nye»)",
                 "Kostnad av gapet (kr per år) (Legeplans tilbakeregning)", "a " * 40):
        name = ex.sheet_title(text)
        assert 0 < len(name) <= 31 and name == name.strip() and name[-1] not in ",.;:-–(«", name


def test_every_sheet_name_in_a_comparison_is_whole_words_and_unique(report):
    long = ("Legeårsverk på sykehjem etter normen (Legeplans tilbakeregning)",
            "Legeårsverk på sykehjem etter normen (Legeplans tilbakeregning i «A»)")
    tables = tuple(ex.Table(title, (ex.Column("År", None, (2025.0,)), ex.Column("A", 2, (1.5,)))) for title in long)
    wb = load_workbook(io.BytesIO(ex.workbook(replace(report, tables=tables))))
    assert wb.sheetnames[2:4] == ["Legeårsverk på sykehjem etter", "Legeårsverk på sykehjem (2)"]


def test_pdf_table_headers_are_never_broken_inside_a_word(report):
    """Every header word of every PDF table appears whole in the page's text (fpdf broke «Listepasie/nter»)."""
    pages = _pages(report)
    year_page = next(p for p in pages if "År for år" in p)
    tokens = set(year_page.split())
    headers = report.pdf_columns
    assert "Listepasienter" in headers and "Reservekapasitet (SSB)" in headers
    for header in headers:
        for word in header.split():
            assert word in tokens, (header, word)
    assumptions = set("\n".join(pages[4:]).split())
    for word in ("Forutsetning", "Verdi", "Standard", "Kilde", "for", "standardverdien", "hovedalternativet"):
        assert word in assumptions, word


def test_a_wide_table_turns_the_page_or_splits_but_keeps_words_whole(report):
    """Sixteen columns of long header words: the PDF takes a landscape page (or splits), never breaks a word."""
    words = ["Listepasienter", "Reservekapasitet", "Konsultasjoner", "Merkostnad", "Sykehjemsplasser",
             "Legeårsverk", "Helsesekretærer", "Fastlegeårsverk"]
    columns = (ex.Column("År", None, tuple(float(y) for y in range(2025, 2031))),
               *(ex.Column(f"{words[i % len(words)]} {i}", 0, tuple(123456.0 + i for _ in range(6)))
                 for i in range(15)))
    wide = replace(report, charts=(), years=(), assumptions=(),
                   tables=(ex.Table("Bred tabell", columns, about="Seksten kolonner."),))
    reader = pypdf.PdfReader(io.BytesIO(ex.pdf(wide)))
    text = "\n".join(p.extract_text() for p in reader.pages)
    tokens = set(text.split())
    for column in columns[1:]:
        for word in column.header.split():
            assert word in tokens, word
    assert "123\u00a0456" in text or "123 456" in text
    landscape = [p for p in reader.pages if p.mediabox.width > p.mediabox.height]
    assert landscape, "the table went to a landscape page"
    assert "Bred tabell" in landscape[0].extract_text()  # turned before its title: the title stays with it


def test_column_widths_hold_the_longest_word():
    """The widths column_widths gives fit every header word and value at the chosen size (checked with fpdf)."""
    from fpdf import FPDF

    doc = FPDF(format="A4", unit="mm")
    regular, bold = ex.font_files()
    doc.add_font(ex.FONT, "", str(regular))
    doc.add_font(ex.FONT, "B", str(bold))
    block = ex.PdfTable(("År", "Listepasienter", "Pasienter uten fastlege", "Reservekapasitet (SSB)"),
                        (("2025", "29\u00a0302", "1\u00a0341", "99,9"),), (True, True, True, True))
    widths = ex.column_widths(doc, block, ex.PORTRAIT_WIDTH, 8.0)
    assert widths is not None and sum(widths) == pytest.approx(ex.PORTRAIT_WIDTH)
    doc.add_page()
    doc.set_font(ex.FONT, "B", 8.0)
    for header, width in zip(block.headers, widths, strict=True):
        lines = doc.multi_cell(width - 2 * ex._PAD[1], 4, header, dry_run=True, output="LINES")
        assert all(line in header.split() or " " in line for line in lines), (header, lines)
        assert set(" ".join(lines).split()) == set(header.split()), (header, lines)
    assert ex.column_widths(doc, block, 30.0, 8.0) is None  # 30 mm cannot hold «Reservekapasitet»


def test_footer_keeps_a_long_name_whole(report):
    name = "Fire nye hjemler fra 2027, to fra 2030, lavere listetak og flere LIS1 – utkast til hovedutvalget"
    pages = _pages(replace(report, scenario_name=name, charts=()))
    for n, text in enumerate(pages, start=1):
        assert f"Testby · {name} · Side {n} av {len(pages)}" in " ".join(text.split()), n


def test_nynorsk_export_has_no_bokmaal_fixed_text(report):
    """With nynorsk in force every fixed text of both files is nynorsk: «Kjelde for standardverdien», not «Kilde …»."""
    from core.i18n import in_maalform
    from tests.test_i18n import bokmaal_leaks

    base = cap.CapacityBase(label="Testby: SSB-statistikk 2025", kommunenummer="9999", year=2025, hjemler=10,
                            vacant_lists=1, list_capacity=9000.0, patients_with_gp=8800.0,
                            patients_without_gp=900.0, residents=9000.0, waiting_list=120.0, source="SSB")
    with in_maalform("nn"):
        defaults = with_defaults_from(cap.CapacityParams, base)
        params, _ = cap.fit_to_base(cap.with_changes(defaults, new_hjemler=2, horizon=2035), base)
        result = cap.project(base, _demography(2025, 2050), params)
        before = cap.project(base, _demography(2025, 2050), cap.without_supply_changes(params, defaults))
        period, eco_params = eco.PERIODS[eco.DEFAULT_PERIOD], eco.defaults_for(eco.DEFAULT_PERIOD)
        nn = capacity_export.build_report(
            kommune="Testby", base=base, params=params, defaults=defaults, result=result,
            priced=eco.price_scenario(before, result, eco_params, period), eco_params=eco_params, period=period,
            chart_specs={}, name="Vekst", description="", data_version="v1", starting_point=base.label,
            capacity_source="SSB", made=date(2026, 12, 4))
        data, book = ex.pdf(nn), ex.workbook(nn)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    wb = load_workbook(io.BytesIO(book))
    cells = "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert wb.sheetnames == ["Føresetnader", "År for år", "Statistikk", "Om"]
    assert wb["Føresetnader"]["G3"].value == "Kjelde for standardverdien"
    assert "Kjelde for standardverdien" in text
    for both in (text, cells):
        assert "Kilde for standardverdien" not in both
        assert "Testby · Vekst · Side 1 av" in text
        leaks = [line for line in bokmaal_leaks(both) if "SSB, statistikkbanktabell" not in line]
        assert not leaks, leaks[:10]


HOSTILE = "Linje\u000bneste\u0000 \u202efdp.exe =HYPERLINK(\"http://evil.example\") \ud800\uffff"


def test_hostile_description_and_name_export_as_plain_text(report):
    """A pasted Word line break (U+000B), NUL, a bidi override and a formula: a valid .xlsx and PDF, plain text."""
    hostile = replace(report, scenario_name="=HYPERLINK(\"http://evil.example\")\u0000", description=HOSTILE)
    book = load_workbook(io.BytesIO(ex.workbook(hostile)))
    about = book["Om"]
    cells = {about.cell(row=r, column=1).value: about.cell(row=r, column=2) for r in range(1, about.max_row + 1)}
    desc, name = cells["Beskrivelse"], cells["Scenario"]
    assert desc.data_type == "s" and name.data_type == "s"
    assert name.value == "'=HYPERLINK(\"http://evil.example\")"
    assert desc.value.startswith("Linjeneste") and "\u0000" not in desc.value and "\u000b" not in desc.value
    for ws in book.worksheets:
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row)
    assert ex.pdf(hostile).startswith(b"%PDF")
