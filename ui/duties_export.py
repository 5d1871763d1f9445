"""Kommunale legeoppgaver's export: norm, gap and FTE by service, as a Report for the case documents
(ui.export_pages)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from core import duties as du
from core import duties_charts as charts
from core import export as ex
from core import fmt
from core.i18n import N_, t
from core.params import levers
from ui import duties_text as text
from ui import duties_view
from ui import levers as lever_ui
from ui.export_pages import PageExport, page_export
from ui.export_pages import column as _col
from ui.export_pages import unit as _unit
from ui.page_entry import PageEntry

_SECTIONS = {du.SharedParams: N_("Felles"), du.NursingHomeParams: N_("Sykehjem"), du.LegevaktParams: N_("Legevakt"),
             du.HealthStationParams: N_("Helsestasjon"), du.TotalParams: N_("Samlet")}


def legeoppgaver_report_fields(setup, params: Mapping[type, Any], nh: du.NursingHomeResult, growth: pd.DataFrame,
                               picture: pd.DataFrame, sentences: Sequence[str], sources: Sequence[str]) -> dict:
    """Norm, gap and FTE by service; the growth year by year; every lever of the five groups."""
    norm = text.norm_label("", du.norm_in_force(setup.stavanger, params[du.NursingHomeParams]), [])
    figures = ((t("Legeårsverk på sykehjem etter normen") + norm, fmt.number(nh.required_fte, 2)),
               (t("Legeårsverk på sykehjem i dag"), fmt.number(nh.current_fte, 2)),
               (t("Gap (årsverk)") + norm, fmt.number(nh.gap_fte, 2, sign=True)),
               *text.stavanger_norm_figures(setup.stavanger, params[du.SharedParams]),
               (t("Kostnad av gapet per år"), fmt.kroner(nh.gap_cost)),
               (t("Legeårsverk i alt i dag"), fmt.number(float(picture["today"].sum()), 2)),
               (t("Legeårsverk i alt med flyttede timer"), fmt.number(float(picture["after"].sum()), 2)))
    years = (_col(t("År"), None, growth["year"].tolist()),
             _col(t("Sykehjemsplasser"), 0, growth["places"].tolist()),
             _col(t("Legeårsverk etter normen"), 2, growth["required_fte"].tolist()),
             _col(t("Legeårsverk i dag"), 2, growth["current_fte"].tolist()),
             _col(t("Gap (årsverk)"), 2, growth["gap_fte"].tolist()),
             _col(t("Kostnad av gapet (kr per år)"), 0, growth["gap_cost"].tolist()))
    services = ex.Table(t("Legeårsverk etter tjeneste"), (
        _col(t("Tjeneste"), None, [t(x) for x in picture["label"]]),
        _col(t("Legeårsverk i dag"), 2, picture["today"].tolist()),
        _col(t("Med flyttede timer"), 2, picture["after"].tolist())),
        about=t("Legeårsverk i hver kommunale tjeneste i dag og med de flyttede timene (årsverk med to "
                "desimaler). Kilde: {source}.", source=sources[-1] if sources else ""))
    by_kind = nh.by_kind
    kinds = ex.Table(t("Sykehjem etter type plass"), (
        _col(t("Type plass"), None, [t(x) for x in by_kind["label"]]),
        _col(t("Plasser"), 0, by_kind["places"].tolist()),
        _col(t("Norm (minutter per plass per uke)"), 2, by_kind["norm_minutes"].tolist()),
        _col(t("Legetimer per uke"), 1, by_kind["hours_per_week"].tolist()),
        _col(t("Legeårsverk"), 2, by_kind["fte"].tolist())),
        about=t("Sykehjemmet etter type plass: plasser, normen i minutter per plass per uke, legetimer per uke og "
                "legeårsverk{norm}. Kilde: {source}.", norm=norm, source=sources[0] if sources else ""))
    assumptions = []
    for cls, section in _SECTIONS.items():
        assumptions += [replace(a, source=t(setup.lever(lv).source)) if setup.lever(lv) is not lv else a
                        for a, lv in zip(ex.lever_rows(params[cls], setup.defaults[cls], t(section),
                                                       lever_ui.default_text, _unit,
                                                       {k: t(v) for k, v in du.SERVICES.items()}),
                                         levers(cls), strict=True)]
    lb = setup.list_base
    statistics = () if lb is None else (
        ex.Statistic(t("Lister med lege"), float(lb.lists_with_gp), t("lister"), lb.year, lb.source),
        ex.Statistic(t("Sum listetak, lister med lege"), float(lb.list_capacity), t("personer"), lb.year, lb.source),
        ex.Statistic(t("Pasienter på lister med lege"), float(lb.patients_with_gp), t("personer"), lb.year, lb.source))
    y0, y1 = int(growth["year"].iloc[0]), int(growth["year"].iloc[-1])
    return dict(starting_point=t(setup_label(setup)), key_figures=figures, key_points=tuple(sentences),
                assumptions=tuple(assumptions), years=years, tables=(services, kinds), statistics=statistics,
                years_about=t("Sykehjem år for år {start}–{end}: plasser, legeårsverk etter normen{norm} og i dag, "
                              "gapet i årsverk og kostnaden av gapet (kroner per år). Kilde: {source}.", start=y0,
                              end=y1, norm=norm, source=sources[0] if sources else ""),
                sources=(*sources, t("Metoden: docs/legeoppgaver.md i Legeplan")))


def setup_label(setup) -> str:
    return duties_view.CASES.get(setup.case, setup.case)


def export(page: PageEntry, knr: str, kommune: str, setup, params: Mapping[type, Any], nh: du.NursingHomeResult,
           growth: pd.DataFrame, picture: pd.DataFrame) -> PageExport:
    """«Eksporter til saksframlegg» on Kommunale legeoppgaver (declared in ui.shell.PAGES)."""
    shared, nh_p = params[du.SharedParams], params[du.NursingHomeParams]
    ref = du.sourced_reference(nh_p, shared)  # the sourced norm drawn beside an assumed one, as on the page
    src_nh, src_total = text.nursing_source(setup), text.total_source(setup)
    y0, y1 = int(growth["year"].iloc[0]), int(growth["year"].iloc[-1])
    shown = {
        "sykehjem": (t("Legeårsverk på sykehjem i dag og etter normen"),
                     lambda: charts.nursing_fte_chart(nh.by_kind, nh.current_fte, ref.by_kind if ref else None,
                                                      du.norm_in_force(setup.stavanger, nh_p)),
                     t("Dagens legeårsverk mot årsverkene normen gir, etter type plass. Kilde: {source}",
                       source=src_nh)),
        "vekst": (t("Behovet når nye plasser kommer"), lambda: charts.growth_chart(growth),
                  t("Legeårsverk etter normen mot dagens, {start}–{end}. Kilde: {source}", start=y0, end=y1,
                    source=src_nh)),
        "samlet": (t("Legeårsverk etter tjeneste"), lambda: charts.total_chart(picture),
                   t("Legeårsverk per tjeneste i dag og med de flyttede timene. Kilde: {source}", source=src_total)),
    }
    return page_export(page, knr, kommune, shown,
                       lambda: legeoppgaver_report_fields(setup, params, nh, growth, picture,
                                                          text.nursing_sentences(nh, nh_p, shared, growth,
                                                                                 setup.stavanger),
                                                          (src_nh, src_total)))
