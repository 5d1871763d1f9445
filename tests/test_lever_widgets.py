"""Levers you can set exactly (issue 19): a widget kind per lever, whole steps, ranges fitted to the kommune.

The registries are found by the same walk as tests/test_lever_basis.py, so a new page's levers are covered.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import capacity as cap
from core.params import (
    MAX_SLIDER_STEPS,
    NUMBER,
    SELECT,
    SLIDER,
    SLIDER_NUMBER,
    TOGGLE,
    WIDGETS,
    Lever,
    from_mapping,
    lever,
    levers,
    with_defaults_from,
)
from tests.test_lever_basis import ALL, _id
from ui import number_field

# Units that count whole things. A lever in one of them moves one thing per step; a fractional one
# (an average per year) declares a widget where the exact value can be typed.
WHOLE_UNITS = ("hjemler", "leger", "plasser", "personer", "år", "pasienter", "lister", "dager", "måneder",
               "vakter")
# Whole-unit levers whose step is deliberately more than 1, with the reason.
JUSTIFIED_STEPS: dict[str, str] = {
    "CapacityParams.external_change": "an estimate of patients from other kommuner, ±5 000 a year in steps of 50: "
                                      "a 200-step slider; a typed field beside it would cost every lever rerun "
                                      "a copy of the session state (docs/robusthet.md)",
}


def _whole(lv: Lever) -> bool:
    return lv.unit.split(" ")[0] in WHOLE_UNITS if lv.unit else False


@pytest.mark.parametrize("item", ALL, ids=[_id(i) for i in ALL])
def test_every_lever_has_a_valid_widget_kind(item):
    cls, lv = item
    kind = lv.widget_kind
    assert kind in WIDGETS, f"{_id(item)}: {kind!r}"
    assert lv.widget in ("", *WIDGETS), f"{_id(item)}: declared {lv.widget!r}"
    expected = {"bool": (TOGGLE,), "choice": (SELECT,)}.get(lv.kind, (SLIDER, NUMBER, SLIDER_NUMBER))
    assert kind in expected, f"{_id(item)}: {kind} for a {lv.kind} lever"
    if kind in (SLIDER, SLIDER_NUMBER):
        assert lv.min is not None and lv.max is not None and lv.min < lv.max, _id(item)
    if kind == SLIDER and lv.unit != "år":  # a bare slider can reach every step: not too many of them
        assert (lv.max - lv.min) / (lv.step or 1) <= MAX_SLIDER_STEPS, f"{_id(item)}: a slider over too many steps"


@pytest.mark.parametrize("item", [i for i in ALL if _whole(i[1])], ids=[_id(i) for i in ALL if _whole(i[1])])
def test_whole_units_move_one_at_a_time(item):
    cls, lv = item
    if lv.kind == "int":
        assert lv.step in (None, 1) or _id(item) in JUSTIFIED_STEPS, (
            f"{_id(item)}: steg {lv.step} for en spak i hele {lv.unit}")
    else:  # an average (leavers per year): fractional on purpose, so the exact value can be typed
        assert lv.step == 1 or lv.widget in (NUMBER, SLIDER_NUMBER), (
            f"{_id(item)}: {lv.unit} i steg på {lv.step} – erklær widget=NUMBER eller SLIDER_NUMBER")


def test_the_capacity_levers_you_set_in_a_meeting_can_be_typed():
    kinds = {lv.name: lv.widget_kind for lv in levers(cap.CapacityParams)}
    for name in ("new_hjemler", "new_list_cap", "exits_per_year", "recruits_per_year", "cap_change_places"):
        assert kinds[name] == SLIDER_NUMBER, name
    assert kinds["closed_hjemler"] == SLIDER  # step 1 over at most 0–300: the arrow keys reach every value
    assert kinds["horizon"] == SLIDER and kinds["keep_workload"] == TOGGLE and kinds["alternative"] == SELECT
    assert {lv.name: lv.step for lv in levers(cap.CapacityParams)}["new_list_cap"] == 1


@dataclass(frozen=True)
class _Rule:
    year: int = lever(label="År", unit="år", default=2030, min=2021, max=2050, step=1, source="Valg")
    few: int = lever(label="Få", unit="hjemler", default=0, min=0, max=400, step=1, source="Valg")
    many: int = lever(label="Mange", unit="hjemler", default=0, min=0, max=401, step=1, source="Valg")
    fine: float = lever(label="Fin", unit="andel", default=0.0, min=0.0, max=1.0, step=0.001, source="Valg")
    typed: int = lever(label="Skrevet", unit="hjemler", default=0, min=0, max=10, widget=NUMBER, source="Valg")
    open_: float = lever(label="Åpen", unit="kr", default=0.0, source="Valg")
    flag: bool = lever(label="Av/på", unit="", default=False, source="Valg")
    pick: str = lever(label="Valg", unit="", default="a", options=("a", "b"), source="Valg")


def test_the_one_rule_for_an_undeclared_widget():
    assert {lv.name: lv.widget_kind for lv in levers(_Rule)} == {
        "year": SLIDER, "few": SLIDER, "many": NUMBER, "fine": NUMBER, "typed": NUMBER, "open_": NUMBER,
        "flag": TOGGLE, "pick": SELECT}


@pytest.mark.parametrize("kwargs", [
    {"default": 0, "widget": "knott"}, {"default": 0, "widget": TOGGLE}, {"default": False, "widget": SLIDER},
    {"default": "a", "options": ("a",), "widget": NUMBER}])
def test_a_widget_that_does_not_fit_is_refused_when_declared(kwargs):
    with pytest.raises(ValueError):
        Lever(label="X", unit="", source="Valg", **kwargs)


def _base(hjemler: int, list_capacity: float, vacant: int = 0, year: int = 2025) -> cap.CapacityBase:
    return cap.CapacityBase(label="Test", kommunenummer="0000", year=year, hjemler=hjemler, vacant_lists=vacant,
                            list_capacity=list_capacity, patients_with_gp=list_capacity, patients_without_gp=0.0,
                            residents=list_capacity)


@pytest.mark.parametrize(("hjemler", "top", "per_year"), [
    (0, 10, 5), (1, 10, 5), (15, 10, 5), (16, 10, 6), (26, 10, 9), (30, 10, 10), (31, 11, 11), (32, 11, 11),
    (130, 44, 44), (139, 47, 47), (611, 204, 204)])
def test_count_levers_reach_a_third_of_today(hjemler, top, per_year):
    bounds = cap.lever_bounds(_base(hjemler, 1000.0 * hjemler))
    assert bounds["new_hjemler"] == bounds["closed_hjemler"] == (0, top)  # at least 0–10
    assert bounds["exits_per_year"] == bounds["recruits_per_year"] == (0.0, float(per_year))  # at least 0–5


def test_alver_2021_ranges():
    bounds = cap.lever_bounds(_base(26, 29_400.0, year=2021))  # the reference case: 26 lists, cap 29 400
    assert bounds["new_hjemler"] == (0, 10)
    assert bounds["exits_per_year"] == (0.0, 9.0)  # ⌈26 / 3⌉ = 9 ≥ 5
    assert bounds["new_list_cap"] == (500, 1700)  # average 1 130,8: ½ → 565 → 500, 1½ → 1 696 → 1 700
    assert bounds["cap_change_places"] == (-9800, 9800)  # 29 400 / 3 = 9 800
    assert bounds["new_from_year"] == (2021, cap.LAST_MODEL_YEAR)
    assert bounds["horizon"] == (2026, cap.LAST_MODEL_YEAR)  # the registry's first horizon is 2026


def test_a_small_kommune_keeps_room_to_move():
    bounds = cap.lever_bounds(_base(1, 600.0))  # Kvitsøy: one list of 600
    assert bounds["new_hjemler"] == (0, 10) and bounds["exits_per_year"] == (0.0, 5.0)
    assert bounds["new_list_cap"] == (300, 900)
    assert bounds["cap_change_places"] == (-1000, 1000)
    without = cap.lever_bounds(_base(0, 0.0))  # no list with a doctor: the registry's list-cap range
    assert "new_list_cap" not in without or without["new_list_cap"] == (200, 2500)


def test_the_range_holds_the_default():
    base = _base(26, 29_400.0)
    planned = with_defaults_from(cap.CapacityParams, base, new_hjemler=14)  # e.g. the kommune's own plan
    assert cap.lever_bounds(base, planned)["new_hjemler"] == (0, 14)


def test_every_kommune_range_lies_within_the_registry_and_holds_the_default(con):
    from core import starting_points

    registry = {lv.name: lv for lv in levers(cap.CapacityParams)}
    checked = 0
    for base in starting_points.all_from_statistics(con):
        knr = base.kommunenummer
        defaults = with_defaults_from(cap.CapacityParams, base)
        for name, (lo, hi) in cap.lever_bounds(base, defaults).items():
            lv = registry[name]
            assert lv.min <= lo < hi <= lv.max, (knr, name, lo, hi)
            assert lo <= getattr(defaults, name) <= hi, (knr, name)
        checked += 1
    assert checked > 300


def test_oslo_gets_a_third_of_its_hjemler(con):
    from core import starting_points

    base = starting_points.from_statistics(con, "0301")
    assert base.hjemler == 611
    assert cap.lever_bounds(base)["new_hjemler"] == (0, 204)


def test_a_link_outside_the_kommune_range_is_clamped_with_a_message():
    bounds = cap.lever_bounds(_base(26, 29_400.0, year=2021))
    params, messages = from_mapping(cap.CapacityParams, {"new_hjemler": "50", "exits_per_year": "2,5"},
                                    bounds=bounds)
    assert params.new_hjemler == 10 and params.exits_per_year == 2.5
    assert messages == ["«Nye hjemler»: «50» er utenfor tillatt område (0–10 hjemler); 10 brukes."]
    # without a kommune (a scenario compared elsewhere) the registry's wider range applies
    assert from_mapping(cap.CapacityParams, {"new_hjemler": "50"})[0].new_hjemler == 50


def test_a_typed_value_goes_to_the_slider_step_and_says_so():
    assert number_field.read("2,53", 0.0, 11.0, 2, "Leger som slutter per år", step=0.05) == (
        2.55, "«Leger som slutter per år»: 2,53 er rundet til 2,55; spaken går i steg på 0,05.")
    assert number_field.read("2,5", 0.0, 11.0, 2, "Leger", step=0.05) == (2.5, None)
    assert number_field.read("12", 0.0, 11.0, 2, "Leger", step=0.05) == (
        11.0, "«Leger»: 12 er utenfor tillatt område (0 til 11); 11 brukes.")


@given(st.text(max_size=60), st.sampled_from([(0, 0.05), (0, 1.0), (2, 0.05), (2, 0.01)]))
def test_nothing_typed_raises_and_every_number_lands_on_the_grid(text, fmt_step):
    decimals, step = fmt_step
    value, message = number_field.read(text, 0.0, 47.0, decimals, "Leger", step=step)
    if value is None:
        assert message
    else:
        assert 0.0 <= value <= 47.0
        assert abs(round(value / step) * step - value) < 1e-9
