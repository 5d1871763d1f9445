"""«Sammenlign scenarioer» in the meeting room: slides and the meeting view (AppTest), and their pure helpers."""

from __future__ import annotations

import pandas as pd

from core import capacity as cap
from core import compare, db
from core import scenarios as sc
from tests.apptest_util import BAD_SHOWN, button, lever, open_page, visible_text
from ui import compare_slides

PAGE = "pages/scenarioer.py"
STANDARD = "Uten endringer, standardverdier"


def _save(name: str, capacity: dict[str, str]) -> None:
    con = db.connect_user()
    try:
        sc.save(con, "4631", name, "", {"kapasitet": capacity}, sc.data_version(db.connect()))
    finally:
        con.close()


def _row(year: int, coverage: float, without: float) -> dict[str, float]:
    return {"year": year, "coverage_index": coverage, "patients_without_gp": without}


def _results(**ends: tuple[float, float]) -> dict[str, pd.DataFrame]:
    """Scenario → a two-year result (2025 at 95,0 and no one without a GP; 2040 as given)."""
    return {name: pd.DataFrame([_row(2025, 95.0, 0.0), _row(2040, *end)]) for name, end in ends.items()}


# --- pure helpers ----------------------------------------------------------------------------------------

def test_rank_names_the_scenario_better_for_the_patients():
    ranking = compare.rank_for_patients(_results(A=(97.1, 0.0), B=(103.2, 0.0)))
    assert ranking == compare.Ranking(2040, ("B",), ("A", "B"), ("B",))


def test_more_patients_without_a_gp_is_never_best_even_with_a_higher_coverage_elsewhere():
    # B has fewer without a GP but lower coverage than A: neither is best on everything (mixed)
    ranking = compare.rank_for_patients(_results(A=(99.0, 300.0), B=(97.0, 0.0), C=(50.0, 5000.0)))
    assert ranking.best == ()
    assert ranking.fewest_without == ("B",) and ranking.highest_coverage == ("A",)
    title = compare_slides.verdict_title(ranking, ["A", "B", "C"])
    assert title.tone == cap.MIXED and title.text == "Ingen av scenarioene er best på alt for pasientene i 2040"


def test_alike_scenarios_tie_within_the_shown_rounding():
    ranking = compare.rank_for_patients(_results(A=(97.12, 0.2), B=(97.14, 0.0), C=(96.0, 0.0)))
    assert ranking.best == ("A", "B")
    assert compare_slides.verdict_title(ranking, ["A", "B", "C"]).text == \
        "«A» og «B» er like gode for pasientene i 2040"
    same = compare.rank_for_patients(_results(A=(97.1, 0.0), B=(97.1, 0.0)))
    assert compare_slides.verdict_title(same, ["A", "B"]).tone == cap.SAME


def test_rank_uses_the_last_shared_year():
    results = _results(A=(97.1, 0.0))
    results["B"] = pd.DataFrame([_row(2025, 95.0, 0.0), _row(2040, 90.0, 0.0), _row(2050, 120.0, 0.0)])
    assert compare.rank_for_patients(results).best == ("A",)  # B's 2050 is not compared with A's 2040


def test_meeting_frame_adds_the_choices_in_force_and_the_ghost_only_when_changed():
    results = _results(A=(97.1, 0.0), B=(103.2, 0.0))
    now, before = results["A"].assign(coverage_index=[95.0, 99.0]), results["A"]
    long, order, colors, dashes = compare_slides.meeting_frame(results, now, None, "Gjeldende valg", "ghost")
    assert order == ("A", "B", "Gjeldende valg") and colors == ("#0072B2", "#E69F00", "#000000")
    assert long.loc[(long["scenario"] == "Gjeldende valg") & (long["year"] == 2040), "value"].tolist() == [99.0]
    _, order, colors, dashes = compare_slides.meeting_frame(results, now, before, "Gjeldende valg", "ghost")
    assert order[-1] == "ghost" and colors[-1] == compare_slides.GHOST_COLOR and dashes[-1] == (3, 3)


# --- slides ----------------------------------------------------------------------------------------------

def _slides(at) -> list[tuple[str, str]]:
    """Step through every slide with «Neste»: (title, everything shown) per slide."""
    out = []
    for _ in range(10):
        out.append((at.title[0].value, visible_text(at)))
        forward = button(at, "Neste")
        if forward.disabled:
            return out
        forward.click().run()
        assert not at.exception
    raise AssertionError("«Neste» never stopped")


def test_slides_step_through_and_name_kommune_and_scenarios_on_every_slide():
    _save("To nye hjemler", {"new_hjemler": "2"})
    at = open_page(PAGE, kommune="4631", presentasjon="1")
    slides = _slides(at)
    assert [title for title, _ in slides] == [
        "«To nye hjemler» er best for pasientene i 2040", "Dekningen år for år, 2025–2040",
        "Pasienter uten fastlege år for år, 2025–2040",  # 2025 has patients on lists without a doctor
        "Hva koster scenarioene for kommunen i 2040?", "Hva scenarioene forutsetter"]
    for i, (_, text) in enumerate(slides, start=1):
        assert f"Sammenlign scenarioer – Alver · {i} av 5" in text
        assert f"Scenarioer: «{STANDARD}» og «To nye hjemler»" in text
        assert not BAD_SHOWN.search(text)
    first = slides[0][1]
    # Alver, SSB 2025: no change 97,1 in 2040; two new hjemler of 931 places 103,2 (as the page's table)
    assert "«Uten endringer, standardverdier» dekning 97,1" in first and "«To nye hjemler» dekning 103,2" in first
    assert "Bedre for pasientene (mot «Uten endringer, standardverdier»)" in first
    assert "«To nye hjemler» (Alver – SSB 2025): 2 nye hjemler fra 2026 (listetak 931)" in slides[-1][1]
    button(at, "Forrige").click().run()
    assert "4 av 5" in visible_text(at)
    button(at, "Avslutt presentasjon").click().run()
    assert "presentasjon" not in at.query_params and at.title[0].value == "Sammenlign scenarioer – Alver"


