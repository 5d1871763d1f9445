"""Who is using the app: the one place ui gets the current Principal (core.access).

Two ways to run, one code path (issue 23; docs/drift.md «Innlogging og roller»):
- Without an [auth] section in .streamlit/secrets.toml (the embedded default, `make run`) there is no
  login: everyone is core.access.LOCAL_USER, one local user who may do everything.
- With it, the app requires login through Streamlit's own OIDC support (`st.login` / `st.user`, Authlib
  underneath; the provider is the kommune's, e.g. Microsoft Entra ID). The person's roles come from the
  provider's group claim, mapped in [legeplan_auth] (claim name and group → roles), and from the role
  table an administrator edits on the Data page (core.roles); both count.

`gate()` runs at the start of every run (ui.shell): it shows the login page and stops the run until the
person has signed in, and keeps the Principal for the run; `current()` returns it anywhere in ui.
Pages hide what the role may not do; core refuses it anyway (core.access.require).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from core import db, roles
from core.access import LOCAL_USER, Principal, kommune_name, role_list, roles_from_groups
from core.i18n import t

SETTINGS = "legeplan_auth"  # the app's own section of secrets.toml (the [auth] section is Streamlit's)
NOBODY = Principal("", "")  # signed out: may do nothing

_KEY = "_auth_principal"  # the session's Principal, set by gate at the start of every run


def _secrets() -> Mapping[str, Any]:
    try:
        if not st.secrets.load_if_toml_exists():
            return {}
        return st.secrets
    except Exception:  # noqa: BLE001 - an unreadable secrets file is no login, as Streamlit treats it
        return {}


def configured() -> bool:
    """Whether login is required: secrets.toml has an [auth] section."""
    return "auth" in _secrets()


def settings() -> dict[str, Any]:
    """The [legeplan_auth] section: user_id_claim, name_claim, group_claim, provider, groups (all optional)."""
    section = _secrets().get(SETTINGS, {})
    return dict(section) if isinstance(section, Mapping) else {}


def _claim(user: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = user.get(name)
        if value:
            return str(value)
    return ""


def principal_for(user: Mapping[str, Any], config: Mapping[str, Any]) -> Principal:
    """The Principal of a signed-in person: id and name from the claims, roles from the group claim (mapped by
    config['groups']) and from the role table."""
    user_id = _claim(user, str(config.get("user_id_claim", "email")), "email", "preferred_username", "sub")
    name = _claim(user, str(config.get("name_claim", "name")), "name", "preferred_username") or user_id
    groups = user.get(str(config.get("group_claim", "groups"))) or []
    groups = [groups] if isinstance(groups, str) else list(groups)
    held, admin = roles_from_groups(groups, config.get("groups", {}) or {})
    with db.connect_user() as con:
        table = roles.principal(con, user_id, name)
    grants = {(k, r) for k, rs in held.items() for r in rs} | set(table.grants)
    return Principal(user_id, name, frozenset(grants), admin or table.admin)


def _resolve() -> Principal:
    if not configured():
        return LOCAL_USER
    user = st.user.to_dict()
    if not user.get("is_logged_in"):
        return NOBODY
    return principal_for(user, settings())


def current() -> Principal:
    """The person using this session (LOCAL_USER without [auth]; NOBODY when signed out)."""
    try:
        found = st.session_state.get(_KEY)
    except Exception:  # noqa: BLE001 - outside a Streamlit session (a script, a test): no session state
        found = None
    return found if isinstance(found, Principal) else _resolve()


def gate(before_stop: Callable[[], object] = lambda: None) -> Principal:
    """Call at the start of every run: without [auth], LOCAL_USER; with it, the login page until the person has
    signed in (the run stops there), and a stop with a message for a person without any role. `before_stop`
    runs before a stop (ui.shell hides the page menu)."""
    st.session_state.pop(_KEY, None)
    try:
        principal = _resolve()
    except ValueError as exc:  # the group mapping in secrets.toml is wrong
        before_stop()
        st.error(str(exc), icon="⚠️")
        st.stop()
    st.session_state[_KEY] = principal
    if principal == LOCAL_USER and not configured():
        return principal
    if principal == NOBODY:
        before_stop()
        st.title("Legeplan")
        st.markdown(t("Logg inn med kontoen din i kommunen for å bruke Legeplan."))
        provider = settings().get("provider")
        st.button(t("Logg inn"), type="primary", icon=":material/login:", on_click=st.login,
                  args=(str(provider),) if provider else (), key="auth_login")
        st.stop()
    if not principal.grants and not principal.admin:
        before_stop()
        st.title("Legeplan")
        st.warning(t("Du er logget inn som {name}, men har ingen rolle i Legeplan ennå. Be en administrator i "
                     "kommunen om tilgang (oppgi brukernavnet {user}).", name=principal.display_name,
                     user=principal.user_id), icon=":material/lock:")
        st.button(t("Logg ut"), on_click=st.logout, key="auth_logout_norole")
        st.stop()
    return principal


def sidebar(knr: str) -> None:
    """Who is signed in, their role in the kommune in view, and «Logg ut» (nothing without [auth])."""
    if not configured():
        return
    principal = current()
    held = principal.roles_in(knr)
    where = t("{roles} for {kommune}", roles=role_list(held), kommune=kommune_name(knr)) if held else \
        t("ingen rolle for {kommune}", kommune=kommune_name(knr))
    extra = t(", administrator") if principal.admin else ""
    st.sidebar.caption(t("Innlogget som {name} ({where}{extra}).", name=principal.display_name, where=where,
                         extra=extra))
    st.sidebar.button(t("Logg ut"), on_click=st.logout, key="auth_logout", icon=":material/logout:")

