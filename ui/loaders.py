"""Cached access to the statistics: one shared connection, cached query results.

Loaders return plain frames and values; they draw nothing on the page and import no other ui module
than ui.cache (which imports none), so every view can import them without a cycle
(tests/test_import_graph.py). Every cache is ui.cache's: keyed on the målform and the imports in
force, so no function here takes either as an argument."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from core import capacity, db, demography, overlay, starting_points
from core import indicators as ind
from core.capacity import CapacityBase, CapacityParams
from core.i18n import N_, t
from core.params import with_defaults_from
from ui import cache
from ui.cache import cached, resource

# ui.cache owns the imports in force (the second part of every cache key); here for the pages that read or reset them
imports_changed = cache.imports_changed
imports_version = cache.imports_version


@resource(show_spinner=N_("Bygger databasen fra de medfølgende kildene …"))
def connection() -> duckdb.DuckDBPyConnection:
    """The one read-only connection to the statistics database (built on first start)."""
    return db.connect()


@resource
def kommuner() -> pd.DataFrame:
    """All current kommuner. Shared by every session without copying: read it, never change it."""
    return ind.kommuner(connection())


def kommune_name(kommunenummer: str) -> str:
    """The kommune's display name (e.g. "Alver")."""
    return _names()[kommunenummer]


@resource
def _names() -> dict[str, str]:
    return dict(zip(kommuner()["kommunenummer"], kommuner()["display_name"].astype(str), strict=True))


def kommune_maalform(kommunenummer: str) -> str | None:
    """The kommune's official målform ('nb' or 'nn') where the registry has it, else None."""
    return _maalformer().get(kommunenummer)


@resource
def _maalformer() -> dict[str, str]:
    df = kommuner()
    if "maalform" not in df.columns:
        return {}
    return {k: v for k, v in zip(df["kommunenummer"], df["maalform"], strict=True)
            if v in ("nb", "nn")}


@resource
def kommune_labels() -> dict[str, str]:
    """Kommunenummer → "Navn (nummer, fylke)" for the picker, in the registry's order."""
    return {r.kommunenummer: f"{r.display_name} ({r.kommunenummer}, {r.fylke})"
            for r in kommuner().itertuples()}


@cached(text=False, imports=False)
def latest_year() -> int:
    """The latest statistics year."""
    return ind.latest_year(connection())


@resource
def bundled_coverage() -> int:
    """How many kommuner have list capacity in the bundled latest year: what an imported year must cover
    to become the latest year of the comparisons and the map."""
    return ind.coverage(connection(), latest_year())


# --- Imported statistics in force (Data page) laid over the bundled ones --------------------------
# imports_version() and imports_changed() live in ui.cache (the key of every cache); here for existing callers.

def _imported(read) -> pd.DataFrame | None:
    version = imports_version()
    if not version:
        return None
    try:
        with db.connect_user(None if db.user_db_url() else Path(version.rsplit("#", 1)[0])) as con:
            rows = read(con)
    except (duckdb.Error, OSError):
        return None
    return rows if len(rows) else None


@cached(shared=True, text=False, max_entries=8)
def imported_fastlege() -> pd.DataFrame | None:
    """Imported SSB 12005 values in force, all kommuner (core.overlay.fastlege_in_force), or None.
    Shared without copying: never change it."""
    return _imported(overlay.fastlege_in_force)


@cached(shared=True, text=False, max_entries=8)
def imported_population() -> pd.DataFrame | None:
    """Imported SSB 07459 population in force, all kommuner, or None. Shared: never change it."""
    return _imported(overlay.population_in_force)


@cached(shared=True, text=False, max_entries=8)
def imported_projection() -> pd.DataFrame | None:
    """Imported SSB projections (14746/14288) in force, all kommuner, or None. Shared: never change it."""
    return _imported(overlay.projection_in_force)


def projection_import(kommunenummer: str, alternative: str = "main") -> tuple[pd.DataFrame | None, str | None]:
    """The imported SSB projection for the kommune and alternative as SSB groups (core.overlay.projection_groups)
    and «Innlastet fra <fil>, <dato>», or (None, None) when no import covers it."""
    rows = imported_projection()
    groups = overlay.projection_groups(rows, kommunenummer, alternative)
    if groups is None:
        return None, None
    used = overlay.select(rows, kommunenummer=kommunenummer)
    return groups, overlay.own_files(used)


@cached(shared=True, text=False, max_entries=8)
def imported_own() -> pd.DataFrame | None:
    """The kommuner's own figures (the template) in force, all kommuner, or None. Shared: never change it."""
    return _imported(overlay.own_in_force)


