"""Export on Fastlegekapasitet: Excel, PNG, SVG and PDF of the scenario on the page.

The files are built only when a download button is clicked (Streamlit runs the callable on its own
thread), so a lever change costs four buttons and no file. Everything the callables need is read
from the session during the script run; the callables themselves call no Streamlit.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date

import streamlit as st

from core import catalog, demography
from core import economy as eco
from core import export as ex
from core import scenarios as sc
from core.capacity import CapacityBase, CapacityParams
from ui import components, economy_view, fmt, loaders, narrative, scenario
from ui import levers as lever_ui

CURRENT = "Gjeldende valg"
PAGE = "kapasitet"
CHARTS = {"capacity": "Kapasitet og listepasienter", "reserve": "Reservekapasitet mot målet",
          "without_gp": "Pasienter på lister uten lege"}
MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "png": "image/png",
        "svg": "image/svg+xml", "pdf": "application/pdf"}


def open_scenario(knr: str) -> tuple[str, str]:
    """(name, description) of the scenario opened or saved in this session, else «Gjeldende valg».

    If the page's levers differ from what was saved, the name says so.
    """
    sid = st.session_state.get(scenario._OPEN)
    if sid is None:
        return CURRENT, ""
    found = next((s for s in scenario.saved_for(knr) if s.id == sid), None)
    if found is None:
        return CURRENT, ""
    name = found.name
    if found.content.get(PAGE, {}) != scenario._current_query():
        name += " (endret etter lagring)"
    return name, found.description


def slug(text: str) -> str:
    """A file-name-safe ASCII version of a name: «Tønsberg – to nye» → «tonsberg-to-nye»."""
    text = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "Ae")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "scenario"


def _unit(lv) -> str:
    if lv.display_scale == 100.0:
        return lv.unit.replace("prosent", "%") if "prosent" in lv.unit else "%"
    return lv.unit


def key_figures(params: CapacityParams, result, priced) -> list[tuple[str, str]]:
    """The tiles of the page as (label, value) text: horizon year against the base year, and cost."""
    first, last = result.iloc[0], result.iloc[-1]
    y0, y1 = int(first["year"]), int(last["year"])
    rows = [
        (f"Reservekapasitet {y1} (mål {fmt.number(params.target_reserve)})", fmt.number(last["reserve_index"])),
        (f"Reservekapasitet {y0}", fmt.number(first["reserve_index"])),
        (f"Ledige plasser {y1}", fmt.number(last["free_places"])),
        (f"Pasienter på lister uten lege {y1}", fmt.number(last["patients_without_gp"])),
        (f"Hjemler som mangler for målet {y1}", fmt.number(last["extra_hjemler_needed"])),
        (f"Hjemler {y1} (i {y0}: {fmt.number(first['hjemler'])})", fmt.number(last["hjemler"])),
        (f"Sum listetak {y1}", fmt.number(last["capacity"])),
        (f"Leger per 1 000 innbyggere {y1}", fmt.number(last["gps_per_1000"], 2)),
        (f"Konsultasjoner per lege {y1}", fmt.number(last["consultations_per_gp"])),
    ]
    if priced is not None and len(priced):
        s = eco.scenario_summary(priced)
        rows += [(f"Merkostnad for kommunen {s['year']}, næringsdrift", fmt.kroner(s["naeringsdrift"])),
                 (f"Merkostnad for kommunen {s['year']}, fastlønn", fmt.kroner(s["fastlonn"]))]
    return rows


def year_columns(result, priced) -> list[ex.Column]:
    """The page's year table as numbers, with the cost per year (næringsdrift, fastlønn, vikar)."""
    cols = [ex.Column(header, decimals, tuple(float(v) for v in result[col].tolist()))
            for col, (header, decimals) in components.TABLE_COLUMNS.items()]
    if priced is not None:
        by_year = {int(y): i for i, y in enumerate(priced["year"].tolist())}
        headers = {**components.COST_COLUMNS, "vikar": "Merkostnad vikar for ledige lister (kr)"}
        for col, header in headers.items():
            values = priced[col].tolist()
            cols.append(ex.Column(header, 0, tuple(float(values[by_year[int(y)]]) if int(y) in by_year else None
                                                   for y in result["year"].tolist())))
    return cols


