"""Unit tests for Kommunale legeoppgaver (core/duties.py): exact numbers by hand, invariants, properties."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import capacity as cap
from core import duties as du
from core import duties_charts as charts
from core import starting_points
from core.params import levers, with_defaults_from

SHARED = du.SharedParams()


# --- nursing homes ----------------------------------------------------------------------------------

def test_legeforeningen_defaults_are_the_2002_draft_in_minutes():
    p = du.NursingHomeParams()
    assert (p.sh_norm_long_term, p.sh_norm_short_term, p.sh_norm_rehab, p.sh_norm_palliative) == (20, 90, 180, 300)
    # parameters.csv: 0.333, 1.5, 3 and 5 hours per place per week
    assert p.sh_norm_long_term / 60 == pytest.approx(0.333, abs=0.001)
    assert p.sh_norm_short_term / 60 == 1.5 and p.sh_norm_rehab / 60 == 3 and p.sh_norm_palliative / 60 == 5


def test_required_fte_by_hand():
    p = du.NursingHomeParams(sh_long_term=90, sh_short_term=10, sh_rehab=4, sh_palliative=2, sh_dementia=0,
                             sh_aldershjem=30, sh_current_fte=3.0, sh_current_doctors=6)
    shared = du.SharedParams(felles_hours_per_fte=40.0, felles_fte_cost=1_000_000)
    r = du.nursing_home(p, shared)
    hours = 90 * 20 / 60 + 10 * 1.5 + 4 * 3 + 2 * 5  # 30 + 15 + 12 + 10 = 67
    assert hours == 67 and r.required_hours == pytest.approx(hours)
    assert r.required_fte == pytest.approx(67 / 40)
    assert r.gap_fte == pytest.approx(67 / 40 - 3.0)
    assert r.gap_cost == pytest.approx((67 / 40 - 3.0) * 1_000_000)
    assert r.places == 106  # aldershjem not counted as nursing-home places
    assert r.hours_per_place_now == pytest.approx(3.0 * 40 / 106)
    assert r.fte_per_doctor == pytest.approx(0.5)


def test_stavanger_norm_reproduces_plus_5_21(con):
    case = du.stavanger_case(con)
    assert (case.places, case.short_term, case.long_term, case.aldershjem) == (1011, 213, 798, 64)
    assert (case.current_fte, case.doctors, case.added_fte) == (19.75, 37, 5.21)
    # (19.75 + 5.21) × 37.5 = 936 hours; (936 − 213 × 1.5) / 798 h = 46.353… minutes per long-term place
    norm = du.stavanger_norm(case)
    assert norm == pytest.approx((936 - 213 * 1.5) / 798 * 60)
    assert round(norm, 2) == 46.35
    params = with_defaults_from(du.NursingHomeParams, du.stavanger_defaults(case))
    assert params.sh_norm_long_term == 46.35 and params.sh_norm_short_term == 90.0
    assert params.sh_norm_aldershjem == 0.0 and params.sh_aldershjem == 64
    r = du.nursing_home(params, du.SharedParams(felles_hours_per_fte=37.5))
    assert r.required_hours == pytest.approx(798 * 46.35 / 60 + 213 * 1.5)
    assert round(r.gap_fte, 2) == 5.21
    assert round(r.required_fte, 2) == 24.96


def test_stavanger_sourced_norm_beside_the_back_solved_one(con):
    """Legeforeningen 2002 (20 and 90 minutes) gives −4,14 FTE where Legeplan's back-solved norm gives +5,21."""
    case = du.stavanger_case(con)
    sourced, backsolved = du.stavanger_norms(case, 37.5, 1_000_000)
    # 798 × 20 / 60 + 213 × 1,5 = 266 + 319,5 = 585,5 hours = 15,613 FTE; 15,613 − 19,75 = −4,137
    assert (sourced.kind, sourced.long_term_minutes, sourced.short_term_minutes) == (du.SOURCED_NORM, 20.0, 90.0)
    assert sourced.required_hours == pytest.approx(585.5)
    assert sourced.required_fte == pytest.approx(585.5 / 37.5)
    assert sourced.gap_fte == pytest.approx(585.5 / 37.5 - 19.75) and round(sourced.gap_fte, 2) == -4.14
    assert sourced.gap_cost == pytest.approx((585.5 / 37.5 - 19.75) * 1_000_000)
    # (19,75 + 5,21) × 37,5 = 936 hours; the back-solved gap is the plan's +5,21 by construction
    assert backsolved.kind == du.BACKSOLVED_NORM
    assert backsolved.long_term_minutes == pytest.approx((936 - 319.5) * 60 / 798) and round(
        backsolved.long_term_minutes, 2) == 46.35
    assert backsolved.required_hours == pytest.approx(936) and backsolved.gap_fte == pytest.approx(5.21)
    # with 40 hours per FTE the back-solved norm is solved again (still +5,21); the sourced one moves
    s40, b40 = du.stavanger_norms(case, 40.0, 1_000_000)
    assert b40.gap_fte == pytest.approx(5.21) and b40.long_term_minutes == pytest.approx(
        ((19.75 + 5.21) * 40 - 319.5) * 60 / 798)
    assert s40.gap_fte == pytest.approx(585.5 / 40 - 19.75)


