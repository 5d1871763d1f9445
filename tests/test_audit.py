"""The audit log (core/audit.py): every allowed write appends exactly one row — who, when (UTC), kommune,
action, object, before and after — and a refused write appends none; role changes too (core/roles.py).
No module updates or deletes a log row."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from core import audit, db, roles, userdb
from core import import_store as store
from core import offices as of
from core import scenarios as sc
from core import ssb_readers as ssb
from core import tiltak as tk
from core.access import LOCAL_USER, AccessDenied, Action, Principal, Role
from tests.test_importers import OWN_FILE, ssb_csv

ALVER = "4631"
PLANNER = Principal.of("per@alver.no", "Per Planlegger", {ALVER: [Role.PLANNER]})
STEWARD = Principal.of("dina@alver.no", "Dina Data", {ALVER: [Role.DATA_STEWARD]})
READER = Principal.of("rita@alver.no", "Rita Leser", {ALVER: [Role.READER]})
ADMIN = Principal.of("ada@kommune.no", "Ada Admin", admin=True)
CONTENT = {"kapasitet": {"new_hjemler": "2"}}


@pytest.fixture
def ucon(tmp_path, monkeypatch):
    path = tmp_path / "bruker.duckdb"
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(path))
    con = db.connect_user(path)
    userdb.ensure(con)
    yield con
    con.close()


@pytest.fixture(scope="module")
def kommuner(con):
    return db.query(con, "SELECT * FROM kommune")


def log(con) -> list[dict]:
    rows = audit.entries(con)
    return [dict(r._asdict()) for r in rows.iloc[::-1].itertuples(index=False)]


def one_new(con, before: int, action: Action, who: Principal, kommune: str | None) -> tuple[dict, dict]:
    """The one row a write appended: checked for who, what, where and when; returns (before, after)."""
    rows = log(con)
    assert len(rows) == before + 1, [r["action"] for r in rows[before:]]
    row = rows[-1]
    assert (row["action"], row["user_id"], row["user_name"]) == (action.value, who.user_id, who.display_name)
    assert row["kommunenummer"] == kommune
    at = row["logged_at"].to_pydatetime()
    assert abs(at - datetime.now(UTC).replace(tzinfo=None)) < timedelta(minutes=5)  # UTC, not local time
    return tuple(None if row[c] is None else json.loads(row[c]) for c in ("before_json", "after_json"))


def test_each_scenario_write_appends_one_row_with_before_and_after(ucon):
    sid = sc.save(ucon, ALVER, "Plan", "tekst", CONTENT, "v", actor=PLANNER)
    before, after = one_new(ucon, 0, Action.SCENARIO_SAVE, PLANNER, ALVER)
    assert before is None and (after["id"], after["name"], after["content"], after["version"]) == (sid, "Plan", CONTENT, 1)
    sc.update_content(ucon, sid, {"kapasitet": {"new_hjemler": "3"}}, "v", actor=PLANNER)
    before, after = one_new(ucon, 1, Action.SCENARIO_UPDATE, PLANNER, ALVER)
    assert before["content"] == CONTENT and after["content"] == {"kapasitet": {"new_hjemler": "3"}}
    assert (before["version"], after["version"]) == (1, 2)
    sc.rename(ucon, sid, "Plan B", actor=PLANNER)
    before, after = one_new(ucon, 2, Action.SCENARIO_RENAME, PLANNER, ALVER)
    assert (before["name"], after["name"]) == ("Plan", "Plan B")
    sc.delete(ucon, sid, actor=PLANNER)
    before, after = one_new(ucon, 3, Action.SCENARIO_DELETE, PLANNER, ALVER)
    assert (before["deleted"], after["deleted"]) == (False, True)
    sc.undelete(ucon, sid, actor=PLANNER)
    before, after = one_new(ucon, 4, Action.SCENARIO_RESTORE, PLANNER, ALVER)
    assert (before["deleted"], after["deleted"]) == (True, False)
    copy = sc.duplicate(ucon, sid, actor=PLANNER)
    before, after = one_new(ucon, 5, Action.SCENARIO_SAVE, PLANNER, ALVER)
    assert before is None and (after["id"], after["name"]) == (copy, "Plan B (kopi)")
    assert audit.entries(ucon)["object_id"].tolist()[:2] == [copy, sid]


def test_register_edits_log_each_changed_row_in_the_same_transaction(ucon):
    a = tk.Measure(measure="Rekruttere", priority=1, row_id="a")
    assert tk.save(ucon, ALVER, tk.MEASURES, 0, [a], actor=PLANNER).ok
    before, after = one_new(ucon, 0, Action.REGISTER_EDIT, PLANNER, ALVER)
    assert before == {"versjon": 0, "rader": {}} and after["versjon"] == 1 and after["rader"]["a"]["measure"] == "Rekruttere"
    assert tk.save(ucon, ALVER, tk.MEASURES, 1, [tk.Measure(measure="Rekruttere flere", priority=1, row_id="a")],
                   actor=PLANNER).ok
    before, after = one_new(ucon, 1, Action.REGISTER_EDIT, PLANNER, ALVER)
    assert (before["rader"]["a"]["measure"], after["rader"]["a"]["measure"]) == ("Rekruttere", "Rekruttere flere")
    assert after["endringer"] and "Rekruttere flere" in after["endringer"][0]
    assert tk.remove(ucon, ALVER, tk.MEASURES, 2, "a", actor=PLANNER).ok
    _, after = one_new(ucon, 2, Action.REGISTER_EDIT, PLANNER, ALVER)
    assert after["rader"]["a"]["fjernet"] is True
    assert tk.save(ucon, ALVER, tk.MEASURES, 2, [a], actor=PLANNER).ok is False  # stale: refused, not logged
    assert tk.save(ucon, ALVER, tk.MEASURES, 3, [], actor=PLANNER).messages  # no change: nothing written
    assert len(log(ucon)) == 3


def test_office_plans_log_save_replace_and_delete(ucon):
    of.save_plan(ucon, ALVER, "Plan A", of.empty_table(1), (), actor=PLANNER)
    before, after = one_new(ucon, 0, Action.OFFICE_PLAN_SAVE, PLANNER, ALVER)
    assert before is None and after["navn"] == "Plan A" and len(after["kontorer"]) == 1
    of.save_plan(ucon, ALVER, "Plan A", of.empty_table(2), (), actor=PLANNER)
    before, after = one_new(ucon, 1, Action.OFFICE_PLAN_SAVE, PLANNER, ALVER)
    assert (len(before["kontorer"]), len(after["kontorer"])) == (1, 2)
    of.delete_plan(ucon, ALVER, "Plan A", actor=PLANNER)
    before, after = one_new(ucon, 2, Action.OFFICE_PLAN_DELETE, PLANNER, ALVER)
    assert len(before["kontorer"]) == 2 and after is None
    of.delete_plan(ucon, ALVER, "Plan A", actor=PLANNER)  # nothing left to delete: nothing logged
    assert len(log(ucon)) == 3


def test_imports_and_restores_log_the_batch(ucon, kommuner):
    own = store.parse_upload(OWN_FILE.encode("cp1252"), "egne.csv", kommuner)
    assert store.apply(ucon, own, "egne.csv", "Alver kommune", actor=STEWARD)[0] == 1
    before, after = one_new(ucon, 0, Action.OWN_IMPORT, STEWARD, ALVER)
    assert before is None and after == {"batch": 1, "datasett": ssb.OWN, "fil": "egne.csv", "rader": 5,
                                        "kilde": "Alver kommune", "kommuner": [ALVER], "aktiv": True}
    assert store.restore_previous(ucon, ssb.OWN, actor=STEWARD) == 1
    before, after = one_new(ucon, 1, Action.OWN_RESTORE, STEWARD, ALVER)
    assert (before["aktiv"], after["aktiv"]) == (True, False)
    long = pd_long()
    national = ssb.parse_ssb(ssb_csv(long).encode(), "12005.csv", kommuner)
    with pytest.raises(AccessDenied):
        store.apply(ucon, national, "12005.csv", "SSB", actor=STEWARD)
    assert len(log(ucon)) == 2
    assert store.apply(ucon, national, "12005.csv", "SSB", actor=ADMIN)[0] == 2
    _, after = one_new(ucon, 2, Action.NATIONAL_IMPORT, ADMIN, None)  # two kommuner: logged for every kommune
    assert after["kommuner"] == ["1103", ALVER]
    assert set(audit.entries(ucon, "1103")["seq"]) == {3} and len(audit.entries(ucon, ALVER)) == 3


def pd_long() -> pd.DataFrame:
    """Two kommuner's 12005 figures (an import of national statistics)."""
    return pd.DataFrame({"kommunenummer": [ALVER, "1103"], "kommune_name": ["Alver", "Stavanger"],
                         "year": [2024, 2024], "metric": ["gp_agreements", "gp_agreements"], "value": [31.0, 150.0]})


