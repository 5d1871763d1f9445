"""Export of a page's scenario for the case documents: Excel workbook, charts as PNG/SVG, PDF.

Pure functions, no streamlit: a `Report` (everything the files show, numbers as numbers and text
already in the målform in force) goes in, bytes come out. Any page hands over its own Report:
its levers (assumptions), a year-by-year table, extra tables, the statistics it used, charts and
sources (ui/export_view.py for Fastlegekapasitet, ui/export_pages.py for the other pages). The
fixed texts of the files (sheet names, headings) are translated with t() when the file is made.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from core.capacity import CapacityBase
from core.i18n import N_, t
from core.params import levers

# --- what goes in -----------------------------------------------------------------------------------

INT = "#,##0"  # Excel shows the user's own separators: «12 345» in Norwegian Excel and LibreOffice
YEAR = "0"
PERCENT = "0.0 %"


def decimals_format(decimals: int) -> str:
    """An Excel number format with thousands grouping and `decimals` decimals ('#,##0.0')."""
    return INT if decimals <= 0 else INT + "." + "0" * decimals


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
    value_text: str  # the value as the page shows it (for the PDF)
    default_text: str


@dataclass(frozen=True)
class Column:
    """One column of a table: header, decimals, values (None = missing; text stays text)."""

    header: str
    decimals: int | None  # None: a year (no grouping), or a text column
    values: tuple[float | str | None, ...]


@dataclass(frozen=True)
class Table:
    """A table of its own (one sheet in Excel, one block in the PDF): title and columns."""

    title: str
    columns: tuple[Column, ...]
    note: str = ""
    in_pdf: bool = True  # False: in the workbook only


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
    scenario_name: str
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

    @property
    def page_title(self) -> str:
        return self.page or t("Fastlegekapasitet")


def lever_rows(params: Any, defaults: Any, section: str,
               text_of: Callable[[Any, Any], str], unit_of: Callable[[Any], str] | None = None,
               choice_labels: dict[str, str] | None = None) -> list[Assumption]:
    """Every lever of a parameters object as an Assumption (value and default as numbers).

    `text_of(lever, value)` gives the value as the page shows it; `unit_of(lever)` the unit.
    """
    names = choice_labels or {}
    rows = []
    for lv in levers(params):
        value, default = getattr(params, lv.name), getattr(defaults, lv.name)
        if lv.kind == "bool":
            value, default, number_format = (t("ja") if value else t("nei")), (t("ja") if default else t("nei")), "@"
        elif lv.kind == "choice":
            value, default, number_format = names.get(value, value), names.get(default, default), "@"
        elif lv.display_scale == 100.0:
            number_format = PERCENT if (lv.step or 0.001) >= 0.001 else "0.00 %"
        elif lv.unit == "år":
            number_format = YEAR
        elif lv.kind == "int":
            number_format = INT
        else:
            step = lv.step or 0.01
            number_format = decimals_format(0 if float(step).is_integer() else (1 if step * 10 % 1 == 0 else 2))
        rows.append(Assumption(
            section=section, group=t(lv.group), label=t(lv.label), value=value, default=default,
            unit=t(unit_of(lv) if unit_of else lv.unit), number_format=number_format, source=lv.source,
            value_text=str(value) if lv.kind == "choice" else text_of(lv, getattr(params, lv.name)),
            default_text=str(default) if lv.kind == "choice" else text_of(lv, getattr(defaults, lv.name))))
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


# --- Excel ---------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: object) -> str:
    """Text that a spreadsheet would read as a formula (=, +, -, @ first) made inert with a leading «'»."""
    s = str(text)
    return "'" + s if s.startswith(_FORMULA_START) else s


