"""Økonomi: what one fastlege hjemmel costs the kommune under each operating form, per year.

The model (method in docs/okonomi.md):
- næringsdrift (self-employed GP): the kommune pays basistilskudd per list resident under the rule
  of the chosen period, plus any driftstilskudd/rekrutteringstilskudd it has agreed;
- fastlønn (municipal employment): the kommune pays salary, employer's tax, pension, premises and
  equipment, and support staff; it receives Helfo refunds, co-payments and other income per
  consultation (by default the national average of the period's year: all refunds and co-payments of
  the fastlege scheme / all GP consultations, `income_per_consultation`), and pays no basistilskudd
  for the list;
- blandet (the kommune runs the office, the GP keeps the fees): the kommune pays premises and staff,
  keeps the basistilskudd (null-avtale), and may receive a payment from the GP.

Every default comes from data/sources/parameters.csv (source and date in the lever's `source`) or
is a clearly labelled example (EXAMPLE) that the kommune must replace with its own figure.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import duckdb
import numpy as np
import pandas as pd

from core import fmt
from core.i18n import N_, t
from core.params import CHOICE, lever
from core.params import EXAMPLE as EXAMPLE_BASIS

EXAMPLE = N_("Eksempelverdi – ingen offentlig kilde; skriv inn kommunens eget tall")
HELFO_2016 = N_("Helfo, «Basistilskudd for fastlegeordningen i kommunene»: 442 kr per listeinnbygger "
                 "fra 1.7.2016")
HDIR_2021 = N_("Helsedirektoratet, Handlingsplan for allmennlegetjenesten – årsrapport 2021: 642 kr for de "
                "første 1 000 og 526 kr over knekkpunktet fra 1.7.2021 (642 = 526 + knekkpunkttillegg 116)")
KS_2022 = N_("KS, resultat av takstoppgjøret for legene 2022: 675 kr for de første 1 000 og 544 kr for "
              "listeinnbygger 1 001–2 500 fra 1.7.2022 til 30.4.2023")
HDIR_2023 = N_("Helsedirektoratet, Allmennlegetjenesten – årsrapport 2023: pasienttilpasset basistilskudd "
                "fra 1.5.2023, nasjonal gjennomsnittssats 841,80 kr fra 1.7.2023")
HDIR_2023_LATEST = N_("Helsedirektoratet, Allmennlegetjenesten – årsrapport 2023: pasienttilpasset basistilskudd "
                       "fra 1.5.2023, nasjonal gjennomsnittssats 841,80 kr fra 1.7.2023 (nyere snittsats finnes "
                       "ikke i kildetabellen)")
NORMALTARIFF_2AD = N_("Normaltariffen (Legeforeningens nettbok, Spesialisttariffen-utgaven), takst 2ad: "
                       "honorar 175 kr, refusjon 15 kr, egenandel 160 kr; siden er udatert")
# Takst 2ad (consultation in the day) in the Normaltariff web book: only an explanation on the page, never a default.
TAKST_2AD = {"honorar": 175, "refusjon": 15, "egenandel": 160}
SSB_CONSULTATIONS = N_("SSB, Allmennlegetjenesten 2023: 3,0 konsultasjoner hos fastlege per innbygger (landet)")
GRUNNTILSKUDD = N_("Helsedirektoratet, årsrapport 2021: næringsdrivende fastlege med under 500 på listen og "
                    "listetak over 500 får basistilskudd som for 500 i inntil to år etter avtalestart")
NULL_AVTALE = N_("KS 2020, «Variasjoner i kommunenes subsidiering av fastlegeordningen»: kommunen beholder "
                  "basistilskuddet mot å drive lokaler, personale, utstyr eller IKT (null-avtale)")
FASTLONN_RULE = N_("Helsedirektoratet, Allmennlegetjenesten – årsrapport 2023: ved kommunal drift med "
                    "fastlønnede leger får kommunen refusjonene og egenandelene og bærer kostnadene")


@dataclass(frozen=True)
class RulePeriod:
    """The rates in force in one period: basistilskudd rule, and one day-time co-payment (an explanation only)."""

    key: str
    label: str
    rule: str  # "flat", "tiers" or "average"
    segments: tuple[tuple[float, float, float], ...]  # (from, to, kr per list resident) for flat/tiers
    basis_source: str
    copayment: float
    copayment_source: str
    average_rate: float = 0.0  # national average rate of the patient-adjusted model
    cite: str = ""  # the sources in a few words, for chart captions

    @property
    def basis_text(self) -> str:
        """The basistilskudd rule in one Norwegian phrase."""
        if self.rule == "average":
            return t("pasienttilpasset basistilskudd (kommunens snittsats per listeinnbygger)")
        if self.rule == "flat":
            return t("flat sats {rate} per listeinnbygger", rate=_kr(self.segments[0][2]))
        first, second = self.segments[0], self.segments[1]
        if math.isinf(second[1]):
            return t("{rate} for de første {n} og {rate2} per listeinnbygger over knekkpunktet",
                     rate=_kr(first[2]), n=_int(first[1]), rate2=_kr(second[2]))
        return t("{rate} for de første {n} og {rate2} per listeinnbygger over knekkpunktet opp til {upper}",
                 rate=_kr(first[2]), n=_int(first[1]), rate2=_kr(second[2]), upper=_int(second[1]))


def _int(x: float) -> str:
    return fmt.number(int(x))


def _kr(x: float) -> str:
    return fmt.kroner(x, ore=True)


INF = math.inf
TINY = 1e-6  # fewer patients, consultations or kroner than this count as none (no division by ~0)
PERIODS: dict[str, RulePeriod] = {
    "2016": RulePeriod("2016", N_("Fra 1.7.2016: flat sats 442 kr"), "flat", ((0.0, INF, 442.0),), HELFO_2016,
                       152.0, N_("Egenandel dagtid 152 kr: prisliste etter Normaltariffen 2017 (Sorbyen legesenter)"),
                       cite=N_("Helfo (basistilskudd 2016)")),
    "2021": RulePeriod("2021", N_("1.7.2021–30.6.2022: 642/526 kr, knekkpunkt 1 000"), "tiers",
                       ((0.0, 1000.0, 642.0), (1000.0, INF, 526.0)), HDIR_2021,
                       160.0, N_("Egenandel dagtid 160 kr: prisliste 1.7.2021–30.6.2022 (Nesttun legekontor)"),
                       cite=N_("Helsedirektoratet 2021 (basistilskudd)")),
    "2022": RulePeriod("2022", N_("1.7.2022–30.4.2023: 675/544 kr, knekkpunkt 1 000"), "tiers",
                       ((0.0, 1000.0, 675.0), (1000.0, 2500.0, 544.0), (2500.0, INF, 0.0)), KS_2022,
                       160.0, N_("Egenandel dagtid 160 kr: prisliste 1.7.2021–30.6.2022 (Nesttun legekontor); "
                                 "kildetabellen har ingen prisliste for 2022–23"),
                       cite=N_("KS 2022 (basistilskudd)")),
    "2023": RulePeriod("2023", N_("1.7.2023–30.6.2024: pasienttilpasset, snitt 841,80 kr"), "average", (),
                       HDIR_2023, float(round(170.0 / 1.0435)),
                       N_("Egenandel dagtid 163 kr: 170 kr fra 1.7.2024 (Leangen legesenter) tilbakeregnet "
                          "med reguleringen 4,35 % fra 1.7.2024 (Helfo), rundet til hele kroner"), average_rate=841.8,
                       cite=N_("Helsedirektoratet 2023 (basistilskudd)")),
    "2024": RulePeriod("2024", N_("Fra 1.7.2024: pasienttilpasset, snitt 841,80 kr"), "average", (),
                       HDIR_2023_LATEST, 170.0,
                       N_("Egenandel dagtid 170 kr: prisliste oppdatert juli 2024 (Leangen legesenter); "
                          "egenandelene ble regulert med 4,35 % fra 1.7.2024 (Helfo)"), average_rate=841.8,
                       cite=N_("Helsedirektoratet 2023 (basistilskudd)")),
}
DEFAULT_PERIOD = "2024"


# --- income per consultation from the national accounts ------------------------------------------
# What a GP consultation brings in on average: all Helfo refunds and all co-payments of the fastlege
# scheme in a year (Helsedirektoratet, årsrapport 2023, tabell V5.2, KUHR; million kr in fixed 2023
# prices) divided by the GP consultations that year. Rows of data/sources/parameters.csv, one per
# year; a later year works by adding its rows (PROVENANCE.md, section 8).

EXACT, ROUNDED, MISSING = "exact", "rounded", "missing"
REFUNDS_ROW = "fastlege_sum_refusjoner_mnok"
COPAYMENTS_ROW = "fastlege_egenandeler_mnok"
# The consultation counts in the order the rule prefers them: (row name, exact or rounded, source key).
COUNT_ROWS = (("fastlege_consultations_national", EXACT, "ssb"),
              ("fastlege_consultations_national_rounded", ROUNDED, "ssb"),
              ("fastlege_consultations_kpr", EXACT, "kpr"))
PRICE_BASIS = N_("faste 2023-kroner")
INCOME_SOURCE = N_("Helsedirektoratet, Allmennlegetjenesten – årsrapport 2023, tabell V5.2 (KUHR)")
COUNT_SOURCES = {
    "ssb": N_("SSB, Allmennlegetjenesten (konsultasjoner hos fastlege)"),
    "kpr": N_("Helsedirektoratet, årsrapport 2023, tabell V9.2 (KPR), fordi SSB ikke har publisert tallet for året"),
}
MILLION = 1_000_000.0


@dataclass(frozen=True)
class NationalYear:
    """One year's national refunds and co-payments (kr) and GP consultations, as far as the data has them."""

    year: int
    refunds: float | None = None
    copayments: float | None = None
    consultations: float | None = None
    count_status: str = MISSING  # EXACT, ROUNDED or MISSING
    count_source: str = ""  # key of COUNT_SOURCES

    @property
    def complete(self) -> bool:
        """True when the year has refunds, co-payments and a consultation count."""
        return (self.refunds is not None and self.copayments is not None
                and self.consultations is not None and self.consultations >= 1.0)