def test_norm_in_force_names_the_long_term_norm(con):
    case = du.stavanger_case(con)
    stavanger = with_defaults_from(du.NursingHomeParams, du.stavanger_defaults(case))
    assert du.norm_in_force(case, stavanger) == du.BACKSOLVED_NORM
    assert du.norm_in_force(case, replace(stavanger, sh_norm_long_term=20.0)) == du.SOURCED_NORM
    assert du.norm_in_force(case, replace(stavanger, sh_norm_long_term=30.0)) == du.OWN_NORM
    assert du.norm_in_force(None, du.NursingHomeParams()) == du.SOURCED_NORM
    assert du.norm_in_force(None, replace(stavanger, sh_norm_long_term=46.35)) == du.OWN_NORM  # no case


def test_sourced_reference_is_legeforeningens_norm_for_the_same_places(con):
    """Stavanger: 798 × 20/60 + 213 × 90/60 = 266 + 319,5 = 585,5 h = 15,61 FTE beside the levers' 24,96."""
    case = du.stavanger_case(con)
    stavanger = with_defaults_from(du.NursingHomeParams, du.stavanger_defaults(case))
    ref = du.sourced_reference(stavanger, SHARED)
    assert ref is not None
    assert ref.required_hours == pytest.approx(585.5) and round(ref.required_fte, 2) == 15.61
    assert round(du.nursing_home(stavanger, SHARED).required_fte, 2) == 24.96  # 798 × 46,35/60 + 319,5 = 935,955 h
    assert ref.required_fte == pytest.approx(du.stavanger_norms(case, 37.5, 1.0)[0].required_fte)
    sourced_params = du.sourced_norm_params(stavanger)
    assert (sourced_params.sh_norm_long_term, sourced_params.sh_norm_short_term) == (20.0, 90.0)
    assert sourced_params.sh_norm_aldershjem == stavanger.sh_norm_aldershjem  # an example norm is kept
    # The levers already on Legeforeningen's norms (the own-figures start, or Stavanger set to 20): no second bar.
    assert du.sourced_reference(du.NursingHomeParams(), SHARED) is None
    assert du.sourced_reference(replace(stavanger, sh_norm_long_term=20.0), SHARED) is None
    # A changed norm for a kind without places changes nothing, so nothing is drawn beside it.
    assert du.sourced_reference(replace(stavanger, sh_norm_long_term=20.0, sh_norm_rehab=500.0), SHARED) is None
    # An own short-term norm (60 min): the reference keeps the source's 90.
    own = du.sourced_reference(replace(stavanger, sh_norm_long_term=20.0, sh_norm_short_term=60.0), SHARED)
    assert own is not None and round(own.required_fte, 2) == 15.61


