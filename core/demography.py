"""The population path the capacity model stands on: registered, then projected, by age group."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from core.capacity import AGE_GROUPS
from core.db import query
from core.i18n import N_

# Shown through t() (N_ marks them for the catalogue).
ALTERNATIVES = {"main": N_("hovedalternativet"), "high": N_("høy nasjonal vekst"), "low": N_("lav nasjonal vekst")}
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


def age_group_matrix(n_ages: int, groups=AGE_GROUPS) -> np.ndarray:
    """A (ages × groups) 0/1 matrix that sums single ages into age groups (label, lo, hi|None)."""
    m = np.zeros((n_ages, len(groups)))
    for j, (_, lo, hi) in enumerate(groups):
        m[lo:(hi + 1 if hi is not None else n_ages), j] = 1.0
    return m


@dataclass(frozen=True)
class Projection:
    """Every kommune's projected residents by sex and single age, 1 January of each year."""

    codes: tuple[str, ...]
    years: np.ndarray  # base year (registered) .. horizon
    persons: np.ndarray  # years × kommuner × sex (female, male) × age 0..105
    alternative: str

    def kommune(self, kommunenummer: str) -> np.ndarray:
        """One kommune: years × sex × age."""
        return self.persons[:, self.codes.index(kommunenummer)]

    def groups(self) -> ProjectedGroups:
        """Summed over sex into the SSB consultation age groups."""
        by_age = self.persons.sum(axis=2)
        return ProjectedGroups(self.codes, self.years, by_age @ age_group_matrix(by_age.shape[-1]))


def project_all(con: duckdb.DuckDBPyConnection, alternative: str = "main", horizon: int = 2051) -> Projection:
    """Project every kommune from the latest registered year (cohort method, core.projection).

    The horizon is 1 January 2051 so that the end of 2050 is covered; SSB's national control
    stops at 2050, and 2051 keeps the 2050 ratios (see docs/befolkningsframskriving.md).
    """
    from core import projection

    registered = registered_single_age(con)
    last = int(registered["year"].max())
    params = projection.ProjectionParams(base_year=last, horizon_year=horizon, alternative=alternative)
    codes, path = projection.project_arrays(registered, params, national_projection(con))
    years = np.arange(last, last + path.shape[0])
    return Projection(tuple(str(c) for c in codes), years, path, alternative)


def project_groups(con: duckdb.DuckDBPyConnection, alternative: str = "main",
                   horizon: int = 2051) -> ProjectedGroups:
    """Every kommune's projection summed into SSB consultation age groups."""
    return project_all(con, alternative, horizon).groups()


OLD_AGE = (("67+", 67, None), ("80+", 80, None))
PYRAMID_BANDS = tuple((f"{a}–{a + 4}" if a < 90 else "90+", a, a + 4 if a < 90 else None) for a in range(0, 95, 5))


def pyramid(persons: np.ndarray) -> pd.DataFrame:
    """Persons by five-year age band and sex from a (sex × age) array: columns age_band, sex, persons."""
    matrix = age_group_matrix(persons.shape[-1], PYRAMID_BANDS)
    by_band = persons @ matrix
    rows = []
    for s, sex in enumerate(("Kvinner", "Menn")):
        for j, (label, lo, _) in enumerate(PYRAMID_BANDS):
            rows.append({"age_band": label, "age_from": lo, "sex": sex, "persons": float(by_band[s, j])})
    return pd.DataFrame(rows)


def old_age_paths(con: duckdb.DuckDBPyConnection, projection: Projection, band: pd.DataFrame,
                  kommunenummer: str) -> pd.DataFrame:
    """67+ and 80+ per year: registered history, then projection with the empirical band.

    Columns: year, age_group, persons, lower, upper, kind ('registrert' | 'framskrevet').
    """
    from core.projection import with_band

    reg = query(con, """SELECT year, sum(CASE WHEN age >= 67 THEN population END) AS "67+",
                        sum(CASE WHEN age >= 80 THEN population END) AS "80+"
                        FROM population_single_age WHERE kommunenummer = ? GROUP BY year ORDER BY year""",
                [kommunenummer])
    history = reg.melt(id_vars="year", var_name="age_group", value_name="persons")
    history["kind"] = "registrert"
    by_age = projection.kommune(kommunenummer).sum(axis=1)  # years × age
    old = by_age @ age_group_matrix(by_age.shape[-1], OLD_AGE)
    grouped = pd.DataFrame({
        "kommunenummer": kommunenummer,
        "year": np.repeat(projection.years, 2),
        "age_group": np.tile([g for g, _, _ in OLD_AGE], len(projection.years)),
        "population": old.ravel(),
    })
    base_year = int(projection.years[0])
    total = float(by_age[0].sum())
    banded = with_band(grouped, band, base_year, pd.Series({kommunenummer: total}))
    future = banded[banded["year"] > base_year].rename(columns={"population": "persons"})
    future["kind"] = "framskrevet"
    cols = ["year", "age_group", "persons", "lower", "upper", "kind"]
    return pd.concat([history.assign(lower=np.nan, upper=np.nan)[cols], future[cols]], ignore_index=True)


