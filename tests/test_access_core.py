"""Core refuses what a role may not do, whoever calls it (issue 23): every write function in core takes
`actor=`; a reader, a planner of another kommune or a data steward gets a Norwegian refusal, and the user
database is exactly as before. The default actor (the local user) may do everything."""

from __future__ import annotations

import pytest

from core import db, userdb
from core import import_store as store
from core import offices as of
from core import scenarios as sc
from core import ssb_readers as ssb
from core import tiltak as tk
from core.access import AccessDenied, Principal, Role
from core.i18n import in_maalform
from tests.test_importers import OWN_FILE

ALVER, STAVANGER = "4631", "1103"
READER = Principal.of("rita", "Rita Leser", {ALVER: [Role.READER]})
PLANNER = Principal.of("per", "Per Planlegger", {ALVER: [Role.PLANNER]})
STEWARD = Principal.of("dina", "Dina Data", {ALVER: [Role.DATA_STEWARD]})
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


def dump(con) -> dict[str, list[tuple]]:
    """Every row of every user table: the whole store."""
    return {name: sorted(con.execute(f"SELECT * FROM {name}").fetchall(), key=repr)  # noqa: S608 - fixed names
            for name in sorted(userdb.TABLES)}


def filled(ucon, kommuner) -> dict[str, object]:
    """A store with a scenario (and a deleted one) in Alver and Stavanger, registers, a plan and imports."""
    ids = {knr: sc.save(ucon, knr, "Plan", "", CONTENT, "v") for knr in (ALVER, STAVANGER)}
    gone = sc.save(ucon, ALVER, "Gammel", "", CONTENT, "v")
    sc.delete(ucon, gone)
    row = tk.Measure(measure="Rekruttere", priority=1, row_id="r1")
    assert tk.save(ucon, ALVER, tk.MEASURES, 0, [row]).ok
    of.save_plan(ucon, ALVER, "Plan A", of.empty_table(), ())
    own = store.parse_upload(OWN_FILE.encode("cp1252"), "egne.csv", kommuner)
    assert store.apply(ucon, own, "egne.csv", "Alver kommune")[0] == 1
    return {"ids": ids, "gone": gone, "own": own}


def writes(ucon, kommuner, made, actor, knr):
    """Every kind of write core makes, on kommune `knr`, as `actor` (each a callable)."""
    sid = made["ids"][knr]
    fastlege = store.parse_upload("region;statistikkvariabel;år;x\n".encode(), "t.csv", kommuner)
    return {
        "scenario.save": lambda: sc.save(ucon, knr, "Ny", "", CONTENT, "v", actor=actor),
        "scenario.update": lambda: sc.update_content(ucon, sid, {"kapasitet": {"new_hjemler": "9"}}, "v", actor=actor),
        "scenario.rename": lambda: sc.rename(ucon, sid, "Nytt navn", actor=actor),
        "scenario.duplicate": lambda: sc.duplicate(ucon, sid, actor=actor),
        "scenario.delete": lambda: sc.delete(ucon, sid, actor=actor),
        "scenario.undelete": lambda: sc.undelete(ucon, made["gone"], actor=actor),
        "register.save": lambda: tk.save(ucon, knr, tk.MEASURES, 1, [], actor=actor),
        "register.remove": lambda: tk.remove(ucon, knr, tk.MEASURES, 1, "r1", actor=actor),
        "register.undo": lambda: tk.undo_remove(ucon, knr, tk.MEASURES, 1, "r1", actor=actor),
        "plan.save": lambda: of.save_plan(ucon, knr, "Plan B", of.empty_table(), (), actor=actor),
        "plan.delete": lambda: of.delete_plan(ucon, knr, "Plan A", actor=actor),
        "import.own": lambda: store.apply(ucon, made["own"], "egne.csv", "x", actor=actor),
        "import.national": lambda: store.apply(ucon, fastlege, "t.csv", "SSB", actor=actor),
        "restore.own": lambda: store.restore_previous(ucon, ssb.OWN, actor=actor),
        "activate.own": lambda: store.set_active(ucon, 1, False, actor=actor),
    }


def test_a_reader_calling_core_directly_is_refused_in_norwegian_and_nothing_changes(ucon, kommuner):
    made = filled(ucon, kommuner)
    before = dump(ucon)
    for what, write in writes(ucon, kommuner, made, READER, ALVER).items():
        with pytest.raises(AccessDenied) as err:
            write()
        message = str(err.value)
        assert message.startswith(("Du har lesetilgang til Alver og kan ikke ", "Bare en administrator kan ")), what
        assert dump(ucon) == before, what
    with pytest.raises(AccessDenied, match="^Du har lesetilgang til Alver og kan ikke lagre scenarioer."):
        sc.save(ucon, ALVER, "Ny", "", CONTENT, "v", actor=READER)
    with in_maalform("nn"), pytest.raises(AccessDenied, match="^Du har lesetilgang til Alver og kan ikkje lagre "
                                                              "scenario."):
        sc.save(ucon, ALVER, "Ny", "", CONTENT, "v", actor=READER)
    assert dump(ucon) == before


def test_a_planner_of_alver_cannot_touch_stavanger(ucon, kommuner):
    made = filled(ucon, kommuner)
    before = dump(ucon)
    for what, write in writes(ucon, kommuner, made, PLANNER, STAVANGER).items():
        if what.startswith(("import", "restore", "activate", "scenario.undelete")):
            continue  # those are Alver's rows (the own figures, the deleted scenario): below
        with pytest.raises(AccessDenied, match="^Du har ingen tilgang til Stavanger og kan ikke "):
            write()
        assert dump(ucon) == before, what
    for what in ("import.own", "restore.own", "activate.own"):
        with pytest.raises(AccessDenied, match="^Du er planlegger for Alver og kan ikke .*dataforvalter"):
            writes(ucon, kommuner, made, PLANNER, ALVER)[what]()
    with pytest.raises(AccessDenied, match="^Bare en administrator"):
        writes(ucon, kommuner, made, PLANNER, ALVER)["import.national"]()
    assert dump(ucon) == before


def test_a_planner_and_a_steward_do_what_their_role_allows(ucon, kommuner):
    made = filled(ucon, kommuner)
    planner = writes(ucon, kommuner, made, PLANNER, ALVER)
    for what in ("scenario.save", "scenario.update", "scenario.rename", "scenario.duplicate", "scenario.delete",
                 "scenario.undelete", "plan.save", "plan.delete"):
        planner[what]()
    assert tk.remove(ucon, ALVER, tk.MEASURES, 1, "r1", actor=PLANNER).ok
    assert tk.undo_remove(ucon, ALVER, tk.MEASURES, 2, "r1", actor=PLANNER).ok
    assert {s.name for s in sc.list_for(ucon, ALVER)} == {"Ny", "Nytt navn (kopi)", "Gammel"}
    steward = writes(ucon, kommuner, made, STEWARD, ALVER)
    assert steward["import.own"]()[0] == 2
    assert steward["restore.own"]() == 2
    steward["activate.own"]()
    assert store.batches(ucon)["active"].tolist() == [False, False]


def test_a_reader_opening_a_reference_register_sees_it_seeded(ucon, con):
    seeded = tk.open_register(ucon, con, STAVANGER, tk.MEASURES)  # seeding is the system's, not the reader's edit
    assert seeded.version == 1 and len(seeded.rows) > 0
    with pytest.raises(AccessDenied):
        tk.save(ucon, STAVANGER, tk.MEASURES, 1, [], actor=READER)
    assert tk.load(ucon, STAVANGER, tk.MEASURES).rows == seeded.rows
