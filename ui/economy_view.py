"""Streamlit glue for Økonomi: period and case pickers, cached charts, tiles, tables, sentences.

Also the cost tile for the capacity page: `capacity_cost_tiles(base_result, scenario_result)` prices
a capacity scenario with the economy levers as they stand (session, link or defaults), so a change
on Økonomi changes the cost shown on Fastlegekapasitet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from core import economy as eco
from core import economy_charts, fmt
from core.i18n import N_, t
from core.params import CHOICE, SOURCED, Lever, from_mapping, levers
from ui import levers as lever_ui
from ui import loaders, state
from ui.cache import cached

PERIOD_KEY = "periode"
CASE_KEY = "referanse"
CASES = {"egen": N_("Eget regnestykke"), eco.ALVER_CASE: N_("Alver 2021: ny 100 % kommunal fastlege")}
CASE_PERIOD = {"egen": eco.DEFAULT_PERIOD, eco.ALVER_CASE: "2021"}
# Levers whose default in a case comes from the case document (the registry's default is an example).
CASE_SOURCES = {eco.ALVER_CASE: {"list_length": N_(
    "Alver kommune, notat 04.11.2021: sum listetak 29 400 / 26 heimlar = 1 131 (gjennomsnittlig listetak)")}}
PAGE = "okonomi"  # the page's URL path: other pages read its levers from its remembered link
SOURCE_MODEL = N_("Legeplans økonomimodell (docs/okonomi.md)")


def _case_changed() -> None:
    st.session_state[PERIOD_KEY] = CASE_PERIOD.get(st.session_state.get(CASE_KEY), eco.DEFAULT_PERIOD)


def pickers() -> tuple[str, str]:
    """The reference case and the rule period, both kept in the URL: (case, period key)."""
    left, right = st.columns(2)
    with left:
        case = state.url_choice(t("Regnestykke"), list(CASES), key=CASE_KEY, format_func=lambda k: t(CASES[k]),
                                on_change=_case_changed,
                                help=t("Alver-caset bygger på kommunens notat 04.11.2021 og bruker satsene "
                                       "fra 1.7.2021."))
    with right:
        period = state.url_choice(t("Satser fra perioden"), list(eco.PERIODS), key=PERIOD_KEY,
                                  format_func=lambda k: t(eco.PERIODS[k].label),
                                  default=CASE_PERIOD.get(case, eco.DEFAULT_PERIOD),
                                  help=t("Takster og egenandeler reguleres hvert år 1. juli. Perioden "
                                         "bestemmer basistilskuddets regel og egenandelen."))
    return case, period


@cached(text=False, imports=False)
def _reference_list_length(case: str) -> int | None:
    return eco.reference_list_length(loaders.connection(), case)


def case_defaults(case: str, period: str) -> eco.EconomyParams:
    """The lever defaults of a case and period: the period's rates and income, the case's list length."""
    fixed = {}
    if case in CASE_SOURCES:
        length = _reference_list_length(case)
        if length is not None:
            fixed["list_length"] = length
    return eco.defaults_for(period, **fixed)


def case_sourced(case: str) -> tuple[str, ...]:
    """The levers whose default in this case comes from the case document."""
    return tuple(CASE_SOURCES.get(case, {}))


def lever_scope(case: str) -> str:
    """The levers' scope: a new case sets them back to its defaults (a new period moves only the levers
    whose default follows the period, while they stand on it: ui.levers.init)."""
    return f"okonomi:{case}"


def lever_caption(case: str = "egen") -> Callable[[Lever, Any], str]:
    """The caption under each economy lever: its default and where that comes from (`default_caption`)."""
    sources = CASE_SOURCES.get(case, {})
    return lambda lv, default: default_caption(lv, default, sources.get(lv.name))


def panel(defaults: eco.EconomyParams, case: str = "egen", where: Any = st.sidebar) -> eco.EconomyParams:
    """Every economy lever (in the sidebar, by group, with unit and the source of its default), read, fitted
    to the link and put in it; `where=None` reads them without drawing (the meeting view)."""
    return lever_ui.panel(eco.EconomyParams, defaults, scope=lever_scope(case), where=where,
                          expanded=(eco.G_LIST, eco.G_COST), mark_example=False, caption=lever_caption(case))


def default_caption(lv, default, case_source: str | None = None) -> str:
    """Under a lever: its default and, in a few words, where the default comes from.

    `case_source`: the reference case's own source for this default (then it is no example).
    """
    shown = lever_ui.default_text(lv, default)
    unit = "" if lv.kind in ("bool", "choice") or lv.display_scale == 100.0 or not lv.unit else f" {t(lv.unit)}"
    if case_source is None and lv.is_example:
        return t("Eksempel: {value}. Ingen offentlig kilde – skriv inn kommunens eget tall.", value=shown + unit)
    source = t(case_source or lv.source).split(";")[0]
    source = source if len(source) <= 100 else source[:97].rsplit(" ", 1)[0] + " …"
    if case_source is None and lv.basis == CHOICE:
        return t("Standard {value}. {source}", value=shown + unit, source=source)
    return t("Standard {value}. Kilde: {source}", value=shown + unit, source=source)


def assumptions(params: eco.EconomyParams, defaults: eco.EconomyParams, case: str) -> list[dict[str, str]]:
    """The assumptions table; a default the case takes from its document shows that source."""
    rows = lever_ui.assumptions_table(params, defaults)
    sources = CASE_SOURCES.get(case, {})
    for lv in levers(eco.EconomyParams):
        if lv.name in sources:
            row = next(r for r in rows if r[t("Forutsetning")] == lever_ui.label(lv))
            row[t("Grunnlag")] = t(lever_ui.BASIS_LABELS[SOURCED])
            row[t("Kilde for standardverdien")] = t(sources[lv.name])
    return rows


def current_params() -> tuple[eco.EconomyParams, eco.RulePeriod]:
    """The economy levers as last set on Økonomi (else the link, else defaults) and the period."""
    # Økonomi's link as the session remembers it (the page's last run, or an opened scenario), else this page's
    link = state.page_query(PAGE) or dict(st.query_params)
    case = link.get(CASE_KEY) if link.get(CASE_KEY) in CASES else "egen"
    period = link.get(PERIOD_KEY) or CASE_PERIOD[case]
    period = period if period in eco.PERIODS else eco.DEFAULT_PERIOD
    params, _ = from_mapping(eco.EconomyParams, dict(link), base=case_defaults(case, period))
    return params, eco.PERIODS[period]


# --- charts (cached per input) ---------------------------------------------------------------------

def break_even_marks(params: eco.EconomyParams, period: eco.RulePeriod) -> list[tuple[str, float]]:
    """The break-even list lengths that exist, labelled for the chart."""
    marks = []
    vs = eco.break_even_vs_naeringsdrift(params, period)
    if vs is not None:
        marks.append((t("Like dyrt som næringsdrift"), vs))
    self_fin = eco.break_even_self_financing(params)
    if self_fin is not None:
        marks.append((t("Selvfinansierende"), self_fin))
    return marks


@cached(imports=False, max_entries=256)
def curve_spec(params: eco.EconomyParams, period_key: str) -> dict:
    """Net cost against list length, by operating form, break-even marked (in the målform in force)."""
    period = eco.PERIODS[period_key]
    return economy_charts.cost_curve_chart(eco.cost_curve(params, period), break_even_marks(params, period),
                                           params.list_length).to_dict()


@cached(imports=False, max_entries=256)
def tornado_spec(params: eco.EconomyParams, period_key: str) -> dict:
    """The tornado chart for the fastlønn net cost (in the målform in force)."""
    frame = eco.tornado(params, eco.PERIODS[period_key])
    return economy_charts.tornado_chart(frame, params.sensitivity, t("Netto kostnad fastlønn")).to_dict()


@cached(imports=False, max_entries=256)
def ramp_spec(params: eco.EconomyParams, period_key: str) -> dict:
    """Cost per year of operation while the list fills (in the målform in force)."""
    return economy_charts.ramp_chart(eco.ramp_up(params, eco.PERIODS[period_key])).to_dict()


def source_line(period: eco.RulePeriod) -> str:
    """The sources behind an economy chart or table, as one line."""
    return t("{model}; satser: {cite}; inntekt per konsultasjon: Helsedirektoratet (KUHR) og SSB; konsultasjoner "
             "per pasient: SSB 2023; lønn, kontor og hjelpepersonell er eksempelverdier – se «Forutsetninger og "
             "kilder»", model=t(SOURCE_MODEL), cite=t(period.cite))


# --- tiles and text ---------------------------------------------------------------------------------

def kr(x: float | None) -> str:
    """Kroner in Norwegian format ('ikke tilgjengelig' when there is no value)."""
    return fmt.kroner(x)


def million(x: float) -> str:
    """Millions of kroner with two decimals: «1,95 mill. kr»."""
    return t("{x} mill. kr", x=fmt.number(x / 1e6, 2))


def persons(x: float | None, limit: float = 2500) -> str:
    """A list length for a tile with its unit: «949 pasienter»; 'aldri' when never, 'over 2 500 pasienter'."""
    if x is None:
        return t("aldri")
    if x > limit:
        return t("over {n} pasienter", n=fmt.number(limit))
    return t("{n} pasienter", n=fmt.number(x))


EXAMPLE_COSTS_MARK = N_("(eksempelkostnader)")
EXAMPLE_LIST_MARK = N_("(eksempelliste)")


def example_mark(params: eco.EconomyParams, names: tuple[str, ...], case: str = "egen") -> str:
    """« (eksempelkostnader)» or « (eksempelliste)» when an example default drives a figure, else ''."""
    used = eco.examples_in_use(params, names, case_sourced(case))
    if any(name != "list_length" for name in used):
        return " " + t(EXAMPLE_COSTS_MARK)
    if used:
        return " " + t(EXAMPLE_LIST_MARK)
    return ""


# The levers behind each tile (an example among them at its default marks the tile).
TILE_INPUTS = {
    "naeringsdrift": ("list_length",),
    "fastlonn": ("list_length", *eco.COST_LEVERS),
    "blandet": ("office_cost", "staff_fte", "staff_fte_cost"),
    "break_even": eco.COST_LEVERS,
    "needed": ("list_length", *eco.COST_LEVERS),
}


# The levers behind each chart: its heading carries the example mark as the tiles do.
CHART_INPUTS = {
    "curve": eco.COST_LEVERS,  # the x axis runs over list lengths: only the costs can be examples
    "ramp": ("list_length", *eco.COST_LEVERS),
    "tornado": ("list_length", *eco.COST_LEVERS),
}


def chart_heading(key: str, text: str, params: eco.EconomyParams, case: str = "egen") -> str:
    """A chart's heading with the example mark its inputs call for."""
    return text + example_mark(params, CHART_INPUTS[key], case)


