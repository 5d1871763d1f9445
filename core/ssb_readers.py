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
from core.catalog import METRICS_BY_NAME
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
# The measures that count something (agreements, lists, patients, doctors, places): whole numbers only
WHOLE_METRICS = frozenset({"gp_agreements", "gp_agreements_total_incl_without_gp", "lists_without_gp",
                           "patients_on_lists_with_gp", "patients_on_lists_without_gp", "open_lists", "female_gps",
                           "list_capacity"})
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
            where.append(t("kolonne «{column}»", column=sanitize(self.column, 60)))
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


DUPLICATE_KEYS = {  # KEYS in words, for the duplicate-row message (translate with t())
    FASTLEGE: N_("kommune, år og måltall"),
    POPULATION: N_("kommune, år, kjønn og alder"),
    PROJECTION: N_("kommune, år, kjønn, aldersgruppe og alternativ"),
}


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
    try:
        return _mojibake(data.decode("utf-8-sig"), "UTF-8")
    except UnicodeDecodeError:
        pass
    mixed = _mixed_encoding(data)
    if mixed:
        return None, None, mixed
    for encoding, name in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            return _mojibake(data.decode(encoding), name)
        except UnicodeDecodeError:
            continue
    return None, None, t("Klarte ikke å lese tegnene i filen.")  # pragma: no cover - latin-1 decodes anything


# æ, ø, å, Æ, Ø, Å written as UTF-8 and read back as Windows-1252 once too often: «Ã¥r» for «år»
_MOJIBAKE = re.compile("\u00c3[\u00a5\u00b8\u00a6\u2026\u02dc\u2020]")


def _mojibake(text: str, name: str) -> tuple[str | None, str | None, str | None]:
    """(text, encoding name, None), or a problem when æ, ø, å have been garbled by a wrong conversion."""
    m = _MOJIBAKE.search(text)
    if m is None:
        return text, name, None
    line = text.count("\n", 0, m.start()) + 1
    return None, None, t("Linje {line} har «{garbled}» der det skulle stått æ, ø eller å: filen er lagret om med feil "
                         "tegnkoding (for eksempel «Ã¥r» for «år»), og tekst og kommunenavn kan ikke leses sikkert. "
                         "Last ned uttrekket på nytt fra SSB (eller lagre filen fra regnearket som «CSV UTF-8») og "
                         "last opp igjen.", line=line, garbled=m.group(0))


def _mixed_encoding(data: bytes) -> str | None:
    """A message when some lines are UTF-8 (with æ, ø, å) and others Windows-1252/Latin-1, else None.

    Such a file (two exports pasted together, or edited in two programs) cannot be read with one
    encoding: whichever is chosen, some letters come out wrong (an «år» column read as «Ã¥r»).
    """
    utf8_line = other_line = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_line = utf8_line or number
        except UnicodeDecodeError:
            other_line = other_line or number
        if utf8_line and other_line:
            return t("Filen blander to tegnkodinger: linje {utf8} er skrevet som UTF-8, linje {other} som "
                     "Windows-1252/Latin-1, så æ, ø og å kan ikke leses riktig i begge. Lagre hele filen på nytt "
                     "som UTF-8 (eller last ned uttrekket på nytt fra SSB) og last opp igjen.",
                     utf8=utf8_line, other=other_line)
    return None


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


