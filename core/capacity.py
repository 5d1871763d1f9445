"""Fastlegekapasitet: GP list supply against demand, year by year from a base year to a horizon.

The model (method in docs/fastlegekapasitet.md):
- demand: list patients follow the resident population (keeping the base year's ratio of
  residents on lists), plus patients living in other kommuner; consultations = residents by age ×
  consultations per person by age;
- supply: hjemler (lists) = base + new − closed; GPs leave and vacant lists are filled each year;
  a list that loses its GP keeps its patients, who then count as patients without a doctor;
- outputs: sum of list caps, free places, reserve capacity index (as SSB defines it: places on
  lists with a doctor / patients on those lists), the coverage index (places on lists with a
  doctor / ALL list patients: the headline, since the reserve index rises when lists lose their
  doctor), GPs per 1 000 residents, consultations per GP, and the hjemler that must be filled or
  created to reach a target coverage (vacant lists count: a list without a doctor gives no place).
- `verdict` says whether a year is better or worse than another by what happens to patients.

The year loop runs on numpy arrays, so one call can project one kommune or all kommuner at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from core.i18n import N_, t
from core.params import CHOICE, NUMBER, SLIDER, SLIDER_NUMBER, lever

# SSB's age groups for consultation rates (Allmennlegetjenesten 2023), upper bound inclusive.
AGE_GROUPS: tuple[tuple[str, int, int | None], ...] = (
    ("0-5", 0, 5), ("6-15", 6, 15), ("16-19", 16, 19), ("20-29", 20, 29), ("30-49", 30, 49),
    ("50-66", 50, 66), ("67-79", 67, 79), ("80-89", 80, 89), ("90+", 90, None),
)
RATE_FIELDS = tuple("rate_" + label.replace("-", "_").replace("+", "_plus") for label, _, _ in AGE_GROUPS)
SSB_RATES_2023 = N_("SSB, Allmennlegetjenesten 2023: konsultasjoner hos fastlege per person etter alder")
FIRST_MODEL_YEAR = 2021
LAST_MODEL_YEAR = 2050


@dataclass(frozen=True)
class CapacityBase:
    """The starting point: a kommune's GP lists in the base year (31 December) and where from."""

    label: str
    kommunenummer: str
    year: int
    hjemler: int  # all GP lists (agreements), with or without a doctor
    vacant_lists: int  # lists without a doctor
    list_capacity: float  # sum of list caps of lists with a doctor (SSB KOSkapasitet)
    patients_with_gp: float
    patients_without_gp: float
    residents: float  # residents at the end of the base year (1 January the year after)
    external_patients: float = 0.0  # list patients living in other kommuner
    exits_per_year: float = 0.0  # GPs who leave per year (default of the lever)
    recruits_per_year: float = 0.0  # vacant lists filled per year (default of the lever)
    turnover_note: str = ""  # which leaver and recruit rates the defaults use, in a sentence
    waiting_list: float | None = None
    lis1_places: int | None = None
    source: str = ""
    notes: tuple[str, ...] = ()

    @property
    def lists_with_gp(self) -> int:
        """Lists that have a doctor."""
        return self.hjemler - self.vacant_lists

    @property
    def avg_cap(self) -> float:
        """Average list cap of lists with a doctor (persons per list)."""
        return self.list_capacity / self.lists_with_gp if self.lists_with_gp else 0.0

    @property
    def first_year(self) -> int:
        """The first year after the base year: the default start of changes."""
        return self.year + 1

    @property
    def list_patients(self) -> float:
        """All list patients, with and without a doctor."""
        return self.patients_with_gp + self.patients_without_gp


G_HORIZON = N_("Horisont og mål")
G_HJEMLER = N_("Hjemler")
G_LEGER = N_("Leger: avgang og rekruttering")
G_TAK = N_("Listetak")
G_BEHOV = N_("Befolkning og etterspørsel")
G_RATES = N_("Konsultasjoner per innbygger etter alder")

_RATE_DEFAULTS = (1.9, 1.4, 2.4, 2.6, 3.2, 3.5, 3.9, 4.8, 3.5)  # SSB 2023, in AGE_GROUPS order