def basis_rule(params: eco.EconomyParams, period: eco.RulePeriod) -> str:
    """The basistilskudd rule in words; for the patient-adjusted model, whose rate (national or the kommune's)."""
    if period.rule != "average":
        return period.basis_text
    rate = fmt.number(params.basis_average_rate, 2)
    if abs(params.basis_average_rate - (period.average_rate or 841.8)) < 0.005:
        return t("pasienttilpasset basistilskudd med landets snittsats {rate} kr per listeinnbygger; kommunens "
                 "egen sats avhenger av pasientene", rate=rate)
    return t("pasienttilpasset basistilskudd med kommunens snittsats {rate} kr per listeinnbygger", rate=rate)


def tile_label(key: str, text: str, params: eco.EconomyParams, case: str = "egen") -> str:
    """A tile's label with the example mark its inputs call for."""
    return text + example_mark(params, TILE_INPUTS[key], case)


def tiles(params: eco.EconomyParams, period: eco.RulePeriod, case: str = "egen") -> None:
    """Net cost per year by form, per list place and consultation, and the break-even list lengths."""
    c = eco.hjemmel_cost(params, period)
    n = fmt.number(params.list_length)
    cols = st.columns(3)
    for col, form in zip(cols, eco.FORMS, strict=True):
        with col:
            st.metric(tile_label(form, t("{form}: netto per år", form=t(eco.FORMS[form])), params, case),
                      kr(getattr(c, form)), border=True,
                      help=t("Netto kostnad for kommunen for én hjemmel med {n} pasienter.", n=n))
            st.caption(t("{per_place} per listeplass · {per_consultation} per konsultasjon",
                         per_place=kr(c.per_place(form)), per_consultation=kr(c.per_consultation(form))))
    be_vs = eco.break_even_vs_naeringsdrift(params, period)
    be_self = eco.break_even_self_financing(params)
    needed = eco.income_needed_per_consultation(params)
    cols = st.columns(3)
    with cols[0]:
        st.metric(tile_label("break_even", t("Fastlønn like dyrt som næringsdrift ved"), params, case),
                  persons(be_vs), border=True,
                  help=t("Listelengden der netto kostnad ved fastlønn er lik basistilskudd og tilskudd "
                         "kommunen ellers ville betalt en næringsdrivende lege."))
    with cols[1]:
        st.metric(tile_label("break_even", t("Fastlønn selvfinansierende ved"), params, case), persons(be_self),
                  border=True,
                  help=t("Listelengden der inntektene (refusjon, egenandel, andre inntekter) dekker alle "
                         "kostnadene ved fastlønn."))
    with cols[2]:
        st.metric(tile_label("needed", t("Inntekt som trengs per konsultasjon"), params, case), kr(needed),
                  border=True,
                  help=t("Ved {n} pasienter: hva hver konsultasjon må gi i refusjon, egenandel og andre inntekter "
                         "for at fastlønn skal gå i null ved valgt listelengde.", n=n))


