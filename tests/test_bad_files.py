"""The bad-file suite (issue 24, findings 1–5 and the parse messages of 14): every file is either refused
with a precise Norwegian message (row, column and cell named) or stored exactly, and a refusal leaves
both databases (the statistics database and the user database) byte for byte unchanged — through
core.import_store (which the Data page calls), the command-line importer and the Data page itself.

Small files are committed in tests/fixtures/bad_files/; large ones (and .xlsx/JSON built to a shape)
are generated here. What a file must look like is in docs/data.md («Hva en fil må være»).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core import db, own_figures, userdb
from core import import_store as store
from core import ssb_readers as ssb
from core.i18n import NYNORSK, in_maalform

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bad_files"
VALUE = "Fastlegelister og fastlegekonsultasjoner"  # the value column of SSB's long 12005 CSV
GOOD = ('"region";"statistikkvariabel";"år";"Fastlegelister og fastlegekonsultasjoner"\n'
        '"4631 Alver";"Antall fastlegeavtaler";"2024";33\n'
        '"3440 Øyer";"Antall fastlegeavtaler";"2024";6\n').encode()
NBSP = "\u00a0"
# Nothing a user reads may be an internal id, an English exception name or a number in Python's format
INTERNAL = re.compile(r"gp_agreements|open_lists|patients_on|[A-Z][a-z]+Error|\de[+-]\d|\d\.\d+e|\bvalue_column\b")


def file_state(path: Path) -> str:
    """SHA-256 of a database file and its WAL (if any)."""
    h = hashlib.sha256()
    for p in (path, path.with_suffix(path.suffix + ".wal")):
        h.update(p.read_bytes() if p.exists() else b"-")
    return h.hexdigest()


@pytest.fixture(scope="module")
def kommuner(con):
    return db.query(con, "SELECT * FROM kommune")


@pytest.fixture
def user(tmp_path, monkeypatch, kommuner):
    """A user database that already holds one import (a refusal must leave it as it was)."""
    path = tmp_path / "bruker.duckdb"
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(path))
    con = db.connect_user(path)
    userdb.ensure(con)
    batch_id, errors = store.apply(con, store.parse_upload(GOOD, "god.csv", kommuner), "god.csv", "test")
    assert batch_id == 1, errors
    con.execute("CHECKPOINT")
    yield con
    con.close()


def rows_in(con) -> dict[str, int]:
    return {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
            for table in ("import_batch", *store.TABLES.values())}


# --- what each file is: refused (row, column, words of the message) ---------------------------------

REFUSED: dict[str, tuple[int | None, str | None, tuple[str, ...]]] = {
    # finding 1: an extra numeric column, and the value column not named as SSB names it: not guessed
    "ekstra_tallkolonne_ukjent_navn.csv": (1, None, ("2 kolonner som kan være tallkolonnen", "«Tall», «nr»")),
    # finding 2: «…,"2025",73,3» – an unquoted decimal comma in a comma-separated file
    "desimalkomma_i_kommafil.csv": (3, "value", ("5 celler", "4 kolonner", "cellen «3»", "«73,3»")),
    # finding 5: the value cell missing
    "manglende_verdicelle.csv": (3, VALUE, ("Cellen mangler", "3 celler", "4 kolonner")),
    # finding 3: a count that is not whole; a dot (or comma) that may be a thousands separator
    "brok_i_antall.csv": (2, VALUE, ("30,7 er ikke et helt tall", "«Fastlegeavtaler med lege» er et antall")),
    "punktum_som_tusenskille.csv": (2, VALUE, ("«27.961» kan leses på to måter", f"tusenskille (27{NBSP}961)",
                                               "desimaltegn (27,961)", "27961")),
    "tusenskille_flere_grupper.csv": (2, VALUE, ("«1.234.567» har punktum eller komma som tusenskille",)),
    "tabulator_tvetydig.tsv": (2, "value", ("«27,961» kan leses på to måter",)),
    # finding 14: a stray quote (was «932 er ikke et gyldig år»), a quote never closed, mixed encodings
    "loest_anforselstegn.csv": (2, "statistikkvariabel", ("anførselstegn", "«Antall fastlegeavtaler;2025″»")),
    "uavsluttet_anforselstegn.csv": (2, "år", ("lukkes ikke før linje 3", "linjene 2–3")),
    "blandet_tegnkoding.csv": (None, None, ("blander to tegnkodinger", "linje 1", "linje 2", "UTF-8")),
    "dobbelt_kodet.csv": (None, None, ("Linje 1 har «Ã¥»", "feil tegnkoding", "CSV UTF-8")),
    # the usual suspects
    "tom.csv": (None, None, ("Filen er tom",)),
    "bare_overskrift.csv": (None, None, ("ingen datarader",)),
    "dublett.csv": (3, None, ("dublett av rad 2", "samme kommune, år og måltall")),
    "negativt_antall.csv": (2, VALUE, ("-2 er utenfor gyldig område for «Åpne lister» (0–10", )),
    "aar_utenfor.csv": (2, "år", ("«1899» er ikke et gyldig år",)),
    "ukjent_kommune.csv": (2, "region", ("9999 Ingensted finnes ikke i 2024-inndelingen",)),
    # the kommune's own figures (CSV template)
    "egne_tall_tusenskille.csv": (2, "listetak", ("«1.200» kan leses på to måter",)),
    "egne_tall_kort_rad.csv": (3, "antall", ("Cellen mangler", "7 celler", "9 kolonner")),
    "egne_tall_ekstra_celle.csv": (2, "merknad", ("10 celler", "cellen «7»")),
}

# --- or stored exactly: (kommunenummer, year, metric or kind) → value -------------------------------

STORED: dict[str, dict[tuple, float | str]] = {
    # finding 1: the value column by its SSB name; the running number beside it is not read (a warning)
    "ekstra_tallkolonne_navngitt.csv": {("4631", 2025, "gp_agreements"): 34.0,
                                        ("4631", 2025, "patients_on_lists_with_gp"): 29302.0,
                                        ("4631", 2025, "avg_list_length"): 861.8},
    # a dot is the decimal mark of a comma-separated file: read exactly, also with three decimals
    "punktum_desimal_kommafil.csv": {("4631", 2025, "avg_list_length"): 861.812,
                                     ("4631", 2025, "reserve_capacity_index"): 96.7},
    "bom_og_crlf.csv": {("4631", 2025, "gp_agreements"): 34.0, ("4631", 2025, "open_lists"): 3.0},
    "avsluttende_skilletegn.csv": {("4631", 2025, "gp_agreements"): 34.0},
    # the template: «merknad» may be left off the end of a row and may hold a line break
    "egne_tall_uten_merknad.csv": {("4631", 2025, "kontor"): 6.0, ("4631", 2025, "venteliste"): 340.0},
}


def test_every_committed_file_is_in_the_suite():
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted({*REFUSED, *STORED})


def assert_refused(parsed: ssb.Parsed, row: int | None, column: str | None, words: tuple[str, ...]) -> ssb.Problem:
    """The upload is refused and one error, at `row` and `column`, says all of `words`."""
    assert not parsed.ok
    texts = [p.text() for p in parsed.problems]
    hits = [p for p in parsed.errors if all(w in p.message for w in words)]
    assert hits, (words, texts)
    assert (hits[0].row, hits[0].column) == (row, column), (hits[0], texts)
    for text in texts:
        assert not INTERNAL.search(text), text
    return hits[0]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_bad_file_is_refused_with_its_row_column_and_cell_and_changes_neither_database(kommuner, user, name):
    row, column, words = REFUSED[name]
    stats_path, user_path = db.db_path(), db.user_db_path()
    before = file_state(stats_path), file_state(user_path), rows_in(user)
    parsed = store.parse_upload((FIXTURES / name).read_bytes(), name, kommuner)
    problem = assert_refused(parsed, row, column, words)
    if row is not None:
        assert problem.text().startswith(f"Rad {row}")
    if column is not None:
        assert f"kolonne «{column}»" in problem.text()
    batch_id, errors = store.apply(user, parsed, name, "test")
    assert batch_id is None and errors
    user.execute("CHECKPOINT")
    assert (file_state(stats_path), file_state(user_path), rows_in(user)) == before


def stored_values(frame: pd.DataFrame, dataset: str) -> dict[tuple, float | str]:
    if dataset == ssb.OWN:
        return {(r.kommunenummer, int(r.year), r.kind): float(r.count) for r in frame.itertuples()}
    return {(r.kommunenummer, int(r.year), r.metric): float(r.value) for r in frame.itertuples()}


@pytest.mark.parametrize("name", sorted(STORED))
def test_odd_but_unambiguous_file_is_stored_exactly(kommuner, user, name):
    parsed = store.parse_upload((FIXTURES / name).read_bytes(), name, kommuner)
    assert parsed.ok, [p.text() for p in parsed.problems]
    batch_id, errors = store.apply(user, parsed, name, "test")
    assert batch_id == 2, errors
    table = store.TABLES[parsed.dataset]
    frame = user.execute(f"SELECT * FROM {table} WHERE batch_id = 2").df()  # noqa: S608 - fixed name
    assert stored_values(frame, parsed.dataset) == STORED[name]


def test_an_extra_column_beside_ssbs_value_column_is_named_as_not_read(kommuner):
    parsed = store.parse_upload((FIXTURES / "ekstra_tallkolonne_navngitt.csv").read_bytes(), "x.csv", kommuner)
    [warning] = [p for p in parsed.problems if not p.error]
    assert (warning.row, warning.column) == (1, "løpenummer")
    assert f"tallkolonnen «{VALUE}»" in warning.message


def test_a_line_break_in_the_templates_note_is_kept(kommuner):
    parsed = store.parse_upload((FIXTURES / "egne_tall_uten_merknad.csv").read_bytes(), "x.csv", kommuner)
    assert parsed.frame["note"].tolist() == ["", "per 1. november\nsjekket"]


# --- generated: .xlsx, JSON-stat, large files -------------------------------------------------------

def _xlsx(rows: list[list[object]], dimension: str | None = None) -> bytes:
    """The template as a workbook; `dimension` overwrites the sheet's <dimension ref> (as some programs
    write it, too small)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = own_figures.TEMPLATE_SHEET
    sheet.append(list(own_figures.TEMPLATE_COLUMNS))
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    if dimension is None:
        return out.getvalue()
    src, dst = zipfile.ZipFile(io.BytesIO(out.getvalue())), io.BytesIO()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data)
                assert n == 1
            z.writestr(info, data)
    return dst.getvalue()


