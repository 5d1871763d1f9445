"""Fastlegekapasitet's export: the scenario on the page as Excel, PNG, SVG and PDF for the case documents.

Declared in the shell (ui.shell.PAGES). ui.export_view.offer calls `export` on the page's run (it reads
the Økonomi levers in force, for the cost line); the Report and the files are built only when a download
button is clicked (ui.export_pages.PageExport).
"""

from __future__ import annotations

import functools
from datetime import date

from core import catalog, demography, fmt
from core import economy as eco
from core import export as ex
from core.capacity import CapacityBase, CapacityParams
from core.i18n import N_, t
from ui import capacity_view, economy_view, headlines, narrative
from ui import levers as lever_ui
from ui import verdict_text as vt
from ui.export_pages import PageExport
from ui.export_pages import unit as _unit
from ui.page_entry import PageEntry

CHARTS = {"capacity": N_("Kapasitet og listepasienter"), "coverage": N_("Dekning mot målet"),
          "without_gp": N_("Pasienter på lister uten lege"), "reserve": N_("Reservekapasitet (SSB)")}


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


def export(page: PageEntry, knr: str, kommune: str, base: CapacityBase, params: CapacityParams,
           defaults: CapacityParams, result, priced, chart_specs: dict) -> PageExport:
    """«Eksporter til saksframlegg» on Fastlegekapasitet: Excel, PNG, SVG and PDF (built on click)."""
    eco_params, period = economy_view.current_params()
    make = functools.partial(
        _report_on_click, kommune=kommune, base=base, params=params, defaults=defaults,
        result=result, priced=priced, eco_params=eco_params, period=period, chart_specs=chart_specs,
        starting_point=base.label, capacity_source=capacity_view.capacity_source(base, params))
    return PageExport(
        make, {key: (t(title), chart_specs[key]) for key, title in CHARTS.items() if key in chart_specs},
        note=t("Excel-arket har forutsetningene med kilder, tallene år for år, statistikken fra "
               "utgangspunktet og en side «Om». Figurene er 1 600 piksler brede, for lysbilder. "
               "Se docs/eksport.md."))


def _report_on_click(name: str, description: str, data_version: str, **kwargs) -> ex.Report:
    """build_report with the scenario's name and description and the data version read on the click."""
    return build_report(name=name, description=description, data_version=data_version, **kwargs)
