"""The budget per upload (core.upload_budget, issue 24 findings 6–9): generated hostile files – a JSON-stat
file declaring 5 million cells, .xlsx files with a huge cell, a huge note, a huge declared extent and too
many real cells, a CSV with too many rows, one with a huge cell, one of unknown regions – each refused with
a Norwegian message naming what is too large, within a generous time guard, in a process whose address
space is limited, with both databases byte for byte unchanged; a runaway parse stopped by the time budget
and a greedy one by the memory budget, the server process untouched; Streamlit's server limit equal to
the importer's."""

from __future__ import annotations

import io
import json
import os
import re
import resource
import subprocess
import sys
import time
import tomllib
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from openpyxl import Workbook

from core import db, own_figures, upload_budget, userdb
from core import import_store as store
from core import ssb_readers as ssb
from core.i18n import in_maalform
from tests.test_importers import file_state

ROOT = Path(__file__).resolve().parents[1]
GUARD_SECONDS = 20.0  # generous: each refusal takes well under a second (bench/upload_budget.py)
HEADER = "region;statistikkvariabel;år;value\n"


@pytest.fixture(scope="module")
def kommuner(con):
    return db.query(con, "SELECT * FROM kommune")


# --- hostile files, generated ---------------------------------------------------------------------

def jsonstat_bomb() -> bytes:
    """15 KB declaring 1 000 regions × 50 statistics variables × 100 years (finding 6: 15 minutes, 1,9 GB)."""
    doc = {"version": "2.0", "class": "dataset", "id": ["Region", "ContentsCode", "Tid"], "size": [1000, 50, 100],
           "dimension": {"Region": {"category": {"index": {f"{i:04d}": i for i in range(1000)}}},
                         "ContentsCode": {"category": {"index": {f"KOS{i}": i for i in range(50)}}},
                         "Tid": {"category": {"index": {str(1926 + i): i for i in range(100)}}}},
           "value": []}
    return json.dumps(doc).encode()


def xlsx(sheet_body: Callable[[Callable[[bytes], None]], None], dimension: str | None = None,
         shared: Iterable[bytes] = ()) -> bytes:
    """A minimal workbook whose one sheet's <sheetData> and sharedStrings are streamed in by the caller."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument'
                   '.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
                   '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName='
                   '"/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
                   '.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships"><sheets><sheet name="Egne tall" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for chunk in shared:
                f.write(chunk)
            f.write(b"</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                    b'main">' + (f'<dimension ref="{dimension}"/>'.encode() if dimension else b"") + b"<sheetData>")
            sheet_body(f.write)
            f.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _header_row(write: Callable[[bytes], None]) -> None:
    cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>'
                    for i, name in enumerate(own_figures.TEMPLATE_COLUMNS))
    write(f'<row r="1">{cells}</row>'.encode())


def xlsx_huge_cell(megabytes: int = 256) -> bytes:
    """A cell of `megabytes` MB in a file of about a megabyte (finding 7: 1 GB aborted the server)."""
    def body(write: Callable[[bytes], None]) -> None:
        _header_row(write)
        write(b'<row r="2"><c r="I2" t="inlineStr"><is><t>')
        chunk = b"A" * (1 << 20)
        for _ in range(megabytes):
            write(chunk)
        write(b"</t></is></c></row>")
    return xlsx(body)


def xlsx_huge_note(megabytes: int = 60) -> bytes:
    """A note of `megabytes` MB as a shared string (finding 7: 200 MB broke the page, English MessageSizeError)."""
    def body(write: Callable[[bytes], None]) -> None:
        _header_row(write)
        write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>venteliste</t></is></c><c r="I2" t="s"><v>0</v></c></row>')
    return xlsx(body, shared=[b"<si><t>", *(b"n" * (1 << 20) for _ in range(megabytes)), b"</t></si>"])


def xlsx_declared_extent() -> bytes:
    """Two cells, but <dimension ref="A1:XFD2000">: 2 000 × 16 384 cells (finding 7: past 25 s)."""
    return xlsx(_header_row, dimension="A1:XFD2000")


def xlsx_many_cells(rows: int, cols: int) -> bytes:
    """A sheet of rows × cols real cells and no <dimension>."""
    def body(write: Callable[[bytes], None]) -> None:
        _header_row(write)
        for r in range(2, rows + 2):
            write(f'<row r="{r}">'.encode() + b"".join(b"<c><v>1</v></c>" for _ in range(cols)) + b"</row>")
    return xlsx(body)


def csv_many_rows() -> bytes:
    """One row over the budget's rows (11 MB)."""
    return (HEADER + "4631;a;2025;1\n" * (upload_budget.BUDGET.rows + 1)).encode()


def csv_long_cell() -> bytes:
    return (HEADER + "4631;Antall fastlegeavtaler;2025;30\n" + "4631;" + "x" * 20_000 + ";2025;31\n").encode()


