"""Cached access to the statistics: one shared connection, cached query results."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from core import db
from core import indicators as ind


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
