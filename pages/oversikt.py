"""Oversikt: where the chosen kommune's GP service stands, how it got there, how peers compare."""

import streamlit as st

from core import catalog, charts
from core import indicators as ind
from ui import components, fmt, loaders, shell, specs, state

shell.enter()

knr = state.current_kommune()
year = loaders.latest_year()
kommuner = loaders.kommuner()
me = kommuner[kommuner["kommunenummer"] == knr].iloc[0]
name = me["display_name"]

st.title(f"Oversikt – {name}")
kostra = f" · KOSTRA-gruppe {int(me['kostra_group'])}" if me["kostra_group"] == me["kostra_group"] else ""
st.caption(f"Kommunenummer {knr} · {me['fylke']} · {fmt.number(me['population_2026'])} innbyggere "
           f"1.1.2026{kostra}")
state.show_messages()

# Imported SSB 12005 values in force (Data page) replace the bundled ones; the captions say where.
imported_here = loaders.imports_note(knr, (year - 1, year))
imported_any = loaders.imports_note(None, (year,))


def source_12005(note: str | None) -> str:
    """The 12005 source for a caption: the imports used, else the bundled table."""
    return note or catalog.SSB_12005


st.subheader(f"Nøkkeltall {year}")
components.tiles(loaders.key_figures(knr, year))
st.caption(f"Kilde: {source_12005(imported_here)}, {year} (per 31.12.). Landet = summen av kommunene i "
           f"tabellen. Endring fra {year - 1} vises for reservekapasitet, listelengde og andel uten lege: "
           f"datagrunnlaget har fjorårstall bare for disse tre. Forventede konsultasjoner: "
           f"{catalog.SSB_CONSULT} × {catalog.SSB_07459}, 1.1.{year + 1}.")

st.subheader(f"Utvikling 2015–{year}")
series = loaders.trend(knr)
national = loaders.national_trend()
tabs = st.tabs([catalog.METRICS_BY_NAME[m].label for m in catalog.TREND_METRICS])
for tab, metric in zip(tabs, catalog.TREND_METRICS, strict=True):
    meta = catalog.METRICS_BY_NAME[metric]
    with tab:
        mine = series[series["metric"] == metric]
        if mine.empty:
            st.info(f"{meta.label}: {fmt.MISSING} – SSB har ingen tidsserie for kommunenummer {knr}.")
            continue
        first, last = int(mine["year"].min()), int(mine["year"].max())
        components.chart(
            specs.trend(knr, metric, name),
            f"{source_12005(loaders.imports_note(knr))}, {first}–{last}. Landet: {catalog.HDIR_FLO}, 2019–2023, og SSB "
            f"12005 summert over kommunene, {year}.",
            f"Linjediagram: {meta.label.lower()} i {name} {first}–{year} mot landet.",
            key=f"trend_{metric}",
        )
        if first > 2015:
            st.caption(f"Serien starter i {first}: SSB publiserer tall for dagens kommunenummer "
                       f"{knr} først fra dette året (kommunereformene 2020 og 2024).")

st.subheader("Sammenligning")
choices = [n for n in ind.COMPARABLE if n != "consultations_per_resident"]
chosen = state.url_choice("Indikator", choices, key="indikator",
                          format_func=lambda n: ind.INDICATORS_BY_NAME[n].label)
indicator = ind.INDICATORS_BY_NAME[chosen]
left, right = st.columns([2, 3])
with left:
    components.chart(
        specs.comparison(knr, year, chosen),
        f"{source_12005(imported_any)}, {year}; fylke og KOSTRA-gruppe er summer over kommunene. "
        f"{catalog.KOSTRA}.",
        f"Stolpediagram: {indicator.label.lower()} i {name}, fylket, KOSTRA-gruppen og landet.",
        key="comparison",
    )
with right:
    peer_df = loaders.peers(knr, year)
    if peer_df.empty or peer_df[chosen].isna().all():
        st.info(f"Sammenligning med lignende kommuner: {fmt.MISSING}.")
    else:
        components.chart(
            specs.peers(knr, year, chosen),
            f"{source_12005(imported_any)}, {year}. Lignende kommuner = samme KOSTRA-gruppe (størrelse og "
            f"økonomi), {catalog.KOSTRA}.",
            f"Stolpediagram: {indicator.label.lower()} for kommunene i samme KOSTRA-gruppe som {name}.",
            key="peers",
        )

st.subheader("Kart")
map_left, map_right = st.columns([3, 2])
with map_right:
    map_ind = ind.INDICATORS_BY_NAME[state.url_choice(
        "Farg kartet etter", ind.COMPARABLE, key="kart",
        format_func=lambda n: ind.INDICATORS_BY_NAME[n].label)]
    values = loaders.map_values(year)
    place = ind.rank(values, map_ind.name, knr)
    mine = values.loc[values["kommunenummer"] == knr, map_ind.name]
    st.markdown(f"**{name}: {fmt.value(mine.iloc[0] if len(mine) else None, map_ind.unit)}**")
    if place:
        st.caption(f"Nr. {place[0]} av {place[1]} kommuner med tall (høyeste verdi er nr. 1).")
    st.caption(map_ind.help)
    st.caption("Klikk på en kommune i kartet for å velge den.")
with map_left:
    event = components.chart(
        specs.norway_map(year, map_ind.name, knr),
        f"{source_12005(imported_any) if map_ind.source == catalog.SSB_12005 else map_ind.source}, {year}; kart: {catalog.KARTVERKET}. Grå: {fmt.MISSING}.",
        f"Norgeskart farget etter {map_ind.label.lower()}; {name} er markert med oransje kant.",
        key="map", on_select="rerun",
    )
state.pick_from_map(event, charts.MAP_SELECTION)
