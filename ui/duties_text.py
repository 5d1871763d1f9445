"""Tiles, plain-Norwegian sentences and source lines for Kommunale legeoppgaver."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import duties as du
from core import fmt
from core.i18n import BOKMAAL, N_, maalform, t
from core.params import Lever
from ui import components
from ui import levers as lever_ui

NORM_NAMES = {du.SOURCED_NORM: N_("Legeforeningens norm 2002"), du.BACKSOLVED_NORM: N_("Legeplans tilbakeregning"),
              du.OWN_NORM: N_("egen norm")}


def _n(x: float, d: int = 0, sign: bool = False) -> str:
    return fmt.number(x, d, sign)


def _kr(x: float) -> str:
    return fmt.kroner(x)


def _mill(x: float) -> str:
    """Kroner in millions for a tile: '8,9 mill. kr'."""
    return fmt.million_kroner(x)


# The legevakt levers behind shifts per GP (shifts per period, doctors per shift, duty-bound GPs).
SHIFT_LEVERS = ("vakt_evening", "vakt_night", "vakt_weekend", "vakt_doctors_", "vakt_dutybound")


# --- example marking on tiles ---------------------------------------------------------------------

def marked(label: str, examples: list[Lever]) -> str:
    """A tile label that says «(eksempel)» when its value stands on example values."""
    return t("{label} (eksempel)", label=label) if examples else label


def norm_label(label: str, norm: str, examples: list[Lever]) -> str:
    """A label of a figure from the nursing-home norm: names Legeplan's back-solved norm, else «(eksempel)»."""
    if norm == du.BACKSOLVED_NORM:
        return t("{label} ({norm})", label=label, norm=t(NORM_NAMES[norm]))
    return marked(label, examples)


def compared_label(label: str, norm: str, examples: list[Lever]) -> str:
    """A chart heading when Legeforeningen's norm is drawn beside the levers' norm: names both, and says
    «(eksempel)» as norm_label does (not for the back-solved norm, which the heading names)."""
    if norm == du.BACKSOLVED_NORM:
        return t("{label}: Legeforeningens norm 2002 (kilde) og Legeplans tilbakeregning (antakelse)", label=label)
    return marked(t("{label}: Legeforeningens norm 2002 (kilde) og egen norm", label=label), examples)


def nursing_chart_description(r: du.NursingHomeResult, sourced: du.NursingHomeResult | None, norm: str) -> str:
    """The FTE chart's text alternative, with every bar's total (both norms when the source is drawn too)."""
    from core import duties_charts as charts

    if sourced is None:
        return t("Liggende stolper: dagens legeårsverk mot årsverkene normen gir, fordelt på type plass.")
    return t("Liggende stolper, legeårsverk fordelt på type plass. I dag: {today}. {sourced_name}: {sourced}. "
             "{norm_name}: {required}.", today=_n(r.current_fte, 2), sourced_name=t(charts.SOURCED_SERIES),
             sourced=_n(sourced.required_fte, 2), norm_name=charts.norm_series(norm, True),
             required=_n(r.required_fte, 2))


def growth_chart_description(growth: pd.DataFrame, sourced: pd.DataFrame | None, norm: str) -> str:
    """The growth chart's text alternative (names both norms and their last year when the source is drawn too)."""
    from core import duties_charts as charts

    first, last = int(growth["year"].iloc[0]), int(growth["year"].iloc[-1])
    if sourced is None:
        return t("Linjediagram {first}–{last}: legeårsverk etter normen mot dagens legeårsverk.", first=first,
                 last=last)
    return t("Linjediagram {first}–{last}: legeårsverk i sykehjem år for år. {sourced_name} i {last}: {sourced}. "
             "{norm_name} i {last}: {required}. Dagens legeårsverk: {today}.", first=first, last=last,
             sourced_name=t(charts.SOURCED_SERIES), norm_name=charts.norm_series(norm, True),
             sourced=_n(float(sourced["required_fte"].iloc[-1]), 2),
             required=_n(float(growth["required_fte"].iloc[-1]), 2), today=_n(float(growth["current_fte"].iloc[-1]), 2))


