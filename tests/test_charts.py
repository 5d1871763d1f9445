"""Chart specs of the capacity page: valid Vega-Lite, the scenario's own numbers, templates untouched."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from core import charts


@pytest.fixture
def result() -> pd.DataFrame:
    return pd.DataFrame({
        "year": [2025, 2026, 2027], "capacity": [1000.0, 1200.0, 1200.0],
        "patients_with_gp": [1100.0, 1100.0, 1250.0], "list_patients": [1150.0, 1150.0, 1300.0],
        "reserve_index": [90.9, 109.1, 96.0], "patients_without_gp": [50.0, 50.0, 50.0],
        "vacant_lists": [0.5, 0.5, 0.5], "coverage_index": [87.0, 104.3, 92.3],
    })


def _valid(spec: dict) -> None:
    cls = alt.LayerChart if "layer" in spec else alt.Chart
    cls.from_dict(spec, validate=True)  # raises on a spec Vega-Lite would refuse


def test_capacity_spec_carries_the_scenario(result):
    spec = charts.capacity_spec(result)
    _valid(spec)
    area = pd.DataFrame(spec["datasets"]["kapasitet"])
    # the higher of caps and ALL list patients (also those on lists without a doctor), as «Dekning»
    assert area["top"].tolist() == [1150.0, 1200.0, 1300.0]
    lines = pd.DataFrame(spec["datasets"]["kapasitet_serier"])
    assert set(lines["serie"]) == set(charts.CAPACITY_SERIES.values())
    caps = lines[lines["serie"] == "Sum listetak"]["personer"].tolist()
    assert caps == result["capacity"].tolist()


def test_reserve_spec_marks_the_target(result):
    spec = charts.reserve_spec(result, 105)
    _valid(spec)
    assert spec["datasets"]["reserve_mål"] == [{"mål": 105.0, "tekst": "Mål 105"}]
    assert [r["reserve_index"] for r in spec["datasets"]["reserve"]] == [90.9, 109.1, 96.0]


def test_coverage_spec_shows_coverage_against_the_target_and_ssbs_reserve_beside(result):
    spec = charts.coverage_spec(result, 100)
    _valid(spec)
    assert spec["datasets"]["dekning_mål"] == [{"mål": 100.0, "tekst": "Mål 100"}]
    rows = pd.DataFrame(spec["datasets"]["dekning"])
    by_series = {s: g["indeks"].tolist() for s, g in rows.groupby("serie")}
    assert by_series == {"Dekning (alle listepasienter)": [87.0, 104.3, 92.3],
                         "Reservekapasitet (SSB, bare pasienter på lister med lege)": [90.9, 109.1, 96.0]}
    assert rows["year"].tolist() == [2025, 2026, 2027] * 2
    texts = _texts(spec)
    assert "Mål for dekning" in texts and "Reservekapasitet" not in texts  # SSB's index is named as SSB's


def test_without_gp_spec(result):
    spec = charts.without_gp_spec(result)
    _valid(spec)
    assert [r["patients_without_gp"] for r in spec["datasets"]["uten_lege"]] == [50.0] * 3


def test_templates_are_not_changed_by_a_scenario(result):
    first = charts.reserve_spec(result, 105)
    second = charts.reserve_spec(result.assign(reserve_index=100.0), 110)
    assert first["datasets"]["reserve_mål"][0]["mål"] == 105.0
    assert second["datasets"]["reserve_mål"][0]["mål"] == 110.0
    assert "datasets" not in charts._reserve_template()
    one = charts.coverage_spec(result, 100)
    two = charts.coverage_spec(result.assign(coverage_index=50.0), 95)
    assert one["datasets"]["dekning_mål"][0]["mål"] == 100.0 and two["datasets"]["dekning_mål"][0]["mål"] == 95.0
    assert one["datasets"]["dekning"][0]["indeks"] == 87.0 and two["datasets"]["dekning"][0]["indeks"] == 50.0
    assert "datasets" not in charts._coverage_template()


def _texts(spec: dict) -> set[str]:
    """Axis, legend and tooltip titles and the text marks' datasets of a spec (not the numbers)."""
    found: set[str] = set()

    def walk(node, key=None):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in ("title", "serie", "tekst"):
            found.add(node)

    walk(spec)
    return found