def national_years_from_rows(rows: pd.DataFrame) -> dict[int, NationalYear]:
    """Parameter rows (columns name, value, year) → one NationalYear per year that has any figure."""
    values: dict[tuple[str, int], float] = {}
    for name, value, year in zip(rows["name"], rows["value"], rows["year"], strict=True):
        text = str(year).strip()
        if text.isdigit() and value is not None and not pd.isna(value):
            values[(str(name), int(text))] = float(value)
    years = sorted({y for _, y in values})
    out: dict[int, NationalYear] = {}
    for y in years:
        count = next(((values[(n, y)], status, src) for n, status, src in COUNT_ROWS if (n, y) in values), None)
        refunds, copayments = values.get((REFUNDS_ROW, y)), values.get((COPAYMENTS_ROW, y))
        if count is None and refunds is None and copayments is None:
            continue
        out[y] = NationalYear(
            year=y, refunds=None if refunds is None else refunds * MILLION,
            copayments=None if copayments is None else copayments * MILLION,
            consultations=None if count is None else count[0],
            count_status=MISSING if count is None else count[1], count_source="" if count is None else count[2])
    return out


@dataclass(frozen=True)
class IncomePerConsultation:
    """Refunds + co-payments per GP consultation for a year, with its parts (kr, faste 2023-kroner)."""

    asked_year: int  # the year the rate period asked for
    year: int  # the year whose figures are used (the nearest year with data when asked_year has none)
    refunds: float  # kr per year, the whole country
    copayments: float
    consultations: float
    count_status: str  # EXACT or ROUNDED: the count used
    count_source: str
    price_basis: str = PRICE_BASIS

    @property
    def value(self) -> float:
        """(refunds + co-payments) / consultations (kr per consultation, unrounded)."""
        return (self.refunds + self.copayments) / self.consultations

    @property
    def refunds_per_consultation(self) -> float:
        """Refunds / consultations (kr)."""
        return self.refunds / self.consultations

    @property
    def copayments_per_consultation(self) -> float:
        """Co-payments / consultations (kr)."""
        return self.copayments / self.consultations

    @property
    def fallback(self) -> bool:
        """True when the asked year had no complete figures and another year's are used."""
        return self.year != self.asked_year

    @property
    def asked_count_status(self) -> str:
        """EXACT, ROUNDED or MISSING: the consultation count of the asked year itself."""
        return MISSING if self.fallback else self.count_status

    def whole_kroner(self) -> tuple[int, int]:
        """(refund, co-payment) per consultation in whole kroner that add up to the rounded total."""
        total = round(self.value)
        refund = round(self.refunds_per_consultation)
        return refund, total - refund