def test_fte_chart_and_its_table_carry_both_norms(con):
    from ui import chart_table

    case = du.stavanger_case(con)
    stavanger = with_defaults_from(du.NursingHomeParams, du.stavanger_defaults(case))
    nh, ref = du.nursing_home(stavanger, SHARED), du.sourced_reference(stavanger, SHARED)
    spec = charts.nursing_fte_chart(nh.by_kind, nh.current_fte, ref.by_kind, du.BACKSOLVED_NORM).to_dict()
    totals = next(tb.to_pylist() for tb in chart_table.tables(spec) if tb.column_names == ["Stolpe", "Legeårsverk i alt"])
    assert totals == [{"Stolpe": "I dag", "Legeårsverk i alt": "19,75"},
                      {"Stolpe": "Legeforeningens norm 2002 (kilde)", "Legeårsverk i alt": "15,61"},
                      {"Stolpe": "Legeplans tilbakeregning (antakelse)", "Legeårsverk i alt": "24,96"}]
    parts = next(tb.to_pylist() for tb in chart_table.tables(spec) if "Del" in tb.column_names)
    long_term = {r["Stolpe"]: r["Legeårsverk"] for r in parts if r["Del"] == "Langtidsplasser"}
    assert long_term == {"Legeforeningens norm 2002 (kilde)": "7,09",  # 266 h / 37,5
                         "Legeplans tilbakeregning (antakelse)": "16,44"}  # 616,455 h / 37,5
    # Without a reference the chart is as before: one bar «Etter normen».
    plain = charts.nursing_fte_chart(nh.by_kind, nh.current_fte).to_dict()
    bars = {r["bar"] for rows in plain["datasets"].values() for r in rows}
    assert bars == {"I dag", "Etter normen"}
    # An own norm beside the source is named as the levers' own.
    own = charts.nursing_fte_chart(nh.by_kind, nh.current_fte, ref.by_kind, du.OWN_NORM).to_dict()
    assert "Egen norm" in {r["bar"] for rows in own["datasets"].values() for r in rows}


def test_growth_chart_draws_the_sourced_norm_beside_the_back_solved_one(con):
    from ui import chart_table

    case = du.stavanger_case(con)
    p = replace(with_defaults_from(du.NursingHomeParams, du.stavanger_defaults(case)), sh_new_long_term=10,
                sh_plan_from=2026, sh_plan_to=2030)
    growth = du.nursing_home_growth(p, SHARED, 2023)
    sourced = du.nursing_home_growth(du.sourced_norm_params(p), SHARED, 2023)
    assert growth["places"].iloc[0] == 1011 and growth["places"].iloc[-1] == 1011 + 50  # aldershjem not counted
    # 2030: five years of 10 long-term places more: + 50 × 20/60 h = 16,67 h (source), 50 × 46,35/60 h (back-solved)
    assert round(float(sourced["required_fte"].iloc[-1]), 2) == round((585.5 + 50 * 20 / 60) / 37.5, 2) == 16.06
    assert round(float(growth["required_fte"].iloc[-1]), 2) == round((935.955 + 50 * 46.35 / 60) / 37.5, 2) == 25.99
    spec = charts.growth_chart(growth, sourced, du.BACKSOLVED_NORM).to_dict()
    rows = max(chart_table.tables(spec), key=lambda tb: tb.num_rows).to_pylist()
    last = {r["Serie"]: r["Legeårsverk"] for r in rows if r["År"] == "2030"}
    assert last == {"Legeforeningens norm 2002 (kilde)": "16,06", "Legeplans tilbakeregning (antakelse)": "25,99",
                    "Dagens legeårsverk": "19,75"}


def test_example_levers_are_marked_and_sourced_ones_name_their_source():
    from core.params import CHOICE, EXAMPLE, SOURCED

    basis = {lv.name: lv.basis for cls in (du.SharedParams, du.NursingHomeParams, du.LegevaktParams,
                                           du.HealthStationParams, du.TotalParams) for lv in levers(cls)}
    for name in ("felles_hours_per_fte", "felles_fte_cost", "felles_places_per_hour", "sh_current_fte",
                 "sh_norm_dementia", "vakt_evening", "vakt_night", "vakt_weekend", "vakt_doctors_evening",
                 "vakt_hours_night", "hs_fte", "hs_doctors"):
        assert basis[name] == EXAMPLE, name
    for name in ("sh_norm_long_term", "sh_norm_short_term", "sh_norm_rehab", "sh_norm_palliative",
                 "vakt_period_months", "hs_bistilling_share"):
        assert basis[name] == SOURCED, name
    for name in ("sh_new_long_term", "sh_plan_to", "vakt_exemption_share", "sum_moved_hours", "sum_cover_gap"):
        assert basis[name] == CHOICE, name


def test_norm_reproducing_returns_none_when_impossible():
    norms = {k.key: k.norm_minutes for k in du.KINDS}
    assert du.norm_reproducing({"short_term": 10}, norms, 1.0, 1.0, 37.5) is None  # no long-term places
    # short-term alone asks for 100 × 1.5 = 150 h = 4 FTE > 1 + 1
    assert du.norm_reproducing({"long_term": 10, "short_term": 100}, norms, 1.0, 1.0, 37.5) is None


