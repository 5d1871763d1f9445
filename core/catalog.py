"""The catalogue of statistics: SSB table 12005 metrics and the app's derived indicators.

Each entry names its Norwegian label, unit and source once; pages, charts and data/README.md
take their wording from here. Labels and descriptions are bokmål keys of the målform catalogue:
show them as t(m.label) (core.i18n).
"""

from __future__ import annotations

from dataclasses import dataclass

from core import glossary
from core.i18n import N_

SSB_12005 = "SSB, statistikkbanktabell 12005 «Fastlegelister og fastlegekonsultasjoner (K)»"
SSB_12005_URL = "https://www.ssb.no/statbank/table/12005/"
SSB_07459 = "SSB, statistikkbanktabell 07459 «Befolkning, etter region, kjønn, alder»"
SSB_CONSULT = "SSB, Allmennlegetjenesten 2023: konsultasjoner per person etter alder"
HDIR_FLO = N_("Helsedirektoratet, Allmennlegetjenesten – årsrapport 2023 (kilde: FLO), 4. kvartal")
KARTVERKET = N_("Kartverket (administrative enheter 2024, CC BY 4.0), forenklet")
KOSTRA = "SSB, KOSTRA-grupper (inndeling per 2020, 2024-kommunenummer)"


@dataclass(frozen=True)
class Metric:
    """One statistic: SSB code, Norwegian label, unit ('count', 'persons', 'pct', 'index', ...)."""

    name: str
    ssb_code: str
    label: str
    unit: str
    description: str


FASTLEGE_METRICS: tuple[Metric, ...] = (
    Metric("gp_agreements", "KOSantallavtaler0001", "Fastlegeavtaler med lege", "count",
           "Antall fastlegeavtaler (lister med fast lege)"),
    Metric("gp_agreements_total_incl_without_gp", "KOSantallavtaler0002", "Fastlegelister i alt",
           "count", "Antall fastlegeavtaler totalt, inkludert lister uten fast lege"),
    Metric("lists_without_gp", "KOSantallavtaler0000", "Lister uten lege", "count",
           "Fastlegelister uten lege"),
    Metric("patients_on_lists_with_gp", "KOSantallpasient0000", "Pasienter på liste med lege",
           "persons", "Antall pasienter på fastlegeliste med lege"),
    Metric("patients_on_lists_without_gp", "KOSantallpasient0001", "Pasienter på liste uten lege",
           "persons", "Antall pasienter på fastlegeliste uten lege"),
    Metric("share_patients_on_lists_without_gp_pct", "KOSandelpasiente0000",
           "Andel pasienter på liste uten lege", "pct", "Andel pasienter på liste uten lege (prosent)"),
    Metric("open_lists", "KOSaapnelister0000", "Åpne lister", "count",
           "Antall åpne fastlegelister"),
    Metric("avg_list_length", "KOSgjsnlisteleng0000", "Gjennomsnittlig listelengde",
           "persons per list", "Pasienter på liste med lege / antall fastlegeavtaler"),
    Metric("avg_list_length_adj_municipal_hours", "KOSgjsnllkomm0000",
           "Listelengde korrigert for kommunale timer", "persons per list",
           "Gjennomsnittlig listelengde korrigert for kommunale timer"),
    Metric("female_gps", "KOSantallkvinnel0000", "Kvinnelige fastleger", "count",
           "Antall kvinnelige leger"),
    Metric("female_gps_share_pct", "KOSandelkvinnele0000", "Andel kvinnelige fastleger", "pct",
           "Andel kvinnelige leger (prosent)"),
    Metric("list_capacity", "KOSkapasitet0000", "Sum listetak", "persons",
           "Kapasitet hos fastlegene (iht. liste): summen av listetakene på lister med lege"),
    Metric("computed_capacity", "KOSkapasitetbere0000", "Beregnet kapasitet", "persons",
           "Beregnet kapasitet hos fastlege"),
    Metric("reserve_capacity_index", "KOSreservekapasi0000", "Reservekapasitet", "index",
           "Sum listetak / pasienter på liste med lege × 100; over 100 betyr ledige plasser"),
)

METRICS_BY_NAME = {m.name: m for m in FASTLEGE_METRICS}

# The three metrics SSB publishes as a series 2015–; the rest exist for the latest year only.
TREND_METRICS = ("reserve_capacity_index", "avg_list_length", "share_patients_on_lists_without_gp_pct")

# Legeplan's coverage of ALL list patients, derived from 12005 (not a metric SSB publishes). SSB's reserve
# index divides by patients on lists WITH a doctor, so it rises while lists lose their doctor (issue 18).
COVERAGE_METRIC = Metric(
    "coverage_index", "", N_("Dekning"), "coverage index",
    N_("Sum listetak på lister med lege / alle listepasienter (med og uten lege) × 100"))
# Oversikt's trend tabs: coverage first, then SSB's published series.
OVERSIKT_TRENDS = (COVERAGE_METRIC.name, *TREND_METRICS)
TREND_LABELS = {  # the tab and axis label of each trend, the glossary's (core.glossary; shown as t(...))
    COVERAGE_METRIC.name: glossary.label("coverage_index"),
    "reserve_capacity_index": glossary.label("reserve_index"),
    "avg_list_length": glossary.label("list_length"),
    "share_patients_on_lists_without_gp_pct": glossary.label("share_without_gp"),
}
TREND_UNITS = {COVERAGE_METRIC.name: COVERAGE_METRIC.unit,
               **{m: METRICS_BY_NAME[m].unit for m in TREND_METRICS}}

UNIT_LABELS = {  # shown as t(UNIT_LABELS[unit])
    "count": N_("antall"),
    "persons": N_("personer"),
    "pct": N_("prosent"),
    "index": N_("indeks (100 = balanse)"),
    "persons per list": N_("personer per liste"),
    "consultations per resident": N_("konsultasjoner per innbygger"),
}
