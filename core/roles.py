"""The role table: roles per person and kommune that an administrator edits in the app (Data page), for a
deployment whose identity provider does not send them as a group claim (ui/auth.py reads either).

A row is (user id, kommunenummer or «*» for every kommune, role, granted by, granted at). The role
«administrator» is stored with kommunenummer «*» and sets the Principal's admin flag. Granting and revoking
are role changes: only an administrator may make them (core.access), and each appends one row to the audit
log in the same transaction (core.audit).
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from core import access, audit, db, userdb, usertext
from core.access import ALL, LOCAL_USER, Action, Principal, Role
from core.i18n import t


class RoleError(ValueError):
    """A role change refused for its content (an empty user id, an unknown kommune), with a Norwegian message."""


def table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every role held: user_id, kommunenummer, role, granted_by, granted_at (by person, kommune, role)."""
    userdb.ensure(con)
    return db.query(con, "SELECT * FROM user_role ORDER BY user_id, kommunenummer, role")


def principal(con: duckdb.DuckDBPyConnection, user_id: str, display_name: str) -> Principal:
    """The person with the roles the table gives them (none: they may read nothing but are still signed in)."""
    userdb.ensure(con)
    rows = db.query(con, "SELECT kommunenummer, role FROM user_role WHERE user_id = ?", [user_id])
    held: dict[str, list[str]] = {}
    for knr, role in zip(rows["kommunenummer"], rows["role"], strict=True):
        held.setdefault(str(knr), []).append(str(role))
    return Principal.of(user_id, display_name, held)


def _check(user_id: str, kommunenummer: str, role: Role | str) -> tuple[str, str, Role]:
    uid = usertext.clean(user_id, multiline=False, max_len=200).strip()
    if not uid:
        raise RoleError(t("Skriv inn brukerens ID (e-postadressen eller ID-en fra innloggingen)."))
    try:
        r = Role(role)
    except ValueError:
        raise RoleError(t("«{role}» er ikke en rolle. Velg leser, planlegger, dataforvalter eller administrator.",
                          role=usertext.clean(str(role), multiline=False, max_len=40))) from None
    knr = ALL if r is Role.ADMINISTRATOR else str(kommunenummer).strip()
    if knr != ALL and not re.fullmatch(r"\d{4}", knr):
        raise RoleError(t("«{kommune}» er ikke et kommunenummer (fire sifre) eller «*» for alle kommuner.",
                          kommune=usertext.clean(knr, multiline=False, max_len=40)))
    return uid, knr, r


def grant(con: duckdb.DuckDBPyConnection, user_id: str, kommunenummer: str, role: Role | str, *,
          actor: Principal = LOCAL_USER) -> bool:
    """Give a person a role in a kommune; False if they had it already (nothing written, nothing logged)."""
    access.require(actor, Action.ROLE_CHANGE)
    uid, knr, r = _check(user_id, kommunenummer, role)
    userdb.ensure(con)
    if not db.query(con, "SELECT 1 FROM user_role WHERE user_id = ? AND kommunenummer = ? AND role = ?",
                    [uid, knr, r.value]).empty:
        return False
    now = audit.now_utc()
    db.write(con, [("INSERT INTO user_role VALUES (?, ?, ?, ?, ?)", [uid, knr, r.value, actor.user_id, now]),
                   audit.statement(actor, Action.ROLE_CHANGE, None if knr == ALL else knr, uid, uid, None,
                                   {"bruker": uid, "kommune": knr, "rolle": r.value}, at=now)])
    return True


def revoke(con: duckdb.DuckDBPyConnection, user_id: str, kommunenummer: str, role: Role | str, *,
           actor: Principal = LOCAL_USER) -> bool:
    """Take a role away; False if the person did not have it (nothing written, nothing logged)."""
    access.require(actor, Action.ROLE_CHANGE)
    uid, knr, r = _check(user_id, kommunenummer, role)
    userdb.ensure(con)
    if db.query(con, "SELECT 1 FROM user_role WHERE user_id = ? AND kommunenummer = ? AND role = ?",
                [uid, knr, r.value]).empty:
        return False
    db.write(con, [("DELETE FROM user_role WHERE user_id = ? AND kommunenummer = ? AND role = ?", [uid, knr, r.value]),
                   audit.statement(actor, Action.ROLE_CHANGE, None if knr == ALL else knr, uid, uid,
                                   {"bruker": uid, "kommune": knr, "rolle": r.value}, None)])
    return True
