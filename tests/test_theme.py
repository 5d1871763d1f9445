"""Colours: the palette is told apart with colour-vision deficiencies and in greyscale, and the
theme's text colours reach WCAG 2.1 AA contrast (4.5:1)."""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

import pytest

from core import theme

ROOT = Path(__file__).resolve().parent.parent


def test_contrast_arithmetic_matches_wcag():
    assert theme.contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert theme.contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert theme.blend("#000000", 0.5) in ("#7F7F7F", "#808080")
    assert theme.simulate("#FFFFFF", "deuteranopi") == "#FFFFFF"


def test_config_toml_uses_the_theme_colours():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    assert config["textColor"] == theme.TEXT
    assert config["primaryColor"] == theme.PRIMARY
    assert config["backgroundColor"] == theme.BACKGROUND
    assert config["secondaryBackgroundColor"] == theme.SIDEBAR_BACKGROUND


@pytest.mark.parametrize("background", [theme.BACKGROUND, theme.SIDEBAR_BACKGROUND])
def test_text_colours_reach_aa(background):
    assert theme.contrast(theme.TEXT, background) >= theme.AA_TEXT
    caption = theme.blend(theme.TEXT, theme.CAPTION_OPACITY, background)
    assert theme.contrast(caption, background) >= theme.AA_TEXT, caption
    assert theme.contrast(theme.PRIMARY, background) >= theme.AA_TEXT  # links, focus, buttons
    assert theme.contrast(theme.CHART_TEXT, background) >= theme.AA_TEXT


def test_palette_is_okabe_ito():
    assert set(theme.PALETTE[:7]) <= set(theme.OKABE_ITO.values())
    assert len(set(theme.PALETTE)) == len(theme.PALETTE)


@pytest.mark.parametrize("kind", theme.CVD_KINDS)
def test_palette_colours_differ_with_colour_vision_deficiency(kind):
    # CIE76 ΔE ≥ 15 for every pair as seen with protanopia, deuteranopia and tritanopia
    # (a just noticeable difference is about 2.3).
    colours = theme.PALETTE[:7]
    for a, b in itertools.combinations(colours, 2):
        assert theme.delta_e(theme.simulate(a, kind), theme.simulate(b, kind)) >= 15, (kind, a, b)


def test_first_series_differ_in_lightness_for_greyscale_print():
    # Charts with two or three colour-only series (bars) use the first three palette colours:
    # they differ in luminance by at least 1.5:1, so they stay apart printed in greyscale.
    for a, b in itertools.combinations(theme.PALETTE[:3], 2):
        assert theme.contrast(a, b) >= 1.5, (a, b)


def test_series_scales_cycle():
    scale = theme.dash_scale([str(i) for i in range(10)]).to_dict()
    assert len(scale["range"]) == 10 and scale["range"][0] == [1, 0]
    assert len({tuple(d) for d in theme.DASHES}) == len(theme.DASHES)


def test_norwegian_locale():
    locale = theme.NO_LOCALE.to_dict()
    number = locale["number"]
    assert (number["decimal"], number["thousands"], number["percent"]) == (",", "\u00a0", "\u00a0%")
    assert number["currency"] == ["", "\u00a0kr"]
    assert locale["time"]["months"][0] == "januar" and locale["time"]["date"] == "%d.%m.%Y"


def test_the_locale_formats_axes_and_tooltips_in_norwegian():
    # Vega renders with the spec's config.locale: render a chart to SVG and read its labels.
    import altair as alt
    import pandas as pd
    import vl_convert as vlc

    frame = pd.DataFrame({"x": ["a", "b"], "v": [1234.5, 0.25]})
    chart = alt.Chart(frame).mark_text().encode(y="x:N", text=alt.Text("v:Q", format=",.1f")).configure(
        locale=theme.NO_LOCALE)
    svg = vlc.vegalite_to_svg(chart.to_dict())
    assert "1\u00a0234,5" in svg or "1&#160;234,5" in svg or "1 234,5" in svg
    assert "0,3" in svg


def test_high_contrast_colours_are_text_contrast_on_white_and_replace_the_chart_colours():
    from core.theme import HIGH_CONTRAST, high_contrast_spec

    assert all(theme.contrast(c, theme.BACKGROUND) >= theme.AA_TEXT for c in HIGH_CONTRAST.values())
    rows = [{"x": 1, "farge": "#999999"}]
    spec = {"mark": {"type": "line", "color": "#999999"},
            "encoding": {"color": {"scale": {"range": ["#0072B2", "#E69F00"]}}},
            "datasets": {"d": rows}, "config": {"axis": {"labelColor": "#333333"}}}
    out = high_contrast_spec(spec)
    assert out["mark"]["color"] == "#595959"
    assert out["encoding"]["color"]["scale"]["range"] == ["#005A8C", "#8A5A00"]
    assert out["datasets"]["d"] is rows  # the data is not touched (a value that looks like a colour stays)
    assert out["config"]["axis"]["labelColor"] == "#000000"
    assert spec["mark"]["color"] == "#999999"  # the cached spec is not changed
