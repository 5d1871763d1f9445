"""Hostile user text on every page and in every export (issue 24, finding 10): never a live link or image.

A user database is seeded with hostile strings in every user-text field — scenario names and
descriptions, every text field of a tiltak and a project row (also removed and overdue ones), office
plan names and an office's name, an import's file name and source note — and every page of the app is
run with it (AppTest, with the scenario opened and every lazy expander open). Every string in every
element Streamlit would render as markdown (markdown, captions, headings, alerts, tile labels, widget
labels and help, radio options, expander and tab labels …) must show the text inert: no unescaped
link or image syntax, no HTML tag, no bare link to the hostile host. Exports (Excel, PDF, CSV) of
every page that has one are built with the hostile scenario name and description: they open, hold no
formula, and the text is there as plain text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import pytest
from openpyxl import load_workbook

from core import db, offices, userdb, usertext
from core import export as ex
from core import import_store as store
from core import scenarios as sc
from core import ssb_readers as ssb
from core import tiltak as tk
from tests.apptest_util import open_lazy_expanders, open_page
from ui import export_view, shell

pypdf = pytest.importorskip("pypdf")

HOST = "evil.example"
PAYLOADS = (
    f"[Logg inn på nytt](http://{HOST}/login)",
    f"![p](http://{HOST}/p.png)",
    "<img src=x onerror=alert(1)>",
    "Tiltak \u202efdp.exe",
    "Linje\u000bneste\u0000slutt",
    f'=HYPERLINK("http://{HOST}","klikk")',
    f"<http://{HOST}/auto> og www.{HOST}",
    f"**fet** _kursiv_ `kode` # ikke overskrift :red[rød] $x^2$ [ref]: http://{HOST}/ref",
    f"[lang](http://{HOST}/lang) " + "veldig lang tekst " * 120,
)
KNR = "4631"

# What markdown would render live: a link or image to the hostile host (not «\](»), a bare link to it
# (escaped text has «http\://» and «www\.»), the HTML image tag unescaped.
_H = re.escape(HOST)
LIVE = re.compile(rf"(?<!\\)\]\((?:https?:)?//{_H}|https?://{_H}|(?<![\\/])www\.{_H}|(?<!\\)<img src=x onerror")

# Proto fields Streamlit shows as plain text (never markdown): a selectbox's or multiselect's options and
# value, a text field's value and placeholder, a code block, st.text, a file name. Every other string is
# checked (markdown, captions, headings, alerts, labels, help, radio options, expander and tab labels).
PLAIN = {
    ("Selectbox", "options"), ("Selectbox", "raw_value"), ("Selectbox", "placeholder"),
    ("MultiSelect", "options"), ("MultiSelect", "raw_values"), ("MultiSelect", "placeholder"),
    ("TextInput", "value"), ("TextInput", "default"), ("TextInput", "placeholder"),
    ("TextArea", "value"), ("TextArea", "default"), ("TextArea", "placeholder"),
    ("Code", "code_text"), ("Text", "body"), ("DownloadButton", "url"), ("PageLink", "page"),
    ("ButtonGroup", "value"), ("VegaLiteChart", "spec"), ("ArrowVegaLiteChart", "spec"),
}


def _strings(message, path: str = ""):
    """Every (message type, field, value) string in a proto message, recursively."""
    for field, value in message.ListFields():
        repeated = not isinstance(value, str | bytes) and not hasattr(value, "ListFields") and hasattr(value, "__len__")
        for item in (value if repeated else [value]):
            if isinstance(item, str):
                yield type(message).__name__, field.name, item
            elif hasattr(item, "ListFields"):
                yield from _strings(item, f"{path}.{field.name}")


def _nodes(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _nodes(child)


def markdown_strings(at):
    """(type, field, text) of every string of the rendered page that Streamlit shows as markdown."""
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        for kind, field, text in _strings(proto):
            if (kind, field) not in PLAIN:
                yield kind, field, text


def live_markdown(at) -> list[tuple[str, str, str]]:
    """Strings of the rendered page that would show a live link, image or HTML (type, field, text)."""
    found = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        for kind, field, text in _strings(proto):
            if (kind, field) in PLAIN:
                continue
            if LIVE.search(text):
                found.append((kind, field, text[:160]))
    return found


@dataclass(frozen=True)
class Seeded:
    scenario_ids: tuple[str, ...]


def seed(payloads: tuple[str, ...], con_stats) -> Seeded:
    """Every user-text field of the user database filled with the payloads (kommune 4631)."""
    with db.connect_user() as con:
        userdb.ensure(con)
        ids = []
        for i, p in enumerate(payloads):
            ids.append(sc.save(con, KNR, f"{p[:60]} {i}", p, {"kapasitet": {"new_hjemler": "2"}}, "v"))
        today = date.today()
        measures = [tk.Measure(measure=p, effect_goal=p, result_goal=p, gain=p, indicator=p, cost_text=p,
                               rationale=p, responsible=p, notes=p, priority=i + 1, start_year=2026, end_year=2027,
                               row_id=f"m{i}")
                    for i, p in enumerate(payloads)]
        projects = [tk.ProjectItem(kind=kind, text=p, group=p, detail=p, responsible=p, notes=p,
                                   deadline=today - timedelta(days=30) if kind == "milestone" else None,
                                   row_id=f"p{i}-{kind}")
                    for i, p in enumerate(payloads) for kind in ("milestone", "risk")]
        for register, rows in ((tk.MEASURES, measures), (tk.PROJECT, projects)):
            first = tk.save(con, KNR, register, 0, rows, note=payloads[0])
            assert first.ok, first
            # one row removed, so «Fjernede» lists a hostile one
            second = tk.save(con, KNR, register, first.version, rows[1:], note=payloads[1])
            assert second.ok, second
        table = offices.empty_table(1)
        first_col = table.columns[0]
        table.loc[0, first_col] = payloads[0]
        for p in payloads:
            offices.save_plan(con, KNR, p, table, [])
        kommuner = db.query(con_stats, "SELECT * FROM kommune")
        latest = ssb.parse_ssb(('"region";"statistikkvariabel";"år";"value"\n'
                                '"4631 Alver";"Antall fastlegeavtaler";"2025";60\n').encode(), "x.csv", kommuner)
        assert latest.ok, latest.problems
        for p in payloads[:3]:
            batch, problems = store.apply(con, latest, p + ".csv", p)
            assert batch is not None, problems
    return Seeded(tuple(ids))


@pytest.fixture(scope="module")
def seeded(con, tmp_path_factory):
    path = tmp_path_factory.mktemp("fiendtlig") / "brukerdata.duckdb"
    mp = pytest.MonkeyPatch()
    mp.setenv("LEGEPLAN_USER_DB", str(path))
    try:
        yield path, seed(PAYLOADS, con)
    finally:
        mp.undo()


@pytest.fixture
def hostile_db(seeded, monkeypatch):
    path, data = seeded
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(path))
    return data


SHOWS_LINK_TEXT = {"tiltak", "data"}  # pages that show a tiltak or a file name in full


def _run_everything(at) -> None:
    if open_lazy_expanders(at):
        at.run()
        assert not at.exception, at.exception[0].message


@pytest.mark.parametrize("entry", shell.PAGES, ids=[p.url for p in shell.PAGES])
def test_no_page_renders_hostile_user_text_as_link_or_image(hostile_db, entry):
    at = open_page(entry.path, kommune=KNR)
    _run_everything(at)
    # open a hostile scenario in the sidebar as a user would: its name, description and the export caption
    pick = [s for s in at.sidebar.selectbox if s.key == "scenario_valg"]
    if pick:
        pick[0].set_value(hostile_db.scenario_ids[0]).run()
        opened = [b for b in at.sidebar.button if b.key == "scenario_apne"]
        assert opened, "the sidebar offers no «Åpne» for the chosen scenario"
        opened[0].click().run()
    assert not at.exception, at.exception[0].message
    found = live_markdown(at)
    assert not found, found[:5]
    # … and the hostile text was there to check: shown (escaped) in markdown on the page
    shown = [text for _, _, text in markdown_strings(at) if HOST in text]
    assert shown, entry.url
    if entry.url in SHOWS_LINK_TEXT:
        assert any("\\[Logg inn på nytt\\]" in text for text in shown), entry.url


EXPORT_KOMMUNE = {"kontor": "3440"}  # the office page's export needs a kommune with an office table (Øyer)


def _exports():
    return [p for p in shell.PAGES if p.export]


@pytest.fixture
def captured(monkeypatch):
    seen: dict = {}
    original = export_view.section

    def spy(knr, kommune, page, build, charts, **kwargs):
        seen.update(knr=knr, kommune=kommune, page=page, build=build, charts=charts, **kwargs)
        return original(knr, kommune, page, build, charts, **kwargs)

    monkeypatch.setattr(export_view, "section", spy)
    return seen


@pytest.mark.parametrize("entry", _exports(), ids=[p.url for p in _exports()])
def test_every_export_opens_with_hostile_name_and_description_as_inert_text(hostile_db, captured, entry):
    at = open_page(entry.path, kommune=EXPORT_KOMMUNE.get(entry.url, KNR))
    assert not at.exception
    assert captured.get("build"), "the page offered no export"
    with db.connect_user() as con:
        stored = [sc.get(con, sid) for sid in hostile_db.scenario_ids]  # as the sidebar opens them
    for scenario in stored:
        assert scenario is not None
        report: ex.Report = captured["build"](scenario.name, scenario.description, "v1")
        book = load_workbook(io.BytesIO(ex.workbook(report)))
        cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        assert all(c.data_type != "f" for c in cells), entry.url  # no formula anywhere
        text = "\n".join(str(c.value) for c in cells)
        assert "\u0000" not in text and "\u000b" not in text and "\u202e" not in text
        assert not any(str(c.value).startswith("=") for c in cells)
        data = ex.pdf(report)
        pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]
        assert pages and data[:5] == b"%PDF-"
        if entry.url != "scenarioer":  # (the comparison names the scenarios it compares, not the open one)
            assert usertext.for_cell(scenario.name) in text, entry.url  # the name is there, as text
            shown = " ".join("\n".join(pages).split())
            assert " ".join(scenario.name.split())[:20] in shown, entry.url


def test_the_tiltak_csv_holds_hostile_text_inert(hostile_db):
    with db.connect_user() as con:
        measures = tk.load(con, KNR, tk.MEASURES)
        projects = tk.load(con, KNR, tk.PROJECT)
    for snapshot in (measures, projects):
        frame = tk.export_frame(snapshot.register, snapshot.rows)
        data = tk.to_csv(frame)
        back = pd.read_csv(io.BytesIO(data), sep=None, engine="python", dtype=str, keep_default_na=False)
        cells = [v for col in back.columns for v in back[col].tolist()]
        assert not any(v.startswith(("=", "+", "-", "@")) for v in cells if v)
        assert not any(ch in v for v in cells for ch in ("\u0000", "\u000b", "\u202e"))
        assert any("fdp.exe" in v for v in cells)
