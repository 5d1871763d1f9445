"""Økonomi: what one hjemmel costs the kommune – næringsdrift, fastlønn or mixed. Levers → model → charts."""

import streamlit as st

from core import economy as eco
from ui import components, fmt, shell, state
from ui import economy_view as view
from ui import levers as lever_ui

knr, name = shell.enter()

st.title(f"Økonomi – {name}")
st.caption("Hva én fastlegehjemmel koster kommunen i året ved næringsdrift, fastlønn eller blandet drift. "
           "Flytt spakene i sidepanelet; lenken i adressefeltet gjenskaper regnestykket.")

case, period_key = view.pickers()
period = eco.PERIODS[period_key]
defaults = view.init_levers(case, period_key)
view.sidebar(defaults)
params = view.read_params(defaults, period_key)
state.show_messages()

st.info("Lønn, pensjon, lokaler, hjelpepersonell og vikar har ingen offentlig kilde. Spakene starter på "
        "eksempelverdier som er merket slik – skriv inn kommunens egne tall før tallene brukes i en sak.",
        icon=":material/edit_note:")

if case == "alver_2021":
    st.subheader("Alver 2021: ny 100 % kommunal fastlege")
    st.markdown(
        "Kommunalsjefen foreslo 04.11.2021 «ein ny 100 % kommunal fastlege, finansiert i hovudsak via "
        "behandlingsinntekt frå HELFO». Alver hadde 26 hjemler, sum listetak 29 400, 779 på venteliste og "
        "417 ledige plasser. Regnestykket under viser hvilken listelengde og hvilket konsultasjonsvolum som "
        "gjør hjemmelen selvfinansierende med satsene fra 1.7.2021, og hva en langsommere opptrapping koster.")
    st.caption("Kilde: Alver kommune, notat «Auka kapasitet prosjekt og legeressurs» 04.11.2021 "
               "(data/reference_cases.csv)")

st.subheader(f"Én hjemmel med {fmt.number(params.list_length)} pasienter")
st.caption(f"Satser: {period.label}.")
view.tiles(params, period)
st.markdown("\n".join(f"- {s}" for s in view.explain(params, period)))

st.subheader("Netto kostnad etter listelengde")
components.chart(view.curve_spec(params, period_key), view.source_line(period),
                 "Linjediagram: netto kostnad per år for kommunen mot antall pasienter på listen, for "
                 "næringsdrift, fastlønn og blandet drift; stiplede linjer markerer balansepunktene og "
                 "valgt listelengde.", key="eco_curve")

left, right = st.columns(2)
with left:
    st.markdown("**Regnestykket for fastlønn**")
    st.dataframe(view.fastlonn_table(params, period), hide_index=True, width="stretch", height=13 * 35 + 3)
    st.caption(f"Kilde: {view.source_line(period)}")
with right:
    st.markdown(f"**Opptrapping: {fmt.number(params.months_to_full)} måneder til full liste**")
    components.chart(view.ramp_spec(params, period_key), view.source_line(period),
                     "Stolpediagram: netto kostnad per driftsår mens listen fylles, etter driftsform.",
                     key="eco_ramp")
with st.expander("Opptrappingen som tabell"):
    st.dataframe(view.ramp_table(params, period), hide_index=True, width="stretch")
    st.caption(f"Kilde: {view.source_line(period)}")

st.subheader("Hva betyr mest? Følsomhet for fastlønn")
st.markdown(f"Hver forutsetning endres med ±{fmt.percent(params.sensitivity, 0)} mens de andre står fast. "
            "De lengste stolpene viser hvilke tall kommunen bør kjenne best.")
components.chart(view.tornado_spec(params, period_key), view.source_line(period),
                 "Tornadodiagram: netto kostnad ved fastlønn når hver forutsetning senkes og økes.",
                 key="eco_tornado")
with st.expander("Følsomheten som tabell"):
    st.dataframe(view.tornado_table(params, period), hide_index=True, width="stretch")
    st.caption(f"Kilde: {view.source_line(period)}")

with st.expander("Forutsetninger og kilder"):
    st.dataframe(lever_ui.assumptions_table(params, defaults), hide_index=True, width="stretch")
    st.caption("Kilde: data/sources/parameters.csv (Helfo, KS, Helsedirektoratet, Legeforeningen, "
               "legekontorenes prislister) og SSB; eksempelverdier er merket. Metoden: docs/okonomi.md.")
    st.markdown("**Hvilke satser gjelder når**")
    st.dataframe(view.periods_table(), hide_index=True, width="stretch")
    st.caption("Kilde: data/sources/parameters.csv. Takster og egenandeler reguleres hvert år 1. juli "
               "(fra 1.7.2024: honorartakster +2,3 %, egenandeler +4,35 %, Helfo).")