def income_lines(params: eco.EconomyParams, period: eco.RulePeriod) -> list[str]:
    """Where the income per consultation comes from: the national arithmetic, the year used, the kommune's own."""
    income = eco.period_income(period)
    if income is None:
        return [t("Landstall for refusjoner, egenandeler og konsultasjoner mangler i dataene; skriv inn kommunens "
                  "egne tall fra KUHR.")]
    refund, copayment = income.whole_kroner()
    lines = [t("Inntekt per konsultasjon, landssnitt: {arithmetic}.", arithmetic=eco.income_arithmetic(income)),
             t("Det gir {refund} i refusjon og {copayment} i egenandel per konsultasjon. «Andre inntekter» står "
               "på 0, fordi landssnittet allerede dekker alle takster (tilleggstakster, prøver, prosedyrer).",
               refund=kr(refund), copayment=kr(copayment))]
    note = eco.income_year_note(income)
    if note:
        lines.append(note)
    own = params.refund_per_consultation + params.copayment_per_consultation + params.other_income_per_consultation
    if (params.refund_per_consultation, params.copayment_per_consultation) != (refund, copayment) or \
            params.other_income_per_consultation:
        lines.append(t("Regnestykket bruker kommunens egne tall: {own} per konsultasjon (landssnittet: {national}).",
                       own=kr(own), national=kr(refund + copayment)))
    return lines


