"""Data: every dataset with its source and licence; upload of new SSB statistics and the kommune's own
figures → validation → preview of the changes → confirm → stored as a versioned import; restore."""

import pandas as pd
import streamlit as st

from core import datasets, fmt, own_figures
from core import import_store as store
from core import ssb_readers as ssb
from core.i18n import t
from core.usertext import escape_markdown
from ui import audit_view, auth, components, loaders, shell, state
from ui import data_view as ui

knr, name = shell.enter()

st.title(t("Data"))
st.caption(t("Hvilke tall Legeplan bygger på, og hvor de kommer fra. Her kan du også laste inn nyere statistikk fra "
             "SSB og kommunens egne tall."))
state.show_messages()
st.info(t("Innlastede tall lagres for seg, som egne versjoner i brukerdatabasen. De medfølgende tallene endres "
          "aldri. Innlastet fastlegestatistikk (SSB 12005) brukes på Oversikt (et nyere år blir siste år når det "
          "dekker alle kommunene) og som utgangspunkt for Fastlegekapasitet. Innlastet folkemengde (SSB 07459) "
          "brukes som innbyggertall i utgangsåret der og som registrert befolkning 1.1.2026 på Befolkning. "
          "En innlastet befolkningsframskriving (SSB 14746/14288) brukes for kommunen slik SSBs egen framskriving "
          "brukes for Telemark: på Befolkning og som etterspørsel i Fastlegekapasitet. "
          "Kommunens egne tall (malen) gir lister, listetak, venteliste og planlagte hjemler i Fastlegekapasitet og "
          "kontorene i Kontorstruktur. Kildeteksten under tallene sier da «Innlastet fra …»."),
        icon=":material/info:")

st.subheader(t("Datasett"))
catalogue = datasets.bundled(loaders.connection())
imported = ui.user_db(datasets.imported)
shown = pd.concat([imported, catalogue], ignore_index=True) if imported is not None and len(imported) else catalogue
shown_table, shown_config = ui.overview(shown)
st.dataframe(shown_table, hide_index=True, width="stretch", height=36 * (len(shown) + 1) + 3,
             column_config=shown_config)
st.caption(t("Kilde: tabellen «dataset» i legeplan.duckdb (bygget fra data/sources) og innlastingene i "
             "brukerdatabasen; full proveniens i data/sources/PROVENANCE.md."))
with st.expander(t("Full proveniens for et datasett (teknisk notat på engelsk)")):
    sections = datasets.provenance_sections()
    with_section = catalogue[catalogue["Proveniens"].str.match(r"^\d")]
    pick = st.selectbox(t("Datasett"), with_section["Tabell"].tolist(),
                        format_func=dict(zip(with_section["Tabell"], with_section["Datasett"], strict=True)).get)
    section = with_section.loc[with_section["Tabell"] == pick, "Proveniens"].iloc[0]
    st.caption(t("Notatet om hvor hver fil kommer fra og hvordan den er behandlet (data/sources/PROVENANCE.md), "
                 "slik det ble skrevet da dataene ble samlet inn: på engelsk. Kilde, lisens og år står på norsk i "
                 "tabellen over."))
    st.markdown(ui.in_english(datasets.provenance_for(section, sections)), unsafe_allow_html=True)

st.subheader(t("Last inn nye tall"))
st.markdown(t("- **SSB-statistikk:** uttrekk fra statistikkbanken av tabell 12005 (fastleger), 07459 "
              "(folkemengde) eller 14746/14288 (befolkningsframskriving, en eller flere kommuner), som CSV (semikolon eller komma, med eller uten tittellinje) eller JSON-stat 2. "
              "Velg kommuneinndelingen fra 2024.\n"
              "- **Kommunens egne tall:** fyll ut malen (kontorer, lister med listetak, venteliste, planlagte "
              "hjemler) og last den opp som Excel-arbeidsbok (.xlsx) eller CSV. Tallene brukes i "
              "Fastlegekapasitet (utgangspunktet) og Kontorstruktur (kontortabellen)."))
left, right = st.columns(2)
left.download_button(t("Last ned mal for egne tall (Excel)"), ui.template_xlsx(), file_name="legeplan_egne_tall.xlsx",
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     icon=":material/download:", on_click="ignore")
right.download_button(t("Last ned mal for egne tall (CSV)"), own_figures.template_csv(), file_name="legeplan_egne_tall.csv",
                      mime="text/csv", icon=":material/download:", on_click="ignore")