def example_names(examples: list[Lever]) -> str:
    """The example levers by group, as the user finds them: «Leger per vakt: Kveld, Natt»."""
    groups: dict[str, list[str]] = {}
    for lv in examples:
        groups.setdefault(t(lv.group) if lv.group else "", []).append(lever_ui.label(lv))
    return "; ".join(f"{g}: {', '.join(labels)}" if g else ", ".join(labels) for g, labels in groups.items())


def example_note(examples: list[Lever], what: str) -> None:
    """A caption right under the tiles naming the example values (no source) that `what` rests on."""
    if examples:
        st.caption(":material/edit_note: " + t("**Eksempel:** {what} bygger på eksempelverdier uten kilde – "
                                               "{names}. Bytt dem til kommunens egne tall.", what=what,
                                               names=example_names(examples)))


# --- sources ----------------------------------------------------------------------------------------

def nursing_source(setup) -> str:
    """Sources behind the nursing-home charts and tables."""
    base = t("normer: Legeforeningens utkast 2002 (demens og aldershjem: eksempel); kostnad per årsverk: "
             "Økonomi-siden (eksempelverdier); Legeplans sykehjemsmodell")
    if setup.stavanger is not None:
        return t("{doc} (plasser og legeårsverk); langtidsnormen: Legeplans tilbakeregning, normen som gir "
                 "+{added} årsverk (en antakelse, ikke Stavangers vedtatte norm); {base}", doc=du.STAVANGER_DOC,
                 added=_n(setup.stavanger.added_fte, 2), base=base)
    return t("Plasser og legeårsverk: eksempelverdier; {base}", base=base)


def legevakt_source(setup) -> str:
    """Sources behind the legevakt charts and tables."""
    shifts = t("vakter, leger og timer per vakt: eksempelverdier; kostnad per årsverk: Økonomi-siden")
    if setup.stavanger is not None:
        return t("{doc} (fast ansatte 13,5 årsverk, 70–80 vaktpliktige per periode på 6 måneder); "
                 "{shifts}; Legeplans legevaktmodell", doc=du.STAVANGER_DOC, shifts=shifts)
    return t("Fast ansatte og vaktpliktige: eksempelverdier; {shifts}; Legeplans legevaktmodell", shifts=shifts)


def health_station_source(setup) -> str:
    """Sources behind the health-station figures."""
    if setup.stavanger is not None:
        return t("{doc} (25 leger i 4,8 årsverk, 90 % i bistilling)", doc=du.STAVANGER_DOC)
    return t("Eksempelverdier; andelen i bistilling: Stavangers temaplan 2024–2027")


def total_source(setup) -> str:
    """Sources behind the whole picture and the capacity link."""
    lb = setup.list_base
    lists = (t("lister med lege og listetak: {source}", source=lb.source) if lb is not None
             else t("ingen listetall for kommunen"))
    return t("{lists}; legeårsverk fra fanene Sykehjem, Legevakt og Helsestasjon; listeplasser per ukentlig "
             "time: spak (eksempelkonvensjon); Legeplans modell (docs/legeoppgaver.md)", lists=lists)


# --- sykehjem ---------------------------------------------------------------------------------------

