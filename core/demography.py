"""The population path the capacity model stands on: registered, then projected, by age group."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from core.capacity import AGE_GROUPS
from core.db import query

ALTERNATIVES = {"main": "hovedalternativet", "high": "høy nasjonal vekst", "low": "lav nasjonal vekst"}
LABELS = [label for label, _, _ in AGE_GROUPS]


def registered_single_age(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Registered population by single age and sex (columns kommunenummer, year, sex, age, population)."""
    return query(con, "SELECT kommunenummer, year, sex, age, population FROM population_single_age")


def national_projection(con: duckdb.DuckDBPyConnection, vintage: int = 2026) -> pd.DataFrame:
    """SSB's national projection by age group and alternative (columns as population_age_group)."""
    return query(con, """SELECT * FROM population_age_group WHERE kommunenummer = '0000'
                         AND kind LIKE 'projection_%' AND projection_vintage = ?""", [vintage])


@dataclass(frozen=True)
class ProjectedGroups:
    """Every kommune's projected residents by SSB consultation age group, 1 January of each year."""

    codes: tuple[str, ...]
    years: np.ndarray  # 1 January of each year, base_year..horizon
    persons: np.ndarray  # years × kommuner × age groups

    def for_kommune(self, kommunenummer: str) -> pd.DataFrame:
        """One kommune: index = year (1 January), columns = age groups."""
        i = self.codes.index(kommunenummer)
        return pd.DataFrame(self.persons[:, i, :], index=self.years, columns=LABELS)


def age_group_matrix(n_ages: int) -> np.ndarray:
    """A (ages × groups) 0/1 matrix that sums single ages into the SSB consultation age groups."""
    m = np.zeros((n_ages, len(AGE_GROUPS)))
    for j, (_, lo, hi) in enumerate(AGE_GROUPS):
        m[lo:(hi + 1 if hi is not None else n_ages), j] = 1.0
    return m


def project_groups(con: duckdb.DuckDBPyConnection, alternative: str = "main",
                   horizon: int = 2051) -> ProjectedGroups:
    """Project every kommune (cohort method, core.projection) and sum into SSB age groups."""
    from core import projection

    registered = registered_single_age(con)
    last = int(registered["year"].max())
    params = projection.ProjectionParams(base_year=last, horizon_year=horizon, alternative=alternative)
    codes, path = projection.project_arrays(registered, params, national_projection(con))
    by_age = path.sum(axis=2)  # years × kommuner × ages
    persons = by_age @ age_group_matrix(by_age.shape[-1])
    years = np.arange(last, last + persons.shape[0])
    return ProjectedGroups(tuple(str(c) for c in codes), years, persons)


def population_path(registered: pd.DataFrame, projected: pd.DataFrame) -> pd.DataFrame:
    """Registered then projected residents by age group at the end of each year (index year).

    Both inputs have index = year (1 January) and the age-group columns; the population of
    1 January Y+1 stands for 31 December Y, the reference time of SSB table 12005.
    """
    last = int(registered.index.max())
    path = pd.concat([registered, projected[projected.index > last]])
    path.index = path.index - 1
    return path


def group_ages(df: pd.DataFrame) -> pd.DataFrame:
    """Single ages (columns year, age, persons) → one column per SSB age group, index year."""
    labels = []
    for label, lo, hi in AGE_GROUPS:
        mask = (df["age"] >= lo) & (df["age"] <= (hi if hi is not None else 10_000))
        labels.append(df[mask].groupby("year")["persons"].sum().rename(label))
    return pd.concat(labels, axis=1).fillna(0.0).sort_index()


def registered_groups(con: duckdb.DuckDBPyConnection, kommunenummer: str) -> pd.DataFrame:
    """Registered residents by age group on 1 January of each year (index year)."""
    df = query(con, """SELECT year, age, sum(population) AS persons FROM population_single_age
                       WHERE kommunenummer = ? GROUP BY ALL""", [kommunenummer])
    return group_ages(df)
