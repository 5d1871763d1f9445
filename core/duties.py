"""Kommunale legeoppgaver: nursing-home doctor norm, legevakt duty load, health stations, the total.

The models (method in docs/legeoppgaver.md):
- sykehjem: places by kind × norm (doctor minutes per place per week) → doctor hours per week →
  required FTE (hours per FTE is a lever), against current FTE; the gap and its yearly cost; the
  requirement year by year as planned places are added;
- legevakt: shifts per period by kind × doctors per shift = shift slots the duty-bound GPs must
  fill; divided by the GPs left after exemptions → shifts per GP per period and per month; the
  cost shared between the kommuner of a host-kommune arrangement by population;
- helsestasjon: doctor FTE and doctors as input, hours in bistilling from the fastleger;
- the total: doctor FTE by service, and the link to list capacity: every weekly hour a fastlege
  moves from the list to a municipal duty removes `places_per_hour` list places, with the
  Fastlegekapasitet model's definitions of free places (sum of list caps − patients on lists with
  a GP) and reserve capacity (sum of list caps / patients on lists with a GP × 100).

Every default comes from data/sources/parameters.csv (source in the lever), from a reference case
in the database (Stavanger 2023, read through core.db), or is a clearly labelled example.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import SimpleNamespace

import duckdb
import numpy as np
import pandas as pd

from core.db import query
from core.economy import EconomyParams
from core.i18n import N_
from core.params import CHOICE, NUMBER, SOURCED, lever
from core.params import EXAMPLE as EXAMPLE_BASIS

EXAMPLE = N_("Eksempelverdi – ingen offentlig kilde; skriv inn kommunens eget tall")
LEGEFORENINGEN_2002 = ("Legeforeningens utkast til norm for legetjenester i sykehjem (2002, omtalt i "
                       "Tidsskriftet: «Eldre var tema i møte med Stortingets sosialkomité»)")
NO_NATIONAL_NORM = ("Det finnes ingen nasjonal norm; hver kommune fastsetter sin egen (IS-1436 veileder "
                    "02/2007 og rundskriv I-4/2007)")
NATIONAL_HOURS_2020 = 0.56  # doctor hours per resident per week, landet 2020
NATIONAL_HOURS_SOURCE = ("Helsedirektoratet, kvalitetsindikator «Legetimer per beboer i sykehjem»: 0,56 timer "
                         "per beboer per uke i landet 2020 (0,55 i 2019)")
KS_HOURLY_FEE = ("KS: honorarsats for kommunalt legearbeid fra 1.7.2024: 1 230 kr per time for spesialister, "
                 "1 075 kr for andre (alternativ til lønn)")
STAVANGER_DOC = "Stavanger kommune: Temaplan for allmennlegetjenesten 2024–2027"
STAVANGER_CASE = "stavanger_2023"
TINY = 1e-9
WEEKS_PER_MONTH = 52.0 / 12.0

_ECO = EconomyParams()
DEFAULT_FTE_COST = int(round(_ECO.personnel_cost))  # salary × (1 + pension) × (1 + employer tax)

# --- levers shared by the tabs -----------------------------------------------------------------------

G_SHARED = N_("Felles forutsetninger")


@dataclass(frozen=True)
class SharedParams:
    """Levers every tab uses: hours per FTE, cost per FTE and list places per weekly hour."""

    felles_hours_per_fte: float = lever(
        label="Timer per årsverk", unit="timer per uke", default=37.5, min=20.0, max=45.0, step=0.5,
        group=G_SHARED, basis=EXAMPLE_BASIS,
        source=N_("Eksempelverdi – ikke i Legeplans kildetabell: 37,5 timer er vanlig arbeidsuke for dagarbeid "
               "i kommunene"),
        help="Gjør timer per uke om til årsverk i alle fanene.")
    felles_fte_cost: int = lever(
        label="Kostnad per legeårsverk", unit="kr per år", default=DEFAULT_FTE_COST, min=0, max=5_000_000,
        step=1000, group=G_SHARED, default_from="felles_fte_cost", basis=EXAMPLE_BASIS,
        source=N_("Eksempelverdi fra Økonomi-siden: årslønn × (1 + pensjon) × (1 + arbeidsgiveravgift); standard "
               "1 300 000 × 1,15 × 1,141 = 1 705 795 kr, alle tre eksempelverdier uten offentlig kilde"),
        help="Lønn med pensjon og arbeidsgiveravgift for ett legeårsverk. Følger spakene på Økonomi-siden "
             "til du endrer den her.")
    felles_places_per_hour: float = lever(
        label="Listeplasser per ukentlig time", unit="plasser per time per uke", default=26.67, min=0.0,
        max=100.0, step=0.01, widget=NUMBER, group=G_SHARED, default_from="felles_places_per_hour", basis=EXAMPLE_BASIS,
        source=N_("Eksempelkonvensjon, ingen offentlig kilde: gjennomsnittlig listetak i utgangspunktet på "
               "Fastlegekapasitet / 37,5 timer (uten utgangspunkt: 1 000 / 37,5)"),
        help="Hvor mange listeplasser én times kommunalt arbeid per uke fortrenger. SSB korrigerer "
             "listelengden for kommunale timer; her gjøres timene om til plasser med denne satsen.")


# --- sykehjem ----------------------------------------------------------------------------------------

G_PLACES = N_("Plasser")
G_NORM = N_("Norm: legeminutter per plass per uke")
G_NOW = N_("Legeressurs i dag")
G_PLAN = N_("Planlagte nye plasser")


@dataclass(frozen=True)
class PlaceKind:
    """One kind of nursing-home place: its key, label and norm default with source."""

    key: str
    label: str
    norm_minutes: float
    norm_source: str  # the whole source text of the norm default
    places_default: int


# The norm sources in full (Legeforeningen 2002 and «no national norm»), so each is one catalogue text.
KINDS: tuple[PlaceKind, ...] = (
    PlaceKind("long_term", N_("Langtidsplasser"), 20.0,
              N_("Legeforeningens utkast til norm for legetjenester i sykehjem (2002, omtalt i Tidsskriftet: "
                 "«Eldre var tema i møte med Stortingets sosialkomité»): én legetime per uke per tre "
                 "langtidsplasser (1/3 time = 20 minutter). Det finnes ingen nasjonal norm; hver kommune "
                 "fastsetter sin egen (IS-1436 veileder 02/2007 og rundskriv I-4/2007)"), 60),
    PlaceKind("short_term", N_("Korttidsplasser"), 90.0,
              N_("Legeforeningens utkast til norm for legetjenester i sykehjem (2002, omtalt i Tidsskriftet: "
                 "«Eldre var tema i møte med Stortingets sosialkomité»): 1,5 legetimer per uke per "
                 "korttidsplass (opphold på tre–fire uker). Det finnes ingen nasjonal norm; hver kommune "
                 "fastsetter sin egen (IS-1436 veileder 02/2007 og rundskriv I-4/2007)"), 15),
    PlaceKind("rehab", N_("Utredning, behandling og rehabilitering"), 180.0,
              N_("Legeforeningens utkast til norm for legetjenester i sykehjem (2002, omtalt i Tidsskriftet: "
                 "«Eldre var tema i møte med Stortingets sosialkomité»): tre legetimer per uke per plass for "
                 "aktiv utredning, behandling eller rehabilitering. Det finnes ingen nasjonal norm; hver "
                 "kommune fastsetter sin egen (IS-1436 veileder 02/2007 og rundskriv I-4/2007)"), 0),
    PlaceKind("palliative", N_("Lindrende behandling"), 300.0,
              N_("Legeforeningens utkast til norm for legetjenester i sykehjem (2002, omtalt i Tidsskriftet: "
                 "«Eldre var tema i møte med Stortingets sosialkomité»): fem legetimer per uke per plass i "
                 "lindrende enhet. Det finnes ingen nasjonal norm; hver kommune fastsetter sin egen (IS-1436 "
                 "veileder 02/2007 og rundskriv I-4/2007)"), 2),
    PlaceKind("dementia", N_("Forsterket demensomsorg"), 30.0,
              N_("Eksempelverdi – Legeforeningens utkast har ingen egen sats; 30 minutter ligger mellom "
                 "langtid og korttid. Skriv inn kommunens egen norm. Det finnes ingen nasjonal norm; hver "
                 "kommune fastsetter sin egen (IS-1436 veileder 02/2007 og rundskriv I-4/2007)"), 8),
    PlaceKind("aldershjem", N_("Aldershjem"), 0.0,
              N_("Eksempelverdi – ingen kilde: aldershjemsbeboere bruker som regel egen fastlege, så 0 her. "
                 "Det finnes ingen nasjonal norm; hver kommune fastsetter sin egen (IS-1436 veileder 02/2007 "
                 "og rundskriv I-4/2007)"), 0),
)
KIND_KEYS = tuple(k.key for k in KINDS)


def _places(kind: PlaceKind) -> int:
    return lever(label=kind.label, unit="plasser", default=kind.places_default, min=0, max=5000, step=1,
                 group=G_PLACES, default_from=f"sh_{kind.key}", source=EXAMPLE, basis=EXAMPLE_BASIS)


def _norm(kind: PlaceKind) -> float:
    return lever(label=kind.label, unit="minutter per plass per uke", default=kind.norm_minutes, min=0.0,
                 max=600.0, step=0.01, group=G_NORM, default_from=f"sh_norm_{kind.key}",
                 source=kind.norm_source,
                 basis=EXAMPLE_BASIS if kind.norm_source.startswith("Eksempel") else SOURCED)


@dataclass(frozen=True)
class NursingHomeParams:
    """Nursing-home places, the norm per kind, today's doctors and planned growth."""

    sh_long_term: int = _places(KINDS[0])
    sh_short_term: int = _places(KINDS[1])
    sh_rehab: int = _places(KINDS[2])
    sh_palliative: int = _places(KINDS[3])
    sh_dementia: int = _places(KINDS[4])
    sh_aldershjem: int = _places(KINDS[5])
    sh_norm_long_term: float = _norm(KINDS[0])
    sh_norm_short_term: float = _norm(KINDS[1])
    sh_norm_rehab: float = _norm(KINDS[2])
    sh_norm_palliative: float = _norm(KINDS[3])
    sh_norm_dementia: float = _norm(KINDS[4])
    sh_norm_aldershjem: float = _norm(KINDS[5])
    sh_current_fte: float = lever(label="Legeårsverk i sykehjem i dag", unit="årsverk", default=2.0, min=0.0,
                                  max=500.0, step=0.01, group=G_NOW, default_from="sh_current_fte",
                                  source=EXAMPLE, basis=EXAMPLE_BASIS)
    sh_current_doctors: int = lever(label="Leger i sykehjem i dag", unit="leger", default=4, min=0, max=1000,
                                    step=1, group=G_NOW, default_from="sh_current_doctors", source=EXAMPLE,
                                    basis=EXAMPLE_BASIS)
    sh_new_long_term: int = lever(label="Nye langtidsplasser per år", unit="plasser per år", default=0, min=0,
                                  max=300, step=1, group=G_PLAN, basis=CHOICE,
                                  source=N_("Ingen nye plasser i utgangspunktet"))
    sh_new_short_term: int = lever(label="Nye korttidsplasser per år", unit="plasser per år", default=0,
                                   min=0, max=100, step=1, group=G_PLAN, basis=CHOICE,
                                   source=N_("Ingen nye plasser i utgangspunktet"))
    sh_plan_from: int = lever(label="Nye plasser fra år", unit="år", default=2026, min=2024, max=2050, step=1,
                              group=G_PLAN, basis=CHOICE, source=N_("Valg: første hele planår"))
    sh_plan_to: int = lever(label="Plan til år", unit="år", default=2040, min=2024, max=2050, step=1,
                            group=G_PLAN, basis=CHOICE,
                            source=N_("Valg: 2040, samme horisont som Fastlegekapasitet (Stavangers temaplan "
                                      "2024–2027 regner veksten i 80+ fram til 2040; planen selv gjelder 2024–2027)"))

    def places(self, kind: str) -> int:
        """Places of one kind (key from KIND_KEYS)."""
        return int(getattr(self, f"sh_{kind}"))

    def norm(self, kind: str) -> float:
        """Norm of one kind in doctor minutes per place per week."""
        return float(getattr(self, f"sh_norm_{kind}"))


