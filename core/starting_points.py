"""Starting points for the capacity model: a kommune's statistics or a reference case's document."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from core import catalog, fmt
from core import overlay as ov
from core import reference_cases as rc
from core.capacity import CapacityBase
from core.db import query
from core.demography import registered_groups
from core.i18n import N_, t
from core.indicators import fastlege_wide, latest_year

ALVER_DOC = "Alver kommune: Notat auka kapasitet prosjekt og legeressurs, 04.11.2021"
STAVANGER_DOC = "Stavanger kommune: Temaplan for allmennlegetjenesten 2024–2027"

# Labels shown through t() (N_ marks them for the catalogue).
REFERENCE_CASES = {
    "alver_2021": N_("Alver 2021 (notat 04.11.2021)"),
    "stavanger_2023": N_("Stavanger 2023 (temaplan 2024–2027)"),
}


def residents_at_end_of(con: duckdb.DuckDBPyConnection, kommunenummer: str, year: int) -> float | None:
    """Registered residents on 1 January of year+1 (≈ 31 December of `year`), or None."""
    df = query(con, """SELECT sum(population) AS p FROM population_single_age
                       WHERE kommunenummer = ? AND year = ?""", [kommunenummer, year + 1])
    value = df["p"].iloc[0]
    return None if pd.isna(value) else float(value)


def registered_by_group(con: duckdb.DuckDBPyConnection, kommunenummer: str) -> pd.DataFrame:
    """Registered residents by SSB consultation age group at the end of each year (index year).

    The population of 1 January Y+1 stands for 31 December Y, the reference time of table 12005.
    """
    groups = registered_groups(con, kommunenummer)
    groups.index = groups.index - 1
    return groups


def from_statistics(con: duckdb.DuckDBPyConnection, kommunenummer: str, year: int | None = None,
                    imported: pd.DataFrame | None = None,
                    imported_population: pd.DataFrame | None = None,
                    turnover: Turnover | None = None) -> CapacityBase | None:
    """The kommune's starting point from SSB 12005 (latest year) and SSB 07459, or None if missing.

    `turnover`: the national turnover for the leaver and recruit defaults; read from the database when
    not given (many kommuner at once pass the one they read).

    `imported` / `imported_population`: imports in force (core.overlay) replace the bundled 12005
    values and the residents on 1 January after the year; the source then names the import.
    """
    year = year or latest_year(con)
    mine = ov.select(imported, kommunenummer=kommunenummer, year=year)
    wide = fastlege_wide(con, year, mine)
    row = wide[wide["kommunenummer"] == kommunenummer]
    if row.empty or pd.isna(row["list_capacity"].iloc[0]):
        return None
    r = row.iloc[0]
    residents = ov.residents(imported_population, kommunenummer, year + 1)
    pop_used = None if residents is None else ov.select(imported_population, kommunenummer=kommunenummer,
                                                        year=year + 1)
    residents = residents if residents is not None else residents_at_end_of(con, kommunenummer, year)
    if residents is None:
        return None
    name = query(con, "SELECT display_name FROM kommune WHERE kommunenummer = ?", [kommunenummer])
    label = f"{name['display_name'].iloc[0]} – SSB {year}"
    source = t("{lists}, {year}; folketall 1.1.{next_year}, {population}", lists=catalog.SSB_12005, year=year,
               next_year=year + 1, population=catalog.SSB_07459)
    if (used := ov.note(mine, pop_used, bundled=f"{catalog.SSB_12005} og {catalog.SSB_07459}")) is not None:
        label = t("{label} med innlastede tall", label=label)
        source = t("{used}; {year}, folketall 1.1.{next_year}", used=used, year=year, next_year=year + 1)
    hjemler, vacant = int(r["gp_agreements_total_incl_without_gp"]), int(r["lists_without_gp"])
    turnover = turnover or national_turnover(con)
    with_gp = hjemler - vacant
    note = turnover_note(turnover, with_gp)
    return CapacityBase(
        label=label, kommunenummer=kommunenummer, year=year,
        hjemler=hjemler,
        vacant_lists=vacant,
        list_capacity=float(r["list_capacity"]),
        patients_with_gp=float(r["patients_on_lists_with_gp"]),
        patients_without_gp=float(r["patients_on_lists_without_gp"]),
        residents=residents,
        exits_per_year=turnover.exit_rate * with_gp if turnover else 0.0,
        recruits_per_year=turnover.entry_rate * with_gp if turnover else 0.0,
        source=source,
        notes=(note,), turnover_note=note,
    )


@dataclass(frozen=True)
class Turnover:
    """National GP turnover in one year: the default for leavers and recruits (shares per year)."""

    year: int
    left: float  # GPs who left the scheme that year
    started: float  # GPs who started
    gps_at_start: float  # GPs at the end of the year before
    source: str

    @property
    def exit_rate(self) -> float:
        """Share of GPs who leave per year."""
        return self.left / self.gps_at_start

    @property
    def entry_rate(self) -> float:
        """New GPs per year as a share of the GPs at the start of the year."""
        return self.started / self.gps_at_start


HDIR_TURNOVER = N_("Helsedirektoratet: over {started} nye fastleger og {left} som sluttet i {year} (pressemelding "
                   "april 2024), av {gps} fastleger ved utgangen av {prev} (årsrapport 2023)")


def national_turnover(con: duckdb.DuckDBPyConnection, year: int = 2023) -> Turnover | None:
    """GPs who left and started nationally in `year` against the GPs at the end of the year before, or None."""
    rows = query(con, "SELECT name, value FROM parameter WHERE name IN (?, ?)",
                 [f"fastleger_left_{year}", f"fastleger_started_{year}"])
    values = dict(zip(rows["name"], rows["value"], strict=True))
    gps = query(con, "SELECT value FROM national_key_figure WHERE indicator = 'gps_fastleger' AND period = ?",
                [f"{year - 1}-Q4"])
    if len(values) < 2 or gps.empty:
        return None
    left, started, before = values[f"fastleger_left_{year}"], values[f"fastleger_started_{year}"], gps["value"].iloc[0]
    return Turnover(year=year, left=float(left), started=float(started), gps_at_start=float(before),
                    source=HDIR_TURNOVER)


def turnover_note(turnover: Turnover | None, lists_with_gp: float, exits: float | None = None) -> str:
    """One sentence: which leaver and recruit rates the starting point uses, and what they give here.

    `exits`: leavers per year from the case document instead of the national rate.
    """
    if turnover is None:
        return t("Landstall for avgang og rekruttering mangler i dataene: ingen avgang eller rekruttering forutsatt.")
    values = {"year": turnover.year, "left": _n(turnover.left), "gps": _n(turnover.gps_at_start),
              "exit_rate": _pct(turnover.exit_rate), "started": _n(turnover.started),
              "entry_rate": _pct(turnover.entry_rate), "recruits": _n(_snap(turnover.entry_rate * lists_with_gp), 2)}
    if exits is None:
        return t("Avgang og rekruttering følger landet i {year}: {left} av {gps} fastleger sluttet ({exit_rate}) og "
                 "over {started} begynte ({entry_rate}). Her gir det {exits} leger som slutter og inntil {recruits} "
                 "ledige lister som besettes per år: dagens utskifting fortsetter.",
                 exits=_n(_snap(turnover.exit_rate * lists_with_gp), 2), **values)
    return t("Avgangen er dokumentets: {exits} per år. Rekrutteringen følger landet i {year}: over {started} av "
             "{gps} fastleger begynte ({entry_rate}); her inntil {recruits} ledige lister som besettes per år.",
             exits=_n(exits, 2), **values)


def _snap(x: float, step: float = 0.05) -> float:
    """As the lever shows it (steps of 0,05: fine enough for a kommune with one GP, 0,06 leavers a year)."""
    return round(x / step) * step


def _n(x: float, decimals: int = 0) -> str:
    return fmt.number(x, decimals, trim=True)


def _pct(share: float) -> str:
    return fmt.percent(share, 1)


def _ref(con: duckdb.DuckDBPyConnection, case_id: str) -> dict[str, float]:
    df = query(con, "SELECT metric, value FROM reference_case WHERE case_id = ?", [case_id])
    return dict(zip(df["metric"], df["value"], strict=True))


def from_reference(con: duckdb.DuckDBPyConnection, case_id: str) -> CapacityBase:
    """A reference case as starting point, with the document as source and derivations stated."""
    ref = _ref(con, case_id)
    turnover = national_turnover(con)
    knr, year = rc.kommune_of(case_id), rc.year_of(case_id)
    if case_id == "alver_2021":
        capacity, free = ref["list_capacity"], ref["free_places"]
        lists = int(ref["hjemler"])
        note = turnover_note(turnover, lists)
        return CapacityBase(
            label=t(REFERENCE_CASES[case_id]), kommunenummer=knr, year=year,
            hjemler=int(ref["hjemler"]), vacant_lists=0, list_capacity=capacity,
            patients_with_gp=capacity - free, patients_without_gp=0.0,
            residents=residents_at_end_of(con, knr, year) or 0.0,
            waiting_list=ref["waiting_list"], lis1_places=int(ref["lis1_places"]),
            exits_per_year=turnover.exit_rate * lists if turnover else 0.0,
            recruits_per_year=turnover.entry_rate * lists if turnover else 0.0,
            turnover_note=note,
            source=t("{document}; folketall 1.1.2022, {population}", document=ALVER_DOC,
                     population=catalog.SSB_07459),
            notes=(
                t("26 hjemler, sum listetak 29 400, 417 ledige plasser, 779 på venteliste og 5 LIS1-plasser "
                  "er notatets tall."),
                t("Pasienter på lister med lege = 29 400 − 417 = 28 983 (avledet fra notatet)."),
                t("«Ingen faste heimlar er for tida ubesett»: ingen lister uten lege."),
                note,
            ),
        )
    if case_id == "stavanger_2023":
        gps, avg_cap = int(ref["gps"]), ref["avg_list_cap"]
        ssb_reserve = float(query(con, """SELECT value FROM fastlege WHERE kommunenummer = ? AND year = ?
                                          AND metric = 'reserve_capacity_index'""", [knr, year])["value"].iloc[0])
        exits = (ref["retirements_10y_low"] + ref["retirements_10y_high"]) / 2 / 10
        capacity = gps * avg_cap
        patients = capacity * 100.0 / ssb_reserve  # one base: the plan's lists, SSB's published reserve
        note = turnover_note(turnover, gps, exits=exits)
        return CapacityBase(
            label=t(REFERENCE_CASES[case_id]), kommunenummer=knr, year=year,
            hjemler=gps, vacant_lists=0, list_capacity=capacity,
            patients_with_gp=patients, patients_without_gp=0.0,
            residents=residents_at_end_of(con, knr, year) or 0.0,
            external_patients=ref["list_patients_other_kommuner"], exits_per_year=exits,
            recruits_per_year=turnover.entry_rate * gps if turnover else 0.0,
            turnover_note=note,
            lis1_places=int(ref["lis1_places"]),
            source=t("{document}; reservekapasitet 2023: {lists}; folketall 1.1.2024, {population}",
                     document=STAVANGER_DOC, lists=catalog.SSB_12005, population=catalog.SSB_07459),
            notes=(
                t("130 fastleger og gjennomsnittlig listetak 1 180 (1. kvartal 2023) er temaplanens tall: "
                  "sum listetak 130 × 1 180 = {capacity}.", capacity=_n(capacity)),
                t("Temaplanen oppgir ikke antall listepasienter. SSB publiserer reservekapasitet {reserve} for "
                  "Stavanger 2023, så pasientene på listene settes til sum listetak × 100 / {reserve} = {patients}: "
                  "ett utgangspunkt der planens lister og SSBs reservekapasitet stemmer.",
                  reserve=_n(ssb_reserve), patients=_n(patients)),
                t("Om lag 11 000 listepasienter bor i andre kommuner (1. kvartal 2023)."),
                t("35–40 fastleger ventes å gå av med pensjon på 10 år: 3,75 per år er satt som avgang "
                  "(temaplanens tall, bare pensjonering)."),
                note,
                t("Legene ba i 2022 om 1 750 færre listeplasser (temaplanen); det ligger i listetaket for 1. kvartal "
                  "2023. Spaken «Endring i sum listetak» = −1 750 viser et nytt år som 2022."),
            ),
        )
    raise KeyError(case_id)


def all_from_statistics(con: duckdb.DuckDBPyConnection) -> list[CapacityBase]:
    """Every kommune with SSB figures for the latest year, as starting points."""
    codes = query(con, "SELECT kommunenummer FROM kommune ORDER BY kommunenummer")["kommunenummer"]
    turnover = national_turnover(con)
    return [b for k in codes if (b := from_statistics(con, k, turnover=turnover)) is not None]
