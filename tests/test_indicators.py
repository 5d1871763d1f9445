"""Computed indicators reproduce SSB's own published values, kommune by kommune."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core import indicators as ind
from tests.conftest import round_half_up

# A dozen kommuner: large, small, merged in 2020, split or renumbered in 2024, reference cases.
DOZEN = ["0301", "1103", "4631", "3440", "4601", "5001", "1508", "1580", "3905", "5501",
         "1144", "1856", "1101"]

# (derived indicator, SSB metric, factor to SSB's unit, decimals SSB publishes)
SSB_CHECKS = [
    ("reserve_capacity", "reserve_capacity_index", 1, 0),
    ("share_without_gp", "share_patients_on_lists_without_gp_pct", 100, 1),
    ("list_length", "avg_list_length", 1, 0),
    ("female_share", "female_gps_share_pct", 100, 1),
]


@pytest.fixture(scope="module")
def wide(con):
    return ind.fastlege_wide(con, ind.latest_year(con))


def test_latest_year_is_2025(con):
    assert ind.latest_year(con) == 2025


@pytest.mark.parametrize("knr", DOZEN)
@pytest.mark.parametrize(("mine", "ssb", "factor", "decimals"), SSB_CHECKS)
def test_indicator_matches_ssb_published(wide, knr, mine, ssb, factor, decimals):
    row = wide[wide["kommunenummer"] == knr]
    assert len(row) == 1, f"{knr} has no 2025 row"
    derived = ind.derive(row).iloc[0]
    assert round_half_up(derived[mine] * factor, decimals) == row[ssb].iloc[0]


@pytest.mark.parametrize(("mine", "ssb", "factor", "decimals"), SSB_CHECKS)
def test_indicator_matches_ssb_for_every_kommune(wide, mine, ssb, factor, decimals):
    derived = ind.derive(wide)
    both = derived.dropna(subset=[mine, ssb])
    assert len(both) == 351
    mismatches = [k for k, a, b in zip(both["kommunenummer"], both[mine], both[ssb], strict=True)
                  if round_half_up(a * factor, decimals) != b]
    assert mismatches == []


def test_alver_2025_figures_exact(con):
    figures = {f.indicator.name: f for f in ind.key_figures(con, "4631", 2025)}
    assert figures["lists_total"].value == 32
    assert figures["list_patients"].value == 27961 + 1341
    assert figures["patients_without_gp"].value == 1341
    assert figures["free_capacity"].value == 27935 - 27961
    assert figures["reserve_capacity"].value == pytest.approx(27935 / 27961 * 100)
    # SSB: share without a doctor 0.0 % in 2024, 4.6 % in 2025 → +4.6 points (as a fraction)
    assert figures["share_without_gp"].change == pytest.approx(0.046)
    assert figures["list_length"].change == 932 - 1019


def test_stavanger_free_capacity_and_reserve(con):
    figures = {f.indicator.name: f for f in ind.key_figures(con, "1103", 2025)}
    assert figures["free_capacity"].value == 162295 - 162132
    assert round_half_up(figures["reserve_capacity"].value) == 100


def test_kommune_without_ssb_row_reports_reason_not_nan(con):
    figures = ind.key_figures(con, "5514", 2025)  # Ibestad: no 2025 row in table 12005
    for f in figures:
        if f.indicator.name == "consultations_per_resident":
            assert f.value is not None and math.isfinite(f.value)
            continue
        assert f.value is None
        assert f.missing_reason and "SSB" in f.missing_reason
        assert f.national is not None and math.isfinite(f.national)


def test_change_only_where_ssb_has_a_series(con):
    figures = {f.indicator.name: f for f in ind.key_figures(con, "0301", 2025)}
    assert figures["lists_total"].change is None
    assert figures["lists_total"].change_reason
    assert figures["reserve_capacity"].change is not None


def test_national_is_ratio_of_sums(wide):
    nat = ind.aggregate(wide).iloc[0]
    assert nat["n_kommuner"] == 351
    assert nat["reserve_capacity"] == pytest.approx(
        wide["list_capacity"].sum() / wide["patients_on_lists_with_gp"].sum() * 100)
    assert nat["list_patients"] == wide["patients_on_lists_with_gp"].sum() + wide[
        "patients_on_lists_without_gp"].sum()


def test_comparison_levels_for_alver(con):
    comp = ind.comparison(con, "4631", 2025)
    assert list(comp["level"]) == ["kommune", "fylke", "kostra", "land"]
    assert comp.loc[comp["level"] == "fylke", "label"].iloc[0] == "Vestland"
    assert comp.loc[comp["level"] == "kommune", "free_capacity"].iloc[0] == -26
    assert comp["n_kommuner"].iloc[-1] == 351


def test_peers_share_kostra_group(con):
    peers = ind.peers(con, "4631", 2025)
    assert peers["kostra_group"].nunique() == 1
    assert peers["is_selected"].sum() == 1


def test_expected_consultations_weights_national_rates_by_age(con):
    cons = ind.expected_consultations(con, 2026)
    assert len(cons) == 357 + 1  # every kommune and Norway (0000)
    # Hand check for Alver: residents by SSB age group × the 2023 rates.
    pop = ind.query(con, """SELECT age, sum(population) AS p FROM population_single_age
                            WHERE kommunenummer = '4631' AND year = 2026 GROUP BY age""")
    rates = [(0, 5, 1.9), (6, 15, 1.4), (16, 19, 2.4), (20, 29, 2.6), (30, 49, 3.2), (50, 66, 3.5),
             (67, 79, 3.9), (80, 89, 4.8), (90, 200, 3.5)]
    expected = sum(r * pop[(pop.age >= a) & (pop.age <= b)]["p"].sum() for a, b, r in rates)
    alver = cons[cons["kommunenummer"] == "4631"].iloc[0]
    assert alver["consultations"] == pytest.approx(expected)
    assert alver["residents"] == pop["p"].sum()


def test_national_trend_sources(con):
    nat = ind.national_trend(con)
    assert set(nat["metric"]) == {"coverage_index", "avg_list_length", "reserve_capacity_index",
                                  "share_patients_on_lists_without_gp_pct"}
    assert (nat["year"] == 2025).sum() == 4
    assert nat["value"].notna().all()
    assert isinstance(nat, pd.DataFrame)


def test_rank(con):
    values = ind.map_values(con, 2025)
    place = ind.rank(values, "reserve_capacity", "4631")
    assert place is not None and place[1] == 351 and 1 <= place[0] <= 351
    assert ind.rank(values, "reserve_capacity", "5514") is None


# --- Dekning: sum listetak on lists with a doctor / ALL list patients × 100 (issue 18) ---------------------


def test_alver_2025_coverage_from_the_counts(con):
    figures = {f.indicator.name: f for f in ind.key_figures(con, "4631", 2025)}
    coverage = figures["coverage"]
    assert coverage.value == pytest.approx(27_935 / (27_961 + 1_341) * 100)  # 95,334…
    assert round(coverage.value, 1) == 95.3
    # 2024 derived from SSB's R 100 and 0,0 % without a GP: 100 × (1 − 0/100) = 100
    assert coverage.change == pytest.approx(27_935 / 29_302 * 100 - 100.0)
    assert coverage.change_reason is None
    assert coverage.indicator.higher_is_better is True


def test_flakstad_coverage_60_while_ssbs_reserve_is_133(con):
    figures = {f.indicator.name: f for f in ind.key_figures(con, "1859", 2025)}
    assert figures["coverage"].value == pytest.approx(600 / (450 + 550) * 100) == 60.0
    assert figures["reserve_capacity"].value == pytest.approx(600 / 450 * 100)  # 133,3
    # 2024: R 116, 0 % without a GP → 116; SSB's reserve rises by 17 while coverage falls by 56
    assert figures["coverage"].change == pytest.approx(60.0 - 116.0)
    assert figures["reserve_capacity"].change == 133 - 116


def test_coverage_trend_derived_years_by_hand(con):
    flakstad = ind.trend(con, "1859")
    cov = flakstad[flakstad["metric"] == "coverage_index"].set_index("year")
    assert list(cov.index) == list(range(2015, 2026))
    assert cov.loc[2021, "value"] == pytest.approx(225 * (1 - 74.2 / 100))  # 58,05
    assert cov.loc[2022, "value"] == pytest.approx(141 * (1 - 57.8 / 100))  # 59,502
    assert cov.loc[2025, "value"] == pytest.approx(60.0)
    assert cov["from_counts"].tolist() == [False] * 10 + [True]
    alver = ind.trend(con, "4631")
    a = alver[alver["metric"] == "coverage_index"].set_index("year")["value"]
    assert a[2023] == pytest.approx(100 * (1 - 5.3 / 100))  # 94,7
    assert a[2025] == pytest.approx(27_935 / 29_302 * 100)
    # the SSB series are unchanged beside it
    assert alver[alver["metric"] == "reserve_capacity_index"].set_index("year")["value"][2023] == 100


def test_coverage_is_zero_where_every_patient_is_on_a_list_without_a_doctor(con):
    """Rødøy (1836) 2017–2023: SSB's share without a GP is 100 % and it publishes no reserve index."""
    rows = ind.trend(con, "1836")
    cov = rows[rows["metric"] == "coverage_index"].set_index("year")["value"]
    published = rows[rows["metric"] == "share_patients_on_lists_without_gp_pct"].set_index("year")["value"]
    reserve = rows[rows["metric"] == "reserve_capacity_index"].set_index("year")["value"]
    full = [y for y in published.index if published[y] == 100]
    assert full and all(y not in reserve.index for y in full)
    assert all(cov[y] == 0.0 for y in full)


