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

from core import access, db, fmt
from core import scenarios as sc
from core.access import Action
from core.i18n import t
from core.params import sanitize
from core.usertext import escape_markdown
from ui import auth, components, loaders, state

_OPEN = "_scenario_open"  # id of the scenario last opened or saved in this session
_OPEN_VERSION = "_scenario_open_version"  # its version then: an update is refused if it has changed since
_CONFLICT = "_scenario_conflict"  # id of the scenario an update was refused for (someone else changed it)
_DELETED = "_scenario_deleted"  # (id, name) of the scenario just deleted, for undo
_FLASH = "_scenario_flash"  # (kind, message) of the last action, shown until the next one
_PICK = "scenario_valg"


# --- each page's link, remembered (kept by ui.state; the shell calls these two) ---------------------

restore_page_query = state.restore_page_query
remember_page_query = state.remember_page_query


def content(page: str) -> dict[str, dict[str, str]]:
    """Every page's remembered link, the current page's as it is now: a scenario's content."""
    out = state.page_queries()
    out[page] = state.current_query()
    return {p: q for p, q in out.items() if q}


def open_id() -> str | None:
    """The id of the scenario opened or saved in this session, or None."""
    return st.session_state.get(_OPEN)


def _apply(scenario: sc.Scenario, page: str) -> None:
    """Put a scenario's links back and drop every lever and choice the pages hold in the session."""
    state.forget_levers(scenario.content, page)


# --- the store, one short connection per action ------------------------------------------------------

_WRITES = {sc.save, sc.rename, sc.update_content, sc.duplicate, sc.delete, sc.undelete}
_listing_lock = threading.Lock()
_listing: dict[tuple[str, str], list[sc.Scenario]] = {}  # (user db, kommune) → scenarios, this process
_writes = [0]  # how many writes this process has made: a listing read before a write is not kept


def _with_store(action, *args: Any) -> Any:
    """Run a store action on a short connection; writes clear the process's cached listings."""
    con = db.connect_user()
    try:
        return action(con, *args, **({"actor": auth.current()} if action in _WRITES else {}))
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
    if db.user_db_url():  # the PostgreSQL store: other processes write too, so it is read every time
        return _with_store(sc.list_for, knr)
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
    except (sc.ScenarioError, access.AccessDenied) as exc:
        _flash("error", str(exc))
    except db.UserDbBusy:  # the command-line importer is writing: it lets go within seconds
        _flash("error", components.busy_text())
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
        _set_open(sid, 1)
        st.session_state["scenario_navn"] = ""
        st.session_state["scenario_tekst"] = ""
        _flash("success", t("Lagret «{name}».", name=escape_markdown(sanitize(sc.clean_name(name), 80), inline=True)))


def save_as(knr: str, page: str, name: str, text: str = "") -> bool:
    """Save the choices on every page as a new scenario named `name` (the meeting view's «Behold»): it
    becomes the open scenario. False, with the reason in the scenario panel's message, if it failed."""
    version = sc.data_version(loaders.connection())
    ok, sid = _safe(lambda: _with_store(sc.save, knr, name, text, content(page), version))
    if ok:
        _set_open(sid, 1)
        _flash("success", t("Lagret «{name}».", name=escape_markdown(sanitize(sc.clean_name(name), 80), inline=True)))
    return bool(ok)


def _set_open(sid: str, version: int) -> None:
    """`sid` is now the open (and picked) scenario, as of `version`."""
    st.session_state[_OPEN] = sid
    st.session_state[_OPEN_VERSION] = version
    st.session_state[_PICK] = sid
    st.session_state.pop(_CONFLICT, None)


def _expected_version(sid: str | None, listed: int | None) -> int | None:
    """The version an update of `sid` must find: the one opened in this session, or else the one the
    sidebar showed."""
    if sid is not None and sid == st.session_state.get(_OPEN):
        return st.session_state.get(_OPEN_VERSION, listed)
    return listed


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
    _set_open(scenario.id, scenario.version)
    note = ""
    if scenario.data_version != sc.data_version(loaders.connection()):
        note = " " + t("Statistikken er oppdatert siden scenarioet ble lagret, så tallene kan avvike fra da "
                       "det ble laget.")
    _flash("warning" if note else "success", t("Åpnet «{name}».", name=escape_markdown(sanitize(scenario.name, 80), inline=True)) + note)


def _update(page: str, listed: int | None = None) -> None:
    st.session_state.pop(_FLASH, None)
    st.session_state.pop(_CONFLICT, None)
    sid = st.session_state.get(_PICK)
    version = sc.data_version(loaders.connection())
    expected = _expected_version(sid, listed)
    ok, new = _refusing_stale(lambda: _with_store(sc.update_content, sid, content(page), version, expected), sid)
    if ok:
        _set_open(sid, new)
        _flash("success", t("Scenarioet er oppdatert med dagens valg."))


def _refusing_stale(action, sid: str | None) -> tuple[bool, Any]:
    """`_safe`, and a refusal because someone else changed the scenario offers the choice (`_CONFLICT`)."""
    def run() -> Any:
        try:
            return action()
        except sc.StaleScenario:
            st.session_state[_CONFLICT] = sid
            raise
    return _safe(run)