def _put(ws, row: int, col: int, value: Any, number_format: str | None = None):
    """Write one cell: numbers as numbers (with a format), everything else as inert text."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        return cell
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        cell.value = neutralise(value)
        cell.data_type = "s"
    else:
        cell.value = value
        if number_format:
            cell.number_format = number_format
    return cell


def _header(ws, headers: Sequence[str], widths: Sequence[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor="DCE6F1")
    for i, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = _put(ws, 1, i, text)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"


def _table_sheet(ws, columns: Sequence[Column]) -> None:
    """Columns as a sheet: numbers as numbers with their format, text as text."""
    _header(ws, [c.header for c in columns], [8 if c.decimals is None and _numeric(c) else 16 if
                                                 _numeric(c) else 30 for c in columns])
    for c, column in enumerate(columns, start=1):
        number_format = YEAR if column.decimals is None else decimals_format(column.decimals)
        for r, value in enumerate(column.values, start=2):
            _put(ws, r, c, value if value is None or value == value else None, number_format)


def _numeric(column: Column) -> bool:
    return all(v is None or isinstance(v, (int, float)) for v in column.values)


def sheet_title(text: str) -> str:
    """A valid, short Excel sheet name (no []:*?/\\, at most 31 characters)."""
    for ch in "[]:*?/\\":
        text = text.replace(ch, " ")
    return text.strip()[:31] or "Ark"


def workbook(report: Report) -> bytes:
    """The scenario as an .xlsx: «Forutsetninger», «År for år», the page's own tables, «Statistikk», «Om»."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    if not report.assumptions:  # a comparison has its levers in a table of its own
        wb.remove(ws)
    else:
        ws.title = t("Forutsetninger")
        _header(ws, [t("Del"), t("Gruppe"), t("Forutsetning"), t("Verdi"), t("Standard"), t("Enhet"),
                     t("Kilde for standardverdien")],
                [24, 30, 42, 14, 14, 24, 90])
        for r, a in enumerate(report.assumptions, start=2):
            for c, value in enumerate((a.section, a.group, a.label), start=1):
                _put(ws, r, c, value)
            _put(ws, r, 4, a.value, a.number_format)
            _put(ws, r, 5, a.default, a.number_format)
            _put(ws, r, 6, a.unit)
            _put(ws, r, 7, a.source).alignment = Alignment(wrap_text=True, vertical="top")

    if report.years:
        ws = wb.create_sheet(t("År for år"))
        _header(ws, [c.header for c in report.years], [8 if c.decimals is None else 16 for c in report.years])
        for c, column in enumerate(report.years, start=1):
            number_format = YEAR if column.decimals is None else decimals_format(column.decimals)
            for r, value in enumerate(column.values, start=2):
                _put(ws, r, c, value if value is None or value == value else None, number_format)

    for table in report.tables:
        _table_sheet(wb.create_sheet(sheet_title(table.title)), table.columns)

    if report.statistics:
        ws = wb.create_sheet(t("Statistikk"))
        _header(ws, [t("Tall"), t("Verdi"), t("Enhet"), t("År"), t("Kilde")] if report.page else
                [t("Tall"), t("Verdi"), t("Enhet"), t("År (31.12.)"), t("Kilde")], [40, 14, 16, 12, 90])
        for r, s in enumerate(report.statistics, start=2):
            _put(ws, r, 1, s.label)
            _put(ws, r, 2, s.value, INT if float(s.value).is_integer() else decimals_format(2))
            _put(ws, r, 3, s.unit)
            _put(ws, r, 4, s.year, YEAR)
            _put(ws, r, 5, s.source).alignment = Alignment(wrap_text=True, vertical="top")

    ws = wb.create_sheet(t("Om"))
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 110
    about = [(t("Kommune"), f"{report.kommune} ({report.kommunenummer})")]
    if report.page:
        about.append((t("Side"), report.page))
    about += [(t("Scenario"), report.scenario_name),
              (t("Beskrivelse"), report.description or t("(ingen beskrivelse)"))]
    if report.starting_point:
        about.append((t("Utgangspunkt"), report.starting_point))
    about += [(t("Dato"), report.made.strftime("%d.%m.%Y")),
              (t("Datagrunnlag (versjon)"), report.data_version), (t("Laget med"), "Legeplan")]
    about += [(t("Kilde") if i == 0 else "", s) for i, s in enumerate(report.sources)]
    for r, (label, value) in enumerate(about, start=1):
        _put(ws, r, 1, label).font = Font(bold=True)
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


