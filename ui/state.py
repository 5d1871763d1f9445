"""URL ⇄ widget state: the chosen kommune and page-level choices live in st.query_params.

Also the one home of lever state (see «lever state» below): the only module, with ui/levers.py, that
names the session keys where levers and each page's link are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import kommune as kom
from core.i18n import BOKMAAL, MAALFORMER, set_fallback, set_maalform, t
from core.params import sanitize
from core.usertext import escape_markdown

KOMMUNE_KEY = "kommune"  # the URL key
MAALFORM_KEY = "malform"  # the URL key of the målform (nb/nn)
SELECTED = "valgt_kommune"  # the chosen kommune (session)
_WIDGET = "kommune"  # the sidebar picker's widget key
_WRITTEN = "_kommune_in_url"
_MESSAGES = "_url_messages"
_MAAL_CHOSEN = "_malform_valgt"  # an explicit choice of målform in this session
_MAAL_SEEN = "_malform_i_lenken"  # the link's ?malform= value already acted on
_MAAL_WRITTEN = "_malform_skrevet"  # the value this app last wrote to the link
_MAAL_WIDGET = "malform_valg"
_MAAL_IN_FORCE = "_malform_i_kraft"  # the målform of the last run: callbacks run before the next one sets it


def _messages() -> list[str]:
    return st.session_state.setdefault(_MESSAGES, [])


def warn(message: str) -> None:
    """Queue a Norwegian message about a link, shown once at the top of the page."""
    if message not in _messages():
        _messages().append(message)


def show_messages() -> None:
    """Show and clear the queued link messages."""
    for message in _messages():
        st.warning(message, icon="⚠️")
    st.session_state[_MESSAGES] = []


def current_kommune() -> str:
    """The chosen kommune's number (set by kommune_picker in app.py on every run)."""
    return st.session_state[SELECTED]


def _picked() -> None:
    st.session_state[SELECTED] = st.session_state[_WIDGET]


def peek_kommune(kommuner: pd.DataFrame) -> str:
    """The kommune this run will show, without acting on the link (to pick the målform first)."""
    url_value = st.query_params.get(KOMMUNE_KEY)
    if SELECTED in st.session_state and (
            url_value is None or url_value in (st.session_state[SELECTED],
                                               st.session_state.get(_WRITTEN))):
        return st.session_state[SELECTED]
    return kom.resolve(url_value, kommuner)[0]


def resolve_kommune(kommuner: pd.DataFrame) -> str:
    """The chosen kommune, seeded from ?kommune= (a link opened in the same session wins)."""
    url_value = st.query_params.get(KOMMUNE_KEY)
    if SELECTED not in st.session_state or (
            url_value is not None and url_value not in (st.session_state[SELECTED],
                                                        st.session_state.get(_WRITTEN))):
        knr, msg = kom.resolve(url_value, kommuner)
        st.session_state[SELECTED] = knr
        st.session_state[_WRITTEN] = url_value
        if msg:
            warn(msg)
    return st.session_state[SELECTED]


def kommune_picker(kommuner: pd.DataFrame, labels: dict[str, str] | None = None) -> str:
    """The sidebar kommune picker, seeded from ?kommune= and kept in the URL; returns its number.

    The choice lives in its own session key (not only in the widget), so it survives pages that
    hide the sidebar; a link opened in the same session (?kommune= changed) takes precedence.
    """
    if labels is None:
        labels = {r.kommunenummer: f"{r.display_name} ({r.kommunenummer}, {r.fylke})"
                  for r in kommuner.itertuples()}
    resolve_kommune(kommuner)
    st.session_state[_WIDGET] = st.session_state[SELECTED]
    st.sidebar.selectbox(
        t("Kommune"), options=list(labels), format_func=labels.__getitem__, key=_WIDGET,
        on_change=_picked, help=t("Skriv navn eller kommunenummer for å søke."),
    )
    knr = st.session_state[SELECTED]
    st.query_params[KOMMUNE_KEY] = knr
    st.session_state[_WRITTEN] = knr
    return knr


# --- målform: bokmål or nynorsk, in the sidebar and the link (?malform=nn) ---------------------------

