"""Tiles, plain-Norwegian sentences and source lines for Kommunale legeoppgaver."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import duties as du
from core.i18n import BOKMAAL, maalform, t
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
    base = t("normer: Legeforeningens utkast 2002 (demens og aldershjem: eksempel); kostnad per årsverk: "
             "Økonomi-siden (eksempelverdier); Legeplans sykehjemsmodell")
    if setup.stavanger is not None:
        return t("{doc} (plasser og legeårsverk); langtidsnormen: Legeplans antakelse som gjenskaper "
                 "+{added} årsverk; {base}", doc=du.STAVANGER_DOC, added=_n(setup.stavanger.added_fte, 2),
                 base=base)
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
    """The Stavanger case: what the document says, what is missing, and which values reproduce +5,21."""
    norm = params.sh_norm_long_term
    hours = (case.long_term * norm + case.short_term * params.sh_norm_short_term) / 60.0
    facts = t("**Stavanger 2023.** {homes} sykehjem, {places} plasser, av dem {short} korttidsplasser; "
              "{aldershjem} aldershjemsplasser; {fte} legeårsverk fordelt på {doctors} leger. Formannskapet "
              "vedtok 15.06.2023 en ny norm som «vil innebære en økning på {added} legeårsverk».",
              homes=case.nursing_homes, places=_n(case.places), short=case.short_term,
              aldershjem=case.aldershjem, fte=_n(case.current_fte, 2), doctors=case.doctors,
              added=_n(case.added_fte, 2))
    assumed = t("**Normtabellen mangler i temaplanens tekst** («kommunens nye, veiledende normering er som "
                "følger:» står uten tabell). Legeplan kjenner derfor ikke Stavangers norm. For å gjenskape "
                "+5,21 antar Legeplan: {long} langtidsplasser (1 011 − 213) med **{norm} minutter** per plass "
                "per uke (løst ut av regnestykket), {short} korttidsplasser med **{short_norm} minutter** "
                "(Legeforeningen 2002), aldershjemsplassene utenfor normen (0 minutter) og **{per_fte} timer** "
                "per årsverk. Da blir behovet {hours} timer per uke = {fte} årsverk. Dette er Legeplans "
                "antakelser, ikke Stavangers vedtatte norm.",
                long=_n(case.long_term), norm=_n(norm, 2), short=case.short_term,
                short_norm=_n(params.sh_norm_short_term, 0), per_fte=_n(shared.felles_hours_per_fte, 1),
                hours=_n(hours, 1), fte=_n(hours / shared.felles_hours_per_fte, 2))
    st.info(f"{facts}\n\n{assumed}", icon=":material/info:")


def nursing_tiles(r: du.NursingHomeResult, shared: du.SharedParams) -> None:
    """Tiles: required FTE, today's FTE, the gap and its yearly cost."""
    cols = st.columns(4)
    with cols[0]:
        st.metric(t("Legeårsverk etter normen"), _n(r.required_fte, 2), border=True,
                  help=t("{hours} legetimer per uke / {per_fte} timer per årsverk.", hours=_n(r.required_hours, 1),
                         per_fte=_n(shared.felles_hours_per_fte, 1)))
    with cols[1]:
        st.metric(t("Legeårsverk i dag"), _n(r.current_fte, 2), border=True)
    with cols[2]:
        components.change_metric(t("Gap mot normen (årsverk)"), _n(r.gap_fte, 2, sign=True), None,
                                 help=t("Årsverk etter normen minus årsverk i dag."))
    with cols[3]:
        label = t("Kostnad av gapet per år") if r.gap_cost >= 0 else t("Kostnad ut over normen per år")
        st.metric(label, _mill(abs(r.gap_cost)), border=True,
                  help=t("{cost}: gapet × {per_fte} per årsverk (lønn med pensjon og arbeidsgiveravgift).",
                         cost=_kr(abs(r.gap_cost)), per_fte=_kr(shared.felles_fte_cost)))


def nursing_sentences(r: du.NursingHomeResult, p: du.NursingHomeParams, shared: du.SharedParams,
                      growth: pd.DataFrame) -> list[str]:
    """What the nursing-home result means, in plain Norwegian."""
    out = [t("Normen gir {hours} legetimer per uke for {places} sykehjemsplasser, det vil si {fte} årsverk med "
             "{per_fte} timer per årsverk.", hours=_n(r.required_hours, 1), places=_n(r.places),
             fte=_n(r.required_fte, 2), per_fte=_n(shared.felles_hours_per_fte, 1))]
    position = fmt.percent(r.fte_per_doctor, 0) if p.sh_current_doctors > 0 else None
    who = (t(", fordelt på {doctors} leger (i snitt {position} stilling)", doctors=_n(p.sh_current_doctors),
             position=position) if position else "")
    fte = _n(r.current_fte, 2)
    if r.gap_fte > 0.005:
        out.append(t("I dag er det {fte} legeårsverk{who}. Det mangler {gap} årsverk, som koster om lag {cost} i "
                     "året med {per_fte} per årsverk.", fte=fte, who=who, gap=_n(r.gap_fte, 2),
                     cost=_kr(r.gap_cost), per_fte=_kr(shared.felles_fte_cost)))
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