WAITING = [["venteliste", 4631, year, None, None, None, None, 300 + year - 2021, None] for year in range(2021, 2026)]


def test_xlsx_whose_dimension_understates_the_sheet_is_read_to_its_real_extent(kommuner, user):
    """Finding 4: A1:I3 declared over 5 data rows: all 5 stored, exactly (read-only openpyxl read 2)."""
    data = _xlsx(WAITING, dimension="A1:I3")
    parsed = store.parse_upload(data, "egne_tall.xlsx", kommuner)
    assert parsed.ok, [p.text() for p in parsed.problems]
    batch_id, _ = store.apply(user, parsed, "egne_tall.xlsx", "test")
    frame = user.execute("SELECT * FROM import_own WHERE batch_id = ?", [batch_id]).df()
    assert stored_values(frame, ssb.OWN) == {("4631", y, "venteliste"): float(300 + y - 2021) for y in range(2021, 2026)}
    assert sorted(frame["source_row"]) == [2, 3, 4, 5, 6]


def test_xlsx_cell_right_of_the_header_is_refused_also_behind_an_understated_dimension(kommuner, user):
    rows = [r[:] for r in WAITING]
    rows[3] = rows[3] + ["ring Per"]  # column J, right of «merknad»; the sheet says A1:I6
    before = file_state(db.user_db_path()), rows_in(user)
    parsed = store.parse_upload(_xlsx(rows, dimension="A1:I6"), "egne_tall.xlsx", kommuner)
    assert_refused(parsed, 5, "merknad", ("Cellen J5 («ring Per»)", "til høyre for siste kolonne"))
    assert store.apply(user, parsed, "egne_tall.xlsx", "test")[0] is None
    user.execute("CHECKPOINT")
    assert (file_state(db.user_db_path()), rows_in(user)) == before


