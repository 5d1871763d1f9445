"""AppTest: the app shell and the Oversikt page as links open them."""

from __future__ import annotations

import pytest

from tests.apptest_util import BAD_SHOWN, metrics, open_app, squash, visible_text

# large, tiny, no SSB row (suppressed), 2024 county split, 2020 merger, reference cases
KOMMUNER = {
    "0301": ("Oversikt – Oslo", {"Hjemler": "611"}),
    "1144": ("Oversikt – Kvitsøy", {}),
    "5514": ("Oversikt – Ibestad", {"Hjemler": "ikketilgjengelig"}),
    "3905": ("Oversikt – Tønsberg", {}),
    "5501": ("Oversikt – Tromsø", {}),
    "4631": ("Oversikt – Alver", {"Hjemler": "32", "Listepasienter": "29302",
                                  "Pasienter uten fastlege": "1341",
                                  "Andel uten fastlege": "4,6%", "Ledige plasser": "-26",
                                  "Dekning": "95,3", "Reservekapasitet (SSB)": "99,9",
                                  "Gjennomsnittlig listelengde": "932",
                                  "Andel kvinnelige fastleger": "73,3%"}),
    "1103": ("Oversikt – Stavanger", {"Hjemler": "139", "Ledige plasser": "163"}),
}


@pytest.mark.parametrize("knr", list(KOMMUNER))
def test_oversikt_for_kommune(knr):
    title, expected = KOMMUNER[knr]
    at = open_app(kommune=knr)
    assert not at.exception, at.exception[0].message if at.exception else ""
    assert at.title[0].value == title
    shown = metrics(at)
    assert len(shown) == 10
    for label, value in expected.items():
        assert shown[label] == value, (label, shown[label])
    text = visible_text(at)
    assert not BAD_SHOWN.search(text), BAD_SHOWN.search(text)
    # 4 trend tabs (Dekning first) + comparison + peers + map; a kommune without SSB series gets messages instead
    assert len(at.get("vega_lite_chart")) == (3 if knr == "5514" else 7)
    # a source under every chart, and one under the tiles
    assert sum("Kilde:" in c.value for c in at.caption) == len(at.get("vega_lite_chart")) + 1
    assert at.query_params["kommune"] == knr


def test_suppressed_kommune_explains_why():
    at = open_app(kommune="5514")
    text = visible_text(at)
    assert "ikke tilgjengelig" in text
    assert "SSB har ikke publisert tall for kommunen" in text
    assert sum("ingen tidsserie" in i.value for i in at.info) == 4  # Dekning and SSB's three series


@pytest.mark.parametrize("raw", ["9999", "abc", "'; DROP TABLE x;--", "<script>alert(1)</script>", "",
                                 "x" * 3000])
def test_bad_kommune_link_falls_back_with_message(raw):
    at = open_app(kommune=raw)
    assert not at.exception
    assert at.title[0].value == "Oversikt – Alver"
    if raw:
        assert at.warning and "Viser Alver i stedet" in at.warning[0].value
        assert "<script>" not in at.warning[0].value
    assert at.query_params["kommune"] == "4631"


def test_default_without_link_is_alver():
    at = open_app()
    assert at.title[0].value == "Oversikt – Alver"
    assert not at.warning


def test_kommune_by_name_in_link():
    at = open_app(kommune="Stavanger")
    assert at.title[0].value == "Oversikt – Stavanger"


def test_changing_kommune_in_sidebar_updates_tiles():
    at = open_app(kommune="4631")
    before = metrics(at)
    at.sidebar.selectbox(key="kommune").set_value("1103")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Oversikt – Stavanger"
    after = metrics(at)
    assert after["Hjemler"] == "139" and before["Hjemler"] == "32"
    at.run()  # the choice survives further reruns
    assert at.title[0].value == "Oversikt – Stavanger"
    assert at.sidebar.selectbox(key="kommune").value == "1103"
    # The URL following the picker is checked in the real browser (tests/browser).


def test_sidebar_picker_offers_every_kommune():
    at = open_app()
    picker = at.selectbox(key="kommune")
    assert len(picker.options) == 357
    assert "Alver (4631, Vestland)" in picker.options


def test_indicator_choices_live_in_url_and_change_charts():
    at = open_app(kommune="1103", indikator="list_length", kart="share_without_gp")
    assert at.selectbox(key="indikator").value == "list_length"
    assert at.selectbox(key="kart").value == "share_without_gp"
    at.selectbox(key="indikator").set_value("female_share")
    at.run()
    assert not at.exception
    assert at.query_params["indikator"] == "female_share"
    assert "Stavanger: 0,1" in visible_text(at).replace("\u00a0", " ")