@dataclass(frozen=True)
class NursingHomeResult:
    """The nursing-home requirement against today (hours per week, FTE, kroner per year)."""

    by_kind: pd.DataFrame  # kind, label, places, norm_minutes, hours_per_week, fte
    places: int  # nursing-home places (aldershjem not counted)
    required_hours: float
    required_fte: float
    current_fte: float
    current_hours: float
    gap_fte: float  # required − current (negative: more than the norm asks)
    gap_cost: float  # gap × cost per FTE (kr per year; negative when above the norm)
    hours_per_place_now: float  # current hours / places (compare the national 0.56)
    hours_per_place_norm: float
    fte_per_doctor: float  # average position size today


def required_hours(places: dict[str, float], norms_minutes: dict[str, float]) -> float:
    """Doctor hours per week the norm asks for: Σ places × minutes per place per week / 60."""
    return sum(max(float(places.get(k, 0.0)), 0.0) * max(float(norms_minutes.get(k, 0.0)), 0.0)
               for k in KIND_KEYS) / 60.0


def _safe_div(num: float, den: float) -> float:
    return num / den if den > TINY else 0.0


def nursing_home(params: NursingHomeParams, shared: SharedParams) -> NursingHomeResult:
    """Required doctor FTE by the norm against today's FTE, the gap and its yearly cost."""
    hours_per_fte = shared.felles_hours_per_fte
    rows = []
    for kind in KINDS:
        places, norm = params.places(kind.key), params.norm(kind.key)
        hours = places * norm / 60.0
        rows.append({"kind": kind.key, "label": kind.label, "places": places, "norm_minutes": norm,
                     "hours_per_week": hours, "fte": _safe_div(hours, hours_per_fte)})
    by_kind = pd.DataFrame(rows)
    total_places = int(by_kind.loc[by_kind["kind"] != "aldershjem", "places"].sum())
    req_hours = float(by_kind["hours_per_week"].sum())
    req_fte = _safe_div(req_hours, hours_per_fte)
    gap = req_fte - params.sh_current_fte
    current_hours = params.sh_current_fte * hours_per_fte
    return NursingHomeResult(
        by_kind=by_kind, places=total_places, required_hours=req_hours, required_fte=req_fte,
        current_fte=params.sh_current_fte, current_hours=current_hours, gap_fte=gap,
        gap_cost=gap * shared.felles_fte_cost,
        hours_per_place_now=_safe_div(current_hours, total_places),
        hours_per_place_norm=_safe_div(req_hours, total_places),
        fte_per_doctor=_safe_div(params.sh_current_fte, params.sh_current_doctors),
    )


