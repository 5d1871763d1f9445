"""The own-figures template as Excel (.xlsx written by openpyxl): the download, an upload read like the CSV
(same rows, same row numbers), and bad workbooks – wrong sheet, missing column, text in a number cell, a
formula, formula-looking text, the old .xls format, a broken file – each with its message and the user
database byte for byte unchanged."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from core import db, own_figures, userdb
from core import import_store as store
from core import ssb_readers as ssb
from tests.test_importers import file_state
from tests.test_own_figures import template_csv, template_rows


@pytest.fixture(scope="module")
def kommuner(con):
    return db.query(con, "SELECT * FROM kommune")


@pytest.fixture
def user(tmp_path, monkeypatch):
    path = tmp_path / "bruker.duckdb"
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(path))
    con = db.connect_user(path)
    userdb.ensure(con)
    yield con
    con.close()


def _number(text: str) -> object:
    """A template cell as Excel would hold it: numbers as numbers, the rest as text, empty as nothing."""
    if text == "":
        return None
    return int(text) if text.isdigit() else text


def workbook(rows: list[list[object]], header: list[str] | None = None, sheet: str = own_figures.TEMPLATE_SHEET,
             extra_first: bool = False) -> bytes:
    book = Workbook()
    if extra_first:  # a cover sheet before the template's sheet
        book.active.title = "Forside"
        book.active.append(["Fastlegeplan for Alver"])
        ws = book.create_sheet(sheet)
    else:
        ws = book.active
        ws.title = sheet
    ws.append(header or list(own_figures.TEMPLATE_COLUMNS))
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def alver_rows() -> list[list[object]]:
    return [[_number(c) for c in r] for r in template_rows()]


def test_excel_upload_reads_as_the_csv(kommuner):
    data = workbook(alver_rows(), extra_first=True)
    assert data.startswith(b"PK\x03\x04")
    parsed = store.parse_upload(data, "egne_tall_alver.xlsx", kommuner)
    assert parsed.ok, [p.text() for p in parsed.problems]
    assert parsed.dataset == ssb.OWN and parsed.file_format == "Excel (arket «Egne tall»)"
    from_csv = store.parse_upload(template_csv(), "egne_tall_alver.csv", kommuner)
    assert len(parsed.frame) == 37  # 3 offices, 31 lists, 1 waiting list, 2 planned
    assert parsed.frame.equals(from_csv.frame)
    assert parsed.frame["list_cap"].sum() == 29600 and parsed.frame["source_row"].max() == 38


def test_the_downloaded_template_filled_in_is_accepted(kommuner, user):
    book = load_workbook(io.BytesIO(own_figures.template_xlsx()))
    assert book.sheetnames == ["Egne tall", "Forklaring"]
    sheet = book["Egne tall"]
    assert [c.value for c in sheet[1]] == list(own_figures.TEMPLATE_COLUMNS)
    assert sheet["D2"].number_format == "@"  # kontor: text, never a formula
    # typed into the first empty rows, as a user would (the text format reaches row 501)
    for row, values in ((2, ["kontor", 4631, 2025, "Knarvik legesenter", None, None, None, 12, "=ikke en formel"]),
                        (3, ["venteliste", 4631, 2025, None, None, None, None, 412, None])):
        for col, value in zip("ABCDEFGHI", values, strict=True):
            sheet[f"{col}{row}"].value = value
    sheet["I2"].data_type = "s"  # a text cell: Excel keeps «=…» typed there as text
    out = io.BytesIO()
    book.save(out)
    parsed = store.parse_upload(out.getvalue(), "mal.xlsx", kommuner)
    # the note typed as text but starting with = is refused like in the CSV
    assert [p.text() for p in parsed.errors] == [
        "Rad 2, kolonne «merknad»: Teksten ser ut som en regnearkformel (begynner med =, +, - eller @) og "
        "godtas ikke."]
    sheet["I2"].value = "vedtatt 2025"
    out = io.BytesIO()
    book.save(out)
    parsed = store.parse_upload(out.getvalue(), "mal.xlsx", kommuner)
    assert parsed.ok and len(parsed.frame) == 2
    batch_id, _ = store.apply(user, parsed, "mal.xlsx", "Alver kommune")
    assert batch_id == 1
    stored = store.imported_own(user, "4631")
    assert stored.set_index("kind").loc["venteliste", "count"] == 412
    assert store.batches(user)["file_format"].iloc[0] == "Excel (arket «Egne tall»)"


def _formula_workbook() -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = own_figures.TEMPLATE_SHEET
    ws.append(list(own_figures.TEMPLATE_COLUMNS))
    ws.append(["venteliste", 4631, 2025, None, None, None, None, "=SUM(1,2)", None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = list(own_figures.TEMPLATE_COLUMNS)
GOOD = ["kontor", 4631, 2025, "Knarvik legesenter", None, None, None, 12, None]
BAD_WORKBOOKS = {
    "feil ark": (lambda: workbook([["a", "b"]], header=["Navn", "Verdi"], sheet="Ark1"), None, None,
                 "Fant ikke arket «Egne tall» eller et ark med malens kolonner; arkene i filen er: Ark1."),
    "manglende kolonne": (lambda: workbook([GOOD[:5] + GOOD[6:]], header=HEADER[:5] + HEADER[6:]), 1, None,
                          "Mangler kolonne(r) «listetak»."),
    "tekst i tallcelle": (lambda: workbook([GOOD, ["liste", 4631, 2025, "Knarvik legesenter", "L1", "mange", 900,
                                                   None, None]]), 3, "listetak", "«mange» er ikke et tall."),
    "desimal i antall": (lambda: workbook([GOOD[:7] + [12.5, None]]), 2, "antall",
                         "12,5 er ikke et helt tall; «antall» er et antall."),
    "formel": (_formula_workbook, 2, "antall", "Cellen inneholder en formel"),
    "formellignende tekst": (lambda: workbook([GOOD[:3] + ["@SUM(A1:A9)"] + GOOD[4:]]), 2, "kontor",
                             "regnearkformel"),
    "ukjent kommune": (lambda: workbook([GOOD[:1] + [9999] + GOOD[2:]]), 2, "kommunenummer", "9999"),
    "gammelt xls": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, None, None, "(.xls)"),
    "ødelagt xlsx": (lambda: b"PK\x03\x04" + b"\x00" * 300, None, None, "Excel-filen kunne ikke åpnes"),
    "tomt ark": (lambda: workbook([]), None, None, "ingen datarader"),
}


@pytest.mark.parametrize("name", list(BAD_WORKBOOKS))
def test_bad_workbook_is_reported_and_changes_nothing(kommuner, user, name):
    make, row, column, words = BAD_WORKBOOKS[name]
    path = Path(db.user_db_path())
    user.execute("CHECKPOINT")
    before = file_state(path)
    parsed = store.parse_upload(make(), f"{name}.xlsx", kommuner)
    assert not parsed.ok
    hit = [p for p in parsed.errors if words.casefold() in p.message.casefold()]
    assert hit, (name, [p.text() for p in parsed.problems])
    assert (hit[0].row, hit[0].column) == (row, column), hit[0]
    batch_id, problems = store.apply(user, parsed, f"{name}.xlsx", "test")
    assert batch_id is None and problems
    user.execute("CHECKPOINT")
    assert file_state(path) == before


def test_an_excel_file_named_as_ssb_data_is_read_as_the_template(kommuner):
    """SSB's exports are CSV or JSON-stat: a workbook given as 12005 gets the text-file message."""
    parsed = store.parse_upload(workbook([GOOD]), "12005.xlsx", kommuner, ssb.FASTLEGE)
    assert not parsed.ok and "Excel-filer kan bare lastes inn for kommunens egne tall" in parsed.errors[0].message


