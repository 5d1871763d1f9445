"""Export from Økonomi, Kontorstruktur, Kommunale legeoppgaver and Befolkning: files opened and checked.

Each page is opened with AppTest as a link would; the Report its export would build is captured
(ui.export_view.section is wrapped), and the workbook and PDF are read back with the numbers the
page's models give (the Øyer and Stavanger cases to the krone and the hundredth).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from core import economy as eco
from core import export as ex
from core.params import levers
from tests.apptest_util import open_expander, open_page, squash
from ui import export_view
from ui.export_view import OPEN_KEY

pypdf = pytest.importorskip("pypdf")


@pytest.fixture
def captured(monkeypatch):
    """The last export a page offered: page key, build callable and charts."""
    seen: dict = {}
    original = export_view.section

    def spy(knr, kommune, page, build, charts, **kwargs):
        seen.update(knr=knr, kommune=kommune, page=page, build=build, charts=charts, **kwargs)
        return original(knr, kommune, page, build, charts, **kwargs)

    monkeypatch.setattr(export_view, "section", spy)
    return seen


def _report(seen) -> ex.Report:
    return seen["build"]("Mitt scenario", "Beskrivelse med æøå", "v123")


def _sheet(wb, name) -> dict[str, list]:
    """Header → column values of a sheet."""
    rows = list(wb[name].iter_rows(min_row=ex.HEADER_ROW, values_only=True))
    return {h: [r[i] for r in rows[1:]] for i, h in enumerate(rows[0]) if h is not None}


def _pdf_pages(data: bytes) -> list[str]:
    assert data[:5] == b"%PDF-"
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def _titled_with_the_scenario(wb, pages: list[str], report: ex.Report) -> None:
    """Every sheet but «Om» opens with page, kommune and scenario, then a sentence saying what it holds; every
    PDF page's footer names the kommune and the scenario; no PDF table header word is broken."""
    for ws in wb.worksheets:
        if ws.title == "Om":
            continue
        assert ws["A1"].value == f"{report.page} – {report.kommune} · Scenario: Mitt scenario", ws.title
        assert len(ws["A2"].value) > 40, ws.title
    for n, text in enumerate(pages, start=1):
        assert f"{report.kommune} · Mitt scenario · Side {n} av {len(pages)}" in text, n
    tokens = set("\n".join(pages).split())
    for table in [t for t in report.tables if t.in_pdf]:
        assert table_about_in(pages, ex.table_about(table, report)), table.title
        for column in table.columns:
            for word in column.header.split():
                assert word in tokens, (table.title, column.header, word)


def table_about_in(pages: list[str], about: str) -> bool:
    return " ".join(about.split())[:60] in " ".join(" ".join(pages).split())


def _charts_render(seen) -> None:
    """Every chart the page offers as PNG/SVG is made on request and renders at slide width."""
    for key, (title, spec) in seen["charts"].items():
        made = spec() if callable(spec) else spec
        png = ex.chart_png(made, title)
        assert png[:8] == b"\x89PNG\r\n\x1a\n", key
        assert int.from_bytes(png[16:20], "big") == ex.SLIDE_WIDTH, key
        assert title in ex.chart_svg(made, title).decode("utf-8"), key


def _digits(x: float) -> str:
    return str(round(x))


def _downloads(at) -> set[str]:
    """The download buttons once the export expander is opened (closed, it holds none)."""
    assert not at.get("download_button")
    open_expander(at, OPEN_KEY)
    return {b.key for b in at.get("download_button")}


