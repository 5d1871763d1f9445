"""The population path the capacity model stands on: registered, then projected, by age group."""

from __future__ import annotations

import duckdb
import pandas as pd

from core.db import query
from core.starting_points import group_ages

ALTERNATIVES = {"main": "hovedalternativet", "high": "høy nasjonal vekst", "low": "lav nasjonal vekst"}


def registered_single_age(con: duckdb.DuckDBPyConnection, kommuner: list[str] | None = None) -> pd.DataFrame:
    """Registered population by single age and sex (columns kommunenummer, year, sex, age, population)."""
    if kommuner is None:
        return query(con, "SELECT kommunenummer, year, sex, age, population FROM population_single_age")
    return query(con, """SELECT kommunenummer, year, sex, age, population FROM population_single_age
                         WHERE kommunenummer IN (SELECT unnest(?))""", [kommuner])


def national_projection(con: duckdb.DuckDBPyConnection, vintage: int = 2026) -> pd.DataFrame:
    """SSB's national projection by age group and alternative (columns as population_age_group)."""
    return query(con, """SELECT * FROM population_age_group WHERE kommunenummer = '0000'
                         AND kind LIKE 'projection_%' AND projection_vintage = ?""", [vintage])


def population_path(con: duckdb.DuckDBPyConnection, kommunenummer: str, alternative: str = "main",
                    horizon: int = 2050) -> pd.DataFrame:
    """Residents by SSB consultation age group at the end of each year, registered then projected.

    Index: year (the population of 1 January Y+1 stands for 31 December Y); columns: AGE_GROUPS.
    Registered years come first; projected years continue from the last registered year.
    """
    from core import projection

    registered = registered_single_age(con, [kommunenummer])
    last = int(registered["year"].max())
    national = national_projection(con)
    params = projection.ProjectionParams(base_year=last, horizon_year=horizon + 1, alternative=alternative)
    everyone = registered_single_age(con)
    projected = projection.project_population(everyone, params, national=national, kommuner=[kommunenummer])
    projected = projected[(projected["kommunenummer"] == kommunenummer) & (projected["year"] > last)]
    rows = pd.concat([registered, projected[registered.columns]], ignore_index=True)
    rows = rows.assign(year=rows["year"] - 1).rename(columns={"population": "persons"})
    return group_ages(rows[["year", "age", "persons"]])