def _jsonstat(values: list[float], metric: str = "KOSantallavtaler0001") -> bytes:
    return json.dumps({
        "class": "dataset", "id": ["Region", "ContentsCode", "Tid"], "size": [1, 1, len(values)],
        "dimension": {"Region": {"category": {"index": {"4631": 0}, "label": {"4631": "Alver"}}},
                      "ContentsCode": {"category": {"index": {metric: 0}, "label": {metric: metric}}},
                      "Tid": {"category": {"index": {str(2020 + i): i for i in range(len(values))}}}},
        "value": values}).encode()


def test_jsonstat_out_of_range_says_the_measure_in_norwegian_and_the_number_in_norwegian_format(kommuner):
    """Finding 14: «gp_agreements» and «1e+12», «173.3» were printed."""
    assert_refused(store.parse_upload(_jsonstat([30, 1e12]), "x.json", kommuner), 2, "value",
                   (f"1{NBSP}000{NBSP}000{NBSP}000{NBSP}000 er utenfor gyldig område for «Fastlegeavtaler med lege» "
                    f"(0–10{NBSP}000)",))
    assert_refused(store.parse_upload(_jsonstat([173.3], "KOSandelpasiente0000"), "x.json", kommuner), 1, "value",
                   ("173,3 er utenfor gyldig område for «Andel pasienter på liste uten lege» (0–100)",))
    assert_refused(store.parse_upload(_jsonstat([30.7]), "x.json", kommuner), 1, "value",
                   ("30,7 er ikke et helt tall",))