def test_okonomi_workbook_and_pdf(captured):
    at = open_page("pages/okonomi.py", kommune="4631", periode="2024")
    assert _downloads(at) == {"eksport_pdf", "eksport_xlsx", "eksport_png", "eksport_svg"}
    assert captured["page"] == "okonomi" and set(captured["charts"]) == {"kurve", "opptrapping", "folsomhet"}
    _charts_render(captured)
    report = _report(captured)
    params, period = eco.defaults_for("2024"), eco.PERIODS["2024"]

    wb = load_workbook(io.BytesIO(ex.workbook(report)))
    assert wb.sheetnames == ["Forutsetninger", "År for år", "Regnestykket for fastlønn", "Følsomhet",
                             "Statistikk", "Om"]
    assumptions = list(wb["Forutsetninger"].iter_rows(min_row=ex.HEADER_ROW + 1, values_only=True))
    assert len(assumptions) == len(levers(eco.EconomyParams))
    assert {r[0] for r in assumptions} == {"Økonomi"} and all(r[6] for r in assumptions)
    ramp = eco.ramp_up(params, period)
    years = _sheet(wb, "År for år")
    assert years["Driftsår"] == ramp["year"].tolist()
    assert years["Fastlønn (kr)"] == pytest.approx(ramp["fastlonn"].tolist())
    assert years["Næringsdrift (kr)"] == pytest.approx(ramp["naeringsdrift"].tolist())
    lines = eco.fastlonn_lines(params, period)
    fastlonn = _sheet(wb, "Regnestykket for fastlønn")
    assert fastlonn["Kroner per år"] == pytest.approx(lines["kr"].tolist())
    tornado = _sheet(wb, "Følsomhet")
    assert tornado["Utslag"] == pytest.approx(eco.tornado(params, period)["swing"].tolist())
    stats = _sheet(wb, "Statistikk")
    assert stats["Verdi"][0] == 564  # (7 291 + 2 232) mill. kr / 16 884 831: the national income per consultation
    assert stats["År"][0] == 2023 and "16\u00a0884\u00a0831" in stats["Kilde"][0]  # 2024 → nearest year, 2023
    about = {r[0]: r[1] for r in wb["Om"].iter_rows(values_only=True)}
    assert about["Side"] == "Økonomi" and about["Kommune"] == "Alver (4631)"
    assert about["Scenario"] == "Mitt scenario" and about["Datagrunnlag (versjon)"] == "v123"

    pages = _pdf_pages(ex.pdf(report))
    _titled_with_the_scenario(wb, pages, report)
    front = pages[0]
    for text in ("Vedlegg til saksframlegg", "Økonomi – Alver: Mitt scenario", "Beskrivelse med æøå",
                 "Nøkkeltall", "Fastlønn: netto per år", "Hovedpunkter"):
        assert text in front, text
    everything = "\n".join(pages)
    for text in ("Figurer", "År for år", "Regnestykket for fastlønn", "Følsomhet", "Forutsetninger", "Kilder"):
        assert text in everything, text
    assert f"Side 1 av {len(pages)}" in front


def test_kontor_oyer_case_to_the_krone(captured):
    at = open_page("pages/kontor.py", kommune="3440")
    assert _downloads(at) == {"eksport_pdf", "eksport_xlsx", "eksport_png", "eksport_svg"}
    _charts_render(captured)
    report = _report(captured)
    wb = load_workbook(io.BytesIO(ex.workbook(report)))
    assert wb.sheetnames == ["Forutsetninger", "Modellene", "Kontor i hver modell", "Om"]
    models = _sheet(wb, "Modellene")
    i = models["Modell"].index("Samling til ett kontor")
    assert models["Kostnad per år (kr)"][i] == 6246372
    assert models["Innsparing mot i dag (kr)"][i] == 1085600
    assert models["Per listepasient (kr)"][i] == 1361 and models["Per konsultasjon (kr)"][i] == 525
    offices = _sheet(wb, "Kontor i hver modell")
    today = {o: c for m, o, c in zip(offices["Modell"], offices["Kontor"], offices["Kostnad per år (kr)"],
                                      strict=True) if m == "I dag"}
    assert today == {"Øyer legekontor": 3693850, "Tretten legekontor": 3638122}
    assumptions = list(wb["Forutsetninger"].iter_rows(min_row=ex.HEADER_ROW + 1, values_only=True))
    assert {r[0] for r in assumptions} == {"Fravær per fastlege"}

    pages = _pdf_pages(ex.pdf(report))
    _titled_with_the_scenario(wb, pages, report)
    assert "Kontorstruktur – Øyer: Mitt scenario" in pages[0]
    everything = "\n".join(pages)
    assert "Modellene" in everything and "6 246 372" in everything.replace("\u00a0", " ")
    assert "**" not in everything  # the page's markdown is not printed