def build_report(*, kommune: str, base: CapacityBase, params: CapacityParams, defaults: CapacityParams,
                 result, priced, eco_params: eco.EconomyParams, period: eco.RulePeriod, chart_specs: dict,
                 name: str, description: str, data_version: str, starting_point: str, capacity_source: str,
                 made: date | None = None) -> ex.Report:
    """Everything the export files show for the scenario on the page (no Streamlit calls)."""
    eco_defaults = eco.defaults_for(period.key)
    assumptions = (
        ex.lever_rows(params, defaults, "Fastlegekapasitet", lever_ui.default_text, _unit,
                      demography.ALTERNATIVES)
        + ex.lever_rows(eco_params, eco_defaults, "Økonomi (kostnadslinjen)", lever_ui.default_text, _unit))
    charts = [ex.Chart(key, title, f"{title}, {int(result['year'].iloc[0])}–{int(result['year'].iloc[-1])}. "
                                   f"Kilde: {capacity_source}", chart_specs[key])
              for key, title in CHARTS.items()
              if key != "without_gp" or result["patients_without_gp"].max() >= 0.5]
    return ex.Report(
        kommune=kommune, kommunenummer=base.kommunenummer, scenario_name=name, description=description,
        made=made or date.today(), data_version=data_version, starting_point=starting_point,
        key_figures=tuple(key_figures(params, result, priced)),
        key_points=tuple(narrative.describe(base, params, defaults, result)),
        assumptions=tuple(assumptions), years=tuple(year_columns(result, priced)),
        statistics=tuple(ex.statistics_rows(base)), charts=tuple(charts),
        sources=(f"Fastlegekapasitet: {capacity_source}", f"Kostnad per år: {economy_view.source_line(period)}",
                 f"Fastlegestatistikk: {catalog.SSB_12005}",
                 "Metoden: docs/fastlegekapasitet.md og docs/okonomi.md i Legeplan"),
    )


def expander(knr: str, kommune: str, base: CapacityBase, params: CapacityParams, defaults: CapacityParams,
             result, priced, chart_specs: dict) -> None:
    """«Eksporter til saksframlegg»: download buttons for Excel, PNG, SVG and PDF (built on click)."""
    with st.expander("Eksporter til saksframlegg", icon=":material/download:"):
        name, description = open_scenario(knr)
        eco_params, period = economy_view.current_params()
        con = loaders.connection()  # the shared connection; its version is read only on a click
        make = functools.partial(
            _report_on_click, con, kommune=kommune, base=base, params=params, defaults=defaults,
            result=result, priced=priced, eco_params=eco_params, period=period, chart_specs=chart_specs,
            name=name, description=description, starting_point=base.label,
            capacity_source=components.capacity_source(base, params))
        st.caption(f"Scenario: **{name}**. Filene lages når du klikker, med verdiene på siden nå. "
                   "Åpne eller lagre et scenario i sidepanelet for å gi filene et navn og en beskrivelse.")
        stem = f"legeplan-kapasitet-{knr}-{slug(name)}"
        chart = st.selectbox("Figur", list(CHARTS), format_func=CHARTS.__getitem__, key="eksport_figur")
        cols = st.columns(4)
        cols[0].download_button("PDF-vedlegg", data=lambda: ex.pdf(make()), file_name=f"{stem}.pdf",
                                mime=MIME["pdf"], on_click="ignore", icon=":material/picture_as_pdf:",
                                key="eksport_pdf", width="stretch")
        cols[1].download_button("Excel", data=lambda: ex.workbook(make()), file_name=f"{stem}.xlsx",
                                mime=MIME["xlsx"], on_click="ignore", icon=":material/table:",
                                key="eksport_xlsx", width="stretch")
        cols[2].download_button("Figur som PNG", data=lambda: ex.chart_png(chart_specs[chart], CHARTS[chart]),
                                file_name=f"{stem}-{chart}.png", mime=MIME["png"], on_click="ignore",
                                icon=":material/image:", key="eksport_png", width="stretch")
        cols[3].download_button("Figur som SVG", data=lambda: ex.chart_svg(chart_specs[chart], CHARTS[chart]),
                                file_name=f"{stem}-{chart}.svg", mime=MIME["svg"], on_click="ignore",
                                icon=":material/draw:", key="eksport_svg", width="stretch")
        st.caption("Excel-arket har forutsetningene med kilder, tallene år for år, statistikken fra "
                   "utgangspunktet og en side «Om». Figurene er 1 600 piksler brede, for lysbilder. "
                   "Se docs/eksport.md.")


def _report_on_click(con, **kwargs) -> ex.Report:
    """build_report with the data version read when a file is asked for (a cursor of its own)."""
    return build_report(data_version=sc.data_version(con), **kwargs)