def income_per_consultation(years: Mapping[int, NationalYear], year: int) -> IncomePerConsultation | None:
    """Income per GP consultation for `year`; the nearest complete year (ties: the later) when it has none.

    None when no year has refunds, co-payments and a consultation count: the rule never invents a count.
    """
    complete = [y for y, ny in years.items() if ny.complete]
    if not complete:
        return None
    chosen = min(complete, key=lambda y: (abs(y - year), -y))
    ny = years[chosen]
    assert ny.refunds is not None and ny.copayments is not None and ny.consultations is not None
    return IncomePerConsultation(asked_year=year, year=chosen, refunds=ny.refunds, copayments=ny.copayments,
                                 consultations=ny.consultations, count_status=ny.count_status,
                                 count_source=ny.count_source)


def national_years_from_db(con: duckdb.DuckDBPyConnection) -> dict[int, NationalYear]:
    """The national income rows of the `parameter` table, by year."""
    from core.db import query

    names = [REFUNDS_ROW, COPAYMENTS_ROW, *(n for n, _, _ in COUNT_ROWS)]
    marks = ", ".join("?" * len(names))
    rows = query(con, f"SELECT name, value, year FROM parameter WHERE name IN ({marks})", names)  # noqa: S608
    return national_years_from_rows(rows)


@functools.cache
def national_years() -> dict[int, NationalYear]:
    """The national income rows of the statistics database (read once per process)."""
    from core import db

    con = db.connect()
    try:
        return national_years_from_db(con)
    finally:
        con.close()


def period_year(period: RulePeriod) -> int:
    """The calendar year whose national figures match a rate period (the year it starts)."""
    return int(period.key[:4])


def period_income(period: RulePeriod) -> IncomePerConsultation | None:
    """The national income per consultation for a rate period (None without any data)."""
    return income_per_consultation(national_years(), period_year(period))


def income_arithmetic(income: IncomePerConsultation) -> str:
    """«(7 291 + 2 232) mill. kr / 16 884 831 konsultasjoner = 564 kr per konsultasjon (sources)»."""
    count = _int(income.consultations)
    if income.count_status == ROUNDED:
        count = t("om lag {count}", count=count)
    return t("({refunds} + {copayments}) mill. kr / {count} konsultasjoner = {value} per konsultasjon i {year} "
             "({basis}; refusjoner og egenandeler: {income_source}; konsultasjoner: {count_source})",
             refunds=_int(round(income.refunds / MILLION)), copayments=_int(round(income.copayments / MILLION)),
             count=count, value=_kr(round(income.value)), year=income.year, basis=t(income.price_basis),
             income_source=t(INCOME_SOURCE), count_source=t(COUNT_SOURCES.get(income.count_source, "")))


def income_year_note(income: IncomePerConsultation) -> str:
    """Which year's figures are used, and why, in one sentence ('' when the asked year has them and the count is exact)."""
    if income.fallback:
        return t("For {asked} mangler landstall for refusjoner, egenandeler eller konsultasjoner; regelen bruker "
                 "nærmeste år med tall, {year}.", asked=income.asked_year, year=income.year)
    if income.count_status == ROUNDED:
        return t("Antall konsultasjoner i {year} er publisert avrundet; snittet er derfor usikkert med noen kroner.",
                 year=income.year)
    return ""


# The lever defaults when the database has no national rows (2023: 7 291 / 16 884 831 and 2 232 / 16 884 831,
# whole kroner adding up to 564); tests/test_economy.py checks them against parameters.csv.
REFUND_2023 = 432
COPAYMENT_2023 = 132


@dataclass(frozen=True)
class PeriodDefaults:
    """Lever defaults that follow the chosen period (read through `default_from`)."""

    refund: float
    copayment: float
    average_rate: float


