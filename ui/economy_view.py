"""Streamlit glue for Økonomi: period and case pickers, cached charts, tiles, tables, sentences.

Also the cost tile for the capacity page: `capacity_cost_tiles(base_result, scenario_result)` prices
a capacity scenario with the economy levers as they stand (session, link or defaults), so a change
on Økonomi changes the cost shown on Fastlegekapasitet.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import economy as eco
from core import economy_charts
from core.i18n import N_, maalform, t
from core.params import from_mapping, levers
from ui import fmt, state
from ui import levers as lever_ui

PERIOD_KEY = "periode"
CASE_KEY = "referanse"
CASES = {"egen": N_("Eget regnestykke"), "alver_2021": N_("Alver 2021: ny 100 % kommunal fastlege")}
CASE_PERIOD = {"egen": eco.DEFAULT_PERIOD, "alver_2021": "2021"}
_LAST_PERIOD = "_okonomi_period"
_REMEMBERED = "_okonomi_params"  # a plain session key: kept when the widgets are not on the page
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


def init_levers(case: str, period: str) -> eco.EconomyParams:
    """Seed the levers (scope: the case) and move period-dependent levers when the period changes."""
    defaults = eco.defaults_for(period)
    lever_ui.init(eco.EconomyParams, defaults, scope=f"okonomi:{case}")
    last = st.session_state.get(_LAST_PERIOD)
    if last is not None and last != period:
        old = eco.defaults_for(last)
        for lv in levers(eco.EconomyParams):
            key = lever_ui.widget_key(lv)
            if lv.default_from and st.session_state.get(key) == getattr(old, lv.name):
                st.session_state[key] = getattr(defaults, lv.name)
    st.session_state[_LAST_PERIOD] = period
    return defaults


def sidebar(defaults: eco.EconomyParams) -> None:
    """Every economy lever in the sidebar, by group, with unit and the source of its default."""
    with st.sidebar:
        st.header(t("Spaker"))
        if st.button(t("Tilbakestill spakene"), icon=":material/restart_alt:", width="stretch"):
            lever_ui.reset(eco.EconomyParams, defaults)
        for group in dict.fromkeys(lv.group for lv in levers(eco.EconomyParams)):
            with st.expander(t(group), expanded=group in (eco.G_LIST, eco.G_COST)):
                for lv in levers(eco.EconomyParams):
                    if lv.group == group:
                        lever_ui.widget(lv, getattr(defaults, lv.name), mark_example=False)
                        st.caption(default_caption(lv, getattr(defaults, lv.name)))


def default_caption(lv, default) -> str:
    """Under a lever: its default and, in a few words, where the default comes from."""
    shown = lever_ui.default_text(lv, default)
    unit = "" if lv.kind in ("bool", "choice") or lv.display_scale == 100.0 or not lv.unit else f" {t(lv.unit)}"
    if lv.source == eco.EXAMPLE:
        return t("Eksempel: {value}. Ingen offentlig kilde – skriv inn kommunens eget tall.", value=shown + unit)
    source = t(lv.source).split(";")[0]
    source = source if len(source) <= 100 else source[:97].rsplit(" ", 1)[0] + " …"
    return t("Standard {value}. Kilde: {source}", value=shown + unit, source=source)


def read_params(defaults: eco.EconomyParams, period: str) -> eco.EconomyParams:
    """The levers' values: put in the URL and remembered for other pages (Streamlit drops widgets)."""
    params = lever_ui.read(eco.EconomyParams, defaults)
    lever_ui.sync_url(params, defaults)
    st.session_state[_REMEMBERED] = (params, period)
    return params


def current_params() -> tuple[eco.EconomyParams, eco.RulePeriod]:
    """The economy levers as last set on Økonomi (else the link, else defaults) and the period."""
    if _REMEMBERED in st.session_state:
        params, period = st.session_state[_REMEMBERED]
        return params, eco.PERIODS[period]
    # Økonomi's link as the session remembers it (an opened scenario puts it there), else this page's link
    link = st.session_state.get("_page_query:okonomi") or dict(st.query_params)
    period = link.get(PERIOD_KEY) or eco.DEFAULT_PERIOD
    period = period if period in eco.PERIODS else eco.DEFAULT_PERIOD
    params, _ = from_mapping(eco.EconomyParams, dict(link), base=eco.defaults_for(period))
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


def curve_spec(params: eco.EconomyParams, period_key: str) -> dict:
    """Net cost against list length, by operating form, break-even marked (in the målform in force)."""
    return _curve_spec(params, period_key, maalform())


def tornado_spec(params: eco.EconomyParams, period_key: str) -> dict:
    """The tornado chart for the fastlønn net cost (in the målform in force)."""
    return _tornado_spec(params, period_key, maalform())


def ramp_spec(params: eco.EconomyParams, period_key: str) -> dict:
    """Cost per year of operation while the list fills (in the målform in force)."""
    return _ramp_spec(params, period_key, maalform())


@st.cache_data(show_spinner=False, max_entries=256)
def _curve_spec(params: eco.EconomyParams, period_key: str, code: str) -> dict:
    period = eco.PERIODS[period_key]
    return economy_charts.cost_curve_chart(eco.cost_curve(params, period), break_even_marks(params, period),
                                           params.list_length).to_dict()


@st.cache_data(show_spinner=False, max_entries=256)
def _tornado_spec(params: eco.EconomyParams, period_key: str, code: str) -> dict:
    frame = eco.tornado(params, eco.PERIODS[period_key])
    return economy_charts.tornado_chart(frame, params.sensitivity, t("Netto kostnad fastlønn")).to_dict()