def test_legeoppgaver_stavanger_fte(captured):
    at = open_page("pages/legeoppgaver.py", kommune="1103")
    assert _downloads(at) == {"eksport_pdf", "eksport_xlsx", "eksport_png", "eksport_svg"}
    _charts_render(captured)
    report = _report(captured)
    wb = load_workbook(io.BytesIO(ex.workbook(report)))
    assert wb.sheetnames == ["Forutsetninger", "År for år", "Legeårsverk etter tjeneste",
                             "Sykehjem etter type plass", "Statistikk", "Om"]
    years = _sheet(wb, "År for år")
    assert years["Legeårsverk i dag"][0] == pytest.approx(19.75)
    assert years["Gap (årsverk)"][0] == pytest.approx(5.21, abs=0.005)
    assert years["Legeårsverk etter normen"][0] == pytest.approx(24.96, abs=0.005)
    sections = {r[0] for r in wb["Forutsetninger"].iter_rows(min_row=ex.HEADER_ROW + 1, values_only=True)}
    assert sections == {"Felles", "Sykehjem", "Legevakt", "Helsestasjon", "Samlet"}
    services = _sheet(wb, "Legeårsverk etter tjeneste")
    assert services["Legeårsverk i dag"][services["Tjeneste"].index("Sykehjem")] == pytest.approx(19.75)

    pages = _pdf_pages(ex.pdf(report))
    _titled_with_the_scenario(wb, pages, report)
    assert "Kommunale legeoppgaver – Stavanger" in pages[0] and "+5,21" in pages[0]


def test_befolkning_years_and_statistics(captured):
    at = open_page("pages/befolkning.py", kommune="4631", aar="2040")
    assert _downloads(at) == {"eksport_pdf", "eksport_xlsx", "eksport_png", "eksport_svg"}
    _charts_render(captured)
    report = _report(captured)
    wb = load_workbook(io.BytesIO(ex.workbook(report)))
    assert wb.sheetnames == ["Forutsetninger", "År for år", "Statistikk", "Om"]
    years = _sheet(wb, "År for år")
    shown = {m.label: m for m in at.metric}
    i = years["År"].index(2040)
    assert _digits(years["80+ år"][i]) == squash(shown["80 år og eldre 1.1.2040"].value)
    assert _digits(years["67+ år"][i]) == squash(shown["67 år og eldre 1.1.2040"].value)
    stats = _sheet(wb, "Statistikk")
    assert len(stats["Verdi"]) == 4 and set(stats["Enhet"]) == {"personer"}
    assert f"Registrert1.1.{stats['År'][0]}:{_digits(sum(stats['Verdi']))}" in squash(
        shown["Innbyggere 1.1.2040"].help)

    data = ex.pdf(report)
    pages = _pdf_pages(data)
    _titled_with_the_scenario(wb, pages, report)
    assert "Befolkning – Alver: Mitt scenario" in pages[0] and "Registrert folketall 2026" in "\n".join(pages)
    if shutil.which("pdftoppm"):
        _render(data)


def _render(data: bytes, tmp="/tmp/legeplan-eksport-test") -> None:
    from pathlib import Path

    out = Path(tmp)
    out.mkdir(exist_ok=True)
    (out / "vedlegg.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(out / "vedlegg.pdf"),
                    str(out / "side")], check=True)
    assert len(list(out.glob("side-*.png"))) == 2


