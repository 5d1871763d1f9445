"""Tiles, plain-Norwegian sentences and source lines for Kommunale legeoppgaver."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import duties as du
from ui import components, fmt


def _n(x: float, d: int = 0, sign: bool = False) -> str:
    return fmt.number(x, d, sign)


def _kr(x: float) -> str:
    return fmt.kroner(x)


def _mill(x: float) -> str:
    """Kroner in millions for a tile: '8,9 mill. kr'."""
    return fmt.number(x / 1e6, 1) + "\u00a0mill.\u00a0kr"


# --- sources ----------------------------------------------------------------------------------------

def nursing_source(setup) -> str:
    """Sources behind the nursing-home charts and tables."""
    base = ("normer: Legeforeningens utkast 2002 (demens og aldershjem: eksempel); kostnad per årsverk: "
            "Økonomi-siden (eksempelverdier); Legeplans sykehjemsmodell")
    if setup.stavanger is not None:
        return (f"{du.STAVANGER_DOC} (plasser og legeårsverk); langtidsnormen: Legeplans antakelse som gjenskaper "
                f"+{_n(setup.stavanger.added_fte, 2)} årsverk; {base}")
    return f"Plasser og legeårsverk: eksempelverdier; {base}"


def legevakt_source(setup) -> str:
    """Sources behind the legevakt charts and tables."""
    shifts = "vakter, leger og timer per vakt: eksempelverdier; kostnad per årsverk: Økonomi-siden"
    if setup.stavanger is not None:
        return (f"{du.STAVANGER_DOC} (fast ansatte 13,5 årsverk, 70–80 vaktpliktige per periode på 6 måneder); "
                f"{shifts}; Legeplans legevaktmodell")
    return f"Fast ansatte og vaktpliktige: eksempelverdier; {shifts}; Legeplans legevaktmodell"


def health_station_source(setup) -> str:
    """Sources behind the health-station figures."""
    if setup.stavanger is not None:
        return f"{du.STAVANGER_DOC} (25 leger i 4,8 årsverk, 90 % i bistilling)"
    return "Eksempelverdier; andelen i bistilling: Stavangers temaplan 2024–2027"


def total_source(setup) -> str:
    """Sources behind the whole picture and the capacity link."""
    lb = setup.list_base
    lists = (f"lister med lege og listetak: {lb.source}" if lb is not None
             else "ingen listetall for kommunen")
    return (f"{lists}; legeårsverk fra fanene Sykehjem, Legevakt og Helsestasjon; listeplasser per ukentlig time: "
            "spak (eksempelkonvensjon); Legeplans modell (docs/legeoppgaver.md)")


# --- sykehjem ---------------------------------------------------------------------------------------

def stavanger_norm_note(case: du.StavangerCase, params: du.NursingHomeParams, shared: du.SharedParams) -> None:
    """The Stavanger case: what the document says, what is missing, and which values reproduce +5,21."""
    norm = params.sh_norm_long_term
    hours = (case.long_term * norm + case.short_term * params.sh_norm_short_term) / 60.0
    st.info(
        f"**Stavanger 2023.** {case.nursing_homes} sykehjem, {_n(case.places)} plasser, av dem {case.short_term} "
        f"korttidsplasser; {case.aldershjem} aldershjemsplasser; {_n(case.current_fte, 2)} legeårsverk fordelt på "
        f"{case.doctors} leger. Formannskapet vedtok 15.06.2023 en ny norm som «vil innebære en økning på "
        f"{_n(case.added_fte, 2)} legeårsverk».\n\n"
        "**Normtabellen mangler i temaplanens tekst** («kommunens nye, veiledende normering er som følger:» står "
        "uten tabell). Legeplan kjenner derfor ikke Stavangers norm. For å gjenskape +5,21 antar Legeplan: "
        f"{_n(case.long_term)} langtidsplasser (1 011 − 213) med **{_n(norm, 2)} minutter** per plass per uke "
        f"(løst ut av regnestykket), {case.short_term} korttidsplasser med **{_n(params.sh_norm_short_term, 0)} "
        "minutter** (Legeforeningen 2002), aldershjemsplassene utenfor normen (0 minutter) og "
        f"**{_n(shared.felles_hours_per_fte, 1)} timer** per årsverk. Da blir behovet {_n(hours, 1)} timer per uke "
        f"= {_n(hours / shared.felles_hours_per_fte, 2)} årsverk. Dette er Legeplans antakelser, ikke Stavangers "
        "vedtatte norm.", icon=":material/info:")


def nursing_tiles(r: du.NursingHomeResult, shared: du.SharedParams) -> None:
    """Tiles: required FTE, today's FTE, the gap and its yearly cost."""
    cols = st.columns(4)
    with cols[0]:
        st.metric("Legeårsverk etter normen", _n(r.required_fte, 2), border=True,
                  help=f"{_n(r.required_hours, 1)} legetimer per uke / {_n(shared.felles_hours_per_fte, 1)} timer "
                       "per årsverk.")
    with cols[1]:
        st.metric("Legeårsverk i dag", _n(r.current_fte, 2), border=True)
    with cols[2]:
        components.change_metric("Gap mot normen (årsverk)", _n(r.gap_fte, 2, sign=True), None,
                                 help="Årsverk etter normen minus årsverk i dag.")
    with cols[3]:
        label = "Kostnad av gapet per år" if r.gap_cost >= 0 else "Kostnad ut over normen per år"
        st.metric(label, _mill(abs(r.gap_cost)), border=True,
                  help=f"{_kr(abs(r.gap_cost))}: gapet × {_kr(shared.felles_fte_cost)} per årsverk (lønn med "
                       "pensjon og arbeidsgiveravgift).")


