"""Møtevisning (ui.meeting) and slides that take questions, as a presenter uses them (AppTest)."""

from __future__ import annotations

from tests.apptest_util import button, lever, metrics, open_page, visible_text
from ui.export_view import CURRENT  # the name of choices not saved as a scenario


def _tile(at, label_start: str):
    found = [m for m in at.metric if str(m.label).startswith(label_start)]
    assert len(found) == 1, [m.label for m in at.metric]
    return found[0]


def test_meeting_view_holds_tiles_chart_and_the_picked_levers_only():
    at = open_page("pages/kapasitet.py", kommune="4631", mote="1", motespaker="new_hjemler,new_from_year")
    assert not at.exception
    assert not at.sidebar.slider and not at.sidebar.number_input  # the sidebar's levers are not drawn
    assert [w.key for w in at.slider if w.key and w.key.startswith("lv_")] == ["lv_new_hjemler", "lv_new_from_year"]
    assert list(metrics(at))[:2] == ["Dekning 2040", "Pasienter uten fastlege 2040"]
    assert f"Scenario: «{CURRENT}»" in visible_text(at)
    # nothing moved yet: the tiles say so, and keep/discard are off
    assert _tile(at, "Dekning 2040").delta == "som i scenarioet"
    assert button(at, "Behold som nytt scenario").disabled and button(at, "Forkast endringene").disabled
    assert len(at.get("vega_lite_chart")) == 1


def test_two_more_hjemler_show_against_the_opened_scenario_and_can_be_thrown_away():
    at = open_page("pages/kapasitet.py", kommune="4631", mote="1")
    before = _tile(at, "Dekning 2040").value  # Alver, SSB 2025, no change: 97,1
    lever(at, "new_hjemler").set_value(2).run()
    lever(at, "new_from_year").set_value(2027).run()
    assert at.query_params["new_hjemler"] == "2" and at.query_params["new_from_year"] == "2027"
    coverage = _tile(at, "Dekning 2040")
    assert coverage.value != before
    # the change against the opened scenario, not against the base year: 2 lists of 931 more places
    assert coverage.delta.startswith("+")
    assert "+1\u00a0862" in str(_tile(at, "Sum listetak 2040").delta)
    assert "endret i møtet" in visible_text(at)
    button(at, "Forkast endringene").click().run()
    assert lever(at, "new_hjemler").value == 0 and "new_hjemler" not in at.query_params
    assert _tile(at, "Dekning 2040").value == before


def test_keep_saves_a_new_scenario_that_becomes_the_reference(tmp_path, monkeypatch):
    monkeypatch.setenv("LEGEPLAN_USER_DB", str(tmp_path / "bruker.duckdb"))
    at = open_page("pages/kapasitet.py", kommune="4631", mote="1")
    lever(at, "new_hjemler").set_value(2).run()
    button(at, "Behold som nytt scenario").click().run()
    assert not at.exception
    text = visible_text(at)
    assert f"Scenario: «{CURRENT} – endret i møtet" in text  # the new scenario is now the reference
    assert _tile(at, "Dekning 2040").delta == "som i scenarioet"
    assert button(at, "Behold som nytt scenario").disabled
    from core import db
    from core import scenarios as sc

    con = db.connect_user()
    try:
        saved = sc.list_for(con, "4631")
    finally:
        con.close()
    assert [s.content["kapasitet"].get("new_hjemler") for s in saved] == ["2"]
    assert "mote" not in saved[0].content["kapasitet"]  # the view flag is not part of the scenario


def test_picked_levers_are_part_of_the_page_link():
    at = open_page("pages/kapasitet.py", kommune="4631")
    picker = next(w for w in at.sidebar.multiselect if w.key == "motespaker_valg")
    assert picker.value == ["new_hjemler", "new_from_year", "new_list_cap", "recruits_per_year"]
    picker.set_value(["new_hjemler", "cap_change_places"]).run()
    assert at.query_params["motespaker"] == "new_hjemler,cap_change_places"
    button(at, "Møtevisning").click().run()
    assert at.query_params["mote"] == "1"
    assert [w.key for w in [*at.slider, *at.number_input, *at.text_input] if w.key and w.key.startswith("lv_")]
    button(at, "Avslutt møtevisning").click().run()
    assert "mote" not in at.query_params and at.title[0].value == "Fastlegekapasitet – Alver"


def test_a_lever_on_a_slide_answers_the_question_on_the_same_slide():
    at = open_page("pages/kapasitet.py", kommune="4631", presentasjon="1", motespaker="new_hjemler,new_from_year")
    button(at, "Neste").click().run()
    title = at.title[0].value
    assert "2 av 5" in visible_text(at) and f"Scenario: «{CURRENT}»" in visible_text(at)
    lever(at, "new_hjemler").set_value(2).run()
    assert "2 av 5" in visible_text(at)  # still the same slide
    assert at.title[0].value != title or "2 nye hjemler" in visible_text(at)
    assert at.query_params["new_hjemler"] == "2"


def test_meeting_view_in_nynorsk():
    at = open_page("pages/kapasitet.py", kommune="4631", mote="1", malform="nn")
    text = visible_text(at)
    assert "Scenario: «" in text and "Pasientar utan fastlege 2040" in text and "som i scenarioet" in text
    assert button(at, "Behald som nytt scenario").disabled


def test_a_collapse_opened_in_the_meeting_view_says_it_is_worse_for_the_patients():
    """The tiles compare with the opened scenario (grey «som i scenarioet» until a lever moves); the title line
    still says how the scenario stands against the base year, so a collapse never reads as all well."""
    at = open_page("pages/kapasitet.py", kommune="4631", mote="1", exits_per_year="3", recruits_per_year="0.5")
    assert _tile(at, "Pasienter uten fastlege 2040").delta == "som i scenarioet"
    assert "Sammenlignet med 2025: verre for pasientene" in visible_text(at)
