"""Scenarios in the sidebar, and each page's link remembered for the session.

Every page keeps its levers and choices in its link (st.query_params). The shell remembers each
page's link for the session and puts it back when the user returns to the page, so levers survive
a visit to another page. A scenario is those links for every page, saved with a name for the
kommune (core/scenarios.py); opening it puts them back.
"""

from __future__ import annotations

import threading
from typing import Any

import streamlit as st

from core import db, fmt
from core import scenarios as sc
from core.i18n import t
from core.params import sanitize
from ui import loaders
from ui.state import MAALFORM_KEY

KOMMUNE_KEY = "kommune"
_GLOBAL_KEYS = (KOMMUNE_KEY, MAALFORM_KEY)  # belong to the whole app, not to one page's link
_QUERY = "_page_query:"  # + page → {url key: value}, without the kommune
_LAST_PAGE = "_last_page"
_OPEN = "_scenario_open"  # id of the scenario last opened or saved in this session
_DELETED = "_scenario_deleted"  # (id, name) of the scenario just deleted, for undo
_FLASH = "_scenario_flash"  # (kind, message) of the last action, shown until the next one
_PICK = "scenario_valg"


# --- each page's link, remembered ------------------------------------------------------------------

# View flags (meeting view, slides): how the page is shown, never part of a scenario or a remembered link.
VIEW_FLAGS = ("mote", "presentasjon")


def _current_query() -> dict[str, str]:
    return {k: v for k, v in st.query_params.to_dict().items() if k not in _GLOBAL_KEYS and k not in VIEW_FLAGS}


def restore_page_query(page: str) -> None:
    """On arriving at `page` from another page of the same session, put the page's remembered link back.

    A link opened in the browser starts a new session, so within a session a change of page always
    comes from the navigation: what is in the link then belongs to the page the user left.
    """
    last = st.session_state.get(_LAST_PAGE)
    st.session_state[_LAST_PAGE] = page
    if last is None or last == page:
        return
    for key in [*_current_query(), *(f for f in VIEW_FLAGS if f in st.query_params)]:
        del st.query_params[key]
    for key, value in st.session_state.get(_QUERY + page, {}).items():
        st.query_params[key] = value


def remember_page_query(page: str) -> None:
    """After the page has run: remember its link for the session."""
    st.session_state[_QUERY + page] = _current_query()


def content(page: str) -> dict[str, dict[str, str]]:
    """Every page's remembered link, the current page's as it is now: a scenario's content."""
    out = {key[len(_QUERY):]: dict(value) for key, value in st.session_state.items()
           if isinstance(key, str) and key.startswith(_QUERY) and value}
    out[page] = _current_query()
    return {p: q for p, q in out.items() if q}


def _apply(scenario: sc.Scenario, page: str) -> None:
    """Put a scenario's links back and drop every lever and choice the pages hold in the session."""
    url_keys = {k for values in scenario.content.values() for k in values}
    for key in list(st.session_state.keys()):
        if not isinstance(key, str):
            continue
        if (key.startswith((_QUERY, "_lever_scope:", "_lever_values:", "lv_", "_okonomi"))
                or key in url_keys):
            del st.session_state[key]
    for p, values in scenario.content.items():
        st.session_state[_QUERY + p] = dict(values)
    kept = {k: st.query_params[k] for k in _GLOBAL_KEYS if k in st.query_params}
    st.query_params.clear()
    for key, value in kept.items():
        st.query_params[key] = value
    for key, value in scenario.content.get(page, {}).items():
        st.query_params[key] = value
    st.session_state[_LAST_PAGE] = page


# --- the store, one short connection per action ------------------------------------------------------

_WRITES = {sc.save, sc.rename, sc.update_content, sc.duplicate, sc.delete, sc.undelete}
_listing_lock = threading.Lock()
_listing: dict[tuple[str, str], list[sc.Scenario]] = {}  # (user db, kommune) → scenarios, this process
_writes = [0]  # how many writes this process has made: a listing read before a write is not kept


def _with_store(action, *args: Any) -> Any:
    """Run a store action on a short connection; writes clear the process's cached listings."""
    con = db.connect_user()
    try:
        return action(con, *args)
    finally:
        con.close()
        if action in _WRITES:
            with _listing_lock:
                _listing.clear()
                _writes[0] += 1


