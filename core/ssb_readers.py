"""Reading uploaded statistics: the form every reader gives, and SSB's tables 12005, 07459 and 14746/14288.

Pure functions: bytes in → a parsed, validated table (`Parsed`: dataset, canonical rows, problems) with
every problem as a Norwegian message naming the row and column; never an exception on user input.
This module has what every reader shares (datasets and their columns, `Problem` and `Parsed`, bytes →
text, CSV rows, numbers, years, kommune numbers in the 2024 division) and the SSB statbank exports
(CSV in long or wide form, JSON-stat 2). The kommune's own figures (the template) are read by
core.own_figures; parsed uploads are stored, versioned and restored by core.import_store. Method in
docs/data.md.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import product
from typing import Any

import pandas as pd

from core import kommune as kommune_mod
from core.fmt import as_read
from core.fmt import number as fmt_number
from core.i18n import N_, t
from core.params import sanitize

MAX_BYTES = 20_000_000  # 20 MB: a full 12005 export for every kommune and year is about 5 MB
MIN_YEAR, MAX_YEAR = 1986, 2100
NATIONAL_CODE = "0000"

FASTLEGE = "fastlege"
POPULATION = "befolkning"
OWN = "egne_tall"
PROJECTION = "framskriving"
DATASET_LABELS = {
    FASTLEGE: N_("Fastlegestatistikk (SSB tabell 12005)"),
    POPULATION: N_("Folkemengde etter kjønn og alder (SSB tabell 07459)"),
    PROJECTION: N_("Befolkningsframskriving for kommunen (SSB tabell 14746 eller 14288)"),
    OWN: N_("Kommunens egne tall (kontorer, lister, venteliste, planlagte hjemler)"),
}  # translate with t() where shown (dataset_label)

# SSB's symbols for a value that is not a number (ssb.no: «Standardtegn i tabeller»). Stored with the
# row (missing_reason) in bokmål, the catalogue key; t() where shown.
SSB_MARKERS = {
    "..": N_("tallgrunnlag mangler (SSB «..»)"),
    "...": N_("tall kan ikke offentliggjøres (SSB «...»)"),
    ".": N_("lovlig umulig å føre tall (SSB «.»)"),
    ":": N_("vises ikke av hensyn til personvern (SSB «:», prikket)"),
    "-": N_("SSB «-» (null, ingenting å registrere); lagret som manglende, ikke som tall"),
}

# metric name, SSB ContentsCode, SSB label (Norwegian), largest plausible value
FASTLEGE_METRICS: tuple[tuple[str, str, str, float], ...] = (
    ("gp_agreements", "KOSantallavtaler0001", "Antall fastlegeavtaler", 10_000),
    ("gp_agreements_total_incl_without_gp", "KOSantallavtaler0002",
     "Antall fastlegeavtaler totalt, inkludert lister uten fast lege", 10_000),
    ("lists_without_gp", "KOSantallavtaler0000", "Fastlegelister uten lege", 10_000),
    ("patients_on_lists_with_gp", "KOSantallpasient0000", "Antall pasienter på fastlegeliste med lege",
     6_000_000),
    ("patients_on_lists_without_gp", "KOSantallpasient0001", "Antall pasienter på fastlegeliste uten lege",
     6_000_000),
    ("share_patients_on_lists_without_gp_pct", "KOSandelpasiente0000", "Andel pasienter på liste uten lege",
     100),
    ("open_lists", "KOSaapnelister0000", "Antall åpne fastlegelister", 10_000),
    ("avg_list_length", "KOSgjsnlisteleng0000", "Gjennomsnittlig listelengde", 5_000),
    ("avg_list_length_adj_municipal_hours", "KOSgjsnllkomm0000",
     "Gjennomsnittlig listelengde korrigert for kommunale timer", 5_000),
    ("female_gps", "KOSantallkvinnel0000", "Antall kvinnelige leger", 10_000),
    ("female_gps_share_pct", "KOSandelkvinnele0000", "Andel kvinnelige leger", 100),
    ("list_capacity", "KOSkapasitet0000", "Kapasitet hos fastlegene", 6_000_000),
    ("computed_capacity", "KOSkapasitetbere0000", "Beregnet kapasitet hos fastlege", 6_000_000),
    ("reserve_capacity_index", "KOSreservekapasi0000", "Reservekapasitet fastlege", 1_000),
)
METRIC_BY_KEY: dict[str, tuple[str, str, float]] = {}
for _m, _code, _label, _max in FASTLEGE_METRICS:
    for _k in (_m, _code, _label):
        METRIC_BY_KEY[_k.casefold()] = (_m, _code, _max)


@dataclass(frozen=True)
class Problem:
    """A Norwegian message about one row (line in the file, 1-based) and column; error or warning."""

    row: int | None
    column: str | None
    message: str
    error: bool = True

    def text(self) -> str:
        """The message with its place: «Rad 7, kolonne «år»: …»."""
        where = []
        if self.row is not None:
            where.append(t("Rad {row}", row=self.row))
        if self.column:
            where.append(t("kolonne «{column}»", column=sanitize(self.column)))
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass(frozen=True)
class Parsed:
    """A parsed upload: dataset, canonical rows (see KEYS/VALUES), problems, notes, file format."""

    dataset: str | None
    frame: pd.DataFrame
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
    file_format: str = ""

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop an import."""
        return [p for p in self.problems if p.error]

    @property
    def ok(self) -> bool:
        """True when the upload can be applied: a dataset, at least one row, no errors."""
        return self.dataset is not None and len(self.frame) > 0 and not self.errors