def test_deep_json_is_refused_in_norwegian_without_an_exception_name(kommuner):
    parsed = store.parse_upload(b'{"a":' + b"[" * 100_000 + b"1" + b"]" * 100_000 + b"}", "dyp.json", kommuner)
    assert_refused(parsed, None, None, ("for mange nivåer inni hverandre", "JSON-stat 2"))


def test_nul_deep_in_the_file_is_refused_at_its_line_not_read_up_to_it(kommuner):
    """The text check looks at the first 4 096 bytes; csv stops at a NUL further on: never keep what was read."""
    lines = [f'"{knr}";"{label}";"{y}";30' for knr in ("4631", "3440", "1103") for y in range(1990, 2026)
             for label in ("Antall fastlegeavtaler", "Antall åpne fastlegelister")]
    text = '"region";"statistikkvariabel";"år";"value"\n' + "\n".join(lines) + "\n"
    head = text.encode()[:5000].rsplit(b"\n", 1)[0] + b"\n"
    line = head.count(b"\n") + 1
    parsed = store.parse_upload(head + b'"4631 Alver";"Antall\x00";"2025";30\n', "nul.csv", kommuner)
    assert_refused(parsed, line, "statistikkvariabel", ("nulltegn",))


def test_one_bad_row_deep_in_a_large_generated_file_refuses_the_whole_file(kommuner, user):
    """20 000 good rows and one with an unquoted decimal comma at row 15 001: nothing stored, the row named."""
    names = dict(zip(kommuner["kommunenummer"], kommuner["display_name"], strict=True))
    labels = [label for _, _, label, _ in ssb.FASTLEGE_METRICS if label != "Gjennomsnittlig listelengde"]
    lines = ['"region","statistikkvariabel","år","value"']
    for knr in list(names)[:110]:
        for label in labels[:12]:
            for year in range(2010, 2026):
                lines.append(f'"{knr} {names[knr]}","{label}","{year}",{len(lines) % 90}')
    lines = lines[:20_001]
    lines[15_000] = lines[15_000].rsplit(",", 1)[0] + ",73,3"
    before = file_state(db.user_db_path()), rows_in(user)
    start = time.monotonic()
    parsed = store.parse_upload("\n".join(lines).encode(), "stor.csv", kommuner)
    assert time.monotonic() - start < 60  # a guard against a hang, not a benchmark (bench/)
    assert len(parsed.frame) == 19_999
    assert_refused(parsed, 15_001, "value", ("5 celler", "«73,3»"))
    assert store.apply(user, parsed, "stor.csv", "test")[0] is None
    user.execute("CHECKPOINT")
    assert (file_state(db.user_db_path()), rows_in(user)) == before


