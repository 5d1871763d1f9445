"""Tiltak og prosjekt: the action plan and the improvement project as living registers, shown against
their indicators. Stored registers → editors → timeline, indicator, status summary, downloads."""

import streamlit as st

from core import fmt
from core import tiltak as tk
from core import tiltak_charts as charts
from core.i18n import t
from core.usertext import escape_markdown
from ui import components, shell, state
from ui import tiltak_view as ui

knr, name = shell.enter()

st.title(t("Tiltak og prosjekt – {name}", name=name))
st.caption(t("Tiltaksplanen og forbedringsprosjektet som levende registre: endre i tabellene og trykk «Lagre». "
             "Alt lagres med tidspunkt; lagrer noen andre samtidig, får du beskjed i stedet for at noe overskrives."))
state.show_messages()
ui.show_flash()
today = ui.today()
measures_snap = ui.snapshot(knr, tk.MEASURES)
project_snap = ui.snapshot(knr, tk.PROJECT)
measures, project = measures_snap.rows, project_snap.rows
measure_source = tk.STAVANGER_SOURCE if tk.has_reference(knr, tk.MEASURES) else ""
project_source = tk.ALVER_SOURCE if tk.has_reference(knr, tk.PROJECT) else ""

tab_measures, tab_project, tab_status = st.tabs([t("Tiltak"), t("Prosjekt"), t("Statusrapport")])

with tab_measures:
    st.subheader(t("Tiltaksregister"))
    if measure_source:
        st.caption(t("Startet fra Stavangers tabell 1 «Prioriterte tiltak i anbefalt rekkefølge», med teksten slik "
                     "den står i dokumentet. Status, ansvarlig og mål er ikke oppgitt i dokumentet og må fylles inn."))
    elif not measures:
        st.info(t("Ingen tiltak ennå. Skriv det første tiltaket på den tomme raden nederst i tabellen og trykk "
                  "«Lagre».")
                + (" " + t("Alvers prosjektplan 2021–2024 ligger under fanen «Prosjekt».") if project else ""))
    ui.editor(knr, tk.MEASURES, measures_snap)
    st.caption(ui.stored_caption(measures_snap, measure_source))
    ui.removed_list(knr, tk.MEASURES, measures_snap)
    ui.log_table(knr, tk.MEASURES)

    if measures:
        st.subheader(t("Tidslinje"))
        dated = [m for m in measures if m.start_year is not None]
        components.chart(charts.timeline_chart(dated, today.year), measure_source or t(tk.USER_SOURCE),
                         t("Liggende stolper: ett tiltak per rad i prioritert rekkefølge, fra startår til sluttår, "
                           "farget etter status. Stiplet linje: i år."), key="tiltak_timeline")
        if len(dated) < len(measures):
            st.caption(t("{n} tiltak uten startår vises ikke i tidslinjen.", n=len(measures) - len(dated)))

        st.subheader(t("Tiltak etter effektmål"))
        ui.grouped_table(measures)
        st.caption(t("Kilde: {source}", source=measure_source or t(tk.USER_SOURCE)))

        st.subheader(t("Tiltak mot indikator"))
        linked = [m for m in measures if m.indicator_key]
        if not linked:
            st.info(t("Ingen tiltak er koblet til en indikator. Velg «Kobling til Legeplan-indikator» i tabellen, "
                      "og skriv gjerne inn utgangsverdi og mål."))
        else:
            chosen = st.selectbox(t("Tiltak"), linked, format_func=lambda m: tk.title(m, 100), key="tiltak_indicator")
            view = tk.indicator_view(chosen, ui.indicator_series(knr, chosen.indicator_key))
            st.markdown(t("**Indikator i planen:** {indicator}  \n**Vist her:** {label} ({note}).",
                          indicator=escape_markdown(chosen.indicator, inline=True) or "–", label=view.label, note=view.baseline_note))
            if view.series.empty:
                st.info(t("SSB har ikke publisert {label} for {name}.", label=view.label.lower(), name=name))
            else:
                cols = st.columns(3)
                cols[0].metric(t("Utgangsverdi"), ui.show_value(view.baseline, view.unit))
                cols[1].metric(t("Faktisk {year}", year=view.latest_year), ui.show_value(view.latest, view.unit))
                cols[2].metric(t("Mål"), ui.show_value(view.target, view.unit) if view.target is not None
                               else t("ikke satt"))
                components.chart(charts.indicator_chart(view),
                                 t("{source}; utgangsverdi og mål: registeret", source=ui.SSB_SOURCE),
                                 t("Linjediagram: {label} per år for {name}, med utgangsverdi og mål som stiplede "
                                   "linjer.", label=view.label, name=name), key="tiltak_indicator_chart")
                if view.target is None:
                    st.caption(t("Skriv inn et mål i kolonnen «Mål» i tabellen for å se tallene mot målet."))

with tab_project:
    st.subheader(t("Prosjekt: mål, milepæler, gevinst og risiko"))
    if project_source:
        st.caption(t("Startet fra Alvers prosjektplan 2021–2024 (nynorsk, slik den står). Status er ikke oppgitt i "
                     "planen og står som «ikke startet» til den er oppdatert."))
    elif not project:
        st.info(t("Ingen prosjektlinjer ennå. Legg til mål, milepæler med frist, gevinst og risiko i tabellen."))
    ui.editor(knr, tk.PROJECT, project_snap)
    st.caption(ui.stored_caption(project_snap, project_source))
    ui.removed_list(knr, tk.PROJECT, project_snap)
    ui.log_table(knr, tk.PROJECT)
    late = tk.overdue(project, today)
    late_ids = {i.row_id for i in late}
    if late:
        st.warning(t("**{n} milepæler er forfalt** per {date} (frist passert, ikke ferdig):", n=len(late),
                     date=fmt.date(today)) + "\n\n"
                   + "\n".join(t("- {text} – frist {date}, status {status}", text=escape_markdown(i.text, inline=True),
                                  date=fmt.date(i.deadline), status=t(i.status)) for i in late),
                   icon="⏰")
    if any(i.kind == "milestone" for i in project):
        if any(i.kind == "milestone" and i.deadline for i in project):
            components.chart(charts.milestone_chart(project, late_ids), project_source or t(tk.USER_SOURCE),
                             t("Milepæler som punkter på fristen, farget etter status; forfalte har en rød ring."),
                             key="tiltak_milestones")
        ui.milestone_table(project, late_ids)
        st.caption(t("Kilde: {source}; forfalt regnet per {date}", source=project_source or t(tk.USER_SOURCE),
                     date=fmt.date(today)))

with tab_status:
    st.subheader(t("Statusrapport {date} – {name}", date=fmt.date(today), name=name))
    st.caption(t("Én side til utvalget. Skriv ut med nettleserens utskriftsfunksjon (Ctrl+P / Cmd+P)."))
    lines = tk.summary_lines(measures, project, today)
    st.markdown("\n\n".join(lines) if lines else t("Ingen tiltak eller prosjektlinjer er registrert ennå."))
    if measures:
        ui.printable_table(ui.grouped_rows(measures))
        st.caption(t("Kilde: {source} (versjon {version})", source=measure_source or t(tk.USER_SOURCE),
                     version=measures_snap.version))
    st.subheader(t("Last ned"))
    ui.downloads(knr, measures, project, tk.now_oslo())
    st.caption(t("Excel har ett ark per register med norske overskrifter; CSV er semikolonseparert for norsk Excel. "
                 "Tekst som begynner med =, +, - eller @ får en apostrof foran, så Excel ikke kjører den som formel. "
                 "Metoden er beskrevet i docs/tiltak.md."))