def test_pdf_in_nynorsk(captured):
    at = open_page("pages/okonomi.py", kommune="4631", malform="nn")
    from core.i18n import in_maalform

    with in_maalform("nn"):  # the click's thread runs in the målform the page was shown in
        report = _report(captured)
        data = ex.pdf(report)
        wb = load_workbook(io.BytesIO(ex.workbook(report)))
    assert at.title[0].value.startswith("Økonomi")
    assert wb.sheetnames[0] == "Føresetnader" and "Om" in wb.sheetnames
    text = "\n".join(_pdf_pages(data))
    for word in ("Vedlegg til saksframlegg", "Nøkkeltal", "Hovudpunkt", "Føresetnader", "Kjelder"):
        assert word in text, word
    for word in ("Nøkkeltall", "Hovedpunkter", "Forutsetninger", "Kilder\n", "Kilde for standardverdien"):
        assert word not in text, word
    assert "Kjelde for standardverdien" in text and wb["Føresetnader"]["G3"].value == "Kjelde for standardverdien"
    from tests.test_i18n import bokmaal_leaks

    cells = "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert not bokmaal_leaks(cells), bokmaal_leaks(cells)[:5]  # every fixed text, header and source in nynorsk


def test_presentation_steps_through_cost_and_duties_of_the_scenario():
    from core import db
    from core import scenarios as sc
    from tests.apptest_util import button, metrics

    user = db.connect_user()
    sc.save(user, "1103", "Hele bildet", "", {"kapasitet": {"new_hjemler": "3"}, "okonomi": {"periode": "2024"},
                                              "legeoppgaver": {"legecase": "stavanger_2023"}}, "x")
    user.close()
    at = open_page("pages/kapasitet.py", kommune="1103")
    box = at.selectbox(key="scenario_valg")
    box.select_index(box.options.index("Hele bildet"))
    at.run()
    button(at, "Åpne").click()
    at.run()
    next(t for t in at.sidebar.toggle if t.label == "Presentasjonsmodus").set_value(True).run()
    seen = [at.title[0].value]
    shown = {}
    while not button(at, "Neste").disabled:
        button(at, "Neste").click().run()
        assert not at.exception
        seen.append(at.title[0].value)
        shown[seen[-1]] = metrics(at)
    assert seen[3:] == ["Hva koster det for kommunen?", "Hva koster én hjemmel?", "Kommunale legeoppgaver",
                        "Hva scenarioet forutsetter"]
    assert seen[0].endswith("for pasientene i 2040: færre uten fastlege, men lavere dekning") or \
        seen[0].endswith("enn i 2023")  # the verdict for the patients (ui.verdict_text), never the reserve index
    duties = shown["Kommunale legeoppgaver"]
    assert duties["Legeårsverk på sykehjem etter normen (Legeplans tilbakeregning)"] == "24,96"
    assert duties["Legeårsverk på sykehjem i dag"] == "19,75"
    c = eco.hjemmel_cost(eco.defaults_for("2024"), eco.PERIODS["2024"])
    cost = shown["Hva koster én hjemmel?"]
    # the scenario keeps the example salary and office: the slide's tile says so, as on Økonomi
    assert cost["Fastlønn: netto per år (eksempelkostnader)"] == squash(f"{round(c.fastlonn):,}".replace(",", " ") + " kr")