def period_defaults(period: RulePeriod) -> PeriodDefaults:
    """The period-dependent lever defaults: national income per consultation for the period's year, average rate."""
    income = period_income(period)
    refund, copayment = income.whole_kroner() if income is not None else (REFUND_2023, COPAYMENT_2023)
    return PeriodDefaults(refund=refund, copayment=copayment, average_rate=period.average_rate or 841.8)


G_LIST = N_("Liste og konsultasjoner")
G_INCOME = N_("Inntekter per konsultasjon (fastlønn)")
G_BASIS = N_("Basistilskudd og andre tilskudd")
G_COST = N_("Fastlønn: kostnader per årsverk")
G_MIXED = N_("Blandet drift")
G_VIKAR = N_("Vikar for ledige lister")
G_VIEW = N_("Følsomhet")


@dataclass(frozen=True)
class EconomyParams:
    """Every lever of the economy model (one hjemmel, one year); defaults name their source."""

    list_length: int = lever(
        label="Listelengde", unit=N_("pasienter"), default=1000, min=100, max=2500, step=1, group=G_LIST,
        basis=EXAMPLE_BASIS,
        source=N_("Eksempel: 1 000 pasienter, et rundt tall (knekkpunktet i basistilskuddet 2021–2023), ingen "
                  "kilde for kommunens liste; Alver-caset bruker 29 400 / 26 = 1 131 fra notatet"),
        help="Pasienter på listen i et helt år.")
    consultations_per_patient: float = lever(
        label="Konsultasjoner per pasient", unit=N_("per år"), default=3.0, min=0.0, max=8.0, step=0.1,
        group=G_LIST, source=SSB_CONSULTATIONS)
    months_to_full: int = lever(
        label="Måneder til full liste", unit=N_("måneder"), default=0, min=0, max=36, step=1, group=G_LIST,
        basis=CHOICE,
        source=N_("Valg: ingen opptrapping (full liste fra første dag); Alver hadde 779 på venteliste "
                  "(notat 04.11.2021)"),
        help="Listen fylles jevnt fra 0 til full lengde. Lønn og kontor betales fra første dag.")
    refund_per_consultation: int = lever(
        label="Helfo-refusjon per konsultasjon", unit=N_("kr"), default=REFUND_2023, min=0, max=1000, step=1,
        group=G_INCOME, default_from="refund",
        source=N_("Helsedirektoratet, Allmennlegetjenesten – årsrapport 2023, tabell V5.2 (KUHR): alle refusjoner "
                  "til fastlegeordningen i året som passer perioden, delt på antall fastlegekonsultasjoner (SSB); "
                  "2023: 7 291 mill. kr / 16 884 831 = 432 kr (faste 2023-kroner). Et snitt over alle takster – "
                  "ikke grunntaksten 2ad alene (15 kr)"),
        help="Alle refusjoner fra Helfo per konsultasjon i landet: takster, refusjon av frikortegenandeler og "
             "andre egenandeler, L-takster. Kommunen kan skrive inn sitt eget snitt fra KUHR.")
    copayment_per_consultation: int = lever(
        label="Egenandel per konsultasjon", unit=N_("kr"), default=COPAYMENT_2023, min=0, max=600, step=1,
        group=G_INCOME, default_from="copayment",
        source=N_("Helsedirektoratet, Allmennlegetjenesten – årsrapport 2023, tabell V5.2 (KUHR): egenandelene "
                  "pasientene betalte i året som passer perioden, delt på antall fastlegekonsultasjoner (SSB); "
                  "2023: 2 232 mill. kr / 16 884 831 = 132 kr (faste 2023-kroner). Et snitt over alle "
                  "konsultasjoner: barn og pasienter med frikort betaler ikke selv, det dekker refusjonen"),
        help="Pasientenes egenandeler per konsultasjon i landet, i snitt. Egenandelen for én konsultasjon på "
             "dagtid (160–170 kr) er høyere, men mange konsultasjoner har ingen egenandel.")
    other_income_per_consultation: int = lever(
        label="Andre inntekter per konsultasjon", unit=N_("kr"), default=0, min=0, max=1500, step=1,
        group=G_INCOME, basis=CHOICE,
        source=N_("Valg: 0 kr – landssnittet for refusjon og egenandel dekker allerede alle takster "
                  "(tilleggstakster, prøver, prosedyrer); legg bare inn inntekter som ikke går via Helfo eller "
                  "egenandeler"),
        help="Inntekter utenom Helfo-refusjon og egenandel, for eksempel attester som betales direkte.")
    basis_average_rate: float = lever(
        label="Kommunens snittsats for basistilskudd", unit=N_("kr per listeinnbygger"), default=841.8,
        min=0.0, max=2000.0, step=0.1, group=G_BASIS, default_from="average_rate",
        source=N_("Helsedirektoratet, Allmennlegetjenesten – årsrapport 2023: pasienttilpasset basistilskudd "
                  "fra 1.5.2023, nasjonal gjennomsnittssats 841,80 kr fra 1.7.2023. Kommunens egen sats "
                  "avhenger av pasientenes alder, kjønn m.m."),
        help="Gjelder bare pasienttilpasset basistilskudd (fra 2023).")
    grunntilskudd: bool = lever(
        label="Grunntilskudd ved liste under 500", unit="", default=True, group=G_BASIS, source=GRUNNTILSKUDD,
        help="Under opptrappingen betaler kommunen basistilskudd som for 500 i de to første årene.")
    extra_grant: int = lever(
        label="Driftstilskudd eller rekrutteringstilskudd", unit=N_("kr per år"), default=0, min=0,
        max=2_000_000, step=1000, group=G_BASIS, basis=CHOICE,
        source=N_("Valg: ingen tilskudd forutsatt; skriv inn kommunens egne avtaler"),
        help="Det kommunen betaler den næringsdrivende legen ut over basistilskuddet.")
    salary: int = lever(
        label="Årslønn for fastlønnet fastlege", unit=N_("kr per år"), default=1_300_000, min=0,
        max=4_000_000, step=1000, group=G_COST, source=EXAMPLE, basis=EXAMPLE_BASIS,
        help="Lønn for ett årsverk, uten arbeidsgiveravgift og pensjon. KS oppgir at lønn avtales lokalt.")
    employer_tax: float = lever(
        label="Arbeidsgiveravgift", unit=N_("andel"), default=0.141, min=0.0, max=0.2, step=0.001,
        display_scale=100.0, group=G_COST, basis=EXAMPLE_BASIS,
        source=N_("Eksempelverdi: 14,1 % er satsen i sone I (Skatteetaten), men står ikke i Legeplans "
                  "kildetabell; skriv inn kommunens sone"),
        help="Beregnes av lønn og pensjonspremie.")
    pension_share: float = lever(
        label="Pensjon (arbeidsgivers andel)", unit=N_("andel"), default=0.15, min=0.0, max=0.35, step=0.005,
        display_scale=100.0, group=G_COST, source=EXAMPLE, basis=EXAMPLE_BASIS, help="Andel av lønnen.")
    office_cost: int = lever(
        label="Lokaler, utstyr og IKT per lege", unit=N_("kr per år"), default=300_000, min=0,
        max=3_000_000, step=1000, group=G_COST, source=EXAMPLE, basis=EXAMPLE_BASIS,
        help="Husleie, drift, utstyr og journalsystem for én lege.")
    staff_fte: float = lever(
        label="Hjelpepersonell per lege", unit=N_("årsverk"), default=0.5, min=0.0, max=3.0, step=0.05,
        group=G_COST, source=EXAMPLE, basis=EXAMPLE_BASIS,
        help="Helsesekretærer og annet personell per lege, kommunens andel (årsverk).")
    staff_fte_cost: int = lever(
        label="Kostnad per årsverk hjelpepersonell", unit=N_("kr per år"), default=800_000, min=0,
        max=2_000_000, step=1000, group=G_COST, source=EXAMPLE, basis=EXAMPLE_BASIS,
        help="Lønn med sosiale kostnader for ett årsverk helsesekretær. Samme sats brukes på "
             "Kontorstruktur når sekretærårsverk spares ved sammenslåing.")
    mixed_gp_payment: int = lever(
        label="Legens betaling til kommunen", unit=N_("kr per år"), default=0, min=0, max=2_000_000,
        step=1000, group=G_MIXED, basis=CHOICE, source=N_("Valg: ingen betaling forutsatt; skriv inn avtalen"),
        help="Blandet drift: kommunen driver kontoret og beholder basistilskuddet, legen beholder "
             "takstene og egenandelene og betaler eventuelt kommunen for kontortjenester.")
    vikar_day_rate: int = lever(
        label="Dagpris for vikar", unit=N_("kr per dag"), default=10_000, min=0, max=50_000, step=100,
        group=G_VIKAR, source=EXAMPLE, basis=EXAMPLE_BASIS,
        help="Hva kommunen betaler per vikardag (byrå eller egen avtale).")
    vikar_days_per_vacant_list: int = lever(
        label="Vikardager per ledig liste", unit=N_("dager per år"), default=200, min=0, max=365, step=1,
        group=G_VIKAR, source=EXAMPLE, basis=EXAMPLE_BASIS,
        help="Dager per år en liste uten fast lege må dekkes med vikar.")
    sensitivity: float = lever(
        label="Endring i hver forutsetning", unit=N_("andel"), default=0.2, min=0.05, max=0.5, step=0.05,
        display_scale=100.0, group=G_VIEW, basis=CHOICE, source=N_("Valg for følsomhetsdiagrammet: ±20 %"))

    @property
    def income_per_consultation(self) -> float:
        """Refund + co-payment + other income for one consultation (kr)."""
        return self.refund_per_consultation + self.copayment_per_consultation + self.other_income_per_consultation

    @property
    def personnel_cost(self) -> float:
        """Salary with pension and employer's tax (kr per year)."""
        return self.salary * (1.0 + self.pension_share) * (1.0 + self.employer_tax)

    @property
    def staff_cost(self) -> float:
        """Support staff for one GP: FTE × cost per FTE (kr per year)."""
        return self.staff_fte * self.staff_fte_cost

    @property
    def fastlonn_gross(self) -> float:
        """Everything the kommune pays for one salaried GP and the office around them (kr per year)."""
        return self.personnel_cost + self.office_cost + self.staff_cost


