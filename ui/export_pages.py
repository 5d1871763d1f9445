"""Export from Økonomi, Kontorstruktur, Kommunale legeoppgaver and Befolkning: one call per page.

Each function takes what its page has already computed, and draws «Eksporter til saksframlegg»
(ui/export_view.section). The `core.export.Report` is built only when a file is asked for, in the
målform that was in force on the page; the charts are the page's own (Vega-Lite, made lazily).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from core import catalog, fmt
from core import demography as dem
from core import duties as du
from core import economy as eco
from core import export as ex
from core import offices as of
from core.i18n import N_, t
from ui import export_view
from ui import levers as lever_ui

ChartSpec = dict | Callable[[], Any]


def spec_of(chart: ChartSpec) -> dict:
    """A Vega-Lite dict from a dict, an Altair chart, or a callable giving either."""
    value = chart() if callable(chart) and not hasattr(chart, "to_dict") else chart
    return value.to_dict() if hasattr(value, "to_dict") else dict(value)


def _charts(charts: Mapping[str, tuple[str, ChartSpec, str]]) -> dict[str, tuple[str, Callable[[], dict]]]:
    return {key: (title, (lambda c=chart: spec_of(c))) for key, (title, chart, _) in charts.items()}


def _report_charts(charts: Mapping[str, tuple[str, ChartSpec, str]]) -> tuple[ex.Chart, ...]:
    return tuple(ex.Chart(key, title, description, spec_of(chart)) for key, (title, chart, description)
                 in charts.items())


def _col(header: str, decimals: int | None, values: Sequence[Any]) -> ex.Column:
    out = []
    for v in values:
        if v is None or isinstance(v, str):
            out.append(v)
        else:
            f = float(v)
            out.append(None if f != f else f)
    return ex.Column(header, decimals, tuple(out))


def _offer(knr: str, kommune: str, page: str, title: str, charts: Mapping[str, tuple[str, ChartSpec, str]],
           build: Callable[..., dict]) -> None:
    """The expander for a page: `build()` gives the Report's page-specific fields (on click)."""

    def make(name: str, description: str, data_version: str) -> ex.Report:
        fields = build()
        return ex.Report(kommune=kommune, kommunenummer=knr, scenario_name=name, description=description,
                         made=date.today(), data_version=data_version, page=t(title),
                         charts=_report_charts(charts), **fields)

    export_view.section(knr, kommune, page, make, _charts(charts))


# --- Økonomi ------------------------------------------------------------------------------------------

def okonomi_report_fields(params: eco.EconomyParams, defaults: eco.EconomyParams,
                          period: eco.RulePeriod, case: str = "egen") -> dict:
    """Everything but the header: key figures, sentences, levers, ramp-up by year, tables, statistics."""
    from ui import economy_view as view

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
                                        export_view._unit)),
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


def okonomi(knr: str, kommune: str, params: eco.EconomyParams, defaults: eco.EconomyParams, period_key: str,
            case: str = "egen") -> None:
    """«Eksporter til saksframlegg» on Økonomi."""
    from ui import economy_view as view

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
    _offer(knr, kommune, "okonomi", N_("Økonomi"), charts,
           lambda: okonomi_report_fields(params, defaults, period, case))


# --- Kontorstruktur ---------------------------------------------------------------------------------

_MODEL_COLUMNS = (  # comparison column → (header, decimals)
    ("offices", N_("Kontorer"), 0), ("gps", N_("Fastleger"), 0), ("total_cost", N_("Kostnad per år (kr)"), 0),
    ("saving", N_("Innsparing mot i dag (kr)"), 0), ("list_patients", N_("Listepasienter"), 0),
    ("consultations", N_("Konsultasjoner"), 0), ("cost_per_patient", N_("Per listepasient (kr)"), 0),
    ("cost_per_consultation", N_("Per konsultasjon (kr)"), 0),
    ("closed_days", N_("Stengte dager per år"), 1), ("one_gp_days", N_("Dager med én fastlege"), 0),
)
_OFFICE_COLUMNS = (
    ("gps", N_("Fastleger"), 0), ("gp_fte", N_("Fastlegeårsverk"), 2), ("lis1", N_("LIS1-leger"), 0),
    ("secretary_fte", N_("Helsesekretærer (årsverk)"), 2), ("total_cost", N_("Kostnad per år (kr)"), 0),
    ("list_patients", N_("Listepasienter"), 0), ("consultations", N_("Konsultasjoner"), 0),
    ("closed_days", N_("Stengte dager per år"), 1),
)