def test_comparison_workbook_and_pdf(captured):
    from core import db
    from core import scenarios as sc

    user = db.connect_user()
    sc.save(user, "1103", "Tre nye", "", {"kapasitet": {"new_hjemler": "3"}}, "x")
    sc.save(user, "1103", "Sykehjem", "", {"okonomi": {"salary": "1500000"},
                                           "legeoppgaver": {"sh_new_long_term": "10"}}, "x")
    user.close()
    at = open_page("pages/scenarioer.py", kommune="1103")
    assert _downloads(at) == {"eksport_pdf", "eksport_xlsx", "eksport_png", "eksport_svg"}
    assert captured["page"] == "scenarioer"
    _charts_render(captured)
    report = _report(captured)
    names = ["Uten endringer, standardverdier", "Sykehjem", "Tre nye"]
    assert report.scenario_name == " · ".join(names)
    wb = load_workbook(io.BytesIO(ex.workbook(report)))
    assert wb.sheetnames[:4] == ["Nøkkeltall i 2040", "Vurdering for pasientene", "Dekning",
                                 "Pasienter uten fastlege"]
    assert "Forutsetninger" not in wb.sheetnames and wb.sheetnames[-1] == "Om", wb.sheetnames
    assert "Merkostnad fastlønn (kr)" in wb.sheetnames and "Spakene som skiller scenarioene" in wb.sheetnames, \
        "|".join(wb.sheetnames)
    years = _sheet(wb, "Dekning")
    assert list(years) == ["År", *names]
    assert "Reservekapasitet (SSB)" in wb.sheetnames  # SSB's index stays, after coverage
    hjemler = _sheet(wb, "Hjemler")
    i = hjemler["År"].index(2040)
    assert hjemler["Tre nye"][i] == hjemler["Uten endringer, standardverdier"][i] + 3
    assert all(len(n) <= 31 and n == n.strip() for n in wb.sheetnames)  # cut at a word, no trailing space
    fte = _sheet(wb, "Legeårsverk på sykehjem etter")  # «… etter normen» cut at a word (was «… etter n»)
    assert fte["Tre nye"][0] == pytest.approx(24.96, abs=0.005) and fte["Sykehjem"][-1] > fte["Tre nye"][-1]
    cost = _sheet(wb, "Merkostnad fastlønn (kr)")
    assert cost["Uten endringer, standardverdier"][-1] == 0 and cost["Tre nye"][-1] != 0
    levers_sheet = _sheet(wb, "Spakene som skiller scenarioene")
    assert set(levers_sheet["Side"]) == {"Fastlegekapasitet", "Økonomi", "Kommunale legeoppgaver"}
    # every lever value a number with the lever's format (was text such as «'-100»)
    by_lever = {lever: i for i, lever in enumerate(levers_sheet["Spak"])}
    ws = wb["Spakene som skiller scenarioene"]
    names_col = {c.value: c.column for c in ws[ex.HEADER_ROW]}

    def cell(lever: str, scenario: str):
        return ws.cell(row=ex.HEADER_ROW + 1 + by_lever[lever], column=names_col[scenario])

    assert (cell("Nye hjemler", "Tre nye").value, cell("Nye hjemler", "Tre nye").number_format) == (3, "#,##0")
    assert cell("Nye hjemler", "Sykehjem").value == 0 and cell("Nye hjemler", "Standard").data_type == "n"
    salary = next(k for k in by_lever if k.startswith("Årslønn"))
    assert (cell(salary, "Sykehjem").value, cell(salary, "Sykehjem").number_format) == (1500000, "#,##0")
    new_places = next(k for k in by_lever if "langtid" in k.lower())
    assert cell(new_places, "Sykehjem").value == 10 and cell(new_places, "Sykehjem").data_type == "n"
    for row in ws.iter_rows(min_row=ex.HEADER_ROW + 1, min_col=3):
        for c in row:
            assert c.data_type == "n" or not str(c.value).lstrip("'-−+").replace(" ", "").isdigit(), c.coordinate
    key = _sheet(wb, "Nøkkeltall i 2040")
    assert key["Nøkkeltall"][:3] == ["Dekning", "Pasienter uten fastlege", "Reservekapasitet (SSB)"]
    row = key["Nøkkeltall"].index("Hjemler")
    assert key["Tre nye"][row] == key["Uten endringer, standardverdier"][row] + 3
    # each row its own decimals: hjemler and kroner whole (was «Hjemler 32,00», «17 483 233,98»), indices one
    ws = wb["Nøkkeltall i 2040"]
    formats = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(ex.HEADER_ROW + 1, ws.max_row + 1)}
    assert formats["Hjemler"].number_format == "#,##0" and isinstance(formats["Hjemler"].value, int)
    assert formats["Merkostnad fastlønn (kr)"].number_format == "#,##0"
    assert isinstance(formats["Merkostnad fastlønn (kr)"].value, int)
    assert formats["Dekning"].number_format == "#,##0.0" and formats["Pasienter uten fastlege"].number_format == "#,##0"
    assert ws["A1"].value == "Sammenlign scenarioer – Stavanger · Scenario: " + " · ".join(names)
    assert ws["A2"].value.startswith("Nøkkeltallene i 2040 for hvert scenario (kolonnene)")

    pages = _pdf_pages(ex.pdf(report))
    front = " ".join(pages[0].split())
    assert "Sammenlign scenarioer – Stavanger: Uten endringer, standardverdier · Sykehjem · Tre nye" in front
    assert len(pages) <= 8
    assert "«Tre nye» i 2040" in front
    key_page = next(p for p in pages if "Nøkkeltall i 2040" in p)
    hjemler = next(line for line in key_page.splitlines() if line.startswith("Hjemler "))
    assert ",00" not in hjemler and re.fullmatch(r"Hjemler( \d+){3}", hjemler.replace("\u00a0", " ")), hjemler
    everything = "\n".join(pages)
    for text in ("Figurer", "Dekning", "Vurdering for pasientene", "Spakene som skiller scenarioene", "Kilder"):
        assert text in everything, text