GROWTH_COLUMNS = ("year", "places", "required_fte", "current_fte", "gap_fte", "gap_cost")


def nursing_home_growth(params: NursingHomeParams, shared: SharedParams, base_year: int) -> pd.DataFrame:
    """Year by year from base_year to the plan's last year: places, required FTE, gap, cost (kr).

    New long- and short-term places are added each year from `sh_plan_from` to `sh_plan_to`
    (inclusive), at the norm of their kind; today's FTE stays as it is.
    """
    last = max(params.sh_plan_to, base_year)
    years = np.arange(base_year, last + 1)
    added_years = np.clip(years - max(params.sh_plan_from, base_year + 1) + 1, 0, None)
    added_years = np.where(years >= params.sh_plan_from, added_years, 0)
    base_hours = required_hours({k: params.places(k) for k in KIND_KEYS},
                                {k: params.norm(k) for k in KIND_KEYS})
    extra_hours_per_year = (params.sh_new_long_term * params.norm("long_term")
                            + params.sh_new_short_term * params.norm("short_term")) / 60.0
    hours = base_hours + added_years * extra_hours_per_year
    fte = hours / shared.felles_hours_per_fte if shared.felles_hours_per_fte > TINY else hours * 0.0
    # nursing-home places as nursing_home() counts them: the aldershjem places are not in the sum
    places = (sum(params.places(k) for k in KIND_KEYS if k != "aldershjem")
              + added_years * (params.sh_new_long_term + params.sh_new_short_term))
    gap = fte - params.sh_current_fte
    return pd.DataFrame({"year": years, "places": places.astype(float), "required_fte": fte,
                         "current_fte": np.full(len(years), float(params.sh_current_fte)), "gap_fte": gap,
                         "gap_cost": gap * shared.felles_fte_cost})


