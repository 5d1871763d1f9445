"""Export of a page's scenario for the case documents: Excel workbook, charts as PNG/SVG, PDF.

Pure functions, no streamlit: a `Report` (everything the files show, numbers as numbers and text
already in the målform in force) goes in, bytes come out. Any page hands over its own Report:
its levers (assumptions), a year-by-year table, extra tables, the statistics it used, charts and
sources (each page's ui/<topic>_export.py, declared in ui.shell.PAGES and drawn by ui/export_view.py). The
fixed texts of the files (sheet names, headings) are translated with t() when the file is made.

Numbers: each quantity has one number format, and Excel and the PDF both follow it. Whole-number
quantities (counts, kroner, hjemler, places) have the format INT and are stored rounded to whole
numbers; only genuinely fractional ones (an index, FTE, a rate) keep decimals. A share is stored
as a fraction with a percent format («0.0 %»: 0.141 shows as 14,1 %). Excel shows the user's own
separators. Every table says what it holds (a sentence above it), and the PDF's tables size each
column to its longest word and widest value, so no word is ever broken: a smaller font, a
landscape page or a split table instead.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from core import fmt, usertext
from core.capacity import CapacityBase
from core.i18n import N_, t
from core.params import levers

# --- what goes in -----------------------------------------------------------------------------------

INT = "#,##0"  # Excel shows the user's own separators: «12 345» in Norwegian Excel and LibreOffice
YEAR = "0"
PERCENT = "0.0 %"  # on a fraction: 0.141 → «14,1 %»
TEXT = "@"
CURRENT = N_("Gjeldende valg")  # the name of levers not saved as a scenario (files, slides and meeting view alike)


def decimals_format(decimals: int) -> str:
    """An Excel number format with thousands grouping and `decimals` decimals ('#,##0.0')."""
    return INT if decimals <= 0 else INT + "." + "0" * decimals


def format_decimals(number_format: str) -> int:
    """The decimals an Excel format of this module shows ('#,##0.00' → 2, '0.0 %' → 1, '0' → 0)."""
    digits = number_format.replace("%", "").strip()
    return len(digits.split(".", 1)[1]) if "." in digits else 0


def stored(value: Any, number_format: str | None) -> Any:
    """The value as the cell keeps it: a whole-number format stores a whole number (kroner to the krone)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return value
    if number_format and "%" not in number_format and format_decimals(number_format) == 0 and number_format != TEXT:
        return int(round(value))
    return value


def number_text(value: Any, number_format: str | None) -> str:
    """A value as the PDF shows it, by its Excel format: '1 234', '2,85', '14,1 %', '2040'; text as it is."""
    if isinstance(value, str):
        return value
    if value is None or value != value:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if number_format == YEAR:
        return str(int(round(value)))
    decimals = format_decimals(number_format or INT)
    if number_format and "%" in number_format:
        return fmt.percent(float(value), decimals, minus=fmt.MINUS)
    return _no(value, decimals)


@dataclass(frozen=True)
class Assumption:
    """One lever or parameter: value and default as numbers (or text), unit, format and source."""

    section: str  # «Fastlegekapasitet» or «Økonomi (kostnadslinjen)», in the målform in force
    group: str
    label: str
    value: Any
    default: Any
    unit: str
    number_format: str  # Excel format for numbers; ignored for text
    source: str
    value_text: str  # the value as the PDF shows it
    default_text: str


@dataclass(frozen=True)
class Column:
    """One column of a table: header, decimals, values (None = missing; text stays text).

    `formats` gives each row its own Excel format (a column of mixed quantities, e.g. key figures or
    levers side by side); empty, every row has the column's `decimals`.
    """

    header: str
    decimals: int | None  # None: a year (no grouping), or a text column
    values: tuple[float | str | None, ...]
    formats: tuple[str, ...] = ()

    def format_of(self, row: int) -> str:
        """The Excel number format of row `row`."""
        if self.formats:
            return self.formats[row]
        return YEAR if self.decimals is None else decimals_format(self.decimals)

    def text(self, row: int) -> str:
        """Row `row` as the PDF shows it."""
        return number_text(self.values[row], self.format_of(row))


