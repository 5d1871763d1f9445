"""Kommunale legeoppgaver: sykehjem, legevakt, helsestasjon and the whole doctor-FTE picture."""

import streamlit as st

from core import duties as du
from core import duties_charts as charts
from core.i18n import t
from ui import components, export_view, meeting_legeoppgaver, shell, state
from ui import duties_text as text
from ui import duties_view as view

shell.enter()

knr = state.current_kommune()
name = view.kommune_name(knr)
meeting_legeoppgaver.hook(knr, name)  # ?mote=1: tiles, chart and the picked levers on one screen, then stop
st.title(t("Kommunale legeoppgaver – {name}", name=name))
st.caption(t("Sykehjem, legevakt og helsestasjon: hvor mange legeårsverk trengs, hvor tung vaktbelastningen er, "
             "og hva timer i kommunale bistillinger betyr for fastlegelistene. Lenken gjenskaper alle valg."))

case = view.case_picker(knr)
setup = view.setup(case, knr)
params = view.panel(setup)
meeting_legeoppgaver.sidebar()

shared, nh_p, vakt_p, hs_p, tot_p = (params[c] for c in view.CLASSES)
if case == "egne":
    st.info(t("Plasser, legeårsverk, vakter og leger per vakt starter på eksempelverdier som er merket slik. "
              "Skriv inn kommunens egne tall før tallene brukes i en sak. Normene er Legeforeningens utkast "
              "fra 2002."), icon=":material/edit_note:")

nh = du.nursing_home(nh_p, shared)
growth = du.nursing_home_growth(nh_p, shared, setup.base_year)
vakt = du.legevakt(vakt_p, shared)
hs = du.health_station(hs_p, shared)
hours = du.moved_hours(tot_p, nh, shared)
link = du.capacity_link(hours, shared, setup.list_base)
to_service = "sykehjem" if tot_p.sum_cover_gap and tot_p.sum_moved_hours == 0 else tot_p.sum_moved_to
picture = du.whole_picture(nh, vakt, hs, setup.list_base, link, to_service)

tab_sh, tab_vakt, tab_hs, tab_sum = st.tabs([t("Sykehjem"), t("Legevakt"), t("Helsestasjon"), t("Samlet")])

with tab_sh:
    if setup.stavanger is not None:
        text.stavanger_norm_note(setup.stavanger, nh_p, shared)
    view.lever_block(du.NursingHomeParams, setup.defaults[du.NursingHomeParams], columns=3, setup_=setup)
    norm = du.norm_in_force(setup.stavanger, nh_p)
    nh_examples = view.nursing_examples(setup, nh_p)
    text.nursing_tiles(nh, shared, norm, nh_examples, setup.example_in_force(shared, "felles_fte_cost"))
    cost_example = bool(setup.example_in_force(shared, "felles_fte_cost"))
    st.markdown("\n".join(f"- {s}" for s in text.nursing_sentences(nh, nh_p, shared, growth, setup.stavanger,
                                                                    norm=norm, cost_example=cost_example)))
    src = text.nursing_source(setup)
    # Where the levers' norm is not Legeforeningen's (Stavanger: Legeplan's back-solved one), the charts draw
    # the sourced norm's result beside it, so the assumption is never the only bar or line.
    ref = du.sourced_reference(nh_p, shared)
    ref_growth = du.nursing_home_growth(du.sourced_norm_params(nh_p), shared, setup.base_year) if ref else None

    def heading(label: str) -> str:
        return text.compared_label(label, norm, nh_examples) if ref else text.norm_label(label, norm, nh_examples)

    st.subheader(heading(t("Legeårsverk i dag og etter normen")))
    components.chart(charts.nursing_fte_chart(nh.by_kind, nh.current_fte, ref.by_kind if ref else None, norm), src,
                     text.nursing_chart_description(nh, ref, norm), key="sh_fte_chart")
    view.show_table(view.nursing_table(nh), src)
    st.subheader(heading(t("Behovet når nye plasser kommer")))
    components.chart(charts.growth_chart(growth, ref_growth, norm), src,
                     text.growth_chart_description(growth, ref_growth, norm), key="sh_growth_chart")
    with st.expander(t("År for år")):
        view.show_table(view.growth_table(growth, ref_growth, norm), src)

