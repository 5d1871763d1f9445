"""The app shell: the page list, the shared sidebar and the chosen page, run by app.py on every rerun.

How a page is reached: Streamlit runs app.py, which takes the run's turn in the run queue
(ui.runqueue) and calls `run()`. `run()` draws the sidebar (kommune, målform, scenarios), asks
`st.navigation` which page the link names (PAGES: a file in pages/ and its link, /kapasitet), and runs
that file inside the shell. A page file's first line is `enter()`, which hands it the kommune.

One workaround, kept here in `enter()` and nowhere else: Streamlit 1.67 also treats a pages/ folder
beside the entry point as an old-style multipage app, until a session calls st.navigation, and no
setting turns that off (paths under site-packages/streamlit/):
- runtime/pages_manager.py:60-63: the first PagesManager of the process sets
  `PagesManager.uses_pages_directory` because pages/ exists beside app.py;
- runtime/scriptrunner/script_runner.py:933-934: while it is set, a run executes `_mpa_v1` instead
  of app.py, and `_mpa_v1` (script_runner.py:144-181) makes every pages/*.py a page of its own (a
  second navigation, named after the files) and runs the file the link names: a server's first run
  of a link to /kapasitet runs pages/kapasitet.py without app.py, without sidebar or kommune;
- commands/navigation.py:398-399: st.navigation clears the flag for the whole process (its
  docstring: "As soon as any session of your app executes the st.navigation command, your app will
  ignore the pages/ directory (across all sessions)"), so only a server's first runs take that path;
- testing/v1/app_test.py:665-666: AppTest sets the flag back before every run, so every AppTest run
  of an app.py with pages/ beside it would take that path; the tests open app.py through
  tests/entry/app.py instead, from a folder without pages/ (as the server runs after its first run;
  the pages are named by absolute path for that), and test the start-over in tests/test_shell.py;
- client.showSidebarNavigation = false would hide the pages/ menu, but it hides st.navigation's own
  menu as well (commands/navigation.py:490-495, runtime/app_session.py:1583-1584).
A page that finds itself run without the shell (`enter()` outside `run()`) therefore calls
st.navigation with the shell's pages, the public way to turn pages/ off, and asks for a rerun:
Streamlit starts over with app.py on the same link (same page hash, same query), and the page is
drawn once, inside the shell, in one turn. Nothing is drawn before that, and no run nests in another.
A rerun forgets a button's click (triggers reset when a run ends, runtime/state/session_state.py:1380),
which is harmless here: a click needs a drawn page, and drawing one called st.navigation, so pages/
is already off.
This needs each page's link to be its file name (the old-style run finds the file by its name, the
shell's st.navigation by the link; tests/test_shell.py). What remains: on a server's first run the
menu `_mpa_v1` sends (the file names) shows until that run reaches st.navigation (~1–2 s cold).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Literal, NoReturn

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.i18n import N_, t
from core.usertext import escape_markdown
from ui import auth, components, loaders, scenario, state
from ui.page_entry import PageEntry

_ROOT = Path(__file__).resolve().parent.parent  # pages by absolute path: found from any entry script's folder
# The page icon, a local file (static/icons/PROVENANCE.md): a `:material/…:` page icon makes Streamlit's frontend
# fetch it from Google's font servers on every page load; an SVG file is sent inline as a data: URL.
PAGE_ICON = _ROOT / "static" / "icons" / "legeplan.svg"
_running = threading.local()  # .page: True while run() runs the page (in this thread)

# One line per page (ui.page_entry): script, title, icon, link, docs page, and the export and slides it declares
# ("module:function", imported on first use).
PAGES = (
    PageEntry("pages/oversikt.py", N_("Oversikt"), ":material/dashboard:", "oversikt", docs="docs/oversikt.md"),
    PageEntry("pages/kapasitet.py", N_("Fastlegekapasitet"), ":material/groups:", "kapasitet",
              docs="docs/fastlegekapasitet.md", export="ui.capacity_export:export"),
    PageEntry("pages/befolkning.py", N_("Befolkning"), ":material/elderly:", "befolkning",
              docs="docs/befolkningsframskriving.md", export="ui.demography_export:export"),
    PageEntry("pages/okonomi.py", N_("Økonomi"), ":material/payments:", "okonomi",
              docs="docs/okonomi.md", export="ui.economy_export:export", slides="ui.economy_slides:slides"),
    PageEntry("pages/kontor.py", N_("Kontorstruktur"), ":material/apartment:", "kontor",
              docs="docs/kontorstruktur.md", export="ui.kontor_export:export"),
    PageEntry("pages/legeoppgaver.py", N_("Kommunale legeoppgaver"), ":material/local_hospital:", "legeoppgaver",
              docs="docs/legeoppgaver.md", export="ui.duties_export:export", slides="ui.duties_slides:slides"),
    PageEntry("pages/scenarioer.py", N_("Sammenlign scenarioer"), ":material/compare_arrows:", "scenarioer",
              docs="docs/eksport.md", export="ui.compare_export:export"),
    PageEntry("pages/tiltak.py", N_("Tiltak og prosjekt"), ":material/checklist:", "tiltak", docs="docs/tiltak.md"),
    PageEntry("pages/data.py", N_("Data"), ":material/database:", "data", docs="docs/data.md"),
)


def run() -> None:
    """Navigation, sidebar (kommune picker) and the chosen page; app.py calls it in the run's turn."""
    _page_config()
    kommuner = loaders.kommuner()
    code = state.resolve_maalform(loaders.kommune_maalform(state.peek_kommune(kommuner)))
    state.resolve_kommune(kommuner)  # after the målform: its messages are written in it
    auth.gate(lambda: _navigation("hidden"))  # with [auth] in secrets.toml: login first (ui/auth.py)
    page = _navigation("sidebar")
    url = {t(p.title): p.url for p in PAGES}.get(page.title, page.title)
    if page.url_path not in _KNOWN_URLS:  # the shell's «finnes ikke» page
        url = NOT_FOUND_URL
    scenario.restore_page_query(url)
    st.sidebar.title("Legeplan")
    knr = state.kommune_picker(kommuner, loaders.kommune_labels())
    state.maalform_picker(code)
    auth.sidebar(knr)
    scenario.sidebar(knr, loaders.kommune_name(knr), url)
    st.sidebar.caption(t(
        "Allmennlegetjenesten i kommunen: status, framskriving og sammenligning. "
        "Tall fra SSB, Helsedirektoratet og kommunenes egne dokumenter."
    ))
    components.document_language(code)
    components.wrap_tile_text()
    components.upload_messages()
    _running.page = True
    try:
        page.run()
    finally:
        _running.page = False
        scenario.remember_page_query(url)