def stavanger_norm_note(case: du.StavangerCase, params: du.NursingHomeParams, shared: du.SharedParams) -> None:
    """The Stavanger case: what the document says, what is missing, and the sourced norm beside the back-solved one."""
    sourced, backsolved = du.stavanger_norms(case, shared.felles_hours_per_fte, shared.felles_fte_cost)
    facts = t("**Stavanger 2023.** {homes} sykehjem, {places} plasser, av dem {short} korttidsplasser; "
              "{aldershjem} aldershjemsplasser; {fte} legeårsverk fordelt på {doctors} leger. Formannskapet "
              "vedtok 15.06.2023 en ny norm som «vil innebære en økning på {added} legeårsverk».",
              homes=case.nursing_homes, places=_n(case.places), short=case.short_term,
              aldershjem=case.aldershjem, fte=_n(case.current_fte, 2), doctors=case.doctors,
              added=_n(case.added_fte, 2))
    assumed = t("**Normtabellen mangler i temaplanens tekst** («kommunens nye, veiledende normering er som "
                "følger:» står uten tabell). Legeplan kjenner derfor ikke Stavangers norm og regner de samme "
                "plassene på to måter: {long} langtidsplasser (1 011 − 213) og {short} korttidsplasser med "
                "{short_norm} minutter per plass per uke (Legeforeningen 2002), aldershjemsplassene utenfor normen "
                "og {per_fte} timer per årsverk (eksempel).",
                long=_n(case.long_term), short=case.short_term, short_norm=_n(sourced.short_term_minutes, 0),
                per_fte=_n(shared.felles_hours_per_fte, 1))
    st.info(f"{facts}\n\n{assumed}", icon=":material/info:")
    left, right = st.columns(2)
    with left:
        st.metric(t("Med Legeforeningens norm 2002 (kilde): årsverk mot i dag"), _n(sourced.gap_fte, 2, sign=True),
                  border=True,
                  help=t("Langtidsplasser {long} minutter per plass per uke: {hours} legetimer per uke = {fte} "
                         "årsverk mot {today} i dag.", long=_n(sourced.long_term_minutes, 0),
                         hours=_n(sourced.required_hours, 1), fte=_n(sourced.required_fte, 2),
                         today=_n(case.current_fte, 2)))
    with right:
        st.metric(t("Legeplans tilbakeregning: normen som gir +{added} årsverk", added=_n(case.added_fte, 2)),
                  _n(backsolved.gap_fte, 2, sign=True), border=True,
                  help=t("Langtidsnormen {long} minutter per plass per uke er løst ut av regnestykket slik at "
                         "gapet blir temaplanens tall: {hours} legetimer per uke = {fte} årsverk. Dette er Legeplans "
                         "antakelse, ikke Stavangers vedtatte norm.", long=_n(backsolved.long_term_minutes, 2),
                         hours=_n(backsolved.required_hours, 1), fte=_n(backsolved.required_fte, 2)))
    st.caption(t("Temaplanens +{added} årsverk kan bare gjenskapes med en langtidsnorm på {long} minutter – mer "
                 "enn dobbelt så mye som Legeforeningens 20 minutter, som gir {sourced} årsverk. Spakene under "
                 "starter på Legeplans tilbakeregning; sett langtidsnormen til 20 for å regne med kilden.",
                 added=_n(case.added_fte, 2), long=_n(backsolved.long_term_minutes, 2),
                 sourced=_n(sourced.gap_fte, 2, sign=True)))


def nursing_tiles(r: du.NursingHomeResult, shared: du.SharedParams, norm: str = du.OWN_NORM,
                  examples: list[Lever] | None = None, cost_examples: list[Lever] | None = None) -> None:
    """Tiles: required FTE, today's FTE, the gap and its yearly cost, each saying what it rests on.

    `norm` names the long-term norm in force (core.duties.norm_in_force); `examples` are the example
    levers behind the FTE figures, `cost_examples` those behind the cost per FTE.
    """
    examples = examples or []
    cost_examples = cost_examples or []

    def fte_label(label: str) -> str:
        return norm_label(label, norm, examples)

    cols = st.columns(4)
    with cols[0]:
        st.metric(fte_label(t("Legeårsverk etter normen")), _n(r.required_fte, 2), border=True,
                  help=t("{hours} legetimer per uke / {per_fte} timer per årsverk.", hours=_n(r.required_hours, 1),
                         per_fte=_n(shared.felles_hours_per_fte, 1)))
    with cols[1]:
        current = [lv for lv in examples if lv.name in ("sh_current_fte", "sh_current_doctors")]
        st.metric(marked(t("Legeårsverk i dag"), current), _n(r.current_fte, 2), border=True)
    with cols[2]:
        components.change_metric(fte_label(t("Gap mot normen (årsverk)")), _n(r.gap_fte, 2, sign=True), None,
                                 help=t("Årsverk etter normen minus årsverk i dag."))
    with cols[3]:
        label = t("Kostnad av gapet per år") if r.gap_cost >= 0 else t("Kostnad ut over normen per år")
        st.metric(marked(label, examples + cost_examples), _mill(abs(r.gap_cost)), border=True,
                  help=t("{cost}: gapet × {per_fte} per årsverk (lønn med pensjon og arbeidsgiveravgift).",
                         cost=_kr(abs(r.gap_cost)), per_fte=_kr(shared.felles_fte_cost)))
    example_note(examples + cost_examples, t("Tallene i flisene"))