@dataclass(frozen=True)
class Table:
    """A table of its own (one sheet in Excel, one block in the PDF): title, what it holds, columns."""

    title: str
    columns: tuple[Column, ...]
    note: str = ""
    in_pdf: bool = True  # False: in the workbook only
    about: str = ""  # one sentence: what the numbers are (and their source); empty: made from the headers


@dataclass(frozen=True)
class Statistic:
    """One figure of the starting point, with its year and source."""

    label: str
    value: float
    unit: str
    year: int
    source: str


@dataclass(frozen=True)
class Chart:
    """A chart to export: file stem, title, text alternative and its Vega-Lite spec."""

    key: str
    title: str
    description: str
    spec: dict = field(hash=False, compare=False)


@dataclass(frozen=True)
class Report:
    """Everything an export shows for one page's scenario (text in the målform in force)."""

    kommune: str
    kommunenummer: str
    scenario_name: str  # the open scenario's name (ui.export_view.open_scenario), or CURRENT
    description: str
    made: date
    data_version: str
    starting_point: str  # e.g. «Alver: SSB-statistikk 2025»
    key_figures: tuple[tuple[str, str], ...]  # (label, value as text)
    key_points: tuple[str, ...]  # sentences
    assumptions: tuple[Assumption, ...]
    years: tuple[Column, ...]
    statistics: tuple[Statistic, ...]
    charts: tuple[Chart, ...]
    sources: tuple[str, ...]
    page: str = ""  # the page's title, e.g. «Økonomi»; empty means «Fastlegekapasitet»
    tables: tuple[Table, ...] = ()  # extra tables after «År for år»
    pdf_columns: tuple[str, ...] = ()  # headers of the year table shown in the PDF; empty: the first nine
    years_about: str = ""  # what the year table holds, one sentence; empty: made from the headers

    @property
    def page_title(self) -> str:
        return self.page or t("Fastlegekapasitet")

    @property
    def scenario(self) -> str:
        """The scenario's name as every page and sheet shows it («Gjeldende valg» when it has none)."""
        return self.scenario_name or t(CURRENT)


def lever_format(lv: Any) -> str:
    """The Excel format of a numeric lever: a share in percent, a year, whole numbers, or the step's decimals."""
    if lv.display_scale == 100.0:
        return PERCENT if (lv.step or 0.001) >= 0.001 else "0.00 %"
    if lv.unit == "år":
        return YEAR
    if lv.kind == "int":
        return INT
    step = float(lv.step or 0.01)
    return decimals_format(next((d for d in range(4) if abs(step * 10 ** d - round(step * 10 ** d)) < 1e-9), 4))


def lever_value(lv: Any, value: Any, text_of: Callable[[Any, Any], str], names: dict[str, str]) -> tuple[Any, str]:
    """(value as a cell keeps it, value as the PDF shows it): a number stays a number, bool and choice are text."""
    if lv.kind == "bool":
        return text_of(lv, value), text_of(lv, value)
    if lv.kind == "choice":
        return names.get(value, value), str(names.get(value, value))
    return value, number_text(value, lever_format(lv))


def lever_rows(params: Any, defaults: Any, section: str,
               text_of: Callable[[Any, Any], str], unit_of: Callable[[Any], str] | None = None,
               choice_labels: dict[str, str] | None = None) -> list[Assumption]:
    """Every lever of a parameters object as an Assumption (value and default as numbers, source translated).

    `text_of(lever, value)` gives a bool's value as the page shows it («på»/«av»); numbers are shown by
    their Excel format (lever_format), so the PDF and the workbook agree. `unit_of(lever)` gives the unit.
    """
    names = choice_labels or {}
    rows = []
    for lv in levers(params):
        number_format = TEXT if lv.kind in ("bool", "choice") else lever_format(lv)
        value, value_text = lever_value(lv, getattr(params, lv.name), text_of, names)
        default, default_text = lever_value(lv, getattr(defaults, lv.name), text_of, names)
        rows.append(Assumption(
            section=section, group=t(lv.group), label=t(lv.label), value=value, default=default,
            unit=t(unit_of(lv) if unit_of else lv.unit), number_format=number_format,
            source=t(lv.source) if lv.source else "", value_text=value_text, default_text=default_text))
    return rows


