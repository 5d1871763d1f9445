"""AppTest: the Fastlegekapasitet page, its levers, reference cases and links."""

from __future__ import annotations

import json

import pytest

from core import capacity as cap
from core.params import levers
from tests import apptest_util
from tests.apptest_util import BAD_SHOWN, lever, metrics, visible_text

PAGE = "pages/kapasitet.py"


def open_page(**query: str):
    return apptest_util.open_page(PAGE, **query)


def table(at):
    return at.dataframe[0].value


def row(at, year: int) -> dict:
    t = table(at)
    r = t[t["År"] == str(year)]
    assert len(r) == 1
    return {k: str(v).replace("\u00a0", "") for k, v in r.iloc[0].items()}


@pytest.mark.parametrize("knr", ["4631", "0301", "1144", "5501"])
def test_page_opens_for_kommune(knr):
    at = open_page(kommune=knr)
    assert at.title[0].value.startswith("Fastlegekapasitet – ")
    t = table(at)
    assert t["År"].iloc[0] == "2025" and t["År"].iloc[-1] == "2040"
    assert not BAD_SHOWN.search(visible_text(at))
    without = any(v != "0" for v in t["Pasienter uten fastlege"].str.replace("\u00a0", ""))
    assert len(at.get("vega_lite_chart")) == (3 if without else 2)
    assert without or any("Ingen pasienter står uten fastlege" in i.value for i in at.info)
    assert {"Dekning", "Reservekapasitet (SSB)", "Hjemler som mangler for målet"} <= set(t.columns)
    assert sum("Kilde:" in c.value for c in at.caption) >= len(at.get("vega_lite_chart")) + 1  # + table


def test_kommune_without_statistics_offers_reference_cases():
    at = open_page(kommune="5514")
    assert any("referansecase" in i.value for i in at.info)
    assert not at.exception


def test_alver_reference_case_reproduces_the_note():
    at = open_page(kommune="4631", start="alver_2021")
    shown = metrics(at)
    assert shown["Hjemler 2021"] == "26"
    assert shown["Sum listetak 2021"] == "29400"
    assert shown["Ledige plasser 2021"] == "417"
    assert shown["Venteliste 2021"] == "779"
    assert shown["LIS1-plasser 2021"] == "5"
    assert shown["Dekning 2021"] == "101,4"  # 29 400 / 28 983 × 100
    assert shown["Pasienter uten fastlege 2021"] == "0"
    first = row(at, 2021)
    assert first["Sum listetak"] == "29400" and first["Ledige plasser"] == "417"
    assert first["Dekning"] == "101,4" and first["Reservekapasitet (SSB)"] == "101,4"


def test_alver_one_new_hjemmel_of_1000_shows_1417_free_places():
    at = open_page(kommune="4631", start="alver_2021")
    lever(at, "new_hjemler").set_value(1)
    lever(at, "new_list_cap").set_value(1000)
    lever(at, "new_from_year").set_value(2021)
    at.run()
    assert not at.exception
    first = row(at, 2021)
    assert first["Sum listetak"] == "30400" and first["Ledige plasser"] == "1417"
    assert "1 ny hjemmel fra 2021" in visible_text(at).replace("\u00a0", " ")


def test_stavanger_1750_fewer_places():
    at = open_page(kommune="1103", start="stavanger_2023")
    before = row(at, 2023)["Sum listetak"]
    assert before == "153400"
    lever(at, "cap_change_places").set_value(-1750)
    lever(at, "cap_change_year").set_value(2023)
    at.run()
    assert row(at, 2023)["Sum listetak"] == str(153_400 - 1_750)


def test_choosing_a_reference_case_switches_kommune():
    at = open_page(kommune="0301")
    at.selectbox(key="start").set_value("stavanger_2023")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Fastlegekapasitet – Stavanger"
    assert row(at, 2023)["Sum listetak"] == "153400"


def test_shared_link_reproduces_levers():
    at = open_page(kommune="4631", new_hjemler="2", new_from_year="2027", new_list_cap="1000",
                   target_reserve="103")
    assert lever(at, "new_hjemler").value == 2
    assert lever(at, "target_reserve").value == 103
    r27, r26 = row(at, 2027), row(at, 2026)
    assert int(r27["Hjemler"]) - int(r26["Hjemler"]) == 2