def csv_unknown_regions(rows: int = 200_000) -> bytes:
    """Regions no kommune has (finding 6: 2,6 ms each; 20 MB of them took ~38 minutes)."""
    return (HEADER + "".join(f"Ukjent sted {i};Antall fastlegeavtaler;2025;{i % 90}\n" for i in range(rows))).encode()


HOSTILE: dict[str, tuple[Callable[[], bytes], str, str]] = {  # name → (file, file name, what the message says)
    "jsonstat_bomb": (jsonstat_bomb, "12005.json", r"JSON-stat-filen oppgir 5\s000\s000 celler \(1\s000 × 50 × 100\)"),
    "xlsx_huge_cell": (xlsx_huge_cell, "egne.xlsx", r"Excel-filen er 268,4 MB utpakket; grensen er 150 MB"),
    "xlsx_huge_note": (xlsx_huge_note, "egne.xlsx", r"Tekstene i Excel-filen er til sammen 62,9 MB utpakket"),
    "xlsx_declared_extent": (xlsx_declared_extent, "egne.xlsx",
                             r"Arket «Egne tall» oppgir at det bruker 2\s000 rader × 16\s384 kolonner"),
    "csv_many_rows": (csv_many_rows, "12005.csv", r"Filen har 1\s000\s00[23] linjer; en fil kan ha høyst 1\s000\s000"),
    "csv_long_cell": (csv_long_cell, "12005.csv", r"Rad 3, kolonne «2»: Cellen har 20\s000 tegn"),
    "csv_unknown_regions": (csv_unknown_regions, "12005.csv",
                            r"Rad 2, kolonne «region»: «Ukjent sted 0» er ikke et kommunenummer"),
}

ENGLISH = re.compile(r"Error|Exception|bad_alloc|MessageSize|\bfile\b|\btoo\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for name, (make, file_name, _) in HOSTILE.items():
        path = folder / name / file_name
        path.parent.mkdir()
        path.write_bytes(make())
        paths[name] = path
    return paths


def _texts(parsed: ssb.Parsed) -> str:
    return " | ".join(p.text() for p in parsed.problems)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_refused_in_norwegian_within_guard(name, hostile_files, kommuner):
    path = hostile_files[name]
    data = path.read_bytes()
    assert len(data) <= upload_budget.BUDGET.upload_bytes  # each fits the upload limit: the budget must catch it
    start = time.monotonic()
    parsed = store.parse_upload(data, path.name, kommuner)
    elapsed = time.monotonic() - start
    assert elapsed < GUARD_SECONDS, f"{name}: {elapsed:.1f} s"
    assert not parsed.ok and parsed.errors and parsed.frame.empty
    text = _texts(parsed)
    assert re.search(HOSTILE[name][2], text), text
    assert not ENGLISH.search(text), text
    with in_maalform("nn"):  # the same refusal in nynorsk
        nynorsk = _texts(store.parse_upload(data, path.name, kommuner))
    assert nynorsk != text and not ENGLISH.search(nynorsk)


def test_refusals_before_reading_cost_no_parse(kommuner):
    """The pre-read checks refuse the bombs in milliseconds, not after expanding them."""
    for make in (jsonstat_bomb, xlsx_declared_extent):
        data = make()
        start = time.monotonic()
        problem = upload_budget.check_before(data)
        assert problem is not None
        assert time.monotonic() - start < 2.0


def test_real_cells_counted_when_no_extent_is_declared(kommuner):
    small = upload_budget.Budget(xlsx_sheet_cells=5_000)
    problem = upload_budget.check_before(xlsx_many_cells(100, 100), small)
    assert problem is not None and "har 10\u00a0009 celler; grensen er 5\u00a0000" in problem.text()
    assert upload_budget.check_before(xlsx_many_cells(10, 9), small) is None


def test_good_files_pass_the_budget(kommuner):
    good = (HEADER + "4631;Antall fastlegeavtaler;2025;30\n").encode()
    assert upload_budget.check_before(good) is None
    assert upload_budget.check_before(own_figures.template_xlsx()) is None
    assert upload_budget.check_before(own_figures.template_csv()) is None
    parsed = upload_budget.parse_isolated(store.parse_upload, good, "12005.csv", kommuner)
    assert parsed.ok and parsed.frame["value"].tolist() == [30.0]
    in_process = store.parse_upload(good, "12005.csv", kommuner)
    assert parsed.frame.equals(in_process.frame) and parsed.problems == in_process.problems


def test_long_cell_inside_a_workbook_refused_after_parsing_with_row_and_column(kommuner):
    """A 15 000-character note passes the size checks (the workbook is small); the parsed rows are checked."""
    book = Workbook()
    sheet = book.active
    sheet.title = own_figures.TEMPLATE_SHEET
    sheet.append(list(own_figures.TEMPLATE_COLUMNS))
    sheet.append(["venteliste", 4631, 2025, None, None, None, None, 412, "n" * 15_000])
    out = io.BytesIO()
    book.save(out)
    parsed = upload_budget.parse_isolated(store.parse_upload, out.getvalue(), "egne.xlsx", kommuner)
    assert not parsed.ok
    assert "Rad 2, kolonne «note»: Cellen har 15\u00a0000 tegn" in _texts(parsed)


def test_runaway_parse_stopped_by_the_time_budget(kommuner):
    """A parse over its time budget is killed in its child process; the caller gets a message at once."""
    data = (HEADER + "".join(f"4631;Antall fastlegeavtaler;{1990 + i % 30};{i % 90}\n" for i in range(400_000))).encode()
    start = time.monotonic()
    parsed = upload_budget.parse_isolated(store.parse_upload, data, "12005.csv", kommuner,
                                          budget=upload_budget.Budget(seconds=0.5))
    assert time.monotonic() - start < 10
    assert not parsed.ok and "Det tok for lang tid å lese filen (over 0,5 sekunder)" in _texts(parsed)


def test_greedy_parse_stopped_by_the_memory_budget(kommuner):
    """A child that needs more memory than its budget dies or fails alone; this process goes on."""
    data = (HEADER + "".join(f"4631;Antall fastlegeavtaler;{1990 + i % 30};{i % 90}\n" for i in range(400_000))).encode()
    parsed = upload_budget.parse_isolated(store.parse_upload, data, "12005.csv", kommuner,
                                          budget=upload_budget.Budget(memory_bytes=30_000_000))
    assert not parsed.ok
    assert "Filen krever mer minne enn en opplasting kan bruke (30 MB)" in _texts(parsed)
    good = (HEADER + "4631;Antall fastlegeavtaler;2025;30\n").encode()
    again = upload_budget.parse_isolated(store.parse_upload, good, "ok.csv", kommuner)
    assert again.ok


def _limit_address_space() -> None:  # runs in the command-line importer's process before it starts
    limit = 4 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.parametrize("name", list(HOSTILE))
def test_command_line_refuses_hostile_file_with_databases_unchanged(name, hostile_files, tmp_path):
    """tools.importer in its own process with a 4 GB address-space limit: exit 1, a Norwegian message,
    the statistics database and the user database byte for byte unchanged."""
    user_path = tmp_path / "bruker.duckdb"
    with db.connect_user(user_path) as con:
        userdb.ensure(con)
    stats_path = ROOT / "data" / "legeplan.duckdb"
    before = file_state(user_path), file_state(stats_path)
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "tools.importer", str(hostile_files[name])], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, preexec_fn=_limit_address_space,
                          env={**os.environ, "LEGEPLAN_USER_DB": str(user_path)}, check=False)
    assert time.monotonic() - start < GUARD_SECONDS + 10  # + the interpreter's start
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert re.search(HOSTILE[name][2], out), out
    assert "Ingenting er lagret." in out and "Traceback" not in out
    assert (file_state(user_path), file_state(stats_path)) == before