def legevakt_tiles(r: du.LegevaktResult, p: du.LegevaktParams) -> None:
    """Tiles: shifts per GP per period and per month, GPs on duty, salaried FTE."""
    cols = st.columns(4)
    none = t("ingen leger igjen")
    with cols[0]:
        st.metric(t("Vakter per lege per {months} mnd.", months=p.vakt_period_months),
                  _n(r.shifts_per_gp, 1) if r.shifts_per_gp is not None else none, border=True)
    with cols[1]:
        st.metric(t("Vakter per lege per måned"),
                  _n(r.shifts_per_gp_month, 2) if r.shifts_per_gp_month is not None else none, border=True,
                  help=t("Omtrent {hours} vakttimer per fastlege per måned.", hours=_n(r.hours_per_gp_month or 0.0, 1)))
    with cols[2]:
        st.metric(t("Fastleger som går vakt"), _n(r.active_gps, 1), border=True,
                  help=t("Vaktpliktige fastleger minus dem med fritak."))
    with cols[3]:
        st.metric(t("Fast ansatte legeårsverk"), _n(r.salaried_fte, 1), border=True)


def legevakt_sentences(r: du.LegevaktResult, p: du.LegevaktParams, series: pd.DataFrame, shares: pd.DataFrame,
                       setup) -> list[str]:
    """What the legevakt result means, in plain Norwegian."""
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
    if len(shares) > 1:
        out.append(t("Legevakten koster {cost} i året (fast ansatte leger og andre kostnader). Fordelt etter "
                     "innbyggertall betaler {host} {share} = {kr}; {population} innbyggere i alt (1.1.{year}).",
                     cost=_kr(r.total_cost), host=host["kommune"], share=fmt.percent(host["share"], 1),
                     kr=_kr(host["kr"]), population=_n(shares["population"].sum()), year=setup.population_year))
    else:
        out.append(t("Legevakten koster {cost} i året. Velg samarbeidskommuner over for å fordele kostnaden etter "
                     "innbyggertall.", cost=_kr(r.total_cost)))
    if setup.stavanger is not None:
        c = setup.stavanger
        out.append(t("Stavanger: temaplanen oppgir {low}–{high} fastleger som går vakt i hver periode; her brukes "
                     "midten, {mid}, og ingen ekstra fritak. Befolkningen i distriktet var {population} ifølge SSB "
                     "(dokumentet: ca. {served}). Antall vakter og leger per vakt står ikke i dokumentet.",
                     low=c.dutybound_low, high=c.dutybound_high, mid=c.dutybound_mid,
                     population=_n(shares["population"].sum()), served=_n(c.population_served)))
    return out


# --- helsestasjon ------------------------------------------------------------------------------------

def health_station_tiles(r: du.HealthStationResult) -> None:
    """Tiles: FTE, doctors, average position, fastleger's weekly hours there."""
    cols = st.columns(4)
    with cols[0]:
        st.metric(t("Legeårsverk"), _n(r.fte, 1), border=True)
    with cols[1]:
        st.metric(t("Leger"), _n(r.doctors), border=True)
    with cols[2]:
        st.metric(t("Snitt stilling per lege"), fmt.percent(r.fte_per_doctor, 0), border=True,
                  help=t("Om lag {hours} timer per uke per lege.", hours=_n(r.hours_per_doctor, 1)))
    with cols[3]:
        st.metric(t("Fastlegetimer i bistilling per uke"), _n(r.bistilling_hours, 1), border=True)


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

def total_tiles(link: du.CapacityLink, lb: du.ListBase | None) -> None:
    """Tiles: moved hours and FTE, change in list places, free places and reserve capacity after."""
    cols = st.columns(4)
    with cols[0]:
        st.metric(t("Timer flyttet fra listene per uke"), _n(link.moved_hours, 1), border=True,
                  help=t("= {fte} årsverk.", fte=_n(link.moved_fte, 2)))
    with cols[1]:
        components.change_metric(t("Endring i listeplasser"), _n(link.places_change, 0, sign=True), None,
                                 help=t("Endring i sum listetak."))
    if lb is None:
        with cols[2]:
            st.metric(t("Ledige listeplasser"), t("ikke tilgjengelig"), border=True,
                      help=t("SSB har ikke fastlegetall for kommunen for siste år."))
        return
    since = t(" fra i dag")
    with cols[2]:
        components.change_metric(t("Ledige listeplasser ({year})", year=lb.year), _n(link.free_after),
                                 link.free_after - link.free_before, since)
    with cols[3]:
        components.change_metric(t("Reservekapasitet"), _n(link.reserve_after, 1),
                                 (link.reserve_after or 0.0) - (link.reserve_before or 0.0), since, decimals=1,
                                 help=t("Sum listetak / pasienter på lister med lege × 100, som på "
                                        "Fastlegekapasitet."))


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
