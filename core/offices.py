"""Kontorstruktur: offices, models built by merging them, cost per patient and per consultation,
and how often an office must close because no GP who may work alone is present.

Method in docs/kontorstruktur.md. Everything here is pure: tables in, DataFrames out. The one
reference case (Øyer) is read from the statistics database's `reference_case` table; saved plans
live in the user database (core.db.connect_user).

Vulnerability model (stated on the page): each GP is at the office on a given working day with
probability share × (1 − absence share), independently of every other GP; a LIS1 may not work
without a fully licensed GP present and so never keeps an office open. The number of GPs present
then follows a Poisson binomial distribution, computed exactly.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import numpy as np
import pandas as pd

from core import access, audit, db, fmt, userdb, usertext
from core.access import LOCAL_USER, Action, Principal
from core.i18n import N_, t
from core.params import EXAMPLE as EXAMPLE_BASIS
from core.params import Lever, is_blank, lever, levers, sanitize

OYER_CASE = "oyer"
OYER_SOURCE = N_("Øyer kommune, «Organisering av fastlegetjenesten» (udatert saksdokument), "
                  "tabellene «Estimert kostnadsfordeling»")
USER_SOURCE = N_("Tall skrevet inn av brukeren")
TODAY = N_("I dag")


# --- the office table ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column of the office table: key, Norwegian label, unit and bounds."""

    key: str
    label: str
    unit: str = ""
    integer: bool = False
    text: bool = False
    max: float = 1e10
    help: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("name", N_("Kontor"), text=True, help=N_("Kontorets navn, for eksempel stedet det ligger.")),
    Column("gps", N_("Fastleger"), N_("personer"), integer=True, max=200,
           help=N_("Fastleger med full lisens (ikke LIS1).")),
    Column("gp_fte", N_("Fastlegeårsverk"), N_("årsverk"), max=200,
           help=N_("Summen av fastlegenes stillinger. 0 eller tomt: alle i full stilling.")),
    Column("lis1", N_("LIS1-leger"), N_("personer"), integer=True, max=50,
           help=N_("Leger i spesialisering, første del. Kan ikke jobbe alene uten annen lege til stede.")),
    Column("secretary_fte", N_("Helsesekretærer"), N_("årsverk"), max=200),
    Column("list_patients", N_("Listepasienter"), N_("personer"), integer=True, max=1e6),
    Column("consultations", N_("Konsultasjoner per år"), N_("konsultasjoner"), max=1e7),
    Column("personnel_cost", N_("Personell"), N_("kr per år"),
           help=N_("Lønn og sosiale kostnader som kommunen betaler.")),
    Column("running_cost", N_("Drift og øvrig"), N_("kr per år"),
           help=N_("Drift (IKT, telefon, forbruk) og alt som ikke står i de andre kostnadskolonnene.")),
    Column("rent_cost", N_("Husleie, FDV, vask og energi"), N_("kr per år")),
    Column("equipment_cost", N_("Felles utstyr"), N_("kr per år"),
           help=N_("Årlig kostnad for utstyr som trengs én gang per kontor (EKG, spirometri, lab, ultralyd).")),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
NUMBER_KEYS = tuple(c.key for c in COLUMNS if not c.text)
COST_KEYS = ("personnel_cost", "running_cost", "rent_cost", "equipment_cost")


@dataclass(frozen=True)
class Office:
    """One GP office: staff, patients, consultations per year and yearly costs in kroner."""

    name: str
    gps: int = 0
    gp_fte: float = 0.0
    lis1: int = 0
    secretary_fte: float = 0.0
    list_patients: float = 0.0
    consultations: float = 0.0
    personnel_cost: float = 0.0
    running_cost: float = 0.0
    rent_cost: float = 0.0
    equipment_cost: float = 0.0
    unallocated_saving: float = 0.0  # a saving a source gives only as a total, not per cost line
    gp_shares: tuple[float, ...] = ()  # each GP's share of a full position; empty: FTE split equally

    @property
    def total_cost(self) -> float:
        """All yearly costs, kroner (the unallocated saving subtracted)."""
        return sum(getattr(self, k) for k in COST_KEYS) - self.unallocated_saving

    @property
    def cost_excl_rent(self) -> float | None:
        """Yearly cost without rent, FDV, cleaning and energy (kr); None when a saving is not split."""
        if self.unallocated_saving > 0:
            return None
        return self.total_cost - self.rent_cost

    @property
    def shares(self) -> tuple[float, ...]:
        """Each GP's share of a full position (0–1): as given, or the FTE split equally."""
        if self.gp_shares:
            return self.gp_shares
        if self.gps <= 0:
            return ()
        return (min(self.gp_fte / self.gps, 1.0),) * self.gps


