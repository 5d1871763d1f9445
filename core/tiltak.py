"""Tiltak og prosjekt: the action plan (measures) and the improvement project as living registers.

Method in docs/tiltak.md. The registers are stored per kommune in the user database
(core.db.connect_user), each row as JSON with its own version number, the register with one
version number and a change log with timestamps. A save names the register version it was based
on; if someone else saved in between, it is refused with a Norwegian message telling what changed
(never silently overwriting). Removed rows are kept (flagged) so a removal can be undone.

The reference registers (Stavanger's Table 1 for 1103, Alver's project plan for 4631) are read
from the statistics database's `tiltak_reference` and `prosjekt_reference` tables, text as
written in the documents. Everything here is pure apart from the functions that take a
connection; nothing imports streamlit.
"""

from __future__ import annotations

import csv
import io
import json
import math
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from core import access, audit, db, fmt, userdb, usertext
from core import reference_cases as rc
from core.access import LOCAL_USER, SYSTEM, Action, Principal
from core.i18n import N_, catalogue, t
from core.params import is_blank

# Statuses, kinds, indicator links and column headers are stored and compared in bokmål (the catalogue
# key); they are shown as t(x) and read back from either målform (from_shown).
STATUSES = (N_("ikke startet"), N_("pågår"), N_("ferdig"), N_("utsatt"), N_("stoppet"))
CLOSED = frozenset({"ferdig", "stoppet"})  # a milestone with these is never overdue
MEASURES = "tiltak"
PROJECT = "prosjekt"
REGISTERS = (MEASURES, PROJECT)
# The reference case each register starts from, in its kommune (core.reference_cases): Stavanger's Table 1
# is part of the temaplan of stavanger_2023, Alver's project plan is the project of the alver_2021 notat.
REGISTER_CASES = {MEASURES: "stavanger_2023", PROJECT: "alver_2021"}
STAVANGER_SOURCE = ("Stavanger kommune, temaplan for legetjenesten, «Utvidet tekst. Tabell 1. Prioriterte tiltak "
                    "i anbefalt rekkefølge»")
ALVER_SOURCE = ("Alver kommune, prosjektplan «Prosjekt leiing, kvalitetsforbetring og ressurseffektiv drift i "
                "sektor HO 2021-2024»")
USER_SOURCE = N_("Skrevet inn av brukeren")
OSLO = ZoneInfo("Europe/Oslo")
FORMULA_START = ("=", "+", "-", "@")

# Indicators a measure can be linked to: the catalogue name (core.indicators) → how its series is
# computed from SSB table 12005 in the statistics database, and its unit.
INDICATOR_LINKS: dict[str, tuple[str, str]] = {
    "reserve_capacity": (N_("Reservekapasitet (indeks, 100 = balanse)"), "index"),
    "free_capacity": (N_("Ledig kapasitet (listeplasser)"), "persons"),
    "patients_without_gp": (N_("Pasienter på liste uten lege"), "persons"),
    "share_without_gp": (N_("Andel på liste uten lege (brøk, 0,05 = 5 %)"), "share"),
    "list_length": (N_("Gjennomsnittlig listelengde"), "persons per list"),
}
# Stavanger's measure 1 ("Ledige listeplasser for befolkningen") linked to the reserve capacity:
# SSB's series for free places; the link is Legeplan's reading, not the document's.
STAVANGER_LINKS = {1: "reserve_capacity"}


# --- the two kinds of rows -----------------------------------------------------------------------

@dataclass(frozen=True)
class Measure:
    """One measure (tiltak) of the action plan; amounts in kroner, years as whole years."""

    measure: str
    priority: int = 0
    effect_goal: str = ""
    result_goal: str = ""
    gain: str = ""
    start_year: int | None = None
    end_year: int | None = None
    indicator: str = ""
    indicator_key: str = ""
    baseline: float | None = None
    target: float | None = None
    cost_text: str = ""
    cost_min: float | None = None
    cost_max: float | None = None
    rationale: str = ""
    status: str = "ikke startet"
    responsible: str = ""
    notes: str = ""
    source: str = USER_SOURCE
    row_id: str = ""
    version: int = 1


PROJECT_KINDS = {
    "goal_main": N_("Hovedmål"), "goal_result": N_("Resultatmål"), "goal_effect": N_("Effektmål"),
    "milestone": N_("Milepæl"), "benefit": N_("Gevinst"), "risk": N_("Risiko"), "cost": N_("Kostnad"),
}
KIND_BY_LABEL = {v: k for k, v in PROJECT_KINDS.items()}


@dataclass(frozen=True)
class ProjectItem:
    """One line of a project: a goal, a milestone (deadline), a benefit (kr) or a risk."""

    kind: str
    text: str
    group: str = ""
    detail: str = ""
    deadline: date | None = None
    status: str = "ikke startet"
    planned_kr: float | None = None
    realised_kr: float | None = None
    responsible: str = ""
    notes: str = ""
    source: str = USER_SOURCE
    row_id: str = ""
    version: int = 1


@dataclass(frozen=True)
class Column:
    """One editable column: key (dataclass field), Norwegian header, kind and help text."""

    key: str
    label: str
    kind: str = "text"  # text, int, year, number, kr, status, indicator, kind, date
    help: str = ""