def norm_reproducing(places: dict[str, float], norms_minutes: dict[str, float], current_fte: float,
                     added_fte: float, hours_per_fte: float, solve_for: str = "long_term") -> float | None:
    """The norm (minutes per place per week) for `solve_for` that makes the gap equal `added_fte`.

    The other kinds keep their norms. None when it cannot be done (no places of that kind, or the
    other kinds alone already ask for more).
    """
    n = float(places.get(solve_for, 0.0))
    if n <= TINY:
        return None
    others = required_hours(places, {**norms_minutes, solve_for: 0.0})
    target_hours = (current_fte + added_fte) * hours_per_fte
    rest = target_hours - others
    if rest < 0:
        return None
    return rest * 60.0 / n


# --- legevakt ----------------------------------------------------------------------------------------

G_DOCTORS = N_("Leger")
G_SHIFTS = N_("Vakter per periode som fastlegene dekker")
G_PER_SHIFT = N_("Leger per vakt")
G_SHIFT_HOURS = N_("Timer per vakt")
G_COST = N_("Kostnad")
SHIFT_KINDS = (("evening", N_("Kveld (hverdager)")), ("night", N_("Natt")), ("weekend", N_("Helg og høytid")))


@dataclass(frozen=True)
class LegevaktParams:
    """Legevakt: salaried doctors, duty-bound GPs and exemptions, shifts and doctors per shift."""

    vakt_salaried_fte: float = lever(label="Fast ansatte legeårsverk", unit="årsverk", default=2.0, min=0.0,
                                     max=200.0, step=0.1, group=G_DOCTORS, default_from="vakt_salaried_fte",
                                     source=EXAMPLE, basis=EXAMPLE_BASIS)
    vakt_salaried_doctors: int = lever(label="Fast ansatte leger", unit="leger", default=3, min=0, max=300,
                                       step=1, group=G_DOCTORS, default_from="vakt_salaried_doctors",
                                       source=EXAMPLE, basis=EXAMPLE_BASIS)
    vakt_dutybound_gps: int = lever(
        label="Fastleger med vaktplikt", unit="leger", default=20, min=1, max=1000, step=1, group=G_DOCTORS,
        default_from="vakt_dutybound_gps", source=EXAMPLE, basis=EXAMPLE_BASIS,
        help="Fastleger i alle samarbeidskommunene som har vaktplikt i perioden, før fritak.")
    vakt_exemption_share: float = lever(
        label="Andel med fritak", unit="andel", default=0.0, min=0.0, max=0.9, step=0.01, display_scale=100.0,
        group=G_DOCTORS, basis=CHOICE,
        source=N_("0: ingen fritak ut over dem som allerede er trukket fra. Stavanger oppgir at søknadene om "
               "fritak har økt (temaplan 2024–2027), men ikke hvor mange"),
        help="Andelen av de vaktpliktige som har fritak (alder, helse, permisjon). De andre må ta vaktene.")
    vakt_period_months: int = lever(
        label="Lengde på vaktperioden", unit="måneder", default=6, min=1, max=12, step=1, group=G_DOCTORS,
        source=N_("Stavanger: «hver vaktperiode på 6 måneder» (temaplan 2024–2027)"))
    vakt_evening: int = lever(label="Kveldsvakter", unit="vakter per periode", default=130, min=0, max=400,
                              step=1, group=G_SHIFTS, basis=EXAMPLE_BASIS,
                              source=N_("Eksempelverdi – ingen offentlig kilde: 26 uker × 5 hverdagskvelder"))
    vakt_night: int = lever(label="Nattevakter", unit="vakter per periode", default=0, min=0, max=400, step=1,
                            group=G_SHIFTS, basis=EXAMPLE_BASIS,
                            source=N_("Eksempelverdi – ingen offentlig kilde: fast ansatte dekker natten, slik "
                                   "Stavanger beskriver det (fastlegene går kveld og helg)"))
    vakt_weekend: int = lever(label="Helge- og høytidsvakter", unit="vakter per periode", default=104, min=0,
                              max=400, step=1, group=G_SHIFTS, basis=EXAMPLE_BASIS,
                              source=N_("Eksempelverdi – ingen offentlig kilde: 26 helger × 2 dager × 2 vakter"))
    vakt_doctors_evening: int = lever(label="Kveld", unit="leger", default=2, min=0, max=20, step=1,
                                      group=G_PER_SHIFT, source=EXAMPLE, basis=EXAMPLE_BASIS)
    vakt_doctors_night: int = lever(label="Natt", unit="leger", default=1, min=0, max=20, step=1,
                                    group=G_PER_SHIFT, source=EXAMPLE, basis=EXAMPLE_BASIS)
    vakt_doctors_weekend: int = lever(label="Helg og høytid", unit="leger", default=2, min=0, max=20, step=1,
                                      group=G_PER_SHIFT, source=EXAMPLE, basis=EXAMPLE_BASIS)
    vakt_hours_evening: float = lever(label="Kveld", unit="timer", default=5.0, min=0.0, max=24.0, step=0.5,
                                      group=G_SHIFT_HOURS, source=EXAMPLE, basis=EXAMPLE_BASIS)
    vakt_hours_night: float = lever(label="Natt", unit="timer", default=10.0, min=0.0, max=24.0, step=0.5,
                                    group=G_SHIFT_HOURS, source=EXAMPLE, basis=EXAMPLE_BASIS)
    vakt_hours_weekend: float = lever(label="Helg og høytid", unit="timer", default=8.0, min=0.0, max=24.0,
                                      step=0.5, group=G_SHIFT_HOURS, source=EXAMPLE, basis=EXAMPLE_BASIS)
    vakt_other_cost: int = lever(
        label="Andre driftskostnader", unit="kr per år", default=0, min=0, max=500_000_000, step=10_000,
        group=G_COST, source=EXAMPLE, basis=EXAMPLE_BASIS,
        help="Lokaler, sykepleiere, legevaktbil, takster m.m. Fordeles etter innbyggertall som lønnen.")