KEYS = {
    FASTLEGE: ("kommunenummer", "year", "metric"),
    POPULATION: ("kommunenummer", "year", "sex", "age"),
    OWN: ("kind", "kommunenummer", "year", "office", "list_id"),
    PROJECTION: ("kommunenummer", "year", "sex", "age", "age_to", "alternative"),
}
VALUES = {
    FASTLEGE: ("value",),
    POPULATION: ("population",),
    OWN: ("list_cap", "patients", "count", "note"),
    PROJECTION: ("population",),
}
COLUMNS = {
    FASTLEGE: ("kommunenummer", "year", "metric", "ssb_code", "value", "missing_reason", "source_row"),
    POPULATION: ("kommunenummer", "year", "sex", "age", "population", "missing_reason", "source_row"),
    OWN: ("kind", "kommunenummer", "year", "office", "list_id", "list_cap", "patients", "count", "note",
          "source_row"),
    PROJECTION: ("kommunenummer", "year", "sex", "age", "age_to", "alternative", "population", "missing_reason",
                 "source_row"),
}
# SSB's projection alternatives: four letters (fertility, life expectancy, internal migration, immigration);
# MMMM is the main alternative. Legeplan's alternatives «main», «high», «low» are SSB's MMMM, HHMH, LLML.
PROJECTION_ALTERNATIVES = {"main": "MMMM", "high": "HHMH", "low": "LLML"}
PROJECTION_MIN_YEAR = 2020
_ALTERNATIVE = re.compile(r"(?<![A-Za-z])([LMHK0]{4})(?![A-Za-z])")


def empty_frame(dataset: str | None) -> pd.DataFrame:
    """An empty table with the dataset's columns."""
    return pd.DataFrame(columns=list(COLUMNS.get(dataset or "", ())))


def failed(message: str, dataset: str | None = None, fmt: str = "") -> Parsed:
    """A parse that failed as a whole, with one message and no rows."""
    return Parsed(dataset, empty_frame(dataset), (Problem(None, None, message),), (), fmt)


# --- reading bytes ---------------------------------------------------------------------------------