def ssb_old_age(con: duckdb.DuckDBPyConnection, kommunenummer: str, alternative: str = "main") -> pd.DataFrame:
    """SSB's own projection (2026 round) of 67+ and 80+ where the database has it (Telemark): year, age_group, persons."""
    from core.projection import ALTERNATIVE_KINDS

    sql = """SELECT year, ? AS age_group, sum(population) AS persons FROM population_age_group
             WHERE kommunenummer = ? AND kind = ? AND projection_vintage = 2026 AND age_from >= ?
             GROUP BY year"""
    kind = ALTERNATIVE_KINDS[alternative]
    return query(con, f"{sql} UNION ALL {sql} ORDER BY 1, 2",
                 ["67+", kommunenummer, kind, 67, "80+", kommunenummer, kind, 80])


def projection_band(con: duckdb.DuckDBPyConnection, coverage: float = 0.8) -> pd.DataFrame:
    """The empirical uncertainty band: backtests from base years 2011–2021 against registered data."""
    from core import projection

    registered = registered_single_age(con)
    params = projection.ProjectionParams(base_year=2015)
    errors = projection.backtest_errors(registered, params, base_years=range(2011, 2022))
    return projection.empirical_band(errors, coverage)


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


def ssb_kommune_groups(con: duckdb.DuckDBPyConnection, projection: Projection, kommunenummer: str,
                       alternative: str = "main", vintage: int = 2026,
                       imported: pd.DataFrame | None = None) -> pd.DataFrame | None:
    """SSB's own projection for the kommune, in the consultation age groups; None where SSB has none.

    SSB publishes it in its own age groups (0, 1–5, 6–12, 13–15, 16–19, 20–44, 45–66, 67–79, 80–89,
    90+), which do not line up with the consultation groups (20–29, 30–49, 50–66 …). Legeplan's
    projection by single age is therefore scaled, year by year and group by group, to SSB's totals:
    every SSB group then holds SSB's number, and the single ages inside it keep Legeplan's shape.
    Years after SSB's last keep its last ratios; the base year is registered (ratio 1).
    Index = year (1 January), columns = LABELS, like ProjectedGroups.for_kommune.
    `imported`: an imported SSB projection for the kommune (core.overlay.projection_groups: year, age_from,
    age_to, persons), used instead of the database's; single ages and any SSB age groups work the same way.
    """
    from core.projection import ALTERNATIVE_KINDS

    if imported is not None and not imported.empty:
        ssb = imported[["year", "age_from", "age_to", "persons"]]
    else:
        ssb = query(con, """SELECT year, age_from, age_to, sum(population) AS persons FROM population_age_group
                            WHERE kommunenummer = ? AND kind = ? AND projection_vintage = ? GROUP BY ALL""",
                    [kommunenummer, ALTERNATIVE_KINDS[alternative], vintage])
    if ssb.empty or kommunenummer not in projection.codes:
        return None
    by_age = projection.kommune(kommunenummer).sum(axis=1)  # years × age
    n_ages = by_age.shape[-1]
    groups = sorted({(int(a), None if pd.isna(b) else int(b)) for a, b in zip(ssb["age_from"], ssb["age_to"],
                                                                           strict=True)})
    matrix = age_group_matrix(n_ages, [(f"{a}", a, b) for a, b in groups])  # ages × SSB groups
    ours = by_age @ matrix  # years × SSB groups
    wanted = ssb.pivot_table(index="year", columns="age_from", values="persons", aggfunc="sum")
    ratios = np.ones_like(ours)
    years = list(projection.years)
    last_ratio = None
    for i, year in enumerate(years):
        if i == 0:
            continue  # the base year is registered
        if year in wanted.index:
            row = wanted.loc[year, [a for a, _ in groups]].to_numpy(dtype=float)
            last_ratio = np.divide(row, ours[i], out=np.ones_like(row), where=ours[i] > 0)
        if last_ratio is not None:
            ratios[i] = last_ratio
    scaled = by_age * (ratios @ matrix.T)  # each single age takes its SSB group's ratio
    return pd.DataFrame(scaled @ age_group_matrix(n_ages), index=projection.years, columns=LABELS)
