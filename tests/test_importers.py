"""Imports (core/ssb_readers.py, core/own_figures.py, core/import_store.py): SSB 12005 and 07459 in every
format SSB offers, the own-figures template, validation messages with row and column, the diff,
all-or-nothing apply, restore, and property tests.

Fixtures are built here from real rows of data/sources (and the bundled database built from them)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import db, own_figures, userdb
from core import import_store as store
from core import ssb_readers as ssb

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
LABEL = {m: label for m, _, label, _ in ssb.FASTLEGE_METRICS}
CODE = {m: code for m, code, _, _ in ssb.FASTLEGE_METRICS}
TITLE = '"12005: Fastlegelister og fastlegekonsultasjoner, etter region, statistikkvariabel og år"'


@pytest.fixture(scope="module")
def kommuner(con):
    return db.query(con, "SELECT * FROM kommune")


@pytest.fixture(scope="module")
def latest():
    """fastlege_latest.csv in long form: kommunenummer, kommune_name, year, metric, value (real SSB values)."""
    wide = pd.read_csv(SOURCES / "fastlege_latest.csv", dtype={"kommunenummer": str})
    wide = wide[wide["kommunenummer"].isin(["4631", "3440", "1103"])]
    return wide.melt(id_vars=["kommunenummer", "kommune_name", "year"], var_name="metric").dropna()


@pytest.fixture
def user(tmp_path, monkeypatch, user_store):
    """The import store on both back ends (the DuckDB file at LEGEPLAN_USER_DB, PostgreSQL at
    LEGEPLAN_USER_DB_URL: the command-line importer finds the same one)."""
    path = tmp_path / "bruker.duckdb"
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(path))
    con = user_store.connect()
    userdb.ensure(con)
    yield con
    con.close()


def ssb_csv(long: pd.DataFrame, sep: str = ";", title: bool = True, codes: bool = False) -> str:
    """A 12005 export in SSB's long CSV shape (one value column), decimal comma with semicolons."""
    q = '"'
    lines = ([TITLE, ""] if title else []) + [sep.join(f"{q}{h}{q}" for h in
                                                      ("region", "statistikkvariabel", "år",
                                                       "Fastlegelister og fastlegekonsultasjoner"))]
    for r in long.itertuples():
        value = f"{r.value:g}"
        if sep == ";":
            value = value.replace(".", ",")
        metric = CODE[r.metric] if codes else LABEL[r.metric]
        lines.append(sep.join([f'"{r.kommunenummer} {r.kommune_name}"', f'"{metric}"', f'"{r.year}"', value]))
    return "\n".join(lines) + "\n"


def jsonstat(long: pd.DataFrame) -> dict:
    """The same rows as a JSON-stat 2 dataset (Region × ContentsCode × Tid), as SSB's API returns it."""
    regions = sorted(set(zip(long["kommunenummer"], long["kommune_name"], strict=True)))
    metrics = sorted(set(long["metric"]))
    years = sorted({str(y) for y in long["year"]})
    values, status = [], {}
    lookup = {(r.kommunenummer, r.metric, str(r.year)): r.value for r in long.itertuples()}
    for (knr, _), m, y in ((reg, m, y) for reg in regions for m in metrics for y in years):
        v = lookup.get((knr, m, y))
        if v is None:
            status[str(len(values))] = ".."
        values.append(v)
    return {
        "version": "2.0", "class": "dataset", "label": "12005: Fastlegelister",
        "id": ["Region", "ContentsCode", "Tid"], "size": [len(regions), len(metrics), len(years)],
        "dimension": {
            "Region": {"category": {"index": {k: i for i, (k, _) in enumerate(regions)},
                                    "label": dict(regions)}},
            "ContentsCode": {"category": {"index": {CODE[m]: i for i, m in enumerate(metrics)},
                                          "label": {CODE[m]: LABEL[m] for m in metrics}}},
            "Tid": {"category": {"index": {y: i for i, y in enumerate(years)}, "label": {y: y for y in years}}},
        },
        "value": values, "status": status,
    }


def as_dict(parsed: ssb.Parsed) -> dict[tuple[str, int, str], float]:
    return {(r.kommunenummer, r.year, r.metric): r.value for r in parsed.frame.itertuples()}


def expected(latest: pd.DataFrame) -> dict[tuple[str, int, str], float]:
    return {(r.kommunenummer, int(r.year), r.metric): float(r.value) for r in latest.itertuples()}


