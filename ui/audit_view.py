"""The Data page's «Endringslogg»: the audit log (core.audit) for the kommune and a person, shown and
exported as CSV and Excel; and, for an administrator, the role table (core.roles)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import access, audit, fmt, roles
from core import tiltak as tk
from core.access import ALL, Principal, Role
from core.i18n import t
from core.usertext import for_cell
from ui import auth, components

ALL_PEOPLE = ""
_ROLE_MESSAGE = "audit_role_message"
LIMIT = 5000  # rows shown (the export has all of them)


def export_frame(log: pd.DataFrame) -> pd.DataFrame:
    """The log as exported: Norwegian headers, the time as text (UTC, with seconds), every text cell through
    usertext.for_cell (formula characters and characters Excel cannot hold)."""
    shown = audit.table(log)
    if shown.empty:
        return shown
    time_col = shown.columns[0]
    shown[time_col] = [fmt.date_time(ts.to_pydatetime(), seconds=True) for ts in shown[time_col]]
    for col in shown.columns:
        shown[col] = [for_cell(v) for v in shown[col]]
    return shown


def visible_kommuner(principal: Principal, knr: str) -> list[str]:
    """The kommuner whose log the person may read: the one in view, if they have a role there (an administrator
    and a role in every kommune also get «*», every kommune's log)."""
    out = [knr] if principal.roles_in(knr) else []
    if principal.admin or ALL in principal.kommuner:
        out.append(ALL)
    return out


def show(knr: str, principal: Principal) -> None:
    """The section: filters, the table, downloads."""
    st.subheader(t("Endringslogg"))
    st.caption(t("Hver endring som er lagret: scenarioer, tiltaks- og prosjektregisteret, kontorplaner, innlastinger, "
                 "gjenopprettinger og roller, med hvem, når (UTC) og verdiene før og etter. Loggen kan ikke endres "
                 "eller slettes i appen."))
    kommuner = visible_kommuner(principal, knr)
    if not kommuner:
        st.info(t("Du har ingen rolle i {kommune} og kan ikke se endringsloggen der.",
                  kommune=access.kommune_name(knr)), icon=":material/lock:")
        return
    left, right = st.columns(2)
    where = left.selectbox(t("Kommune"), kommuner, key="audit_kommune", format_func=access.kommune_name)
    people = components.with_user_db(audit.people) or []
    names = dict(people)
    who = right.selectbox(t("Person"), [ALL_PEOPLE, *names], key="audit_person",
                          format_func=lambda u: t("Alle personer") if u == ALL_PEOPLE else f"{names[u]} ({u})")
    log = components.with_user_db(audit.entries, None if where == ALL else where, who or None)
    if log is None:
        return
    if log.empty:
        st.caption(t("Ingen endringer i loggen ennå for dette utvalget."))
        return
    table = export_frame(log)
    st.dataframe(table.head(LIMIT), hide_index=True, width="stretch", height=min(36 * (min(len(table), 12) + 1) + 3, 480))
    st.caption(t("Kilde: endringsloggen i brukerdatabasen, {n} rader, nyeste først. «Alle kommuner» i kolonnen "
                 "Kommune betyr en endring som gjelder alle, som nasjonal statistikk.", n=fmt.number(len(table))))
    stem = f"endringslogg-{'alle' if where == ALL else where}"
    left, right = st.columns(2)
    left.download_button(t("Last ned som CSV"), tk.to_csv(table), file_name=f"{stem}.csv", mime="text/csv",
                         icon=":material/download:", on_click="ignore", key="audit_csv")
    right.download_button(t("Last ned som Excel"), tk.to_excel({t("Endringslogg"): table}), file_name=f"{stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/download:", on_click="ignore", key="audit_xlsx")


def show_roles(principal: Principal) -> None:
    """The role table, for an administrator: who has which role where; give and take away roles."""
    if not access.allowed(principal, access.Action.ROLE_CHANGE):
        return
    st.subheader(t("Roller"))
    st.caption(t("Roller per person og kommune når innloggingen ikke sender dem selv (se docs/drift.md). Leser ser "
                 "sidene, planlegger lagrer scenarioer, registre og kontorplaner, dataforvalter laster inn kommunens "
                 "egne tall, administrator laster inn nasjonal statistikk og endrer roller. «*» betyr alle kommuner."))
    if not auth.configured():
        st.info(t("Appen kjører uten innlogging: rollene her gjelder ikke nå, og den lokale brukeren kan gjøre alt. "
                  "De tas i bruk når appen settes opp med innlogging (docs/drift.md)."), icon=":material/info:")
    current = components.with_user_db(roles.table)
    if current is not None and not current.empty:
        shown = pd.DataFrame({
            t("Bruker-ID"): [for_cell(u) for u in current["user_id"]],
            t("Kommune"): [access.kommune_name(k) for k in current["kommunenummer"]],
            t("Rolle"): [t(access.ROLE_LABELS[Role(r)]) for r in current["role"]],
            t("Gitt av"): [for_cell(u) for u in current["granted_by"]],
        })
        st.dataframe(shown, hide_index=True, width="stretch")
    with st.form("roles_form", clear_on_submit=False, border=True):
        cols = st.columns(3)
        user_id = cols[0].text_input(t("Bruker-ID"), key="role_user")
        kommune = cols[1].text_input(t("Kommunenummer («*» for alle)"), key="role_kommune")
        role = cols[2].selectbox(t("Rolle"), [r.value for r in Role], key="role_role",
                                 format_func=lambda r: t(access.ROLE_LABELS[Role(r)]))
        give, take = st.columns(2)
        grant = give.form_submit_button(t("Gi rollen"), icon=":material/person_add:")
        revoke = take.form_submit_button(t("Ta bort rollen"), icon=":material/person_remove:")
    if message := st.session_state.pop(_ROLE_MESSAGE, None):
        st.success(message, icon=":material/check_circle:")
    if grant or revoke:
        change = roles.grant if grant else roles.revoke
        try:
            done = components.with_user_db(lambda con: change(con, user_id, kommune, role, actor=principal))
        except (roles.RoleError, access.AccessDenied) as exc:
            st.error(str(exc), icon="⚠️")
            return
        if done:
            st.session_state[_ROLE_MESSAGE] = t("Rollen er endret og skrevet i endringsloggen.")
            st.rerun()
        elif done is not None:
            st.info(t("Ingen endring: personen hadde allerede rollen, eller hadde den ikke."))