def _rate(i: int) -> float:
    """The lever for consultations per person in age group i (label from AGE_GROUPS)."""
    label, lo, hi = AGE_GROUPS[i]
    text = f"{lo}–{hi} år" if hi is not None else f"{lo} år og eldre"
    return lever(label=text, unit="per person", default=_RATE_DEFAULTS[i], min=0.0, max=15.0, step=0.1,
                 group=G_RATES, source=SSB_RATES_2023)


@dataclass(frozen=True)
class CapacityParams:
    """Every lever of the capacity model; defaults name their source."""

    horizon: int = lever(label="Planhorisont", unit="år", default=2040, min=2026, max=LAST_MODEL_YEAR,
                         step=1, group=G_HORIZON, basis=CHOICE,
                         source=N_("Valg: 2040, året Stavangers temaplan 2024–2027 regner veksten i 80+ fram til "
                                   "(over 5 000 flere); planen selv gjelder 2024–2027"))
    target_reserve: float = lever(
        label="Mål for dekning", unit="indeks", default=100.0, min=90.0, max=130.0, step=1.0,
        group=G_HORIZON,
        source=N_("SSB, tabell 12005: 100 = like mange plasser som pasienter. Stavangers temaplan 2024–2027 ber "
                  "om «en viss overkapasitet» uten å tallfeste den: sett målet over 100 om kommunen vil det"),
        help="Sum listetak på lister med lege / alle listepasienter × 100 (dekning). Uten lister uten lege er "
             "dette SSBs «reservekapasitet».")
    # Registry ranges of count levers are the widest any kommune gets (Oslo's 611 hjemler: 0–204);
    # the page narrows them to the kommune (lever_bounds). They bound links read without a kommune.
    new_hjemler: int = lever(label="Nye hjemler", unit="hjemler", default=0, min=0, max=300, step=1,
                             widget=SLIDER_NUMBER, group=G_HJEMLER, basis=CHOICE,
                             source=N_("Ingen nye hjemler i utgangspunktet"),
                             help="Nye hjemler regnes som besatt fra startåret.")
    new_from_year: int = lever(label="Nye hjemler fra år", unit="år", default=2026, min=FIRST_MODEL_YEAR,
                               max=LAST_MODEL_YEAR, step=1, group=G_HJEMLER, default_from="first_year",
                               basis=CHOICE, source=N_("Året etter basisåret"))
    new_list_cap: int = lever(label="Listetak for nye hjemler", unit="personer", default=1000, min=200,
                              max=2500, step=1, widget=SLIDER_NUMBER, group=G_HJEMLER, default_from="avg_cap",
                              source=N_("Kommunens gjennomsnittlige listetak i basisåret"))
    closed_hjemler: int = lever(label="Nedlagte hjemler", unit="hjemler", default=0, min=0, max=300, step=1,
                                widget=SLIDER, group=G_HJEMLER, basis=CHOICE,
                                source=N_("Ingen nedleggelser i utgangspunktet"),
                                help="Ledige lister legges ned først; pasientene deres fordeles på de andre.")
    closed_from_year: int = lever(label="Nedlagt fra år", unit="år", default=2026, min=FIRST_MODEL_YEAR,
                                  max=LAST_MODEL_YEAR, step=1, group=G_HJEMLER, default_from="first_year",
                                  basis=CHOICE, source=N_("Året etter basisåret"))
    exits_per_year: float = lever(
        label="Leger som slutter per år", unit="leger per år", default=0.0, min=0.0, max=300.0, step=0.05,
        widget=SLIDER_NUMBER, group=G_LEGER, default_from="exits_per_year",
        source=N_("Helsedirektoratet: 300 av 5 057 fastleger sluttet i 2023 (5,9 % per år), ganget med kommunens "
                  "leger i basisåret. Stavanger-caset: 35–40 av 130 går av med pensjon på 10 år (temaplan "
                  "2024–2027), dvs. 3,75 per år"),
        help="Listen blir stående uten lege, med pasientene, til den besettes.")
    recruits_per_year: float = lever(
        label="Ledige lister som besettes per år", unit="lister per år", default=0.0, min=0.0, max=300.0,
        step=0.05, widget=SLIDER_NUMBER, group=G_LEGER, default_from="recruits_per_year",
        source=N_("Helsedirektoratet: over 500 nye fastleger i 2023 av 5 057 (9,9 % per år), ganget med kommunens "
                  "leger i basisåret; bare ledige lister kan besettes"),
        help="Så mange ledige lister får ny fast lege hvert år (høyst så mange som står ledige).")
    cap_change_places: int = lever(
        label="Endring i sum listetak", unit="plasser", default=0, min=-300_000, max=300_000, step=1,
        widget=SLIDER_NUMBER, group=G_TAK, basis=CHOICE,
        source=N_("Ingen endring. Stavanger 2022: legene ba om 1 750 færre plasser, om lag 14 per liste "
                  "(temaplan 2024–2027)"),
        help="Fordeles på listene med lege det året endringen gjelder. Negativt tall: færre plasser.")
    cap_change_year: int = lever(label="Listetaket endres fra år", unit="år", default=2026,
                                 min=FIRST_MODEL_YEAR, max=LAST_MODEL_YEAR, step=1, group=G_TAK,
                                 default_from="first_year", basis=CHOICE, source=N_("Året etter basisåret"))
    cap_trend: float = lever(
        label="Årlig endring i listetak", unit="personer per liste per år", default=0.0, min=-50.0,
        max=50.0, step=1.0, group=G_TAK, basis=CHOICE,
        source=N_("Ingen endring. Stavanger 2022: om lag −14 per liste det året (temaplan 2024–2027)"),
        help="Legges til alle lister med lege hvert år etter basisåret.")
    keep_workload: bool = lever(
        label="Hold hver leges arbeidsmengde konstant", unit="", default=False, group=G_TAK, basis=CHOICE,
        source=N_("Av: listetakene står fast"),
        help="På: listetaket senkes i takt med at konsultasjoner per innbygger øker med alderen.")
    alternative: str = lever(
        label="Befolkningsframskriving", unit="", default="main", options=("main", "high", "low"),
        group=G_BEHOV,
        source=N_("Hovedalternativet: SSBs nasjonale hovedalternativ (2026) som ramme for Legeplans "
                  "kommunefordeling; høy og lav følger SSBs alternativer for høy og lav nasjonal vekst"))
    own_projection: bool = lever(
        label="Bruk Legeplans framskriving også der SSB har en egen", unit="", default=False, group=G_BEHOV,
        basis=CHOICE,
        source=N_("Der SSBs egen framskriving for kommunen finnes (2026-runden, nå Telemark), brukes den; "
                  "ellers Legeplans (docs/befolkningsframskriving.md)"),
        help="SSBs kommunetall ligger i SSBs aldersgrupper; Legeplan fordeler dem på konsultasjonsgruppene "
             "etter sin egen aldersfordeling. Slå på for å bruke Legeplans framskriving i stedet.")
    growth_adjustment: float = lever(
        label="Justering av befolkningsveksten", unit="prosent per år", default=0.0, min=-0.03, max=0.03,
        step=0.001, group=G_BEHOV, display_scale=100.0, basis=CHOICE,
        source=N_("Ingen justering av befolkningsframskrivingen"),
        help="Legges på veksten i framskrivingen hvert år etter basisåret.")
    external_patients: int = lever(
        label="Listepasienter bosatt i andre kommuner", unit="personer", default=0, min=0, max=200_000,
        step=1, widget=NUMBER, group=G_BEHOV, default_from="external_patients",
        source=N_("Ukjent for de fleste kommuner (0). Stavanger: ca. 11 000 (temaplan 2024–2027)"),
        help="Disse følger ikke kommunens befolkningsvekst.")
    external_change: int = lever(
        label="Endring i pasienter fra andre kommuner", unit="personer per år", default=0, min=-5000,
        max=5000, step=50, group=G_BEHOV, basis=CHOICE, source=N_("Ingen endring forutsatt"))
    rate_0_5: float = _rate(0)
    rate_6_15: float = _rate(1)
    rate_16_19: float = _rate(2)
    rate_20_29: float = _rate(3)
    rate_30_49: float = _rate(4)
    rate_50_66: float = _rate(5)
    rate_67_79: float = _rate(6)
    rate_80_89: float = _rate(7)
    rate_90_plus: float = _rate(8)

    # URL keys of levers that were replaced: a link or saved scenario with one gets a message, not silence.
    RETIRED = {"cap_change": N_("Lenken har «Endring i listetak per liste», som er erstattet av «Endring i sum "
                                "listetak» (plasser). Den gamle verdien er ikke brukt; sett endringen på nytt.")}

    @property
    def rates(self) -> np.ndarray:
        """Consultations per person per year by SSB age group, in AGE_GROUPS order."""
        return np.array([getattr(self, f) for f in RATE_FIELDS], dtype=float)