def stavanger_norm_sentence(case: du.StavangerCase, shared: du.SharedParams) -> str:
    """The sourced norm's result beside the back-solved one, in one sentence (page, export, presentation)."""
    sourced, backsolved = du.stavanger_norms(case, shared.felles_hours_per_fte, shared.felles_fte_cost)
    return t("Stavanger: med Legeforeningens norm fra 2002 (kilde) gir plassene {fte} legeårsverk, {gap} mot "
             "dagens {today}. Temaplanens +{added} årsverk er Legeplans tilbakeregning: normen som gir +{added} "
             "årsverk, {long} minutter per langtidsplass – en antakelse, for normtabellen står ikke i planen.",
             fte=_n(sourced.required_fte, 2), gap=_n(sourced.gap_fte, 2, sign=True), today=_n(case.current_fte, 2),
             added=_n(case.added_fte, 2), long=_n(backsolved.long_term_minutes, 2))


def stavanger_norm_figures(case: du.StavangerCase | None, shared: du.SharedParams) -> tuple[tuple[str, str], ...]:
    """Key figures for an export: the gap with the sourced norm and with Legeplan's back-solved one."""
    if case is None:
        return ()
    sourced, backsolved = du.stavanger_norms(case, shared.felles_hours_per_fte, shared.felles_fte_cost)
    return ((t("Med Legeforeningens norm 2002 (kilde): årsverk mot i dag"), _n(sourced.gap_fte, 2, sign=True)),
            (t("Legeplans tilbakeregning: normen som gir +{added} årsverk", added=_n(case.added_fte, 2)),
             t("{gap} ({long} minutter per langtidsplass)", gap=_n(backsolved.gap_fte, 2, sign=True),
               long=_n(backsolved.long_term_minutes, 2))))