MEASURE_COLUMNS: tuple[Column, ...] = (
    Column("priority", N_("Prioritet"), "int", N_("Rekkefølgen i planen, 1 først. Endre tallet for å flytte et tiltak.")),
    Column("effect_goal", N_("Effektmål"), help=N_("Ønsket fremtidig situasjon.")),
    Column("result_goal", N_("Resultatmål"), help=N_("Hva tiltaket skal oppnå.")),
    Column("measure", N_("Tiltak"), help=N_("Konkret beskrivelse av hva som skal gjøres (må fylles ut).")),
    Column("gain", N_("Gevinst"), help=N_("Økonomi og kvalitet.")),
    Column("start_year", N_("Start (år)"), "year"),
    Column("end_year", N_("Slutt (år)"), "year"),
    Column("indicator", N_("Indikator"), help=N_("Hva skal måles for å se om tiltaket har virket.")),
    Column("indicator_key", N_("Kobling til Legeplan-indikator"), "indicator",
           N_("Velg en indikator fra appens statistikk for å se tidsserien mot målet.")),
    Column("baseline", N_("Utgangsverdi"), "number", N_("I indikatorens enhet (andel som desimaltall: 0,05 = 5 %).")),
    Column("target", N_("Mål"), "number", N_("I indikatorens enhet (andel som desimaltall: 0,05 = 5 %).")),
    Column("cost_text", N_("Økonomi"), help=N_("Kostnaden for kommunen som tekst, f.eks. «Ingen ekstra kostnad».")),
    Column("cost_min", N_("Kostnad fra (kr)"), "kr"),
    Column("cost_max", N_("Kostnad til (kr)"), "kr", N_("Samme som «fra» for et fast beløp.")),
    Column("rationale", N_("Begrunnelse")),
    Column("status", N_("Status"), "status"),
    Column("responsible", N_("Ansvarlig enhet")),
    Column("notes", N_("Merknader")),
)

PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("kind", N_("Type"), "kind", N_("Hovedmål, resultatmål, effektmål, milepæl, gevinst, risiko eller kostnad.")),
    Column("group", N_("Gruppe"), help=N_("For eksempel delområde eller år.")),
    Column("text", N_("Tekst"), help=N_("Må fylles ut.")),
    Column("detail", N_("Innhold")),
    Column("deadline", N_("Frist"), "date", N_("Dato for milepæler (dd.mm.åååå).")),
    Column("status", N_("Status"), "status"),
    Column("planned_kr", N_("Planlagt gevinst (kr)"), "kr"),
    Column("realised_kr", N_("Realisert gevinst (kr)"), "kr"),
    Column("responsible", N_("Ansvarlig")),
    Column("notes", N_("Merknader")),
)
COLUMNS = {MEASURES: MEASURE_COLUMNS, PROJECT: PROJECT_COLUMNS}
ROW_TYPES: dict[str, type] = {MEASURES: Measure, PROJECT: ProjectItem}
NOUN = {MEASURES: N_("tiltak"), PROJECT: N_("linjer")}


def from_shown(text: str, keys) -> str:
    """A value typed or chosen in the målform in force back to its stored (bokmål) form; else unchanged."""
    if text in keys:
        return text
    return next((k for k in keys if t(k) == text or catalogue().get(k) == text), text)


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


def now_oslo() -> datetime:
    """The current time in Norway, without time zone (as stored in the change log)."""
    return datetime.now(OSLO).replace(tzinfo=None, microsecond=0)


def title(row: Measure | ProjectItem, limit: int = 70) -> str:
    """A short Norwegian name for a row in messages."""
    text = row.measure if isinstance(row, Measure) else f"{t(PROJECT_KINDS.get(row.kind, row.kind))}: {row.text}"
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- parsing what the user typed (never raises) --------------------------------------------------

def _text(x: object, limit: int = 2000) -> str:
    """A cell as text: control characters out, at most `limit` characters."""
    if is_blank(x):
        return ""
    return usertext.clean(x, max_len=limit)


def _number(x: object) -> float | None:
    """A cell as a number (Norwegian comma and spaces accepted), None if blank; ValueError if not a number."""
    if is_blank(x):
        return None
    if isinstance(x, bool):
        raise ValueError(str(x))
    value = float(str(x).replace("\u00a0", "").replace(" ", "").replace(",", ".").replace("−", "-"))
    if not math.isfinite(value):
        raise ValueError(str(x))
    return value


def _date(x: object) -> date | None:
    """A cell as a date (date, datetime, dd.mm.åååå or åååå-mm-dd), None if blank; ValueError otherwise."""
    if is_blank(x):
        return None
    if isinstance(x, datetime):
        return x.date()
    if isinstance(x, date):
        return x
    if isinstance(x, pd.Timestamp):
        return x.date()
    text = str(x).strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def no(x: float, decimals: int = 2) -> str:
    """A number for a message: Norwegian decimal comma, thin space for thousands, no trailing zeros."""
    return fmt.number(x, decimals, trim=True)


