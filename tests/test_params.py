"""The lever registry: one definition per lever, URL parsing that never raises."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.params import from_mapping, lever, levers, to_mapping


@dataclass(frozen=True)
class Example:
    new_hjemler: int = lever(label="Nye hjemler", unit="hjemler", default=0, min=0, max=50, step=1,
                             source="Brukerens valg")
    list_cap: float = lever(label="Listetak", unit="personer", default=1180.0, min=400, max=2500,
                            source="Stavanger 2023")
    keep_workload: bool = lever(label="Hold arbeidsmengden fast", unit="", default=False, source="Valg")
    alternative: str = lever(label="Alternativ", unit="", default="main", options=("main", "high", "low"),
                             source="SSB")


def test_registry_derives_names_and_defaults():
    names = [lv.name for lv in levers(Example)]
    assert names == ["new_hjemler", "list_cap", "keep_workload", "alternative"]
    assert Example().list_cap == 1180.0
    assert [lv.kind for lv in levers(Example)] == ["int", "float", "bool", "choice"]


def test_frozen():
    with pytest.raises(FrozenInstanceError):
        Example().new_hjemler = 3  # type: ignore[misc]


def test_round_trip():
    p = Example(new_hjemler=2, list_cap=1000.0, keep_workload=True, alternative="high")
    q, messages = from_mapping(Example, to_mapping(p))
    assert q == p and messages == []
    assert to_mapping(Example()) == {}


def test_clamp_and_refuse_with_norwegian_message():
    p, messages = from_mapping(Example, {"new_hjemler": "500", "list_cap": "abc", "keep_workload": "kanskje",
                                         "alternative": "<script>"})
    assert p.new_hjemler == 50 and p.list_cap == 1180.0 and p.keep_workload is False
    assert p.alternative == "main"
    assert len(messages) == 4
    assert "utenfor tillatt område" in messages[0]
    assert all("<" not in m and ">" not in m for m in messages)


@given(st.dictionaries(st.sampled_from(["new_hjemler", "list_cap", "keep_workload", "alternative", "x"]),
                       st.text(max_size=60)))
def test_any_url_gives_valid_params(raw):
    p, messages = from_mapping(Example, raw)
    assert 0 <= p.new_hjemler <= 50
    assert 400 <= p.list_cap <= 2500
    assert p.alternative in ("main", "high", "low")
    assert all(isinstance(m, str) for m in messages)


def test_markdown_link_in_url_is_not_reflected():
    _, messages = from_mapping(Example, {"alternative": "[klikk](http://evil.example)"})
    assert len(messages) == 1
    assert not any(ch in messages[0] for ch in "[]()/") and "http:" not in messages[0], messages[0]


@pytest.mark.parametrize("raw", ["1e308", "-1e308", "1e-320", "9" * 400, "0x10", "1_000", "٣"])
def test_extreme_numbers_never_raise(raw):
    p, _ = from_mapping(Example, {"new_hjemler": raw, "list_cap": raw})
    assert 0 <= p.new_hjemler <= 50 and 400 <= p.list_cap <= 2500


# --- renamed levers (Lever.aliases) ---------------------------------------------------------------------

@dataclass(frozen=True)
class Renamed:
    """Example after a rename: new_hjemler is now added_hjemler, list_cap was called listetak and cap before."""

    added_hjemler: int = lever(label="Nye hjemler", unit="hjemler", default=0, min=0, max=50, step=1,
                               source="Brukerens valg", aliases=("new_hjemler",))
    list_cap: float = lever(label="Listetak", unit="personer", default=1180.0, min=400, max=2500,
                            source="Stavanger 2023", aliases=("listetak", "cap"))
    keep_workload: bool = lever(label="Hold arbeidsmengden fast", unit="", default=False, source="Valg")


def test_an_old_name_resolves_to_the_renamed_lever():
    from core.params import canonical, resolve_name

    assert [resolve_name(Renamed, k) for k in ("new_hjemler", "added_hjemler", "cap", "listetak", "start")] == [
        "added_hjemler", "added_hjemler", "list_cap", "list_cap", None]
    assert resolve_name(Renamed(), "cap") == "list_cap"  # an instance works as well as the class
    assert canonical(Renamed, {"new_hjemler": "2", "cap": "900", "start": "ssb"}) == {
        "added_hjemler": "2", "list_cap": "900", "start": "ssb"}  # keys that are no lever stay


def test_a_link_with_an_old_name_sets_the_renamed_lever():
    params, messages = from_mapping(Renamed, {"new_hjemler": "3", "listetak": "5000"})
    assert params == Renamed(added_hjemler=3, list_cap=2500.0)
    assert len(messages) == 1 and "Listetak" in messages[0]  # clamped as under the new name
    params, _ = from_mapping(Renamed, {"new_hjemler": "3", "added_hjemler": "4"})
    assert params.added_hjemler == 4  # the current name wins
    assert to_mapping(Renamed(added_hjemler=3)) == {"added_hjemler": "3"}  # and is what links are written with


def test_an_alias_that_names_another_lever_is_refused():
    @dataclass(frozen=True)
    class Clash:
        a: int = lever(label="A", unit="", default=0, source="Valg", aliases=("b",))
        b: int = lever(label="B", unit="", default=0, source="Valg")

    with pytest.raises(ValueError, match="alias 'b'"):
        from_mapping(Clash, {"b": "1"})


def test_a_scenario_saved_under_an_old_name_loads_into_the_renamed_lever(tmp_path):
    """A scenario in a user database from before the rename (tests/fixtures/userdb_v1.duckdb, saved with
    «new_hjemler»): opened after new_hjemler became added_hjemler, it still has two new hjemler."""
    import shutil
    from pathlib import Path

    from core import db, userdb
    from core import scenarios as sc

    path = tmp_path / "bruker.duckdb"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "userdb_v1.duckdb", path)
    con = userdb.connect(path)
    saved = {s.name: s for s in sc.list_for(con, "4631")}
    params, messages = from_mapping(Renamed, saved["To nye hjemler"].content["kapasitet"])
    assert params.added_hjemler == 2 and messages == []
    sid = sc.save(con, "4631", "Lagret før endringen", "", {"kapasitet": {"new_hjemler": "5", "cap": "1000"}}, "v")
    con.close()
    with db.connect_user(path) as again:
        params, _ = from_mapping(Renamed, sc.get(again, sid).content["kapasitet"])
    assert (params.added_hjemler, params.list_cap) == (5, 1000.0)


def test_no_lever_in_core_has_an_alias_that_names_another():
    from core.params import resolve_name
    from tools.lever_docs import lever_classes

    for cls in lever_classes().values():
        for lv in levers(cls):
            assert resolve_name(cls, lv.name) == lv.name
            assert all(resolve_name(cls, old) == lv.name for old in lv.aliases)