def pdf(report: Report) -> bytes:
    """The PDF «Vedlegg til saksframlegg»: front page with key figures, charts, table, assumptions, sources."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    regular, bold = font_files()
    title, page = t(PDF_TITLE), report.page_title

    class _Doc(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.set_text_color(90, 90, 90)
            left = f"{title} · {page} – {report.kommune} · {report.scenario_name}"
            room = self.epw - 28  # «Side 12 av 12» on the right
            while self.get_string_width(left) > room and len(left) > 20:
                left = left[:-2].rstrip() + "…"
            self.cell(0, 6, left, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 6, t("Side {page} av {pages}", page=self.page_no(), pages="{nb}"), align="R")
            self.set_text_color(0, 0, 0)

    doc = _Doc(format="A4", unit="mm")
    doc.set_title(f"{title}: {page} – {report.kommune}")
    doc.set_author("Legeplan")
    doc.add_font("DejaVu", "", str(regular))
    doc.add_font("DejaVu", "B", str(bold))
    doc.set_auto_page_break(True, margin=18)
    doc.set_margins(18, 16, 18)
    heading = FontFace(emphasis="BOLD", fill_color=(220, 230, 241))

    def h1(text: str) -> None:
        doc.set_font("DejaVu", "B", 18)
        doc.multi_cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
        doc.ln(1)

    def h2(text: str) -> None:
        doc.set_font("DejaVu", "B", 13)
        doc.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        doc.ln(1)

    def para(text: str, size: float = 10.5) -> None:
        doc.set_font("DejaVu", "", size)
        doc.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        doc.ln(1.5)

    # 1. Front page
    doc.add_page()
    doc.set_font("DejaVu", "", 11)
    doc.set_text_color(90, 90, 90)
    made = report.made.strftime("%d.%m.%Y")
    doc.cell(0, 6, t("{kommune} kommune · {date}", kommune=report.kommune, date=made), new_x="LMARGIN",
             new_y="NEXT")
    doc.set_text_color(0, 0, 0)
    h1(title)
    h2(f"{page} – {report.kommune}: {report.scenario_name}")
    if report.description:
        para(report.description)
    version = t("Datagrunnlag: versjon {version}. Laget med Legeplan {date}.", version=report.data_version,
                date=made)
    para((t("Utgangspunkt: {start}.", start=report.starting_point) + " " if report.starting_point else "")
         + version, 9)
    if report.key_figures:
        h2(t("Nøkkeltall"))
        doc.set_font("DejaVu", "", 10)
        with doc.table(col_widths=(96, 78), headings_style=heading, line_height=6,
                       text_align=("LEFT", "RIGHT")) as table:
            table.row([t("Nøkkeltall"), t("Verdi")])
            for label, value in report.key_figures:
                table.row([label, value])
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
        doc.set_font("DejaVu", "", 8.5)
        doc.multi_cell(0, 4.2, chart.description, new_x="LMARGIN", new_y="NEXT")
        doc.ln(4)

    # 3. Year by year (the columns that fit the page), then the page's own tables
    if report.years:
        doc.add_page()
        h2(t("År for år"))
        wanted = report.pdf_columns or tuple(c.header for c in report.years[:9])
        shown = [c for c in report.years if c.header in wanted]
        doc.set_font("DejaVu", "", 8)
        with doc.table(headings_style=heading, line_height=4.6, text_align="RIGHT") as table:
            table.row([c.header for c in shown])
            for r in range(len(shown[0].values) if shown else 0):
                table.row([_no(c.values[r], c.decimals) for c in shown])
        para(t("Alle kolonnene står i Excel-arket «{sheet}».", sheet=t("År for år")), 8.5)
    for i, extra in enumerate([x for x in report.tables if x.in_pdf]):
        if (i == 0 and not report.years) or doc.get_y() > doc.h * 0.6:
            doc.add_page()
        else:
            doc.ln(4)
        h2(extra.title)
        n = len(extra.columns)
        doc.set_font("DejaVu", "", 8 if n <= 7 else 7 if n <= 9 else 6.2)
        align = tuple("RIGHT" if _numeric(c) else "LEFT" for c in extra.columns)
        widths = tuple(max(1.0, max(len(w) for w in (c.header.split() or [""])) / 9) if _numeric(c) else 1.7
                       for c in extra.columns)  # a long header word gets room, so it is not split
        with doc.table(col_widths=widths, headings_style=heading, line_height=4.2, text_align=align) as table:
            table.row([c.header for c in extra.columns])
            for r in range(len(extra.columns[0].values) if extra.columns else 0):
                table.row([_no(c.values[r], c.decimals) for c in extra.columns])
        if extra.note:
            para(extra.note, 8.5)
        doc.ln(2)

    # 4. Assumptions and sources
    doc.add_page()
    if report.assumptions:
        _assumptions(doc, report, h2, para, heading)
    h2(t("Kilder"))
    for source in report.sources:
        para("• " + source, 9)
    out = doc.output()
    return bytes(out)


def _assumptions(doc, report: Report, h2, para, heading) -> None:
    """Every lever with its value, default and source, one table per section (changed ones marked *)."""
    h2(t("Forutsetninger"))
    para(t("Hver spak med verdien i dette scenarioet, standardverdien og kilden for standardverdien. "
           "Rader der verdien er endret fra standard, er merket med *."), 9)
    for section in dict.fromkeys(a.section for a in report.assumptions):
        doc.set_font("DejaVu", "B", 10)
        doc.cell(0, 7, section, new_x="LMARGIN", new_y="NEXT")
        doc.set_font("DejaVu", "", 7.5)
        with doc.table(col_widths=(50, 22, 22, 80), headings_style=heading, line_height=3.8,
                       text_align=("LEFT", "RIGHT", "RIGHT", "LEFT")) as table:
            table.row([t("Forutsetning"), t("Verdi"), t("Standard"), t("Kilde for standardverdien")])
            for a in report.assumptions:
                if a.section != section:
                    continue
                changed = " *" if a.value_text != a.default_text else ""
                unit = f" ({a.unit})" if a.unit and a.unit != "år" else ""
                table.row([a.label + unit + changed, a.value_text, a.default_text, a.source])
        doc.ln(3)


def _no(x: float | str | None, decimals: int | None) -> str:
    """A number in Norwegian format for the PDF's tables (year without grouping); text as it is."""
    if isinstance(x, str):
        return x
    if x is None or x != x:
        return "–"
    if decimals is None:
        return str(int(x))
    value = round(float(x), decimals) or 0.0
    text = f"{abs(value):,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return ("−" if value < 0 else "") + text
