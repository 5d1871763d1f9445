"""Every chart the app draws: the Norwegian Vega locale, formatted numbers in its tooltips, series
that survive greyscale print, and a text alternative (its numbers as a table) under it.

Walks the charts of every page as AppTest renders them (the specs Streamlit would send to the
browser), and checks that every chart module contributed at least one.
"""

from __future__ import annotations

import functools
import json
import re

import pytest

from core import charts, compare, db, duties_charts, economy_charts, office_charts, theme, tiltak_charts
from core import scenarios as sc
from tests.apptest_util import open_lazy_expanders, open_page

CHART_MODULES = (charts, economy_charts, office_charts, duties_charts, tiltak_charts, compare)
TABLE_LABEL = "Vis tallene som tabell"
# kommune per page: one that has the data every chart of the page needs (case documents).
PAGES = {"oversikt": "4631", "kapasitet": "4631", "befolkning": "4631", "okonomi": "4631",
         "kontor": "3440", "legeoppgaver": "4631", "scenarioer": "4631", "tiltak": "1103"}
NO_LOCALE = theme.NO_LOCALE.to_dict()
# Colours a chart may use: Okabe–Ito, greys (r = g = b, also white/black), and viridis for the map's
# ordered classes (sequential, readable with colour-vision deficiencies and in greyscale).
ALLOWED_COLOURS = {c.upper() for c in theme.OKABE_ITO.values()} | {c.upper() for c in charts.MAP_COLORS}


def _allowed_colour(colour: object) -> bool:
    c = str(colour).upper()
    if c in ALLOWED_COLOURS or c in ("WHITE", "BLACK", "TRANSPARENT"):
        return True
    if re.fullmatch(r"#[0-9A-F]{3}", c):
        c = "#" + "".join(ch * 2 for ch in c[1:])
    return bool(re.fullmatch(r"#([0-9A-F]{2})\1\1", c))  # a grey


def _views(spec: dict):
    if "mark" in spec:
        yield spec
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []) or []:
            yield from _views(child)
    if isinstance(spec.get("spec"), dict):
        yield from _views(spec["spec"])


def _mark(view: dict) -> str:
    mark = view["mark"]
    return mark["type"] if isinstance(mark, dict) else mark


def problems(spec: dict) -> list[str]:
    """What is wrong with one chart spec (empty when nothing)."""
    found = []
    if spec.get("config", {}).get("locale") != NO_LOCALE:
        found.append("config.locale is not the Norwegian locale (core.theme.NO_LOCALE)")
    for view in _views(spec):
        enc = view.get("encoding", {})
        tips = enc.get("tooltip") or []
        for tip in tips if isinstance(tips, list) else [tips]:
            if tip.get("type") in ("quantitative", "temporal") and not tip.get("format"):
                found.append(f"tooltip {tip.get('field')} has no format")
        colour = enc.get("color", {})
        mark = view["mark"] if isinstance(view["mark"], dict) else {}
        used = [mark[k] for k in ("color", "stroke", "fill") if isinstance(mark.get(k), str)]
        for channel in (colour, colour.get("condition") if isinstance(colour.get("condition"), dict) else {}):
            scale_range = (channel.get("scale") or {}).get("range")
            used += [*(scale_range if isinstance(scale_range, list) else []),
                     *([channel["value"]] if "value" in channel else [])]
        found += [f"colour {c} is outside the palette (core.theme)" for c in used if not _allowed_colour(c)]
        if _mark(view) == "line" and colour.get("field") and colour.get("type") == "nominal":
            same = [ch for ch in ("strokeDash", "shape") if enc.get(ch, {}).get("field") == colour["field"]]
            dash_other = enc.get("strokeDash", {}).get("field")
            if not same and not dash_other:
                found.append(f"line series {colour['field']} differ by colour only (no strokeDash/shape)")
    return found


@pytest.fixture(scope="module")
def built():
    """Chart module → names of its chart functions the pages called (spied on while they ran)."""
    return {}


def _spy(monkeypatch, built):
    """Record which chart builders of CHART_MODULES run."""
    for module in CHART_MODULES:
        for name, obj in list(vars(module).items()):
            if not (callable(obj) and getattr(obj, "__module__", None) == module.__name__
                    and (name.endswith(("_chart", "_spec")) or name == "norway_map")):
                continue

            def wrapped(*a, _f=obj, _m=module.__name__, _n=name, **k):
                built.setdefault(_m, set()).add(_n)
                return _f(*a, **k)

            monkeypatch.setattr(module, name, functools.wraps(obj)(wrapped))


def _save_two_scenarios():
    con = db.connect_user()
    sc.save(con, "4631", "To nye hjemler", "", {"kapasitet": {"new_hjemler": "2"}}, "x")
    sc.save(con, "4631", "Lavere listetak", "", {"kapasitet": {"cap_change": "-50"}}, "x")
    con.close()


@pytest.mark.parametrize("page", list(PAGES))
def test_every_chart_is_norwegian_greyscale_safe_and_has_a_table(page, monkeypatch, built):
    import streamlit as st

    st.cache_data.clear()
    _spy(monkeypatch, built)
    built.setdefault("_pages", set()).add(page)
    if page == "scenarioer":
        _save_two_scenarios()
    at = open_page(f"pages/{page}.py", kommune=PAGES[page])
    if open_lazy_expanders(at):  # the tables of keyed charts are built when their expander opens
        at.run()
        assert not at.exception, at.exception[0].message
    charts_shown = at.get("vega_lite_chart")
    assert charts_shown, f"{page}: no chart"
    for el in charts_shown:
        spec = json.loads(el.proto.spec)
        assert not problems(spec), (page, problems(spec))
        assert el.proto.alt, f"{page}: a chart without alt text"
        assert spec["config"].get("aria") is False, f"{page}: Vega's English ARIA texts are on"
    tables = [e for e in at.expander if e.label == TABLE_LABEL]
    assert len(tables) == len(charts_shown), f"{page}: {len(charts_shown)} charts, {len(tables)} tables"
    for expander in tables:
        assert expander.get("table"), f"{page}: a text alternative without a table"


def test_every_chart_module_was_walked(built):
    # Runs after the page tests (same module, in file order); every module built a chart shown above.
    if set(PAGES) - built.get("_pages", set()):  # under pytest-xdist the pages may run on another worker
        pytest.skip("run together with all the page tests (e.g. without -n)")
    missing = [m.__name__ for m in CHART_MODULES if m.__name__ not in built]  # "_pages" is not a module
    assert not missing, missing


def test_problems_finds_a_chart_without_locale_or_tooltip_format():
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame({"year": [2020, 2021] * 2, "value": [1.5, 2.5, 3.0, 4.0], "serie": ["a", "a", "b", "b"]})
    chart = alt.Chart(frame).mark_line().encode(x="year:O", y="value:Q", color="serie:N",
                                                tooltip=[alt.Tooltip("value:Q")])
    found = problems(chart.to_dict())
    assert len(found) == 3
    fixed = chart.encode(strokeDash="serie:N", tooltip=[alt.Tooltip("value:Q", format=",.1f")])
    assert not problems(fixed.configure(locale=theme.NO_LOCALE).to_dict())


def test_problems_finds_a_colour_outside_the_palette():
    import altair as alt
    import pandas as pd

    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_bar(color="#ff0000").encode(x="a:Q")
    assert problems(chart.configure(locale=theme.NO_LOCALE).to_dict()) == [
        "colour #ff0000 is outside the palette (core.theme)"]
    assert _allowed_colour("#333") and _allowed_colour("#999999") and not _allowed_colour("#123456")