# --- the same in nynorsk, and through the command line and the Data page -----------------------------

def test_the_messages_are_nynorsk_in_a_nynorsk_session(kommuner):
    with in_maalform(NYNORSK):
        parsed = store.parse_upload((FIXTURES / "desimalkomma_i_kommafil.csv").read_bytes(), "x.csv", kommuner)
        assert_refused(parsed, 3, "value", ("Rada har 5 celler", "overskrifta har 4 kolonnar", "ei kommaseparert fil"))
        parsed = store.parse_upload((FIXTURES / "punktum_som_tusenskille.csv").read_bytes(), "x.csv", kommuner)
        assert_refused(parsed, 2, VALUE, ("kan lesast på to måtar", "tusenskilje"))
        parsed = store.parse_upload((FIXTURES / "brok_i_antall.csv").read_bytes(), "x.csv", kommuner)
        assert_refused(parsed, 2, VALUE, ("30,7 er ikkje eit heilt tal", "«Fastlegeavtalar med lege»"))


@pytest.mark.parametrize("name", ["desimalkomma_i_kommafil.csv", "punktum_som_tusenskille.csv",
                                  "manglende_verdicelle.csv", "ekstra_tallkolonne_ukjent_navn.csv",
                                  "blandet_tegnkoding.csv", "egne_tall_kort_rad.csv"])
def test_command_line_refuses_the_same_files_and_changes_neither_database(user, tmp_path, capsys, name):
    from tools import importer

    user.execute("CHECKPOINT")
    before = rows_in(user)
    user.close()  # the command line opens the user database itself
    stats_path, user_path = db.db_path(), db.user_db_path()
    files = file_state(stats_path), file_state(user_path)
    assert importer.main([str(FIXTURES / name)]) == 1
    out = capsys.readouterr().out
    row, column, words = REFUSED[name]
    where = ", ".join(x for x in (f"Rad {row}" if row else "", f"kolonne «{column}»" if column else "") if x)
    assert f"FEIL: {where}" in out and all(w in out for w in words) and "Ingenting er lagret" in out, out
    assert (file_state(stats_path), file_state(user_path)) == files
    with db.connect_user() as con:
        assert rows_in(con) == before


def test_command_line_stores_the_named_value_column(tmp_path, capsys):
    from tools import importer

    assert importer.main([str(FIXTURES / "ekstra_tallkolonne_navngitt.csv")]) == 0
    out = capsys.readouterr().out
    assert "Advarsel: Rad 1, kolonne «løpenummer»: Kolonnen er ikke lest" in out and "Lagret som innlasting 1" in out
    with db.connect_user() as con:
        values = con.execute("SELECT metric, value FROM import_fastlege ORDER BY metric").fetchall()
    assert values == [("avg_list_length", 861.8), ("gp_agreements", 34.0), ("patients_on_lists_with_gp", 29302.0)]


def test_data_page_shows_the_row_column_and_cell_and_offers_no_confirm():
    from tests import apptest_util
    from ui import data_view

    at = apptest_util.open_page("pages/data.py", kommune="4631")
    name = "desimalkomma_i_kommafil.csv"
    at.session_state[data_view.PENDING] = (name, (FIXTURES / name).read_bytes())
    at.run()
    assert not at.exception
    assert any("1 feil" in e.value and "ingenting er lagret" in e.value for e in at.error)
    table = next(d.value for d in at.dataframe if "Melding" in d.value.columns)
    [row] = table[table["Type"] == "Feil"].to_dict("records")
    assert (row["Rad"], row["Kolonne"]) == ("3", "value") and "«73,3»" in row["Melding"]
    # The message also in full above the table (a table cell cuts it off before it says what to do),
    # its place first and the file's cell shown as text, never as markdown.
    assert any(m.value.startswith("- Rad 3, kolonne «value»: ") and "73,3" in m.value for m in at.markdown)
    assert not [b for b in at.button if b.label == "Bekreft og last inn"]


