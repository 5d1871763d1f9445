"""AppTest: with an [auth] section in secrets.toml the app requires login (ui/auth.py); roles come from the
provider's group claim (mapped in [legeplan_auth]) or from the role table. A reader of Alver sees the pages but
no save, edit or import; a planner of Alver saves, and the audit log names them; without [auth] nothing
changes (the local user, no login)."""

from __future__ import annotations

import pytest

from core import audit, db, roles
from core import scenarios as sc
from core.access import LOCAL_USER, Principal, Role
from tests.apptest_util import new_app, visible_text
from ui import auth

SECRETS = {
    "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
             "client_id": "legeplan", "client_secret": "hemmelig",
             "server_metadata_url": "http://localhost:1/.well-known/openid-configuration"},
    "legeplan_auth": {"group_claim": "grupper",
                      "groups": {"alver-lesere": "4631:leser", "alver-planleggere": ["4631:planlegger"],
                                 "it-admin": "administrator"}},
}
READER = {"is_logged_in": True, "email": "rita@alver.kommune.no", "name": "Rita Leser", "grupper": ["alver-lesere"]}
PLANNER = {"is_logged_in": True, "email": "per@alver.kommune.no", "name": "Per Planlegger",
           "grupper": ["alver-planleggere", "noe-annet"]}


@pytest.fixture(autouse=True)
def user_db(tmp_path, monkeypatch):
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(tmp_path / "bruker.duckdb"))


def run(page: str, user: dict | None, secrets: dict | None = SECRETS, **query: str):
    at = new_app()
    if secrets:
        at.secrets = secrets
    if user is not None:
        at.user = user
    for key, value in {"malform": "nb", "kommune": "4631", **query}.items():
        at.query_params[key] = value
    at.run()
    if page != "pages/oversikt.py" and not [b for b in at.button if b.key == "auth_login"]:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception[0].message
    return at


def keys(at) -> set[str]:
    return {b.key for b in at.button} | {b.key for b in at.sidebar.button}


def test_signed_out_sees_only_the_login_page():
    at = run("pages/oversikt.py", {"is_logged_in": False})
    assert "auth_login" in keys(at) and [b.label for b in at.button] == ["Logg inn"]
    assert "scenario_lagre" not in keys(at) and not at.metric  # no page, no figures
    assert "Logg inn med kontoen din i kommunen" in visible_text(at)


def test_signed_in_without_a_role_is_told_to_ask_an_administrator():
    at = run("pages/oversikt.py", {"is_logged_in": True, "email": "ny@alver.kommune.no", "name": "Ny Ansatt"})
    assert any("har ingen rolle i Legeplan" in w.value and "ny@alver.kommune.no" in w.value for w in at.warning)
    assert "scenario_lagre" not in keys(at) and not at.metric


def test_a_reader_of_alver_sees_the_pages_but_cannot_save_edit_or_import():
    at = run("pages/kapasitet.py", READER)
    assert at.metric  # the page is drawn
    assert "Innlogget som Rita Leser (leser for Alver)." in [c.value for c in at.sidebar.caption]
    assert "auth_logout" in keys(at)
    assert "scenario_lagre" not in keys(at) and "scenario_slett" not in keys(at)
    assert any("men ikke lagre eller endre dem" in c.value for c in at.sidebar.caption)
    tiltak = run("pages/tiltak.py", READER)
    assert not [b for b in tiltak.button if (b.key or "").startswith("tiltak_save")]
    assert any("men ikke endre det" in c.value for c in tiltak.caption)
    data = run("pages/data.py", READER)
    assert not data.get("file_uploader") and any("Du kan ikke laste inn tall" in c.value for c in data.caption)
    assert "Roller" not in [s.value for s in data.subheader]  # not an administrator
    assert "Endringslogg" in [s.value for s in data.subheader]  # a reader of Alver reads Alver's log


def test_a_planner_of_alver_saves_and_is_named_in_the_audit_log_but_not_in_stavanger():
    at = run("pages/kapasitet.py", PLANNER)
    assert "scenario_lagre" in keys(at)
    at.sidebar.text_input(key="scenario_navn").input("Pers plan")
    at.sidebar.button(key="scenario_lagre").click().run()
    assert not at.exception
    with db.connect_user() as con:
        assert [s.name for s in sc.list_for(con, "4631")] == ["Pers plan"]
        log = audit.entries(con)
    assert (log["user_id"].iloc[0], log["user_name"].iloc[0]) == ("per@alver.kommune.no", "Per Planlegger")
    stavanger = run("pages/kapasitet.py", PLANNER, kommune="1103")
    assert "scenario_lagre" not in keys(stavanger)
    assert "Innlogget som Per Planlegger (ingen rolle for Stavanger)." in [c.value for c in stavanger.sidebar.caption]


def test_a_role_from_the_table_counts_as_one_from_the_group_claim():
    with db.connect_user() as con:
        roles.grant(con, "ola@alver.kommune.no", "4631", Role.DATA_STEWARD)
    at = run("pages/data.py", {"is_logged_in": True, "email": "ola@alver.kommune.no", "name": "Ola"})
    assert at.get("file_uploader")  # a data steward of Alver may load files
    assert "Innlogget som Ola (dataforvalter for Alver)." in [c.value for c in at.sidebar.caption]


def test_without_auth_everyone_is_the_local_user_and_nothing_asks_for_login():
    at = run("pages/kapasitet.py", {"email": "test@example.com"}, secrets=None)
    assert "scenario_lagre" in keys(at) and "auth_logout" not in keys(at) and "auth_login" not in keys(at)
    assert auth.principal_for({"email": "a@b.no", "grupper": ["it-admin"]}, SECRETS["legeplan_auth"]).admin
    assert auth.current() == LOCAL_USER  # outside a run, without secrets


def test_the_group_mapping_gives_roles_and_refuses_typos():
    config = SECRETS["legeplan_auth"]
    person = auth.principal_for(PLANNER, config)
    assert isinstance(person, Principal) and person.user_id == "per@alver.kommune.no"
    assert person.roles_in("4631") == {Role.READER, Role.PLANNER} and person.roles_in("1103") == set()
    with pytest.raises(ValueError, match="som ikke finnes"):
        auth.principal_for(PLANNER, {**config, "groups": {"alver-planleggere": "4631:sjef"}})
    with pytest.raises(ValueError, match="uten et gyldig kommunenummer"):
        auth.principal_for(PLANNER, {**config, "groups": {"alver-planleggere": "Alver:planlegger"}})