def nursing_sentences(r: du.NursingHomeResult, p: du.NursingHomeParams, shared: du.SharedParams,
                      growth: pd.DataFrame, case: du.StavangerCase | None = None, norm: str | None = None,
                      cost_example: bool = False) -> list[str]:
    """What the nursing-home result means, in plain Norwegian (the Stavanger case opens with both norms).

    `norm`: the norm in force (a gap from Legeplan's back-solved norm is said to be that); `cost_example`: the
    cost per FTE is an example (the gap's cost says so).
    """
    out = [stavanger_norm_sentence(case, shared)] if case is not None else []
    out += [t("Normen gir {hours} legetimer per uke for {places} sykehjemsplasser, det vil si {fte} årsverk med "
             "{per_fte} timer per årsverk.", hours=_n(r.required_hours, 1), places=_n(r.places),
             fte=_n(r.required_fte, 2), per_fte=_n(shared.felles_hours_per_fte, 1))]
    position = fmt.percent(r.fte_per_doctor, 0) if p.sh_current_doctors > 0 else None
    who = (t(", fordelt på {doctors} leger (i snitt {position} stilling)", doctors=_n(p.sh_current_doctors),
             position=position) if position else "")
    fte = _n(r.current_fte, 2)
    if r.gap_fte > 0.005:
        cost = dict(gap=_n(r.gap_fte, 2), cost=_mill(r.gap_cost), per_fte=_kr(shared.felles_fte_cost),
                    mark=" " + t("(eksempelkostnad)") if cost_example else "")
        if norm == du.BACKSOLVED_NORM:
            out.append(t("I dag er det {fte} legeårsverk{who}. Med Legeplans tilbakeregnede norm mangler det {gap} "
                         "årsverk, som koster om lag {cost} i året med {per_fte} per årsverk{mark}.", fte=fte,
                         who=who, **cost))
        else:
            out.append(t("I dag er det {fte} legeårsverk{who}. Det mangler {gap} årsverk, som koster om lag {cost} "
                         "i året med {per_fte} per årsverk{mark}.", fte=fte, who=who, **cost))
    elif r.gap_fte < -0.005:
        out.append(t("I dag er det {fte} legeårsverk{who}: {above} årsverk mer enn normen krever.", fte=fte, who=who,
                     above=_n(-r.gap_fte, 2)))
    else:
        out.append(t("I dag er det {fte} legeårsverk{who}, akkurat det normen krever.", fte=fte, who=who))
    if r.places > 0:
        out.append(t("Dagens bemanning gir {now} legetimer per plass per uke, normen {norm}. Landsgjennomsnittet "
                     "var {national} timer per beboer per uke i 2020 (Helsedirektoratet).",
                     now=_n(r.hours_per_place_now, 2), norm=_n(r.hours_per_place_norm, 2),
                     national=_n(du.NATIONAL_HOURS_2020, 2)))
    last = growth.iloc[-1]
    if p.sh_new_long_term or p.sh_new_short_term:
        out.append(t("Med {long} nye langtidsplasser og {short} nye korttidsplasser i året fra {start} trengs {fte} "
                     "årsverk i {year}, {more} flere enn normen gir i dag.", long=_n(p.sh_new_long_term),
                     short=_n(p.sh_new_short_term), start=p.sh_plan_from, fte=_n(last["required_fte"], 2),
                     year=int(last["year"]), more=_n(last["required_fte"] - r.required_fte, 2)))
    else:
        out.append(t("Ingen nye plasser er lagt inn; bruk «Planlagte nye plasser» for å se hvordan behovet vokser."))
    return out


# --- legevakt ---------------------------------------------------------------------------------------

def legevakt_tiles(r: du.LegevaktResult, p: du.LegevaktParams, examples: list[Lever] | None = None) -> None:
    """Tiles: shifts per GP per period and per month, GPs on duty, salaried FTE; «(eksempel)» where they
    stand on example values (`examples`: the legevakt levers at an example default)."""
    examples = examples or []
    shifts = [lv for lv in examples if lv.name.startswith(SHIFT_LEVERS)]
    dutybound = [lv for lv in examples if lv.name == "vakt_dutybound_gps"]
    salaried = [lv for lv in examples if lv.name == "vakt_salaried_fte"]
    cols = st.columns(4)
    none = t("ingen leger igjen")
    with cols[0]:
        st.metric(marked(t("Vakter per lege per {months} mnd.", months=p.vakt_period_months), shifts),
                  _n(r.shifts_per_gp, 1) if r.shifts_per_gp is not None else none, border=True)
    with cols[1]:
        st.metric(marked(t("Vakter per lege per måned"), shifts),
                  _n(r.shifts_per_gp_month, 2) if r.shifts_per_gp_month is not None else none, border=True,
                  help=t("Omtrent {hours} vakttimer per fastlege per måned.", hours=_n(r.hours_per_gp_month or 0.0, 1)))
    with cols[2]:
        st.metric(marked(t("Fastleger som går vakt"), dutybound), _n(r.active_gps, 1), border=True,
                  help=t("Vaktpliktige fastleger minus dem med fritak."))
    with cols[3]:
        st.metric(marked(t("Fast ansatte legeårsverk"), salaried), _n(r.salaried_fte, 1), border=True)
    example_note(examples, t("Vaktbelastningen"))


