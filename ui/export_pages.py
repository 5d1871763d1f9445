"""What a page's export hands the export expander, and the pieces every page's export builds it from.

A page declares its export in the shell (ui.shell.PAGES, `export="ui.<topic>_export:export"`); the
page script ends with `export_view.offer("<link>", knr, kommune, *values)`, which calls the page's
`export(page, knr, kommune, *values)`. That returns a `PageExport`: how to build the `core.export.Report`
(only when a file is asked for, in the målform that was in force on the page) and the charts offered as
PNG/SVG (the page's own, Vega-Lite, made lazily). Most pages give the Report's page-specific fields and
their charts to `page_export`, which adds the header.

This module imports no page: the page-specific builders live next to their pages (ui/*_export.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from core import export as ex
from core.i18n import t
from ui.page_entry import PageEntry

ChartSpec = dict | Callable[[], Any]
Charts = Mapping[str, tuple[str, ChartSpec, str]]  # chart key → (title, spec or what makes it, description)


@dataclass(frozen=True)
class PageExport:
    """A page's export: the Report on click, and the charts to choose from for PNG and SVG."""

    report: Callable[[str, str, str], ex.Report]  # (scenario name, description, data version) → Report
    charts: Mapping[str, tuple[str, ChartSpec]]  # chart key → (title, Vega-Lite spec or a callable making it)
    title: str | None = None  # names the files instead of the open scenario (a comparison)
    note: str | None = None  # the caption under the buttons, when not the one for every page


def spec_of(chart: ChartSpec) -> dict:
    """A Vega-Lite dict from a dict, an Altair chart, or a callable giving either."""
    value = chart() if callable(chart) and not hasattr(chart, "to_dict") else chart
    return value.to_dict() if hasattr(value, "to_dict") else dict(value)


def chart_makers(charts: Charts) -> dict[str, tuple[str, Callable[[], dict]]]:
    """The charts to offer as PNG/SVG: key → (title, callable making the Vega-Lite dict)."""
    return {key: (title, (lambda c=chart: spec_of(c))) for key, (title, chart, _) in charts.items()}


def report_charts(charts: Charts) -> tuple[ex.Chart, ...]:
    return tuple(ex.Chart(key, title, description, spec_of(chart)) for key, (title, chart, description)
                 in charts.items())


def column(header: str, decimals: int | None, values: Sequence[Any]) -> ex.Column:
    """A Report column of numbers (NaN becomes empty) or text."""
    out = []
    for v in values:
        if v is None or isinstance(v, str):
            out.append(v)
        else:
            f = float(v)
            out.append(None if f != f else f)
    return ex.Column(header, decimals, tuple(out))


def unit(lv) -> str:
    """A lever's unit as the export shows it (a share in %)."""
    if lv.display_scale == 100.0:
        return lv.unit.replace("prosent", "%") if "prosent" in lv.unit else "%"
    return lv.unit


def page_export(page: PageEntry, knr: str, kommune: str, charts: Charts, build: Callable[[], dict]) -> PageExport:
    """The usual export: `build()` gives the Report's page-specific fields (on click); the header (kommune,
    scenario, date, data version, the page's title from its shell entry) and the charts are added here."""

    def make(name: str, description: str, data_version: str) -> ex.Report:
        fields = build()
        return ex.Report(kommune=kommune, kommunenummer=knr, scenario_name=name, description=description,
                         made=date.today(), data_version=data_version, page=t(page.title),
                         charts=report_charts(charts), **fields)

    return PageExport(make, chart_makers(charts))
