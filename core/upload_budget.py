"""A budget per upload: how much one file may ask of the server, checked before and during parsing.

Every limit is in `Budget` (one place; `BUDGET` is the one in force). An upload is refused, with a
Norwegian message saying what is too large and what to do, and nothing stored:

- before reading (`check_before`, called at the entry of core.import_store.parse_upload): the file's
  size (the importer's 20 MB, also Streamlit's server.maxUploadSize in .streamlit/config.toml); a text
  file's line count and its longest cell; a JSON-stat file's declared size (the product of its
  dimension sizes) before anything is expanded; an .xlsx file's zip directory (entries, uncompressed
  size of each sheet, of sharedStrings and of the whole) and each sheet's declared and real cell count,
  before openpyxl opens it (a 1 MB file can hold a 1 GB cell);
- during parsing (`parse_isolated`, used by the Data page and the command-line importer): the parse
  runs in a child process with a time budget and an address-space limit (resource.RLIMIT_AS), so a
  runaway parse is stopped and an allocation failure (C++ std::bad_alloc aborts a process) ends the
  child, never the server; the script thread waits on a pipe without holding the GIL, so other
  sessions stay fast. The result is checked for its row count and cell length (`check_parsed`).

Pure Python (no streamlit). Measured cost and the choices: docs/robusthet.md, «Budsjett per opplasting».
"""

from __future__ import annotations

import csv
import io
import json
import math
import multiprocessing
import re
import sys
import threading
import types
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import numpy as np
import pandas as pd

from core.fmt import number as fmt_number
from core.i18n import maalform, set_maalform, t
from core.params import sanitize
from core.ssb_readers import MAX_BYTES, Parsed, Problem, empty_frame, is_excel


@dataclass(frozen=True)
class Budget:
    """What one upload may use. Sizes in bytes or cells, time in seconds."""

    upload_bytes: int = MAX_BYTES  # the importer's limit; .streamlit/config.toml says the same in MB
    rows: int = 1_000_000  # lines of a text file, rows of a sheet, rows read (07459 for every kommune: ~760 000)
    cell_chars: int = 10_000  # characters in one cell (a note, a name)
    jsonstat_cells: int = 1_000_000  # declared cells of a JSON-stat dataset (product of the dimension sizes)
    xlsx_entries: int = 1_000  # files in the .xlsx zip
    xlsx_uncompressed_bytes: int = 150_000_000  # the whole workbook unpacked
    xlsx_sheet_bytes: int = 100_000_000  # one sheet's XML unpacked
    xlsx_shared_strings_bytes: int = 20_000_000  # sharedStrings.xml unpacked (openpyxl holds it all in memory)
    xlsx_sheet_cells: int = 2_000_000  # declared (<dimension ref>) or real cells in one sheet
    seconds: float = 60.0  # a parse in the child process; the largest good file takes well under half of it
    memory_bytes: int = 2_000_000_000  # address space the child may add to what it starts with


BUDGET = Budget()
Parse = Callable[[bytes, str, pd.DataFrame, "str | None"], Parsed]  # core.import_store.parse_upload


def _mb(n: float) -> str:
    return fmt_number(n / 1e6, 1, trim=True)


def _failed(message: str, dataset: str | None = None, fmt: str = "") -> Parsed:
    return Parsed(dataset, empty_frame(dataset), (Problem(None, None, message),), (), fmt)


# --- before reading ---------------------------------------------------------------------------------

def check_before(data: bytes, budget: Budget = BUDGET) -> Problem | None:
    """The first limit a file breaks, as a Problem with a Norwegian message, or None; reads no more
    of the file than the check needs (zip directory, the head of each sheet, line ends)."""
    if len(data) > budget.upload_bytes:
        return Problem(None, None, t("Filen er for stor ({size} MB). Største tillatte størrelse er {limit} MB; del "
                                     "uttrekket i flere filer.", size=_mb(len(data)), limit=_mb(budget.upload_bytes)))
    if data.startswith(b"PK\x03\x04"):
        return _check_xlsx(data, budget)
    if is_excel(data):
        return None  # .xls: the reader refuses it with its own message
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return _check_jsonstat(data, budget)
    return _check_text(data, budget)


