"""Export to the case documents: Excel, PNG, SVG and PDF of the scenario on a page.

`expander` is Fastlegekapasitet's; `section` is the same expander for any page, which hands over a
callable that builds its `core.export.Report` and its charts (ui/export_pages.py builds them for
Økonomi, Kontorstruktur, Kommunale legeoppgaver and Befolkning).

The files are built only when a download button is clicked (Streamlit runs the callable on its own
thread), so a lever change costs four buttons and no file. Everything the callables need is read
from the session during the script run; the callables themselves call no Streamlit. The målform in
force is read during the run and put in force again on the click's thread.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date

import streamlit as st

from core import catalog, demography, fmt
from core import economy as eco
from core import export as ex
from core import scenarios as sc
from core.capacity import CapacityBase, CapacityParams
from core.i18n import N_, in_maalform, maalform, t
from ui import capacity_view, components, economy_view, headlines, loaders, narrative, scenario, state
from ui import levers as lever_ui
from ui import verdict_text as vt

CURRENT = ex.CURRENT  # the name for levers not saved as a scenario: «Gjeldende valg»
PAGE = "kapasitet"
CHARTS = {"capacity": N_("Kapasitet og listepasienter"), "coverage": N_("Dekning mot målet"),
          "without_gp": N_("Pasienter på lister uten lege"), "reserve": N_("Reservekapasitet (SSB)")}
OPEN_KEY = "eksport_apen"  # the export expander (lazy: its buttons exist only while it is open)
MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "png": "image/png",
        "svg": "image/svg+xml", "pdf": "application/pdf"}


def open_scenario(knr: str, page: str = PAGE) -> tuple[str, str]:
    """(name, description) of the scenario opened or saved in this session, else «Gjeldende valg».

    If the page's levers differ from what was saved, the name says so.
    """
    sid = scenario.open_id()
    if sid is None:
        return t(CURRENT), ""
    found = next((s for s in scenario.saved_for(knr) if s.id == sid), None)
    if found is None:
        return t(CURRENT), ""
    name = found.name
    if found.content.get(page, {}) != state.current_query():
        name += " " + t("(endret etter lagring)")
    return name, found.description


SLUG_MAX = 60


def slug(text: str, limit: int = SLUG_MAX) -> str:
    """A file-name-safe ASCII version of a name, at most `limit` characters cut between words:
    «Tønsberg – to nye» → «tonsberg-to-nye»."""
    text = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "Ae")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in re.split(r"[^a-z0-9]+", ascii_text.lower()) if w]
    out = ""
    for word in words:
        joined = f"{out}-{word}" if out else word
        if len(joined) > limit:
            break
        out = joined
    return out or (words[0][:limit] if words else "scenario")


def _unit(lv) -> str:
    if lv.display_scale == 100.0:
        return lv.unit.replace("prosent", "%") if "prosent" in lv.unit else "%"
    return lv.unit


def key_figures(base: CapacityBase, params: CapacityParams, result, priced) -> list[tuple[str, str]]:
    """The page's tiles as (label, value) text (ui.headlines): coverage and patients without a fastlege
    first, then the verdict for the patients, SSB's reserve index and the rest; each with its change, and
    the cost."""
    heads = headlines.capacity_headlines(base, params, result)

    def row(tile: headlines.Tile) -> tuple[str, str]:
        extra = ", ".join(x for x in (tile.delta, tile.note) if x)
        return tile.label, f"{tile.value} ({extra})" if extra else tile.value

    lead, rest = heads.headline[:2], heads.headline[2:] + heads.secondary
    rows = [row(tile) for tile in lead]
    rows.append((t("Sammenlignet med {year}", year=heads.first_year), vt.verdict_label(heads.verdict)))
    rows += [row(tile) for tile in rest]
    if priced is not None and len(priced):
        s = eco.scenario_summary(priced)
        rows += [(t("Merkostnad for kommunen {year}, næringsdrift", year=s["year"]), fmt.kroner(s["naeringsdrift"])),
                 (t("Merkostnad for kommunen {year}, fastlønn", year=s["year"]), fmt.kroner(s["fastlonn"]))]
    return rows


def year_columns(result, priced) -> list[ex.Column]:
    """The page's year table as numbers, with the cost per year (næringsdrift, fastlønn, vikar)."""
    cols = [ex.Column(t(header), decimals, tuple(float(v) for v in result[col].tolist()))
            for col, (header, decimals) in capacity_view.TABLE_COLUMNS.items()]
    if priced is not None:
        by_year = {int(y): i for i, y in enumerate(priced["year"].tolist())}
        headers = {**capacity_view.COST_COLUMNS, "vikar": N_("Merkostnad vikar for ledige lister (kr)")}
        for col, header in headers.items():
            values = priced[col].tolist()
            cols.append(ex.Column(t(header), 0, tuple(float(values[by_year[int(y)]]) if int(y) in by_year else None
                                                   for y in result["year"].tolist())))
    return cols