def file_state(path: Path) -> str:
    """SHA-256 of the database file and its WAL (if any): 'byte for byte unchanged' means equal hashes."""
    h = hashlib.sha256()
    for p in (path, path.with_suffix(path.suffix + ".wal")):
        h.update(p.read_bytes() if p.exists() else b"-")
    return h.hexdigest()


# --- SSB 12005 in every format --------------------------------------------------------------------

@pytest.mark.parametrize("sep,title,encoding,codes", [
    (";", True, "latin-1", False),
    (";", False, "cp1252", False),
    (",", True, "utf-8", False),
    (",", False, "utf-8-sig", True),
])
def test_12005_csv_variants_give_the_source_values(kommuner, latest, sep, title, encoding, codes):
    parsed = ssb.parse_ssb(ssb_csv(latest, sep, title, codes).encode(encoding), "12005.csv", kommuner)
    assert parsed.ok, [p.text() for p in parsed.problems]
    assert parsed.dataset == ssb.FASTLEGE
    assert as_dict(parsed) == expected(latest)
    assert set(parsed.frame["ssb_code"]) == {CODE[m] for m in latest["metric"]}


def test_12005_wide_csv_with_years_as_columns(kommuner, latest):
    alver = latest[latest["kommunenummer"] == "4631"]
    header = '"region";"statistikkvariabel";"2025"'
    lines = [header] + [f'"4631 Alver";"{LABEL[r.metric]}";{str(r.value).replace(".", ",")}'
                        for r in alver.itertuples()]
    parsed = ssb.parse_ssb("\n".join(lines).encode("latin-1"), "wide.csv", kommuner)
    assert parsed.ok and as_dict(parsed) == expected(alver)


def test_12005_jsonstat2(kommuner, latest):
    parsed = ssb.parse_ssb(json.dumps(jsonstat(latest)).encode(), "12005.json", kommuner)
    assert parsed.ok and parsed.file_format == "JSON-stat 2"
    # the three kommuner have 14 metrics each except where the source lacks one: those come as '..'
    present = parsed.frame[parsed.frame["value"].notna()]
    assert {(r.kommunenummer, r.year, r.metric): r.value for r in present.itertuples()} == expected(latest)


def test_ssb_markers_are_missing_with_reason_never_zero(kommuner):
    rows = [f'"4631 Alver";"{LABEL[m]}";"2025";{marker}'
            for m, marker in zip(["gp_agreements", "open_lists", "female_gps", "list_capacity", "lists_without_gp"],
                                 ["..", ".", ":", "-", "..."], strict=True)]
    text = '"region";"statistikkvariabel";"år";"value"\n' + "\n".join(rows)
    parsed = ssb.parse_ssb(text.encode(), "m.csv", kommuner)
    assert parsed.ok
    assert parsed.frame["value"].isna().all()
    reasons = dict(zip(parsed.frame["metric"], parsed.frame["missing_reason"], strict=True))
    assert "tallgrunnlag mangler" in reasons["gp_agreements"]
    assert "prikket" in reasons["female_gps"]
    assert "lovlig umulig" in reasons["open_lists"]
    assert "ikke som tall" in reasons["list_capacity"]
    assert any("aldri som 0" in n for n in parsed.notes)


# --- SSB 07459 population ---------------------------------------------------------------------------

def test_07459_csv_and_jsonstat_give_the_bundled_population(con, kommuner):
    real = db.query(con, "SELECT kommunenummer, year, sex, age, population FROM population_single_age "
                         "WHERE kommunenummer = '3440' AND year = 2025 AND age IN (0, 45, 105) ORDER BY sex, age")
    sex_label = {"male": "Menn", "female": "Kvinner"}
    age_label = {0: "0 år", 45: "45 år", 105: "105 år eller eldre"}
    lines = ['"07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år"', "",
             '"region";"kjønn";"alder";"statistikkvariabel";"år";"Befolkning"']
    lines += [f'"3440 Øyer";"{sex_label[r.sex]}";"{age_label[r.age]}";"Personer";"2025";{int(r.population)}'
              for r in real.itertuples()]
    parsed = ssb.parse_ssb("\n".join(lines).encode("cp1252"), "07459.csv", kommuner)
    assert parsed.ok and parsed.dataset == ssb.POPULATION
    got = {(r.sex, r.age): r.population for r in parsed.frame.itertuples()}
    assert got == {(r.sex, r.age): r.population for r in real.itertuples()}

    doc = {"version": "2.0", "class": "dataset", "id": ["Region", "Kjonn", "Alder", "ContentsCode", "Tid"],
           "size": [1, 2, 3, 1, 1],
           "dimension": {"Region": {"category": {"index": {"3440": 0}, "label": {"3440": "Øyer"}}},
                         "Kjonn": {"category": {"index": {"1": 0, "2": 1}, "label": {"1": "Menn", "2": "Kvinner"}}},
                         "Alder": {"category": {"index": {"000": 0, "045": 1, "105+": 2},
                                                "label": {"000": "0 år", "045": "45 år", "105+": "105 år eller eldre"}}},
                         "ContentsCode": {"category": {"index": {"Personer1": 0}, "label": {"Personer1": "Personer"}}},
                         "Tid": {"category": {"index": {"2025": 0}, "label": {"2025": "2025"}}}},
           "value": [int(got[(s, a)]) for s in ("male", "female") for a in (0, 45, 105)]}
    parsed_json = ssb.parse_ssb(json.dumps(doc, ensure_ascii=False).encode(), "07459.json", kommuner)
    assert parsed_json.ok
    assert {(r.sex, r.age): r.population for r in parsed_json.frame.itertuples()} == got