def nursing_sentences(r: du.NursingHomeResult, p: du.NursingHomeParams, shared: du.SharedParams,
                      growth: pd.DataFrame) -> list[str]:
    """What the nursing-home result means, in plain Norwegian."""
    out = [f"Normen gir {_n(r.required_hours, 1)} legetimer per uke for {_n(r.places)} sykehjemsplasser, det vil si "
           f"{_n(r.required_fte, 2)} årsverk med {_n(shared.felles_hours_per_fte, 1)} timer per årsverk."]
    position = fmt.percent(r.fte_per_doctor, 0) if p.sh_current_doctors > 0 else None
    who = f", fordelt på {_n(p.sh_current_doctors)} leger (i snitt {position} stilling)" if position else ""
    if r.gap_fte > 0.005:
        out.append(f"I dag er det {_n(r.current_fte, 2)} legeårsverk{who}. Det mangler {_n(r.gap_fte, 2)} årsverk, "
                   f"som koster om lag {_kr(r.gap_cost)} i året med {_kr(shared.felles_fte_cost)} per årsverk.")
    elif r.gap_fte < -0.005:
        out.append(f"I dag er det {_n(r.current_fte, 2)} legeårsverk{who}: {_n(-r.gap_fte, 2)} årsverk mer enn "
                   "normen krever.")
    else:
        out.append(f"I dag er det {_n(r.current_fte, 2)} legeårsverk{who}, akkurat det normen krever.")
    if r.places > 0:
        out.append(f"Dagens bemanning gir {_n(r.hours_per_place_now, 2)} legetimer per plass per uke, normen "
                   f"{_n(r.hours_per_place_norm, 2)}. Landsgjennomsnittet var {_n(du.NATIONAL_HOURS_2020, 2)} timer "
                   "per beboer per uke i 2020 (Helsedirektoratet).")
    last = growth.iloc[-1]
    if p.sh_new_long_term or p.sh_new_short_term:
        out.append(f"Med {_n(p.sh_new_long_term)} nye langtidsplasser og {_n(p.sh_new_short_term)} nye "
                   f"korttidsplasser i året fra {p.sh_plan_from} trengs {_n(last['required_fte'], 2)} årsverk i "
                   f"{int(last['year'])}, {_n(last['required_fte'] - r.required_fte, 2)} flere enn normen gir i dag.")
    else:
        out.append("Ingen nye plasser er lagt inn; bruk «Planlagte nye plasser» for å se hvordan behovet vokser.")
    return out


# --- legevakt ---------------------------------------------------------------------------------------

def legevakt_tiles(r: du.LegevaktResult, p: du.LegevaktParams) -> None:
    """Tiles: shifts per GP per period and per month, GPs on duty, salaried FTE."""
    cols = st.columns(4)
    none = "ingen leger igjen"
    with cols[0]:
        st.metric(f"Vakter per lege per {p.vakt_period_months} mnd.",
                  _n(r.shifts_per_gp, 1) if r.shifts_per_gp is not None else none, border=True)
    with cols[1]:
        st.metric("Vakter per lege per måned",
                  _n(r.shifts_per_gp_month, 2) if r.shifts_per_gp_month is not None else none, border=True,
                  help=f"Omtrent {_n(r.hours_per_gp_month or 0.0, 1)} vakttimer per fastlege per måned.")
    with cols[2]:
        st.metric("Fastleger som går vakt", _n(r.active_gps, 1), border=True,
                  help="Vaktpliktige fastleger minus dem med fritak.")
    with cols[3]:
        st.metric("Fast ansatte legeårsverk", _n(r.salaried_fte, 1), border=True)


