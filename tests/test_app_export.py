"""AppTest: the export expander and presentation mode on Fastlegekapasitet."""

from __future__ import annotations

from tests.apptest_util import button, lever, open_expander, open_page, visible_text
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


def test_presentation_from_the_link_is_read_only_and_steps_through():
    at = open_page("pages/kapasitet.py", kommune="4631", new_hjemler="3", presentasjon="1")
    assert not at.sidebar.slider and not at.sidebar.number_input  # no levers at all
    assert not [w for w in at.slider if w.key and w.key.startswith("lv_")]
    assert not _download_buttons(at)
    titles = [t.value for t in at.title]
    assert titles[0] == "Kapasitet og listepasienter"
    assert "Med 3 nye hjemler" in visible_text(at)  # the levers in the link are used
    assert button(at, "Forrige").disabled
    seen = [titles[0]]
    for _ in range(6):
        if button(at, "Neste").disabled:
            break
        button(at, "Neste").click().run()
        seen.append(at.title[0].value)
    assert seen == ["Kapasitet og listepasienter", "Reservekapasitet mot målet", "Pasienter på lister uten lege",
                    "Hva koster det for kommunen?", "Hva scenarioet forutsetter"]
    assert "1 av 5" not in visible_text(at) and "5 av 5" in visible_text(at)
    button(at, "Forrige").click().run()
    assert at.title[0].value == "Hva koster det for kommunen?"


def test_toggle_starts_and_exit_returns_with_the_same_levers():
    at = open_page("pages/kapasitet.py", kommune="4631", new_hjemler="2")
    toggle = next(t for t in at.sidebar.toggle if t.label == "Presentasjonsmodus")
    toggle.set_value(True).run()
    assert at.query_params["presentasjon"] == "1"
    assert at.title[0].value == "Kapasitet og listepasienter"
    assert not at.sidebar.slider
    button(at, "Avslutt presentasjon").click().run()
    assert "presentasjon" not in at.query_params
    assert lever(at, "new_hjemler").value == 2
    assert at.title[0].value == "Fastlegekapasitet – Alver"