@dataclass(frozen=True)
class CsvTable:
    """A CSV text read: header, [(line number, cells)] of the rows that have the header's shape, the
    delimiter, and a problem for every row that has not (those rows are left out, never guessed at)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    delimiter: str
    problems: list[Problem]


def read_csv_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """(header, [(line number, cells)], delimiter) of a CSV text, after any SSB title line (rows of the
    wrong shape left out; read_csv says why)."""
    table = read_csv(text)
    return table.header, table.rows, table.delimiter


def read_csv(text: str, free_text: frozenset[str] = frozenset()) -> CsvTable:
    """The CSV text after any SSB title line, every row checked against the header.

    A row with more cells than the header (for example an unquoted decimal comma in a comma-separated
    file: «…,"2025",73,3»), with fewer (a value cell missing), with a stray quote character or a line
    break inside a cell is refused with its line and column; the reader never shifts or pads cells
    into other columns. `free_text` names columns (casefolded) that may hold a line break, and may be
    left off the end of a row (the template's «merknad»). Empty cells after the last column and an
    empty column name at the end of the header (a trailing delimiter) are ignored.
    """
    lines, skipped = _split_title(text)
    if not lines:
        return CsvTable([], [], ";", [])
    delim = _delimiter(lines[0])
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if not header:
                header = [c.strip().lstrip("\ufeff") for c in cells]
                while header and header[-1] == "":
                    header.pop()
                continue
            if not any(c.strip() for c in cells):
                continue
            problem = _row_shape(start + skipped, end + skipped, cells, header, delim, free_text)
            if problem:
                problems.append(problem)
                continue
            rows.append((start + skipped, [c.strip() for c in cells[:len(header)]]))
    except csv.Error as exc:
        line = end + skipped + 1
        if "NUL" in str(exc):
            problems.append(Problem(line, None, t("Linjen inneholder et nulltegn (NUL); filen er ikke en ren "
                                                  "tekstfil. Lagre den på nytt som CSV fra regnearket.")))
        else:
            problems.append(Problem(line, None, t("Filen kan ikke leses videre fra denne linjen: trolig et "
                                                  "anførselstegn (\") som åpner en celle og aldri lukkes. Rett "
                                                  "eller fjern anførselstegnet og last opp igjen.")))
    return CsvTable(header, rows, delim, problems)


_SHOWN_CELL = re.compile(r"[^0-9A-Za-zÆØÅæøåÁáČčĐđŊŋŠšŦŧŽž ,.\-;\t\"]")


def _raw_cell(cell: str) -> str:
    """A cell quoted back with its quotes and delimiters (which sanitize drops), nothing that renders."""
    text = _SHOWN_CELL.sub("", cell.replace("\t", " ")).replace('"', "\u2033")[:40].strip()
    return text or t("(tomt)")


def _row_shape(line: int, last_line: int, cells: list[str], header: list[str], delim: str,
               free_text: frozenset[str]) -> Problem | None:
    """The problem with one CSV row's shape (stray quote, line break, cells more or fewer than the
    header), or None."""
    if len(cells) == len(header) and not any(c in cell for cell in cells for c in '"\n\x00'):
        return None  # the common case, in one pass
    names = [h.casefold() for h in header]
    for position, cell in enumerate(cells):
        column = header[position] if position < len(header) else None
        if "\x00" in cell:
            return Problem(line, column, t("Linjen inneholder et nulltegn (NUL); filen er ikke en ren "
                                           "tekstfil. Lagre den på nytt som CSV fra regnearket."))
        if "\n" in cell and (position >= len(names) or names[position] not in free_text):
            return Problem(line, column, t("Et anførselstegn åpner cellen, men lukkes ikke før linje {last}; "
                                           "linjene {line}–{last} er slått sammen til én celle. Rett "
                                           "anførselstegnet og last opp igjen.", line=line, last=last_line))
        if '"' in cell and cell.lstrip()[:1] not in ("=", "+", "@"):  # a formula's quotes: the readers say so
            return Problem(line, column, t("Cellen «{cell}» inneholder et anførselstegn (\") som ikke hører til "
                                           "(et anførselstegn som åpner eller lukker en celle på feil sted slår "
                                           "sammen eller forskyver cellene). Fjern anførselstegnet eller sett "
                                           "hele cellen i anførselstegn.", cell=_raw_cell(cell)))
    extra = [c.strip() for c in cells[len(header):]]
    if any(extra):
        first = next(c for c in extra if c)
        hint = ""
        if delim == "," and re.fullmatch(r"-?\d+", cells[len(header) - 1].strip()) and re.fullmatch(r"\d+", first):
            hint = " " + t("Trolig et desimaltall med komma («{whole},{part}») i en kommaseparert fil: sett tallet "
                           "i anførselstegn, bruk punktum som desimaltegn, eller lagre filen med semikolon.",
                           whole=cells[len(header) - 1].strip(), part=first)
        return Problem(line, header[-1] if header else None, t(
            "Raden har {n} celler, men overskriften har {m} kolonner: cellen «{cell}» står etter siste kolonne "
            "og hører ikke til noen kolonne.", n=len(cells), m=len(header), cell=sanitize(first)) + hint)
    if len(cells) < len(header):
        missing = names[len(cells):]
        if not all(name in free_text for name in missing):
            return Problem(line, header[len(cells)], t(
                "Cellen mangler: raden har {n} celler, men overskriften har {m} kolonner. Sjekk at raden ikke er "
                "avkortet; også en tom celle må ha skilletegnet sitt («{delim}»).",
                n=len(cells), m=len(header), delim=delim if delim != "\t" else "tab"))
    return None


# --- numbers, years, kommuner ----------------------------------------------------------------------

# The decimal mark by the file's own convention: SSB's semicolon CSV writes «73,3», its comma CSV «73.3»
# (a tab-separated file has no convention of its own). A number with the other mark followed by exactly
# three digits («27.961» in a semicolon file) may be a thousands separator: refused, never guessed.
DECIMAL_MARK: dict[str, str | None] = {";": ",", ",": ".", "\t": None}
_SEPARATED = re.compile(r"(-?)(\d+)([.,])(\d+)")
_SPACES = re.compile(r"[ \u00a0\u202f]")


def _number_text(raw: object) -> str:
    return _SPACES.sub("", str(raw).strip()).replace("\u2212", "-")


def parse_number(raw: object, decimal: str | None = None) -> tuple[float | None, str | None]:
    """(value, None), (None, reason) for an SSB marker or empty cell, or (None, None) if not a number
    (or not unambiguously one: see number_problem). `decimal` is the file's decimal mark ("," or "."),
    None where the file has no convention. Spaces between thousands are read («27 961»)."""
    if raw is None:
        return None, "tom celle"
    if isinstance(raw, bool):
        return None, None
    if isinstance(raw, int | float):
        return (float(raw), None) if math.isfinite(raw) else (None, None)
    text = _number_text(raw)
    if text == "":
        return None, "tom celle"
    if text in SSB_MARKERS:
        return None, SSB_MARKERS[text]
    if re.fullmatch(r"-?\d+", text):
        return float(text), None
    m = _SEPARATED.fullmatch(text)
    if m is None or _ambiguous(m, decimal):
        return None, None
    return float(f"{m.group(1)}{m.group(2)}.{m.group(4)}"), None


def _ambiguous(m: re.Match[str], decimal: str | None) -> bool:
    """True for «27.961» (or «27,961») where the mark is not the file's decimal mark: a thousands separator
    or a decimal mark, the file cannot tell."""
    return m.group(3) != decimal and len(m.group(4)) == 3 and len(m.group(2)) <= 3 and m.group(2) != "0"


def number_problem(raw: object, decimal: str | None = None) -> str | None:
    """Why a cell is not a number parse_number can read, in Norwegian, showing the cell; None if it is."""
    value, reason = parse_number(raw, decimal)
    if value is not None or reason is not None:
        return None
    text = _number_text(raw) if isinstance(raw, str) else ""
    m = _SEPARATED.fullmatch(text)
    if m:
        return _two_readings(raw, m, decimal)
    if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+([.,]\d+)?", text):
        return t("«{cell}» har punktum eller komma som tusenskille. Skriv tallet uten skilletegn mellom "
                 "tusenene (eller med mellomrom) og last opp igjen.", cell=sanitize(raw))
    return t("«{value}» er ikke et tall.", value=sanitize(raw))


def _two_readings(raw: object, m: re.Match[str], decimal: str | None) -> str:
    mark = t("punktumet") if m.group(3) == "." else t("kommaet")
    whole = float(f"{m.group(1)}{m.group(2)}{m.group(4)}")
    fraction = float(f"{m.group(1)}{m.group(2)}.{m.group(4)}")
    return t("«{cell}» kan leses på to måter: {mark} kan være tusenskille ({whole}) eller desimaltegn "
             "({fraction}). Skriv tallet uten tusenskille (for eksempel {plain}), med {decimal} som "
             "desimaltegn, og last opp igjen.", cell=sanitize(raw), mark=mark, whole=fmt_number(whole),
             fraction=fmt_number(fraction, 3), plain=f"{m.group(1)}{m.group(2)}{m.group(4)}",
             decimal=t("punktum") if decimal == "." else t("komma"))


def whole_doubt(raw: object, decimal: str | None = None) -> str | None:
    """For a measure that is a whole number: the two readings of a cell like «1.000» or «1,000», else None.

    By the file's convention «1.000» in a comma-separated file is the decimal number 1,000 = 1, a whole
    number, so it would pass; but nobody writes one agreement so, and 1 000 is as likely. A count written
    with a decimal mark and exactly three digits after it is refused whatever the convention.
    """
    if not isinstance(raw, str):
        return None
    m = _SEPARATED.fullmatch(_number_text(raw))
    if m and len(m.group(4)) == 3 and len(m.group(2)) <= 3 and m.group(2) != "0":
        return _two_readings(raw, m, decimal)
    return None


def in_range(value: float | None, vmax: float, integer: bool = False) -> bool:
    """True for no value (missing, with its reason) or a value 0–vmax (a whole number if `integer`)."""
    return value is None or (0 <= value <= vmax and (not integer or float(value).is_integer()))


def parse_cell(raw: object, decimal: str | None = None) -> tuple[float | None, str | None, str | None]:
    """The one parse step for a number cell, in SSB files and in the template (CSV or Excel):
    (value, missing reason, None), or (None, None, message) when the cell is not a number (or could be
    read two ways: «27.961» in a file whose decimal mark is the comma)."""
    value, reason = parse_number(raw, decimal)
    if value is None and reason is None:
        return None, None, number_problem(raw, decimal)
    return value, reason, None


def _population_problem(line: int | None, column: str | None, raw: object, value: float | None,
                        decimal: str | None) -> Problem | None:
    """Why a population cell is no head count (a doubtful separator, a fraction, out of range), or None."""
    if doubt := whole_doubt(raw, decimal):
        return Problem(line, column, doubt)
    if not in_range(value, 2_000_000, integer=True):
        return Problem(line, column, t("{value} er ikke et gyldig folketall (helt tall 0–{vmax}).",
                                       value=shown(value, raw),  # type: ignore[arg-type] - as before: in_range refused None
                                       vmax=fmt_number(2_000_000)))
    return None


def shown(value: float, raw: object = None) -> str:
    """A value in a message: Norwegian format (core.fmt), with the cell as the file wrote it when that
    differs, so it can be found there: «173,3 (i filen «173.3»)»."""
    text = fmt_number(value, 6, trim=True)
    if isinstance(raw, str) and raw.strip() and sanitize(raw) != text:
        return t("{value} (i filen «{cell}»)", value=text, cell=sanitize(raw))
    return text


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
# The value column of SSB's long CSV is named after the table's contents (casefolded)
SSB_VALUE_NAMES = {"fastlegelister og fastlegekonsultasjoner", "befolkning", "folkemengde",
                   "framskrevet folkemengde 1. januar", "framskrevet folkemengde", "personer1"}
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
    decimal: str | None = "."  # the file's decimal mark (parse_number); JSON-stat numbers are numbers
    warnings: list[Problem] = field(default_factory=list)  # about the file's columns, not an error


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
        # The value column by its name, never by its place: SSB names it after the table (or «value»); a
        # file with one column besides the dimensions has it there. Several candidates: refused, not guessed.
        named = [i for i in rest if _norm(header[i]) in VALUE_NAMES | SSB_VALUE_NAMES]
        value_cols = named if named else rest if len(rest) == 1 else []
        if len(value_cols) != 1:
            candidates = value_cols or rest
            if not candidates:
                return None, [Problem(1, None, t("Fant ingen kolonne med tall ved siden av region, "
                                                 "statistikkvariabel og år."))]
            return None, [Problem(1, None, t(
                "Fant {n} kolonner som kan være tallkolonnen: {columns}. Et SSB-uttrekk har én tallkolonne. Gi "
                "tallkolonnen navnet «verdi», eller fjern de andre kolonnene, og last opp igjen.",
                n=len(candidates), columns=", ".join(f"«{sanitize(header[i])}»" for i in candidates)))]
        vi = value_cols[0]
        long.columns["value"] = header[vi]
        ignored = [header[i] for i in rest if i != vi]
        long.warnings.extend(Problem(1, name, t("Kolonnen er ikke lest: den er verken region, statistikkvariabel, "
                                                "år eller tallkolonnen «{value}».", value=sanitize(header[vi], 60)),
                                     error=False) for name in ignored)
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
    if isinstance(values, list) and len(values) != total:  # a cut-off array: cells would be stored as empty
        return None, [Problem(None, "value", t(
            "JSON-stat-datasettet har {n} verdier, men dimensjonene gir {cells} celler; filen er trolig avkortet "
            "eller satt sammen for hånd. Last ned uttrekket på nytt fra SSB og last opp igjen.",
            n=fmt_number(len(values)), cells=fmt_number(total)))]
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
        raw = rec.get("value")
        value, reason, message = parse_cell(raw, long.decimal)
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
            label = t(METRICS_BY_NAME[metric].label)
            doubt = whole_doubt(raw, long.decimal) if metric in WHOLE_METRICS else None
            if doubt:
                problems.append(Problem(line, vcol, doubt))
                continue
            if value is not None and metric in WHOLE_METRICS and not float(value).is_integer():
                problems.append(Problem(line, vcol, t(
                    "{value} er ikke et helt tall, men «{metric}» er et antall. Står punktum eller komma for "
                    "tusenskille, skriv tallet uten skilletegn.", value=shown(value, raw), metric=label)))
                continue
            if not in_range(value, vmax):
                problems.append(Problem(line, vcol, t("{value} er utenfor gyldig område for «{metric}» ({vmax}).",
                                                      value=shown(value, raw), metric=label,
                                                      vmax=f"0–{fmt_number(vmax)}")))
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
                problems.append(Problem(line, vcol, t("{value} er et negativt folketall.", value=shown(value, raw))))
                continue
            if problem := _population_problem(line, vcol, raw, value, long.decimal):
                problems.append(problem)
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
            if problem := _population_problem(line, vcol, raw, value, long.decimal):
                problems.append(problem)
                continue
            row.update(sex=sex, age=age, population=value)
        key = tuple(row.get(k) for k in KEYS[dataset])
        if key in seen:
            problems.append(Problem(line, None, t("Raden er en dublett av rad {first} (samme {keys}).",
                                                  first=seen[key], keys=t(DUPLICATE_KEYS[dataset]))))
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
        return failed(t("Filen kunne ikke leses, og ingenting er lagret. Sjekk at det er et uttrekk fra SSBs statistikkbank "
                        "(CSV eller JSON-stat 2), last det ned på nytt og prøv igjen; hjelper ikke det, send filen til "
                        "den som drifter Legeplan (teknisk årsak: {error}).",
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
        except RecursionError:
            return failed(t("JSON-filen har for mange nivåer inni hverandre til å være et JSON-stat 2-datasett fra "
                            "SSB. Last ned uttrekket på nytt fra SSB i formatet JSON-stat 2 og last opp igjen."),
                          dataset, "JSON")
        if isinstance(doc, dict) and doc.get("class") != "dataset" and isinstance(doc.get("dataset"), dict):
            doc = doc["dataset"]
        if not isinstance(doc, dict):
            return failed(t("JSON-filen er ikke et JSON-stat 2-datasett."), dataset, "JSON")
        long, problems = _jsonstat_to_long(doc)
        read_problems = []
        fmt = "JSON-stat 2"
    else:
        table = read_csv(text)
        header, rows, delim = table.header, table.rows, table.delimiter
        if not header:
            return failed(t("Filen har ingen kolonneoverskrifter."), dataset)
        long, problems = _csv_to_long(header, rows)
        read_problems = table.problems
        if long is not None:
            long.decimal = DECIMAL_MARK.get(delim)
        fmt = f"CSV ({'semikolon' if delim == ';' else 'komma' if delim == ',' else 'tabulator'}, {encoding})"
    if long is None:
        return Parsed(dataset, empty_frame(dataset), tuple(problems), (), fmt)
    if not long.rows:
        if read_problems:
            return Parsed(dataset, empty_frame(dataset), tuple(read_problems), (), fmt)
        return failed(t("Filen har ingen datarader under overskriftene."), dataset, fmt)
    guessed = _guess_dataset(long)
    dataset = dataset or guessed
    if dataset not in (FASTLEGE, POPULATION, PROJECTION):
        return failed(t("Kjente ikke igjen tabellen: forventet SSB tabell 12005 (fastleger), 07459 "
                       "(folkemengde) eller 14746/14288 (befolkningsframskriving)."), None, fmt)
    frame, problems, notes = _long_to_frame(long, dataset, registry, max_year)
    problems = sorted(long.warnings + read_problems + problems, key=lambda p: (p.row is None, p.row or 0))
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
                     t("Kolonne"): sanitize(p.column, 60) if p.column else "",
                     t("Type"): t("Feil") if p.error else t("Advarsel"), t("Melding"): p.message})
    return rows
