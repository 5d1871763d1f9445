"""Økonomi's export: what one hjemmel costs, as a Report for the case documents (ui.export_pages)."""

from __future__ import annotations

from core import economy as eco
from core import export as ex
from core import fmt
from core.i18n import t
from ui import economy_view as view
from ui import levers as lever_ui
from ui.export_pages import PageExport, page_export
from ui.export_pages import column as _col
from ui.export_pages import unit as _unit
from ui.page_entry import PageEntry


def okonomi_report_fields(params: eco.EconomyParams, defaults: eco.EconomyParams,
                          period: eco.RulePeriod, case: str = "egen") -> dict:
    """Everything but the header: key figures, sentences, levers, ramp-up by year, tables, statistics."""
    c = eco.hjemmel_cost(params, period)
    figures = []
    for form, label in eco.FORMS.items():
        figures.append((view.tile_label(form, t("{form}: netto per år", form=t(label)), params, case),
                        fmt.kroner(getattr(c, form))))
        figures.append((t("{form}: per listeplass / per konsultasjon", form=t(label)),
                        f"{fmt.kroner(c.per_place(form))} / {fmt.kroner(c.per_consultation(form))}"))
    figures += [(view.tile_label("break_even", t("Fastlønn like dyrt som næringsdrift ved"), params, case),
                 view.persons(eco.break_even_vs_naeringsdrift(params, period))),
                (view.tile_label("break_even", t("Fastlønn selvfinansierende ved"), params, case),
                 view.persons(eco.break_even_self_financing(params))),
                (view.tile_label("needed", t("Inntekt som trengs per konsultasjon"), params, case),
                 fmt.kroner(eco.income_needed_per_consultation(params)))]
    ramp = eco.ramp_up(params, period)
    years = (_col(t("Driftsår"), None, ramp["year"].tolist()),
             _col(t("Pasienter i snitt"), 0, ramp["avg_list"].tolist()),
             _col(t("Konsultasjoner"), 0, ramp["consultations"].tolist()),
             *(_col(t("{form} (kr)", form=t(label)), 0, ramp[form].tolist()) for form, label in eco.FORMS.items()))
    table = view.fastlonn_table(params, period, case)
    lines = eco.fastlonn_lines(params, period)
    tornado = eco.tornado(params, period)
    source = view.source_line(period)
    tables = (
        ex.Table(t("Regnestykket for fastlønn"), (_col(t("Post"), None, [str(p) for p in table[t("Post")]]),
                                                  _col(t("Kroner per år"), 0, lines["kr"].tolist())),
                 about=t("Regnestykket for én hjemmel med fastlønn: hver post i kroner per år (hele kroner), "
                         "satser for {period}. Kilde: {source}.", period=t(period.label), source=source)),
        ex.Table(t("Følsomhet"), (
            _col(t("Forutsetning"), None, [str(x) for x in tornado["label"]]),
            _col(t("Senket {share}", share=fmt.percent(params.sensitivity, 0)), 0, tornado["low"].tolist()),
            _col(t("Økt {share}", share=fmt.percent(params.sensitivity, 0)), 0, tornado["high"].tolist()),
            _col(t("Utslag"), 0, tornado["swing"].tolist())),
            t("Netto kostnad ved fastlønn (kr per år) når hver forutsetning endres mens de andre står fast."),
            about=t("Følsomhet: netto kostnad ved fastlønn i kroner per år når hver forutsetning senkes og økes "
                    "med {share}. Kilde: {source}.", share=fmt.percent(params.sensitivity, 0), source=source)),
    )
    year = int(period.key[:4])
    income = eco.period_income(period)
    statistics = ()
    if income is not None:
        arithmetic = eco.income_arithmetic(income)
        statistics = (ex.Statistic(t("Inntekt per konsultasjon, landssnitt (refusjoner og egenandeler)"),
                                   float(round(income.value)), "kr", income.year, arithmetic),)
    statistics += (ex.Statistic(t("Basistilskudd for listen ({rule})", rule=period.basis_text),
                                float(c.basistilskudd), t("kr per år"), year, t(period.basis_source)),)
    points = [*view.explain(params, period), *view.income_lines(params, period)]
    if case == eco.ALVER_CASE:
        points += [line.replace("**", "") for line in view.alver_lines(params, period)]
    return dict(
        starting_point=t("Satser: {period}", period=t(period.label)),
        key_figures=tuple(figures), key_points=tuple(points),
        assumptions=tuple(ex.lever_rows(params, defaults, t("Økonomi"), lever_ui.default_text,
                                        _unit)),
        years=years, tables=tables, statistics=statistics,
        years_about=t("Opptrapping for én hjemmel, driftsår for driftsår: pasienter i snitt, konsultasjoner og "
                      "netto kostnad for kommunen per driftsform (kroner per år), {months} måneder til full liste "
                      "på {patients} pasienter. Kilde: {source}.", months=params.months_to_full,
                      patients=fmt.number(params.list_length), source=source),
        sources=(view.source_line(period),
                 t("Forutsetninger: data/sources/parameters.csv (Helfo, KS, Helsedirektoratet, Legeforeningen, "
                   "legekontorenes prislister) og SSB; eksempelverdier er merket"),
                 t("Metoden: docs/okonomi.md i Legeplan")),
        pdf_columns=(),
    )


def export(page: PageEntry, knr: str, kommune: str, params: eco.EconomyParams, defaults: eco.EconomyParams,
           period_key: str, case: str = "egen") -> PageExport:
    """«Eksporter til saksframlegg» on Økonomi (declared in ui.shell.PAGES)."""
    period = eco.PERIODS[period_key]
    src = view.source_line(period)
    charts = {
        "kurve": (t("Netto kostnad etter listelengde"), lambda: view.curve_spec(params, period_key),
                  t("Netto kostnad per år for kommunen mot antall pasienter på listen, etter driftsform. "
                    "Kilde: {source}", source=src)),
        "opptrapping": (t("Opptrapping til full liste"), lambda: view.ramp_spec(params, period_key),
                        t("Netto kostnad per driftsår mens listen fylles, etter driftsform. Kilde: {source}",
                          source=src)),
        "folsomhet": (t("Følsomhet for fastlønn"), lambda: view.tornado_spec(params, period_key),
                      t("Netto kostnad ved fastlønn når hver forutsetning senkes og økes. Kilde: {source}",
                        source=src)),
    }
    return page_export(page, knr, kommune, charts, lambda: okonomi_report_fields(params, defaults, period, case))