def test_growth_adds_places_from_the_plan_year():
    p = du.NursingHomeParams(sh_long_term=60, sh_short_term=0, sh_rehab=0, sh_palliative=0, sh_dementia=0,
                             sh_current_fte=1.0, sh_new_long_term=9, sh_new_short_term=2, sh_plan_from=2026,
                             sh_plan_to=2030)
    g = du.nursing_home_growth(p, SHARED, 2024).set_index("year")
    assert list(g.index) == [2024, 2025, 2026, 2027, 2028, 2029, 2030]
    assert g.loc[2025, "places"] == 60 and g.loc[2026, "places"] == 71 and g.loc[2030, "places"] == 60 + 5 * 11
    per_year = (9 * 20 / 60 + 2 * 1.5) / 37.5  # 6 hours a year
    assert g.loc[2030, "required_fte"] - g.loc[2025, "required_fte"] == pytest.approx(5 * per_year)
    assert (g["current_fte"] == 1.0).all()


# --- legevakt ---------------------------------------------------------------------------------------

def test_shifts_per_gp_by_hand():
    p = du.LegevaktParams(vakt_dutybound_gps=40, vakt_exemption_share=0.25, vakt_period_months=6,
                          vakt_evening=130, vakt_night=20, vakt_weekend=104, vakt_doctors_evening=2,
                          vakt_doctors_night=1, vakt_doctors_weekend=3, vakt_hours_evening=5.0,
                          vakt_hours_night=10.0, vakt_hours_weekend=8.0, vakt_salaried_fte=4.0)
    r = du.legevakt(p, du.SharedParams(felles_hours_per_fte=37.5, felles_fte_cost=1_000_000))
    slots = 130 * 2 + 20 * 1 + 104 * 3  # 592 doctor shifts
    active = 40 * 0.75  # 30 GPs
    assert r.slots == slots and r.active_gps == active
    assert r.shifts_per_gp == pytest.approx(592 / 30)
    assert r.shifts_per_gp_month == pytest.approx(592 / 30 / 6)
    hours = 260 * 5 + 20 * 10 + 312 * 8  # 3 996 hours per period
    assert r.gp_hours == hours
    assert r.hours_per_gp_month == pytest.approx(hours / 30 / 6)
    assert r.gp_duty_fte == pytest.approx(hours / (6 * 52 / 12) / 37.5)
    assert r.salary_cost == 4_000_000 and r.total_cost == 4_000_000


def test_exemption_series_rises_as_exemptions_grow():
    s = du.exemption_series(du.LegevaktParams(), SHARED)
    assert s["exemption_share"].iloc[0] == 0 and s["exemption_share"].iloc[-1] == pytest.approx(0.9)
    assert s["shifts_per_gp_month"].is_monotonic_increasing
    assert s["shifts_per_gp"].iloc[-1] == pytest.approx(s["shifts_per_gp"].iloc[0] * 10)  # 10 % left


def test_cost_shares_by_population(con):
    pops = du.populations(con, ["1103", "1124", "1127"], 2023)
    assert pops == {"1103": 146011.0, "1124": 28315.0, "1127": 11671.0}
    assert sum(pops.values()) == 185_997  # the document: «cirka 186 000»
    shares = du.cost_shares(pops, 10_000_000.0).set_index("kommune")
    assert shares.loc["1103", "share"] == pytest.approx(146011 / 185997)
    assert shares.loc["1124", "kr"] == pytest.approx(10_000_000 * 28315 / 185997)
    assert shares["share"].sum() == pytest.approx(1.0)


def test_cost_shares_without_population_are_zero():
    shares = du.cost_shares({"A": 0.0, "B": 0.0}, 1000.0)
    assert (shares["share"] == 0).all() and (shares["kr"] == 0).all()


def test_stavanger_legevakt_and_health_station(con):
    case = du.stavanger_case(con)
    d = du.stavanger_defaults(case)
    vakt = with_defaults_from(du.LegevaktParams, d)
    assert (vakt.vakt_salaried_fte, vakt.vakt_salaried_doctors, vakt.vakt_dutybound_gps) == (13.5, 17, 75)
    hs = du.health_station(with_defaults_from(du.HealthStationParams, d), SHARED)
    assert (hs.fte, hs.doctors) == (4.8, 25)
    assert hs.fte_per_doctor == pytest.approx(0.192)
    assert hs.hours_per_doctor == pytest.approx(0.192 * 37.5)
    assert hs.bistilling_hours == pytest.approx(4.8 * 0.9 * 37.5)  # 162 hours a week