@pytest.mark.parametrize(("key", "raw"), [("new_hjemler", "abc"), ("horizon", "99999"),
                                          ("new_from_year", "1900"), ("cap_change_places", "nan"),
                                          ("keep_workload", "<script>"), ("growth_adjustment", "1e308")])
def test_bad_lever_values_in_link_get_message_and_safe_value(key, raw):
    at = open_page(kommune="4631", **{key: raw})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert warnings, "a message about the bad value"
    assert "<script>" not in warnings
    assert table(at)["År"].iloc[-1] in ("2040", "2050")


def test_reset_returns_to_defaults():
    at = open_page(kommune="4631", new_hjemler="3")
    assert lever(at, "new_hjemler").value == 3
    apptest_util.button(at, "Tilbakestill").click()
    at.run()
    assert lever(at, "new_hjemler").value == 0


def _other_value(lv, current):
    if lv.kind == "bool":
        return not current
    if lv.kind == "choice":
        return next(o for o in lv.options if o != current)
    scale = lv.display_scale
    if lv.name in cap.YEAR_LEVERS:
        return 2030
    hi = lv.max * scale
    step = (lv.step or 1) * scale
    return current + step * 5 if current + step * 5 <= hi else current - step * 5


@pytest.mark.parametrize("lv", [lv for lv in levers(cap.CapacityParams)], ids=lambda lv: lv.name)
def test_every_lever_moves_the_model(lv):
    # SSB's own kommune projection exists for Telemark only: that lever is tried on Porsgrunn
    at = open_page(kommune="4001" if lv.name == "own_projection" else "1103")
    # By default recruits (national pace) refill every leaver's list the same year: a few more leavers
    # or recruits then change nothing. Try each with its partner set so that it matters.
    partner = {"exits_per_year": ("recruits_per_year", 0.0), "recruits_per_year": ("exits_per_year", 20.0)}
    if lv.name in partner:
        name, value = partner[lv.name]
        lever(at, name).set_value(value)
        at.run()
    before = table(at).to_csv()
    widget = lever(at, lv.name)
    widget.set_value(_other_value(lv, widget.value))
    at.run()
    assert not at.exception
    assert not BAD_SHOWN.search(visible_text(at))
    # year levers only matter together with their amount lever; the rest must change the table
    if lv.name not in cap.YEAR_LEVERS:
        assert table(at).to_csv() != before, lv.name


def test_tiles_show_what_the_model_computes(con):
    from core import demography, fmt, starting_points
    from core.params import with_defaults_from

    at = open_page(kommune="1103")
    lever(at, "new_hjemler").set_value(4)
    lever(at, "new_from_year").set_value(2028)
    lever(at, "exits_per_year").set_value(2.0)
    lever(at, "recruits_per_year").set_value(1.0)
    at.run()
    assert not at.exception

    base = starting_points.from_statistics(con, "1103")
    params = with_defaults_from(cap.CapacityParams, base, new_hjemler=4, new_from_year=2028,
                                exits_per_year=2.0, recruits_per_year=1.0)
    path = demography.population_path(demography.registered_groups(con, "1103"),
                                      demography.project_groups(con).for_kommune("1103"))
    last = cap.project(base, path, params).iloc[-1]
    shown = metrics(at)
    squash = lambda s: s.replace("\u00a0", "").replace(" ", "")  # noqa: E731
    assert shown["Hjemler 2040"] == squash(fmt.number(last["hjemler"])) == str(139 + 4)
    assert shown["Sum listetak 2040"] == squash(fmt.number(last["capacity"]))
    assert shown["Pasienter uten fastlege 2040"] == squash(fmt.number(last["patients_without_gp"]))
    assert shown["Dekning 2040"] == squash(fmt.number(last["coverage_index"], 1))
    assert shown["Reservekapasitet (SSB) 2040"] == squash(fmt.number(last["reserve_index"], 1))
    assert shown["Hjemler som mangler for målet 2040"] == squash(fmt.number(last["extra_hjemler_needed"]))


def _priced_last_year(con, knr: str, **levers) -> dict:
    """The economy model's extra cost of the scenario against unchanged supply, at default rates."""
    from core import demography, starting_points
    from core import economy as eco
    from core.params import with_defaults_from

    base = starting_points.from_statistics(con, knr)
    defaults = with_defaults_from(cap.CapacityParams, base)
    params = with_defaults_from(cap.CapacityParams, base, **levers)
    path = demography.population_path(demography.registered_groups(con, knr),
                                      demography.project_groups(con).for_kommune(knr))
    reference = cap.project(base, path, cap.without_supply_changes(params, defaults))
    scenario = cap.project(base, path, params)
    period = eco.PERIODS[eco.DEFAULT_PERIOD]
    return eco.scenario_summary(eco.price_scenario(reference, scenario, eco.defaults_for(eco.DEFAULT_PERIOD),
                                                   period))