# --- kommune numbers ------------------------------------------------------------------------------

def test_old_numbers_mapped_or_refused_with_reason(kommuner):
    registry = ssb.Registry.from_frame(kommuner)
    knr, note, err = ssb.map_kommune("3001 Halden (2020-2023)", registry)
    assert not err and knr is not None and knr.startswith("31") and registry.names[knr] == "Halden"
    assert "2020–2023" in note
    knr, note, err = ssb.map_kommune("5401 Tromsø (2020-2023)", registry)
    assert registry.names[knr] == "Tromsø" and knr.startswith("55")
    for raw, words in [("1507 Ålesund (2020-2023)", "Haram"), ("1241 Fusa (-2019)", "kommunereformen i 2020"),
                       ("3001", "2020–2023"), ("9999", "finnes ikke"), ("0301 Bergen", "heter Oslo")]:
        knr, msg, err = ssb.map_kommune(raw, registry)
        assert knr is None and err and words in msg, (raw, msg)
    assert ssb.map_kommune("K-4631 Alver", registry)[0] == "4631"
    assert ssb.map_kommune("301 Oslo", registry)[0] == "0301"
    assert ssb.map_kommune("Alver", registry)[0] == "4631"
    assert ssb.map_kommune("0 Hele landet", registry)[0] == "0000"
    knr, msg, err = ssb.map_kommune("46 Vestland", registry)
    assert knr is None and not err and "fylke" in msg


def test_old_numbers_in_a_file_report_row_and_column(kommuner):
    text = ('"region";"statistikkvariabel";"år";"value"\n'
            '"3001 Halden (2020-2023)";"Antall fastlegeavtaler";"2023";24\n'
            '"1241 Fusa (-2019)";"Antall fastlegeavtaler";"2018";5\n')
    parsed = ssb.parse_ssb(text.encode(), "old.csv", kommuner)
    assert not parsed.ok
    [problem] = parsed.errors
    assert (problem.row, problem.column) == (3, "region") and "Fusa" in problem.message
    [mapped] = parsed.frame["kommunenummer"].tolist()
    assert mapped.startswith("31") and kommuner.set_index("kommunenummer").loc[mapped, "display_name"] == "Halden"


# --- bad input: the message, and the database byte for byte unchanged ------------------------------