PDF_YEAR_KEYS = ("year", "list_patients", "hjemler", "capacity", "coverage_index", "patients_without_gp",
                 "reserve_index")  # the year table's columns that fit an A4 page, with the two cost columns


def pdf_columns() -> tuple[str, ...]:
    """Headers of the year columns the PDF shows (coverage and patients without a fastlege before SSB's index)."""
    return (tuple(t(capacity_view.TABLE_COLUMNS[k][0]) for k in PDF_YEAR_KEYS if k in capacity_view.TABLE_COLUMNS)
            + tuple(t(h) for h in capacity_view.COST_COLUMNS.values()))


def build_report(*, kommune: str, base: CapacityBase, params: CapacityParams, defaults: CapacityParams,
                 result, priced, eco_params: eco.EconomyParams, period: eco.RulePeriod, chart_specs: dict,
                 name: str, description: str, data_version: str, starting_point: str, capacity_source: str,
                 made: date | None = None) -> ex.Report:
    """Everything the export files show for the scenario on the page (no Streamlit calls)."""
    eco_defaults = eco.defaults_for(period.key)
    assumptions = (
        ex.lever_rows(params, defaults, t("Fastlegekapasitet"), lever_ui.default_text, _unit,
                      {k: t(v) for k, v in demography.ALTERNATIVES.items()})
        + ex.lever_rows(eco_params, eco_defaults, t("Økonomi (kostnadslinjen)"), lever_ui.default_text, _unit))
    y0, y1 = int(result["year"].iloc[0]), int(result["year"].iloc[-1])
    years = year_columns(result, priced)
    charts = [ex.Chart(key, t(title), t("{title}, {start}–{end}. Kilde: {source}", title=t(title), start=y0,
                                        end=y1, source=capacity_source), chart_specs[key])
              for key, title in CHARTS.items()
              if key in chart_specs and (key != "without_gp" or result["patients_without_gp"].max() >= 0.5)]
    return ex.Report(
        kommune=kommune, kommunenummer=base.kommunenummer, scenario_name=name, description=description,
        made=made or date.today(), data_version=data_version, starting_point=starting_point,
        key_figures=tuple(key_figures(base, params, result, priced)),
        key_points=tuple(narrative.describe(base, params, defaults, result)),
        assumptions=tuple(assumptions), years=tuple(years),
        years_about=ex.about_columns(t("Fastlegekapasitet år for år"), kommune, name, years) + " "
        + t("Kilde: {source}; kostnadene: Legeplans økonomimodell (docs/okonomi.md), satser: {period}.",
            source=capacity_source, period=t(period.label)),
        statistics=tuple(ex.statistics_rows(base)), charts=tuple(charts),
        sources=(t("Fastlegekapasitet: {source}", source=capacity_source),
                 t("Kostnad per år: {source}", source=economy_view.source_line(period)),
                 t("Fastlegestatistikk: {source}", source=catalog.SSB_12005),
                 t("Metoden: docs/fastlegekapasitet.md og docs/okonomi.md i Legeplan")),
        pdf_columns=pdf_columns(),
    )


def expander(knr: str, kommune: str, base: CapacityBase, params: CapacityParams, defaults: CapacityParams,
             result, priced, chart_specs: dict) -> None:
    """«Eksporter til saksframlegg» on Fastlegekapasitet: Excel, PNG, SVG and PDF (built on click)."""
    box = _panel()
    if box is None:
        return
    name, description = open_scenario(knr)
    eco_params, period = economy_view.current_params()
    con = loaders.connection()  # the shared connection; its version is read only on a click
    make = functools.partial(
        _report_on_click, con, kommune=kommune, base=base, params=params, defaults=defaults,
        result=result, priced=priced, eco_params=eco_params, period=period, chart_specs=chart_specs,
        name=name, description=description, starting_point=base.label,
        capacity_source=capacity_view.capacity_source(base, params))
    _downloads(box, f"legeplan-kapasitet-{knr}-{slug(name)}", name, make,
               {key: (t(title), chart_specs[key]) for key, title in CHARTS.items() if key in chart_specs},
               t("Excel-arket har forutsetningene med kilder, tallene år for år, statistikken fra "
                 "utgangspunktet og en side «Om». Figurene er 1 600 piksler brede, for lysbilder. "
                 "Se docs/eksport.md."))