def test_cost_tiles_follow_the_levers(con):
    from core import fmt

    at = open_page(kommune="1103")
    assert metrics(at)["Merkostnad 2040, fastlønn"] == "0kr"  # no change, no extra cost
    lever(at, "new_hjemler").set_value(3)
    lever(at, "exits_per_year").set_value(2.0)
    lever(at, "recruits_per_year").set_value(0.0)  # leavers not replaced: vacant lists need vikar
    at.run()
    assert not at.exception
    expected = _priced_last_year(con, "1103", new_hjemler=3, exits_per_year=2.0, recruits_per_year=0.0)
    assert expected["vikar"] > 0
    shown = metrics(at)
    squash = lambda s: s.replace("\u00a0", "").replace(" ", "")  # noqa: E731
    # Salaried new lists change the cost; with the national income per consultation (564 kr) and the example
    # salary they cost less than the basistilskudd their patients would have brought næringsdrift, so the sign is <0.
    assert expected["fastlonn"] != 0
    # the example salary and vikar figures drive these tiles: they say so on themselves
    assert shown["Merkostnad 2040, fastlønn (eksempelkostnader)"] == squash(fmt.kroner(expected["fastlonn"]))
    assert shown["Merkostnad 2040, næringsdrift (eksempelkostnader)"] == squash(fmt.kroner(expected["naeringsdrift"]))
    assert shown["Vikar for ledige lister 2040 (eksempelkostnader)"] == squash(fmt.kroner(expected["vikar"]))


def test_year_table_has_the_cost_line_per_year(con):
    at = open_page(kommune="1103")
    lever(at, "new_hjemler").set_value(3)
    lever(at, "new_from_year").set_value(2028)
    at.run()
    expected = _priced_last_year(con, "1103", new_hjemler=3, new_from_year=2028)
    t = table(at)
    squash = lambda s: str(s).replace("\u00a0", "").replace(" ", "")  # noqa: E731
    fast = dict(zip(t["År"], t["Merkostnad fastlønn (kr)"].map(squash), strict=True))
    assert fast["2027"] == "0"  # the new hjemler start in 2028
    assert fast["2040"] == squash(f"{expected['fastlonn']:,.0f}".replace(",", " "))


def test_telemark_demand_follows_ssbs_own_projection_by_default(con):
    from core import demography

    at = open_page(kommune="4001")
    assert any("SSBs egen befolkningsframskriving for kommunen" in c.value for c in at.caption)
    ssb = demography.ssb_kommune_groups(con, demography.project_all(con), "4001").sum(axis=1)
    shown = {r["År"]: r["Innbyggere"] for _, r in table(at).iterrows()}
    # the table's residents at the end of 2039 are SSB's 1 January 2040
    assert shown["2039"].replace("\u00a0", "").replace(" ", "") == f"{ssb.loc[2040]:.0f}"
    lever(at, "own_projection").set_value(True)
    at.run()
    assert any("Legeplans befolkningsframskriving" in c.value for c in at.caption)
    assert {r["År"]: r["Innbyggere"] for _, r in table(at).iterrows()}["2039"] != shown["2039"]


def test_nynorsk_page_shows_the_same_numbers_in_nynorsk():
    """?malform=nn: the tiles carry nynorsk labels and exactly the numbers of the bokmål page."""
    nb = metrics(open_page(kommune="4631", start="alver_2021", new_hjemler="1"))
    at = open_page(kommune="4631", start="alver_2021", new_hjemler="1", malform="nn")
    nn = metrics(at)
    assert nn["Ledige plassar 2040"] == nb["Ledige plasser 2040"]
    assert nn["Pasientar utan fastlege 2040"] == nb["Pasienter uten fastlege 2040"]
    assert nn["Dekning 2040"] == nb["Dekning 2040"]
    assert at.title[0].value == "Fastlegekapasitet – Alver"
    assert any(m.value.startswith("- Med 1 ny heimel frå 2022 (listetak") for m in at.markdown)
    assert [e.label for e in at.expander if e.label.startswith("Føresetnader")] == ["Føresetnader og kjelder"]


