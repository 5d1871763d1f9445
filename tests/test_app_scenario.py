"""AppTest: saving scenarios in the sidebar, opening them after a restart, across pages, undo."""

from __future__ import annotations

from core import db
from core import scenarios as sc
from tests import apptest_util
from tests.apptest_util import BAD_SHOWN, lever, metrics, visible_text

KAP = "pages/kapasitet.py"


def save(at, name: str, description: str = "") -> None:
    at.text_input(key="scenario_navn").set_value(name)
    at.text_area(key="scenario_tekst").set_value(description)
    apptest_util.button(at, "Lagre valgene").click()
    at.run()
    assert not at.exception


def pick_and_open(at, name: str) -> None:
    box = at.selectbox(key="scenario_valg")
    box.select_index(box.options.index(name))  # the options are shown by name
    at.run()
    apptest_util.button(at, "Åpne").click()
    at.run()
    assert not at.exception


def test_save_then_open_after_a_restart():
    at = apptest_util.open_page(KAP, kommune="4631")
    lever(at, "new_hjemler").set_value(2)
    lever(at, "new_from_year").set_value(2027)
    at.run()
    shown = metrics(at)["Sum listetak 2040"]
    save(at, "To nye hjemler", "Forslag til utvalget")
    assert any("Lagret «To nye hjemler»" in s.value for s in at.success)
    saved = sc.list_for(db.connect_user(), "4631")
    assert [s.name for s in saved] == ["To nye hjemler"]
    assert saved[0].content["kapasitet"]["new_hjemler"] == "2"

    fresh = apptest_util.open_page(KAP, kommune="4631")  # a new session after a restart
    assert lever(fresh, "new_hjemler").value == 0
    pick_and_open(fresh, "To nye hjemler")
    assert lever(fresh, "new_hjemler").value == 2 and lever(fresh, "new_from_year").value == 2027
    assert metrics(fresh)["Sum listetak 2040"] == shown
    assert fresh.query_params["new_hjemler"] in ("2", ["2"])
    assert not BAD_SHOWN.search(visible_text(fresh))


def test_scenario_holds_every_page():
    at = apptest_util.open_page(KAP, kommune="4631")
    lever(at, "new_hjemler").set_value(3)
    at.run()
    at.switch_page("pages/okonomi.py")
    at.run()
    lever(at, "list_length").set_value(1500)
    at.run()
    save(at, "Begge sider")
    content = sc.list_for(db.connect_user(), "4631")[0].content
    assert content["kapasitet"]["new_hjemler"] == "3" and content["okonomi"]["list_length"] == "1500"

    fresh = apptest_util.open_page("pages/oversikt.py", kommune="4631")
    pick_and_open(fresh, "Begge sider")
    fresh.switch_page(KAP)
    fresh.run()
    assert lever(fresh, "new_hjemler").value == 3
    fresh.switch_page("pages/okonomi.py")
    fresh.run()
    assert lever(fresh, "list_length").value == 1500


def test_delete_and_undo():
    at = apptest_util.open_page(KAP, kommune="1103")
    save(at, "Plan A")
    box = at.selectbox(key="scenario_valg")
    assert box.value is not None
    apptest_util.button(at, "Slett").click()
    at.run()
    assert sc.list_for(db.connect_user(), "1103") == []
    assert any("Slettet «Plan A»" in i.value for i in at.info)
    apptest_util.button(at, "Angre").click()
    at.run()
    assert [s.name for s in sc.list_for(db.connect_user(), "1103")] == ["Plan A"]


def test_duplicate_name_is_refused_with_a_message():
    at = apptest_util.open_page(KAP, kommune="1103")
    save(at, "Plan A")
    save(at, "plan a")
    assert any("finnes allerede" in e.value for e in at.error)
    assert len(sc.list_for(db.connect_user(), "1103")) == 1


def test_scenario_from_older_data_opens_with_a_notice():
    con = db.connect_user()
    sc.save(con, "4631", "Gammel", "", {"kapasitet": {"new_hjemler": "1"}}, "eldre-data")
    con.close()
    at = apptest_util.open_page(KAP, kommune="4631")
    pick_and_open(at, "Gammel")
    assert any("Statistikken er oppdatert" in w.value for w in at.warning)
    assert lever(at, "new_hjemler").value == 1


def test_compare_page_shows_saved_scenarios_side_by_side():
    con = db.connect_user()
    sc.save(con, "4631", "To nye hjemler", "", {"kapasitet": {"new_hjemler": "2"}}, "x")
    sc.save(con, "4631", "Lavere listetak", "", {"kapasitet": {"cap_change": "-50"}}, "x")
    con.close()
    at = apptest_util.open_page("pages/scenarioer.py", kommune="4631")
    assert at.title[0].value == "Sammenlign scenarioer – Alver"
    summary = at.dataframe[0].value
    assert list(summary.columns)[1:] == ["Uten endringer, standardverdier", "Lavere listetak", "To nye hjemler"]
    hjemler = summary[summary.iloc[:, 0] == "Hjemler"].iloc[0]
    assert hjemler["To nye hjemler"] == "34" and hjemler["Uten endringer, standardverdier"] == "32"
    assert any("eldre statistikk" in w.value for w in at.warning)
    assert len(at.get("vega_lite_chart")) == 4  # capacity, then cost (fastlønn, næringsdrift) and sykehjem FTE
    assert not BAD_SHOWN.search(visible_text(at))
    at.multiselect(key="sammenlign").set_value(["standard"])
    at.run()
    assert any("minst to" in i.value for i in at.info)