OUTPUT_COLUMNS = (
    "year", "residents", "list_patients", "hjemler", "lists_with_gp", "vacant_lists", "avg_cap",
    "capacity", "patients_with_gp", "patients_without_gp", "free_places", "reserve_index",
    "gps_per_1000", "consultations", "consultations_per_resident", "consultations_per_gp",
    "extra_hjemler_needed", "coverage_index", "uncovered_patients",
)


def _ratio(num: np.ndarray, den: np.ndarray, scale: float = 1.0) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1.0) * scale, np.nan)
    return out


def project_arrays(base: dict[str, np.ndarray], population: np.ndarray, years: np.ndarray,
                   params: CapacityParams) -> dict[str, np.ndarray]:
    """The model on arrays: base values (shape k), population (years × k × age groups) → outputs.

    `population[i]` is the residents by SSB age group at the end of `years[i]`; `years[0]` is the
    base year. Every output has shape (len(years), k).
    """
    n_years = len(years)
    t0 = int(years[0])
    growth = (1.0 + params.growth_adjustment) ** (years - t0)
    pop = population * growth[:, None, None]
    residents = pop.sum(axis=2)
    consultations_res = pop @ params.rates  # (years, k)
    cpr = _ratio(consultations_res, residents)

    n0 = base["patients_with_gp"] + base["patients_without_gp"]
    external0 = np.minimum(np.full_like(n0, float(params.external_patients)), n0)
    external = np.maximum(external0[None, :] + params.external_change * (years - t0)[:, None], 0.0)
    resident_patients0 = n0 - external0
    list_patients = resident_patients0[None, :] * _ratio(residents, residents[0][None, :]) + external
    list_patients = np.nan_to_num(list_patients, nan=0.0)

    # supply state
    g = base["hjemler"] - base["vacant_lists"]
    v = base["vacant_lists"].astype(float)
    h = base["hjemler"].astype(float)
    g = g.astype(float)
    cap = base["list_capacity"].astype(float)
    w = base["patients_without_gp"].astype(float)
    out = {k: np.zeros((n_years, len(n0))) for k in OUTPUT_COLUMNS if k != "year"}

    for i, year in enumerate(years):
        n = list_patients[i]
        if i > 0:
            avg_cap = _ratio(cap, g)
            avg_cap = np.nan_to_num(avg_cap, nan=float(params.new_list_cap))
            p_with = np.maximum(n - w, 0.0)
            avg_len = np.nan_to_num(_ratio(p_with, g), nan=0.0)
            exits = np.minimum(params.exits_per_year, g)
            g, v = g - exits, v + exits
            cap = cap - exits * avg_cap
            w = w + exits * avg_len
            per_vacant = np.nan_to_num(_ratio(w, v), nan=0.0)
            recruits = np.minimum(params.recruits_per_year, v)
            g, v = g + recruits, v - recruits
            cap = cap + recruits * avg_cap
            w = np.maximum(w - recruits * per_vacant, 0.0)
        if year == params.closed_from_year and params.closed_hjemler > 0:
            closing = np.minimum(float(params.closed_hjemler), h)
            from_vacant = np.minimum(closing, v)
            per_vacant = np.nan_to_num(_ratio(w, v), nan=0.0)
            w = np.maximum(w - from_vacant * per_vacant, 0.0)
            v = v - from_vacant
            from_staffed = np.minimum(closing - from_vacant, g)
            cap = cap - from_staffed * np.nan_to_num(_ratio(cap, g), nan=0.0)
            g = g - from_staffed
            h = h - from_vacant - from_staffed
        if year == params.new_from_year and params.new_hjemler > 0:
            g = g + params.new_hjemler
            h = h + params.new_hjemler
            cap = cap + params.new_hjemler * params.new_list_cap
        if year == params.cap_change_year and params.cap_change_places != 0:
            cap = np.where(g > 0, np.maximum(cap + params.cap_change_places, 0.0), cap)
        if i > 0 and params.cap_trend != 0:
            cap = np.maximum(cap + g * params.cap_trend, 0.0)

        g = np.where(g < 1e-6, 0.0, g)  # a vanishing fraction of a doctor is no doctor
        w = np.where(g > 0, np.minimum(w, n), n)  # no list has a doctor: nobody has one
        workload = np.ones_like(n)
        if params.keep_workload:
            workload = np.nan_to_num(_ratio(cpr[0], cpr[i]), nan=1.0)
        capacity = cap * workload
        p_with = n - w
        # Vacant lists give no places: the hjemler needed count the vacancies that must be filled too.
        need = params.target_reserve / 100.0 * n - capacity
        new_cap = params.new_list_cap * workload
        out["residents"][i] = residents[i]
        out["list_patients"][i] = n
        out["hjemler"][i] = h
        out["lists_with_gp"][i] = g
        out["vacant_lists"][i] = v
        out["avg_cap"][i] = _ratio(capacity, g)
        out["capacity"][i] = capacity
        out["patients_with_gp"][i] = p_with
        out["patients_without_gp"][i] = w
        out["free_places"][i] = capacity - p_with
        out["reserve_index"][i] = _ratio(capacity, p_with, 100.0)
        out["gps_per_1000"][i] = _ratio(g, residents[i], 1000.0)
        out["consultations"][i] = cpr[i] * n
        out["consultations_per_resident"][i] = cpr[i]
        out["consultations_per_gp"][i] = _ratio(cpr[i] * n, g)
        out["extra_hjemler_needed"][i] = np.where(
            need > 0, np.ceil(np.round(need / np.where(new_cap > 0, new_cap, 1.0), 9)), 0.0)
        out["coverage_index"][i] = np.where(n > 0, _ratio(capacity, n, 100.0), 100.0)
        out["uncovered_patients"][i] = np.maximum(n - capacity, 0.0)
    return out