def decode(data: bytes) -> tuple[str | None, str | None, str | None]:
    """(text, encoding name, problem) for the bytes of an uploaded text file."""
    if is_excel(data):
        return None, None, t("Filen ser ut som en Excel-fil. Excel-filer kan bare lastes inn for kommunens egne "
                             "tall (malen); lagre SSB-uttrekket som CSV og last opp på nytt.")
    if b"\x00" in data[:4096]:
        return None, None, t("Filen ser ikke ut som en tekstfil (CSV eller JSON). Sjekk at du valgte riktig fil.")
    for encoding, name in (("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            return data.decode(encoding), name, None
        except UnicodeDecodeError:
            continue
    return None, None, t("Klarte ikke å lese tegnene i filen.")  # pragma: no cover - latin-1 decodes anything


TITLE = re.compile(r'^\s*"?\d{5}:')


def _split_title(text: str) -> tuple[list[str], int]:
    """The lines from the header on, and how many lines (title, blank) came before it."""
    lines = text.splitlines()
    skip = 0
    while skip < len(lines) and not lines[skip].strip():
        skip += 1
    if skip < len(lines) and (TITLE.match(lines[skip]) or (skip + 1 < len(lines) and not lines[skip + 1].strip()
                                                           and skip + 2 < len(lines))):
        skip += 1
        while skip < len(lines) and not lines[skip].strip():
            skip += 1
    return lines[skip:], skip


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def read_csv_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """(header, [(line number, cells)], delimiter) of a CSV text, after any SSB title line."""
    lines, skipped = _split_title(text)
    if not lines:
        return [], [], ";"
    delim = _delimiter(lines[0])
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if not header:
                header = [c.strip().lstrip("\ufeff") for c in cells]
                continue
            if not any(c.strip() for c in cells):
                continue
            rows.append((reader.line_num + skipped, [c.strip() for c in cells]))
    except csv.Error:
        pass  # a broken quote: keep what was read; the row count tells the user
    return header, rows, delim


# --- numbers, years, kommuner ----------------------------------------------------------------------

def parse_number(raw: object) -> tuple[float | None, str | None]:
    """(value, None), (None, reason) for an SSB marker or empty cell, or (None, None) if not a number."""
    if raw is None:
        return None, "tom celle"
    if isinstance(raw, bool):
        return None, None
    if isinstance(raw, int | float):
        return (float(raw), None) if math.isfinite(raw) else (None, None)
    text = str(raw).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if text == "":
        return None, "tom celle"
    if text in SSB_MARKERS:
        return None, SSB_MARKERS[text]
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None, None
    return float(text), None


def in_range(value: float | None, vmax: float, integer: bool = False) -> bool:
    """True for no value (missing, with its reason) or a value 0–vmax (a whole number if `integer`)."""
    return value is None or (0 <= value <= vmax and (not integer or float(value).is_integer()))


def parse_cell(raw: object) -> tuple[float | None, str | None, str | None]:
    """The one parse step for a number cell, in SSB files and in the template (CSV or Excel):
    (value, missing reason, None), or (None, None, message) when the cell is not a number."""
    value, reason = parse_number(raw)
    if value is None and reason is None:
        return None, None, t("«{value}» er ikke et tall.", value=sanitize(raw))
    return value, reason, None


def parse_year(raw: object) -> int | None:
    """The year of a cell like «2025» or «2025K4»-free «2025», else None."""
    text = str(raw).strip()
    return int(text) if re.fullmatch(r"\d{4}", text) else None


_REGION = re.compile(r"^(?:K-|k-)?(\d{1,4})(?:\s+(.*))?$")
_PERIOD = re.compile(r"\s*\((?:[^()]*\d{4}[^()]*|-\s*\d{4})\)\s*$")
REFORM_2024 = {"30": ("31", "32", "33"), "38": ("39", "40"), "54": ("55", "56")}
SPLIT_2024 = {"1507": N_("1507 Ålesund (2020–2023) ble i 2024 delt i 1508 Ålesund og 1580 Haram; tallene "
                         "kan ikke fordeles automatisk")}


@dataclass(frozen=True)
class Registry:
    """The 2024 kommuner: number → name, and name → numbers (for renumbered kommuner)."""

    names: dict[str, str]
    by_name: dict[str, list[str]] = field(default_factory=dict)
    frame: pd.DataFrame | None = None

    @classmethod
    def from_frame(cls, kommuner: pd.DataFrame) -> Registry:
        """The registry from the `kommune` table (kommunenummer, name, display_name)."""
        names = dict(zip(kommuner["kommunenummer"], kommuner["display_name"], strict=True))
        by_name: dict[str, list[str]] = {}
        for col in ("display_name", "name"):
            for knr, name in zip(kommuner["kommunenummer"], kommuner[col], strict=True):
                for part in {str(name), str(name).split(" - ")[0]}:
                    lst = by_name.setdefault(part.casefold().strip(), [])
                    if knr not in lst:
                        lst.append(knr)
        return cls(names, by_name, kommuner)


def map_kommune(raw: str, registry: Registry) -> tuple[str | None, str | None, bool]:
    """(2024 kommunenummer or None, Norwegian note/reason, is_error) for a region cell.

    «4631 Alver», «K-4631», «301», «Alver» are found directly; a number from 2020–2023 in Viken,
    Vestfold og Telemark or Troms og Finnmark is mapped by its name to the 2024 number; numbers from
    before 2020 and merged or split kommuner are refused with the reason. «0 Hele landet» → 0000.
    """
    text = str(raw).strip()
    m = _REGION.match(text)
    if not m:
        if registry.frame is not None:
            knr, msg = kommune_mod.resolve(_PERIOD.sub("", text), registry.frame, default="")
            if not msg and knr:
                return knr, None, False
        return None, t("«{text}» er ikke et kommunenummer eller et kommunenavn i 2024-inndelingen",
                       text=sanitize(text)), True
    code, label = m.group(1), _PERIOD.sub("", (m.group(2) or "")).strip()
    if code in ("0", "00", "000", "0000"):
        return "0000", None, False
    if len(code) <= 2:
        return None, t("«{text}» er et fylke, ikke en kommune; raden er hoppet over", text=sanitize(text)), False
    code = code.zfill(4)
    if code in registry.names:
        if label and registry.by_name.get(label.casefold()) and code not in registry.by_name[label.casefold()]:
            return None, t("{code} heter {name} i 2024-inndelingen, men filen sier «{label}»; velg "
                           "2024-inndelingen i SSBs statistikkbank", code=code, name=registry.names[code],
                           label=sanitize(label)), True
        return code, None, False
    if code in SPLIT_2024:
        return None, t(SPLIT_2024[code]), True
    successors = REFORM_2024.get(code[:2])
    if successors:
        hits = [k for k in registry.by_name.get(label.casefold(), []) if k[:2] in successors] if label else []
        if len(hits) == 1:
            return hits[0], t("{code} {label} (nummer 2020–2023) er ført over til {new}, nummeret fra 2024",
                              code=code, label=sanitize(label), new=hits[0]), False
        return None, t("{code} er et kommunenummer fra 2020–2023 (før fylkesdelingen i 2024); filen har ikke et "
                       "navn som entydig gir 2024-nummeret", code=code), True
    return None, t("{region} finnes ikke i 2024-inndelingen (trolig et nummer fra før kommunereformen i 2020, da "
                   "mange kommuner ble slått sammen eller delt); tallene kan ikke overføres automatisk. Velg "
                   "2024-inndelingen i SSBs statistikkbank",
                   region=f"{code}{' ' + sanitize(label) if label else ''}"), True


# --- SSB files -------------------------------------------------------------------------------------

def _norm(name: str) -> str:
    return re.sub(r"\s*\(kode\)\s*$", "", name.strip().casefold())


REGION_NAMES = {"region", "kommune", "kommunenummer"}
CONTENTS_NAMES = {"statistikkvariabel", "contentscode", "statistikkvariabel kode", "metric"}
YEAR_NAMES = {"år", "tid", "year"}
SEX_NAMES = {"kjønn", "kjonn", "sex"}
AGE_NAMES = {"alder", "age"}
ALTERNATIVE_NAMES = {"alternativ", "alternativer", "framskrivingsalternativ", "alternative"}
VALUE_NAMES = {"value", "verdi", "personer", "antall"}
SEX = {"menn": "male", "mann": "male", "1": "male", "male": "male", "kvinner": "female", "kvinne": "female",
       "2": "female", "female": "female", "begge kjønn": "total", "0": "total", "total": "total"}


def _age(raw: str) -> int | None:
    m = re.match(r"^\s*(\d{1,3})\s*(\+|år|år eller eldre)?", raw)
    if not m:
        return None
    age = int(m.group(1))
    return age if 0 <= age <= 105 else None


@dataclass
class _Long:
    """Rows in long form with their line numbers: dimension cells by role and the value cell."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # role → column name in the file


def _csv_to_long(header: list[str], rows: list[tuple[int, list[str]]]) -> tuple[_Long | None, list[Problem]]:
    """Recognise an SSB CSV (long: one value column; wide: one column per year) and make it long."""
    roles: dict[str, int] = {}
    for i, name in enumerate(header):
        n = _norm(name)
        for role, names in (("region", REGION_NAMES), ("contents", CONTENTS_NAMES), ("year", YEAR_NAMES),
                            ("sex", SEX_NAMES), ("age", AGE_NAMES), ("alternative", ALTERNATIVE_NAMES)):
            if n in names and role not in roles:
                roles[role] = i
    if "region" not in roles:
        return None, [Problem(1, None, t("Fant ingen kolonne «region». SSB-uttrekket må ha regionen (kommunen) "
                                         "som egen kolonne; kolonnene er: {columns}",
                                         columns=sanitize(", ".join(header))))]
    long = _Long(columns={r: header[i] for r, i in roles.items()})
    dims = set(roles.values())
    rest = [i for i in range(len(header)) if i not in dims]
    if "year" in roles:
        value_cols = [i for i in rest if _norm(header[i]) in VALUE_NAMES] or rest[-1:]
        if len(value_cols) != 1:
            return None, [Problem(1, None, t("Fant ingen kolonne med tall ved siden av region, statistikkvariabel "
                                             "og år."))]
        vi = value_cols[0]
        long.columns["value"] = header[vi]
        for line, cells in rows:
            cells = cells + [""] * (len(header) - len(cells))
            rec = {r: cells[i] for r, i in roles.items()}
            rec.update(value=cells[vi], line=line, value_column=header[vi])
            long.rows.append(rec)
        return long, []
    wide = []  # (column index, contents label or None, year)
    for i in rest:
        m = re.match(r"^(.*?)\s*(\d{4})$", header[i].strip())
        if not m:
            return None, [Problem(1, header[i], t("Kolonnen er verken region, statistikkvariabel, år eller et "
                                                  "årstall («2025» eller «Antall fastlegeavtaler 2025»)."))]
        wide.append((i, m.group(1).strip() or None, int(m.group(2))))
    if not wide:
        return None, [Problem(1, None, t("Fant ingen kolonne med år. Ta med «år» i uttrekket."))]
    long.columns["year"] = "år (kolonneoverskrift)"
    for line, cells in rows:
        cells = cells + [""] * (len(header) - len(cells))
        for i, label, year in wide:
            rec = {r: cells[j] for r, j in roles.items()}
            if label:
                rec["contents"] = label
            rec.update(year=str(year), value=cells[i], line=line, value_column=header[i])
            long.rows.append(rec)
    return long, []


def _jsonstat_to_long(doc: dict) -> tuple[_Long | None, list[Problem]]:
    """Long rows from a JSON-stat 2 dataset (SSB's API format)."""
    try:
        ids = list(doc["id"])
        sizes = [int(s) for s in doc["size"]]
        dims = doc["dimension"]
        cats = []
        for d in ids:
            cat = dims[d]["category"]
            index = cat.get("index")
            if index is None:
                codes = list(cat["label"].keys())
            elif isinstance(index, list):
                codes = [str(c) for c in index]
            else:
                codes = [c for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
            labels = cat.get("label", {})
            cats.append([(c, str(labels.get(c, c))) for c in codes])
        if [len(c) for c in cats] != sizes:
            raise ValueError("size")
        values = doc.get("value", [])
        status = doc.get("status") or {}
    except (KeyError, TypeError, ValueError, AttributeError):
        return None, [Problem(None, None, t("JSON-filen er ikke et gyldig JSON-stat 2-datasett fra SSB "
                                            "(mangler «id», «size», «dimension» eller «value»)."))]
    role_of = {}
    for d in ids:
        n = d.casefold()
        role = {"region": "region", "kommnr": "region", "contentscode": "contents", "tid": "year",
                "kjonn": "sex", "alder": "age", "alternativ": "alternative",
                "framskrivingsalternativ": "alternative"}.get(n)
        if role:
            role_of[d] = role
    if "region" not in role_of.values():
        return None, [Problem(None, None, t("JSON-stat-datasettet har ingen dimensjon «Region»."))]
    long = _Long(columns={r: d for d, r in role_of.items()})
    total = math.prod(sizes)
    if total > 5_000_000:
        return None, [Problem(None, None, t("Datasettet er for stort (over 5 millioner celler)."))]
    for flat, combo in enumerate(product(*cats)):
        rec: dict[str, Any] = {"line": flat + 1, "value_column": "value"}
        for d, (code, label) in zip(ids, combo, strict=True):
            role = role_of.get(d)
            if role == "region":
                rec["region"] = f"{code} {label}" if label != code else code
            elif role == "contents":
                rec["contents"] = code if _ALTERNATIVE.search(code) or not _ALTERNATIVE.search(label) else label
            elif role == "alternative":
                rec["alternative"] = code if _ALTERNATIVE.search(code) else label
            elif role in ("sex", "age"):
                rec[role] = code if role == "sex" else label
            elif role == "year":
                rec["year"] = code
        value = values[flat] if isinstance(values, list) and flat < len(values) else (
            values.get(str(flat)) if isinstance(values, dict) else None)
        st = status[flat] if isinstance(status, list) and flat < len(status) else (
            status.get(str(flat)) if isinstance(status, dict) else None)
        rec["value"] = value if value is not None else (st or "")
        long.rows.append(rec)
    return long, []


def _alternative(rec: dict[str, Any]) -> str | None:
    """SSB's four-letter alternative (MMMM …) from an «alternativ» cell, else from the statistics variable."""
    for key in ("alternative", "contents"):
        m = _ALTERNATIVE.search(str(rec.get(key, "")))
        if m:
            return m.group(1)
    return None


def _age_group(raw: str) -> tuple[int, int | None] | None:
    """(from, to) of an age cell: «45 år» → (45, 45), «20-44 år» → (20, 44), «90 år eller eldre» → (90, None)."""
    text = str(raw).strip().casefold()
    m = re.fullmatch(r"(\d{1,3})\s*(?:-|–)\s*(\d{1,3})(?:\s*år)?", text)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        return (lo, hi) if lo <= hi <= 105 else None
    m = re.fullmatch(r"(\d{1,3})\s*(?:\+|år eller eldre|år og eldre|år\+)", text)
    if m:
        return (int(m.group(1)), None) if int(m.group(1)) <= 105 else None
    m = re.fullmatch(r"(\d{1,3})(?:\s*år)?", text)
    if m and int(m.group(1)) <= 105:
        return int(m.group(1)), (None if int(m.group(1)) == 105 else int(m.group(1)))
    return None


def _guess_dataset(long: _Long) -> str | None:
    if "alternative" in long.columns or any(_alternative(r) for r in long.rows[:200]):
        return PROJECTION
    if "age" in long.columns or "sex" in long.columns:
        return POPULATION
    contents = {str(r.get("contents", "")).casefold() for r in long.rows[:2000]}
    if any(c in METRIC_BY_KEY for c in contents):
        return FASTLEGE
    if contents <= {"personer", "personer1", ""}:
        return POPULATION
    # a statistics variable we do not know: read as 12005 so each row gets its own message
    return FASTLEGE if "contents" in long.columns else None


def _long_to_frame(long: _Long, dataset: str, registry: Registry,
                   max_year: int) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    problems: list[Problem] = []
    notes: list[str] = []
    out: list[dict[str, Any]] = []
    mapped: dict[str, str] = {}
    seen: dict[tuple, int] = {}
    col = long.columns
    for rec in long.rows:
        line = rec["line"]
        knr, msg, is_error = map_kommune(str(rec.get("region", "")), registry)
        if knr is None:
            if is_error:
                problems.append(Problem(line, col.get("region"), msg or ""))
            elif msg and msg not in notes and len(notes) < 20:
                notes.append(msg)
            continue
        if msg:
            mapped[msg] = msg
        year = parse_year(rec.get("year", ""))
        lo, hi = (PROJECTION_MIN_YEAR, MAX_YEAR) if dataset == PROJECTION else (MIN_YEAR, max_year)
        if year is None or not lo <= year <= hi:
            problems.append(Problem(line, col.get("year"), t("«{year}» er ikke et gyldig år ({lo}–{hi}).",
                                                             year=sanitize(rec.get("year", "")), lo=lo, hi=hi)))
            continue
        value, reason, message = parse_cell(rec.get("value"))
        vcol = rec.get("value_column")
        if message:
            problems.append(Problem(line, vcol, message))
            continue
        row: dict[str, Any] = {"kommunenummer": knr, "year": year, "missing_reason": reason, "source_row": line}
        if dataset == FASTLEGE:
            hit = METRIC_BY_KEY.get(str(rec.get("contents", "")).strip().casefold())
            if hit is None:
                problems.append(Problem(line, col.get("contents"),
                                        t("«{metric}» er ikke et måltall i tabell 12005.",
                                          metric=sanitize(rec.get("contents", "")))))
                continue
            metric, code, vmax = hit
            if not in_range(value, vmax):
                problems.append(Problem(line, vcol, t("{value} er utenfor gyldig område 0–{vmax} for «{metric}».",
                                                      value=as_read(value), vmax=fmt_number(vmax), metric=metric)))
                continue
            row.update(metric=metric, ssb_code=code, value=value)
        elif dataset == PROJECTION:
            if knr == NATIONAL_CODE:
                continue  # «Hele landet»: Legeplan has SSB's national projection already
            sex = SEX.get(str(rec.get("sex", "total")).strip().casefold())
            if sex is None:
                problems.append(Problem(line, col.get("sex"), t("«{sex}» er ikke et kjønn (Menn, Kvinner).",
                                                                sex=sanitize(rec.get("sex")))))
                continue
            group = _age_group(str(rec["age"])) if "age" in rec else None
            if group is None:
                problems.append(Problem(line, col.get("age"), t("«{age}» er ikke en alder eller en aldersgruppe "
                                                                "(«45 år», «20-44 år», «90 år eller eldre»).",
                                                                age=sanitize(rec.get("age", "")))))
                continue
            alternative = _alternative(rec)
            if alternative is None:
                problems.append(Problem(line, col.get("alternative") or col.get("contents"),
                                        t("Fant ikke framskrivingsalternativet (for eksempel «MMMM» for "
                                          "hovedalternativet) i «{value}».",
                                          value=sanitize(rec.get("alternative", rec.get("contents", ""))))))
                continue
            if value is not None and value < 0:
                problems.append(Problem(line, vcol, t("{value} er et negativt folketall.", value=as_read(value))))
                continue
            if not in_range(value, 2_000_000):
                problems.append(Problem(line, vcol, t("{value} er ikke et gyldig folketall (0–2 000 000).",
                                                      value=as_read(value))))
                continue
            row.update(sex=sex, age=group[0], age_to=group[1], alternative=alternative, population=value)
        else:
            sex = SEX.get(str(rec.get("sex", "total")).strip().casefold())
            if sex is None:
                problems.append(Problem(line, col.get("sex"), t("«{sex}» er ikke et kjønn (Menn, Kvinner).",
                                                                sex=sanitize(rec.get("sex")))))
                continue
            age = _age(str(rec["age"])) if "age" in rec else None
            if "age" in rec and age is None:
                problems.append(Problem(line, col.get("age"), t("«{age}» er ikke en alder 0–105.",
                                                                age=sanitize(rec.get("age")))))
                continue
            if not in_range(value, 2_000_000, integer=True):
                problems.append(Problem(line, vcol, t("{value} er ikke et gyldig folketall (helt tall 0–2 000 000).",
                                                      value=as_read(value))))
                continue
            row.update(sex=sex, age=age, population=value)
        key = tuple(row.get(k) for k in KEYS[dataset])
        if key in seen:
            problems.append(Problem(line, None, t("Raden er en dublett av rad {first} (samme {keys}).",
                                                  first=seen[key], keys=", ".join(KEYS[dataset]))))
            continue
        seen[key] = line
        out.append(row)
    notes.extend(list(mapped)[:20])
    missing = sum(1 for r in out if r["missing_reason"])
    if missing:
        notes.append(t("{n} verdier mangler eller er prikket hos SSB; de lagres som manglende med grunnen, "
                       "aldri som 0.", n=missing))
    return pd.DataFrame(out, columns=list(COLUMNS[dataset])), problems, notes


def parse_ssb(data: bytes, filename: str, kommuner: pd.DataFrame, dataset: str | None = None,
              max_year: int | None = None) -> Parsed:
    """Parse an SSB statbank export (CSV or JSON-stat 2) of table 12005 or 07459; never raises."""
    try:
        return _parse_ssb(data, filename, kommuner, dataset, max_year)
    except Exception as exc:  # noqa: BLE001 - user input must never crash the page
        return failed(t("Filen kunne ikke leses ({error}). Sjekk at det er et uttrekk fra SSB.",
                       error=type(exc).__name__), dataset)


def _parse_ssb(data: bytes, filename: str, kommuner: pd.DataFrame, dataset: str | None,
               max_year: int | None) -> Parsed:
    if len(data) > MAX_BYTES:
        return failed(t("Filen er for stor ({size} MB). Største tillatte størrelse er {limit} MB; del "
                       "uttrekket i flere filer.", size=fmt_number(len(data) / 1e6), limit=fmt_number(MAX_BYTES / 1e6)), dataset)
    if not data.strip():
        return failed(t("Filen er tom."), dataset)
    text, encoding, problem = decode(data)
    if text is None:
        return failed(problem or "", dataset)
    max_year = max_year or datetime.now().year + 1
    registry = Registry.from_frame(kommuner)
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            doc = json.loads(stripped)
        except ValueError as exc:
            return failed(t("JSON-filen er ikke gyldig JSON (linje {line}).", line=getattr(exc, "lineno", "?")),
                         dataset, "JSON")
        if isinstance(doc, dict) and doc.get("class") != "dataset" and isinstance(doc.get("dataset"), dict):
            doc = doc["dataset"]
        if not isinstance(doc, dict):
            return failed(t("JSON-filen er ikke et JSON-stat 2-datasett."), dataset, "JSON")
        long, problems = _jsonstat_to_long(doc)
        fmt = "JSON-stat 2"
    else:
        header, rows, delim = read_csv_rows(text)
        if not header:
            return failed(t("Filen har ingen kolonneoverskrifter."), dataset)
        long, problems = _csv_to_long(header, rows)
        fmt = f"CSV ({'semikolon' if delim == ';' else 'komma' if delim == ',' else 'tabulator'}, {encoding})"
    if long is None:
        return Parsed(dataset, empty_frame(dataset), tuple(problems), (), fmt)
    if not long.rows:
        return failed(t("Filen har ingen datarader under overskriftene."), dataset, fmt)
    guessed = _guess_dataset(long)
    dataset = dataset or guessed
    if dataset not in (FASTLEGE, POPULATION, PROJECTION):
        return failed(t("Kjente ikke igjen tabellen: forventet SSB tabell 12005 (fastleger), 07459 "
                       "(folkemengde) eller 14746/14288 (befolkningsframskriving)."), None, fmt)
    frame, problems, notes = _long_to_frame(long, dataset, registry, max_year)
    if dataset == PROJECTION:
        problems.extend(_overlaps(frame))
    if frame.empty and not problems:
        problems.append(Problem(None, None, t("Filen har ingen kommunerader.")))
    return Parsed(dataset, frame, tuple(problems), tuple(notes), fmt)


def _overlaps(frame: pd.DataFrame) -> list[Problem]:
    """An error for each age that two rows of the same kommune, year, sex and alternative both cover."""
    problems: list[Problem] = []
    if frame.empty:
        return problems
    for _, part in frame.groupby(["kommunenummer", "year", "sex", "alternative"], sort=False):
        part = part.sort_values("age")
        end, end_row = -1, None
        for r in part.itertuples():
            if r.age <= end:
                problems.append(Problem(int(r.source_row), None, t(
                    "Aldersgruppen overlapper med rad {first} (samme kommune, år, kjønn og alternativ).",
                    first=end_row)))
            top = 105 if is_na(r.age_to) else int(r.age_to)
            if top > end:
                end, end_row = top, int(r.source_row)
    return problems


def is_excel(data: bytes) -> bool:
    """True for the bytes of an Excel workbook (.xlsx is a zip file; .xls an OLE file)."""
    return data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0")


def is_na(x: object) -> bool:
    """True for a missing cell: None, NaN or pd.NA."""
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


def problem_table(problems: Iterable[Problem], limit: int = 200) -> list[dict[str, str]]:
    """Problems as rows for a table: Rad, Kolonne, Type, Melding (the first `limit`)."""
    rows = []
    for p in list(problems)[:limit]:
        rows.append({t("Rad"): "" if p.row is None else str(p.row),
                     t("Kolonne"): sanitize(p.column) if p.column else "",
                     t("Type"): t("Feil") if p.error else t("Advarsel"), t("Melding"): p.message})
    return rows
