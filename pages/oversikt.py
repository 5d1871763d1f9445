"""Oversikt: where the chosen kommune's GP service stands, how it got there, how peers compare."""

import streamlit as st

from core import catalog, charts, fmt, glossary
from core import indicators as ind
from core.i18n import t
from ui import components, loaders, shell, specs, state

shell.enter()

knr = state.current_kommune()
# The latest year: a newer imported 12005 year once it covers every kommune (a year imported for only some
# kommuner shows in their trend, not here: the national figures beside the tiles would be partial).
year = common = loaders.common_latest_year()
kommuner = loaders.kommuner()
me = kommuner[kommuner["kommunenummer"] == knr].iloc[0]
name = me["display_name"]

st.title(t("Oversikt – {name}", name=name))
kostra = (" · " + t("KOSTRA-gruppe {n}", n=int(me["kostra_group"]))
          if me["kostra_group"] == me["kostra_group"] else "")
st.caption(t("Kommunenummer {knr} · {fylke} · {n} innbyggere 1.1.2026", knr=knr, fylke=me["fylke"],
             n=fmt.number(me["population_2026"])) + kostra)
state.show_messages()

# Imported SSB 12005 values in force (Data page) replace the bundled ones; the captions say where.
imported_here = loaders.imports_note(knr, (year - 1, year))
imported_any = loaders.imports_note(None, (common,))


def source_12005(note: str | None) -> str:
    """The 12005 source for a caption: the imports used, else the bundled table."""
    return note or catalog.SSB_12005


st.subheader(t("Nøkkeltall {year}", year=year))
figures = loaders.key_figures(knr, year)
components.tiles(figures)
uncovered = components.uncovered_note(figures)  # SSB's reserve and free capacity leave these patients out
st.caption(t("Kilde: {source}, {year} (per 31.12.). Landet = summen av kommunene i tabellen. Dekning = sum listetak "
             "på lister med lege / alle listepasienter × 100. Endring fra {previous} vises for dekning, "
             "reservekapasitet, listelengde og andel uten lege: datagrunnlaget har fjorårstall bare for disse; "
             "dekningen i {previous} er avledet av SSBs reservekapasitet og andel uten lege (± ca. 0,5). "
             "Forventede konsultasjoner: {consult} × {population}, 1.1.{next}.",
             source=source_12005(imported_here), year=year, previous=year - 1, consult=catalog.SSB_CONSULT,
             population=catalog.SSB_07459, next=loaders.consultation_population_year(year)))

def coverage_years_note(mine) -> str:
    """Which years of the coverage trend are computed from SSB's counts and which are derived (± about 0,5)."""
    counted = sorted(int(y) for y in mine.loc[mine["from_counts"].astype(bool), "year"])
    derived = sorted(int(y) for y in mine.loc[~mine["from_counts"].astype(bool), "year"])
    parts = []
    if counted:
        parts.append(t("{years}: sum listetak på lister med lege / alle listepasienter × 100, fra SSBs antall.",
                       years=", ".join(map(str, counted))))
    if derived:
        span = str(derived[0]) if len(derived) == 1 else f"{derived[0]}–{derived[-1]}"
        parts.append(t("{years}: SSB publiserer bare reservekapasitet R og andel uten lege A (prosent), så dekningen "
                       "er avledet som R × (1 − A/100). SSB runder R til hele tall: disse årene kan avvike med om "
                       "lag ± 0,5.", years=span))
    return " ".join(parts)


def flo_years(national, metric: str, first_ssb_sum: int) -> str:
    """The years of the national line from Helsedirektoratet's FLO figures (before the SSB sums), e.g. 2019–2023."""
    years = sorted(int(y) for y in national.loc[(national["metric"] == metric) & (national["year"] < first_ssb_sum),
                                                "year"])
    return "" if not years else str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