def base_arrays(base: CapacityBase) -> dict[str, np.ndarray]:
    """One base as the arrays `project_arrays` takes (k = 1)."""
    return {
        "hjemler": np.array([base.hjemler], dtype=float),
        "vacant_lists": np.array([base.vacant_lists], dtype=float),
        "list_capacity": np.array([base.list_capacity], dtype=float),
        "patients_with_gp": np.array([base.patients_with_gp], dtype=float),
        "patients_without_gp": np.array([base.patients_without_gp], dtype=float),
    }


def project(base: CapacityBase, demography: pd.DataFrame, params: CapacityParams) -> pd.DataFrame:
    """Year-by-year projection for one starting point, base year to params.horizon.

    `demography` has one row per year (index) from base.year to at least params.horizon and one
    column per SSB age group (AGE_GROUPS labels): residents at the end of that year. The base
    year's residents are rescaled to base.residents so the base year matches the statistics.
    Returns OUTPUT_COLUMNS; counts in persons or lists, index 100 = balance.
    """
    years = np.arange(base.year, max(params.horizon, base.year) + 1)
    labels = [label for label, _, _ in AGE_GROUPS]
    rows = demography.index.get_indexer(years)
    if (rows < 0).any():
        missing = [int(y) for y, r in zip(years, rows, strict=True) if r < 0]
        raise ValueError(f"befolkningstall mangler for årene {missing[0]}–{missing[-1]}")
    pop = demography[labels].to_numpy(dtype=float)[rows]
    first = pop[0].sum()
    if first > 0 and base.residents > 0:
        pop = pop * (base.residents / first)
    out = project_arrays(base_arrays(base), pop[:, None, :], years, params)
    frame = pd.DataFrame({k: v[:, 0] for k, v in out.items()})
    frame.insert(0, "year", years)
    return frame


