"""Befolkningsframskriving: a cohort projection by single age and sex for every kommune to 2050.

Method (docs/befolkningsframskriving.md has the plain-language version and the backtest):
- Hamilton–Perry: cohort change ratios (CCR) by single year of age and sex, P(a+L, t+L) / P(a, t),
  pooled over several recent base periods; child–woman ratios (CWR) for the L youngest ages
  (children per woman aged 15–49 at the same date); an open-ended top group 105+.
- Damping: each kommune's pooled ratio is a credibility mix with its county's ratio, worth
  `damping` persons of denominator; the county's ratio is mixed with the national ratio the same
  way. Small kommuner lean on the county, large ones on their own history.
- Survival trend: from age 70, 1 − CCR (mostly deaths) falls by the national log-linear trend of
  the last ten years, so old-age survival keeps improving as it has (the evidence: 80+ backtest).
- Migration damping: for destination ages 16–56, log(CCR / CCR without net migration) shrinks by
  7.5 % a year over the projection (CCR without migration = min(1, national CCR)), in the kommuner
  and in the naive national projection alike (the evidence: 10-year backtests from 2011–2016).
- Candidates kept as options, off by default (docs: backtest against several base years): composite
  with a simple forecast of the total, convergence toward the county, a child–woman ratio trend, a
  cap on ratios relative to the county.
- National control (optional): after each step every kommune is scaled, by age group, so the sum
  over kommuner equals a national path: SSB's projection (never one made after the base year) or a
  naive Hamilton–Perry projection of Norway itself (for backtests).
- Alternatives: high/low = main × (SSB national alternative / SSB national main) by age group and
  year, for every kommune.
- Empirical uncertainty band: quantiles of the backtest's registered/projected ratios for kommuner
  of similar size, by age group and horizon.

Pure numpy/pandas; no Streamlit. Arrays are indexed [kommune, sex, age] with sex 0 = female,
1 = male and age 0..105 (105 = 105 or older).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

MAX_AGE = 105  # the open-ended top age group 105+ (as in SSB table 07459)
N_AGES = MAX_AGE + 1
SEXES: tuple[str, str] = ("female", "male")
FERTILE_AGES = (15, 49)  # women in these ages (inclusive) are the child–woman ratio's denominator
NATIONAL = "0000"
FIRST_COMPLETE_YEAR = 2006  # 1160 Vindafjord and 1576 Aure have no rows for 2005 in the source
# Kommuner whose registered history before a year is not their own: csdata gives 1508 Ålesund and
# 1580 Haram each half of the merged Ålesund (2020–2023) and of the sum of the old kommuner before,
# so the step to 2024 looks like +73 % and −72 %. Periods that start before that year are left out
# of their ratios (the county and national ratios fill in), once the base year is past it.
RELIABLE_FROM = {"1508": 2024, "1580": 2024}

# SSB's functional age groups used in the national projections (age_from, age_to inclusive).
SSB_PROJECTION_GROUPS: tuple[tuple[str, int, int], ...] = (
    ("0", 0, 0), ("1-5", 1, 5), ("6-12", 6, 12), ("13-15", 13, 15), ("16-19", 16, 19),
    ("20-44", 20, 44), ("45-66", 45, 66), ("67-79", 67, 79), ("80-89", 80, 89), ("90+", 90, MAX_AGE),
)
# Groups of the helper `age_groups` (overlapping): broad groups, then SSB's consultation-rate groups.
AGE_GROUPS: tuple[tuple[str, int, int], ...] = (
    ("total", 0, MAX_AGE), ("0-15", 0, 15), ("16-66", 16, 66), ("67+", 67, MAX_AGE), ("80+", 80, MAX_AGE),
    ("0-5", 0, 5), ("6-15", 6, 15), ("16-19", 16, 19), ("20-29", 20, 29), ("30-49", 30, 49),
    ("50-66", 50, 66), ("67-79", 67, 79), ("80-89", 80, 89), ("90+", 90, MAX_AGE),
)
BACKTEST_GROUPS: tuple[str, ...] = ("total", "0-15", "16-66", "67+", "80+")
ALTERNATIVE_KINDS = {"main": "projection_MMMM", "high": "projection_HHMH", "low": "projection_LLML"}
# Size classes for the empirical band: population at the base year, lower bound inclusive.
SIZE_CLASSES: tuple[tuple[str, int], ...] = (
    ("under 2 000", 0), ("2 000–4 999", 2_000), ("5 000–9 999", 5_000), ("10 000–19 999", 10_000),
    ("20 000–49 999", 20_000), ("50 000 og over", 50_000),
)

Control = Literal["ssb", "naive", "off"]
Alternative = Literal["main", "high", "low"]


@dataclass(frozen=True)
class ProjectionParams:
    """Options of the projection; defaults are the variant chosen by the backtest (see docs)."""

    base_year: int
    horizon_year: int = 2050
    n_periods: int = 12  # base periods pooled (base-j-L → base-j, j = 0..n-1); fewer if the data start later
    step_years: int = 1  # L: length of one projection step and of each base period (1 or 5)
    damping: float = 100.0  # prior weight in persons of denominator given to the county (and national) ratio
    age_window: int = 0  # kommune/county ratios pool num. and denom. over ages a±age_window (0 = none)
    cwr_periods: int = 1  # base periods pooled for the child–woman ratios (the latest ones)
    damping_cwr: float = 3000.0  # prior weight in women aged 15–49 for child–woman ratios
    survival_trend: bool = True  # extrapolate the national decline of 1 − CCR at old ages
    survival_trend_age: int = 70  # ... for ages from this age (start of the cohort step)
    survival_trend_years: int = 10  # ... fitted on this many latest one-year periods (national data)
    survival_trend_from_midpoint: bool = True  # trend counted from the middle of the pooled periods (else from base)
    convergence: float = 0.0  # yearly share by which a kommune's CCRs move toward the reference CCRs
    convergence_target: Literal["national", "county"] = "national"  # ... reference: national or county CCRs
    convergence_ages: tuple[int, int] = (0, MAX_AGE)  # ... destination ages (inclusive) that converge
    migration_damping: float = 0.075  # yearly share by which log(CCR / no-migration CCR) shrinks toward 0 (kommuner and naive national)
    migration_ages: tuple[int, int] = (16, 56)  # ... destination ages (inclusive) whose CCRs are damped
    migration_damping_national: bool = True  # ... also in the naive national projection (control 'naive')
    cwr_trend: bool = False  # extrapolate the national log-linear trend of the child–woman ratio
    cwr_trend_years: int = 10  # ... fitted on this many latest years (national data)
    cwr_trend_damping: float = 1.0  # ... damped trend: the yearly change is multiplied by this each year (1 = linear)
    ratio_cap: float = 0.0  # if > 0: a kommune's CCR stays within its county's CCR × exp(±ratio_cap)
    composite_weight: float = 0.0  # weight of a simple forecast of each kommune's total (0 = cohort only)
    composite_method: Literal["no_change", "county_share", "linear", "exponential"] = "county_share"
    composite_years: int = 10  # ... base period (years) of the linear/exponential trend of the total
    alternative: Alternative = "main"
    national_control: Control = "ssb"  # 'ssb' needs `national`; 'naive' = Hamilton–Perry for Norway; 'off'
    first_data_year: int = FIRST_COMPLETE_YEAR

    def __post_init__(self) -> None:
        if self.horizon_year < self.base_year:
            raise ValueError(f"horizon_year {self.horizon_year} is before base_year {self.base_year}")
        if self.step_years < 1 or self.step_years > FERTILE_AGES[0]:
            raise ValueError(f"step_years must be 1..{FERTILE_AGES[0]}, got {self.step_years}")
        if self.n_periods < 1 or self.cwr_periods < 1:
            raise ValueError("n_periods and cwr_periods must be at least 1")
        if min(self.damping, self.damping_cwr, self.age_window) < 0:
            raise ValueError("damping and age_window must be non-negative")
        if self.alternative not in ALTERNATIVE_KINDS:
            raise ValueError(f"alternative must be one of {sorted(ALTERNATIVE_KINDS)}")
        if not 0 <= self.survival_trend_age <= 99 or self.survival_trend_years < 0:
            raise ValueError("survival_trend_age must be 0..99 and survival_trend_years ≥ 0")
        if not 0.0 <= self.convergence <= 1.0:
            raise ValueError("convergence must be between 0 and 1")
        if self.convergence_target not in ("national", "county"):
            raise ValueError("convergence_target must be 'national' or 'county'")
        if not 0 <= self.convergence_ages[0] <= self.convergence_ages[1] <= MAX_AGE:
            raise ValueError(f"convergence_ages must be (lo, hi) with 0 ≤ lo ≤ hi ≤ {MAX_AGE}")
        if not 0.0 <= self.migration_damping <= 1.0:
            raise ValueError("migration_damping must be between 0 and 1")
        if not 1 <= self.migration_ages[0] <= self.migration_ages[1] < MAX_AGE:
            raise ValueError(f"migration_ages must be (lo, hi) with 1 ≤ lo ≤ hi < {MAX_AGE}")
        if self.cwr_trend_years < 0 or not 0.0 <= self.cwr_trend_damping <= 1.0:
            raise ValueError("cwr_trend_years must be ≥ 0 and cwr_trend_damping between 0 and 1")
        if self.ratio_cap < 0:
            raise ValueError("ratio_cap must be non-negative")
        if not 0.0 <= self.composite_weight <= 1.0 or self.composite_years < 1:
            raise ValueError("composite_weight must be between 0 and 1 and composite_years ≥ 1")
        if self.composite_method not in ("no_change", "county_share", "linear", "exponential"):
            raise ValueError("composite_method must be 'no_change', 'county_share', 'linear' or 'exponential'")
        if self.national_control not in ("ssb", "naive", "off"):
            raise ValueError("national_control must be 'ssb', 'naive' or 'off'")

    @property
    def first_year_needed(self) -> int:
        """The earliest registered year the ratios use (year)."""
        return self.base_year - self.step_years - max(self.n_periods, self.cwr_periods) + 1


PLAIN_HAMILTON_PERRY = {"n_periods": 1, "cwr_periods": 1, "step_years": 5, "damping": 0.0, "damping_cwr": 0.0,
                        "age_window": 0, "survival_trend": False, "convergence": 0.0, "cwr_trend": False,
                        "ratio_cap": 0.0, "composite_weight": 0.0, "migration_damping": 0.0,
                        "national_control": "off"}


def plain_params(base_year: int, horizon_year: int) -> ProjectionParams:
    """Textbook Hamilton–Perry: one 5-year base period, 5-year steps, no damping, no control."""
    return ProjectionParams(base_year=base_year, horizon_year=horizon_year, **PLAIN_HAMILTON_PERRY)


# ----------------------------------------------------------------------------------------------
# Registered data → arrays


@dataclass(frozen=True)
class _Cube:
    codes: np.ndarray  # kommunenummer of the kommuner (sorted, '0000' excluded)
    first_year: int
    counts: np.ndarray  # persons [year - first_year, kommune, sex, age]
    present: np.ndarray  # [year - first_year, kommune] True if the kommune has rows that year
    national: np.ndarray | None  # persons [year - first_year, sex, age] from '0000' rows, if given


def _arrow_strings(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A text column as Arrow strings (zero-copy for pandas' Arrow-backed str columns)."""
    arr = pa.array(values) if not isinstance(values.dtype, np.dtype) else pa.array(values.astype(str))
    return arr if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type) else pc.cast(arr, pa.string())