def kontor_report_fields(comparison: pd.DataFrame, per_office: pd.DataFrame, absence: of.AbsenceParams,
                         sentences: Sequence[str], model_source: str, start_source: str) -> dict:
    """Models side by side, each office in each model, the absence levers, and the sources."""
    figures = []
    for _, row in comparison.iterrows():
        figures.append((t("{model}: kostnad per år", model=row["model"]), fmt.kroner(row["total_cost"])))
        figures.append((t("{model}: per listepasient / per konsultasjon", model=row["model"]),
                        f"{fmt.kroner(row['cost_per_patient'])} / {fmt.kroner(row['cost_per_consultation'])}"))
        figures.append((t("{model}: stengte dager per år", model=row["model"])
                        + (t(" (eksempelverdier for fravær)") if of.absence_examples(absence) else ""),
                        fmt.number(row["closed_days"], 1)))
    models = ex.Table(t("Modellene"), (_col(t("Modell"), None, [str(m) for m in comparison["model"]]),
                                       *(_col(t(h), d, comparison[c].tolist()) for c, h, d in _MODEL_COLUMNS)),
                      t("Kilde: {source}", source=model_source),
                      about=t("Kontormodellene side om side: kontorer, fastleger, kostnad per år, innsparing mot i dag, "
                              "listepasienter, konsultasjoner, kostnad per listepasient og per konsultasjon (hele "
                              "kroner) og stengte dager per år."))
    offices = ex.Table(t("Kontor i hver modell"), (
        _col(t("Modell"), None, [str(m) for m in per_office["model"]]),
        _col(t("Kontor"), None, [str(m) for m in per_office["office"]]),
        *(_col(t(h), d, per_office[c].tolist()) for c, h, d in _OFFICE_COLUMNS)),
        about=t("Hvert kontor i hver modell: fastleger, årsverk, LIS1-leger, helsesekretærer, kostnad per år "
                "(hele kroner), listepasienter, konsultasjoner og stengte dager per år. Kilde: {source}.",
                source=model_source))
    return dict(
        starting_point=start_source, key_figures=tuple(figures),
        key_points=tuple(sentences),
        assumptions=tuple(ex.lever_rows(absence, of.AbsenceParams(), t("Fravær per fastlege"),
                                        lever_ui.default_text, export_view._unit)),
        years=(), tables=(models, offices), statistics=(),
        sources=(model_source, t("Fravær: spakene (eksempelverdier)"), t("Metoden: docs/kontorstruktur.md i Legeplan")),
    )


def kontor(knr: str, kommune: str, comparison: pd.DataFrame, per_office: pd.DataFrame, absence: of.AbsenceParams,
           model_source: str, start_source: str) -> None:
    """«Eksporter til saksframlegg» on Kontorstruktur."""
    from core import office_charts
    from ui import kontor_view as view

    charts = {
        "enhetskostnad": (t("Kostnad per listepasient og per konsultasjon"),
                          lambda: office_charts.unit_cost_chart(comparison),
                          t("Kostnad per listepasient og per konsultasjon for hver modell, hele kroner. Kilde: "
                            "{source}", source=model_source)),
        "stengt": (t("Stengte kontordager"),
                   lambda: office_charts.closed_days_chart(per_office, example=bool(of.absence_examples(absence))),
                   t("Forventet antall arbeidsdager per år da kontoret må stenge, per modell og kontor. "
                     "Kilde: {source}", source=model_source)),
    }
    _offer(knr, kommune, "kontor", N_("Kontorstruktur"), charts,
           lambda: kontor_report_fields(comparison, per_office, absence,
                                        view.sentences(comparison, per_office, absence), model_source,
                                        start_source))


# --- Kommunale legeoppgaver ---------------------------------------------------------------------------

_SECTIONS = {du.SharedParams: N_("Felles"), du.NursingHomeParams: N_("Sykehjem"), du.LegevaktParams: N_("Legevakt"),
             du.HealthStationParams: N_("Helsestasjon"), du.TotalParams: N_("Samlet")}


