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

_inside = threading.local()

PAGES = (
    ("pages/oversikt.py", N_("Oversikt"), ":material/dashboard:", "oversikt"),
    ("pages/kapasitet.py", N_("Fastlegekapasitet"), ":material/groups:", "kapasitet"),
    ("pages/befolkning.py", N_("Befolkning"), ":material/elderly:", "befolkning"),
    ("pages/okonomi.py", N_("Økonomi"), ":material/payments:", "okonomi"),
    ("pages/kontor.py", N_("Kontorstruktur"), ":material/apartment:", "kontor"),
    ("pages/legeoppgaver.py", N_("Kommunale legeoppgaver"), ":material/local_hospital:", "legeoppgaver"),
    ("pages/scenarioer.py", N_("Sammenlign scenarioer"), ":material/compare_arrows:", "scenarioer"),
    ("pages/tiltak.py", N_("Tiltak og prosjekt"), ":material/checklist:", "tiltak"),
    ("pages/data.py", N_("Data"), ":material/database:", "data"),
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
        st.Page(path, title=t(title), icon=icon, url_path=url, default=i == 0)
        for i, (path, title, icon, url) in enumerate(PAGES)
    ])
    url = {t(title): u for _, title, _, u in PAGES}.get(page.title, page.title)
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
