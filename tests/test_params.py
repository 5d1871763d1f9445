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