@dataclass(frozen=True)
class LegevaktResult:
    """Shift load on the duty-bound GPs and the legevakt's doctor FTE."""

    by_kind: pd.DataFrame  # kind, label, shifts, doctors_per_shift, slots, hours
    slots: float  # doctor shifts per period the GPs must fill
    gp_hours: float  # doctor hours per period the GPs fill
    active_gps: float  # duty-bound GPs without exemption
    shifts_per_gp: float | None  # per period; None when no GP is left
    shifts_per_gp_month: float | None
    hours_per_gp_month: float | None
    gp_duty_fte: float  # the GPs' duty hours as FTE (hours per week / hours per FTE)
    salaried_fte: float
    salary_cost: float  # salaried FTE × cost per FTE (kr per year)
    total_cost: float  # salary cost + other costs (kr per year)


def legevakt(params: LegevaktParams, shared: SharedParams) -> LegevaktResult:
    """Shifts per duty-bound GP per period and month, the GPs' duty as FTE, and the yearly cost."""
    rows = []
    for key, label in SHIFT_KINDS:
        shifts = float(getattr(params, f"vakt_{key}"))
        per_shift = float(getattr(params, f"vakt_doctors_{key}"))
        slots = shifts * per_shift
        rows.append({"kind": key, "label": label, "shifts": shifts, "doctors_per_shift": per_shift,
                     "slots": slots, "hours": slots * float(getattr(params, f"vakt_hours_{key}"))})
    by_kind = pd.DataFrame(rows)
    slots = float(by_kind["slots"].sum())
    hours = float(by_kind["hours"].sum())
    active = max(params.vakt_dutybound_gps * (1.0 - params.vakt_exemption_share), 0.0)
    months = max(params.vakt_period_months, 1)
    per_gp = slots / active if active > TINY else None
    weeks = months * WEEKS_PER_MONTH
    salary = params.vakt_salaried_fte * shared.felles_fte_cost
    return LegevaktResult(
        by_kind=by_kind, slots=slots, gp_hours=hours, active_gps=active, shifts_per_gp=per_gp,
        shifts_per_gp_month=None if per_gp is None else per_gp / months,
        hours_per_gp_month=hours / active / months if active > TINY else None,
        gp_duty_fte=_safe_div(hours / weeks, shared.felles_hours_per_fte),
        salaried_fte=params.vakt_salaried_fte, salary_cost=salary, total_cost=salary + params.vakt_other_cost,
    )


def exemption_series(params: LegevaktParams, shared: SharedParams,
                     shares: np.ndarray | None = None) -> pd.DataFrame:
    """Shifts per GP per period and per month as the share with exemption grows (0 to 90 %)."""
    from dataclasses import replace

    if shares is None:
        shares = np.round(np.arange(0.0, 0.9001, 0.05), 4)
    rows = []
    for share in shares:
        r = legevakt(replace(params, vakt_exemption_share=float(share)), shared)
        rows.append({"exemption_share": float(share), "active_gps": r.active_gps,
                     "shifts_per_gp": r.shifts_per_gp or 0.0, "shifts_per_gp_month": r.shifts_per_gp_month or 0.0})
    return pd.DataFrame(rows)


def cost_shares(populations: dict[str, float], total_cost: float) -> pd.DataFrame:
    """Each kommune's share of the legevakt by population: kommune, population, share, kr per year."""
    names = list(populations)
    pops = np.array([max(float(populations[n]), 0.0) for n in names])
    total = pops.sum()
    share = pops / total if total > TINY else np.zeros_like(pops)
    return pd.DataFrame({"kommune": names, "population": pops, "share": share, "kr": share * total_cost})


# --- helsestasjon --------------------------------------------------------------------------------------

G_HS = N_("Helsestasjon og skolehelsetjeneste")


@dataclass(frozen=True)
class HealthStationParams:
    """Doctors at health stations and in school health: FTE, doctors and the share in bistilling."""

    hs_fte: float = lever(label="Legeårsverk", unit="årsverk", default=1.0, min=0.0, max=100.0, step=0.1,
                          group=G_HS, default_from="hs_fte", source=EXAMPLE, basis=EXAMPLE_BASIS)
    hs_doctors: int = lever(label="Leger", unit="leger", default=4, min=0, max=500, step=1, group=G_HS,
                            default_from="hs_doctors", source=EXAMPLE, basis=EXAMPLE_BASIS)
    hs_bistilling_share: float = lever(
        label="Andel i bistilling hos fastleger", unit="andel", default=0.9, min=0.0, max=1.0, step=0.01,
        display_scale=100.0, group=G_HS,
        source=N_("Stavanger: «90 prosent av legeressursene er ansatt i bistilling til sine ordinære "
               "fastlegejobber» (temaplan 2024–2027); brukt som eksempel for andre kommuner"),
        help="Andelen av årsverkene som fastleger har ved siden av listen.")


@dataclass(frozen=True)
class HealthStationResult:
    """Health-station doctors: FTE, average position and the fastleger's hours there."""

    fte: float
    doctors: int
    fte_per_doctor: float
    hours_per_doctor: float  # per week
    bistilling_hours: float  # fastleger's hours per week at health stations