# --- the capacity link ------------------------------------------------------------------------------

def test_capacity_link_by_hand():
    base = du.ListBase("Test", 2024, lists_with_gp=10, list_capacity=12_000, patients_with_gp=11_000, source="test")
    shared = du.SharedParams(felles_hours_per_fte=37.5, felles_places_per_hour=30.0)
    link = du.capacity_link(15.0, shared, base)  # 15 hours a week × 30 places
    assert link.places_change == -450
    assert link.moved_fte == pytest.approx(0.4)
    assert link.free_before == 1000 and link.free_after == 550
    assert link.reserve_before == pytest.approx(12_000 / 11_000 * 100)
    assert link.reserve_after == pytest.approx(11_550 / 11_000 * 100)
    assert link.cap_change_per_list == -45
    back = du.capacity_link(-10.0, shared, base)
    assert back.places_change == 300 and back.moved_fte == pytest.approx(-10 / 37.5)


def test_capacity_link_agrees_with_the_capacity_model(con):
    """Moving hours equals lowering every list cap on Fastlegekapasitet by the same number of places."""
    base = starting_points.from_reference(con, "stavanger_2023")
    lb = du.list_base(base)
    shared = with_defaults_from(du.SharedParams, du.shared_defaults(1_000_000, lb.avg_cap))
    assert shared.felles_places_per_hour == pytest.approx(round(1180 / 37.5, 2))
    case = du.stavanger_case(con)
    nursing = du.nursing_home(with_defaults_from(du.NursingHomeParams, du.stavanger_defaults(case)), shared)
    hours = du.moved_hours(du.TotalParams(sum_cover_gap=True), nursing, shared)
    assert hours == pytest.approx(nursing.gap_fte * 37.5)
    link = du.capacity_link(hours, shared, lb)
    assert link.places_change == pytest.approx(-hours * 31.47)
    # the capacity model's base year with the list capacity lowered by the same places
    lowered = replace(base, list_capacity=base.list_capacity + link.places_change)
    years = np.array([base.year])
    pop = np.ones((1, 1, len(cap.AGE_GROUPS)))
    out = cap.project_arrays(cap.base_arrays(lowered), pop, years, cap.CapacityParams())
    assert out["free_places"][0, 0] == pytest.approx(link.free_after)
    assert out["reserve_index"][0, 0] == pytest.approx(link.reserve_after)
    # and as «Endring i sum listetak» on the capacity page (the link's places), applied in the base year
    places = cap.CapacityParams(cap_change_places=int(round(link.places_change)), cap_change_year=base.year)
    out2 = cap.project_arrays(cap.base_arrays(base), pop, years, places)
    assert abs(out2["capacity"][0, 0] - (base.list_capacity + link.places_change)) <= 0.5


def test_capacity_link_without_base_gives_only_the_change():
    link = du.capacity_link(10.0, du.SharedParams(felles_places_per_hour=20.0), None)
    assert link.places_change == -200 and link.free_after is None and link.reserve_after is None


def test_whole_picture_moves_fte_from_lists_to_the_service():
    base = du.ListBase("Test", 2024, 10, 12_000, 11_000, "test")
    nursing = du.nursing_home(du.NursingHomeParams(), SHARED)
    vakt = du.legevakt(du.LegevaktParams(), SHARED)
    hs = du.health_station(du.HealthStationParams(), SHARED)
    link = du.capacity_link(37.5, SHARED, base)
    pic = du.whole_picture(nursing, vakt, hs, base, link, "helsestasjon").set_index("service")
    assert pic.loc["fastlege", "today"] == 10 and pic.loc["fastlege", "after"] == pytest.approx(9)
    assert pic.loc["helsestasjon", "after"] == pytest.approx(hs.fte + 1)
    assert pic["today"].sum() == pytest.approx(pic["after"].sum())


def test_ssb_list_length(con):
    s = du.ssb_list_length(con, "1103")
    assert s is not None and s.adjusted > s.avg_list_length
    assert s.hours_per_gp(0.0) == 0.0
    assert du.ssb_list_length(con, "9999") is None


# --- properties -------------------------------------------------------------------------------------