# Links Streamlit would answer with its English «Page not found» dialog (issue 24, finding 14): the
# overview's own name (/oversikt: the first page is served at /), and any other name that is no page.
HOME_ALIASES = frozenset({PAGES[0].url})  # links that open the first page (served at /) without a dialog
NOT_FOUND_URL = "ikke-funnet"
_KNOWN_URLS = {p.url for p in PAGES} | {""}
_URL_NAME = re.compile(r"[A-Za-z0-9_-]{1,100}")


def _pages_manager():
    return getattr(get_script_run_ctx(), "pages_manager", None)


def requested_page_name() -> str:
    """The page name a link asked for when it names no page by its id (typed or bookmarked), else ''.

    Streamlit keeps it in the session's PagesManager (runtime/pages_manager.py: `intended_page_name`,
    set before the run); a click in the menu or a rerun names the page by its id instead."""
    manager = _pages_manager()
    if manager is None or getattr(manager, "intended_page_script_hash", None):
        return ""
    return str(getattr(manager, "intended_page_name", "") or "")


def _page_config() -> None:
    """Title, icon and layout, sent before the page list: the frontend takes the chosen page's icon
    (`:material/…:`, fetched from Google's font servers) as the tab icon unless a page icon came first."""
    st.set_page_config(page_title="Legeplan", page_icon=PAGE_ICON, layout="wide")


def _navigation(position: Literal["sidebar", "hidden"]) -> st.Page:
    """The page list (PAGES) for st.navigation; returns the page the link names.

    The first page is served at / and its own name (/oversikt) finds no page in Streamlit (the default
    page's name is reserved, not served): such a link opens the first page, its name forgotten. A link
    that names no page (letters, digits, - and _; Streamlit cannot register other names) gets a hidden
    page at that name saying in Norwegian that the page does not exist. So Streamlit never sends its
    English «Page not found». A name with a slash (/a/b) still gets Streamlit's dialog: docs/robusthet.md.
    """
    pages = [st.Page(_ROOT / p.path, title=t(p.title), icon=p.icon, url_path=p.url, default=i == 0)
             for i, p in enumerate(PAGES)]
    extra = []
    asked = requested_page_name()
    if asked in HOME_ALIASES and (manager := _pages_manager()) is not None:
        manager.set_script_intent("", "")  # resolve to the default page, as a link to / does
    elif asked and asked not in _KNOWN_URLS and _URL_NAME.fullmatch(asked):
        extra.append(st.Page(lambda: _not_found(asked, pages[0]), title=t("Siden finnes ikke"),
                             icon=":material/search_off:", url_path=asked, visibility="hidden"))
    return st.navigation(pages + extra, position=position)


def _not_found(asked: str, home: st.Page) -> None:
    """What a link to a page that does not exist shows, instead of Streamlit's English dialog."""
    st.title(t("Siden finnes ikke"))
    st.warning(t("Adressen «/{path}» er ikke en side i Legeplan. Velg en side i menyen til venstre, "
                 "eller gå til oversikten.", path=escape_markdown(asked, inline=True)), icon=":material/search_off:")
    st.page_link(home, label=t("Gå til Oversikt"), icon=":material/dashboard:")


def enter() -> tuple[str, str]:
    """Call first in every page: the chosen kommune's number and name.

    A page Streamlit ran without the shell (pages/ as an old-style folder, see the module docstring)
    is not drawn: the run starts over in app.py.
    """
    if not getattr(_running, "page", False):
        _start_over_in_app()
    knr = state.current_kommune()
    return knr, loaders.kommune_name(knr)


def _start_over_in_app() -> NoReturn:
    """Turn pages/ off for this server process (st.navigation does) and rerun: Streamlit then runs
    app.py on the same link. The menu stays hidden until app.py's run sends the real one."""
    _page_config()
    _navigation("hidden")
    st.rerun()