HEADER = '"region";"statistikkvariabel";"år";"value"\n'
BAD_INPUTS = {
    "tom fil": (b"", None, None, "tom"),
    "bare overskrift": (HEADER.encode(), None, None, "ingen"),
    "UTF-16": ((HEADER + '"4631 Alver";"Antall fastlegeavtaler";"2025";30\n').encode("utf-16"), None, None,
               "tekstfil"),
    "Excel": (b"PK\x03\x04" + b"\x00" * 100, None, None, "Excel"),
    "manglende regionkolonne": ('"kommune_x";"statistikkvariabel";"år";"value"\n"4631";"Antall fastlegeavtaler";'
                                '"2025";30\n'.encode(), 1, None, "region"),
    "omdøpt årskolonne": (b'"region";"statistikkvariabel";"aar";"value"\n"4631 Alver";"Antall fastlegeavtaler";'
                          b'"2025";30\n', 1, "aar", "årstall"),
    "ukjent kommune": ((HEADER + '"9999 Ingensted";"Antall fastlegeavtaler";"2025";30\n').encode(), 2, "region",
                       "finnes ikke"),
    "negativt antall": ((HEADER + '"4631 Alver";"Antall fastlegeavtaler";"2025";-3\n').encode(), 2, "value",
                        "utenfor gyldig område"),
    "tekst i tallkolonne": ((HEADER + '"4631 Alver";"Antall fastlegeavtaler";"2025";mange\n').encode(), 2, "value",
                            "ikke et tall"),
    "ugyldig år": ((HEADER + '"4631 Alver";"Antall fastlegeavtaler";"20x5";30\n').encode(), 2, "år", "gyldig år"),
    "ukjent måltall": ((HEADER + '"4631 Alver";"Antall sykkelstativer";"2025";30\n').encode(), 2,
                       "statistikkvariabel", "ikke et måltall"),
    "dublett": ((HEADER + '"4631 Alver";"Antall fastlegeavtaler";"2025";30\n'
                 '"4631";"KOSantallavtaler0001";"2025";31\n').encode(), 3, None, "dublett av rad 2"),
    "for stor fil": (HEADER.encode() + b" " * (ssb.MAX_BYTES + 1), None, None, "for stor"),
    "formel i malen": ("type;kommunenummer;år;kontor;liste;listetak;pasienter;antall;merknad\n"
                       'kontor;4631;2025;=HYPERLINK("http://x");;;;3;\n'.encode(), 2, "kontor", "formel"),
    "ugyldig JSON": (b'{"class": "dataset", "id": [', None, None, "JSON"),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_is_reported_and_changes_nothing(kommuner, user, tmp_path, name):
    data, row, column, words = BAD_INPUTS[name]
    path = Path(db.user_db_path())
    user.execute("CHECKPOINT")
    before = file_state(path)
    parsed = store.parse_upload(data, f"{name}.csv", kommuner)
    assert not parsed.ok
    hit = [p for p in parsed.errors if words.casefold() in p.message.casefold()]
    assert hit, (name, [p.text() for p in parsed.problems])
    assert (hit[0].row, hit[0].column) == (row, column), hit[0]
    batch_id, problems = store.apply(user, parsed, f"{name}.csv", "test")
    assert batch_id is None and problems
    user.execute("CHECKPOINT")
    assert file_state(path) == before


# --- the own-figures template ---------------------------------------------------------------------

OWN_FILE = """type;kommunenummer;år;kontor;liste;listetak;pasienter;antall;merknad
kontor;4631;2025;Knarvik legekontor;;;;6;
liste;4631;2025;Knarvik legekontor;Liste 1;1200;1150;;
liste;4631;2025;Knarvik legekontor;Liste 2;1000;1020;;over taket
venteliste;4631;2025;;;;;340;per 1. november
planlagt_hjemmel;4631;2027;Knarvik legekontor;;;;2;
"""


def test_template_is_header_only_and_parses_to_no_rows(kommuner):
    template = own_figures.template_csv()
    assert template.decode("utf-8-sig").strip() == ";".join(own_figures.TEMPLATE_COLUMNS)
    parsed = store.parse_upload(template, "mal.csv", kommuner)
    assert parsed.dataset == ssb.OWN and not parsed.ok
    assert "ingen datarader" in parsed.errors[0].message


def test_own_figures_parse_with_warning_and_store(kommuner, user):
    parsed = store.parse_upload(OWN_FILE.encode("cp1252"), "egne.csv", kommuner)
    assert parsed.ok and len(parsed.frame) == 5
    [warning] = parsed.problems
    assert not warning.error and (warning.row, warning.column) == (4, "pasienter")
    batch_id, problems = store.apply(user, parsed, "egne.csv", "Alver kommune")
    assert batch_id == 1 and problems == []
    lists = store.imported_own(user, "4631", "liste")
    assert lists.set_index("list_id")["list_cap"].to_dict() == {"Liste 1": 1200, "Liste 2": 1000}
    assert store.imported_own(user, "4631", "venteliste")["count"].tolist() == [340]


def test_own_figures_validation(kommuner):
    bad = OWN_FILE.splitlines()[0] + "\n" + "\n".join([
        "liste;4631;2025;Knarvik;Liste 1;;1150;;",       # no cap
        "liste;4631;2025;Knarvik;Liste 2;12000;10;;",    # cap out of range
        "venteliste;1241;2025;;;;;3;",                   # old number
        "ferie;4631;2025;;;;;3;",                        # unknown type
        "kontor;4631;1899;Knarvik;;;;3;",               # year
    ])
    parsed = own_figures.parse_own(bad.encode(), "bad.csv", kommuner)
    got = {(p.row, p.column) for p in parsed.errors}
    assert got == {(2, "listetak"), (3, "listetak"), (4, "kommunenummer"), (5, "type"), (6, "år")}
    missing = own_figures.parse_own(b"type;kommunenummer;kontor\nkontor;4631;X\n", "m.csv", kommuner)
    assert "«år»" in missing.errors[0].message and "«listetak»" in missing.errors[0].message


# --- diff, apply, restore -------------------------------------------------------------------------

def test_diff_against_bundled_then_against_previous_import(con, kommuner, latest, user):
    alver = latest[latest["kommunenummer"] == "4631"].copy()
    changed = alver.copy()
    changed.loc[changed["metric"] == "gp_agreements", "value"] += 2
    first = ssb.parse_ssb(ssb_csv(changed).encode("latin-1"), "a.csv", kommuner)
    d = store.diff(first, store.current(con, user, first))
    assert store.summarize(d) == {"ny": 0, "endret": 1, "fjernet": 0, "uendret": len(alver) - 1}
    row = d[d["endring"] == "endret"].iloc[0]
    assert row["metric"] == "gp_agreements" and row["value_ny"] - row["value_før"] == 2
    assert store.apply(user, first, "a.csv", "SSB")[0] == 1

    # a second upload adds a year: new rows; the 2025 values now compare with the first import
    extra = pd.DataFrame([{"kommunenummer": "4631", "kommune_name": "Alver", "year": 2026,
                           "metric": "gp_agreements", "value": 35.0}])
    second = ssb.parse_ssb(ssb_csv(pd.concat([alver, extra])).encode(), "b.csv", kommuner, max_year=2027)
    d2 = store.summarize(store.diff(second, store.current(con, user, second)))
    assert d2 == {"ny": 1, "endret": 1, "fjernet": 0, "uendret": len(alver) - 1}


def test_diff_reports_removed_rows_of_own_data(kommuner, user):
    first = own_figures.parse_own(OWN_FILE.encode(), "v1.csv", kommuner)
    store.apply(user, first, "v1.csv", "Alver")
    without_list_2 = "\n".join(line for line in OWN_FILE.splitlines() if "Liste 2" not in line)
    second = own_figures.parse_own(without_list_2.replace("1200;1150", "1300;1150").encode(), "v2.csv", kommuner)
    d = store.diff(second, store.current(None, user, second))
    assert store.summarize(d) == {"ny": 0, "endret": 1, "fjernet": 1, "uendret": 3}
    assert d.loc[d["endring"] == "fjernet", "list_id"].tolist() == ["Liste 2"]
    store.apply(user, second, "v2.csv", "Alver")
    assert store.imported_own(user, "4631", "liste")["list_id"].tolist() == ["Liste 1"]


def test_restore_previous_version_and_reactivate(kommuner, latest, user):
    alver = latest[latest["kommunenummer"] == "4631"].copy()
    v1 = ssb.parse_ssb(ssb_csv(alver).encode(), "v1.csv", kommuner)
    alver.loc[alver["metric"] == "gp_agreements", "value"] = 99
    v2 = ssb.parse_ssb(ssb_csv(alver).encode(), "v2.csv", kommuner)
    assert store.apply(user, v1, "v1.csv", "SSB")[0] == 1
    assert store.apply(user, v2, "v2.csv", "SSB")[0] == 2

    def agreements() -> float:
        return store.imported_fastlege(user, "4631").set_index("metric").loc["gp_agreements", "value"]

    assert agreements() == 99
    assert store.restore_previous(user, ssb.FASTLEGE) == 2
    assert agreements() == expected(latest)[("4631", 2025, "gp_agreements")]
    assert store.restore_previous(user, ssb.FASTLEGE) == 1
    assert store.imported_fastlege(user, "4631").empty
    assert store.restore_previous(user, ssb.FASTLEGE) is None
    store.set_active(user, 2, True)
    assert agreements() == 99
    assert store.batches(user)["active"].tolist() == [True, False]


def test_a_crash_in_the_middle_leaves_the_database_exactly_as_before(kommuner, latest, user, monkeypatch):
    good = ssb.parse_ssb(ssb_csv(latest).encode(), "ok.csv", kommuner)
    assert store.apply(user, good, "ok.csv", "SSB")[0] == 1
    path = Path(db.user_db_path())
    on_file = not db.is_postgres(user)  # PostgreSQL: the rows and batches below are the whole check
    if on_file:
        user.execute("CHECKPOINT")
    before_bytes = file_state(path) if on_file else None
    before_rows = store.in_force(user, ssb.FASTLEGE)

    real = store._row_statements

    def crashing(batch_id, parsed):
        # the batch row and every data row are inserted, then the process "crashes"
        return [*real(batch_id, parsed), ("SELECT error('simulert krasj midt i innlastingen')", ())]

    monkeypatch.setattr(store, "_row_statements", crashing)
    changed = latest.assign(value=latest["value"] + 1)
    update = ssb.parse_ssb(ssb_csv(changed).encode(), "ny.csv", kommuner)
    batch_id, problems = store.apply(user, update, "ny.csv", "SSB")
    assert batch_id is None and "ingenting ble lagret" in problems[0].message
    pd.testing.assert_frame_equal(store.in_force(user, ssb.FASTLEGE), before_rows)
    assert store.batches(user)["batch_id"].tolist() == [1]
    assert store.batches(user)["rows"].tolist() == [len(good.frame)]
    if on_file:
        user.execute("CHECKPOINT")
        assert file_state(path) == before_bytes


# --- never raise on user input --------------------------------------------------------------------

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=600))
def test_random_bytes_never_raise(kommuner, data):
    parsed = store.parse_upload(data, "x.csv", kommuner)
    assert isinstance(parsed, ssb.Parsed)
    assert parsed.ok or parsed.errors  # refused uploads always say why