def imports_note(kommunenummer: str | None, years: tuple[int, ...] | None = None) -> str | None:
    """«Innlastet fra <fil>, <dato>; ellers SSB tabell 12005 (medfølgende)» if imported 12005 values
    are used for the kommune (any kommune if None) in those years (any year if None), else None."""
    rows = imported_fastlege()
    if rows is None:
        return None
    if kommunenummer is not None:
        rows = rows[rows["kommunenummer"] == kommunenummer]
    if years is not None:
        rows = rows[rows["year"].isin(years)]
    return overlay.note(rows)


def common_latest_year() -> int:
    """The latest year of the comparisons and the map: a newer imported year that covers as many kommuner
    as the bundled latest year does, else the bundled latest year."""
    return overlay.newer_year(latest_year(), imported_fastlege(), min_kommuner=bundled_coverage())


@cached(text=False, imports=False)
def consultation_population_year(year: int) -> int:
    """1 January after statistics year `year`, or the newest registered population (core.indicators)."""
    return ind.consultation_population_year(connection(), year)


@cached
def key_figures(kommunenummer: str, year: int) -> list[ind.Figure]:
    """Tiles for one kommune (imported values in force laid over the bundled ones), in the målform in force."""
    return ind.key_figures(connection(), kommunenummer, year, imported_fastlege())


@cached(text=False)
def trend(kommunenummer: str) -> pd.DataFrame:
    """SSB's series for one kommune (imported values in force laid over)."""
    return ind.trend(connection(), kommunenummer, imported_fastlege())


@cached
def national_trend() -> pd.DataFrame:
    """National series (Helsedirektoratet 2019–2023, SSB sum for the latest year, imports included)."""
    return ind.national_trend(connection(), imported_fastlege(), common_latest_year())


@cached
def comparison(kommunenummer: str, year: int) -> pd.DataFrame:
    """Kommune, county, KOSTRA group and nation side by side (imports included)."""
    return ind.comparison(connection(), kommunenummer, year, imported_fastlege())


@cached(text=False)
def peers(kommunenummer: str, year: int) -> pd.DataFrame:
    """The kommuner of the same KOSTRA group (imports included)."""
    return ind.peers(connection(), kommunenummer, year, imported_fastlege())


@cached(text=False)
def map_values(year: int) -> pd.DataFrame:
    """All kommuner with their indicators, for the map (imports included)."""
    return ind.map_values(connection(), year, imported_fastlege())


# --- Fastlegekapasitet ---------------------------------------------------------------------------

@cached
def starting_point(start: str, kommunenummer: str) -> CapacityBase | None:
    """The starting point: 'ssb' (the kommune's statistics, imports in force laid over) or a reference case id,
    with its texts (label, source, notes) in the målform in force."""
    if start == "ssb":
        base = starting_points.from_statistics(connection(), kommunenummer, imported=imported_fastlege(),
                                               imported_population=imported_population())
        return overlay.with_own(base, overlay.select(imported_own(), kommunenummer=kommunenummer))
    return starting_points.from_reference(connection(), start)


def capacity_defaults(base: CapacityBase) -> CapacityParams:
    """The levers' defaults for a starting point (some come from its figures)."""
    return with_defaults_from(CapacityParams, base, **overlay.planned_defaults(base))


@resource
def projected_groups(alternative: str = "main") -> demography.ProjectedGroups:
    """Every kommune's projected residents by age group (from the cached projection)."""
    return projection(alternative).groups()


@cached(shared=True, text=False, max_entries=256)
def population(kommunenummer: str, alternative: str = "main", own: bool = False) -> pd.DataFrame:
    """Residents by age group at the end of each year: registered, then projected (to 2050).

    SSB's own projection for the kommune where an import (Data page) or the database (Telemark) has it,
    unless `own`; otherwise Legeplan's. Shared by every session without copying: never change it.
    """
    registered = demography.registered_groups(connection(), kommunenummer)
    projected = None if own else ssb_groups(kommunenummer, alternative)
    if projected is None:
        projected = projected_groups(alternative).for_kommune(kommunenummer)
    return demography.population_path(registered, projected)


@cached(shared=True, text=False, max_entries=256)
def ssb_groups(kommunenummer: str, alternative: str = "main") -> pd.DataFrame | None:
    """SSB's own projection for the kommune in consultation age groups (an import in force first, else the
    database's), or None (core.demography). Shared: never change it."""
    imported = overlay.projection_groups(imported_projection(), kommunenummer, alternative)
    return demography.ssb_kommune_groups(connection(), projection(alternative), kommunenummer, alternative,
                                         imported=imported)


