"""Import of new statistics (SSB 12005 fastlege, SSB 07459 population) and the kommune's own figures.

Pure functions: bytes in → a parsed, validated table (`Parsed`) with every problem as a Norwegian
message naming the row and column; never an exception on user input. Imported data go to the
USER database (core.db.connect_user) as versioned import batches; the statistics database
(legeplan.duckdb) is rebuilt from committed sources and is never written. Method in docs/data.md.

Versions: every import is a batch (id, dataset, file, loaded at, rows, source note, active). The
data in force for a *scope* (fastlege: kommune × year × måltall; population: kommune × year × sex;
own data: kommune × type) is
the newest active batch that covers it, so deactivating a batch restores the previous version.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import product
from typing import Any

import duckdb
import pandas as pd

from core import db
from core import kommune as kommune_mod
from core.fmt import as_read
from core.fmt import number as fmt_number
from core.i18n import N_, t
from core.params import sanitize

MAX_BYTES = 20_000_000  # 20 MB: a full 12005 export for every kommune and year is about 5 MB
MIN_YEAR, MAX_YEAR = 1986, 2100
NATIONAL_CODE = "0000"
EXCEL_SUPPORTED = True  # the own-figures template can be uploaded and downloaded as .xlsx (openpyxl)
TEMPLATE_SHEET = "Egne tall"
MAX_EXCEL_ROWS = 200_000

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

OWN_KINDS = {
    "kontor": N_("legekontor (antall = fastlegehjemler ved kontoret)"),
    "liste": N_("fastlegeliste (listetak og pasienter)"),
    "venteliste": N_("venteliste (antall = personer som venter på fastlege)"),
    "planlagt_hjemmel": N_("planlagte nye hjemler (antall = nye hjemler det året)"),
}
TEMPLATE_COLUMNS = ("type", "kommunenummer", "år", "kontor", "liste", "listetak", "pasienter", "antall",
                    "merknad")
OWN_LIMITS = {"listetak": 4_000, "pasienter": 5_000, "antall": 1_000_000}


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
TABLES = {FASTLEGE: "import_fastlege", POPULATION: "import_population", OWN: "import_own",
          PROJECTION: "import_projection"}
SCOPE = {  # the unit a batch replaces: SQL over the row table, and the same in pandas
    FASTLEGE: ("kommunenummer", "year", "metric"),
    POPULATION: ("kommunenummer", "year", "sex"),
    OWN: ("kommunenummer", "kind"),
    PROJECTION: ("kommunenummer",),  # a new projection replaces the kommune's whole projection
}
# SSB's projection alternatives: four letters (fertility, life expectancy, internal migration, immigration);
# MMMM is the main alternative. Legeplan's alternatives «main», «high», «low» are SSB's MMMM, HHMH, LLML.
PROJECTION_ALTERNATIVES = {"main": "MMMM", "high": "HHMH", "low": "LLML"}
PROJECTION_MIN_YEAR = 2020
_ALTERNATIVE = re.compile(r"(?<![A-Za-z])([LMHK0]{4})(?![A-Za-z])")


def _empty(dataset: str | None) -> pd.DataFrame:
    return pd.DataFrame(columns=list(COLUMNS.get(dataset or "", ())))


def _fail(message: str, dataset: str | None = None, fmt: str = "") -> Parsed:
    return Parsed(dataset, _empty(dataset), (Problem(None, None, message),), (), fmt)


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
        return _fail(t("Filen kunne ikke leses ({error}). Sjekk at det er et uttrekk fra SSB.",
                       error=type(exc).__name__), dataset)


def _parse_ssb(data: bytes, filename: str, kommuner: pd.DataFrame, dataset: str | None,
               max_year: int | None) -> Parsed:
    if len(data) > MAX_BYTES:
        return _fail(t("Filen er for stor ({size} MB). Største tillatte størrelse er {limit} MB; del "
                       "uttrekket i flere filer.", size=fmt_number(len(data) / 1e6), limit=fmt_number(MAX_BYTES / 1e6)), dataset)
    if not data.strip():
        return _fail(t("Filen er tom."), dataset)
    text, encoding, problem = decode(data)
    if text is None:
        return _fail(problem or "", dataset)
    max_year = max_year or datetime.now().year + 1
    registry = Registry.from_frame(kommuner)
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            doc = json.loads(stripped)
        except ValueError as exc:
            return _fail(t("JSON-filen er ikke gyldig JSON (linje {line}).", line=getattr(exc, "lineno", "?")),
                         dataset, "JSON")
        if isinstance(doc, dict) and doc.get("class") != "dataset" and isinstance(doc.get("dataset"), dict):
            doc = doc["dataset"]
        if not isinstance(doc, dict):
            return _fail(t("JSON-filen er ikke et JSON-stat 2-datasett."), dataset, "JSON")
        long, problems = _jsonstat_to_long(doc)
        fmt = "JSON-stat 2"
    else:
        header, rows, delim = read_csv_rows(text)
        if not header:
            return _fail(t("Filen har ingen kolonneoverskrifter."), dataset)
        long, problems = _csv_to_long(header, rows)
        fmt = f"CSV ({'semikolon' if delim == ';' else 'komma' if delim == ',' else 'tabulator'}, {encoding})"
    if long is None:
        return Parsed(dataset, _empty(dataset), tuple(problems), (), fmt)
    if not long.rows:
        return _fail(t("Filen har ingen datarader under overskriftene."), dataset, fmt)
    guessed = _guess_dataset(long)
    dataset = dataset or guessed
    if dataset not in (FASTLEGE, POPULATION, PROJECTION):
        return _fail(t("Kjente ikke igjen tabellen: forventet SSB tabell 12005 (fastleger), 07459 "
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
            top = 105 if _isna(r.age_to) else int(r.age_to)
            if top > end:
                end, end_row = top, int(r.source_row)
    return problems


# --- the kommune's own figures ---------------------------------------------------------------------

def template_csv() -> bytes:
    """The CSV template for the kommune's own figures (semicolon, UTF-8 with BOM for Excel)."""
    return ("\ufeff" + ";".join(TEMPLATE_COLUMNS) + "\n").encode("utf-8")