def legevakt_sentences(r: du.LegevaktResult, p: du.LegevaktParams, series: pd.DataFrame, shares: pd.DataFrame,
                       setup, cost_example: bool = False) -> list[str]:
    """What the legevakt result means, in plain Norwegian (`cost_example`: the cost per FTE is an example)."""
    out = [t("Fastlegene skal fylle {slots} legevakter per periode på {months} måneder ({hours} legetimer). Av "
             "{dutybound} vaktpliktige har {share} fritak, så {active} leger deler vaktene.", slots=_n(r.slots),
             months=p.vakt_period_months, hours=_n(r.gp_hours), dutybound=_n(p.vakt_dutybound_gps),
             share=fmt.percent(p.vakt_exemption_share, 0), active=_n(r.active_gps, 1))]
    if r.shifts_per_gp is not None:
        out.append(t("Det blir {per_gp} vakter per lege per periode, {per_month} per måned – om lag {hours} timer i "
                     "måneden ved siden av listen.", per_gp=_n(r.shifts_per_gp, 1),
                     per_month=_n(r.shifts_per_gp_month, 2), hours=_n(r.hours_per_gp_month, 1)))
    higher = series[series["exemption_share"] >= p.vakt_exemption_share + 0.1 - 1e-9]
    if not higher.empty and r.shifts_per_gp_month:
        h = higher.iloc[0]
        out.append(t("Får {share} fritak, øker det til {per_month} vakter per lege per måned ({change} mer).",
                     share=fmt.percent(h["exemption_share"], 0), per_month=_n(h["shifts_per_gp_month"], 2),
                     change=fmt.percent(h["shifts_per_gp_month"] / r.shifts_per_gp_month - 1, 0)))
    out.append(t("Fastlegenes vakter tilsvarer {duty_fte} legeårsverk, i tillegg til {salaried} fast ansatte "
                 "årsverk.", duty_fte=_n(r.gp_duty_fte, 2), salaried=_n(r.salaried_fte, 1)))
    host = shares.iloc[0]
    mark = " " + t("(eksempelkostnad)") if cost_example else ""
    if len(shares) > 1:
        out.append(t("Legevakten koster om lag {cost} i året{mark} (fast ansatte leger og andre kostnader). Fordelt "
                     "etter innbyggertall betaler {host} {share} = {kr}; {population} innbyggere i alt (1.1.{year}).",
                     cost=_mill(r.total_cost), mark=mark, host=host["kommune"], share=fmt.percent(host["share"], 1),
                     kr=_mill(host["kr"]), population=_n(shares["population"].sum()), year=setup.population_year))
    else:
        out.append(t("Legevakten koster om lag {cost} i året{mark}. Velg samarbeidskommuner over for å fordele "
                     "kostnaden etter innbyggertall.", cost=_mill(r.total_cost), mark=mark))
    if setup.stavanger is not None:
        c = setup.stavanger
        out.append(t("Stavanger: temaplanen oppgir {low}–{high} fastleger som går vakt i hver periode; her brukes "
                     "midten, {mid}, og ingen ekstra fritak. Befolkningen i distriktet var {population} ifølge SSB "
                     "(dokumentet: ca. {served}). Antall vakter og leger per vakt står ikke i dokumentet.",
                     low=c.dutybound_low, high=c.dutybound_high, mid=c.dutybound_mid,
                     population=_n(shares["population"].sum()), served=_n(c.population_served)))
    return out


# --- helsestasjon ------------------------------------------------------------------------------------