def targets_reached(result: pd.DataFrame, target: float) -> int | None:
    """The first year the coverage index reaches `target` and stays there, else None."""
    ok = (result["coverage_index"] >= target - 1e-9).to_numpy()
    for i in range(len(ok)):
        if ok[i:].all():
            return int(result["year"].iloc[i])
    return None


def _met_as_shown(result: pd.DataFrame, target: float) -> np.ndarray:
    """Per year: coverage as the tiles show it (one decimal) is at or over `target`."""
    return result["coverage_index"].to_numpy(dtype=float).round(1) >= target - 1e-9


def first_met(result: pd.DataFrame, target: float) -> int | None:
    """The first year coverage (as shown, one decimal) meets `target`, else None."""
    met = _met_as_shown(result, target)
    return int(result["year"].iloc[int(met.argmax())]) if met.any() else None


def falls_below(result: pd.DataFrame, target: float) -> int | None:
    """The year coverage (as shown) falls under `target` for the rest of the period after meeting it
    (Alver 2021: 101,4 in 2021, under 100 from 2024); None when it never met it or holds to the end."""
    met = _met_as_shown(result, target)
    if met[-1] or not met.any():
        return None
    return int(result["year"].iloc[int(np.flatnonzero(met)[-1]) + 1])


BETTER, SAME, MIXED, WORSE = "better", "same", "mixed", "worse"
PATIENT_TOLERANCE = 0.5  # fewer patients than this is no patient
COVERAGE_TOLERANCE = 0.05  # coverage is shown with one decimal