TAKST_2AD_NOTE = N_("Til forklaring: takst 2ad (konsultasjon på dagtid) gir {fee} i honorar, av det {refund} i "
                    "refusjon og {copayment} i egenandel (Normaltariffen, Spesialisttariffen-utgaven, udatert). "
                    "Det er grunntaksten alene, ikke snittet: en fastlegekonsultasjon utløser i snitt flere "
                    "takster, og Legeplan bruker derfor landssnittet over.")


def takst_2ad_note() -> str:
    """The base tariff 2ad as an explanation only (never the default)."""
    return t(TAKST_2AD_NOTE, fee=kr(eco.TAKST_2AD["honorar"]), refund=kr(eco.TAKST_2AD["refusjon"]),
             copayment=kr(eco.TAKST_2AD["egenandel"]))


def explain(params: eco.EconomyParams, period: eco.RulePeriod) -> list[str]:
    """Plain-Norwegian sentences that explain the result."""
    c = eco.hjemmel_cost(params, period)
    n = fmt.number(params.list_length)
    diff = c.fastlonn_minus_naeringsdrift
    basis = dict(basis=kr(c.basistilskudd), rule=basis_rule(params, period))
    lines = [
        t("Med {n} pasienter og {per_patient} konsultasjoner per pasient gir listen {consultations} "
          "konsultasjoner i året.", n=n, per_patient=fmt.number(params.consultations_per_patient, 1),
          consultations=fmt.number(c.consultations)),
        t("Ved næringsdrift betaler kommunen {basis} i basistilskudd ({rule}) og {grant} i andre tilskudd.",
          grant=kr(params.extra_grant), **basis) if params.extra_grant else
        t("Ved næringsdrift betaler kommunen {basis} i basistilskudd ({rule}).", **basis),
        t("Ved fastlønn koster legen og kontoret {gross}, og kommunen får inn {income} ({per_consultation} per "
          "konsultasjon). Netto: {net}.", gross=kr(c.fastlonn_gross), income=kr(c.fastlonn_income),
          per_consultation=kr(params.income_per_consultation), net=kr(c.fastlonn)),
    ]
    if diff > 0:
        lines.append(t("Fastlønn koster dermed kommunen {kr} mer i året enn næringsdrift.", kr=kr(diff)))
    elif diff < 0:
        lines.append(t("Fastlønn koster dermed kommunen {kr} mindre i året enn næringsdrift.", kr=kr(-diff)))
    else:
        lines.append(t("Fastlønn og næringsdrift koster kommunen like mye."))
    needed = eco.income_needed_per_consultation(params)
    if needed is not None and needed > params.income_per_consultation:
        lines.append(t("For at fastlønnen skal finansiere seg selv med {n} pasienter, må hver konsultasjon gi "
                       "{needed} – {more} mer enn i dag.", n=n, needed=kr(needed),
                       more=kr(needed - params.income_per_consultation)))
    lines.append(t("Blandet drift (kommunen driver kontoret, legen beholder takstene og egenandelene, "
                   "kommunen beholder basistilskuddet): {kr} i året.", kr=kr(c.blandet)))
    vikar = params.vikar_days_per_vacant_list * params.vikar_day_rate
    lines.append(t("En liste uten fast lege som dekkes med vikar i {days} dager, koster {kr} i året "
                   "({rate} per dag).", days=fmt.number(params.vikar_days_per_vacant_list), kr=kr(vikar),
                   rate=kr(params.vikar_day_rate)))
    return lines