def health_station_tiles(r: du.HealthStationResult, examples: list[Lever] | None = None) -> None:
    """Tiles: FTE, doctors, average position, fastleger's weekly hours there; «(eksempel)» where they stand
    on example values (`examples`: health-station levers and hours per FTE at an example default)."""
    examples = examples or []
    fte = [lv for lv in examples if lv.name == "hs_fte"]
    doctors = [lv for lv in examples if lv.name == "hs_doctors"]
    cols = st.columns(4)
    with cols[0]:
        st.metric(marked(t("Legeårsverk"), fte), _n(r.fte, 1), border=True)
    with cols[1]:
        st.metric(marked(t("Leger"), doctors), _n(r.doctors), border=True)
    with cols[2]:
        st.metric(marked(t("Snitt stilling per lege"), fte + doctors), fmt.percent(r.fte_per_doctor, 0), border=True,
                  help=t("Om lag {hours} timer per uke per lege.", hours=_n(r.hours_per_doctor, 1)))
    with cols[3]:
        st.metric(marked(t("Fastlegetimer i bistilling per uke"), examples), _n(r.bistilling_hours, 1), border=True)
    example_note(examples, t("Helsestasjonstallene"))


def health_station_sentences(r: du.HealthStationResult, p: du.HealthStationParams, setup) -> list[str]:
    """What the health-station figures mean."""
    out = [t("{doctors} leger deler {fte} årsverk: i snitt {position} stilling, om lag {hours} timer i uken per "
             "lege.", doctors=_n(r.doctors), fte=_n(r.fte, 1), position=fmt.percent(r.fte_per_doctor, 0),
             hours=_n(r.hours_per_doctor, 1)),
           t("Med {share} i bistilling bruker fastlegene {hours} timer i uken på helsestasjonene – timer som ellers "
             "kunne gått til listene.", share=fmt.percent(p.hs_bistilling_share, 0),
             hours=_n(r.bistilling_hours, 1))]
    if setup.stavanger is not None:
        out.append(t("Stavanger: temaplanen regner i tillegg «1 årsverk totalt» til legetjenesten i "
                     "skolehelsetjenesten; det går ikke fram om det er med i de 4,8 årsverkene, så det er ikke "
                     "lagt til."))
    return out


# --- samlet ---------------------------------------------------------------------------------------

def total_tiles(link: du.CapacityLink, lb: du.ListBase | None, examples: list[Lever] | None = None) -> None:
    """Tiles: moved hours and FTE, change in list places, free places and reserve capacity after.

    `examples`: the levers at an example default that turn the moved hours into list places (places per
    weekly hour, hours per FTE); the place tiles say «(eksempel)» only when hours are moved at all.
    """
    moved = abs(link.moved_hours) > 1e-9
    examples = (examples or []) if moved else []
    cols = st.columns(4)
    with cols[0]:
        st.metric(t("Timer flyttet fra listene per uke"), _n(link.moved_hours, 1), border=True,
                  help=t("= {fte} årsverk.", fte=_n(link.moved_fte, 2)))
    with cols[1]:
        components.change_metric(marked(t("Endring i listeplasser"), examples), _n(link.places_change, 0, sign=True),
                                 None, help=t("Endring i sum listetak."))
    if lb is None:
        with cols[2]:
            st.metric(t("Ledige listeplasser"), t("ikke tilgjengelig"), border=True,
                      help=t("SSB har ikke fastlegetall for kommunen for siste år."))
        example_note(examples, t("Endringen i listeplasser"))
        return
    since = t(" fra i dag")
    with cols[2]:
        components.change_metric(marked(t("Ledige listeplasser ({year})", year=lb.year), examples),
                                 _n(link.free_after), link.free_after - link.free_before, since)
    with cols[3]:
        components.change_metric(marked(t("Reservekapasitet"), examples), _n(link.reserve_after, 1),
                                 (link.reserve_after or 0.0) - (link.reserve_before or 0.0), since, decimals=1,
                                 help=t("Sum listetak / pasienter på lister med lege × 100, som på "
                                        "Fastlegekapasitet."))
    example_note(examples, t("Timene er gjort om til listeplasser med satser som"))