@dataclass(frozen=True)
class Problem:
    """A Norwegian message about one row (1-based, as the user counts) and column of the table."""

    row: int | None
    column: str | None
    message: str


def empty_table(rows: int = 2) -> pd.DataFrame:
    """An office table with `rows` empty rows: no name, zeros (columns = COLUMNS keys)."""
    data = {c.key: pd.Series([""] * rows if c.text else [0.0] * rows, dtype="string" if c.text else "float64")
            for c in COLUMNS}
    return pd.DataFrame(data)


def table_from_offices(offices: Sequence[Office]) -> pd.DataFrame:
    """The office table (as the editor shows it) for some offices."""
    frame = pd.DataFrame([{c.key: getattr(o, c.key) for c in COLUMNS} for o in offices],
                         columns=[c.key for c in COLUMNS])
    return frame.astype({c.key: ("string" if c.text else "float64") for c in COLUMNS})


def _is_zero(x: object) -> bool:
    try:
        return float(x) == 0.0  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def no(x: float, decimals: int = 2) -> str:
    """A number for a message: Norwegian decimal comma, no trailing zeros."""
    return fmt.number(x, decimals, trim=True, minus=fmt.MINUS)


def _number(raw: object, col: Column, row: int) -> tuple[float, Problem | None]:
    """One cell as a number (blank = 0) and a problem if it is not a valid value."""
    where = t("Rad {row}, «{column}»", row=row, column=t(col.label))
    if is_blank(raw):
        return 0.0, None
    if isinstance(raw, bool):
        return 0.0, Problem(row, col.key, t("{where}: «{raw}» er ikke et tall.", where=where, raw=raw))
    try:
        value = float(str(raw).replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except ValueError:
        return 0.0, Problem(row, col.key, t("{where}: «{raw}» er ikke et tall.", where=where, raw=sanitize(raw)))
    if not math.isfinite(value):
        return 0.0, Problem(row, col.key, t("{where}: verdien er ikke et endelig tall.", where=where))
    if value < 0:
        return 0.0, Problem(row, col.key, t("{where}: kan ikke være negativ ({value}).", where=where, value=no(value)))
    if value > col.max:
        return 0.0, Problem(row, col.key, t("{where}: {value} er urimelig stort (høyst {max}).", where=where,
                                            value=no(value), max=no(col.max)))
    if col.integer and not float(value).is_integer():
        return 0.0, Problem(row, col.key, t("{where}: må være et helt tall, ikke {value}.", where=where,
                                            value=no(value)))
    return value, None


def parse_offices(frame: pd.DataFrame) -> tuple[tuple[Office, ...], list[Problem]]:
    """The valid offices of an edited table and a Norwegian message per invalid cell; never raises.

    Empty rows (no name, no number other than 0) are skipped; a row with a problem is left out
    of the calculations, the others are used. Blank numbers count as 0; a blank or 0
    «Fastlegeårsverk» means every GP works full time.
    """
    offices: list[Office] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    if frame is None or len(frame) == 0:
        return (), []
    for i, (_, raw) in enumerate(frame.iterrows(), start=1):
        cells = {c.key: raw.get(c.key) for c in COLUMNS}
        if all(is_blank(v) or (k != "name" and _is_zero(v)) for k, v in cells.items()):
            continue
        row_problems: list[Problem] = []
        name = "" if is_blank(cells["name"]) else sanitize(cells["name"], limit=40)
        if not name or name == "(tomt)":
            row_problems.append(Problem(i, "name", t("Rad {row}: kontoret mangler navn.", row=i)))
        elif name in seen:
            row_problems.append(Problem(i, "name", t("Rad {row}: navnet «{name}» er brukt før; gi kontorene "
                                                     "ulike navn.", row=i, name=name)))
        values: dict[str, float] = {}
        for key in NUMBER_KEYS:
            values[key], problem = _number(cells[key], COLUMN_BY_KEY[key], i)
            if problem:
                row_problems.append(problem)
        gps = values["gps"]
        if values["gp_fte"] == 0:
            values["gp_fte"] = gps
        elif not any(p.column in ("gps", "gp_fte") for p in row_problems) and values["gp_fte"] > gps + 1e-9:
            row_problems.append(Problem(i, "gp_fte", t(
                "Rad {row}: {fte} fastlegeårsverk på {gps} fastleger – hver lege kan ha høyst ett årsverk.",
                row=i, fte=no(values["gp_fte"]), gps=no(gps))))
        if row_problems:
            problems.extend(row_problems)
            continue
        seen.add(name)
        offices.append(Office(name=name, gps=int(gps), lis1=int(values["lis1"]),
                              **{k: v for k, v in values.items() if k not in ("gps", "lis1")}))
    return tuple(offices), problems


# --- models: today and alternatives built by merging offices -------------------------------------

@dataclass(frozen=True)
class Merger:
    """Offices merged into one, with the user's own estimate of what the merged office saves.

    Savings are kroner per year; `secretary_fte_saved` × `secretary_cost_per_fte` comes off the
    personnel cost; with `equipment_once` the shared equipment is bought once (the most expensive
    set is kept). `unallocated_saving` is a saving known only as a total (as in Øyer's document).
    """

    members: tuple[str, ...]
    name: str
    rent_saving: float = 0.0
    equipment_once: bool = False
    secretary_fte_saved: float = 0.0
    secretary_cost_per_fte: float = 0.0
    other_saving: float = 0.0
    unallocated_saving: float = 0.0


@dataclass(frozen=True)
class Model:
    """A way to organise the offices: today's offices with some of them merged."""

    name: str
    mergers: tuple[Merger, ...] = ()
    source: str = USER_SOURCE


def merge(members: Sequence[Office], merger: Merger) -> tuple[Office, list[str]]:
    """The merged office and Norwegian messages where an estimate had to be cut to what exists."""
    messages: list[str] = []

    def total(key: str) -> float:
        return float(sum(getattr(o, key) for o in members))

    def cut(saving: float, available: float, what: str) -> float:
        if saving > available + 1e-9:
            messages.append(t("«{merger}»: innsparingen på {what} ({saving} kr) er større enn det kontorene har "
                              "({available} kr); {available} kr brukes.", merger=merger.name, what=what,
                              saving=no(saving, 0), available=no(available, 0)))
            return available
        return saving

    fte_saved = min(merger.secretary_fte_saved, total("secretary_fte"))
    if merger.secretary_fte_saved > total("secretary_fte") + 1e-9:
        messages.append(t("«{merger}»: kontorene har bare {fte} sekretærårsverk; {saved} spares.",
                          merger=merger.name, fte=no(total("secretary_fte")), saved=no(fte_saved)))
    personnel_saving = cut(fte_saved * merger.secretary_cost_per_fte, total("personnel_cost"),
                           t("personell"))
    equipment = (max((o.equipment_cost for o in members), default=0.0) if merger.equipment_once
                 else total("equipment_cost"))
    office = Office(
        name=merger.name,
        gps=int(total("gps")), gp_fte=total("gp_fte"), lis1=int(total("lis1")),
        secretary_fte=total("secretary_fte") - fte_saved,
        list_patients=total("list_patients"), consultations=total("consultations"),
        personnel_cost=total("personnel_cost") - personnel_saving,
        running_cost=total("running_cost") - cut(merger.other_saving, total("running_cost"), t("drift")),
        rent_cost=total("rent_cost") - cut(merger.rent_saving, total("rent_cost"), t("husleie, FDV, vask og energi")),
        equipment_cost=equipment,
        gp_shares=tuple(s for o in members for s in o.shares),
    )
    unallocated = cut(merger.unallocated_saving + total("unallocated_saving"), office.total_cost,
                      t("samlet kostnad"))
    return replace(office, unallocated_saving=unallocated), messages


def apply_model(offices: Sequence[Office], model: Model) -> tuple[tuple[Office, ...], list[str]]:
    """The offices of a model (merged offices where the first member stood) and messages."""
    by_name = {o.name: o for o in offices}
    replaced: dict[str, Office | None] = {}
    messages: list[str] = []
    for merger in model.mergers:
        missing = [m for m in merger.members if m not in by_name]
        taken = [m for m in merger.members if m in replaced]
        if missing or taken or not merger.members:
            why = (t("kontoret «{office}» finnes ikke i tabellen", office=missing[0]) if missing else
                   t("«{office}» er allerede slått sammen med et annet", office=taken[0]) if taken else
                   t("ingen kontorer valgt"))
            messages.append(t("«{model}»: {why}; sammenslåingen «{merger}» er utelatt.", model=model.name, why=why,
                              merger=merger.name))
            continue
        merged, notes = merge([by_name[m] for m in merger.members], merger)
        messages.extend(f"«{model.name}»: {n}" for n in notes)
        for i, member in enumerate(merger.members):
            replaced[member] = merged if i == 0 else None
    out = [replaced[o.name] if o.name in replaced else o for o in offices]
    return tuple(o for o in out if o is not None), messages


# --- costs --------------------------------------------------------------------------------------

def whole_kroner(x: float) -> float:
    """Whole kroner, half up (as the Øyer document rounds its per-patient figures)."""
    return float(Decimal(repr(float(x))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def per(cost: float | None, n: float) -> float:
    """Kroner per unit, rounded to whole kroner; NaN when there is no cost or no unit."""
    if cost is None or n <= 0:
        return math.nan
    return whole_kroner(cost / n)


def cost_row(offices: Sequence[Office]) -> dict[str, float]:
    """Costs (kr per year), patients, consultations and per-unit costs (whole kr) of some offices.

    `cost_excl_rent` and the figures from it are NaN when a saving is known only as a total.
    """
    total = float(sum(o.total_cost for o in offices))
    excl = [o.cost_excl_rent for o in offices]
    cost_excl = None if any(e is None for e in excl) else float(sum(excl))  # type: ignore[arg-type]
    patients = float(sum(o.list_patients for o in offices))
    consultations = float(sum(o.consultations for o in offices))
    return {
        "total_cost": total,
        "cost_excl_rent": math.nan if cost_excl is None else cost_excl,
        "rent_cost": math.nan if cost_excl is None else float(sum(o.rent_cost for o in offices)),
        "list_patients": patients,
        "consultations": consultations,
        "cost_per_patient": per(total, patients),
        "cost_per_patient_excl_rent": per(cost_excl, patients),
        "cost_per_consultation": per(total, consultations),
        "cost_per_consultation_excl_rent": per(cost_excl, consultations),
    }


def office_costs(offices: Sequence[Office]) -> pd.DataFrame:
    """One row per office: costs, patients, consultations and cost per patient/consultation."""
    return pd.DataFrame([{"office": o.name, **cost_row([o])} for o in offices])


# --- vulnerability ------------------------------------------------------------------------------

G_ABSENCE = N_("Fravær per fastlege")
EXAMPLE = N_("Eksempelverdi (ingen offentlig kilde funnet); endre til kommunens egne tall")


@dataclass(frozen=True)
class AbsenceParams:
    """How often a GP is away from the office on a working day; every default is an example."""

    working_days: int = lever(label="Arbeidsdager per år", unit=N_("dager"), default=250, min=150, max=300,
                              step=1, group=G_ABSENCE,
                              source=N_("Kalenderen og helligdagsloven (lov om helligdager og helgedager) med "
                                        "loven om 1. og 17. mai: 52 uker à 5 hverdager = 260, minus 8–10 "
                                        "helligdager som faller på hverdager; om lag 250"))
    holiday_days: int = lever(label="Ferie uten vikar", unit=N_("dager per lege"), default=25, min=0, max=60,
                              step=1, group=G_ABSENCE, basis=EXAMPLE_BASIS,
                              source=N_("Eksempel: fem uker (25 arbeidsdager) uten vikar; ferieloven gir "
                                        "minst fire uker og én dag"),
                              help="Bare ferie der ingen vikar tar legens dager.")
    sick_days: int = lever(label="Sykefravær", unit=N_("dager per lege"), default=10, min=0, max=120, step=1,
                           group=G_ABSENCE, source=EXAMPLE, basis=EXAMPLE_BASIS)
    course_days: int = lever(label="Kurs og etterutdanning", unit=N_("dager per lege"), default=10, min=0, max=60,
                             step=1, group=G_ABSENCE, source=EXAMPLE, basis=EXAMPLE_BASIS)
    night_rest_days: int = lever(label="Fri etter nattevakt på legevakt", unit=N_("dager per lege"), default=10,
                                 min=0, max=100, step=1, group=G_ABSENCE, source=EXAMPLE, basis=EXAMPLE_BASIS)
    municipal_days: int = lever(label="Kommunale oppgaver utenfor kontoret", unit=N_("dager per lege"), default=0,
                                min=0, max=150, step=1, group=G_ABSENCE, source=EXAMPLE, basis=EXAMPLE_BASIS,
                                help="Hele dager på helsestasjon, sykehjem, flyktninghelse o.l.")

    @property
    def absence_days(self) -> int:
        """Working days per GP per year away from the office."""
        return self.holiday_days + self.sick_days + self.course_days + self.night_rest_days + self.municipal_days

    @property
    def absence_share(self) -> float:
        """Share of working days a GP (in a full position) is away, 0–1."""
        return min(self.absence_days / self.working_days, 1.0) if self.working_days > 0 else 1.0


def absence_examples(absence: AbsenceParams) -> list[Lever]:
    """The absence levers that stand on their example default (no source): what the closed days rest on."""
    return [lv for lv in levers(AbsenceParams) if lv.is_example and getattr(absence, lv.name) == lv.default]


def presence(office: Office, absence: AbsenceParams) -> tuple[float, ...]:
    """Each GP's probability of being at the office on a working day (LIS1 not counted)."""
    return tuple(min(max(s, 0.0), 1.0) * (1.0 - absence.absence_share) for s in office.shares)


def present_distribution(probabilities: Sequence[float]) -> np.ndarray:
    """P(exactly k of the GPs present), k = 0..n, for independent GPs (Poisson binomial, exact)."""
    dist = np.zeros(len(probabilities) + 1)
    dist[0] = 1.0
    for i, p in enumerate(probabilities, start=1):
        dist[1:i + 1] = dist[1:i + 1] * (1.0 - p) + dist[:i] * p
        dist[0] *= 1.0 - p
    return dist


def vulnerability(office: Office, absence: AbsenceParams) -> dict[str, float]:
    """Expected working days per year the office is closed (no GP) and has only one GP."""
    dist = present_distribution(presence(office, absence))
    closed = float(dist[0])
    one = float(dist[1]) if len(dist) > 1 else 0.0
    return {
        "closed_share": closed,
        "closed_days": closed * absence.working_days,
        "one_gp_days": one * absence.working_days,
        "lis1_idle_days": closed * absence.working_days * office.lis1,
    }


# --- models side by side ------------------------------------------------------------------------

def model_offices(offices: Sequence[Office], models: Sequence[Model],
                  absence: AbsenceParams) -> tuple[pd.DataFrame, list[str]]:
    """One row per model and office: staff, costs, per-unit costs, closed days; and messages."""
    rows = []
    messages: list[str] = []
    for model in models:
        result, notes = apply_model(offices, model)
        messages.extend(notes)
        for o in result:
            rows.append({"model": model.name, "office": o.name, "gps": o.gps, "gp_fte": o.gp_fte,
                         "lis1": o.lis1, "secretary_fte": o.secretary_fte,
                         **cost_row([o]), **vulnerability(o, absence)})
    columns = ["model", "office", "gps", "gp_fte", "lis1", "secretary_fte", *cost_row([]),
               "closed_share", "closed_days", "one_gp_days", "lis1_idle_days"]
    return pd.DataFrame(rows, columns=columns), messages


def compare(offices: Sequence[Office], models: Sequence[Model],
            absence: AbsenceParams) -> tuple[pd.DataFrame, list[str]]:
    """One row per model: costs, per-unit costs (whole kr), saving against the first model,
    office-days closed per year, and facts about the size of the professional communities."""
    per_office, messages = model_offices(offices, models, absence)
    rows = []
    for model in models:
        result, _ = apply_model(offices, model)
        part = per_office[per_office["model"] == model.name]
        rows.append({
            "model": model.name, "offices": len(result), "gps": int(sum(o.gps for o in result)),
            "gp_fte": float(sum(o.gp_fte for o in result)), "lis1": int(sum(o.lis1 for o in result)),
            "secretary_fte": float(sum(o.secretary_fte for o in result)),
            **cost_row(result),
            "closed_days": float(part["closed_days"].sum()),
            "one_gp_days": float(part["one_gp_days"].sum()),
            "lis1_idle_days": float(part["lis1_idle_days"].sum()),
            "smallest_office_gps": min((o.gps for o in result), default=0),
            "largest_office_gps": max((o.gps for o in result), default=0),
            "lis1_with_one_gp": int(sum(o.lis1 for o in result if o.gps < 2)),
            # The Øyer document: Tretten, «kun 1,6 årsverk for fastlege i tillegg til turnuslege», closes when its
            # GP is away, and the LIS1 may not work alone. Counted by FTE: two part-time GPs are not two on site.
            "lis1_under_two_fte": int(sum(o.lis1 for o in result if o.gp_fte < 2 - 1e-9)),
            "source": model.source,
        })
    frame = pd.DataFrame(rows)
    if len(frame):
        frame.insert(frame.columns.get_loc("cost_excl_rent"), "saving",
                     frame["total_cost"].iloc[0] - frame["total_cost"])
    return frame, messages


# --- the case document's conclusion -------------------------------------------------------------

OYER_RECOMMENDATION = N_("«Allmennlegeutvalget, kommuneoverlege og sektorledergruppen har valgt å anbefale en løsning "
                         "med ett felles fastlegekontor», med størst vekt på de faglige argumentene og en økonomisk "
                         "forsvarlig forvaltning")
OYER_LIS1 = N_("Om Tretten (1,6 fastlegeårsverk og en turnuslege) skriver dokumentet at kontoret har måttet stenge ved "
               "fravær, og at «turnuslegen ikke har lov til å jobbe alene uten annen lege tilstede»")


@dataclass(frozen=True)
class ConclusionCheck:
    """Today's offices against the document's recommended model, on the three things the document weighs."""

    model: str
    saving: float  # kr per year (positive: the model is cheaper)
    closed_today: float  # office-days closed per year
    closed_model: float
    lis1_idle_today: float  # LIS1-days without a GP present
    lis1_idle_model: float
    smallest_today: int  # GPs at the smallest office
    smallest_model: int

    @property
    def cheaper(self) -> bool:
        """The model costs less per year."""
        return self.saving > 0

    @property
    def less_vulnerable(self) -> bool:
        """The model's offices are closed fewer days."""
        return self.closed_model < self.closed_today

    @property
    def larger_community(self) -> bool:
        """The smallest professional community is larger."""
        return self.smallest_model > self.smallest_today

    @property
    def agrees(self) -> bool:
        """Legeplan's figures point the way the document concludes on all three."""
        return self.cheaper and self.less_vulnerable and self.larger_community


def conclusion_check(comparison: pd.DataFrame, model: str) -> ConclusionCheck | None:
    """Today (the first row) against `model` in a comparison; None when the model is not there."""
    rows = comparison[comparison["model"] == model]
    if rows.empty or len(comparison) < 2:
        return None
    today, m = comparison.iloc[0], rows.iloc[0]
    return ConclusionCheck(model=model, saving=float(m["saving"]), closed_today=float(today["closed_days"]),
                           closed_model=float(m["closed_days"]), lis1_idle_today=float(today["lis1_idle_days"]),
                           lis1_idle_model=float(m["lis1_idle_days"]),
                           smallest_today=int(today["smallest_office_gps"]),
                           smallest_model=int(m["smallest_office_gps"]))


# --- the reference case -------------------------------------------------------------------------

@dataclass(frozen=True)
class ReferenceCase:
    """A bundled case: its office table, its alternative models and the document's own figures."""

    case_id: str
    kommunenummer: str
    source: str
    table: pd.DataFrame
    models: tuple[Model, ...]
    figures: pd.DataFrame  # entity, metric, value as transcribed from the document
    notes: tuple[str, ...] = field(default=())


def reference_rows(con: duckdb.DuckDBPyConnection, case_id: str) -> pd.DataFrame:
    """The rows of one reference case from the database (entity, metric, value, unit, note)."""
    return db.query(con, """SELECT kommunenummer, entity, metric, value, unit, note FROM reference_case
                            WHERE case_id = ? ORDER BY entity, metric""", [case_id])


def reference_case(rows: pd.DataFrame, case_id: str = OYER_CASE, source: str = OYER_SOURCE) -> ReferenceCase:
    """The office table and merger model of a case from its rows.

    Entities with a cost both with and without rent are today's offices (rent etc. = the
    difference, everything else is put under «Drift og øvrig» because the document does not split
    it); an entity with only a total cost is the merged office of all of them, its saving known
    only as a total.
    """
    wide = rows.pivot_table(index="entity", columns="metric", values="value", aggfunc="first")
    today = wide[wide["cost_excl_rent"].notna()] if "cost_excl_rent" in wide else wide.iloc[0:0]
    merged = wide[wide.index.isin(today.index) == False]  # noqa: E712
    merged = merged[merged["cost_incl_rent"].notna()] if "cost_incl_rent" in merged else merged.iloc[0:0]

    def cell(entity: str, metric: str) -> float:
        return float(today.at[entity, metric]) if metric in today and pd.notna(today.at[entity, metric]) else math.nan

    table = empty_table(len(today))
    order = sorted(today.index, key=lambda e: -cell(e, "list_patients"))
    for i, entity in enumerate(order):
        table.loc[i, "name"] = str(entity)
        table.loc[i, "gps"] = cell(entity, "gps")
        table.loc[i, "gp_fte"] = cell(entity, "gp_fte")
        table.loc[i, "lis1"] = cell(entity, "lis1")
        table.loc[i, "list_patients"] = cell(entity, "list_patients")
        table.loc[i, "consultations"] = cell(entity, "consultations")
        table.loc[i, "running_cost"] = cell(entity, "cost_excl_rent")
        for unknown in ("secretary_fte", "personnel_cost", "equipment_cost"):
            table.loc[i, unknown] = 0.0  # not given in the document (see notes)
        table.loc[i, "rent_cost"] = cell(entity, "cost_incl_rent") - cell(entity, "cost_excl_rent")
    table = table.fillna({c.key: 0.0 for c in COLUMNS if not c.text})  # not in the document: 0
    models = []
    for entity, r in merged.iterrows():
        saving = float(sum(cell(e, "cost_incl_rent") for e in order) - r["cost_incl_rent"])
        models.append(Model(
            name=t("Samling til ett kontor"),
            mergers=(Merger(members=tuple(order), name=str(entity), unallocated_saving=saving),),
            source=source,
        ))
    return ReferenceCase(
        case_id=case_id, kommunenummer=str(rows["kommunenummer"].iloc[0]) if len(rows) else "",
        source=source, table=table, models=tuple(models),
        figures=rows[["entity", "metric", "value", "unit", "note"]].reset_index(drop=True),
        notes=(
            t("Dokumentet oppgir kostnad med og uten husleie, FDV, vask og energi. Forskjellen står som "
              "«Husleie, FDV, vask og energi»; resten står som «Drift og øvrig» fordi dokumentet ikke "
              "skiller personell, drift og utstyr."),
            t("Helsesekretærårsverk er ikke oppgitt i dokumentet og står som 0; skriv inn kommunens tall "
              "hvis du vil regne på sekretærene."),
            t("Den samlede kostnaden for ett kontor er administrasjonens tall. Dokumentet sier ikke hvor "
              "mye av innsparingen som er husleie og hvor mye som er personell eller utstyr, så kostnaden "
              "uten husleie for det samlede kontoret kan ikke regnes ut."),
        ),
    )


DOCUMENT_METRICS = {
    "gps": (N_("Fastleger"), "gps"), "gp_fte": (N_("Fastlegeårsverk"), "gp_fte"), "lis1": (N_("LIS1-leger"), "lis1"),
    "list_patients": (N_("Listepasienter"), "list_patients"),
    "consultations": (N_("Konsultasjoner"), "consultations"),
    "cost_incl_rent": (N_("Kostnad per år (kr)"), "total_cost"),
    "cost_excl_rent": (N_("Kostnad uten husleie, FDV, vask og energi (kr)"), "cost_excl_rent"),
    "cost_per_patient": (N_("Per listepasient (kr)"), "cost_per_patient"),
    "cost_per_patient_excl_rent": (N_("Per listepasient uten husleie (kr)"), "cost_per_patient_excl_rent"),
    "cost_per_consultation": (N_("Per konsultasjon (kr)"), "cost_per_consultation"),
}


def check_against_document(figures: pd.DataFrame, per_office: pd.DataFrame) -> pd.DataFrame:
    """The document's figures beside Legeplan's for the same office (entity = office name).

    Columns: entity, metric, label, document, computed (NaN if not computed), equal (bool).
    """
    first = per_office.drop_duplicates("office").set_index("office")
    rows = []
    for r in figures.itertuples():
        if r.metric not in DOCUMENT_METRICS:
            continue
        label, column = DOCUMENT_METRICS[r.metric]
        computed = float(first.at[r.entity, column]) if r.entity in first.index else math.nan
        rows.append({"entity": r.entity, "metric": r.metric, "label": label, "document": float(r.value),
                     "computed": computed,
                     "equal": bool(math.isfinite(computed) and abs(computed - float(r.value)) < 1e-6)})
    order = list(DOCUMENT_METRICS)
    frame = pd.DataFrame(rows, columns=["entity", "metric", "label", "document", "computed", "equal"])
    frame["_o"] = frame["metric"].map(order.index)
    return frame.sort_values(["entity", "_o"], kind="stable").drop(columns="_o").reset_index(drop=True)


# --- saved plans (the user database; the table office_plan is defined in core.userdb) -----------

def models_to_json(models: Sequence[Model]) -> str:
    """Models as JSON text."""
    return json.dumps([{**asdict(m), "name": usertext.clean(m.name, multiline=False)} for m in models],
                      ensure_ascii=False)


def models_from_json(text: str) -> tuple[Model, ...]:
    """Models from JSON text; entries that do not fit are dropped."""
    out = []
    try:
        items = json.loads(text)
    except (TypeError, ValueError):
        return ()
    for item in items if isinstance(items, list) else []:
        try:
            mergers = tuple(Merger(**{**m, "members": tuple(m["members"])}) for m in item.get("mergers", []))
            out.append(Model(name=str(item["name"]), mergers=mergers, source=str(item.get("source", USER_SOURCE))))
        except (TypeError, KeyError, AttributeError):
            continue
    return tuple(out)


def table_to_json(table: pd.DataFrame) -> str:
    """The office table as JSON records (blank cells as null)."""
    records = [{c.key: (None if is_blank(r.get(c.key)) else (usertext.clean(r.get(c.key), multiline=False) if c.text else float(r.get(c.key))))
                for c in COLUMNS} for _, r in table.iterrows()]
    return json.dumps(records, ensure_ascii=False)


def table_from_json(text: str) -> pd.DataFrame:
    """The office table from JSON records."""
    frame = pd.DataFrame(json.loads(text), columns=[c.key for c in COLUMNS])
    return frame.astype({c.key: ("string" if c.text else "float64") for c in COLUMNS})


def save_plan(con: duckdb.DuckDBPyConnection, kommunenummer: str, name: str, table: pd.DataFrame,
              models: Sequence[Model], *, actor: Principal = LOCAL_USER) -> None:
    """Save (or replace) a named plan for a kommune, in one transaction."""
    access.require(actor, Action.OFFICE_PLAN_SAVE, kommunenummer)
    userdb.ensure(con)
    name = usertext.clean(name, multiline=False, max_len=200)
    after = {"navn": name, "kontorer": json.loads(table_to_json(table)), "modeller": json.loads(models_to_json(models))}
    db.write(con, [
        ("DELETE FROM office_plan WHERE kommunenummer = ? AND name = ?", (kommunenummer, name)),
        ("INSERT INTO office_plan (kommunenummer, name, offices_json, models_json) VALUES (?, ?, ?, ?)",
         (kommunenummer, name, table_to_json(table), models_to_json(models))),
        audit.statement(actor, Action.OFFICE_PLAN_SAVE, kommunenummer, name, name,
                        audit.office_plan(con, kommunenummer, name), after),
    ])


def plan_names(con: duckdb.DuckDBPyConnection, kommunenummer: str) -> list[str]:
    """The names of a kommune's saved plans, newest first."""
    userdb.ensure(con)
    df = db.query(con, "SELECT name FROM office_plan WHERE kommunenummer = ? ORDER BY saved_at DESC, name",
                  [kommunenummer])
    return [str(n) for n in df["name"]]


def load_plan(con: duckdb.DuckDBPyConnection, kommunenummer: str,
              name: str) -> tuple[pd.DataFrame, tuple[Model, ...]] | None:
    """A saved plan's office table and models, or None."""
    userdb.ensure(con)
    df = db.query(con, "SELECT offices_json, models_json FROM office_plan WHERE kommunenummer = ? AND name = ?",
                  [kommunenummer, name])
    if df.empty:
        return None
    return table_from_json(df["offices_json"].iloc[0]), models_from_json(df["models_json"].iloc[0])


def delete_plan(con: duckdb.DuckDBPyConnection, kommunenummer: str, name: str, *,
                actor: Principal = LOCAL_USER) -> None:
    """Delete a saved plan."""
    access.require(actor, Action.OFFICE_PLAN_DELETE, kommunenummer)
    before = audit.office_plan(con, kommunenummer, name)  # None: nothing to delete, nothing to log
    db.write(con, [("DELETE FROM office_plan WHERE kommunenummer = ? AND name = ?", (kommunenummer, name)),
                   *([audit.statement(actor, Action.OFFICE_PLAN_DELETE, kommunenummer, name, name, before)] if before else [])])
