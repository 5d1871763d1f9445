"""Fastlegekapasitet: how many hjemler do we need, and when? Levers → model → charts and table."""

import streamlit as st

from core import capacity as cap
from core import catalog, demography, fmt
from core.i18n import t
from ui import (
    capacity_slides,
    capacity_view,
    components,
    economy_view,
    export_view,
    loaders,
    meeting_capacity,
    narrative,
    shell,
    specs,
    state,
)
from ui import levers as lever_ui

knr, name = shell.enter()
capacity_slides.hook(knr, name)  # ?presentasjon=1: slides, then stop
meeting_capacity.hook(knr, name)  # ?mote=1: tiles, chart and the picked levers on one screen, then stop

st.title(t("Fastlegekapasitet – {name}", name=name))
st.caption(t("Tilbud og etterspørsel etter fastlegeplasser år for år. Flytt spakene i sidepanelet; "
             "alt oppdateres med en gang, og lenken i adressefeltet gjenskaper scenarioet."))

start = capacity_view.starting_point_picker(knr, name)
base = loaders.starting_point(start, knr)
if base is None:
    state.show_messages()
    st.info(t("SSB har ikke publisert fastlegetall for {name} for siste år (tabell 12005), så det finnes "
              "ikke noe utgangspunkt å regne fra. Velg et referansecase over.", name=name))
    st.stop()

defaults = loaders.capacity_defaults(base)
meeting_capacity.sidebar()
params = lever_ui.panel(
    cap.CapacityParams, defaults, scope=f"{start}:{base.kommunenummer}",
    bounds=cap.lever_bounds(base, defaults),  # ranges fitted to the kommune, years from the base year
    expanded=lambda group: group != cap.G_RATES,
    options_labels={key: t(label) for key, label in demography.ALTERNATIVES.items()},
    notes={cap.G_LEGER: base.turnover_note}, fit=lambda p: cap.fit_to_base(p, base))

result = loaders.capacity_result(base, params)
first, last = result.iloc[0], result.iloc[-1]
y0, y1 = int(first["year"]), int(last["year"])

capacity_view.capacity_tiles(base, params, result)
st.markdown(f"**{t('Hva koster endringene i hjemler, leger og listetak for kommunen?')}**")
priced = economy_view.capacity_cost_tiles(loaders.capacity_result(base, cap.without_supply_changes(params, defaults)),
                                 result)
st.markdown("\n".join(f"- {s}" for s in narrative.describe(base, params, defaults, result)))

chart_specs = specs.capacity_charts(base, params)
st.subheader(t("Kapasitet og listepasienter"))
components.chart(chart_specs["capacity"], capacity_view.capacity_source(base, params),
                 t("Linjediagram {first}–{last}: sum listetak (plasser på lister med lege) mot alle listepasienter; "
                   "grønt felt er plasser ut over alle listepasientene, oransje er listepasienter uten plass, også de "
                   "på lister uten lege. Stiplet linje: pasienter på lister med lege.", first=y0, last=y1),
                 key="cap_main")
left, right = st.columns(2)
with left:
    st.markdown(f"**{t('Dekning mot målet')}**")
    components.chart(chart_specs["coverage"], capacity_view.capacity_source(base, params),
                     t("Linjediagram {first}–{last}: dekning (plasser på lister med lege per listepasient × 100) mot "
                       "målet {target}, og SSBs reservekapasitet, som bare teller pasienter på lister med lege, som "
                       "tynn stiplet linje.", first=y0, last=y1, target=fmt.number(params.target_reserve)),
                     key="cap_coverage")
with right:
    st.markdown(f"**{t('Pasienter uten fastlege')}**")
    if result["patients_without_gp"].max() < 0.5:
        st.info(t("Ingen pasienter står uten fastlege i {first}–{last} i dette scenarioet.", first=y0, last=y1))
    else:
        components.chart(chart_specs["without_gp"], capacity_view.capacity_source(base, params),
                         t("Stolpediagram: pasienter uten fastlege (på lister uten lege) per år."), key="cap_without")

st.subheader(t("År for år"))
st.dataframe(capacity_view.capacity_table(result, priced), hide_index=True, width="stretch")
st.caption(t("Kilde: {source}", source=capacity_view.capacity_source(base, params)))

national = components.lazy_expander(t("Alle kommuner med uendret tilbud (nasjonal oversikt)"), key="kap_nasjonal")
if national.open:  # a 357-row table: built only while open
    with national:
        st.caption(t("Hver kommune fra egen SSB-statistikk {year}, uten nye hjemler og med dagens listetak, til "
                     "{horizon}, med samme befolkningsframskriving og mål. Lavest dekning først.",
                     year=loaders.latest_year(), horizon=params.horizon))
        st.dataframe(capacity_view.national_table(params.horizon, params.target_reserve, params.alternative, knr),
                     hide_index=True, width="stretch")
        st.caption(t("Kilde: {lists}; befolkning: {population} (for alle kommuner, også der SSB har en egen)",
                     lists=catalog.SSB_12005, population=loaders.demography_source(knr, own=True)))

assumptions = components.lazy_expander(t("Forutsetninger og kilder"), key="kap_forutsetninger")
if assumptions.open:
    with assumptions:
        components.table(lever_ui.assumptions_table(params, defaults))
        st.caption(t("Metoden er beskrevet i docs/fastlegekapasitet.md."))

export_view.offer("kapasitet", knr, name, base, params, defaults, result, priced, chart_specs)