def parse(register: str, frame: pd.DataFrame, previous: Sequence[Measure | ProjectItem] = ()
          ) -> tuple[tuple[Measure | ProjectItem, ...], list[str]]:
    """The valid rows of an edited table, in priority order, and a Norwegian message per problem.

    Never raises. Empty rows are skipped; a row with a problem is left out of what is saved (so
    the save is refused as a whole by the caller). Rows keep their id and version from `previous`
    (matched on the `row_id` column); new rows get a new id.
    """
    columns = COLUMNS[register]
    before = {r.row_id: r for r in previous}
    rows: list[Measure | ProjectItem] = []
    problems: list[str] = []
    if frame is None or len(frame) == 0:
        return (), []
    for i, (_, raw) in enumerate(frame.iterrows(), start=1):
        cells = {c.key: raw.get(c.key) for c in columns}
        if all(is_blank(v) for v in cells.values()):
            continue
        values: dict[str, Any] = {}
        row_problems: list[str] = []
        for col in columns:
            where = t("Rad {i}, «{label}»", i=i, label=t(col.label))
            cell = cells[col.key]
            try:
                if col.kind in ("int", "year"):
                    number = _number(cell)
                    if number is not None and not float(number).is_integer():
                        row_problems.append(t("{where}: må være et helt tall, ikke {value}.", where=where,
                                              value=no(number)))
                        continue
                    if col.kind == "year" and number is not None and not 1990 <= number <= 2100:
                        row_problems.append(t("{where}: {value} er ikke et rimelig årstall (1990–2100).",
                                              where=where, value=no(number, 0)))
                        continue
                    if number is None:
                        values[col.key] = 0 if col.key == "priority" else None  # blank priority: last
                    else:
                        values[col.key] = int(number)
                elif col.kind in ("number", "kr"):
                    number = _number(cell)
                    if col.kind == "kr" and number is not None and number < 0:
                        row_problems.append(t("{where}: kan ikke være negativ ({value}).", where=where,
                                              value=no(number)))
                        continue
                    values[col.key] = number
                elif col.kind == "date":
                    values[col.key] = _date(cell)
                elif col.kind == "status":
                    status = from_shown(_text(cell).lower(), STATUSES) or "ikke startet"
                    if status not in STATUSES:
                        row_problems.append(t("{where}: «{value}» er ikke en status. Velg en av: {statuses}.",
                                              where=where, value=_text(cell, 40),
                                              statuses=", ".join(t(s) for s in STATUSES)))
                        continue
                    values[col.key] = status
                elif col.kind == "indicator":
                    key = _text(cell)
                    key = next((k for k, (label, _) in INDICATOR_LINKS.items()
                                if key in (k, label, t(label), catalogue().get(label))), key)
                    if key and key not in INDICATOR_LINKS:
                        row_problems.append(t("{where}: «{value}» er ikke en indikator i Legeplan.", where=where,
                                              value=_text(cell, 40)))
                        continue
                    values[col.key] = key
                elif col.kind == "kind":
                    label = from_shown(_text(cell), KIND_BY_LABEL)
                    kind = KIND_BY_LABEL.get(label, label if label in PROJECT_KINDS else "")
                    if not kind:
                        row_problems.append(t("{where}: velg en type ({kinds}).", where=where,
                                              kinds=", ".join(t(k) for k in PROJECT_KINDS.values())))
                        continue
                    values[col.key] = kind
                else:
                    values[col.key] = _text(cell)
            except ValueError:
                if col.kind == "date":
                    row_problems.append(t("{where}: «{value}» er ikke en dato (dd.mm.åååå).", where=where,
                                          value=_text(cell, 40)))
                else:
                    row_problems.append(t("{where}: «{value}» er ikke et tall.", where=where, value=_text(cell, 40)))
        main = "measure" if register == MEASURES else "text"
        if not row_problems and not values.get(main):
            label = next(c.label for c in columns if c.key == main)
            row_problems.append(t("Rad {i}: «{label}» må fylles ut.", i=i, label=t(label)))
        if register == MEASURES and not row_problems:
            s, e = values.get("start_year"), values.get("end_year")
            if s is not None and e is not None and e < s:
                row_problems.append(t("Rad {i}: slutt ({end}) er før start ({start}).", i=i, end=e, start=s))
            lo, hi = values.get("cost_min"), values.get("cost_max")
            if lo is not None and hi is not None and hi < lo:
                row_problems.append(t("Rad {i}: «Kostnad til» ({hi} kr) er mindre enn «Kostnad fra» ({lo} kr).",
                                      i=i, hi=no(hi, 0), lo=no(lo, 0)))
            key = values.get("indicator_key")
            if key and INDICATOR_LINKS[key][1] == "share":
                for k in ("baseline", "target"):
                    v = values.get(k)
                    if v is not None and not 0 <= v <= 1:
                        row_problems.append(t("Rad {i}: «{label}» er en andel og skrives som desimaltall mellom "
                                              "0 og 1 (5 % = 0,05), ikke {value}.", i=i,
                                              label=t("Utgangsverdi") if k == "baseline" else t("Mål"),
                                              value=no(v)))
        if row_problems:
            problems.extend(row_problems)
            continue
        row_id = _text(raw.get("row_id"), 40)
        old = before.get(row_id)
        values["row_id"] = row_id if old is not None else _new_id()
        values["version"] = old.version if old is not None else 1
        values["source"] = old.source if old is not None else USER_SOURCE
        rows.append(ROW_TYPES[register](**values))
    return order(rows), problems