def _save_mine_as_new(knr: str, page: str) -> None:
    """After a refused update: keep this session's choices as a new scenario «… (kopi)»."""
    st.session_state.pop(_FLASH, None)
    sid = st.session_state.pop(_CONFLICT, None)
    ok, scenario = _safe(lambda: _with_store(sc.get, sid))
    if not ok or scenario is None:
        return
    ok, name = _safe(lambda: _with_store(sc.copy_name, knr, scenario.name))
    if ok:
        save_as(knr, page, name, scenario.description)


def _open_newest(page: str) -> None:
    """After a refused update: open the scenario as it is now (this session's unsaved choices are dropped)."""
    sid = st.session_state.pop(_CONFLICT, None)
    if sid:
        st.session_state[_PICK] = sid
        _open(page)


def _rename(listed: int | None = None) -> None:
    st.session_state.pop(_FLASH, None)
    st.session_state.pop(_CONFLICT, None)
    sid = st.session_state.get(_PICK)
    name = st.session_state.get("scenario_nytt_navn", "")
    expected = _expected_version(sid, listed)
    ok, new = _refusing_stale(lambda: _with_store(sc.rename, sid, name, None, expected), sid)
    if ok:
        if sid == st.session_state.get(_OPEN):
            st.session_state[_OPEN_VERSION] = new
        st.session_state["scenario_nytt_navn"] = ""
        _flash("success", t("Nytt navn: «{name}».", name=escape_markdown(sanitize(sc.clean_name(name), 80), inline=True)))


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
        _flash("success", t("«{name}» er tilbake.", name=escape_markdown(sanitize(deleted[1], 80), inline=True)))


# --- the sidebar ---------------------------------------------------------------------------------------

def sidebar(knr: str, kommune_name: str, page: str) -> None:
    """Save, open, rename, duplicate and delete (with undo) the kommune's scenarios."""
    if st.session_state.get("_scenario_knr") != knr:  # messages and undo belong to the kommune they were for
        st.session_state["_scenario_knr"] = knr
        st.session_state.pop(_FLASH, None)
        st.session_state.pop(_DELETED, None)
    may_write = access.allowed(auth.current(), Action.SCENARIO_SAVE, knr)
    with st.sidebar.expander(t("Scenarioer"), icon=":material/bookmarks:"):
        if not may_write:
            st.caption(t("Du kan åpne scenarioene for {kommune}, men ikke lagre eller endre dem (du har ikke rollen "
                         "planlegger der).", kommune=kommune_name))
        saved = _safe(lambda: _list(knr))[1] or []
        names = {s.id: s.name for s in saved}
        if st.session_state.get(_PICK) not in names:
            st.session_state.pop(_PICK, None)
        flash = st.session_state.get(_FLASH)
        if flash:
            getattr(st, flash[0])(flash[1])
        if st.session_state.get(_CONFLICT) in names:
            st.session_state[_PICK] = st.session_state[_CONFLICT]
            st.caption(t("Du kan lagre valgene dine som et nytt scenario, eller åpne den nyeste versjonen "
                         "(da forsvinner valgene du ikke har lagret)."))
            left, right = st.columns(2)
            left.button(t("Lagre som nytt"), on_click=_save_mine_as_new, args=(knr, page),
                        key="scenario_konflikt_ny", width="stretch")
            right.button(t("Åpne den nyeste"), on_click=_open_newest, args=(page,),
                         key="scenario_konflikt_apne", width="stretch")
        deleted = st.session_state.get(_DELETED)
        if deleted:
            st.info(t("Slettet «{name}».", name=escape_markdown(sanitize(deleted[1], 80), inline=True)))
            st.button(t("Angre slettingen"), icon=":material/undo:", on_click=_undo, key="scenario_angre")
        if saved:
            st.selectbox(t("Lagrede scenarioer for {kommune}", kommune=kommune_name), list(names),
                         format_func=names.__getitem__, key=_PICK, index=None, placeholder=t("Velg et scenario"))
            chosen = next((s for s in saved if s.id == st.session_state.get(_PICK)), None)
            if chosen is not None:
                if chosen.description:
                    st.caption(escape_markdown(chosen.description[:300]))  # as typed, shown inert (usertext)
                st.caption(t("Lagret {when}, datagrunnlag {version}.", when=fmt.date_time(chosen.updated_at),
                             version=chosen.data_version))
                left, right = st.columns(2)
                left.button(t("Åpne"), on_click=_open, args=(page,),
                            key="scenario_apne", width="stretch")
                if not may_write:  # a reader opens; core refuses the rest anyway
                    return
                right.button(t("Oppdater"), on_click=_update, args=(page, chosen.version),
                             key="scenario_oppdater", width="stretch",
                             help=t("Lagre dagens valg i dette scenarioet."))
                left.button(t("Dupliser"), on_click=_duplicate,
                            key="scenario_dupliser", width="stretch")
                right.button(t("Slett"), on_click=_delete, key="scenario_slett",
                             width="stretch")
                st.text_input(t("Nytt navn"), key="scenario_nytt_navn", max_chars=sc.MAX_NAME)
                st.button(t("Gi nytt navn"), on_click=_rename, args=(chosen.version,), key="scenario_gi_navn")
        else:
            st.caption(t("Ingen lagrede scenarioer for {kommune} ennå.", kommune=kommune_name))
        if not may_write:
            return
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