def _list(knr: str) -> list[sc.Scenario]:
    """The kommune's scenarios, read once and then kept until a session of this server writes.

    Every session of a server runs in its one process, so the cache sees every write; a lever
    change does not have to open the database.
    """
    key = (str(db.user_db_path()), knr)
    with _listing_lock:
        if key in _listing:
            return _listing[key]
        generation = _writes[0]
    found = _with_store(sc.list_for, knr)
    with _listing_lock:
        # Another session may have written while this one read: then this listing may be stale, and
        # keeping it would hide the new scenario from everybody until the next write.
        if _writes[0] == generation:
            _listing[key] = found
    return found


def _flash(kind: str, message: str) -> None:
    st.session_state[_FLASH] = (kind, message)


def _safe(action) -> tuple[bool, Any]:
    """Run a store action: (done, result). A refusal or a database problem becomes a Norwegian
    message for the sidebar, never a crash."""
    try:
        return True, action()
    except sc.ScenarioError as exc:
        _flash("error", str(exc))
    except Exception as exc:  # noqa: BLE001 – the user must see a message, not a traceback
        _flash("error", t("Scenarioet kunne ikke lagres eller leses ({error}). Prøv igjen.",
                          error=type(exc).__name__))
    return False, None


# --- callbacks (run before the next script run) -------------------------------------------------------

def _save(knr: str, page: str) -> None:
    st.session_state.pop(_FLASH, None)
    name = st.session_state.get("scenario_navn", "")
    text = st.session_state.get("scenario_tekst", "")
    version = sc.data_version(loaders.connection())
    ok, sid = _safe(lambda: _with_store(sc.save, knr, name, text, content(page), version))
    if ok:
        st.session_state[_OPEN] = sid
        st.session_state[_PICK] = sid
        st.session_state["scenario_navn"] = ""
        st.session_state["scenario_tekst"] = ""
        _flash("success", t("Lagret «{name}».", name=sanitize(sc.clean_name(name), 80)))


def save_as(knr: str, page: str, name: str, text: str = "") -> bool:
    """Save the choices on every page as a new scenario named `name` (the meeting view's «Behold»): it
    becomes the open scenario. False, with the reason in the scenario panel's message, if it failed."""
    version = sc.data_version(loaders.connection())
    ok, sid = _safe(lambda: _with_store(sc.save, knr, name, text, content(page), version))
    if ok:
        st.session_state[_OPEN] = sid
        st.session_state[_PICK] = sid
        _flash("success", t("Lagret «{name}».", name=sanitize(sc.clean_name(name), 80)))
    return bool(ok)


def flash_message() -> tuple[str, str] | None:
    """(kind, message) of the last scenario action in this session, or None."""
    return st.session_state.get(_FLASH)


def _open(page: str) -> None:
    st.session_state.pop(_FLASH, None)
    sid = st.session_state.get(_PICK)
    ok, scenario = _safe(lambda: _with_store(sc.get, sid))
    if not ok or scenario is None:
        return
    _apply(scenario, page)
    st.session_state[_OPEN] = scenario.id
    st.session_state[_PICK] = scenario.id
    note = ""
    if scenario.data_version != sc.data_version(loaders.connection()):
        note = " " + t("Statistikken er oppdatert siden scenarioet ble lagret, så tallene kan avvike fra da "
                       "det ble laget.")
    _flash("warning" if note else "success", t("Åpnet «{name}».", name=sanitize(scenario.name, 80)) + note)


def _update(page: str) -> None:
    st.session_state.pop(_FLASH, None)
    sid = st.session_state.get(_PICK)
    version = sc.data_version(loaders.connection())
    ok, _ = _safe(lambda: _with_store(sc.update_content, sid, content(page), version))
    if ok:
        _flash("success", t("Scenarioet er oppdatert med dagens valg."))


def _rename() -> None:
    st.session_state.pop(_FLASH, None)
    sid = st.session_state.get(_PICK)
    name = st.session_state.get("scenario_nytt_navn", "")
    ok, _ = _safe(lambda: _with_store(sc.rename, sid, name))
    if ok:
        st.session_state["scenario_nytt_navn"] = ""
        _flash("success", t("Nytt navn: «{name}».", name=sanitize(sc.clean_name(name), 80)))


def _duplicate() -> None:
    st.session_state.pop(_FLASH, None)
    ok, new = _safe(lambda: _with_store(sc.duplicate, st.session_state.get(_PICK)))
    if ok:
        st.session_state[_PICK] = new
        _flash("success", t("Laget en kopi."))


