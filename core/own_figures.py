"""The kommune's own figures: the template (CSV or Excel) for offices, lists, waiting list and planned
hjemler, read and checked row by row into the same `Parsed` form as an SSB file (core.ssb_readers).

Pure functions; never an exception on user input. Method in docs/data.md.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

import pandas as pd

from core.fmt import number as fmt_number
from core.i18n import N_, t
from core.params import sanitize
from core.ssb_readers import (
    COLUMNS,
    DECIMAL_MARK,
    KEYS,
    MAX_BYTES,
    OWN,
    Parsed,
    Problem,
    Registry,
    decode,
    empty_frame,
    failed,
    in_range,
    is_excel,
    map_kommune,
    parse_cell,
    parse_year,
    read_csv,
    shown,
    whole_doubt,
)

EXCEL_SUPPORTED = True  # the own-figures template can be uploaded and downloaded as .xlsx (openpyxl)
TEMPLATE_SHEET = "Egne tall"
MAX_EXCEL_ROWS = 200_000

OWN_KINDS = {
    "kontor": N_("legekontor (antall = fastlegehjemler ved kontoret)"),
    "liste": N_("fastlegeliste (listetak og pasienter)"),
    "venteliste": N_("venteliste (antall = personer som venter på fastlege)"),
    "planlagt_hjemmel": N_("planlagte nye hjemler (antall = nye hjemler det året)"),
}
TEMPLATE_COLUMNS = ("type", "kommunenummer", "år", "kontor", "liste", "listetak", "pasienter", "antall",
                    "merknad")
OWN_LIMITS = {"listetak": 4_000, "pasienter": 5_000, "antall": 1_000_000}


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
        return failed(t("Filen kunne ikke leses, og ingenting er lagret. Bruk malen fra Data-siden og prøv igjen; "
                        "hjelper ikke det, send filen til den som drifter Legeplan (teknisk årsak: {error}).",
                        error=type(exc).__name__),
                     OWN)


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
        return [], [], "", [Problem(None, None, t("Excel-filen kunne ikke åpnes: den er skadet, passordbeskyttet eller "
                                                  "ikke en .xlsx-fil. Lagre den på nytt som Excel-arbeidsbok (.xlsx) "
                                                  "uten passord, helst fra malen, og last opp igjen (teknisk årsak: "
                                                  "{error}).", error=type(exc).__name__))]
    try:
        sheets = list(book.worksheets)
        for sheet in sheets:
            # read-only mode trusts the sheet's <dimension ref>, which a program may write too small (A1:I3
            # over 5 rows: 2 rows read, the rest dropped without a word): read every row and cell there is
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()
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
            beyond = [(position, text) for position, text in enumerate(texts) if position >= len(header) and text]
            if beyond:
                from openpyxl.utils import get_column_letter  # local import: only an Excel upload needs it

                position, text = beyond[0]
                problems.append(Problem(number, header[-1] if header else None, t(
                    "Cellen {cell} («{text}») står til høyre for siste kolonne i overskriften og hører ikke til noen "
                    "kolonne. Flytt innholdet til «merknad» eller slett det, og last opp igjen.",
                    cell=f"{get_column_letter(position + 1)}{number}", text=sanitize(text))))
                continue
            if any(texts):
                rows.append((number, texts))
        return header, rows, chosen.title, problems
    finally:
        book.close()


def _parse_own(data: bytes, kommuner: pd.DataFrame) -> Parsed:
    if len(data) > MAX_BYTES:
        return failed(t("Filen er for stor ({size} MB). Største tillatte størrelse er {limit} MB.",
                       size=fmt_number(len(data) / 1e6), limit=fmt_number(MAX_BYTES / 1e6)), OWN)
    if not data.strip():
        return failed(t("Filen er tom."), OWN)
    read_problems: list[Problem] = []
    if is_excel(data):
        header, rows, sheet, read_problems = read_excel_rows(data)
        decimal: str | None = "."  # a number cell comes as Python's repr; a text cell «27,961» stays ambiguous

        def as_written(cell: str) -> str | None:
            return None  # Excel shows a number in the user's own format: no «as written» to quote
        if not header:
            return Parsed(OWN, empty_frame(OWN), tuple(read_problems) or (Problem(1, None, t(
                "Filen har ingen kolonneoverskrifter.")),), (), "Excel")
        fmt = t("Excel (arket «{sheet}»)", sheet=sanitize(sheet))
    else:
        text, encoding, problem = decode(data)
        if text is None:
            return failed(problem or "", OWN)
        table = read_csv(text, free_text=frozenset({"merknad"}))
        header, rows, delim, read_problems = table.header, table.rows, table.delimiter, table.problems
        decimal = DECIMAL_MARK.get(delim)

        def as_written(cell: str) -> str | None:
            return cell
        fmt = f"CSV ({'semikolon' if delim == ';' else 'komma'}, {encoding})"
    norm = [h.strip().casefold() for h in header]
    missing = [c for c in TEMPLATE_COLUMNS if c not in norm and c != "merknad"]
    if missing:
        return Parsed(OWN, empty_frame(OWN), (Problem(1, None, t("Mangler kolonne(r) {missing}. Bruk malen fra "
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
            value, _, message = parse_cell(cell[c], decimal)
            message = message or whole_doubt(cell[c], decimal)
            if message:
                problems.append(Problem(line, c, message))
                bad = True
            elif value is not None and not float(value).is_integer():
                problems.append(Problem(line, c, t("{value} er ikke et helt tall; «{column}» er et antall. Står "
                                                   "punktum eller komma for tusenskille, skriv tallet uten "
                                                   "skilletegn.", value=shown(value, as_written(cell[c])), column=c)))
                bad = True
            elif not in_range(value, OWN_LIMITS[c], integer=True):
                problems.append(Problem(line, c, t("{value} er utenfor gyldig område (helt tall 0–{limit}).",
                                                   value=shown(value, as_written(cell[c])),
                                                   limit=fmt_number(OWN_LIMITS[c], group=" "))))
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
