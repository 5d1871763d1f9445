"""Comparing scenarios: the same numbers as the capacity page, differences marked, a valid chart."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from core import capacity as cap
from core import compare, demography, starting_points
from core import duties as du
from core import economy as eco
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
    top = cap.lever_bounds(base)["new_hjemler"][1]  # the kommune's range, as on the page
    assert bad.params.new_hjemler == top < 9999 and any("utenfor tillatt område" in m for m in bad.messages)
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
            compare.scenario_params("B", {"kapasitet": {"cap_change_places": "-1750"}}, base)]
    frame = compare.changed_levers(runs, defaults)
    assert set(frame["lever"]) == {"Nye hjemler", "Endring i sum listetak"}
    row = frame[frame["lever"] == "Nye hjemler"].iloc[0]
    assert row["A"] == 3 and row["B"] == 0 and row["default"] == 0


# --- cost from Økonomi and FTE from Kommunale legeoppgaver, per scenario ---------------------------------

def test_economy_levers_and_period_parse_like_a_link(con):
    params, period, messages = compare.economy_params({"okonomi": {"periode": "2021", "list_length": "1200"}})
    assert period.key == "2021" and params.list_length == 1200 and messages == []
    assert params == eco.defaults_for("2021", list_length=1200)
    params, period, _ = compare.economy_params({})
    assert period.key == eco.DEFAULT_PERIOD and params == eco.defaults_for(eco.DEFAULT_PERIOD)
    params, period, _ = compare.economy_params({"okonomi": {"referanse": "alver_2021"}}, con)
    assert params.list_length == 1131  # the notat's 29 400 / 26, as on Økonomi
    assert period.key == "2021"  # the Alver case's own period when none is saved
    _, _, bad = compare.economy_params({"okonomi": {"list_length": "-5"}})
    assert bad


def _priced(con, content, base):
    run = compare.scenario_params("x", content, base)
    path = _path(con, base.kommunenummer)
    result = cap.project(base, path, run.params)
    before = cap.project(base, path, cap.without_supply_changes(run.params, with_defaults_from(cap.CapacityParams,
                                                                                                  base)))
    eco_params, period, _ = compare.economy_params(content)
    return result, eco.price_scenario(before, result, eco_params, period)


def test_cost_per_year_is_the_economy_models_price_of_the_capacity_change(con):
    base = starting_points.from_statistics(con, "4631")
    std, std_priced = _priced(con, {}, base)
    two, two_priced = _priced(con, {"kapasitet": {"new_hjemler": "2", "new_from_year": "2027"}}, base)
    salary = {"kapasitet": {"new_hjemler": "2", "new_from_year": "2027"}, "okonomi": {"salary": "1500000"}}
    _, dear_priced = _priced(con, salary, base)
    results = {"Standard": compare.with_cost_and_duties(std, std_priced, None),
               "To nye": compare.with_cost_and_duties(two, two_priced, None),
               "Dyrere lønn": compare.with_cost_and_duties(two, dear_priced, None)}
    wide = compare.wide_frame(results, "fastlonn")
    assert (wide["Standard"] == 0).all()
    by_year = two_priced.set_index("year")
    assert wide.loc[2030, "To nye"] == pytest.approx(by_year.loc[2030, "fastlonn"], abs=1e-6)
    assert wide.loc[2030, "To nye"] > 0
    assert wide.loc[2026, "To nye"] == 0  # nothing changes before the new hjemler come
    # a higher salary for fastlønn costs more per year, exactly the model's difference: 2 lists × salary step
    params = eco.defaults_for(eco.DEFAULT_PERIOD)
    step = (1_500_000 - params.salary) * (1 + params.pension_share) * (1 + params.employer_tax)
    assert wide.loc[2030, "Dyrere lønn"] - wide.loc[2030, "To nye"] == pytest.approx(2 * step, rel=1e-9)
    assert compare.wide_frame(results, "naeringsdrift").loc[2030, "To nye"] == pytest.approx(
        by_year.loc[2030, "naeringsdrift"], abs=1e-6)
    marks = compare.differs_from_first(wide, 0)
    assert marks.loc[2030, "To nye"] and not marks.loc[2026, "To nye"]


def test_duty_fte_per_year_follow_the_duties_model(con):
    stav = du.stavanger_case(con)
    base = starting_points.from_reference(con, du.STAVANGER_CASE)
    lb = du.list_base(base)
    defaults = compare.duty_defaults(eco.defaults_for(eco.DEFAULT_PERIOD).personnel_cost, lb, stav)
    years = list(range(2023, 2041))
    today, _ = compare.duty_outputs({}, defaults, 2023, lb, years)
    assert today["nh_required_fte"].round(2).eq(24.96).all()  # Stavanger's norm: +5,21 on today's 19,75
    grow, messages = compare.duty_outputs(
        {"legeoppgaver": {"sh_new_long_term": "10", "sh_plan_from": "2026", "sh_plan_to": "2030"}},
        defaults, 2023, lb, years)
    assert messages == []
    nh_p = with_defaults_from(du.NursingHomeParams, defaults[du.NursingHomeParams], sh_new_long_term=10,
                              sh_plan_from=2026, sh_plan_to=2030)
    growth = du.nursing_home_growth(nh_p, defaults[du.SharedParams], 2023).set_index("year")
    fte = grow.set_index("year")["nh_required_fte"]
    assert fte.loc[2025] == pytest.approx(24.96, abs=0.005)
    assert fte.loc[2030] == growth.loc[2030, "required_fte"] > fte.loc[2025]
    assert fte.loc[2040] == fte.loc[2030]  # after the plan's last year no places are added
    assert (grow["duties_fte"] == today["duties_fte"]).all()  # no hours moved: the same whole picture
    early, _ = compare.duty_outputs({}, defaults, 2025, lb, [2024, 2025])
    assert early["nh_required_fte"].isna().tolist() == [True, False]


def test_norm_rows_name_the_back_solved_norm_where_it_is_in_force(con):
    from core.i18n import in_maalform

    stav = du.stavanger_case(con)
    base = starting_points.from_reference(con, du.STAVANGER_CASE)
    lb = du.list_base(base)
    defaults = compare.duty_defaults(eco.defaults_for(eco.DEFAULT_PERIOD).personnel_cost, lb, stav)
    params, _ = compare.duty_params({}, defaults)
    source, _ = compare.duty_params({"legeoppgaver": {"sh_norm_long_term": "20"}}, defaults)
    norms = {"A": du.norm_in_force(stav, params[du.NursingHomeParams]),
             "B": du.norm_in_force(stav, source[du.NursingHomeParams])}
    assert norms == {"A": du.BACKSOLVED_NORM, "B": du.SOURCED_NORM}
    assert compare.metric_labels({"A": norms["A"]}) == {
        "nh_required_fte": "Legeårsverk på sykehjem etter normen (Legeplans tilbakeregning)",
        "nh_gap_cost": "Kostnad av gapet (kr per år) (Legeplans tilbakeregning)"}
    assert compare.metric_labels(norms)["nh_required_fte"] == (
        "Legeårsverk på sykehjem etter normen (Legeplans tilbakeregning i «A»)")
    assert compare.metric_labels({"B": du.SOURCED_NORM, "C": du.OWN_NORM}) == {}
    with in_maalform("nn"):
        assert compare.metric_labels({"A": norms["A"]})["nh_required_fte"] == (
            "Legeårsverk på sjukeheim etter norma (tilbakerekninga til Legeplan)")
    # The summary's row carries the label and the figures: 24,96 back-solved, 15,61 with the source.
    path, results = _path(con, "1103"), {}
    for name, content in (("A", {}), ("B", {"legeoppgaver": {"sh_norm_long_term": "20"}})):
        result = cap.project(base, path, compare.scenario_params(name, {}, base).params)
        duties, _ = compare.duty_outputs(content, defaults, 2023, lb, result["year"].tolist())
        results[name] = compare.with_cost_and_duties(result, None, duties)
    summary = compare.horizon_summary(results, compare.metric_labels(norms))
    row = summary.loc["Legeårsverk på sykehjem etter normen (Legeplans tilbakeregning i «A»)"]
    assert round(row["A"], 2) == 24.96 and round(row["B"], 2) == 15.61
    assert "Legeårsverk på sykehjem etter normen" in compare.horizon_summary(results).index  # no labels: as before


def test_compare_page_shows_cost_and_duties_per_scenario(con):
    from core import db
    from core import scenarios as sc
    from tests import apptest_util

    user = db.connect_user()
    sc.save(user, "1103", "Tre nye hjemler", "", {"kapasitet": {"new_hjemler": "3"}}, "x")
    sc.save(user, "1103", "Flere sykehjemsplasser", "",
            {"kapasitet": {"new_hjemler": "3"}, "okonomi": {"salary": "1500000"},
             "legeoppgaver": {"sh_new_long_term": "10", "sh_plan_from": "2026", "sh_plan_to": "2030"}}, "x")
    user.close()
    at = apptest_util.open_page("pages/scenarioer.py", kommune="1103")
    assert not at.exception
    names = ["Uten endringer, standardverdier", "Flere sykehjemsplasser", "Tre nye hjemler"]
    summary = at.dataframe[0].value
    assert list(summary.columns)[1:] == names
    rows = dict(zip(summary.iloc[:, 0], summary.index, strict=True))
    # Stavanger's nursing-home rows stand on Legeplan's back-solved norm, and say so.
    fte_label = "Legeårsverk på sykehjem etter normen (Legeplans tilbakeregning)"
    for label in ("Merkostnad fastlønn (kr)", fte_label, "Kostnad av gapet (kr per år) (Legeplans tilbakeregning)",
                  "Legeårsverk i alt med flyttede timer"):
        assert label in rows, label
    assert "Legeårsverk på sykehjem etter normen" not in rows
    assert f"**{fte_label}**" in [m.value for m in at.markdown]  # the chart's heading
    fte = summary.loc[rows[fte_label]]
    assert fte["Tre nye hjemler"] == "24,96" and fte["Uten endringer, standardverdier"] == "24,96"
    assert fte["Flere sykehjemsplasser"] != "24,96"
    assert len(at.get("vega_lite_chart")) == 4  # capacity, fastlønn, næringsdrift, nursing-home FTE
    tables = [df.value for df in at.dataframe]
    cost = next(t for t in tables[2:] if list(t.columns) == ["År", *names] and t.iloc[0, 0] == "2025"
                and t.iloc[0, 1] == "0")
    assert cost.iloc[-1]["Flere sykehjemsplasser"] != cost.iloc[-1]["Tre nye hjemler"]  # dearer salary
    assert not apptest_util.BAD_SHOWN.search(apptest_util.visible_text(at))


def test_compare_page_in_nynorsk_with_scenarios_has_no_bokmaal():
    from core import db
    from core import scenarios as sc
    from tests import apptest_util, test_i18n

    user = db.connect_user()
    sc.save(user, "4631", "To nye", "", {"kapasitet": {"new_hjemler": "2"}}, "x")
    sc.save(user, "4631", "Lågare listetak", "", {"kapasitet": {"cap_change": "-50"}}, "x")
    user.close()
    at = apptest_util.open_page("pages/scenarioer.py", kommune="4631", malform="nn")
    assert at.title[0].value == "Samanlikn scenario – Alver"
    text = test_i18n.all_text(at) + "\n".join(" ".join(map(str, df.value.columns)) + "\n" +
                                              df.value.iloc[:, 0].astype(str).str.cat(sep="\n")
                                              for df in at.dataframe)
    leaks = test_i18n.bokmaal_leaks(text)
    assert not leaks, leaks[:20]


def test_compare_page_lists_the_levers_of_every_page_that_differ():
    from core import db
    from core import scenarios as sc
    from tests import apptest_util

    user = db.connect_user()
    sc.save(user, "1103", "A", "", {"kapasitet": {"new_hjemler": "3"}}, "x")
    sc.save(user, "1103", "B", "", {"okonomi": {"salary": "1500000"},
                                    "legeoppgaver": {"sh_new_long_term": "10"}}, "x")
    user.close()
    at = apptest_util.open_page("pages/scenarioer.py", kommune="1103")
    table = at.dataframe[-1].value
    by_lever = {row["Spak"]: row for _, row in table.iterrows()}
    sides = {row["Side"] for _, row in table.iterrows()}
    assert sides == {"Fastlegekapasitet", "Økonomi", "Kommunale legeoppgaver"}
    hjemler = next(r for k, r in by_lever.items() if k.startswith("Nye hjemler"))
    assert hjemler["A"] == "3" and hjemler["B"] == "0"
    places = next(r for k, r in by_lever.items() if k.startswith("Nye langtidsplasser per år"))
    assert places["B"] == "10" and places["A"] == places["Standard"]


def test_opened_scenario_prices_the_capacity_page_with_its_own_economy_levers(con):
    """Opening a scenario puts its Økonomi levers in force for the capacity page's cost tiles too
    (before, the tiles kept the defaults until Økonomi was visited)."""
    from core import db, fmt
    from core import scenarios as sc
    from tests import apptest_util

    user = db.connect_user()
    contents = {"Dyr": {"kapasitet": {"new_hjemler": "3"}, "okonomi": {"salary": "1800000"}},
                "Billig": {"kapasitet": {"new_hjemler": "3"}, "okonomi": {"salary": "1000000"}}}
    for name, content in contents.items():
        sc.save(user, "4631", name, "", content, "x")
    user.close()
    base = starting_points.from_statistics(con, "4631")
    at = apptest_util.open_page("pages/kapasitet.py", kommune="4631", malform="nb")
    for name, content in contents.items():
        box = at.selectbox(key="scenario_valg")
        box.select_index(box.options.index(name))
        at.run()
        apptest_util.button(at, "Åpne").click()
        at.run()
        _, priced = _priced(con, content, base)
        expected = fmt.kroner(priced.set_index("year").loc[2040, "fastlonn"])
        label = "Merkostnad 2040, fastlønn (eksempelkostnader)"  # pension, office and staff are still examples
        assert apptest_util.metrics(at)[label] == apptest_util.squash(expected), name


# --- coverage and patients first; a collapse is never called better -------------------------------------

COLLAPSE = {"start": "alver_2021", "new_hjemler": "2", "exits_per_year": "3", "recruits_per_year": "2"}


def test_metrics_lead_with_coverage_and_patients_without_a_fastlege():
    assert list(compare.METRICS)[:3] == ["coverage_index", "patients_without_gp", "reserve_index"]
    assert compare.METRICS["reserve_index"][0] == "Reservekapasitet (SSB)"


def test_collapse_is_worse_than_no_change_although_its_reserve_index_is_higher(con):
    base = starting_points.from_reference(con, "alver_2021")
    path = _path(con, "4631")
    runs = [compare.scenario_params("Uten endringer", {"kapasitet": {"start": "alver_2021"}}, base),
            compare.scenario_params("Kollaps", {"kapasitet": COLLAPSE}, base),
            compare.scenario_params("Tre nye", {"kapasitet": {"start": "alver_2021", "new_hjemler": "3"}}, base)]
    results = {r.name: cap.project(base, path, r.params) for r in runs}
    summary = compare.horizon_summary(results)
    assert list(summary.index[:3]) == ["Dekning", "Pasienter uten fastlege", "Reservekapasitet (SSB)"]
    assert summary.loc["Reservekapasitet (SSB)", "Kollaps"] > summary.loc["Reservekapasitet (SSB)", "Uten endringer"]
    assert summary.loc["Dekning", "Kollaps"] == pytest.approx(results["Kollaps"]["coverage_index"].iloc[-1])
    assert round(summary.loc["Dekning", "Kollaps"], 1) == 32.8
    assert round(summary.loc["Pasienter uten fastlege", "Kollaps"]) == 20990
    assert compare.horizon_verdicts(results) == {"Uten endringer": cap.SAME, "Kollaps": cap.WORSE,
                                                 "Tre nye": cap.BETTER}
    assert compare.base_verdicts(results)["Kollaps"] == cap.WORSE


def test_compare_page_warns_when_scenarios_start_from_different_points():
    """«Uten endringer» (SSB 2025) beside a saved Alver 2021 scenario: the difference between them is partly the
    starting point, and the page says so, naming each scenario's starting point."""
    from core import db
    from core import scenarios as sc
    from tests import apptest_util

    user = db.connect_user()
    sc.save(user, "4631", "Notatets tiltak", "", {"kapasitet": {"start": "alver_2021", "new_hjemler": "1",
                                                               "new_from_year": "2022"}}, "x")
    two = sc.save(user, "4631", "To nye", "", {"kapasitet": {"new_hjemler": "2"}}, "x")
    user.close()
    at = apptest_util.open_page("pages/scenarioer.py", kommune="4631", malform="nb")
    assert not at.exception
    warning = next(w.value for w in at.warning if "ulike utgangspunkt" in w.value)
    assert warning.startswith("Scenarioene regner fra ulike utgangspunkt: «Uten endringer, standardverdier», «To nye»: "
                              "Alver – SSB 2025; «Notatets tiltak»: Alver 2021 (notat 04.11.2021).")
    # the same starting point for all: no warning
    at.multiselect(key="sammenlign").set_value(["standard", two]).run()
    assert not [w for w in at.warning if "ulike utgangspunkt" in w.value]