def _check_text(data: bytes, budget: Budget) -> Problem | None:
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    lines = len(ends) + (0 if data.endswith(b"\n") else 1)
    if lines > budget.rows + 1:  # + the header
        return Problem(None, None, t("Filen har {n} linjer; en fil kan ha høyst {limit} rader. Del uttrekket i "
                                     "flere filer (for eksempel færre år eller kommuner per fil).",
                                     n=fmt_number(lines), limit=fmt_number(budget.rows)))
    if not len(data):
        return None
    bounds = np.concatenate(([-1], ends, [len(data)]))
    lengths = np.diff(bounds) - 1
    for index in np.flatnonzero(lengths > budget.cell_chars)[:50]:  # a long line: look at its cells
        start, stop = int(bounds[index]) + 1, int(bounds[index + 1])
        line = data[start:stop].decode("utf-8", errors="replace")
        delimiter = max((";", ",", "\t"), key=line.count)
        cells = _cells(line, delimiter)
        for column, cell in enumerate(cells, start=1):
            if len(cell) > budget.cell_chars:
                return _long_cell(int(index) + 1, str(column), len(cell), budget)
    return None


def _cells(line: str, delimiter: str) -> list[str]:
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(2**31 - 1)
        return next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
    except csv.Error:
        return [line]
    finally:
        csv.field_size_limit(limit)


def _long_cell(row: int | None, column: str | None, length: int, budget: Budget) -> Problem:
    return Problem(row, column, t("Cellen har {n} tegn; en celle kan ha høyst {limit} tegn. Kort ned teksten og "
                                  "last opp filen på nytt.", n=fmt_number(length), limit=fmt_number(budget.cell_chars)))


def _check_jsonstat(data: bytes, budget: Budget) -> Problem | None:
    """A JSON-stat dataset's declared size (product of «size») before any cell is expanded."""
    try:
        doc = json.loads(data.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError):
        return None  # not JSON: the reader says so with the line
    if isinstance(doc, dict) and doc.get("class") != "dataset" and isinstance(doc.get("dataset"), dict):
        doc = doc["dataset"]
    sizes = doc.get("size") if isinstance(doc, dict) else None
    if not isinstance(sizes, list):
        return None
    try:
        numbers = [int(s) for s in sizes]
    except (TypeError, ValueError, OverflowError):
        return None
    if any(n < 0 for n in numbers):
        return Problem(None, None, t("JSON-stat-filen oppgir en negativ dimensjonsstørrelse («size»); filen er "
                                     "ikke et gyldig uttrekk fra SSB."))
    cells = math.prod(numbers)
    if cells > budget.jsonstat_cells:
        return Problem(None, None, t("JSON-stat-filen oppgir {cells} celler ({sizes}); en fil kan ha høyst {limit}. "
                                     "Del uttrekket i flere filer (for eksempel færre år eller kommuner per fil).",
                                     cells=fmt_number(cells), sizes=" × ".join(fmt_number(n) for n in numbers[:8]),
                                     limit=fmt_number(budget.jsonstat_cells)))
    return None


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Za-z]{1,3})(\d{1,7})(?::([A-Za-z]{1,3})(\d{1,7}))?\"")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"[^>]*?\br:id=\"([^\"]*)\"")
_REL = re.compile(rb"<Relationship\b[^>]*?\bId=\"([^\"]*)\"[^>]*?\bTarget=\"([^\"]*)\"")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _sheet_names(book: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Sheet XML path → the sheet's name in Excel, where workbook.xml and its rels say it."""
    out: dict[str, str] = {}
    try:
        if "xl/workbook.xml" in names and "xl/_rels/workbook.xml.rels" in names:
            sheets = _SHEET.findall(book.read("xl/workbook.xml")[:1_000_000])
            rels = dict(_REL.findall(book.read("xl/_rels/workbook.xml.rels")[:1_000_000]))
            for name, rid in sheets:
                target = rels.get(rid, b"").decode("utf-8", errors="replace").lstrip("/")
                path = target if target.startswith("xl/") else f"xl/{target}"
                out[path] = name.decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, KeyError):
        pass
    return out