def legevakt_sentences(r: du.LegevaktResult, p: du.LegevaktParams, series: pd.DataFrame, shares: pd.DataFrame,
                       setup) -> list[str]:
    """What the legevakt result means, in plain Norwegian."""
    out = [f"Fastlegene skal fylle {_n(r.slots)} legevakter per periode på {p.vakt_period_months} måneder "
           f"({_n(r.gp_hours)} legetimer). Av {_n(p.vakt_dutybound_gps)} vaktpliktige har "
           f"{fmt.percent(p.vakt_exemption_share, 0)} fritak, så {_n(r.active_gps, 1)} leger deler vaktene."]
    if r.shifts_per_gp is not None:
        out.append(f"Det blir {_n(r.shifts_per_gp, 1)} vakter per lege per periode, {_n(r.shifts_per_gp_month, 2)} "
                   f"per måned – om lag {_n(r.hours_per_gp_month, 1)} timer i måneden ved siden av listen.")
    higher = series[series["exemption_share"] >= p.vakt_exemption_share + 0.1 - 1e-9]
    if not higher.empty and r.shifts_per_gp_month:
        h = higher.iloc[0]
        out.append(f"Får {fmt.percent(h['exemption_share'], 0)} fritak, øker det til {_n(h['shifts_per_gp_month'], 2)} "
                   f"vakter per lege per måned ({fmt.percent(h['shifts_per_gp_month'] / r.shifts_per_gp_month - 1, 0)} "
                   "mer).")
    out.append(f"Fastlegenes vakter tilsvarer {_n(r.gp_duty_fte, 2)} legeårsverk, i tillegg til "
               f"{_n(r.salaried_fte, 1)} fast ansatte årsverk.")
    host = shares.iloc[0]
    if len(shares) > 1:
        out.append(f"Legevakten koster {_kr(r.total_cost)} i året (fast ansatte leger og andre kostnader). Fordelt "
                   f"etter innbyggertall betaler {host['kommune']} {fmt.percent(host['share'], 1)} = {_kr(host['kr'])}; "
                   f"{_n(shares['population'].sum())} innbyggere i alt (1.1.{setup.population_year}).")
    else:
        out.append(f"Legevakten koster {_kr(r.total_cost)} i året. Velg samarbeidskommuner over for å fordele "
                   "kostnaden etter innbyggertall.")
    if setup.stavanger is not None:
        c = setup.stavanger
        out.append(f"Stavanger: temaplanen oppgir {c.dutybound_low}–{c.dutybound_high} fastleger som går vakt i hver "
                   f"periode; her brukes midten, {c.dutybound_mid}, og ingen ekstra fritak. Befolkningen i "
                   f"distriktet var {_n(shares['population'].sum())} ifølge SSB (dokumentet: ca. "
                   f"{_n(c.population_served)}). Antall vakter og leger per vakt står ikke i dokumentet.")
    return out


# --- helsestasjon ------------------------------------------------------------------------------------

def health_station_tiles(r: du.HealthStationResult) -> None:
    """Tiles: FTE, doctors, average position, fastleger's weekly hours there."""
    cols = st.columns(4)
    with cols[0]:
        st.metric("Legeårsverk", _n(r.fte, 1), border=True)
    with cols[1]:
        st.metric("Leger", _n(r.doctors), border=True)
    with cols[2]:
        st.metric("Snitt stilling per lege", fmt.percent(r.fte_per_doctor, 0), border=True,
                  help=f"Om lag {_n(r.hours_per_doctor, 1)} timer per uke per lege.")
    with cols[3]:
        st.metric("Fastlegetimer i bistilling per uke", _n(r.bistilling_hours, 1), border=True)


def health_station_sentences(r: du.HealthStationResult, p: du.HealthStationParams, setup) -> list[str]:
    """What the health-station figures mean."""
    out = [f"{_n(r.doctors)} leger deler {_n(r.fte, 1)} årsverk: i snitt {fmt.percent(r.fte_per_doctor, 0)} stilling, "
           f"om lag {_n(r.hours_per_doctor, 1)} timer i uken per lege.",
           f"Med {fmt.percent(p.hs_bistilling_share, 0)} i bistilling bruker fastlegene {_n(r.bistilling_hours, 1)} "
           "timer i uken på helsestasjonene – timer som ellers kunne gått til listene."]
    if setup.stavanger is not None:
        out.append("Stavanger: temaplanen regner i tillegg «1 årsverk totalt» til legetjenesten i skolehelsetjenesten; "
                   "det går ikke fram om det er med i de 4,8 årsverkene, så det er ikke lagt til.")
    return out


# --- samlet ---------------------------------------------------------------------------------------

