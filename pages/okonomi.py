"""Økonomi: what one hjemmel costs the kommune – næringsdrift, fastlønn or mixed. Levers → model → charts."""

import streamlit as st

from core import economy as eco
from core import fmt
from core.i18n import t
from ui import components, export_view, meeting_okonomi, shell
from ui import economy_view as view

knr, name = shell.enter()
meeting_okonomi.hook(knr, name)  # ?mote=1: tiles, chart and the picked levers on one screen, then stop

st.title(t("Økonomi – {name}", name=name))
st.caption(t("Hva én fastlegehjemmel koster kommunen i året ved næringsdrift, fastlønn eller blandet drift. "
             "Flytt spakene i sidepanelet; lenken i adressefeltet gjenskaper regnestykket."))

case, period_key = view.pickers()
period = eco.PERIODS[period_key]
defaults = view.case_defaults(case, period_key)
params = view.panel(defaults, case)
meeting_okonomi.sidebar()

st.info(t("Lønn, pensjon, lokaler, hjelpepersonell og vikar har ingen offentlig kilde. Spakene starter på "
          "eksempelverdier som er merket slik – skriv inn kommunens egne tall før tallene brukes i en sak."),
        icon=":material/edit_note:")

if case == eco.ALVER_CASE:
    st.subheader(t("Alver 2021: ny 100 % kommunal fastlege"))
    st.markdown(t(
        "Kommunalsjefen foreslo 04.11.2021 «ein ny 100 % kommunal fastlege, finansiert i hovudsak via "
        "behandlingsinntekt frå HELFO». Alver hadde 26 hjemler, sum listetak 29 400 (i snitt {n} per hjemmel), "
        "779 på venteliste og 417 ledige plasser, og notatet sier: «{premises}» Regnestykket under bruker "
        "satsene fra 1.7.2021 og en liste på {n} pasienter, og viser om listens inntekter bærer hjemmelen.",
        n=fmt.number(params.list_length), premises=t(view.ALVER_PREMISES)))
    st.caption(t("Kilde: Alver kommune, notat «Auka kapasitet prosjekt og legeressurs» 04.11.2021 "
                 "(data/reference_cases.csv)"))

st.subheader(t("Én hjemmel med {n} pasienter", n=fmt.number(params.list_length)))
st.caption(t("Satser: {period}.", period=t(period.label)))
view.tiles(params, period, case)
st.markdown("\n".join(f"- {s}" for s in view.explain(params, period)))

st.markdown(t("**Inntekt per konsultasjon**"))
st.markdown("\n".join(f"- {s}" for s in view.income_lines(params, period)))
st.caption(view.takst_2ad_note())

if case == eco.ALVER_CASE:
    st.subheader(t("Svar på notatet: bærer listens inntekter den nye fastlegen?"))
    st.markdown("\n".join(f"- {s}" for s in view.alver_lines(params, period)))
    st.caption(t("Kilde: {source}; Alver kommune, notat 04.11.2021", source=view.source_line(period)))

st.subheader(view.chart_heading("curve", t("Netto kostnad etter listelengde"), params, case))
components.chart(view.curve_spec(params, period_key), view.source_line(period),
                 t("Linjediagram: netto kostnad per år for kommunen mot antall pasienter på listen, for "
                   "næringsdrift, fastlønn og blandet drift; stiplede linjer markerer balansepunktene og "
                   "valgt listelengde."), key="eco_curve")

# The calculation table gets the full width: its row labels carry the example marks and the sign's meaning,
# which a half-width column cut off at 1366 px.
st.markdown(t("**Regnestykket for fastlønn**"))
st.dataframe(view.fastlonn_table(params, period, case), hide_index=True, width="stretch", height=13 * 35 + 3,
             column_config={t("Post"): st.column_config.TextColumn(width="large")})
st.caption(t("Kilde: {source}", source=view.source_line(period)))
st.markdown("**" + view.chart_heading("ramp", t("Opptrapping: {months} måneder til full liste",
                                                months=fmt.number(params.months_to_full)), params, case) + "**")
components.chart(view.ramp_spec(params, period_key), view.source_line(period),
                 t("Stolpediagram: netto kostnad per driftsår mens listen fylles, etter driftsform."), key="eco_ramp")
with st.expander(t("Opptrappingen som tabell")):
    st.dataframe(view.ramp_table(params, period), hide_index=True, width="stretch")
    st.caption(t("Kilde: {source}", source=view.source_line(period)))

st.subheader(view.chart_heading("tornado", t("Hva betyr mest? Følsomhet for fastlønn"), params, case))
st.markdown(t("Hver forutsetning endres med ±{pct} mens de andre står fast. De lengste stolpene viser hvilke "
              "tall kommunen bør kjenne best.", pct=fmt.percent(params.sensitivity, 0)))
components.chart(view.tornado_spec(params, period_key), view.source_line(period),
                 t("Tornadodiagram: netto kostnad ved fastlønn når hver forutsetning senkes og økes."),
                 key="eco_tornado")
with st.expander(t("Følsomheten som tabell")):
    st.dataframe(view.tornado_table(params, period), hide_index=True, width="stretch")
    st.caption(t("Kilde: {source}", source=view.source_line(period)))

with st.expander(t("Forutsetninger og kilder")):
    st.dataframe(view.assumptions(params, defaults, case), hide_index=True, width="stretch")
    st.caption(t("Kilde: data/sources/parameters.csv (Helfo, KS, Helsedirektoratet, Legeforeningen, "
                 "legekontorenes prislister) og SSB; eksempelverdier er merket. Metoden: docs/okonomi.md."))
    st.markdown(t("**Hvilke satser gjelder når**"))
    st.dataframe(view.periods_table(), hide_index=True, width="stretch")
    st.caption(t("Kilde: data/sources/parameters.csv. Takster og egenandeler reguleres hvert år 1. juli "
                 "(fra 1.7.2024: honorartakster +2,3 %, egenandeler +4,35 %, Helfo). Egenandelen for én konsultasjon "
                 "på dagtid er grunntaksten alene, ikke snittet; standardverdiene for inntekt er landssnittet "
                 "(Helsedirektoratet, KUHR, og SSB)."))

export_view.offer("okonomi", knr, name, params, defaults, period_key, case)  # «Eksporter til saksframlegg»
