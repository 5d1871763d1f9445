"""Starting points for the capacity model: a kommune's statistics or a reference case's document."""

from __future__ import annotations

import duckdb
import pandas as pd

from core import catalog
from core import overlay as ov
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
                    imported_population: pd.DataFrame | None = None) -> CapacityBase | None:
    """The kommune's starting point from SSB 12005 (latest year) and SSB 07459, or None if missing.

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
    return CapacityBase(
        label=label, kommunenummer=kommunenummer, year=year,
        hjemler=int(r["gp_agreements_total_incl_without_gp"]),
        vacant_lists=int(r["lists_without_gp"]),
        list_capacity=float(r["list_capacity"]),
        patients_with_gp=float(r["patients_on_lists_with_gp"]),
        patients_without_gp=float(r["patients_on_lists_without_gp"]),
        residents=residents,
        source=source,
    )


def _ref(con: duckdb.DuckDBPyConnection, case_id: str) -> dict[str, float]:
    df = query(con, "SELECT metric, value FROM reference_case WHERE case_id = ?", [case_id])
    return dict(zip(df["metric"], df["value"], strict=True))


def from_reference(con: duckdb.DuckDBPyConnection, case_id: str) -> CapacityBase:
    """A reference case as starting point, with the document as source and derivations stated."""
    ref = _ref(con, case_id)
    if case_id == "alver_2021":
        capacity, free = ref["list_capacity"], ref["free_places"]
        return CapacityBase(
            label=t(REFERENCE_CASES[case_id]), kommunenummer="4631", year=2021,
            hjemler=int(ref["hjemler"]), vacant_lists=0, list_capacity=capacity,
            patients_with_gp=capacity - free, patients_without_gp=0.0,
            residents=residents_at_end_of(con, "4631", 2021) or 0.0,
            waiting_list=ref["waiting_list"], lis1_places=int(ref["lis1_places"]),
            source=t("{document}; folketall 1.1.2022, {population}", document=ALVER_DOC,
                     population=catalog.SSB_07459),
            notes=(
                t("26 hjemler, sum listetak 29 400, 417 ledige plasser, 779 på venteliste og 5 LIS1-plasser "
                  "er notatets tall."),
                t("Pasienter på lister med lege = 29 400 − 417 = 28 983 (avledet fra notatet)."),
                t("«Ingen faste heimlar er for tida ubesett»: ingen lister uten lege."),
            ),
        )
    if case_id == "stavanger_2023":
        gps, avg_cap = int(ref["gps"]), ref["avg_list_cap"]
        ssb_len = query(con, """SELECT value FROM fastlege WHERE kommunenummer = '1103'
                                AND year = 2023 AND metric = 'avg_list_length'""")["value"].iloc[0]
        exits = (ref["retirements_10y_low"] + ref["retirements_10y_high"]) / 2 / 10
        return CapacityBase(
            label=t(REFERENCE_CASES[case_id]), kommunenummer="1103", year=2023,
            hjemler=gps, vacant_lists=0, list_capacity=gps * avg_cap,
            patients_with_gp=gps * float(ssb_len), patients_without_gp=0.0,
            residents=residents_at_end_of(con, "1103", 2023) or 0.0,
            external_patients=ref["list_patients_other_kommuner"], exits_per_year=exits,
            lis1_places=int(ref["lis1_places"]),
            source=t("{document}; listelengde 2023: {lists}; folketall 1.1.2024, {population}",
                     document=STAVANGER_DOC, lists=catalog.SSB_12005, population=catalog.SSB_07459),
            notes=(
                t("130 fastleger og gjennomsnittlig listetak 1 180 (1. kvartal 2023) er temaplanens tall: "
                  "sum listetak 130 × 1 180 = {capacity}.", capacity=f"{gps * avg_cap:,.0f}".replace(",", " ")),
                t("Temaplanen oppgir ikke antall listepasienter. Her brukes 130 × SSBs gjennomsnittlige "
                  "listelengde for 2023 ({length}); det gir reservekapasitet under 100, mens SSB "
                  "oppgir 100 for utgangen av 2023 – tallene gjelder ulike tidspunkt.", length=f"{ssb_len:.0f}"),
                t("Om lag 11 000 listepasienter bor i andre kommuner (1. kvartal 2023)."),
                t("35–40 fastleger ventes å gå av med pensjon på 10 år: 3,75 per år er satt som avgang."),
            ),
        )
    raise KeyError(case_id)


def all_from_statistics(con: duckdb.DuckDBPyConnection) -> list[CapacityBase]:
    """Every kommune with SSB figures for the latest year, as starting points."""
    codes = query(con, "SELECT kommunenummer FROM kommune ORDER BY kommunenummer")["kommunenummer"]
    return [b for k in codes if (b := from_statistics(con, k)) is not None]