CSVISH = st.lists(st.sampled_from(['"region"', "statistikkvariabel", "år", ";", ",", "\n", '"', "4631 Alver",
                                   "Antall fastlegeavtaler", "2025", "..", "-", "1,5", "=A1", "type", "kjønn",
                                   "alder", "{", "}", "Menn", "105 år", "3001 Halden (2020-2023)", "Ø", " "]),
                   max_size=60).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(CSVISH | st.text(max_size=300))
def test_random_text_never_raises(kommuner, text):
    for encoding in ("utf-8", "cp1252"):
        data = text.encode(encoding, errors="replace")
        parsed = store.parse_upload(data, "x.csv", kommuner)
        assert parsed.ok or parsed.errors
        for problem in parsed.problems:
            assert problem.text()


# --- the command line -----------------------------------------------------------------------------

def test_command_line_dry_run_apply_refuse_and_restore(latest, user, tmp_path, capsys):
    from tools import importer

    user.close()  # the command line opens the user database itself
    good = tmp_path / "12005.csv"
    good.write_bytes(ssb_csv(latest).encode("latin-1"))
    assert importer.main([str(good), "--prov"]) == 0
    assert "Prøvekjøring" in capsys.readouterr().out
    assert importer.main([str(good), "--kilde", "SSB 12005"]) == 0
    assert "Lagret som innlasting 1" in capsys.readouterr().out
    bad = tmp_path / "feil.csv"
    bad.write_bytes((HEADER + '"9999";"Antall fastlegeavtaler";"2025";3\n').encode())
    assert importer.main([str(bad)]) == 1
    out = capsys.readouterr().out
    assert "FEIL: Rad 2, kolonne «region»" in out and "Ingenting er lagret" in out
    assert importer.main(["--gjenopprett", ssb.FASTLEGE]) == 0
    assert "Innlasting 1 er deaktivert" in capsys.readouterr().out
    with db.connect_user() as con:
        assert store.batches(con)["active"].tolist() == [False]


def test_the_whole_bundled_12005_as_an_ssb_export_changes_nothing(con, kommuner, user):
    """Every row of fastlege_trend.csv written as SSB's CSV reads back to the bundled table exactly."""
    trend = pd.read_csv(SOURCES / "fastlege_trend.csv", dtype={"kommunenummer": str})
    names = dict(zip(kommuner["kommunenummer"], kommuner["display_name"], strict=True))
    lines = [TITLE, "", '"region";"statistikkvariabel";"år";"Fastlegelister og fastlegekonsultasjoner"']
    lines += [f'"{r.kommunenummer} {names[r.kommunenummer]}";"{LABEL[r.metric]}";"{r.year}";'
              f'{f"{r.value:g}".replace(".", ",")}' for r in trend.itertuples()]
    parsed = ssb.parse_ssb("\n".join(lines).encode("cp1252"), "12005_alle.csv", kommuner)
    assert parsed.ok and len(parsed.frame) == len(trend)
    assert store.summarize(store.diff(parsed, store.current(con, user, parsed))) == {
        "ny": 0, "endret": 0, "fjernet": 0, "uendret": len(trend)}