def test_comparison_export_of_a_collapse_never_calls_it_better(con):
    """The comparison's Excel and PDF for Alver 2021 with and without the collapse (2 new hjemler, 3 GPs
    leaving, 2 lists filled a year): coverage first with exact numbers, judged for the patients."""
    from core import capacity as cap
    from core import compare, demography, starting_points
    from ui import compare_export

    base = starting_points.from_reference(con, "alver_2021")
    path = demography.population_path(demography.registered_groups(con, "4631"),
                                      demography.project_groups(con).for_kommune("4631"))
    contents = {"Uten endringer": {"start": "alver_2021"},
                "Kollaps": {"start": "alver_2021", "new_hjemler": "2", "exits_per_year": "3",
                            "recruits_per_year": "2"}}
    results = {name: cap.project(base, path, compare.scenario_params(name, {"kapasitet": c}, base).params)
               for name, c in contents.items()}
    fields = compare_export.scenarioer_report_fields(results, [], ["testkilde"])
    tables = {table.title: table for table in fields["tables"]}
    assert list(tables)[:4] == ["Nøkkeltall i 2040", "Vurdering for pasientene", "Dekning",
                                "Pasienter uten fastlege"]
    coverage = tables["Dekning"].columns
    assert coverage[2].values == tuple(pytest.approx(v) for v in results["Kollaps"]["coverage_index"].tolist())
    assert round(coverage[2].values[-1], 1) == 32.8 and round(coverage[1].values[0], 4) == round(29400 / 28983 * 100, 4)
    verdict = {c.header: c.values for c in tables["Vurdering for pasientene"].columns}
    assert verdict["Mot «Uten endringer» i 2040"] == ("–", "Verre for pasientene")
    kollaps = fields["key_points"][1]
    assert kollaps.startswith("«Kollaps» i 2040: dekning 32,8, 20\u00a0990 pasienter uten fastlege, "
                              "reservekapasitet (SSB) 101, 28 hjemler")
    assert kollaps.endswith("Mot «Uten endringer»: verre for pasientene.")
    cells = [str(v) for t in fields["tables"] for c in t.columns for v in c.values] + list(fields["key_points"])
    assert not [c for c in cells if "bedre" in c.lower() and "Kollaps" in c]
    assert "bedre" not in " ".join(verdict["Mot «Uten endringer» i 2040"]).lower()