def test_coverage_from_published_formula():
    r = pd.Series([100.0, 133.0, float("nan"), float("nan")])
    a = pd.Series([4.6, 55.0, 100.0, 20.0])
    out = ind.coverage_from_published(r, a)
    assert out.iloc[:3].tolist() == pytest.approx([95.4, 59.85, 0.0])
    assert math.isnan(out.iloc[3])  # no R and patients on lists with a doctor: unknown, not 0


def test_latest_year_counts_and_derivation_agree_within_ssbs_rounding(wide):
    """For 2025 both ways exist: R × (1 − A/100) from SSB's rounded R (whole) and A (one decimal) lies within
    0,5 × (1 − A/100) + 0,05 × R/100 of the coverage of the counts, for every kommune with figures."""
    exact = ind.derive(wide)["coverage"]
    derived = ind.coverage_from_published(wide["reserve_capacity_index"],
                                          wide["share_patients_on_lists_without_gp_pct"])
    both = pd.DataFrame({"knr": wide["kommunenummer"], "exact": exact, "derived": derived,
                         "r": wide["reserve_capacity_index"],
                         "a": wide["share_patients_on_lists_without_gp_pct"]}).dropna()
    assert len(both) == 351
    outside = [row.knr for row in both.itertuples()
               if abs(row.derived - row.exact) > ind.coverage_rounding_bound(row.r, row.a) + 1e-9]
    assert outside == []
    alver = both[both["knr"] == "4631"].iloc[0]
    assert (round(alver.exact, 1), round(alver.derived, 1)) == (95.3, 95.4)