def _delete() -> None:
    st.session_state.pop(_FLASH, None)
    sid = st.session_state.get(_PICK)
    ok, scenario = _safe(lambda: _with_store(sc.get, sid))
    if not ok or scenario is None:
        return
    ok, _ = _safe(lambda: _with_store(sc.delete, sid))
    if ok:
        st.session_state[_DELETED] = (scenario.id, scenario.name)
        st.session_state.pop(_PICK, None)
        if st.session_state.get(_OPEN) == sid:
            st.session_state.pop(_OPEN)


def _undo() -> None:
    st.session_state.pop(_FLASH, None)
    deleted = st.session_state.pop(_DELETED, None)
    if not deleted:
        return
    ok, _ = _safe(lambda: _with_store(sc.undelete, deleted[0]))
    if ok:
        st.session_state[_PICK] = deleted[0]
        _flash("success", t("«{name}» er tilbake.", name=sanitize(deleted[1], 80)))


# --- the sidebar ---------------------------------------------------------------------------------------

def sidebar(knr: str, kommune_name: str, page: str) -> None:
    """Save, open, rename, duplicate and delete (with undo) the kommune's scenarios."""
    if st.session_state.get("_scenario_knr") != knr:  # messages and undo belong to the kommune they were for
        st.session_state["_scenario_knr"] = knr
        st.session_state.pop(_FLASH, None)
        st.session_state.pop(_DELETED, None)
    with st.sidebar.expander(t("Scenarioer"), icon=":material/bookmarks:"):
        saved = _safe(lambda: _list(knr))[1] or []
        names = {s.id: s.name for s in saved}
        if st.session_state.get(_PICK) not in names:
            st.session_state.pop(_PICK, None)
        flash = st.session_state.get(_FLASH)
        if flash:
            getattr(st, flash[0])(flash[1])
        deleted = st.session_state.get(_DELETED)
        if deleted:
            st.info(t("Slettet «{name}».", name=sanitize(deleted[1], 80)))
            st.button(t("Angre slettingen"), icon=":material/undo:", on_click=_undo, key="scenario_angre")
        if saved:
            st.selectbox(t("Lagrede scenarioer for {kommune}", kommune=kommune_name), list(names),
                         format_func=names.__getitem__, key=_PICK, index=None, placeholder=t("Velg et scenario"))
            chosen = next((s for s in saved if s.id == st.session_state.get(_PICK)), None)
            if chosen is not None:
                if chosen.description:
                    st.caption(sanitize(chosen.description, 300))
                st.caption(t("Lagret {when}, datagrunnlag {version}.", when=fmt.date_time(chosen.updated_at),
                             version=chosen.data_version))
                left, right = st.columns(2)
                left.button(t("Åpne"), on_click=_open, args=(page,),
                            key="scenario_apne", width="stretch")
                right.button(t("Oppdater"), on_click=_update, args=(page,),
                             key="scenario_oppdater", width="stretch",
                             help=t("Lagre dagens valg i dette scenarioet."))
                left.button(t("Dupliser"), on_click=_duplicate,
                            key="scenario_dupliser", width="stretch")
                right.button(t("Slett"), on_click=_delete, key="scenario_slett",
                             width="stretch")
                st.text_input(t("Nytt navn"), key="scenario_nytt_navn", max_chars=sc.MAX_NAME)
                st.button(t("Gi nytt navn"), on_click=_rename, key="scenario_gi_navn")
        else:
            st.caption(t("Ingen lagrede scenarioer for {kommune} ennå.", kommune=kommune_name))
        st.divider()
        st.text_input(t("Navn på nytt scenario"), key="scenario_navn", max_chars=sc.MAX_NAME,
                      placeholder=t("F.eks. «To nye hjemler fra 2027»"))
        st.text_area(t("Beskrivelse"), key="scenario_tekst", max_chars=sc.MAX_DESCRIPTION, height=80)
        st.button(t("Lagre valgene på alle sider"), icon=":material/bookmark_add:", on_click=_save,
                  args=(knr, page), key="scenario_lagre", type="primary", width="stretch")


def saved_for(knr: str) -> list[sc.Scenario]:
    """The kommune's saved scenarios (none, with a message, if the store cannot be read)."""
    ok, saved = _safe(lambda: _list(knr))
    if not ok:
        st.warning(st.session_state.pop(_FLASH, ("", t("Scenarioene kunne ikke leses.")))[1])
    return saved or []