def test_data_page_previews_and_applies_an_excel_upload_which_kapasitet_then_uses():
    from tests import apptest_util
    from ui import data_view

    at = apptest_util.open_page("pages/data.py", kommune="4631")
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Last ned mal for egne tall (Excel)", "Last ned mal for egne tall (CSV)"]
    at.session_state[data_view.PENDING] = ("egne_tall_alver.xlsx", workbook(alver_rows()))
    at.run()
    assert not at.exception and not at.error
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Nye rader"] == "37" and tiles["Endrede"] == "0"
    assert any("Excel (arket «Egne tall»), 37 gyldige rader." in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Bekreft og last inn").click()
    at.run()
    assert any("Lastet inn 37 rader fra egne_tall_alver.xlsx som innlasting 1." in s.value for s in at.success)
    kap = apptest_util.open_page("pages/kapasitet.py", kommune="4631")
    assert apptest_util.metrics(kap)["Sum listetak 2025"] == "29600"


def test_one_parse_step_for_number_cells_in_ssb_files_csv_and_excel():
    """core.ssb_readers.parse_cell reads every number cell (SSB CSV/JSON-stat, template CSV and Excel)."""
    assert ssb.parse_cell("1\u00a0200,5") == (1200.5, None, None)  # SSB CSV: space, decimal comma
    assert ssb.parse_cell("1200.5") == (1200.5, None, None)
    assert ssb.parse_cell(1200) == (1200.0, None, None)  # JSON-stat or an Excel number
    assert ssb.parse_cell(own_figures._excel_text(1200.0)) == (1200.0, None, None)  # an Excel cell read as text
    assert ssb.parse_cell("..") == (None, "tallgrunnlag mangler (SSB «..»)", None)
    assert ssb.parse_cell("") == (None, "tom celle", None)
    assert ssb.parse_cell("mange") == (None, None, "«mange» er ikke et tall.")
    assert ssb.parse_cell(True)[2] == "«True» er ikke et tall."
    assert ssb.in_range(None, 10) and ssb.in_range(10.0, 10) and not ssb.in_range(-1.0, 10)
    assert ssb.in_range(2.5, 10) and not ssb.in_range(2.5, 10, integer=True)