def section(knr: str, kommune: str, page: str, build: Callable[[str, str, str], ex.Report],
            charts: Mapping[str, tuple[str, dict | Callable[[], dict]]], title: str | None = None) -> None:
    """«Eksporter til saksframlegg» for any page: the page hands over how to build its Report.

    `page` is the page's link key (e.g. "okonomi"); `build(name, description, data_version)` returns the
    Report, called only when a file is asked for; `charts` maps a chart key to (title, Vega-Lite spec or a
    callable that makes it). `title` names the files instead of the open scenario (a comparison).
    """
    box = _panel()
    if box is None:
        return
    name, description = (title, "") if title else open_scenario(knr, page)
    con = loaders.connection()
    make = functools.partial(_section_on_click, con, build, name, description)
    _downloads(box, f"legeplan-{page}-{knr}-{slug(name)}", name, make, charts,
               t("Excel-arket har forutsetningene med kilder, tallene år for år, sidens egne tabeller, "
                 "statistikken som er brukt og en side «Om». Figurene er 1 600 piksler brede, for lysbilder. "
                 "Se docs/eksport.md."))


def _panel():
    """The export expander, or None while it is closed (then nothing inside it is built or sent)."""
    box = components.lazy_expander(t("Eksporter til saksframlegg"), key=OPEN_KEY, icon=":material/download:")
    return box if box.open else None


def _downloads(box, stem: str, name: str, make: Callable[[], ex.Report], charts: Mapping[str, tuple[str, dict]],
               note: str) -> None:
    """Inside the open expander: scenario name, figure choice and the four download buttons (files built
    on click)."""
    code = maalform()

    def in_form(fn: Callable[[], bytes]) -> Callable[[], bytes]:
        def run() -> bytes:
            with in_maalform(code):
                return fn()
        return run

    with box:
        st.caption(t("Scenario: **{name}**. Filene lages når du klikker, med verdiene på siden nå. "
                     "Åpne eller lagre et scenario i sidepanelet for å gi filene et navn og en beskrivelse.",
                     name=name))
        chart = st.selectbox(t("Figur"), list(charts), format_func=lambda k: charts[k][0], key="eksport_figur")
        cols = st.columns(4)
        cols[0].download_button(t("PDF-vedlegg"), data=in_form(lambda: ex.pdf(make())), file_name=f"{stem}.pdf",
                                mime=MIME["pdf"], on_click="ignore", icon=":material/picture_as_pdf:",
                                key="eksport_pdf", width="stretch")
        cols[1].download_button(t("Excel"), data=in_form(lambda: ex.workbook(make())), file_name=f"{stem}.xlsx",
                                mime=MIME["xlsx"], on_click="ignore", icon=":material/table:",
                                key="eksport_xlsx", width="stretch")
        title, spec = charts[chart] if chart in charts else next(iter(charts.values()))

        def spec_now() -> dict:  # another page's spec is made only when its file is asked for
            return spec() if callable(spec) else spec

        cols[2].download_button(t("Figur som PNG"), data=in_form(lambda: ex.chart_png(spec_now(), title)),
                                file_name=f"{stem}-{chart}.png", mime=MIME["png"], on_click="ignore",
                                icon=":material/image:", key="eksport_png", width="stretch")
        cols[3].download_button(t("Figur som SVG"), data=in_form(lambda: ex.chart_svg(spec_now(), title)),
                                file_name=f"{stem}-{chart}.svg", mime=MIME["svg"], on_click="ignore",
                                icon=":material/draw:", key="eksport_svg", width="stretch")
        st.caption(note)


def _report_on_click(con, **kwargs) -> ex.Report:
    """build_report with the data version read when a file is asked for (a cursor of its own)."""
    return build_report(data_version=sc.data_version(con), **kwargs)


def _section_on_click(con, build: Callable[[str, str, str], ex.Report], name: str, description: str) -> ex.Report:
    """A page's Report with the data version read when a file is asked for."""
    return build(name, description, sc.data_version(con))