def _check_xlsx(data: bytes, budget: Budget) -> Problem | None:
    """An .xlsx workbook's zip directory and sheets against the budget, before openpyxl opens it."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        infos = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
        return None  # not a readable zip: the reader says so
    if len(infos) > budget.xlsx_entries:
        return Problem(None, None, t("Excel-filen består av {n} deler; en arbeidsbok fra malen har under {limit}. "
                                     "Bruk malen fra Data-siden.", n=fmt_number(len(infos)),
                                     limit=fmt_number(budget.xlsx_entries)))
    too_big = t("Excel-filen er {size} MB utpakket; grensen er {limit} MB. Fjern store celler, bilder eller ark "
                "og last opp på nytt, eller lagre arket som CSV.")
    total = sum(i.file_size for i in infos)
    if total > budget.xlsx_uncompressed_bytes:
        return Problem(None, None, too_big.format(size=_mb(total), limit=_mb(budget.xlsx_uncompressed_bytes)))
    names = {i.filename for i in infos}
    sheet_names = _sheet_names(book, names)
    for info in infos:
        path = info.filename
        if path.casefold().endswith("sharedstrings.xml") and info.file_size > budget.xlsx_shared_strings_bytes:
            return Problem(None, None, t("Tekstene i Excel-filen er til sammen {size} MB utpakket; grensen er {limit} MB. "
                                         "Kort ned lange tekster (for eksempel merknader) og last opp på nytt.",
                                         size=_mb(info.file_size), limit=_mb(budget.xlsx_shared_strings_bytes)))
        if not path.startswith("xl/worksheets/") or not path.endswith(".xml"):
            continue
        sheet = sanitize(sheet_names.get(path, path.rsplit("/", 1)[-1]))
        if info.file_size > budget.xlsx_sheet_bytes:
            return Problem(None, None, t("Arket «{sheet}» er {size} MB utpakket; grensen er {limit} MB. Fjern store "
                                         "celler eller del arket og last opp på nytt.", sheet=sheet,
                                         size=_mb(info.file_size), limit=_mb(budget.xlsx_sheet_bytes)))
        problem = _check_sheet(book, info, sheet, budget)
        if problem:
            return problem
    return None


def _check_sheet(book: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, budget: Budget) -> Problem | None:
    """A sheet's declared extent (<dimension ref>) and its real cell count (streamed, never held)."""
    cells, head, tail = 0, b"", b""
    try:
        with book.open(info) as stream:
            while chunk := stream.read(1 << 20):
                if len(head) < 65536:
                    head += chunk[:65536]
                block = tail + chunk
                cells += block.count(b"<c ") + block.count(b"<c>") - tail.count(b"<c ") - tail.count(b"<c>")
                tail = block[-3:]
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
        return None  # a broken entry: openpyxl says so
    m = _DIMENSION.search(head)
    if m:
        first_col, first_row = _column_number(m.group(1)), int(m.group(2))
        last_col = _column_number(m.group(3)) if m.group(3) else first_col
        last_row = int(m.group(4)) if m.group(4) else first_row
        rows, cols = abs(last_row - first_row) + 1, abs(last_col - first_col) + 1
        if rows * cols > budget.xlsx_sheet_cells or rows > budget.rows:
            return Problem(None, None, t("Arket «{sheet}» oppgir at det bruker {rows} rader × {cols} kolonner "
                                         "({cells} celler); grensen er {limit} celler. Slett tomme rader og kolonner "
                                         "nederst og til høyre i arket (eller kopier tallene til malen) og last opp "
                                         "på nytt.", sheet=sheet, rows=fmt_number(rows), cols=fmt_number(cols),
                                         cells=fmt_number(rows * cols), limit=fmt_number(budget.xlsx_sheet_cells)))
    if cells > budget.xlsx_sheet_cells:
        return Problem(None, None, t("Arket «{sheet}» har {cells} celler; grensen er {limit}. Del arket i flere filer "
                                     "og last opp på nytt.", sheet=sheet, cells=fmt_number(cells),
                                     limit=fmt_number(budget.xlsx_sheet_cells)))
    return None


# --- after parsing: rows and cells of the result ------------------------------------------------------

def check_parsed(parsed: Parsed, budget: Budget = BUDGET) -> Parsed:
    """The parse itself if its rows and cells are within the budget; else a refusal naming row and column."""
    frame = parsed.frame
    if len(frame) > budget.rows:
        return _failed(t("Filen gir {n} rader; en fil kan ha høyst {limit}. Del uttrekket i flere filer.",
                         n=fmt_number(len(frame)), limit=fmt_number(budget.rows)), parsed.dataset, parsed.file_format)
    for column in frame.columns:
        values = frame[column]
        if values.empty or pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        lengths = values.map(lambda v: len(v) if isinstance(v, str) else 0)
        if int(lengths.max()) > budget.cell_chars:
            at = int(lengths.to_numpy().argmax())
            row = frame["source_row"].iloc[at] if "source_row" in frame.columns else None
            problem = _long_cell(None if pd.isna(row) else int(row), str(column), int(lengths.iloc[at]), budget)
            return Parsed(parsed.dataset, empty_frame(parsed.dataset), (problem,), (), parsed.file_format)
    return parsed


# --- during parsing: a child process with a time and memory budget -------------------------------------