def test_a_refused_write_appends_nothing(ucon, kommuner):
    sid = sc.save(ucon, ALVER, "Plan", "", CONTENT, "v")
    assert len(log(ucon)) == 1 and log(ucon)[0]["user_id"] == LOCAL_USER.user_id
    refused = [lambda: sc.save(ucon, ALVER, "X", "", CONTENT, "v", actor=READER),
               lambda: sc.rename(ucon, sid, "Y", actor=READER),
               lambda: sc.delete(ucon, sid, actor=STEWARD),
               lambda: tk.save(ucon, ALVER, tk.MEASURES, 0, [], actor=READER),
               lambda: of.save_plan(ucon, ALVER, "P", of.empty_table(), (), actor=READER),
               lambda: store.apply(ucon, store.parse_upload(OWN_FILE.encode("cp1252"), "e.csv", kommuner), "e.csv", "",
                                   actor=PLANNER),
               lambda: roles.grant(ucon, "rita@alver.no", ALVER, Role.PLANNER, actor=PLANNER)]
    for write in refused:
        with pytest.raises(AccessDenied):
            write()
    assert len(log(ucon)) == 1


def test_role_changes_are_logged_and_give_the_principal_its_roles(ucon):
    assert roles.grant(ucon, "rita@alver.no", ALVER, "planlegger", actor=ADMIN)
    before, after = one_new(ucon, 0, Action.ROLE_CHANGE, ADMIN, ALVER)
    assert before is None and after == {"bruker": "rita@alver.no", "kommune": ALVER, "rolle": "planlegger"}
    assert not roles.grant(ucon, "rita@alver.no", ALVER, Role.PLANNER, actor=ADMIN)  # had it: nothing logged
    assert roles.grant(ucon, "ada@kommune.no", "", Role.ADMINISTRATOR, actor=ADMIN)
    one_new(ucon, 1, Action.ROLE_CHANGE, ADMIN, None)
    rita = roles.principal(ucon, "rita@alver.no", "Rita")
    assert rita.roles_in(ALVER) == {Role.READER, Role.PLANNER} and not rita.admin
    assert roles.principal(ucon, "ada@kommune.no", "Ada").admin
    assert roles.revoke(ucon, "rita@alver.no", ALVER, Role.PLANNER, actor=ADMIN)
    before, after = one_new(ucon, 2, Action.ROLE_CHANGE, ADMIN, ALVER)
    assert before == {"bruker": "rita@alver.no", "kommune": ALVER, "rolle": "planlegger"} and after is None
    assert roles.principal(ucon, "rita@alver.no", "Rita").roles_in(ALVER) == set()
    with pytest.raises(roles.RoleError, match="kommunenummer"):
        roles.grant(ucon, "x", "Alver", Role.READER, actor=ADMIN)
    with pytest.raises(roles.RoleError, match="er ikke en rolle"):
        roles.grant(ucon, "x", ALVER, "sjef", actor=ADMIN)
    assert len(log(ucon)) == 3