_BASE_FIGURES = (
    ("hjemler", N_("Hjemler (fastlegelister)"), N_("lister")),
    ("vacant_lists", N_("Lister uten fast lege"), N_("lister")),
    ("list_capacity", N_("Sum listetak, lister med lege"), N_("personer")),
    ("patients_with_gp", N_("Pasienter på lister med lege"), N_("personer")),
    ("patients_without_gp", N_("Pasienter på lister uten lege"), N_("personer")),
    ("residents", N_("Innbyggere"), N_("personer")),
    ("external_patients", N_("Listepasienter bosatt i andre kommuner"), N_("personer")),
    ("exits_per_year", N_("Leger som slutter per år"), N_("leger per år")),
    ("waiting_list", N_("Venteliste"), N_("personer")),
    ("lis1_places", N_("LIS1-plasser"), N_("plasser")),
)


def statistics_rows(base: CapacityBase) -> list[Statistic]:
    """The starting point's figures that exist (counts as counts), each with year and source."""
    rows = []
    for attr, label, unit in _BASE_FIGURES:
        value = getattr(base, attr)
        if value is None:
            continue
        rows.append(Statistic(t(label), float(value), t(unit), base.year, base.source))
    return rows


# --- names: sheets and what each table holds -----------------------------------------------------------

SHEET_MAX = 31  # characters Excel allows in a sheet name
_CUT_TRAIL = " \u00a0-–—,.;:·/(«\"'"


def cut_at_word(text: str, limit: int) -> str:
    """`text` shortened to at most `limit` characters at a word boundary, no trailing space or punctuation.

    An opening bracket left without its closing one goes too («Legeårsverk (Legeplans» → «Legeårsverk»).
    A single word longer than `limit` is cut (nothing else fits).
    """
    text = " ".join(text.split())
    if len(text) > limit:
        room = text[:limit + 1]
        cut = room.rfind(" ")
        text = room[:cut] if cut > 0 else text[:limit]
    text = text.rstrip(_CUT_TRAIL)
    if text.count("(") > text.count(")"):
        text = text[:text.rfind("(")].rstrip(_CUT_TRAIL) or text
    return text


def sheet_title(text: str, taken: Collection[str] = ()) -> str:
    """A valid Excel sheet name: no []:*?/\\, at most 31 characters cut at a word, unique among `taken`
    (Excel compares names without case; a repeat gets « (2)», « (3)» …)."""
    for ch in "[]:*?/\\":
        text = text.replace(ch, " ")
    base = cut_at_word(text.strip("' "), SHEET_MAX).strip("'") or t("Ark")
    used = {name.lower() for name in taken}
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = cut_at_word(base, SHEET_MAX - len(suffix)) + suffix
        n += 1
    return name


def _lower_first(text: str) -> str:
    """«Listepasienter» → «listepasienter»; an abbreviation («SSB …», «LIS1-plasser») stays as it is."""
    word = text.split(" ", 1)[0]
    return text if len(word) > 1 and word[:2].isupper() else text[:1].lower() + text[1:]


def about_columns(title: str, kommune: str, scenario: str, columns: Sequence[Column]) -> str:
    """A sentence saying what a table holds, from its title and headers: «Økonomi år for år for Alver,
    scenario «X»: pasienter i snitt, konsultasjoner …, 1–3.» (a first column of years gives the span)."""
    headers = [c.header for c in columns]
    first = columns[0] if columns else None
    by_year = bool(first and first.decimals is None and first.values and _numeric(first))
    what = ", ".join(_lower_first(h) for h in (headers[1:] if by_year else headers))
    if by_year:
        years = [int(v) for v in first.values if v is not None]
        return t("{title} for {kommune}, scenario «{scenario}»: {what}, {start}–{end}.", title=title,
                 kommune=kommune, scenario=scenario, what=what, start=min(years), end=max(years))
    return t("{title} for {kommune}, scenario «{scenario}»: {what}.", title=title, kommune=kommune,
             scenario=scenario, what=what)