_CONTEXT: Any = None
_OUT_OF_MEMORY = (-6, -9, 1)  # SIGABRT (std::bad_alloc), SIGKILL (the kernel's OOM killer), exit 1: a
# MemoryError where the child could not catch it (sending the result); every other exception is caught


def _context() -> Any:
    """The forkserver context: children fork from a clean one-thread server (never from the Streamlit
    server with its threads), with core.import_store already imported, so a parse starts in milliseconds."""
    global _CONTEXT  # noqa: PLW0603 - one context per process
    if _CONTEXT is None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["core.import_store", "core.upload_budget"])
        _CONTEXT = ctx
    return _CONTEXT


def _address_space() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _child(conn: Connection, parse: Parse, data: bytes, filename: str, kommuner: pd.DataFrame,
           dataset: str | None, code: str, budget: Budget) -> None:
    """In the child: limit the address space, parse, check, send the result back."""
    import resource

    limit = _address_space() + budget.memory_bytes
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass
    set_maalform(code)
    try:
        parsed = check_parsed(parse(data, filename, kommuner, dataset), budget)
        if any("MemoryError" in p.message for p in parsed.problems):
            parsed = _failed(_memory_message(budget), dataset, parsed.file_format)
    except MemoryError:
        parsed = _failed(_memory_message(budget), dataset)
    except Exception:  # noqa: BLE001 - the readers never raise on user input; if one does, say so in Norwegian
        parsed = _failed(_unexpected_message(), dataset)
    conn.send(parsed)
    conn.close()


def _unexpected_message() -> str:
    return t("Lesingen av filen stoppet uventet; ingenting er lagret. Sjekk at filen er et uttrekk fra SSB eller "
             "malen fra Data-siden, og last den opp på nytt.")


def _memory_message(budget: Budget) -> str:
    return t("Filen krever mer minne enn en opplasting kan bruke ({limit} MB); ingenting er lagret. Del filen i "
             "flere mindre filer, eller se etter svært store celler.", limit=_mb(budget.memory_bytes))


def _time_message(budget: Budget) -> str:
    return t("Det tok for lang tid å lese filen (over {seconds} sekunder), og lesingen ble stoppet; ingenting er "
             "lagret. Del filen i flere mindre filer og last dem opp hver for seg.",
             seconds=fmt_number(budget.seconds, 1, trim=True))


_STARTING = threading.Lock()
_NO_MAIN = types.ModuleType("__main__")  # no __file__, no __spec__: nothing for the child to run


def _start(process: Any) -> None:
    """Start the child without the caller's main script: multiprocessing makes a child import the
    `__main__` module again, and under Streamlit that is the page script being run (ScriptRunner puts it
    in sys.modules['__main__']), which would run the whole app in the child. For the few milliseconds of
    the start the main module is a blank one; put back unless another thread has set its own meanwhile."""
    with _STARTING:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = _NO_MAIN
        try:
            process.start()
        finally:
            if sys.modules.get("__main__") is _NO_MAIN:
                if main is None:
                    del sys.modules["__main__"]
                else:
                    sys.modules["__main__"] = main


def parse_isolated(parse: Parse, data: bytes, filename: str, kommuner: pd.DataFrame, dataset: str | None = None,
                   budget: Budget = BUDGET) -> Parsed:
    """`parse(data, filename, kommuner, dataset)` (core.import_store.parse_upload: a module-level function,
    sent to the child by name) in a child process within the budget.

    Refused before a process starts when `check_before` finds a limit broken; a child that runs past
    `budget.seconds` is killed, one that dies (out of memory: MemoryError or std::bad_alloc) is reported;
    either way a Norwegian message and no rows, never an exception and never a dead server.
    """
    problem = check_before(data, budget)
    if problem:
        return Parsed(dataset, empty_frame(dataset), (problem,))
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(send, parse, data, filename, kommuner, dataset, maalform(), budget),
                          daemon=True, name="legeplan-parse")
    try:
        _start(process)
    except OSError:  # no processes to spare: parse here, still with the checks before and after
        return check_parsed(parse(data, filename, kommuner, dataset), budget)
    send.close()
    try:
        if not receive.poll(budget.seconds):
            return _failed(_time_message(budget), dataset)
        try:
            return receive.recv()
        except (EOFError, OSError):  # the child died before it answered
            process.join(5)
            if process.exitcode in _OUT_OF_MEMORY:
                return _failed(_memory_message(budget), dataset)
            return _failed(_unexpected_message(), dataset)
    finally:
        receive.close()
        if process.is_alive():
            process.kill()
        process.join(5)
