"""AppTest: the export expander and presentation mode on Fastlegekapasitet."""

from __future__ import annotations

from tests.apptest_util import button, lever, metrics, open_expander, open_page, squash, visible_text
from ui.export_view import OPEN_KEY


def _download_buttons(at):
    return {b.key: b.label for b in at.get("download_button")}


def test_export_expander_has_the_four_downloads():
    at = open_page("pages/kapasitet.py", kommune="4631", new_hjemler="2")
    assert "Eksporter til saksframlegg" in [e.label for e in at.expander]
    assert not _download_buttons(at)  # closed: nothing inside it is built or sent on a lever move
    open_expander(at, OPEN_KEY)
    assert _download_buttons(at) == {"eksport_pdf": "PDF-vedlegg", "eksport_xlsx": "Excel",
                                     "eksport_png": "Figur som PNG", "eksport_svg": "Figur som SVG"}
    assert "Scenario: **Gjeldende valg**" in visible_text(at)
    assert at.selectbox(key="eksport_figur").value == "capacity"


def _step_through(at) -> list[str]:
    """The titles of every slide, from the first to the last (ends on the last)."""
    seen = [at.title[0].value]
    for _ in range(8):
        if button(at, "Neste").disabled:
            break
        button(at, "Neste").click().run()
        assert not at.exception
        seen.append(at.title[0].value)
    return seen


def test_presentation_from_the_link_shows_only_the_picked_levers_and_steps_through():
    at = open_page("pages/kapasitet.py", kommune="4631", new_hjemler="3", presentasjon="1",
                   motespaker="new_hjemler,new_from_year")
    assert not at.sidebar.slider and not at.sidebar.number_input  # no sidebar levers
    # the two levers picked for the meeting, under the slide, and no other
    assert [w.key for w in at.slider if w.key and w.key.startswith("lv_")] == ["lv_new_hjemler", "lv_new_from_year"]
    assert not _download_buttons(at)
    assert "Med 3 nye hjemler" in visible_text(at)  # the levers in the link are used (the opening sentence)
    assert list(metrics(at))[:2] == ["Dekning 2040", "Pasienter uten fastlege 2040"]  # patients first
    assert button(at, "Forrige").disabled
    seen = _step_through(at)
    assert len(seen) == 5 and seen[3:] == ["Hva koster det for kommunen?", "Hva scenarioet forutsetter"]
    assert "1 av 5" not in visible_text(at) and "5 av 5" in visible_text(at)
    button(at, "Forrige").click().run()
    assert at.title[0].value == "Hva koster det for kommunen?"


def _alver(**levers: str) -> dict:
    """The Alver 2021 reference case with levers, as the model gives it (no Streamlit)."""
    from core import capacity as cap
    from core import db, demography, starting_points
    from core.params import with_defaults_from

    con = db.connect()
    try:
        base = starting_points.from_reference(con, "alver_2021")
        path = demography.population_path(demography.registered_groups(con, "4631"),
                                          demography.project_groups(con).for_kommune("4631"))
    finally:
        con.close()
    params, _ = cap.fit_to_base(cap.with_changes(with_defaults_from(cap.CapacityParams, base),
                                                 **{k: type(getattr(cap.CapacityParams(), k))(v)
                                                    for k, v in levers.items()}), base)
    return {"params": params, "result": cap.project(base, path, params)}


def _colour(metric) -> str:
    """A tile's delta colour as shown: RED, GREEN, GRAY …"""
    field = metric.proto.DESCRIPTOR.fields_by_name["color"]
    return field.enum_type.values_by_number[metric.proto.color].name


COLLAPSE = {"new_hjemler": "2", "exits_per_year": "3", "recruits_per_year": "2"}


def test_presentation_of_a_collapse_never_calls_it_better():
    """Alver 2021 with 2 new hjemler, 3 GPs leaving and 2 vacant lists filled a year: SSB's reserve index
    stays above 100 while patients lose their GP. No slide title, tile colour or word says better."""
    from core import capacity as cap
    from core import fmt
    from ui import headlines
    from ui import verdict_text as vt

    model = _alver(**COLLAPSE)
    result = model["result"]
    first, last = result.iloc[0], result.iloc[-1]
    assert last["reserve_index"] > 100 and cap.verdict(first, last) == cap.WORSE
    at = open_page("pages/kapasitet.py", kommune="4631", start="alver_2021", presentasjon="1", **COLLAPSE)
    shown = metrics(at)
    assert shown["Dekning 2040"] == squash(headlines.index_text(last["coverage_index"])) == "32,8"
    assert shown["Pasienter uten fastlege 2040"] == squash(fmt.number(last["patients_without_gp"])) == "20990"
    assert list(shown)[:2] == ["Dekning 2040", "Pasienter uten fastlege 2040"]
    colours = {m.label: _colour(m) for m in at.metric}
    assert colours["Dekning 2040"] == colours["Pasienter uten fastlege 2040"] == "RED"
    assert "GREEN" not in colours.values()
    seen = _step_through(at)
    expected = [x.text for x in vt.capacity_titles(result, model["params"].target_reserve)]
    # 101,4 in 2021 meets the target: the coverage slide says when it is lost, not «never reached»
    assert seen[:3] == expected == ["Verre for pasientene i 2040 enn i 2021", "Dekningen faller under målet 100 i 2024",
                                    "20\u00a0990 flere pasienter uten fastlege i 2040 enn i 2021"]
    assert not [title for title in seen if "bedre" in title.lower()]
    # the cost slide: example costs (vikar for the vacant lists, salary for the new ones) marked as on the page
    while at.title[0].value != "Hva koster det for kommunen?":
        button(at, "Forrige").click().run()
    cost = metrics(at)
    assert {"Merkostnad 2040, næringsdrift (eksempelkostnader)", "Merkostnad 2040, fastlønn (eksempelkostnader)"} <= set(cost)
    assert "Tallene bygger på eksempelkostnader" in visible_text(at)


def test_coverage_slide_of_the_alver_notat_says_when_the_target_is_lost():
    """Alver 2021 with no change: 101,4 in 2021, under 100 from 2024 (one list missing then, two in 2040)."""
    at = open_page("pages/kapasitet.py", kommune="4631", start="alver_2021", presentasjon="1")
    button(at, "Neste").click().run()
    assert at.title[0].value == "Dekningen faller under målet 100 i 2024"
    assert ("Dekningen faller under målet 100 i 2024. Da trengs 1 hjemmel til, og 2 i 2040. I 2040 er den 94,6 "
            "(i 2021: 101,4).") in visible_text(at)
    button(at, "Neste").click().run()
    button(at, "Neste").click().run()
    assert at.title[0].value == "Hva koster det for kommunen?"
    assert "Merkostnad 2040, fastlønn" in metrics(at)  # nothing changed, nothing priced: no example mark
    assert "eksempelkostnader" not in visible_text(at)


def test_toggle_starts_and_exit_returns_with_the_same_levers():
    at = open_page("pages/kapasitet.py", kommune="4631", new_hjemler="2")
    toggle = next(t for t in at.sidebar.toggle if t.label == "Presentasjonsmodus")
    toggle.set_value(True).run()
    assert at.query_params["presentasjon"] == "1"
    assert at.title[0].value.endswith("enn i 2025") and not at.exception  # the first slide: the verdict
    assert not at.sidebar.slider
    button(at, "Avslutt presentasjon").click().run()
    assert "presentasjon" not in at.query_params
    assert lever(at, "new_hjemler").value == 2
    assert at.title[0].value == "Fastlegekapasitet – Alver"
