"""The capacity model: reference cases to the number, invariants, and random levers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import capacity as cap
from core import starting_points as sp
from core.params import levers, with_defaults_from

LABELS = [label for label, _, _ in cap.AGE_GROUPS]


def flat_demography(start: int, end: int, per_group: float = 1000.0, growth: float = 0.0,
                    old_growth: float = 0.0) -> pd.DataFrame:
    """Synthetic residents: every group per_group, growing by `growth` (old groups by old_growth)."""
    years = np.arange(start, end + 1)
    data = {}
    for label in LABELS:
        g = old_growth if label in ("67-79", "80-89", "90+") else growth
        data[label] = per_group * (1 + g) ** (years - start)
    return pd.DataFrame(data, index=years)


def toy_base(**changes) -> cap.CapacityBase:
    values = dict(label="Toy", kommunenummer="0000", year=2025, hjemler=10, vacant_lists=1,
                  list_capacity=9000.0, patients_with_gp=8800.0, patients_without_gp=900.0,
                  residents=9000.0)
    values.update(changes)
    return cap.CapacityBase(**values)


def run(base, demography=None, **levers_):
    demography = demography if demography is not None else flat_demography(base.year, 2050)
    params = with_defaults_from(cap.CapacityParams, base, **levers_)
    params, _ = cap.fit_to_base(params, base)
    return cap.project(base, demography, params)


# --- reference cases (exact numbers from the documents) ---------------------------------------

@pytest.fixture(scope="module")
def alver(con):
    return sp.from_reference(con, "alver_2021"), sp.registered_by_group(con, "4631")


@pytest.fixture(scope="module")
def stavanger(con):
    return sp.from_reference(con, "stavanger_2023"), sp.registered_by_group(con, "1103")


def test_alver_base_year_reproduces_the_note(alver):
    base, demo = alver
    first = run(base, demo, horizon=2025).iloc[0]
    assert base.hjemler == 26 and base.waiting_list == 779 and base.lis1_places == 5
    assert first["year"] == 2021
    assert first["capacity"] == 29_400
    assert first["free_places"] == 417
    assert first["hjemler"] == 26
    assert first["patients_without_gp"] == 0


def test_alver_one_new_hjemmel_of_1000_gives_1417_free_places(alver):
    base, demo = alver
    first = run(base, demo, horizon=2025, new_hjemler=1, new_list_cap=1000, new_from_year=2021).iloc[0]
    assert first["capacity"] == 30_400
    assert first["free_places"] == 1_417
    assert first["hjemler"] == 27


def test_stavanger_cut_of_1750_places_is_exactly_1750(stavanger):
    base, demo = stavanger
    assert base.lists_with_gp == 130 and base.avg_cap == 1180 and base.list_capacity == 153_400
    before = run(base, demo, horizon=2025)
    after = run(base, demo, horizon=2025, cap_change_places=-1750, cap_change_year=2023)
    assert (before["capacity"] - after["capacity"]).iloc[0] == 1_750


def test_stavanger_base_is_one_consistent_point_with_ssbs_reserve_100(stavanger, con):
    base, demo = stavanger
    first = run(base, demo, horizon=2025).iloc[0]
    published = con.sql("""SELECT value FROM fastlege WHERE kommunenummer = '1103' AND year = 2023
                           AND metric = 'reserve_capacity_index'""").fetchall()[0][0]
    assert published == 100
    assert first["reserve_index"] == pytest.approx(100.0)  # the plan's 130 × 1 180 and SSB's published index
    assert first["coverage_index"] == pytest.approx(100.0)
    assert first["patients_with_gp"] == 153_400


def test_stavanger_reference_levers_from_document(stavanger):
    base, _ = stavanger
    params = with_defaults_from(cap.CapacityParams, base)
    assert params.external_patients == 11_000
    assert params.exits_per_year == 3.75  # (35 + 40) / 2 over 10 years
    assert params.recruits_per_year == 12.85  # 500 / 5 057 × 130 = 12,85 (the lever's step is 0,05)
    assert params.new_list_cap == 1180


def test_stavanger_opens_on_refilled_lists_not_on_a_collapse(stavanger, con):
    """Retirements as the plan says, refilled at the national pace: nobody loses the GP by default."""
    from ui import loaders

    base, _ = stavanger
    params = with_defaults_from(cap.CapacityParams, base)
    result = cap.project(base, loaders.population("1103", params.alternative, params.own_projection), params)
    assert result["patients_without_gp"].max() == 0
    assert result["vacant_lists"].max() == 0


def test_national_turnover_2023(con):
    turnover = sp.national_turnover(con)
    assert (turnover.left, turnover.started, turnover.gps_at_start) == (300, 500, 5057)
    assert round(turnover.exit_rate, 4) == 0.0593 and round(turnover.entry_rate, 4) == 0.0989


def test_statistics_bases_default_to_national_turnover(con):
    base = sp.from_statistics(con, "4631")  # Alver 2025: 32 lists, 2 without a doctor
    params = with_defaults_from(cap.CapacityParams, base)
    assert base.exits_per_year == pytest.approx(300 / 5057 * 30)
    assert base.recruits_per_year == pytest.approx(500 / 5057 * 30)
    assert (params.exits_per_year, params.recruits_per_year) == (1.8, 2.95)  # 1,78 and 2,97 in steps of 0,05
    assert "5,9" in base.notes[-1] and "9,9" in base.notes[-1]


def test_a_kommune_with_one_gp_keeps_a_turnover(con):
    """Fjaler 2025: 1 GP and 2 vacant lists. The levers' step of 0,05 keeps the national pace (0,06 leavers
    and 0,10 recruits a year) instead of rounding both to 0 and freezing the vacancies."""
    base = sp.from_statistics(con, "4646")
    params = with_defaults_from(cap.CapacityParams, base)
    assert base.lists_with_gp == 1 and base.vacant_lists == 2
    assert (params.exits_per_year, params.recruits_per_year) == (0.05, 0.1)
    assert "0,1 ledige lister" in base.turnover_note


def test_oslo_recruits_are_not_cut_at_the_levers_top(con):
    base = sp.from_statistics(con, "0301")
    params = with_defaults_from(cap.CapacityParams, base)
    assert params.recruits_per_year == pytest.approx(round(500 / 5057 * base.lists_with_gp / 0.05) * 0.05) == 60.4


def test_old_links_with_cap_change_get_a_message_not_silence():
    from core.params import from_mapping

    params, messages = from_mapping(cap.CapacityParams, {"cap_change": "-14"})
    assert params == cap.CapacityParams()
    assert len(messages) == 1 and "Endring i sum listetak" in messages[0]


def test_statistics_base_matches_ssb(con):
    base = sp.from_statistics(con, "4631")
    first = run(base, sp.registered_by_group(con, "4631"), horizon=2025).iloc[0]
    assert (base.year, base.hjemler, base.vacant_lists) == (2025, 32, 2)
    assert first["capacity"] == 27_935
    assert first["patients_with_gp"] == 27_961
    assert first["patients_without_gp"] == 1_341
    assert round(first["reserve_index"]) == 100  # SSB KOSreservekapasi0000 for Alver 2025
    # coverage counts the 1 341 on lists without a doctor too: 27 935 / 29 302 × 100 = 95,3
    assert first["coverage_index"] == pytest.approx(27_935 / (27_961 + 1_341) * 100)
    assert round(first["coverage_index"], 1) == 95.3
    assert first["uncovered_patients"] == 27_961 + 1_341 - 27_935
    assert first["extra_hjemler_needed"] == 2  # 1 367 places / 931 per list: the 2 vacant lists


def test_statistics_base_reproduces_ssb_reserve_index_for_every_kommune(con):
    from core.indicators import fastlege_wide
    from tests.conftest import round_half_up

    wide = fastlege_wide(con, 2025).set_index("kommunenummer")
    checked = 0
    for knr in wide.index[::7]:  # every 7th kommune: 51 kommuner
        base = sp.from_statistics(con, knr)
        if base is None:
            continue
        first = run(base, sp.registered_by_group(con, knr), horizon=2025).iloc[0]
        assert round_half_up(first["reserve_index"]) == wide.loc[knr, "reserve_capacity_index"], knr
        checked += 1
    assert checked >= 45


def test_kommune_without_ssb_row_has_no_statistics_base(con):
    assert sp.from_statistics(con, "5514") is None


# --- invariants --------------------------------------------------------------------------------

def test_no_lever_change_keeps_base_year_and_supply():
    base = toy_base()
    result = run(base, horizon=2030)
    assert result.iloc[0][["capacity", "patients_with_gp", "patients_without_gp", "hjemler"]].tolist() == [
        9000, 8800, 900, 10]
    assert (result["capacity"] == 9000).all()
    assert (result["hjemler"] == 10).all()
    assert (result["list_patients"] == 9700).all()  # flat population → flat demand


@pytest.mark.parametrize(("k", "c", "year"), [(1, 1000, 2027), (3, 800, 2030), (5, 1200, 2025)])
def test_adding_k_hjemler_of_cap_c_adds_k_times_c(k, c, year):
    base = toy_base()
    before = run(base, horizon=2035).set_index("year")
    after = run(base, horizon=2035, new_hjemler=k, new_list_cap=c, new_from_year=year).set_index("year")
    diff = after["capacity"] - before["capacity"]
    assert diff.loc[year] == k * c
    assert (diff.loc[: year - 1] == 0).all()
    assert (after["hjemler"] - before["hjemler"]).loc[year] == k


def test_more_exits_without_recruitment_never_lowers_patients_without_gp():
    base = toy_base()
    previous = None
    for exits in (0, 0.5, 1, 2, 4):
        result = run(base, horizon=2035, exits_per_year=exits)
        w = result["patients_without_gp"].to_numpy()
        assert (np.diff(w) >= -1e-9).all()  # rises over the years
        if previous is not None:
            assert (w >= previous - 1e-9).all()
        previous = w


def test_recruitment_fills_vacant_lists_and_moves_their_patients():
    base = toy_base()
    result = run(base, horizon=2027, recruits_per_year=1).set_index("year")
    assert result.loc[2026, "vacant_lists"] == 0
    assert result.loc[2026, "patients_without_gp"] == 0
    assert result.loc[2026, "capacity"] == 9000 + 1000  # the list gets the average cap, 9 000 / 9


def test_exit_moves_a_list_and_its_patients():
    base = toy_base(vacant_lists=0, patients_without_gp=0.0, list_capacity=10_000.0, patients_with_gp=9_500.0)
    r = run(base, horizon=2026, exits_per_year=1).set_index("year")
    assert r.loc[2026, "vacant_lists"] == 1
    assert r.loc[2026, "capacity"] == 9_000
    assert r.loc[2026, "patients_without_gp"] == 950


def test_closing_vacant_lists_first():
    base = toy_base()
    r = run(base, horizon=2027, closed_hjemler=2, closed_from_year=2026).set_index("year")
    assert r.loc[2026, "hjemler"] == 8
    assert r.loc[2026, "vacant_lists"] == 0
    assert r.loc[2026, "capacity"] == 9000 - 1000  # one staffed list closed at the average cap
    assert r.loc[2026, "patients_without_gp"] == 0


def test_external_patients_do_not_grow_with_residents():
    base = toy_base(patients_without_gp=0.0, vacant_lists=0, patients_with_gp=10_000.0)
    demo = flat_demography(2025, 2035, growth=0.10, old_growth=0.10)
    without = run(base, demo, horizon=2026).set_index("year")
    with_ext = run(base, demo, horizon=2026, external_patients=4_000).set_index("year")
    assert without.loc[2026, "list_patients"] == pytest.approx(11_000)
    assert with_ext.loc[2026, "list_patients"] == pytest.approx(6_000 * 1.1 + 4_000)


def test_ageing_raises_consultations_and_keep_workload_lowers_capacity():
    base = toy_base()
    demo = flat_demography(2025, 2040, old_growth=0.05)
    fixed = run(base, demo, horizon=2040)
    constant = run(base, demo, horizon=2040, keep_workload=True)
    assert fixed["consultations_per_resident"].is_monotonic_increasing
    assert constant["capacity"].iloc[0] == fixed["capacity"].iloc[0]
    assert (constant["capacity"].iloc[1:] < fixed["capacity"].iloc[1:]).all()
    ratio = constant["capacity"] / fixed["capacity"]
    expected = fixed["consultations_per_resident"].iloc[0] / fixed["consultations_per_resident"]
    assert np.allclose(ratio, expected)


def test_yearly_cap_trend_compounds_per_list():
    base = toy_base(vacant_lists=0, patients_without_gp=0.0, list_capacity=10_000.0)
    r = run(base, horizon=2028, cap_trend=-14).set_index("year")
    assert r.loc[2025, "capacity"] == 10_000
    assert r.loc[2028, "capacity"] == 10_000 - 3 * 10 * 14


def test_extra_hjemler_needed_reaches_the_target():
    base = toy_base(vacant_lists=0, patients_without_gp=0.0, list_capacity=9_000.0, patients_with_gp=9_000.0)
    r = run(base, horizon=2026, target_reserve=105.0, new_list_cap=500)
    need = int(r["extra_hjemler_needed"].iloc[0])
    assert need == 1  # 105 % of 9 000 = 9 450 → 450 places → one list of 500
    again = run(base, horizon=2026, target_reserve=105.0, new_list_cap=500, new_hjemler=need,
                new_from_year=2025)
    assert again["coverage_index"].iloc[0] >= 105
    assert again["coverage_index"].iloc[0] == pytest.approx(9_500 / 9_000 * 100)
    assert again["extra_hjemler_needed"].iloc[0] == 0
    assert cap.targets_reached(again, 105.0) == 2025


def test_fit_to_base_clamps_years_with_message():
    base = toy_base()
    params = cap.CapacityParams(new_from_year=2021, horizon=2030)
    fitted, messages = cap.fit_to_base(params, base)
    assert fitted.new_from_year == 2025 and messages and "2021" in messages[0]


def test_every_lever_has_label_unit_source_and_group():
    for lv in levers(cap.CapacityParams):
        assert lv.label and lv.source and lv.group, lv.name
        if lv.kind in ("int", "float"):
            assert lv.min is not None and lv.max is not None and lv.min <= lv.default <= lv.max


def test_rate_defaults_are_ssb_2023(con):
    from core.db import query

    df = query(con, """SELECT age_group, value FROM consultation_rate WHERE year = 2023
                       AND service = 'fastlege' AND measure = 'consultations_per_person'
                       AND sex = 'total' AND age_group <> 'all'""")
    published = dict(zip(df["age_group"], df["value"], strict=True))
    assert list(cap.CapacityParams().rates) == [published[label] for label in LABELS]


# --- random levers -----------------------------------------------------------------------------

lever_values = st.fixed_dictionaries({
    "new_hjemler": st.integers(0, 60), "new_list_cap": st.integers(200, 2500),
    "new_from_year": st.integers(2025, 2040), "closed_hjemler": st.integers(0, 60),
    "closed_from_year": st.integers(2025, 2040), "exits_per_year": st.floats(0, 40),
    "recruits_per_year": st.one_of(st.floats(0, 40), st.just(2.2e-311)), "cap_change_places": st.integers(-50_000, 50_000),
    "cap_change_year": st.integers(2025, 2040), "keep_workload": st.booleans(),
    "cap_trend": st.floats(-50, 50),
    "growth_adjustment": st.floats(-0.03, 0.03), "external_patients": st.integers(0, 20_000),
    "external_change": st.integers(-5000, 5000), "target_reserve": st.floats(90, 130),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lever_values, st.floats(-0.05, 0.08))
def test_random_levers_give_no_negative_counts_and_no_nan(values, growth):
    base = toy_base()
    demo = flat_demography(2025, 2040, growth=growth, old_growth=growth + 0.01)
    result = run(base, demo, horizon=2040, **values)
    counts = ["residents", "list_patients", "hjemler", "lists_with_gp", "vacant_lists", "capacity",
              "patients_with_gp", "patients_without_gp", "consultations", "extra_hjemler_needed"]
    assert (result[counts] >= -1e-9).all().all()
    defined = result[result["patients_with_gp"] > 0]
    assert np.isfinite(defined.drop(columns=["avg_cap"]).to_numpy(dtype=float)).all()
    assert (result["patients_without_gp"] <= result["list_patients"] + 1e-9).all()


def test_project_many_equals_one_at_a_time():
    bases = [toy_base(), toy_base(kommunenummer="0001", hjemler=20, vacant_lists=0, list_capacity=21_000.0,
                                  patients_with_gp=20_000.0, patients_without_gp=0.0, residents=18_000.0)]
    demos = [flat_demography(2025, 2035, growth=0.01, old_growth=0.03),
             flat_demography(2025, 2035, per_group=2000.0, growth=-0.01)]
    params = cap.CapacityParams(horizon=2035, new_hjemler=1, new_from_year=2028, exits_per_year=0.5,
                                recruits_per_year=0.25, keep_workload=True)
    years = np.arange(2025, 2036)
    population = np.stack([d.loc[years, LABELS].to_numpy() for d in demos], axis=1)
    many = cap.project_many(bases, population, years, params)
    for i, (b, d) in enumerate(zip(bases, demos, strict=True)):
        one = cap.project(b, d, params)
        for col in cap.OUTPUT_COLUMNS[1:]:
            assert np.allclose(many[col][:, i], one[col].to_numpy(), equal_nan=True), col