def resolve_maalform(kommune_default: str | None) -> str:
    """Put the målform in force for this run and return it.

    An explicit choice (the link's ?malform= or the sidebar) wins; otherwise the kommune's official
    målform where the data has it, else bokmål.
    """
    url_value = st.query_params.get(MAALFORM_KEY)
    if url_value is not None and url_value != st.session_state.get(_MAAL_SEEN):
        st.session_state[_MAAL_SEEN] = url_value
        if url_value in MAALFORMER:
            if url_value != st.session_state.get(_MAAL_WRITTEN):
                st.session_state[_MAAL_CHOSEN] = url_value
        else:
            warn(t("«{value}» er ikke en målform; bruk «nb» (bokmål) eller «nn» (nynorsk).",
                   value=escape_markdown(sanitize(url_value), inline=True)))
    code = st.session_state.get(_MAAL_CHOSEN) or kommune_default or BOKMAAL
    set_maalform(code)
    st.session_state[_MAAL_IN_FORCE] = code
    set_fallback(session_maalform)  # callbacks of the next run speak it too
    return code


def session_maalform() -> str | None:
    """The målform this session's last run put in force, or None outside a session (a worker thread, a test)."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    return st.session_state.get(_MAAL_IN_FORCE)


def _maal_picked() -> None:
    st.session_state[_MAAL_CHOSEN] = st.session_state[_MAAL_WIDGET]


def maalform_picker(code: str) -> None:
    """The sidebar's bokmål/nynorsk switch; keeps the målform in force in the link."""
    st.session_state[_MAAL_WIDGET] = code
    st.sidebar.radio(t("Målform"), options=list(MAALFORMER), format_func=MAALFORMER.__getitem__,
                     key=_MAAL_WIDGET, on_change=_maal_picked, horizontal=True,
                     help=t("Bokmål eller nynorsk. Standard er kommunens offisielle målform der "
                            "dataene har den."))
    st.query_params[MAALFORM_KEY] = code
    st.session_state[_MAAL_WRITTEN] = code
    st.session_state[_MAAL_SEEN] = code


def follow_case_kommune(case_kommune: str | None, knr: str, marker: str) -> None:
    """A reference case belongs to one kommune: choose that kommune and rerun if it is another one.

    `marker` is the page's session key that remembers which kommune the choice was made for.
    """
    if case_kommune and case_kommune != knr:
        st.session_state[SELECTED] = case_kommune
        st.session_state[marker] = case_kommune
        st.rerun()
    st.session_state[marker] = knr


def url_choice(label: str, options: Sequence[str], key: str, format_func: Callable[[str], str] = str,
               container=st, default: str | None = None, **kwargs) -> str:
    """A selectbox whose value is kept in the URL under `key`; bad URL values fall back safely."""
    options = list(options)
    if key not in st.session_state:
        raw = st.query_params.get(key)
        if raw is not None and raw not in options:
            container.warning(t("«{value}» er ikke et gyldig valg for «{label}». Standardvalget brukes.",
                                value=escape_markdown(sanitize(raw), inline=True), label=label), icon="⚠️")
            raw = None
        st.session_state[key] = raw if raw is not None else (default if default in options else options[0])
    # Labels made here, in the script's run (and målform): Streamlit may call format_func elsewhere.
    shown = {o: format_func(o) for o in options}
    value = container.selectbox(label, options, format_func=shown.__getitem__, key=key, **kwargs)
    st.query_params[key] = value
    return value


def pick_from_map(event, selection: str) -> None:
    """Choose the kommune clicked on the map (once per click) and rerun with it."""
    rows = []
    if event is not None:
        rows = (getattr(event, "selection", None) or {}).get(selection) or []
    clicked = rows[0].get("kommunenummer") if rows and isinstance(rows[0], dict) else None
    if clicked is None:
        st.session_state["_map_last"] = None
        return
    if clicked == st.session_state.get("_map_last"):
        return
    st.session_state["_map_last"] = clicked
    if isinstance(clicked, str) and clicked != st.session_state.get(SELECTED):
        st.session_state[SELECTED] = clicked
        st.rerun()


# --- lever state: where a session keeps lever values -------------------------------------------------
#
# A lever's value lives in three places: its widget's session key (`lv_<name>`, while a page draws it),
# its page's remembered link (the page's URL query as it last was, kept for the session), and the URL.
# When the user comes back to a page, the shell puts the page's link back in the URL
# (restore_page_query) and ui/levers.py seeds the widgets from it; other pages read a page's levers from
# its remembered link (page_query). These keys are private to this module (and ui/levers.py, which binds
# widgets to lever_key): tests/test_lever_state.py fails on any other module that spells them.