def order(rows: Sequence[Measure | ProjectItem]) -> tuple[Measure | ProjectItem, ...]:
    """Measures sorted by priority (blank last, ties kept in table order) and renumbered 1, 2, …;
    project lines as they are."""
    if not rows or not isinstance(rows[0], Measure):
        return tuple(rows)
    ranked = sorted(enumerate(rows), key=lambda t: (t[1].priority <= 0, t[1].priority, t[0]))
    return tuple(replace(r, priority=n) for n, (_, r) in enumerate(ranked, start=1))


def cell_text(value: object, kind: str) -> str:
    """A stored value as the editor shows it: Norwegian number format, dates as dd.mm.åååå, blank as ''."""
    if value is None or is_blank(value):
        return ""
    if kind == "date":
        return fmt.date(value)  # type: ignore[arg-type]
    if kind == "year":
        return str(int(value))  # type: ignore[call-overload]
    return no(float(value), 6)  # type: ignore[arg-type]


def to_frame(register: str, rows: Sequence[Measure | ProjectItem]) -> pd.DataFrame:
    """The editor's table for some rows: one column per Column key plus the hidden `row_id`.

    Statuses, kinds and indicator links are shown in the målform in force; parse() reads both.

    Everything but the priority is text, so a blank shows as an empty cell and numbers can be typed
    the Norwegian way (1 000,5); parse() turns the text back into values.
    """
    columns = COLUMNS[register]
    records = []
    for r in rows:
        rec: dict[str, Any] = {"row_id": r.row_id}
        for c in columns:
            v = getattr(r, c.key)
            if c.kind == "indicator":
                v = t(INDICATOR_LINKS[v][0]) if v in INDICATOR_LINKS else ""
            elif c.kind == "kind":
                v = t(PROJECT_KINDS.get(v, v))
            elif c.kind == "status":
                v = t(v) if v else v
            elif c.kind in ("date", "year", "number", "kr"):
                v = cell_text(v, c.kind)
            rec[c.key] = v
        records.append(rec)
    frame = pd.DataFrame(records, columns=["row_id", *(c.key for c in columns)])
    return frame.astype({"row_id": "string", **{c.key: ("Int64" if c.kind == "int" else "string") for c in columns}})


# --- reference registers ------------------------------------------------------------------------

def _int_or_none(text: str) -> int | None:
    return int(text) if str(text).strip().isdigit() else None


def _float_or_none(text: str) -> float | None:
    try:
        return float(text) if str(text).strip() else None
    except ValueError:
        return None


def stavanger_measures(rows: pd.DataFrame) -> tuple[Measure, ...]:
    """Stavanger's Table 1 (rows of `tiltak_reference`) as measures, text as written."""
    out = []
    for r in rows.sort_values("priority", key=lambda s: s.astype(int)).itertuples():
        priority = int(r.priority)
        out.append(Measure(
            measure=r.measure, priority=priority, effect_goal=r.effect_goal, result_goal=r.result_goal,
            gain=r.gain, start_year=_int_or_none(r.start_year), end_year=_int_or_none(r.end_year),
            indicator=r.indicator, indicator_key=STAVANGER_LINKS.get(priority, ""), cost_text=r.cost_text,
            cost_min=_float_or_none(r.cost_min_kr), cost_max=_float_or_none(r.cost_max_kr),
            rationale=r.rationale, status="ikke startet",
            notes=r.note, source=STAVANGER_SOURCE, row_id=f"stavanger-{priority:02d}"))
    return tuple(out)


def alver_project(rows: pd.DataFrame) -> tuple[ProjectItem, ...]:
    """Alver's project plan (rows of `prosjekt_reference`) as project lines, nynorsk as written."""
    out = []
    for i, r in enumerate(rows.itertuples(), start=1):
        deadline = date.fromisoformat(r.deadline) if str(r.deadline).strip() else None
        out.append(ProjectItem(
            kind=r.kind, text=r.text, group=r.group_label, detail=r.detail, deadline=deadline,
            notes=" ".join(p for p in (f"{r.section}.", r.note) if p.strip()),
            source=ALVER_SOURCE, row_id=f"alver-{i:02d}"))
    return tuple(out)


def reference_rows(con: duckdb.DuckDBPyConnection, register: str) -> pd.DataFrame:
    """The bundled reference rows of a register from the statistics database (all text)."""
    table = "tiltak_reference" if register == MEASURES else "prosjekt_reference"
    return db.query(con, f"SELECT * FROM {table}")  # noqa: S608 - fixed names


def seed_for(con: duckdb.DuckDBPyConnection, kommunenummer: str, register: str
             ) -> tuple[tuple[Measure | ProjectItem, ...], str]:
    """The reference register a kommune starts with (empty for most) and where it comes from."""
    if register == MEASURES and has_reference(kommunenummer, MEASURES):
        return stavanger_measures(reference_rows(con, MEASURES)), STAVANGER_SOURCE
    if register == PROJECT and has_reference(kommunenummer, PROJECT):
        return alver_project(reference_rows(con, PROJECT)), ALVER_SOURCE
    return (), ""


def has_reference(kommunenummer: str, register: str) -> bool:
    """True when the kommune's register starts from a reference document (Stavanger's measures, Alver's project)."""
    return rc.belongs_to(REGISTER_CASES[register], kommunenummer)


# --- the store (user database; the tables are defined in core.userdb) ----------------------------