def total_tiles(link: du.CapacityLink, lb: du.ListBase | None) -> None:
    """Tiles: moved hours and FTE, change in list places, free places and reserve capacity after."""
    cols = st.columns(4)
    with cols[0]:
        st.metric("Timer flyttet fra listene per uke", _n(link.moved_hours, 1), border=True,
                  help=f"= {_n(link.moved_fte, 2)} årsverk.")
    with cols[1]:
        components.change_metric("Endring i listeplasser", _n(link.places_change, 0, sign=True), None,
                                 help="Endring i sum listetak.")
    if lb is None:
        with cols[2]:
            st.metric("Ledige listeplasser", "ikke tilgjengelig", border=True,
                      help="SSB har ikke fastlegetall for kommunen for siste år.")
        return
    with cols[2]:
        components.change_metric(f"Ledige listeplasser ({lb.year})", _n(link.free_after),
                                 link.free_after - link.free_before, " fra i dag")
    with cols[3]:
        components.change_metric("Reservekapasitet", _n(link.reserve_after, 1),
                                 (link.reserve_after or 0.0) - (link.reserve_before or 0.0), " fra i dag", decimals=1,
                                 help="Sum listetak / pasienter på lister med lege × 100, som på Fastlegekapasitet.")


def total_sentences(link: du.CapacityLink, nh: du.NursingHomeResult, p: du.TotalParams, shared: du.SharedParams,
                    setup, ssb: du.SsbListLength | None) -> list[str]:
    """What moving hours means for the lists, in plain Norwegian."""
    rate = shared.felles_places_per_hour
    out = [f"Én times kommunalt arbeid per uke fortrenger {_n(rate, 2)} listeplasser (spaken «Listeplasser per "
           "ukentlig time»)."]
    if p.sum_cover_gap:
        out.append(f"Sykehjemsgapet på {_n(max(nh.gap_fte, 0.0), 2)} årsverk dekkes av fastleger i bistilling: "
                   f"{_n(max(nh.gap_fte, 0.0) * shared.felles_hours_per_fte, 1)} timer per uke.")
    lb = setup.list_base
    if lb is not None and link.reserve_before is not None:
        out.append(f"Utgangspunktet er det samme som på Fastlegekapasitet ({lb.label}): {_n(lb.lists_with_gp)} lister "
                   f"med lege, {_n(link.free_before)} ledige plasser og reservekapasitet {_n(link.reserve_before, 1)}.")
    if abs(link.moved_hours) < 1e-9:
        out.append("Ingen timer er flyttet. Flytt timer eller slå på «Dekk sykehjemsgapet med bistillinger».")
    else:
        out.append(f"{_n(link.moved_hours, 1)} timer per uke ({_n(link.moved_fte, 2)} årsverk) flyttet fra listene gir "
                   f"{_n(link.places_change, 0, sign=True)} listeplasser.")
        if link.free_after is not None and setup.list_base is not None:
            out.append(f"Ledige plasser går fra {_n(link.free_before)} til {_n(link.free_after)}, og "
                       f"reservekapasiteten fra {_n(link.reserve_before, 1)} til {_n(link.reserve_after, 1)} "
                       f"({setup.list_base.label}).")
    if ssb is not None:
        out.append(f"SSB {ssb.year}: gjennomsnittlig listelengde {_n(ssb.avg_list_length)}, korrigert for kommunale "
                   f"timer {_n(ssb.adjusted)}. Forskjellen, {_n(ssb.difference)} pasienter per lege, svarer med satsen "
                   f"over til om lag {_n(ssb.hours_per_gp(rate), 1)} timer kommunalt arbeid per fastlege per uke.")
    return out


def capacity_page_link(link: du.CapacityLink, setup) -> None:
    """The same change as a lever on Fastlegekapasitet, with a link that sets it."""
    if link.cap_change_per_list is None or setup.list_base is None or abs(link.moved_hours) < 1e-9:
        return
    per_list = int(round(link.cap_change_per_list))
    url = f"/kapasitet?kommune={setup.knr}&start={setup.capacity_start}&cap_change={per_list}"
    year = setup.list_base.year
    st.markdown(f"På Fastlegekapasitet tilsvarer dette «Endring i listetak per liste» = {_n(per_list, 0, sign=True)} "
                f"({_n(link.cap_change_per_list, 1, sign=True)} før avrunding) for {_n(setup.list_base.lists_with_gp)} "
                f"lister med lege. [Åpne Fastlegekapasitet med denne endringen]({url}) – den gjelder fra året etter "
                f"{year}.")
    st.caption(f"Kilde: {setup.list_base.source}; Legeplans kapasitetsmodell (docs/fastlegekapasitet.md)")
