"""Building blocks shared by pages: key figure tiles and charts with their source and their
text alternative (the chart's numbers as a table, ui.chart_table), bordered tiles, text tables and
a guarded user-database call.

Nothing here belongs to one page: a page's own rendering lives in its `<topic>_view` module
(Fastlegekapasitet's in ui.capacity_view), and data comes from ui.loaders, which imports nothing
from here."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import altair as alt
import duckdb
import pandas as pd
import pyarrow as pa
import streamlit as st

from core import db, fmt, glossary, theme
from core import ssb_readers as ssb
from core.i18n import maalform, t
from core.indicators import Figure
from ui import chart_table
from ui.headlines import STREAMLIT_COLOR

WITHOUT_GP = "share_without_gp"
# SSB's indicators over lists WITH a doctor: they leave out the patients on lists without one.
OVER_LISTS_WITH_GP = ("reserve_capacity", "free_capacity")


def patients_worse(figures: list[Figure]) -> bool:
    """True when the share of patients on lists without a GP rose from last year (shown with one decimal)."""
    for f in figures:
        if f.indicator.name == WITHOUT_GP and f.change is not None:
            scale = 100.0 if f.indicator.unit == "share" else 1.0  # a share is shown in percentage points
            return round(f.change * scale, 1) > 0
    return False


def figure_delta_color(figure: Figure, worse_for_patients: bool = False) -> str:
    """Streamlit's delta colour for a tile: by the indicator's better direction, but never green (a good
    change on its own) in a year when more patients stand without a GP (issue 18: SSB's reserve
    index can rise while lists lose their doctor)."""
    ind = figure.indicator
    if ind.higher_is_better is None or figure.change is None or round(figure.change, 4) == 0:
        return "off"
    good = (figure.change > 0) == ind.higher_is_better
    if good and worse_for_patients:
        return "off"
    return "normal" if ind.higher_is_better else "inverse"


def uncovered_note(figures: list[Figure]) -> str | None:
    """«Regner ikke med de 1 341 pasientene på lister uten lege (4,6 %).» when there are such patients, else None."""
    by_name = {f.indicator.name: f for f in figures}
    patients, share = by_name.get("patients_without_gp"), by_name.get(WITHOUT_GP)
    if patients is None or patients.value is None or not round(float(patients.value)) > 0:
        return None
    shown = f" ({fmt.percent(share.value)})" if share is not None and share.value is not None else ""
    return t("Regner ikke med de {n} pasientene på lister uten lege{share}.", n=fmt.number(patients.value),
             share=shown)


def figure_tile(figure: Figure, national_label: str | None = None, worse_for_patients: bool = False,
                note: str | None = None) -> None:
    """One st.metric tile: value, change from last year, national figure, `note` and reasons below."""
    ind = figure.indicator
    shown = glossary.decimals(ind.term) if ind.term else None  # a glossary quantity: its rounding everywhere
    delta = fmt.change(figure.change, ind.unit, ind.change_decimals)
    delta_color = figure_delta_color(figure, worse_for_patients)
    unchanged = figure.change is not None and round(figure.change, 4) == 0
    st.metric(ind.label, fmt.value(figure.value, ind.unit, shown), delta=delta,
              delta_color="off" if unchanged else delta_color,
              delta_arrow="off" if unchanged else "auto", help=ind.help, border=True)
    lines = [t("{label}: {value}", label=national_label or t("Landet"),
               value=fmt.value(figure.national, ind.unit, shown))]
    if note:
        lines.append(note)
    if figure.missing_reason:
        lines.append(figure.missing_reason)
    st.caption("  \n".join(lines))


# Streamlit cuts a tile's label and the note beside its delta to one line with «…»: at 1366 px the end
# of a label – «(eksempel)», «(Legeplans tilbakeregning)» – or «inkl. 19 ledige lister» disappeared. They
# wrap instead (the mark is part of the figure). One style for every page, set by the shell.
_WRAP_TILE_TEXT = """<style>
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"],
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
[data-testid="stMetricDelta"] { flex-shrink: 0; }
[data-testid="stMetricDeltaDescription"], [data-testid="stMetricDeltaDescription"] [data-testid="stCaptionContainer"],
[data-testid="stMetricDeltaDescription"] p { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; }
""" + """
/* Streamlit's own English menus (issue 19), which no option of Streamlit 1.67 turns off. A chart's
   toolbar («Show data», «Download as PNG», «Fullscreen», «Copy Vega-Lite spec») goes: every chart has
   «Vis tallene som tabell» under it, the pages with export give PNG/SVG, the meeting view and slides
   the big screen. A read-only table's toolbar («Download as CSV», «Search», «Show/hide columns»,
   «Fullscreen») goes: its rows are on screen and in the page's export. An editable table keeps «Add
   row» and «Delete row(s)», the only way to add and remove rows; only its other buttons go. */