def test_national_coverage_is_ratio_of_sums(wide, con):
    nat = ind.aggregate(wide).iloc[0]
    assert nat["coverage"] == pytest.approx(wide["list_capacity"].sum() / (
        wide["patients_on_lists_with_gp"].sum() + wide["patients_on_lists_without_gp"].sum()) * 100)
    figures = {f.indicator.name: f for f in ind.key_figures(con, "4631", 2025)}
    assert figures["coverage"].national == pytest.approx(nat["coverage"])
    trend = ind.national_trend(con)
    cov = trend[trend["metric"] == "coverage_index"].set_index("year")["value"]
    assert cov[2025] == pytest.approx(nat["coverage"])
    # FLO 4th quarter 2019: list ceiling 1 122, list length 1 088, 1,4 % without a regular GP
    assert cov[2019] == pytest.approx(1122 / 1088 * 100 * (1 - 1.4 / 100))


def test_coverage_leads_the_comparison_and_the_map(con):
    assert ind.COMPARABLE[0] == "coverage"
    assert ind.INDICATORS_BY_NAME["reserve_capacity"].label == "Reservekapasitet (SSB)"
    names = [i.name for i in ind.INDICATORS]
    assert names.index("coverage") + 1 == names.index("reserve_capacity")  # the tiles side by side
    values = ind.map_values(con, 2025)
    assert values.set_index("kommunenummer").loc["1859", "coverage"] == pytest.approx(60.0)