def defaults_for(period_key: str, **fixed: object) -> EconomyParams:
    """The lever defaults for a rule period (co-payment and average rate follow the period)."""
    from core.params import with_defaults_from

    return with_defaults_from(EconomyParams, period_defaults(PERIODS[period_key]), **fixed)


# --- basistilskudd --------------------------------------------------------------------------------

def segments(period: RulePeriod, average_rate: float) -> tuple[tuple[float, float, float], ...]:
    """The basistilskudd as (from, to, kr per list resident) pieces for a period."""
    if period.rule == "average":
        return ((0.0, INF, float(average_rate)),)
    return period.segments


def basistilskudd(list_length: float, period: RulePeriod, average_rate: float = 841.8) -> float:
    """Basistilskudd for one list per year (kr): the rate of each piece × list residents in it."""
    total = 0.0
    n = max(float(list_length), 0.0)
    for lo, hi, rate in segments(period, average_rate):
        if n > lo:
            total += (min(n, hi) - lo) * rate
    return total


# --- one hjemmel, one year ------------------------------------------------------------------------

@dataclass(frozen=True)
class HjemmelCost:
    """One hjemmel's yearly cost to the kommune under each operating form (kr)."""

    list_length: float
    consultations: float
    basistilskudd: float
    naeringsdrift: float  # basistilskudd + extra grant
    fastlonn_gross: float
    fastlonn_income: float
    fastlonn: float  # gross − income (the kommune pays no basistilskudd for this list)
    blandet: float  # office + staff − payment from the GP + extra grant

    @property
    def fastlonn_minus_naeringsdrift(self) -> float:
        """Extra cost of fastlønn against næringsdrift (= fastlønn net − basistilskudd saved − grant)."""
        return self.fastlonn - self.naeringsdrift

    def per_place(self, form: str) -> float:
        """Net cost per list place (kr per patient per year); 0 for an empty list."""
        return getattr(self, form) / self.list_length if self.list_length >= TINY else 0.0

    def per_consultation(self, form: str) -> float:
        """Net cost per consultation (kr); 0 when there are no consultations."""
        return getattr(self, form) / self.consultations if self.consultations >= TINY else 0.0