def total_sentences(link: du.CapacityLink, nh: du.NursingHomeResult, p: du.TotalParams, shared: du.SharedParams,
                    setup, ssb: du.SsbListLength | None) -> list[str]:
    """What moving hours means for the lists, in plain Norwegian."""
    rate = shared.felles_places_per_hour
    out = [t("Én times kommunalt arbeid per uke fortrenger {rate} listeplasser (spaken «Listeplasser per ukentlig "
             "time»).", rate=_n(rate, 2))]
    if p.sum_cover_gap:
        out.append(t("Sykehjemsgapet på {gap} årsverk dekkes av fastleger i bistilling: {hours} timer per uke.",
                     gap=_n(max(nh.gap_fte, 0.0), 2),
                     hours=_n(max(nh.gap_fte, 0.0) * shared.felles_hours_per_fte, 1)))
    lb = setup.list_base
    if lb is not None and link.reserve_before is not None:
        out.append(t("Utgangspunktet er det samme som på Fastlegekapasitet ({label}): {lists} lister med lege, "
                     "{free} ledige plasser og reservekapasitet {reserve}.", label=lb.label,
                     lists=_n(lb.lists_with_gp), free=_n(link.free_before), reserve=_n(link.reserve_before, 1)))
    if abs(link.moved_hours) < 1e-9:
        out.append(t("Ingen timer er flyttet. Flytt timer eller slå på «Dekk sykehjemsgapet med bistillinger»."))
    else:
        out.append(t("{hours} timer per uke ({fte} årsverk) flyttet fra listene gir {change} listeplasser.",
                     hours=_n(link.moved_hours, 1), fte=_n(link.moved_fte, 2),
                     change=_n(link.places_change, 0, sign=True)))
        if link.free_after is not None and setup.list_base is not None:
            out.append(t("Ledige plasser går fra {free_before} til {free_after}, og reservekapasiteten fra "
                         "{reserve_before} til {reserve_after} ({label}).", free_before=_n(link.free_before),
                         free_after=_n(link.free_after), reserve_before=_n(link.reserve_before, 1),
                         reserve_after=_n(link.reserve_after, 1), label=setup.list_base.label))
    if ssb is not None:
        out.append(t("SSB {year}: gjennomsnittlig listelengde {average}, korrigert for kommunale timer {adjusted}. "
                     "Forskjellen, {difference} pasienter per lege, svarer med satsen over til om lag {hours} "
                     "timer kommunalt arbeid per fastlege per uke.", year=ssb.year, average=_n(ssb.avg_list_length),
                     adjusted=_n(ssb.adjusted), difference=_n(ssb.difference),
                     hours=_n(ssb.hours_per_gp(rate), 1)))
    return out


def capacity_page_link(link: du.CapacityLink, setup) -> None:
    """The same change as a lever on Fastlegekapasitet, with a link that sets it (in the målform in force)."""
    if link.cap_change_per_list is None or setup.list_base is None or abs(link.moved_hours) < 1e-9:
        return
    places = int(round(link.cap_change_per_list * setup.list_base.lists_with_gp))
    url = f"/kapasitet?kommune={setup.knr}&start={setup.capacity_start}&cap_change_places={places}"
    if maalform() != BOKMAAL:
        url += f"&malform={maalform()}"
    st.markdown(t("På Fastlegekapasitet tilsvarer dette «Endring i sum listetak» = {places} plasser ({per_list} per "
                  "liste for {lists} lister med lege). [Åpne Fastlegekapasitet med denne endringen]({url}) – "
                  "den gjelder fra året etter {year}.", places=_n(places, 0, sign=True),
                  per_list=_n(link.cap_change_per_list, 1, sign=True), lists=_n(setup.list_base.lists_with_gp),
                  url=url, year=setup.list_base.year))
    st.caption(t("Kilde: {source}; Legeplans kapasitetsmodell (docs/fastlegekapasitet.md)",
                 source=setup.list_base.source))
