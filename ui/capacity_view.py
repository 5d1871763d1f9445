"""Fastlegekapasitet's Streamlit rendering: the starting-point picker, the scenario tiles, the year
table and the national table, and the source line under the page's charts and tables.

Data comes from ui.loaders (cached frames and values); page-independent building blocks (a chart
with its text alternative, a bordered tile) from ui.components.
"""

from __future__ import annotations

import pyarrow as pa
import streamlit as st

from core import fmt, glossary
from core import reference_cases as rc
from core.i18n import N_, t
from core.starting_points import REFERENCE_CASES
from ui import components, loaders, state
from ui.headlines import capacity_headlines


def starting_point_picker(knr: str, name: str) -> str:
    """Choose the starting point: the kommune's latest statistics or a reference case.

    Choosing a reference case switches to its kommune; choosing another kommune in the sidebar
    goes back to that kommune's statistics.
    """
    if (st.session_state.get("_start_kommune") not in (None, knr)
            and rc.kommune_of(st.session_state.get("start", "")) not in (None, knr)):
        st.session_state["start"] = "ssb"
    year = loaders.latest_year()
    labels = {"ssb": t("{name}: SSB-statistikk {year}", name=name, year=year),
              **{k: t(v) for k, v in REFERENCE_CASES.items()}}
    start = state.url_choice(t("Utgangspunkt"), list(labels), key="start", format_func=labels.__getitem__,
                             help=t("Referansecasene bygger på kommunenes egne saksdokumenter."))
    state.follow_case_kommune(rc.kommune_of(start), knr, "_start_kommune")
    return start


def capacity_source(base, params) -> str:
    """The sources behind a capacity chart or table, as one line."""
    source = loaders.demography_source(base.kommunenummer, params.alternative, params.own_projection)
    return t("{base}; deretter {projection}; konsultasjoner per innbygger etter alder: SSB 2023 "
             "(kan endres); spakene: se «Forutsetninger og kilder»", base=base.source, projection=source)


def capacity_tiles(base, params, result) -> None:
    """Tiles for the horizon year against the base year, patients first (ui.headlines), then the
    starting point. A line above the tiles says in words whether the year is better or worse."""
    heads = capacity_headlines(base, params, result)
    st.markdown("**" + t("Scenario {year}", year=heads.last_year) + "** – " + heads.verdict_text)
    for row in (heads.headline, heads.secondary):
        for col, tile in zip(st.columns(len(row)), row, strict=True):
            with col:
                components.headline_tile(tile)

    st.markdown("**" + t("Utgangspunkt {year}", year=heads.first_year) + f"** – {base.label}")
    for col, tile in zip(st.columns(len(heads.start)), heads.start, strict=True):
        with col:
            st.metric(tile.label, tile.value)
    if base.notes:
        with st.expander(t("Om utgangspunktet")):
            st.markdown("\n".join(f"- {n}" for n in base.notes))
            st.caption(t("Kilde: {source}", source=base.source))


def _glossary_columns(*keys: str) -> dict[str, tuple[str, int]]:
    """Result columns that are glossary quantities (core.glossary): their label and decimals from there."""
    return {key: (glossary.label(key), glossary.decimals(key)) for key in keys}


TABLE_COLUMNS = {  # result column → (bokmål header, decimals); the year table and its exports
    "year": (N_("År"), None),
    **_glossary_columns("residents", "list_patients", "hjemler", "vacant_lists", "capacity", "coverage_index",
                        "patients_without_gp", "extra_hjemler_needed", "reserve_index", "free_places"),
    "gps_per_1000": (N_("Leger per 1 000 innb."), 2), "consultations_per_gp": (N_("Konsultasjoner per lege"), 0),
}


COST_COLUMNS = {"naeringsdrift": N_("Merkostnad næringsdrift (kr)"), "fastlonn": N_("Merkostnad fastlønn (kr)")}


def capacity_table(result, priced=None):
    """The year table with Norwegian headers and Norwegian number format (as text); with `priced`
    (core.economy.price_scenario), the scenario's extra kommune cost per year by operating form."""
    columns = {}
    for col, (header, decimals) in TABLE_COLUMNS.items():
        values = result[col].tolist()
        if decimals is None:
            columns[t(header)] = [str(int(v)) for v in values]
        else:
            columns[t(header)] = [fmt.number(v, decimals) for v in values]
    if priced is not None:
        by_year = {int(y): i for i, y in enumerate(priced["year"].tolist())}
        for col, header in COST_COLUMNS.items():
            values = priced[col].tolist()
            columns[t(header)] = [fmt.number(values[by_year[int(y)]]) if int(y) in by_year else fmt.MISSING
                               for y in result["year"].tolist()]
    return pa.table(columns)


def national_table(horizon: int, target: float, alternative: str, knr: str):
    """The national view as the page shows it: the kommuner with the lowest coverage at the horizon, plus
    the chosen one (SSB's reserve beside), with Norwegian headers and numbers."""
    shown, base_year = loaders.national_ranking(horizon, target, alternative, knr), loaders.latest_year()
    return pa.table({
        t("Nr."): shown["rank"].astype(str).tolist(),
        t("Kommune"): shown["display_name"].tolist(), t("Fylke"): shown["fylke"].tolist(),
        glossary.term_in("coverage_index", base_year): [fmt.quantity("coverage_index", v) for v in shown["coverage_base"]],
        glossary.term_in("coverage_index", horizon): [fmt.quantity("coverage_index", v)
                                                      for v in shown["coverage_horizon"]],
        glossary.term_in("patients_without_gp", horizon): [fmt.quantity("patients_without_gp", v)
                                                           for v in shown["without_gp_horizon"]],
        glossary.term_in("reserve_index", horizon): [fmt.quantity("reserve_index", v) for v in shown["reserve_horizon"]],
        t("Endring listepasienter"): [fmt.percent(v, 1, sign=True) for v in shown["list_patients_change"]],
        glossary.term_in("extra_hjemler_needed", horizon): [fmt.quantity("extra_hjemler_needed", v)
                                                            for v in shown["extra_hjemler_needed"]],
    })