may_import = ui.may_import(knr)  # hidden for a reader; core refuses anyway (core.access)
upload = st.file_uploader(t("Velg fil"), type=list(ui.UPLOAD_TYPES), max_upload_size=int(ssb.MAX_BYTES // 1_000_000)
                          ) if may_import else None
if not may_import:
    st.caption(t("Du kan ikke laste inn tall (det krever rollen dataforvalter for kommunen eller administrator)."))
st.caption(ui.upload_caption())  # Streamlit's own line under the field is English and hidden (ui.components)
if upload is not None and st.session_state.get(ui.SEEN) != upload.file_id:  # a new file, not one already applied
    st.session_state[ui.SEEN] = upload.file_id
    st.session_state[ui.PENDING] = (upload.name, upload.getvalue())
if message := st.session_state.pop(ui.APPLIED, None):
    st.success(message, icon=":material/check_circle:")

pending = st.session_state.get(ui.PENDING)
if pending:
    file_name, data = pending
    parsed = ui.parse_once(data, file_name)  # once per upload, in a child process within the upload budget
    label = ui.dataset_label(parsed.dataset)
    st.markdown(f"**{escape_markdown(file_name, inline=True)}**: {label}" + (f", {parsed.file_format}" if parsed.file_format else "")
                + t(", {n} gyldige rader.", n=len(parsed.frame)))
    ui.problems(parsed)
    previewed = ui.preview_once(parsed, data, file_name) if parsed.ok else None
    if previewed is not None:
        changes, changes_shown = previewed
        counts = store.summarize(changes)
        cols = st.columns(4)
        for col, (key, text) in zip(cols, (("ny", t("Nye rader")), ("endret", t("Endrede"))
                                           , ("fjernet", t("Fjernet")), ("uendret", t("Uendrede"))), strict=True):
            col.metric(text, fmt.number(counts[key]))
        st.caption(t("Sammenlignet med det som er i bruk nå: siste innlasting for samme kommune og år, ellers de "
                     "medfølgende tallene. «Fjernet» betyr at raden ikke finnes i den nye filen."))
        st.dataframe(changes_shown, hide_index=True, width="stretch", height=300)
        if len(changes) > len(changes_shown):
            st.caption(t("Viser de {shown} første av {n} radene (endrede, nye og fjernede først).",
                         shown=fmt.number(len(changes_shown)), n=fmt.number(len(changes))))
        note = st.text_input(t("Kilde (for eksempel «SSB statistikkbanken, tabell 12005, lastet ned 25.11.2026»)"),
                             value=f"SSB / {file_name}" if parsed.dataset != ssb.OWN else t("{name} kommune", name=name))
        if st.button(t("Bekreft og last inn"), type="primary", icon=":material/upload:"):
            result = ui.user_db(store.apply, parsed, file_name, note)
            if result is not None:
                batch_id, errors = result
                if batch_id is None:
                    st.error(" ".join(p.text() for p in errors), icon="⚠️")
                else:
                    ui.forget_upload()
                    loaders.imports_changed()
                    st.session_state[ui.APPLIED] = t("Lastet inn {n} rader fra {file} som innlasting {batch}.",
                                                     n=len(parsed.frame), file=file_name, batch=batch_id)
                    st.rerun()

st.subheader(t("Innlastinger"))
all_batches = ui.user_db(store.batches)
if all_batches is None or all_batches.empty:
    st.caption(t("Ingen innlastinger ennå. Alle sider bruker de medfølgende tallene."))
else:
    st.dataframe(ui.batch_table(all_batches), hide_index=True, width="stretch")
    st.caption(t("Kilde: brukerdatabasen. Tallene som gjelder for en kommune og et år er fra den nyeste innlastingen "
                 "som er i bruk."))
    for dataset in dict.fromkeys(all_batches["dataset"]):
        active = all_batches[(all_batches["dataset"] == dataset) & all_batches["active"]]
        inactive = all_batches[(all_batches["dataset"] == dataset) & ~all_batches["active"]]
        left, right = st.columns(2)
        label = ui.dataset_label(dataset)
        if left.button(t("Gjenopprett forrige versjon: {dataset}", dataset=label), key=f"restore_{dataset}",
                       disabled=active.empty or not ui.may_restore(dataset, knr), icon=":material/undo:"):
            undone = ui.user_db(store.restore_previous, dataset)
            loaders.imports_changed()
            if undone is not None:
                st.session_state[ui.APPLIED] = t("Innlasting {n} er deaktivert; versjonen før den er i bruk igjen.",
                                                 n=undone)
                st.rerun()
        if not inactive.empty and ui.may_restore(dataset, knr) and right.button(t("Aktiver innlasting {n} igjen", n=int(inactive["batch_id"].iloc[0])),
                                               key=f"reactivate_{dataset}", icon=":material/redo:"):
            ui.user_db(store.set_active, int(inactive["batch_id"].iloc[0]), True)
            loaders.imports_changed()
            st.rerun()

audit_view.show(knr, auth.current())
audit_view.show_roles(auth.current())

with st.expander(t("Ord og begreper")):
    st.caption(t("Ett ord for hver størrelse, slik sidene bruker dem (core/glossary.py). Der SSB bruker et annet "
                 "ord, står det i forklaringen."))
    st.table(pd.DataFrame(ui.glossary_rows()), hide_index=True)  # a static table: the definitions wrap, whole

with st.expander(t("Kolonnene i malen for egne tall")):
    column, content = t("Kolonne"), t("Innhold")
    components.table([{column: c, content: text} for c, text in own_figures.template_help()])
    st.caption(t("Beskrevet i docs/data.md."))