@dataclass(frozen=True)
class Snapshot:
    """A register as stored: its version (0 = never saved), rows in order, and removed rows."""

    register: str
    version: int
    rows: tuple[Measure | ProjectItem, ...]
    removed: tuple[Measure | ProjectItem, ...] = ()
    updated_at: datetime | None = None


@dataclass(frozen=True)
class SaveResult:
    """The outcome of a save: ok or refused, the register's version now, and Norwegian messages."""

    ok: bool
    version: int
    messages: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()  # per change: lagt til, endret, flyttet, fjernet, gjenopprettet (codes)


def _to_json(row: Measure | ProjectItem) -> str:
    data = asdict(row)
    for k in ("row_id", "version"):
        data.pop(k)
    data = {k: usertext.clean(v) if isinstance(v, str) else v for k, v in data.items()}  # stored as plain text
    return json.dumps(data, ensure_ascii=False, default=str)


def _from_json(register: str, row_id: str, version: int, text: str) -> Measure | ProjectItem:
    data = json.loads(text)
    cls = ROW_TYPES[register]
    known = {f.name for f in fields(cls)}
    data = {k: v for k, v in data.items() if k in known}
    if register == PROJECT and data.get("deadline"):
        data["deadline"] = date.fromisoformat(data["deadline"])
    return cls(**data, row_id=row_id, version=version)


def load(con: duckdb.DuckDBPyConnection, kommunenummer: str, register: str) -> Snapshot:
    """A kommune's register as stored now (version 0 and no rows if it was never saved)."""
    userdb.ensure(con)
    head = db.query(con, "SELECT version, updated_at FROM tiltak_register WHERE kommunenummer = ? AND register = ?",
                    [kommunenummer, register])
    if head.empty:
        return Snapshot(register, 0, ())
    rows = db.query(con, """SELECT row_id, version, removed, data_json FROM tiltak_row
                            WHERE kommunenummer = ? AND register = ? ORDER BY position, row_id""",
                    [kommunenummer, register])
    items = [(bool(r.removed), _from_json(register, r.row_id, int(r.version), r.data_json))
             for r in rows.itertuples()]
    return Snapshot(register, int(head["version"].iloc[0]), tuple(i for gone, i in items if not gone),
                    tuple(i for gone, i in items if gone), pd.Timestamp(head["updated_at"].iloc[0]).to_pydatetime())


def _short(value: object) -> str:
    if value is None or value == "":
        return t("(tom)")
    if isinstance(value, float):
        return no(value)
    text = " ".join(str(value).split())
    return f"«{text if len(text) <= 40 else text[:39] + '…'}»"


def _moved(old_positions: Sequence[int]) -> set[int]:
    """The old positions that changed place: those outside a longest increasing subsequence."""
    n = len(old_positions)
    best = [1] * n
    prev = [-1] * n
    for i in range(n):
        for j in range(i):
            if old_positions[j] < old_positions[i] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    keep: set[int] = set()
    i = max(range(n), key=best.__getitem__) if n else -1
    while i >= 0:
        keep.add(old_positions[i])
        i = prev[i]
    return set(old_positions) - keep


def describe_changes(register: str, before: Snapshot, rows: Sequence[Measure | ProjectItem]
                     ) -> tuple[list[tuple[str, str, Measure | ProjectItem]], list[Measure | ProjectItem]]:
    """What a save changes: (action, Norwegian summary, row) per change, and the rows to store.

    Actions: lagt til, endret, flyttet, fjernet, gjenopprettet. Changed rows get version + 1.
    """
    labels = {c.key: t(c.label) for c in COLUMNS[register]}
    active = {r.row_id: (i, r) for i, r in enumerate(before.rows)}
    gone = {r.row_id: r for r in before.removed}
    changes: list[tuple[str, str, Measure | ProjectItem]] = []
    stored: list[Measure | ProjectItem] = []
    moved = _moved([active[r.row_id][0] for r in rows if r.row_id in active])
    for i, row in enumerate(rows):
        if row.row_id in active:
            pos, old = active[row.row_id]
            diffs = [k for k in labels if k != "priority" and getattr(old, k) != getattr(row, k)]
            if diffs:
                parts = [f"{labels[k]}: {_short(getattr(old, k))} → {_short(getattr(row, k))}" for k in diffs]
                row = replace(row, version=old.version + 1)
                changes.append(("endret", t("endret «{title}» ({parts})", title=title(row), parts="; ".join(parts)),
                                row))
            elif pos in moved:
                row = replace(row, version=old.version + 1)
                changes.append(("flyttet", t("flyttet «{title}» fra plass {old} til {new}", title=title(row),
                                             old=pos + 1, new=i + 1), row))
            else:
                row = replace(row, version=old.version)
        elif row.row_id in gone:
            row = replace(row, version=gone[row.row_id].version + 1)
            changes.append(("gjenopprettet", t("gjenopprettet «{title}»", title=title(row)), row))
        else:
            row = replace(row, version=1)
            changes.append(("lagt til", t("la til «{title}»", title=title(row)), row))
        stored.append(row)
    kept = {r.row_id for r in rows}
    for _, old in sorted((v for k, v in active.items() if k not in kept), key=lambda t: t[0]):
        changes.append(("fjernet", t("fjernet «{title}»", title=title(old)), replace(old, version=old.version + 1)))
    return changes, stored