def verdict(before: Mapping[str, float], after: Mapping[str, float]) -> str:
    """Is `after` better or worse than `before` for the patients? BETTER, SAME, MIXED or WORSE.

    Judged by what happens to patients, never by the sign of one number: more patients without a GP
    is always WORSE (whatever the reserve index or free places do); otherwise lower coverage is
    WORSE, higher coverage or fewer patients without a GP is BETTER, and one up with the other
    down is MIXED. Each of `before`/`after` needs coverage_index and patients_without_gp.
    """
    d_without = float(after["patients_without_gp"]) - float(before["patients_without_gp"])
    d_coverage = float(after["coverage_index"]) - float(before["coverage_index"])
    if d_without >= PATIENT_TOLERANCE:
        return WORSE
    fewer_without = d_without <= -PATIENT_TOLERANCE
    if d_coverage <= -COVERAGE_TOLERANCE:
        return MIXED if fewer_without else WORSE
    if d_coverage >= COVERAGE_TOLERANCE or fewer_without:
        return BETTER
    return SAME


def with_changes(params: CapacityParams, **changes: object) -> CapacityParams:
    """A copy of params with some levers changed (never mutate parameters)."""
    return replace(params, **changes)


def isfinite_frame(frame: pd.DataFrame) -> bool:
    """True when every numeric value is finite (the model never shows NaN or inf)."""
    values = frame.select_dtypes("number").to_numpy(dtype=float)
    return bool(np.isfinite(values).all()) and not math.isnan(float(values.sum()))


YEAR_LEVERS = ("new_from_year", "closed_from_year", "cap_change_year")

COUNT_SHARE = 3  # count levers reach a third of the kommune's hjemler: 0 … ⌈hjemler / 3⌉
MIN_HJEMLER_RANGE = 10  # … but at least 0–10 hjemler
MIN_TURNOVER_RANGE = 5  # … and at least 0–5 leavers or recruits per year


def _ceil_to(x: float, unit: int) -> int:
    """x rounded up to a whole number of `unit`s."""
    return int(math.ceil(x / unit - 1e-9)) * unit