def years_about(report: Report) -> str:
    """What the year table holds: the page's own sentence, or one made from its headers."""
    return report.years_about or about_columns(t("{page} år for år", page=report.page_title), report.kommune,
                                               report.scenario, report.years)


def table_about(table: Table, report: Report) -> str:
    """What a table holds: its own sentence, or one made from its title and headers."""
    return table.about or about_columns(table.title, report.kommune, report.scenario, table.columns)


def context_line(report: Report) -> str:
    """The line on top of every sheet: page, kommune and the scenario's name."""
    return t("{page} – {kommune} · Scenario: {scenario}", page=report.page_title, kommune=report.kommune,
             scenario=report.scenario)


# --- Excel ---------------------------------------------------------------------------------------------

HEADER_ROW = 3  # row 1: page, kommune and scenario; row 2: what the sheet holds; row 3: headers


def neutralise(text: object) -> str:
    """Text that a spreadsheet would read as a formula (=, +, -, @ first) made inert with a leading «'»;
    characters XML (and so .xlsx) cannot hold are removed (usertext.for_cell)."""
    return usertext.for_cell(text)


def _put(ws, row: int, col: int, value: Any, number_format: str | None = None):
    """Write one cell: numbers as numbers (with a format, whole numbers rounded), everything else as inert text."""
    cell = ws.cell(row=row, column=col)
    if value is None or (isinstance(value, float) and value != value):
        return cell
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        cell.value = neutralise(value)
        cell.data_type = "s"
    else:
        cell.value = stored(value, number_format)
        if number_format:
            cell.number_format = number_format
    return cell


def _top(ws, report: Report, about: str) -> None:
    """Rows 1 and 2 of a sheet: page, kommune and scenario (bold), and what the sheet holds."""
    from openpyxl.styles import Font

    _put(ws, 1, 1, context_line(report)).font = Font(bold=True, size=12)
    _put(ws, 2, 1, about).font = Font(italic=True)


