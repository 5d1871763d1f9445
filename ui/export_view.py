"""Export to the case documents: Excel, PNG, SVG and PDF of the scenario on a page.

Every page with an export ends with `offer("<link>", knr, kommune, *values)`. The page declares its
export in the shell (ui.shell.PAGES, `export="ui.<topic>_export:export"`); `offer` imports it on first
use, calls it with the values, and draws the expander with the buttons for the `ui.export_pages.PageExport`
it returns. This module imports no page: it asks the page list.

The files are built only when a download button is clicked (Streamlit runs the callable on its own
thread), so a lever change costs four buttons and no file. Everything the callables need is read
from the session during the script run; the callables themselves call no Streamlit. The målform in
force is read during the run and put in force again on the click's thread.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from core import export as ex
from core import scenarios as sc
from core.i18n import in_maalform, maalform, t
from core.usertext import escape_markdown
from ui import components, loaders, page_entry, scenario, shell, state

CURRENT = ex.CURRENT  # the name for levers not saved as a scenario: «Gjeldende valg»
PAGE = "kapasitet"
OPEN_KEY = "eksport_apen"  # the export expander (lazy: its buttons exist only while it is open)
MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "png": "image/png",
        "svg": "image/svg+xml", "pdf": "application/pdf"}


def open_scenario(knr: str, page: str = PAGE) -> tuple[str, str]:
    """(name, description) of the scenario opened or saved in this session, else «Gjeldende valg».

    If the page's levers differ from what was saved, the name says so.
    """
    sid = scenario.open_id()
    if sid is None:
        return t(CURRENT), ""
    found = next((s for s in scenario.saved_for(knr) if s.id == sid), None)
    if found is None:
        return t(CURRENT), ""
    name = found.name
    if found.content.get(page, {}) != state.current_query():
        name += " " + t("(endret etter lagring)")
    return name, found.description


SLUG_MAX = 60


def slug(text: str, limit: int = SLUG_MAX) -> str:
    """A file-name-safe ASCII version of a name, at most `limit` characters cut between words:
    «Tønsberg – to nye» → «tonsberg-to-nye»."""
    text = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "Ae")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in re.split(r"[^a-z0-9]+", ascii_text.lower()) if w]
    out = ""
    for word in words:
        joined = f"{out}-{word}" if out else word
        if len(joined) > limit:
            break
        out = joined
    return out or (words[0][:limit] if words else "scenario")


def offer(page: str, knr: str, kommune: str, *values: Any) -> None:
    """«Eksporter til saksframlegg» on the page with this link: its declared export makes the files.

    `values` are what the page script has computed, handed as they are to the page's export
    (`export(entry, knr, kommune, *values)`, ui.page_entry), imported on the first call. It returns
    how to build the Report and the charts; the files are built on click. A page that declares no export
    gets no expander.
    """
    entry = page_entry.find(shell.PAGES, page)
    provider = entry.export_provider()
    if provider is None:
        return
    made = provider(entry, knr, kommune, *values)
    section(knr, kommune, page, made.report, made.charts, title=made.title, note=made.note)


def section(knr: str, kommune: str, page: str, build: Callable[[str, str, str], ex.Report],
            charts: Mapping[str, tuple[str, dict | Callable[[], dict]]], title: str | None = None,
            note: str | None = None) -> None:
    """The expander «Eksporter til saksframlegg» with the page's Report and charts (see `offer`).

    `page` is the page's link key (e.g. "okonomi"); `build(name, description, data_version)` returns the
    Report, called only when a file is asked for; `charts` maps a chart key to (title, Vega-Lite spec or a
    callable that makes it). `title` names the files instead of the open scenario (a comparison); `note`
    replaces the caption under the buttons.
    """
    box = _panel()
    if box is None:
        return
    name, description = (title, "") if title else open_scenario(knr, page)
    con = loaders.connection()
    make = functools.partial(_section_on_click, con, build, name, description)
    _downloads(box, f"legeplan-{page}-{knr}-{slug(name)}", name, make, charts,
               note if note is not None else
               t("Excel-arket har forutsetningene med kilder, tallene år for år, sidens egne tabeller, "
                 "statistikken som er brukt og en side «Om». Figurene er 1 600 piksler brede, for lysbilder. "
                 "Se docs/eksport.md."))


def _panel():
    """The export expander, or None while it is closed (then nothing inside it is built or sent)."""
    box = components.lazy_expander(t("Eksporter til saksframlegg"), key=OPEN_KEY, icon=":material/download:")
    return box if box.open else None


def _downloads(box, stem: str, name: str, make: Callable[[], ex.Report], charts: Mapping[str, tuple[str, dict]],
               note: str) -> None:
    """Inside the open expander: scenario name, figure choice and the four download buttons (files built
    on click)."""
    code = maalform()

    def in_form(fn: Callable[[], bytes]) -> Callable[[], bytes]:
        def run() -> bytes:
            with in_maalform(code):
                return fn()
        return run

    with box:
        st.caption(t("Scenario: **{name}**. Filene lages når du klikker, med verdiene på siden nå. "
                     "Åpne eller lagre et scenario i sidepanelet for å gi filene et navn og en beskrivelse.",
                     name=escape_markdown(name, inline=True)))
        chart = st.selectbox(t("Figur"), list(charts), format_func=lambda k: charts[k][0], key="eksport_figur")
        cols = st.columns(4)
        cols[0].download_button(t("PDF-vedlegg"), data=in_form(lambda: ex.pdf(make())), file_name=f"{stem}.pdf",
                                mime=MIME["pdf"], on_click="ignore", icon=":material/picture_as_pdf:",
                                key="eksport_pdf", width="stretch")
        cols[1].download_button(t("Excel"), data=in_form(lambda: ex.workbook(make())), file_name=f"{stem}.xlsx",
                                mime=MIME["xlsx"], on_click="ignore", icon=":material/table:",
                                key="eksport_xlsx", width="stretch")
        title, spec = charts[chart] if chart in charts else next(iter(charts.values()))

        def spec_now() -> dict:  # another page's spec is made only when its file is asked for
            return spec() if callable(spec) else spec

        cols[2].download_button(t("Figur som PNG"), data=in_form(lambda: ex.chart_png(spec_now(), title)),
                                file_name=f"{stem}-{chart}.png", mime=MIME["png"], on_click="ignore",
                                icon=":material/image:", key="eksport_png", width="stretch")
        cols[3].download_button(t("Figur som SVG"), data=in_form(lambda: ex.chart_svg(spec_now(), title)),
                                file_name=f"{stem}-{chart}.svg", mime=MIME["svg"], on_click="ignore",
                                icon=":material/draw:", key="eksport_svg", width="stretch")
        st.caption(note)


def _section_on_click(con, build: Callable[[str, str, str], ex.Report], name: str, description: str) -> ex.Report:
    """A page's Report with the data version read when a file is asked for."""
    return build(name, description, sc.data_version(con))