def test_bad_indicator_in_link_gets_message():
    at = open_app(kommune="1103", indikator="<b>bad</b>", kart="nope")
    assert not at.exception
    assert at.selectbox(key="indikator").value == "coverage"
    assert at.selectbox(key="kart").value == "coverage"
    messages = " ".join(w.value for w in at.warning)
    assert "ikke et gyldig valg" in messages and "<b>" not in messages


def test_oversikt_in_nynorsk_and_back_to_bokmaal():
    """?malform=nn shows Oversikt in nynorsk; the sidebar's «Målform» switch brings bokmål back."""
    at = open_app(kommune="4631", malform="nn")
    assert not at.exception, at.exception[0].message if at.exception else ""
    shown = metrics(at)
    assert shown["Gjennomsnittleg listelengd"] == "932" and "Gjennomsnittlig listelengde" not in shown
    assert any(s.value.startswith("Nøkkeltal ") for s in at.subheader)
    at.radio(key="malform_valg").set_value("nb").run()
    assert not at.exception, at.exception[0].message if at.exception else ""
    shown = metrics(at)
    assert shown["Gjennomsnittlig listelengde"] == "932" and "Gjennomsnittleg listelengd" not in shown
    assert any(s.value.startswith("Nøkkeltall ") for s in at.subheader)
    assert at.title[0].value == "Oversikt – Alver"


def test_ssb_indicators_over_lists_with_a_gp_say_whom_they_leave_out():
    """Flakstad 2025: 550 of 1 000 list patients (55,0 %) on lists without a GP, yet a reserve index of 133 (+17).
    The reserve and free-capacity tiles, the reserve trend, the comparison and the map say they leave them out."""
    at = open_app(kommune="1859", indikator="reserve_capacity", kart="reserve_capacity")
    shown = metrics(at)
    assert (shown["Pasienter uten fastlege"], shown["Reservekapasitet (SSB)"]) == ("550", "133,3")
    note = "Regner ikke med de 550 pasientene på lister uten lege (55,0 %)."
    captions = [c.value.replace("\u00a0", " ") for c in at.caption]
    assert sum(note in c and c.startswith("Landet:") for c in captions) == 2  # reserve and free capacity tiles
    # the reserve trend, the comparison and the map (both set to SSB's reserve here)
    assert sum(c == "Reservekapasitet (SSB) i Flakstad 2025: " + note for c in captions) == 3
    # by default the comparison and the map show Dekning, which counts these patients: only the trend's note
    default = [c.value.replace("\u00a0", " ") for c in open_app(kommune="1859").caption]
    assert sum(c == "Reservekapasitet (SSB) i Flakstad 2025: " + note for c in default) == 1
    # a kommune where every list has a GP gets no such note
    assert not any("Regner ikke med" in c.value for c in open_app(kommune="1144").caption)


@pytest.mark.parametrize(("malform", "reserve_label", "derived_words"),
                         [("nb", "Reservekapasitet (SSB)", "avledet som R × (1 − A/100)"),
                          ("nn", "Reservekapasitet (SSB)", "avleidd som R × (1 − A/100)")])
def test_flakstad_coverage_well_under_100_while_ssbs_reserve_is_133(malform, reserve_label, derived_words):
    """Flakstad 2025: 600 places on lists with a doctor for 450 + 550 list patients: Dekning 60,0 (2024: SSB's
    R 116 with 0 % without a GP → 116, so −56,0, red), while SSB's reserve reads 133,3 from the counts (+17 from
    SSB's whole-number index 116 → 133, not green: the share without a GP rose). Dekning is the first trend tab and the default of the comparison and the map."""
    at = open_app(kommune="1859", malform=malform)
    assert not at.exception, at.exception[0].message if at.exception else ""
    tiles = {m.label: m for m in at.metric}
    coverage, reserve = tiles["Dekning"], tiles[reserve_label]
    assert (squash(coverage.value), squash(reserve.value)) == ("60,0", "133,3")
    assert (squash(coverage.delta), squash(reserve.delta)) == ("-56,0", "+17")
    assert (_colour(coverage), _colour(reserve)) == ("RED", "GRAY")  # the fall is red, SSB's rise not green
    assert [tab.label for tab in at.tabs][:2] == ["Dekning", reserve_label]
    assert at.selectbox(key="indikator").value == at.selectbox(key="kart").value == "coverage"
    text = visible_text(at).replace("\u00a0", " ")
    assert "**Flakstad: 60,0**" in text  # the map's value for the kommune
    assert derived_words in text  # the trend says which years are derived from SSB's rounded index


def _colour(metric) -> str:
    """A tile's delta colour as shown: RED, GREEN, GRAY …"""
    field = metric.proto.DESCRIPTOR.fields_by_name["color"]
    return field.enum_type.values_by_number[metric.proto.color].name