@st.cache_data(show_spinner=False, max_entries=256)
def _ramp_spec(params: eco.EconomyParams, period_key: str, code: str) -> dict:
    return economy_charts.ramp_chart(eco.ramp_up(params, eco.PERIODS[period_key])).to_dict()


def source_line(period: eco.RulePeriod) -> str:
    """The sources behind an economy chart or table, as one line."""
    return t("{model}; satser: {cite}; konsultasjoner: SSB 2023; lønn, kontor og hjelpepersonell er "
             "eksempelverdier – se «Forutsetninger og kilder»", model=t(SOURCE_MODEL), cite=t(period.cite))


# --- tiles and text ---------------------------------------------------------------------------------

def kr(x: float | None) -> str:
    """Kroner in Norwegian format ('ikke tilgjengelig' when there is no value)."""
    return fmt.kroner(x)


def persons(x: float | None, limit: float = 2500) -> str:
    """A list length for a tile; 'aldri' when never, 'over 2 500' beyond any list cap."""
    if x is None:
        return t("aldri")
    if x > limit:
        return t("over {n}", n=fmt.number(limit))
    return fmt.number(x)


def tiles(params: eco.EconomyParams, period: eco.RulePeriod) -> None:
    """Net cost per year by form, per list place and consultation, and the break-even list lengths."""
    c = eco.hjemmel_cost(params, period)
    n = fmt.number(params.list_length)
    cols = st.columns(3)
    for col, form in zip(cols, eco.FORMS, strict=True):
        with col:
            st.metric(t("{form}: netto per år", form=t(eco.FORMS[form])), kr(getattr(c, form)), border=True,
                      help=t("Netto kostnad for kommunen for én hjemmel med {n} pasienter.", n=n))
            st.caption(t("{per_place} per listeplass · {per_consultation} per konsultasjon",
                         per_place=kr(c.per_place(form)), per_consultation=kr(c.per_consultation(form))))
    be_vs = eco.break_even_vs_naeringsdrift(params, period)
    be_self = eco.break_even_self_financing(params)
    needed = eco.income_needed_per_consultation(params)
    cols = st.columns(3)
    with cols[0]:
        st.metric(t("Fastlønn like dyrt som næringsdrift ved"), persons(be_vs), border=True,
                  help=t("Listelengden der netto kostnad ved fastlønn er lik basistilskudd og tilskudd "
                         "kommunen ellers ville betalt en næringsdrivende lege."))
    with cols[1]:
        st.metric(t("Fastlønn selvfinansierende ved"), persons(be_self), border=True,
                  help=t("Listelengden der inntektene (refusjon, egenandel, andre inntekter) dekker alle "
                         "kostnadene ved fastlønn."))
    with cols[2]:
        st.metric(t("Inntekt som trengs per konsultasjon"), kr(needed), border=True,
                  help=t("Ved {n} pasienter: hva hver konsultasjon må gi i refusjon, egenandel og andre inntekter "
                         "for at fastlønn skal gå i null ved valgt listelengde.", n=n))


def explain(params: eco.EconomyParams, period: eco.RulePeriod) -> list[str]:
    """Plain-Norwegian sentences that explain the result."""
    c = eco.hjemmel_cost(params, period)
    n = fmt.number(params.list_length)
    diff = c.fastlonn_minus_naeringsdrift
    basis = dict(basis=kr(c.basistilskudd), rule=period.basis_text)
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


def fastlonn_table(params: eco.EconomyParams, period: eco.RulePeriod) -> pd.DataFrame:
    """The fastlønn calculation with Norwegian headers and number format (as text)."""
    lines = eco.fastlonn_lines(params, period)
    return pd.DataFrame({t("Post"): lines["post"], t("Kroner per år"): [fmt.number(v) for v in lines["kr"]]})


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
    """Which rates apply when: one row per period with its sources."""
    return pd.DataFrame([{
        t("Periode"): t(p.label), t("Basistilskudd"): p.basis_text, t("Egenandel dagtid"): fmt.kroner(p.copayment),
        t("Kilde basistilskudd"): t(p.basis_source), t("Kilde egenandel"): t(p.copayment_source),
    } for p in eco.PERIODS.values()])


# --- the capacity page's cost tiles ----------------------------------------------------------------

def capacity_cost_tiles(base_result: pd.DataFrame, scenario_result: pd.DataFrame) -> pd.DataFrame:
    """Tiles: the scenario's extra kommune cost in its last year, by operating form; returns the table.

    Uses the economy levers as they stand (see `current_params`).
    """
    params, period = current_params()
    priced = eco.price_scenario(base_result, scenario_result, params, period)
    summary = eco.scenario_summary(priced)
    y = summary["year"]
    cols = st.columns(3)
    with cols[0]:
        st.metric(t("Merkostnad {year}, næringsdrift", year=y), kr(summary["naeringsdrift"]), border=True,
                  help=t("Basistilskudd og tilskudd for endringen i lister med lege, pluss vikar for "
                         "endringen i ledige lister. Satsene og tallene stilles på siden Økonomi."))
    with cols[1]:
        st.metric(t("Merkostnad {year}, fastlønn", year=y), kr(summary["fastlonn"]), border=True,
                  help=t("Som næringsdrift, men de nye listene drives med fastlønn: lønn og kontor minus "
                         "inntektene. Satsene og tallene stilles på siden Økonomi."))
    with cols[2]:
        st.metric(t("Vikar for ledige lister {year}", year=y), kr(summary["vikar"]), border=True,
                  help=t("Endring i lister uten lege × vikardager per liste × dagpris (spaker på Økonomi)."))
    st.caption(t("Kilde: {source}. Lønn, kontor og vikar er eksempelverdier til kommunen legger inn egne tall "
                 "på siden Økonomi.", source=source_line(period)))
    return priced