LEVER_KEY_PREFIX = "lv_"  # + lever name: the widget's session key (the URL key is the bare name)
_LEVER_SCOPE = "_lever_scope:"  # + class name → (scope, defaults) the class's widgets were seeded for
_PAGE_QUERY = "_page_query:"  # + page → {url key: value}: the page's link, without the global keys
_LAST_PAGE = "_last_page"
GLOBAL_KEYS = (KOMMUNE_KEY, MAALFORM_KEY)  # belong to the whole app, not to one page's link
# View flags (meeting view, slides): how the page is shown, never part of a scenario or a remembered link.
VIEW_FLAGS = ("mote", "presentasjon")


def lever_key(name: str) -> str:
    """The session key of a lever's widget."""
    return LEVER_KEY_PREFIX + name


def has_lever_values(names: Iterable[str]) -> bool:
    """True while every named lever holds a value in its widget key (Streamlit drops a widget's key
    when a run does not draw it, e.g. on another page)."""
    return all(lever_key(name) in st.session_state for name in names)


def lever_value(name: str, default: Any = None) -> Any:
    """A lever's widget value (in the widget's units), or `default` when it holds none."""
    return st.session_state.get(lever_key(name), default)


def set_lever_value(name: str, value: Any) -> None:
    """Set a lever's widget value (in the widget's units); the widget shows it on its next draw."""
    st.session_state[lever_key(name)] = value


def lever_scope(cls: type) -> tuple[str, Any] | None:
    """(scope, defaults) a parameters class's widgets were last seeded for, or None."""
    return st.session_state.get(_LEVER_SCOPE + cls.__name__)


def set_lever_scope(cls: type, scope: str, defaults: Any) -> None:
    """Remember the starting point (`scope`) and defaults the class's widgets now stand on."""
    st.session_state[_LEVER_SCOPE + cls.__name__] = (scope, defaults)


def current_query() -> dict[str, str]:
    """This page's link as it is now: the URL query without the app's global keys and view flags."""
    return {k: v for k, v in st.query_params.to_dict().items() if k not in GLOBAL_KEYS and k not in VIEW_FLAGS}


def page_query(page: str) -> dict[str, str]:
    """The page's link as the session last had it ({} if the page has not run, or an opened scenario has none)."""
    return dict(st.session_state.get(_PAGE_QUERY + page) or {})


def set_page_query(page: str, query: dict[str, str]) -> None:
    """Remember `query` as the page's link: the page opens with it next time the user goes there."""
    st.session_state[_PAGE_QUERY + page] = dict(query)


def page_queries() -> dict[str, dict[str, str]]:
    """Every page's remembered link that holds anything, by page."""
    return {key[len(_PAGE_QUERY):]: dict(value) for key, value in st.session_state.items()
            if isinstance(key, str) and key.startswith(_PAGE_QUERY) and value}


def restore_page_query(page: str) -> None:
    """On arriving at `page` from another page of the same session, put the page's remembered link back.

    A link opened in the browser starts a new session, so within a session a change of page always
    comes from the navigation: what is in the link then belongs to the page the user left.
    """
    last = st.session_state.get(_LAST_PAGE)
    st.session_state[_LAST_PAGE] = page
    if last is None or last == page:
        return
    for key in [*current_query(), *(f for f in VIEW_FLAGS if f in st.query_params)]:
        del st.query_params[key]
    for key, value in page_query(page).items():
        st.query_params[key] = value


def remember_page_query(page: str) -> None:
    """After the page has run: remember its link for the session."""
    set_page_query(page, current_query())


def forget_levers(pages: dict[str, dict[str, str]], page: str) -> None:
    """Drop every lever value and page link the session holds, and remember `pages` as the pages' links
    instead (opening a scenario); the URL becomes `page`'s link. Page choices kept under a URL key of
    `pages` (a picker's widget) go too, so every page seeds itself from its new link."""
    url_keys = {k for values in pages.values() for k in values}
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and (key.startswith((_PAGE_QUERY, _LEVER_SCOPE, LEVER_KEY_PREFIX))
                                     or key in url_keys):
            del st.session_state[key]
    for p, values in pages.items():
        set_page_query(p, values)
    kept = {k: st.query_params[k] for k in GLOBAL_KEYS if k in st.query_params}
    st.query_params.clear()
    for key, value in kept.items():
        st.query_params[key] = value
    for key, value in pages.get(page, {}).items():
        st.query_params[key] = value
    st.session_state[_LAST_PAGE] = page
