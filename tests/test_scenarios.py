"""The scenario store: round trip, names, duplicate, delete with undo, concurrent writers."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import db
from core import scenarios as sc
from core.usertext import clean

CONTENT = {"kapasitet": {"new_hjemler": "2", "start": "alver_2021"}, "okonomi": {"periode": "2021"}}


@pytest.fixture
def ucon(store_con):
    """The store on both back ends: the DuckDB file and PostgreSQL (tests/conftest.py)."""
    return store_con


def test_round_trip(ucon):
    sid = sc.save(ucon, "4631", "  To nye   hjemler ", "Til utvalget", CONTENT, "abc123")
    got = sc.get(ucon, sid)
    assert got.name == "To nye hjemler" and got.description == "Til utvalget"
    assert got.content == CONTENT and got.data_version == "abc123" and got.kommunenummer == "4631"
    assert [s.id for s in sc.list_for(ucon, "4631")] == [sid]
    assert sc.list_for(ucon, "1103") == []


def test_survives_a_restart(user_store):
    con = user_store.connect()
    sid = sc.save(con, "1103", "A", "", CONTENT, "v1")
    con.close()
    con = user_store.connect()
    assert sc.get(con, sid).content == CONTENT
    con.close()


def test_names_are_unique_per_kommune_and_required(ucon):
    sc.save(ucon, "4631", "Plan", "", CONTENT, "v")
    with pytest.raises(sc.ScenarioError, match="finnes allerede"):
        sc.save(ucon, "4631", "plan", "", CONTENT, "v")
    sc.save(ucon, "1103", "Plan", "", CONTENT, "v")  # another kommune may use the name
    with pytest.raises(sc.ScenarioError, match="navn"):
        sc.save(ucon, "4631", "   ", "", CONTENT, "v")


def test_rename_duplicate_delete_and_undo(ucon):
    a = sc.save(ucon, "4631", "Plan", "første", CONTENT, "v")
    b = sc.duplicate(ucon, a)
    c = sc.duplicate(ucon, a)
    assert sc.get(ucon, b).name == "Plan (kopi)" and sc.get(ucon, c).name == "Plan (kopi 2)"
    assert sc.get(ucon, b).content == CONTENT
    sc.rename(ucon, b, "Plan B", "ny tekst")
    assert sc.get(ucon, b).description == "ny tekst"
    with pytest.raises(sc.ScenarioError):
        sc.rename(ucon, c, "plan b")
    sc.delete(ucon, a)
    assert {s.name for s in sc.list_for(ucon, "4631")} == {"Plan B", "Plan (kopi 2)"}
    sc.undelete(ucon, a)
    assert {s.name for s in sc.list_for(ucon, "4631")} == {"Plan", "Plan B", "Plan (kopi 2)"}


def test_undo_refused_when_the_name_was_taken_meanwhile(ucon):
    a = sc.save(ucon, "4631", "Plan", "", CONTENT, "v")
    sc.delete(ucon, a)
    sc.save(ucon, "4631", "Plan", "", CONTENT, "v")
    with pytest.raises(sc.ScenarioError, match="nytt navn"):
        sc.undelete(ucon, a)


def test_update_content(ucon):
    a = sc.save(ucon, "4631", "Plan", "", CONTENT, "v1")
    sc.update_content(ucon, a, {"kapasitet": {"new_hjemler": "5"}}, "v2")
    got = sc.get(ucon, a)
    assert got.content == {"kapasitet": {"new_hjemler": "5"}} and got.data_version == "v2"


def test_concurrent_writers_lose_nothing(tmp_path):
    path = tmp_path / "bruker.duckdb"
    setup = db.connect_user(path)
    sc.list_for(setup, "4631")  # creates the table
    errors: list[BaseException] = []

    def writer(i: int) -> None:
        try:
            con = db.connect_user(path)
            try:
                for j in range(10):
                    sid = sc.save(con, "4631", f"økt {i} nr {j}", "", {"kapasitet": {"new_hjemler": str(j)}}, "v")
                    if j % 3 == 0:
                        sc.rename(con, sid, f"økt {i} nr {j} omdøpt")
            finally:
                con.close()
        except BaseException as exc:  # collected and reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    names = {s.name for s in sc.list_for(setup, "4631")}
    assert len(names) == 80
    assert "økt 3 nr 6 omdøpt" in names and "økt 3 nr 7" in names
    setup.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=200), description=st.text(max_size=300),
       content=st.dictionaries(st.text(max_size=20), st.dictionaries(st.text(max_size=20), st.text(max_size=40),
                                                                     max_size=5), max_size=4))
def test_any_text_is_stored_as_given_or_refused_clearly(ucon, name, description, content):
    try:
        sid = sc.save(ucon, "4631", name, description, content, "v")
    except sc.ScenarioError as exc:
        assert str(exc)  # a Norwegian message, never another exception
        return
    got = sc.get(ucon, sid)
    # stored as given, less control and bidi characters (issue 24: text hygiene at one boundary)
    assert got.name == " ".join(clean(name, multiline=False).split())[:sc.MAX_NAME]
    assert got.description == clean(description, max_len=sc.MAX_DESCRIPTION) and got.content == content
    assert clean(got.name) == got.name and clean(got.description) == got.description
    sc.delete(ucon, sid)


# --- concurrency that tells the truth (issue 24, finding 12) ------------------------------------------

def test_a_scenario_gets_a_version_raised_by_every_change(ucon):
    a = sc.save(ucon, "4631", "Plan", "", CONTENT, "v1")
    assert sc.get(ucon, a).version == 1
    assert sc.update_content(ucon, a, {"kapasitet": {"new_hjemler": "5"}}, "v2", expected_version=1) == 2
    assert sc.rename(ucon, a, "Plan B", expected_version=2) == 3
    assert sc.update(ucon, a, CONTENT, "v3") == 4  # without a version: whatever is there now
    got = sc.get(ucon, a)
    assert (got.version, got.name, got.content, got.data_version) == (4, "Plan B", CONTENT, "v3")
    assert [s.version for s in sc.list_for(ucon, "4631")] == [4]


def test_an_update_of_a_version_that_has_changed_since_is_refused(ucon):
    a = sc.save(ucon, "4631", "Plan", "", CONTENT, "v1")
    opened = sc.get(ucon, a).version
    sc.update_content(ucon, a, {"kapasitet": {"new_hjemler": "1"}}, "v", expected_version=opened)  # someone else
    with pytest.raises(sc.StaleScenario, match="Scenarioet er endret av noen andre siden du åpnet det"):
        sc.update_content(ucon, a, {"kapasitet": {"new_hjemler": "9"}}, "v", expected_version=opened)
    with pytest.raises(sc.StaleScenario):
        sc.rename(ucon, a, "Nytt navn", expected_version=opened)
    got = sc.get(ucon, a)
    assert (got.content, got.name, got.version) == ({"kapasitet": {"new_hjemler": "1"}}, "Plan", 2)


def test_updating_renaming_or_deleting_a_missing_or_deleted_scenario_is_refused(ucon):
    a = sc.save(ucon, "4631", "Plan", "", CONTENT, "v1")
    sc.delete(ucon, a)
    for sid in (a, "finnes-ikke"):
        with pytest.raises(sc.ScenarioError, match="finnes ikke lenger"):
            sc.update_content(ucon, sid, CONTENT, "v2")
        with pytest.raises(sc.ScenarioError, match="finnes ikke lenger"):
            sc.update_content(ucon, sid, CONTENT, "v2", expected_version=1)
        with pytest.raises(sc.ScenarioError, match="finnes ikke lenger"):
            sc.rename(ucon, sid, "Annet")
        with pytest.raises(sc.ScenarioError, match="finnes ikke lenger"):
            sc.delete(ucon, sid)
    got = sc.get(ucon, a)
    assert (got.content, got.data_version, got.name) == (CONTENT, "v1", "Plan")


def test_the_database_refuses_a_second_live_name_even_past_the_check(ucon, monkeypatch):
    """A session that checked before another saved the name: the unique index decides, with the message."""
    sc.save(ucon, "4631", "Plan", "", CONTENT, "v")
    monkeypatch.setattr(sc, "_taken", lambda *a, **k: False)  # as if the check ran before the other's insert
    with pytest.raises(sc.ScenarioError, match="Det finnes allerede et scenario som heter «PLAN»"):
        sc.save(ucon, "4631", "PLAN", "", CONTENT, "v")
    b = sc.save(ucon, "4631", "Plan 2", "", CONTENT, "v")
    with pytest.raises(sc.ScenarioError, match="finnes allerede"):
        sc.rename(ucon, b, "plan")
    sc.save(ucon, "1103", "Plan", "", CONTENT, "v")  # another kommune may use it
    assert sorted(s.name for s in sc.list_for(ucon, "4631")) == ["Plan", "Plan 2"]


def test_a_deleted_scenario_frees_its_name_and_undo_is_refused_by_the_database(ucon, monkeypatch):
    a = sc.save(ucon, "4631", "Plan", "", CONTENT, "v")
    sc.delete(ucon, a)
    b = sc.save(ucon, "4631", "Plan", "", CONTENT, "v")  # the name is free again
    monkeypatch.setattr(sc, "_taken", lambda *a, **k: False)
    with pytest.raises(sc.ScenarioError, match="Et annet scenario heter nå «Plan»"):
        sc.undelete(ucon, a)
    assert [s.id for s in sc.list_for(ucon, "4631")] == [b]


def test_20_writers_50_operations_no_duplicate_name_no_lost_update(tmp_path):
    """20 threads × 50 operations on one user database: saves of five shared names, and updates of one
    scenario each given the version its writer read (every fifth one an old version on purpose).
    Every save either gets the name or is refused; every update either applies to the version it read
    (then it is the only one that moved the scenario from that version) or is refused."""
    path = tmp_path / "bruker.duckdb"
    setup = db.connect_user(path)
    target = sc.save(setup, "4631", "Felles", "", {"kapasitet": {"writer": "start"}}, "v")
    names = [f"Navn {k}" for k in range(5)]
    lock = threading.Lock()
    saved: list[str] = []
    name_refused = [0]
    updated: list[tuple[int, int, str]] = []  # (version read, version after, marker)
    stale = [0]
    errors: list[BaseException] = []
    barrier = threading.Barrier(20)

    def writer(i: int) -> None:
        try:
            con = db.connect_user(path)
            barrier.wait()
            old = 1
            try:
                for j in range(50):
                    if j % 2 == 0:
                        name = names[(i + j) % 5]
                        try:
                            sc.save(con, "4631", name.upper() if i % 2 else name, "", {"k": {"i": str(i)}}, "v")
                            with lock:
                                saved.append(name.lower())
                        except sc.StaleScenario:
                            raise
                        except sc.ScenarioError as exc:
                            assert "finnes allerede" in str(exc)
                            with lock:
                                name_refused[0] += 1
                        continue
                    read = sc.get(con, target).version
                    expected = old if j % 5 == 0 else read
                    old = read
                    marker = f"{i}-{j}"
                    try:
                        new = sc.update_content(con, target, {"kapasitet": {"writer": marker}}, "v",
                                                expected_version=expected)
                        with lock:
                            updated.append((expected, new, marker))
                    except sc.StaleScenario:
                        with lock:
                            stale[0] += 1
            finally:
                con.close()
        except BaseException as exc:  # collected and reported below
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    live = sc.list_for(setup, "4631")
    lowered = [s.name.lower() for s in live]
    assert len(lowered) == len(set(lowered))  # 0 duplicate names
    assert sorted(saved) == [n.lower() for n in names]  # each name saved exactly once …
    assert len(saved) + name_refused[0] == 20 * 25  # … and every other save refused with the message
    assert len(updated) + stale[0] == 20 * 25  # every update applied or refused: none lost silently
    assert sorted(new for _, new, _ in updated) == list(range(2, len(updated) + 2))  # one writer per version
    assert all(new == read + 1 for read, new, _ in updated)  # each applied to the version its writer read
    final = sc.get(setup, target)
    assert final.version == 1 + len(updated)
    assert final.content == {"kapasitet": {"writer": max(updated, key=lambda u: u[1])[2]}}  # the last one won
    setup.close()
    print(f"saves: {len(saved)} stored, {name_refused[0]} refused; updates: {len(updated)} applied, "
          f"{stale[0]} refused as stale")