def template_xlsx() -> bytes:
    """The template as an Excel workbook: the sheet «Egne tall» (the columns, text format for the text
    columns, so a name starting with = stays text) and a sheet explaining each column and type."""
    from openpyxl import Workbook  # local import: only the download needs it
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = TEMPLATE_SHEET
    sheet.append(list(TEMPLATE_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for col, width in zip("ABCDEFGHI", (18, 15, 8, 28, 18, 10, 11, 9, 40), strict=True):
        sheet.column_dimensions[col].width = width
    for col in "ADEI":  # type, kontor, liste, merknad: text, never a formula
        for row in range(2, 502):
            sheet[f"{col}{row}"].number_format = "@"
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet(t("Forklaring"))
    help_sheet.append([t("Kolonne"), t("Innhold")])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column, text in template_help():
        help_sheet.append([column, text])
    help_sheet.column_dimensions["A"].width = 16
    help_sheet.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_help() -> list[tuple[str, str]]:
    """(column, what it holds) for each column of the template, in the målform in force."""
    return [
        ("type", "; ".join(f"{k}: {t(v)}" for k, v in OWN_KINDS.items())),
        ("kommunenummer", t("fire siffer, 2024-inndelingen (for eksempel 4631)")),
        ("år", t("året tallene gjelder (2000–2060)")),
        ("kontor", t("legekontorets navn (må fylles ut for kontor)")),
        ("liste", t("listens navn eller nummer (må fylles ut for liste)")),
        ("listetak", t("listetaket, personer (0–4 000; må fylles ut for liste)")),
        ("pasienter", t("pasienter på listen, personer (0–5 000)")),
        ("antall", t("hjemler (kontor), personer (venteliste) eller nye hjemler (planlagt_hjemmel)")),
        ("merknad", t("fritekst (valgfri)")),
    ]


FORMULA = re.compile(r"^[=+@\t\r]|^-[^\d]")


def parse_own(data: bytes, filename: str, kommuner: pd.DataFrame) -> Parsed:
    """Parse the filled-in template of the kommune's own figures; never raises."""
    try:
        return _parse_own(data, kommuner)
    except Exception as exc:  # noqa: BLE001 - user input must never crash the page
        return _fail(t("Filen kunne ikke leses ({error}). Bruk malen fra Data-siden.", error=type(exc).__name__),
                     OWN)


def is_excel(data: bytes) -> bool:
    """True for the bytes of an Excel workbook (.xlsx is a zip file; .xls an OLE file)."""
    return data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0")


def _excel_text(value: object) -> str:
    """An Excel cell as the text the template's checks read: whole numbers without «.0», empty for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


def read_excel_rows(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]], str, list[Problem]]:
    """(header, [(row number, cells as text)], sheet name, problems) of the template's sheet in a workbook.

    The sheet «Egne tall», else the first sheet whose first row has the template's columns. A cell with a
    formula is refused (its value is whatever Excel last computed, or nothing): paste values instead.
    """
    from openpyxl import load_workbook  # local import: only an Excel upload needs it

    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return [], [], "", [Problem(None, None, t("Filen er i det gamle Excel-formatet (.xls). Lagre den som "
                                                  "Excel-arbeidsbok (.xlsx) eller CSV og last opp på nytt."))]
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - a broken or encrypted file: say so, never crash
        return [], [], "", [Problem(None, None, t("Excel-filen kunne ikke åpnes ({error}). Lagre den på nytt som "
                                                  ".xlsx fra malen.", error=type(exc).__name__))]
    try:
        sheets = list(book.worksheets)
        chosen = next((s for s in sheets if s.title.strip().casefold() == TEMPLATE_SHEET.casefold()), None)
        if chosen is None:
            for sheet in sheets:
                first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
                if {_excel_text(v).casefold() for v in first} >= {"type", "kommunenummer", "år"}:
                    chosen = sheet
                    break
        if chosen is None:
            return [], [], "", [Problem(None, None, t("Fant ikke arket «{sheet}» eller et ark med malens kolonner; "
                                                      "arkene i filen er: {sheets}. Bruk malen fra Data-siden.",
                                                      sheet=TEMPLATE_SHEET,
                                                      sheets=sanitize(", ".join(s.title for s in sheets))))]
        header: list[str] = []
        rows: list[tuple[int, list[str]]] = []
        problems: list[Problem] = []
        for number, cells in enumerate(chosen.iter_rows(), start=1):
            if number > MAX_EXCEL_ROWS:
                problems.append(Problem(None, None, t("Arket har mer enn {n} rader; del filen.",
                                                      n=fmt_number(MAX_EXCEL_ROWS))))
                break
            texts = []
            for position, cell in enumerate(cells):
                if getattr(cell, "data_type", None) == "f":
                    column = header[position] if position < len(header) else None
                    problems.append(Problem(number, column, t("Cellen inneholder en formel; lim inn verdiene i "
                                                              "stedet (formler godtas ikke).")))
                    texts.append("")
                else:
                    texts.append(_excel_text(cell.value))
            if not header:
                header = [h.lstrip("\ufeff") for h in texts]
                while header and header[-1] == "":
                    header.pop()
                continue
            if any(texts):
                rows.append((number, texts))
        return header, rows, chosen.title, problems
    finally:
        book.close()


def _parse_own(data: bytes, kommuner: pd.DataFrame) -> Parsed:
    if len(data) > MAX_BYTES:
        return _fail(t("Filen er for stor ({size} MB). Største tillatte størrelse er {limit} MB.",
                       size=fmt_number(len(data) / 1e6), limit=fmt_number(MAX_BYTES / 1e6)), OWN)
    if not data.strip():
        return _fail(t("Filen er tom."), OWN)
    read_problems: list[Problem] = []
    if is_excel(data):
        header, rows, sheet, read_problems = read_excel_rows(data)
        if not header:
            return Parsed(OWN, _empty(OWN), tuple(read_problems) or (Problem(1, None, t(
                "Filen har ingen kolonneoverskrifter.")),), (), "Excel")
        fmt = t("Excel (arket «{sheet}»)", sheet=sanitize(sheet))
    else:
        text, encoding, problem = decode(data)
        if text is None:
            return _fail(problem or "", OWN)
        header, rows, delim = read_csv_rows(text)
        fmt = f"CSV ({'semikolon' if delim == ';' else 'komma'}, {encoding})"
    norm = [h.strip().casefold() for h in header]
    missing = [c for c in TEMPLATE_COLUMNS if c not in norm and c != "merknad"]
    if missing:
        return Parsed(OWN, _empty(OWN), (Problem(1, None, t("Mangler kolonne(r) {missing}. Bruk malen fra "
                                                            "Data-siden (kolonnene: {columns}).",
                                                            missing=", ".join(f"«{c}»" for c in missing),
                                                            columns=";".join(TEMPLATE_COLUMNS))),), (), fmt)
    idx = {c: norm.index(c) for c in TEMPLATE_COLUMNS if c in norm}
    registry = Registry.from_frame(kommuner)
    problems: list[Problem] = list(read_problems)
    bad_rows = {p.row for p in read_problems}
    notes: list[str] = []
    out: list[dict[str, Any]] = []
    seen: dict[tuple, int] = {}
    for line, cells in rows:
        cells = cells + [""] * (len(header) - len(cells))
        cell = {c: cells[i] for c, i in idx.items()}
        bad = line in bad_rows  # a formula cell in an Excel row: already reported
        for c in ("kontor", "liste", "merknad", "type"):
            if c in cell and FORMULA.match(cell[c]):
                problems.append(Problem(line, c, t("Teksten ser ut som en regnearkformel (begynner med =, +, - eller "
                                                   "@) og godtas ikke.")))
                bad = True
        if bad:
            continue
        kind = cell["type"].strip().casefold()
        if kind not in OWN_KINDS:
            problems.append(Problem(line, "type", t("«{kind}» er ikke en gyldig type; bruk {kinds}.",
                                                    kind=sanitize(cell["type"]), kinds=", ".join(OWN_KINDS))))
            continue
        knr, msg, is_error = map_kommune(cell["kommunenummer"], registry)
        if knr is None or knr == "0000":
            problems.append(Problem(line, "kommunenummer", msg if msg and is_error else
                                    t("«{value}» er ikke en kommune.", value=sanitize(cell["kommunenummer"]))))
            continue
        if msg and msg not in notes:
            notes.append(msg)
        year = parse_year(cell["år"])
        if year is None or not 2000 <= year <= 2060:
            problems.append(Problem(line, "år", t("«{year}» er ikke et gyldig år (2000–2060).",
                                                  year=sanitize(cell["år"]))))
            continue
        row: dict[str, Any] = {"kind": kind, "kommunenummer": knr, "year": year,
                               "office": cell["kontor"].strip(), "list_id": cell["liste"].strip(),
                               "note": cell.get("merknad", "").strip(), "source_row": line}
        for c, target in (("listetak", "list_cap"), ("pasienter", "patients"), ("antall", "count")):
            value, _, message = parse_cell(cell[c])
            if message:
                problems.append(Problem(line, c, message))
                bad = True
            elif not in_range(value, OWN_LIMITS[c], integer=True):
                problems.append(Problem(line, c, t("{value} er utenfor gyldig område (helt tall 0–{limit}).",
                                                   value=as_read(value), limit=fmt_number(OWN_LIMITS[c], group=" "))))
                bad = True
            row[target] = value
        if bad:
            continue
        need = {"kontor": ("kontor",), "liste": ("liste", "listetak"), "venteliste": ("antall",),
                "planlagt_hjemmel": ("antall",)}[kind]
        empty = [c for c in need if cell[c].strip() == ""]
        if empty:
            problems.append(Problem(line, empty[0], t("Må fylles ut for type «{kind}».", kind=kind)))
            continue
        if kind == "liste" and row["patients"] is not None and row["list_cap"] and row["patients"] > row["list_cap"]:
            problems.append(Problem(line, "pasienter", t("{patients} pasienter er flere enn listetaket {cap}; "
                                                         "sjekk tallet.", patients=fmt_number(row["patients"]),
                                                         cap=fmt_number(row["list_cap"])), error=False))
        key = tuple(row[k] for k in KEYS[OWN])
        if key in seen:
            problems.append(Problem(line, None, t("Raden er en dublett av rad {first} (samme type, kommune, år, "
                                                  "kontor og liste).", first=seen[key])))
            continue
        seen[key] = line
        out.append(row)
    if not out and not problems:
        problems.append(Problem(None, None, t("Filen har ingen datarader under overskriftene.")))
    return Parsed(OWN, pd.DataFrame(out, columns=list(COLUMNS[OWN])), tuple(problems), tuple(notes), fmt)


def parse_upload(data: bytes, filename: str, kommuner: pd.DataFrame, dataset: str | None = None) -> Parsed:
    """Parse any upload: the own-figures template if its header says so, else an SSB export."""
    if dataset == OWN:
        return parse_own(data, filename, kommuner)
    if dataset is None and data[:2000].lower().replace(b'"', b"").lstrip(b"\xef\xbb\xbf").startswith(b"type"):
        return parse_own(data, filename, kommuner)
    if dataset is None and is_excel(data):  # SSB's exports are CSV or JSON: a workbook is the template
        return parse_own(data, filename, kommuner)
    return parse_ssb(data, filename, kommuner, dataset)


# --- the user database: batches, data in force, diff, apply, restore -------------------------------

DDL = (
    """CREATE TABLE IF NOT EXISTS import_batch (batch_id INTEGER PRIMARY KEY, dataset VARCHAR NOT NULL,
       file_name VARCHAR, loaded_at TIMESTAMP NOT NULL, rows INTEGER NOT NULL, source_note VARCHAR,
       file_format VARCHAR, active BOOLEAN NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS import_fastlege (batch_id INTEGER NOT NULL, kommunenummer VARCHAR NOT NULL,
       year INTEGER NOT NULL, metric VARCHAR NOT NULL, ssb_code VARCHAR, value DOUBLE, missing_reason VARCHAR,
       source_row INTEGER)""",
    """CREATE TABLE IF NOT EXISTS import_population (batch_id INTEGER NOT NULL, kommunenummer VARCHAR NOT NULL,
       year INTEGER NOT NULL, sex VARCHAR NOT NULL, age INTEGER, population DOUBLE, missing_reason VARCHAR,
       source_row INTEGER)""",
    """CREATE TABLE IF NOT EXISTS import_projection (batch_id INTEGER NOT NULL, kommunenummer VARCHAR NOT NULL,
       year INTEGER NOT NULL, sex VARCHAR NOT NULL, age INTEGER NOT NULL, age_to INTEGER, alternative VARCHAR NOT NULL,
       population DOUBLE, missing_reason VARCHAR, source_row INTEGER)""",
    """CREATE TABLE IF NOT EXISTS import_own (batch_id INTEGER NOT NULL, kind VARCHAR NOT NULL,
       kommunenummer VARCHAR NOT NULL, year INTEGER NOT NULL, office VARCHAR, list_id VARCHAR, list_cap DOUBLE,
       patients DOUBLE, count DOUBLE, note VARCHAR, source_row INTEGER)""",
)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the import tables in the user database if they are missing."""
    db.write(con, [(sql, ()) for sql in DDL])


def batches(con: duckdb.DuckDBPyConnection, dataset: str | None = None) -> pd.DataFrame:
    """Every import batch, newest first (batch_id, dataset, file_name, loaded_at, rows, source_note, active)."""
    ensure_schema(con)
    where, params = ("WHERE dataset = ?", [dataset]) if dataset else ("", [])
    return db.query(con, f"SELECT * FROM import_batch {where} ORDER BY batch_id DESC", params)  # noqa: S608


def in_force(con: duckdb.DuckDBPyConnection, dataset: str, kommunenummer: str | None = None) -> pd.DataFrame:
    """The imported rows in force: per scope, the rows of the newest active batch that covers it."""
    ensure_schema(con)
    table, scope = TABLES[dataset], ", ".join(f"r.{c}" for c in SCOPE[dataset])
    cols = ", ".join(c for c in (*COLUMNS[dataset], "batch_id"))
    where, params = ("AND r.kommunenummer = ?", [kommunenummer]) if kommunenummer else ("", [])
    sql = f"""SELECT {cols} FROM (
                SELECT r.*, max(r.batch_id) OVER (PARTITION BY {scope}) AS newest
                FROM {table} r JOIN import_batch b USING (batch_id) WHERE b.active {where})
              WHERE batch_id = newest ORDER BY {', '.join(KEYS[dataset])}"""  # noqa: S608 - fixed names
    return db.query(con, sql, params)


def imported_fastlege(con_user: duckdb.DuckDBPyConnection, kommunenummer: str) -> pd.DataFrame:
    """Imported 12005 values in force for a kommune, shaped like the bundled `fastlege` table."""
    df = in_force(con_user, FASTLEGE, kommunenummer)
    df = df[df["value"].notna()]
    return df[["kommunenummer", "year", "metric", "ssb_code", "value"]].reset_index(drop=True)


def imported_population(con_user: duckdb.DuckDBPyConnection, kommunenummer: str) -> pd.DataFrame:
    """Imported 07459 population in force for a kommune (kommunenummer, year, sex, age, population)."""
    df = in_force(con_user, POPULATION, kommunenummer)
    df = df[df["population"].notna()]
    return df[["kommunenummer", "year", "sex", "age", "population"]].reset_index(drop=True)


def imported_own(con_user: duckdb.DuckDBPyConnection, kommunenummer: str, kind: str | None = None) -> pd.DataFrame:
    """The kommune's own figures in force (kind, year, office, list_id, list_cap, patients, count, note)."""
    df = in_force(con_user, OWN, kommunenummer)
    if kind:
        df = df[df["kind"] == kind]
    return df.drop(columns=["source_row", "batch_id"]).reset_index(drop=True)


def current(con_stats: duckdb.DuckDBPyConnection | None, con_user: duckdb.DuckDBPyConnection,
            parsed: Parsed) -> pd.DataFrame:
    """What is loaded now for the scopes the upload covers: imported rows in force, else the bundled ones."""
    dataset = parsed.dataset or ""
    scope_cols = list(SCOPE[dataset])
    scopes = parsed.frame[scope_cols].drop_duplicates()
    imported = in_force(con_user, dataset)
    imported = imported.merge(scopes, on=scope_cols) if len(imported) else imported
    covered = imported[scope_cols].drop_duplicates() if len(imported) else scopes.iloc[0:0]
    bundled = _bundled(con_stats, dataset, scopes)
    if len(bundled) and len(covered):
        bundled = bundled.merge(covered, on=scope_cols, how="left", indicator=True)
        bundled = bundled[bundled["_merge"] == "left_only"].drop(columns="_merge")
    cols = [c for c in COLUMNS[dataset] if c != "source_row"]
    parts = [f[cols] for f in (imported.reindex(columns=cols), bundled.reindex(columns=cols)) if len(f)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)


def _bundled(con: duckdb.DuckDBPyConnection | None, dataset: str, scopes: pd.DataFrame) -> pd.DataFrame:
    if con is None or dataset in (OWN, PROJECTION) or scopes.empty:
        return pd.DataFrame()
    knrs = sorted(set(scopes["kommunenummer"]))
    if dataset == FASTLEGE:
        df = db.query(con, "SELECT kommunenummer, year, metric, ssb_code, value, NULL AS missing_reason "
                           "FROM fastlege WHERE list_contains(?, kommunenummer)", [knrs])
    else:
        df = db.query(con, "SELECT kommunenummer, year, sex, age, population, NULL AS missing_reason "
                           "FROM population_single_age WHERE list_contains(?, kommunenummer)", [knrs])
    return df.merge(scopes, on=list(SCOPE[dataset]))


def diff(parsed: Parsed, loaded: pd.DataFrame) -> pd.DataFrame:
    """Row by row: the key, «ny», «endret», «fjernet» or «uendret», the loaded and the new value(s)."""
    dataset = parsed.dataset or ""
    keys, values = list(KEYS[dataset]), list(VALUES[dataset])
    new = parsed.frame[keys + values].copy()
    old = loaded.reindex(columns=keys + values).copy()
    for frame in (new, old):
        for k in keys:
            frame[k] = frame[k].astype(object).where(frame[k].notna(), None)
            if k in ("year", "age", "age_to"):
                frame[k] = frame[k].map(lambda v: None if v is None else int(v))
    merged = old.merge(new, on=keys, how="outer", suffixes=("_før", "_ny"), indicator=True)

    def same(a: object, b: object) -> bool:
        if _isna(a) and _isna(b):
            return True
        if _isna(a) or _isna(b):
            return False
        if isinstance(a, float | int) and isinstance(b, float | int):
            return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
        return str(a) == str(b)

    def status(r: pd.Series) -> str:
        if r["_merge"] == "right_only":
            return "ny"
        if r["_merge"] == "left_only":
            return "fjernet"
        return "uendret" if all(same(r[f"{v}_før"], r[f"{v}_ny"]) for v in values) else "endret"

    merged["endring"] = merged.apply(status, axis=1) if len(merged) else pd.Series(dtype=str)
    return merged.drop(columns="_merge").sort_values(keys).reset_index(drop=True)


def _isna(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


def summarize(changes: pd.DataFrame) -> dict[str, int]:
    """Rows per kind of change: {'ny': n, 'endret': n, 'fjernet': n, 'uendret': n}."""
    counts = changes["endring"].value_counts() if len(changes) else pd.Series(dtype=int)
    return {k: int(counts.get(k, 0)) for k in ("ny", "endret", "fjernet", "uendret")}


def _row_statements(batch_id: int, parsed: Parsed) -> list[tuple[str, Sequence[Any]]]:
    """One INSERT per dataset table, the columns passed as lists and unnested together."""
    dataset = parsed.dataset or ""
    cols = list(COLUMNS[dataset])
    frame = parsed.frame
    lists = [[_plain(v) for v in frame[c].tolist()] for c in cols]
    select = ", ".join(f"unnest(?::{_type(dataset, c)}[])" for c in cols)
    sql = f"INSERT INTO {TABLES[dataset]} (batch_id, {', '.join(cols)}) SELECT ?, {select}"  # noqa: S608
    return [(sql, [batch_id, *lists])]


def _type(dataset: str, col: str) -> str:
    if col in ("year", "age", "age_to", "source_row"):
        return "INTEGER"
    if col in ("value", "population", "list_cap", "patients", "count"):
        return "DOUBLE"
    return "VARCHAR"


def _plain(v: object) -> object:
    if _isna(v):
        return None
    if hasattr(v, "item"):
        return v.item()  # numpy scalar → Python
    return v


def apply(con: duckdb.DuckDBPyConnection, parsed: Parsed, file_name: str, source_note: str,
          now: datetime | None = None) -> tuple[int | None, list[Problem]]:
    """Store a validated upload as a new active batch, all or nothing: (batch id, []) or (None, problems)."""
    if not parsed.ok:
        return None, parsed.errors or [Problem(None, None, t("Det er ingen gyldige rader å laste inn."))]
    try:
        ensure_schema(con)
        row = db.query(con, "SELECT coalesce(max(batch_id), 0) + 1 AS next FROM import_batch")
        batch_id = int(row["next"].iloc[0])
        loaded_at = (now or datetime.now()).replace(microsecond=0)
        statements: list[tuple[str, Sequence[Any]]] = [(
            "INSERT INTO import_batch VALUES (?, ?, ?, ?, ?, ?, ?, TRUE)",
            [batch_id, parsed.dataset, file_name[:200], loaded_at, len(parsed.frame), source_note[:500],
             parsed.file_format])]
        statements += _row_statements(batch_id, parsed)
        db.write(con, statements)
    except duckdb.Error as exc:
        return None, [Problem(None, None, t("Innlastingen ble avbrutt og ingenting ble lagret ({error}).",
                                            error=sanitize(str(exc).splitlines()[0][:200])))]
    return batch_id, []


def set_active(con: duckdb.DuckDBPyConnection, batch_id: int, active: bool) -> None:
    """Mark one batch active or inactive (in one transaction)."""
    ensure_schema(con)
    db.write(con, [("UPDATE import_batch SET active = ? WHERE batch_id = ?", [active, batch_id])])


def restore_previous(con: duckdb.DuckDBPyConnection, dataset: str) -> int | None:
    """Deactivate the newest active batch of a dataset, so the version before it is in force again.

    Returns the id of the deactivated batch, or None when there was no active batch.
    """
    b = batches(con, dataset)
    active = b[b["active"]]
    if active.empty:
        return None
    newest = int(active["batch_id"].iloc[0])
    set_active(con, newest, False)
    return newest


def problem_table(problems: Iterable[Problem], limit: int = 200) -> list[dict[str, str]]:
    """Problems as rows for a table: Rad, Kolonne, Type, Melding (the first `limit`)."""
    rows = []
    for p in list(problems)[:limit]:
        rows.append({t("Rad"): "" if p.row is None else str(p.row),
                     t("Kolonne"): sanitize(p.column) if p.column else "",
                     t("Type"): t("Feil") if p.error else t("Advarsel"), t("Melding"): p.message})
    return rows