[data-testid="stElementToolbar"]:has(button[aria-label^="Download as PNG"]),
[data-testid="stElementToolbar"]:has(button[aria-label^="Show data"]),
[data-testid="stElementToolbar"]:has(button[aria-label^="Download as CSV"]):not(:has(button[aria-label^="Add row"])),
[data-testid="stElementToolbarButton"]:has(button[aria-label^="Download as CSV"]),
[data-testid="stElementToolbarButton"]:has(button[aria-label^="Search"]),
[data-testid="stElementToolbarButton"]:has(button[aria-label^="Show/hide columns"]),
[data-testid="stElementToolbarButton"]:has(button[aria-label^="Fullscreen"]) { display: none !important; }
/* The file uploader: its English size line goes (the page says it in Norwegian under the field), and
   its button reads «Last opp». The English word stays in the button, out of sight, as its name for
   screen readers and axe (which reads no CSS text); the document language is Norwegian. */
[data-testid="stFileUploaderDropzoneInstructions"] { display: none !important; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {
  position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after { content: "Last opp"; }
</style>"""


def wrap_tile_text() -> None:
    """Let tile labels and delta notes wrap instead of ending in «…» (a zero-height style in the sidebar)."""
    st.sidebar.html(_WRAP_TILE_TEXT)


def upload_refusal_text() -> str:
    """What the browser's refusal of a file (too large, or not an accepted type) says instead of
    Streamlit's English «File must be 20.0MB or smaller.» (issue 24, finding 14)."""
    return t("Filen ble ikke lastet opp: den er større enn {mb} MB, eller den er ikke en CSV-, JSON-, tekst- "
             "eller Excel-fil. Fjern den med ×, og velg en mindre fil (del den opp) eller en fil av riktig type.",
             mb=int(ssb.MAX_BYTES // 1_000_000))


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def upload_messages() -> None:
    """Streamlit's uploader refuses a file in the browser with an English message, kept in a chip's hidden
    alert and its hover tooltip; no option of Streamlit 1.67 changes that text (its frontend builds it:
    static/js/utils…js, `File must be ${size} or smaller.`). So the English alert and error tooltip (the
    uploader's chips are the only error tooltips in the app) go, and the field
    says `upload_refusal_text()` in the målform in force under the refused file (a zero-height style)."""
    st.sidebar.html(f"""<style>
[data-testid="stFileChip"][aria-invalid="true"] span[role="alert"],
[role="tooltip"]:has([data-testid="stTooltipErrorContent"]) {{ display: none !important; }}
[data-testid="stFileChips"]:has([data-testid="stFileChip"][aria-invalid="true"])::after {{
  content: {_css_string("⚠ " + upload_refusal_text())}; flex-basis: 100%; width: 100%; font-weight: 600;
  color: {theme.TEXT}; margin-top: 0.5rem; }}
</style>""")


def document_language(code: str) -> None:
    """Tell browsers and screen readers the page is in bokmål or nynorsk (WCAG 3.1.1).

    Streamlit's page says <html lang="en">, so a screen reader would read Norwegian with English
    pronunciation. A zero-height script element (in the sidebar) sets the målform's language code: the file
    static/js/lang.js from the app's own origin, which the proxy's CSP allows without 'unsafe-inline'.
    """
    lang = {"nb": "nb", "nn": "nn"}.get(code, "nb")
    st.sidebar.html(f'<script src="app/static/js/lang.js" data-lang="{lang}"></script>',
                    unsafe_allow_javascript=True)


def tiles(figures: list[Figure], per_row: int = 3) -> None:
    """Tiles in rows of `per_row`; no tile is green in a year when more patients lost their GP, and SSB's
    indicators over lists with a doctor say which patients they leave out."""
    worse = patients_worse(figures)
    note = uncovered_note(figures)
    for start in range(0, len(figures), per_row):
        cols = st.columns(per_row)
        for col, figure in zip(cols, figures[start:start + per_row], strict=False):
            with col:
                figure_tile(figure, worse_for_patients=worse,
                            note=note if figure.indicator.name in OVER_LISTS_WITH_GP else None)


def chart(chart_obj: alt.TopLevelMixin | dict, source: str, description: str, key: str | None = None,
          on_select: str = "ignore", height: int | str = "content", projector: bool = False,
          frame_key: str | None = None, high_contrast: bool = False):
    """A chart (Altair, or a cached Vega-Lite spec dict) with its source and its text alternatives:
    `description` (one sentence) as the chart's alt text, and the chart's numbers as a table in a
    closed expander under it (for screen readers, keyboard users and anyone who wants the figures).

    Returns the selection state when on_select="rerun".

    Vega's own ARIA texts (English axis descriptions, «line mark container», one per data point) are
    switched off (config.aria = false): a screen reader meets one graphic named by `description`,
    and the numbers in the table under it.

    `height="stretch"` fills the container (the meeting view sizes it to the screen); `projector=True`
    draws axis, legend and mark text at PROJECTOR_TEXT px for a room (meeting view and slides).
    """
    if not isinstance(chart_obj, dict):
        try:
            chart_obj = chart_obj.to_dict(validate=False)
        except alt.MaxRowsError:  # more rows than Altair inlines: Streamlit sends them as Arrow
            event = st.altair_chart(chart_obj, width="stretch", key=key, alt=description, on_select=on_select)
            st.caption(t("Kilde: {source}", source=source))
            text_alternative(description, lambda: [], key)
            return event
    shared = chart_obj
    spec = {**shared, "config": accessible_config(shared.get("config"))}  # a copy: specs are shared
    if projector:
        spec["config"] = projector_config(spec["config"])
    if high_contrast:  # darker colours and black axes for a bright room (core.theme.HIGH_CONTRAST)
        spec = theme.high_contrast_spec(spec)
    if height == "stretch":
        spec.pop("height", None)
    if isinstance(spec.get("datasets"), dict):  # records → Arrow directly, without pandas
        spec["datasets"] = {name: pa.Table.from_pylist(rows) if isinstance(rows, list) else rows
                            for name, rows in spec["datasets"].items()}
    with st.container(key=frame_key) if frame_key else contextlib.nullcontext():  # a frame the page sizes
        event = st.vega_lite_chart(spec=spec, width="stretch", height=height, key=key, alt=description,
                                   on_select=on_select)
    st.caption(t("Kilde: {source}", source=source))
    text_alternative(description, lambda: _tables(shared), key)
    return event


PROJECTOR_TEXT = 18  # px: axis labels, legends and mark text in the meeting view and on slides (issue 19)


def projector_config(config: dict) -> dict:
    """A chart config whose axis, legend and text marks are PROJECTOR_TEXT px (titles 2 px larger), so
    they can be read from the back of a committee room; the normal page keeps Streamlit's density."""
    big = {"labelFontSize": PROJECTOR_TEXT, "titleFontSize": PROJECTOR_TEXT + 2}
    out = dict(config)
    for part in ("axis", "legend", "header"):
        out[part] = {**(out.get(part) or {}), **big, "labelLimit": 0} if part == "legend" else \
            {**(out.get(part) or {}), **big}
    out["legend"]["symbolSize"] = 200
    out["text"] = {**(out.get("text") or {}), "fontSize": PROJECTOR_TEXT}
    out["title"] = {**(out.get("title") or {}), "fontSize": PROJECTOR_TEXT + 4}
    return out


_TABLES: dict[tuple[int, str], tuple[dict, list[pa.Table]]] = {}  # id(spec), målform → (spec, tables)
_TABLES_MAX = 512


def _tables(spec: dict) -> list[pa.Table]:
    """chart_table.tables, kept for a cached spec (the same dict object on every rerun) per målform.

    Not on ui.cache.cached, which would not fit: the key is the spec object itself (its id, and the entry holds
    the spec so the id cannot be reused while it lives). @cached would hash the whole spec with its datasets on
    every rerun (st.cache_data), or cannot hash it at all (shared=True needs hashable arguments, a dict is not),
    and either would cost what the cache saves. The imports need no part in this key (a spec built from other
    imports is another object); the målform does: core.fmt writes a value it cannot show in it.
    """
    key = (id(spec), maalform())
    hit = _TABLES.get(key)
    if hit is not None and hit[0] is spec:
        return hit[1]
    found = chart_table.tables(spec)
    if len(_TABLES) >= _TABLES_MAX:
        _TABLES.clear()
    _TABLES[key] = (spec, found)  # holds the spec, so its id cannot be reused while the entry lives
    return found


def accessible_config(config: dict | None) -> dict:
    """A chart's Vega-Lite config with Vega's own ARIA texts off and text in CHART_TEXT.

    Streamlit's chart theme draws axis and legend text in #808495 (3,6:1 on white, under the 4,5:1
    WCAG asks for text); a chart's own colours, where it sets them, still win.
    """
    config = dict(config or {})
    config["aria"] = False  # guides (axes, legends) aria-hidden, no default descriptions
    config["mark"] = {**(config.get("mark") or {}), "aria": False}  # marks aria-hidden too
    text = {"labelColor": theme.CHART_TEXT, "titleColor": theme.CHART_TEXT}
    for part in ("axis", "legend", "header"):
        config[part] = {**text, **(config.get(part) or {})}
    config["title"] = {"color": theme.CHART_TEXT, "subtitleColor": theme.CHART_TEXT, **(config.get("title") or {})}
    return config


LAZY_KEYS: set[str] = set()  # every lazy expander's key (bench/sweep.py opens them all)


def lazy_expander(label: str, key: str, icon: str | None = None):
    """A closed expander whose content is built only while it is open (Streamlit's `.open`).

    Opening it reruns the page with the content; closed, it costs one element instead of every table
    and button inside it on each lever move (docs/robusthet.md). Use as
    `box = lazy_expander(...)`, then `if box.open: with box: ...`.
    """
    LAZY_KEYS.add(key)
    return st.expander(label, key=key, icon=icon, on_change="rerun")


def text_alternative(description: str, tables: Callable[[], list[pa.Table]], key: str | None = None) -> None:
    """The chart's one-sentence description and its numbers as HTML tables, in a closed expander.

    A chart with a key gets a lazy expander (`tabell_<key>`): the tables are made and sent only while
    it is open, not on every lever move. A chart without one (its identity would not be stable) keeps
    an ordinary expander with the tables inside.
    """
    label = t("Vis tallene som tabell")
    if key is None:
        box = st.expander(label, icon=":material/table:")
    else:
        box = lazy_expander(label, key=f"tabell_{key}", icon=":material/table:")
        if not box.open:
            return
    with box:
        st.markdown(description)
        found = tables()
        for table in found:
            st.table(table, hide_index=True)
        if not found:
            st.caption(t("Diagrammet har ingen tall å vise."))


# --- Tables and tiles any page can use -----------------------------------------------------------


def table(rows: list[dict[str, str]]) -> None:
    """A table of text rows (one dict per row, same keys), shown without an index."""
    st.dataframe(pa.Table.from_pylist(rows), hide_index=True, width="stretch")


def change_metric(label: str, value: str, change: float | None, suffix: str = "", decimals: int = 0,
                  higher_is_better: bool | None = True, help: str | None = None) -> None:
    """A bordered tile whose delta is a change; no arrow or colour when nothing changes."""
    unchanged = change is None or round(change, decimals) == 0
    delta = None if change is None else fmt.number(change, decimals, sign=True) + suffix
    color = "off" if unchanged or higher_is_better is None else ("normal" if higher_is_better else "inverse")
    st.metric(label, value, delta=delta, delta_color=color, delta_arrow="off" if unchanged else "auto",
              border=True, help=help)


def headline_tile(tile) -> None:
    """Render a ui.headlines.Tile: its delta coloured by its tone for the patients (green only in a
    better year), the arrow by the direction of the number."""
    st.metric(tile.label, tile.value, delta=tile.delta, delta_color=STREAMLIT_COLOR[tile.tone],
              delta_arrow=tile.arrow, help=tile.help, border=True, delta_description=tile.note)


DIFFERS_STYLE = "background-color: #FFF1C2; font-weight: 600"  # also visible in greyscale (bold)


def compare_table(frame, decimals: list[int], first_column: str) -> None:
    """Scenarios as columns, Norwegian numbers; cells that differ (as shown) from the first column
    are highlighted. `decimals` has one entry per row."""
    rows = list(frame.index)
    shown = {first_column: [str(i) for i in rows]}
    marks = {first_column: [""] * len(rows)}
    first = frame.iloc[:, 0]
    for col in frame.columns:
        values = frame[col].tolist()
        shown[col] = [fmt.number(v, d) for v, d in zip(values, decimals, strict=True)]
        marks[col] = [DIFFERS_STYLE if fmt.number(v, d) != fmt.number(f, d) else ""
                      for v, f, d in zip(values, first.tolist(), decimals, strict=True)]
    text, style = pd.DataFrame(shown), pd.DataFrame(marks)
    st.dataframe(text.style.apply(lambda _: style, axis=None), hide_index=True, width="stretch")


def busy_text() -> str:
    """What a user is told when another process (the command-line importer) holds the user database
    longer than core.db.LOCK_WAIT: an import is running, try again shortly (issue 24, finding 13)."""
    return t("En import pågår – prøv igjen om litt.")


def with_user_db(action, *args, unavailable: str | None = None):
    """Run `action(con, *args)` on a short-lived user-database connection; None and a Norwegian
    warning if the database cannot be used right now (locked by another process, disk full …)."""
    try:
        with db.connect_user() as con:
            return action(con, *args)
    except db.UserDbBusy:
        st.warning(busy_text() + " " + (t("Ingenting er endret.") if unavailable is None else unavailable),
                   icon="⚠️")
        return None
    except (duckdb.Error, OSError) as exc:
        st.warning(t("Brukerdatabasen er ikke tilgjengelig akkurat nå ({error}). {unavailable}",
                     error=type(exc).__name__,
                     unavailable=t("Ingenting er endret.") if unavailable is None else unavailable), icon="⚠️")
        return None