def fastlonn_table(params: eco.EconomyParams, period: eco.RulePeriod, case: str = "egen") -> pd.DataFrame:
    """The fastlønn calculation with Norwegian headers and number format (as text); example rows marked."""
    lines = eco.fastlonn_lines(params, period)
    posts = [post + example_mark(params, tuple(inputs), case) for post, inputs in zip(lines["post"], lines["inputs"],
                                                                                     strict=True)]
    # The last row's sign is the answer: say it in words (a bare «-128 005» under «Merkostnad» reads as a cost).
    last = float(lines["kr"].iloc[-1])
    if round(last) < 0:
        posts[-1] += " – " + t("negativ: fastlønn er billigere")
    elif round(last) > 0:
        posts[-1] += " – " + t("positiv: fastlønn er dyrere")
    return pd.DataFrame({t("Post"): posts, t("Kroner per år"): [fmt.number(v) for v in lines["kr"]]})


def ramp_table(params: eco.EconomyParams, period: eco.RulePeriod) -> pd.DataFrame:
    """Cost per year of operation while the list fills (as text)."""
    ramp = eco.ramp_up(params, period)
    return pd.DataFrame({
        t("Driftsår"): ramp["year"].astype(str),
        t("Pasienter i snitt"): [fmt.number(v) for v in ramp["avg_list"]],
        t("Konsultasjoner"): [fmt.number(v) for v in ramp["consultations"]],
        t("Næringsdrift"): [fmt.number(v) for v in ramp["naeringsdrift"]],
        t("Fastlønn"): [fmt.number(v) for v in ramp["fastlonn"]],
        t("Blandet drift"): [fmt.number(v) for v in ramp["blandet"]],
    })