st.subheader(t("Utvikling 2015–{year}", year=year))
series = loaders.trend(knr)
national = loaders.national_trend()
tabs = st.tabs([t(catalog.TREND_LABELS[m]) for m in catalog.OVERSIKT_TRENDS])  # «Dekning» first
for tab, metric in zip(tabs, catalog.OVERSIKT_TRENDS, strict=True):
    label = t(catalog.TREND_LABELS[metric])
    with tab:
        mine = series[series["metric"] == metric]
        if mine.empty:
            st.info(t("{label}: {missing} – SSB har ingen tidsserie for kommunenummer {knr}.", label=label,
                      missing=fmt.missing(), knr=knr))
            continue
        first, last = int(mine["year"].min()), int(mine["year"].max())
        components.chart(
            specs.trend(knr, metric, name),
            t("{source}, {first}–{last}. Landet: {hdir}, {hdir_years}, og SSB 12005 summert over kommunene, {year}.",
              source=source_12005(loaders.imports_note(knr)), first=first, last=last, hdir=t(catalog.HDIR_FLO),
              hdir_years=flo_years(national, metric, loaders.latest_year()),
              year=year),
            t("Linjediagram: {label} i {name} {first}–{year} mot landet.", label=label.lower(), name=name,
              first=first, year=year),
            key=f"trend_{metric}",
        )
        if metric == catalog.COVERAGE_METRIC.name:
            st.caption(coverage_years_note(mine))
        if uncovered and metric == "reserve_capacity_index":
            st.caption(t("{label} i {name} {year}: {note}", label=label, name=name, year=year, note=uncovered))
        if first > 2015:
            st.caption(t("Serien starter i {first}: SSB publiserer tall for dagens kommunenummer {knr} først "
                         "fra dette året (kommunereformene 2020 og 2024).", first=first, knr=knr))

st.subheader(t("Sammenligning"))
choices = [n for n in ind.COMPARABLE if n != "consultations_per_resident"]
chosen = state.url_choice(t("Indikator"), choices, key="indikator",
                          format_func=lambda n: t(ind.INDICATORS_BY_NAME[n].label))
indicator = ind.translated(ind.INDICATORS_BY_NAME[chosen])
if uncovered and chosen in components.OVER_LISTS_WITH_GP:
    st.caption(t("{label} i {name} {year}: {note}", label=indicator.label, name=name, year=year, note=uncovered))
left, right = st.columns([2, 3])
with left:
    components.chart(
        specs.comparison(knr, common, chosen),
        t("{source}, {year}; fylke og KOSTRA-gruppe er summer over kommunene. {kostra}.",
          source=source_12005(imported_any), year=common, kostra=catalog.KOSTRA),
        t("Stolpediagram: {label} i {name}, fylket, KOSTRA-gruppen og landet.", label=indicator.label.lower(),
          name=name),
        key="comparison",
    )
with right:
    peer_df = loaders.peers(knr, common)
    if peer_df.empty or peer_df[chosen].isna().all():
        st.info(t("Sammenligning med lignende kommuner: {missing}.", missing=fmt.missing()))
    else:
        components.chart(
            specs.peers(knr, common, chosen),
            t("{source}, {year}. Lignende kommuner = samme KOSTRA-gruppe (størrelse og økonomi), {kostra}.",
              source=source_12005(imported_any), year=common, kostra=catalog.KOSTRA),
            t("Stolpediagram: {label} for kommunene i samme KOSTRA-gruppe som {name}.",
              label=indicator.label.lower(), name=name),
            key="peers",
        )

st.subheader(t("Kart"))
map_left, map_right = st.columns([3, 2])
with map_right:
    map_ind = ind.translated(ind.INDICATORS_BY_NAME[state.url_choice(
        t("Farg kartet etter"), ind.COMPARABLE, key="kart",
        format_func=lambda n: t(ind.INDICATORS_BY_NAME[n].label))])
    values = loaders.map_values(common)
    place = ind.rank(values, map_ind.name, knr)
    mine = values.loc[values["kommunenummer"] == knr, map_ind.name]
    shown = glossary.decimals(map_ind.term) if map_ind.term else None  # as the tile above
    st.markdown(f"**{name}: {fmt.value(mine.iloc[0] if len(mine) else None, map_ind.unit, shown)}**")
    if place:
        st.caption(t("Nr. {rank} av {n} kommuner med tall (høyeste verdi er nr. 1).", rank=place[0], n=place[1]))
    st.caption(map_ind.help)
    if uncovered and map_ind.name in components.OVER_LISTS_WITH_GP:
        st.caption(t("{label} i {name} {year}: {note}", label=map_ind.label, name=name, year=year, note=uncovered))
    st.caption(t("Klikk på en kommune i kartet for å velge den."))
with map_left:
    event = components.chart(
        specs.norway_map(common, map_ind.name, knr),
        t("{source}, {year}; kart: {map}. Grå: {missing}.",
          source=source_12005(imported_any) if map_ind.source == catalog.SSB_12005 else map_ind.source, year=common,
          map=t(catalog.KARTVERKET), missing=fmt.missing()),
        t("Norgeskart farget etter {label}; {name} er markert med oransje kant.", label=map_ind.label.lower(),
          name=name),
        key="map", on_select="rerun",
    )
state.pick_from_map(event, charts.MAP_SELECTION)