def change_log(con: duckdb.DuckDBPyConnection, kommunenummer: str, register: str,
               since_version: int = 0) -> pd.DataFrame:
    """The change log of a register after a version, newest first: version, at, action, row_id, summary."""
    userdb.ensure(con)
    return db.query(con, """SELECT version, logged_at AS at, action, row_id, summary FROM tiltak_log
                            WHERE kommunenummer = ? AND register = ? AND version > ?
                            ORDER BY version DESC, logged_at DESC, summary""", [kommunenummer, register, since_version])


def when(at: object) -> str:
    """A log time in Norwegian: 25.11.2026 kl. 12:03."""
    ts = pd.Timestamp(at)
    return t("{date} kl. {time}", date=fmt.date(ts), time=fmt.clock(ts))


def conflict_message(con: duckdb.DuckDBPyConnection, kommunenummer: str, register: str, base_version: int,
                     current: Snapshot) -> str:
    """The Norwegian message for a save refused because someone else saved after `base_version`."""
    log = change_log(con, kommunenummer, register, base_version)
    lines = [t("- {when} (versjon {version}): {summary}", when=when(r.at), version=int(r.version),
                 summary=usertext.escape_markdown(r.summary, inline=True)) for r in log.head(15).itertuples()]
    if len(log) > 15:
        lines.append(t("- … og {n} endringer til", n=len(log) - 15))
    return (t("**Ikke lagret: noen andre har lagret i mellomtiden.** Du startet fra versjon {base}, men registeret "
              "er nå på versjon {current}. Endringene dine står fortsatt i tabellen. Dette er endret siden du "
              "åpnet registeret:", base=base_version, current=current.version)
            + "\n\n" + "\n".join(lines or [t("- (ingen logg)")])
            + "\n\n" + t("Last inn den nyeste versjonen, og gjør endringene dine på nytt."))