def _header(ws, headers: Sequence[str], widths: Sequence[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor="DCE6F1")
    for i, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = _put(ws, HEADER_ROW, i, text)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"


def _table_sheet(ws, report: Report, about: str, columns: Sequence[Column]) -> None:
    """Columns as a sheet: what it holds on top, then numbers as numbers with their format, text as text."""
    _top(ws, report, about)
    _header(ws, [c.header for c in columns], [8 if c.decimals is None and _numeric(c) and not c.formats else
                                              16 if _numeric(c) else 30 for c in columns])
    for c, column in enumerate(columns, start=1):
        for r, value in enumerate(column.values):
            _put(ws, HEADER_ROW + 1 + r, c, value, column.format_of(r))


def _numeric(column: Column) -> bool:
    return all(v is None or isinstance(v, (int, float)) for v in column.values)


def workbook(report: Report) -> bytes:
    """The scenario as an .xlsx: «Forutsetninger», «År for år», the page's own tables, «Statistikk», «Om».

    Every sheet but «Om» opens with the page, kommune and scenario, then a sentence saying what it holds."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active

    def sheet(title: str):
        return wb.create_sheet(sheet_title(title, wb.sheetnames))

    if not report.assumptions:  # a comparison has its levers in a table of its own
        wb.remove(ws)
    else:
        ws.title = sheet_title(t("Forutsetninger"))
        _top(ws, report, t("Forutsetninger i {page} for {kommune}: hver spak med verdien i scenarioet «{scenario}», "
                           "standardverdien, enheten og kilden for standardverdien.", page=report.page_title,
                           kommune=report.kommune, scenario=report.scenario))
        _header(ws, [t("Del"), t("Gruppe"), t("Forutsetning"), t("Verdi"), t("Standard"), t("Enhet"),
                     t("Kilde for standardverdien")],
                [24, 30, 42, 14, 14, 24, 90])
        for r, a in enumerate(report.assumptions, start=HEADER_ROW + 1):
            for c, value in enumerate((a.section, a.group, a.label), start=1):
                _put(ws, r, c, value)
            _put(ws, r, 4, a.value, a.number_format)
            _put(ws, r, 5, a.default, a.number_format)
            _put(ws, r, 6, a.unit)
            _put(ws, r, 7, a.source).alignment = Alignment(wrap_text=True, vertical="top")

    if report.years:
        _table_sheet(sheet(t("År for år")), report, years_about(report), report.years)

    for table in report.tables:
        _table_sheet(sheet(table.title), report, table_about(table, report), table.columns)

    if report.statistics:
        ws = sheet(t("Statistikk"))
        _top(ws, report, t("Statistikken {page} bygger på for {kommune}: hvert tall med enhet, år og kilde.",
                           page=report.page_title, kommune=report.kommune))
        _header(ws, [t("Tall"), t("Verdi"), t("Enhet"), t("År"), t("Kilde")] if report.page else
                [t("Tall"), t("Verdi"), t("Enhet"), t("År (31.12.)"), t("Kilde")], [40, 14, 16, 12, 90])
        for r, s in enumerate(report.statistics, start=HEADER_ROW + 1):
            _put(ws, r, 1, s.label)
            _put(ws, r, 2, s.value, INT if float(s.value).is_integer() else decimals_format(2))
            _put(ws, r, 3, s.unit)
            _put(ws, r, 4, s.year, YEAR)
            _put(ws, r, 5, s.source).alignment = Alignment(wrap_text=True, vertical="top")

    ws = sheet(t("Om"))
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 110
    about = [(t("Kommune"), f"{report.kommune} ({report.kommunenummer})")]
    if report.page:
        about.append((t("Side"), report.page))
    about += [(t("Scenario"), report.scenario),
              (t("Beskrivelse"), report.description or t("(ingen beskrivelse)"))]
    if report.starting_point:
        about.append((t("Utgangspunkt"), report.starting_point))
    about += [(t("Dato"), report.made),
              (t("Datagrunnlag (versjon)"), report.data_version), (t("Laget med"), "Legeplan")]
    about += [(t("Kilde") if i == 0 else "", s) for i, s in enumerate(report.sources)]
    for r, (label, value) in enumerate(about, start=1):
        _put(ws, r, 1, label).font = Font(bold=True)
        if isinstance(value, date):  # a date cell, shown as 25.11.2026
            ws.cell(row=r, column=2, value=value).number_format = "dd.mm.yyyy"
            ws.cell(row=r, column=2).alignment = Alignment(horizontal="left")
            continue
        _put(ws, r, 2, value).alignment = Alignment(wrap_text=True, vertical="top")

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- charts ----------------------------------------------------------------------------------------------

SLIDE_WIDTH = 1600  # pixels of a PNG for a slide (16:9 at 1600 × 900)
_SCALE = 2.0


def _sized(spec: dict, width_px: int, title: str | None) -> dict:
    """The spec at a fixed width (in CSS pixels before scaling), with its title."""
    sized = {**spec, "width": int(width_px / _SCALE), "autosize": {"type": "fit", "contains": "padding"}}
    height = spec.get("height", 300)
    if isinstance(height, (int, float)):  # a step height ({"step": 48}) grows with the rows: kept as it is
        sized["height"] = max(int(height), int(sized["width"] * 0.42))
    if title:
        sized["title"] = {"text": title, "fontSize": 16, "anchor": "start"}
    return sized


def chart_png(spec: dict, title: str | None = None, width_px: int = SLIDE_WIDTH) -> bytes:
    """A Vega-Lite spec as PNG, `width_px` pixels wide (rendered at 2× for sharp text)."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(_sized(spec, width_px, title), scale=_SCALE)


def chart_svg(spec: dict, title: str | None = None, width_px: int = SLIDE_WIDTH) -> bytes:
    """A Vega-Lite spec as SVG (UTF-8), the same layout as the PNG (viewBox half its pixels)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(_sized(spec, width_px, title)).encode("utf-8")


# --- PDF -------------------------------------------------------------------------------------------------

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path(__file__).resolve().parent.parent / "data" / "fonts")


def font_files() -> tuple[Path, Path]:
    """DejaVu Sans regular and bold (æøå); from Debian's fonts-dejavu-core, else data/fonts/."""
    for d in FONT_DIRS:
        regular, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    raise FileNotFoundError(t("Fant ikke skrifttypen DejaVu Sans (installer fonts-dejavu-core)."))


PDF_TITLE = N_("Vedlegg til saksframlegg")
FONT = "DejaVu"
TABLE_SIZES = (8.0, 7.5, 7.0)  # font sizes (pt) a table may use on a portrait page before it turns landscape
LANDSCAPE_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0)
MARGIN = 18.0  # mm left and right
PORTRAIT_WIDTH = 210.0 - 2 * MARGIN  # the text width of a portrait A4 page
_PAD = (0.6, 1.0)  # cell padding in mm: top/bottom, left/right
_SLACK = 2 * _PAD[1] + 0.8  # a column is this much wider than its widest word (padding, border, rounding)


