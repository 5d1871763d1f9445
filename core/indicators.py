"""Key indicators of the GP service per kommune, county, peer group and nation.

Ratios are always recomputed from SSB's counts (sum of list caps, patients, agreements), so an
aggregate over several kommuner is the ratio of sums, never an average of ratios. Shares are
fractions (0.046), the reserve capacity is an index (100 = balanced).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from core import catalog, glossary
from core import overlay as ov
from core.db import query
from core.i18n import N_, t

COUNT_COLUMNS = (
    "gp_agreements",
    "gp_agreements_total_incl_without_gp",
    "lists_without_gp",
    "patients_on_lists_with_gp",
    "patients_on_lists_without_gp",
    "open_lists",
    "female_gps",
    "list_capacity",
    "computed_capacity",
)

# Reasons shown under a tile (bokmål keys; key_figures gives them in the målform in force).
MISSING_KOMMUNE = N_("SSB har ikke publisert tall for kommunen dette året i tabell 12005.")
MISSING_PREVIOUS = N_("Fjorårstall finnes bare for dekning, reservekapasitet, listelengde og andel uten lege.")

# The counts behind coverage (latest year) and SSB's published figures it is derived from (earlier years).
COVERAGE_COUNTS = ("list_capacity", "patients_on_lists_with_gp", "patients_on_lists_without_gp")
COVERAGE_PUBLISHED = ("reserve_capacity_index", "share_patients_on_lists_without_gp_pct")
SMALL_DENOMINATOR = N_("Kan ikke beregnes: ingen lister eller pasienter å dele på.")


@dataclass(frozen=True)
class Indicator:
    """An indicator shown on Oversikt and the map: label, unit, and which way is better.

    Label and help are bokmål catalogue keys: show them as t(i.label), or use translated(i). An indicator
    that is a quantity of the glossary (core.glossary) takes its label and rounding from there (`term`)."""

    name: str
    label: str
    # 'count', 'persons', 'share', 'index', 'persons per list', 'per resident', or 'coverage index' (places per
    # 100 list patients with one decimal: dekning, and SSB's reserve index as computed from SSB's counts)
    unit: str
    help: str
    source: str
    higher_is_better: bool | None = None
    ssb_published: str | None = None  # the 12005 metric holding SSB's own value, if any
    term: str | None = None  # the core.glossary key of the quantity, if it is one
    change_decimals: int | None = None  # decimals of the change from last year where SSB's figures set them


def _term(key: str) -> dict[str, str]:
    """An indicator's label and glossary key from core.glossary."""
    return {"label": glossary.label(key), "term": key}


INDICATORS: tuple[Indicator, ...] = (
    Indicator("lists_total", unit="count", help=glossary.TERMS["hjemler"].definition, source=catalog.SSB_12005,
              **_term("hjemler")),
    Indicator("list_patients", unit="persons", help=glossary.TERMS["list_patients"].definition,
              source=catalog.SSB_12005, **_term("list_patients")),
    Indicator("patients_without_gp", unit="persons",
              help=N_("Pasienter på lister som mangler fast lege (vikar eller ingen)."), source=catalog.SSB_12005,
              higher_is_better=False, **_term("patients_without_gp")),
    Indicator("share_without_gp", unit="share", help=glossary.TERMS["share_without_gp"].definition,
              source=catalog.SSB_12005, higher_is_better=False, ssb_published="share_patients_on_lists_without_gp_pct",
              **_term("share_without_gp")),
    Indicator("coverage", unit="coverage index",
              help=N_("Sum listetak på lister med lege / alle listepasienter (med og uten lege) × 100. Under 100 "
                      "mangler noen en plass hos en lege. Pasienter på lister uten lege teller med, så dekningen "
                      "faller når lister mister legen (SSBs reservekapasitet stiger da). Legeplans utregning fra SSB "
                      "tabell 12005: siste år fra antallene; tidligere år, der SSB bare publiserer reservekapasitet R "
                      "og andel uten lege A (prosent), som R × (1 − A/100). SSB runder R til hele tall, så de "
                      "tidligere årene er usikre med om lag ± 0,5."),
              source=catalog.SSB_12005, higher_is_better=True, **_term("coverage_index")),
    # computed from SSB's counts with one decimal (as dekning beside it); its change from last year is SSB's
    # published index, which SSB rounds to whole numbers
    Indicator("reserve_capacity", unit="coverage index",
              help=N_("SSBs mål: sum listetak / pasienter på lister med lege × 100. Over 100 betyr ledige plasser. "
                      "Pasienter på lister uten lege er ikke med, så tallet kan stige mens lister mister legen. "
                      "Se «Dekning»."),
              source=catalog.SSB_12005, higher_is_better=True, ssb_published="reserve_capacity_index",
              change_decimals=0, **_term("reserve_index")),
    Indicator("free_capacity", unit="persons",
              help=N_("Sum listetak minus pasienter på lister med lege (negativ: flere pasienter enn tak)."),
              source=catalog.SSB_12005, higher_is_better=True, **_term("free_places")),
    Indicator("list_length", unit="persons per list", help=N_("Pasienter på lister med lege / fastlegeavtaler med lege."),
              source=catalog.SSB_12005, ssb_published="avg_list_length", **_term("list_length")),
    Indicator("consultations_per_resident", N_("Konsultasjoner per innbygger (forventet)"),
              "per resident",
              N_("Beregnet: kommunens folketall etter alder × landets konsultasjonsrater etter alder "
                 "(SSB 2023). Tabell 12005 har ikke konsultasjonstall for kommunene dette året."),
              catalog.SSB_CONSULT),
    Indicator("female_share", N_("Andel kvinnelige fastleger"), "share",
              N_("Kvinnelige fastleger / fastlegeavtaler med lege."), catalog.SSB_12005,
              ssb_published="female_gps_share_pct"),
)