def test_the_log_filters_by_person_and_exports_a_table(ucon):
    sc.save(ucon, ALVER, "A", "", CONTENT, "v", actor=PLANNER)
    sc.save(ucon, "1103", "B", "", CONTENT, "v")
    assert audit.people(ucon) == [(LOCAL_USER.user_id, LOCAL_USER.display_name), (PLANNER.user_id, PLANNER.display_name)]
    assert audit.entries(ucon, user_id=PLANNER.user_id)["object_name"].tolist() == ["A"]
    assert audit.entries(ucon, kommunenummer="1103")["object_name"].tolist() == ["B"]
    shown = audit.table(audit.entries(ucon))
    assert list(shown.columns) == ["Tid (UTC)", "Person", "Bruker-ID", "Kommune", "Handling", "Objekt", "Objekt-ID",
                                   "Før", "Etter"]
    assert shown["Kommune"].tolist() == ["Stavanger", "Alver"] and shown["Handling"].tolist() == ["Scenario lagret"] * 2


def test_the_log_is_append_only_in_the_source():
    root = Path(__file__).resolve().parent.parent
    offenders = []
    for folder in ("core", "ui", "pages", "tools", "bench"):
        for path in (root / folder).rglob("*.py"):
            text = " ".join(path.read_text(encoding="utf-8").split()).upper()
            for verb in ("UPDATE AUDIT_LOG", "DELETE FROM AUDIT_LOG", "TRUNCATE AUDIT_LOG", "DROP TABLE AUDIT_LOG"):
                if verb in text:
                    offenders.append(f"{path.relative_to(root)}: {verb}")
            if "INSERT INTO AUDIT_LOG" in text and path.name != "audit.py":
                offenders.append(f"{path.relative_to(root)}: writes the log itself")
    assert offenders == []


def test_the_command_line_importer_is_named_by_its_account(ucon, tmp_path, monkeypatch):
    from tools import importer

    monkeypatch.setattr(importer.getpass, "getuser", lambda: "drift")
    ucon.close()  # the command line opens the user database itself
    upload = tmp_path / "12005.csv"
    upload.write_bytes(ssb_csv(pd_long()).encode("latin-1"))
    assert importer.main([str(upload), "--kilde", "SSB 12005"]) == 0
    assert importer.main(["--gjenopprett", ssb.FASTLEGE]) == 0
    with db.connect_user() as con:
        log = audit.entries(con)
    assert list(zip(log["user_id"], log["user_name"], log["action"], strict=True)) == [
        ("kommandolinje:drift", "Kommandolinjen (drift)", "statistikk.gjenopprette"),
        ("kommandolinje:drift", "Kommandolinjen (drift)", "statistikk.laste_inn")]