@dataclass(frozen=True)
class PdfTable:
    """A table as the PDF draws it: headers, rows of text, which columns are numbers (right-aligned,
    never wrapped) and which may wrap at spaces."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    share: tuple[float, ...] = ()  # how a text column's wish for width is capped, as a share of the page
    right: tuple[bool, ...] = ()  # right-aligned columns; empty: the numbers


def _words(text: str) -> list[str]:
    return [w for w in text.split(" ") if w] or [""]


def column_widths(doc: Any, table: PdfTable, width: float, size: float) -> list[float] | None:
    """Column widths (mm) that hold every header word and every value whole at `size` pt, filling `width`;
    None when the table does not fit. Headers wrap at spaces only; a number never wraps; a text column
    wraps at spaces."""
    need, wish = [], []
    for i, header in enumerate(table.headers):
        doc.set_font(FONT, "B", size)
        head = max(doc.get_string_width(w) for w in _words(header))
        doc.set_font(FONT, "", size)
        cells = [row[i] for row in table.rows]
        full = max((doc.get_string_width(c) for c in cells), default=0.0)
        word = full if table.numeric[i] else max((doc.get_string_width(w) for c in cells for w in _words(c)),
                                                 default=0.0)
        cap = width * (table.share[i] if table.share else 0.45)
        doc.set_font(FONT, "B", size)
        whole = min(doc.get_string_width(header), cap)  # the header on one line, if there is room
        need.append(max(head, word) + _SLACK)
        wish.append(max(head, word, min(full, cap), whole) + _SLACK)
    if sum(need) > width + 1e-6:
        return None
    extra, room = width - sum(need), [w - n for w, n in zip(wish, need, strict=True)]
    if sum(room) >= extra and sum(room) > 0:
        return [n + extra * r / sum(room) for n, r in zip(need, room, strict=True)]
    extra -= sum(room)  # every wish met: the rest shared by all
    return [w + extra * w / sum(wish) for w in wish]


def split_columns(doc: Any, table: PdfTable, width: float, size: float) -> list[PdfTable]:
    """A table too wide for the page as several tables of its columns, each repeating the first column."""
    parts, current = [], [0]
    for i in range(1, len(table.headers)):
        trial = [*current, i]
        if column_widths(doc, _pick(table, trial), width, size) is None and len(current) > 1:
            parts.append(current)
            current = [0, i]
        else:
            current = trial
    parts.append(current)
    return [_pick(table, p) for p in parts]


def _pick(table: PdfTable, columns: Sequence[int]) -> PdfTable:
    return PdfTable(tuple(table.headers[i] for i in columns), tuple(tuple(r[i] for i in columns) for r in table.rows),
                    tuple(table.numeric[i] for i in columns),
                    tuple(table.share[i] for i in columns) if table.share else (),
                    tuple(table.right[i] for i in columns) if table.right else ())


def pdf(report: Report) -> bytes:
    """The PDF «Vedlegg til saksframlegg»: front page with key figures, charts, tables, assumptions, sources.

    Every page's footer names the kommune and the scenario («Alver · To nye hjemler · Side 2 av 6")."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    report = replace(report, scenario_name=usertext.clean(report.scenario_name, multiline=False),
                     description=usertext.clean(report.description))  # no control or bidi characters on paper

    regular, bold = font_files()
    title, page = t(PDF_TITLE), report.page_title

    class _Doc(FPDF):
        def footer(self) -> None:
            self.set_y(-13)
            self.set_text_color(90, 90, 90)
            text = (t("{kommune} · {scenario}", kommune=report.kommune, scenario=report.scenario) + " · "
                    + t("Side {page} av {pages}", page=self.page_no(), pages="{nb}"))
            size = 8.0
            self.set_font(FONT, size=size)
            while size > 5.5 and self.get_string_width(text) > self.epw:  # the name whole, on one line if it can
                size -= 0.5
                self.set_font(FONT, size=size)
            self.multi_cell(0, size * 0.45, text, align="C", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0, 0, 0)

    doc = _Doc(format="A4", unit="mm")
    doc.set_title(f"{title}: {page} – {report.kommune} · {report.scenario}")
    doc.set_author("Legeplan")
    doc.add_font(FONT, "", str(regular))
    doc.add_font(FONT, "B", str(bold))
    doc.set_auto_page_break(True, margin=18)
    doc.set_margins(MARGIN, 16, MARGIN)
    heading = FontFace(emphasis="BOLD", fill_color=(220, 230, 241))

    def h1(text: str) -> None:
        doc.set_font(FONT, "B", 18)
        doc.multi_cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
        doc.ln(1)

    def h2(text: str) -> None:
        doc.set_font(FONT, "B", 13)
        doc.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        doc.ln(1)

    def para(text: str, size: float = 10.5) -> None:
        doc.set_font(FONT, "", size)
        doc.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        doc.ln(1.5)

    def table(block: PdfTable, sizes: Sequence[float] = TABLE_SIZES) -> None:
        """A table whose words are never broken: smaller font, then a landscape page, then split."""
        portrait = doc.w < doc.h
        fitted = next(((s, w) for s in (sizes if portrait else LANDSCAPE_SIZES)
                       if (w := column_widths(doc, block, doc.epw, s))), None)
        if fitted is None and portrait:
            doc.add_page(orientation="L")
            fitted = next(((s, w) for s in LANDSCAPE_SIZES if (w := column_widths(doc, block, doc.epw, s))), None)
        if fitted is None:
            for part in split_columns(doc, block, doc.epw, LANDSCAPE_SIZES[-1]):
                table(part)
                doc.ln(2)
            return
        size, widths = fitted
        doc.set_font(FONT, "", size)
        align = tuple("RIGHT" if r else "LEFT" for r in (block.right or block.numeric))
        with doc.table(col_widths=widths, width=min(sum(widths), doc.epw), headings_style=heading, line_height=size * 0.5,
                       text_align=align, padding=_PAD) as drawn:
            drawn.row(list(block.headers))
            for row in block.rows:
                drawn.row(list(row))

    # 1. Front page
    doc.add_page()
    doc.set_font(FONT, "", 11)
    doc.set_text_color(90, 90, 90)
    made = fmt.date(report.made)
    doc.cell(0, 6, t("{kommune} kommune · {date}", kommune=report.kommune, date=made), new_x="LMARGIN",
             new_y="NEXT")
    doc.set_text_color(0, 0, 0)
    h1(title)
    h2(f"{page} – {report.kommune}: {report.scenario}")
    if report.description:
        para(report.description)
    version = t("Datagrunnlag: versjon {version}. Laget med Legeplan {date}.", version=report.data_version,
                date=made)
    para((t("Utgangspunkt: {start}.", start=report.starting_point) + " " if report.starting_point else "")
         + version, 9)
    if report.key_figures:
        h2(t("Nøkkeltall"))
        para(t("Nøkkeltallene for scenarioet «{scenario}» i {kommune}, som på siden {page}.",
               scenario=report.scenario, kommune=report.kommune, page=page), 8.5)
        table(PdfTable((t("Nøkkeltall"), t("Verdi")), tuple((label, value) for label, value in report.key_figures),
                       (False, False), (0.6, 0.45), (False, True)), sizes=(10.0, 9.0, *TABLE_SIZES))
        doc.ln(3)
    if report.key_points:
        h2(t("Hovedpunkter"))
        for sentence in report.key_points:
            para("• " + sentence.replace("**", ""))

    # 2. Charts, two per page
    for i, chart in enumerate(report.charts):
        if i % 2 == 0:
            doc.add_page()
            h2(t("Figurer") if i == 0 else t("Figurer (forts.)"))
        png = chart_png(chart.spec, chart.title, width_px=1400)
        doc.image(io.BytesIO(png), w=doc.epw, alt_text=chart.description)
        doc.set_font(FONT, "", 8.5)
        doc.multi_cell(0, 4.2, chart.description, new_x="LMARGIN", new_y="NEXT")
        doc.ln(4)

    # 3. Year by year (the columns that fit the page), then the page's own tables
    if report.years:
        wanted = report.pdf_columns or tuple(c.header for c in report.years[:9])
        shown = [c for c in report.years if c.header in wanted]
        block = _pdf_block(shown)
        doc.add_page(orientation="P" if any(column_widths(doc, block, PORTRAIT_WIDTH, s) for s in TABLE_SIZES) else "L")
        h2(t("År for år"))
        para(years_about(report), 8.5)
        table(block)
        if len(shown) < len(report.years):
            para(t("Alle kolonnene står i Excel-arket «{sheet}».", sheet=t("År for år")), 8.5)
    for i, extra in enumerate([x for x in report.tables if x.in_pdf]):
        block = _pdf_block(extra.columns)
        if doc.w < doc.h and not any(column_widths(doc, block, doc.epw, s) for s in TABLE_SIZES):
            doc.add_page(orientation="L")  # turned before its title, so the title stays with the table
        elif (i == 0 and not report.years) or doc.get_y() > doc.h * 0.6:
            doc.add_page(orientation="L" if doc.w > doc.h else "P")
        else:
            doc.ln(4)
        h2(extra.title)
        para(table_about(extra, report), 8.5)
        table(block)
        if extra.note:
            para(extra.note, 8.5)
        doc.ln(2)

    # 4. Assumptions and sources
    doc.add_page(orientation="P")
    if report.assumptions:
        _assumptions(doc, report, h2, para, table)
    h2(t("Kilder"))
    for source in report.sources:
        para("• " + source, 9)
    out = doc.output()
    return bytes(out)