# --- a worse year is shown as worse (issue 18) ----------------------------------------------------

GREEN = 1  # Metric.MetricColor.GREEN
COLLAPSE = {"new_hjemler": "2", "exits_per_year": "3", "recruits_per_year": "2"}
WORDS = {"nb": ("Pasienter uten fastlege", "Dekning", "verre for pasientene", "Reservekapasitet (SSB)", "Med 2 nye"),
         "nn": ("Pasientar utan fastlege", "Dekning", "verre for pasientane", "Reservekapasitet (SSB)", "Med 2 nye")}


def _tiles_with_delta(at) -> dict:
    return {m.label: m for m in at.metric if m.delta}


@pytest.mark.parametrize("malform", ["nb", "nn"])
@pytest.mark.parametrize("start", ["alver_2021", "ssb"])
def test_two_new_three_leave_two_filled_shows_the_worse_year(start, malform):
    """Alver, «2 nye hjemler, 3 leger slutter, 2 lister besettes per år»: lists lose their doctor faster
    than they are filled. The page says it is worse for the patients, first, in words and colour."""
    without_label, coverage_label, worse, reserve_label, opening = WORDS[malform]
    at = open_page(kommune="4631", start=start, malform=malform, **COLLAPSE)
    first, last = table(at).iloc[0], table(at).iloc[-1]
    y0, y1 = first.iloc[0], last.iloc[0]
    tiles = _tiles_with_delta(at)
    assert not [label for label, m in tiles.items() if m.proto.color == GREEN]  # no tile says «better»
    labels = list(tiles)
    assert labels[:2] == [f"{coverage_label} {y1}", f"{without_label} {y1}"]  # patients first
    without = tiles[f"{without_label} {y1}"]
    assert without.delta.startswith("+") and without.proto.color != GREEN
    assert int(apptest_util.squash(without.value)) > 10_000
    assert float(apptest_util.squash(tiles[f"{coverage_label} {y1}"].value).replace(",", ".")) < 60
    assert tiles[f"{reserve_label} {y1}"].proto.color != GREEN
    assert any(worse in m.value and str(y0) in m.value for m in at.markdown)  # the verdict line above the tiles
    opening_line = next(m.value for m in at.markdown if m.value.startswith("- " + opening))
    assert worse in opening_line.split("\n")[0]
    assert apptest_util.squash(without.value) in apptest_util.squash(opening_line.split("\n")[0])


def test_ssb_reserve_rising_while_lists_lose_their_doctor_is_not_green():
    """Alver's SSB base 2025 with the same levers: SSB's index and free places rise, and stay grey."""
    at = open_page(kommune="4631", **COLLAPSE)
    tiles = _tiles_with_delta(at)
    reserve, free = tiles["Reservekapasitet (SSB) 2040"], tiles["Ledige plasser 2040"]
    assert reserve.delta.startswith("+") and free.delta.startswith("+")  # the numbers rise …
    assert reserve.proto.color != GREEN and free.proto.color != GREEN  # … and are not called better
    assert "inkl." in tiles["Hjemler som mangler for målet 2040"].proto.delta_description


def test_national_table_ranks_kommuner_by_coverage():
    at = open_page(kommune="4631")
    at.session_state["kap_nasjonal"] = True
    at.run()
    assert not at.exception
    national = next(d.value for d in at.dataframe if "Nr." in d.value.columns)
    assert {"Dekning 2025", "Dekning 2040", "Pasienter uten fastlege 2040", "Reservekapasitet (SSB) 2040"} <= set(
        national.columns)
    top = national[national["Nr."].astype(int) <= 10]
    coverage = [float(apptest_util.squash(v).replace(",", ".")) for v in top["Dekning 2040"]]
    assert coverage == sorted(coverage) and len(coverage) == 10
    assert "Alver" in national["Kommune"].tolist()