def test_a_worse_scenario_is_never_called_better():
    _save("Flere slutter", {"exits_per_year": "4", "recruits_per_year": "2"})
    at = open_page(PAGE, kommune="4631", presentasjon="1")
    assert at.title[0].value == f"«{STANDARD}» er best for pasientene i 2040"
    assert "Verre for pasientene (mot «Uten endringer, standardverdier»)" in visible_text(at)
    titles = [title for title, _ in _slides(at)]
    assert "Pasienter uten fastlege år for år, 2025–2040" in titles  # someone loses the GP: its own slide


def test_the_toggle_opens_the_slides_with_the_pages_selection():
    _save("To nye hjemler", {"new_hjemler": "2"})
    _save("Lavere listetak", {"cap_change_places": "-1000"})
    at = open_page(PAGE, kommune="4631")
    ids = {s.name: s.id for s in sc.list_for(db.connect_user(), "4631")}
    at.multiselect(key="sammenlign").set_value(["standard", ids["Lavere listetak"]]).run()
    at.toggle(key="sammenlign_presentasjon_av_pa").set_value(True).run()
    assert at.query_params["presentasjon"] == "1"
    text = visible_text(at)
    assert f"Scenarioer: «{STANDARD}» og «Lavere listetak»" in text and "To nye hjemler" not in text
    button(at, "Avslutt presentasjon").click().run()
    assert at.multiselect(key="sammenlign").value == ["standard", ids["Lavere listetak"]]  # kept


# --- meeting view ----------------------------------------------------------------------------------------

def _current(at, label: str):
    """The tile of «Gjeldende valg» (the last one with this label)."""
    return [m for m in at.metric if m.label == label][-1]


def test_meeting_view_shows_scenarios_the_picked_levers_and_a_change_against_the_reference():
    _save("To nye hjemler", {"new_hjemler": "2"})
    at = open_page(PAGE, kommune="4631", mote="1", motespaker="new_hjemler,new_from_year")
    assert not at.sidebar.slider
    assert [w.key for w in at.slider if w.key and w.key.startswith("lv_")] == ["lv_new_hjemler", "lv_new_from_year"]
    assert [m.value for m in at.metric if m.label == "Dekning"] == ["97,1", "103,2", "97,1"]
    assert _current(at, "Dekning").delta == "som i scenarioet"
    assert button(at, "Behold som nytt scenario").disabled
    assert len(at.get("vega_lite_chart")) == 1
    lever(at, "new_hjemler").set_value(2).run()
    lever(at, "new_from_year").set_value(2027).run()
    coverage = _current(at, "Dekning")
    assert coverage.value == "103,2" and coverage.delta == "+6,1"  # as «To nye hjemler», against 97,1
    assert "endret i møtet" in visible_text(at)
    assert at.session_state["_page_query:kapasitet"]["new_hjemler"] == "2"  # Fastlegekapasitet opens with it
    assert "new_hjemler" not in at.query_params  # the comparison's own link stays its own
    button(at, "Forkast endringene").click().run()
    assert lever(at, "new_hjemler").value == 0 and _current(at, "Dekning").value == "97,1"


def test_keep_saves_the_meeting_choices_as_a_new_scenario():
    _save("To nye hjemler", {"new_hjemler": "2"})
    at = open_page(PAGE, kommune="4631", mote="1")
    lever(at, "new_hjemler").set_value(1).run()
    button(at, "Behold som nytt scenario").click().run()
    assert not at.exception
    saved = {s.name: s for s in sc.list_for(db.connect_user(), "4631")}
    new = next(s for name, s in saved.items() if name.startswith("Gjeldende valg – endret i møtet"))
    assert new.content["kapasitet"]["new_hjemler"] == "1" and "mote" not in new.content.get("scenarioer", {})
    assert button(at, "Behold som nytt scenario").disabled  # the new scenario is the reference now
    button(at, "Avslutt møtevisning").click().run()
    assert "mote" not in at.query_params and at.title[0].value == "Sammenlign scenarioer – Alver"


def test_slides_and_meeting_view_in_nynorsk():
    _save("To nye hjemler", {"new_hjemler": "2"})
    at = open_page(PAGE, kommune="4631", presentasjon="1", malform="nn")
    assert at.title[0].value == "«To nye hjemler» er best for pasientane i 2040"
    assert "Samanlikn scenario – Alver · 1 av 5" in visible_text(at)
    at = open_page(PAGE, kommune="4631", mote="1", malform="nn")
    text = visible_text(at)
    assert "Pasientar utan fastlege" in text and "Gjeldande val" in text
    assert button(at, "Behald som nytt scenario").disabled