def health_station(params: HealthStationParams, shared: SharedParams) -> HealthStationResult:
    """Average position size and the weekly hours fastleger spend at health stations."""
    per_doctor = _safe_div(params.hs_fte, params.hs_doctors)
    return HealthStationResult(
        fte=params.hs_fte, doctors=params.hs_doctors, fte_per_doctor=per_doctor,
        hours_per_doctor=per_doctor * shared.felles_hours_per_fte,
        bistilling_hours=params.hs_fte * params.hs_bistilling_share * shared.felles_hours_per_fte)


# --- the total and the link to list capacity --------------------------------------------------------

G_MOVE = N_("Flytt timer mellom liste og kommunale oppgaver")
# The keys are shown too (the default in the tooltip and the assumptions table), so they are catalogue texts.
SERVICES = {N_("sykehjem"): N_("Sykehjem"), N_("legevakt"): N_("Legevakt"), N_("helsestasjon"): N_("Helsestasjon")}


@dataclass(frozen=True)
class TotalParams:
    """Hours moved between GP lists and municipal duties (bistilling)."""

    sum_moved_hours: float = lever(
        label="Timer per uke flyttet fra lister til kommunale oppgaver", unit="timer per uke", default=0.0,
        min=-400.0, max=1000.0, step=0.5, group=G_MOVE, basis=CHOICE, source=N_("Ingen flytting i utgangspunktet"),
        help="Summen for alle fastlegene. Negativt tall: timer flyttes fra kommunale oppgaver tilbake til "
             "listene.")
    sum_moved_to: str = lever(label="Til tjenesten", unit="", default="sykehjem", options=tuple(SERVICES),
                              group=G_MOVE, basis=CHOICE,
                              source=N_("Valg: sykehjem, der normen gir størst behov"))
    sum_cover_gap: bool = lever(
        label="Dekk sykehjemsgapet med bistillinger", unit="", default=False, group=G_MOVE, basis=CHOICE,
        source=N_("Av: gapet dekkes ikke"),
        help="På: hele gapet mellom normen og dagens legeårsverk i sykehjem dekkes av fastleger i bistilling, "
             "i tillegg til timene over.")


@dataclass(frozen=True)
class ListBase:
    """The list side of the capacity model's starting point (Fastlegekapasitet), for the link."""

    label: str
    year: int
    lists_with_gp: int
    list_capacity: float  # sum of list caps (persons)
    patients_with_gp: float
    source: str

    @property
    def free_places(self) -> float:
        """Sum of list caps − patients on lists with a GP (as Fastlegekapasitet)."""
        return self.list_capacity - self.patients_with_gp

    @property
    def avg_cap(self) -> float:
        """Average list cap (persons per list)."""
        return _safe_div(self.list_capacity, self.lists_with_gp)


def list_base(base) -> ListBase:
    """The list side of a core.capacity.CapacityBase."""
    return ListBase(label=base.label, year=base.year, lists_with_gp=base.lists_with_gp,
                    list_capacity=base.list_capacity, patients_with_gp=base.patients_with_gp, source=base.source)


@dataclass(frozen=True)
class CapacityLink:
    """What moving weekly hours from lists to municipal duties does to list capacity."""

    moved_hours: float  # per week, all GPs together (positive: from lists to duties)
    moved_fte: float
    places_change: float  # change in the sum of list caps (persons; negative when hours leave lists)
    cap_change_per_list: float | None  # the same as «Endring i listetak per liste» on Fastlegekapasitet
    free_before: float | None
    free_after: float | None
    reserve_before: float | None
    reserve_after: float | None


def moved_hours(total: TotalParams, nursing: NursingHomeResult, shared: SharedParams) -> float:
    """Hours per week moved from lists: the lever, plus the nursing-home gap when it is to be covered."""
    gap_hours = max(nursing.gap_fte, 0.0) * shared.felles_hours_per_fte if total.sum_cover_gap else 0.0
    return total.sum_moved_hours + gap_hours


def capacity_link(hours: float, shared: SharedParams, base: ListBase | None) -> CapacityLink:
    """Moving `hours` per week from lists to duties: list places lost, free places and reserve after."""
    change = -hours * shared.felles_places_per_hour
    fte = _safe_div(hours, shared.felles_hours_per_fte) if hours >= 0 else -_safe_div(-hours,
                                                                                      shared.felles_hours_per_fte)
    if base is None:
        return CapacityLink(hours, fte, change, None, None, None, None, None)
    cap_after = max(base.list_capacity + change, 0.0)
    p = base.patients_with_gp
    return CapacityLink(
        moved_hours=hours, moved_fte=fte, places_change=cap_after - base.list_capacity,
        cap_change_per_list=(cap_after - base.list_capacity) / base.lists_with_gp if base.lists_with_gp else None,
        free_before=base.free_places, free_after=cap_after - p,
        reserve_before=base.list_capacity / p * 100.0 if p > TINY else None,
        reserve_after=cap_after / p * 100.0 if p > TINY else None,
    )


def capacity_series(shared: SharedParams, base: ListBase | None, up_to: float) -> pd.DataFrame:
    """Free list places (or the change in places) for 0 … up_to hours per week moved to duties."""
    top = max(float(up_to), 10.0)
    hours = np.linspace(0.0, top, 41)
    rows = []
    for h in hours:
        link = capacity_link(float(h), shared, base)
        rows.append({"hours": float(h), "places_change": link.places_change,
                     "free_places": link.free_after if link.free_after is not None else link.places_change})
    return pd.DataFrame(rows)