@pytest.mark.parametrize("malform", ["nb", "nn"])
def test_alver_notat_page_says_when_coverage_falls_under_the_target(malform):
    """The notat's case meets the target in 2021 (101,4) and loses it in 2024: the page says so and names the
    list missing then (the notat's acute need), never «nås ikke» for a target it meets today."""
    at = open_page(kommune="4631", start="alver_2021", malform=malform)
    text = visible_text(at)
    expected = {"nb": "Dekningen er 101,4 i 2021, men faller under målet 100 i 2024: da trengs 1 liste med lege til, "
                      "og 2 i 2040 (listetak 1\u00a0131).",
                "nn": "Dekninga er 101,4 i 2021, men fell under målet 100 i 2024: då trengst 1 liste med lege til, "
                      "og 2 i 2040 (listetak 1\u00a0131)."}[malform]
    assert expected in text
    assert "nås ikke" not in text and "ikkje nådd" not in text
    # the main chart's bands are drawn against all list patients, as «Dekning» (not those on lists with a doctor)
    main = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    bands = [layer["encoding"]["y"]["field"] for layer in main["layer"] if layer.get("mark", {}).get("type") == "area"]
    assert bands == ["list_patients", "capacity"]


def _typed_beside(at, name: str):
    """The text box beside a lever's slider (a «slider+number» lever)."""
    from ui.number_field import TEXT_SUFFIX

    return next(w for w in at.text_input if w.key == f"lv_{name}{TEXT_SUFFIX}")


@pytest.mark.parametrize("knr", ["4631", "1103"])
def test_new_hjemler_range_fits_the_kommune(con, knr):
    from core import starting_points

    hjemler = starting_points.from_statistics(con, knr).hjemler
    at = open_page(kommune=knr)
    slider = lever(at, "new_hjemler")
    assert (slider.min, slider.max, slider.step) == (0, max(10, -(-hjemler // 3)), 1)
    assert lever(at, "new_list_cap").step == 1
    assert _typed_beside(at, "new_hjemler").value == "0"


def test_nye_hjemler_is_set_exactly_by_typing_and_by_the_slider():
    at = open_page(kommune="4631")
    _typed_beside(at, "new_hjemler").set_value("2").run()
    assert not at.exception and not at.warning
    assert lever(at, "new_hjemler").value == 2
    assert at.query_params["new_hjemler"] in ("2", ["2"])
    lever(at, "new_hjemler").set_value(3).run()
    assert _typed_beside(at, "new_hjemler").value == "3"
    top = int(lever(at, "new_hjemler").max)
    _typed_beside(at, "new_hjemler").set_value("500").run()
    assert lever(at, "new_hjemler").value == top
    assert any("500 er utenfor tillatt område (0 til" in w.value for w in at.warning)
    _typed_beside(at, "new_hjemler").set_value("to").run()
    assert not at.exception
    assert lever(at, "new_hjemler").value == top and _typed_beside(at, "new_hjemler").value == str(top)
    assert any("«to» er ikke et tall" in w.value for w in at.warning)


def test_leavers_typed_with_a_comma_and_the_list_cap_to_the_person():
    at = open_page(kommune="4631")
    _typed_beside(at, "exits_per_year").set_value("2,5").run()
    assert lever(at, "exits_per_year").value == 2.5
    cap_now = lever(at, "new_list_cap").value
    _typed_beside(at, "new_list_cap").set_value(str(cap_now + 1)).run()
    assert lever(at, "new_list_cap").value == cap_now + 1  # steps of one person, not ten
    assert not at.exception


def test_a_link_beyond_the_kommune_range_is_clamped_with_a_message():
    at = open_page(kommune="4631", new_hjemler="50")
    top = int(lever(at, "new_hjemler").max)
    assert top < 50 and lever(at, "new_hjemler").value == top
    assert any("«50» er utenfor tillatt område (0–" in w.value for w in at.warning)


def test_two_quick_slider_moves_are_not_undone_by_the_field_text_from_before_them():
    """Two arrow presses in a row: the browser sends the slider's new value with the text the field had before
    the first press (it had not got the new text yet). That stale text must not put the slider back (the
    keyboard test in a real browser lost «2 nye hjemler» this way). AppTest runs the slider's callback first,
    where the browser may not: tests/test_number_field.py checks the other order."""
    at = open_page(kommune="4631")
    lever(at, "new_hjemler").set_value(1).run()
    assert _typed_beside(at, "new_hjemler").value == "1"
    lever(at, "new_hjemler").set_value(2)
    _typed_beside(at, "new_hjemler").set_value("0")  # the stale text, sent in the same rerun
    at.run()
    assert lever(at, "new_hjemler").value == 2 and _typed_beside(at, "new_hjemler").value == "2"
    assert at.query_params["new_hjemler"] in ("2", ["2"])
    _typed_beside(at, "new_hjemler").set_value("5").run()  # typing alone still sets the value
    assert lever(at, "new_hjemler").value == 5