def lever_bounds(base: CapacityBase, defaults: CapacityParams | None = None) -> dict[str, tuple[float, float]]:
    """The capacity levers' ranges fitted to a starting point: {lever name: (lo, hi)} (docs/fastlegekapasitet.md).

    - years: the base year … LAST_MODEL_YEAR; the horizon from the year after the base year;
    - new and closed hjemler: 0 … max(10, ⌈hjemler / 3⌉) (Alver 2021, 26 → 0–10; Stavanger 130 → 0–44;
      Oslo 611 → 0–204);
    - leavers and recruits per year: 0 … max(5, ⌈hjemler / 3⌉), a third of the doctors in one year (the
      national pace is 5,9 % leaving and 9,9 % recruited a year, so the default sits well inside);
    - list cap of new hjemler: ½ … 1½ × the kommune's average list cap, out to whole hundreds;
    - change in the sum of list caps: ± max(1 000, ⅓ of today's sum of list caps, up to whole hundreds).
    Each range stays within the registry's and is widened to hold the lever's value in `defaults`.
    """
    from core.params import levers

    third = -(-max(base.hjemler, 0) // COUNT_SHARE)
    out: dict[str, tuple[float, float]] = {name: (base.year, LAST_MODEL_YEAR) for name in YEAR_LEVERS}
    out["horizon"] = (base.year + 1, LAST_MODEL_YEAR)
    for name in ("new_hjemler", "closed_hjemler"):
        out[name] = (0, max(MIN_HJEMLER_RANGE, third))
    for name in ("exits_per_year", "recruits_per_year"):
        out[name] = (0.0, float(max(MIN_TURNOVER_RANGE, third)))
    if base.avg_cap > 0:
        out["new_list_cap"] = (math.floor(base.avg_cap / 2 / 100) * 100, _ceil_to(base.avg_cap * 1.5, 100))
    places = max(1000, _ceil_to(max(base.list_capacity, 0.0) / COUNT_SHARE, 100))
    out["cap_change_places"] = (-places, places)
    registry = {lv.name: lv for lv in levers(CapacityParams)}
    for name, (lo, hi) in list(out.items()):
        lv = registry[name]
        lo, hi = max(lo, lv.min), min(hi, lv.max)
        if defaults is not None:
            value = getattr(defaults, name)
            lo, hi = min(lo, value), max(hi, value)
        if lo < hi:
            out[name] = (lo, hi)
        else:  # a range with no room (a kommune without lists): the registry's
            out[name] = (lv.min, lv.max)
    return out


SUPPLY_GROUPS = (G_HJEMLER, G_LEGER, G_TAK)


def without_supply_changes(params: CapacityParams, defaults: CapacityParams) -> CapacityParams:
    """The scenario with hjemler, GPs and list caps back at their defaults and demand unchanged.

    The reference a scenario's extra cost is measured against: same population, horizon and target.
    """
    from core.params import levers

    return replace(params, **{lv.name: getattr(defaults, lv.name)
                              for lv in levers(CapacityParams) if lv.group in SUPPLY_GROUPS})


def fit_to_base(params: CapacityParams, base: CapacityBase) -> tuple[CapacityParams, list[str]]:
    """Clamp the horizon and the year levers to [base year, horizon]; (params, Norwegian messages)."""
    messages = []
    changes: dict[str, int] = {}
    horizon = max(params.horizon, base.year)
    if horizon != params.horizon:
        changes["horizon"] = horizon
        messages.append(t("Planhorisonten kan ikke ligge før basisåret {year}; {horizon} brukes.",
                          year=base.year, horizon=horizon))
    for name in YEAR_LEVERS:
        value = getattr(params, name)
        clamped = min(max(value, base.year), horizon)
        if clamped != value:
            changes[name] = clamped
            messages.append(t("Året {value} ligger utenfor {first}–{last}; {clamped} brukes.",
                              value=value, first=base.year, last=horizon, clamped=clamped))
    return replace(params, **changes), messages


def project_many(bases: list[CapacityBase], population: np.ndarray, years: np.ndarray,
                 params: CapacityParams) -> dict[str, np.ndarray]:
    """Many starting points with the same base year at once (a national view).

    `population` is years × len(bases) × age groups (residents at the end of each year, years[0]
    = the common base year); each kommune's base-year residents are rescaled to its base.
    Returns OUTPUT_COLUMNS (without year) as years × kommuner arrays.
    """
    if len({b.year for b in bases}) != 1 or int(years[0]) != bases[0].year:
        raise ValueError("alle utgangspunkter må ha samme basisår som befolkningstallene")
    first = population[0].sum(axis=1)
    residents = np.array([b.residents for b in bases], dtype=float)
    scale = np.where(first > 0, residents / np.where(first > 0, first, 1.0), 1.0)
    arrays = {k: np.concatenate([base_arrays(b)[k] for b in bases]) for k in base_arrays(bases[0])}
    return project_arrays(arrays, population * scale[None, :, None], years, params)


def national_view(bases: list[CapacityBase], population: np.ndarray, years: np.ndarray,
                  params: CapacityParams) -> pd.DataFrame:
    """Every kommune's base year and horizon year side by side (one row per kommune)."""
    out = project_many(bases, population, years, params)
    return pd.DataFrame({
        "kommunenummer": [b.kommunenummer for b in bases],
        "reserve_base": out["reserve_index"][0],
        "reserve_horizon": out["reserve_index"][-1],
        "coverage_base": out["coverage_index"][0],
        "coverage_horizon": out["coverage_index"][-1],
        "without_gp_base": out["patients_without_gp"][0],
        "without_gp_horizon": out["patients_without_gp"][-1],
        "list_patients_change": out["list_patients"][-1] / out["list_patients"][0] - 1.0,
        "consultations_per_resident_change": (out["consultations_per_resident"][-1]
                                              / out["consultations_per_resident"][0] - 1.0),
        "extra_hjemler_needed": out["extra_hjemler_needed"][-1],
        "hjemler_base": out["hjemler"][0],
    })
