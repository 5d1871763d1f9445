"""Sammenlign scenarioer's export: the compared scenarios in one Report for the case documents (ui.export_pages)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from core import compare, fmt
from core import demography as dem
from core import duties as du
from core import export as ex
from core.i18n import t
from core.params import levers
from ui import headlines
from ui import levers as lever_ui
from ui import verdict_text as vt
from ui.export_pages import Charts, PageExport, chart_makers, report_charts
from ui.export_pages import column as _col
from ui.page_entry import PageEntry

PDF_COMPARED = ("coverage_index", "patients_without_gp", "fastlonn", "nh_required_fte")  # the rest in Excel only


def verdict_table(results: Mapping[str, pd.DataFrame]) -> ex.Table:
    """Each scenario judged for the patients (core.capacity.verdict) in the last shared year: against the
    first scenario and against its own starting year. Never by SSB's reserve index."""
    rows = vt.compared_rows(results)
    last = min(int(r["year"].max()) for r in results.values())
    return ex.Table(t("Vurdering for pasientene"), tuple(_col(h, None, [r[h] for r in rows]) for h in rows[0]),
                    t(vt.COMPARED_NOTE),
                    about=t("Hvert scenario vurdert for pasientene i {year}: mot det første scenarioet og mot sitt "
                            "eget utgangsår.", year=last))


Section = tuple[str, type, Sequence[Any], Any]  # (page, parameters class, each scenario's parameters, defaults)


def lever_table(sections: Sequence[Section], names: Sequence[str]) -> ex.Table | None:
    """The levers that differ between the scenarios, each value a number with the lever's format (a share as a
    fraction in percent, a year without grouping, whole numbers without decimals); on/off and choices as text."""
    choices = {**{k: t(v) for k, v in dem.ALTERNATIVES.items()}, **{k: t(v) for k, v in du.SERVICES.items()}}
    page, label, formats, default = [], [], [], []
    values: dict[str, list] = {name: [] for name in names}

    def cell(lv, raw):
        value = raw.item() if hasattr(raw, "item") else raw  # numpy → Python: a number stays a number
        return ex.lever_value(lv, value, lever_ui.default_text, choices)[0]

    for section, cls, params, defaults in sections:
        frame = compare.changed_values(cls, names, params, defaults)
        by_name = {lv.name: lv for lv in levers(cls)}
        for _, row in frame.iterrows():
            lv = by_name[row["name"]]
            page.append(section)
            label.append(lever_ui.label(lv))
            formats.append(ex.TEXT if lv.kind in ("bool", "choice") else ex.lever_format(lv))
            default.append(cell(lv, row["default"]))
            for name in names:
                values[name].append(cell(lv, row[name]))
    if not page:
        return None
    fmts = tuple(formats)
    return ex.Table(t("Spakene som skiller scenarioene"), (
        ex.Column(t("Side"), None, tuple(page)), ex.Column(t("Spak"), None, tuple(label)),
        ex.Column(t("Standard"), None, tuple(default), fmts),
        *(ex.Column(name, None, tuple(values[name]), fmts) for name in names)),
        about=t("Spakene som er satt ulikt i minst ett av scenarioene: standardverdien og verdien i hvert "
                "scenario. Kilde: spakene lagret i hvert scenario."))


