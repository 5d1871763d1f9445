"""Robustness: a fixed sample of the page sweep (bench/sweep.py), and hostile links on every page.

The sample covers a large kommune (Oslo), a tiny one (Kvitsøy), one SSB published no GP figures
for (Ibestad 5514), one with suppressed cells (Gáivuotna 5540), a split (Ålesund/Haram) and
merged ones (Alver, Trondheim). Every page is opened for each, at its defaults and with levers
at their maximum, and must show no exception, no nan/None/inf and no empty chart.

The properties open every page with random URL parameters: random text, huge and negative
numbers, NaN/inf spelled out, unknown and repeated keys, very long values, script- and
SQL-looking text. The page must run without an exception; a known key with a bad value gives
the Norwegian message the parser gives and a safe widget value; no text shows the raw input
as HTML.
"""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.sweep import open_page, page_files, problems, render_page
from core import capacity as cap
from core import duties as du
from core import economy as eco
from core import offices as of
from core.i18n import in_maalform
from core.params import Lever, levers, parse_value
from tests.apptest_util import NumberField, lever_widget

EXAMPLES = int(os.environ.get("LEGEPLAN_HOSTILE_EXAMPLES", "15"))  # more for a deeper local probe
SAMPLE = ("0301", "1144", "5514", "5540", "1508", "1580", "4631", "5001")
PAGES = tuple(page_files())


@pytest.mark.parametrize("page", PAGES)
def test_every_page_for_the_sample_of_kommuner(page):
    seen = []
    for kommune in SAMPLE:
        renders = render_page(page, kommune, variants=("standard", "maks"))
        seen += [(r.kommune, r.variant, p) for r in renders for p in r.problems]
        assert renders[0].variant == "standard"
    assert seen == []


# --- hostile links ---------------------------------------------------------------------------------

LEVER_CLASSES = {
    "kapasitet": (cap.CapacityParams,),
    "okonomi": (eco.EconomyParams,),
    "kontor": (of.AbsenceParams,),
    "legeoppgaver": (du.SharedParams, du.NursingHomeParams, du.LegevaktParams, du.HealthStationParams,
                     du.TotalParams),
}
CHOICE_KEYS = {
    "kapasitet": ("start",),
    "okonomi": ("referanse", "periode"),
    "befolkning": ("alternative", "aar"),
    "oversikt": ("indikator", "kart"),
    "scenarioer": ("sammenlign_tall",),
    "legeoppgaver": ("legecase",),
}
OTHER_KEYS = ("malform", "kommune", "vakt_kommuner", "kontor_start", "new_hjemler", "horizon")

HOSTILE = ("nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e309", "-1e309", "9" * 30,
           "-99999999", "1e18", "0x1F", "1,5", "٣", "", " ", "NULL", "None", "true",
           "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
           "'; DROP TABLE scenario;--", "1 OR 1=1", "0301' OR '1'='1", "[x](javascript:alert(1))",
           "**fet** <b>tykk</b>", "../../etc/passwd", "%3Cscript%3E", "\u202e0301")
MARKUP = ("<script", "<img", "javascript:", "<b>")  # as markup, not as harmless words


def _value():
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.text(max_size=30),
        st.integers(-10**20, 10**20).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.text(min_size=100, max_size=3000),
    )


def _query(page: str):
    known = [lv.name for cls in LEVER_CLASSES.get(page, ()) for lv in levers(cls)]
    known += list(CHOICE_KEYS.get(page, ())) + list(OTHER_KEYS)
    key = st.one_of(st.sampled_from(known), st.text(min_size=1, max_size=20))
    value = st.one_of(_value(), st.lists(_value(), min_size=2, max_size=3))  # a list: a repeated key
    return st.dictionaries(key, value, max_size=5)


def _last(raw: object) -> str:
    return raw[-1] if isinstance(raw, list) else raw


def _page_levers(page: str) -> dict[str, Lever]:
    return {lv.name: lv for cls in LEVER_CLASSES.get(page, ()) for lv in levers(cls)}


def _widget(at, key: str):
    return lever_widget(at, key)


def _texts(at) -> list[str]:
    out = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error",
                 "success", "text"):
        out += [str(el.value) for el in getattr(at, kind)]
    out += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    return out


def check_hostile_link(page: str, query: dict) -> None:
    """Open `page` with `query`; no exception, Norwegian messages, safe values, no raw HTML."""
    at = open_page(page_files()[page], **query)
    at.run()
    assert not at.exception, at.exception[0].message
    warnings = [str(w.value) for w in at.warning]
    chosen = next(r.value for r in at.radio if r.key == "malform_valg")  # messages are in this målform
    with in_maalform(chosen):
        _expect_messages(at, page, query, warnings)
    if "malform" in query and _last(query["malform"]) not in ("nb", "nn"):
        assert any("er ikke en målform" in w or "er ikkje ei målform" in w for w in warnings), warnings
    texts = _texts(at)
    for text in texts:
        assert not any(m in text.lower() for m in MARKUP), text[:200]
    for raw in (v for vs in query.values() for v in (vs if isinstance(vs, list) else [vs])):
        if "<" in raw and len(raw) >= 3:
            assert not any(raw in text for text in texts), raw[:80]
        if len(raw) > 100:
            assert not any(raw in text for text in texts), "a very long value is shown whole"