with tab_vakt:
    partners = view.partner_picker(setup)
    view.lever_block(du.LegevaktParams, setup.defaults[du.LegevaktParams], columns=3, setup_=setup)
    vakt_examples = [lv for lv in setup.example_in_force(vakt_p)
                     if lv.name not in ("vakt_other_cost", "vakt_salaried_doctors")]
    pops = view.populations(tuple([knr, *partners]), setup.population_year)
    shares = du.cost_shares({view.kommune_name(c): pops[c] for c in [knr, *partners]}, vakt.total_cost)
    series = du.exemption_series(vakt_p, shared)
    text.legevakt_tiles(vakt, vakt_p, vakt_examples)
    st.markdown("\n".join(f"- {s}" for s in text.legevakt_sentences(vakt, vakt_p, series, shares, setup,
                                                                     cost_example=cost_example)))
    src = text.legevakt_source(setup)
    left, right = st.columns(2)
    with left:
        shift_examples = [lv for lv in vakt_examples if lv.name.startswith(text.SHIFT_LEVERS)]
        st.markdown(f"**{text.marked(t('Vakter per fastlege når flere får fritak'), shift_examples)}**")
        components.chart(charts.exemption_chart(series, vakt_p.vakt_exemption_share, vakt.shifts_per_gp_month or 0.0),
                         src, t("Linjediagram: vakter per vaktpliktig fastlege per måned mot andelen med fritak, "
                                "valgt andel markert."), key="vakt_exemption_chart")
    with right:
        st.markdown(f"**{t('Kostnadsdeling etter innbyggertall')}**")
        components.chart(charts.shares_chart(shares),
                         t("SSB, folketall 1.1.{year}; {source}", year=setup.population_year, source=src),
                         t("Liggende stolper: hver kommunes andel av legevaktens kostnad."), key="vakt_share_chart")
    view.show_table(view.shifts_table(vakt), src)
    view.show_table(view.shares_table(shares),
                    t("SSB, folketall 1.1.{year} (tabell 07459); {source}", year=setup.population_year, source=src))

with tab_hs:
    view.lever_block(du.HealthStationParams, setup.defaults[du.HealthStationParams], columns=1, setup_=setup)
    text.health_station_tiles(hs, setup.example_in_force(hs_p, "hs_fte", "hs_doctors")
                              + setup.example_in_force(shared, "felles_hours_per_fte"))
    st.markdown("\n".join(f"- {s}" for s in text.health_station_sentences(hs, hs_p, setup)))
    st.caption(t("Kilde: {source}", source=text.health_station_source(setup)))

with tab_sum:
    view.lever_block(du.TotalParams, setup.defaults[du.TotalParams], columns=1, setup_=setup)
    place_examples = setup.example_in_force(shared, "felles_places_per_hour")
    text.total_tiles(link, setup.list_base, place_examples)
    st.markdown("\n".join(f"- {s}" for s in text.total_sentences(link, nh, tot_p, shared, setup,
                                                                  view.ssb_list_length(knr))))
    src = text.total_source(setup)
    st.subheader(t("Legeårsverk etter tjeneste"))
    components.chart(charts.total_chart(picture), src,
                     t("Grupperte liggende stolper: legeårsverk per tjeneste i dag og med de flyttede timene."),
                     key="sum_total_chart")
    view.show_table(view.picture_table(picture), src)
    st.subheader(text.marked(t("Ledige listeplasser når timer flyttes til kommunale oppgaver"), place_examples))
    cap_series = du.capacity_series(shared, setup.list_base, max(2 * abs(hours), 200.0))
    shown = link.free_after if link.free_after is not None else link.places_change
    components.chart(charts.capacity_chart(cap_series, hours, shown, setup.list_base is not None), src,
                     t("Linjediagram: ledige listeplasser mot timer per uke flyttet fra lister til kommunale "
                       "oppgaver; valgt antall timer markert."), key="sum_capacity_chart")
    text.capacity_page_link(link, setup)

with st.expander(t("Forutsetninger og kilder")):
    view.assumptions(params, setup)
    st.caption(t("Kilde: data/sources/parameters.csv (Legeforeningen 2002, Helsedirektoratet, KS), Stavangers "
                 "temaplan 2024–2027 (data/reference_cases.csv), SSB; eksempelverdier er merket. Metoden: "
                 "docs/legeoppgaver.md."))

export_view.offer("legeoppgaver", knr, name, setup, params, nh, growth, picture)  # «Eksporter til saksframlegg»
