"""Comparing scenarios: the same numbers as the capacity page, differences marked, a valid chart."""

from __future__ import annotations

import altair as alt
import pandas as pd

from core import capacity as cap
from core import compare, demography, starting_points
from core.params import with_defaults_from


def _path(con, knr):
    return demography.population_path(demography.registered_groups(con, knr),
                                      demography.project_groups(con).for_kommune(knr))


def test_scenario_levers_parse_like_a_link(con):
    base = starting_points.from_statistics(con, "4631")
    run = compare.scenario_params("To nye", {"kapasitet": {"new_hjemler": "2", "new_from_year": "2027",
                                                           "start": "ssb"}}, base)
    assert run.params == with_defaults_from(cap.CapacityParams, base, new_hjemler=2, new_from_year=2027)
    assert run.start == "ssb" and run.messages == ()
    bad = compare.scenario_params("Rart", {"kapasitet": {"new_hjemler": "9999"}}, base)
    assert bad.params.new_hjemler == 60 and any("utenfor tillatt område" in m for m in bad.messages)
    empty = compare.scenario_params("Tom", {}, base)
    assert empty.params == with_defaults_from(cap.CapacityParams, base)


def test_reference_case_start_is_kept(con):
    assert compare.start_of({"kapasitet": {"start": "alver_2021"}}) == "alver_2021"
    assert compare.start_of({"okonomi": {"periode": "2021"}}) == "ssb"


def test_tables_carry_each_scenarios_numbers(con):
    base = starting_points.from_statistics(con, "4631")
    path = _path(con, "4631")
    runs = [compare.scenario_params("Standard", {}, base),
            compare.scenario_params("To nye", {"kapasitet": {"new_hjemler": "2"}}, base)]
    results = {r.name: cap.project(base, path, r.params) for r in runs}
    wide = compare.wide_frame(results, "capacity")
    assert list(wide.columns) == ["Standard", "To nye"]
    # two new hjemler with the kommune's average cap from 2026 on: capacity differs by 2 × cap
    diff = wide["To nye"] - wide["Standard"]
    assert diff.loc[2025] == 0 and diff.loc[2026] == 2 * runs[1].params.new_list_cap
    marks = compare.differs_from_first(wide, 0)
    assert not marks.loc[2025, "To nye"] and marks.loc[2030, "To nye"]
    summary = compare.horizon_summary(results)
    assert summary.loc["Hjemler", "To nye"] == summary.loc["Hjemler", "Standard"] + 2
    assert summary.index.name == "I 2040"


def test_different_start_years_compare_on_shared_years(con):
    alver = starting_points.from_reference(con, "alver_2021")
    ssb = starting_points.from_statistics(con, "4631")
    results = {"Alver 2021": cap.project(alver, _path(con, "4631"), with_defaults_from(cap.CapacityParams, alver)),
               "SSB 2025": cap.project(ssb, _path(con, "4631"), with_defaults_from(cap.CapacityParams, ssb))}
    long = compare.long_frame(results, "reserve_index")
    assert long["year"].min() == 2025 and long["year"].max() == 2040
    assert long.groupby("year").size().eq(2).all()


def test_chart_is_valid_vega_lite_with_one_colour_per_scenario():
    long = pd.DataFrame({"year": [2025, 2026] * 3, "scenario": ["A", "A", "B", "B", "C", "C"],
                         "value": [100.0, 101, 100, 99, 100, 103]})
    spec = compare.compare_chart(long, "Reservekapasitet", ["A", "B", "C"]).to_dict()
    alt.Chart.from_dict(spec)
    assert spec["encoding"]["color"]["scale"]["range"] == list(compare.COLORS[:3])


def test_changed_levers_lists_only_what_differs(con):
    base = starting_points.from_statistics(con, "1103")
    defaults = with_defaults_from(cap.CapacityParams, base)
    runs = [compare.scenario_params("A", {"kapasitet": {"new_hjemler": "3"}}, base),
            compare.scenario_params("B", {"kapasitet": {"cap_change": "-14"}}, base)]
    frame = compare.changed_levers(runs, defaults)
    assert set(frame["lever"]) == {"Nye hjemler", "Endring i listetak per liste"}
    row = frame[frame["lever"] == "Nye hjemler"].iloc[0]
    assert row["A"] == 3 and row["B"] == 0 and row["default"] == 0