def test_jsonstat_with_fewer_values_than_cells_is_refused_not_stored_as_empty(kommuner):
    data = json.loads(_jsonstat([30, 31, 32]))
    data["value"] = [30, 31]  # three years declared, two values: the third would have become «tom celle»
    parsed = store.parse_upload(json.dumps(data).encode(), "avkortet.json", kommuner)
    assert_refused(parsed, None, "value", ("har 2 verdier, men dimensjonene gir 3 celler",))


# --- property: a number is stored exactly as meant, or the file is refused --------------------------

def _grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


COUNT_CELLS = st.integers(0, 5_999_999).flatmap(lambda n: st.tuples(st.just(float(n)), st.sampled_from(
    [str(n), _grouped(n, " "), _grouped(n, "\u00a0"), _grouped(n, "."), _grouped(n, ",")])))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cell=COUNT_CELLS, delim=st.sampled_from([";", ",", "\t"]), quoted=st.booleans())
@example(cell=(1000.0, "1.000"), delim=",", quoted=False)  # 1,000 by the comma file's convention: a whole 1
@example(cell=(1000.0, "1,000"), delim=";", quoted=False)
@example(cell=(27961.0, "27.961"), delim=";", quoted=False)  # finding 3
@example(cell=(27961.0, "27,961"), delim=",", quoted=False)  # two cells
def test_a_count_in_any_notation_is_stored_as_meant_or_refused(kommuner, cell, delim, quoted):
    """«27 961», «27961», «27.961», «27,961», «1.234.567» … in a semicolon, comma or tab file, quoted or not:
    the stored number is the one meant, or the file is refused with row 2 named; never another number."""
    meant, text = cell
    value = f'"{text}"' if quoted else text
    header = delim.join(['"region"', '"statistikkvariabel"', '"år"', '"value"'])
    row = delim.join(['"4631 Alver"', '"Antall pasienter på fastlegeliste med lege"', '"2025"', value])
    parsed = store.parse_upload(f"{header}\n{row}\n".encode(), "x.csv", kommuner)
    if parsed.ok:
        assert parsed.frame["value"].tolist() == [meant], (text, delim, quoted)
    else:
        assert any(p.row == 2 for p in parsed.errors), [p.text() for p in parsed.problems]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hundredths=st.integers(0, 499_999), places=st.sampled_from([1, 2, 3]), mark=st.sampled_from([".", ","]),
       delim=st.sampled_from([";", ",", "\t"]), quoted=st.booleans())
def test_a_decimal_with_either_mark_is_stored_as_meant_or_refused(kommuner, hundredths, places, mark, delim, quoted):
    """An average list length with a decimal point or comma, 1–3 decimals, in any file: exact, or refused."""
    meant = round(hundredths / 10**places, places)
    text = f"{meant:.{places}f}".replace(".", mark)
    value = f'"{text}"' if quoted else text
    header = delim.join(['"region"', '"statistikkvariabel"', '"år"', '"value"'])
    row = delim.join(['"4631 Alver"', '"Gjennomsnittlig listelengde"', '"2025"', value])
    parsed = store.parse_upload(f"{header}\n{row}\n".encode(), "x.csv", kommuner)
    if parsed.ok:
        assert parsed.frame["value"].tolist() == [float(text.replace(",", "."))], (text, delim, quoted)
        assert abs(parsed.frame["value"].iloc[0] - meant) < 1e-9
    else:
        assert any(p.row == 2 for p in parsed.errors), [p.text() for p in parsed.problems]
