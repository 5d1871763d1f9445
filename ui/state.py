"""URL ⇄ widget state: the chosen kommune and page-level choices live in st.query_params."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import kommune as kom
from core.i18n import BOKMAAL, MAALFORMER, set_fallback, set_maalform, t
from core.params import sanitize

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
                   value=sanitize(url_value)))
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
                                value=sanitize(raw), label=label), icon="⚠️")
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