def scenarioer_report_fields(results: Mapping[str, pd.DataFrame], sections: Sequence[Section],
                             sources: Sequence[str]) -> dict:
    """The compared scenarios: coverage and patients without a fastlege first, each judged for the patients,
    key figures in the last shared year, each output year by year, the levers."""
    names = list(results)
    summary = compare.horizon_summary(results)
    metrics = compare.shown_metrics(results)
    last = min(int(r["year"].max()) for r in results.values())  # the last shared year, as the summary
    row_formats = tuple(ex.decimals_format(compare.METRICS[m][1]) for m in metrics)  # one per summary row
    capacity_source, other_source = (list(sources) + ["", ""])[:2]
    key_table = ex.Table(t("Nøkkeltall i {year}", year=last), (
        _col(t("Nøkkeltall"), None, [str(i) for i in summary.index]),
        *(ex.Column(name, None, tuple(float(v) for v in summary[name]), row_formats) for name in names)),
        about=t("Nøkkeltallene i {year} for hvert scenario (kolonnene), hvert tall med sine egne desimaler: "
                "dekning og reservekapasitet med én, antall og kroner uten. Kilde: {source}.", year=last,
                source=capacity_source))
    against_first = compare.horizon_verdicts(results)

    def value(name: str, metric: str) -> float:
        return float(summary.loc[t(compare.METRICS[metric][0]), name])

    points = []
    for i, name in enumerate(names):
        parts = [t("dekning {value}", value=headlines.index_text(value(name, "coverage_index"))),
                 t("{n} pasienter uten fastlege", n=fmt.number(value(name, "patients_without_gp"))),
                 t("reservekapasitet (SSB) {value}", value=headlines.index_text(value(name, "reserve_index"))),
                 t("{n} hjemler", n=fmt.number(value(name, "hjemler")))]
        if "fastlonn" in metrics:
            parts.append(t("merkostnad {kr} med fastlønn", kr=fmt.kroner(value(name, "fastlonn"))))
        if "nh_required_fte" in metrics:
            parts.append(t("{fte} legeårsverk på sykehjem etter normen", fte=fmt.number(value(name, "nh_required_fte"), 2)))
        text = t("«{scenario}» i {year}: {parts}.", scenario=name, year=last, parts=", ".join(parts))
        if i > 0:
            text += " " + t("Mot «{first}»: {verdict}.", first=names[0], verdict=t(headlines.VERDICT_TEXT[against_first[name]]))
        points.append(text)
    tables = [key_table, verdict_table(results)]
    for m in metrics:
        if m == "duties_fte":
            continue
        label, dec = t(compare.METRICS[m][0]), compare.METRICS[m][1]
        w = compare.wide_frame(results, m)
        years = [int(y) for y in w.index]
        other = m in compare.ECONOMY_METRICS + compare.DUTY_METRICS
        tables.append(ex.Table(label, (_col(t("År"), None, years),
                                       *(_col(name, dec, w[name].tolist()) for name in names)),
                               in_pdf=m in PDF_COMPARED,
                               about=t("{what} år for år i hvert scenario (kolonnene), {start}–{end}. Kilde: {source}.",
                                       what=label, start=min(years), end=max(years),
                                       source=other_source if other else capacity_source)))
    levers_changed = lever_table(sections, names)
    if levers_changed is not None:
        tables.append(levers_changed)
    return dict(starting_point="", key_figures=(), key_points=tuple(points), assumptions=(),
                years=(), tables=tuple(tables), statistics=(), sources=tuple(sources), pdf_columns=())


def export(page: PageEntry, knr: str, kommune: str, results: Mapping[str, pd.DataFrame], sections: Sequence[Section],
           sources: Sequence[str], charts: Charts) -> PageExport:
    """«Eksporter til saksframlegg» on Sammenlign scenarioer (declared in ui.shell.PAGES): the compared
    scenarios in one file, named by them instead of the open scenario.

    `sections`: per page, (page title, parameters class, each scenario's parameters, the defaults)."""
    names = list(results)
    title = " · ".join(names)

    def make(_name: str, _description: str, data_version: str) -> ex.Report:
        return ex.Report(kommune=kommune, kommunenummer=knr, scenario_name=title,
                         description=t("Sammenligning av {n} scenarioer: {names}.", n=len(names),
                                       names=", ".join(f"«{n}»" for n in names)),
                         made=date.today(), data_version=data_version, page=t(page.title),
                         charts=report_charts(charts), **scenarioer_report_fields(results, sections, sources))

    return PageExport(make, chart_makers(charts), title=title)