FORMS = {"naeringsdrift": N_("Næringsdrift"), "fastlonn": N_("Fastlønn"), "blandet": N_("Blandet drift")}


def hjemmel_cost(params: EconomyParams, period: RulePeriod, list_length: float | None = None,
                 basis_list_length: float | None = None) -> HjemmelCost:
    """Net yearly cost to the kommune of one hjemmel under each operating form (kr)."""
    n = float(params.list_length if list_length is None else list_length)
    consultations = n * params.consultations_per_patient
    basis = basistilskudd(n if basis_list_length is None else basis_list_length, period,
                          params.basis_average_rate)
    gross = params.fastlonn_gross
    income = consultations * params.income_per_consultation
    return HjemmelCost(
        list_length=n, consultations=consultations, basistilskudd=basis,
        naeringsdrift=basis + params.extra_grant,
        fastlonn_gross=gross, fastlonn_income=income, fastlonn=gross - income,
        blandet=params.office_cost + params.staff_cost - params.mixed_gp_payment + params.extra_grant,
    )


COST_LEVERS = ("salary", "pension_share", "employer_tax", "office_cost", "staff_fte", "staff_fte_cost")


def examples_in_use(params: EconomyParams, names: tuple[str, ...] | list[str],
                    sourced: tuple[str, ...] = ()) -> list[str]:
    """The levers among `names` whose value is still their example default (no source): the figure is an example.

    `sourced`: levers whose default in this case has a source (e.g. the list length of a reference case).
    """
    from core.params import levers

    return [lv.name for lv in levers(EconomyParams)
            if lv.name in names and lv.name not in sourced and lv.is_example
            and getattr(params, lv.name) == lv.default]


def fastlonn_lines(params: EconomyParams, period: RulePeriod) -> pd.DataFrame:
    """The fastlønn calculation line by line: post, kr per year (costs +, income −), the levers behind it."""
    c = hjemmel_cost(params, period)
    pension = params.salary * params.pension_share
    tax = (params.salary + pension) * params.employer_tax
    costs = COST_LEVERS
    income = ("list_length", "consultations_per_patient")
    rows = [
        (t("Lønn"), params.salary, ("salary",)),
        (t("Pensjon"), pension, ("salary", "pension_share")),
        (t("Arbeidsgiveravgift"), tax, ("salary", "pension_share", "employer_tax")),
        (t("Lokaler, utstyr og IKT"), params.office_cost, ("office_cost",)),
        (t("Hjelpepersonell"), params.staff_cost, ("staff_fte", "staff_fte_cost")),
        (t("Helfo-refusjon"), -c.consultations * params.refund_per_consultation, (*income, "refund_per_consultation")),
        (t("Egenandeler"), -c.consultations * params.copayment_per_consultation,
         (*income, "copayment_per_consultation")),
        (t("Andre inntekter"), -c.consultations * params.other_income_per_consultation,
         (*income, "other_income_per_consultation")),
        (t("Netto kostnad fastlønn"), c.fastlonn, (*costs, *income)),
        (t("Basistilskudd kommunen ellers ville betalt"), -c.basistilskudd, ("list_length", "basis_average_rate")),
        (t("Tilskudd kommunen ellers ville betalt"), -params.extra_grant, ("extra_grant",)),
        (t("Merkostnad fastlønn mot næringsdrift"), c.fastlonn_minus_naeringsdrift, (*costs, *income)),
    ]
    return pd.DataFrame(rows, columns=["post", "kr", "inputs"])


# --- break-even -------------------------------------------------------------------------------------

def income_per_patient(params: EconomyParams) -> float:
    """Fastlønn income per list patient per year (kr): consultations × income per consultation."""
    return params.consultations_per_patient * params.income_per_consultation


def break_even_self_financing(params: EconomyParams) -> float | None:
    """List length at which fastlønn income covers its cost (patients); None if never."""
    gross, k = params.fastlonn_gross, income_per_patient(params)
    if gross <= 0:
        return 0.0
    if k < TINY:
        return None
    return gross / k


