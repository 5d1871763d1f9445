"""Colours and formats every chart shares: the Norwegian Vega locale, a colour-blind-safe palette,
dash patterns for greyscale print, and the contrast arithmetic the tests check them with.

Pure Python (Altair, no Streamlit). The app's theme colours (.streamlit/config.toml) are repeated
here so tests/test_theme.py can check their contrast against the WCAG 2.1 AA limits.
docs/tilgjengelighet.md explains the choices.
"""

from __future__ import annotations

import altair as alt

NBSP = "\u00a0"

# d3's nb-NO locale: space (no-break) for thousands, comma for decimals, "kr" after the amount, a
# space before "%" (as core.fmt writes it: 4,6 %), and Norwegian month and day names (months are the
# same in nynorsk; no chart shows a weekday).
NO_LOCALE = alt.Locale(
    number=alt.NumberLocale(decimal=",", thousands=NBSP, grouping=[3], currency=["", f"{NBSP}kr"],
                            percent=f"{NBSP}%"),
    time=alt.TimeLocale(
        dateTime="%A %e. %B %Y kl. %X", date="%d.%m.%Y", time="%H:%M:%S", periods=["AM", "PM"],
        days=["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
        shortDays=["søn.", "man.", "tir.", "ons.", "tor.", "fre.", "lør."],
        months=["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
                "oktober", "november", "desember"],
        shortMonths=["jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.",
                     "nov.", "des."],
    ),
)

# Okabe & Ito (2008), "Color Universal Design": told apart with every common colour-vision deficiency.
OKABE_ITO = {
    "blå": "#0072B2", "oransje": "#E69F00", "blågrønn": "#009E73", "rødlilla": "#CC79A7",
    "himmelblå": "#56B4E9", "rødoransje": "#D55E00", "gul": "#F0E442", "svart": "#000000",
}
# Categorical series in this order: the first three also differ in lightness (greyscale print).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
GREY = "#999999"  # the rest / comparison, never the only mark of a series
# Dash patterns for the series of a line chart, in palette order (solid first).
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [12, 4], [4, 2, 1, 2], [1, 3], [10, 2, 2, 2]]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge", "stroke"]

# Theme (.streamlit/config.toml [theme]); captions are drawn in TEXT at 60 % opacity by Streamlit.
BACKGROUND = "#FFFFFF"
SIDEBAR_BACKGROUND = "#F0F2F6"
TEXT = "#111318"
PRIMARY = "#0072B2"
CAPTION_OPACITY = 0.6
# Text drawn inside charts (labels on bars, rule labels); at least 4.5:1 on white.
CHART_TEXT = "#333333"

AA_TEXT = 4.5  # WCAG 2.1 1.4.3, normal text
AA_GRAPHICS = 3.0  # WCAG 2.1 1.4.11, graphical objects and large text


def _rgb(color: str) -> tuple[float, float, float]:
    c = color.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(max(v, 0.0), 1.0) * 255):02X}" for v in rgb)


def _linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _gamma(v: float) -> float:
    return 12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055


def luminance(color: str) -> float:
    """WCAG relative luminance of a hex colour (0 black … 1 white)."""
    r, g, b = (_linear(v) for v in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two hex colours (1 … 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def blend(color: str, opacity: float, background: str = BACKGROUND) -> str:
    """`color` drawn at `opacity` over `background`, as the eye (and axe-core) sees it."""
    fg, bg = _rgb(color), _rgb(background)
    return _hex(tuple(opacity * f + (1 - opacity) * b for f, b in zip(fg, bg, strict=True)))


# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
_CVD = {
    "protanopi": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                  (-0.003882, -0.048116, 1.051998)),
    "deuteranopi": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                    (-0.011820, 0.042940, 0.968881)),
    "tritanopi": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                  (0.004733, 0.691367, 0.303900)),
}
CVD_KINDS = tuple(_CVD)


def simulate(color: str, kind: str) -> str:
    """How `color` looks with the colour-vision deficiency `kind` (protanopi, deuteranopi, tritanopi)."""
    lin = [_linear(v) for v in _rgb(color)]
    out = tuple(_gamma(min(max(sum(m * v for m, v in zip(row, lin, strict=True)), 0.0), 1.0))
                for row in _CVD[kind])
    return _hex(out)


def _lab(color: str) -> tuple[float, float, float]:
    r, g, b = (_linear(v) for v in _rgb(color))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference (about 2.3 is just noticeable; 20+ is easy to tell apart)."""
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b), strict=True)) ** 0.5


def series_scale(domain: list[str], colors: list[str] | None = None) -> alt.Scale:
    """A colour scale for categorical series: palette colours in order."""
    colors = colors or PALETTE
    return alt.Scale(domain=list(domain), range=[colors[i % len(colors)] for i in range(len(domain))])


def dash_scale(domain: list[str]) -> alt.Scale:
    """A strokeDash scale for the same series, so lines differ also in greyscale print."""
    return alt.Scale(domain=list(domain), range=[DASHES[i % len(DASHES)] for i in range(len(domain))])


def shape_scale(domain: list[str]) -> alt.Scale:
    """A point-shape scale for the same series."""
    return alt.Scale(domain=list(domain), range=[SHAPES[i % len(SHAPES)] for i in range(len(domain))])


def line_legend(**extra) -> dict:
    """Legend properties for line charts: the symbol is a stroke, so the legend shows each series'
    dash pattern as well as its colour (readable in greyscale print)."""
    return {"orient": "bottom", "symbolType": "stroke", "symbolStrokeWidth": 2.5, "symbolSize": 400, **extra}


# --- High contrast for bright rooms (meeting view and slides, issue 19) ------------------------------------
# A projector in a sunlit room washes out light colours. In high contrast every chart colour is at least
# 4.5:1 on white (text and lines alike), axis and legend text is black, grid lines darker.
HIGH_CONTRAST = {
    "#999999": "#595959", "#E69F00": "#8A5A00", "#56B4E9": "#1F5F8B", "#F0E442": "#6B6500",
    "#009E73": "#006B4E", "#CC79A7": "#A3336E", "#D55E00": "#A84A00", "#0072B2": "#005A8C",
    "#333333": "#000000", "#808495": "#000000",
}


def high_contrast_spec(spec: dict) -> dict:
    """A copy of a Vega-Lite spec with its colours made darker (HIGH_CONTRAST) and its axis, legend and
    grid in black and dark grey; the data (datasets) is shared, not copied."""
    def darker(node):
        if isinstance(node, dict):
            return {k: (v if k == "datasets" else darker(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [darker(v) for v in node]
        if isinstance(node, str):
            return HIGH_CONTRAST.get(node.upper(), node)
        return node

    out = darker(spec)
    config = dict(out.get("config") or {})
    black = {"labelColor": "#000000", "titleColor": "#000000"}
    config["axis"] = {**(config.get("axis") or {}), **black, "gridColor": "#8C8C8C", "domainColor": "#000000",
                      "tickColor": "#000000", "labelFontWeight": "bold"}
    config["legend"] = {**(config.get("legend") or {}), **black, "labelFontWeight": "bold"}
    config["title"] = {**(config.get("title") or {}), "color": "#000000"}
    out["config"] = config
    return out