def save(con: duckdb.DuckDBPyConnection, kommunenummer: str, register: str, base_version: int,
         rows: Sequence[Measure | ProjectItem], note: str = "", at: datetime | None = None, *,
         actor: Principal = LOCAL_USER) -> SaveResult:
    """Save a register if it is still at `base_version`; otherwise refuse and tell what changed.

    All of the save happens in one transaction, guarded by the version and a token written by
    this save, so two saves from the same version can never both succeed.
    """
    access.require(actor, Action.REGISTER_EDIT, kommunenummer)
    userdb.ensure(con)
    current = load(con, kommunenummer, register)
    if current.version != base_version:
        return SaveResult(False, current.version, (conflict_message(con, kommunenummer, register, base_version,
                                                                    current),))
    changes, stored = describe_changes(register, current, rows)
    if not changes and base_version > 0:
        return SaveResult(True, current.version, (t("Ingen endringer å lagre."),))
    at = at or now_oslo()
    token = uuid.uuid4().hex
    new_version = base_version + 1
    if base_version == 0:
        guard = [("INSERT INTO tiltak_register VALUES (?, ?, ?, ?, ?)",
                  (kommunenummer, register, new_version, token, at))]
    else:
        guard = [("""UPDATE tiltak_register SET version = version + 1, token = ?, updated_at = ?
                     WHERE kommunenummer = ? AND register = ? AND version = ?""",
                  (token, at, kommunenummer, register, base_version))]
    guard.append(("""SELECT error('tiltak: versjonskonflikt') FROM tiltak_register
                     WHERE kommunenummer = ? AND register = ? AND token <> ?""", (kommunenummer, register, token)))
    removed_now = [r for a, _, r in changes if a == "fjernet"]
    kept_removed = [r for r in current.removed if r.row_id not in {s.row_id for s in stored}]
    statements = [*guard, ("DELETE FROM tiltak_row WHERE kommunenummer = ? AND register = ?",
                           (kommunenummer, register))]
    changed_ids = {r.row_id for _, _, r in changes}
    for pos, (row, removed) in enumerate([*((r, False) for r in stored), *((r, True) for r in removed_now),
                                          *((r, True) for r in kept_removed)]):
        statements.append(("INSERT INTO tiltak_row VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (kommunenummer, register, row.row_id, pos, row.version, removed,
                            at if row.row_id in changed_ids else (current.updated_at or at), _to_json(row))))
    summaries = [(a, s, r.row_id) for a, s, r in changes]
    if base_version == 0:
        summaries.insert(0, ("opprettet", note or t("opprettet registeret med {n} {noun}", n=len(stored),
                                                     noun=t(NOUN[register])), None))
        summaries = summaries[:1] if note else summaries
    for action, summary, row_id in summaries:
        statements.append(("INSERT INTO tiltak_log VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (kommunenummer, register, new_version, at, action, row_id, summary)))
    statements.append(audit.statement(actor, Action.REGISTER_EDIT, kommunenummer, register, register, *audit.register_change(
        [*current.rows, *current.removed], changes, base_version, new_version)))  # in the same transaction
    try:
        db.write(con, statements)
    except duckdb.Error:
        current = load(con, kommunenummer, register)
        return SaveResult(False, current.version, (conflict_message(con, kommunenummer, register, base_version,
                                                                    current),))
    done = [s for _, s, _ in summaries]
    more = t(" og {n} endringer til.", n=len(done) - 5) if len(done) > 5 else "."
    return SaveResult(True, new_version, (t("Lagret som versjon {version}: ", version=new_version)
                                          + "; ".join(usertext.escape_markdown(s, inline=True)
                                                      for s in done[:5]) + more,),
                      tuple(done), tuple(a for a, _, _ in summaries))


def open_register(con: duckdb.DuckDBPyConnection, stats: duckdb.DuckDBPyConnection | None,
                  kommunenummer: str, register: str) -> Snapshot:
    """A kommune's register; on first use for 1103 (tiltak) or 4631 (prosjekt) seeded from the reference."""
    snapshot = load(con, kommunenummer, register)
    if snapshot.version > 0 or stats is None:
        return snapshot
    seed, source = seed_for(stats, kommunenummer, register)
    if not seed:
        return snapshot
    save(con, kommunenummer, register, 0, seed, actor=SYSTEM,  # seeding is nobody's edit: also for a reader
         note=t("opprettet fra {source} ({n} {noun})", source=source, n=len(seed), noun=t(NOUN[register])))
    return load(con, kommunenummer, register)  # if another session seeded first, its version


def remove(con: duckdb.DuckDBPyConnection, kommunenummer: str, register: str, base_version: int,
           row_id: str, *, actor: Principal = LOCAL_USER) -> SaveResult:
    """Remove one row (kept as removed, so it can be undone)."""
    access.require(actor, Action.REGISTER_EDIT, kommunenummer)
    current = load(con, kommunenummer, register)
    return save(con, kommunenummer, register, base_version, [r for r in current.rows if r.row_id != row_id],
                actor=actor)


def undo_remove(con: duckdb.DuckDBPyConnection, kommunenummer: str, register: str, base_version: int,
                row_id: str, *, actor: Principal = LOCAL_USER) -> SaveResult:
    """Bring a removed row back (last in the order for a project, at its priority for a measure)."""
    access.require(actor, Action.REGISTER_EDIT, kommunenummer)
    current = load(con, kommunenummer, register)
    back = [r for r in current.removed if r.row_id == row_id]
    if not back:
        return SaveResult(False, current.version, (t("Fant ikke den fjernede raden; den er kanskje allerede "
                                                     "gjenopprettet."),))
    rows = [*current.rows, back[0]]
    if isinstance(back[0], Measure):
        rows = [*current.rows]
        rows.insert(max(0, min(back[0].priority - 1, len(rows))), back[0])
        rows = [replace(r, priority=n) for n, r in enumerate(rows, start=1)]
    return save(con, kommunenummer, register, base_version, rows, actor=actor)


# --- milestones, indicators, status summary ------------------------------------------------------

def overdue(items: Sequence[ProjectItem], today: date) -> tuple[ProjectItem, ...]:
    """Milestones whose deadline is before `today` and that are neither done nor stopped."""
    return tuple(i for i in items if i.kind == "milestone" and i.deadline is not None and i.deadline < today
                 and i.status not in CLOSED)


def indicator_series(con: duckdb.DuckDBPyConnection, kommunenummer: str, key: str) -> pd.DataFrame:
    """An indicator's published series for a kommune: year, value (in the indicator's unit).

    From SSB table 12005 in the statistics database; shares as fractions.
    """
    metric_sql = {
        "reserve_capacity": "max(value) FILTER (WHERE metric = 'reserve_capacity_index')",
        "share_without_gp": "max(value) FILTER (WHERE metric = 'share_patients_on_lists_without_gp_pct') / 100",
        "list_length": "max(value) FILTER (WHERE metric = 'avg_list_length')",
        "patients_without_gp": "max(value) FILTER (WHERE metric = 'patients_on_lists_without_gp')",
        "free_capacity": ("max(value) FILTER (WHERE metric = 'list_capacity') "
                          "- max(value) FILTER (WHERE metric = 'patients_on_lists_with_gp')"),
    }
    if key not in metric_sql:
        return pd.DataFrame({"year": pd.Series(dtype="int64"), "value": pd.Series(dtype="float64")})
    frame = db.query(con, f"""SELECT year, {metric_sql[key]} AS value FROM fastlege
                              WHERE kommunenummer = ? GROUP BY year ORDER BY year""",  # noqa: S608 - fixed SQL
                     [kommunenummer])
    return frame.dropna().astype({"year": "int64", "value": "float64"}).reset_index(drop=True)


@dataclass(frozen=True)
class IndicatorView:
    """A measure's indicator: its series, baseline (given or the value the year before start) and target."""

    key: str
    label: str
    unit: str
    series: pd.DataFrame
    baseline: float | None
    baseline_note: str
    target: float | None
    latest: float | None
    latest_year: int | None


def indicator_view(measure: Measure, series: pd.DataFrame) -> IndicatorView:
    """The series of a linked measure with its baseline and target (baseline derived if not given)."""
    label, unit = INDICATOR_LINKS.get(measure.indicator_key, ("", ""))
    label = t(label) if label else label
    baseline, note = measure.baseline, t("utgangsverdi skrevet inn i registeret")
    if baseline is None and len(series) and measure.start_year is not None:
        before = series[series["year"] < measure.start_year]
        if len(before):
            baseline = float(before["value"].iloc[-1])
            note = t("utgangsverdi = faktisk verdi {year}, året før tiltaket starter",
                     year=int(before["year"].iloc[-1]))
    if baseline is None:
        note = t("ingen utgangsverdi")
    latest = float(series["value"].iloc[-1]) if len(series) else None
    latest_year = int(series["year"].iloc[-1]) if len(series) else None
    return IndicatorView(measure.indicator_key, label, unit, series, baseline, note, measure.target, latest,
                         latest_year)


def status_counts(rows: Sequence[Measure | ProjectItem]) -> dict[str, int]:
    """Rows per status, every status present (0 if none)."""
    counts = dict.fromkeys(STATUSES, 0)
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    return counts


def summary_lines(measures: Sequence[Measure], project: Sequence[ProjectItem], today: date) -> list[str]:
    """The committee's one-page status summary as Norwegian markdown lines (the rows' own text escaped)."""
    md = usertext.escape_markdown
    lines: list[str] = []
    counts = status_counts(measures)
    lines.append(t("**Tiltak:** {n} i alt – ", n=len(measures))
                 + ", ".join(f"{n} {t(s)}" for s, n in counts.items()) + ".")
    running = [m for m in measures if m.status == "pågår"]
    late = [m for m in measures if m.end_year is not None and m.end_year < today.year and m.status not in CLOSED]
    if running:
        lines.append(t("**Pågår:** ") + "; ".join(f"{m.priority}. {md(title(m, 60))}" for m in running) + ".")
    if late:
        lines.append(t("**Skulle vært ferdig:** {n} tiltak har sluttår før {year} og er verken ferdige eller stoppet "
                       "(nr. {numbers}).", n=len(late), year=today.year,
                       numbers=", ".join(str(m.priority) for m in late)))
    milestones = [i for i in project if i.kind == "milestone"]
    if milestones:
        late_ms = overdue(project, today)
        coming = sorted((i for i in milestones if i.deadline is not None and i.deadline >= today
                         and i.status not in CLOSED), key=lambda i: i.deadline)  # type: ignore[arg-type,return-value]
        lines.append(t("**Milepæler:** {n} i alt, {done} ferdige, {late} forfalt per {date}.", n=len(milestones),
                       done=sum(i.status == "ferdig" for i in milestones), late=len(late_ms),
                       date=fmt.date(today)))
        if late_ms:
            lines.append(t("**Forfalt:** ") + "; ".join(t("{text} (frist {date})", text=md(i.text, inline=True),
                                                          date=fmt.date(i.deadline)) for i in late_ms)
                         + ".")
        if coming:
            lines.append(t("**Neste frist:** ") + f"{md(coming[0].text, inline=True)} ({fmt.date(coming[0].deadline)}).")
    benefits = [i for i in project if i.kind == "benefit"]
    planned = sum(i.planned_kr or 0 for i in benefits)
    realised = sum(i.realised_kr or 0 for i in benefits)
    if benefits:
        lines.append(t("**Gevinst:** planlagt {planned} kr, realisert {realised} kr", planned=no(planned, 0),
                       realised=no(realised, 0))
                     + (t(" (ikke tallfestet i planen).") if not planned and not realised else "."))
    risks = [i for i in project if i.kind == "risk"]
    if risks:
        lines.append(t("**Risiko:** ") + "; ".join(md(title(i, 140).removeprefix(t("Risiko") + ": ")) for i in risks)
                     + ".")
    return lines


# --- export --------------------------------------------------------------------------------------

def neutralise(value: object) -> object:
    """Text that Excel would run as a formula (starting with =, +, - or @) gets an apostrophe in front."""
    return usertext.for_cell(value) if isinstance(value, str) else value


def export_frame(register: str, rows: Sequence[Measure | ProjectItem]) -> pd.DataFrame:
    """A register as a table with Norwegian headers (målform in force), text neutralised against formulas."""
    columns = COLUMNS[register]
    records = []
    for r in rows:
        rec: dict[str, object] = {}
        for c in columns:
            v = getattr(r, c.key)
            if c.kind == "indicator":
                v = t(INDICATOR_LINKS[v][0]) if v in INDICATOR_LINKS else ""
            elif c.kind == "kind":
                v = t(PROJECT_KINDS.get(v, v))
            elif c.kind == "status":
                v = t(v) if v else v
            elif c.kind == "date":
                v = fmt.date(v) if v else ""
            rec[t(c.label)] = "" if v is None else neutralise(v)
        rec[t("Kilde")] = neutralise(t(r.source) if r.source == USER_SOURCE else r.source)
        rec[t("Versjon")] = r.version
        records.append(rec)
    return pd.DataFrame(records, columns=[*(t(c.label) for c in columns), t("Kilde"), t("Versjon")])


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV for Norwegian Excel: semicolon separated, decimal comma, UTF-8 with BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow(["" if is_blank(v) else (no(v, 2) if isinstance(v, float) else neutralise(v)) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_excel(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook with one sheet per table (sheet name → table); every text cell is plain text."""
    from openpyxl import Workbook  # local import: only the export needs it

    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append([usertext.for_cell(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([None if is_blank(v) else (neutralise(v) if isinstance(v, str) else v) for v in row])
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
        for col in sheet.columns:
            width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
            sheet.column_dimensions[col[0].column_letter].width = min(max(width, 8), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