def test_capacity_specs_follow_the_maalform_and_the_cache_does_not_leak(result):
    """A spec built in nynorsk has nynorsk texts; one built in bokmål right after has bokmål."""
    from core.i18n import in_maalform

    with in_maalform("nn"):
        nn = {"capacity": charts.capacity_spec(result), "reserve": charts.reserve_spec(result, 105),
              "coverage": charts.coverage_spec(result, 100), "without_gp": charts.without_gp_spec(result)}
    nb = {"capacity": charts.capacity_spec(result), "reserve": charts.reserve_spec(result, 105),
          "coverage": charts.coverage_spec(result, 100), "without_gp": charts.without_gp_spec(result)}
    assert {"Pasientar på lister med lege", "Alle listepasientar", "Personar"} <= _texts(nn["capacity"])
    assert {"Pasienter på lister med lege", "Alle listepasienter", "Personer"} <= _texts(nb["capacity"])
    assert {"Pasientar utan fastlege", "Lister utan lege"} <= _texts(nn["without_gp"])
    assert {"Pasienter uten fastlege", "Lister uten lege"} <= _texts(nb["without_gp"])
    assert {"Dekning (alle listepasientar)", "Mål for dekning"} <= _texts(nn["coverage"])
    assert {"Dekning (alle listepasienter)", "Mål for dekning"} <= _texts(nb["coverage"])
    assert "Dekning (alle listepasienter)" not in _texts(nn["coverage"])
    assert not _texts(nn["capacity"]) & {"Pasienter på lister med lege", "Alle listepasienter", "Personer"}
    assert not _texts(nb["without_gp"]) & {"Pasientar utan fastlege", "Lister utan lege"}
    for spec in (*nn.values(), *nb.values()):
        _valid(spec)
    # the same numbers in both
    assert nn["reserve"]["datasets"]["reserve"] == nb["reserve"]["datasets"]["reserve"]
    assert [r["indeks"] for r in nn["coverage"]["datasets"]["dekning"]] == [
        r["indeks"] for r in nb["coverage"]["datasets"]["dekning"]]


def test_cached_capacity_charts_are_kept_per_maalform(result, monkeypatch):
    """ui.specs caches the page's three charts on the scenario: the målform is part of the key."""
    from core import capacity as cap
    from core.i18n import in_maalform
    from ui import loaders, specs

    monkeypatch.setattr(loaders, "capacity_result", lambda base, params: result)
    base = cap.CapacityBase(label="Test", kommunenummer="9999", year=2025, hjemler=1, vacant_lists=0,
                            list_capacity=1000.0, patients_with_gp=1100.0, patients_without_gp=50.0,
                            residents=1200.0)
    params = cap.CapacityParams(horizon=2027, target_reserve=101.0)
    with in_maalform("nn"):
        nn = specs.capacity_charts(base, params)
    nb = specs.capacity_charts(base, params)
    with in_maalform("nn"):
        again = specs.capacity_charts(base, params)
    assert "Pasientar utan fastlege" in _texts(nn["without_gp"])
    assert "Pasienter uten fastlege" in _texts(nb["without_gp"]) and "Pasientar utan fastlege" not in _texts(nb["without_gp"])
    assert set(nb) == {"capacity", "coverage", "reserve", "without_gp"}
    assert "Dekning (alle listepasientar)" in _texts(nn["coverage"])
    assert again is nn  # cached, per målform


def test_oversikt_coverage_trend_says_which_years_are_derived():
    """Oversikt's «Dekning» trend: the tooltip's source tells counted years from those derived from SSB's R."""
    kommune = pd.DataFrame({"year": [2024, 2025], "value": [116.0, 60.0], "from_counts": [False, True]})
    national = pd.DataFrame({"year": [2025], "value": [99.97], "source": ["SSB 12005, sum av kommunene"]})
    spec = charts.trend_chart(kommune, national, "Flakstad", "Dekning", "coverage index").to_dict()
    rows = next(iter(spec["datasets"].values()))
    kilde = {(r["serie"], r["year"]): r["kilde"] for r in rows}
    assert kilde[("Flakstad", 2024)] == charts.COVERAGE_DERIVED
    assert kilde[("Flakstad", 2025)] == charts.COVERAGE_FROM_COUNTS
    assert kilde[("Landet", 2025)] == "SSB 12005, sum av kommunene"
    assert charts.axis_format("coverage index") == ",.1f"  # 95,3, not 95
    # SSB's own series keep their source
    plain = charts.trend_chart(kommune.drop(columns="from_counts"), national, "Flakstad", "R", "index").to_dict()
    assert {r["kilde"] for r in next(iter(plain["datasets"].values())) if r["serie"] == "Flakstad"} == {
        "SSB tabell 12005"}