def _pdf_block(columns: Sequence[Column]) -> PdfTable:
    """Columns as the PDF draws them: every value as text by its format."""
    n = len(columns[0].values) if columns else 0
    return PdfTable(tuple(c.header for c in columns), tuple(tuple(c.text(r) for c in columns) for r in range(n)),
                    tuple(_numeric(c) for c in columns))


def _assumptions(doc, report: Report, h2, para, table) -> None:
    """Every lever with its value, default and source, one table per section (changed ones marked *)."""
    h2(t("Forutsetninger"))
    para(t("Hver spak med verdien i dette scenarioet, standardverdien og kilden for standardverdien. "
           "Rader der verdien er endret fra standard, er merket med *."), 9)
    for section in dict.fromkeys(a.section for a in report.assumptions):
        doc.set_font(FONT, "B", 10)
        doc.cell(0, 7, section, new_x="LMARGIN", new_y="NEXT")
        rows = []
        for a in report.assumptions:
            if a.section != section:
                continue
            changed = "\u00a0*" if a.value_text != a.default_text else ""  # the mark stays with its word
            unit = f" ({a.unit})" if a.unit and a.unit != t("år") else ""
            rows.append((a.label + unit + changed, a.value_text, a.default_text, a.source))
        table(PdfTable((t("Forutsetning"), t("Verdi"), t("Standard"), t("Kilde for standardverdien")), tuple(rows),
                       (False, False, False, False), (0.3, 0.14, 0.14, 0.5), (False, True, True, False)))
        doc.ln(3)


def _no(x: float | str | None, decimals: int | None) -> str:
    """A number in Norwegian format for the PDF's tables (year without grouping); text as it is."""
    if isinstance(x, str):
        return x
    if x is None or x != x:
        return "–"
    if decimals is None:
        return str(int(x))
    return fmt.number(x, decimals, minus=fmt.MINUS)
