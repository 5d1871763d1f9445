"""Befolkning: registered population and Legeplan's projection to 2050, pyramid and the oldest groups."""

import streamlit as st

from core import catalog, charts, demography, fmt, overlay
from core.i18n import t
from ui import components, export_view, loaders, shell, state

knr, name = shell.enter()

st.title(t("Befolkning – {name}", name=name))
st.caption(t("Folketallet etter alder i dag og framskrevet til 2050. Etterspørselen etter fastlege følger "
             "befolkningen, og enda mer alderen: konsultasjoner per person stiger bratt etter 67 og 80 år."))

left, right = st.columns(2)
with left:
    alternative = state.url_choice(t("Framskriving"), list(demography.ALTERNATIVES), key="alternative",
                                   format_func=lambda key: t(demography.ALTERNATIVES[key]),
                                   help=t("Knyttet til SSBs nasjonale alternativer (2026-framskrivingen)."))
projection = loaders.projection(alternative)
base_year = int(projection.years[0])
years = [str(y) for y in projection.years[1:] if y <= 2050]
with right:
    year = int(state.url_choice(t("Sammenlign med år"), years, key="aar", default="2040"))
state.show_messages()

persons = projection.kommune(knr)
old = loaders.old_age(knr, alternative)
# Imported SSB 07459 (Data page) with every age for the base year: it replaces the registered base, and the path
# is scaled to it (docs/data.md); the captions then name the file.
imported_pop = overlay.select(loaders.imported_population(), kommunenummer=knr,
                              year=base_year)
imported_base = overlay.population_matrix(imported_pop, knr, base_year)
pop_source = catalog.SSB_07459
if imported_base is not None:
    old = overlay.old_age_with_base(old, overlay.with_imported_base(persons, imported_base), float(persons[0].sum()),
                                    base_year)
    persons = overlay.with_imported_base(persons, imported_base)
    pop_source = overlay.note(imported_pop, bundled=catalog.SSB_07459)
now, later = persons[0], persons[list(projection.years).index(year)]
cols = st.columns(3)
tiles = ((t("Innbyggere"), 0), (t("67 år og eldre"), 67), (t("80 år og eldre"), 80))
for col, (label, lo) in zip(cols, tiles, strict=True):
    with col:
        a, b = float(now[:, lo:].sum()), float(later[:, lo:].sum())
        components.change_metric(f"{label} 1.1.{year}", fmt.number(b), b - a, " " + t("fra {year}", year=base_year),
                                 higher_is_better=None,
                                 help=t("Registrert 1.1.{year}: {n} ({source}).", year=base_year, n=fmt.number(a),
                                        source="SSB 07459" if imported_base is None else pop_source))

method = t("Legeplans framskriving: kohortmetode (Hamilton–Perry) med sammenslåtte perioder, demping mot fylket "
           "og landet, og SSBs nasjonale framskriving (2026) som ramme – se docs/befolkningsframskriving.md")
st.subheader(t("Alderspyramide {first} og {second}", first=base_year, second=year))
components.chart(
    charts.pyramid_chart(demography.pyramid(now), demography.pyramid(later),
                         t("1.1.{year} (registrert)", year=base_year), t("1.1.{year} (framskrevet)", year=year)),
    f"{pop_source}, 1.1.{base_year}; {year}: {method}.",
    t("Alderspyramide for {name}: søyler er registrert folketall {first}, svart omriss er framskrevet {second}.",
      name=name, first=base_year, second=year),
    key="pyramid")

st.subheader(t("67 år og eldre, 80 år og eldre"))
ssb = loaders.ssb_old_age(knr, alternative)
# An imported SSB projection for the kommune (Data page) takes the place of the bundled one (Telemark): its 67+
# and 80+ are the dotted line, and the captions name the file.
imported_groups, imported_files = loaders.projection_import(knr, alternative)
if imported_groups is not None:
    ssb = overlay.projection_old_age(imported_groups)
ssb_name = (t("SSBs framskriving for kommunen, {files}", files=imported_files) if imported_files
            else t("SSBs egen framskriving for kommunen (tabell 14746, 2026)"))
components.chart(
    charts.old_age_chart(old, ssb),
    t("{table} 2005–{year}; deretter {method}. Båndet er empirisk: i tilbakeprøvingen (startår 2011–2021) lå "
      "80 % av kommunene av samme størrelse innenfor det, forlenget som rett linje etter 15 år.",
      table=pop_source, year=base_year, method=method)
    + (" " + t("Prikket linje: {source}.", source=ssb_name) if not ssb.empty else ""),
    t("Linjediagram: personer 67+ og 80+ i {name}, registrert og framskrevet med usikkerhetsbånd.", name=name),
    key="old_age")
if imported_files and not ssb.empty:
    at_year = ssb[ssb["year"] == year].set_index("age_group")["persons"]
    st.info(t("SSBs framskriving for kommunen er lastet inn ({files}); den vises prikket ved siden av Legeplans og "
              "er etterspørselen i Fastlegekapasitet.", files=imported_files)
            + (" " + t("1.1.{year}: {n67} personer 67 år og eldre, {n80} 80 år og eldre.", year=year,
                       n67=fmt.number(float(at_year["67+"])), n80=fmt.number(float(at_year["80+"])))
               if {"67+", "80+"} <= set(at_year.index) else ""))
elif not ssb.empty:
    st.info(t("SSB har publisert en egen framskriving for denne kommunen; den vises prikket ved siden av "
              "Legeplans."))
table = old[old["year"].isin([base_year, 2030, 2035, 2040, 2045, 2050])].pivot_table(
    index="year", columns="age_group", values="persons")
st.dataframe({t("År"): [str(y) for y in table.index],
              **{f"{g} år": [fmt.number(v) for v in table[g]] for g in table.columns}},
             hide_index=True)
st.caption(t("Kilde: {table} ({year}) og {method}.", table=pop_source, year=base_year, method=method))

export_view.offer("befolkning", knr, name, alternative, year, base_year, now, later, old, method)  # eksport