def legeoppgaver_report_fields(setup, params: Mapping[type, Any], nh: du.NursingHomeResult, growth: pd.DataFrame,
                               picture: pd.DataFrame, sentences: Sequence[str], sources: Sequence[str]) -> dict:
    """Norm, gap and FTE by service; the growth year by year; every lever of the five groups."""
    from dataclasses import replace

    from core.params import levers
    from ui import duties_text

    norm = duties_text.norm_label("", du.norm_in_force(setup.stavanger, params[du.NursingHomeParams]), [])
    figures = ((t("Legeårsverk på sykehjem etter normen") + norm, fmt.number(nh.required_fte, 2)),
               (t("Legeårsverk på sykehjem i dag"), fmt.number(nh.current_fte, 2)),
               (t("Gap (årsverk)") + norm, fmt.number(nh.gap_fte, 2, sign=True)),
               *duties_text.stavanger_norm_figures(setup.stavanger, params[du.SharedParams]),
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
                                                       lever_ui.default_text, export_view._unit,
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
    from ui import duties_view

    return duties_view.CASES.get(setup.case, setup.case)


def legeoppgaver(knr: str, kommune: str, setup, params: Mapping[type, Any], nh: du.NursingHomeResult,
                 growth: pd.DataFrame, picture: pd.DataFrame) -> None:
    """«Eksporter til saksframlegg» on Kommunale legeoppgaver."""
    from core import duties_charts as charts
    from ui import duties_text as text

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
    _offer(knr, kommune, "legeoppgaver", N_("Kommunale legeoppgaver"), shown,
           lambda: legeoppgaver_report_fields(setup, params, nh, growth, picture,
                                              text.nursing_sentences(nh, nh_p, shared, growth, setup.stavanger),
                                              (src_nh, src_total)))


# --- Befolkning ---------------------------------------------------------------------------------------

_GROUPS = ((N_("0–15 år"), 0, 16), (N_("16–66 år"), 16, 67), (N_("67–79 år"), 67, 80), (N_("80 år og eldre"), 80, None))


def befolkning_report_fields(kommune: str, alternative: str, year: int, base_year: int, now, later,
                             old: pd.DataFrame, method: str) -> dict:
    """Residents now and in the chosen year, 67+ and 80+ year by year with the band, the choices."""
    def total(persons, lo: int, hi: int | None = None) -> float:
        return float(persons[:, lo:hi].sum())

    figures = []
    for label, lo in ((N_("Innbyggere"), 0), (N_("67 år og eldre"), 67), (N_("80 år og eldre"), 80)):
        a, b = total(now, lo), total(later, lo)
        figures.append((t("{label} 1.1.{year}", label=t(label), year=year),
                        t("{value} ({change} fra {base_year})", value=fmt.number(b),
                          change=fmt.number(b - a, sign=True), base_year=base_year)))
    a, b = total(now, 0), total(later, 0)
    a80, b80 = total(now, 80), total(later, 80)
    points = (t("{kommune} har {now} innbyggere 1.1.{base_year}; framskrivingen gir {later} i {year}.",
                kommune=kommune, now=fmt.number(a), base_year=base_year, later=fmt.number(b), year=year),
              t("80 år og eldre: {now} i {base_year} og {later} i {year} ({change}).", now=fmt.number(a80),
                base_year=base_year, later=fmt.number(b80), year=year,
                change=fmt.percent((b80 - a80) / a80, 0, sign=True) if a80 else "–"))
    wide = {}
    for col in ("persons", "lower", "upper"):
        wide[col] = old.pivot_table(index="year", columns="age_group", values=col, dropna=False)
    yrs = [int(y) for y in wide["persons"].index]
    years = [_col(t("År"), None, yrs)]
    for group in ("67+", "80+"):
        years.append(_col(t("{group} år", group=group), 0, wide["persons"][group].tolist()))
        for col, label in (("lower", N_("nedre")), ("upper", N_("øvre"))):
            values = wide[col][group].tolist() if group in wide[col] else [None] * len(yrs)
            years.append(_col(t("{group} år, {bound} grense", group=group, bound=t(label)), 0, values))
    statistics = tuple(ex.Statistic(t("Innbyggere {group} 1.1.", group=t(label)), total(now, lo, hi), t("personer"),
                                    base_year, catalog.SSB_07459) for label, lo, hi in _GROUPS)
    alt_label = t(dem.ALTERNATIVES.get(alternative, alternative))
    assumptions = (ex.Assumption(t("Befolkning"), t("Valg"), t("Framskriving"), alt_label,
                                 t(dem.ALTERNATIVES["main"]), "", "@", method, alt_label,
                                 t(dem.ALTERNATIVES["main"])),
                   ex.Assumption(t("Befolkning"), t("Valg"), t("Sammenlign med år"), year, 2040, t("år"), ex.YEAR,
                                 t("Valgt på siden"), str(year), "2040"))
    return dict(starting_point=t("Registrert folketall 1.1.{year} (SSB 07459)", year=base_year),
                key_figures=tuple(figures), key_points=points, assumptions=assumptions,
                years=tuple(years), statistics=statistics,
                years_about=t("Innbyggere 67 år og eldre og 80 år og eldre i {kommune} 1.1. hvert år {start}–{end}, "
                              "registrert og framskrevet ({alternative}), med nedre og øvre grense for "
                              "usikkerheten. Kilde: {source}; {method}", kommune=kommune, start=min(yrs),
                              end=max(yrs), alternative=alt_label, source=catalog.SSB_07459, method=method),
                sources=(f"{catalog.SSB_07459}", method), pdf_columns=())


def befolkning(knr: str, kommune: str, alternative: str, year: int, base_year: int, now, later, old: pd.DataFrame,
               method: str) -> None:
    """«Eksporter til saksframlegg» on Befolkning."""
    from core import charts as core_charts
    from ui import loaders

    def pyramid():
        return core_charts.pyramid_chart(dem.pyramid(now), dem.pyramid(later),
                                         t("1.1.{year} (registrert)", year=base_year),
                                         t("1.1.{year} (framskrevet)", year=year))

    def old_age():
        return core_charts.old_age_chart(old, loaders.ssb_old_age(knr, alternative))

    charts = {
        "pyramide": (t("Alderspyramide {base_year} og {year}", base_year=base_year, year=year), pyramid,
                     t("Registrert folketall {base_year} og framskrevet {year}. Kilde: {source}; {method}",
                       base_year=base_year, year=year, source=catalog.SSB_07459, method=method)),
        "eldre": (t("67 år og eldre, 80 år og eldre"), old_age,
                  t("Registrert og framskrevet, med usikkerhetsbånd. Kilde: {source}; {method}",
                    source=catalog.SSB_07459, method=method)),
    }
    _offer(knr, kommune, "befolkning", N_("Befolkning"), charts,
           lambda: befolkning_report_fields(kommune, alternative, year, base_year, now, later, old, method))


# --- Sammenlign scenarioer ----------------------------------------------------------------------------

PDF_COMPARED = ("coverage_index", "patients_without_gp", "fastlonn", "nh_required_fte")  # the rest in Excel only


def verdict_table(results: Mapping[str, pd.DataFrame]) -> ex.Table:
    """Each scenario judged for the patients (core.capacity.verdict) in the last shared year: against the
    first scenario and against its own starting year. Never by SSB's reserve index."""
    from ui import verdict_text as vt

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
    from core import compare
    from core.params import levers

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
    from core import compare
    from ui import headlines

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


def scenarioer(knr: str, kommune: str, results: Mapping[str, pd.DataFrame], sections: Sequence[Section],
               sources: Sequence[str], charts: Mapping[str, tuple[str, ChartSpec, str]]) -> None:
    """«Eksporter til saksframlegg» on Sammenlign scenarioer: the compared scenarios in one file.

    `sections`: per page, (page title, parameters class, each scenario's parameters, the defaults)."""
    names = list(results)
    title = " · ".join(names)

    def make(_name: str, _description: str, data_version: str) -> ex.Report:
        return ex.Report(kommune=kommune, kommunenummer=knr, scenario_name=title,
                         description=t("Sammenligning av {n} scenarioer: {names}.", n=len(names),
                                       names=", ".join(f"«{n}»" for n in names)),
                         made=date.today(), data_version=data_version, page=t("Sammenlign scenarioer"),
                         charts=_report_charts(charts), **scenarioer_report_fields(results, sections, sources))

    export_view.section(knr, kommune, "scenarioer", make, _charts(charts), title=title)