def test_server_upload_limit_equals_the_importers():
    """Finding 9: the 20 MB limit was the browser's only. Streamlit's server.maxUploadSize (MB of 2^20 bytes)
    is the importer's limit, so the server refuses a larger body itself, and the importer's check covers the
    few bytes between 20 000 000 and 20 × 2^20."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    limit_mb = config["server"]["maxUploadSize"]
    assert limit_mb == upload_budget.BUDGET.upload_bytes // 1_000_000 == ssb.MAX_BYTES // 1_000_000
    assert upload_budget.BUDGET.upload_bytes <= limit_mb * 2**20 < upload_budget.BUDGET.upload_bytes * 1.05


def _raising_parse(data: bytes, filename: str, kommuner, dataset) -> ssb.Parsed:
    raise KeyError("a reader bug")


def _aborting_parse(data: bytes, filename: str, kommuner, dataset) -> ssb.Parsed:
    os.abort()  # what std::bad_alloc does to a process (finding 7: it took the whole server down)


def test_a_crash_in_the_parse_ends_the_child_only(kommuner):
    """A reader that raises, and one that aborts the process as std::bad_alloc does: a Norwegian message each,
    and this process (the server) goes on and parses the next file."""
    good = (HEADER + "4631;Antall fastlegeavtaler;2025;30\n").encode()
    raised = upload_budget.parse_isolated(_raising_parse, good, "12005.csv", kommuner)
    assert not raised.ok and "Lesingen av filen stoppet uventet; ingenting er lagret" in _texts(raised)
    aborted = upload_budget.parse_isolated(_aborting_parse, good, "12005.csv", kommuner)
    assert not aborted.ok and "Filen krever mer minne enn en opplasting kan bruke" in _texts(aborted)
    assert not ENGLISH.search(_texts(raised) + _texts(aborted))
    assert upload_budget.parse_isolated(store.parse_upload, good, "12005.csv", kommuner).ok