def test_compare_page_without_saved_scenarios_explains():
    at = apptest_util.open_page("pages/scenarioer.py", kommune="1103")
    assert any("Ingen lagrede scenarioer" in i.value for i in at.info)
    assert any("minst to" in i.value for i in at.info)


def test_compare_page_judges_a_collapse_by_the_patients():
    """Alver 2021 with 2 new hjemler, 3 GPs leaving and 2 lists filled a year has a higher SSB reserve index
    than no change, but 20 990 patients without a fastlege: coverage first, and no cell calls it better."""
    con = db.connect_user()
    sc.save(con, "4631", "Kollaps", "", {"kapasitet": {"start": "alver_2021", "new_hjemler": "2",
                                                       "exits_per_year": "3", "recruits_per_year": "2"}}, "x")
    sc.save(con, "4631", "Alver uten endringer", "", {"kapasitet": {"start": "alver_2021"}}, "x")
    con.close()
    at = apptest_util.open_page("pages/scenarioer.py", kommune="4631")
    at.multiselect(key="sammenlign").set_value([s.id for s in _saved("4631", "Alver uten endringer", "Kollaps")])
    at.run()
    assert not at.exception
    summary = at.dataframe[0].value
    assert list(summary.iloc[:3, 0]) == ["Dekning", "Pasienter uten fastlege", "Reservekapasitet (SSB)"]
    by_row = {row.iloc[0]: row for _, row in summary.iterrows()}
    assert by_row["Dekning"]["Kollaps"] == "32,8"
    assert apptest_util.squash(by_row["Pasienter uten fastlege"]["Kollaps"]) == "20990"
    verdicts = at.dataframe[1].value
    assert list(verdicts.columns) == ["Scenario", "Mot «Alver uten endringer» i 2040", "2040 mot utgangsåret"]
    row = verdicts[verdicts["Scenario"] == "Kollaps"].iloc[0]
    assert row["Mot «Alver uten endringer» i 2040"] == "Verre for pasientene"
    assert row["2040 mot utgangsåret"] == "Verre for pasientene (mot 2021)"
    assert not any("bedre" in str(v).lower() for v in row.tolist())
    assert at.selectbox(key="sammenlign_tall").value == "coverage_index"  # the chart opens on coverage


def _saved(knr: str, *names: str):
    con = db.connect_user()
    try:
        by_name = {s.name: s for s in sc.list_for(con, knr)}
    finally:
        con.close()
    return [by_name[n] for n in names]


def test_update_after_someone_else_changed_it_is_refused_with_a_choice():
    at = apptest_util.open_page(KAP, kommune="1103")
    lever(at, "new_hjemler").set_value(2)
    at.run()
    save(at, "Plan A")
    con = db.connect_user()  # another session changes it meanwhile
    (other,) = sc.list_for(con, "1103")
    sc.update_content(con, other.id, {"kapasitet": {"new_hjemler": "7"}}, "x", expected_version=other.version)
    con.close()
    lever(at, "new_hjemler").set_value(3)
    at.run()
    apptest_util.button(at, "Oppdater").click()
    at.run()
    assert not at.exception
    assert any("Scenarioet er endret av noen andre siden du åpnet det." in e.value for e in at.error)
    assert sc.list_for(db.connect_user(), "1103")[0].content["kapasitet"]["new_hjemler"] == "7"  # not overwritten
    apptest_util.button(at, "Lagre som nytt").click()
    at.run()
    assert not at.exception
    saved = {s.name: s.content["kapasitet"]["new_hjemler"] for s in sc.list_for(db.connect_user(), "1103")}
    assert saved == {"Plan A": "7", "Plan A (kopi)": "3"}
    assert any(s.value.startswith("Lagret «Plan A") for s in at.success)  # (sanitize drops the brackets)

    box = at.selectbox(key="scenario_valg")  # the copy is open now; someone changes the copy too
    con = db.connect_user()
    copy = next(s for s in sc.list_for(con, "1103") if s.name == "Plan A (kopi)")
    assert box.value == copy.id
    sc.update_content(con, copy.id, {"kapasitet": {"new_hjemler": "5"}}, "x")
    con.close()
    apptest_util.button(at, "Oppdater").click()
    at.run()
    assert any("endret av noen andre" in e.value for e in at.error)
    apptest_util.button(at, "Åpne den nyeste").click()
    at.run()
    assert not at.exception
    assert lever(at, "new_hjemler").value == 5
    apptest_util.button(at, "Oppdater").click()  # now on the newest version: the update goes through
    at.run()
    assert any("oppdatert med dagens valg" in s.value for s in at.success)
    assert not BAD_SHOWN.search(visible_text(at))


def test_update_of_a_scenario_deleted_elsewhere_says_so():
    at = apptest_util.open_page(KAP, kommune="1103")
    save(at, "Plan B")
    con = db.connect_user()
    sc.delete(con, sc.list_for(con, "1103")[0].id)
    con.close()
    apptest_util.button(at, "Oppdater").click()
    at.run()
    assert not at.exception
    assert any("Scenarioet finnes ikke lenger." in e.value for e in at.error)
