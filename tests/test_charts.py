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
        "vacant_lists": [0.5, 0.5, 0.5],
    })


def _valid(spec: dict) -> None:
    cls = alt.LayerChart if "layer" in spec else alt.Chart
    cls.from_dict(spec, validate=True)  # raises on a spec Vega-Lite would refuse


def test_capacity_spec_carries_the_scenario(result):
    spec = charts.capacity_spec(result)
    _valid(spec)
    area = pd.DataFrame(spec["datasets"]["kapasitet"])
    assert area["top"].tolist() == [1100.0, 1200.0, 1250.0]  # the higher of caps and patients
    lines = pd.DataFrame(spec["datasets"]["kapasitet_serier"])
    assert set(lines["serie"]) == set(charts.CAPACITY_SERIES.values())
    caps = lines[lines["serie"] == "Sum listetak"]["personer"].tolist()
    assert caps == result["capacity"].tolist()


def test_reserve_spec_marks_the_target(result):
    spec = charts.reserve_spec(result, 105)
    _valid(spec)
    assert spec["datasets"]["reserve_mål"] == [{"mål": 105.0, "tekst": "Mål 105"}]
    assert [r["reserve_index"] for r in spec["datasets"]["reserve"]] == [90.9, 109.1, 96.0]


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