def _expect_messages(at, page: str, query: dict, warnings: list[str]) -> None:
    """Each bad value in the link has its own message; levers and choices hold safe values."""
    for name, lv in _page_levers(page).items():
        if name not in query:
            continue
        w = _widget(at, "lv_" + name)
        bounded = lv  # the page may fit the range to the kommune (core.capacity.lever_bounds): the slider says
        if w is not None and lv.kind in ("int", "float") and not isinstance(w, NumberField):
            bounded = lv.within({name: (w.min / lv.display_scale, w.max / lv.display_scale)})
        value, message = parse_value(bounded, _last(query[name]))
        if message:
            assert message in warnings, (name, query[name], warnings)
        if w is None:  # the lever's block is not shown for this choice (e.g. another reference case)
            continue
        if lv.kind in ("int", "float"):
            lo, hi = ((lv.min * lv.display_scale, lv.max * lv.display_scale) if isinstance(w, NumberField)
                      else (w.min, w.max))
            assert math.isfinite(float(w.value)) and lo <= w.value <= hi, (name, w.value)
        elif lv.kind == "bool":
            assert isinstance(w.value, bool)
        else:
            assert w.value in lv.options
    for key in CHOICE_KEYS.get(page, ()):
        w = _widget(at, key)
        if key in query and w is not None and str(w.value) != _last(query[key]).strip():
            assert any("er ikke et gyldig valg" in w or "er ikkje eit gyldig val" in w for w in warnings), (
                key, query[key], warnings)
    if "kommune" in query:
        from core import db
        from core import kommune as kom
        from core.indicators import kommuner

        con = db.connect()
        try:
            _, message = kom.resolve(_last(query["kommune"]), kommuner(con))
        finally:
            con.close()
        if message:
            assert message in warnings, (query["kommune"], warnings)


@pytest.mark.parametrize("page", PAGES)
def test_hostile_links_never_break_a_page(page):
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES == 15,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                     HealthCheck.data_too_large])
    @given(_query(page))
    def prop(query):
        check_hostile_link(page, query)

    prop()


@pytest.mark.parametrize("page", PAGES)
def test_every_hostile_value_on_every_known_key(page):
    """Each listed hostile value once on each of the page's own keys (no randomness)."""
    keys = [lv.name for cls in LEVER_CLASSES.get(page, ()) for lv in levers(cls)][:6]
    keys += list(CHOICE_KEYS.get(page, ())) + ["kommune", "malform"]
    for i, raw in enumerate(HOSTILE):
        check_hostile_link(page, {keys[i % len(keys)]: raw, keys[(i + 1) % len(keys)]: [raw, "1"]})


def test_the_sweep_finds_what_a_user_must_not_see():
    """problems() reports an exception and an empty chart, so a clean sweep means something."""
    from streamlit.testing.v1 import AppTest

    def broken():
        import streamlit as st

        st.vega_lite_chart({"mark": "line", "data": {"values": []}, "encoding": {}})
        st.markdown("Verdi: nan")
        raise ValueError("feil")

    at = AppTest.from_function(broken)
    at.run()
    found = problems(at)
    assert any(p.startswith("unntak") for p in found)
    assert any("'nan'" in p for p in found)
    assert any(p.startswith("tomt diagram") for p in found)


def test_sessions_saving_and_listing_at_once_lose_nothing(tmp_path):
    """Threads of one server save and list scenarios at the same moment (as in bench/load.py):
    every save is stored and no read or write fails (DuckDB refused a connection opened while
    another thread's was closing)."""
    import threading

    from core import db
    from core import scenarios as sc

    path = tmp_path / "brukerdata.duckdb"
    failures: list[str] = []

    def act(work):
        for j in range(25):
            con = None
            try:
                con = db.connect_user(path)
                work(con, j)
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                failures.append(f"{type(exc).__name__}: {exc}")
            finally:
                if con is not None:
                    con.close()

    def saver(i):
        return lambda con, j: sc.save(con, "1103", f"Økt {i} nr {j}", "", {"kapasitet": {"new_hjemler": "3"}}, "v")

    threads = [threading.Thread(target=act, args=(saver(i),)) for i in range(3)]
    threads += [threading.Thread(target=act, args=(lambda con, j: sc.list_for(con, "1103"),)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    con = db.connect_user(path)
    try:
        assert len(sc.list_for(con, "1103")) == 75
    finally:
        con.close()


def test_a_listing_read_while_another_session_saves_is_not_kept(tmp_path, monkeypatch):
    """The sidebar's cached listing (ui.scenario._list): a session that read the list just before
    another session's save must not store its stale copy, or the new scenario stays hidden from every
    session until the next write (a browser test saw the saved name missing from the list once)."""
    from core import scenarios as sc
    from ui import scenario as ui_sc

    monkeypatch.setenv("LEGEPLAN_USER_DB", str(tmp_path / "brukerdata.duckdb"))
    ui_sc._listing.clear()
    real_list, real_save = sc.list_for, sc.save

    def list_then_someone_saves(con, knr):
        found = real_list(con, knr)  # the reader has its (old) list ...
        ui_sc._with_store(real_save, knr, "Lagret imens", "", {"kapasitet": {"new_hjemler": "1"}}, "v")
        return found  # ... and returns it after the other session's save

    monkeypatch.setattr(ui_sc.sc, "list_for", list_then_someone_saves)
    assert ui_sc._list("4631") == []  # the stale read is returned to its own run ...
    monkeypatch.setattr(ui_sc.sc, "list_for", real_list)
    assert [s.name for s in ui_sc._list("4631")] == ["Lagret imens"]  # ... but not kept for the next