INDICATORS_BY_NAME = {i.name: i for i in INDICATORS}


def translated(indicator: Indicator) -> Indicator:
    """The indicator with its label and help in the målform in force."""
    return dataclasses.replace(indicator, label=t(indicator.label), help=t(indicator.help))


def latest_year(con: duckdb.DuckDBPyConnection) -> int:
    """The latest statistics year with list capacity figures in table 12005."""
    df = query(con, "SELECT max(year) AS y FROM fastlege WHERE metric = 'list_capacity'")
    return int(df["y"].iloc[0])


def coverage(con: duckdb.DuckDBPyConnection, year: int) -> int:
    """How many kommuner have list capacity figures in table 12005 for `year` (bundled)."""
    df = query(con, """SELECT count(DISTINCT kommunenummer) AS n FROM fastlege
                       WHERE metric = 'list_capacity' AND year = ? AND value IS NOT NULL""", [year])
    return int(df["n"].iloc[0])


def kommuner(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All current kommuner: number, names, county, population 2026, KOSTRA group, målform."""
    return query(con, """SELECT kommunenummer, name, display_name, fylke, fylke_code,
                         population_2026, kostra_group, maalform FROM kommune ORDER BY kommunenummer""")


def fastlege_wide(con: duckdb.DuckDBPyConnection, year: int, imported: pd.DataFrame | None = None) -> pd.DataFrame:
    """SSB 12005 for one year, one row per kommune, one column per metric (NaN if missing).

    `imported`: imported values in force (core.overlay.fastlege_in_force) replace the bundled ones.
    """
    long = query(con, "SELECT kommunenummer, metric, value FROM fastlege WHERE year = ?", [year])
    long = ov.fastlege(long, ov.select(imported, year=year))
    wide = long.pivot(index="kommunenummer", columns="metric", values="value")
    for m in catalog.FASTLEGE_METRICS:
        if m.name not in wide.columns:
            wide[m.name] = np.nan
    return wide.reset_index().rename_axis(columns=None)


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    num = num.astype(float)
    den = den.astype(float)
    return (num / den.where(den > 0)).astype(float)


def coverage_from_counts(list_capacity: pd.Series, with_gp: pd.Series, without_gp: pd.Series) -> pd.Series:
    """Coverage: sum of list caps on lists with a doctor / all list patients (with and without) × 100."""
    return _ratio(list_capacity, with_gp.astype(float) + without_gp.astype(float)) * 100.0


def coverage_from_published(reserve_index: pd.Series, share_without_pct: pd.Series) -> pd.Series:
    """Coverage from SSB's published reserve index R and share without a GP A (percent): R × (1 − A/100).

    Exact algebra (cap/all = cap/with × with/all), but SSB rounds R to whole numbers and A to one decimal,
    so the result is uncertain by 0,5 × (1 − A/100) + 0,05 × R/100 (about ± 0,5). Where every list patient
    is on a list without a doctor (A = 100) SSB has no R; no list has a doctor, so coverage is 0.
    """
    r = reserve_index.astype(float)
    a = share_without_pct.astype(float)
    return (r * (1.0 - a / 100.0)).where(~(r.isna() & (a == 100.0)), 0.0)


def coverage_rounding_bound(reserve_index: float, share_without_pct: float) -> float:
    """How far R × (1 − A/100) can lie from the coverage of the unrounded counts (R whole, A one decimal)."""
    return 0.5 * (1.0 - share_without_pct / 100.0) + 0.05 * reserve_index / 100.0


def coverage_by_year(long: pd.DataFrame) -> pd.DataFrame:
    """One kommune's coverage per year from its 12005 rows (year, metric, value): from the counts where a year
    has them, else from SSB's published reserve index and share without a GP. Columns: year, value, from_counts.
    """
    wide = long.pivot_table(index="year", columns="metric", values="value", aggfunc="last")
    for m in (*COVERAGE_COUNTS, *COVERAGE_PUBLISHED):
        if m not in wide.columns:
            wide[m] = np.nan
    exact = coverage_from_counts(*(wide[m] for m in COVERAGE_COUNTS))
    derived = coverage_from_published(*(wide[m] for m in COVERAGE_PUBLISHED))
    out = pd.DataFrame({"year": wide.index.astype(int), "value": exact.where(exact.notna(), derived),
                        "from_counts": exact.notna()})
    return out.dropna(subset=["value"]).reset_index(drop=True)


def derive(counts: pd.DataFrame) -> pd.DataFrame:
    """Add the derived indicators to a frame of 12005 counts (any grouping level)."""
    out = counts.copy()
    with_gp = out["patients_on_lists_with_gp"].astype(float)
    without = out["patients_on_lists_without_gp"].astype(float)
    out["lists_total"] = out["gp_agreements_total_incl_without_gp"]
    out["list_patients"] = with_gp + without
    out["patients_without_gp"] = without
    out["share_without_gp"] = _ratio(without, with_gp + without)
    out["free_capacity"] = out["list_capacity"].astype(float) - with_gp
    out["coverage"] = coverage_from_counts(out["list_capacity"], with_gp, without)
    out["reserve_capacity"] = _ratio(out["list_capacity"], with_gp) * 100.0
    out["list_length"] = _ratio(with_gp, out["gp_agreements"])
    out["female_share"] = _ratio(out["female_gps"], out["gp_agreements"])
    return out


def aggregate(wide: pd.DataFrame, by: pd.Series | None = None) -> pd.DataFrame:
    """Sum the counts of kommuner (by a grouping series, or all) and derive the indicators.

    A group's sum uses only kommuner with a value; `n_kommuner` says how many that was.
    """
    counts = wide[list(COUNT_COLUMNS)].astype(float)
    if by is None:
        summed = counts.sum(min_count=1).to_frame().T
        summed["n_kommuner"] = int(wide["list_capacity"].notna().sum())
    else:
        grouped = counts.groupby(by.values)
        summed = grouped.sum(min_count=1)
        summed["n_kommuner"] = wide["list_capacity"].notna().groupby(by.values).sum()
        summed = summed.rename_axis("group").reset_index()
    return derive(summed)


def consultation_population_year(con: duckdb.DuckDBPyConnection, year: int) -> int:
    """The population behind the expected consultations of statistics year `year`: 1 January after it, or
    the newest population there is (an imported 12005 year can be newer than the population tables)."""
    df = query(con, "SELECT max(year) AS y FROM population_single_age")
    return min(year + 1, int(df["y"].iloc[0]))


def expected_consultations(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """Expected GP consultations per resident per kommune: population by age × national rates.

    Population of 1 January `year` (registered, SSB 07459) and SSB's 2023 fastlege
    consultations per person by age group. Columns: kommunenummer, residents, consultations,
    consultations_per_resident.
    """
    return query(con, """
        WITH rates AS (
            SELECT age_from, coalesce(age_to, 200) AS age_to, value AS rate
            FROM consultation_rate
            WHERE year = 2023 AND service = 'fastlege' AND measure = 'consultations_per_person'
              AND sex = 'total' AND age_from IS NOT NULL),
        pop AS (SELECT kommunenummer, age, sum(population) AS persons
                FROM population_single_age WHERE year = ? GROUP BY ALL)
        SELECT kommunenummer, sum(persons) AS residents, sum(persons * rate) AS consultations,
               sum(persons * rate) / nullif(sum(persons), 0) AS consultations_per_resident
        FROM pop JOIN rates ON pop.age BETWEEN rates.age_from AND rates.age_to
        GROUP BY kommunenummer ORDER BY kommunenummer""", [year])


def national_consultation_rate(con: duckdb.DuckDBPyConnection) -> float:
    """SSB's published national fastlege consultations per resident (2023, all ages)."""
    df = query(con, """SELECT value FROM consultation_rate WHERE year = 2023
                       AND service = 'fastlege' AND measure = 'consultations_per_person'
                       AND age_group = 'all' AND sex = 'total'""")
    return float(df["value"].iloc[0])


@dataclass(frozen=True)
class Figure:
    """One tile: value, change from last year, national value, and why a value is missing."""

    indicator: Indicator
    value: float | None
    change: float | None
    national: float | None
    missing_reason: str | None = None
    change_reason: str | None = None


def _clean(x: object) -> float | None:
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def key_figures(con: duckdb.DuckDBPyConnection, kommunenummer: str, year: int,
                imported: pd.DataFrame | None = None) -> list[Figure]:
    """The Oversikt tiles for one kommune and year, with national figures and reasons (imports laid over).

    Labels and reasons are in the målform in force (a cache of the result must key on it)."""
    wide = fastlege_wide(con, year, imported)
    nat = aggregate(wide).iloc[0]
    row_df = wide[wide["kommunenummer"] == kommunenummer]
    has_row = len(row_df) == 1 and pd.notna(row_df["list_capacity"].iloc[0])
    row = derive(row_df).iloc[0] if has_row else None

    prev_wide = fastlege_wide(con, year - 1, imported)
    prev = prev_wide[prev_wide["kommunenummer"] == kommunenummer]
    this_pub = wide[wide["kommunenummer"] == kommunenummer]

    pop_year = consultation_population_year(con, year)
    cons = expected_consultations(con, pop_year)
    cons_k = cons[cons["kommunenummer"] == kommunenummer]
    cons_prev = expected_consultations(con, year if pop_year == year + 1 else -1)  # no newer population: no change
    cons_prev_k = cons_prev[cons_prev["kommunenummer"] == kommunenummer]

    figures = []
    for ind in map(translated, INDICATORS):
        if ind.name == "consultations_per_resident":
            value = _clean(cons_k["consultations_per_resident"].iloc[0]) if len(cons_k) else None
            before = (_clean(cons_prev_k["consultations_per_resident"].iloc[0])
                      if len(cons_prev_k) else None)
            figures.append(Figure(
                ind, value,
                None if value is None or before is None else value - before,
                national_consultation_rate(con),
                None if value is not None else t("Folketall etter alder mangler for kommunen."),
            ))
            continue
        national = _clean(nat[ind.name])
        if row is None:
            figures.append(Figure(ind, None, None, national, t(MISSING_KOMMUNE)))
            continue
        value = _clean(row[ind.name])
        change, change_reason = None, t(MISSING_PREVIOUS)
        if ind.name == "coverage":
            # last year from its counts where it has them (an import), else derived from SSB's R and A
            before = (_clean(coverage_by_year(_long(prev, year - 1)).set_index("year")["value"].get(year - 1))
                      if len(prev) else None)
            if value is not None and before is not None:
                change, change_reason = value - before, None
            else:
                change_reason = t("SSB har ikke fjorårstall for kommunen med dagens kommunenummer.")
        elif ind.ssb_published in catalog.TREND_METRICS and len(prev) and len(this_pub):
            before = _clean(prev[ind.ssb_published].iloc[0])
            now = _clean(this_pub[ind.ssb_published].iloc[0])
            if before is not None and now is not None:
                scale = 0.01 if ind.unit == "share" else 1.0
                change, change_reason = (now - before) * scale, None
            else:
                change_reason = t("SSB har ikke fjorårstall for kommunen med dagens kommunenummer.")
        figures.append(Figure(ind, value, change, national,
                              None if value is not None else t(SMALL_DENOMINATOR), change_reason))
    return figures


def _long(wide_rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """fastlege_wide rows of one kommune for `year` back to long form: year, metric, value."""
    cols = [c for c in (*COVERAGE_COUNTS, *COVERAGE_PUBLISHED) if c in wide_rows.columns]
    long = wide_rows[cols].melt(var_name="metric", value_name="value")
    long.insert(0, "year", year)
    return long


def trend(con: duckdb.DuckDBPyConnection, kommunenummer: str, imported: pd.DataFrame | None = None) -> pd.DataFrame:
    """SSB's published series for one kommune (year, metric, value, 2015– where available), and Legeplan's
    coverage ('coverage_index') for every year, from the counts where a year has them, else from SSB's
    reserve index and share without a GP; column `from_counts` says which (NaN for SSB's own series).

    Imported values in force replace the bundled ones; imported years are added."""
    metrics = list(dict.fromkeys([*catalog.TREND_METRICS, *COVERAGE_COUNTS]))
    bundled = query(con, """SELECT year, metric, value FROM fastlege
                            WHERE kommunenummer = ? AND metric IN (SELECT unnest(?))
                            ORDER BY metric, year""", [kommunenummer, metrics])
    mine = ov.select(imported, kommunenummer=kommunenummer)
    if mine is not None:
        mine = mine[mine["metric"].isin(metrics)]
    rows = ov.fastlege(bundled, mine)
    published = rows[rows["metric"].isin(catalog.TREND_METRICS)]
    cov = coverage_by_year(rows).assign(metric=catalog.COVERAGE_METRIC.name)
    if cov.empty:
        return published.reset_index(drop=True)
    return pd.concat([published, cov[["year", "metric", "value", "from_counts"]]],
                     ignore_index=True)


# Helsedirektoratet's national series (FLO, 4th quarter) for the three trend metrics.
_HDIR_FOR_TREND = {
    "avg_list_length": ("avg_list_length_regular_gps", None),
    "share_patients_on_lists_without_gp_pct": ("share_list_residents_without_regular_gp_pct", None),
    "reserve_capacity_index": ("avg_list_ceiling_regular_gps", "avg_list_length_regular_gps"),
}


def national_trend(con: duckdb.DuckDBPyConnection, imported: pd.DataFrame | None = None,
                   last_year: int | None = None) -> pd.DataFrame:
    """National series for the trend metrics: year, metric, value, source.

    Years with SSB data for every kommune (the latest year) are sums over kommuner of table
    12005; 2019–2023 come from Helsedirektoratet's FLO figures for the 4th quarter, which use
    a slightly different definition (stated in the source column). `last_year`: an imported year after
    the bundled latest that covers every kommune (core.overlay.newer_year) is summed too.
    """
    rows = []
    hdir = query(con, """SELECT indicator, CAST(left(period, 4) AS INTEGER) AS year, value
                         FROM national_key_figure WHERE period LIKE '____-Q4'""")
    piv = hdir.pivot_table(index="year", columns="indicator", values="value", aggfunc="first")
    for metric, (num, den) in _HDIR_FOR_TREND.items():
        if num not in piv.columns:
            continue
        for year, r in piv.iterrows():
            v = r[num] if den is None else r[num] / r[den] * 100.0
            if pd.notna(v):
                rows.append((int(year), metric, float(v), t(catalog.HDIR_FLO)))
    # coverage from the same FLO figures: (list ceiling / list length × 100) × (1 − share without a GP / 100)
    reserve, share = _HDIR_FOR_TREND["reserve_capacity_index"], _HDIR_FOR_TREND[
        "share_patients_on_lists_without_gp_pct"][0]
    if {*reserve, share} <= set(piv.columns):
        for year, r in piv.iterrows():
            v = r[reserve[0]] / r[reserve[1]] * 100.0 * (1.0 - r[share] / 100.0)
            if pd.notna(v):
                rows.append((int(year), catalog.COVERAGE_METRIC.name, float(v),
                             t("{source}; dekning = reservekapasitet × (1 − andel uten lege)",
                               source=t(catalog.HDIR_FLO))))
    first = latest_year(con)
    for year in range(first, max(last_year or first, first) + 1):
        nat = aggregate(fastlege_wide(con, year, imported)).iloc[0]
        ssb_sum = {
            "avg_list_length": nat["list_length"],
            "share_patients_on_lists_without_gp_pct": nat["share_without_gp"] * 100.0,
            "reserve_capacity_index": nat["reserve_capacity"],
            catalog.COVERAGE_METRIC.name: nat["coverage"],
        }
        for metric, v in ssb_sum.items():
            rows.append((year, metric, float(v), t("{source}, sum av kommunene", source=catalog.SSB_12005)))
    return pd.DataFrame(rows, columns=["year", "metric", "value", "source"])


def comparison(con: duckdb.DuckDBPyConnection, kommunenummer: str, year: int,
               imported: pd.DataFrame | None = None) -> pd.DataFrame:
    """The kommune against its county, its KOSTRA group and the nation, all indicators.

    Columns: level ('kommune', 'fylke', 'kostra', 'land'), label, n_kommuner, then one column
    per indicator (shares as fractions).
    """
    wide = fastlege_wide(con, year, imported)
    kom = kommuner(con)
    wide = wide.merge(kom, on="kommunenummer", how="left")
    me = kom[kom["kommunenummer"] == kommunenummer]
    if me.empty:
        return pd.DataFrame()
    me = me.iloc[0]
    parts = []
    mine = wide[wide["kommunenummer"] == kommunenummer]
    if len(mine):
        d = aggregate(mine)
        d.insert(0, "label", me["display_name"])
        d.insert(0, "level", "kommune")
        parts.append(d)
    fy = aggregate(wide[wide["fylke_code"] == me["fylke_code"]])
    fy.insert(0, "label", me["fylke"])
    fy.insert(0, "level", "fylke")
    parts.append(fy)
    if pd.notna(me["kostra_group"]):
        kg = aggregate(wide[wide["kostra_group"] == me["kostra_group"]])
        kg.insert(0, "label", t("KOSTRA-gruppe {n}", n=int(me['kostra_group'])))
        kg.insert(0, "level", "kostra")
        parts.append(kg)
    la = aggregate(wide)
    la.insert(0, "label", t("Landet"))
    la.insert(0, "level", "land")
    parts.append(la)
    return pd.concat(parts, ignore_index=True)


def peers(con: duckdb.DuckDBPyConnection, kommunenummer: str, year: int,
          imported: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every kommune of the same KOSTRA group with its derived indicators (one row each)."""
    kom = kommuner(con)
    me = kom[kom["kommunenummer"] == kommunenummer]
    if me.empty or pd.isna(me["kostra_group"].iloc[0]):
        return pd.DataFrame()
    group = me["kostra_group"].iloc[0]
    wide = fastlege_wide(con, year, imported)
    d = derive(wide).merge(kom, on="kommunenummer")
    d = d[d["kostra_group"] == group].copy()
    d["is_selected"] = d["kommunenummer"] == kommunenummer
    return d


def map_values(con: duckdb.DuckDBPyConnection, year: int, imported: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every kommune (also those without data) with all derived indicators for a map."""
    kom = kommuner(con)
    d = derive(fastlege_wide(con, year, imported))
    cons = expected_consultations(con, year + 1)[["kommunenummer", "consultations_per_resident"]]
    return kom.merge(d, on="kommunenummer", how="left").merge(cons, on="kommunenummer", how="left")


def rank(values: pd.DataFrame, indicator: str, kommunenummer: str) -> tuple[int, int] | None:
    """(rank, number of kommuner with a value), 1 = highest value; None if the kommune has none."""
    col = values.set_index("kommunenummer")[indicator].dropna()
    if kommunenummer not in col.index:
        return None
    ranks = col.rank(ascending=False, method="min")
    return int(ranks[kommunenummer]), int(len(col))


# Indicators that compare fairly between areas of different size (ratios, not counts).
# Coverage first: the default of the comparison and the map (SSB's reserve index leaves out patients on lists
# without a doctor).
COMPARABLE = ("coverage", "reserve_capacity", "share_without_gp", "list_length", "female_share",
              "consultations_per_resident")