def _draw(cls):
    """A strategy for any parameters object of `cls` within its levers' bounds."""
    fields = {}
    for lv in levers(cls):
        if lv.kind == "bool":
            fields[lv.name] = st.booleans()
        elif lv.kind == "choice":
            fields[lv.name] = st.sampled_from(lv.options)
        elif lv.kind == "int":
            fields[lv.name] = st.integers(int(lv.min), int(lv.max))
        else:
            fields[lv.name] = st.floats(lv.min, lv.max, allow_nan=False)
    return st.builds(cls, **fields)


def _finite(frame: pd.DataFrame) -> bool:
    return bool(np.isfinite(frame.select_dtypes("number").to_numpy(dtype=float)).all())


@settings(max_examples=150, deadline=None)
@given(p=_draw(du.NursingHomeParams), shared=_draw(du.SharedParams), base_year=st.integers(2020, 2030))
def test_nursing_home_never_nan_nor_negative(p, shared, base_year):
    r = du.nursing_home(p, shared)
    assert all(math.isfinite(x) for x in (r.required_fte, r.gap_fte, r.gap_cost, r.hours_per_place_now))
    assert r.required_fte >= 0 and r.places >= 0 and (r.by_kind["fte"] >= 0).all()
    assert r.gap_fte == pytest.approx(r.required_fte - r.current_fte)
    g = du.nursing_home_growth(p, shared, base_year)
    assert _finite(g) and (g["places"] >= 0).all() and (g["required_fte"] >= 0).all()
    assert g["required_fte"].is_monotonic_increasing  # places are only ever added


@settings(max_examples=150, deadline=None)
@given(p=_draw(du.LegevaktParams), shared=_draw(du.SharedParams))
def test_legevakt_never_nan_nor_negative(p, shared):
    r = du.legevakt(p, shared)
    assert r.active_gps > 0 and r.shifts_per_gp is not None and r.shifts_per_gp >= 0
    assert math.isfinite(r.shifts_per_gp) and math.isfinite(r.gp_duty_fte) and r.gp_duty_fte >= 0
    s = du.exemption_series(p, shared)
    assert _finite(s) and (s["shifts_per_gp_month"] >= 0).all()


@settings(max_examples=150, deadline=None)
@given(shared=_draw(du.SharedParams), total=_draw(du.TotalParams), cap_=st.floats(0, 200_000),
       patients=st.floats(0, 200_000), lists=st.integers(0, 200))
def test_capacity_link_never_nan_and_caps_stay_non_negative(shared, total, cap_, patients, lists):
    base = du.ListBase("x", 2024, lists, cap_, patients, "x")
    nursing = du.nursing_home(du.NursingHomeParams(), shared)
    link = du.capacity_link(du.moved_hours(total, nursing, shared), shared, base)
    assert math.isfinite(link.places_change) and math.isfinite(link.moved_fte)
    assert base.list_capacity + link.places_change >= -1e-6
    for x in (link.free_after, link.reserve_after, link.cap_change_per_list):
        assert x is None or math.isfinite(x)
    series = du.capacity_series(shared, base, abs(link.moved_hours))
    assert _finite(series)


def test_every_lever_has_a_source_and_a_unique_url_key():
    from core.economy import EconomyParams

    names = [lv.name for cls in (du.SharedParams, du.NursingHomeParams, du.LegevaktParams,
                                 du.HealthStationParams, du.TotalParams) for lv in levers(cls)]
    others = {lv.name for cls in (cap.CapacityParams, EconomyParams) for lv in levers(cls)}
    assert len(names) == len(set(names)) and not set(names) & others
    for cls in (du.SharedParams, du.NursingHomeParams, du.LegevaktParams, du.HealthStationParams, du.TotalParams):
        for lv in levers(cls):
            assert lv.source, lv.name


def test_charts_build():
    nursing = du.nursing_home(du.NursingHomeParams(), SHARED)
    series = du.exemption_series(du.LegevaktParams(), SHARED)
    specs = [
        charts.nursing_fte_chart(nursing.by_kind, nursing.current_fte),
        charts.growth_chart(du.nursing_home_growth(du.NursingHomeParams(), SHARED, 2024)),
        charts.exemption_chart(series, 0.0, float(series["shifts_per_gp_month"].iloc[0])),
        charts.shares_chart(du.cost_shares({"A": 10.0, "B": 30.0}, 100.0)),
        charts.capacity_chart(du.capacity_series(SHARED, None, 100.0), 0.0, 0.0, False),
    ]
    for chart in specs:
        spec = chart.to_dict()
        assert spec["config"]["locale"]["number"]["decimal"] == ","
