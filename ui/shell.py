"""The app shell: the page list and the shared sidebar, run by app.py (and by a page run alone).

Streamlit also treats pages/ as an old-style multipage folder: on a server's first run, and on
every AppTest run, it may execute a page file directly, without app.py. `enter()` at the top of
each page notices that and runs the shell instead, which draws the sidebar and runs the page once.
"""

from __future__ import annotations

import threading

import streamlit as st

from core.i18n import N_, t
from ui import components, loaders, runqueue, scenario, state
from ui.page_entry import PageEntry

_inside = threading.local()

# One line per page (ui.page_entry): script, title, icon, link, and the export and slides it declares
# ("module:function", imported on first use).
PAGES = (
    PageEntry("pages/oversikt.py", N_("Oversikt"), ":material/dashboard:", "oversikt"),
    PageEntry("pages/kapasitet.py", N_("Fastlegekapasitet"), ":material/groups:", "kapasitet",
              export="ui.capacity_export:export"),
    PageEntry("pages/befolkning.py", N_("Befolkning"), ":material/elderly:", "befolkning",
              export="ui.demography_export:export"),
    PageEntry("pages/okonomi.py", N_("Økonomi"), ":material/payments:", "okonomi",
              export="ui.economy_export:export", slides="ui.economy_slides:slides"),
    PageEntry("pages/kontor.py", N_("Kontorstruktur"), ":material/apartment:", "kontor",
              export="ui.kontor_export:export"),
    PageEntry("pages/legeoppgaver.py", N_("Kommunale legeoppgaver"), ":material/local_hospital:", "legeoppgaver",
              export="ui.duties_export:export", slides="ui.duties_slides:slides"),
    PageEntry("pages/scenarioer.py", N_("Sammenlign scenarioer"), ":material/compare_arrows:", "scenarioer",
              export="ui.compare_export:export"),
    PageEntry("pages/tiltak.py", N_("Tiltak og prosjekt"), ":material/checklist:", "tiltak"),
    PageEntry("pages/data.py", N_("Data"), ":material/database:", "data"),
)


def run() -> None:
    """Navigation, sidebar (kommune picker) and the chosen page, in this session's turn (ui.runqueue)."""
    with runqueue.RUNS.turn():
        _run()


def _run() -> None:
    st.set_page_config(page_title="Legeplan", page_icon=":material/stethoscope:", layout="wide")
    kommuner = loaders.kommuner()
    code = state.resolve_maalform(loaders.kommune_maalform(state.peek_kommune(kommuner)))
    state.resolve_kommune(kommuner)  # after the målform: its messages are written in it
    page = st.navigation([
        st.Page(p.path, title=t(p.title), icon=p.icon, url_path=p.url, default=i == 0)
        for i, p in enumerate(PAGES)
    ])
    url = {t(p.title): p.url for p in PAGES}.get(page.title, page.title)
    scenario.restore_page_query(url)
    st.sidebar.title("Legeplan")
    knr = state.kommune_picker(kommuner, loaders.kommune_labels())
    state.maalform_picker(code)
    scenario.sidebar(knr, loaders.kommune_name(knr), url)
    st.sidebar.caption(t(
        "Allmennlegetjenesten i kommunen: status, framskriving og sammenligning. "
        "Tall fra SSB, Helsedirektoratet og kommunenes egne dokumenter."
    ))
    components.document_language(code)
    components.wrap_tile_text()
    _inside.active = True
    try:
        page.run()
    finally:
        _inside.active = False
        scenario.remember_page_query(url)


def enter() -> tuple[str, str]:
    """Call first in every page: the chosen kommune's number and name.

    If Streamlit ran this page without the shell, run the shell (which runs the page) and stop.
    """
    if not getattr(_inside, "active", False):
        run()
        st.stop()
    knr = state.current_kommune()
    return knr, loaders.kommune_name(knr)