def whole_picture(nursing: NursingHomeResult, vakt: LegevaktResult, hs: HealthStationResult,
                  base: ListBase | None, link: CapacityLink, to_service: str) -> pd.DataFrame:
    """Doctor FTE by service today and after moving hours: service, today, after, note.

    Fastleger count as one FTE per list with a doctor (a simplification: SSB counts agreements,
    not FTE). The moved FTE leave the fastleger and join `to_service` (sykehjem when the gap is
    covered).
    """
    gp = float(base.lists_with_gp) if base is not None else 0.0
    rows = [
        ("fastlege", N_("Fastleger (lister med lege)"), gp),
        ("sykehjem", N_("Sykehjem"), nursing.current_fte),
        ("legevakt", N_("Legevakt, fast ansatte"), vakt.salaried_fte),
        ("legevakt_gp", N_("Legevakt, fastlegenes vakter"), vakt.gp_duty_fte),
        ("helsestasjon", N_("Helsestasjon og skolehelse"), hs.fte),
    ]
    frame = pd.DataFrame(rows, columns=["service", "label", "today"])
    after = frame["today"].to_numpy(dtype=float).copy()
    if base is not None:
        after[0] = max(after[0] - link.moved_fte, 0.0)
    target = {"sykehjem": 1, "legevakt": 2, "helsestasjon": 4}.get(to_service, 1)
    after[target] = max(after[target] + link.moved_fte, 0.0)
    frame["after"] = after
    return frame


# --- the Stavanger reference case ---------------------------------------------------------------------

@dataclass(frozen=True)
class StavangerCase:
    """Stavanger 2023 from the temaplan (reference_case table), and what Legeplan assumes on top."""

    nursing_homes: int
    places: int
    short_term: int
    aldershjem: int
    current_fte: float
    doctors: int
    added_fte: float
    legevakt_fte: float
    legevakt_doctors: int
    dutybound_low: int
    dutybound_high: int
    population_served: float
    hs_doctors: int
    hs_fte: float

    @property
    def long_term(self) -> int:
        """Places that are not short-term (the document gives only the total and short-term)."""
        return self.places - self.short_term

    @property
    def dutybound_mid(self) -> int:
        """The middle of 70–80 duty-bound GPs per period (rounded)."""
        return int(round((self.dutybound_low + self.dutybound_high) / 2))


def stavanger_case(con: duckdb.DuckDBPyConnection) -> StavangerCase:
    """The Stavanger figures for municipal doctor duties, from the reference-case table."""
    df = query(con, "SELECT metric, value FROM reference_case WHERE case_id = ?", [STAVANGER_CASE])
    ref = dict(zip(df["metric"], df["value"], strict=True))
    return StavangerCase(
        nursing_homes=int(ref["nursing_homes"]), places=int(ref["nursing_home_places"]),
        short_term=int(ref["nursing_home_short_term_places"]), aldershjem=int(ref["aldershjem_places"]),
        current_fte=float(ref["nursing_home_doctor_fte"]), doctors=int(ref["nursing_home_doctors"]),
        added_fte=float(ref["nursing_home_norm_added_fte"]), legevakt_fte=float(ref["legevakt_salaried_fte"]),
        legevakt_doctors=int(ref["legevakt_salaried_doctors"]),
        dutybound_low=int(ref["legevakt_dutybound_gps_low"]),
        dutybound_high=int(ref["legevakt_dutybound_gps_high"]),
        population_served=float(ref["legevakt_population_served"]),
        hs_doctors=int(ref["health_station_doctors"]), hs_fte=float(ref["health_station_fte"]),
    )


def stavanger_norm(case: StavangerCase, hours_per_fte: float = 37.5) -> float | None:
    """The long-term norm (minutes) that reproduces the documented +FTE with Legeforeningen's short-term norm.

    Assumptions (Legeplan's, not Stavanger's): the 1 011 places are long-term or short-term only,
    short-term at 90 minutes (Legeforeningen 2002), the 64 aldershjem places outside the norm,
    hours per FTE as given.
    """
    norms = {k.key: k.norm_minutes for k in KINDS}
    places = {"long_term": case.long_term, "short_term": case.short_term}
    return norm_reproducing(places, norms, case.current_fte, case.added_fte, hours_per_fte)


SOURCED_NORM = "kilde"  # Legeforeningen 2002 (parameters.csv, nursing_home_norm_*)
BACKSOLVED_NORM = "tilbakeregnet"  # Legeplan's assumption: the long-term norm that gives the plan's +FTE
OWN_NORM = "egen"  # anything the user typed


@dataclass(frozen=True)
class NormResult:
    """Stavanger's places under one long-term/short-term norm: doctor hours, FTE and the gap to today."""

    kind: str  # SOURCED_NORM or BACKSOLVED_NORM
    long_term_minutes: float
    short_term_minutes: float
    required_hours: float
    required_fte: float
    gap_fte: float  # required − today's FTE (negative: today above the norm)
    gap_cost: float  # kr per year


def stavanger_norms(case: StavangerCase, hours_per_fte: float, fte_cost: float) -> tuple[NormResult, NormResult]:
    """The sourced norm (Legeforeningen 2002) beside Legeplan's back-solved one, for the same places.

    Both count only long- and short-term places (the document gives no other kinds) and leave the
    aldershjem places out; both use `hours_per_fte`. The back-solved long-term norm is solved with
    the same hours per FTE, so its gap is always the plan's +FTE (None-safe: 0 minutes if unsolvable).
    """
    short = KINDS[1].norm_minutes
    out = []
    for kind, long in ((SOURCED_NORM, KINDS[0].norm_minutes),
                       (BACKSOLVED_NORM, stavanger_norm(case, hours_per_fte) or 0.0)):
        hours = required_hours({"long_term": case.long_term, "short_term": case.short_term},
                               {"long_term": long, "short_term": short})
        fte = _safe_div(hours, hours_per_fte)
        out.append(NormResult(kind, long, short, hours, fte, fte - case.current_fte,
                              (fte - case.current_fte) * fte_cost))
    return out[0], out[1]