def _encode(text: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """(integer code of each row, sorted distinct values) of a text column."""
    encoded = pc.dictionary_encode(text)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.unify_dictionaries().combine_chunks() if encoded.num_chunks != 1 else encoded.chunk(0)
    names = np.array(encoded.dictionary.to_pylist(), dtype=object)
    order = np.argsort(names)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[np.asarray(encoded.indices, dtype=np.int64)], names[order]


def _row_mask(registered: pd.DataFrame, first_year: int, last_year: int,
              kommuner: list[str] | None) -> np.ndarray:
    """Rows of years first_year..last_year; with kommuner, only rows of their counties and '0000'."""
    year = np.asarray(registered["year"])
    mask = (year >= first_year) & (year <= last_year)
    if kommuner is None:
        return mask
    codes = _arrow_strings(registered["kommunenummer"])
    wanted = pc.equal(codes, NATIONAL)
    if not pc.any(wanted).as_py():
        return mask  # national ratios then come from the sum over all kommuner given
    for county in sorted({k[:2] for k in kommuner}):
        wanted = pc.or_(wanted, pc.starts_with(codes, pattern=county))
    if isinstance(wanted, pa.ChunkedArray):
        wanted = wanted.combine_chunks()
    return mask & np.asarray(wanted)


def _cube(registered: pd.DataFrame, first_year: int, last_year: int,
          kommuner: list[str] | None = None) -> _Cube:
    """Registered persons as a dense array for years first_year..last_year (see _row_mask for kommuner)."""
    missing = {"kommunenummer", "year", "sex", "age", "population"} - set(registered.columns)
    if missing:
        raise ValueError(f"registered population lacks columns {sorted(missing)}")
    mask = _row_mask(registered, first_year, last_year, kommuner)
    if not mask.any():
        raise ValueError(f"no registered population for {first_year}–{last_year}")
    keep = pa.array(mask)
    code, codes = _encode(_arrow_strings(registered["kommunenummer"]).filter(keep))
    sex_text = _arrow_strings(registered["sex"]).filter(keep)
    if not pc.all(pc.is_in(sex_text, value_set=pa.array(list(SEXES)))).as_py():
        raise ValueError("sex must be 'male' or 'female'")
    sex = np.asarray(pc.equal(sex_text, "male")).astype(np.int64)
    age = np.clip(np.asarray(registered["age"])[mask].astype(np.int64), 0, MAX_AGE)
    persons = np.asarray(registered["population"], dtype=float)[mask]
    if np.isnan(persons).any() or (persons < 0).any():
        raise ValueError("registered population has missing or negative values")
    n_years, n_codes = last_year - first_year + 1, len(codes)
    yi = np.asarray(registered["year"])[mask].astype(np.int64) - first_year
    flat = ((yi * n_codes + code) * 2 + sex) * N_AGES + age
    counts = np.bincount(flat, weights=persons, minlength=n_years * n_codes * 2 * N_AGES)
    counts = counts.reshape(n_years, n_codes, 2, N_AGES)
    present = np.bincount(yi * n_codes + code, minlength=n_years * n_codes).reshape(n_years, n_codes) > 0
    is_national = codes == NATIONAL
    national = None
    if is_national.any():
        j = int(np.flatnonzero(is_national)[0])
        national = counts[:, j]
        keep_k = ~is_national
        codes, counts, present = codes[keep_k], counts[:, keep_k], present[:, keep_k]
    return _Cube(codes, first_year, counts, present, national)


# ----------------------------------------------------------------------------------------------
# Ratios


def _reliable(present: np.ndarray, codes: np.ndarray, first_year: int, base_year: int) -> np.ndarray:
    """`present` with the years before RELIABLE_FROM marked absent for those kommuner (base year past it)."""
    out = present.copy()
    for code, year in RELIABLE_FROM.items():
        hit = np.flatnonzero(np.asarray(codes) == code)
        if len(hit) and base_year >= year:
            out[:max(0, year - first_year), hit] = False
    return out


def _pooled(counts: np.ndarray, present: np.ndarray, base_index: int, step: int,
            n_periods: int, cwr_periods: int) -> tuple[np.ndarray, np.ndarray]:
    """Pooled numerators and denominators [area, sex, destination age] of CCRs and CWRs."""
    n_areas = counts.shape[1]
    num = np.zeros((n_areas, 2, N_AGES))
    den = np.zeros((n_areas, 2, N_AGES))
    f0, f1 = FERTILE_AGES
    for j in range(max(n_periods, cwr_periods)):
        t1, t0 = base_index - j, base_index - j - step
        ok = (present[t1] & present[t0]).astype(float)[:, None, None]
        late, early = counts[t1] * ok, counts[t0] * ok
        if j < n_periods:
            num[:, :, step:] += late[:, :, step:]
            den[:, :, step:MAX_AGE] += early[:, :, :MAX_AGE - step]
            den[:, :, MAX_AGE] += early[:, :, MAX_AGE - step:].sum(axis=2)
        if j < cwr_periods:
            women = late[:, 0, f0:f1 + 1].sum(axis=1)
            num[:, :, :step] += late[:, :, :step]
            den[:, :, :step] += women[:, None, None]
    return num, den


def _survival_trend(national: np.ndarray, base_index: int, params: ProjectionParams) -> np.ndarray:
    """Annual slope [sex] of log(1 − one-year CCR) for ages ≥ survival_trend_age (≤ 99), national data."""
    has_data = national[:base_index + 1].sum(axis=(1, 2)) > 0
    missing = np.flatnonzero(~has_data)
    available = base_index - (int(missing[-1]) + 1 if len(missing) else 0)
    k = min(params.survival_trend_years, available)
    if not params.survival_trend or k < 3:
        return np.zeros(2)
    lo, hi = params.survival_trend_age, 99
    t = np.arange(k, dtype=float)
    rows = national[base_index - k:base_index + 1]  # years base-k .. base
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = rows[1:, :, lo + 1:hi + 2] / rows[:-1, :, lo:hi + 1]  # [period, sex, age]
        q = np.log(1.0 - ratio)
    slopes = np.full((2, hi - lo + 1), np.nan)
    tc = t - t.mean()
    for s in range(2):
        ok = np.isfinite(q[:, s]).all(axis=0)
        qs = q[:, s][:, ok]
        slopes[s, ok] = (tc[:, None] * (qs - qs.mean(axis=0))).sum(axis=0) / (tc ** 2).sum()
    n_ok = np.isfinite(slopes).sum(axis=1)
    return np.where(n_ok > 0, np.nansum(slopes, axis=1) / np.maximum(n_ok, 1), 0.0)


def _cwr_trend(national: np.ndarray, base_index: int, params: ProjectionParams) -> float:
    """Annual slope of log(0-year-olds / women 15–49) over the latest cwr_trend_years years, national data (0 = off)."""
    if not params.cwr_trend:
        return 0.0
    f0, f1 = FERTILE_AGES
    rows = national[:base_index + 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        cwr = rows[:, :, 0].sum(axis=1) / rows[:, 0, f0:f1 + 1].sum(axis=1)
    missing = np.flatnonzero(~(np.isfinite(cwr) & (cwr > 0)))
    first_ok = int(missing[-1]) + 1 if len(missing) else 0
    k = min(params.cwr_trend_years, base_index + 1 - first_ok)
    if k < 3:
        return 0.0
    y = np.log(cwr[base_index + 1 - k:])
    t = np.arange(k, dtype=float) - (k - 1) / 2
    return float((t * (y - y.mean())).sum() / (t ** 2).sum())


def _smooth_ages(x: np.ndarray, step: int, window: int) -> np.ndarray:
    """Sum over ages a-window..a+window within the cohort-change ages step..MAX_AGE-1."""
    if window == 0:
        return x
    inner = x[..., step:MAX_AGE]
    c = np.concatenate([np.zeros(inner.shape[:-1] + (1,)), np.cumsum(inner, axis=-1)], axis=-1)
    n = inner.shape[-1]
    idx = np.arange(n)
    hi, lo = np.minimum(idx + window + 1, n), np.maximum(idx - window, 0)
    out = x.copy()
    out[..., step:MAX_AGE] = c[..., hi] - c[..., lo]
    return out


def _fill_undefined(ratio: np.ndarray, step: int) -> np.ndarray:
    """National ratios with no denominator: CCR from the nearest younger age (else 1), CWR 0."""
    out = ratio.copy()
    cwr = out[..., :step]
    cwr[np.isnan(cwr)] = 0.0
    ccr = out[..., step:]
    for a in range(ccr.shape[-1]):  # at most 106 iterations over whole arrays; only for gaps
        col = ccr[..., a]
        if np.isnan(col).any():
            col[np.isnan(col)] = ccr[..., a - 1][np.isnan(col)] if a > 0 else 1.0
    return out


def _ratios(num: np.ndarray, den: np.ndarray, county: np.ndarray, national: np.ndarray,
            params: ProjectionParams) -> tuple[np.ndarray, np.ndarray]:
    """(damped ratios [kommune, sex, age]: kommune → county → national credibility mix, each kommune's county ratios)."""
    L, w = params.step_years, params.age_window
    m = np.full(N_AGES, float(params.damping))
    m[:L] = params.damping_cwr
    n_counties = int(county.max()) + 1 if len(county) else 0
    c_num = np.zeros((n_counties,) + num.shape[1:])
    c_den = np.zeros_like(c_num)
    np.add.at(c_num, county, num)
    np.add.at(c_den, county, den)
    c_num, c_den = _smooth_ages(c_num, L, w), _smooth_ages(c_den, L, w)
    k_num, k_den = _smooth_ages(num, L, w), _smooth_ages(den, L, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        c_ratio = (c_num + m * national) / (c_den + m)
        c_ratio = np.where(np.isfinite(c_ratio), c_ratio, national)
        ref = c_ratio[county]
        ratio = (k_num + m * ref) / (k_den + m)
    ratio = np.where(np.isfinite(ratio), ratio, ref)
    if params.ratio_cap > 0:
        ccr = ratio[:, :, L:]
        ratio[:, :, L:] = np.clip(ccr, ref[:, :, L:] * np.exp(-params.ratio_cap), ref[:, :, L:] * np.exp(params.ratio_cap))
    return ratio, ref


# ----------------------------------------------------------------------------------------------
# Stepping


def _group_index(groups: Sequence[tuple[str, int, int]]) -> np.ndarray:
    """Group number of each single age 0..MAX_AGE for non-overlapping groups covering all ages."""
    index = np.full(N_AGES, -1)
    for g, (_, lo, hi) in enumerate(groups):
        index[lo:hi + 1] = g
    if (index < 0).any():
        raise ValueError("age groups do not cover every age 0..105")
    return index


def _step(pop: np.ndarray, ratio: np.ndarray, step: int) -> np.ndarray:
    """One projection step of length `step` years: [area, sex, age] persons → persons."""
    new = np.empty_like(pop)
    new[:, :, step:MAX_AGE] = pop[:, :, :MAX_AGE - step] * ratio[:, :, step:MAX_AGE]
    new[:, :, MAX_AGE] = pop[:, :, MAX_AGE - step:].sum(axis=2) * ratio[:, :, MAX_AGE]
    f0, f1 = FERTILE_AGES
    women = new[:, 0, f0:f1 + 1].sum(axis=1)
    new[:, :, :step] = ratio[:, :, :step] * women[:, None, None]
    return new


def _control(pop: np.ndarray, target: np.ndarray, group_of_age: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(pop scaled by age group so the sum over areas of both sexes equals target[group], the factors)."""
    totals = np.bincount(group_of_age, weights=pop.sum(axis=(0, 1)), minlength=len(target))
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(totals > 0, target / totals, 1.0)
    return pop * factor[group_of_age], factor


@dataclass(frozen=True)
class _Drift:
    """What changes the ratios or totals over the projection steps (all optional)."""

    beta: np.ndarray  # survival trend [sex] (zeros = none)
    cwr_slope: float = 0.0  # yearly slope of log child–woman ratio (0 = none)
    reference: np.ndarray | None = None  # CCRs [area or 1, sex, age] the convergence moves toward
    no_migration: np.ndarray | None = None  # CCRs [sex, age] without net migration: min(1, national CCR)
    base_total: np.ndarray | None = None  # composite: persons [area] in the base year ...
    trend: np.ndarray | None = None  # ... linear: persons per year; exponential: growth factor per year [area]
    county: np.ndarray | None = None  # ... county index [area] (county_share)


def _cwr_change(slope: float, years: float, damping: float) -> float:
    """Factor on the child–woman ratio after `years` of a (damped) log-linear trend."""
    if damping >= 1.0:
        return float(np.exp(slope * years))
    return float(np.exp(slope * (1.0 - damping ** years) / (1.0 - damping)))


def _trended(ratio: np.ndarray, drift: _Drift, params: ProjectionParams, step_no: int) -> np.ndarray:
    """Ratios for projection step step_no (1-based): CCRs converged, old-age 1 − CCR and CWR trended."""
    L = params.step_years
    out = ratio
    if params.convergence > 0 and drift.reference is not None:
        keep = (1.0 - params.convergence) ** ((step_no - 1) * L + L / 2)
        lo, hi = max(params.convergence_ages[0], L), params.convergence_ages[1] + 1
        ref = drift.reference
        out = ratio.copy()
        out[:, :, lo:hi] = ref[:, :, lo:hi] + (ratio[:, :, lo:hi] - ref[:, :, lo:hi]) * keep
    if params.migration_damping > 0 and drift.no_migration is not None:
        keep = (1.0 - params.migration_damping) ** ((step_no - 1) * L + L / 2)
        lo, hi = max(params.migration_ages[0], L), params.migration_ages[1] + 1
        s0 = drift.no_migration[None, :, lo:hi]
        out = out.copy() if out is ratio else out
        with np.errstate(divide="ignore", invalid="ignore"):
            damped = s0 * np.power(out[:, :, lo:hi] / s0, keep)
        out[:, :, lo:hi] = np.where(np.isfinite(damped), damped, out[:, :, lo:hi])
    if drift.beta.any():
        years = step_no * L + ((params.n_periods - 1) / 2 if params.survival_trend_from_midpoint else 0.0)
        first = min(params.survival_trend_age + L, MAX_AGE)
        out = out.copy() if out is ratio else out
        out[:, :, first:] = 1.0 - (1.0 - out[:, :, first:]) * np.exp(drift.beta * years)[None, :, None]
    if drift.cwr_slope != 0.0:
        years = step_no * L + (params.cwr_periods - 1) / 2
        out = out.copy() if out is ratio else out
        out[:, :, :L] = out[:, :, :L] * _cwr_change(drift.cwr_slope, years, params.cwr_trend_damping)
    return out


def _simple_growth(pop: np.ndarray, before: np.ndarray, drift: _Drift, params: ProjectionParams,
                   t: int) -> np.ndarray:
    """Growth factor [area] of each area's total from year offset t−L to t by the simple forecast."""
    L = params.step_years
    method = params.composite_method
    if method == "no_change":
        return np.ones(len(pop))
    if method == "county_share":
        n = int(drift.county.max()) + 1
        after_c = np.bincount(drift.county, weights=pop.sum(axis=(1, 2)), minlength=n)
        before_c = np.bincount(drift.county, weights=before.sum(axis=(1, 2)), minlength=n)
        return _safe_div(after_c, before_c)[drift.county]
    if method == "linear":
        return _safe_div(drift.base_total + drift.trend * t, drift.base_total + drift.trend * (t - L))
    return drift.trend ** L  # exponential


def _composite(pop: np.ndarray, before: np.ndarray, drift: _Drift, params: ProjectionParams, t: int) -> np.ndarray:
    """pop scaled per area so its growth since `before` is the weighted mean of the cohort and the simple growth."""
    w = params.composite_weight
    cohort = _safe_div(pop.sum(axis=(1, 2)), before.sum(axis=(1, 2)))
    simple = _simple_growth(pop, before, drift, params, t)
    blended = (1.0 - w) * cohort + w * np.where(np.isfinite(simple), np.maximum(simple, 0.0), cohort)
    scale = np.where(np.isfinite(cohort) & (cohort > 0), _safe_div(blended, cohort), 1.0)
    return pop * scale[:, None, None]


def _run(start: np.ndarray, ratio: np.ndarray, params: ProjectionParams,
         group_of_age: np.ndarray, drift: _Drift, targets: np.ndarray | None = None,
         factors: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(persons [year offset 0..horizon-base, area, sex, age], control factors [year offset, group]).

    With `targets` [year offset, group] (NaN = no target that year) each year is scaled so the
    areas sum to the target; with `factors` the given factors are applied instead (a subset of
    kommuner then follows exactly the path it has in a controlled run of all kommuner).
    """
    L = params.step_years
    n_years = params.horizon_year - params.base_year
    n_steps = -(-n_years // L)
    n_groups = int(group_of_age.max()) + 1
    used = np.ones((n_years + 1, n_groups))
    points = [start]
    pop = start
    for s in range(1, n_steps + 1):
        before = pop
        pop = np.maximum(_step(pop, _trended(ratio, drift, params, s), L), 0.0)
        t = s * L
        if params.composite_weight > 0 and drift.base_total is not None:
            pop = _composite(pop, before, drift, params, t)
        if t <= n_years:
            if factors is not None:
                pop = pop * factors[t][group_of_age]
                used[t] = factors[t]
            elif targets is not None and not np.isnan(targets[t]).any():
                pop, used[t] = _control(pop, targets[t], group_of_age)
        points.append(pop)
    path = np.stack(points)
    if L > 1:  # linear interpolation between step points, then control of the years between
        offsets = np.arange(n_years + 1)
        left = offsets // L
        frac = (offsets - left * L) / L
        right = np.minimum(left + 1, n_steps)
        path = path[left] * (1 - frac)[:, None, None, None] + path[right] * frac[:, None, None, None]
        for t in range(1, n_years + 1):
            if t % L == 0:
                continue
            if factors is not None:
                path[t] = path[t] * factors[t][group_of_age]
                used[t] = factors[t]
            elif targets is not None and not np.isnan(targets[t]).any():
                path[t], used[t] = _control(path[t], targets[t], group_of_age)
    return path, used


# ----------------------------------------------------------------------------------------------
# National projections


def national_table(national: pd.DataFrame, base_year: int) -> tuple[int, dict[str, pd.DataFrame]]:
    """SSB's newest national projection made no later than base_year: (vintage, {alternative: persons[year × SSB group]})."""
    is_national = np.asarray(pc.equal(_arrow_strings(national["kommunenummer"]), NATIONAL))
    nat = national[is_national]
    nat = nat[nat["kind"].isin(ALTERNATIVE_KINDS.values()) & (nat["age_group"] != "total")]
    vintage_of_row = pd.to_numeric(nat["projection_vintage"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    made = sorted({int(v) for v in vintage_of_row[np.isfinite(vintage_of_row)]})
    usable = [v for v in made if v <= base_year]
    if not usable:
        raise ValueError(f"no national projection made by base year {base_year} (vintages given: {made}); "
                         "use national_control='naive' or 'off'")
    vintage = usable[-1]
    nat = nat[vintage_of_row == vintage]
    labels = [label for label, _, _ in SSB_PROJECTION_GROUPS]
    wide = nat.groupby(["kind", "year", "age_group"])["population"].sum().unstack("age_group")
    missing = set(labels) - set(wide.columns)
    if missing:
        raise ValueError(f"national projection {vintage} lacks groups {sorted(missing)}")
    out = {}
    for alt, kind in ALTERNATIVE_KINDS.items():
        if kind not in wide.index.get_level_values("kind"):
            raise ValueError(f"national projection {vintage} lacks {kind}")
        out[alt] = wide.loc[kind, labels].astype(float)
    return vintage, out


def _targets_from_table(table: pd.DataFrame, base_year: int, horizon_year: int) -> np.ndarray:
    """Targets [year offset, group]; NaN for years the table does not cover."""
    years = np.arange(base_year, horizon_year + 1)
    return table.reindex(years).to_numpy(dtype=float)


# ----------------------------------------------------------------------------------------------
# Public API


def effective_params(params: ProjectionParams) -> ProjectionParams:
    """params with n_periods and cwr_periods cut to the base periods the data allow (from first_data_year)."""
    available = params.base_year - params.step_years - params.first_data_year + 1
    if available < 1:
        raise ValueError(f"base year {params.base_year} needs data from {params.base_year - params.step_years}; "
                         f"the data start in {params.first_data_year}")
    return replace(params, n_periods=min(params.n_periods, available),
                   cwr_periods=min(params.cwr_periods, available))


@dataclass(frozen=True)
class _Prepared:
    cube: _Cube
    base_index: int
    ratio: np.ndarray  # damped ratios [kommune, sex, age]
    nat_ratio: np.ndarray  # national ratios [sex, age]
    nat_counts: np.ndarray  # national persons [year offset, sex, age]
    drift: _Drift  # trends, convergence reference and composite data of the kommuner
    nat_drift: _Drift  # trends of the naive national projection (no convergence, no composite)


def _prepare(registered: pd.DataFrame, params: ProjectionParams, kommuner: list[str] | None) -> _Prepared:
    """Registered data as arrays and every ratio the projection needs (params already effective)."""
    L = params.step_years
    first = params.first_year_needed
    if params.survival_trend:
        first = min(first, max(params.first_data_year, params.base_year - params.survival_trend_years))
    if params.cwr_trend:
        first = min(first, max(params.first_data_year, params.base_year - params.cwr_trend_years + 1))
    if params.composite_weight > 0 and params.composite_method in ("linear", "exponential"):
        first = min(first, max(params.first_data_year, params.base_year - params.composite_years))
    cube = _cube(registered, first, params.base_year, kommuner)
    base_index = params.base_year - first
    if not cube.present[base_index].any():
        which = f" among {kommuner}" if kommuner is not None else ""
        raise ValueError(f"no kommune{which} has registered population in base year {params.base_year}")
    present = _reliable(cube.present, cube.codes, first, params.base_year)
    num, den = _pooled(cube.counts, present, base_index, L, params.n_periods, params.cwr_periods)
    if cube.national is not None:
        nat_counts = cube.national
        nat_num, nat_den = _pooled(nat_counts[:, None], np.ones((len(nat_counts), 1), bool),
                                   base_index, L, params.n_periods, params.cwr_periods)
        nat_num, nat_den = nat_num[0], nat_den[0]
    else:
        nat_counts = cube.counts.sum(axis=1)
        nat_num, nat_den = num.sum(axis=0), den.sum(axis=0)
    beta = _survival_trend(nat_counts, base_index, params)
    cwr_slope = _cwr_trend(nat_counts, base_index, params)
    nat_ratio = _fill_undefined(_safe_div(nat_num, nat_den), L)
    _, county = np.unique([c[:2] for c in cube.codes], return_inverse=True)
    county = county.reshape(-1)
    ratio, county_ratio = _ratios(num, den, county, nat_ratio, params)
    reference = county_ratio if params.convergence_target == "county" else nat_ratio[None]
    base_total = trend = None
    if params.composite_weight > 0:
        totals = cube.counts.sum(axis=(2, 3))  # [year offset, kommune]
        base_total = totals[base_index]
        back = min(params.composite_years, base_index)
        past = totals[base_index - back]
        ok = cube.present[base_index - back] & cube.present[base_index] & (past > 0) & (back > 0)
        if params.composite_method == "linear":
            trend = np.where(ok, (base_total - past) / max(back, 1), 0.0)
        else:
            trend = np.where(ok, _safe_div(base_total, np.where(ok, past, 1.0)) ** (1.0 / max(back, 1)), 1.0)
    no_migration = np.minimum(nat_ratio, 1.0)
    drift = _Drift(beta, cwr_slope, reference, no_migration, base_total, trend, county)
    nat_drift = _Drift(beta, cwr_slope, no_migration=no_migration if params.migration_damping_national else None)
    return _Prepared(cube, base_index, ratio, nat_ratio, nat_counts, drift, nat_drift)


def _control_targets(prep: _Prepared, params: ProjectionParams, control: str,
                     tables: dict[str, pd.DataFrame] | None) -> np.ndarray | None:
    """National targets [year offset, SSB group] for the control, or None when it is off."""
    if control == "ssb":
        return _targets_from_table(tables["main"], params.base_year, params.horizon_year)
    if control == "naive":
        nat_params = replace(params, damping=0.0, age_window=0, convergence=0.0, ratio_cap=0.0,
                             composite_weight=0.0, national_control="off")
        nat_path, _ = _run(prep.nat_counts[prep.base_index][None], prep.nat_ratio[None],
                           nat_params, _group_index(SSB_PROJECTION_GROUPS), prep.nat_drift)
        return group_array(nat_path[:, 0], SSB_PROJECTION_GROUPS)
    return None


def _control_mode(params: ProjectionParams, national: pd.DataFrame | None) -> str:
    """'ssb', 'naive' or 'off' as it applies ('ssb' without SSB's projection means off)."""
    return "off" if params.national_control == "ssb" and national is None else params.national_control


def project_arrays(registered: pd.DataFrame, params: ProjectionParams,
                   national: pd.DataFrame | None = None, kommuner: Iterable[str] | None = None,
                   control_factors: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(kommunenummer array, persons [year offset, kommune, sex (female, male), age 0..105]) from base_year to horizon_year.

    Arguments as project_population; `control_factors` [year offset, SSB group] from
    national_control_factors replaces the national control (so one kommune needs no other kommune).
    """
    params = effective_params(params)
    control = _control_mode(params, national)
    wanted = None if kommuner is None else sorted({str(k) for k in kommuner})
    alone = control == "off" or control_factors is not None
    prep = _prepare(registered, params, wanted if alone else None)
    tables = None
    needs_ssb = params.alternative != "main" or (control == "ssb" and control_factors is None)
    if national is not None and needs_ssb:
        _, tables = national_table(national, params.base_year)
    elif params.alternative != "main":
        raise ValueError("alternatives 'high'/'low' need SSB's national projection (argument `national`)")
    targets = None if control_factors is not None else _control_targets(prep, params, control, tables)
    start = prep.cube.counts[prep.base_index]
    group_of_age = _group_index(SSB_PROJECTION_GROUPS)
    path, _ = _run(start, prep.ratio, params, group_of_age, prep.drift, targets, control_factors)
    path[0] = start  # the base year is the registered population
    if params.alternative != "main":
        main = _targets_from_table(tables["main"], params.base_year, params.horizon_year)
        alt = _targets_from_table(tables[params.alternative], params.base_year, params.horizon_year)
        factor = pd.DataFrame(_safe_div(alt, main)).ffill().fillna(1.0).to_numpy(copy=True)  # beyond SSB's last year: hold
        factor[0] = 1.0
        path = path * factor[:, group_of_age][:, None, None, :]
    codes = prep.cube.codes
    keep = prep.cube.present[prep.base_index]
    if wanted is not None:
        unknown = set(wanted) - set(codes[keep])
        if unknown:
            raise ValueError(f"no registered population in {params.base_year} for {sorted(unknown)}")
        keep = keep & np.isin(codes, wanted)
    return codes[keep], path[:, keep]


def national_control_factors(registered: pd.DataFrame, params: ProjectionParams,
                             national: pd.DataFrame | None = None) -> np.ndarray:
    """Control factors [year offset 0..horizon-base, SSB projection group] (1 = no scaling) of a run of all kommuner."""
    params = effective_params(replace(params, alternative="main"))
    control = _control_mode(params, national)
    group_of_age = _group_index(SSB_PROJECTION_GROUPS)
    if control == "off":
        return np.ones((params.horizon_year - params.base_year + 1, len(SSB_PROJECTION_GROUPS)))
    prep = _prepare(registered, params, None)
    tables = national_table(national, params.base_year)[1] if control == "ssb" else None
    targets = _control_targets(prep, params, control, tables)
    _, factors = _run(prep.cube.counts[prep.base_index], prep.ratio, params, group_of_age,
                      prep.drift, targets)
    return factors


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b with NaN where b is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b != 0, a / np.where(b != 0, b, 1.0), np.nan)


def _strings(values: Sequence[str], index: np.ndarray) -> pd.Series:
    """values[index] as a pandas string Series (through Arrow: fast for millions of rows)."""
    return pa.array(list(values), type=pa.string()).take(pa.array(index.astype(np.int32))).to_pandas()


def to_frame(codes: np.ndarray, path: np.ndarray, base_year: int) -> pd.DataFrame:
    """Long table kommunenummer, year, sex, age, population (float persons) from project_arrays output."""
    n_years, n_k = path.shape[0], path.shape[1]
    per_k = 2 * N_AGES
    return pd.DataFrame({
        "kommunenummer": _strings(codes, np.tile(np.repeat(np.arange(n_k), per_k), n_years)),
        "year": np.repeat(np.arange(base_year, base_year + n_years), n_k * per_k),
        "sex": _strings(SEXES, np.tile(np.repeat([0, 1], N_AGES), n_years * n_k)),
        "age": np.tile(np.arange(N_AGES), n_years * n_k * 2),
        "population": path.reshape(-1).astype(float),
    })


def project_population(registered: pd.DataFrame, params: ProjectionParams,
                       national: pd.DataFrame | None = None, kommuner: Iterable[str] | None = None,
                       control_factors: np.ndarray | None = None) -> pd.DataFrame:
    """Projected persons (float ≥ 0) by kommunenummer, year (1 January, base_year..horizon_year), sex, age 0..105.

    `registered`: columns kommunenummer, year, sex, age, population (population_single_age); pass
    every kommune (and '0000') so county damping and national control mean what they say.
    `national`: SSB projection rows as in population_by_age.csv (kommunenummer '0000'), needed for
    national_control='ssb' and for the high/low alternatives. `kommuner`: return only these.
    `control_factors`: from national_control_factors (same params) — lets a subset of kommuner be
    projected alone yet exactly as in a controlled run of all kommuner.
    """
    codes, path = project_arrays(registered, params, national, kommuner, control_factors)
    return to_frame(codes, path, params.base_year)


def age_groups(projection: pd.DataFrame, groups: Sequence[tuple[str, int, int]] = AGE_GROUPS) -> pd.DataFrame:
    """Persons by kommunenummer, year and age_group (both sexes summed; groups may overlap), long format."""
    code, names = _encode(_arrow_strings(projection["kommunenummer"]))
    year = np.asarray(projection["year"]).astype(np.int64)
    y0 = int(year.min()) if len(year) else 0
    n_years = int(year.max()) - y0 + 1 if len(year) else 0
    cell = code * n_years + (year - y0)
    age = np.clip(np.asarray(projection["age"]).astype(np.int64), 0, MAX_AGE)
    n_cells = len(names) * n_years
    sums = np.bincount(cell * N_AGES + age, weights=np.asarray(projection["population"], dtype=float),
                       minlength=n_cells * N_AGES).reshape(n_cells, N_AGES)
    seen = np.flatnonzero(np.bincount(cell, minlength=n_cells) > 0)
    cum = np.concatenate([np.zeros((len(seen), 1)), np.cumsum(sums[seen], axis=1)], axis=1)
    k_index, y_index = np.divmod(seen, n_years)
    parts = [pd.DataFrame({"kommunenummer": _strings(names, k_index), "year": y_index + y0,
                           "age_group": label, "population": cum[:, hi + 1] - cum[:, lo]})
             for label, lo, hi in groups]
    return pd.concat(parts, ignore_index=True)


def group_array(path: np.ndarray, groups: Sequence[tuple[str, int, int]] = AGE_GROUPS) -> np.ndarray:
    """Persons [..., group] from persons [..., sex, age] (both sexes summed)."""
    both = path.sum(axis=-2)
    return np.stack([both[..., lo:hi + 1].sum(axis=-1) for _, lo, hi in groups], axis=-1)


# ----------------------------------------------------------------------------------------------
# Backtest errors and the empirical band


def size_class(population: np.ndarray | pd.Series) -> np.ndarray:
    """Size class label (SIZE_CLASSES) for each total population (persons); None where unknown."""
    bounds = np.array([lo for _, lo in SIZE_CLASSES])
    labels = np.array([label for label, _ in SIZE_CLASSES] + [None], dtype=object)
    values = np.asarray(population, dtype=float)
    index = np.searchsorted(bounds, values, side="right") - 1
    return labels[np.where(np.isfinite(values) & (values >= 0), index, len(SIZE_CLASSES))]


def registered_cube(registered: pd.DataFrame, first_year: int, last_year: int) -> tuple[np.ndarray, np.ndarray]:
    """(kommunenummer array, registered persons [year offset, kommune, sex, age]) for the kommuner."""
    cube = _cube(registered, first_year, last_year)
    return cube.codes, cube.counts


def backtest_errors(registered: pd.DataFrame, params: ProjectionParams, base_years: Iterable[int],
                    last_year: int | None = None,
                    groups: Sequence[tuple[str, int, int]] = AGE_GROUPS) -> pd.DataFrame:
    """Projected vs registered persons by kommunenummer, base_year, horizon (years), age_group, with size_class and ratio registered/projected."""
    last = int(registered["year"].max()) if last_year is None else last_year
    codes_all, actual = registered_cube(registered, FIRST_COMPLETE_YEAR - 1, last)
    actual_groups = group_array(actual, groups)  # [year offset, kommune, group]
    index = {c: i for i, c in enumerate(codes_all)}
    frames = []
    labels = [label for label, _, _ in groups]
    for base in base_years:
        p = replace(params, base_year=base, horizon_year=last,
                    national_control="off" if params.national_control == "ssb" else params.national_control)
        codes, path = project_arrays(registered, p)
        projected = group_array(path[1:], groups)  # horizons 1..last-base
        rows = np.array([index[c] for c in codes])
        obs = actual_groups[base + 1 - (FIRST_COMPLETE_YEAR - 1):, rows]
        size = size_class(actual_groups[base - (FIRST_COMPLETE_YEAR - 1), rows, 0])
        n_h = projected.shape[0]
        h, k, g = np.meshgrid(np.arange(1, n_h + 1), np.arange(len(codes)), np.arange(len(labels)), indexing="ij")
        frames.append(pd.DataFrame({
            "kommunenummer": codes[k.ravel()], "base_year": base, "horizon": h.ravel(),
            "age_group": np.array(labels, dtype=object)[g.ravel()], "size_class": size[k.ravel()],
            "projected": projected.ravel(), "registered": obs.ravel()}))
    out = pd.concat(frames, ignore_index=True)
    out["ratio"] = _safe_div(out["registered"].to_numpy(), out["projected"].to_numpy())
    return out


def empirical_band(errors: pd.DataFrame, coverage: float = 0.8) -> pd.DataFrame:
    """Band by size_class and age_group: lower_slope, upper_slope (log of registered/projected per year of horizon), n, max_horizon.

    At each backtested horizon h the (1 − coverage)/2 and (1 + coverage)/2 quantiles of
    log(registered / projected) are taken over kommuner of the size class (all base years pooled);
    a line through the origin, q = slope × h, is then fitted to them, weighted by the number of
    kommune-base pairs at each horizon. The band is empirical: it says how far off the method has
    been for kommuner of that size, not a probability model.
    """
    tail = (1 - coverage) / 2
    ok = errors[np.isfinite(errors["ratio"]) & (errors["ratio"] > 0)].assign(log_ratio=lambda d: np.log(d["ratio"]))
    q = ok.groupby(["size_class", "age_group", "horizon"])["log_ratio"]
    per_h = pd.DataFrame({"lo": q.quantile(tail), "hi": q.quantile(1 - tail), "n": q.size()}).reset_index()
    per_h["w_h2"] = per_h["n"] * per_h["horizon"] ** 2
    per_h["w_lo"] = per_h["n"] * per_h["horizon"] * per_h["lo"]
    per_h["w_hi"] = per_h["n"] * per_h["horizon"] * per_h["hi"]
    sums = per_h.groupby(["size_class", "age_group"]).agg(
        w_h2=("w_h2", "sum"), w_lo=("w_lo", "sum"), w_hi=("w_hi", "sum"), n=("n", "sum"),
        max_horizon=("horizon", "max"))
    band = pd.DataFrame({"lower_slope": sums["w_lo"] / sums["w_h2"], "upper_slope": sums["w_hi"] / sums["w_h2"],
                         "n": sums["n"], "max_horizon": sums["max_horizon"]})
    return band.reset_index()


def with_band(grouped: pd.DataFrame, band: pd.DataFrame, base_year: int,
              base_population: pd.Series) -> pd.DataFrame:
    """`grouped` (age_groups output) plus columns lower and upper (persons) from the empirical band.

    lower = population × exp(lower_slope × horizon), upper likewise; beyond the longest backtested
    horizon (band column max_horizon) the line is extended (an assumption, stated in the docs).
    `base_population`: total persons by kommunenummer in the base year (gives the size class).
    """
    out = grouped.copy()
    horizon = (out["year"] - base_year).to_numpy()
    out["size_class"] = size_class(out["kommunenummer"].map(base_population).to_numpy())
    slopes = out[["size_class", "age_group"]].merge(band, on=["size_class", "age_group"], how="left")
    lo = np.exp(slopes["lower_slope"].to_numpy(dtype=float, na_value=np.nan) * horizon)  # NaN: no band
    hi = np.exp(slopes["upper_slope"].to_numpy(dtype=float, na_value=np.nan) * horizon)
    out["lower"] = out["population"].to_numpy() * lo
    out["upper"] = out["population"].to_numpy() * hi
    return out
