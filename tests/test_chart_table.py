"""The text alternative under every chart: a chart's numbers as tables in Norwegian format."""

from __future__ import annotations

import altair as alt
import pandas as pd

from core import charts
from core.fmt import NBSP
from ui import chart_table as ct


def test_format_value_follows_the_d3_format_in_norwegian():
    q = ct.Field("v", "V", "quantitative", ",.1f")
    assert ct.format_value(1234.56, q) == f"1{NBSP}234,6"
    assert ct.format_value(0.046, ct.Field("v", "V", "quantitative", ".1%")) == f"4,6{NBSP}%"
    assert ct.format_value(2021, ct.Field("år", "År", "quantitative", "d")) == "2021"
    assert ct.format_value(2021, ct.Field("år", "År", "ordinal", None)) == "2021"
    assert ct.format_value(1234.5, ct.Field("v", "V", "quantitative", None)) == f"1{NBSP}234,50"
    assert ct.format_value("2026-06-30T00:00:00", ct.Field("d", "Frist", "temporal", "%d.%m.%Y")) == "30.06.2026"
    assert ct.format_value(None, q) == ""
    assert ct.format_value("Alver", ct.Field("n", "Kommune", "nominal", None)) == "Alver"


def test_tables_use_tooltip_titles_and_formats():
    kommune = pd.DataFrame({"year": [2024, 2025], "value": [1234.5, 1300.25]})
    national = pd.DataFrame({"year": [2024, 2025], "value": [1000.0, 1100.0], "source": ["SSB", "SSB"]})
    spec = charts.trend_chart(kommune, national, "Alver", "Listelengde", "pct").to_dict()
    [table] = ct.tables(spec)
    rows = table.to_pylist()
    assert table.column_names[:3] == ["Serie", "År", "Listelengde"]
    assert rows[0]["Serie"] == "Alver" and rows[0]["År"] == "2024" and rows[0]["Listelengde"] == f"1{NBSP}234,5"
    assert len(rows) == 4


def test_tables_of_a_named_dataset_spec_and_a_chart_without_tooltips():
    result = pd.DataFrame({"year": [2025, 2026], "reserve_index": [101.0, 99.5]})
    spec = charts.reserve_spec(result, 105)
    tables = ct.tables(spec)
    assert tables[0].to_pylist() == [{"År": "2025", "Reservekapasitet (SSB)": "101,0"},
                                     {"År": "2026", "Reservekapasitet (SSB)": "99,5"}]
    coverage = ct.tables(charts.coverage_spec(result.assign(coverage_index=[96.0, 88.26]), 100))
    assert coverage[0].to_pylist() == [
        {"År": "2025", "Serie": "Dekning (alle listepasienter)", "Indeks": "96,0"},
        {"År": "2026", "Serie": "Dekning (alle listepasienter)", "Indeks": "88,3"},
        {"År": "2025", "Serie": "Reservekapasitet (SSB, bare pasienter på lister med lege)", "Indeks": "101,0"},
        {"År": "2026", "Serie": "Reservekapasitet (SSB, bare pasienter på lister med lege)", "Indeks": "99,5"}]
    plain = alt.Chart(pd.DataFrame({"a": ["x", "y"], "b": [1.0, 2.5]})).mark_bar().encode(
        x=alt.X("a:N", title="Navn"), y=alt.Y("b:Q", title="Verdi", axis=alt.Axis(format=",.1f")))
    [table] = ct.tables(plain.to_dict())
    assert table.to_pylist() == [{"Navn": "x", "Verdi": "1,0"}, {"Navn": "y", "Verdi": "2,5"}]