@cached(shared=True, max_entries=2048)
def demography_source(kommunenummer: str, alternative: str = "main", own: bool = False) -> str:
    """Where the population path comes from (one line, in the målform in force)."""
    if not own:
        _, files = projection_import(kommunenummer, alternative)
        if files and ssb_groups(kommunenummer, alternative) is not None:
            return t("SSBs befolkningsframskriving for kommunen, {files}, fordelt på aldersgrupper etter Legeplans "
                     "framskriving (docs/befolkningsframskriving.md)", files=files)
    if not own and ssb_groups(kommunenummer, alternative) is not None:
        return t("SSBs egen befolkningsframskriving for kommunen (2026, tabell 14746), fordelt på aldersgrupper "
                 "etter Legeplans framskriving (docs/befolkningsframskriving.md)")
    return t("Legeplans befolkningsframskriving fra 1.1.2026 (kohortmetode med SSBs nasjonale "
             "framskriving som ramme, se docs/befolkningsframskriving.md)")


@cached(shared=True, text=False, max_entries=512)
def capacity_result(base: CapacityBase, params: CapacityParams) -> pd.DataFrame:
    """The capacity projection for a starting point and levers (cached per combination and imports in force:
    an imported SSB projection changes the demand).

    Both arguments are frozen dataclasses, so Python's own hash is the key: a lever change costs
    one model run and no hashing of the arguments by Streamlit. Shared without copying (a page
    reads it several times per run): read it, never change it.
    """
    return capacity.project(base, population(base.kommunenummer, params.alternative, params.own_projection), params)


@cached(text=False, imports=False, show_spinner=N_("Regner ut alle kommuner …"), max_entries=32)
def national_capacity(horizon: int, target: float, alternative: str = "main") -> pd.DataFrame:
    """Every kommune from its own statistics with unchanged supply, to the horizon (national view)."""
    bases = all_bases()
    projected = projected_groups(alternative)
    years = np.arange(bases[0].year, horizon + 1)
    rows = [int(np.where(projected.years == y + 1)[0][0]) for y in years]
    idx = [projected.codes.index(b.kommunenummer) for b in bases]
    params = CapacityParams(horizon=horizon, target_reserve=target, alternative=alternative)
    view = capacity.national_view(bases, projected.persons[rows][:, idx, :], years, params)
    return view.merge(kommuner()[["kommunenummer", "display_name", "fylke"]], on="kommunenummer")


@cached(text=False, imports=False, max_entries=64)
def national_ranking(horizon: int, target: float, alternative: str, kommunenummer: str, n: int = 10) -> pd.DataFrame:
    """The national view's n kommuner with the lowest coverage at the horizon, plus the chosen one, with
    their rank (column `rank`, 1 = lowest)."""
    view = national_capacity(horizon, target, alternative)
    ranked = view.sort_values("coverage_horizon", na_position="last").reset_index(drop=True)
    ranked["rank"] = ranked.index + 1
    return pd.concat([ranked.head(n), ranked[ranked["kommunenummer"] == kommunenummer]]
                     ).drop_duplicates("kommunenummer")


@resource
def all_bases() -> list[CapacityBase]:
    """Every kommune's starting point from the latest statistics."""
    return starting_points.all_from_statistics(connection())


# --- Befolkning ------------------------------------------------------------------------------------

@resource(show_spinner=N_("Framskriver befolkningen i alle kommuner …"))
def projection(alternative: str = "main") -> demography.Projection:
    """Every kommune's projection by sex and single age (computed once per alternative)."""
    return demography.project_all(connection(), alternative)


@resource(show_spinner=N_("Regner ut usikkerheten fra tilbakeprøvingen …"))
def projection_band() -> pd.DataFrame:
    """The empirical band from backtests (base years 2011–2021), once per server."""
    return demography.projection_band(connection())


@cached(text=False, imports=False, max_entries=128)
def old_age(kommunenummer: str, alternative: str = "main") -> pd.DataFrame:
    """67+ and 80+: registered history and projection with band."""
    return demography.old_age_paths(connection(), projection(alternative), projection_band(), kommunenummer)


@cached(text=False, imports=False, max_entries=128)
def ssb_old_age(kommunenummer: str, alternative: str = "main") -> pd.DataFrame:
    """SSB's own projection of 67+ and 80+ where the database has it (Telemark)."""
    return demography.ssb_old_age(connection(), kommunenummer, alternative)
