"""AppTest: the Data page's «Endringslogg» — the audit log for the kommune in view and a person, and its CSV
and Excel downloads (user text made safe for a spreadsheet); the role table for an administrator."""

from __future__ import annotations

import io

import openpyxl
import pytest

from core import audit, db, roles, userdb
from core import scenarios as sc
from core import tiltak as tk
from core.access import LOCAL_USER, Principal, Role
from tests import apptest_util
from tests.apptest_util import BAD_SHOWN, visible_text
from ui import audit_view

PAGE = "pages/data.py"
PER = Principal.of("per@alver.no", "Per Planlegger", {"4631": [Role.PLANNER]})


@pytest.fixture(autouse=True)
def user_db(tmp_path, monkeypatch):
    path = tmp_path / "bruker.duckdb"
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(path))
    with db.connect_user(path) as con:
        userdb.ensure(con)
        sid = sc.save(con, "4631", "=HYPERLINK(\"http://x\")", "", {"kapasitet": {"new_hjemler": "2"}}, "v", actor=PER)
        sc.rename(con, sid, "To nye hjemler", actor=PER)
        sc.save(con, "4631", "Lokal plan", "", {}, "v")
        sc.save(con, "1103", "Stavanger-plan", "", {}, "v")
    return path


def frame(at):
    [table] = [d for d in at.dataframe if "Handling" in d.value.columns]
    return table.value


def test_the_log_shows_the_kommunes_changes_and_filters_by_person():
    at = apptest_util.open_page(PAGE, kommune="4631")
    assert "Endringslogg" in [s.value for s in at.subheader]
    log = frame(at)
    assert log["Objekt"].tolist() == ["Lokal plan", "To nye hjemler", "'=HYPERLINK(\"http://x\")"]  # newest first
    assert set(log["Kommune"]) == {"Alver"}  # not Stavanger's
    assert log["Handling"].tolist() == ["Scenario lagret", "Scenario fikk nytt navn", "Scenario lagret"]
    assert log["Person"].tolist() == ["Lokal bruker", "Per Planlegger", "Per Planlegger"]
    assert not BAD_SHOWN.search(visible_text(at))
    at.selectbox(key="audit_person").set_value(PER.user_id).run()
    assert not at.exception
    assert frame(at)["Person"].tolist() == ["Per Planlegger"] * 2
    at.selectbox(key="audit_kommune").set_value("*").run()  # the local user may read every kommune's log
    assert frame(at)["Person"].tolist() == ["Per Planlegger"] * 2  # Per changed nothing elsewhere
    at.selectbox(key="audit_person").set_value("").run()
    assert set(frame(at)["Kommune"]) == {"Alver", "Stavanger"}


def test_the_downloads_hold_the_filtered_log_safe_for_excel():
    at = apptest_util.open_page(PAGE, kommune="4631")
    buttons = {b.key: b for b in at.get("download_button")}
    assert buttons["audit_csv"].label == "Last ned som CSV" and buttons["audit_xlsx"].label == "Last ned som Excel"
    with db.connect_user() as con:
        table = audit_view.export_frame(audit.entries(con, "4631"))
    assert table["Objekt"].iloc[-1].startswith("'=")  # a formula is text in the export
    assert table["Tid (UTC)"].str.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d").all()
    csv = tk.to_csv(table).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Tid (UTC);Person;Bruker-ID;Kommune;Handling")
    book = openpyxl.load_workbook(io.BytesIO(tk.to_excel({"Endringslogg": table})))
    sheet = book["Endringslogg"]
    assert [c.value for c in sheet[1]][:2] == ["Tid (UTC)", "Person"] and sheet.max_row == 4


def test_an_administrator_sees_the_role_table_and_a_role_change_is_logged():
    at = apptest_util.open_page(PAGE, kommune="4631")
    assert "Roller" in [s.value for s in at.subheader]  # the local user is an administrator
    # Without login the table has no effect yet: the page says so, so nobody thinks a role given here binds today.
    assert any(i.value.startswith("Appen kjører uten innlogging: rollene her gjelder ikke nå") for i in at.info)
    at.text_input(key="role_user").input("rita@alver.no")
    at.text_input(key="role_kommune").input("4631")
    at.selectbox(key="role_role").set_value("leser")
    [give] = [b for b in at.button if b.label == "Gi rollen"]
    give.click().run()
    assert not at.exception
    assert "Rollen er endret og skrevet i endringsloggen." in [s.value for s in at.success]
    with db.connect_user() as con:
        assert roles.principal(con, "rita@alver.no", "Rita").roles_in("4631") == {Role.READER}
        assert audit.entries(con, "4631")["action"].iloc[0] == "rolle.endre"
    assert frame(at)["Handling"].iloc[0] == "Rolle endret"
    assert LOCAL_USER.user_id in frame(at)["Bruker-ID"].tolist()