def tornado_table(params: eco.EconomyParams, period: eco.RulePeriod) -> pd.DataFrame:
    """The tornado as a table (a text alternative to the chart)."""
    frame = eco.tornado(params, period)
    pct = fmt.percent(params.sensitivity, 0)
    return pd.DataFrame({
        t("Forutsetning"): frame["label"],
        t("Netto fastlønn ved −{pct}", pct=pct): [fmt.number(v) for v in frame["low"]],
        t("Netto fastlønn ved +{pct}", pct=pct): [fmt.number(v) for v in frame["high"]],
        t("Utslag"): [fmt.number(v) for v in frame["swing"]],
    })


def periods_table() -> pd.DataFrame:
    """Which rates apply when: one row per period with its sources, and the income per consultation used."""
    rows = []
    for p in eco.PERIODS.values():
        income = eco.period_income(p)
        shown = t("ikke tilgjengelig") if income is None else t("{kr} ({year})", kr=fmt.kroner(round(income.value)),
                                                                  year=income.year)
        rows.append({
            t("Periode"): t(p.label), t("Basistilskudd"): p.basis_text,
            t("Inntekt per konsultasjon (landssnitt)"): shown,
            t("Egenandel dagtid, én konsultasjon (forklaring)"): fmt.kroner(p.copayment),
            t("Kilde basistilskudd"): t(p.basis_source), t("Kilde egenandel dagtid"): t(p.copayment_source),
        })
    return pd.DataFrame(rows)


# --- the Alver case ---------------------------------------------------------------------------------

ALVER_PREMISES = N_("Kommunen har ledige lokaler i etablert legekontor i helsehuset.")