# The kinds whose norm default is Legeforeningen's 2002 draft (long-term, short-term, rehab, palliative).
SOURCED_NORM_KINDS = tuple(k.key for k in KINDS if not k.norm_source.startswith("Eksempel"))


def sourced_norm_params(params: NursingHomeParams) -> NursingHomeParams:
    """The same levers with Legeforeningen's 2002 norm for every kind it gives one (example norms kept)."""
    from dataclasses import replace

    by_key = {k.key: k for k in KINDS}
    return replace(params, **{f"sh_norm_{key}": by_key[key].norm_minutes for key in SOURCED_NORM_KINDS})


def sourced_reference(params: NursingHomeParams, shared: SharedParams) -> NursingHomeResult | None:
    """The sourced norm's result for the same places, to draw beside the levers' one; None when they agree.

    They agree (to 0,005 FTE) when the levers already hold Legeforeningen's norms wherever there are places.
    """
    reference = nursing_home(sourced_norm_params(params), shared)
    return None if abs(reference.required_fte - nursing_home(params, shared).required_fte) < 0.005 else reference


def norm_in_force(case: StavangerCase | None, params: NursingHomeParams) -> str:
    """Which long-term norm the levers hold: SOURCED_NORM, BACKSOLVED_NORM (the Stavanger default) or OWN_NORM."""
    long = params.sh_norm_long_term
    if abs(long - KINDS[0].norm_minutes) < 1e-9:
        return SOURCED_NORM
    if case is not None:
        norm = stavanger_norm(case)
        if norm is not None and abs(long - round_to_step(norm, 0.01)) < 1e-9:
            return BACKSOLVED_NORM
    return OWN_NORM


def round_to_step(value: float, step: float) -> float:
    """A value on a lever's grid (as parse_value snaps URL values)."""
    return round(round(value / step) * step, 10)


def stavanger_defaults(case: StavangerCase) -> SimpleNamespace:
    """Lever defaults for the Stavanger case (read through `default_from`)."""
    norm = stavanger_norm(case)
    return SimpleNamespace(
        sh_long_term=case.long_term, sh_short_term=case.short_term, sh_rehab=0, sh_palliative=0,
        sh_dementia=0, sh_aldershjem=case.aldershjem,
        sh_norm_long_term=round_to_step(norm, 0.01) if norm is not None else KINDS[0].norm_minutes,
        sh_norm_aldershjem=0.0,
        sh_current_fte=case.current_fte, sh_current_doctors=case.doctors,
        vakt_salaried_fte=case.legevakt_fte, vakt_salaried_doctors=case.legevakt_doctors,
        vakt_dutybound_gps=case.dutybound_mid, hs_fte=case.hs_fte, hs_doctors=case.hs_doctors,
    )


def shared_defaults(fte_cost: float, avg_cap: float | None) -> SimpleNamespace:
    """Shared lever defaults: cost per FTE (from Økonomi) and list places per weekly hour."""
    cap = avg_cap if avg_cap is not None and avg_cap > 0 else 1000.0
    return SimpleNamespace(felles_fte_cost=int(round(fte_cost)), felles_places_per_hour=cap / 37.5)


def populations(con: duckdb.DuckDBPyConnection, kommunenummer: list[str], year: int) -> dict[str, float]:
    """Registered residents 1 January `year` by kommunenummer (0 when missing)."""
    if not kommunenummer:
        return {}
    df = query(con, """SELECT kommunenummer, sum(population) AS p FROM population_single_age
                       WHERE year = ? AND list_contains(?, kommunenummer) GROUP BY kommunenummer""",
               [year, list(kommunenummer)])
    found = dict(zip(df["kommunenummer"], df["p"], strict=True))
    return {k: float(found.get(k, 0.0)) if not math.isnan(float(found.get(k, 0.0))) else 0.0
            for k in kommunenummer}


@dataclass(frozen=True)
class SsbListLength:
    """SSB's average list length with and without the correction for municipal hours (one year)."""

    year: int
    avg_list_length: float
    adjusted: float  # «listelengde korrigert for kommunale timer»

    @property
    def difference(self) -> float:
        """Persons per list the municipal hours stand for in SSB's correction."""
        return self.adjusted - self.avg_list_length

    def hours_per_gp(self, places_per_hour: float) -> float:
        """The difference as weekly hours per fastlege at `places_per_hour` (0 when the rate is 0)."""
        return _safe_div(self.difference, places_per_hour)


def ssb_list_length(con: duckdb.DuckDBPyConnection, kommunenummer: str) -> SsbListLength | None:
    """The latest year SSB gives both list lengths for the kommune, or None."""
    df = query(con, """SELECT year, metric, value FROM fastlege WHERE kommunenummer = ?
                       AND metric IN ('avg_list_length', 'avg_list_length_adj_municipal_hours')
                       AND value IS NOT NULL""", [kommunenummer])
    wide = df.pivot_table(index="year", columns="metric", values="value").dropna()
    if wide.empty or len(wide.columns) < 2:
        return None
    year = int(wide.index.max())
    row = wide.loc[year]
    return SsbListLength(year, float(row["avg_list_length"]), float(row["avg_list_length_adj_municipal_hours"]))
