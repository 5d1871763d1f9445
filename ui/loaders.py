"""Cached access to the statistics: one shared connection, cached query results."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from core import capacity, catalog, db, starting_points
from core import indicators as ind
from core.capacity import CapacityBase, CapacityParams
from core.demography import population_path
from core.params import with_defaults_from


@st.cache_resource(show_spinner="Bygger databasen fra de medfølgende kildene …")
def connection() -> duckdb.DuckDBPyConnection:
    """The one read-only connection to the statistics database (built on first start)."""
    return db.connect()


@st.cache_data(show_spinner=False)
def kommuner() -> pd.DataFrame:
    """All current kommuner."""
    return ind.kommuner(connection())


@st.cache_data(show_spinner=False)
def latest_year() -> int:
    """The latest statistics year."""
    return ind.latest_year(connection())


@st.cache_data(show_spinner=False)
def key_figures(kommunenummer: str, year: int) -> list[ind.Figure]:
    """Tiles for one kommune."""
    return ind.key_figures(connection(), kommunenummer, year)


@st.cache_data(show_spinner=False)
def trend(kommunenummer: str) -> pd.DataFrame:
    """SSB's series for one kommune."""
    return ind.trend(connection(), kommunenummer)


@st.cache_data(show_spinner=False)
def national_trend() -> pd.DataFrame:
    """National series (Helsedirektoratet 2019–2023, SSB sum for the latest year)."""
    return ind.national_trend(connection())


@st.cache_data(show_spinner=False)
def comparison(kommunenummer: str, year: int) -> pd.DataFrame:
    """Kommune, county, KOSTRA group and nation side by side."""
    return ind.comparison(connection(), kommunenummer, year)


@st.cache_data(show_spinner=False)
def peers(kommunenummer: str, year: int) -> pd.DataFrame:
    """The kommuner of the same KOSTRA group."""
    return ind.peers(connection(), kommunenummer, year)


@st.cache_data(show_spinner=False)
def map_values(year: int) -> pd.DataFrame:
    """All kommuner with their indicators, for the map."""
    return ind.map_values(connection(), year)


# --- Fastlegekapasitet ---------------------------------------------------------------------------

@st.cache_data(show_spinner=False)
def starting_point(start: str, kommunenummer: str) -> CapacityBase | None:
    """The starting point: 'ssb' (the kommune's statistics) or a reference case id."""
    if start == "ssb":
        return starting_points.from_statistics(connection(), kommunenummer)
    return starting_points.from_reference(connection(), start)


def capacity_defaults(base: CapacityBase) -> CapacityParams:
    """The levers' defaults for a starting point (some come from its figures)."""
    return with_defaults_from(CapacityParams, base)


@st.cache_data(show_spinner="Framskriver befolkningen …", max_entries=64)
def demography(kommunenummer: str, alternative: str = "main") -> pd.DataFrame:
    """Residents by age group at the end of each year, registered then projected (to 2050)."""
    return population_path(connection(), kommunenummer, alternative)


def demography_source(kommunenummer: str) -> str:
    """Where the population path comes from."""
    return (f"{catalog.SSB_07459} til 1.1.2026, deretter Legeplans befolkningsframskriving "
            "(kohortmetode, se docs/befolkningsframskriving.md)")


@st.cache_data(show_spinner=False, max_entries=256)
def capacity_result(base: CapacityBase, params: CapacityParams) -> pd.DataFrame:
    """The capacity projection for a starting point and levers (cached per combination)."""
    return capacity.project(base, demography(base.kommunenummer), params)