def alver_lines(params: eco.EconomyParams, period: eco.RulePeriod) -> list[str]:
    """The Alver case's arithmetic and conclusion in plain Norwegian, computed from the levers as they stand."""
    v = eco.salaried_verdict(params, period)
    c = eco.hjemmel_cost(params, period)
    mark = example_mark(params, eco.COST_LEVERS, eco.ALVER_CASE)
    lines = [
        t("Listen: {n} pasienter × {k} konsultasjoner × {per} per konsultasjon = {income} i inntekt i året.",
          n=fmt.number(params.list_length), k=fmt.number(params.consultations_per_patient, 1),
          per=kr(params.income_per_consultation), income=kr(v.income)),
        t("Den fastlønnede legen med kontor og hjelpepersonell koster {gross}{mark}.", gross=kr(v.gross), mark=mark),
        t("Lokalene: notatet sier «{quote}» Lokalene finnes altså allerede; regnestykket tar likevel med "
          "{office} for lokaler, utstyr og IKT (spaken). Uten den kostnaden dekker inntektene {share}.",
          quote=t(ALVER_PREMISES), office=kr(v.office), share=fmt.percent(v.share_without_office, 0)),
    ]
    if v.mainly_self_financed:
        lines.append(t("**Konklusjon:** Med landsgjennomsnittlig inntekt per konsultasjon betaler listens inntekter "
                       "{income} av {gross} ({share}) – hjemmelen er i hovedsak finansiert av behandlingsinntektene, "
                       "slik notatet sier.", income=million(v.income), gross=million(v.gross),
                       share=fmt.percent(v.share, 0)))
    else:
        lines.append(t("**Konklusjon:** Med disse tallene betaler listens inntekter bare {income} av {gross} "
                       "({share}) – hjemmelen er ikke i hovedsak finansiert av behandlingsinntektene, slik notatet "
                       "forutsetter.", income=million(v.income), gross=million(v.gross),
                       share=fmt.percent(v.share, 0)))
    diff = v.fastlonn_minus_naeringsdrift
    basis = dict(basis=kr(c.basistilskudd), rule=basis_rule(params, period))
    if diff > 0:
        lines.append(t("Mot næringsdrift, der kommunen ville betalt {basis} i basistilskudd ({rule}), koster fastlønn "
                       "{kr} mer i året.", kr=kr(diff), **basis))
    elif diff < 0:
        lines.append(t("Mot næringsdrift, der kommunen ville betalt {basis} i basistilskudd ({rule}), koster fastlønn "
                       "{kr} mindre i året.", kr=kr(-diff), **basis))
    else:
        lines.append(t("Mot næringsdrift, der kommunen ville betalt {basis} i basistilskudd ({rule}), koster fastlønn "
                       "like mye.", **basis))
    return lines


# --- the capacity page's cost tiles ----------------------------------------------------------------

def capacity_cost_tiles(base_result: pd.DataFrame, scenario_result: pd.DataFrame) -> pd.DataFrame:
    """Tiles: the scenario's extra kommune cost in its last year, by operating form; returns the table.

    Uses the economy levers as they stand (see `current_params`).
    """
    params, period = current_params()
    priced = eco.price_scenario(base_result, scenario_result, params, period)
    summary = eco.scenario_summary(priced)
    y = summary["year"]
    # A tile is marked while an example figure behind it stands at its default and moves its value.
    vikar = ("vikar_day_rate", "vikar_days_per_vacant_list") if abs(summary["vikar"]) >= 0.5 else ()
    salaried = eco.COST_LEVERS if float(priced["extra_lists_with_gp"].iloc[-1]) > 0 else ()
    marks = {"naeringsdrift": example_mark(params, vikar), "fastlonn": example_mark(params, (*salaried, *vikar)),
             "vikar": example_mark(params, vikar)}
    cols = st.columns(3)
    with cols[0]:
        st.metric(t("Merkostnad {year}, næringsdrift", year=y) + marks["naeringsdrift"], kr(summary["naeringsdrift"]),
                  border=True,
                  help=t("Basistilskudd og tilskudd for endringen i lister med lege, pluss vikar for "
                         "endringen i ledige lister. Satsene og tallene stilles på siden Økonomi."))
    with cols[1]:
        st.metric(t("Merkostnad {year}, fastlønn", year=y) + marks["fastlonn"], kr(summary["fastlonn"]), border=True,
                  help=t("Som næringsdrift, men de nye listene drives med fastlønn: lønn og kontor minus "
                         "inntektene. Satsene og tallene stilles på siden Økonomi."))
    with cols[2]:
        st.metric(t("Vikar for ledige lister {year}", year=y) + marks["vikar"], kr(summary["vikar"]), border=True,
                  help=t("Endring i lister uten lege × vikardager per liste × dagpris (spaker på Økonomi)."))
    st.caption(t("Kilde: {source}. Lønn, kontor og vikar er eksempelverdier til kommunen legger inn egne tall "
                 "på siden Økonomi.", source=source_line(period)))
    return priced
