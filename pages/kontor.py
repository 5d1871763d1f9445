"""Kontorstruktur: compare ways to organise the GP offices – cost per patient and per consultation,
and how often an office must close. Offices → models → comparison, vulnerability, the three concerns."""

import streamlit as st

from core import fmt, office_charts
from core import offices as of
from core.i18n import N_, t
from ui import components, export_view, meeting_kontor, shell
from ui import kontor_view as ui
from ui import levers as lever_ui

knr, name = shell.enter()
meeting_kontor.hook(knr, name)  # ?mote=1: tiles, chart and the picked levers on one screen, then stop

st.title(t("Kontorstruktur – {name}", name=name))
st.caption(t("Sammenlign måter å organisere fastlegekontorene på: kostnad per listepasient og per konsultasjon, "
             "og hvor ofte et kontor må stenge fordi ingen fastlege er til stede."))

source = ui.source_picker(knr, name)
start = ui.start(source, knr)
scope = f"{knr}:{source}"

absence = lever_ui.panel(of.AbsenceParams, of.AbsenceParams(), scope="kontor", header=N_("Fravær per fastlege"),
                         reset_label=N_("Tilbakestill fraværet"), layout=lever_ui.FLAT)
meeting_kontor.sidebar()

st.subheader(t("Kontorene i dag"))
st.caption(t("Skriv inn eller endre tallene direkte i tabellen; legg til et kontor på den tomme raden nederst. "
             "Kostnader er kroner per år."))
table = ui.office_editor(start.table, scope)
st.caption(t("Kilde: {source}; endringer i tabellen er brukerens egne", source=t(start.source)) if start.case
           else t("Kilde: {source}", source=t(start.source)))
if start.notes:
    st.markdown("\n".join(f"- {n}" for n in start.notes))
offices, problems = of.parse_offices(table)
ui.show_problems(problems)
if not offices:
    st.info(t("Skriv inn minst ett kontor med navn i tabellen, så vises kostnader og sårbarhet her."))
    st.stop()

st.subheader(t("Alternativer"))
ui.models(scope, start.models)
ui.model_list(scope)
if len(offices) >= 2:
    ui.merger_form(scope, offices)
models = (of.Model(t(of.TODAY), source=start.source), *st.session_state[ui.models_key(scope)])
comparison, model_messages = of.compare(offices, models, absence)
per_office, _ = of.model_offices(offices, models, absence)
for message in dict.fromkeys(model_messages):
    st.warning(message, icon="⚠️")
model_source = "; ".join(dict.fromkeys(t(s) for s in [start.source] + [m.source for m in models[1:]]))

st.subheader(t("Modellene side om side"))
ui.tiles(comparison, absence)
ui.example_note(absence)
st.markdown("\n".join(f"- {s}" for s in ui.sentences(comparison, per_office, absence)))
check = (of.conclusion_check(comparison, start.case.models[0].name) if start.case is not None and start.case.models
         else None)
if check is not None:
    st.info(ui.conclusion(check, absence), icon=":material/gavel:")
components.chart(office_charts.unit_cost_chart(comparison), model_source,
                 t("Stolpediagram: kostnad per listepasient og per konsultasjon for hver modell, hele kroner."),
                 key="kontor_unit_cost")
st.dataframe(ui.comparison_table(comparison), hide_index=True, width="stretch")
st.caption(t("Kilde: {source}. Kostnad per listepasient og per konsultasjon er avrundet til hele kroner, slik "
             "Øyer-dokumentet gjør.", source=model_source))
with st.expander(t("Hvert kontor i hver modell")):
    st.dataframe(ui.office_table(per_office), hide_index=True, width="stretch")
    st.caption(t("Kilde: {source}", source=model_source))

st.subheader(ui.closed_label(t("Sårbarhet: stengte kontordager"), absence))
components.chart(office_charts.closed_days_chart(per_office, example=bool(of.absence_examples(absence))),
                 t("{source}; fravær: spakene i sidepanelet (eksempelverdier)", source=model_source),
                 t("Liggende stolper: forventet antall arbeidsdager per år da kontoret må stenge fordi ingen "
                   "fastlege er til stede, per modell og kontor."), key="kontor_closed")
st.info(t(
    "**Slik er det regnet:** Hver fastlege er borte {absence} av {working} arbeidsdager ({share}), og en lege i "
    "deltid er bare på kontoret sin andel av dagene. Fastlegeårsverkene fordeles likt på legene på kontoret. "
    "**Vi antar at legene er borte uavhengig av hverandre** – i praksis kan et kontor legge ferie og kurs slik at "
    "de ikke overlapper, og da stenger det sjeldnere enn her. En LIS1 kan ikke jobbe alene og holder derfor ikke "
    "kontoret åpent. Tallene er forventede dager, regnet eksakt (ikke simulert).",
    absence=absence.absence_days, working=absence.working_days, share=fmt.percent(absence.absence_share, 0)),
    icon=":material/info:")

st.subheader(t("Tre hensyn side om side"))
st.caption(t("Øyer-dokumentet veier medisinsk faglig kvalitet, økonomi og nærhet. Her står fakta side om side, "
             "uten poeng eller vekter. Reiseavstand er ikke regnet inn."))
st.dataframe(ui.concerns(comparison, absence), hide_index=True, width="stretch")
st.caption(t("Kilde: {source}; sårbarhet: spakene i sidepanelet", source=model_source))

if start.case is not None:
    with st.expander(t("Kontroll: Øyer-dokumentets tall mot Legeplans utregning")):
        st.dataframe(ui.document_check(start.case, per_office), hide_index=True, width="stretch")
        st.caption(t("Kilde: {source}. Dokumentets innsparing står som «litt over kr 1 000`» (tusen kroner); "
                     "forskjellen mellom tabellene er {diff}. Kolonnen «Pr. pasient» i konsultasjonstabellene er "
                     "kostnad per konsultasjon.", source=t(start.case.source),
                     diff=fmt.kroner(sum(m.unallocated_saving for m in start.case.models[0].mergers))))

st.subheader(t("Lagre"))
ui.save_box(knr, name, table, scope)
st.caption(t("Metoden er beskrevet i docs/kontorstruktur.md."))

export_view.offer("kontor", knr, name, comparison, per_office, absence, model_source, start.source)  # eksport