def break_even_vs_naeringsdrift(params: EconomyParams, period: RulePeriod) -> float | None:
    """List length at which fastlønn costs the same as næringsdrift (patients); None if never.

    Solves gross − k·L = B(L) + grant piece by piece; the left side falls and B(L) rises, so the
    root is unique.
    """
    target = params.fastlonn_gross - params.extra_grant
    if target <= 0:
        return 0.0
    k = income_per_patient(params)
    b_lo = 0.0
    for lo, hi, rate in segments(period, params.basis_average_rate):
        slope = k + rate
        if slope > 0:  # however small: a tiny rate still crosses a tiny cost, far out (hypothesis found 6e-8 kr)
            length = lo + (target - k * lo - b_lo) / slope
            if math.isfinite(length) and lo - 1e-9 <= length <= hi:
                return max(length, 0.0)
        if math.isinf(hi):
            return None
        b_lo += (hi - lo) * rate
    return None


def income_needed_per_consultation(params: EconomyParams) -> float | None:
    """Income per consultation that makes fastlønn self-financing at the chosen list (kr); None if none."""
    consultations = params.list_length * params.consultations_per_patient
    if consultations < TINY:
        return None
    return params.fastlonn_gross / consultations


def cost_curve(params: EconomyParams, period: RulePeriod, lengths: np.ndarray | None = None) -> pd.DataFrame:
    """Net cost per year by list length and operating form (long form: list_length, form, kr)."""
    if lengths is None:
        lengths = np.arange(100, 2501, 50, dtype=float)
    rows = []
    for n in lengths:
        c = hjemmel_cost(params, period, list_length=float(n))
        for form, label in FORMS.items():
            rows.append((float(n), t(label), getattr(c, form)))
    return pd.DataFrame(rows, columns=["list_length", "form", "kr"])


# --- sensitivity ------------------------------------------------------------------------------------

TORNADO_INPUTS = (
    "salary", "pension_share", "employer_tax", "office_cost", "staff_fte_cost", "list_length",
    "consultations_per_patient", "refund_per_consultation", "copayment_per_consultation",
    "other_income_per_consultation",
)


def tornado(params: EconomyParams, period: RulePeriod, share: float | None = None,
            metric: str = "fastlonn") -> pd.DataFrame:
    """Each input −/+ share, the rest unchanged: the metric's low and high values (kr per year).

    Columns: name, label, low (metric with the input lowered), high (input raised), base, swing;
    sorted by swing, largest first.
    """
    from core.params import levers

    share = params.sensitivity if share is None else share
    labels = {lv.name: t(lv.label) for lv in levers(EconomyParams)}
    base = getattr(hjemmel_cost(params, period), metric)
    rows = []
    for name in TORNADO_INPUTS:
        value = getattr(params, name)
        low = getattr(hjemmel_cost(replace(params, **{name: value * (1 - share)}), period), metric)
        high = getattr(hjemmel_cost(replace(params, **{name: value * (1 + share)}), period), metric)
        rows.append((name, labels[name], low, high, base, abs(high - low)))
    frame = pd.DataFrame(rows, columns=["name", "label", "low", "high", "base", "swing"])
    return frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


# --- ramp-up (Alver case) ---------------------------------------------------------------------------

def ramp_up(params: EconomyParams, period: RulePeriod, years: int | None = None) -> pd.DataFrame:
    """Cost per year while the list fills linearly over `months_to_full` (month by month).

    Columns: year (1, 2, …), avg_list, consultations, naeringsdrift, fastlonn, blandet (kr).
    Salary and office are paid from the first month; income follows the list. Under næringsdrift
    a list under 500 is paid as 500 in the first two years when grunntilskudd is on.
    """
    months_full = max(int(params.months_to_full), 0)
    n_years = years if years is not None else max(2, math.ceil(months_full / 12) + 1)
    full = float(params.list_length)
    rows = []
    for y in range(n_years):
        acc = {"avg_list": 0.0, "consultations": 0.0, "naeringsdrift": 0.0, "fastlonn": 0.0, "blandet": 0.0}
        for m in range(12 * y, 12 * y + 12):
            share = 1.0 if months_full == 0 else min((m + 0.5) / months_full, 1.0)
            n = full * share
            basis_n = max(n, 500.0) if params.grunntilskudd and m < 24 and full > 500 else n
            c = hjemmel_cost(params, period, list_length=n, basis_list_length=basis_n)
            for key in ("naeringsdrift", "fastlonn", "blandet", "consultations"):
                acc[key] += getattr(c, key) / 12.0
            acc["avg_list"] += n / 12.0
        rows.append({"year": y + 1, **acc})
    return pd.DataFrame(rows)


# --- the Alver case: the notat's question answered -------------------------------------------------

ALVER_CASE = "alver_2021"


def average_list_cap(list_capacity: float, hjemler: float) -> int:
    """Average list cap in whole patients: sum of list caps / hjemler (Alver: 29 400 / 26 = 1 131)."""
    return round(list_capacity / hjemler)


def reference_list_length(con: duckdb.DuckDBPyConnection, case_id: str) -> int | None:
    """A reference case's average list cap from its document (list_capacity / hjemler), or None."""
    from core.db import query

    rows = query(con, "SELECT metric, value FROM reference_case WHERE case_id = ? AND metric IN "
                      "('list_capacity', 'hjemler')", [case_id])
    values = dict(zip(rows["metric"], rows["value"], strict=True))
    if not values.get("hjemler") or "list_capacity" not in values:
        return None
    return average_list_cap(float(values["list_capacity"]), float(values["hjemler"]))


@dataclass(frozen=True)
class SalariedVerdict:
    """How far a salaried GP's list pays for the GP (kr per year), and fastlønn against næringsdrift."""

    income: float
    gross: float
    office: float
    basistilskudd: float
    fastlonn_minus_naeringsdrift: float

    @property
    def share(self) -> float:
        """Income / gross (0 when nothing is spent)."""
        return self.income / self.gross if self.gross > TINY else 0.0

    @property
    def mainly_self_financed(self) -> bool:
        """The notat's premise: the hjemmel is financed mainly (more than half) by the list's income."""
        return self.share > 0.5

    @property
    def share_without_office(self) -> float:
        """Income / (gross − premises): as if the premises cost nothing extra (vacant premises)."""
        rest = self.gross - self.office
        return self.income / rest if rest > TINY else 0.0


def salaried_verdict(params: EconomyParams, period: RulePeriod) -> SalariedVerdict:
    """The list's income against the salaried GP's gross cost, and the cost against næringsdrift."""
    c = hjemmel_cost(params, period)
    return SalariedVerdict(income=c.fastlonn_income, gross=c.fastlonn_gross, office=float(params.office_cost),
                           basistilskudd=c.basistilskudd, fastlonn_minus_naeringsdrift=c.fastlonn_minus_naeringsdrift)


# --- a capacity scenario priced ---------------------------------------------------------------------

SCENARIO_COLUMNS = ("year", "extra_lists_with_gp", "extra_vacant_lists", "vikar", "naeringsdrift",
                    "fastlonn")


def _per_list_basis(avg: np.ndarray, params: EconomyParams, period: RulePeriod) -> np.ndarray:
    """Basistilskudd per list at each average list length (kr per list per year)."""
    return np.array([basistilskudd(a, period, params.basis_average_rate) for a in avg])


_PRICE_COLUMNS = ("lists_with_gp", "patients_with_gp", "vacant_lists", "list_patients", "consultations")


def _basis_total(frame: dict[str, np.ndarray], params: EconomyParams, period: RulePeriod) -> np.ndarray:
    """Basistilskudd for every list with a GP at the average list length (kr per year)."""
    g = frame["lists_with_gp"]
    p = frame["patients_with_gp"]
    avg = np.divide(p, g, out=np.zeros_like(p), where=g > 0)
    return g * _per_list_basis(avg, params, period)


def price_scenario(base: pd.DataFrame, scenario: pd.DataFrame, params: EconomyParams,
                   period: RulePeriod) -> pd.DataFrame:
    """Extra kommune cost per year of a capacity scenario against the base, by operating form (kr).

    `base` and `scenario` are core.capacity.project(...) results for the same years. The extra
    lists with a GP are priced as self-employed (næringsdrift: basistilskudd on every list at the
    scenario's average list length, plus the grant per extra list) or as salaried (fastlønn: the
    existing lists stay self-employed; each extra list costs gross − income at the average list
    length). Both include vikar for the change in vacant lists: days × day rate.
    """
    years, ib, js = np.intersect1d(base["year"].to_numpy(), scenario["year"].to_numpy(), return_indices=True)
    if len(np.unique(base["year"])) != len(base) or len(np.unique(scenario["year"])) != len(scenario):
        raise ValueError("hvert år skal stå én gang i hvert scenario")
    b = {c: base[c].to_numpy(dtype=float)[ib] for c in _PRICE_COLUMNS}
    s = {c: scenario[c].to_numpy(dtype=float)[js] for c in _PRICE_COLUMNS}
    g_b, g_s = b["lists_with_gp"], s["lists_with_gp"]
    dg = g_s - g_b
    dv = s["vacant_lists"] - b["vacant_lists"]
    vikar = dv * params.vikar_days_per_vacant_list * params.vikar_day_rate

    basis_b, basis_s = _basis_total(b, params, period), _basis_total(s, params, period)
    naering = basis_s - basis_b + dg * params.extra_grant + vikar

    p_s = s["patients_with_gp"]
    avg_s = np.divide(p_s, g_s, out=np.zeros_like(p_s), where=g_s > 0)
    lp = s["list_patients"]
    per_patient = np.divide(s["consultations"], lp, out=np.zeros_like(lp), where=lp > 0)
    income_per_list = avg_s * per_patient * params.income_per_consultation
    self_employed = np.minimum(g_b, g_s)  # the base lists stay self-employed (fewer if lists close)
    basis_kept = self_employed * _per_list_basis(avg_s, params, period)
    fast = (basis_kept - basis_b + np.minimum(dg, 0.0) * params.extra_grant
            + np.maximum(dg, 0.0) * (params.fastlonn_gross - income_per_list) + vikar)
    return pd.DataFrame({
        "year": years, "extra_lists_with_gp": dg, "extra_vacant_lists": dv,
        "vikar": vikar, "naeringsdrift": naering, "fastlonn": fast,
    })


def scenario_summary(priced: pd.DataFrame) -> dict[str, float]:
    """The last year's and the summed extra cost by form (kr), for a tile."""
    last = priced.iloc[-1]
    return {"year": int(last["year"]), "naeringsdrift": float(last["naeringsdrift"]),
            "fastlonn": float(last["fastlonn"]), "naeringsdrift_sum": float(priced["naeringsdrift"].sum()),
            "fastlonn_sum": float(priced["fastlonn"].sum()), "vikar": float(last["vikar"])}
